//! Column and constraint definitions: what a DDL statement defines and the
//! schema model keeps. The change values (`changes.rs`) carry them and the
//! model (`model/`) stores them, so both read one vocabulary.

use sqlparser::ast::DataType;
use std::sync::Arc;

/// How a column's value is produced when the writer does not give one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// `GENERATED .. AS IDENTITY`, `serial`, MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`,
    /// SQL Server `IDENTITY`: a counter; writers may omit the column.
    Identity,
    /// `GENERATED ALWAYS AS (expr)` / MySQL `AS (expr)`: computed, writers must omit it.
    Computed,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The name as written in the latest statement that named it.
    pub name: Box<str>,
    /// The comparison key of the name (`names::ident_key`).
    pub key: Box<str>,
    /// Shared: the schema model keeps one value per distinct type (see
    /// `Schema::share_type`), since a table of thousands of columns has a few types.
    pub data_type: Arc<DataType>,
    pub nullable: bool,
    /// The default expression as SQL text.
    pub default: Option<Box<str>>,
    pub generated: Option<Generated>,
}

impl Column {
    /// `data_type` as SQL text, for messages (rendered when asked: most columns
    /// of a long history are never named in a finding).
    pub fn type_display(&self) -> String {
        self.data_type.to_string()
    }

    /// Whether an `INSERT` that does not name this column still succeeds.
    pub fn can_be_omitted(&self) -> bool {
        self.nullable || self.default.is_some() || self.generated.is_some()
    }
}

/// The kind of a table constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    /// The check expression as SQL text.
    Check(String),
    /// The referenced table's key and the referenced column keys (empty: its primary key).
    ForeignKey {
        table: String,
        columns: Vec<String>,
    },
    /// `EXCLUDE [USING method] (element WITH operator, ..) [WHERE ..]`: the part
    /// after `EXCLUDE` as SQL text.
    Exclude(String),
}

/// A primary key, unique, check or foreign-key constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint {
    /// The name as written, when one was given.
    pub name: Option<String>,
    /// The comparison key of the name.
    pub key: Option<String>,
    pub kind: ConstraintKind,
    /// Keys of the constrained columns (empty for a check constraint).
    pub columns: Vec<String>,
}
