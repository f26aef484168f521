//! Statement splitting: where one SQL statement ends and the next begins.
//!
//! sqlparser could split a whole file, but one bad statement would then hide every
//! statement after it. Splitting first lets each statement succeed or fail on its
//! own, and keeps every statement's byte span in the original file. The splitter
//! understands what can hide a `;`: strings (standard, `E''` with backslashes,
//! dollar quotes), quoted identifiers, comments, `BEGIN … END` bodies of routines
//! and triggers written without dollar quotes, MySQL `DELIMITER` blocks and goose
//! `StatementBegin`/`StatementEnd` blocks.

use crate::lex::{Lexer, Token, TokenKind};
use crate::Dialect;
use canary_lint_core::Span;

/// One statement as found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawStatement {
    /// From the statement's first token to the end of its last token, without the
    /// terminating `;` or delimiter.
    pub span: Span,
    /// The text between the previous statement's terminator (or the start of the
    /// range) and this statement: the place of its leading comments, such as
    /// `-- canary-lint: ignore` suppressions.
    pub leading: Span,
}

fn is_goose_marker(comment: &str, what: &str) -> bool {
    let rest = comment.trim_start_matches('-').trim_start();
    match rest.strip_prefix("+goose") {
        Some(r) => r.trim().eq_ignore_ascii_case(what),
        None => false,
    }
}

#[derive(Default)]
struct Current {
    start: Option<usize>,
    last_end: usize,
    /// End of the last token that is not `;` (for goose blocks).
    last_non_semi_end: usize,
    tokens: usize,
    first_is_create: bool,
    routine: bool,
    depth: usize,
    after_end: bool,
}

/// Splits `src[range]` into statements.
pub fn split(src: &str, range: Span, dialect: Dialect) -> Vec<RawStatement> {
    split_keeping(src, range, dialect, None)
}

/// [`split`], also handing back every token the lexer cut (comments included),
/// in order: the parser's tokens are made from them instead of lexing each
/// statement again.
pub fn split_with_tokens(
    src: &str,
    range: Span,
    dialect: Dialect,
) -> (Vec<RawStatement>, Vec<Token>) {
    let mut tokens = Vec::with_capacity(range.len() / 4);
    let statements = split_keeping(src, range, dialect, Some(&mut tokens));
    (statements, tokens)
}

fn split_keeping(
    src: &str,
    range: Span,
    dialect: Dialect,
    mut keep: Option<&mut Vec<Token>>,
) -> Vec<RawStatement> {
    let mut out = Vec::new();
    let mut lx = Lexer::new(src, range.start, range.end, dialect);
    let mut leading_start = range.start;
    let mut cur = Current::default();
    let mut goose_block = false;
    let delimiter_allowed = matches!(dialect, Dialect::Mysql | Dialect::Generic);

    let flush =
        |cur: &mut Current, out: &mut Vec<RawStatement>, leading_start: usize, end: usize| {
            if let Some(start) = cur.start {
                out.push(RawStatement {
                    span: Span::new(start, end),
                    leading: Span::new(leading_start, start),
                });
            }
            *cur = Current::default();
        };

    while let Some(tok) = lx.next_token() {
        if let Some(k) = keep.as_deref_mut() {
            k.push(tok);
        }
        if tok.kind == TokenKind::BlockComment && !comment_closed(tok.text(src), dialect) {
            // An unterminated block comment swallows the rest of the file: it becomes
            // (part of) a statement, so the parser reports it instead of it hiding SQL.
            if cur.start.is_none() {
                cur.start = Some(tok.start);
            }
            cur.last_end = tok.end;
            cur.last_non_semi_end = tok.end;
            continue;
        }
        if tok.is_comment() {
            if tok.kind == TokenKind::LineComment {
                let text = tok.text(src);
                if is_goose_marker(text, "StatementBegin") {
                    let end = cur.last_end;
                    if cur.start.is_some() {
                        flush(&mut cur, &mut out, leading_start, end);
                        leading_start = tok.start;
                    }
                    goose_block = true;
                    continue;
                }
                if goose_block && is_goose_marker(text, "StatementEnd") {
                    let end = cur.last_non_semi_end;
                    flush(&mut cur, &mut out, leading_start, end);
                    leading_start = tok.end;
                    goose_block = false;
                    continue;
                }
            }
            continue;
        }
        if cur.start.is_none() {
            if !goose_block && delimiter_allowed && tok.is_word(src, "DELIMITER") {
                let line_end = src[tok.end..range.end]
                    .find('\n')
                    .map_or(range.end, |i| tok.end + i);
                let d = src[tok.end..line_end].trim();
                lx.delimiter = if d.is_empty() || d == ";" {
                    None
                } else {
                    Some(d.to_string())
                };
                lx.pos = line_end;
                leading_start = line_end;
                continue;
            }
            if !goose_block && (tok.kind == TokenKind::Delimiter || tok.is_punct(src, b';')) {
                continue;
            }
            cur.start = Some(tok.start);
            cur.first_is_create = tok.is_word(src, "CREATE");
        }
        if goose_block {
            cur.last_end = tok.end;
            if !tok.is_punct(src, b';') {
                cur.last_non_semi_end = tok.end;
            }
            continue;
        }
        let ends = tok.kind == TokenKind::Delimiter
            || (lx.delimiter.is_none() && cur.depth == 0 && tok.is_punct(src, b';'));
        if ends {
            let end = cur.last_end;
            flush(&mut cur, &mut out, leading_start, end);
            leading_start = tok.end;
            continue;
        }
        track_routine(src, &tok, &mut cur);
        cur.last_end = tok.end;
        cur.last_non_semi_end = tok.end;
    }
    let end = if goose_block {
        cur.last_non_semi_end
    } else {
        cur.last_end
    };
    flush(&mut cur, &mut out, leading_start, end);
    out
}

/// Whether a block comment's text ends it (`*/` at depth 0; Postgres nests them).
fn comment_closed(text: &str, dialect: Dialect) -> bool {
    let b = text.as_bytes();
    let nested = dialect == Dialect::Postgres;
    let (mut depth, mut i) = (0usize, 0usize);
    while i + 1 < b.len() {
        if b[i] == b'/' && b[i + 1] == b'*' {
            if depth == 0 || nested {
                depth += 1;
            }
            i += 2;
        } else if b[i] == b'*' && b[i + 1] == b'/' {
            depth = depth.saturating_sub(1);
            i += 2;
            if depth == 0 {
                return i == b.len();
            }
        } else {
            i += 1;
        }
    }
    false
}

/// Tracks `BEGIN … END` nesting inside `CREATE FUNCTION/PROCEDURE/TRIGGER/EVENT`,
/// so that the `;` inside such a body does not end the statement.
fn track_routine(src: &str, tok: &Token, cur: &mut Current) {
    cur.tokens += 1;
    if tok.kind != TokenKind::Word {
        cur.after_end = false;
        return;
    }
    let w = tok.text(src);
    if cur.first_is_create && !cur.routine && cur.tokens <= 14 {
        for kw in ["FUNCTION", "PROCEDURE", "TRIGGER", "EVENT"] {
            if w.eq_ignore_ascii_case(kw) {
                cur.routine = true;
            }
        }
        return;
    }
    if !cur.routine {
        return;
    }
    if cur.after_end {
        cur.after_end = false;
        if ["IF", "LOOP", "WHILE", "REPEAT", "CASE"]
            .iter()
            .any(|k| w.eq_ignore_ascii_case(k))
        {
            return;
        }
    }
    if w.eq_ignore_ascii_case("BEGIN") || w.eq_ignore_ascii_case("CASE") {
        cur.depth += 1;
    } else if w.eq_ignore_ascii_case("END") {
        cur.depth = cur.depth.saturating_sub(1);
        cur.after_end = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str, d: Dialect) -> Vec<&str> {
        split(src, Span::new(0, src.len()), d)
            .iter()
            .map(|s| &src[s.span.start..s.span.end])
            .collect()
    }

    #[test]
    fn splits_on_semicolons_outside_strings_and_comments() {
        let src = "-- a;\nCREATE TABLE t (a text default 'x;y');\n/* ; */ DROP TABLE \"a;b\";\n\nselect $$;$$";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec![
                "CREATE TABLE t (a text default 'x;y')",
                "DROP TABLE \"a;b\"",
                "select $$;$$"
            ]
        );
    }

    #[test]
    fn leading_span_holds_comments_before_the_statement() {
        let src = "select 1;\n-- canary-lint: ignore drop-table -- ok\nDROP TABLE t;";
        let s = split(src, Span::new(0, src.len()), Dialect::Postgres);
        assert_eq!(s.len(), 2);
        assert!(
            src[s[1].leading.start..s[1].leading.end].contains("canary-lint: ignore drop-table")
        );
        assert_eq!(s[0].leading, Span::new(0, 0));
    }

    #[test]
    fn sqlite_trigger_body_is_one_statement() {
        let src = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  UPDATE t SET a = 1;\n  DELETE FROM u;\nEND;\nDROP TABLE x;";
        let t = texts(src, Dialect::Sqlite);
        assert_eq!(t.len(), 2);
        assert!(t[0].ends_with("END"));
        assert_eq!(t[1], "DROP TABLE x");
    }

    #[test]
    fn mysql_delimiter_blocks() {
        let src = "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; IF x THEN SELECT 2; END IF; END//\nDELIMITER ;\nDROP TABLE y;";
        let t = texts(src, Dialect::Mysql);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t[0].starts_with("CREATE PROCEDURE") && t[0].ends_with("END"));
        assert_eq!(t[1], "DROP TABLE y");
    }

    #[test]
    fn mysql_procedure_without_delimiter_uses_begin_end() {
        let src = "CREATE PROCEDURE p() BEGIN SELECT 1; CASE WHEN 1 THEN SELECT 2; END CASE; END;\nSELECT 3;";
        assert_eq!(texts(src, Dialect::Mysql).len(), 2);
    }

    #[test]
    fn goose_statement_blocks_are_one_statement() {
        let src = "-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS 'select 1; select 2' LANGUAGE sql;\nSELECT 1;\n-- +goose StatementEnd\nDROP TABLE z;";
        let t = texts(src, Dialect::Postgres);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t[0].ends_with("SELECT 1"));
        assert_eq!(t[1], "DROP TABLE z");
    }

    #[test]
    fn respects_the_byte_range() {
        let src = "DROP TABLE a;\nDROP TABLE b;\nDROP TABLE c;";
        let s = split(src, Span::new(14, 28), Dialect::Postgres);
        assert_eq!(s.len(), 1);
        assert_eq!(&src[s[0].span.start..s[0].span.end], "DROP TABLE b");
    }
}
