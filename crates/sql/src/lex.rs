//! A small SQL lexer shared by the splitter and the token scan.
//!
//! It only needs to know where strings, quoted identifiers and comments start and
//! end, so that a `;` or `DROP` inside them is never mistaken for SQL. It works on
//! bytes of the original file and every token keeps its byte span there.

use crate::Dialect;
use canary_lint_core::Span;

/// What a token is; just enough for splitting and scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Keyword or unquoted identifier.
    Word,
    /// `"x"`, `` `x` `` or `[x]` (T-SQL, SQLite).
    QuotedIdent,
    /// `'x'`, `E'x'`, `$tag$x$tag$`, MySQL `"x"` is lexed as [`TokenKind::QuotedIdent`].
    Str,
    Number,
    /// Any other single character (`;`, `(`, `,` ...).
    Punct,
    LineComment,
    BlockComment,
    /// The current custom delimiter of a MySQL `DELIMITER` block.
    Delimiter,
}

/// One token with its byte span in the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }

    pub fn is_comment(&self) -> bool {
        matches!(self.kind, TokenKind::LineComment | TokenKind::BlockComment)
    }

    /// Case-insensitive keyword test.
    pub fn is_word(&self, src: &str, kw: &str) -> bool {
        self.kind == TokenKind::Word && src[self.start..self.end].eq_ignore_ascii_case(kw)
    }

    pub fn is_punct(&self, src: &str, c: u8) -> bool {
        self.kind == TokenKind::Punct && src.as_bytes()[self.start] == c
    }
}

/// A lexer over `src[pos..end]`.
#[derive(Debug)]
pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pub pos: usize,
    end: usize,
    dialect: Dialect,
    /// A custom delimiter set by MySQL `DELIMITER`, if any (never `;`).
    pub delimiter: Option<String>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// Bytes that continue a word, as a table: the splitter's hottest test.
static IDENT_CHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
        i += 1;
    }
    t
};

fn is_ident_char(b: u8) -> bool {
    IDENT_CHAR[b as usize]
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str, start: usize, end: usize, dialect: Dialect) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: start,
            end: end.min(src.len()),
            dialect,
            delimiter: None,
        }
    }

    fn peek(&self, at: usize) -> u8 {
        if at < self.end {
            self.bytes[at]
        } else {
            0
        }
    }

    /// Skips whitespace; returns the next token, or `None` at the end of the range.
    pub fn next_token(&mut self) -> Option<Token> {
        while self.pos < self.end && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
        if self.pos >= self.end {
            return None;
        }
        let start = self.pos;
        if let Some(d) = &self.delimiter {
            if self.src[start..self.end].starts_with(d.as_str()) {
                self.pos += d.len();
                return Some(Token {
                    kind: TokenKind::Delimiter,
                    start,
                    end: self.pos,
                });
            }
        }
        let b = self.bytes[start];
        let kind = match b {
            b'-' if self.peek(start + 1) == b'-' => {
                self.skip_line();
                TokenKind::LineComment
            }
            b'#' if self.dialect == Dialect::Mysql => {
                self.skip_line();
                TokenKind::LineComment
            }
            b'/' if self.peek(start + 1) == b'*' => {
                self.skip_block_comment();
                TokenKind::BlockComment
            }
            b'\'' => {
                let backslash = self.dialect == Dialect::Mysql;
                self.skip_quoted(b'\'', backslash);
                TokenKind::Str
            }
            b'"' => {
                if self.dialect == Dialect::Mysql {
                    self.skip_quoted(b'"', true);
                } else {
                    self.skip_quoted(b'"', false);
                }
                TokenKind::QuotedIdent
            }
            b'`' => {
                self.skip_quoted(b'`', false);
                TokenKind::QuotedIdent
            }
            b'[' if matches!(self.dialect, Dialect::Mssql | Dialect::Sqlite) => {
                self.skip_quoted(b']', false);
                TokenKind::QuotedIdent
            }
            b'$' if matches!(self.dialect, Dialect::Postgres | Dialect::Generic) => {
                if let Some(tag_end) = self.dollar_tag(start) {
                    let tag = &self.src[start..tag_end];
                    self.pos = match memchr::memmem::find(
                        &self.bytes[tag_end..self.end],
                        tag.as_bytes(),
                    ) {
                        Some(i) => tag_end + i + tag.len(),
                        None => self.end,
                    };
                    TokenKind::Str
                } else {
                    self.pos += 1;
                    while self.pos < self.end && self.bytes[self.pos].is_ascii_digit() {
                        self.pos += 1;
                    }
                    TokenKind::Punct
                }
            }
            b'e' | b'E'
                if self.peek(start + 1) == b'\''
                    && matches!(self.dialect, Dialect::Postgres | Dialect::Generic) =>
            {
                self.pos += 1;
                self.skip_quoted(b'\'', true);
                TokenKind::Str
            }
            b'0'..=b'9' => {
                while self.pos < self.end
                    && (self.bytes[self.pos].is_ascii_alphanumeric()
                        || self.bytes[self.pos] == b'.')
                {
                    self.pos += 1;
                }
                TokenKind::Number
            }
            b if is_ident_start(b) => {
                while self.pos < self.end && is_ident_char(self.bytes[self.pos]) {
                    self.pos += 1;
                }
                // Never end inside a UTF-8 sequence.
                while self.pos < self.end && !self.src.is_char_boundary(self.pos) {
                    self.pos += 1;
                }
                TokenKind::Word
            }
            _ => {
                self.pos += 1;
                while self.pos < self.end && !self.src.is_char_boundary(self.pos) {
                    self.pos += 1;
                }
                TokenKind::Punct
            }
        };
        Some(Token {
            kind,
            start,
            end: self.pos,
        })
    }

    fn skip_line(&mut self) {
        self.pos = match self.bytes[self.pos..self.end]
            .iter()
            .position(|&b| b == b'\n')
        {
            Some(i) => self.pos + i,
            None => self.end,
        };
    }

    fn skip_block_comment(&mut self) {
        let nested = self.dialect == Dialect::Postgres;
        let mut depth = 0usize;
        while self.pos < self.end {
            let b = self.bytes[self.pos];
            if b == b'/' && self.peek(self.pos + 1) == b'*' {
                if depth == 0 || nested {
                    depth += 1;
                }
                self.pos += 2;
            } else if b == b'*' && self.peek(self.pos + 1) == b'/' {
                self.pos += 2;
                depth -= 1;
                if depth == 0 {
                    return;
                }
            } else {
                self.pos += 1;
            }
        }
        self.pos = self.end;
    }

    /// Skips a quoted run that starts at `self.pos` (the opening quote) and ends at
    /// `close`; a doubled `close` is an escaped quote, and so is `\close` when
    /// `backslash` is set.
    fn skip_quoted(&mut self, close: u8, backslash: bool) {
        self.pos += 1;
        while self.pos < self.end {
            let b = self.bytes[self.pos];
            if backslash && b == b'\\' {
                self.pos += 2;
            } else if b == close {
                if self.peek(self.pos + 1) == close {
                    self.pos += 2;
                } else {
                    self.pos += 1;
                    return;
                }
            } else {
                self.pos += 1;
            }
        }
        self.pos = self.end;
    }

    /// If a dollar-quote tag (`$$` or `$tag$`) starts at `start`, its end.
    fn dollar_tag(&self, start: usize) -> Option<usize> {
        let mut i = start + 1;
        if i < self.end && self.bytes[i] == b'$' {
            return Some(i + 1);
        }
        if i >= self.end
            || !(self.bytes[i].is_ascii_alphabetic()
                || self.bytes[i] == b'_'
                || self.bytes[i] >= 0x80)
        {
            return None;
        }
        while i < self.end
            && (self.bytes[i].is_ascii_alphanumeric()
                || self.bytes[i] == b'_'
                || self.bytes[i] >= 0x80)
        {
            i += 1;
        }
        if i < self.end && self.bytes[i] == b'$' {
            Some(i + 1)
        } else {
            None
        }
    }
}

/// The inside of a `$tag$ ... $tag$` string token.
pub(crate) fn dollar_body(text: &str, t: &Token) -> Option<Span> {
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

/// All non-comment tokens of `src[start..end]`.
pub fn tokens(src: &str, start: usize, end: usize, dialect: Dialect) -> Vec<Token> {
    let mut lx = Lexer::new(src, start, end, dialect);
    let mut out = Vec::new();
    while let Some(t) = lx.next_token() {
        if !t.is_comment() {
            out.push(t);
        }
    }
    out
}

/// The `--` comments of `src` that stand alone on their lines (only blanks before
/// them on the line, outside any literal), each from its `--` to the end of the
/// line without the line break: where `canary-lint:` suppression directives are
/// read (`canary_lint_core::suppress`). The statements are split by the same
/// lexer, so a line inside a string or a routine body is never one.
pub fn whole_line_comments(src: &str, dialect: Dialect) -> Vec<Span> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut lx = Lexer::new(src, 0, src.len(), dialect);
    // End of the previous token; a comment is alone on its line when the blank
    // run before it reaches back to a line break (or the start of the text).
    let mut prev_end: Option<usize> = None;
    loop {
        let from = lx.pos;
        let Some(t) = lx.next_token() else { break };
        let gap = &b[from..t.start];
        let line_start = match gap.iter().rposition(|&c| c == b'\n') {
            Some(i) => Some(from + i + 1),
            None if prev_end.is_none() => Some(0),
            None => None,
        };
        let alone = line_start.is_some_and(|ls| {
            b[ls..t.start]
                .iter()
                .all(|&c| matches!(c, b' ' | b'\t' | b'\r'))
        });
        if alone && t.kind == TokenKind::LineComment && b[t.start] == b'-' {
            let end = t.start + t.text(src).trim_end_matches('\r').len();
            out.push(Span::new(t.start, end));
        }
        prev_end = Some(t.end);
    }
    out
}

/// The value of an identifier token: quotes removed, unquoted words as written.
/// Returns `(value, quoted)`.
pub fn ident_value(src: &str, t: &Token) -> (String, bool) {
    let s = t.text(src);
    // Quote characters are ASCII, so slicing one byte off either end stays on a
    // character boundary; an unterminated quote keeps everything after it.
    let unquote = |open: char, close: char| -> String {
        let inner = s.strip_prefix(open).unwrap_or(s);
        let inner = inner.strip_suffix(close).unwrap_or(inner);
        let doubled: String = [close, close].iter().collect();
        inner.replace(&doubled, &close.to_string())
    };
    match t.kind {
        TokenKind::QuotedIdent if !s.is_empty() => {
            let open = s.as_bytes()[0] as char;
            let close = if open == '[' { ']' } else { open };
            (unquote(open, close), true)
        }
        TokenKind::Str if s.starts_with('\'') => (unquote('\'', '\''), true),
        _ => (s.to_string(), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str, d: Dialect) -> Vec<(TokenKind, String)> {
        let mut lx = Lexer::new(src, 0, src.len(), d);
        let mut v = Vec::new();
        while let Some(t) = lx.next_token() {
            v.push((t.kind, t.text(src).to_string()));
        }
        v
    }

    #[test]
    fn strings_comments_and_quotes() {
        let src = "select 'a;''b', E'x\\';y', $f$ ; $$ $f$, \"q;\"\"\" /* a /* b */ ; */ -- c;\n;";
        let k = kinds(src, Dialect::Postgres);
        let texts: Vec<&str> = k.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "select",
                "'a;''b'",
                ",",
                "E'x\\';y'",
                ",",
                "$f$ ; $$ $f$",
                ",",
                "\"q;\"\"\"",
                "/* a /* b */ ; */",
                "-- c;",
                ";"
            ]
        );
    }

    #[test]
    fn mysql_hash_comment_backticks_and_backslashes() {
        let src = "# x;\nselect `a;b`, 'it\\'s;', \"d\\\";\";";
        let k = kinds(src, Dialect::Mysql);
        assert_eq!(k[0].0, TokenKind::LineComment);
        assert_eq!(k[2].1, "`a;b`");
        assert_eq!(k[4].1, "'it\\'s;'");
        assert_eq!(k[6].1, "\"d\\\";\"");
        assert_eq!(k.len(), 8);
    }

    #[test]
    fn positional_parameters_are_not_dollar_quotes() {
        let k = kinds("select $1, $2;", Dialect::Postgres);
        assert_eq!(k.len(), 5);
    }

    fn directive_lines(src: &str, d: Dialect) -> Vec<&str> {
        whole_line_comments(src, d)
            .iter()
            .map(|s| &src[s.start..s.end])
            .collect()
    }

    #[test]
    fn only_whole_line_comments_outside_literals_count() {
        let text = "SELECT '-- x'; -- trailing\n\
                    INSERT INTO t VALUES ('a\n-- in a string\n');\n\
                    CREATE FUNCTION f() RETURNS int AS $body$\n-- in a body\n$body$;\n\
                    /* block\n-- in a block comment\n*/\n\
                    SELECT 'it''s', \"q\"\"\";\n\
                    \t -- real\r\n\
                    SELECT $1, $2;\n-- after params";
        assert_eq!(
            directive_lines(text, Dialect::Postgres),
            ["-- real", "-- after params"]
        );
    }

    #[test]
    fn mysql_comment_lines_and_backslashes_do_not_open_literals() {
        let text = "# mysql comment: don't open a literal\n\
                    SELECT 'c:\\'', \"d\\\"\";\n\
                    -- real\n";
        assert_eq!(directive_lines(text, Dialect::Mysql), ["-- real"]);
    }
}
