//! The SQL rules, one file per rule, each named after the rule.
//!
//! A rule looks at one [`Change`] at a time with a [`RuleCx`]: the file, what the
//! release created before this statement, and (when available) what stable's
//! history knew. Rules never guess silently: when a fact they need is unknown they
//! still report and say which fact was missing.

use crate::changes::{Change, ChangeKind, ConstraintKind, Name};
use crate::delta::{Act, DeltaEntry, Knowledge, ObjKey, Recreated, StmtRef};
use crate::history::{ColumnFacts, History};
use crate::model::{Column, Rename, Schema, Table};
use crate::parse::ParsedFile;
use crate::touches::Touches;
use crate::Dialect;
use canary_lint_core::{Diagnostic, Related, SourceFile, StaticRule};
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

pub mod add_enum_value;
pub mod drop_enum_value;
pub mod drop_function;
pub mod drop_not_null;
pub mod drop_sequence;
pub mod drop_type;
pub mod recreate_table;
pub mod rename_type;
pub mod tighten_constraint;

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

/// One SQL rule: its metadata and the steps it runs at.
#[derive(Debug)]
pub struct SqlRule {
    pub meta: &'static StaticRule,
    /// Runs on each change of each statement (lock and data rules; compat rules'
    /// statement findings, which the engine then judges by the net delta).
    pub statement: Option<StatementStep>,
    /// Runs once per release on the net delta ([`ReleaseCx`]).
    pub release: Option<ReleaseStep>,
}

pub type StatementStep = fn(&RuleCx<'_>, &Change, &mut Vec<Diagnostic>);
pub type ReleaseStep = fn(&ReleaseCx<'_>, &mut Vec<Diagnostic>);

impl SqlRule {
    const fn statement(meta: &'static StaticRule, f: StatementStep) -> SqlRule {
        SqlRule {
            meta,
            statement: Some(f),
            release: None,
        }
    }
    const fn release(meta: &'static StaticRule, f: ReleaseStep) -> SqlRule {
        SqlRule {
            meta,
            statement: None,
            release: Some(f),
        }
    }
    const fn both(meta: &'static StaticRule, s: StatementStep, r: ReleaseStep) -> SqlRule {
        SqlRule {
            meta,
            statement: Some(s),
            release: Some(r),
        }
    }
    /// Reported by the engine itself (the parser's verdict).
    const fn engine(meta: &'static StaticRule) -> SqlRule {
        SqlRule {
            meta,
            statement: None,
            release: None,
        }
    }
}

/// The SQL rules: the one list. Adding a rule is its file, its fixtures and one
/// line here.
pub const RULES: &[SqlRule] = &[
    SqlRule::statement(&rename_column::RENAME_COLUMN, rename_column::check),
    SqlRule::statement(&rename_table::RENAME_TABLE, rename_table::check),
    SqlRule::both(
        &drop_column::DROP_COLUMN,
        drop_column::check,
        drop_column::judge,
    ),
    SqlRule::statement(&drop_table::DROP_TABLE, drop_table::check),
    SqlRule::both(&drop_view::DROP_VIEW, drop_view::check, drop_view::judge),
    SqlRule::release(&recreate_table::RECREATE_TABLE, recreate_table::judge),
    SqlRule::both(
        &change_column_type::CHANGE_COLUMN_TYPE,
        change_column_type::check,
        change_column_type::judge,
    ),
    SqlRule::both(
        &add_required_column::ADD_REQUIRED_COLUMN,
        add_required_column::check,
        add_required_column::judge,
    ),
    SqlRule::both(
        &set_not_null::SET_NOT_NULL,
        set_not_null::check,
        set_not_null::judge,
    ),
    SqlRule::release(&drop_not_null::DROP_NOT_NULL, drop_not_null::judge),
    SqlRule::statement(&drop_default::DROP_DEFAULT, drop_default::check),
    SqlRule::statement(
        &rename_enum_value::RENAME_ENUM_VALUE,
        rename_enum_value::check,
    ),
    SqlRule::release(&add_enum_value::ADD_ENUM_VALUE, add_enum_value::judge),
    SqlRule::release(&drop_enum_value::DROP_ENUM_VALUE, drop_enum_value::judge),
    SqlRule::release(
        &tighten_constraint::TIGHTEN_CONSTRAINT,
        tighten_constraint::judge,
    ),
    SqlRule::release(&drop_function::DROP_FUNCTION, drop_function::judge),
    SqlRule::release(&drop_type::DROP_TYPE, drop_type::judge),
    SqlRule::release(&rename_type::RENAME_TYPE, rename_type::judge),
    SqlRule::release(&drop_sequence::DROP_SEQUENCE, drop_sequence::judge),
    SqlRule::engine(&unparsed_statement::UNPARSED_STATEMENT),
    SqlRule::statement(
        &create_index_non_concurrently::CREATE_INDEX_NON_CONCURRENTLY,
        create_index_non_concurrently::check,
    ),
    SqlRule::statement(
        &drop_index_non_concurrently::DROP_INDEX_NON_CONCURRENTLY,
        drop_index_non_concurrently::check,
    ),
    SqlRule::statement(
        &concurrent_index_in_transaction::CONCURRENT_INDEX_IN_TRANSACTION,
        concurrent_index_in_transaction::check,
    ),
    SqlRule::statement(
        &add_foreign_key_validating::ADD_FOREIGN_KEY_VALIDATING,
        add_foreign_key_validating::check,
    ),
    SqlRule::statement(
        &add_check_validating::ADD_CHECK_VALIDATING,
        add_check_validating::check,
    ),
    SqlRule::statement(
        &add_unique_blocking::ADD_UNIQUE_BLOCKING,
        add_unique_blocking::check,
    ),
    SqlRule::statement(&table_rewrite::TABLE_REWRITE, table_rewrite::check),
    SqlRule::statement(
        &missing_lock_timeout::MISSING_LOCK_TIMEOUT,
        missing_lock_timeout::check,
    ),
    SqlRule::statement(&unbounded_update::UNBOUNDED_UPDATE, unbounded_update::check),
    SqlRule::statement(&unbounded_delete::UNBOUNDED_DELETE, unbounded_delete::check),
    SqlRule::statement(&truncate_table::TRUNCATE_TABLE, truncate_table::check),
];

/// Every SQL rule's metadata, from [`RULES`].
pub fn all() -> Vec<&'static StaticRule> {
    RULES.iter().map(|r| r.meta).collect()
}

/// Runs every statement step on `change`.
pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    for r in RULES {
        if let Some(f) = r.statement {
            f(cx, change, out);
        }
    }
}

/// Runs every release step on the net delta.
pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for r in RULES {
        if let Some(f) = r.release {
            f(cx, out);
        }
    }
}

/// What the release created so far: objects stable never saw, so changing them
/// cannot break stable.
#[derive(Debug, Default, Clone)]
pub struct ReleaseState {
    tables: BTreeSet<String>,
    /// Which statement touched what: the columns and indexes the release created
    /// are read here (a release may add hundreds of thousands: they are not kept
    /// a second time). The engine records the touches of each change before
    /// [`ReleaseState::note`] sees it.
    pub(crate) touches: Touches,
    /// Columns renamed into a name from a column the release created, by table key.
    renamed_columns: BTreeMap<String, BTreeSet<String>>,
    views: BTreeSet<String>,
    types: BTreeSet<String>,
    /// Constraints added `NOT VALID`, by (table, constraint) key: their kind and
    /// the transaction they were added in (see `epoch`).
    not_valid: BTreeMap<(String, String), (ConstraintKind, u32)>,
    /// Columns a `CHECK (c IS NOT NULL)` keeps from NULL: (table, column).
    not_null_checked: BTreeSet<(String, String)>,
    /// Counts transaction boundaries: `BEGIN`, `COMMIT` and the start of a file.
    epoch: u32,
}

impl ReleaseState {
    /// The columns the release added to each of `tables` (tables stable already
    /// had: none for a table the release created), sorted.
    pub fn added_columns(&self, tables: &[&str]) -> Vec<(String, Vec<String>)> {
        let mut out = self.touches.created_columns_of(tables);
        for (table, columns) in &mut out {
            if self.tables.contains(table.as_str()) {
                columns.clear();
                continue;
            }
            if let Some(renamed) = self.renamed_columns.get(table.as_str()) {
                columns.extend(renamed.iter().cloned());
                columns.sort();
                columns.dedup();
            }
        }
        out
    }

    /// Records what `change` creates (after the rules have seen it).
    pub fn note(&mut self, change: &Change) {
        match &change.kind {
            ChangeKind::CreateTable { table, .. } => {
                self.tables.insert(table.key.clone());
            }
            ChangeKind::CreateView { view, .. } => {
                self.views.insert(view.key.clone());
            }
            ChangeKind::CreateType { name, .. } => {
                self.types.insert(name.key.clone());
            }
            ChangeKind::RenameTable { from, to, .. } if self.tables.contains(&from.key) => {
                self.tables.insert(to.key.clone());
            }
            ChangeKind::RenameColumn { table, from, to } if self.column(table, from) => {
                self.renamed_columns
                    .entry(table.key.clone())
                    .or_default()
                    .insert(to.key.clone());
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
        self.table(t)
            || self.touches.created_column(&t.key, &c.key)
            || self
                .renamed_columns
                .get(&t.key)
                .is_some_and(|columns| columns.contains(&c.key))
    }

    pub fn view(&self, v: &Name) -> bool {
        self.views.contains(&v.key)
    }

    pub fn enum_type(&self, t: &Name) -> bool {
        self.types.contains(&t.key)
    }

    pub fn index(&self, i: &Name) -> bool {
        self.touches.created_index(&i.key)
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

/// What a rule's release step sees: the schema before and after the release
/// (the objects the release touched), the delta between them, and which
/// statement touched what.
#[derive(Debug)]
pub struct ReleaseCx<'a> {
    pub files: &'a [ParsedFile],
    pub before: &'a Schema,
    pub after: &'a Schema,
    /// The release delta's entries about user types and sequences (the rest of the
    /// delta is judged from `before` and `after`; `check` does not build it).
    pub delta: &'a [DeltaEntry],
    /// Which statement touched what, by object (see [`Touches`]).
    pub touches: &'a Touches,
    /// Table names a new table took over during the release.
    pub recreated: &'a [Recreated],
    /// Statement findings the net delta confirmed: (rule, subject).
    pub confirmed: &'a BTreeSet<(String, String)>,
    /// Renames the release made, in order.
    pub renames: &'a [Rename],
    pub knowledge: Knowledge,
    /// The whole schema after the release (history included): for facts about
    /// objects the release did not touch, such as the triggers and trigger
    /// functions that fill a table.
    pub running: &'a Schema,
    /// [`ReleaseCx::kept_tables`], found once for all the release steps that
    /// read them (empty when made).
    pub kept: std::cell::OnceCell<Vec<KeptTable<'a>>>,
}

/// A table stable knew that the release kept under its name and changed (see
/// [`ReleaseCx::kept_tables`]).
#[derive(Debug)]
pub struct KeptTable<'a> {
    pub before: &'a Table,
    pub after: &'a Table,
    /// The columns of `before` that `after` lacks (`None`) or has with another
    /// type or nullability, each with its state after the release, in `before`'s
    /// order. A column the release left as it was is not listed.
    pub changed_columns: Vec<(&'a Column, Option<&'a Column>)>,
}

impl<'a> ReleaseCx<'a> {
    /// A finding of `rule` at statement `at`.
    pub fn diag(
        &self,
        rule: &StaticRule,
        at: StmtRef,
        message: String,
        label: String,
        help: String,
    ) -> Diagnostic {
        Diagnostic::new(rule, &self.files[at.file].file, at.span, message)
            .label(label)
            .help(help)
    }

    /// `at` as a related location of `d`.
    pub fn relate(&self, d: &mut Diagnostic, at: StmtRef, message: impl Into<String>) {
        let f = &self.files[at.file].file;
        let p = f.position(at.span.start);
        d.push_related(
            Related {
                file: f.path.to_string(),
                line: p.line,
                column: p.column,
                message: message.into(),
            },
            5,
        );
    }

    /// The statements that touched `object` with one of `acts` (any act when
    /// empty), in release order.
    pub fn touching<'b>(
        &'b self,
        object: &'b ObjKey,
        acts: &'b [Act],
    ) -> impl Iterator<Item = StmtRef> + 'b {
        self.touches.touching(object, acts)
    }

    pub fn last(&self, object: &ObjKey, acts: &[Act]) -> Option<StmtRef> {
        self.touching(object, acts).last()
    }

    pub fn first(&self, object: &ObjKey, acts: &[Act]) -> Option<StmtRef> {
        self.touching(object, acts).next()
    }

    /// The statement that gave table `key` its final shape: where a new table
    /// took the name, else the last statement that touched it.
    pub fn table_site(&self, key: &str) -> Option<StmtRef> {
        self.recreated
            .iter()
            .find(|r| r.table == key)
            .map(|r| r.refilled)
            .or_else(|| self.last(&ObjKey::Table(key.to_string()), &[]))
    }

    /// Where column `table.column` got its final state: the last statement naming
    /// it with one of `acts`, else where a column of that name was added after
    /// the one stable knew was renamed away, else where the table got its final
    /// shape.
    pub fn column_site(&self, table: &str, column: &str, acts: &[Act]) -> Option<StmtRef> {
        self.last(&ObjKey::Column(table.into(), column.into()), acts)
            .or_else(|| self.readded(table, column))
            .or_else(|| self.table_site(table))
    }

    /// Where a new column took the name `column` of `table` after the release
    /// renamed the column stable knew by that name away (`RENAME COLUMN email TO
    /// email_old; ADD COLUMN email ..`): stable's reads and writes of `email`
    /// now reach the new column.
    pub fn readded(&self, table: &str, column: &str) -> Option<StmtRef> {
        let renamed_away = self.renames.iter().any(|r| {
            r.kind == crate::model::RenameKind::Column
                && r.parent.as_deref() == Some(table)
                && r.from == column
        });
        if !renamed_away {
            return None;
        }
        self.last(
            &ObjKey::Column(table.into(), column.into()),
            &[Act::Create, Act::RenameInto],
        )
    }

    /// Tables stable knew that still exist after the release (by name), with
    /// both states, when their columns are known on both sides.
    ///
    /// A table the release touched without changing it (the same copy before and
    /// after, with the same indexes: a trigger created on it, rows copied into it)
    /// is left out: no release step has anything to say about a table whose
    /// columns, constraints and indexes are those stable knew.
    pub fn kept_tables(&self) -> impl Iterator<Item = (&'a Table, &'a Table)> + '_ {
        self.kept().iter().map(|k| (k.before, k.after))
    }

    /// [`ReleaseCx::kept_tables`] with the columns the release changed in each.
    pub fn kept(&self) -> &[KeptTable<'a>] {
        self.kept.get_or_init(|| {
            let (before, after): (&'a Schema, &'a Schema) = (self.before, self.after);
            before
                .tables()
                .filter_map(|b| {
                    let a = after.table(&b.key)?;
                    if after.same_table(before, &b.key) && after.same_indexes(before, &b.key) {
                        return None;
                    }
                    (b.columns_known && a.columns_known && !b.temporary).then_some((b, a))
                })
                .map(|(before, after)| KeptTable {
                    before,
                    after,
                    changed_columns: before
                        .columns()
                        .iter()
                        .filter_map(|col| match after.column(&col.key) {
                            Some(now)
                                if now.nullable == col.nullable
                                    && now.data_type == col.data_type =>
                            {
                                None
                            }
                            now => Some((col, now)),
                        })
                        .collect(),
                })
                .collect()
        })
    }

    /// Tables stable knew that the release renamed and kept (nothing took the old
    /// name), with both states and the name each ends the release under, when
    /// their columns are known on both sides.
    pub fn renamed_tables(&self) -> impl Iterator<Item = (&'a Table, &'a Table)> + '_ {
        self.before.tables().filter_map(|b| {
            if b.temporary || self.after.table(&b.key).is_some() {
                return None;
            }
            let mut name = b.key.as_str();
            for r in self.renames {
                if r.kind == crate::model::RenameKind::Table && r.from == name {
                    name = &r.to;
                }
            }
            let a = self.after.table(name).filter(|_| name != b.key)?;
            (b.columns_known && a.columns_known).then_some((b, a))
        })
    }

    /// The name column `column` of `table` had before the release, following the
    /// release's column renames back (itself when it was not renamed).
    pub fn column_origin<'b>(&'b self, table: &str, column: &'b str) -> &'b str {
        let mut name = column;
        for r in self.renames.iter().rev() {
            if r.kind == crate::model::RenameKind::Column
                && r.parent.as_deref() == Some(table)
                && r.to == name
            {
                name = &r.from;
            }
        }
        name
    }

    /// Whether a statement finding of `rule` about `subject` was confirmed.
    pub fn confirmed(&self, rule: &str, subject: &str) -> bool {
        self.confirmed
            .contains(&(rule.to_string(), subject.to_string()))
    }

    /// How a finding about stable's use of an object is phrased: what is known
    /// (stable's schema has it), not what stable's code does (unsearched here).
    pub fn uses(&self, what: &str) -> String {
        format!("stable's schema has {what}; the running version may still use it")
    }
}
