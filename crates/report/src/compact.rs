//! `PATH:LINE:COLUMN: SEVERITY: MESSAGE [RULE]`, one line per finding: the shape the
//! common `$gcc` problem matcher and vim/emacs errorformats read.

use crate::Report;
use std::fmt::Write;

pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        // A message must stay on one line for line-oriented matchers.
        let message = d.message.replace(['\r', '\n'], " ");
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {} [{}]",
            d.file, d.start.line, d.start.column, d.severity, message, d.rule
        );
    }
    out
}
