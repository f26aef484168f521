//! A finding: which rule, where, what breaks for stable, and what to do instead.

use crate::{Position, Severity, SourceFile, Span, StaticRule};
use std::sync::Arc;

/// A secondary label inside the same file as the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// A location elsewhere (another file, stable's source tree) that supports a finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// One finding. Positions are precomputed so reporters need no source text
/// (the human reporter still uses it for the snippet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Rule name (a contract: names never change).
    pub rule: String,
    pub severity: Severity,
    /// What breaks for stable.
    pub message: String,
    /// The safe recipe.
    pub help: Option<String>,
    /// Display path of the file at fault.
    pub file: Arc<str>,
    /// Byte span in that file.
    pub span: Span,
    pub start: Position,
    pub end: Position,
    /// Message of the primary label under the span (defaults to the rule name).
    pub label: Option<String>,
    /// Extra labels in the same file.
    pub labels: Vec<Label>,
    /// Supporting locations, at most a handful.
    pub related: Vec<Related>,
    /// How many supporting locations exist in all (>= `related.len()`).
    pub related_total: usize,
    /// Found by the token scan of a statement the parser rejected.
    pub found_by_scan: bool,
    /// The schema object the finding is about, when it drops or renames one that
    /// stable may still use: searched for in stable's source tree.
    pub subject: Option<Subject>,
}

/// A table, or a column of a table, that a finding drops or renames (name keys as
/// the SQL crate spells them, without the default schema).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subject {
    pub table: String,
    pub column: Option<String>,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "{}.{}", self.table, c),
            None => f.write_str(&self.table),
        }
    }
}

impl Diagnostic {
    /// A finding of `rule` at `span` in `file`, at the rule's default severity.
    pub fn new(
        rule: &StaticRule,
        file: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self::with_rule_name(rule.name, rule.severity, file, span, message)
    }

    /// As [`Diagnostic::new`] for rules known only at run time (config rule packs).
    pub fn with_rule_name(
        rule: &str,
        severity: Severity,
        file: &SourceFile,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        let span = Span::new(
            span.start.min(file.text.len()),
            span.end.min(file.text.len()),
        );
        Diagnostic {
            rule: rule.to_string(),
            severity,
            message: message.into(),
            help: None,
            file: file.path.clone(),
            span,
            start: file.position(span.start),
            end: file.position(span.end),
            label: None,
            labels: Vec::new(),
            related: Vec::new(),
            related_total: 0,
            found_by_scan: false,
            subject: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Marks the table (and column) this finding drops or renames.
    pub fn subject(mut self, table: impl Into<String>, column: Option<String>) -> Self {
        self.subject = Some(Subject {
            table: table.into(),
            column,
        });
        self
    }

    pub fn found_by_scan(mut self) -> Self {
        self.found_by_scan = true;
        self
    }

    /// Adds a related location; keeps at most `max` listed but counts them all.
    pub fn push_related(&mut self, related: Related, max: usize) {
        self.related_total += 1;
        if self.related.len() < max {
            self.related.push(related);
        }
    }

    /// The sort key of the output contract: file, line, column, rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.file,
            self.start.line,
            self.start.column,
            &self.rule,
            &self.message,
        )
    }
}

/// Sorts by file, line, column, rule (then message, so output is byte-stable).
pub fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare_rule;

    declare_rule! {
        /// Test rule.
        const T = { name: "t", family: Compat, severity: Error, summary: "test" };
    }

    #[test]
    fn positions_are_computed_and_spans_clamped() {
        let f = SourceFile::new("x.sql", "select 1;\nDROP TABLE t;");
        let d = Diagnostic::new(&T, &f, Span::new(10, 100), "m");
        assert_eq!(d.start, Position { line: 2, column: 1 });
        assert_eq!(d.span.end, f.text.len());
        assert_eq!(d.severity, Severity::Error);
    }

    #[test]
    fn related_keeps_max_but_counts_all() {
        let f = SourceFile::new("x.sql", "x");
        let mut d = Diagnostic::new(&T, &f, Span::new(0, 1), "m");
        for i in 0..7 {
            let r = Related {
                file: "a".into(),
                line: i,
                column: 1,
                message: "m".into(),
            };
            d.push_related(r, 5);
        }
        assert_eq!((d.related.len(), d.related_total), (5, 7));
    }
}
