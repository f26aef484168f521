//! The SQL rules, one file per rule, each named after the rule.
//!
//! A rule looks at one [`Change`] at a time with a [`RuleCx`]: the file, what the
//! release created before this statement, and (when available) what stable's
//! history knew. Rules never guess silently: when a fact they need is unknown they
//! still report and say which fact was missing.

use crate::changes::{Change, ChangeKind, ConstraintKind, Name};
use crate::history::{ColumnFacts, History};
use crate::Dialect;
use canary_lint_core::{Diagnostic, SourceFile, StaticRule};
use std::collections::{BTreeMap, BTreeSet};

pub mod add_required_column;
pub mod change_column_type;
pub mod drop_column;
pub mod drop_default;
pub mod drop_table;
pub mod drop_view;
pub mod rename_column;
pub mod rename_enum_value;
pub mod rename_table;
pub mod set_not_null;
pub mod unparsed_statement;

pub mod add_check_validating;
pub mod add_foreign_key_validating;
pub mod add_unique_blocking;
pub mod concurrent_index_in_transaction;
pub mod create_index_non_concurrently;
pub mod drop_index_non_concurrently;
pub mod missing_lock_timeout;
pub mod table_rewrite;
pub mod truncate_table;
pub mod unbounded_delete;
pub mod unbounded_update;

/// Every SQL rule.
pub fn all() -> Vec<&'static StaticRule> {
    vec![
        &rename_column::RENAME_COLUMN,
        &rename_table::RENAME_TABLE,
        &drop_column::DROP_COLUMN,
        &drop_table::DROP_TABLE,
        &drop_view::DROP_VIEW,
        &change_column_type::CHANGE_COLUMN_TYPE,
        &add_required_column::ADD_REQUIRED_COLUMN,
        &set_not_null::SET_NOT_NULL,
        &drop_default::DROP_DEFAULT,
        &rename_enum_value::RENAME_ENUM_VALUE,
        &unparsed_statement::UNPARSED_STATEMENT,
        &create_index_non_concurrently::CREATE_INDEX_NON_CONCURRENTLY,
        &drop_index_non_concurrently::DROP_INDEX_NON_CONCURRENTLY,
        &concurrent_index_in_transaction::CONCURRENT_INDEX_IN_TRANSACTION,
        &add_foreign_key_validating::ADD_FOREIGN_KEY_VALIDATING,
        &add_check_validating::ADD_CHECK_VALIDATING,
        &add_unique_blocking::ADD_UNIQUE_BLOCKING,
        &table_rewrite::TABLE_REWRITE,
        &missing_lock_timeout::MISSING_LOCK_TIMEOUT,
        &unbounded_update::UNBOUNDED_UPDATE,
        &unbounded_delete::UNBOUNDED_DELETE,
        &truncate_table::TRUNCATE_TABLE,
    ]
}

/// Runs every change rule on `change`.
pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    rename_column::check(cx, change, out);
    rename_table::check(cx, change, out);
    drop_column::check(cx, change, out);
    drop_table::check(cx, change, out);
    drop_view::check(cx, change, out);
    change_column_type::check(cx, change, out);
    add_required_column::check(cx, change, out);
    set_not_null::check(cx, change, out);
    drop_default::check(cx, change, out);
    rename_enum_value::check(cx, change, out);
    create_index_non_concurrently::check(cx, change, out);
    drop_index_non_concurrently::check(cx, change, out);
    concurrent_index_in_transaction::check(cx, change, out);
    add_foreign_key_validating::check(cx, change, out);
    add_check_validating::check(cx, change, out);
    add_unique_blocking::check(cx, change, out);
    table_rewrite::check(cx, change, out);
    missing_lock_timeout::check(cx, change, out);
    unbounded_update::check(cx, change, out);
    unbounded_delete::check(cx, change, out);
    truncate_table::check(cx, change, out);
}

/// What the release created so far: objects stable never saw, so changing them
/// cannot break stable.
#[derive(Debug, Default, Clone)]
pub struct ReleaseState {
    tables: BTreeSet<String>,
    columns: BTreeSet<(String, String)>,
    views: BTreeSet<String>,
    types: BTreeSet<String>,
    indexes: BTreeSet<String>,
    /// Constraints added `NOT VALID`, by (table, constraint) key: their kind and
    /// the transaction they were added in (see `epoch`).
    not_valid: BTreeMap<(String, String), (ConstraintKind, u32)>,
    /// Columns a `CHECK (c IS NOT NULL)` keeps from NULL: (table, column).
    not_null_checked: BTreeSet<(String, String)>,
    /// Counts transaction boundaries: `BEGIN`, `COMMIT` and the start of a file.
    epoch: u32,
}

impl ReleaseState {
    /// Columns the release added to `table` (a table stable already had), sorted.
    pub fn added_columns<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.columns
            .iter()
            .filter(move |(t, _)| t == table && !self.tables.contains(table))
            .map(|(_, c)| c.as_str())
    }

    /// Records what `change` creates (after the rules have seen it).
    pub fn note(&mut self, change: &Change) {
        match &change.kind {
            ChangeKind::CreateTable { table, .. } => {
                self.tables.insert(table.key.clone());
            }
            ChangeKind::CreateView { view } => {
                self.views.insert(view.key.clone());
            }
            ChangeKind::CreateType { name } => {
                self.types.insert(name.key.clone());
            }
            ChangeKind::CreateIndex {
                index: Some(index), ..
            } => {
                self.indexes.insert(index.key.clone());
            }
            ChangeKind::AddColumn { table, column, .. } => {
                self.columns.insert((table.key.clone(), column.key.clone()));
            }
            ChangeKind::RenameTable { from, to } if self.tables.contains(&from.key) => {
                self.tables.insert(to.key.clone());
            }
            ChangeKind::RenameColumn { table, from, to } if self.column(table, from) => {
                self.columns.insert((table.key.clone(), to.key.clone()));
            }
            ChangeKind::Begin | ChangeKind::Commit => self.epoch += 1,
            ChangeKind::AddConstraint {
                table,
                kind,
                not_valid,
                name,
                not_null_check,
                ..
            } => {
                // Even `NOT VALID`, the check rejects NULL in every new write.
                if let Some(c) = not_null_check {
                    self.not_null_checked
                        .insert((table.key.clone(), c.key.clone()));
                }
                if let (true, Some(n)) = (not_valid, name) {
                    self.not_valid
                        .insert((table.key.clone(), n.key.clone()), (*kind, self.epoch));
                }
            }
            _ => {}
        }
    }

    /// A new file starts: its statements run in a transaction of their own.
    pub fn start_file(&mut self) {
        self.epoch += 1;
    }

    /// The kind of a constraint added `NOT VALID` earlier in the current
    /// transaction (same file, no `BEGIN` or `COMMIT` since).
    pub fn not_valid_in_this_transaction(&self, t: &Name, c: &Name) -> Option<ConstraintKind> {
        self.not_valid
            .get(&(t.key.clone(), c.key.clone()))
            .filter(|(_, epoch)| *epoch == self.epoch)
            .map(|(k, _)| *k)
    }

    /// A `CHECK (c IS NOT NULL)` on the column was added in the release (even
    /// `NOT VALID`, it rejects NULL in every new write).
    pub fn not_null_checked(&self, t: &Name, c: &Name) -> bool {
        self.not_null_checked
            .contains(&(t.key.clone(), c.key.clone()))
    }

    pub fn table(&self, t: &Name) -> bool {
        self.tables.contains(&t.key)
    }

    /// The column, or its whole table, was created in the release.
    pub fn column(&self, t: &Name, c: &Name) -> bool {
        self.table(t) || self.columns.contains(&(t.key.clone(), c.key.clone()))
    }

    pub fn view(&self, v: &Name) -> bool {
        self.views.contains(&v.key)
    }

    pub fn enum_type(&self, t: &Name) -> bool {
        self.types.contains(&t.key)
    }

    pub fn index(&self, i: &Name) -> bool {
        self.indexes.contains(&i.key)
    }
}

/// What a rule sees besides the change itself.
pub struct RuleCx<'a> {
    pub file: &'a SourceFile,
    pub dialect: Dialect,
    pub release: &'a ReleaseState,
    pub history: Option<&'a dyn History>,
    /// The statement runs inside a transaction: an explicit `BEGIN` earlier in the
    /// file, or the framework wraps the migration (see [`crate::Layout::file_in_transaction`]).
    pub in_transaction: bool,
    /// A `SET lock_timeout` came earlier in this file.
    pub lock_timeout_set: bool,
    /// missing-lock-timeout already reported in this file (once per file).
    pub lock_timeout_reported: bool,
}

impl std::fmt::Debug for RuleCx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleCx")
            .field("file", &self.file.path)
            .field("has_history", &self.history.is_some())
            .finish()
    }
}

impl RuleCx<'_> {
    /// `false` only when a history is present and does not know the table: then
    /// stable never saw it and nothing can break for stable.
    pub fn stable_may_know_table(&self, t: &Name) -> bool {
        match self.history {
            None => true,
            Some(h) => h.has_table(&t.key),
        }
    }

    /// History's facts about a column stable knew; `None` without history or when
    /// history does not know it.
    pub fn stable_column(&self, t: &Name, c: &Name) -> Option<ColumnFacts> {
        self.history?.column(&t.key, &c.key)
    }

    /// `false` only when a history is present and does not know the column.
    pub fn stable_may_know_column(&self, t: &Name, c: &Name) -> bool {
        match self.history {
            None => true,
            Some(h) => h.column(&t.key, &c.key).is_some(),
        }
    }

    /// The table existed before the release and stable may use it.
    pub fn stable_table(&self, t: &Name) -> bool {
        !self.release.table(t) && self.stable_may_know_table(t)
    }

    /// A finding of `rule` at the change's clause.
    pub fn diag(
        &self,
        rule: &StaticRule,
        change: &Change,
        message: String,
        label: String,
        help: String,
    ) -> Diagnostic {
        let d = Diagnostic::new(rule, self.file, change.clause, message)
            .label(label)
            .help(help);
        if change.by_scan {
            d.found_by_scan()
        } else {
            d
        }
    }
}

/// `table.column` for messages, as written.
pub(crate) fn qualified(t: &Name, c: &Name) -> String {
    format!("{}.{}", t.display, c.display)
}
