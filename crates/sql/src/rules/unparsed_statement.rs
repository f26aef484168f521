//! unparsed-statement: the parser rejected a statement.

use crate::lex::Lexer;
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic, SourceFile, Span};

declare_rule! {
    /// ## What it does
    /// Reports each statement that the SQL parser of the selected dialect could
    /// not read, with the parser's message. canary-lint then runs a token scan
    /// over the statement and still reports drops, renames, type changes and new
    /// required columns inside it under their own rules, marked as found by the
    /// scan.
    ///
    /// ## Why it matters
    /// A checker that skips what it cannot read passes dangerous migrations in
    /// silence. The scan is coarser than the parser, so a hazard it cannot
    /// recognise may still hide in this statement.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users DROP COLUMN email, ALGORITHM=WHATEVER;
    /// ```
    ///
    /// ## Use instead
    /// Check that `--dialect` matches the database. If it does, review the
    /// statement by hand, and suppress this finding with a reason:
    /// `-- canary-lint: ignore unparsed-statement -- reviewed: vendor syntax`.
    pub const UNPARSED_STATEMENT = {
        name: "unparsed-statement",
        family: Parse,
        severity: Warning,
        summary: "the SQL parser rejected a statement; only a token scan checked it"
    };
}

/// The finding for a rejected statement: at the token where the parser stopped,
/// or at the statement's first line when it ran out of input.
pub(crate) fn report(
    file: &SourceFile,
    stmt: Span,
    error_at: Option<usize>,
    message: &str,
    dialect: Dialect,
) -> Diagnostic {
    let text = &file.text[stmt.start..stmt.end];
    let first_line = Span::new(
        stmt.start,
        stmt.start + text.find('\n').unwrap_or(text.len()),
    );
    let (span, label) = match error_at {
        Some(at) if at >= stmt.start && at < stmt.end => {
            let tok = Lexer::new(&file.text, at, stmt.end, dialect).next_token();
            (
                tok.map_or(Span::new(at, at), |t| Span::new(t.start, t.end)),
                "the parser stopped here",
            )
        }
        _ => (first_line, "statement not parsed"),
    };
    Diagnostic::new(
        &UNPARSED_STATEMENT,
        file,
        span,
        format!(
            "the {} parser could not read this statement ({message}); only a token scan checked it",
            dialect.as_str()
        ),
    )
    .label(label)
    .help("check that --dialect matches your database; if it does, review this statement by hand")
}
