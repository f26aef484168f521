//! The human format: a miette graphical report per finding (snippet, underlined
//! span, labels, `help:`), then a summary line. Without colour the bytes depend only
//! on the input: fixed width, no terminal queries.
//!
//! Each finding hands miette only the lines it shows (a [`Window`] of the file), so the
//! time per finding does not grow with the file: thousands of findings in a 10 MB
//! migration render as fast as the compact format. A snippet whose lines are longer than
//! [`MAX_LINE_CHARS`] (minified or generated SQL) is not drawn; the finding names its
//! position instead.

use crate::{plural, Counts, Report};
use canary_lint_core::{Diagnostic, Position, Severity, SourceFile};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt::{self, Write};

/// Width the report is wrapped at; fixed so output is deterministic.
const WIDTH: usize = 100;

/// Longest line drawn in a snippet, in characters.
pub const MAX_LINE_CHARS: usize = 1000;

/// The lines of a file one finding shows, with the number of the first.
#[derive(Debug)]
struct Window {
    name: String,
    text: String,
    /// 0-based line number of the window's first line in the file.
    first_line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            // Counted from the start of the text, as miette does for a whole file (its
            // choice of which snippets to join depends on it).
            inner.line_count() + self.first_line,
        )))
    }
}

/// The window of `file` around `d`'s spans (one line of context either side), and the
/// byte offset it starts at; `None` when a line is too long to draw.
fn window(file: &SourceFile, d: &Diagnostic) -> Option<(Window, usize)> {
    let text: &str = &file.text;
    let spans = std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span));
    let (lo, hi) = spans.fold((usize::MAX, 0), |(lo, hi), s| {
        (lo.min(s.start), hi.max(s.end))
    });
    let lo = lo.min(text.len());
    let hi = hi.clamp(lo, text.len());
    let first = file.position(lo).line.saturating_sub(1).max(1);
    let last = file.position(hi).line.saturating_add(1);
    let start = file.offset(Position {
        line: first,
        column: 1,
    });
    let end_line_start = file.offset(Position {
        line: last,
        column: 1,
    });
    let end = text[end_line_start..]
        .find('\n')
        .map_or(text.len(), |i| end_line_start + i + 1);
    let slice = text.get(start..end)?;
    if slice
        .lines()
        .any(|l| l.len() > MAX_LINE_CHARS && l.chars().count() > MAX_LINE_CHARS)
    {
        return None;
    }
    Some((
        Window {
            name: file.path.to_string(),
            text: slice.to_string(),
            first_line: first as usize - 1,
        },
        start,
    ))
}

struct Finding<'a> {
    d: &'a Diagnostic,
    source: Option<Window>,
    /// Byte offset of the window in the file (spans are moved by it).
    base: usize,
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
        let len = self.source.as_ref()?.text.len();
        let d = self.d;
        let base = self.base;
        let local = move |s: canary_lint_core::Span| {
            let a = s.start.saturating_sub(base).min(len);
            let b = s.end.saturating_sub(base).clamp(a, len);
            SourceSpan::from(a..b)
        };
        let primary = LabeledSpan::new_primary_with_span(
            Some(d.label.clone().unwrap_or_else(|| d.rule.clone())),
            local(d.span),
        );
        let rest = d
            .labels
            .iter()
            .map(move |l| LabeledSpan::new_with_span(Some(l.message.clone()), local(l.span)));
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
        let file = report.sources.get(&*d.file);
        let windowed = file.and_then(|f| window(f, d));
        let too_long = file.is_some() && windowed.is_none();
        let (source, base) = match windowed {
            Some((w, base)) => (Some(w), base),
            None => (None, 0),
        };
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
        let finding = Finding {
            d,
            source,
            base,
            title,
        };
        let mut block = String::new();
        if handler.render_report(&mut block, &finding).is_err() {
            block = format!("{}\n", finding.title);
        }
        if finding.source.is_none() {
            if too_long {
                let _ = writeln!(
                    block,
                    "  at {location} (line longer than {MAX_LINE_CHARS} characters: not shown)"
                );
            } else {
                let _ = writeln!(block, "  at {location}");
            }
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
