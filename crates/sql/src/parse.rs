//! Parsing: each split statement goes through sqlparser on its own, with the
//! dialect's own parser, and keeps its byte span in the original file.
//!
//! sqlparser reports positions as 1-based line and column relative to the text it
//! was given, with columns counted in characters (its tokenizer advances one
//! `char` at a time); our tokenizer gives it byte offsets instead (line 0, see
//! [`crate::sqltokens::Positions`]). [`to_offset`] turns either form back into a
//! byte offset of the original file.

use crate::layout::{forward_ranges, Layout};
use crate::split::{split, split_with_tokens, RawStatement};
pub use crate::sqltokens::{to_offset, to_span};
use crate::sqltokens::{tokenize_from, tokenize_with, Positions};
use crate::Dialect;
use canary_lint_core::{SourceFile, Span};
use sqlparser::ast::Statement;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Location;

mod plain;
mod view;

/// Why sqlparser rejected a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The parser's message without its trailing position.
    pub message: String,
    /// Byte offset in the file where the parser stopped, when it said.
    pub offset: Option<usize>,
}

/// One statement of a file: where it is and what sqlparser made of it.
#[derive(Debug, Clone)]
pub struct ParsedStatement {
    /// The statement's bytes in the file (without the terminating `;`).
    pub span: Span,
    /// What became of it: read through [`ParsedStatement::ast`],
    /// [`ParsedStatement::is_skipped`], [`ParsedStatement::is_deferred`],
    /// [`ParsedStatement::error`] and [`ParsedStatement::read`]. The cases exclude
    /// each other, so one tagged pointer holds them: a file holds one record per
    /// statement, 32 bytes (48 with a field for each).
    slot: Slot,
}

/// What a [`ParsedStatement`] holds besides its place.
#[derive(Debug, Clone)]
enum Slot {
    /// Parsed without error, its tree not kept (see [`ParsedStatement::is_deferred`]).
    Deferred,
    /// Not given to the parser: a data statement (`INSERT`, `SELECT`, `COPY`,
    /// `UPDATE` ...) or a routine (`CREATE FUNCTION/PROCEDURE/TRIGGER`) whose AST
    /// no rule and not the schema model needs. `UPDATE`/`DELETE` are still
    /// token-scanned by the data rules. [`parse_file_all`] parses everything.
    Skipped,
    /// The parsed statement.
    Tree(Box<Statement>),
    /// What the parser said of a statement it rejected.
    Error(Box<ParseError>),
    /// The change value of a `CREATE VIEW` read from its tokens (see `parse/view.rs`).
    Read(Box<crate::changes::ChangeKind>),
}

impl ParsedStatement {
    fn new(span: Span, slot: Slot) -> Self {
        ParsedStatement { span, slot }
    }

    fn rejected(span: Span, error: ParseError) -> Self {
        ParsedStatement::new(span, Slot::Error(Box::new(error)))
    }
}

/// First words of statements [`parse_file`] leaves to the token scan. They change
/// data, not schema, and are most of the bytes of seed-heavy migrations; parsing
/// them would cost most of the run time and feed no rule.
const DATA_STATEMENTS: &[&str] = &[
    "INSERT",
    "UPDATE",
    "DELETE",
    "SELECT",
    "WITH",
    "COPY",
    "VALUES",
    "GRANT",
    "REVOKE",
    "COMMENT",
    "ANALYZE",
    "VACUUM",
    "EXPLAIN",
    "CALL",
    "DO",
    "REPLACE",
    "MERGE",
    "SHOW",
    "NOTIFY",
    "LISTEN",
    "PREPARE",
    "EXECUTE",
    "EXEC",
    "DEALLOCATE",
    "DISCARD",
    "CHECKPOINT",
    "PRAGMA",
    "USE",
];

/// A statement that changes no object of the schema model. Routines are not
/// among them: the model keeps functions (their signatures) and triggers, so a
/// history's `CREATE FUNCTION` is replayed like any other DDL.
fn is_data_statement(text: &str, span: Span) -> bool {
    let rest = &text.as_bytes()[span.start..span.end];
    let n = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let word = &text[span.start..span.start + n];
    DATA_STATEMENTS.iter().any(|k| k.eq_ignore_ascii_case(word))
        && !is_sp_rename_call(word, &rest[n..])
}

/// SQL Server's `EXEC [dbo.]sp_rename ..`: a rename, not a data statement.
fn is_sp_rename_call(word: &str, rest: &[u8]) -> bool {
    if !(word.eq_ignore_ascii_case("EXEC") || word.eq_ignore_ascii_case("EXECUTE")) {
        return false;
    }
    let rest = rest.trim_ascii_start();
    let name = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'[' | b']'))
        .count();
    let name = rest[..name].to_ascii_lowercase();
    name.ends_with(b"sp_rename") || name.ends_with(b"sp_rename]")
}

/// A routine (`CREATE FUNCTION | PROCEDURE | TRIGGER | EVENT`, whose body the
/// body scan reads for DDL) or a SQLite `PRAGMA`: valid statements sqlparser often
/// cannot read, and none changes the schema stable sees by itself.
pub(crate) fn is_routine_or_pragma(text: &str, span: Span, dialect: Dialect) -> bool {
    let rest = &text.as_bytes()[span.start..span.end];
    let n = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let word = &text[span.start..span.start + n];
    word.eq_ignore_ascii_case("PRAGMA")
        || (word.eq_ignore_ascii_case("CREATE") && is_routine(text, span, dialect))
}

/// `CREATE [OR REPLACE] [DEFINER = ..] FUNCTION | PROCEDURE | TRIGGER | EVENT`:
/// code, not schema. Neither the rules nor the schema model read routine bodies,
/// and they are the statements sqlparser most often cannot read.
fn is_routine(text: &str, span: Span, dialect: Dialect) -> bool {
    let mut lx = crate::lex::Lexer::new(text, span.start, span.end, dialect);
    for _ in 0..12 {
        match lx.next_token() {
            Some(t) if t.kind == crate::lex::TokenKind::Word => {
                let w = t.text(text);
                if ["FUNCTION", "PROCEDURE", "TRIGGER", "EVENT"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(w))
                {
                    return true;
                }
                if ["TABLE", "INDEX", "VIEW", "TYPE", "AS", "ON"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(w))
                {
                    return false;
                }
            }
            Some(_) => {}
            None => return false,
        }
    }
    false
}

/// A file split and parsed, forward sections only.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub file: SourceFile,
    pub layout: Layout,
    pub dialect: Dialect,
    pub statements: Vec<ParsedStatement>,
}

/// Splits and parses the forward part of `file`. Pure and `Send`: files can be
/// parsed in parallel.
///
/// Data statements (see [`ParsedStatement::is_skipped`]) are not parsed.
pub fn parse_file(file: &SourceFile, layout: Layout, dialect: Dialect) -> ParsedFile {
    parse_impl(file, layout, dialect, false)
}

/// As [`parse_file`], but every statement goes through the parser (for parse
/// coverage figures and for callers that need the AST of data statements).
pub fn parse_file_all(file: &SourceFile, layout: Layout, dialect: Dialect) -> ParsedFile {
    parse_impl(file, layout, dialect, true)
}

/// As [`parse_file_all`] (every statement goes through the parser, so each one it
/// rejects is reported), but a syntax tree that neither the release engine nor the
/// schema model reads is dropped as soon as it is made: its statement is kept as
/// [`ParsedStatement::is_skipped`], as if it had not been parsed. A `Statement` is
/// about 3.5 KB before its children, so keeping the tree of every `INSERT ..
/// VALUES` of a seed-heavy migration took about 150 times the file's size.
///
/// A `CREATE VIEW` whose tokens `view` reads with certainty is not given to the
/// parser: it keeps its change value ([`ParsedStatement::read`]) instead.
pub fn parse_file_checked(file: &SourceFile, layout: Layout, dialect: Dialect) -> ParsedFile {
    parse_filtered(file, layout, dialect, true, true, true, &|_| true)
}

/// As [`parse_file`], but only the statements for which `keep(statement text)`
/// holds go through the parser; the others are kept as skipped. Replaying a long
/// history for a small release only needs the statements that name what the
/// release touches. Views are read from their tokens as in [`parse_file_checked`].
pub fn parse_file_where(
    file: &SourceFile,
    layout: Layout,
    dialect: Dialect,
    keep: &dyn Fn(&str) -> bool,
) -> ParsedFile {
    parse_filtered(file, layout, dialect, false, false, true, keep)
}

/// The statement spans of the forward part of `file`, without parsing.
pub fn statement_spans(file: &SourceFile, layout: Layout, dialect: Dialect) -> Vec<Span> {
    let prepared = crate::layout::prepare(file, layout, dialect);
    let file = prepared.as_ref().map_or(file, |p| &p.file);
    let text: &str = &file.text;
    forward_ranges(layout, text)
        .into_iter()
        .flat_map(|range| split(text, range, dialect).into_iter().map(|r| r.span))
        .collect()
}

fn parse_impl(file: &SourceFile, layout: Layout, dialect: Dialect, all: bool) -> ParsedFile {
    parse_filtered(file, layout, dialect, all, false, false, &|_| true)
}

fn parse_filtered(
    file: &SourceFile,
    layout: Layout,
    dialect: Dialect,
    all: bool,
    lean: bool,
    by_tokens: bool,
    keep: &dyn Fn(&str) -> bool,
) -> ParsedFile {
    // Placeholders replaced, Liquibase changelogs written as SQL (same positions).
    let prepared = crate::layout::prepare(file, layout, dialect);
    let file = prepared.as_ref().map_or(file, |p| &p.file);
    let text: &str = &file.text;
    let sql_dialect = dialect.sqlparser();
    let defer = text.len() > KEEP_TREES_UP_TO;
    let mut statements = Vec::new();
    if let Some((at, message)) = prepared.as_ref().and_then(|p| p.error.clone()) {
        statements.push(ParsedStatement::rejected(
            Span::new(at, at),
            ParseError {
                message,
                offset: Some(at),
            },
        ));
    }
    for range in forward_ranges(layout, text) {
        // The splitter's tokens are kept for the parser unless the file is large
        // (a token takes 24 bytes, several times the bytes it covers).
        let (raws, cut) = if text.len() <= KEEP_TREES_UP_TO {
            split_with_tokens(text, range, dialect)
        } else {
            (split(text, range, dialect), Vec::new())
        };
        let mut from = 0;
        for raw in raws {
            // The tokens that start inside the statement.
            from += cut[from..].partition_point(|t| t.start < raw.span.start);
            let to = from + cut[from..].partition_point(|t| t.start < raw.span.end);
            let tokens = (text.len() <= KEEP_TREES_UP_TO).then(|| &cut[from..to]);
            if (!all && is_data_statement(text, raw.span))
                || !keep(&text[raw.span.start..raw.span.end])
                // Parsed only to drop its tree (see `plain`): known to parse.
                || (lean && plain::is_plain_data(text, raw.span, dialect, tokens))
                || (lean && view::is_plain_update(text, raw.span, dialect, tokens))
            {
                statements.push(ParsedStatement::new(raw.span, Slot::Skipped));
                continue;
            }
            // A view read from its tokens (see `view`): the parser is not needed.
            if by_tokens && raw.span.len() < 2 * guard::MAX_OPERATOR_CHAIN {
                if let Some(kind) = view::read(text, raw.span, dialect, tokens) {
                    statements.push(ParsedStatement::new(raw.span, Slot::Read(Box::new(kind))));
                    continue;
                }
            }
            parse_one(
                text,
                raw,
                tokens,
                dialect,
                &*sql_dialect,
                lean,
                defer,
                &mut statements,
            );
        }
    }
    // One record per statement is kept while the file is checked.
    statements.shrink_to_fit();
    ParsedFile {
        file: file.clone(),
        layout,
        dialect,
        statements,
    }
}

#[allow(clippy::too_many_arguments)]
fn parse_one(
    text: &str,
    raw: RawStatement,
    cut: Option<&[crate::lex::Token]>,
    ours: Dialect,
    dialect: &dyn sqlparser::dialect::Dialect,
    lean: bool,
    defer: bool,
    out: &mut Vec<ParsedStatement>,
) {
    let sql = &text[raw.span.start..raw.span.end];
    if let Some(error) = guard::too_long_chain(text, raw.span, ours) {
        out.push(ParsedStatement::rejected(raw.span, error));
        return;
    }
    let result = parse_sql_from(sql, cut.map(|c| (c, raw.span.start)), ours, dialect);
    match result {
        // One statement whose tree is dropped: dropped where it lies (a
        // `Statement` is kilobytes; moving it out of the vector cost a copy).
        Ok(stmts) if lean && stmts.len() == 1 && tree_unused(&stmts[0], text, raw.span, ours) => {
            out.push(ParsedStatement::new(raw.span, Slot::Skipped));
        }
        Ok(stmts) if !stmts.is_empty() => {
            let one = stmts.len() == 1;
            for ast in stmts {
                if lean && defer && one && !tree_unused(&ast, text, raw.span, ours) {
                    // Parsed again when the engine reaches it (see `ParsedStatement::tree`).
                    out.push(ParsedStatement::new(raw.span, Slot::Deferred));
                    continue;
                }
                if lean && tree_unused(&ast, text, raw.span, ours) {
                    out.push(ParsedStatement::new(raw.span, Slot::Skipped));
                    continue;
                }
                out.push(ParsedStatement::new(raw.span, Slot::Tree(Box::new(ast))));
            }
        }
        Ok(_) => {}
        Err(e) => {
            let full = match e {
                sqlparser::parser::ParserError::TokenizerError(m)
                | sqlparser::parser::ParserError::ParserError(m) => m,
                sqlparser::parser::ParserError::RecursionLimitExceeded => {
                    "statement nested too deeply".to_string()
                }
            };
            let (message, offset) = split_position(&full, text, raw.span.start);
            // No position (or 0:0) means the parser ran out of input: point at the end.
            let offset = offset.or(Some(raw.span.end));
            let (message, offset) = guard::fail_safe_error(text, raw.span, ours, message, offset);
            out.push(ParsedStatement::rejected(
                raw.span,
                ParseError { message, offset },
            ));
        }
    }
}

/// sqlparser on one statement's text. Our tokenizer where it covers the statement
/// (same tokens, a fraction of the cost), with byte offsets for positions;
/// sqlparser's own where it does not.
fn parse_sql(
    sql: &str,
    ours: Dialect,
    dialect: &dyn sqlparser::dialect::Dialect,
) -> Result<Vec<Statement>, sqlparser::parser::ParserError> {
    parse_sql_from(sql, None, ours, dialect)
}

/// [`parse_sql`], with the splitter's tokens of the statement when there are
/// (see [`tokenize_from`]).
fn parse_sql_from(
    sql: &str,
    cut: Option<(&[crate::lex::Token], usize)>,
    ours: Dialect,
    dialect: &dyn sqlparser::dialect::Dialect,
) -> Result<Vec<Statement>, sqlparser::parser::ParserError> {
    match tokenize_from(sql, ours, Positions::Offsets, cut) {
        Some(tokens) => Parser::new(dialect)
            .with_tokens_with_locations(tokens)
            .parse_statements()
            .or_else(|_| {
                // The message names a line and column: parse again with them.
                let tokens = tokenize_with(sql, ours, Positions::LineColumn).unwrap_or_default();
                Parser::new(dialect)
                    .with_tokens_with_locations(tokens)
                    .parse_statements()
            }),
        None => Parser::new(dialect)
            .try_with_sql(sql)
            .and_then(|mut p| p.parse_statements()),
    }
}

/// Files larger than this keep no syntax tree at all after parsing: a schema
/// statement's tree (sqlparser's `Statement` is about 3.5 KB before its children,
/// some 80 times a short `ALTER TABLE`) is parsed again, by the same code, when the
/// release engine or the replay reaches it, so a file of DDL alone costs memory in
/// proportion to its text, not to its trees. Smaller files, nearly every migration,
/// keep their trees and are parsed once.
const KEEP_TREES_UP_TO: usize = 256 * 1024;

impl ParsedStatement {
    /// The parsed statement, `None` when the parser rejected it (see
    /// [`ParsedStatement::error`]), when the statement is skipped, when it was read
    /// from its tokens, or when its tree was not kept
    /// ([`ParsedStatement::is_deferred`]: [`ParsedStatement::tree`] parses it again).
    pub fn ast(&self) -> Option<&Statement> {
        match &self.slot {
            Slot::Tree(ast) => Some(ast),
            _ => None,
        }
    }

    /// Not given to the parser (a data statement or a routine, see `Slot::Skipped`),
    /// or parsed only to drop its tree.
    pub fn is_skipped(&self) -> bool {
        matches!(self.slot, Slot::Skipped)
    }

    /// What the parser said, when it rejected the statement.
    pub fn error(&self) -> Option<&ParseError> {
        match &self.slot {
            Slot::Error(e) => Some(e),
            _ => None,
        }
    }

    /// The change value of a `CREATE VIEW` read from its tokens instead of parsed.
    pub fn read(&self) -> Option<&crate::changes::ChangeKind> {
        match &self.slot {
            Slot::Read(kind) => Some(kind),
            _ => None,
        }
    }

    /// Parsed without error and its tree not kept (in a file larger than
    /// `KEEP_TREES_UP_TO`): [`ParsedStatement::tree`] parses it again.
    pub fn is_deferred(&self) -> bool {
        matches!(self.slot, Slot::Deferred)
    }

    /// The statement's syntax tree: the one kept, or for a deferred statement the
    /// same tree parsed again from `text` (the text of the file it was parsed from).
    pub fn tree<'a>(
        &'a self,
        text: &str,
        dialect: Dialect,
    ) -> Option<std::borrow::Cow<'a, Statement>> {
        if let Some(ast) = self.ast() {
            return Some(std::borrow::Cow::Borrowed(ast));
        }
        if !self.is_deferred() {
            return None;
        }
        let sql = text.get(self.span.start..self.span.end)?;
        let mut stmts = parse_sql(sql, dialect, &*dialect.sqlparser()).ok()?;
        (stmts.len() == 1)
            .then(|| stmts.pop())
            .flatten()
            .map(std::borrow::Cow::Owned)
    }
}

/// The change values of a statement read from its tokens
/// ([`ParsedStatement::read`]); none for any other.
pub(crate) fn read_changes(s: &ParsedStatement) -> Vec<crate::changes::Change> {
    s.read()
        .into_iter()
        .map(|kind| crate::changes::Change {
            kind: kind.clone(),
            clause: s.span,
            by_scan: false,
        })
        .collect()
}

/// A parsed statement whose tree nothing reads: the release engine makes no change
/// from it (its lock and data facts come from the token scan of its text) and the
/// schema model ignores it. Kept as skipped, it goes through the engine as it did
/// with its tree: no change from the tree, the same token scan, nothing replayed.
fn tree_unused(ast: &Statement, text: &str, span: Span, dialect: Dialect) -> bool {
    match ast {
        Statement::Query(_)
        | Statement::Update(_)
        | Statement::Delete(_)
        | Statement::Merge(_)
        | Statement::Copy { .. }
        | Statement::Grant(_)
        | Statement::Revoke(_)
        | Statement::Comment { .. }
        // The lock timeout a `SET` gives is read from its tokens.
        | Statement::Set(_) => true,
        // `INSERT .. SELECT` from a table fills it (a change); `INSERT .. VALUES`
        // makes none.
        Statement::Insert(_) => {
            let st = crate::changes::StatementText::new(text, span, dialect);
            crate::changes::from_statement(ast, &st).is_empty()
        }
        _ => false,
    }
}

/// Guards for hostile SQL, kept apart from the parsing itself.
mod guard {
    use super::ParseError;
    use crate::lex::{Lexer, TokenKind};
    use crate::Dialect;
    use canary_lint_core::Span;

    /// Longest chain of binary operators (`AND`, `OR`, `+`, `||`, `UNION` ...) one
    /// statement may hold between commas. Syntax trees of longer chains are deep enough
    /// to exhaust a thread's stack when walked or dropped, so such a statement is
    /// reported as unparsed (the token scan still checks it) instead of parsed.
    pub const MAX_OPERATOR_CHAIN: usize = 10_000;

    /// The error for a statement whose operator chain is over the limit. Only long
    /// statements are looked at (a chain over the limit takes more than 20 KB).
    pub fn too_long_chain(text: &str, span: Span, dialect: Dialect) -> Option<ParseError> {
        if span.len() < 2 * MAX_OPERATOR_CHAIN {
            return None;
        }
        let mut lx = Lexer::new(text, span.start, span.end, dialect);
        let (mut run, mut longest) = (0usize, 0usize);
        while let Some(t) = lx.next_token() {
            let word = |w: &str| t.is_word(text, w);
            let op = match t.kind {
                TokenKind::Punct => matches!(
                    text.as_bytes()[t.start],
                    b'+' | b'-' | b'*' | b'/' | b'|' | b'=' | b'<' | b'>' | b'%' | b'^' | b'&'
                ),
                TokenKind::Word => {
                    word("AND")
                        || word("OR")
                        || word("UNION")
                        || word("EXCEPT")
                        || word("INTERSECT")
                        || word("XOR")
                }
                _ => false,
            };
            if op {
                run += 1;
                longest = longest.max(run);
            } else if t.is_punct(text, b',') {
                run = 0;
            }
        }
        (longest > MAX_OPERATOR_CHAIN).then(|| ParseError {
            message: format!(
                "statement too deeply nested to parse safely: a chain of {longest} operators (the limit is {MAX_OPERATOR_CHAIN})"
            ),
            offset: Some(span.start),
        })
    }

    /// A parser message made safe to print, with the right position: string literals
    /// are never quoted (they may hold passwords), and an unterminated block comment
    /// is reported where it opens.
    pub fn fail_safe_error(
        text: &str,
        span: Span,
        dialect: Dialect,
        message: String,
        offset: Option<usize>,
    ) -> (String, Option<usize>) {
        let message = without_literals(&message);
        if message.contains("multi-line comment") {
            let mut lx = Lexer::new(text, span.start, span.end, dialect);
            let mut open = None;
            while let Some(t) = lx.next_token() {
                if t.kind == TokenKind::BlockComment {
                    open = Some(t.start);
                }
            }
            return (
                "unterminated block comment (`/*` without its `*/`)".to_string(),
                open.or(offset),
            );
        }
        (message, offset)
    }

    /// `message` with every quoted run (`'...'`, `"..."`, `$$...$$`) replaced by a
    /// placeholder that says what it was.
    pub fn without_literals(message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        let mut rest = message;
        while let Some(i) = rest.find(['\'', '"', '$']) {
            let q = rest.as_bytes()[i];
            let close = if q == b'$' {
                if !rest[i..].starts_with("$$") {
                    out.push_str(&rest[..=i]);
                    rest = &rest[i + 1..];
                    continue;
                }
                "$$"
            } else if q == b'\'' {
                "'"
            } else {
                "\""
            };
            let body = i + close.len();
            out.push_str(&rest[..i]);
            match rest[body..].find(close) {
                Some(j) => {
                    out.push_str(if q == b'"' {
                        "a quoted name or string"
                    } else {
                        "a string literal"
                    });
                    rest = &rest[body + j + close.len()..];
                }
                None => {
                    out.push_str("a string literal");
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn literals_are_not_quoted() {
            assert_eq!(
                without_literals("Expected: ), found: 'hunter2' at x"),
                "Expected: ), found: a string literal at x"
            );
            assert_eq!(
                without_literals("found: \"pw\" and $$body$$ and $1"),
                "found: a quoted name or string and a string literal and $1"
            );
            assert_eq!(without_literals("found: 'open"), "found: a string literal");
        }

        #[test]
        fn long_chains_are_refused_short_ones_and_lists_are_not() {
            let chain = format!("SELECT {}", vec!["1"; 12_000].join(" + "));
            let e = too_long_chain(&chain, Span::new(0, chain.len()), Dialect::Postgres);
            assert!(e.is_some_and(|e| e.message.contains("11999 operators")));
            let list = format!("SELECT {}", vec!["1 + 1"; 12_000].join(", "));
            assert!(too_long_chain(&list, Span::new(0, list.len()), Dialect::Postgres).is_none());
        }
    }
}

/// Splits sqlparser's ` at Line: L, Column: C` suffix off a message and turns it
/// into a file offset.
fn split_position(msg: &str, text: &str, base: usize) -> (String, Option<usize>) {
    if let Some(i) = msg.rfind(" at Line: ") {
        let pos = &msg[i + " at Line: ".len()..];
        if let Some((l, c)) = pos.split_once(", Column: ") {
            if let (Ok(line), Ok(column)) = (l.trim().parse::<u64>(), c.trim().parse::<u64>()) {
                let off = to_offset(text, base, Location { line, column });
                return (msg[..i].to_string(), off);
            }
        }
    }
    (msg.to_string(), None)
}

/// A small deterministic random source for the generated-statement tests of the
/// token readers (`plain`, `view`): xorshift64 from `seed`, giving `0..n`.
#[cfg(test)]
pub(crate) fn test_rng(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sqlparser::ast::{AlterTableOperation, Statement};

    #[test]
    fn ident_spans_map_to_file_bytes_with_non_ascii_text() {
        // 'é' and '名' are multi-byte: columns count characters.
        let text = "-- é\nSELECT '名前';\nALTER TABLE \"naïve\"\n  DROP COLUMN \"é_mail\";";
        let f = SourceFile::new("x.sql", text);
        let p = parse_file(&f, Layout::Plain, Dialect::Postgres);
        assert_eq!(p.statements.len(), 2);
        let st = &p.statements[1];
        let Some(Statement::AlterTable(at)) = st.ast() else {
            panic!("{:?}", st.ast())
        };
        let AlterTableOperation::DropColumn { column_names, .. } = &at.operations[0] else {
            panic!()
        };
        let sp = to_span(text, st.span.start, column_names[0].span).unwrap();
        assert_eq!(&text[sp.start..sp.end], "\"é_mail\"");
    }

    /// A large migration keeps one record per statement for the whole run.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_statement_record_is_32_bytes() {
        assert_eq!(std::mem::size_of::<ParsedStatement>(), 32);
    }

    #[test]
    fn parse_errors_keep_message_and_position() {
        let text = "SELECT 1;\nALTER TABLE t DROP COLUMN;";
        let f = SourceFile::new("x.sql", text);
        let p = parse_file(&f, Layout::Plain, Dialect::Postgres);
        let e = p.statements[1]
            .error()
            .cloned()
            .unwrap_or_else(|| panic!("{:?}", p.statements));
        assert!(e.message.contains("Expected"), "{}", e.message);
        assert!(!e.message.contains("Line:"));
        let off = e.offset.unwrap();
        assert!(off >= p.statements[1].span.start && off <= text.len());
    }

    #[test]
    fn goose_down_section_is_not_parsed() {
        let text = "-- +goose Up\nCREATE TABLE a (x int);\n-- +goose Down\nDROP TABLE a;\n";
        let f = SourceFile::new("1_a.sql", text);
        let p = parse_file(&f, Layout::Goose, Dialect::Postgres);
        assert_eq!(p.statements.len(), 1);
        assert!(matches!(
            p.statements[0].ast(),
            Some(Statement::CreateTable(_))
        ));
    }
}

#[cfg(test)]
mod lean_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::delta::Knowledge;
    use crate::engine::analyze_release;
    use crate::model::Schema;

    const SQL: &str = "CREATE TABLE users (id int PRIMARY KEY, email text, name text);
INSERT INTO users (id, email) VALUES (1, 'a@example.com');
INSERT INTO users_copy SELECT * FROM users;
SELECT 1;
UPDATE users SET name = NULL;
DELETE FROM users;
INSERT INTO users (id VALUES (2;
ALTER TABLE users DROP COLUMN email;
";

    fn kinds(pf: &ParsedFile) -> Vec<(bool, bool, bool)> {
        pf.statements
            .iter()
            .map(|s| (s.ast().is_some(), s.error().is_some(), s.is_skipped()))
            .collect()
    }

    #[test]
    fn trees_nothing_reads_are_dropped_and_rejections_kept() {
        let file = SourceFile::new("m.sql", SQL);
        let pf = parse_file_checked(&file, Layout::Plain, Dialect::Postgres);
        assert_eq!(
            kinds(&pf),
            vec![
                (true, false, false), // CREATE TABLE: replayed
                (false, false, true), // INSERT .. VALUES: tree dropped
                (true, false, false), // INSERT .. SELECT: fills a table
                (false, false, true), // SELECT
                (false, false, true), // UPDATE: token-scanned
                (false, false, true), // DELETE
                (false, true, false), // rejected: still reported
                (true, false, false), // ALTER TABLE
            ]
        );
    }

    #[test]
    fn dropping_trees_changes_no_finding() {
        let file = SourceFile::new("m.sql", SQL);
        let run = |pf: ParsedFile| {
            let a = analyze_release(&mut Schema::new(), Knowledge::NoHistory, &[pf]);
            (format!("{:?}", a.diagnostics), format!("{:?}", a.delta))
        };
        assert_eq!(
            run(parse_file_checked(&file, Layout::Plain, Dialect::Postgres)),
            run(parse_file_all(&file, Layout::Plain, Dialect::Postgres))
        );
    }
}
