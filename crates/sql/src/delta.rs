//! The vocabulary of the release delta, shared by the engine that builds it and
//! the rules that judge it: which statement ([`StmtRef`]) did what ([`Act`]) to
//! which object ([`ObjKey`]; kept by [`crate::touches::Touches`]), tables taken over by new ones ([`Recreated`]), and
//! the delta's entries with their causes ([`DeltaEntry`]). Types only: this
//! module imports nothing above the schema model.

use crate::model::SchemaChange;
use canary_lint_core::Span;
use serde::Serialize;

/// What the schema handed to [`crate::analyze_release`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knowledge {
    /// No history was read (a loose file, standard input): every fact about
    /// objects the release did not create is unknown, and findings say so.
    NoHistory,
    /// The schema is the replayed history: at least one migration ran before the
    /// release (callers pass [`Knowledge::NoHistory`] for the first one). The
    /// schema may hold only the objects the release names (`check` replays just
    /// the history statements that name them), so what it lacks is judged by
    /// name, never by the schema being empty. An object it does not have may
    /// still exist (made outside the migrations seen): findings about it are
    /// still made, and say that the history never created it.
    History,
}

/// One statement of the release: its file (index into the release), the clause
/// span, and the transaction it runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StmtRef {
    pub file: usize,
    pub span: Span,
    /// Statements with the same `tx` run in one transaction.
    pub tx: usize,
    /// Position in the release (statement order).
    pub seq: usize,
}

/// An object the release touches, by key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjKey {
    Table(String),
    Column(String, String),
    View(String),
    Type(String),
    Sequence(String),
    Function(String),
    Index(String),
}

impl ObjKey {
    /// The key as the delta spells objects (`table`, `table.column`, ...).
    pub fn delta_key(&self) -> String {
        match self {
            ObjKey::Column(t, c) => format!("{t}.{c}"),
            ObjKey::Table(k)
            | ObjKey::View(k)
            | ObjKey::Type(k)
            | ObjKey::Sequence(k)
            | ObjKey::Function(k)
            | ObjKey::Index(k) => k.clone(),
        }
    }
}

/// What a statement did to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Create,
    Drop,
    /// Renamed away from this name.
    RenameAway,
    /// Renamed into this name.
    RenameInto,
    /// Rows copied in (`INSERT .. SELECT`).
    Fill,
    /// A constraint or unique index added.
    Constrain,
    /// A trigger created on the table.
    Trigger,
    /// A view dropped by `DROP .. CASCADE` of a relation it is built on.
    Cascade,
    ChangeType,
    /// Any other change.
    Alter,
}

/// A table name whose original table left it during the release (dropped or
/// renamed away) and which a new table took over.
#[derive(Debug, Clone)]
pub struct Recreated {
    pub table: String,
    pub display: String,
    /// Where the original table left the name.
    pub vacated: StmtRef,
    /// Where the new table took the name.
    pub refilled: StmtRef,
    /// Rows were copied into the new table (`INSERT .. SELECT`, `CREATE TABLE .. AS`).
    pub filled: bool,
}

/// Where one delta entry comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// The file's path, shared with its [`canary_lint_core::SourceFile`] (a
    /// release of many statements has as many causes).
    #[serde(serialize_with = "as_str")]
    pub file: std::sync::Arc<str>,
    pub line: u32,
    pub column: u32,
}

/// One entry of the release delta: a difference between the schema before the
/// release and after it, with the statements that touched the object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeltaEntry {
    #[serde(flatten)]
    pub change: SchemaChange,
    pub causes: Vec<Cause>,
}

fn as_str<S: serde::Serializer>(v: &std::sync::Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}
