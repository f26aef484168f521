//! Where a secret found in SQL text may be masked: only inside one string literal
//! or one comment.
//!
//! Secrets are masked in a migration's text before it is parsed, so that no
//! snippet, message or output format can show them. The patterns that find them
//! (`PASSWORD '...'`, `IDENTIFIED BY '...'`, token shapes) are text patterns: on
//! their own they cannot tell an opening quote from a closing one, and a `'top
//! secret'` followed later by another literal would make them take the SQL
//! between the two literals for a password. Masking that would hide statements
//! from the parser (a `DROP` turned into stars passes unchecked). Masking inside a
//! literal or a comment never changes what the statement does to the schema, so
//! every range is kept only when this lexer (the one the splitter uses) puts it
//! inside a single string literal or comment.

use crate::lex::{tokens, Lexer, Token, TokenKind};
use crate::Dialect;
use std::ops::Range;

/// Whether `text` holds `word` (lower-case ASCII) in any case.
fn contains_ci(text: &[u8], word: &[u8]) -> bool {
    let (lo, up) = (word[0], word[0].to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, text).any(|i| {
        text.get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    })
}

/// The inside of a string token (between its quotes; after the `E`/`N` prefix
/// and inside `$tag$` quotes), when `t` is a string in this dialect.
fn string_inside(text: &str, t: &Token, dialect: Dialect) -> Option<Range<usize>> {
    let s = t.text(text);
    let is_string = t.kind == TokenKind::Str
        || (t.kind == TokenKind::QuotedIdent && dialect == Dialect::Mysql && s.starts_with('"'));
    if !is_string {
        return None;
    }
    if let Some(rest) = s.strip_prefix('$') {
        let tag = rest.find('$')? + 2;
        return (s.len() >= 2 * tag).then(|| t.start + tag..t.end - tag);
    }
    let open = s.find(['\'', '"'])? + 1;
    (s.len() > open).then(|| t.start + open..t.end - 1)
}

/// The literals that hold a password or secret by the SQL around them: `PASSWORD
/// '..'` (also `PASSWORD = '..'`, `WITH PASSWORD`), `IDENTIFIED BY '..'`,
/// `IDENTIFIED WITH plugin BY|AS '..'`, `SECRET '..'`. Read from this crate's
/// tokens, so a keyword inside a string or a comment never counts; each range is
/// the inside of one literal.
pub fn keyword_literals(text: &str, dialect: Dialect) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    if !(contains_ci(b, b"password") || contains_ci(b, b"identified") || contains_ci(b, b"secret"))
    {
        return Vec::new();
    }
    let toks = tokens(text, 0, text.len(), dialect);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let word = |j: usize, kw: &str| toks.get(j).is_some_and(|x| x.is_word(text, kw));
        // The literal comes right after the keyword (or its `=`).
        let introduces = t.is_word(text, "password")
            || t.is_word(text, "secret")
            || (t.is_word(text, "by") && i > 0 && word(i - 1, "identified"))
            || ((t.is_word(text, "by") || t.is_word(text, "as"))
                && i > 2
                && word(i - 3, "identified")
                && word(i - 2, "with"));
        let after = introduces.then_some(i);
        let Some(mut j) = after.map(|a| a + 1) else {
            continue;
        };
        if toks.get(j).is_some_and(|x| x.is_punct(text, b'=')) {
            j += 1;
        }
        if let Some(r) = toks.get(j).and_then(|x| string_inside(text, x, dialect)) {
            if r.start < r.end {
                out.push(r);
            }
        }
    }
    out
}

/// The ranges of `ranges` (sorted by start) that lie inside one string literal
/// (between its quotes) or one comment of `text`; the others are dropped.
pub fn confine_to_literals(
    text: &str,
    dialect: Dialect,
    mut ranges: Vec<Range<usize>>,
) -> Vec<Range<usize>> {
    if ranges.is_empty() {
        return ranges;
    }
    ranges.sort_by_key(|r| r.start);
    let mut lx = Lexer::new(text, 0, text.len(), dialect);
    let mut out = Vec::with_capacity(ranges.len());
    let mut pending = ranges.into_iter().peekable();
    while let Some(t) = lx.next_token() {
        // Ranges that start before this token are not inside any later one.
        while pending.peek().is_some_and(|r| r.start < t.start) {
            pending.next();
        }
        let (inner_start, inner_end) = match t.kind {
            TokenKind::Str => (t.start + 1, t.end.saturating_sub(1)),
            // MySQL reads `"x"` as a string unless ANSI_QUOTES is set.
            TokenKind::QuotedIdent
                if dialect == Dialect::Mysql && text.as_bytes().get(t.start) == Some(&b'"') =>
            {
                (t.start + 1, t.end.saturating_sub(1))
            }
            TokenKind::LineComment | TokenKind::BlockComment => (t.start, t.end),
            _ => continue,
        };
        while let Some(r) = pending.peek() {
            if r.start >= t.end {
                break;
            }
            if r.start >= inner_start && r.end <= inner_end {
                out.push(r.clone());
            }
            pending.next();
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn keep(text: &str, needle: &str) -> bool {
        let at = text.find(needle).unwrap_or(0);
        !confine_to_literals(text, Dialect::Postgres, vec![at..at + needle.len()]).is_empty()
    }

    #[test]
    fn inside_a_literal_or_comment_is_kept() {
        assert!(keep("CREATE ROLE app PASSWORD 'hunter22';", "hunter22"));
        assert!(keep("-- password hunter22\nSELECT 1;", "hunter22"));
        assert!(keep("SELECT $$ a hunter22 b $$;", "hunter22"));
    }

    #[test]
    fn code_between_two_literals_is_never_masked() {
        let sql = "UPDATE users SET note = 'top secret' WHERE id = 1;\nALTER TABLE users DROP COLUMN note;\nUPDATE users SET note = 'x';";
        let from = sql.find("' WHERE").unwrap() + 1;
        let to = sql.rfind("'x'").unwrap() + 1;
        assert!(confine_to_literals(sql, Dialect::Postgres, vec![from..to]).is_empty());
        assert!(!keep(sql, "users DROP"));
    }

    #[test]
    fn passwords_are_found_by_their_keywords_outside_literals() {
        let sql = "UPDATE t SET a = 'top secret' WHERE id = 1;\nCREATE ROLE app WITH PASSWORD 'pw-1';\nALTER USER u PASSWORD = E'pw-2';\nSELECT 'password', 'not-this';\n-- password 'nor-this'\nCREATE USER m IDENTIFIED WITH caching_sha2_password BY 'pw-3';\nDO $$ BEGIN END $$;\nALTER ROLE r PASSWORD $q$pw-4$q$;";
        let found: Vec<&str> = keyword_literals(sql, Dialect::Postgres)
            .into_iter()
            .map(|r| &sql[r])
            .collect();
        assert_eq!(found, ["pw-1", "pw-2", "pw-3", "pw-4"]);
        let my = "CREATE USER u IDENTIFIED BY \"pw-5\";";
        let found: Vec<&str> = keyword_literals(my, Dialect::Mysql)
            .into_iter()
            .map(|r| &my[r])
            .collect();
        assert_eq!(found, ["pw-5"]);
    }

    #[test]
    fn mysql_double_quotes_are_strings() {
        let sql = "CREATE USER u IDENTIFIED BY \"hunter22\";";
        let at = sql.find("hunter22").unwrap();
        assert_eq!(
            confine_to_literals(sql, Dialect::Mysql, vec![at..at + 8]).len(),
            1
        );
        assert!(confine_to_literals(sql, Dialect::Postgres, vec![at..at + 8]).is_empty());
    }
}
