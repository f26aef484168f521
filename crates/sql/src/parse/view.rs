//! `CREATE [OR REPLACE] [MATERIALIZED] VIEW` read from its tokens, without
//! sqlparser, when the reading is certain.
//!
//! What the release engine and the schema model take from a view is small: its
//! name, its output columns, where each column comes from, the relations its
//! query reads and the query's text (the `CreateView` change value that
//! `changes::from_statement` makes from the syntax tree). Parsing the view
//! with sqlparser (its tokens converted, a tree of the whole query built and
//! dropped) was the largest single cost of checking a migration folder with many
//! views: lemmy's 180 view definitions took a sixth of its run (callgrind:
//! `parse_create_view` 42.6 M of 312 M instructions, plus their share of the
//! token conversion). This reader makes the same change value from the tokens
//! and gives the statement to the parser as before whenever it is unsure. It
//! reads all 180 views of lemmy's forward migrations and the 101 of the
//! 1,000-migration benchmark; with the `UPDATE`s below (118 of lemmy's 142, all
//! 101 of the benchmark's), lemmy went from 312.2 M to 256.6 M
//! instructions and the benchmark from 296.8 M to 289.0 M (callgrind, release
//! build without LTO; the pre-commit case stays at 15.1 M).
//!
//! The grammar it accepts (Postgres only; any other token, word or shape, a
//! dialect other than Postgres, or a word sqlparser might read as a keyword
//! where a name goes, and the statement goes to the parser):
//!
//! ```text
//! CREATE [OR REPLACE] [MATERIALIZED] VIEW [IF NOT EXISTS] name [( ident {, ident} )]
//!     AS query
//! query   = [WITH ident AS ( query ) {, ident AS ( query )}] body
//!           [ORDER BY expr [ASC|DESC] {, ..}] [LIMIT number] [OFFSET number]
//! body    = term {(UNION [ALL|DISTINCT] | EXCEPT | INTERSECT) term}
//! term    = SELECT [DISTINCT [ON ( expr {, expr} )]] item {, item}
//!           [FROM from {, from}] [WHERE expr] [GROUP BY expr {, expr}] [HAVING expr]
//!         | ( query )
//! item    = * | name . * | expr [[AS] alias]
//! from    = factor {[INNER | LEFT [OUTER] | RIGHT [OUTER] | FULL [OUTER]] JOIN factor
//!           (ON expr | USING ( ident {, ident} )) | CROSS JOIN factor}
//! factor  = name [[AS] alias] | ( query ) [[AS] alias] | ( from ) [[AS] alias]
//! expr    = unary {binary-operator unary | IS [NOT] (NULL | TRUE | FALSE | DISTINCT FROM unary)
//!           | [NOT] IN ( query | expr {, expr} ) | [NOT] (LIKE | ILIKE) unary
//!           | [NOT] BETWEEN arith AND arith}
//! unary   = NOT unary | - unary | + unary | primary {:: type}
//! primary = number | 'string' | NULL | TRUE | FALSE | INTERVAL 'string' | name
//!           | name ( [* | [DISTINCT] expr {, expr}] )
//!           [FILTER ( WHERE expr )] | CASE [expr] WHEN expr THEN expr {..} [ELSE expr] END
//!         | CAST ( expr AS type ) | EXISTS ( query ) | ( query ) | ( expr )
//! type    = a type name with its modifiers, as sqlparser reads it alone
//! ```
//!
//! Names are double-quoted identifiers without a quote inside, or unquoted
//! ASCII words that sqlparser reads as a name where they stand: no keyword,
//! or a keyword [`never_a_name`] does not list (an alias without `AS` must be
//! no keyword at all; after a dot any word is a name).
//! Strings are `'...'` without a backslash; numbers are `digits[.digits]`; the
//! operators are `= <> != < > <= >= + - * / % ||` and `::`; blanks are ASCII
//! spaces, tabs and line breaks; comments `--` and `/* */` (not nested).
//!
//! The same grammar recognises an `UPDATE` that sqlparser accepts and whose
//! tree the checked parse drops (`UPDATE from SET name [. name] = expr {, ..}
//! [FROM from] [WHERE expr]`): it is kept as skipped without parsing, as
//! `plain` does for `INSERT .. VALUES` (lemmy's 142 `UPDATE`s took 5 M
//! instructions of sqlparser).
//!
//! The test `views_read_from_tokens_equal_the_parsed_ones_and_updates_parse`
//! runs both readings over every `CREATE VIEW` and `UPDATE` of the test data
//! and the rule fixtures, and over variants of them with a token dropped,
//! doubled, swapped or replaced: every view read here must be one sqlparser
//! accepts and give the change value its tree gives; every `UPDATE` kept must
//! parse to a tree the checked parse drops. (`CANARY_LINT_VIEW_DIRS` adds
//! migration folders to it, `CANARY_LINT_VIEW_ROUNDS` sets the variants per
//! statement: the real corpora were checked so.)

use crate::changes::{ChangeKind, ColumnSource, Name};
use crate::lex::{Lexer, Token, TokenKind};
use crate::Dialect;
use canary_lint_core::Span;
use sqlparser::keywords::Keyword;
use sqlparser::keywords::Keyword as W;

/// Keywords that are never a name where the reader takes a word for one:
/// words with a meaning of their own at the start of an expression
/// (`parse_expr_prefix_by_reserved_word` in sqlparser), operators and clause
/// words after an expression, words of the `SELECT` and `FROM` grammar, and
/// sqlparser's lists of words reserved as aliases, table factors and
/// identifiers. Any other keyword is a plain name to sqlparser there (`name`,
/// `type`, `comment`, `count(..)`).
fn never_a_name(kw: Keyword) -> bool {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![false; sqlparser::keywords::ALL_KEYWORDS_INDEX.len() + 1];
        for &k in sqlparser::keywords::ALL_KEYWORDS_INDEX {
            if let Some(slot) = t.get_mut(k as usize) {
                *slot = listed_never_a_name(k);
            }
        }
        t
    });
    table.get(kw as usize).copied().unwrap_or(true)
}

/// [`never_a_name`], from the lists.
fn listed_never_a_name(kw: Keyword) -> bool {
    use sqlparser::keywords::{
        RESERVED_FOR_COLUMN_ALIAS, RESERVED_FOR_IDENTIFIER, RESERVED_FOR_TABLE_ALIAS,
        RESERVED_FOR_TABLE_FACTOR,
    };
    matches!(
        kw,
        // Expression prefixes.
        W::TRUE | W::FALSE | W::NULL | W::CURRENT_CATALOG | W::CURRENT_USER | W::SESSION_USER
            | W::USER | W::CURRENT_TIMESTAMP | W::CURRENT_TIME | W::CURRENT_DATE | W::LOCALTIME
            | W::LOCALTIMESTAMP | W::CASE | W::CONVERT | W::TRY_CONVERT | W::CAST | W::TRY_CAST
            | W::SAFE_CAST | W::EXISTS | W::EXTRACT | W::CEIL | W::FLOOR | W::POSITION
            | W::SUBSTR | W::SUBSTRING | W::OVERLAY | W::TRIM | W::INTERVAL | W::ARRAY | W::NOT
            | W::MATCH | W::STRUCT | W::PRIOR | W::MAP | W::APPROXIMATE | W::LAMBDA | W::CIRCLE
            | W::BOX | W::PATH | W::LINE | W::LSEG | W::POINT | W::POLYGON
            // Operators after an expression.
            | W::AND | W::OR | W::XOR | W::AT | W::BETWEEN | W::DIV | W::GLOB | W::GLOBAL
            | W::ILIKE | W::IN | W::IS | W::LIKE | W::MEMBER | W::NOTNULL
            | W::OPERATOR | W::OVERLAPS | W::REGEXP | W::RLIKE | W::SIMILAR | W::TIME
            | W::ZONE | W::COLLATE | W::ESCAPE
            // The SELECT and FROM grammar.
            | W::SELECT | W::FROM | W::WHERE | W::GROUP | W::BY | W::HAVING | W::ORDER
            | W::LIMIT | W::OFFSET | W::FETCH | W::UNION | W::EXCEPT | W::INTERSECT | W::MINUS
            | W::WITH | W::AS | W::ON | W::JOIN | W::INNER | W::LEFT | W::RIGHT | W::FULL
            | W::CROSS | W::OUTER | W::NATURAL | W::USING | W::LATERAL | W::WHEN | W::THEN
            | W::ELSE | W::END | W::DISTINCT | W::ALL | W::ANY | W::SOME | W::FILTER | W::OVER
            | W::WINDOW | W::QUALIFY | W::ASC | W::DESC | W::NULLS | W::FIRST | W::LAST
            | W::ROWS | W::ROW | W::ONLY | W::DEFAULT | W::TABLE | W::UNNEST | W::VALUES
            | W::PIVOT | W::UNPIVOT | W::ORDINALITY | W::INTO | W::TOP | W::VIEW | W::CLUSTER
            | W::PREWHERE | W::PARTITION | W::FOR | W::RECURSIVE | W::MATERIALIZED
            | W::WITHIN | W::RESPECT | W::IGNORE | W::SEPARATOR | W::EXCLUDE | W::REPLACE
            | W::RENAME
    ) || RESERVED_FOR_COLUMN_ALIAS.contains(&kw)
        || RESERVED_FOR_TABLE_ALIAS.contains(&kw)
        || RESERVED_FOR_TABLE_FACTOR.contains(&kw)
        || RESERVED_FOR_IDENTIFIER.contains(&kw)
}

/// One token as the reader sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    /// An unquoted ASCII word.
    Word,
    /// `"..."` without a quote inside.
    Quoted,
    Str,
    Num,
    /// An operator (one of [`OPERATORS`]).
    Op,
    /// `(`, `)`, `,`, `.`.
    P(u8),
}

const OPERATORS: &[&str] = &[
    "=", "<>", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "||", "::",
];

#[derive(Debug, Clone, Copy)]
struct T {
    k: K,
    /// The keyword a word is (`NoKeyword` for any other token).
    kw: Keyword,
    start: usize,
    end: usize,
}

/// The top-level shape of an expression, as far as the change value needs it.
#[derive(Debug, Clone)]
enum Shape {
    /// One name part (its token).
    Ident(usize),
    /// Name parts (their tokens).
    Compound(Vec<usize>),
    /// `x::type` or `CAST(x AS type)`: the type's tokens.
    Cast(usize, usize),
    Nested(Box<Shape>),
    Other,
}

/// One item of the top-level projection.
enum Item {
    Wildcard,
    Expr(Shape, Option<usize>),
}

/// A reading of one query.
#[derive(Default)]
struct QueryInfo {
    /// The items of its body when that is one `SELECT` (not parenthesised, not
    /// a set operation).
    items: Option<Vec<Item>>,
    /// The table factors of that `SELECT`'s `FROM` (name tokens, alias token),
    /// in order, for the qualifiers of its columns.
    tables: Vec<(Vec<usize>, Option<usize>)>,
}

struct Reader<'a> {
    src: &'a str,
    t: Vec<T>,
    i: usize,
    /// Relation keys read in `FROM`/`JOIN` (of the query, its set operations,
    /// CTEs and derived tables; not of subqueries in expressions).
    relations: Vec<String>,
    /// CTE names met where relations are collected.
    ctes: Vec<String>,
    depth: usize,
}

/// The `CreateView` change of a `CREATE VIEW` statement whose reading is
/// certain, `None` to leave it to the parser. `cut`: the splitter's tokens of
/// the statement, when kept.
pub(crate) fn read(
    text: &str,
    span: Span,
    dialect: Dialect,
    cut: Option<&[Token]>,
) -> Option<ChangeKind> {
    if dialect != Dialect::Postgres || !starts_create_view(text, span) {
        return None;
    }
    let t = tokens(text, span, dialect, cut)?;
    let mut r = Reader {
        src: text,
        t,
        i: 0,
        relations: Vec::new(),
        ctes: Vec::new(),
        depth: 0,
    };
    r.statement()
}

/// An `UPDATE` of the grammar in the module header: one sqlparser accepts,
/// whose tree the checked parse drops (`tree_unused`), so it is kept as
/// skipped without parsing, as `plain` does for `INSERT .. VALUES`.
pub(crate) fn is_plain_update(
    text: &str,
    span: Span,
    dialect: Dialect,
    cut: Option<&[Token]>,
) -> bool {
    let b = &text.as_bytes()[span.start..span.end];
    if dialect != Dialect::Postgres
        || b.len() < 12
        || !b[..6].eq_ignore_ascii_case(b"UPDATE")
        || !b[6].is_ascii_whitespace()
        || span.len() >= 2 * super::guard::MAX_OPERATOR_CHAIN
    {
        return false;
    }
    let Some(t) = tokens(text, span, dialect, cut) else {
        return false;
    };
    let mut r = Reader {
        src: text,
        t,
        i: 0,
        relations: Vec::new(),
        ctes: Vec::new(),
        depth: 0,
    };
    r.update().is_some() && r.i == r.t.len()
}

/// `CREATE [OR REPLACE] [MATERIALIZED] VIEW`, checked on the bytes before any
/// lexing (most statements are not views).
fn starts_create_view(text: &str, span: Span) -> bool {
    let b = &text.as_bytes()[span.start..span.end];
    if b.len() < 16 || !b[..6].eq_ignore_ascii_case(b"CREATE") || !b[6].is_ascii_whitespace() {
        return false;
    }
    for w in b[7..]
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .take(4)
    {
        if w.eq_ignore_ascii_case(b"VIEW") {
            return true;
        }
        if !(w.eq_ignore_ascii_case(b"OR")
            || w.eq_ignore_ascii_case(b"REPLACE")
            || w.eq_ignore_ascii_case(b"MATERIALIZED"))
        {
            return false;
        }
    }
    false
}

fn is_blank(b: &[u8]) -> bool {
    b.iter().all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The statement's tokens in the reader's terms; `None` for any token outside
/// them.
fn tokens(text: &str, span: Span, dialect: Dialect, cut: Option<&[Token]>) -> Option<Vec<T>> {
    let lexed;
    let toks: &[Token] = match cut {
        Some(c) => c,
        None => {
            let mut lx = Lexer::new(text, span.start, span.end, dialect);
            let mut v = Vec::new();
            while let Some(t) = lx.next_token() {
                v.push(t);
            }
            lexed = v;
            &lexed
        }
    };
    let b = text.as_bytes();
    let mut out: Vec<T> = Vec::with_capacity(toks.len());
    let mut at = span.start;
    for tok in toks {
        if !is_blank(&b[at..tok.start]) {
            return None;
        }
        at = tok.end;
        let s = &b[tok.start..tok.end];
        let k = match tok.kind {
            // Not a hint (`/*+ .. */`, `--+ ..`), which some parsers read.
            TokenKind::LineComment => {
                if !s.starts_with(b"--") || s.get(2) == Some(&b'+') {
                    return None;
                }
                continue;
            }
            TokenKind::BlockComment => {
                let inner = s.strip_prefix(b"/*")?.strip_suffix(b"*/")?;
                if inner.windows(2).any(|w| w == b"/*") || inner.first() == Some(&b'+') {
                    return None;
                }
                continue;
            }
            TokenKind::Word
                if (s[0].is_ascii_alphabetic() || s[0] == b'_')
                    && s.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') =>
            {
                K::Word
            }
            TokenKind::QuotedIdent => {
                if s.len() < 3 || s[0] != b'"' || s[s.len() - 1] != b'"' {
                    return None;
                }
                if s[1..s.len() - 1].contains(&b'"') {
                    return None;
                }
                K::Quoted
            }
            TokenKind::Str
                if s[0] == b'\'' && !s.contains(&b'\\') && super::plain::closed_string(s) =>
            {
                K::Str
            }
            TokenKind::Number => {
                let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
                let ok = match s.iter().position(|c| *c == b'.') {
                    Some(p) => digits(&s[..p]) && digits(&s[p + 1..]),
                    None => digits(s),
                };
                if !ok {
                    return None;
                }
                K::Num
            }
            TokenKind::Punct if s.len() == 1 => match s[0] {
                c @ (b'(' | b')' | b',' | b'.') => K::P(c),
                c if b"+-*/<>=!%|:".contains(&c) => {
                    // Operator characters next to each other make one operator
                    // (checked against the known ones below).
                    if let Some(last) = out.last_mut() {
                        if last.k == K::Op && last.end == tok.start {
                            last.end = tok.end;
                            continue;
                        }
                    }
                    K::Op
                }
                _ => return None,
            },
            _ => return None,
        };
        let kw = if k == K::Word {
            crate::sqltokens::keyword(&text[tok.start..tok.end])
        } else {
            Keyword::NoKeyword
        };
        out.push(T {
            k,
            kw,
            start: tok.start,
            end: tok.end,
        });
    }
    if !is_blank(&b[at..span.end]) {
        return None;
    }
    if out
        .iter()
        .any(|t| t.k == K::Op && !OPERATORS.contains(&&text[t.start..t.end]))
    {
        return None;
    }
    Some(out)
}

/// Deepest nesting of queries and parentheses read (sqlparser's own limit is
/// 50 levels of recursion; the reader declines well before it).
const MAX_DEPTH: usize = 16;

impl<'a> Reader<'a> {
    fn text(&self, i: usize) -> &'a str {
        let t = self.t[i];
        &self.src[t.start..t.end]
    }

    fn peek(&self) -> Option<T> {
        self.t.get(self.i).copied()
    }

    fn at_word(&self, kw: Keyword) -> bool {
        self.word_at(self.i, kw)
    }

    fn word_at(&self, i: usize, kw: Keyword) -> bool {
        self.t.get(i).is_some_and(|t| t.k == K::Word && t.kw == kw)
    }

    /// Steps past the current token when `hit` says it is the one looked for.
    fn step_if(&mut self, hit: bool) -> bool {
        if hit {
            self.i += 1;
        }
        hit
    }

    fn eat_word(&mut self, kw: Keyword) -> bool {
        let hit = self.at_word(kw);
        self.step_if(hit)
    }

    fn expect_word(&mut self, kw: Keyword) -> Option<()> {
        self.eat_word(kw).then_some(())
    }

    fn at_p(&self, c: u8) -> bool {
        self.peek().is_some_and(|t| t.k == K::P(c))
    }

    fn eat_p(&mut self, c: u8) -> bool {
        let hit = self.at_p(c);
        self.step_if(hit)
    }

    fn expect_p(&mut self, c: u8) -> Option<()> {
        self.eat_p(c).then_some(())
    }

    fn at_op(&self, op: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.k == K::Op && &self.src[t.start..t.end] == op)
    }

    /// A name at `i`: a quoted identifier, or a word that is no keyword (with
    /// `keywords`: or a keyword sqlparser reads as a name, see [`never_a_name`]).
    fn name_at(&self, i: usize, keywords: bool) -> bool {
        match self.t.get(i) {
            Some(t) if t.k == K::Quoted => true,
            Some(t) if t.k == K::Word => {
                t.kw == Keyword::NoKeyword || (keywords && !never_a_name(t.kw))
            }
            _ => false,
        }
    }

    /// A name part after a dot: any word or quoted identifier.
    fn part_at(&self, i: usize) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| matches!(t.k, K::Word | K::Quoted))
    }

    /// The comparison key of the name part at `i` (see `names::ident_key`).
    fn key(&self, i: usize) -> String {
        let t = self.t[i];
        let s = &self.src[t.start..t.end];
        match t.k {
            K::Quoted => s[1..s.len() - 1].to_string(),
            _ => s.to_lowercase(),
        }
    }

    /// The name part's value (quotes removed).
    fn value(&self, i: usize) -> &'a str {
        let t = self.t[i];
        let s = &self.src[t.start..t.end];
        match t.k {
            K::Quoted => &s[1..s.len() - 1],
            _ => s,
        }
    }

    fn object_key(&self, parts: &[usize]) -> String {
        let keys: Vec<String> = parts.iter().map(|&p| self.key(p)).collect();
        crate::names::join_parts(&keys, Dialect::Postgres)
    }

    /// `ident [. ident]`: a relation's name (both parts names where they
    /// stand: a view's name ends before the `AS` its query text starts after).
    fn object_name(&mut self) -> Option<Vec<usize>> {
        if !self.name_at(self.i, true) {
            return None;
        }
        let mut parts = vec![self.i];
        self.i += 1;
        if self.at_p(b'.') {
            if !self.name_at(self.i + 1, true) {
                return None;
            }
            parts.push(self.i + 1);
            self.i += 2;
        }
        Some(parts)
    }

    /// `UPDATE from SET name [. name] = expr {, ..} [FROM from] [WHERE expr]`.
    fn update(&mut self) -> Option<()> {
        self.expect_word(W::UPDATE)?;
        self.from(false, None)?;
        self.expect_word(W::SET)?;
        loop {
            if !self.name_at(self.i, true) {
                return None;
            }
            self.i += 1;
            if self.eat_p(b'.') {
                if !self.part_at(self.i) {
                    return None;
                }
                self.i += 1;
            }
            if !self.at_op("=") {
                return None;
            }
            self.i += 1;
            self.expr()?;
            if !self.eat_p(b',') {
                break;
            }
        }
        if self.eat_word(W::FROM) {
            self.from(false, None)?;
        }
        if self.eat_word(W::WHERE) {
            self.expr()?;
        }
        Some(())
    }

    fn statement(&mut self) -> Option<ChangeKind> {
        self.expect_word(W::CREATE)?;
        if self.eat_word(W::OR) {
            self.expect_word(W::REPLACE)?;
        }
        let materialized = self.eat_word(W::MATERIALIZED);
        self.expect_word(W::VIEW)?;
        let mut if_not_exists = false;
        if self.at_word(W::IF) {
            self.i += 1;
            self.expect_word(W::NOT)?;
            self.expect_word(W::EXISTS)?;
            if_not_exists = true;
        }
        let name = self.object_name()?;
        let mut listed = None;
        if self.eat_p(b'(') {
            let mut cols = Vec::new();
            loop {
                if !self.name_at(self.i, true) {
                    return None;
                }
                cols.push(self.key(self.i));
                self.i += 1;
                if self.eat_p(b',') {
                    continue;
                }
                self.expect_p(b')')?;
                break;
            }
            listed = Some(cols);
        }
        self.expect_word(W::AS)?;
        let start = self.i;
        let info = self.query(true)?;
        if self.i != self.t.len() {
            return None;
        }
        let query = self.query_text(start);
        let columns = match listed {
            Some(cols) => Some(cols),
            None => self.columns(&info),
        };
        let sources = self.sources(&info)?;
        let mut depends_on = std::mem::take(&mut self.relations);
        depends_on.retain(|k| !self.ctes.contains(k));
        depends_on.sort();
        depends_on.dedup();
        let display = name
            .iter()
            .map(|&p| self.value(p))
            .collect::<Vec<_>>()
            .join(".");
        let written = name
            .iter()
            .map(|&p| self.text(p))
            .collect::<Vec<_>>()
            .join(".");
        Some(ChangeKind::CreateView {
            view: Name {
                key: self.object_key(&name),
                display,
            },
            written,
            materialized,
            if_not_exists,
            columns,
            sources,
            query,
            depends_on,
        })
    }

    /// The query's text as `changes::view_query_text` makes it from the
    /// statement's tokens: unquoted words in lower case, one space between
    /// tokens (an operator of several characters is as many tokens to it).
    fn query_text(&self, start: usize) -> String {
        let (Some(first), Some(last)) = (self.t.get(start), self.t.last()) else {
            return String::new();
        };
        let mut out = String::with_capacity(last.end - first.start);
        for t in &self.t[start..] {
            if !out.is_empty() {
                out.push(' ');
            }
            let s = &self.src[t.start..t.end];
            match t.k {
                K::Word => {
                    let at = out.len();
                    out.push_str(s);
                    out[at..].make_ascii_lowercase();
                }
                K::Op if s.len() > 1 => {
                    for (n, c) in s.chars().enumerate() {
                        if n > 0 {
                            out.push(' ');
                        }
                        out.push(c);
                    }
                }
                _ => out.push_str(s),
            }
        }
        out
    }

    /// As `changes::query_columns`.
    fn columns(&self, info: &QueryInfo) -> Option<Vec<String>> {
        info.items
            .as_ref()?
            .iter()
            .map(|item| match item {
                Item::Expr(_, Some(alias)) => Some(self.key(*alias)),
                Item::Expr(Shape::Ident(i), None) => Some(self.key(*i)),
                Item::Expr(Shape::Compound(parts), None) => parts.last().map(|&p| self.key(p)),
                _ => None,
            })
            .collect()
    }

    /// As `changes::view_sources`; `None` when a cast's type is one sqlparser
    /// does not read whole.
    fn sources(&self, info: &QueryInfo) -> Option<Vec<ColumnSource>> {
        let Some(items) = &info.items else {
            return Some(Vec::new());
        };
        let mut qualifiers: Vec<(String, String)> = Vec::new();
        for (name, alias) in &info.tables {
            let key = self.object_key(name);
            if let Some(a) = alias {
                qualifiers.push((self.key(*a), key.clone()));
            }
            qualifiers.push((crate::names::bare(&key).to_string(), key));
        }
        let mut out = Vec::new();
        for item in items {
            match item {
                Item::Wildcard => return Some(Vec::new()),
                Item::Expr(shape, _) => out.push(self.source(shape, &qualifiers)?),
            }
        }
        Some(out)
    }

    fn source(&self, shape: &Shape, qualifiers: &[(String, String)]) -> Option<ColumnSource> {
        Some(match shape {
            Shape::Ident(i) => ColumnSource::Column {
                relation: None,
                column: self.key(*i),
            },
            Shape::Compound(parts) => {
                let q = self.key(parts[parts.len() - 2]);
                match qualifiers.iter().find(|(k, _)| *k == q) {
                    Some((_, relation)) => ColumnSource::Column {
                        relation: Some(relation.clone()),
                        column: self.key(parts[parts.len() - 1]),
                    },
                    None => ColumnSource::Unknown,
                }
            }
            Shape::Cast(from, to) => ColumnSource::Cast(self.data_type(*from, *to)?),
            Shape::Nested(inner) => self.source(inner, qualifiers)?,
            Shape::Other => ColumnSource::Unknown,
        })
    }

    /// The type of tokens `from..to` as sqlparser reads it, when it reads
    /// exactly these tokens.
    fn data_type(&self, from: usize, to: usize) -> Option<sqlparser::ast::DataType> {
        let text = &self.src[self.t[from].start..self.t[to - 1].end];
        let dialect = sqlparser::dialect::PostgreSqlDialect {};
        let mut p = sqlparser::parser::Parser::new(&dialect)
            .try_with_sql(text)
            .ok()?;
        let ty = p.parse_data_type().ok()?;
        (p.peek_token_ref().token == sqlparser::tokenizer::Token::EOF).then_some(ty)
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// `query`; `collect`: its relations count (the view's query, its set
    /// operations, CTEs and derived tables; not subqueries in expressions).
    fn query(&mut self, collect: bool) -> Option<QueryInfo> {
        self.enter()?;
        if self.eat_word(W::WITH) {
            loop {
                if !self.name_at(self.i, true) {
                    return None;
                }
                if collect {
                    self.ctes.push(self.key(self.i));
                }
                self.i += 1;
                self.expect_word(W::AS)?;
                self.expect_p(b'(')?;
                self.query(collect)?;
                self.expect_p(b')')?;
                if !self.eat_p(b',') {
                    break;
                }
            }
        }
        let mut info = self.term(collect)?;
        while self.at_word(W::UNION) || self.at_word(W::EXCEPT) || self.at_word(W::INTERSECT) {
            self.i += 1;
            if !self.eat_word(W::ALL) {
                self.eat_word(W::DISTINCT);
            }
            self.term(collect)?;
            info = QueryInfo::default();
        }
        if self.at_word(W::ORDER) {
            self.i += 1;
            self.expect_word(W::BY)?;
            loop {
                self.expr()?;
                if !self.eat_word(W::ASC) {
                    self.eat_word(W::DESC);
                }
                if !self.eat_p(b',') {
                    break;
                }
            }
        }
        if self.eat_word(W::LIMIT) {
            self.number()?;
        }
        if self.eat_word(W::OFFSET) {
            self.number()?;
        }
        self.depth -= 1;
        Some(info)
    }

    fn number(&mut self) -> Option<()> {
        (self.peek()?.k == K::Num).then(|| self.i += 1)
    }

    fn term(&mut self, collect: bool) -> Option<QueryInfo> {
        if self.eat_p(b'(') {
            self.query(collect)?;
            self.expect_p(b')')?;
            return Some(QueryInfo::default());
        }
        self.expect_word(W::SELECT)?;
        if self.eat_word(W::DISTINCT) {
            if self.eat_word(W::ON) {
                self.expect_p(b'(')?;
                self.expr_list()?;
                self.expect_p(b')')?;
            }
        } else {
            self.eat_word(W::ALL);
        }
        let mut items = Vec::new();
        loop {
            items.push(self.item()?);
            if !self.eat_p(b',') {
                break;
            }
        }
        let mut tables = Vec::new();
        if self.eat_word(W::FROM) {
            loop {
                self.from(collect, Some(&mut tables))?;
                if !self.eat_p(b',') {
                    break;
                }
            }
        }
        if self.eat_word(W::WHERE) {
            self.expr()?;
        }
        if self.at_word(W::GROUP) {
            self.i += 1;
            self.expect_word(W::BY)?;
            self.expr_list()?;
        }
        if self.eat_word(W::HAVING) {
            self.expr()?;
        }
        Some(QueryInfo {
            items: Some(items),
            tables,
        })
    }

    fn expr_list(&mut self) -> Option<()> {
        loop {
            self.expr()?;
            if !self.eat_p(b',') {
                return Some(());
            }
        }
    }

    fn item(&mut self) -> Option<Item> {
        if self.at_op("*") {
            self.i += 1;
            return Some(Item::Wildcard);
        }
        // `name . *`
        let mut j = self.i;
        while (if j == self.i {
            self.name_at(j, true)
        } else {
            self.part_at(j)
        }) && self.t.get(j + 1).is_some_and(|t| t.k == K::P(b'.'))
        {
            j += 2;
            if self
                .t
                .get(j)
                .is_some_and(|t| t.k == K::Op && &self.src[t.start..t.end] == "*")
            {
                self.i = j + 1;
                return Some(Item::Wildcard);
            }
        }
        let shape = self.expr()?;
        let alias = self.alias()?;
        Some(Item::Expr(shape, alias))
    }

    /// `[AS] alias`: `Some(None)` when there is none; `None` when what follows
    /// `AS` is no name.
    fn alias(&mut self) -> Option<Option<usize>> {
        if self.eat_word(W::AS) {
            let t = self.peek()?;
            if !matches!(t.k, K::Word | K::Quoted) {
                return None;
            }
            self.i += 1;
            return Some(Some(self.i - 1));
        }
        if self.name_at(self.i, true) {
            self.i += 1;
            return Some(Some(self.i - 1));
        }
        Some(None)
    }

    /// A factor and its joins; the number of joins. `tables`: as in
    /// [`Reader::factor`].
    fn from(
        &mut self,
        collect: bool,
        mut tables: Option<&mut Vec<(Vec<usize>, Option<usize>)>>,
    ) -> Option<usize> {
        self.factor(collect, tables.as_deref_mut())?;
        let mut joins = 0;
        loop {
            if self.at_word(W::CROSS) {
                self.i += 1;
                self.expect_word(W::JOIN)?;
                self.factor(collect, tables.as_deref_mut())?;
                joins += 1;
                continue;
            }
            if self.eat_word(W::INNER) {
                self.expect_word(W::JOIN)?;
            } else if self.at_word(W::LEFT) || self.at_word(W::RIGHT) || self.at_word(W::FULL) {
                self.i += 1;
                self.eat_word(W::OUTER);
                self.expect_word(W::JOIN)?;
            } else if !self.eat_word(W::JOIN) {
                return Some(joins);
            }
            self.factor(collect, tables.as_deref_mut())?;
            joins += 1;
            if self.eat_word(W::ON) {
                self.expr()?;
            } else {
                self.expect_word(W::USING)?;
                self.expect_p(b'(')?;
                loop {
                    if !self.name_at(self.i, true) {
                        return None;
                    }
                    self.i += 1;
                    if !self.eat_p(b',') {
                        break;
                    }
                }
                self.expect_p(b')')?;
            }
        }
    }

    /// A table factor; `tables`: where the factors of a `SELECT`'s own `FROM`
    /// list go (not those inside a nested join).
    fn factor(
        &mut self,
        collect: bool,
        tables: Option<&mut Vec<(Vec<usize>, Option<usize>)>>,
    ) -> Option<()> {
        let lateral = self.eat_word(W::LATERAL);
        if lateral && !self.at_p(b'(') {
            return None;
        }
        if self.eat_p(b'(') {
            if self.at_word(W::SELECT) || self.at_word(W::WITH) {
                self.query(collect)?;
            } else if self.at_p(b'(') || lateral {
                return None;
            } else {
                // A nested join: it must join.
                self.enter()?;
                if self.from(collect, None)? == 0 {
                    return None;
                }
                self.depth -= 1;
            }
            self.expect_p(b')')?;
            self.table_alias()?;
            return Some(());
        }
        let name = self.object_name()?;
        if self.at_p(b'(') {
            return None;
        }
        if collect {
            let key = self.object_key(&name);
            self.relations.push(key);
        }
        let alias = self.table_alias()?;
        if let Some(tables) = tables {
            tables.push((name, alias));
        }
        Some(())
    }

    fn table_alias(&mut self) -> Option<Option<usize>> {
        let alias = self.alias()?;
        if self.at_p(b'(') {
            return None;
        }
        Some(alias)
    }

    fn expr(&mut self) -> Option<Shape> {
        self.enter()?;
        let mut shape = self.unary()?;
        while let Some(t) = self.peek() {
            match t.k {
                K::Op if !self.at_op("::") => {
                    self.i += 1;
                    self.unary()?;
                }
                K::Word => {
                    if self.at_word(W::AND) || self.at_word(W::OR) {
                        self.i += 1;
                        self.unary()?;
                    } else if self.eat_word(W::IS) {
                        self.eat_word(W::NOT);
                        if self.eat_word(W::DISTINCT) {
                            self.expect_word(W::FROM)?;
                            self.unary()?;
                        } else if !(self.eat_word(W::NULL)
                            || self.eat_word(W::TRUE)
                            || self.eat_word(W::FALSE))
                        {
                            return None;
                        }
                    } else if self.at_word(W::NOT)
                        && [W::IN, W::LIKE, W::ILIKE, W::BETWEEN]
                            .iter()
                            .any(|k| self.word_at(self.i + 1, *k))
                    {
                        self.i += 1;
                        self.predicate()?;
                    } else if [W::IN, W::LIKE, W::ILIKE, W::BETWEEN]
                        .iter()
                        .any(|k| self.at_word(*k))
                    {
                        self.predicate()?;
                    } else {
                        break;
                    }
                }
                _ => break,
            }
            shape = Shape::Other;
        }
        self.depth -= 1;
        Some(shape)
    }

    /// `IN (..)`, `LIKE x`, `ILIKE x`, `BETWEEN a AND b`, at the keyword.
    fn predicate(&mut self) -> Option<()> {
        if self.eat_word(W::IN) {
            self.expect_p(b'(')?;
            if self.at_word(W::SELECT) || self.at_word(W::WITH) {
                self.query(false)?;
            } else {
                self.expr_list()?;
            }
            return self.expect_p(b')');
        }
        if self.eat_word(W::BETWEEN) {
            self.arith()?;
            self.expect_word(W::AND)?;
            return self.arith();
        }
        self.i += 1;
        self.unary().map(|_| ())
    }

    /// `unary {arithmetic-operator unary}` (a bound of `BETWEEN`).
    fn arith(&mut self) -> Option<()> {
        self.unary()?;
        while self.peek().is_some_and(|t| {
            t.k == K::Op && ["+", "-", "*", "/", "%", "||"].contains(&&self.src[t.start..t.end])
        }) {
            self.i += 1;
            self.unary()?;
        }
        Some(())
    }

    fn unary(&mut self) -> Option<Shape> {
        self.enter()?;
        let shape = if self.eat_word(W::NOT) || self.at_op("-") || self.at_op("+") {
            if self.at_op("-") || self.at_op("+") {
                self.i += 1;
            }
            self.unary()?;
            Shape::Other
        } else {
            let mut shape = self.primary()?;
            while self.at_op("::") {
                self.i += 1;
                let (from, to) = self.type_tokens()?;
                self.data_type(from, to)?;
                shape = Shape::Cast(from, to);
            }
            shape
        };
        self.depth -= 1;
        Some(shape)
    }

    /// A type name after `::` or in `CAST(.. AS type)`: `word [. word]`, the
    /// multi-word names of Postgres, then `(n {, n})`; the token range.
    fn type_tokens(&mut self) -> Option<(usize, usize)> {
        let from = self.i;
        let t = self.peek()?;
        if !matches!(t.k, K::Word | K::Quoted) {
            return None;
        }
        self.i += 1;
        let w = self.text(from);
        if w.eq_ignore_ascii_case("DOUBLE") {
            self.expect_word(W::PRECISION)?;
        } else if w.eq_ignore_ascii_case("CHARACTER") {
            self.eat_word(W::VARYING);
        } else if w.eq_ignore_ascii_case("TIMESTAMP") || w.eq_ignore_ascii_case("TIME") {
            if self.at_word(W::WITH) || self.at_word(W::WITHOUT) {
                self.i += 1;
                self.expect_word(W::TIME)?;
                self.expect_word(W::ZONE)?;
            }
        } else if self.at_p(b'.') {
            self.i += 1;
            let t = self.peek()?;
            if !matches!(t.k, K::Word | K::Quoted) {
                return None;
            }
            self.i += 1;
        }
        if self.eat_p(b'(') {
            loop {
                self.number()?;
                if !self.eat_p(b',') {
                    break;
                }
            }
            self.expect_p(b')')?;
        }
        // What may follow a type: sqlparser then reads no more of it.
        let end = self.i;
        if !self.ends_a_value() {
            return None;
        }
        Some((from, end))
    }

    /// Whether the next token may follow a type or an interval's string:
    /// sqlparser reads no more of them.
    fn ends_a_value(&self) -> bool {
        match self.peek() {
            None => {}
            Some(t) => match t.k {
                K::P(b',' | b')') | K::Op => {}
                K::Word
                    if [
                        W::AS,
                        W::FROM,
                        W::WHERE,
                        W::AND,
                        W::OR,
                        W::THEN,
                        W::ELSE,
                        W::END,
                        W::WHEN,
                        W::IS,
                        W::GROUP,
                        W::ORDER,
                        W::HAVING,
                        W::UNION,
                        W::EXCEPT,
                        W::INTERSECT,
                        W::ON,
                        W::JOIN,
                        W::LEFT,
                        W::INNER,
                        W::CROSS,
                        W::ASC,
                        W::DESC,
                        W::LIMIT,
                        W::IN,
                        W::NOT,
                        W::LIKE,
                        W::ILIKE,
                    ]
                    .iter()
                    .any(|k| self.at_word(*k)) => {}
                _ => return false,
            },
        }
        true
    }

    fn primary(&mut self) -> Option<Shape> {
        let t = self.peek()?;
        match t.k {
            K::Num | K::Str => {
                self.i += 1;
                Some(Shape::Other)
            }
            K::P(b'(') => {
                self.i += 1;
                if self.at_word(W::SELECT) || self.at_word(W::WITH) {
                    self.query(false)?;
                    self.expect_p(b')')?;
                    return Some(Shape::Other);
                }
                let inner = self.expr()?;
                self.expect_p(b')')?;
                Some(Shape::Nested(Box::new(inner)))
            }
            K::Word | K::Quoted => self.word_primary(),
            _ => None,
        }
    }

    fn word_primary(&mut self) -> Option<Shape> {
        let start = self.i;
        // `INTERVAL '..'`, where no unit word follows.
        if self.at_word(W::INTERVAL) && self.t.get(start + 1).is_some_and(|t| t.k == K::Str) {
            self.i += 2;
            if !self.ends_a_value() {
                return None;
            }
            return Some(Shape::Other);
        }
        // A word before a string may be a typed string (`date '..'`).
        if self
            .t
            .get(start + 1)
            .is_some_and(|t| matches!(t.k, K::Str | K::Quoted))
        {
            return None;
        }
        if self.t[start].k == K::Word {
            if self.eat_word(W::NULL) || self.eat_word(W::TRUE) || self.eat_word(W::FALSE) {
                return Some(Shape::Other);
            }
            if self.eat_word(W::CASE) {
                if !self.at_word(W::WHEN) {
                    self.expr()?;
                }
                self.expect_word(W::WHEN)?;
                loop {
                    self.expr()?;
                    self.expect_word(W::THEN)?;
                    self.expr()?;
                    if !self.eat_word(W::WHEN) {
                        break;
                    }
                }
                if self.eat_word(W::ELSE) {
                    self.expr()?;
                }
                self.expect_word(W::END)?;
                return Some(Shape::Other);
            }
            if self.at_word(W::CAST) && self.t.get(start + 1).is_some_and(|t| t.k == K::P(b'(')) {
                self.i += 2;
                self.expr()?;
                self.expect_word(W::AS)?;
                let (from, to) = self.type_tokens()?;
                self.data_type(from, to)?;
                self.expect_p(b')')?;
                return Some(Shape::Cast(from, to));
            }
            if self.at_word(W::EXISTS) && self.t.get(start + 1).is_some_and(|t| t.k == K::P(b'(')) {
                self.i += 2;
                if !(self.at_word(W::SELECT) || self.at_word(W::WITH)) {
                    return None;
                }
                self.query(false)?;
                self.expect_p(b')')?;
                return Some(Shape::Other);
            }
        }
        // A name, or a function call.
        let mut parts = vec![start];
        let call = |r: &Self, i: usize| r.t.get(i + 1).is_some_and(|t| t.k == K::P(b'('));
        let mut i = start;
        loop {
            // The first word decides what the expression starts; after a dot
            // any word is a name, unless a call follows.
            let ok = if i == start || call(self, i) {
                self.name_at(i, true)
            } else {
                self.part_at(i)
            };
            if !ok {
                return None;
            }
            if self.t.get(i + 1).is_some_and(|t| t.k == K::P(b'.')) {
                i += 2;
                parts.push(i);
                continue;
            }
            break;
        }
        self.i = i + 1;
        if self.at_p(b'(') {
            // sqlparser reads the arguments of `xmlparse(..)` by their own grammar.
            if self.text(i).len() >= 3 && self.text(i)[..3].eq_ignore_ascii_case("xml") {
                return None;
            }
            self.i += 1;
            if self.at_op("*") {
                self.i += 1;
            } else if !self.at_p(b')') {
                self.eat_word(W::DISTINCT);
                self.expr_list()?;
            }
            self.expect_p(b')')?;
            if self.eat_word(W::FILTER) {
                self.expect_p(b'(')?;
                self.expect_word(W::WHERE)?;
                self.expr()?;
                self.expect_p(b')')?;
            }
            // A string after a call may make it a typed string.
            if self
                .peek()
                .is_some_and(|t| matches!(t.k, K::Str | K::Quoted))
            {
                return None;
            }
            return Some(Shape::Other);
        }
        Some(if parts.len() == 1 {
            Shape::Ident(start)
        } else {
            Shape::Compound(parts)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::{from_statement, StatementText};

    /// Views of each shape the grammar reads (each must be read here).
    const SHAPES: &[&str] = &[
        "CREATE VIEW v AS SELECT a, t.b, c AS d, e f FROM t",
        "CREATE OR REPLACE VIEW public.v (x, \"Y\") AS SELECT a, b FROM s.t",
        "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT count(*) AS n FROM t GROUP BY a HAVING count(*) > 1",
        "CREATE VIEW v AS SELECT u.id::bigint AS id, CAST(u.name AS varchar(20)) AS name, (u.x)::numeric(10, 2) AS x, u.y::timestamp with time zone AS y, u.z::double precision AS z, u.w::my_enum FROM users u",
        "CREATE VIEW v AS WITH a AS (SELECT * FROM t), b AS (SELECT x FROM a) SELECT b.x, s.* FROM b JOIN s ON s.id = b.x LEFT OUTER JOIN r USING (id) CROSS JOIN q",
        "CREATE VIEW v AS SELECT a FROM t UNION ALL SELECT a FROM s EXCEPT SELECT a FROM r ORDER BY a DESC LIMIT 10 OFFSET 2",
        "CREATE VIEW v AS SELECT x.a, (SELECT max(b) FROM inner_t WHERE inner_t.a = x.a) AS m, EXISTS (SELECT 1 FROM e) AS ex FROM (SELECT a FROM base) x WHERE x.a IN (1, 2) AND NOT x.a BETWEEN 3 AND 4 OR x.a IS NOT NULL",
        "CREATE VIEW v AS SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END AS sign, coalesce(b, 0) + -1 AS c, count(DISTINCT d) FILTER (WHERE d IS DISTINCT FROM 2) AS e FROM t1 AS x INNER JOIN (t2 JOIN t3 ON t2.id = t3.id) ON x.id = t2.id",
        "CREATE VIEW \"V\" AS SELECT \"A\", t.\"B\" FROM \"T\" t WHERE t.name LIKE 'x%' AND t.n NOT IN (SELECT n FROM u) -- trailing\n",
        "CREATE VIEW v AS (SELECT a FROM t) /* c */",
        "CREATE VIEW v AS SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b ASC",
        "CREATE OR REPLACE VIEW v AS SELECT id, created_at FROM t WHERE created_at > now() - interval '7 days'",
        "UPDATE t SET col_0 = NULL WHERE id < 282 AND created_at < now() - INTERVAL '30 days'",
        "UPDATE t SET a = 1, b = coalesce(c, 'x') || '-', t.d = NULL WHERE id IN (SELECT id FROM s)",
        "UPDATE public.t AS x SET a = s.a FROM s JOIN r ON r.id = s.id WHERE x.id = s.id AND NOT x.a IS NULL",
    ];

    /// Parts a variant may put in place of a token, or insert.
    const PARTS: &[&str] = &[
        "FROM", "ON", "AS", "JOIN", "user", "select", ",", "(", ")", "'s'", "::", "*", "NOT",
        "OVER", "WITH", "name", "order", ".", "-", "=", "AND", "IN", "x", "\"q\"", "1", "CASE",
        "END", "LEFT", "LATERAL", "[", "date", "interval", "table", "||", "<", ">", ";", "$1",
    ];

    /// An `UPDATE` kept as skipped must parse, with a tree the checked parse
    /// drops.
    fn check_update(sql: &str) -> bool {
        let span = Span::new(0, sql.len());
        if !is_plain_update(sql, span, Dialect::Postgres, None) {
            return false;
        }
        let d = Dialect::Postgres;
        let parsed = crate::parse::parse_sql(sql, d, &*d.sqlparser());
        let Ok(stmts) = parsed else {
            panic!("plain UPDATE rejected by the parser: {sql}\n{parsed:?}")
        };
        assert_eq!(stmts.len(), 1, "{sql}");
        assert!(crate::parse::tree_unused(&stmts[0], sql, span, d), "{sql}");
        assert!(
            sqlparser::parser::Parser::new(&*d.sqlparser())
                .try_with_sql(sql)
                .and_then(|mut p| p.parse_statements())
                .is_ok(),
            "{sql}"
        );
        true
    }

    fn check(sql: &str) -> bool {
        if sql.len() >= 6 && sql[..6].eq_ignore_ascii_case("UPDATE") {
            return check_update(sql);
        }
        let span = Span::new(0, sql.len());
        let Some(kind) = read(sql, span, Dialect::Postgres, None) else {
            return false;
        };
        let parsed =
            crate::parse::parse_sql(sql, Dialect::Postgres, &*Dialect::Postgres.sqlparser());
        let Ok(stmts) = parsed else {
            panic!("read from tokens, rejected by the parser: {sql}\n{parsed:?}")
        };
        assert_eq!(stmts.len(), 1, "{sql}");
        let st = StatementText::new(sql, span, Dialect::Postgres);
        let changes = from_statement(&stmts[0], &st);
        assert_eq!(changes.len(), 1, "{sql}");
        assert_eq!(changes[0].kind, kind, "{sql}");
        // sqlparser's own tokenizer accepts it too.
        assert!(
            sqlparser::parser::Parser::new(&*Dialect::Postgres.sqlparser())
                .try_with_sql(sql)
                .and_then(|mut p| p.parse_statements())
                .is_ok(),
            "{sql}"
        );
        true
    }

    /// Every `CREATE VIEW` and `UPDATE` of the test data and rule fixtures (and of the
    /// folders in `CANARY_LINT_VIEW_DIRS`, colon-separated, when set).
    fn corpus() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        let mut dirs = vec![root];
        if let Ok(extra) = std::env::var("CANARY_LINT_VIEW_DIRS") {
            dirs.extend(extra.split(':').map(std::path::PathBuf::from));
        }
        let mut files = Vec::new();
        while let Some(d) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "sql") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut out = Vec::new();
        for f in files {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            for raw in crate::split::split(&text, Span::new(0, text.len()), Dialect::Postgres) {
                let b = &text.as_bytes()[raw.span.start..raw.span.end];
                if starts_create_view(&text, raw.span)
                    || (b.len() > 6 && b[..6].eq_ignore_ascii_case(b"UPDATE"))
                {
                    out.push(text[raw.span.start..raw.span.end].to_string());
                }
            }
        }
        out
    }

    #[test]
    fn the_keyword_table_follows_the_lists() {
        for &k in sqlparser::keywords::ALL_KEYWORDS_INDEX {
            assert_eq!(never_a_name(k), listed_never_a_name(k), "{k:?}");
        }
        assert!(never_a_name(Keyword::FROM) && !never_a_name(Keyword::NAME));
    }

    #[test]
    fn views_read_from_tokens_equal_the_parsed_ones_and_updates_parse() {
        for sql in SHAPES {
            assert!(check(sql), "not read: {sql}");
        }
        // Found by the variants: sqlparser has its own grammar for these.
        for sql in [
            "CREATE VIEW v AS SELECT xmlparse ( content )",
            "CREATE VIEW evttrig.AS AS SELECT * FROM t",
        ] {
            assert!(!check(sql), "read: {sql}");
        }
        let views = corpus();
        assert!(views.len() >= 10, "{}", views.len());
        let mut read = 0;
        for sql in &views {
            read += usize::from(check(sql));
        }
        assert!(read * 2 >= views.len(), "{read} of {}", views.len());
        // Variants: a token dropped, doubled, swapped with the next, or replaced
        // by or preceded with one of `PARTS`.
        let mut rnd = crate::parse::test_rng(0x9e37_79b9_7f4a_7c15u64);
        let rounds: usize = std::env::var("CANARY_LINT_VIEW_ROUNDS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(40);
        for sql in SHAPES.iter().map(|s| s.to_string()).chain(views) {
            let toks: Vec<&str> = crate::lex::tokens(&sql, 0, sql.len(), Dialect::Postgres)
                .iter()
                .map(|t| t.text(&sql))
                .collect();
            for _ in 0..rounds {
                let mut v: Vec<&str> = toks.clone();
                let at = rnd(v.len());
                match rnd(5) {
                    0 => {
                        v.remove(at);
                    }
                    1 => v.insert(at, v[at]),
                    2 if at + 1 < v.len() => v.swap(at, at + 1),
                    3 => v[at] = PARTS[rnd(PARTS.len())],
                    _ => v.insert(at, PARTS[rnd(PARTS.len())]),
                }
                check(&v.join(" "));
            }
        }
    }
}
