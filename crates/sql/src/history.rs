//! What stable knew: the facts the rules ask about objects created before the
//! release.
//!
//! Rules see history only through the [`History`] trait, so any schema model can
//! be plugged in (the full model of `crate::model`, or [`ReplayHistory`], which
//! replays the same [`Change`]s the rules see). Without history, rules decide from
//! the statement alone and say so when a fact they need is unknown.

use crate::changes::{from_statement, Change, ChangeKind, StatementText};
use crate::parse::ParsedFile;
use crate::scan::scan;
use std::collections::{BTreeMap, BTreeSet};

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
}

/// A history replayed from earlier migrations' [`Change`]s: tables with their
/// columns' type, nullability and default, views and types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayHistory {
    pub tables: BTreeMap<String, BTreeMap<String, ColumnFacts>>,
    pub views: BTreeSet<String>,
    pub types: BTreeSet<String>,
}

impl ReplayHistory {
    /// Replays the statements of `files` in order (parsed ones from their AST, the
    /// others from the token scan).
    pub fn replay(files: &[ParsedFile]) -> Self {
        let mut h = ReplayHistory::default();
        for f in files {
            h.apply_file(f);
        }
        h
    }

    /// Applies the statements of one more file, in order (parsed ones from their
    /// AST, rejected ones from the token scan).
    pub fn apply_file(&mut self, f: &ParsedFile) {
        for s in &f.statements {
            if s.skipped {
                continue;
            }
            let st = StatementText::new(&f.file.text, s.span, f.dialect);
            let mut changes = match &s.ast {
                Some(ast) => from_statement(ast, &st),
                None => scan(&st),
            };
            // A MySQL `CHANGE old new ...` restates the column under its old
            // name: apply the restatement before the rename.
            changes.sort_by_key(|c| matches!(c.kind, ChangeKind::RenameColumn { .. }));
            for c in &changes {
                self.apply(c);
            }
        }
    }

    /// Applies one change.
    pub fn apply(&mut self, c: &Change) {
        match &c.kind {
            ChangeKind::CreateTable {
                table,
                temporary: false,
                columns,
            } => {
                let cols = columns
                    .iter()
                    .map(|(n, s)| {
                        let facts = ColumnFacts {
                            data_type: (!s.data_type.is_empty()).then(|| s.data_type.clone()),
                            nullable: (!c.by_scan).then_some(!s.not_null),
                            has_default: (!c.by_scan).then_some(s.has_default || s.generated),
                        };
                        (n.key.clone(), facts)
                    })
                    .collect();
                self.tables.insert(table.key.clone(), cols);
            }
            ChangeKind::CreateTable { .. } => {}
            ChangeKind::CreateView { view } => {
                self.views.insert(view.key.clone());
            }
            ChangeKind::CreateType { name } => {
                self.types.insert(name.key.clone());
            }
            ChangeKind::AddColumn {
                table,
                column,
                spec,
            } => {
                let facts = ColumnFacts {
                    data_type: Some(spec.data_type.clone()),
                    nullable: Some(!spec.not_null),
                    has_default: Some(spec.has_default || spec.generated),
                };
                self.tables
                    .entry(table.key.clone())
                    .or_default()
                    .insert(column.key.clone(), facts);
            }
            ChangeKind::DropColumn { table, column } => {
                if let Some(t) = self.tables.get_mut(&table.key) {
                    t.remove(&column.key);
                }
            }
            ChangeKind::RenameColumn { table, from, to } => {
                if let Some(t) = self.tables.get_mut(&table.key) {
                    if let Some(f) = t.remove(&from.key) {
                        t.insert(to.key.clone(), f);
                    }
                }
            }
            ChangeKind::RenameTable { from, to } => {
                if let Some(t) = self.tables.remove(&from.key) {
                    self.tables.insert(to.key.clone(), t);
                }
            }
            ChangeKind::DropTable { table, .. } => {
                self.tables.remove(&table.key);
            }
            ChangeKind::DropView { view, .. } => {
                self.views.remove(&view.key);
            }
            ChangeKind::ChangeType {
                table,
                column,
                new_type,
                ..
            } => {
                if let Some(f) = self.col_mut(table, column) {
                    f.data_type = Some(new_type.clone());
                }
            }
            ChangeKind::SetNotNull { table, column, .. } => {
                if let Some(f) = self.col_mut(table, column) {
                    f.nullable = Some(false);
                }
            }
            ChangeKind::DropNotNull { table, column } => {
                if let Some(f) = self.col_mut(table, column) {
                    f.nullable = Some(true);
                }
            }
            ChangeKind::SetDefault { table, column } => {
                if let Some(f) = self.col_mut(table, column) {
                    f.has_default = Some(true);
                }
            }
            ChangeKind::DropDefault { table, column, .. } => {
                if let Some(f) = self.col_mut(table, column) {
                    f.has_default = Some(false);
                }
            }
            _ => {}
        }
    }

    fn col_mut(
        &mut self,
        table: &crate::changes::Name,
        column: &crate::changes::Name,
    ) -> Option<&mut ColumnFacts> {
        self.tables.get_mut(&table.key)?.get_mut(&column.key)
    }
}

impl History for ReplayHistory {
    fn has_table(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }

    fn column(&self, table: &str, column: &str) -> Option<ColumnFacts> {
        self.tables.get(table)?.get(column).cloned()
    }

    fn has_view(&self, view: &str) -> bool {
        self.views.contains(view)
    }

    fn has_type(&self, name: &str) -> bool {
        self.types.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_file, Dialect, Layout};
    use canary_lint_core::SourceFile;

    #[test]
    fn replay_tracks_columns_through_renames_and_alters() {
        let sql = "CREATE TABLE users (id bigint PRIMARY KEY, email text, name varchar(10) NOT NULL DEFAULT '');\n\
                   ALTER TABLE users RENAME COLUMN email TO mail;\n\
                   ALTER TABLE users ALTER COLUMN mail SET NOT NULL, ALTER COLUMN name DROP DEFAULT;\n\
                   ALTER TABLE users ALTER COLUMN name TYPE varchar(20);";
        let f = SourceFile::new("h.sql", sql);
        let h = ReplayHistory::replay(&[parse_file(&f, Layout::Plain, Dialect::Postgres)]);
        assert!(h.has_table("users"));
        assert!(h.column("users", "email").is_none());
        let mail = h.column("users", "mail").unwrap_or_default();
        assert_eq!(mail.nullable, Some(false));
        let name = h.column("users", "name").unwrap_or_default();
        assert_eq!(name.has_default, Some(false));
        assert_eq!(name.data_type.as_deref(), Some("VARCHAR(20)"));
    }
}
