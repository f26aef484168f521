//! The json format (a contract): one object with version, tool,
//! diagnostics and summary.

use crate::{Counts, Report};
use serde_json::{json, Value};

pub(crate) fn render(report: &Report<'_>) -> String {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "rule": d.rule,
                "severity": d.severity.as_str(),
                "message": d.message,
                "help": d.help,
                "file": &*d.file,
                "line": d.start.line,
                "column": d.start.column,
                "end_line": d.end.line,
                "end_column": d.end.column,
                "found_by_scan": d.found_by_scan,
                "related": d.related.iter().map(|r| json!({
                    "file": r.file,
                    "line": r.line,
                    "column": r.column,
                    "message": r.message,
                })).collect::<Vec<_>>(),
                "related_total": d.related_total,
            })
        })
        .collect();
    let c = Counts::of(report.diagnostics);
    let doc = json!({
        "version": 1,
        "tool": { "name": "canary-lint", "version": env!("CARGO_PKG_VERSION") },
        "diagnostics": diagnostics,
        "summary": {
            "files": report.files,
            "errors": c.errors,
            "warnings": c.warnings,
            "notes": c.notes,
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
