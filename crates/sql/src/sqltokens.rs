//! sqlparser tokens for one statement, made without sqlparser's tokenizer.
//!
//! sqlparser's tokenizer walks the text one `char` at a time through a peekable
//! iterator, emits a token for every whitespace character and finds each word's
//! keyword by a binary search over its keyword list; on migration folders it cost
//! more CPU than parsing itself. [`tokenize`] makes the same tokens (kind, value,
//! keyword, quote style and span) in one pass over the bytes for what DDL is made
//! of: words, quoted identifiers, plain strings, integers and decimals, comments
//! and the common punctuation. At the first thing outside that set it returns
//! `None` and the caller uses sqlparser's own tokenizer for the statement, so the
//! parse result never depends on which tokenizer ran.
//!
//! A run of whitespace and comments becomes one whitespace token: a newline if
//! the run holds a line break outside a block comment, else a space. The parser
//! only ever asks whether whitespace is there (placeholders such as `:name`
//! must be glued to their name) or whether it held a line break. Comments the
//! parser reads as optimizer hints (`/*+ ... */`) and MySQL's `/*! ... */`
//! are left to sqlparser.
//!
//! The tests compare both tokenizers on every fixture and demo statement, and
//! `examples/parse_coverage.rs` does the same on real migration folders.
//!
//! Positions come in two forms ([`Positions`]). sqlparser's own form, line and
//! column, is what its error messages print: formatting them cost about 7% of the
//! parse, because sqlparser builds (and drops) an error message for every
//! identifier it first tries as a typed literal (`DATE '2024-01-01'`). So the
//! parse runs on byte offsets written as line 0 (a location sqlparser prints as
//! nothing), and a statement it rejects is parsed again with lines and columns for
//! the message. [`to_offset`] reads both forms.

use crate::lex::{self, Lexer, TokenKind};
use crate::Dialect;
use sqlparser::ast::DollarQuotedString;
use sqlparser::dialect::Dialect as SqlDialect;
use sqlparser::keywords::{Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};
use std::sync::OnceLock;

/// The longest keyword; a longer word is never one.
const MAX_KEYWORD: usize = 64;

/// Slots of the keyword table (a power of two, over twice the keyword count).
const SLOTS: usize = 4096;

/// sqlparser's keywords by hash: open addressing, each slot the keyword's index
/// in `ALL_KEYWORDS` plus one (0: empty). Built once per run in a few tens of
/// thousands of instructions (a `HashMap` took ten times that) and probed with
/// one multiply per eight bytes of the word.
fn keywords() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut slots = vec![0u16; SLOTS];
        for (i, k) in ALL_KEYWORDS.iter().enumerate() {
            if k.len() > MAX_KEYWORD {
                continue;
            }
            let mut up = [0u8; MAX_KEYWORD];
            up[..k.len()].copy_from_slice(k.as_bytes());
            let mut at = slot(&up, k.len());
            while slots[at] != 0 {
                at = (at + 1) % SLOTS;
            }
            slots[at] = u16::try_from(i + 1).unwrap_or(0);
        }
        slots
    })
}

/// The first slot of a word whose upper-case bytes are `up[..len]` (zero after).
fn slot(up: &[u8; MAX_KEYWORD], len: usize) -> usize {
    let mut h = len as u64;
    for chunk in up[..len.div_ceil(8) * 8].chunks_exact(8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    (h >> 52) as usize % SLOTS
}

/// The keyword an unquoted word is, as sqlparser decides it (case-insensitive
/// match against its keyword list).
pub(crate) fn keyword(word: &str) -> Keyword {
    let b = word.as_bytes();
    if b.len() > MAX_KEYWORD {
        return Keyword::NoKeyword;
    }
    let mut up = [0u8; MAX_KEYWORD];
    for (u, c) in up.iter_mut().zip(b) {
        *u = c.to_ascii_uppercase();
    }
    let slots = keywords();
    let mut at = slot(&up, b.len());
    loop {
        let i = match slots[at] {
            0 => return Keyword::NoKeyword,
            i => usize::from(i) - 1,
        };
        if ALL_KEYWORDS[i].as_bytes() == &up[..b.len()] {
            return ALL_KEYWORDS_INDEX[i];
        }
        at = (at + 1) % SLOTS;
    }
}

/// What the tokenizer asks of a dialect, answered once per dialect: sqlparser's
/// dialect methods are virtual calls, too slow to make per character.
struct Classes {
    /// ASCII bytes that start / continue an unquoted word (`part` is false for
    /// every non-ASCII byte: a word stops there and is left to sqlparser).
    start: [bool; 128],
    part: [bool; 256],
    /// `"`, `` ` `` and `[` as delimited-identifier quotes.
    quote: [bool; 128],
    nested_bracket: bool,
    backslash_escape: bool,
    triple_quotes: bool,
    line_comment_needs_space: bool,
    /// `$$ ... $$` and `$tag$ ... $tag$` are strings (Postgres).
    dollar_quotes: bool,
    /// Every ASCII byte that continues a word for [`crate::lex`] continues one
    /// for the dialect too: an ASCII word the lexer cut is a word here, and only
    /// the bytes after it need a look.
    lex_words_fit: bool,
}

impl Classes {
    fn of(dialect: Dialect, d: &dyn SqlDialect) -> Classes {
        let mut c = Classes {
            start: [false; 128],
            part: [false; 256],
            quote: [false; 128],
            nested_bracket: d.is_nested_delimited_identifier_start('['),
            backslash_escape: d.supports_string_literal_backslash_escape(),
            triple_quotes: d.supports_triple_quoted_string(),
            line_comment_needs_space: d.requires_single_line_comment_whitespace(),
            dollar_quotes: dialect == Dialect::Postgres && !d.supports_dollar_placeholder(),
            lex_words_fit: false,
        };
        for b in 0u8..128 {
            let ch = b as char;
            c.start[b as usize] = d.is_identifier_start(ch);
            c.part[b as usize] = d.is_identifier_part(ch);
            c.quote[b as usize] = d.is_delimited_identifier_start(ch);
        }
        c.lex_words_fit = (0u8..128)
            .filter(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
            .all(|b| c.part[b as usize]);
        c
    }

    fn get(dialect: Dialect) -> &'static Classes {
        static ALL: OnceLock<[Classes; 5]> = OnceLock::new();
        let all = ALL.get_or_init(|| Dialect::ALL.map(|d| Classes::of(d, &*d.sqlparser())));
        // Indexes in the order of `Dialect::ALL`.
        &all[match dialect {
            Dialect::Postgres => 0,
            Dialect::Mysql => 1,
            Dialect::Sqlite => 2,
            Dialect::Mssql => 3,
            Dialect::Generic => 4,
        }]
    }
}

/// Characters that may continue an operator (Postgres lets users define their
/// own); a punctuation token followed by one of them is left to sqlparser.
fn is_operator_char(b: u8) -> bool {
    matches!(
        b,
        b'+' | b'-'
            | b'*'
            | b'/'
            | b'<'
            | b'>'
            | b'='
            | b'~'
            | b'!'
            | b'@'
            | b'#'
            | b'%'
            | b'^'
            | b'&'
            | b'|'
            | b'`'
            | b'?'
    )
}

/// A comment sqlparser would read as an optimizer hint: `+` after an optional
/// alphanumeric prefix.
fn is_hint(comment: &str) -> bool {
    comment
        .split_once('+')
        .is_some_and(|(before, _)| before.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// How [`tokenize_with`] writes token positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Positions {
    /// 1-based line and column in characters, as sqlparser's tokenizer writes them.
    LineColumn,
    /// Line 0 and, as the column, the byte offset in the statement plus one.
    /// sqlparser only reads positions to print them, and prints line 0 as nothing.
    Offsets,
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
    line: u64,
    col: u64,
    offsets: bool,
}

impl Cursor<'_> {
    fn loc(&self) -> Location {
        if self.offsets {
            return Location {
                line: 0,
                column: self.pos as u64 + 1,
            };
        }
        Location {
            line: self.line,
            column: self.col,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn peek(&self, k: usize) -> u8 {
        self.at(self.pos + k)
    }

    /// Moves over `n` bytes known to be ASCII and not line breaks.
    fn bump(&mut self, n: usize) {
        self.pos += n;
        self.col += n as u64;
    }

    /// Moves to byte `to`, counting lines and characters as sqlparser does
    /// (a new line at each `\n`, columns in characters).
    fn advance_to(&mut self, to: usize) {
        if self.offsets {
            self.pos = to;
            return;
        }
        for &c in &self.b[self.pos..to] {
            if c == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
        self.pos = to;
    }

    /// Moves over the whitespace the lexer skipped, up to `to`: `Some(it held a
    /// line break)`, `None` for whitespace sqlparser reads its own way (a lone
    /// carriage return, a form feed).
    fn blank(&mut self, to: usize) -> Option<bool> {
        let gap = &self.b[self.pos..to];
        let mut newline = false;
        for (i, &x) in gap.iter().enumerate() {
            match x {
                b' ' | b'\t' => self.col += 1,
                b'\n' => {
                    newline = true;
                    self.line += 1;
                    self.col = 1;
                }
                b'\r' if gap.get(i + 1) == Some(&b'\n') => self.col += 1,
                _ => return None,
            }
        }
        self.pos = to;
        Some(newline)
    }
}

/// Whether sqlparser reads the comment `t` as plain whitespace too: not a MySQL
/// `#` comment, not an optimizer hint or a MySQL `/*! */` comment, not a
/// comment sqlparser would nest or end elsewhere, not `--x` where the dialect
/// wants a space after `--`.
fn plain_comment(sql: &str, t: &lex::Token, d: &Classes) -> bool {
    let text = t.text(sql);
    if let Some(rest) = text.strip_prefix("--") {
        let after = sql.as_bytes().get(t.start + 2);
        if d.line_comment_needs_space && !after.is_some_and(u8::is_ascii_whitespace) {
            return false;
        }
        // A carriage return ends a comment for Postgres only.
        !(is_hint(rest) || rest.trim_end_matches('\r').contains('\r'))
    } else if let Some(inner) = text.strip_prefix("/*").and_then(|t| t.strip_suffix("*/")) {
        // `/*/` may open a nested comment where sqlparser nests them.
        !(inner.contains("/*") || inner.ends_with('/') || inner.starts_with('!') || is_hint(inner))
    } else {
        false
    }
}

/// The value of a quoted run as the lexer cut it (opening quote included): a
/// doubled `close` stands for itself. `None` unless the run ends at its closing
/// quote (unterminated).
fn unquote(text: &str, close: u8) -> Option<String> {
    let b = text.as_bytes();
    let mut value = String::new();
    let mut i = 1;
    loop {
        let rel = b.get(i..)?.iter().position(|&c| c == close)?;
        value.push_str(&text[i..i + rel]);
        let q = i + rel;
        if b.get(q + 1) == Some(&close) {
            value.push(close as char);
            i = q + 2;
        } else {
            return (q + 1 == b.len()).then_some(value);
        }
    }
}

fn punct(c: &mut Cursor<'_>) -> Option<Token> {
    let next = c.peek(1);
    let (tok, len) = match c.peek(0) {
        b'(' => (Token::LParen, 1),
        b')' => (Token::RParen, 1),
        b',' => (Token::Comma, 1),
        b';' => (Token::SemiColon, 1),
        b'+' => (Token::Plus, 1),
        b'*' => (Token::Mul, 1),
        b']' => (Token::RBracket, 1),
        b'=' if next != b'>' && next != b'=' => (Token::Eq, 1),
        b'-' if !is_operator_char(next) => (Token::Minus, 1),
        b'/' if !is_operator_char(next) => (Token::Div, 1),
        b'<' if next == b'=' && !is_operator_char(c.peek(2)) => (Token::LtEq, 2),
        b'<' if next == b'>' && !is_operator_char(c.peek(2)) => (Token::Neq, 2),
        b'<' if !is_operator_char(next) => (Token::Lt, 1),
        b'>' if next == b'=' && !is_operator_char(c.peek(2)) => (Token::GtEq, 2),
        b'>' if !is_operator_char(next) => (Token::Gt, 1),
        b'!' if next == b'=' && !is_operator_char(c.peek(2)) => (Token::Neq, 2),
        b':' if next == b':' => (Token::DoubleColon, 2),
        // A `:` placeholder must be glued to its name; the parser reports the
        // whitespace or comment after a lone one by its text.
        b':' if next.is_ascii_alphanumeric() || next == b'_' => (Token::Colon, 1),
        b'|' if next == b'|' && !is_operator_char(c.peek(2)) => (Token::StringConcat, 2),
        b'.' if !next.is_ascii_digit() && next != b'_' => (Token::Period, 1),
        _ => return None,
    };
    c.bump(len);
    Some(tok)
}

/// The tokens of `sql` as sqlparser's tokenizer would make them for dialect `d`
/// (whitespace runs folded into one token), or `None` when `sql` holds something
/// this tokenizer leaves to sqlparser.
pub fn tokenize(sql: &str, dialect: Dialect) -> Option<Vec<TokenWithSpan>> {
    tokenize_with(sql, dialect, Positions::LineColumn)
}

/// [`tokenize`], with positions written as `positions` says.
pub fn tokenize_with(
    sql: &str,
    dialect: Dialect,
    positions: Positions,
) -> Option<Vec<TokenWithSpan>> {
    tokenize_from(sql, dialect, positions, None)
}

/// Where [`tokenize_from`] takes the lexer's tokens from.
enum Source<'a> {
    Lexer(Lexer<'a>),
    /// Tokens the splitter already cut from the file (`base`: the statement's
    /// offset in it); `next` is the index of the next one.
    Cut {
        tokens: &'a [lex::Token],
        base: usize,
        next: usize,
    },
}

impl<'a> Source<'a> {
    fn next_token(&mut self) -> Option<lex::Token> {
        match self {
            Source::Lexer(lx) => lx.next_token(),
            Source::Cut { tokens, base, next } => {
                let t = tokens.get(*next)?;
                *next += 1;
                Some(lex::Token {
                    kind: t.kind,
                    start: t.start - *base,
                    end: t.end - *base,
                })
            }
        }
    }

    /// Continues at byte `pos` of the statement. Where `pos` falls inside a
    /// token already cut, the statement is lexed again from there, as the
    /// lexer alone would.
    fn seek(&mut self, pos: usize, sql: &'a str, dialect: Dialect) {
        match self {
            Source::Lexer(lx) => lx.pos = pos,
            Source::Cut { tokens, base, next } => {
                let at = pos + *base;
                let mut i = *next;
                while i < tokens.len() && tokens[i].start < at {
                    i += 1;
                }
                let inside = i > 0 && tokens[i - 1].end > at;
                if inside {
                    let mut lx = Lexer::new(sql, 0, sql.len(), dialect);
                    lx.pos = pos;
                    *self = Source::Lexer(lx);
                } else {
                    *next = i;
                }
            }
        }
    }
}

/// [`tokenize_with`], from the lexer's tokens of `sql` when the caller has
/// them: `cut` holds, for a statement that starts at byte `base` of a file,
/// every token of the file's lexer that starts inside the statement (comments
/// included). Inside a statement the file's lexer cuts the tokens the
/// statement's own lexer would (both stop where the statement ends: at the end
/// of its last token), except for the delimiter of a MySQL `DELIMITER` block,
/// so a statement holding one is lexed again.
pub fn tokenize_from(
    sql: &str,
    dialect: Dialect,
    positions: Positions,
    cut: Option<(&[lex::Token], usize)>,
) -> Option<Vec<TokenWithSpan>> {
    let d = Classes::get(dialect);
    let b = sql.as_bytes();
    let mut c = Cursor {
        b,
        pos: 0,
        line: 1,
        col: 1,
        offsets: positions == Positions::Offsets,
    };
    let mut lx = match cut {
        Some((tokens, base)) if !tokens.iter().any(|t| t.kind == TokenKind::Delimiter) => {
            Source::Cut {
                tokens,
                base,
                next: 0,
            }
        }
        _ => Source::Lexer(Lexer::new(sql, 0, sql.len(), dialect)),
    };
    // About a token (whitespace runs included) per three bytes of DDL: growing the
    // vector of 88-byte tokens cost more than the spare capacity.
    let mut out: Vec<TokenWithSpan> = Vec::with_capacity(sql.len() / 3 + 4);
    let mut first_word = true;
    // The run of whitespace and comments being read: where it started, and
    // whether it held a line break outside a block comment.
    let mut run: Option<(Location, bool)> = None;
    loop {
        let next = lx.next_token();
        let at = next.map_or(b.len(), |t| t.start);
        if at > c.pos {
            let start = c.loc();
            let newline = c.blank(at)?;
            let r = run.get_or_insert((start, false));
            r.1 |= newline;
        }
        let Some(t) = next else { break };
        if t.is_comment() {
            if !plain_comment(sql, &t, d) {
                return None;
            }
            let start = c.loc();
            run.get_or_insert((start, false));
            c.advance_to(t.end);
            continue;
        }
        let start = c.loc();
        if let Some((from, newline)) = run.take() {
            let w = if newline {
                Whitespace::Newline
            } else {
                Whitespace::Space
            };
            out.push(TokenWithSpan::new(
                Token::Whitespace(w),
                Span::new(from, start),
            ));
        }
        let ch = b[t.start];
        let token = match t.kind {
            TokenKind::Word => {
                if !(ch.is_ascii_alphabetic() || ch == b'_') || !d.start[ch as usize] {
                    return None;
                }
                // The dialect's own word characters (`@` and `#` in T-SQL names,
                // not `$` everywhere).
                let mut i = if d.lex_words_fit && sql[t.start..t.end].is_ascii() {
                    t.end
                } else {
                    t.start + 1
                };
                while i < b.len() && d.part[b[i] as usize] {
                    i += 1;
                }
                // Non-ASCII may continue a word; a quote or `&` right after a
                // word may make it a string prefix (E'', N'', X'', U&'').
                if matches!(c.at(i), 0x80..=0xFF | b'\'' | b'"' | b'&' | b'`') {
                    return None;
                }
                let word = &sql[t.start..i];
                // COPY ... FROM stdin carries data rows sqlparser tokenizes its own way.
                if first_word && word.eq_ignore_ascii_case("COPY") {
                    return None;
                }
                c.bump(i - t.start);
                Token::Word(Word {
                    value: word.to_string(),
                    quote_style: None,
                    keyword: keyword(word),
                })
            }
            TokenKind::Number => {
                let from = t.start;
                let mut i = from;
                while c.at(i).is_ascii_digit() {
                    i += 1;
                }
                if c.at(i) == b'.' {
                    i += 1;
                    while c.at(i).is_ascii_digit() {
                        i += 1;
                    }
                }
                // Exponents, hex, `L` suffixes, digit-led identifiers, `1_000`.
                if matches!(c.at(i), b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'$' | b'.' | 0x80..=0xFF) {
                    return None;
                }
                c.bump(i - from);
                Token::Number(sql[from..i].to_string(), false)
            }
            TokenKind::Str if ch == b'\'' => {
                let text = t.text(sql);
                if d.triple_quotes || (d.backslash_escape && text.contains('\\')) {
                    return None;
                }
                let value = unquote(text, b'\'')?;
                c.advance_to(t.end);
                Token::SingleQuotedString(value)
            }
            TokenKind::Str if ch == b'$' && d.dollar_quotes => {
                // `$$body$$` or `$tag$body$tag$` with an ASCII tag.
                let from = t.start;
                let mut i = from + 1;
                while i < t.end && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                if c.at(i) != b'$' || c.at(from + 1).is_ascii_digit() {
                    return None;
                }
                let tag = &sql[from + 1..i];
                let delimiter = &sql[from..=i];
                let body_start = i + 1;
                let body = sql[body_start..t.end].strip_suffix(delimiter)?;
                // sqlparser reads an untagged body's `$` signs one by one.
                if tag.is_empty() && body.contains('$') {
                    return None;
                }
                c.advance_to(t.end);
                Token::DollarQuotedString(DollarQuotedString {
                    value: body.to_string(),
                    tag: (!tag.is_empty()).then(|| tag.to_string()),
                })
            }
            TokenKind::QuotedIdent if d.quote[ch as usize] => {
                let close = if ch == b'[' { b']' } else { ch };
                let value = unquote(t.text(sql), close)?;
                c.advance_to(t.end);
                Token::Word(Word {
                    value,
                    quote_style: Some(ch as char),
                    keyword: Keyword::NoKeyword,
                })
            }
            TokenKind::Punct if ch == b'[' => {
                if d.quote[b'[' as usize] || d.nested_bracket {
                    return None;
                }
                c.bump(1);
                Token::LBracket
            }
            TokenKind::Punct => punct(&mut c)?,
            // `E''` strings, `$` where it quotes nothing for the dialect,
            // quotes the dialect reads otherwise, MySQL delimiters.
            _ => return None,
        };
        first_word = false;
        out.push(TokenWithSpan::new(token, Span::new(start, c.loc())));
        // The token may be longer than the lexer's (`<=`, `::`, `a#b` in T-SQL).
        lx.seek(c.pos, sql, dialect);
    }
    if let Some((from, newline)) = run {
        let w = if newline {
            Whitespace::Newline
        } else {
            Whitespace::Space
        };
        out.push(TokenWithSpan::new(
            Token::Whitespace(w),
            Span::new(from, c.loc()),
        ));
    }
    Some(out)
}

/// Converts a sqlparser location (1-based line and character column, relative
/// to the statement text starting at byte `base`) to a byte offset of `text`.
/// `None` for the empty location sqlparser uses when it has no span.
pub fn to_offset(text: &str, base: usize, loc: Location) -> Option<usize> {
    if loc.column == 0 {
        return None;
    }
    if loc.line == 0 {
        // Written by our tokenizer as a byte offset (`Positions::Offsets`).
        let off = base + (loc.column - 1) as usize;
        return (off <= text.len() && text.is_char_boundary(off)).then_some(off);
    }
    let mut start = base;
    for _ in 1..loc.line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let line = text.get(start..)?;
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let want = (loc.column - 1) as usize;
    Some(match line.char_indices().nth(want) {
        Some((i, _)) => start + i,
        None => start + line.len(),
    })
}

/// Converts a sqlparser span to a byte span of the file, if it is not empty.
pub fn to_span(text: &str, base: usize, span: Span) -> Option<canary_lint_core::Span> {
    let s = to_offset(text, base, span.start)?;
    let e = to_offset(text, base, span.end)?;
    Some(canary_lint_core::Span::new(s, e))
}

/// How [`tokenize`] fared on one statement against sqlparser's own tokenizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agreement {
    /// Both token streams parse to the same statements (spans included), or to
    /// the same error.
    Same,
    /// [`tokenize`] left the statement to sqlparser.
    Fallback,
    /// The parse results differ; both renderings.
    Differs { ours: String, theirs: String },
}

/// Parses `sql` from [`tokenize`]'s tokens and from sqlparser's own and compares
/// the results. For tests and for checking real migration folders
/// (`examples/parse_coverage.rs`).
pub fn compare(sql: &str, dialect: Dialect) -> Agreement {
    use sqlparser::parser::Parser;
    let d = &*dialect.sqlparser();
    let Some(tokens) = tokenize(sql, dialect) else {
        return Agreement::Fallback;
    };
    let ours = Parser::new(d)
        .with_tokens_with_locations(tokens)
        .parse_statements();
    let theirs = Parser::new(d)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_statements());
    let (ours_text, theirs) = (format!("{ours:?}"), format!("{theirs:?}"));
    if ours_text != theirs {
        return Agreement::Differs {
            ours: ours_text,
            theirs,
        };
    }
    // The parse `check` runs: byte offsets for positions. It must succeed or fail
    // alike, and its positions must name the same bytes.
    let on_offsets = tokenize_with(sql, dialect, Positions::Offsets).map(|tokens| {
        Parser::new(d)
            .with_tokens_with_locations(tokens)
            .parse_statements()
    });
    let (a, b) = match &on_offsets {
        Some(r @ Ok(_)) if ours.is_ok() => (
            as_offsets(&format!("{r:?}"), sql),
            as_offsets(&ours_text, sql),
        ),
        Some(Err(_)) if ours.is_err() => return Agreement::Same,
        _ => (format!("{on_offsets:?}"), ours_text),
    };
    if a == b {
        Agreement::Same
    } else {
        Agreement::Differs { ours: a, theirs: b }
    }
}

/// A parse result's debug text with every `Location(line,column)` replaced by the
/// byte offset it names in `sql` (either form of [`Positions`]).
fn as_offsets(debug: &str, sql: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find("Location(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "Location(".len()..];
        let Some(end) = after.find(')') else {
            break;
        };
        let at = after[..end]
            .split_once(',')
            .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)))
            .and_then(|(line, column)| to_offset(sql, 0, Location { line, column }));
        match at {
            Some(off) => out.push_str(&format!("@{off}")),
            None => out.push_str("@-"),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sqlparser::tokenizer::Tokenizer;

    /// sqlparser's tokens with every whitespace run folded as [`tokenize`] folds it.
    pub(crate) fn reference(sql: &str, d: &dyn SqlDialect) -> Option<Vec<TokenWithSpan>> {
        let toks = Tokenizer::new(d, sql).tokenize_with_location().ok()?;
        let mut out: Vec<TokenWithSpan> = Vec::new();
        for t in toks {
            if let Token::Whitespace(w) = &t.token {
                let nl = matches!(w, Whitespace::Newline);
                if let Some(last) = out.last_mut() {
                    if let Token::Whitespace(prev) = &last.token {
                        let was_nl = matches!(prev, Whitespace::Newline);
                        last.token = Token::Whitespace(if was_nl || nl {
                            Whitespace::Newline
                        } else {
                            Whitespace::Space
                        });
                        last.span = Span::new(last.span.start, t.span.end);
                        continue;
                    }
                }
                out.push(TokenWithSpan::new(
                    Token::Whitespace(if nl {
                        Whitespace::Newline
                    } else {
                        Whitespace::Space
                    }),
                    t.span,
                ));
            } else {
                out.push(t);
            }
        }
        Some(out)
    }

    #[test]
    fn every_keyword_is_found_in_any_case_and_other_words_are_not() {
        for (k, kw) in ALL_KEYWORDS.iter().zip(ALL_KEYWORDS_INDEX) {
            assert_eq!(keyword(k), *kw, "{k}");
            assert_eq!(keyword(&k.to_ascii_lowercase()), *kw, "{k}");
            for other in [
                format!("{k}_"),
                format!("x{k}"),
                k[..k.len() - 1].to_string(),
            ] {
                let expected = ALL_KEYWORDS
                    .binary_search(&other.to_ascii_uppercase().as_str())
                    .map_or(Keyword::NoKeyword, |i| ALL_KEYWORDS_INDEX[i]);
                assert_eq!(keyword(&other), expected, "{other}");
            }
        }
        assert_eq!(keyword(""), Keyword::NoKeyword);
        assert_eq!(keyword(&"A".repeat(100)), Keyword::NoKeyword);
    }

    fn same(sql: &str, dialect: Dialect) -> bool {
        let d = dialect.sqlparser();
        match tokenize(sql, dialect) {
            None => false,
            Some(fast) => {
                let slow = reference(sql, &*d).unwrap();
                assert_eq!(fast.len(), slow.len(), "{sql}\n{fast:#?}\n{slow:#?}");
                for (f, s) in fast.iter().zip(&slow) {
                    assert_eq!(f.token, s.token, "{sql}");
                    assert_eq!(f.span, s.span, "{sql}: {:?}", f.token);
                }
                true
            }
        }
    }

    #[test]
    fn matches_sqlparser_on_ddl() {
        for sql in [
            "CREATE TABLE public.users (\n    id BIGSERIAL PRIMARY KEY,\n    email TEXT NOT NULL DEFAULT '',\n    \"Name\" VARCHAR(255)\n)",
            "ALTER TABLE users -- why\n  DROP COLUMN IF EXISTS legacy /* block\n comment */ , ADD COLUMN n NUMERIC(12, 2) DEFAULT 1.5",
            "CREATE INDEX CONCURRENTLY i ON t (a) WHERE a IS NOT NULL AND b <> 0 AND c >= 2 AND d <= 3 AND e != 4",
            "COMMENT ON TABLE t IS 'it''s ünïcode 名前'",
            "UPDATE t SET a = NULL WHERE created_at < now() - interval '30 days'",
            "SELECT a::text, b || c, x.y, -1, 2 * 3 / 4 + 5 FROM t",
            "INSERT INTO t (a, b) VALUES\r\n  (1, 'x'),\r\n  (2, 'y')",
            "CREATE TABLE \"a\"\"b\" (x int)",
            "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql",
            "DO $body$\nBEGIN\n  EXECUTE 'x';\nEND\n$body$",
        ] {
            assert!(same(sql, Dialect::Postgres), "fell back on {sql}");
        }
        assert!(same("CREATE TABLE `a` (`b` int) -- x", Dialect::Mysql));
        assert!(same(
            "CREATE TABLE [a] (\"b\" int, [c]] d] TEXT)",
            Dialect::Sqlite
        ));
        assert!(same("ALTER TABLE [dbo].[t] ADD c INT", Dialect::Mssql));
    }

    #[test]
    fn leaves_the_rest_to_sqlparser() {
        for sql in [
            "SELECT E'a\\n'",
            "SELECT $1",
            "SELECT a->>'b' FROM t",
            "SELECT 1e5",
            "SELECT 'unterminated",
            "SELECT /*+ hint */ 1",
            "SELECT x FROM t WHERE y @> '{}'",
            "COPY t FROM stdin",
            "SELECT .5",
            "SELECT \"unterminated",
            "SELECT /* a /* nested */ */ 1",
        ] {
            assert!(tokenize(sql, Dialect::Postgres).is_none(), "{sql}");
        }
        // MySQL strings may hold backslash escapes; `--x` is not a comment there.
        assert!(tokenize("SELECT 'a\\'b'", Dialect::Mysql).is_none());
        assert!(tokenize("SELECT 1 --x", Dialect::Mysql).is_none());
    }

    /// Every statement of every SQL file under `testdata/`, in every dialect:
    /// where our tokens are used, the parse (statements with their spans, or
    /// the error) is the one sqlparser's tokens give.
    #[test]
    fn parses_every_testdata_statement_as_sqlparser_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        let mut stack = vec![root];
        let (mut same_n, mut fallback_n) = (0, 0);
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().is_none_or(|x| x != "sql") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let f = canary_lint_core::SourceFile::new(p.display().to_string(), text);
                for dialect in Dialect::ALL {
                    for sp in crate::statement_spans(&f, crate::Layout::Plain, dialect) {
                        let sql = &f.text[sp.start..sp.end];
                        match compare(sql, dialect) {
                            Agreement::Same => same_n += 1,
                            Agreement::Fallback => fallback_n += 1,
                            Agreement::Differs { ours, theirs } => panic!(
                                "{} ({dialect:?}): {sql}\nours:   {ours}\ntheirs: {theirs}",
                                f.path
                            ),
                        }
                    }
                }
            }
        }
        // Most statements take the fast path; the rest fall back, never differ.
        assert!(
            same_n > 3 * fallback_n,
            "{same_n} same, {fallback_n} fallback"
        );
    }

    /// The splitter's tokens give each statement the tokens lexing the
    /// statement alone gives: every SQL file under `testdata/` and some texts
    /// made to straddle tokens, in every dialect.
    #[test]
    fn the_splitters_tokens_make_the_same_tokens() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        let mut texts: Vec<String> = vec![
            "SELECT a::text, b<=c, d<>e, f||g FROM t; SELECT $1, 'x''y', \"q\";".into(),
            "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;\nSELECT 2;".into(),
            "-- +goose StatementBegin\nCREATE FUNCTION f() AS $$ a; b $$;\n-- +goose StatementEnd\n".into(),
            "SELECT 1 /* open".into(),
            "SELECT a#b, [x], `y`, N'z', E'w\\'', 1.5e3, 0x1F FROM t -- c\n;".into(),
        ];
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "sql") {
                    texts.push(std::fs::read_to_string(&p).unwrap());
                }
            }
        }
        // Random mixes of the bytes lexers disagree on, a few statements each.
        const BITS: &[&str] = &[
            "'",
            "\"",
            "`",
            "[",
            "]",
            "--",
            "/*",
            "*/",
            "-",
            "/",
            "*",
            "<",
            ">",
            "=",
            "!",
            ":",
            "$a$",
            "::",
            ".",
            "1",
            "1.",
            "e",
            "E",
            "$",
            "$$",
            "#",
            "@",
            "|",
            "\r",
            "\n",
            " ",
            "\\",
            "N",
            "é",
            "_",
            "&",
            ",",
            ";",
            "(",
            ")",
            "SELECT",
            "x",
            "BEGIN",
            "END",
            "CREATE FUNCTION",
            "DELIMITER //\n",
            "//",
            "-- +goose StatementBegin\n",
            "-- +goose StatementEnd\n",
        ];
        let mut rng: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut t = String::new();
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            for k in 0..(rng % 24) {
                t.push_str(BITS[((rng >> (k % 40)) as usize + k as usize * 7) % BITS.len()]);
            }
            texts.push(t);
        }
        let mut checked = 0;
        for text in &texts {
            let whole = canary_lint_core::Span::new(0, text.len());
            for dialect in Dialect::ALL {
                let (statements, cut) = crate::split::split_with_tokens(text, whole, dialect);
                for st in statements {
                    let sql = &text[st.span.start..st.span.end];
                    let from = cut.partition_point(|t| t.start < st.span.start);
                    let to = cut.partition_point(|t| t.start < st.span.end);
                    for positions in [Positions::Offsets, Positions::LineColumn] {
                        let given = Some((&cut[from..to], st.span.start));
                        let a = format!("{:?}", tokenize_from(sql, dialect, positions, given));
                        let b = format!("{:?}", tokenize_with(sql, dialect, positions));
                        assert_eq!(a, b, "{dialect:?}: {sql}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// Statements mutated at random with the characters tokenizers disagree on
    /// (quotes, comment starts, operators, line breaks, digits next to dots):
    /// whatever the text, our tokens never parse differently from sqlparser's.
    #[test]
    fn random_edits_never_parse_differently() {
        const SEEDS: &[&str] = &[
            "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x', v NUMERIC(12, 2))",
            "ALTER TABLE public.users DROP COLUMN email, ADD COLUMN n INT DEFAULT 1",
            "SELECT a::text, b || c FROM t WHERE x <> 1 AND y >= 2.5 -- note",
            "INSERT INTO t (a, b) VALUES (1, 'it''s'), (2, \"q\")",
            "CREATE INDEX i ON t (a) WHERE b IS NOT NULL /* c */",
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.x := 1; RETURN NEW; END $$ LANGUAGE plpgsql",
            "DO $a$ BEGIN PERFORM 1; END $a$",
        ];
        const BITS: &[&str] = &[
            "'", "\"", "`", "[", "]", "--", "/*", "*/", "-", "/", "*", "<", ">", "=", "!", ":",
            "$a$", "::", ".", "..", "1", "1.", ".5", "e", "E", "$", "$$", "#", "@", "?", "|", "||",
            "\r", "\n", "\r\n", " ", "\t", "\\", "N", "X", "é", "_", "0x", "&", ",", ";", "(", ")",
        ];
        let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n as u64) as usize
        };
        let (mut same_n, mut fallback_n) = (0, 0);
        for _ in 0..3000 {
            let mut sql = SEEDS[next(SEEDS.len())].to_string();
            for _ in 0..1 + next(3) {
                let mut at = next(sql.len() + 1);
                while !sql.is_char_boundary(at) {
                    at -= 1;
                }
                sql.insert_str(at, BITS[next(BITS.len())]);
            }
            let dialect = Dialect::ALL[next(5)];
            match compare(&sql, dialect) {
                Agreement::Same => same_n += 1,
                Agreement::Fallback => fallback_n += 1,
                Agreement::Differs { ours, theirs } => {
                    panic!("{dialect:?}: {sql:?}\nours:   {ours}\ntheirs: {theirs}")
                }
            }
        }
        assert!(
            same_n > 500 && fallback_n > 500,
            "{same_n} same, {fallback_n} fallback"
        );
    }

    #[test]
    fn keywords_are_found_case_insensitively() {
        assert_eq!(keyword("select"), Keyword::SELECT);
        assert_eq!(keyword("Concurrently"), Keyword::CONCURRENTLY);
        assert_eq!(keyword("users"), Keyword::NoKeyword);
        assert_eq!(keyword(&"x".repeat(100)), Keyword::NoKeyword);
    }
}
