//! The token scan: fail closed when sqlparser rejects a statement.
//!
//! A statement the parser cannot read may still drop a column. The scan walks the
//! statement's tokens (strings and comments are already single tokens, so a
//! `'DROP COLUMN'` literal is never matched) and recognises the hazardous shapes
//! the compat rules care about. What it finds is reported under the rule's own
//! name, marked as found by the scan.

pub mod bodies;

use crate::changes::{
    name_from_parts, skip_object_name, Change, ChangeKind, ColumnSpec, ConstraintKind, Name,
    RewriteCause, StatementText,
};
use crate::lex::{ident_value, Token, TokenKind};
use crate::Dialect;
use canary_lint_core::Span;

/// Words that, after `DROP`/`ADD`/`RENAME` in an `ALTER TABLE`, mean the target is
/// not a column.
const NOT_A_COLUMN: &[&str] = &[
    "CONSTRAINT",
    "INDEX",
    "KEY",
    "PRIMARY",
    "FOREIGN",
    "CHECK",
    "UNIQUE",
    "PARTITION",
    "DEFAULT",
    "TO",
    "AS",
    "FULLTEXT",
    "SPATIAL",
    "TRIGGER",
    "RULE",
    "POLICY",
    "EXCLUDE",
];

struct Cursor<'a, 'b> {
    st: &'b StatementText<'a>,
    /// Token index range of the part being scanned.
    from: usize,
    to: usize,
}

impl Cursor<'_, '_> {
    fn tok(&self, i: usize) -> Option<&Token> {
        if i < self.to {
            self.st.toks().get(i)
        } else {
            None
        }
    }

    fn word(&self, i: usize, kw: &str) -> bool {
        self.tok(i).is_some_and(|t| t.is_word(self.st.src, kw))
    }

    fn any_word(&self, i: usize, kws: &[&str]) -> bool {
        kws.iter().any(|k| self.word(i, k))
    }

    fn ident(&self, i: usize) -> Option<Name> {
        let t = self.tok(i)?;
        if !matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent) {
            return None;
        }
        let (v, quoted) = ident_value(self.st.src, t);
        Some(Name {
            key: if quoted { v.clone() } else { v.to_lowercase() },
            display: v,
        })
    }

    fn object(&self, i: usize) -> Option<(Name, usize)> {
        let (parts, end) = skip_object_name(self.st.src, &self.st.toks()[..self.to], i)?;
        Some((
            name_from_parts(self.st.src, self.st.toks(), i, end, &parts, self.st.dialect),
            end,
        ))
    }

    fn span(&self) -> Span {
        self.st.tokens_span(self.from, self.to)
    }
}

fn push(out: &mut Vec<Change>, kind: ChangeKind, clause: Span) {
    out.push(Change {
        kind,
        clause,
        by_scan: true,
    });
}

/// The changes the scan recognises in one statement.
pub fn scan(st: &StatementText<'_>) -> Vec<Change> {
    let mut out = Vec::new();
    let all = Cursor {
        st,
        from: 0,
        to: st.toks().len(),
    };
    let c = &all;
    if c.word(0, "ALTER") && c.word(1, "TYPE") {
        if let Some((ty, i)) = c.object(2) {
            if c.word(i, "RENAME") && c.word(i + 1, "VALUE") {
                let from = c
                    .tok(i + 2)
                    .map(|t| ident_value(st.src, t).0)
                    .unwrap_or_default();
                let to = c
                    .tok(i + 4)
                    .map(|t| ident_value(st.src, t).0)
                    .unwrap_or_default();
                push(
                    &mut out,
                    ChangeKind::RenameEnumValue { ty, from, to },
                    c.span(),
                );
            }
        }
    } else if c.word(0, "ALTER") {
        if let Some((name_end, segs)) = st.alter_segments() {
            let table = match c.find_table_name(name_end) {
                Some(t) => t,
                None => return out,
            };
            for (a, b) in segs {
                alter_segment(&Cursor { st, from: a, to: b }, &table, &mut out);
            }
        }
    } else if c.word(0, "DROP") {
        let (mut i, view, materialized) = if c.word(1, "TABLE") {
            (2, false, false)
        } else if c.word(1, "TEMPORARY") && c.word(2, "TABLE") {
            (3, false, false)
        } else if c.word(1, "VIEW") {
            (2, true, false)
        } else if c.word(1, "MATERIALIZED") && c.word(2, "VIEW") {
            (3, true, true)
        } else {
            return out;
        };
        let temporary = c.word(1, "TEMPORARY");
        let cascade = st.toks().iter().any(|t| t.is_word(st.src, "CASCADE"));
        let if_exists = c.word(i, "IF") && c.word(i + 1, "EXISTS");
        if if_exists {
            i += 2;
        }
        let single = {
            let mut n = 0;
            let mut j = i;
            while let Some((_, e)) = c.object(j) {
                n += 1;
                if c.tok(e).is_some_and(|t| t.is_punct(st.src, b',')) {
                    j = e + 1;
                } else {
                    break;
                }
            }
            n == 1
        };
        while let Some((name, end)) = c.object(i) {
            let clause = if single {
                c.span()
            } else {
                st.tokens_span(i, end)
            };
            let kind = if view {
                ChangeKind::DropView {
                    view: name,
                    materialized,
                    if_exists,
                    cascade,
                }
            } else {
                ChangeKind::DropTable {
                    table: name,
                    temporary,
                    if_exists,
                    cascade,
                }
            };
            push(&mut out, kind, clause);
            if c.tok(end).is_some_and(|t| t.is_punct(st.src, b',')) {
                i = end + 1;
            } else {
                break;
            }
        }
    } else if c.word(0, "RENAME") && c.word(1, "TABLE") {
        let mut i = 2;
        while let Some((from, e)) = c.object(i) {
            if !c.word(e, "TO") {
                break;
            }
            let Some((to, e2)) = c.object(e + 1) else {
                break;
            };
            let new = st.tokens_span(e + 1, e2);
            let written = st.src[new.start..new.end].to_string();
            push(
                &mut out,
                ChangeKind::RenameTable {
                    from,
                    to,
                    qualified: written.contains('.'),
                    written,
                },
                st.tokens_span(i, e2),
            );
            if c.tok(e2).is_some_and(|t| t.is_punct(st.src, b',')) {
                i = e2 + 1;
            } else {
                break;
            }
        }
    } else if c.word(0, "CREATE") {
        create(c, &mut out);
    }
    out
}

impl Cursor<'_, '_> {
    fn find_table_name(&self, name_end: usize) -> Option<Name> {
        // The name is the object that ends at `name_end` (or just before a `*`).
        let mut i = 1;
        while i < name_end {
            if self.word(i, "TABLE") {
                let mut j = i + 1;
                if self.word(j, "IF") {
                    j += 2;
                }
                if self.word(j, "ONLY") {
                    j += 1;
                }
                return self.object(j).map(|(n, _)| n);
            }
            i += 1;
        }
        None
    }
}

fn create(c: &Cursor<'_, '_>, out: &mut Vec<Change>) {
    let mut i = 1;
    if c.word(i, "OR") && c.word(i + 1, "REPLACE") {
        i += 2;
    }
    let temporary = c.any_word(i, &["TEMP", "TEMPORARY"]);
    while c.any_word(
        i,
        &[
            "TEMP",
            "TEMPORARY",
            "UNLOGGED",
            "GLOBAL",
            "LOCAL",
            "MATERIALIZED",
        ],
    ) {
        i += 1;
    }
    let what = if c.word(i, "TABLE") {
        0
    } else if c.word(i, "VIEW") {
        1
    } else if c.word(i, "TYPE") {
        2
    } else {
        return;
    };
    i += 1;
    if c.word(i, "IF") && c.word(i + 1, "NOT") {
        i += 3;
    }
    let Some((name, end)) = c.object(i) else {
        return;
    };
    let kind = match what {
        0 => {
            // Column names: the first word of each top-level element in the parens.
            let mut columns = Vec::new();
            if c.tok(end).is_some_and(|t| t.is_punct(c.st.src, b'(')) {
                let mut depth = 0;
                let mut expect = true;
                for j in end..c.to {
                    let t = &c.st.toks()[j];
                    if t.is_punct(c.st.src, b'(') {
                        depth += 1;
                    } else if t.is_punct(c.st.src, b')') {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    } else if depth == 1 && t.is_punct(c.st.src, b',') {
                        expect = true;
                    } else if depth == 1 && expect {
                        expect = false;
                        if !c.any_word(j, NOT_A_COLUMN) && !c.any_word(j, &["LIKE"]) {
                            if let Some(n) = c.ident(j) {
                                columns.push((n, ColumnSpec::default()));
                            }
                        }
                    }
                }
            }
            ChangeKind::CreateTable {
                table: name,
                temporary,
                columns,
                filled: false,
                definition: None,
            }
        }
        1 => {
            let written = c.st.tokens_span(i, end);
            ChangeKind::CreateView {
                view: name,
                written: c.st.src[written.start..written.end].to_string(),
                materialized: c.st.toks()[..i]
                    .iter()
                    .any(|t| t.is_word(c.st.src, "MATERIALIZED")),
                if_not_exists: c.word(i.saturating_sub(3), "IF"),
                // The query is not read by the scan.
                columns: None,
                sources: Vec::new(),
                query: String::new(),
                depends_on: Vec::new(),
            }
        }
        _ => {
            let written = c.st.tokens_span(i, end);
            ChangeKind::CreateType {
                name,
                written: c.st.src[written.start..written.end].to_string(),
                // Labels are not read by the scan.
                labels: None,
            }
        }
    };
    push(out, kind, c.span());
}

fn alter_segment(c: &Cursor<'_, '_>, table: &Name, out: &mut Vec<Change>) {
    let i = c.from;
    let t = || table.clone();
    let span = c.span();
    if c.word(i, "DROP") {
        let mut j = i + 1;
        let keyword = c.word(j, "COLUMN");
        if keyword {
            j += 1;
        } else if c.any_word(j, NOT_A_COLUMN) || c.tok(j).is_none() {
            return;
        }
        let if_exists = c.word(j, "IF") && c.word(j + 1, "EXISTS");
        if if_exists {
            j += 2;
        }
        if let Some(column) = c.ident(j) {
            push(
                out,
                ChangeKind::DropColumn {
                    table: t(),
                    column,
                    if_exists,
                },
                span,
            );
        }
    } else if c.word(i, "RENAME") {
        let mut j = i + 1;
        if c.any_word(j, &["TO", "AS"]) {
            if let Some((to, end)) = c.object(j + 1) {
                let new = c.st.tokens_span(j + 1, end);
                let written = c.st.src[new.start..new.end].to_string();
                push(
                    out,
                    ChangeKind::RenameTable {
                        from: t(),
                        to,
                        qualified: written.contains('.'),
                        written,
                    },
                    span,
                );
            }
            return;
        }
        if c.word(j, "COLUMN") {
            j += 1;
        } else if c.any_word(j, NOT_A_COLUMN) {
            return;
        }
        if let (Some(from), true, Some(to)) = (c.ident(j), c.word(j + 1, "TO"), c.ident(j + 2)) {
            push(
                out,
                ChangeKind::RenameColumn {
                    table: t(),
                    from,
                    to,
                },
                span,
            );
        }
    } else if c.word(i, "ALTER") {
        let j = if c.word(i + 1, "COLUMN") {
            i + 2
        } else {
            i + 1
        };
        if c.any_word(j, NOT_A_COLUMN) {
            return;
        }
        let Some(column) = c.ident(j) else { return };
        let k = j + 1;
        if c.word(k, "TYPE") || (c.word(k, "SET") && c.word(k + 1, "DATA") && c.word(k + 2, "TYPE"))
        {
            let ty_start = if c.word(k, "TYPE") { k + 1 } else { k + 3 };
            let ty_end = (ty_start..c.to)
                .find(|&x| c.any_word(x, &["USING", "COLLATE"]))
                .unwrap_or(c.to);
            let new_type = c.st.tokens_span(ty_start, ty_end);
            let new_type = c.st.src[new_type.start..new_type.end].to_string();
            push(
                out,
                ChangeKind::ChangeType {
                    table: t(),
                    column,
                    new_type,
                    restated: false,
                    data_type: None,
                    definition: None,
                },
                span,
            );
        } else if c.word(k, "SET") && c.word(k + 1, "NOT") && c.word(k + 2, "NULL") {
            push(
                out,
                ChangeKind::SetNotNull {
                    table: t(),
                    column,
                    restated: false,
                },
                span,
            );
        } else if c.word(k, "DROP") && c.word(k + 1, "DEFAULT") {
            push(
                out,
                ChangeKind::DropDefault {
                    table: t(),
                    column,
                    restated: false,
                },
                span,
            );
        } else if c.word(k, "DROP") && c.word(k + 1, "NOT") {
            push(out, ChangeKind::DropNotNull { table: t(), column }, span);
        } else if c.word(k, "SET") && c.word(k + 1, "DEFAULT") {
            push(
                out,
                ChangeKind::SetDefault {
                    table: t(),
                    column,
                    value: None,
                },
                span,
            );
        }
    } else if c.word(i, "ADD") {
        let mut j = i + 1;
        if c.word(j, "COLUMN") {
            j += 1;
        } else if c.any_word(j, NOT_A_COLUMN) {
            return;
        }
        if c.word(j, "IF") && c.word(j + 1, "NOT") {
            j += 3;
        }
        let Some(column) = c.ident(j) else { return };
        let spec = column_spec_tokens(c, j + 1);
        push(
            out,
            ChangeKind::AddColumn {
                table: t(),
                column,
                spec,
            },
            span,
        );
    } else if c.word(i, "CHANGE") || c.word(i, "MODIFY") {
        let change = c.word(i, "CHANGE");
        let mut j = i + 1;
        if c.word(j, "COLUMN") {
            j += 1;
        }
        let Some(old) = c.ident(j) else { return };
        let mut k = j + 1;
        if change {
            let Some(new) = c.ident(k) else { return };
            if new.key != old.key {
                push(
                    out,
                    ChangeKind::RenameColumn {
                        table: t(),
                        from: old.clone(),
                        to: new,
                    },
                    span,
                );
            }
            k += 1;
        }
        let spec = column_spec_tokens(c, k);
        push(
            out,
            ChangeKind::ChangeType {
                table: t(),
                column: old.clone(),
                new_type: spec.data_type.clone(),
                restated: true,
                data_type: None,
                definition: None,
            },
            span,
        );
        if spec.not_null {
            push(
                out,
                ChangeKind::SetNotNull {
                    table: t(),
                    column: old.clone(),
                    restated: true,
                },
                span,
            );
        }
        if !spec.has_default {
            push(
                out,
                ChangeKind::DropDefault {
                    table: t(),
                    column: old,
                    restated: true,
                },
                span,
            );
        }
    }
}

/// Reads a column definition's type and options from tokens.
fn column_spec_tokens(c: &Cursor<'_, '_>, from: usize) -> ColumnSpec {
    const OPTION_START: &[&str] = &[
        "NOT",
        "NULL",
        "DEFAULT",
        "PRIMARY",
        "UNIQUE",
        "REFERENCES",
        "CHECK",
        "GENERATED",
        "CONSTRAINT",
        "COLLATE",
        "AUTO_INCREMENT",
        "IDENTITY",
        "COMMENT",
        "FIRST",
        "AFTER",
        "AS",
        "CHARACTER",
        "ON",
    ];
    let ty_end = (from..c.to)
        .find(|&x| c.any_word(x, OPTION_START))
        .unwrap_or(c.to);
    let ty = c.st.tokens_span(from, ty_end);
    let data_type = if ty_end > from {
        c.st.src[ty.start..ty.end].to_string()
    } else {
        String::new()
    };
    let lower = data_type.to_ascii_lowercase();
    let mut spec = ColumnSpec {
        generated: lower.contains("serial"),
        fills_rows: lower.contains("serial"),
        data_type,
        ..ColumnSpec::default()
    };
    for x in ty_end..c.to {
        if c.word(x, "NOT") && c.word(x + 1, "NULL") {
            spec.not_null = true;
        } else if c.word(x, "PRIMARY") && c.word(x + 1, "KEY") {
            spec.not_null = true;
            spec.primary_key = true;
        } else if c.word(x, "UNIQUE") {
            spec.unique = true;
        } else if c.word(x, "REFERENCES") {
            spec.references = true;
        } else if c.word(x, "DEFAULT") {
            spec.has_default = true;
            let end = (x + 1..c.to)
                .find(|&y| c.any_word(y, OPTION_START))
                .unwrap_or(c.to);
            let e = c.st.tokens_span(x + 1, end);
            spec.volatile_default =
                end > x + 1 && crate::changes::is_volatile_default(&c.st.src[e.start..e.end]);
        } else if c.any_word(x, &["AUTO_INCREMENT", "AUTOINCREMENT", "IDENTITY"]) {
            spec.generated = true;
            spec.fills_rows = true;
        } else if c.word(x, "GENERATED")
            || (c.word(x, "AS") && c.tok(x + 1).is_some_and(|t| t.is_punct(c.st.src, b'(')))
        {
            spec.generated = true;
            // `GENERATED .. AS IDENTITY`, or an expression marked STORED: every
            // existing row gets a value. A bare expression is virtual.
            if (x..c.to).any(|y| c.any_word(y, &["IDENTITY", "STORED"])) {
                spec.fills_rows = true;
            }
        }
    }
    spec
}

/// Whether [`scan_ops`] can find anything in a statement that starts with
/// `CREATE`: only `CREATE [UNIQUE] INDEX` is read. Looks at three words, so a
/// long `CREATE TABLE` is not lexed for nothing.
pub fn create_is_index(src: &str, span: Span, dialect: Dialect) -> bool {
    let mut lx = crate::lex::Lexer::new(src, span.start, span.end, dialect);
    let mut words = std::iter::from_fn(|| lx.next_token()).filter(|t| !t.is_comment());
    let Some(first) = words.next() else {
        return false;
    };
    if !first.is_word(src, "CREATE") {
        return true;
    }
    match words.next() {
        Some(t) if t.is_word(src, "UNIQUE") => {
            words.next().is_some_and(|t| t.is_word(src, "INDEX"))
        }
        Some(t) => t.is_word(src, "INDEX"),
        None => false,
    }
}

/// Lock, data and session facts of a statement, read from its tokens: for a
/// statement the parser rejected, also its `CREATE INDEX`, `DROP INDEX`, `ADD`
/// constraint and `sp_rename` changes, which [`crate::changes::from_statement`]
/// reads from the syntax tree of a `parsed` one.
pub fn scan_ops(st: &StatementText<'_>, parsed: bool) -> Vec<Change> {
    let mut out = Vec::new();
    let all = Cursor {
        st,
        from: 0,
        to: st.toks().len(),
    };
    let c = &all;
    let whole = c.span();
    if c.word(0, "CREATE") {
        if parsed {
            return out;
        }
        let mut i = 1;
        if c.word(i, "UNIQUE") {
            i += 1;
        }
        if !c.word(i, "INDEX") {
            return out;
        }
        i += 1;
        let concurrently = c.word(i, "CONCURRENTLY");
        if concurrently {
            i += 1;
        }
        if c.word(i, "IF") && c.word(i + 1, "NOT") {
            i += 3;
        }
        let index = if c.word(i, "ON") {
            None
        } else {
            c.object(i).map(|(n, _)| n)
        };
        let Some(on) = (i..c.to).find(|&j| c.word(j, "ON")) else {
            return out;
        };
        let j = if c.word(on + 1, "ONLY") {
            on + 2
        } else {
            on + 1
        };
        if let Some((table, _)) = c.object(j) {
            push(
                &mut out,
                ChangeKind::CreateIndex {
                    table,
                    index,
                    concurrently,
                    definition: None,
                },
                whole,
            );
        }
    } else if c.word(0, "DROP") && c.word(1, "INDEX") {
        if parsed {
            return out;
        }
        let mut i = 2;
        let concurrently = c.word(i, "CONCURRENTLY");
        if concurrently {
            i += 1;
        }
        let if_exists = c.word(i, "IF") && c.word(i + 1, "EXISTS");
        if if_exists {
            i += 2;
        }
        let several = c
            .object(i)
            .is_some_and(|(_, e)| c.tok(e).is_some_and(|t| t.is_punct(st.src, b',')));
        while let Some((index, end)) = c.object(i) {
            // `DROP INDEX a, b`: one change per index, each at its own name.
            let clause = if several {
                st.tokens_span(i, end)
            } else {
                whole
            };
            push(
                &mut out,
                ChangeKind::DropIndex {
                    index,
                    concurrently,
                    if_exists,
                    table: None,
                },
                clause,
            );
            if c.tok(end).is_some_and(|t| t.is_punct(st.src, b',')) {
                i = end + 1;
            } else {
                break;
            }
        }
    } else if c.word(0, "ALTER") && !c.word(1, "TYPE") {
        let Some((name_end, segs)) = st.alter_segments() else {
            return out;
        };
        let Some(table) = c.find_table_name(name_end) else {
            return out;
        };
        // `VALIDATE CONSTRAINT` alone takes a lock that lets reads and writes go
        // on (SHARE UPDATE EXCLUSIVE): waiting for it does not queue stable.
        let validate_only = segs
            .iter()
            .all(|&(a, _)| c.word(a, "VALIDATE") && c.word(a + 1, "CONSTRAINT"));
        if !validate_only {
            push(
                &mut out,
                ChangeKind::AlterTableLock {
                    table: table.clone(),
                },
                whole,
            );
        }
        for (a, b) in segs {
            let seg = Cursor { st, from: a, to: b };
            let span = seg.span();
            if seg.word(a, "ALGORITHM") {
                let v = if seg.tok(a + 1).is_some_and(|t| t.is_punct(st.src, b'=')) {
                    a + 2
                } else {
                    a + 1
                };
                if seg.word(v, "COPY") {
                    push(
                        &mut out,
                        ChangeKind::AlgorithmCopy {
                            table: table.clone(),
                        },
                        span,
                    );
                }
                continue;
            }
            if seg.word(a, "SET") && seg.any_word(a + 1, &["LOGGED", "UNLOGGED", "TABLESPACE"]) {
                let cause = if seg.word(a + 1, "TABLESPACE") {
                    RewriteCause::SetTablespace
                } else {
                    RewriteCause::SetLogged
                };
                push(
                    &mut out,
                    ChangeKind::Rewrite {
                        table: Some(table.clone()),
                        cause,
                    },
                    span,
                );
                continue;
            }
            if seg.word(a, "CONVERT") && seg.word(a + 1, "TO") {
                push(
                    &mut out,
                    ChangeKind::Rewrite {
                        table: Some(table.clone()),
                        cause: RewriteCause::ConvertCharset,
                    },
                    span,
                );
                continue;
            }
            if seg.word(a, "VALIDATE") && seg.word(a + 1, "CONSTRAINT") {
                if let Some(name) = seg.ident(a + 2) {
                    push(
                        &mut out,
                        ChangeKind::ValidateConstraint {
                            table: table.clone(),
                            name,
                        },
                        span,
                    );
                }
                continue;
            }
            if parsed || !seg.word(a, "ADD") {
                continue;
            }
            let kind = if (a..b).any(|j| seg.word(j, "FOREIGN")) {
                ConstraintKind::ForeignKey
            } else if seg.word(a + 1, "CONSTRAINT")
                || seg.any_word(a + 1, &["CHECK", "UNIQUE", "PRIMARY"])
            {
                let k = if seg.word(a + 1, "CONSTRAINT") {
                    a + 3
                } else {
                    a + 1
                };
                if seg.word(k, "CHECK") {
                    ConstraintKind::Check
                } else if seg.word(k, "UNIQUE") {
                    ConstraintKind::Unique
                } else if seg.word(k, "PRIMARY") {
                    ConstraintKind::PrimaryKey
                } else {
                    continue;
                }
            } else {
                continue;
            };
            let not_valid = (a..b).any(|j| seg.word(j, "NOT") && seg.word(j + 1, "VALID"));
            let using_index = (a..b).any(|j| seg.word(j, "USING") && seg.word(j + 1, "INDEX"));
            let name = if seg.word(a + 1, "CONSTRAINT") {
                seg.ident(a + 2)
            } else {
                None
            };
            let not_null_check = if kind == ConstraintKind::Check {
                not_null_check(&seg, a)
            } else {
                None
            };
            push(
                &mut out,
                ChangeKind::AddConstraint {
                    table: table.clone(),
                    kind,
                    not_valid,
                    using_index,
                    name,
                    not_null_check,
                    definition: None,
                },
                span,
            );
        }
    } else if c.word(0, "TRUNCATE") {
        let mut i = 1;
        if c.word(i, "TABLE") {
            i += 1;
        }
        if c.word(i, "ONLY") {
            i += 1;
        }
        while let Some((table, end)) = c.object(i) {
            push(&mut out, ChangeKind::Truncate { table }, whole);
            if c.tok(end).is_some_and(|t| t.is_punct(st.src, b',')) {
                i = end + 1;
            } else {
                break;
            }
        }
    } else if c.word(0, "UPDATE") || (c.word(0, "DELETE") && c.word(1, "FROM")) {
        let update = c.word(0, "UPDATE");
        let mut i = if update { 1 } else { 2 };
        if c.word(i, "ONLY") {
            i += 1;
        }
        let Some((table, _)) = c.object(i) else {
            return out;
        };
        let mut depth = 0i32;
        let mut has_where = false;
        for j in 0..c.to {
            let t = &st.toks()[j];
            if t.is_punct(st.src, b'(') {
                depth += 1;
            } else if t.is_punct(st.src, b')') {
                depth -= 1;
            } else if depth == 0 && c.word(j, "WHERE") {
                has_where = true;
            }
        }
        let kind = if update {
            ChangeKind::Update { table, has_where }
        } else {
            ChangeKind::Delete { table, has_where }
        };
        push(&mut out, kind, whole);
    } else if !parsed && c.any_word(0, &["EXEC", "EXECUTE"]) && c.word(1, "sp_rename") {
        // SQL Server: EXEC sp_rename 'schema.table.column', 'new', 'COLUMN'
        let args: Vec<String> = (2..c.to)
            .filter_map(|j| c.tok(j))
            .filter(|t| t.kind == TokenKind::Str || t.kind == TokenKind::Word)
            .filter(|t| !t.is_word(st.src, "N"))
            .map(|t| ident_value(st.src, t).0)
            .collect();
        let name = |raw: &str| -> Vec<String> {
            raw.split('.')
                .map(|p| {
                    let p = p.trim_matches(['[', ']', '"']);
                    p.to_lowercase()
                })
                .collect()
        };
        let display = |raw: &str| raw.replace(['[', ']', '"'], "");
        match args.as_slice() {
            [old, new, kind, ..] if kind.eq_ignore_ascii_case("COLUMN") => {
                let parts = name(old);
                if parts.len() >= 2 {
                    let (table_parts, col) = parts.split_at(parts.len() - 1);
                    let disp = display(old);
                    let (tdisp, cdisp) = disp.rsplit_once('.').unwrap_or(("", disp.as_str()));
                    let table = Name {
                        key: crate::names::join_parts(table_parts, st.dialect),
                        display: tdisp.to_string(),
                    };
                    let from = Name {
                        key: col[0].clone(),
                        display: cdisp.to_string(),
                    };
                    let to = Name {
                        key: new.to_lowercase(),
                        display: new.clone(),
                    };
                    push(
                        &mut out,
                        ChangeKind::RenameColumn { table, from, to },
                        whole,
                    );
                }
            }
            [old, new] | [old, new, _]
                if args.get(2).is_none()
                    || args
                        .get(2)
                        .is_some_and(|k| k.eq_ignore_ascii_case("OBJECT")) =>
            {
                let from = Name {
                    key: crate::names::join_parts(&name(old), st.dialect),
                    display: display(old),
                };
                let to = Name {
                    key: crate::names::join_parts(&name(new), st.dialect),
                    display: display(new),
                };
                let written = to.display.clone();
                push(
                    &mut out,
                    ChangeKind::RenameTable {
                        from,
                        to,
                        written,
                        qualified: false,
                    },
                    whole,
                );
            }
            _ => {}
        }
    } else if c.word(0, "SET") {
        // `SET [SESSION | LOCAL] lock_timeout`; `SET foo.lock_timeout` is a custom
        // setting of another name, not the lock timeout.
        let i = if c.any_word(1, &["SESSION", "LOCAL", "GLOBAL"]) {
            2
        } else {
            1
        };
        let dotted = c.tok(i + 1).is_some_and(|t| t.is_punct(st.src, b'.'));
        if c.any_word(
            i,
            &[
                "lock_timeout",
                "lock_wait_timeout",
                "innodb_lock_wait_timeout",
            ],
        ) && !dotted
        {
            push(&mut out, ChangeKind::SetLockTimeout, whole);
        }
    } else if c.word(0, "VACUUM") {
        // `VACUUM FULL [t]`, `VACUUM (FULL, ..) [t]`: only FULL rewrites.
        let mut i = 1;
        let mut full = false;
        if c.tok(i).is_some_and(|t| t.is_punct(st.src, b'(')) {
            while i < c.to && !c.tok(i).is_some_and(|t| t.is_punct(st.src, b')')) {
                full |= c.word(i, "FULL") && !c.any_word(i + 1, &["FALSE", "OFF", "0"]);
                i += 1;
            }
            i += 1;
        } else {
            while c.any_word(i, &["FULL", "FREEZE", "VERBOSE", "ANALYZE", "ANALYSE"]) {
                full |= c.word(i, "FULL");
                i += 1;
            }
        }
        if full {
            let table = c.object(i).map(|(n, _)| n);
            push(
                &mut out,
                ChangeKind::Rewrite {
                    table,
                    cause: RewriteCause::VacuumFull,
                },
                whole,
            );
        }
    } else if c.word(0, "CLUSTER") {
        let mut i = 1;
        if c.word(i, "VERBOSE") {
            i += 1;
        }
        let table = c.object(i).map(|(n, _)| n);
        push(
            &mut out,
            ChangeKind::Rewrite {
                table,
                cause: RewriteCause::Cluster,
            },
            whole,
        );
    } else if c.word(0, "REINDEX") {
        let mut i = 1;
        let mut concurrently = false;
        if c.tok(i).is_some_and(|t| t.is_punct(st.src, b'(')) {
            while i < c.to && !c.tok(i).is_some_and(|t| t.is_punct(st.src, b')')) {
                concurrently |=
                    c.word(i, "CONCURRENTLY") && !c.any_word(i + 1, &["FALSE", "OFF", "0"]);
                i += 1;
            }
            i += 1;
        }
        let what = c
            .tok(i)
            .map(|t| st.src[t.start..t.end].to_ascii_uppercase())
            .unwrap_or_default();
        i += 1;
        if c.word(i, "CONCURRENTLY") {
            concurrently = true;
            i += 1;
        }
        let name = c.object(i).map(|(n, _)| n);
        push(
            &mut out,
            ChangeKind::Reindex {
                what,
                name,
                concurrently,
            },
            whole,
        );
    } else if c.any_word(0, &["BEGIN", "START"]) {
        if c.tok(1).is_none() || c.any_word(1, &["TRANSACTION", "WORK", "ISOLATION"]) {
            push(&mut out, ChangeKind::Begin, whole);
        }
    } else if c.any_word(0, &["COMMIT", "END", "ROLLBACK"]) {
        push(&mut out, ChangeKind::Commit, whole);
    }
    out
}

/// For `ADD [CONSTRAINT n] CHECK (c IS NOT NULL) ..` starting at token `a`: the
/// column `c`, when the check is exactly that (parentheses around it allowed).
fn not_null_check(seg: &Cursor<'_, '_>, a: usize) -> Option<Name> {
    let src = seg.st.src;
    let check = (a..seg.to).find(|&j| seg.word(j, "CHECK"))?;
    let mut i = check + 1;
    let mut open = 0;
    while seg.tok(i).is_some_and(|t| t.is_punct(src, b'(')) {
        open += 1;
        i += 1;
    }
    let column = seg.ident(i)?;
    if !(seg.word(i + 1, "IS") && seg.word(i + 2, "NOT") && seg.word(i + 3, "NULL")) {
        return None;
    }
    i += 4;
    for _ in 0..open {
        if !seg.tok(i).is_some_and(|t| t.is_punct(src, b')')) {
            return None;
        }
        i += 1;
    }
    (open > 0).then_some(column)
}

/// Whether the token scan reads every part of a statement the parser rejected, so
/// that it need not be reported as unparsed: `DROP INDEX [CONCURRENTLY] [IF
/// EXISTS] name, ..` and `REINDEX`, `VACUUM`, `CLUSTER` (which change no schema).
pub fn fully_read(st: &StatementText<'_>) -> bool {
    let c = Cursor {
        st,
        from: 0,
        to: st.toks().len(),
    };
    let src = st.src;
    if c.any_word(0, &["REINDEX", "VACUUM", "CLUSTER"]) {
        return true;
    }
    if !(c.word(0, "DROP") && c.word(1, "INDEX")) {
        return false;
    }
    let mut i = 2;
    if c.word(i, "CONCURRENTLY") {
        i += 1;
    }
    if c.word(i, "IF") && c.word(i + 1, "EXISTS") {
        i += 2;
    }
    while let Some((_, end)) = c.object(i) {
        if c.tok(end).is_some_and(|t| t.is_punct(src, b',')) {
            i = end + 1;
        } else {
            i = end;
            break;
        }
    }
    if c.any_word(i, &["CASCADE", "RESTRICT"]) {
        i += 1;
    }
    while c.tok(i).is_some_and(|t| t.is_punct(src, b';')) {
        i += 1;
    }
    i >= c.to && i > 2
}

/// Changes inside the bodies of `DO` blocks and routines ([`bodies`]).
pub fn in_bodies(text: &str, span: Span, dialect: Dialect) -> Vec<Change> {
    bodies::changes(text, span, dialect)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_create_index_is_left_to_the_ops_scan() {
        let yes = |sql: &str| create_is_index(sql, Span::new(0, sql.len()), Dialect::Postgres);
        assert!(yes("CREATE INDEX i ON t (a)"));
        assert!(yes("create unique /* x */ index CONCURRENTLY i ON t (a)"));
        assert!(yes("ALTER TABLE t ADD c int"));
        assert!(!yes("CREATE TABLE t (a int)"));
        assert!(!yes("CREATE UNIQUE"));
        assert!(!yes("CREATE -- index\nVIEW v AS SELECT 1"));
    }
}
