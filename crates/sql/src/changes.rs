//! Schema changes: what a statement does to objects stable knows, with the byte
//! span of the clause that does it.
//!
//! Both the parsed AST ([`from_statement`]) and the token scan of a statement the
//! parser rejected ([`crate::scan`]) produce the same [`Change`] values, so every
//! rule is written once and works on both.

mod body_inserts;

use crate::lex::{ident_value, tokens, Token, TokenKind};
use crate::names::{ident_key, join_parts, object_key};
use crate::sqltokens::to_span;
use crate::Dialect;
use canary_lint_core::Span;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, AlterTypeOperation, ColumnDef, ColumnOption,
    DataType, Expr, GeneratedExpressionMode, Ident, ObjectName, ObjectType, Query,
    RenameTableNameKind, SelectItem, SetExpr, Statement,
};
use std::sync::Arc;

/// A named object or column: its comparison key (see [`crate::names`]) and the
/// name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub key: String,
    pub display: String,
}

impl Name {
    /// Displayed without quotes: `public.Users`, not `public."Users"`.
    pub fn object(name: &ObjectName, dialect: Dialect) -> Name {
        // Most names are one identifier: no parts collected and joined.
        if let [sqlparser::ast::ObjectNamePart::Identifier(i)] = name.0.as_slice() {
            return Name::ident(i);
        }
        let display = name
            .0
            .iter()
            .map(|p| match p.as_ident() {
                Some(i) => i.value.clone(),
                None => p.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".");
        Name {
            key: object_key(name, dialect),
            display,
        }
    }

    pub fn ident(ident: &Ident) -> Name {
        Name {
            key: ident_key(ident),
            display: ident.value.clone(),
        }
    }
}

/// What a column definition says about a new column.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnSpec {
    /// The type as written, for a column found by the token scan; empty for a
    /// parsed column, whose type is [`ColumnDefinition::column`]'s (see
    /// [`ColumnSpec::type_text`]).
    pub data_type: String,
    pub not_null: bool,
    pub has_default: bool,
    /// Generated, identity, serial or auto-increment: the database fills it.
    pub generated: bool,
    /// The default calls a volatile function (`random()`, `gen_random_uuid()`,
    /// `clock_timestamp()`, `nextval(..)` ...): Postgres rewrites the table.
    pub volatile_default: bool,
    /// The database computes a value for every existing row when the column is
    /// added: serial, identity, auto-increment, or a stored generated column (a
    /// `VIRTUAL` generated column is computed on read and is not counted).
    pub fills_rows: bool,
    /// An inline `REFERENCES` (a foreign key).
    pub references: bool,
    /// An inline `UNIQUE`.
    pub unique: bool,
    /// An inline `PRIMARY KEY`.
    pub primary_key: bool,
    /// The default expression as SQL text.
    pub default: Option<String>,
    /// The column as the schema model keeps it, for a parsed definition (the
    /// flags above are derived from it); `None` when found by the token scan.
    pub definition: Option<Box<ColumnDefinition>>,
}

impl ColumnSpec {
    /// The type as SQL text (rendered when asked: the model keeps the parsed type).
    pub fn type_text(&self) -> String {
        match &self.definition {
            Some(d) => d.column.data_type.to_string(),
            None => self.data_type.clone(),
        }
    }
}

/// A parsed column definition as the schema model replays it: the one reading of
/// a column definition ([`read_column`]), in `CREATE TABLE`, `ADD COLUMN` and
/// MySQL `CHANGE`/`MODIFY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDefinition {
    pub column: crate::definition::Column,
    /// The constraints written inline on the column.
    pub constraints: Vec<crate::definition::Constraint>,
    /// MySQL `FIRST` / `AFTER x` (`ADD COLUMN`, `CHANGE`, `MODIFY`).
    pub position: Option<ColumnPosition>,
    /// `ADD COLUMN IF NOT EXISTS`.
    pub if_not_exists: bool,
}

/// Where MySQL's `FIRST` / `AFTER x` puts a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnPosition {
    First,
    /// After the column of this key.
    After(String),
}

/// What the schema model needs of a parsed `CREATE TABLE` beyond its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDefinition {
    /// The name as SQL text (quotes kept), as the model shows it.
    pub written: String,
    pub if_not_exists: bool,
    /// `LIKE source` or `PARTITION OF parent`: the table whose columns it copies.
    pub copy_from: Option<CopyFrom>,
    /// `AS SELECT`, `CLONE`, or a SQLite virtual table: the columns come from
    /// elsewhere and are not known.
    pub columns_unknown: bool,
    /// Table constraints (and MySQL inline keys), in order.
    pub items: Vec<TableItem>,
}

/// `CREATE TABLE .. LIKE source` or `PARTITION OF parent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyFrom {
    pub source: Name,
    /// The source as written, for messages.
    pub written: String,
    /// `INCLUDING DEFAULTS`, or a partition (which always inherits them).
    pub with_defaults: bool,
    pub partition: bool,
}

/// A table constraint as the model replays it (`CREATE TABLE`, `ADD CONSTRAINT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableItem {
    Constraint(crate::definition::Constraint),
    /// MySQL `KEY | INDEX | FULLTEXT | SPATIAL [name] (cols)`.
    Index {
        name: Option<Name>,
        columns: Vec<String>,
    },
    /// Postgres `[CONSTRAINT c] PRIMARY KEY | UNIQUE USING INDEX i`: the index
    /// becomes the constraint's (named `c`, else `i`).
    UsingIndex {
        name: Name,
        index: Name,
        primary: bool,
    },
}

/// What the schema model needs of a parsed `CREATE INDEX` besides its table
/// and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDefinition {
    /// The name as SQL text (quotes kept), as the model shows it.
    pub written: Option<String>,
    /// Keys of the indexed columns (an expression as its SQL text).
    pub columns: Vec<String>,
    pub unique: bool,
    pub if_not_exists: bool,
    /// A partial index's `WHERE` condition as SQL text.
    pub predicate: Option<String>,
}

/// What an `ALTER TABLE .. DROP CONSTRAINT | PRIMARY KEY | FOREIGN KEY | INDEX`
/// names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DroppedConstraint {
    /// `DROP CONSTRAINT [IF EXISTS] name` (on MySQL it may name an index).
    Named { name: Name, if_exists: bool },
    /// `DROP PRIMARY KEY`.
    PrimaryKey,
    /// MySQL `DROP FOREIGN KEY name`.
    ForeignKey(Name),
    /// MySQL `DROP INDEX | KEY name`: an index, or the unique constraint it backs.
    Index(Name),
}

/// What an `ALTER [MATERIALIZED] VIEW` does to the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewChange {
    RenameTo {
        to: Name,
        /// The new name as SQL text (quotes kept).
        written: String,
        qualified: bool,
    },
    RenameColumn {
        from: Name,
        to: Name,
    },
    /// `ALTER VIEW .. AS query` (MySQL, SQL Server): the view redefined.
    Redefine(Box<ViewDefinition>),
    /// `SET SCHEMA`: not followed by the model.
    SetSchema,
    /// Owner, options, column defaults: nothing the model keeps.
    Other,
}

/// A view's definition as a parsed `ALTER VIEW .. AS` gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewDefinition {
    pub written: String,
    pub columns: Option<Vec<String>>,
    pub sources: Vec<ColumnSource>,
    pub query: String,
    pub depends_on: Vec<String>,
}

/// Built-in functions that are not volatile (immutable or stable in Postgres's
/// catalogue), so a default calling them is evaluated once, not per row: `ADD
/// COLUMN` with such a default only touches the catalogue (Postgres 11+). Any other
/// function call, built-in volatile (`random()`, `gen_random_uuid()`,
/// `clock_timestamp()`, `nextval()`) or user-defined, is taken as volatile: the
/// table is rewritten.
const NOT_VOLATILE: &[&str] = &[
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "transaction_timestamp",
    "statement_timestamp",
    "current_user",
    "current_schema",
    "session_user",
    "timezone",
    "to_timestamp",
    "to_date",
    "to_char",
    "to_json",
    "to_jsonb",
    "make_date",
    "make_interval",
    "make_timestamp",
    "make_timestamptz",
    "date_trunc",
    "coalesce",
    "nullif",
    "greatest",
    "least",
    "lower",
    "upper",
    "concat",
    "length",
    "abs",
    "round",
    "json_build_object",
    "jsonb_build_object",
    "json_build_array",
    "jsonb_build_array",
    "array",
    "cast",
    "interval",
    "row",
    "in",
    "and",
    "or",
    "not",
    // Type names that take arguments in a cast: `'0'::numeric(10, 2)`.
    "numeric",
    "decimal",
    "varchar",
    "char",
    "character",
    "bit",
    "time",
    "timestamp",
    "timestamptz",
    "float",
    // MySQL: `DEFAULT (CURRENT_TIMESTAMP)` forms are handled by the MySQL rules.
    "utc_timestamp",
];

/// Built-ins of [`NOT_VOLATILE`] that take no arguments.
const NO_ARGUMENTS: &[&str] = &[
    "now",
    "transaction_timestamp",
    "statement_timestamp",
    "current_user",
    "current_schema",
    "session_user",
];

/// Whether a default expression calls a function that must be assumed volatile:
/// any call of a name that is not in [`NOT_VOLATILE`]. Casts are not calls.
pub(crate) fn is_volatile_default(expr: &str) -> bool {
    let b = expr.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let ch = b[i];
        if in_str {
            if ch == b'\'' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if ch == b'\'' {
            in_str = true;
            i += 1;
            continue;
        }
        if ch.is_ascii_alphabetic() || ch == b'_' || ch == b'"' {
            let start = i;
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'"'))
            {
                i += 1;
            }
            let word = expr[start..i].trim_matches('"').to_ascii_lowercase();
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let is_call = b.get(j) == Some(&b'(');
            let after_cast = expr[..start].trim_end().ends_with("::");
            if is_call && !after_cast {
                let bare = word.rsplit('.').next().unwrap_or(&word);
                let bare = bare.trim_matches('"');
                // `now()` takes no arguments: `now(123)` is some other function.
                let no_args = expr[j + 1..].trim_start().starts_with(')');
                let known =
                    NOT_VOLATILE.contains(&bare) && (no_args || !NO_ARGUMENTS.contains(&bare));
                if !known {
                    return true;
                }
            }
            continue;
        }
        i += 1;
    }
    false
}

/// One change to the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    CreateTable {
        table: Name,
        temporary: bool,
        columns: Vec<(Name, ColumnSpec)>,
        /// `CREATE TABLE .. AS SELECT`: created with rows.
        filled: bool,
        /// The rest of a parsed definition (`None` when found by the token scan).
        definition: Option<Box<TableDefinition>>,
    },
    /// `CREATE [OR REPLACE] [MATERIALIZED] VIEW`. What the token scan cannot
    /// read is left empty (`columns: None`, no sources, no query).
    CreateView {
        view: Name,
        written: String,
        materialized: bool,
        if_not_exists: bool,
        /// Output column keys (an explicit column list, or a projection of
        /// plain columns and aliases); `None` when unknown.
        columns: Option<Vec<String>>,
        /// Where each output column comes from, in order (empty when unknown).
        sources: Vec<ColumnSource>,
        /// The defining query as SQL text.
        query: String,
        /// Keys of the relations the query reads in `FROM`/`JOIN`, sorted.
        depends_on: Vec<String>,
    },
    /// `INSERT INTO table .. SELECT .. FROM ..`: rows copied from another relation.
    InsertSelect {
        table: Name,
    },
    /// `CREATE TRIGGER .. ON table`: the trigger may fill columns stable omits.
    CreateTrigger {
        table: Name,
        name: Name,
        /// Fires `BEFORE INSERT` for each row: it may set columns the insert omits.
        before_insert: bool,
    },
    /// `DROP TRIGGER [IF EXISTS] name [ON table]`.
    DropTrigger {
        name: Name,
        table: Option<Name>,
    },
    /// `ALTER TYPE .. ADD VALUE [IF NOT EXISTS] 'label' [BEFORE | AFTER 'other']`.
    AddEnumValue {
        ty: Name,
        label: String,
        if_not_exists: bool,
        position: Option<LabelPosition>,
    },
    /// `ALTER TYPE .. RENAME TO`.
    RenameType {
        from: Name,
        to: Name,
        /// The new name as written (in the old name's schema).
        new_name: ObjectName,
    },
    /// `ALTER INDEX .. RENAME TO`.
    RenameIndex {
        from: Name,
        to: Name,
        /// The new name as SQL text (quotes kept).
        written: String,
        /// The new name names its schema; an unqualified one stays in the
        /// schema of the old name.
        qualified: bool,
    },
    /// `DROP SCHEMA`: every object in it goes.
    DropSchema {
        name: Name,
    },
    /// `DROP TYPE` (also `DROP DOMAIN`: `domain`).
    DropType {
        name: Name,
        if_exists: bool,
        domain: bool,
    },
    CreateSequence {
        name: Name,
        /// The name as SQL text (quotes kept), as the model shows it.
        written: String,
        if_not_exists: bool,
    },
    DropSequence {
        name: Name,
        if_exists: bool,
    },
    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
    CreateFunction {
        name: Name,
        written: String,
        if_not_exists: bool,
        signature: Signature,
    },
    /// `DROP FUNCTION name[(types)]`: with the argument types, one overload;
    /// without them, every function of that name.
    DropFunction {
        name: Name,
        if_exists: bool,
        args: Option<Vec<String>>,
    },
    /// `CREATE TYPE`; `labels` for an enum (`AS ENUM (..)`), `None` for any
    /// other kind of type (or when not read, by the token scan).
    CreateType {
        name: Name,
        written: String,
        labels: Option<Vec<String>>,
    },
    AddColumn {
        table: Name,
        column: Name,
        spec: ColumnSpec,
    },
    DropColumn {
        table: Name,
        column: Name,
        /// `DROP COLUMN IF EXISTS`.
        if_exists: bool,
    },
    RenameColumn {
        table: Name,
        from: Name,
        to: Name,
    },
    /// `RENAME TABLE a TO b`, `ALTER TABLE a RENAME TO b` (also of a view).
    RenameTable {
        from: Name,
        to: Name,
        /// The new name as SQL text (quotes kept).
        written: String,
        /// The new name names its schema; an unqualified one stays in the
        /// schema of the old name.
        qualified: bool,
    },
    DropTable {
        table: Name,
        temporary: bool,
        if_exists: bool,
        /// `CASCADE`: the views built on the table go with it.
        cascade: bool,
    },
    DropView {
        view: Name,
        materialized: bool,
        if_exists: bool,
        cascade: bool,
    },
    /// `ALTER COLUMN .. TYPE`, or MySQL `MODIFY`/`CHANGE` restating the column
    /// (`restated`: the new type may equal the old one).
    ChangeType {
        table: Name,
        column: Name,
        new_type: String,
        restated: bool,
        /// The new type, when read from the syntax tree.
        data_type: Option<DataType>,
        /// MySQL `CHANGE`/`MODIFY`: the whole column as restated (parsed).
        definition: Option<Box<ColumnDefinition>>,
    },
    /// `SET NOT NULL`, or a MySQL `MODIFY`/`CHANGE` that says `NOT NULL` (`restated`).
    SetNotNull {
        table: Name,
        column: Name,
        restated: bool,
    },
    DropNotNull {
        table: Name,
        column: Name,
    },
    SetDefault {
        table: Name,
        column: Name,
        /// The default expression as SQL text, when read from the syntax tree.
        value: Option<String>,
    },
    /// `DROP DEFAULT`, or a MySQL `MODIFY`/`CHANGE` without `DEFAULT` (`restated`:
    /// only a change if the column had a default).
    DropDefault {
        table: Name,
        column: Name,
        restated: bool,
    },
    RenameEnumValue {
        ty: Name,
        from: String,
        to: String,
    },
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY] .. ON table`.
    CreateIndex {
        table: Name,
        index: Option<Name>,
        concurrently: bool,
        /// The rest of a parsed statement (`None` when found by the token scan).
        definition: Option<Box<IndexDefinition>>,
    },
    /// `DROP INDEX [CONCURRENTLY] [IF EXISTS] name [ON table]`.
    DropIndex {
        index: Name,
        concurrently: bool,
        if_exists: bool,
        /// MySQL, SQL Server: `ON table` (their index names are per table).
        table: Option<Name>,
    },
    /// `ALTER TABLE .. ADD [CONSTRAINT c] FOREIGN KEY | CHECK | UNIQUE | PRIMARY KEY`.
    AddConstraint {
        table: Name,
        kind: ConstraintKind,
        not_valid: bool,
        using_index: bool,
        /// The constraint's name, when given (`ADD CONSTRAINT name ..`).
        name: Option<Name>,
        /// A `CHECK (c IS NOT NULL)`: the column it keeps from NULL.
        not_null_check: Option<Name>,
        /// The whole constraint, when read from the syntax tree (`None` when
        /// found by the token scan).
        definition: Option<Box<TableItem>>,
    },
    /// `ALTER TABLE .. ADD` of what no rule reads as a constraint: MySQL `KEY |
    /// INDEX | FULLTEXT | SPATIAL`, Postgres `EXCLUDE` (from the syntax tree).
    AddTableItem {
        table: Name,
        item: Box<TableItem>,
    },
    /// `ALTER TABLE .. DROP CONSTRAINT | PRIMARY KEY | FOREIGN KEY | INDEX`.
    DropConstraint {
        table: Name,
        what: DroppedConstraint,
    },
    /// `ALTER TABLE .. RENAME CONSTRAINT a TO b`.
    RenameConstraint {
        table: Name,
        from: Name,
        to: Name,
    },
    /// `ALTER TABLE .. ALTER COLUMN .. ADD GENERATED .. AS IDENTITY`.
    AddIdentity {
        table: Name,
        column: Name,
    },
    /// `ALTER [MATERIALIZED] VIEW [IF EXISTS] view ..`.
    AlterView {
        view: Name,
        if_exists: bool,
        materialized: bool,
        change: ViewChange,
    },
    /// A schema change of a parsed statement that the model does not follow
    /// (an `ALTER TABLE` operation, an `sp_rename` it cannot read): `what`
    /// says which, for `--verbose`.
    NotModelled {
        what: String,
    },
    /// MySQL `ALTER TABLE .. ALGORITHM=COPY`.
    AlgorithmCopy {
        table: Name,
    },
    /// Any `ALTER TABLE` (it takes a lock on the table).
    AlterTableLock {
        table: Name,
    },
    Update {
        table: Name,
        has_where: bool,
    },
    Delete {
        table: Name,
        has_where: bool,
    },
    Truncate {
        table: Name,
    },
    /// `SET [SESSION | LOCAL] lock_timeout` (MySQL `lock_wait_timeout`).
    SetLockTimeout,
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT` / `END` / `ROLLBACK`.
    Commit,
    /// `ALTER TABLE .. VALIDATE CONSTRAINT name`.
    ValidateConstraint {
        table: Name,
        name: Name,
    },
    /// A statement that rewrites a whole table (or, without a table, every table it
    /// may touch) while holding an exclusive lock, other than a column change.
    Rewrite {
        table: Option<Name>,
        cause: RewriteCause,
    },
    /// `REINDEX [CONCURRENTLY] INDEX | TABLE | SCHEMA | DATABASE | SYSTEM name`.
    Reindex {
        /// `INDEX`, `TABLE`, `SCHEMA` ...: what the name names.
        what: String,
        name: Option<Name>,
        concurrently: bool,
    },
}

/// Where an output column of a view comes from, as far as the query's text shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnSource {
    /// A column of a relation read in `FROM` (`relation`: its key when the
    /// column is qualified; otherwise found among the relations read).
    Column {
        relation: Option<String>,
        column: String,
    },
    /// A cast (`x::int`, `CAST(x AS int)`): the column has its type.
    Cast(DataType),
    Unknown,
}

/// Where `ALTER TYPE .. ADD VALUE` puts the new label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelPosition {
    Before(String),
    After(String),
}

/// What callers of a function see of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// The types of the arguments that identify an overload (not `OUT` ones),
    /// one spelling per type.
    pub args: Vec<String>,
    /// Argument types and return type as SQL text: `(int, text) RETURNS boolean`.
    pub text: String,
    /// `RETURNS TRIGGER`: called by triggers, not by code.
    pub returns_trigger: bool,
    /// The tables its body inserts into, with the columns each `INSERT INTO t
    /// (cols)` names (`None`: no column list, every column in order).
    pub inserts: Vec<(Name, Option<Vec<String>>)>,
}

/// The model's key of one overload from its name key and argument types.
pub fn overload_key(name: &str, args: &[String]) -> String {
    format!("{name}({})", args.join(", "))
}

/// One spelling per type (`int`, `integer` and `int4` are `int`), so that a
/// function re-created with the same types in other words keeps its signature.
pub(crate) fn type_spelling(ty: &str) -> String {
    let (base, args) = crate::type_name::normalize(ty);
    if args.is_empty() {
        base
    } else {
        let args: Vec<String> = args.iter().map(u64::to_string).collect();
        format!("{base}({})", args.join(","))
    }
}

/// What makes a [`ChangeKind::Rewrite`] statement rewrite the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewriteCause {
    /// `ALTER TABLE .. SET LOGGED` / `SET UNLOGGED`.
    SetLogged,
    /// `ALTER TABLE .. SET TABLESPACE`.
    SetTablespace,
    /// `VACUUM FULL`.
    VacuumFull,
    /// `CLUSTER`.
    Cluster,
    /// MySQL `CONVERT TO CHARACTER SET`.
    ConvertCharset,
}

impl RewriteCause {
    /// The clause as written in SQL, for messages.
    pub fn as_sql(self) -> &'static str {
        match self {
            RewriteCause::SetLogged => "SET LOGGED/UNLOGGED",
            RewriteCause::SetTablespace => "SET TABLESPACE",
            RewriteCause::VacuumFull => "VACUUM FULL",
            RewriteCause::Cluster => "CLUSTER",
            RewriteCause::ConvertCharset => "CONVERT TO CHARACTER SET",
        }
    }
}

/// The kind of a constraint added to an existing table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    ForeignKey,
    Check,
    Unique,
    PrimaryKey,
}

/// A change and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The clause at fault (e.g. `DROP COLUMN email` inside an `ALTER TABLE`).
    pub clause: Span,
    /// Found by the token scan of a statement the parser rejected.
    pub by_scan: bool,
}

/// The tokens of one statement, computed on demand, and the clause spans of an
/// `ALTER TABLE` (its comma-separated operations).
#[derive(Debug)]
pub struct StatementText<'a> {
    pub src: &'a str,
    pub span: Span,
    pub dialect: Dialect,
    /// Lexed on first use: a `CREATE TABLE`, most of a migration's bytes, is
    /// described from its syntax tree alone.
    toks: std::cell::OnceCell<Vec<Token>>,
}

impl<'a> StatementText<'a> {
    pub fn new(src: &'a str, span: Span, dialect: Dialect) -> Self {
        StatementText {
            src,
            span,
            dialect,
            toks: std::cell::OnceCell::new(),
        }
    }

    /// A statement without its text, for the schema model's replay of a
    /// statement alone (clause spans are then the empty span).
    pub fn detached(dialect: Dialect) -> StatementText<'static> {
        StatementText::new("", Span::new(0, 0), dialect)
    }

    /// The statement's tokens (comments included).
    pub fn toks(&self) -> &[Token] {
        self.toks
            .get_or_init(|| tokens(self.src, self.span.start, self.span.end, self.dialect))
    }

    /// For `ALTER TABLE name op, op, ...`: the index of the first token after the
    /// table name, and the token ranges of each operation.
    pub fn alter_segments(&self) -> Option<(usize, Vec<(usize, usize)>)> {
        // A statement whose text starts with another word is no `ALTER`: not
        // tokenized for that (the rules and the scan ask this of every statement).
        let text = self.src.get(self.span.start..self.span.end).unwrap_or("");
        let text = text.trim_start_matches([' ', '\t', '\n', '\r']).as_bytes();
        if text.first().is_some_and(u8::is_ascii_alphabetic)
            && !text
                .get(..5)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"ALTER"))
        {
            return None;
        }
        let t = self.toks();
        let src = self.src;
        if !t.first()?.is_word(src, "ALTER") {
            return None;
        }
        let mut i = 1;
        while i < t.len() && !t[i].is_word(src, "TABLE") {
            if i > 3 {
                return None;
            }
            i += 1;
        }
        i += 1;
        if t.get(i).is_some_and(|x| x.is_word(src, "IF")) {
            i += 2;
        }
        if t.get(i).is_some_and(|x| x.is_word(src, "ONLY")) {
            i += 1;
        }
        i = object_name_end(src, t, i)?;
        if t.get(i).is_some_and(|x| x.is_punct(src, b'*')) {
            i += 1;
        }
        let name_end = i;
        let mut segs = Vec::new();
        let mut depth = 0i32;
        let mut seg_start = i;
        while i < t.len() {
            if t[i].is_punct(src, b'(') {
                depth += 1;
            } else if t[i].is_punct(src, b')') {
                depth -= 1;
            } else if depth == 0 && t[i].is_punct(src, b',') {
                if seg_start < i {
                    segs.push((seg_start, i));
                }
                seg_start = i + 1;
            }
            i += 1;
        }
        if seg_start < t.len() {
            segs.push((seg_start, t.len()));
        }
        Some((name_end, segs))
    }

    pub fn tokens_span(&self, from: usize, to: usize) -> Span {
        match (
            self.toks().get(from),
            to.checked_sub(1).and_then(|i| self.toks().get(i)),
        ) {
            (Some(a), Some(b)) if from < to => Span::new(a.start, b.end),
            _ => self.span,
        }
    }

    /// The span of the first token equal (as an identifier key) to `key` at or
    /// after byte `from`, for AST nodes whose own span is empty.
    pub fn find_ident(&self, key: &str, from: usize) -> Option<Span> {
        self.toks()
            .iter()
            .filter(|t| {
                t.start >= from
                    && matches!(
                        t.kind,
                        TokenKind::Word | TokenKind::QuotedIdent | TokenKind::Str
                    )
            })
            .find(|t| {
                let (v, quoted) = ident_value(self.src, t);
                (if quoted { v } else { v.to_lowercase() }) == key
            })
            .map(|t| Span::new(t.start, t.end))
    }

    /// The clause span of the operation holding byte `at`, if inside one.
    fn segment_at(&self, at: usize) -> Option<Span> {
        let (_, segs) = self.alter_segments()?;
        segs.iter()
            .map(|&(a, b)| self.tokens_span(a, b))
            .find(|s| s.start <= at && at <= s.end)
    }
}

/// Skips an object name (`a`, `s.a`, `"s"."a"`) starting at token `i`; returns the
/// keyed parts and the index after it.
pub fn skip_object_name(src: &str, t: &[Token], mut i: usize) -> Option<(Vec<String>, usize)> {
    let mut parts = Vec::new();
    loop {
        let tok = t.get(i)?;
        if !matches!(tok.kind, TokenKind::Word | TokenKind::QuotedIdent) {
            return if parts.is_empty() {
                None
            } else {
                Some((parts, i))
            };
        }
        let (v, quoted) = ident_value(src, tok);
        parts.push(if quoted { v } else { v.to_lowercase() });
        i += 1;
        if t.get(i).is_some_and(|x| x.is_punct(src, b'.')) {
            i += 1;
        } else {
            return Some((parts, i));
        }
    }
}

/// The index after the object name starting at token `i`, as [`skip_object_name`]
/// finds it, without keying its parts.
fn object_name_end(src: &str, t: &[Token], mut i: usize) -> Option<usize> {
    let mut any = false;
    loop {
        let tok = t.get(i)?;
        if !matches!(tok.kind, TokenKind::Word | TokenKind::QuotedIdent) {
            return any.then_some(i);
        }
        any = true;
        i += 1;
        if t.get(i).is_some_and(|x| x.is_punct(src, b'.')) {
            i += 1;
        } else {
            return Some(i);
        }
    }
}

/// A [`Name`] from scanned parts.
pub fn name_from_parts(
    src: &str,
    t: &[Token],
    from: usize,
    to: usize,
    parts: &[String],
    dialect: Dialect,
) -> Name {
    let display = t[from.min(t.len())..to.min(t.len())]
        .iter()
        .filter(|x| matches!(x.kind, TokenKind::Word | TokenKind::QuotedIdent))
        .map(|x| ident_value(src, x).0)
        .collect::<Vec<_>>()
        .join(".");
    let display = if display.is_empty() {
        parts.join(".")
    } else {
        display
    };
    Name {
        key: join_parts(parts, dialect),
        display,
    }
}

pub(crate) fn column_spec(def: &ColumnDef, dialect: Dialect) -> ColumnSpec {
    read_column(
        &def.name,
        &def.data_type,
        def.options.iter().map(|o| (o.name.as_ref(), &o.option)),
        dialect,
    )
}

/// Reads one column definition (name, type, options with their `CONSTRAINT`
/// names): the model's column, its inline constraints, and the flags the rules
/// read, all from this one reading. What each dialect does:
/// - `serial` (`bigserial`, `smallserial`, `serial2/4/8`) is a counter and NOT
///   NULL on Postgres; on MySQL `SERIAL` is `BIGINT UNSIGNED NOT NULL
///   AUTO_INCREMENT UNIQUE` (and kept as that type); SQLite and SQL Server have
///   no such type (on SQLite it is a plain type name).
/// - a `PRIMARY KEY` column is NOT NULL, except on SQLite where only an
///   `INTEGER PRIMARY KEY` (the rowid) is; other SQLite primary-key columns
///   accept NULL.
/// - an identity (`GENERATED .. AS IDENTITY`, SQL Server `IDENTITY`) is NOT
///   NULL; `AUTO_INCREMENT` / `AUTOINCREMENT` is a counter.
pub(crate) fn read_column<'a>(
    name: &Ident,
    data_type: &DataType,
    options: impl Iterator<Item = (Option<&'a Ident>, &'a ColumnOption)>,
    dialect: Dialect,
) -> ColumnSpec {
    use crate::definition::{Column, Constraint, ConstraintKind as K, Generated};
    let key = ident_key(name);
    let mut column = Column {
        name: name.value.as_str().into(),
        key: key.as_str().into(),
        data_type: Arc::new(data_type.clone()),
        nullable: true,
        default: None,
        generated: None,
    };
    let mut spec = ColumnSpec::default();
    let mut constraints = Vec::new();
    let constraint = |name: Option<&Ident>, kind: K, columns: Vec<String>| Constraint {
        name: name.map(|n| n.value.clone()),
        key: name.map(ident_key),
        kind,
        columns,
    };
    if is_serial(data_type, dialect) {
        column.generated = Some(Generated::Identity);
        column.nullable = false;
        spec.fills_rows = true;
        if dialect == Dialect::Mysql {
            column.data_type = Arc::new(DataType::BigIntUnsigned(None));
            constraints.push(constraint(None, K::Unique, vec![key.clone()]));
        }
    }
    for (opt_name, opt) in options {
        let named = |inner: &'a Option<Ident>| opt_name.or(inner.as_ref());
        match opt {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(e) => column.default = Some(e.to_string().into()),
            ColumnOption::PrimaryKey(pk) => {
                spec.primary_key = true;
                constraints.push(constraint(
                    named(&pk.name),
                    K::PrimaryKey,
                    vec![key.clone()],
                ));
                if primary_key_implies_not_null(data_type, dialect) {
                    column.nullable = false;
                }
            }
            ColumnOption::Unique(u) => {
                spec.unique = true;
                constraints.push(constraint(named(&u.name), K::Unique, vec![key.clone()]));
            }
            ColumnOption::ForeignKey(fk) => {
                spec.references = true;
                constraints.push(constraint(
                    named(&fk.name),
                    K::ForeignKey {
                        table: object_key(&fk.foreign_table, dialect),
                        columns: fk.referred_columns.iter().map(ident_key).collect(),
                    },
                    vec![key.clone()],
                ));
            }
            ColumnOption::Check(c) => constraints.push(constraint(
                named(&c.name),
                K::Check(c.expr.to_string()),
                Vec::new(),
            )),
            ColumnOption::DialectSpecific(tokens) => {
                let counter = tokens.iter().any(|t| match t {
                    sqlparser::tokenizer::Token::Word(w) => {
                        w.value.eq_ignore_ascii_case("AUTO_INCREMENT")
                            || w.value.eq_ignore_ascii_case("AUTOINCREMENT")
                    }
                    _ => false,
                });
                if counter {
                    column.generated = Some(Generated::Identity);
                    spec.fills_rows = true;
                }
            }
            ColumnOption::Generated {
                generation_expr,
                generation_expr_mode,
                ..
            } => {
                if generation_expr.is_some() {
                    column.generated = Some(Generated::Computed);
                    // An expression without `STORED` is virtual (MySQL's
                    // default, Postgres 18's): computed on read.
                    spec.fills_rows |=
                        matches!(generation_expr_mode, Some(GeneratedExpressionMode::Stored));
                } else {
                    column.generated = Some(Generated::Identity);
                    column.nullable = false;
                    spec.fills_rows = true;
                }
            }
            ColumnOption::Identity(_) => {
                column.generated = Some(Generated::Identity);
                column.nullable = false;
                spec.fills_rows = true;
            }
            ColumnOption::Materialized(_) => {
                column.generated = Some(Generated::Computed);
                spec.fills_rows = true;
            }
            ColumnOption::Alias(_) => column.generated = Some(Generated::Computed),
            _ => {}
        }
    }
    spec.not_null = !column.nullable;
    spec.generated = column.generated.is_some();
    spec.has_default = column.default.is_some();
    spec.volatile_default = column.default.as_deref().is_some_and(is_volatile_default);
    spec.default = column.default.as_deref().map(str::to_string);
    spec.definition = Some(Box::new(ColumnDefinition {
        column,
        constraints,
        position: None,
        if_not_exists: false,
    }));
    spec
}

/// Columns named by a primary key are NOT NULL (Postgres, MySQL, SQL Server; in
/// SQLite only an `INTEGER PRIMARY KEY`, which is the rowid).
pub(crate) fn primary_key_implies_not_null(data_type: &DataType, dialect: Dialect) -> bool {
    dialect != Dialect::Sqlite || matches!(data_type, DataType::Integer(_))
}

/// `serial`, `bigserial`, `smallserial` (and `serial2/4/8`): a type on Postgres
/// (and MySQL's `SERIAL`).
pub(crate) fn is_serial(data_type: &DataType, dialect: Dialect) -> bool {
    if !matches!(
        dialect,
        Dialect::Postgres | Dialect::Generic | Dialect::Mysql
    ) {
        return false;
    }
    let DataType::Custom(name, mods) = data_type else {
        return false;
    };
    let Some(last) = name.0.last() else {
        return false;
    };
    let last = match last.as_ident() {
        Some(i) => i.value.to_ascii_lowercase(),
        None => last.to_string().to_ascii_lowercase(),
    };
    mods.is_empty()
        && match dialect {
            Dialect::Mysql => last == "serial",
            _ => matches!(
                last.as_str(),
                "serial" | "bigserial" | "smallserial" | "serial2" | "serial4" | "serial8"
            ),
        }
}

/// What the model needs of a parsed `CREATE TABLE` besides its columns.
fn table_definition(ct: &sqlparser::ast::CreateTable, d: Dialect) -> TableDefinition {
    use sqlparser::ast::{CreateTableLikeDefaults, CreateTableLikeKind};
    let like = match &ct.like {
        Some(CreateTableLikeKind::Parenthesized(l)) | Some(CreateTableLikeKind::Plain(l)) => {
            Some((
                &l.name,
                matches!(l.defaults, Some(CreateTableLikeDefaults::Including)),
            ))
        }
        None => None,
    };
    let copy_from = like
        .map(|(n, with_defaults)| (n, with_defaults, false))
        .or(ct.partition_of.as_ref().map(|n| (n, true, true)))
        .map(|(n, with_defaults, partition)| CopyFrom {
            source: Name::object(n, d),
            written: n.to_string(),
            with_defaults,
            partition,
        });
    TableDefinition {
        written: ct.name.to_string(),
        if_not_exists: ct.if_not_exists,
        copy_from,
        columns_unknown: ct.query.is_some() || ct.clone.is_some(),
        items: ct.constraints.iter().map(|c| table_item(c, d)).collect(),
    }
}

/// A table constraint (or MySQL inline key) as the model replays it.
pub(crate) fn table_item(tc: &sqlparser::ast::TableConstraint, d: Dialect) -> TableItem {
    use crate::definition::{Constraint, ConstraintKind as K};
    use sqlparser::ast::TableConstraint as T;
    // A constraint's name: `CONSTRAINT name`, else MySQL's index name (`UNIQUE KEY name`).
    fn either<'a>(name: &'a Option<Ident>, index_name: &'a Option<Ident>) -> Option<&'a Ident> {
        name.as_ref().or(index_name.as_ref())
    }
    let constraint = |name: Option<&Ident>, kind: K, columns: Vec<String>| {
        TableItem::Constraint(Constraint {
            name: name.map(|n| n.value.clone()),
            key: name.map(ident_key),
            kind,
            columns,
        })
    };
    match tc {
        T::PrimaryKey(pk) => constraint(
            either(&pk.name, &pk.index_name),
            K::PrimaryKey,
            pk.columns.iter().map(index_column_key).collect(),
        ),
        T::Unique(u) => constraint(
            either(&u.name, &u.index_name),
            K::Unique,
            u.columns.iter().map(index_column_key).collect(),
        ),
        T::ForeignKey(fk) => constraint(
            either(&fk.name, &fk.index_name),
            K::ForeignKey {
                table: object_key(&fk.foreign_table, d),
                columns: fk.referred_columns.iter().map(ident_key).collect(),
            },
            fk.columns.iter().map(ident_key).collect(),
        ),
        T::Check(c) => constraint(c.name.as_ref(), K::Check(c.expr.to_string()), Vec::new()),
        T::Index(ic) => TableItem::Index {
            name: ic.name.as_ref().map(Name::ident),
            columns: ic.columns.iter().map(index_column_key).collect(),
        },
        T::FulltextOrSpatial(fs) => TableItem::Index {
            name: fs.opt_index_name.as_ref().map(Name::ident),
            columns: fs.columns.iter().map(index_column_key).collect(),
        },
        T::PrimaryKeyUsingIndex(u) | T::UniqueUsingIndex(u) => TableItem::UsingIndex {
            name: Name::ident(u.name.as_ref().unwrap_or(&u.index_name)),
            index: Name::ident(&u.index_name),
            primary: matches!(tc, T::PrimaryKeyUsingIndex(_)),
        },
        T::Exclude(ex) => {
            let elements: Vec<String> = ex.elements.iter().map(|e| e.to_string()).collect();
            let mut text = String::new();
            if let Some(m) = &ex.index_method {
                text.push_str(&format!("USING {m} "));
            }
            text.push_str(&format!("({})", elements.join(", ")));
            if let Some(w) = &ex.where_clause {
                text.push_str(&format!(" WHERE ({w})"));
            }
            constraint(
                ex.name.as_ref(),
                K::Exclude(text),
                ex.elements
                    .iter()
                    .map(|e| index_column_key(&e.column))
                    .collect(),
            )
        }
    }
}

/// The key of one indexed column: a column key, or the expression's SQL text.
pub(crate) fn index_column_key(ic: &sqlparser::ast::IndexColumn) -> String {
    match &ic.column.expr {
        Expr::Identifier(i) => ident_key(i),
        Expr::CompoundIdentifier(parts) => parts.last().map(ident_key).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// The statement forms whose effect on the schema the model replays
/// ([`crate::model::Schema::apply`]): every form it follows is replayed from
/// the change values [`from_statement`] makes, the only place their syntax tree
/// is read.
pub fn replayed_from_changes(stmt: &Statement) -> bool {
    match stmt {
        Statement::CreateTable(_)
        | Statement::CreateView(_)
        | Statement::RenameTable(_)
        | Statement::AlterTable(_)
        | Statement::CreateIndex(_)
        | Statement::AlterView(_) => true,
        Statement::Drop { object_type, .. } => matches!(
            object_type,
            ObjectType::Table
                | ObjectType::View
                | ObjectType::MaterializedView
                | ObjectType::Type
                | ObjectType::Sequence
                | ObjectType::Schema
                | ObjectType::Index
        ),
        Statement::Execute {
            name: Some(name), ..
        } => is_sp_rename(name),
        Statement::AlterType(_)
        | Statement::AlterIndex { .. }
        | Statement::CreateDomain(_)
        | Statement::CreateVirtualTable { .. }
        | Statement::DropDomain(_)
        | Statement::CreateSequence { .. }
        | Statement::CreateFunction(_)
        | Statement::DropFunction(_)
        | Statement::CreateType { .. }
        | Statement::CreateTrigger(_)
        | Statement::DropTrigger(_) => true,
        _ => false,
    }
}

/// SQL Server's `sp_rename` procedure (`EXEC [dbo.]sp_rename ..`).
pub(crate) fn is_sp_rename(name: &ObjectName) -> bool {
    name.0
        .last()
        .and_then(|p| p.as_ident())
        .is_some_and(|i| i.value.eq_ignore_ascii_case("sp_rename"))
}

/// The changes of one parsed statement. `st` gives the statement's text for
/// locating clauses.
pub fn from_statement(stmt: &Statement, st: &StatementText<'_>) -> Vec<Change> {
    let d = st.dialect;
    let whole = st.span;
    let mut out = Vec::new();
    let mut push = |kind: ChangeKind, clause: Span| {
        out.push(Change {
            kind,
            clause,
            by_scan: false,
        })
    };
    match stmt {
        Statement::CreateTable(ct) => {
            let columns = ct
                .columns
                .iter()
                .map(|c| (Name::ident(&c.name), column_spec(c, d)))
                .collect();
            push(
                ChangeKind::CreateTable {
                    table: Name::object(&ct.name, d),
                    temporary: ct.temporary,
                    columns,
                    filled: ct.query.is_some(),
                    definition: Some(Box::new(table_definition(ct, d))),
                },
                whole,
            );
        }
        Statement::CreateView(cv) => {
            let columns = if cv.columns.is_empty() {
                query_columns(&cv.query)
            } else {
                Some(cv.columns.iter().map(|c| ident_key(&c.name)).collect())
            };
            push(
                ChangeKind::CreateView {
                    view: Name::object(&cv.name, d),
                    written: cv.name.to_string(),
                    materialized: cv.materialized,
                    if_not_exists: cv.if_not_exists,
                    columns,
                    sources: view_sources(&cv.query, d),
                    query: view_query(&cv.query, st),
                    depends_on: query_relations(&cv.query, d),
                },
                whole,
            )
        }
        // A domain is a type the model knows by name only.
        Statement::CreateDomain(cd) => push(
            ChangeKind::CreateType {
                name: Name::object(&cd.name, d),
                written: cd.name.to_string(),
                labels: None,
            },
            whole,
        ),
        // SQLite: a table whose columns its module defines.
        Statement::CreateVirtualTable {
            name,
            if_not_exists,
            ..
        } => push(
            ChangeKind::CreateTable {
                table: Name::object(name, d),
                temporary: false,
                columns: Vec::new(),
                filled: false,
                definition: Some(Box::new(TableDefinition {
                    written: name.to_string(),
                    if_not_exists: *if_not_exists,
                    copy_from: None,
                    columns_unknown: true,
                    items: Vec::new(),
                })),
            },
            whole,
        ),
        Statement::AlterIndex {
            name,
            operation: sqlparser::ast::AlterIndexOperation::RenameIndex { index_name },
        } => push(
            ChangeKind::RenameIndex {
                from: Name::object(name, d),
                to: Name::object(index_name, d),
                written: index_name.to_string(),
                qualified: index_name.0.len() > 1,
            },
            whole,
        ),
        Statement::CreateType {
            name,
            representation,
        } => {
            let labels = match representation {
                Some(sqlparser::ast::UserDefinedTypeRepresentation::Enum { labels }) => {
                    Some(labels.iter().map(|l| l.value.clone()).collect())
                }
                _ => None,
            };
            push(
                ChangeKind::CreateType {
                    name: Name::object(name, d),
                    written: name.to_string(),
                    labels,
                },
                whole,
            )
        }
        Statement::Insert(ins) => {
            if let (sqlparser::ast::TableObject::TableName(t), Some(q)) = (&ins.table, &ins.source)
            {
                if reads_a_relation(q) {
                    push(
                        ChangeKind::InsertSelect {
                            table: Name::object(t, d),
                        },
                        whole,
                    );
                }
            }
        }
        Statement::CreateTrigger(ct) => {
            use sqlparser::ast::{TriggerEvent, TriggerPeriod};
            push(
                ChangeKind::CreateTrigger {
                    table: Name::object(&ct.table_name, d),
                    name: Name::object(&ct.name, d),
                    before_insert: matches!(ct.period, Some(TriggerPeriod::Before))
                        && ct.events.iter().any(|e| matches!(e, TriggerEvent::Insert)),
                },
                whole,
            )
        }
        Statement::DropTrigger(dt) => push(
            ChangeKind::DropTrigger {
                name: Name::object(&dt.trigger_name, d),
                table: dt.table_name.as_ref().map(|t| Name::object(t, d)),
            },
            whole,
        ),
        Statement::CreateSequence {
            name,
            if_not_exists,
            ..
        } => push(
            ChangeKind::CreateSequence {
                name: Name::object(name, d),
                written: name.to_string(),
                if_not_exists: *if_not_exists,
            },
            whole,
        ),
        Statement::CreateFunction(cf) => push(
            ChangeKind::CreateFunction {
                name: Name::object(&cf.name, d),
                written: cf.name.to_string(),
                if_not_exists: cf.if_not_exists,
                signature: signature(cf, d),
            },
            whole,
        ),
        Statement::DropFunction(df) => {
            for f in &df.func_desc {
                push(
                    ChangeKind::DropFunction {
                        name: Name::object(&f.name, d),
                        if_exists: df.if_exists,
                        args: f.args.as_ref().map(|a| identity_args(a)),
                    },
                    whole,
                );
            }
        }
        Statement::DropDomain(dd) => push(
            ChangeKind::DropType {
                name: Name::object(&dd.name, d),
                if_exists: dd.if_exists,
                domain: true,
            },
            whole,
        ),
        Statement::AlterTable(at) => {
            let table = Name::object(&at.name, d);
            let segs = st.alter_segments().map(|(_, s)| s).unwrap_or_default();
            let counts_match = segs.len() == at.operations.len();
            for (i, op) in at.operations.iter().enumerate() {
                let clause = |anchor: Option<&Ident>| -> Span {
                    if counts_match {
                        return st.tokens_span(segs[i].0, segs[i].1);
                    }
                    anchor
                        .and_then(|id| {
                            to_span(st.src, whole.start, id.span)
                                .or_else(|| st.find_ident(&ident_key(id), whole.start))
                        })
                        .and_then(|s| st.segment_at(s.start).or(Some(s)))
                        .unwrap_or(whole)
                };
                alter_op(&table, op, d, &mut push, clause);
            }
        }
        Statement::RenameTable(renames) => {
            for r in renames {
                let clause = name_span(st, &r.old_name)
                    .zip(name_span(st, &r.new_name))
                    .map(|(a, b)| Span::new(a.start, b.end))
                    .unwrap_or(whole);
                push(
                    ChangeKind::RenameTable {
                        from: Name::object(&r.old_name, d),
                        to: Name::object(&r.new_name, d),
                        written: r.new_name.to_string(),
                        qualified: r.new_name.0.len() > 1,
                    },
                    clause,
                );
            }
        }
        Statement::Drop {
            object_type,
            names,
            temporary,
            if_exists,
            cascade,
            table,
            ..
        } => {
            let if_exists = *if_exists;
            let cascade = *cascade;
            for n in names {
                let clause = if names.len() == 1 {
                    whole
                } else {
                    name_span(st, n).unwrap_or(whole)
                };
                let name = Name::object(n, d);
                match object_type {
                    ObjectType::Table => push(
                        ChangeKind::DropTable {
                            table: name,
                            temporary: *temporary,
                            if_exists,
                            cascade,
                        },
                        clause,
                    ),
                    ObjectType::View => push(
                        ChangeKind::DropView {
                            view: name,
                            materialized: false,
                            if_exists,
                            cascade,
                        },
                        clause,
                    ),
                    ObjectType::MaterializedView => push(
                        ChangeKind::DropView {
                            view: name,
                            materialized: true,
                            if_exists,
                            cascade,
                        },
                        clause,
                    ),
                    ObjectType::Type => push(
                        ChangeKind::DropType {
                            name,
                            if_exists,
                            domain: false,
                        },
                        clause,
                    ),
                    ObjectType::Sequence => {
                        push(ChangeKind::DropSequence { name, if_exists }, clause)
                    }
                    ObjectType::Schema => push(ChangeKind::DropSchema { name }, clause),
                    // The parser rejects `DROP INDEX CONCURRENTLY` (read by the scan).
                    ObjectType::Index => push(
                        ChangeKind::DropIndex {
                            index: name,
                            concurrently: false,
                            if_exists,
                            table: table.as_ref().map(|t| Name::object(t, d)),
                        },
                        clause,
                    ),
                    _ => {}
                }
            }
        }
        Statement::AlterType(at) => {
            let ty = Name::object(&at.name, d);
            match &at.operation {
                AlterTypeOperation::RenameValue(rv) => push(
                    ChangeKind::RenameEnumValue {
                        ty,
                        from: rv.from.value.clone(),
                        to: rv.to.value.clone(),
                    },
                    whole,
                ),
                AlterTypeOperation::AddValue(add) => {
                    use sqlparser::ast::AlterTypeAddValuePosition as P;
                    push(
                        ChangeKind::AddEnumValue {
                            ty,
                            label: add.value.value.clone(),
                            if_not_exists: add.if_not_exists,
                            position: add.position.as_ref().map(|p| match p {
                                P::Before(n) => LabelPosition::Before(n.value.clone()),
                                P::After(n) => LabelPosition::After(n.value.clone()),
                            }),
                        },
                        whole,
                    )
                }
                AlterTypeOperation::Rename(r) => {
                    let mut parts = at.name.0.clone();
                    parts.pop();
                    parts.push(sqlparser::ast::ObjectNamePart::Identifier(
                        r.new_name.clone(),
                    ));
                    let new_name = ObjectName(parts);
                    push(
                        ChangeKind::RenameType {
                            from: ty,
                            to: Name::object(&new_name, d),
                            new_name,
                        },
                        whole,
                    )
                }
            }
        }
        Statement::CreateIndex(ci) => {
            let columns: Vec<String> = ci.columns.iter().map(index_column_key).collect();
            push(
                ChangeKind::CreateIndex {
                    table: Name::object(&ci.table_name, d),
                    index: ci.name.as_ref().map(|n| Name::object(n, d)),
                    concurrently: ci.concurrently,
                    definition: Some(Box::new(IndexDefinition {
                        written: ci.name.as_ref().map(ToString::to_string),
                        columns,
                        unique: ci.unique,
                        if_not_exists: ci.if_not_exists,
                        predicate: ci.predicate.as_ref().map(ToString::to_string),
                    })),
                },
                whole,
            )
        }
        Statement::AlterView(av) => {
            use sqlparser::ast::AlterViewOperation as Op;
            let change = match &av.operation {
                Op::RenameTo { new_name } => ViewChange::RenameTo {
                    to: Name::object(new_name, d),
                    written: new_name.to_string(),
                    qualified: new_name.0.len() > 1,
                },
                Op::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => ViewChange::RenameColumn {
                    from: Name::ident(old_column_name),
                    to: Name::ident(new_column_name),
                },
                Op::As { columns, query, .. } => ViewChange::Redefine(Box::new(ViewDefinition {
                    written: av.name.to_string(),
                    columns: if columns.is_empty() {
                        query_columns(query)
                    } else {
                        Some(columns.iter().map(ident_key).collect())
                    },
                    sources: view_sources(query, d),
                    query: query.to_string(),
                    depends_on: query_relations(query, d),
                })),
                Op::SetSchema { .. } => ViewChange::SetSchema,
                _ => ViewChange::Other,
            };
            push(
                ChangeKind::AlterView {
                    view: Name::object(&av.name, d),
                    if_exists: av.if_exists,
                    materialized: av.materialized,
                    change,
                },
                whole,
            )
        }
        Statement::Execute {
            name: Some(name),
            parameters,
            ..
        } if is_sp_rename(name) => push(sp_rename(parameters, d), whole),
        _ => {}
    }
    out
}

/// SQL Server `EXEC sp_rename 'schema.table[.column]', 'new' [, 'COLUMN' |
/// 'INDEX' | 'OBJECT']`, read as the rename it is.
fn sp_rename(parameters: &[Expr], d: Dialect) -> ChangeKind {
    use sqlparser::ast::{ObjectNamePart, Value};
    let not_modelled = |what: &str| ChangeKind::NotModelled {
        what: what.to_string(),
    };
    let text = |e: &Expr| match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::NationalStringLiteral(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    let args: Vec<String> = parameters.iter().filter_map(text).collect();
    let (Some(object), Some(new)) = (args.first(), args.get(1)) else {
        return not_modelled("sp_rename without literal names");
    };
    // One part of a name: `[x]` and `"x"` are quoted, anything else is not.
    let part = |p: &str| -> Ident {
        let p = p.trim();
        if let Some(inner) = p.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            Ident::with_quote('[', inner)
        } else if let Some(inner) = p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            Ident::with_quote('"', inner)
        } else {
            Ident::new(p)
        }
    };
    let object_of =
        |parts: Vec<Ident>| ObjectName(parts.into_iter().map(ObjectNamePart::Identifier).collect());
    let mut parts: Vec<Ident> = object.split('.').map(part).collect();
    let new = part(new);
    match args.get(2).map(|k| k.to_ascii_uppercase()).as_deref() {
        Some("COLUMN") => match parts.pop() {
            Some(column) => ChangeKind::RenameColumn {
                table: Name::object(&object_of(parts), d),
                from: Name::ident(&column),
                to: Name::ident(&new),
            },
            None => not_modelled("sp_rename without a column"),
        },
        Some("INDEX") => match parts.pop() {
            Some(index) => {
                // SQL Server's index names are per table.
                let table = Name::object(&object_of(parts), d);
                let key = |i: &Ident| format!("{}.{}", table.key, ident_key(i));
                ChangeKind::RenameIndex {
                    from: Name {
                        key: key(&index),
                        display: index.value.clone(),
                    },
                    to: Name {
                        key: ident_key(&new),
                        display: new.value.clone(),
                    },
                    written: new.value.clone(),
                    qualified: false,
                }
            }
            None => not_modelled("sp_rename without an index"),
        },
        None | Some("OBJECT") => {
            let new_name = object_of(vec![new]);
            ChangeKind::RenameTable {
                from: Name::object(&object_of(parts), d),
                to: Name::object(&new_name, d),
                written: new_name.to_string(),
                qualified: false,
            }
        }
        Some(other) => ChangeKind::NotModelled {
            what: format!("sp_rename of a {other} is not modelled"),
        },
    }
}

/// The argument types that identify an overload: all but `OUT` arguments.
fn identity_args(args: &[sqlparser::ast::OperateFunctionArg]) -> Vec<String> {
    args.iter()
        .filter(|a| !matches!(a.mode, Some(sqlparser::ast::ArgMode::Out)))
        .map(|a| type_spelling(&a.data_type.to_string()))
        .collect()
}

/// A function's [`Signature`]; the body of a trigger function is read for the
/// tables it inserts into.
fn signature(cf: &sqlparser::ast::CreateFunction, d: Dialect) -> Signature {
    let all: Vec<String> = cf
        .args
        .iter()
        .flatten()
        .map(|a| type_spelling(&a.data_type.to_string()))
        .collect();
    let mut text = format!("({})", all.join(", "));
    let mut returns_trigger = false;
    if let Some(r) = &cf.return_type {
        let r = type_spelling(&r.to_string());
        returns_trigger = r.eq_ignore_ascii_case("trigger");
        text.push_str(&format!(" RETURNS {r}"));
    }
    let inserts = match (&cf.function_body, returns_trigger) {
        (Some(body), true) => {
            use sqlparser::ast::CreateFunctionBody as B;
            let text = match body {
                B::AsBeforeOptions { body, .. } | B::AsAfterOptions(body) | B::Return(body) => {
                    body.to_string()
                }
                B::AsBeginEnd(b) | B::BeginAtomic(b) => b.to_string(),
                // A single expression or query inserts nothing.
                _ => String::new(),
            };
            body_inserts::inserts(&text, d)
        }
        _ => Vec::new(),
    };
    Signature {
        args: cf.args.as_deref().map(identity_args).unwrap_or_default(),
        text,
        returns_trigger,
        inserts,
    }
}

/// Output column keys of a query whose projection is plain columns and aliases.
pub(crate) fn query_columns(query: &Query) -> Option<Vec<String>> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(Expr::Identifier(i)) => Some(ident_key(i)),
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(parts)) => parts.last().map(ident_key),
            SelectItem::ExprWithAlias { alias, .. } => Some(ident_key(alias)),
            _ => None,
        })
        .collect()
}

/// Keys of the relations a query reads in its `FROM` and `JOIN` clauses (CTE names excluded),
/// sorted and deduplicated.
pub(crate) fn query_relations(query: &Query, dialect: Dialect) -> Vec<String> {
    let mut out = Vec::new();
    let mut ctes = Vec::new();
    collect_query(query, dialect, &mut ctes, &mut out);
    out.retain(|k| !ctes.contains(k));
    out.sort();
    out.dedup();
    out
}

fn collect_query(query: &Query, dialect: Dialect, ctes: &mut Vec<String>, out: &mut Vec<String>) {
    if let Some(with) = &query.with {
        for cte in &with.cte_tables {
            ctes.push(ident_key(&cte.alias.name));
            collect_query(&cte.query, dialect, ctes, out);
        }
    }
    collect_set_expr(&query.body, dialect, ctes, out);
}

fn collect_set_expr(
    body: &SetExpr,
    dialect: Dialect,
    ctes: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    match body {
        SetExpr::Select(select) => {
            for twj in &select.from {
                collect_factor(&twj.relation, dialect, ctes, out);
                for join in &twj.joins {
                    collect_factor(&join.relation, dialect, ctes, out);
                }
            }
        }
        SetExpr::Query(q) => collect_query(q, dialect, ctes, out),
        SetExpr::SetOperation { left, right, .. } => {
            collect_set_expr(left, dialect, ctes, out);
            collect_set_expr(right, dialect, ctes, out);
        }
        SetExpr::Table(t) => {
            if let Some(name) = &t.table_name {
                let key = match &t.schema_name {
                    Some(schema) => {
                        crate::names::join_parts(&[ident_key(schema), ident_key(name)], dialect)
                    }
                    None => ident_key(name),
                };
                out.push(key);
            }
        }
        _ => {}
    }
}

fn collect_factor(
    factor: &sqlparser::ast::TableFactor,
    dialect: Dialect,
    ctes: &mut Vec<String>,
    out: &mut Vec<String>,
) {
    use sqlparser::ast::TableFactor as F;
    match factor {
        F::Table { name, .. } => out.push(object_key(name, dialect)),
        F::Derived { subquery, .. } => collect_query(subquery, dialect, ctes, out),
        F::NestedJoin {
            table_with_joins, ..
        } => {
            collect_factor(&table_with_joins.relation, dialect, ctes, out);
            for join in &table_with_joins.joins {
                collect_factor(&join.relation, dialect, ctes, out);
            }
        }
        _ => {}
    }
}

/// Where each output column of a view's query comes from, in projection order
/// (empty when the query is not a single `SELECT` of listed items).
pub(crate) fn view_sources(query: &Query, dialect: Dialect) -> Vec<ColumnSource> {
    let SetExpr::Select(select) = query.body.as_ref() else {
        return Vec::new();
    };
    // Qualifiers (aliases and table names) to relation keys.
    let mut qualifiers: Vec<(String, String)> = Vec::new();
    for twj in &select.from {
        for factor in std::iter::once(&twj.relation).chain(twj.joins.iter().map(|j| &j.relation)) {
            if let sqlparser::ast::TableFactor::Table { name, alias, .. } = factor {
                let key = object_key(name, dialect);
                if let Some(a) = alias {
                    qualifiers.push((ident_key(&a.name), key.clone()));
                }
                qualifiers.push((crate::names::bare(&key).to_string(), key));
            }
        }
    }
    fn source(e: &Expr, qualifiers: &[(String, String)]) -> ColumnSource {
        match e {
            Expr::Identifier(i) => ColumnSource::Column {
                relation: None,
                column: ident_key(i),
            },
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let q = ident_key(&parts[parts.len() - 2]);
                match qualifiers.iter().find(|(k, _)| *k == q) {
                    Some((_, relation)) => ColumnSource::Column {
                        relation: Some(relation.clone()),
                        column: parts.last().map(ident_key).unwrap_or_default(),
                    },
                    None => ColumnSource::Unknown,
                }
            }
            Expr::Cast { data_type, .. } => ColumnSource::Cast(data_type.clone()),
            Expr::Nested(inner) => source(inner, qualifiers),
            _ => ColumnSource::Unknown,
        }
    }
    let mut out = Vec::new();
    for item in &select.projection {
        match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                out.push(source(e, &qualifiers))
            }
            _ => return Vec::new(),
        }
    }
    out
}

/// A view's defining query as the schema model compares it ("definition
/// changed"): its tokens from the statement's text ([`view_query_text`]), or,
/// for a tree replayed without its text, the same normalisation of the tree
/// printed back to SQL.
fn view_query(query: &Query, st: &StatementText<'_>) -> String {
    if !st.src.is_empty() {
        if let Some(q) = view_query_text(st.src, st.span, st.dialect) {
            return q;
        }
    }
    let printed = query.to_string();
    normalized_tokens(&printed, &tokens(&printed, 0, printed.len(), st.dialect))
}

/// The query of `CREATE [OR REPLACE] [MATERIALIZED] VIEW name [(columns)]
/// [options] AS query [WITH [NO] DATA | WITH [CASCADED | LOCAL] CHECK OPTION]`
/// as one text: the tokens after the `AS` that starts it, comments dropped,
/// unquoted words in lower case, one space between tokens. The parsed and the
/// token-read view (`parse::view`) both take it from here, so two spellings of
/// one query that differ in blanks, comments or keyword case compare equal.
pub(crate) fn view_query_text(src: &str, span: Span, dialect: Dialect) -> Option<String> {
    let toks: Vec<Token> = tokens(src, span.start, span.end, dialect)
        .into_iter()
        .filter(|t| !t.is_comment())
        .collect();
    let view = toks.iter().position(|t| t.is_word(src, "VIEW"))?;
    let mut depth = 0usize;
    let mut start = None;
    for (i, t) in toks.iter().enumerate().skip(view + 1) {
        if t.is_punct(src, b'(') {
            depth += 1;
        } else if t.is_punct(src, b')') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && t.is_word(src, "AS") {
            start = Some(i + 1);
            break;
        }
    }
    let start = start?;
    let mut end = toks.len();
    let w = |i: usize, kw: &str| toks.get(i).is_some_and(|t| t.is_word(src, kw));
    // A trailing option of the statement, not of the query.
    if end >= start + 2 && w(end - 1, "DATA") {
        if w(end - 2, "WITH") {
            end -= 2;
        } else if end >= start + 3 && w(end - 2, "NO") && w(end - 3, "WITH") {
            end -= 3;
        }
    } else if end >= start + 3 && w(end - 1, "OPTION") && w(end - 2, "CHECK") {
        if w(end - 3, "WITH") {
            end -= 3;
        } else if end >= start + 4
            && (w(end - 3, "CASCADED") || w(end - 3, "LOCAL"))
            && w(end - 4, "WITH")
        {
            end -= 4;
        }
    }
    Some(normalized_tokens(src, &toks[start..end]))
}

/// Tokens joined by one space, comments dropped, unquoted words in lower case.
fn normalized_tokens(src: &str, toks: &[Token]) -> String {
    let mut out = String::new();
    for t in toks.iter().filter(|t| !t.is_comment()) {
        if !out.is_empty() {
            out.push(' ');
        }
        let s = t.text(src);
        if t.kind == TokenKind::Word {
            out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            out.push_str(s);
        }
    }
    out
}

/// Whether a query reads rows from a table or view (not only `VALUES` or constants).
fn reads_a_relation(q: &sqlparser::ast::Query) -> bool {
    use sqlparser::ast::SetExpr;
    fn body(b: &SetExpr) -> bool {
        match b {
            SetExpr::Select(s) => !s.from.is_empty(),
            SetExpr::Query(q) => body(&q.body),
            SetExpr::SetOperation { left, right, .. } => body(left) || body(right),
            SetExpr::Table(_) => true,
            _ => false,
        }
    }
    body(&q.body)
}

fn name_span(st: &StatementText<'_>, name: &ObjectName) -> Option<Span> {
    let ids: Vec<&Ident> = name.0.iter().filter_map(|p| p.as_ident()).collect();
    let first = ids.first()?;
    let last = ids.last()?;
    match (
        to_span(st.src, st.span.start, first.span),
        to_span(st.src, st.span.start, last.span),
    ) {
        (Some(a), Some(b)) => Some(Span::new(a.start, b.end)),
        _ => st.find_ident(&ident_key(last), st.span.start),
    }
}

pub(crate) fn alter_op(
    table: &Name,
    op: &AlterTableOperation,
    d: Dialect,
    push: &mut impl FnMut(ChangeKind, Span),
    clause: impl Fn(Option<&Ident>) -> Span,
) {
    let t = || table.clone();
    match op {
        AlterTableOperation::AddColumn {
            column_def,
            if_not_exists,
            column_position,
            ..
        } => {
            let mut spec = column_spec(column_def, d);
            if let Some(def) = spec.definition.as_mut() {
                def.if_not_exists = *if_not_exists;
                def.position = column_position.as_ref().map(position);
            }
            push(
                ChangeKind::AddColumn {
                    table: t(),
                    column: Name::ident(&column_def.name),
                    spec,
                },
                clause(Some(&column_def.name)),
            )
        }
        AlterTableOperation::DropColumn {
            column_names,
            if_exists,
            ..
        } => {
            for c in column_names {
                push(
                    ChangeKind::DropColumn {
                        table: t(),
                        column: Name::ident(c),
                        if_exists: *if_exists,
                    },
                    clause(Some(c)),
                );
            }
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => push(
            ChangeKind::RenameColumn {
                table: t(),
                from: Name::ident(old_column_name),
                to: Name::ident(new_column_name),
            },
            clause(Some(old_column_name)),
        ),
        AlterTableOperation::RenameTable { table_name } => {
            let (RenameTableNameKind::As(n) | RenameTableNameKind::To(n)) = table_name;
            // MySQL and SQLite resolve the new name in the table's schema.
            push(
                ChangeKind::RenameTable {
                    from: t(),
                    to: Name::object(n, d),
                    written: n.to_string(),
                    qualified: n.0.len() > 1,
                },
                clause(None),
            );
        }
        AlterTableOperation::ChangeColumn {
            old_name,
            new_name,
            data_type,
            options,
            column_position,
        } => {
            let c = clause(Some(old_name));
            let spec = restated(new_name, data_type, options, column_position, d);
            if ident_key(old_name) != ident_key(new_name) {
                push(
                    ChangeKind::RenameColumn {
                        table: t(),
                        from: Name::ident(old_name),
                        to: Name::ident(new_name),
                    },
                    c,
                );
            }
            restate(t(), Name::ident(old_name), spec, push, c);
        }
        AlterTableOperation::ModifyColumn {
            col_name,
            data_type,
            options,
            column_position,
        } => {
            let c = clause(Some(col_name));
            restate(
                t(),
                Name::ident(col_name),
                restated(col_name, data_type, options, column_position, d),
                push,
                c,
            );
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            let c = clause(Some(column_name));
            let column = Name::ident(column_name);
            match op {
                AlterColumnOperation::SetNotNull => push(
                    ChangeKind::SetNotNull {
                        table: t(),
                        column,
                        restated: false,
                    },
                    c,
                ),
                AlterColumnOperation::DropNotNull => {
                    push(ChangeKind::DropNotNull { table: t(), column }, c)
                }
                AlterColumnOperation::SetDefault { value } => push(
                    ChangeKind::SetDefault {
                        table: t(),
                        column,
                        value: Some(value.to_string()),
                    },
                    c,
                ),
                AlterColumnOperation::DropDefault => push(
                    ChangeKind::DropDefault {
                        table: t(),
                        column,
                        restated: false,
                    },
                    c,
                ),
                AlterColumnOperation::SetDataType { data_type, .. } => push(
                    ChangeKind::ChangeType {
                        table: t(),
                        column,
                        new_type: data_type.to_string(),
                        restated: false,
                        data_type: Some(data_type.clone()),
                        definition: None,
                    },
                    c,
                ),
                AlterColumnOperation::AddGenerated { .. } => {
                    push(ChangeKind::AddIdentity { table: t(), column }, c)
                }
                AlterColumnOperation::GenericOptions { .. } => {}
            }
        }
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => add_constraint(t(), constraint, *not_valid, d, push, clause),
        AlterTableOperation::DropConstraint {
            if_exists, name, ..
        } => push(
            ChangeKind::DropConstraint {
                table: t(),
                what: DroppedConstraint::Named {
                    name: Name::ident(name),
                    if_exists: *if_exists,
                },
            },
            clause(Some(name)),
        ),
        AlterTableOperation::DropPrimaryKey { .. } => push(
            ChangeKind::DropConstraint {
                table: t(),
                what: DroppedConstraint::PrimaryKey,
            },
            clause(None),
        ),
        AlterTableOperation::DropForeignKey { name, .. } => push(
            ChangeKind::DropConstraint {
                table: t(),
                what: DroppedConstraint::ForeignKey(Name::ident(name)),
            },
            clause(Some(name)),
        ),
        AlterTableOperation::DropIndex { name } => push(
            ChangeKind::DropConstraint {
                table: t(),
                what: DroppedConstraint::Index(Name::ident(name)),
            },
            clause(Some(name)),
        ),
        AlterTableOperation::RenameConstraint { old_name, new_name } => push(
            ChangeKind::RenameConstraint {
                table: t(),
                from: Name::ident(old_name),
                to: Name::ident(new_name),
            },
            clause(Some(old_name)),
        ),
        // Operations with no effect on what the model keeps (their lock and
        // rewrite facts are read by the token scan).
        AlterTableOperation::DisableRowLevelSecurity
        | AlterTableOperation::EnableRowLevelSecurity
        | AlterTableOperation::ForceRowLevelSecurity
        | AlterTableOperation::NoForceRowLevelSecurity
        | AlterTableOperation::DisableRule { .. }
        | AlterTableOperation::DisableTrigger { .. }
        | AlterTableOperation::EnableAlwaysRule { .. }
        | AlterTableOperation::EnableAlwaysTrigger { .. }
        | AlterTableOperation::EnableReplicaRule { .. }
        | AlterTableOperation::EnableReplicaTrigger { .. }
        | AlterTableOperation::EnableRule { .. }
        | AlterTableOperation::EnableTrigger { .. }
        | AlterTableOperation::ReplicaIdentity { .. }
        | AlterTableOperation::OwnerTo { .. }
        | AlterTableOperation::SetLogged
        | AlterTableOperation::SetUnlogged
        | AlterTableOperation::Algorithm { .. }
        | AlterTableOperation::Lock { .. }
        | AlterTableOperation::AutoIncrement { .. }
        | AlterTableOperation::ValidateConstraint { .. }
        | AlterTableOperation::SetTblProperties { .. }
        | AlterTableOperation::SetOptionsParens { .. }
        | AlterTableOperation::ResetOptions { .. }
        | AlterTableOperation::ClusterBy { .. }
        | AlterTableOperation::AttachPartitionOf { .. }
        | AlterTableOperation::DetachPartitionOf { .. }
        | AlterTableOperation::Inherit { .. }
        | AlterTableOperation::NoInherit { .. }
        | AlterTableOperation::GenericOptions { .. } => {}
        other => {
            let text = other.to_string();
            let words: Vec<&str> = text.split_whitespace().take(2).collect();
            push(
                ChangeKind::NotModelled {
                    what: format!("`{}` is not modelled", words.join(" ")),
                },
                clause(None),
            )
        }
    }
}

/// `ALTER TABLE .. ADD <table constraint> [NOT VALID]`: a constraint the rules
/// read (with the whole of it for the model), or an index or `EXCLUDE` only the
/// model keeps.
fn add_constraint(
    table: Name,
    tc: &sqlparser::ast::TableConstraint,
    not_valid: bool,
    d: Dialect,
    push: &mut impl FnMut(ChangeKind, Span),
    clause: impl Fn(Option<&Ident>) -> Span,
) {
    use sqlparser::ast::TableConstraint as T;
    let (kind, name, using_index) = match tc {
        T::ForeignKey(fk) => (ConstraintKind::ForeignKey, fk.name.as_ref(), false),
        T::Check(c) => (ConstraintKind::Check, c.name.as_ref(), false),
        T::Unique(u) => (ConstraintKind::Unique, u.name.as_ref(), false),
        T::PrimaryKey(pk) => (ConstraintKind::PrimaryKey, pk.name.as_ref(), false),
        T::PrimaryKeyUsingIndex(u) => (ConstraintKind::PrimaryKey, u.name.as_ref(), true),
        T::UniqueUsingIndex(u) => (ConstraintKind::Unique, u.name.as_ref(), true),
        T::Index(_) | T::FulltextOrSpatial(_) | T::Exclude(_) => {
            let c = clause(None);
            push(
                ChangeKind::AddTableItem {
                    table,
                    item: Box::new(table_item(tc, d)),
                },
                c,
            );
            return;
        }
    };
    let not_null_check = match tc {
        T::Check(c) => not_null_column(&c.expr),
        _ => None,
    };
    let c = clause(name);
    push(
        ChangeKind::AddConstraint {
            table,
            kind,
            not_valid,
            using_index,
            name: name.map(Name::ident),
            not_null_check,
            definition: Some(Box::new(table_item(tc, d))),
        },
        c,
    );
}

/// The column of a `CHECK (c IS NOT NULL)`.
fn not_null_column(e: &Expr) -> Option<Name> {
    match e {
        Expr::Nested(inner) => not_null_column(inner),
        Expr::IsNotNull(x) => match x.as_ref() {
            Expr::Identifier(id) => Some(Name::ident(id)),
            _ => None,
        },
        _ => None,
    }
}

/// The column a MySQL `CHANGE`/`MODIFY` restates.
fn restated(
    name: &Ident,
    data_type: &DataType,
    options: &[ColumnOption],
    at: &Option<sqlparser::ast::MySQLColumnPosition>,
    d: Dialect,
) -> ColumnSpec {
    let mut spec = read_column(name, data_type, options.iter().map(|o| (None, o)), d);
    if let Some(def) = spec.definition.as_mut() {
        def.position = at.as_ref().map(position);
    }
    spec
}

fn position(at: &sqlparser::ast::MySQLColumnPosition) -> ColumnPosition {
    match at {
        sqlparser::ast::MySQLColumnPosition::First => ColumnPosition::First,
        sqlparser::ast::MySQLColumnPosition::After(c) => ColumnPosition::After(ident_key(c)),
    }
}

/// MySQL `MODIFY`/`CHANGE` restate the whole column: its type, nullability and
/// default all become what the clause says.
fn restate(
    table: Name,
    column: Name,
    mut spec: ColumnSpec,
    push: &mut impl FnMut(ChangeKind, Span),
    c: Span,
) {
    push(
        ChangeKind::ChangeType {
            table: table.clone(),
            column: column.clone(),
            new_type: spec.type_text(),
            restated: true,
            data_type: None,
            definition: spec.definition.take(),
        },
        c,
    );
    if spec.not_null {
        push(
            ChangeKind::SetNotNull {
                table: table.clone(),
                column: column.clone(),
                restated: true,
            },
            c,
        );
    } else {
        push(
            ChangeKind::DropNotNull {
                table: table.clone(),
                column: column.clone(),
            },
            c,
        );
    }
    if spec.has_default {
        push(
            ChangeKind::SetDefault {
                table,
                column,
                value: spec.default,
            },
            c,
        );
    } else {
        push(
            ChangeKind::DropDefault {
                table,
                column,
                restated: true,
            },
            c,
        );
    }
}

#[cfg(test)]
mod volatile_tests {
    use super::is_volatile_default;

    #[test]
    fn calls_that_must_be_assumed_volatile() {
        for v in [
            "gen_random_uuid()",
            "random()",
            "nextval('s'::regclass)",
            "make_code()",
            "app.new_id()",
            "now(123)",
            "uuid()",
        ] {
            assert!(is_volatile_default(v), "{v}");
        }
        for q in [
            "now()",
            "'x'",
            "0",
            "'{}'::jsonb",
            "'0'::numeric(10, 2)",
            "(now() at time zone 'utc')",
            "current_timestamp",
            "'random()'",
            "ARRAY[]::text[]",
            "lower('A')",
        ] {
            assert!(!is_volatile_default(q), "{q}");
        }
    }
}
