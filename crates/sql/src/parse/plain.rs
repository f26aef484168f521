//! Statements known to parse whose syntax tree nothing reads, recognised from
//! their tokens without sqlparser.
//!
//! [`super::parse_file_checked`] gives every statement to the parser so that each
//! one it rejects is reported, then drops the trees no rule and not the schema
//! model reads (an `INSERT .. VALUES` of literals; a `SET` of a setting). Seed
//! migrations are mostly such rows: parsing them was a third of the parse of the
//! benchmark's generated folders. A statement read here is one sqlparser accepts
//! for every dialect and whose tree would be dropped, so it is kept as skipped
//! without parsing: the same record the parse would have left. Anything outside
//! the narrow grammars below (a comment, an expression, a keyword where a name
//! goes, a backslash in a string, an unusual blank) goes to the parser as before.
//!
//! ```text
//! INSERT INTO name [ ( column {, column} ) ] VALUES row {, row}
//!     name   = identifier [ . identifier ]   (no keyword unless quoted)
//!     row    = ( value {, value} )
//!     value  = [-] digits [ . digits ] | 'string' | NULL | TRUE | FALSE
//! SET [ SESSION | LOCAL ] name ( = | TO ) value-or-identifier   (not T-SQL)
//! ```
//!
//! The test `plain_statements_parse_and_their_trees_are_unused` checks, on
//! generated statements in every dialect, that each one read here is accepted by
//! sqlparser and has a tree the checked parse drops.

use crate::lex::{Lexer, Token, TokenKind};
use crate::Dialect;
use canary_lint_core::Span;
use sqlparser::keywords::Keyword;

/// One token as the grammars see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    /// An unquoted ASCII word (`[A-Za-z_][A-Za-z0-9_]*`).
    Word(&'a str),
    /// A closed, non-empty quoted identifier without quotes inside.
    Quoted,
    /// A closed `'...'` string without backslashes.
    Str,
    /// `digits [. digits]`.
    Num,
    Punct(u8),
    End,
    /// Anything else: the statement goes to the parser.
    Other,
}

/// The statement's tokens: the splitter's when the caller has them, else lexed.
enum Tokens<'a> {
    Cut(std::slice::Iter<'a, Token>),
    Lexer(Lexer<'a>),
}

struct Reader<'a> {
    text: &'a str,
    lx: Tokens<'a>,
    dialect: Dialect,
    /// Where the previous token ended: the blanks between tokens are checked.
    at: usize,
    end: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, span: Span, dialect: Dialect, cut: Option<&'a [Token]>) -> Self {
        Reader {
            text,
            lx: match cut {
                Some(c) => Tokens::Cut(c.iter()),
                None => Tokens::Lexer(Lexer::new(text, span.start, span.end, dialect)),
            },
            dialect,
            at: span.start,
            end: span.end,
        }
    }

    fn blanks_only(&self, to: usize) -> bool {
        self.text.as_bytes()[self.at..to]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    }

    fn next(&mut self) -> Tok<'a> {
        let next = match &mut self.lx {
            Tokens::Cut(it) => it.next().copied(),
            Tokens::Lexer(lx) => lx.next_token(),
        };
        let Some(t) = next else {
            return if self.blanks_only(self.end) {
                Tok::End
            } else {
                Tok::Other
            };
        };
        if !self.blanks_only(t.start) {
            return Tok::Other;
        }
        self.at = t.end;
        let s = &self.text[t.start..t.end];
        let b = s.as_bytes();
        match t.kind {
            TokenKind::Word
                if (b[0].is_ascii_alphabetic() || b[0] == b'_')
                    && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') =>
            {
                Tok::Word(s)
            }
            TokenKind::QuotedIdent => {
                let q = b[0];
                let quotes = match self.dialect {
                    Dialect::Mysql => q == b'`',
                    Dialect::Sqlite => q == b'"' || q == b'`',
                    _ => q == b'"',
                };
                let inner = &b[1..];
                let closed = inner.len() >= 2
                    && inner[inner.len() - 1] == q
                    && !inner[..inner.len() - 1].contains(&q);
                if quotes && closed {
                    Tok::Quoted
                } else {
                    Tok::Other
                }
            }
            TokenKind::Str if b[0] == b'\'' && !b.contains(&b'\\') && closed_string(b) => Tok::Str,
            TokenKind::Number => {
                let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
                let ok = match s.split_once('.') {
                    Some((i, f)) => digits(i.as_bytes()) && digits(f.as_bytes()),
                    None => digits(b),
                };
                if ok {
                    Tok::Num
                } else {
                    Tok::Other
                }
            }
            TokenKind::Punct
                if b.len() == 1 && matches!(b[0], b'(' | b')' | b',' | b'.' | b'-' | b'=') =>
            {
                Tok::Punct(b[0])
            }
            _ => Tok::Other,
        }
    }
}

/// A `'...'` token that ends at its closing quote (a doubled quote stands for
/// itself). Also read by the view reader.
pub(super) fn closed_string(b: &[u8]) -> bool {
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'\'' {
            if i + 1 == b.len() {
                return true;
            }
            if b[i + 1] != b'\'' {
                return false;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

fn is_kw(t: Tok<'_>, kw: &str) -> bool {
    matches!(t, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
}

/// A name part where sqlparser cannot take it for a keyword.
fn is_name(t: Tok<'_>) -> bool {
    match t {
        Tok::Word(w) => crate::sqltokens::keyword(w) == Keyword::NoKeyword,
        Tok::Quoted => true,
        _ => false,
    }
}

/// A literal value of a `VALUES` row; `t` is its first token.
fn value(r: &mut Reader<'_>, t: Tok<'_>) -> bool {
    match t {
        Tok::Num | Tok::Str => true,
        Tok::Punct(b'-') => r.next() == Tok::Num,
        w => is_kw(w, "NULL") || is_kw(w, "TRUE") || is_kw(w, "FALSE"),
    }
}

/// `[name .] name`; returns the token after it.
fn object_name<'a>(r: &mut Reader<'a>) -> Option<Tok<'a>> {
    if !is_name(r.next()) {
        return None;
    }
    let mut t = r.next();
    if t == Tok::Punct(b'.') {
        if !is_name(r.next()) {
            return None;
        }
        t = r.next();
    }
    Some(t)
}

fn insert_values(r: &mut Reader<'_>) -> bool {
    if !is_kw(r.next(), "INTO") {
        return false;
    }
    let Some(mut t) = object_name(r) else {
        return false;
    };
    if t == Tok::Punct(b'(') {
        loop {
            match r.next() {
                // `(SELECT` opens a query; every other keyword is a column name
                // there (`every_keyword_but_select_is_a_column_name`).
                Tok::Word(w) if !w.eq_ignore_ascii_case("SELECT") => {}
                Tok::Quoted => {}
                _ => return false,
            }
            match r.next() {
                Tok::Punct(b',') => {}
                Tok::Punct(b')') => break,
                _ => return false,
            }
        }
        t = r.next();
    }
    if !is_kw(t, "VALUES") {
        return false;
    }
    loop {
        if r.next() != Tok::Punct(b'(') {
            return false;
        }
        loop {
            let first = r.next();
            if !value(r, first) {
                return false;
            }
            match r.next() {
                Tok::Punct(b',') => {}
                Tok::Punct(b')') => break,
                _ => return false,
            }
        }
        match r.next() {
            Tok::Punct(b',') => {}
            Tok::End => return true,
            _ => return false,
        }
    }
}

fn set_setting(r: &mut Reader<'_>) -> bool {
    if r.dialect == Dialect::Mssql {
        return false;
    }
    let mut t = r.next();
    if is_kw(t, "SESSION") || is_kw(t, "LOCAL") {
        t = r.next();
    }
    if !matches!(t, Tok::Word(w) if crate::sqltokens::keyword(w) == Keyword::NoKeyword) {
        return false;
    }
    let mut t = r.next();
    if t == Tok::Punct(b'.') {
        if !matches!(r.next(), Tok::Word(w) if crate::sqltokens::keyword(w) == Keyword::NoKeyword) {
            return false;
        }
        t = r.next();
    }
    if !(t == Tok::Punct(b'=') || is_kw(t, "TO")) {
        return false;
    }
    let v = r.next();
    let v_ok = match v {
        Tok::Word(w) => crate::sqltokens::keyword(w) == Keyword::NoKeyword,
        other => value(r, other) && !is_kw(other, "NULL"),
    };
    v_ok && r.next() == Tok::End
}

/// Whether the statement at `span` is one of the grammars above: sqlparser
/// accepts it and [`super::parse_file_checked`] would drop its tree. `cut`: the
/// splitter's tokens that start inside the statement, when the caller has them
/// (the same tokens the lexer cuts from the statement alone, but for a MySQL
/// delimiter, which no grammar here reads).
pub(super) fn is_plain_data(
    text: &str,
    span: Span,
    dialect: Dialect,
    cut: Option<&[Token]>,
) -> bool {
    let first = text.as_bytes().get(span.start).map(u8::to_ascii_uppercase);
    if !matches!(first, Some(b'I' | b'S')) {
        return false;
    }
    let mut r = Reader::new(text, span, dialect, cut);
    match r.next() {
        w if is_kw(w, "INSERT") => insert_values(&mut r),
        w if is_kw(w, "SET") => set_setting(&mut r),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn plain(sql: &str, d: Dialect) -> bool {
        let whole = Span::new(0, sql.len());
        let alone = is_plain_data(sql, whole, d, None);
        // The splitter's tokens read the same.
        let (statements, cut) = crate::split::split_with_tokens(sql, whole, d);
        if let [one] = statements.as_slice() {
            if one.span == whole {
                assert_eq!(
                    is_plain_data(sql, whole, d, Some(&cut)),
                    alone,
                    "{d:?}: {sql}"
                );
            }
        }
        alone
    }

    #[test]
    fn seed_rows_and_settings_are_read() {
        for d in Dialect::ALL {
            assert!(plain("INSERT INTO t (a, b) VALUES (1, 'x'), (-2, NULL)", d));
            assert!(plain("insert into s.t values ('it''s', 1.5, TRUE)", d));
        }
        assert!(plain("SET lock_timeout = '5s'", Dialect::Postgres));
        assert!(plain("SET search_path TO app", Dialect::Postgres));
        assert!(!plain("SET lock_timeout = '5s'", Dialect::Mssql));
    }

    #[test]
    fn anything_else_goes_to_the_parser() {
        for sql in [
            "INSERT INTO t VALUES (1,)",
            "INSERT INTO t VALUES (1) (2)",
            "INSERT INTO t VALUES ('open)",
            "INSERT INTO t VALUES (now())",
            "INSERT INTO t VALUES (1) RETURNING id",
            "INSERT INTO t SELECT * FROM u",
            "INSERT INTO t VALUES (1) -- note",
            "INSERT INTO t VALUES (1e5)",
            "INSERT INTO t VALUES (E'x')",
            "INSERT INTO t VALUES ('a\\'b')",
            "INSERT INTO table VALUES (1)",
            "INSERT INTO t VALUES ()",
            "INSERT INTO t VALUES (1)\u{c}",
            "SET x = NULL",
            "SET TIME ZONE 'UTC'",
            "SELECT 1",
        ] {
            assert!(!plain(sql, Dialect::Postgres), "{sql}");
        }
    }

    #[test]
    fn every_keyword_but_select_is_a_column_name() {
        for kw in sqlparser::keywords::ALL_KEYWORDS {
            let ascii = kw.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
            if !ascii || kw.eq_ignore_ascii_case("SELECT") {
                continue;
            }
            for d in Dialect::ALL {
                for sql in [
                    format!("INSERT INTO t ({kw}) VALUES (1)"),
                    format!("INSERT INTO t ({kw}, a) VALUES (1, 2)"),
                    format!("INSERT INTO t (a, {kw}, b) VALUES (1, 2, 3)"),
                    format!("INSERT INTO t (a, {kw}) VALUES (1, 2)"),
                ] {
                    assert!(plain(&sql, d), "{d:?}: {sql}");
                    let parsed = super::super::parse_sql(&sql, d, &*d.sqlparser());
                    assert!(parsed.is_ok_and(|s| s.len() == 1), "{d:?}: {sql}");
                }
            }
        }
    }

    /// A small deterministic generator (xorshift) of statements near the
    /// grammars: each one read here must parse, and its tree must be one the
    /// checked parse drops.
    #[test]
    fn plain_statements_parse_and_their_trees_are_unused() {
        const PARTS: &[&str] = &[
            "INSERT",
            "INTO",
            "t",
            "s",
            ".",
            "\"q\"",
            "`b`",
            "[x]",
            "(",
            ")",
            ",",
            "VALUES",
            "1",
            "-",
            "2.5",
            "1.",
            "'x'",
            "'it''s'",
            "'a\\'b'",
            "'",
            "NULL",
            "TRUE",
            "FALSE",
            "name",
            "value",
            "default",
            "select",
            "table",
            "key",
            "--c\n",
            "/*c*/",
            "SET",
            "SESSION",
            "LOCAL",
            "=",
            "TO",
            "DEFAULT",
            "1e5",
            "E'x'",
            "$$x$$",
            ";",
            "RETURNING",
            "lock_timeout",
            "search_path",
            "on",
            "\u{c}",
            "é",
            "x$",
            "_a",
            "#",
            "\t",
            "\n",
            "N'x'",
            "0x1F",
            "1_000",
        ];
        let mut rnd = crate::parse::test_rng(0x2545_f491_4f6c_dd1du64);
        let templates: &[&[&str]] = &[
            &[
                "INSERT", "INTO", "N", "(", "C", ",", "C", ")", "VALUES", "(", "V", ",", "V", ")",
            ],
            &[
                "INSERT", "INTO", "N", ".", "N", "VALUES", "(", "V", ")", ",", "(", "V", ")",
            ],
            &["SET", "N", "=", "V"],
            &["SET", "LOCAL", "N", "TO", "V"],
        ];
        let mut accepted = [0usize; 5];
        for round in 0..12_000 {
            let tpl = templates[round % templates.len()];
            let mut words: Vec<String> = Vec::new();
            for w in tpl.iter() {
                let pick = match *w {
                    "N" => ["t", "s", "\"q\"", "`b`", "[x]", "table", "lock_timeout"][rnd(7)],
                    "C" => [
                        "a", "name", "value", "default", "select", "key", "\"q\"", "`b`",
                    ][rnd(8)],
                    "V" => [
                        "1", "2.5", "'x'", "'it''s'", "NULL", "TRUE", "-", "app", "on",
                    ][rnd(9)],
                    other => other,
                };
                words.push(pick.to_string());
                if pick == "-" {
                    words.push("1".to_string());
                }
            }
            // Mutations: a random part replaced, inserted or removed.
            for _ in 0..rnd(3) {
                let at = rnd(words.len() + 1);
                match rnd(3) {
                    0 if at < words.len() => words[at] = PARTS[rnd(PARTS.len())].to_string(),
                    1 => words.insert(at, PARTS[rnd(PARTS.len())].to_string()),
                    _ if at < words.len() && words.len() > 2 => {
                        words.remove(at);
                    }
                    _ => {}
                }
            }
            let glue = [" ", "", "\n", "  "][rnd(4)];
            let sql = words.join(if rnd(4) == 0 { glue } else { " " });
            for (di, d) in Dialect::ALL.into_iter().enumerate() {
                if !plain(&sql, d) {
                    continue;
                }
                accepted[di] += 1;
                let parsed = super::super::parse_sql(&sql, d, &*d.sqlparser());
                let Ok(stmts) = parsed else {
                    panic!("{d:?}: read as plain, rejected by the parser: {sql}\n{parsed:?}")
                };
                assert_eq!(stmts.len(), 1, "{d:?}: {sql}");
                assert!(
                    super::super::tree_unused(&stmts[0], &sql, Span::new(0, sql.len()), d),
                    "{d:?}: tree kept: {sql}"
                );
                // sqlparser's own tokenizer accepts it too.
                assert!(
                    sqlparser::parser::Parser::new(&*d.sqlparser())
                        .try_with_sql(&sql)
                        .and_then(|mut p| p.parse_statements())
                        .is_ok(),
                    "{d:?}: {sql}"
                );
            }
        }
        assert!(accepted.iter().all(|&n| n > 300), "{accepted:?}");
    }
}
