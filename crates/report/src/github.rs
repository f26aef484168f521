//! GitHub Actions workflow commands (a contract), one per finding:
//! `::error file=P,line=L,col=C,endLine=..,endColumn=..,title=RULE::MESSAGE`.
//! The runner turns each into an annotation on the pull request's diff.
//!
//! Escaping follows the runner's rules: in the message `%`, CR and LF are
//! percent-encoded (so a multi-line message stays one command); property values
//! additionally encode `:` and `,`, which would otherwise end the value.
//!
//! The runner rejects `col`/`endColumn` when `line` and `endLine` differ (it logs
//! "cannot be set if 'line' and 'endLine' are different values" and drops the
//! annotation's columns), so a finding spanning lines states lines only.

use crate::Report;
use canary_lint_core::{Diagnostic, Severity};
use std::fmt::Write;

pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        out.push_str(&command(d));
        out.push('\n');
    }
    out
}

fn command(d: &Diagnostic) -> String {
    let name = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut props = format!(
        "file={},line={}",
        escape_property(&d.file),
        d.start.line.max(1)
    );
    let end_line = d.end.line.max(d.start.line).max(1);
    let one_line = end_line == d.start.line.max(1);
    if one_line {
        let _ = write!(props, ",col={}", d.start.column.max(1));
    }
    let _ = write!(props, ",endLine={end_line}");
    if one_line {
        let _ = write!(
            props,
            ",endColumn={}",
            d.end.column.max(d.start.column).max(1)
        );
    }
    let _ = write!(props, ",title={}", escape_property(&d.rule));
    format!("::{name} {props}::{}", escape_data(&message(d)))
}

/// The annotation body: message, how it was found, the safe recipe, related places.
fn message(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if d.found_by_scan {
        text.push_str(" (found by token scan of a statement the parser rejected)");
    }
    if let Some(help) = &d.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    for r in &d.related {
        let _ = write!(
            text,
            "\n= {}:{}:{}: {}",
            r.file, r.line, r.column, r.message
        );
    }
    if d.related_total > d.related.len() {
        let _ = write!(
            text,
            "\n= ... and {} more",
            d.related_total - d.related.len()
        );
    }
    text
}

/// Escaping of a command's data (after `::`).
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a property value (between `=` and `,`/`::`).
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_property_escaping() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b,c\r\nd"),
            "100%25 a%3Ab%2Cc%0D%0Ad"
        );
        // `%` first: an existing escape sequence is not decoded later.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
