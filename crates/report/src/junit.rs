//! JUnit XML (a contract) for CI systems that show test reports (GitLab's
//! `artifacts:reports:junit`, Jenkins, Azure Pipelines, ...).
//!
//! One `<testsuite>` per file, named by its display path; one failing `<testcase>`
//! per finding, named `RULE at LINE:COLUMN`, whose `<failure>` carries the message
//! as `message`, the severity as `type`, and a body with location, message, help
//! and related places. Files the report holds sources for but that had no finding
//! appear as passing suites with one passing test case named `canary-lint`, so a
//! clean file shows up as checked. No timestamps or durations: output is
//! byte-stable.
//!
//! XML 1.0 cannot carry most C0 control characters at all, not even as character
//! references; they are replaced with U+FFFD. Tab, LF and CR are kept (as
//! character references inside attributes, where a parser would otherwise
//! normalise them to spaces).

use crate::Report;
use canary_lint_core::Diagnostic;
use std::collections::BTreeMap;
use std::fmt::Write;

pub(crate) fn render(report: &Report<'_>) -> String {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for path in report.sources.keys() {
        by_file.entry(path.as_str()).or_default();
    }
    for d in report.diagnostics {
        by_file.entry(&d.file).or_default().push(d);
    }
    let failures = report.diagnostics.len();
    let tests: usize = by_file.values().map(|ds| ds.len().max(1)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"canary-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for (file, diags) in &by_file {
        let file = attr(file);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">",
            diags.len().max(1),
            diags.len()
        );
        if diags.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"canary-lint\" classname=\"{file}\"/>"
            );
        }
        for d in diags {
            let _ = writeln!(
                out,
                "    <testcase name=\"{} at {}:{}\" classname=\"{file}\">",
                attr(&d.rule),
                d.start.line,
                d.start.column
            );
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                attr(&d.message),
                d.severity,
                text(&body(d))
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn body(d: &Diagnostic) -> String {
    let mut b = format!(
        "{}:{}:{}: {}[{}]: {}",
        d.file, d.start.line, d.start.column, d.severity, d.rule, d.message
    );
    if d.found_by_scan {
        b.push_str(" (found by token scan of a statement the parser rejected)");
    }
    if let Some(help) = &d.help {
        let _ = write!(b, "\nhelp: {help}");
    }
    for r in &d.related {
        let _ = write!(b, "\n= {}:{}:{}: {}", r.file, r.line, r.column, r.message);
    }
    if d.related_total > d.related.len() {
        let _ = write!(b, "\n= ... and {} more", d.related_total - d.related.len());
    }
    b
}

/// Characters XML 1.0 does not allow anywhere (C0 controls other than tab, LF,
/// CR; U+FFFE and U+FFFF).
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes an attribute value (for double-quoted attributes).
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes character data. CR is written as a reference so it survives
/// end-of-line normalisation.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_and_text_escaping() {
        assert_eq!(attr("<&\"'>"), "&lt;&amp;&quot;&apos;&gt;");
        assert_eq!(attr("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
        assert_eq!(attr("x\u{1}y\u{1B}z\u{7F}"), "x\u{FFFD}y\u{FFFD}z\u{7F}");
        assert_eq!(text("<&\"'>\n"), "&lt;&amp;\"'&gt;\n");
        assert_eq!(text("a\u{0}\u{C}\r"), "a\u{FFFD}\u{FFFD}&#13;");
    }
}
