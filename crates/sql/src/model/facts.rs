//! The schema model as the rules' [`History`]: what stable knew, from a full replay.

use super::{ConstraintKind, RenameKind, Schema};
use crate::history::{ColumnFacts, History};

impl History for Schema {
    fn has_table(&self, table: &str) -> bool {
        Schema::has_table(self, table)
    }

    /// Facts of a known column; `None` for an unknown column, or any column of a table whose
    /// columns cannot be known (`CREATE TABLE .. AS SELECT`).
    fn column(&self, table: &str, column: &str) -> Option<ColumnFacts> {
        let c = Schema::column(self, table, column)?;
        Some(ColumnFacts {
            data_type: Some(c.type_display()),
            nullable: Some(c.nullable),
            has_default: Some(c.default.is_some() || c.generated.is_some()),
        })
    }

    fn has_view(&self, view: &str) -> bool {
        Schema::has_view(self, view)
    }

    fn has_type(&self, name: &str) -> bool {
        Schema::has_type(self, name)
    }

    fn not_null_checked(&self, table: &str, column: &str) -> bool {
        let Some(t) = Schema::table(self, table) else {
            return false;
        };
        t.constraints.iter().any(|c| match &c.kind {
            super::ConstraintKind::Check(expr) => checks_not_null(expr, column),
            _ => false,
        })
    }
}

/// Whether a check expression is exactly `column IS NOT NULL` (parentheses,
/// quotes and case aside).
fn checks_not_null(expr: &str, column: &str) -> bool {
    let flat: String = expr
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '"'))
        .collect::<String>()
        .to_lowercase();
    let words: Vec<&str> = flat.split_whitespace().collect();
    words.len() == 4
        && words[0].to_lowercase() == column.to_lowercase()
        && words[1..] == ["is", "not", "null"]
}

impl Schema {
    /// Whether the rows of `table` are already kept unique on `columns` (column
    /// keys of this schema; `predicate`: the `WHERE` of a partial unique index,
    /// `None` for all rows), so that a new unique constraint, unique index or
    /// primary key on them rejects no write this schema accepted: a full unique
    /// index, unique constraint or primary key on some of those columns (rows
    /// unique on `email` are unique on `email, org`), or a partial unique index
    /// with the same `WHERE` when the new rule is partial too. A unique index on
    /// more columns, or a partial one under a full rule, keeps less.
    pub fn keeps_unique(&self, table: &str, columns: &[String], predicate: Option<&str>) -> bool {
        let covers = |kept: &[String], kept_predicate: Option<&str>| {
            !kept.is_empty()
                && (kept_predicate.is_none() || kept_predicate == predicate)
                && kept.iter().all(|c| columns.contains(c))
        };
        self.indexes_on(table)
            .any(|i| i.unique && covers(&i.columns, i.predicate.as_deref()))
            || self.table(table).is_some_and(|t| {
                t.constraints.iter().any(|c| {
                    matches!(c.kind, ConstraintKind::Unique | ConstraintKind::PrimaryKey)
                        && covers(&c.columns, None)
                })
            })
    }
}

impl Schema {
    /// Whether an old foreign key referencing `old_columns` of `old_target` and a
    /// new one referencing `columns` of `target` reference the same rows, judged
    /// in this schema (the whole schema after the release): the same table (by
    /// name, a table swapped under it counting as the same; `old_target` under
    /// the name the release's renames gave it, `renamed_to`; or an old target
    /// that was `target` renamed away earlier, a swap: the reference followed the
    /// old copy, a new table took the name), and the same columns there, none
    /// meaning the target's primary key (`REFERENCES users` and
    /// `REFERENCES users (id)` are the same when `id` is its primary key).
    pub fn same_foreign_key(
        &self,
        old_target: &str,
        renamed_to: &str,
        old_columns: &[String],
        target: &str,
        columns: &[String],
    ) -> bool {
        let same_table = old_target == target
            || renamed_to == target
            || self
                .renames()
                .iter()
                .any(|r| r.kind == RenameKind::Table && r.from == target && r.to == old_target);
        let primary_key = || {
            self.table(target).and_then(|t| {
                t.constraints
                    .iter()
                    .find(|c| c.kind == ConstraintKind::PrimaryKey)
                    .map(|c| c.columns.as_slice())
            })
        };
        same_table
            && (old_columns == columns
                || (old_columns.is_empty() && primary_key() == Some(columns))
                || (columns.is_empty() && primary_key() == Some(old_columns)))
    }
}

impl Schema {
    /// Whether the database fills `column` of `table` on every INSERT, judged in
    /// this schema (the whole schema after the release): a `BEFORE INSERT`
    /// trigger on the table, or trigger functions that write its rows and all
    /// name the column. Stable's INSERTs that omit the column then do not fail.
    pub fn fills_on_insert(&self, table: &str, column: &str) -> bool {
        if self.has_before_insert_trigger(table) {
            return true;
        }
        let fillers = self.trigger_inserts_into(table);
        !fillers.is_empty()
            && fillers
                .iter()
                .all(|cols| cols.is_some_and(|c| c.iter().any(|c| c == column)))
    }
}
