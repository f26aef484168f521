//! DDL inside `DO` blocks and function / procedure bodies.
//!
//! The parser is never given these bodies (they are code, see
//! [`crate::parse::ParsedStatement::is_skipped`]), yet a `DO $$ ... $$` block is a
//! common way to rename or drop conditionally in a migration. The token scan
//! reads each dollar-quoted body, statement by statement, and reports the
//! `ALTER`, `DROP` and `RENAME` statements it finds there; the changes are
//! marked as found by the scan and point at their line inside the body.

use crate::changes::{Change, StatementText};
use crate::lex::{dollar_body, tokens, Token, TokenKind};
use crate::Dialect;
use canary_lint_core::Span;

/// Words after `ALTER` / `DROP` that make a schema change.
const OBJECTS: &[&str] = &["TABLE", "VIEW", "INDEX", "TYPE", "COLUMN", "MATERIALIZED"];

/// The changes inside the dollar-quoted bodies of a `DO` block or a `CREATE
/// FUNCTION` / `CREATE PROCEDURE` statement at `span` (nothing for any other
/// statement).
pub fn changes(text: &str, span: Span, dialect: Dialect) -> Vec<Change> {
    if dialect != Dialect::Postgres && dialect != Dialect::Generic {
        return Vec::new();
    }
    let s = &text[span.start..span.end];
    if !s.contains('$') {
        return Vec::new();
    }
    let first: String = s
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .map(|b| b.to_ascii_uppercase() as char)
        .collect();
    if first != "DO" && first != "CREATE" {
        return Vec::new();
    }
    let toks = tokens(text, span.start, span.end, dialect);
    if first == "CREATE" {
        let routine = toks
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .take(8)
            .any(|t| t.is_word(text, "FUNCTION") || t.is_word(text, "PROCEDURE"));
        if !routine {
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for t in &toks {
        if let Some(body) = dollar_body(text, t) {
            scan_body(text, body, dialect, &mut out, 0);
        }
    }
    out
}

fn scan_body(text: &str, body: Span, dialect: Dialect, out: &mut Vec<Change>, depth: usize) {
    if depth > 4 {
        return;
    }
    for raw in crate::split::split(text, body, dialect) {
        let toks = tokens(text, raw.span.start, raw.span.end, dialect);
        let words: Vec<&Token> = toks.iter().filter(|t| !t.is_comment()).collect();
        for (i, t) in words.iter().enumerate() {
            if let Some(inner) = dollar_body(text, t) {
                scan_body(text, inner, dialect, out, depth + 1);
                continue;
            }
            if t.kind != TokenKind::Word {
                continue;
            }
            let next_is = |kws: &[&str]| {
                words
                    .get(i + 1)
                    .is_some_and(|n| kws.iter().any(|k| n.is_word(text, k)))
            };
            let ddl = ((t.is_word(text, "ALTER") || t.is_word(text, "DROP")) && next_is(OBJECTS))
                || (t.is_word(text, "RENAME") && next_is(&["TABLE"]));
            if ddl {
                let st = StatementText::new(text, Span::new(t.start, raw.span.end), dialect);
                out.extend(crate::scan::scan(&st).into_iter().map(|mut c| {
                    c.by_scan = true;
                    c
                }));
                break;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::changes::ChangeKind;

    #[test]
    fn rename_inside_do_block() {
        let t = "DO $$\nBEGIN\n  IF EXISTS (SELECT 1) THEN\n    ALTER TABLE users RENAME COLUMN name TO full_name;\n  END IF;\nEND\n$$";
        let c = changes(t, Span::new(0, t.len()), Dialect::Postgres);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(
            matches!(c[0].kind, ChangeKind::RenameColumn { .. }),
            "{c:?}"
        );
        assert!(c[0].by_scan);
        assert!(c[0].clause.start >= t.find("ALTER").unwrap());
    }

    #[test]
    fn plain_statements_have_no_bodies() {
        let t = "CREATE TABLE t (a text DEFAULT '$x')";
        assert!(changes(t, Span::new(0, t.len()), Dialect::Postgres).is_empty());
    }
}
