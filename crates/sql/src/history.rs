//! What stable knew: the facts the rules ask about objects created before the
//! release.
//!
//! Rules see history only through the [`History`] trait; the schema model of
//! `crate::model` implements it (replayed with [`crate::replay_schema`]). Without
//! history, rules decide from the statement alone and say so when a fact they need
//! is unknown.

/// What history says about one column. `None` fields are unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnFacts {
    pub data_type: Option<String>,
    pub nullable: Option<bool>,
    pub has_default: Option<bool>,
}

/// The questions rules ask about the schema stable runs against. Keys are those of
/// [`crate::names`].
pub trait History: Sync {
    fn has_table(&self, table: &str) -> bool;
    /// `None` when the column is unknown (or its table is).
    fn column(&self, table: &str, column: &str) -> Option<ColumnFacts>;
    fn has_view(&self, view: &str) -> bool;
    fn has_type(&self, name: &str) -> bool;
    /// A `CHECK (column IS NOT NULL)` constraint on the table keeps the column
    /// from NULL.
    fn not_null_checked(&self, _table: &str, _column: &str) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_file, replay_schema, Dialect, Layout};
    use canary_lint_core::SourceFile;

    #[test]
    fn replay_tracks_columns_through_renames_and_alters() {
        let sql = "CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(10) NOT NULL DEFAULT '');\n\
                   ALTER TABLE users RENAME COLUMN email TO mail;\n\
                   ALTER TABLE users ALTER COLUMN mail SET NOT NULL, ALTER COLUMN name DROP DEFAULT;\n\
                   ALTER TABLE users ALTER COLUMN name TYPE varchar(20);";
        let f = SourceFile::new("h.sql", sql);
        let h = replay_schema(&[parse_file(&f, Layout::Plain, Dialect::Postgres)]);
        let h: &dyn History = &h;
        assert!(h.has_table("users"));
        assert!(h.column("users", "email").is_none());
        let mail = h.column("users", "mail").unwrap_or_default();
        assert_eq!(mail.nullable, Some(false));
        let name = h.column("users", "name").unwrap_or_default();
        assert_eq!(name.has_default, Some(false));
        assert_eq!(name.data_type.as_deref(), Some("VARCHAR(20)"));
    }
}
