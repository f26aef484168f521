//! DDL inside `DO` blocks and function / procedure bodies.
//!
//! The parser is never given these bodies (they are code, see
//! [`crate::parse::ParsedStatement::skipped`]), yet a `DO $$ ... $$` block is a
//! common way to rename or drop conditionally in a migration. The token scan
//! reads each dollar-quoted body, statement by statement, and reports the
//! `ALTER`, `DROP` and `RENAME` statements it finds there; the changes are
//! marked as found by the scan and point at their line inside the body.

use crate::changes::{name_from_parts, skip_object_name, Change, Name, StatementText};
use crate::lex::{ident_value, tokens, Token, TokenKind};
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

/// The tables a routine body (as SQL text, dollar quotes included) inserts into,
/// with the columns each `INSERT INTO t (a, b)` names (`None`: no column list).
pub(crate) fn inserts(text: &str, dialect: Dialect) -> Vec<(Name, Option<Vec<String>>)> {
    let mut out = Vec::new();
    inserts_in(text, Span::new(0, text.len()), dialect, &mut out, 0);
    out
}

fn inserts_in(
    text: &str,
    span: Span,
    dialect: Dialect,
    out: &mut Vec<(Name, Option<Vec<String>>)>,
    depth: usize,
) {
    if depth > 4 {
        return;
    }
    let toks: Vec<Token> = tokens(text, span.start, span.end, dialect)
        .into_iter()
        .filter(|t| !t.is_comment())
        .collect();
    for (i, t) in toks.iter().enumerate() {
        if let Some(inner) = dollar_body(text, t) {
            inserts_in(text, inner, dialect, out, depth + 1);
            continue;
        }
        if !(t.is_word(text, "INSERT") && toks.get(i + 1).is_some_and(|n| n.is_word(text, "INTO")))
        {
            continue;
        }
        let Some((parts, end)) = skip_object_name(text, &toks, i + 2) else {
            continue;
        };
        let name = name_from_parts(text, &toks, i + 2, end, &parts, dialect);
        let mut columns = None;
        if toks.get(end).is_some_and(|x| x.is_punct(text, b'(')) {
            let mut cols = Vec::new();
            let mut j = end + 1;
            while let Some(x) = toks.get(j) {
                if !matches!(x.kind, TokenKind::Word | TokenKind::QuotedIdent) {
                    break;
                }
                let (v, quoted) = ident_value(text, x);
                cols.push(if quoted { v } else { v.to_lowercase() });
                match toks.get(j + 1) {
                    Some(p) if p.is_punct(text, b',') => j += 2,
                    Some(p) if p.is_punct(text, b')') => {
                        columns = Some(cols);
                        break;
                    }
                    _ => break,
                }
            }
        }
        out.push((name, columns));
    }
}

/// The inside of a `$tag$ ... $tag$` string token.
fn dollar_body(text: &str, t: &Token) -> Option<Span> {
    if t.kind != TokenKind::Str {
        return None;
    }
    let s = t.text(text);
    let rest = s.strip_prefix('$')?;
    let tag_len = rest.find('$')? + 2;
    if s.len() < 2 * tag_len {
        return None;
    }
    Some(Span::new(t.start + tag_len, t.end - tag_len))
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
    fn inserts_of_a_trigger_function_body() {
        let t = "$$ BEGIN IF (TG_OP = 'INSERT') THEN INSERT INTO post_aggregates (post_id, \"Creator\") VALUES (NEW.id, 1); END IF; INSERT INTO s.log VALUES (1); RETURN NULL; END $$";
        let found: Vec<(String, Option<Vec<String>>)> = inserts(t, Dialect::Postgres)
            .into_iter()
            .map(|(n, c)| (n.key, c))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "post_aggregates".to_string(),
                    Some(vec!["post_id".to_string(), "Creator".to_string()])
                ),
                ("s.log".to_string(), None),
            ]
        );
    }

    #[test]
    fn plain_statements_have_no_bodies() {
        let t = "CREATE TABLE t (a text DEFAULT '$x')";
        assert!(changes(t, Span::new(0, t.len()), Dialect::Postgres).is_empty());
    }
}
