//! The human format: a miette graphical report per finding (snippet, underlined
//! span, labels, `help:`), then a summary line. Without colour the bytes depend only
//! on the input: fixed width, no terminal queries.

use crate::{plural, Counts, Report};
use canary_lint_core::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt::{self, Write};

/// Width the report is wrapped at; fixed so output is deterministic.
const WIDTH: usize = 100;

struct Finding<'a> {
    d: &'a Diagnostic,
    source: Option<NamedSource<String>>,
    title: String,
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let d = self.d;
        let primary = LabeledSpan::new_primary_with_span(
            Some(d.label.clone().unwrap_or_else(|| d.rule.clone())),
            SourceSpan::from(d.span.start..d.span.end),
        );
        let rest = d.labels.iter().map(|l| {
            LabeledSpan::new_with_span(
                Some(l.message.clone()),
                SourceSpan::from(l.span.start..l.span.end),
            )
        });
        Some(Box::new(std::iter::once(primary).chain(rest)))
    }
}

fn severity_word(s: Severity) -> &'static str {
    s.as_str()
}

pub(crate) fn render(report: &Report<'_>) -> String {
    let theme = if report.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for d in report.diagnostics {
        let source = report
            .sources
            .get(&*d.file)
            .map(|f| NamedSource::new(&*d.file, f.text.to_string()));
        let location = format!("{}:{}:{}", d.file, d.start.line, d.start.column);
        let scan = if d.found_by_scan {
            " (found by token scan)"
        } else {
            ""
        };
        let title = format!(
            "{}[{}]: {}{}",
            severity_word(d.severity),
            d.rule,
            d.message,
            scan
        );
        let finding = Finding { d, source, title };
        let mut block = String::new();
        if handler.render_report(&mut block, &finding).is_err() {
            block = format!("{}\n", finding.title);
        }
        if finding.source.is_none() {
            let _ = writeln!(block, "  at {location}");
        }
        out.push_str(&block);
        if !d.related.is_empty() {
            for r in &d.related {
                let _ = writeln!(out, "  = {}:{}:{}: {}", r.file, r.line, r.column, r.message);
            }
            if d.related_total > d.related.len() {
                let _ = writeln!(
                    out,
                    "  = ... and {} more",
                    d.related_total - d.related.len()
                );
            }
        }
        out.push('\n');
    }
    let c = Counts::of(report.diagnostics);
    let _ = writeln!(
        out,
        "canary-lint: {}, {}, {} in {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.notes, "note"),
        plural(report.files, "file")
    );
    out
}
