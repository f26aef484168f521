//! Replay: applying one parsed statement to the [`Schema`].
//!
//! Every statement is either understood (its effect on the schema is applied), ignored (it
//! has no effect on the schema: DML, transaction control, grants, comments, functions), or not
//! understood (DDL the model cannot follow, or DDL on an object the model does not know). A
//! multi-operation `ALTER TABLE` applies the operations it understands and reports the others.
//!
//! Every form is replayed from the change values [`crate::changes::from_statement`]
//! makes of the statement, the ones the rules read: of the syntax tree, only the kind of
//! statement (and an `ALTER TABLE`'s table and `IF EXISTS`) is looked at here.

use super::{
    Constraint, ConstraintKind, EnumType, Generated, Index, Rename, RenameKind, Schema, Sequence,
    Table, View,
};
use crate::changes::{
    Change, ChangeKind, ColumnDefinition, ColumnPosition, ColumnSource, DroppedConstraint,
    IndexDefinition, LabelPosition, Name, TableDefinition, TableItem, ViewChange,
};
use crate::names::object_key;
use crate::Dialect;
use sqlparser::ast::{DataType, ObjectName, ObjectNamePart, Statement};
use std::sync::Arc;

/// What [`Schema::apply`] made of one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// The statement's effect on the schema was applied (possibly none, as for
    /// `CREATE TABLE IF NOT EXISTS` of a known table).
    Understood,
    /// The statement does not change the schema (DML, `SET`, `BEGIN`, `GRANT`, `COMMENT`, ...).
    Ignored,
    /// The model could not follow the statement, or part of it; the reason is short and meant
    /// for `--verbose`. Whatever part was understood has been applied.
    NotUnderstood(String),
}

impl Applied {
    pub fn is_understood(&self) -> bool {
        matches!(self, Applied::Understood)
    }
}

/// Why the model could not follow (part of) a statement: the short reason that
/// [`Applied::NotUnderstood`] carries and `--verbose` prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unfollowed(String);

impl From<String> for Unfollowed {
    fn from(reason: String) -> Self {
        Unfollowed(reason)
    }
}

impl From<&str> for Unfollowed {
    fn from(reason: &str) -> Self {
        Unfollowed(reason.to_string())
    }
}

/// Problems met while applying one statement.
type Problems = Vec<String>;

fn outcome(problems: Problems) -> Applied {
    if problems.is_empty() {
        Applied::Understood
    } else {
        Applied::NotUnderstood(problems.join("; "))
    }
}

impl Schema {
    /// Applies one statement. Never panics, never stops: see [`Applied`].
    ///
    /// The statement is read once, by [`crate::changes::from_statement`], into
    /// the change values the rules read, and replayed from them.
    pub fn apply(&mut self, stmt: &Statement, dialect: Dialect) -> Applied {
        if crate::changes::replayed_from_changes(stmt) {
            let st = crate::changes::StatementText::detached(dialect);
            let changes = crate::changes::from_statement(stmt, &st);
            self.dialect = dialect;
            return self.replay_changes(&changes, alter_of(stmt, dialect));
        }
        self.not_replayed(stmt, dialect)
    }

    /// As [`Schema::apply`], with the statement's change values already made by
    /// [`crate::changes::from_statement`] (the release engine makes them for the
    /// rules and hands them on).
    pub(crate) fn apply_with(
        &mut self,
        stmt: &Statement,
        changes: &[Change],
        dialect: Dialect,
    ) -> Applied {
        self.dialect = dialect;
        if crate::changes::replayed_from_changes(stmt) {
            return self.replay_changes(changes, alter_of(stmt, dialect));
        }
        self.not_replayed(stmt, dialect)
    }

    /// A statement read from its tokens instead of parsed (a `CREATE VIEW`,
    /// see `parse/view.rs`), replayed from its change values as its syntax
    /// tree's would be.
    pub(crate) fn apply_read(&mut self, changes: &[Change], dialect: Dialect) -> Applied {
        self.dialect = dialect;
        self.replay_changes(changes, None)
    }

    /// As [`Schema::apply`], for a statement with its text (`st`): a view's
    /// query is kept as its text gives it (`changes::view_query_text`), the
    /// same a view read from its tokens has.
    pub(crate) fn apply_in(
        &mut self,
        stmt: &Statement,
        st: &crate::changes::StatementText<'_>,
    ) -> Applied {
        if !matches!(stmt, Statement::CreateView(_)) {
            return self.apply(stmt, st.dialect);
        }
        let changes = crate::changes::from_statement(stmt, st);
        self.dialect = st.dialect;
        self.replay_changes(&changes, None)
    }

    /// A statement the parser rejected and the token scan reads whole
    /// ([`crate::scan::fully_read`]: `DROP INDEX CONCURRENTLY [IF EXISTS] name,
    /// ..`), replayed from the scan's change values (`changes`): its `DropIndex`
    /// values, the same the parsed `DROP INDEX` gives.
    pub(crate) fn apply_scanned(&mut self, changes: &[Change], dialect: Dialect) -> Applied {
        self.dialect = dialect;
        let drops: Vec<Change> = changes
            .iter()
            .filter(|c| matches!(c.kind, ChangeKind::DropIndex { .. }))
            .cloned()
            .collect();
        if drops.is_empty() {
            return Applied::Ignored;
        }
        self.replay_changes(&drops, None)
    }

    /// A statement of a form the model does not replay: one that changes no
    /// schema, or DDL it does not follow.
    fn not_replayed(&mut self, stmt: &Statement, dialect: Dialect) -> Applied {
        self.dialect = dialect;
        if is_irrelevant(stmt) || matches!(stmt, Statement::Drop { .. }) {
            Applied::Ignored
        } else {
            Applied::NotUnderstood(format!("`{}` is not modelled", leading_words(stmt)))
        }
    }

    /// Replays the change values of one statement (`alter`: an `ALTER TABLE`,
    /// which the model follows only on a relation it knows; with `IF EXISTS`,
    /// one it does not know is no problem).
    fn replay_changes(&mut self, changes: &[Change], alter: Option<Alter>) -> Applied {
        let alter_table = alter.is_some();
        let if_exists = alter.as_ref().is_some_and(|a| a.if_exists);
        let unknown = |key: &str| {
            if if_exists {
                Applied::Understood
            } else {
                Applied::NotUnderstood(format!("table `{key}` is not known to the model"))
            }
        };
        if let Some(a) = &alter {
            // An `ALTER TABLE` of a relation the model does not know, whatever
            // its operations.
            if !self.tables.contains_key(&a.table) && !self.views.contains_key(&a.table) {
                return unknown(&a.table);
            }
        }
        use ChangeKind as K;
        let mut missing: Vec<String> = Vec::new();
        let mut problems = Problems::new();
        let mut if_exists_all = true;
        // Columns a `DROP COLUMN a, b` did not find, per clause.
        let mut missing_columns: Vec<(canary_lint_core::Span, Vec<String>)> = Vec::new();
        // `ALTER TABLE t RENAME TO u, ..`: the later operations are on `u`.
        let mut renamed: Option<(String, String)> = None;
        // A MySQL `CHANGE`/`MODIFY` replaces the whole column; the nullability
        // and default changes that follow it for the rules are part of it.
        let mut restated: Option<String> = None;
        let mut failed_rename: Option<String> = None;
        for c in changes {
            if let Some(column) = &restated {
                let part_of_it = match &c.kind {
                    K::SetNotNull {
                        column: n,
                        restated: true,
                        ..
                    }
                    | K::DropNotNull { column: n, .. }
                    | K::SetDefault { column: n, .. }
                    | K::DropDefault {
                        column: n,
                        restated: true,
                        ..
                    } => n.key == *column,
                    _ => false,
                };
                if part_of_it {
                    continue;
                }
                restated = None;
            }
            if let K::RenameTable {
                from,
                to,
                written,
                qualified,
            } = &c.kind
            {
                let from_key = match &renamed {
                    Some((old, new)) if *old == from.key => new.clone(),
                    _ => from.key.clone(),
                };
                let known =
                    self.tables.contains_key(&from_key) || self.views.contains_key(&from_key);
                if alter_table && !known {
                    return unknown(&from_key);
                }
                // An unqualified new name stays in the old name's schema.
                let to_key = match (from_key.rsplit_once('.'), qualified) {
                    (Some((schema, _)), false) => format!("{schema}.{}", to.key),
                    _ => to.key.clone(),
                };
                match self.rename_relation_to(&from_key, to_key, written.clone(), self.dialect) {
                    Ok(new) => renamed = Some((from.key.clone(), new)),
                    Err(p) => problems.push(p.to_string()),
                }
                continue;
            }
            if let K::NotModelled { what } = &c.kind {
                problems.push(what.clone());
                continue;
            }
            if let Some(table) = alter_table_of(&c.kind) {
                let key = match &renamed {
                    Some((old, new)) if *old == table.key => new.clone(),
                    _ => table.key.clone(),
                };
                if !self.tables.contains_key(&key) {
                    if !self.views.contains_key(&key) {
                        // An `ALTER TABLE` of a table the model does not know.
                        return unknown(&key);
                    }
                    // Postgres accepts `ALTER TABLE .. RENAME COLUMN` on views.
                    match &c.kind {
                        K::RenameColumn { from, to, .. } => self.rename_view_column(&key, from, to),
                        _ => problems.push(format!("ALTER TABLE on view `{key}`")),
                    }
                    continue;
                }
                let result = match &c.kind {
                    K::AddConstraint {
                        definition: Some(item),
                        ..
                    }
                    | K::AddTableItem { item, .. } => self.add_table_item(&key, item),
                    K::DropConstraint { what, .. } => self.drop_constraint(&key, what),
                    K::RenameConstraint { from, to, .. } => self.rename_constraint(&key, from, to),
                    K::AddColumn {
                        spec:
                            crate::changes::ColumnSpec {
                                definition: Some(def),
                                ..
                            },
                        ..
                    } => self.add_column(&key, def),
                    K::ChangeType {
                        column,
                        definition: Some(def),
                        ..
                    } => {
                        restated = Some(column.key.clone());
                        if failed_rename.as_ref() == Some(&column.key) {
                            // `CHANGE a b ..` where `a` could not be renamed:
                            // the statement fails as a whole.
                            Ok(())
                        } else {
                            self.redefine_column(&key, def)
                        }
                    }
                    K::DropColumn {
                        column, if_exists, ..
                    } => {
                        if !self.drop_column(&key, &column.key) {
                            let known = self.tables.get(&key).is_some_and(|t| t.columns_known);
                            if !*if_exists && known {
                                match missing_columns.last_mut() {
                                    Some((at, names)) if *at == c.clause => {
                                        names.push(column.display.clone())
                                    }
                                    _ => missing_columns
                                        .push((c.clause, vec![column.display.clone()])),
                                }
                            }
                        }
                        Ok(())
                    }
                    K::RenameColumn { from, to, .. } => {
                        let renamed = self.rename_column(&key, from, to);
                        if renamed.is_err() {
                            failed_rename = Some(from.key.clone());
                        }
                        renamed
                    }
                    other => self.alter_column(&key, other),
                };
                if let Err(p) = result {
                    problems.push(p.to_string());
                }
                continue;
            }
            match &c.kind {
                K::CreateTable {
                    table,
                    temporary,
                    columns,
                    definition: Some(def),
                    ..
                } => problems.extend(self.create_table(table, *temporary, columns, def)),
                K::RenameType { from, to, new_name } => {
                    if let Err(p) = self.rename_type(&from.key, &to.key, new_name) {
                        problems.push(p.to_string());
                    }
                }
                K::RenameIndex {
                    from,
                    to,
                    written,
                    qualified,
                } => {
                    // An unqualified new name stays in the old name's schema.
                    let to_key = match (from.key.rsplit_once('.'), qualified) {
                        (Some((schema, _)), false) => format!("{schema}.{}", to.key),
                        _ => to.key.clone(),
                    };
                    if let Err(p) = self.rename_index(&from.key, to_key, written) {
                        problems.push(p.to_string());
                    }
                }
                K::DropSchema { name } => self.drop_schema(&name.key),
                K::CreateIndex {
                    table,
                    index,
                    definition: Some(def),
                    ..
                } => {
                    if let Err(p) = self.create_index(table, index.as_ref(), def) {
                        problems.push(p.to_string());
                    }
                }
                K::DropIndex {
                    index,
                    if_exists,
                    table,
                    ..
                } => {
                    if_exists_all &= *if_exists;
                    let key = match table {
                        Some(t) => index_key(&t.key, &index.key, self.dialect),
                        None => index.key.clone(),
                    };
                    if self.remove_index(&key).is_none() {
                        missing.push(key);
                    }
                }
                K::AlterView {
                    view,
                    if_exists,
                    materialized,
                    change,
                } => {
                    if let Err(p) = self.alter_view(view, *if_exists, *materialized, change) {
                        problems.push(p.to_string());
                    }
                }
                K::DropTable {
                    table,
                    if_exists,
                    cascade,
                    ..
                } => {
                    if_exists_all &= *if_exists;
                    if !self.drop_table(&table.key, *cascade) {
                        missing.push(table.key.clone());
                    }
                }
                K::DropView {
                    view,
                    if_exists,
                    cascade,
                    ..
                } => {
                    if_exists_all &= *if_exists;
                    if self.views.remove(&view.key).is_none() {
                        missing.push(view.key.clone());
                    } else if *cascade {
                        self.drop_dependent_views(&view.key);
                    }
                }
                K::DropType {
                    name,
                    if_exists,
                    domain: true,
                } => {
                    let known = self.other_types.remove(&name.key);
                    if !known && !*if_exists {
                        problems.push(format!("domain `{}` is not known to the model", name.key));
                    }
                }
                K::DropType {
                    name, if_exists, ..
                } => {
                    if_exists_all &= *if_exists;
                    if self.enums.remove(&name.key).is_none() && !self.other_types.remove(&name.key)
                    {
                        missing.push(name.key.clone());
                    }
                }
                K::DropSequence { name, if_exists } => {
                    if_exists_all &= *if_exists;
                    if self.sequences.remove(&name.key).is_none() {
                        missing.push(name.key.clone());
                    }
                }
                K::CreateSequence {
                    name,
                    written,
                    if_not_exists,
                } => {
                    let keep = *if_not_exists && self.sequences.contains_key(&name.key);
                    if !keep {
                        self.sequences.insert(
                            name.key.clone(),
                            Sequence {
                                name: written.clone(),
                            },
                        );
                    }
                }
                K::CreateFunction {
                    name,
                    written,
                    if_not_exists,
                    signature,
                } => {
                    let key = crate::changes::overload_key(&name.key, &signature.args);
                    if !(*if_not_exists && self.functions.contains_key(&key)) {
                        self.functions.insert(
                            key,
                            super::Function {
                                name: written.clone(),
                                name_key: name.key.clone(),
                                signature: signature.text.clone(),
                                returns_trigger: signature.returns_trigger,
                                inserts: signature
                                    .inserts
                                    .iter()
                                    .map(|(t, cols)| (t.key.clone(), cols.clone()))
                                    .collect(),
                            },
                        );
                    }
                }
                K::DropFunction { name, args, .. } => {
                    let keys = match args {
                        Some(args) => vec![crate::changes::overload_key(&name.key, args)],
                        None => self.overloads(&name.key),
                    };
                    for k in keys {
                        self.functions.remove(&k);
                    }
                }
                K::CreateType {
                    name,
                    written,
                    labels,
                } => match labels {
                    Some(values) => {
                        self.other_types.remove(&name.key);
                        self.enums.insert(
                            name.key.clone(),
                            EnumType {
                                name: written.clone(),
                                values: values.clone(),
                            },
                        );
                    }
                    None => {
                        self.enums.remove(&name.key);
                        self.other_types.insert(name.key.clone());
                    }
                },
                K::AddEnumValue {
                    ty,
                    label,
                    if_not_exists,
                    position,
                } => {
                    if let Err(p) = self.add_enum_value(&ty.key, label, *if_not_exists, position) {
                        problems.push(p.to_string());
                    }
                }
                K::RenameEnumValue { ty, from, to } => {
                    if let Err(p) = self.rename_enum_value(&ty.key, from, to) {
                        problems.push(p.to_string());
                    }
                }
                K::CreateTrigger {
                    table,
                    name,
                    before_insert,
                } => {
                    self.triggers
                        .entry(table.key.clone())
                        .or_default()
                        .insert(name.key.clone(), *before_insert);
                }
                K::DropTrigger { name, table } => match table {
                    Some(t) => {
                        if let Some(on) = self.triggers.get_mut(&t.key) {
                            on.remove(&name.key);
                        }
                    }
                    // MySQL: trigger names are per schema.
                    None => {
                        for on in self.triggers.values_mut() {
                            on.remove(&name.key);
                        }
                    }
                },
                K::CreateView {
                    view,
                    written,
                    materialized,
                    if_not_exists,
                    columns,
                    sources,
                    query,
                    depends_on,
                } => {
                    let keep = *if_not_exists && self.views.contains_key(&view.key);
                    if !keep {
                        let types = if columns.as_ref().map(Vec::len) == Some(sources.len()) {
                            self.view_types(sources, depends_on)
                        } else {
                            Vec::new()
                        };
                        self.views.insert(
                            view.key.clone(),
                            View {
                                name: written.clone(),
                                materialized: *materialized,
                                columns: columns.clone(),
                                query: query.clone(),
                                depends_on: depends_on.clone(),
                                types,
                            },
                        );
                    }
                }
                // Other change values of these forms carry no schema change.
                _ => {}
            }
        }
        if !missing.is_empty() && !if_exists_all {
            problems.insert(
                0,
                format!("`{}` is not known to the model", missing.join("`, `")),
            );
        }
        for (_, names) in missing_columns {
            problems.push(format!("column `{}` is not known", names.join("`, `")));
        }
        outcome(problems)
    }

    /// Drops column `column` of the known table `table` with the constraints
    /// and indexes on it; `false` when the table has no such column.
    fn drop_column(&mut self, table: &str, column: &str) -> bool {
        let Some(t) = self.tables.get_mut(table) else {
            return false;
        };
        if t.remove_column(column).is_none() {
            return false;
        }
        t.constraints
            .retain(|c| !c.columns.iter().any(|k| k == column));
        for k in self.index_keys_of(table) {
            if self
                .indexes
                .get(&k)
                .is_some_and(|i| i.columns.iter().any(|c| c == column))
            {
                self.remove_index(&k);
            }
        }
        true
    }

    /// `ALTER COLUMN .. SET | DROP NOT NULL`, `SET | DROP DEFAULT`, `TYPE` on a
    /// known table.
    fn alter_column(&mut self, table: &str, kind: &ChangeKind) -> Result<(), Unfollowed> {
        use ChangeKind as K;
        let (K::SetNotNull { column, .. }
        | K::DropNotNull { column, .. }
        | K::SetDefault { column, .. }
        | K::DropDefault { column, .. }
        | K::ChangeType { column, .. }
        | K::AddIdentity { column, .. }) = kind
        else {
            return Ok(());
        };
        let new_type = match kind {
            K::ChangeType {
                data_type: Some(t), ..
            } => Some(self.shared(&Arc::new(t.clone()))),
            _ => None,
        };
        let t = self.table_mut(table)?;
        let known = t.columns_known;
        let Some(col) = t.column_mut(&column.key) else {
            return if known {
                Err(format!("column `{}` is not known", column.display).into())
            } else {
                Ok(())
            };
        };
        match kind {
            K::SetNotNull { .. } => col.nullable = false,
            K::DropNotNull { .. } => col.nullable = true,
            K::SetDefault { value, .. } => col.default = value.as_deref().map(Box::from),
            K::DropDefault { .. } => col.default = None,
            K::ChangeType { .. } => {
                if let Some(t) = new_type {
                    col.data_type = t;
                }
            }
            K::AddIdentity { .. } => {
                col.generated = Some(Generated::Identity);
                col.nullable = false;
            }
            _ => {}
        }
        Ok(())
    }

    /// Drops table `key` (with its indexes and triggers; with `cascade`, the views
    /// built on it and the foreign keys to it); `false` when it is not known.
    fn drop_table(&mut self, key: &str, cascade: bool) -> bool {
        if self.tables.remove(key).is_none() {
            return false;
        }
        for k in self.index_keys_of(key) {
            self.remove_index(&k);
        }
        self.triggers.remove(key);
        let referrers = self.referrers.remove(key).unwrap_or_default();
        if cascade {
            self.drop_dependent_views(key);
            for r in referrers {
                if let Some(t) = self.tables.get_mut(&r) {
                    t.constraints.retain(|c| {
                        !matches!(&c.kind, ConstraintKind::ForeignKey { table, .. } if *table == key)
                    });
                }
            }
        } else if !referrers.is_empty() {
            self.referrers.insert(key.to_string(), referrers);
        }
        true
    }

    /// `ALTER TYPE .. ADD VALUE`.
    fn add_enum_value(
        &mut self,
        key: &str,
        label: &str,
        if_not_exists: bool,
        position: &Option<LabelPosition>,
    ) -> Result<(), Unfollowed> {
        let Some(enum_type) = self.enums.get_mut(key) else {
            return Err(format!("type `{key}` is not a known enum type").into());
        };
        if enum_type.values.iter().any(|v| v == label) {
            return if if_not_exists {
                Ok(())
            } else {
                Err(format!("enum value '{label}' already exists").into())
            };
        }
        let at = match position {
            None => Ok(enum_type.values.len()),
            Some(LabelPosition::Before(n)) => enum_type.values.iter().position(|v| v == n).ok_or(n),
            Some(LabelPosition::After(n)) => enum_type
                .values
                .iter()
                .position(|v| v == n)
                .map(|i| i + 1)
                .ok_or(n),
        };
        match at {
            Ok(i) => {
                enum_type.values.insert(i, label.to_string());
                Ok(())
            }
            Err(n) => {
                enum_type.values.push(label.to_string());
                Err(format!("enum value '{n}' is not known").into())
            }
        }
    }

    /// `ALTER TYPE .. RENAME VALUE`.
    fn rename_enum_value(&mut self, key: &str, from: &str, to: &str) -> Result<(), Unfollowed> {
        let Some(enum_type) = self.enums.get_mut(key) else {
            return Err(format!("type `{key}` is not a known enum type").into());
        };
        match enum_type.values.iter_mut().find(|v| *v == from) {
            Some(v) => {
                *v = to.to_string();
                self.renames.push(Rename {
                    kind: RenameKind::EnumValue,
                    parent: Some(key.to_string()),
                    from: from.to_string(),
                    to: to.to_string(),
                });
                Ok(())
            }
            None => Err(format!("enum value '{from}' is not known").into()),
        }
    }

    // ----- CREATE -------------------------------------------------------------------------

    /// `CREATE TABLE`, from its change value; returns the problems met.
    fn create_table(
        &mut self,
        name: &Name,
        temporary: bool,
        columns: &[(Name, crate::changes::ColumnSpec)],
        def: &TableDefinition,
    ) -> Problems {
        let key = &name.key;
        let dialect = self.dialect;
        let mut problems = Problems::new();
        if def.if_not_exists && self.tables.contains_key(key) {
            return problems;
        }
        // A replaced table loses the indexes of its predecessor.
        for k in self.index_keys_of(key) {
            self.remove_index(&k);
        }
        let mut table = Table::new(def.written.clone(), key.clone());
        table.temporary = temporary;
        if let Some(from) = &def.copy_from {
            match self.tables.get(&from.source.key) {
                Some(src) => {
                    table.columns_known = src.columns_known;
                    // MySQL's LIKE copies the whole definition; Postgres copies defaults only
                    // with INCLUDING DEFAULTS (a partition always inherits them).
                    let keep_defaults = from.with_defaults || dialect == Dialect::Mysql;
                    for c in src.columns() {
                        let mut c = c.clone();
                        if !keep_defaults {
                            c.default = None;
                        }
                        table.insert_column(c, None);
                    }
                    if dialect == Dialect::Mysql || from.partition {
                        table.constraints = src.constraints.clone();
                    }
                }
                None => {
                    table.columns_known = false;
                    problems.push(format!("source table `{}` is not known", from.written));
                }
            }
        }
        if def.columns_unknown {
            // CREATE TABLE .. AS SELECT: the columns come from a query the model does not type.
            table.columns_known = false;
        }
        for (_, spec) in columns {
            if let Some(d) = &spec.definition {
                table.insert_column(self.share_type(d.column.clone()), None);
                table.constraints.extend(d.constraints.iter().cloned());
            }
        }
        for item in &def.items {
            if let Err(p) = self.add_constraint(&mut table, item, dialect) {
                problems.push(p.to_string());
            }
        }
        apply_primary_key_nullability(&mut table, dialect);
        self.tables.insert(key.clone(), table);
        self.note_references(key);
        problems
    }

    /// The type of a view's output column, from where it comes.
    fn source_type(&self, source: &ColumnSource, depends_on: &[String]) -> Option<DataType> {
        let of = |relation: &str, column: &str| -> Option<DataType> {
            if let Some(t) = self.tables.get(relation) {
                return t.column(column).map(|c| (*c.data_type).clone());
            }
            let v = self.views.get(relation)?;
            let i = v.columns.as_ref()?.iter().position(|c| c == column)?;
            v.types.get(i).cloned().flatten()
        };
        match source {
            ColumnSource::Cast(t) => Some(t.clone()),
            ColumnSource::Column {
                relation: Some(r),
                column,
            } => of(r, column),
            ColumnSource::Column {
                relation: None,
                column,
            } => {
                let found: Vec<DataType> =
                    depends_on.iter().filter_map(|r| of(r, column)).collect();
                match found.as_slice() {
                    [t] => Some(t.clone()),
                    _ => None,
                }
            }
            ColumnSource::Unknown => None,
        }
    }

    /// The types of a view's output columns (empty when not known for each).
    fn view_types(&self, sources: &[ColumnSource], depends_on: &[String]) -> Vec<Option<DataType>> {
        sources
            .iter()
            .map(|s| self.source_type(s, depends_on))
            .collect()
    }

    /// `CREATE INDEX`, from its change value.
    fn create_index(
        &mut self,
        table: &Name,
        index: Option<&Name>,
        def: &IndexDefinition,
    ) -> Result<(), Unfollowed> {
        let table = &table.key;
        let columns = def.columns.clone();
        let (name, name_key) = match (index, &def.written) {
            (Some(n), Some(written)) => (written.clone(), n.key.clone()),
            _ => {
                // Postgres names an unnamed index `<table>_<col>[_<col>..]_idx`.
                let mut generated = crate::names::bare(table).to_string();
                for c in &columns {
                    generated.push('_');
                    generated.push_str(c);
                }
                generated.push_str("_idx");
                (generated.clone(), generated)
            }
        };
        let key = index_key(table, &name_key, self.dialect);
        if def.if_not_exists && self.indexes.contains_key(&key) {
            return Ok(());
        }
        let known = self.tables.contains_key(table) || self.views.contains_key(table);
        self.insert_index(
            key,
            Index {
                name: name.into(),
                table: table.as_str().into(),
                columns: columns.into(),
                unique: def.unique,
                predicate: def.predicate.as_deref().map(Into::into),
            },
        );
        if known {
            Ok(())
        } else {
            Err(format!("index on unknown table `{table}`").into())
        }
    }

    /// Adds a table constraint (or, for MySQL `KEY`/`INDEX`, an index) to `table`.
    fn add_constraint(
        &mut self,
        table: &mut Table,
        item: &TableItem,
        dialect: Dialect,
    ) -> Result<(), Unfollowed> {
        let constraint = match item {
            TableItem::Constraint(c) => c.clone(),
            TableItem::Index { name, columns } => {
                self.add_inline_index(table, name.as_ref(), columns.clone(), dialect);
                return Ok(());
            }
            TableItem::UsingIndex {
                name,
                index,
                primary,
            } => {
                // Postgres: the index becomes the constraint's index (and takes its name).
                let index_key = index_key(&table.key, &index.key, dialect);
                let Some(found) = self.remove_index(&index_key) else {
                    return Err(format!("index `{}` is not known", index.display).into());
                };
                Constraint {
                    name: Some(name.display.clone()),
                    key: Some(name.key.clone()),
                    kind: if *primary {
                        ConstraintKind::PrimaryKey
                    } else {
                        ConstraintKind::Unique
                    },
                    columns: found.columns.into_vec(),
                }
            }
        };
        if constraint.kind == ConstraintKind::PrimaryKey {
            table
                .constraints
                .retain(|c| c.kind != ConstraintKind::PrimaryKey);
        }
        table.constraints.push(constraint);
        apply_primary_key_nullability(table, dialect);
        Ok(())
    }

    /// MySQL `KEY name (cols)` inside `CREATE`/`ALTER TABLE`; an unnamed one takes the name of
    /// its first column, as MySQL does.
    fn add_inline_index(
        &mut self,
        table: &Table,
        name: Option<&Name>,
        columns: Vec<String>,
        dialect: Dialect,
    ) {
        let (display, key) = match name {
            Some(n) => (n.display.clone(), n.key.clone()),
            None => {
                let first = columns.first().cloned().unwrap_or_default();
                (first.clone(), first)
            }
        };
        self.insert_index(
            index_key(&table.key, &key, dialect),
            Index {
                name: display.into(),
                table: table.key.as_str().into(),
                columns: columns.into(),
                unique: false,
                predicate: None,
            },
        );
    }

    // ----- ALTER TABLE ----------------------------------------------------------------------

    /// `ALTER TABLE .. ADD` of a constraint, or of a MySQL index or an
    /// `EXCLUDE`, on the known table `key`.
    fn add_table_item(&mut self, key: &str, item: &TableItem) -> Result<(), Unfollowed> {
        let dialect = self.dialect;
        let mut table = self
            .tables
            .remove(key)
            .ok_or_else(|| format!("table `{key}` is not known"))?;
        let result = self.add_constraint(&mut table, item, dialect);
        self.tables.insert(key.to_string(), table);
        self.note_references(key);
        result
    }

    /// `ALTER TABLE .. DROP CONSTRAINT | PRIMARY KEY | FOREIGN KEY | INDEX` on
    /// the known table `key`.
    fn drop_constraint(&mut self, key: &str, what: &DroppedConstraint) -> Result<(), Unfollowed> {
        let dialect = self.dialect;
        let table = self.table_mut(key)?;
        let before = table.constraints.len();
        match what {
            DroppedConstraint::PrimaryKey => {
                table
                    .constraints
                    .retain(|c| c.kind != ConstraintKind::PrimaryKey);
                Ok(())
            }
            DroppedConstraint::ForeignKey(name) => {
                table
                    .constraints
                    .retain(|c| c.key.as_deref() != Some(name.key.as_str()));
                Ok(())
            }
            DroppedConstraint::Named { name, if_exists } => {
                table
                    .constraints
                    .retain(|c| c.key.as_deref() != Some(name.key.as_str()));
                if table.constraints.len() < before || *if_exists {
                    return Ok(());
                }
                // MySQL: DROP CONSTRAINT may name an index.
                if self
                    .remove_index(&index_key(key, &name.key, dialect))
                    .is_some()
                {
                    return Ok(());
                }
                Err(format!("constraint `{}` is not known", name.display).into())
            }
            DroppedConstraint::Index(name) => {
                table
                    .constraints
                    .retain(|c| c.key.as_deref() != Some(name.key.as_str()));
                let dropped = table.constraints.len() < before;
                let removed = self
                    .remove_index(&index_key(key, &name.key, dialect))
                    .is_some();
                if removed || dropped {
                    Ok(())
                } else {
                    Err(format!("index `{}` is not known", name.display).into())
                }
            }
        }
    }

    /// `ALTER TABLE .. RENAME CONSTRAINT` on the known table `key`.
    fn rename_constraint(&mut self, key: &str, from: &Name, to: &Name) -> Result<(), Unfollowed> {
        let table = self.table_mut(key)?;
        match table
            .constraints
            .iter_mut()
            .find(|c| c.key.as_deref() == Some(from.key.as_str()))
        {
            Some(c) => {
                c.name = Some(to.display.clone());
                c.key = Some(to.key.clone());
                Ok(())
            }
            None => Err(format!("constraint `{}` is not known", from.display).into()),
        }
    }

    fn table_mut(&mut self, key: &str) -> Result<&mut Table, Unfollowed> {
        self.tables
            .get_mut(key)
            .ok_or_else(|| format!("table `{key}` is not known").into())
    }

    /// `ADD COLUMN` on the known table `key`.
    fn add_column(&mut self, key: &str, def: &ColumnDefinition) -> Result<(), Unfollowed> {
        let dialect = self.dialect;
        let column = self.share_type(def.column.clone());
        let table = self.table_mut(key)?;
        if table.has_column(&def.column.key) {
            if def.if_not_exists {
                return Ok(());
            }
            return Err(format!("column `{}` already exists", def.column.name).into());
        }
        let at = position(table, def.position.as_ref());
        table.insert_column(column, at);
        table.constraints.extend(def.constraints.iter().cloned());
        apply_primary_key_nullability(table, dialect);
        self.note_references(key);
        Ok(())
    }

    /// MySQL `CHANGE`/`MODIFY`: the column is redefined from scratch (nullability and default
    /// not restated are lost, as in MySQL).
    fn redefine_column(&mut self, key: &str, def: &ColumnDefinition) -> Result<(), Unfollowed> {
        let dialect = self.dialect;
        let column = self.share_type(def.column.clone());
        let table = self.table_mut(key)?;
        let Some(old_at) = table.position(&column.key) else {
            return if table.columns_known {
                Err(format!("column `{}` is not known", column.name).into())
            } else {
                Ok(())
            };
        };
        let col_key = column.key.clone();
        table.insert_column(column, Some(old_at));
        if let Some(at) = position(table, def.position.as_ref()) {
            // `AFTER x` counts positions with the moved column still in place.
            let at = if at > old_at { at - 1 } else { at };
            table.move_column(&col_key, at);
        }
        table.constraints.extend(def.constraints.iter().cloned());
        apply_primary_key_nullability(table, dialect);
        self.note_references(key);
        Ok(())
    }

    fn rename_column(&mut self, table_key: &str, old: &Name, new: &Name) -> Result<(), Unfollowed> {
        let (old_key, new_key) = (old.key.clone(), new.key.clone());
        let table = self.table_mut(table_key)?;
        let Some(column) = table.column_mut(&old_key) else {
            return if table.columns_known {
                Err(format!("column `{}` is not known", old.display).into())
            } else {
                Ok(())
            };
        };
        column.name = new.display.as_str().into();
        column.key = new_key.as_str().into();
        table.rekey(&old_key, &new_key);
        let swap = |cols: &mut [String]| {
            for c in cols.iter_mut() {
                if *c == old_key {
                    *c = new_key.clone();
                }
            }
        };
        for c in &mut table.constraints {
            swap(&mut c.columns);
        }
        for k in self.index_keys_of(table_key) {
            if let Some(i) = self.indexes.get_mut(&k) {
                swap(&mut i.columns);
            }
        }
        for referrer in self.referrers_of(table_key) {
            let Some(t) = self.tables.get_mut(&referrer) else {
                continue;
            };
            for c in &mut t.constraints {
                if let ConstraintKind::ForeignKey { table, columns } = &mut c.kind {
                    if table == table_key {
                        swap(columns);
                    }
                }
            }
        }
        self.renames.push(Rename {
            kind: RenameKind::Column,
            parent: Some(table_key.to_string()),
            from: old_key,
            to: new_key,
        });
        Ok(())
    }

    /// Renames a table (or a view) to the key `to`, shown as `written`.
    fn rename_relation_to(
        &mut self,
        from: &str,
        to: String,
        written: String,
        dialect: Dialect,
    ) -> Result<String, Unfollowed> {
        if let Some(mut table) = self.tables.remove(from) {
            table.name = written;
            table.key = to.clone();
            self.tables.insert(to.clone(), table);
            let per_table = matches!(dialect, Dialect::Mysql | Dialect::Mssql);
            for k in self.index_keys_of(from) {
                if let Some(mut i) = self.remove_index(&k) {
                    i.table = to.as_str().into();
                    // Per-table index keys (MySQL, SQL Server) follow the table.
                    let k = if per_table {
                        index_key(&to, k.get(from.len() + 1..).unwrap_or_default(), dialect)
                    } else {
                        k
                    };
                    self.insert_index(k, i);
                }
            }
            let mut referrers = self.referrers_of(from);
            referrers.push(to.clone());
            for referrer in &referrers {
                let Some(t) = self.tables.get_mut(referrer) else {
                    continue;
                };
                for c in &mut t.constraints {
                    if let ConstraintKind::ForeignKey { table, .. } = &mut c.kind {
                        if table == from {
                            *table = to.clone();
                        }
                    }
                }
            }
            if let Some(set) = self.referrers.remove(from) {
                self.referrers.entry(to.clone()).or_default().extend(set);
            }
            self.note_references(&to);
            self.retarget_views(from, &to);
            if let Some(t) = self.triggers.remove(from) {
                self.triggers.insert(to.clone(), t);
            }
            self.renames.push(Rename {
                kind: RenameKind::Table,
                parent: None,
                from: from.to_string(),
                to: to.clone(),
            });
            Ok(to)
        } else if let Some(mut view) = self.views.remove(from) {
            view.name = written;
            self.views.insert(to.clone(), view);
            self.retarget_views(from, &to);
            self.renames.push(Rename {
                kind: RenameKind::View,
                parent: None,
                from: from.to_string(),
                to: to.clone(),
            });
            Ok(to)
        } else {
            Err(format!("table `{from}` is not known").into())
        }
    }

    /// Views name relations by identity, not by name: a renamed relation stays their source.
    fn retarget_views(&mut self, from: &str, to: &str) {
        for v in self.views.values_mut() {
            if v.depends_on.iter().any(|d| d == from) {
                for d in v.depends_on.iter_mut() {
                    if d == from {
                        *d = to.to_string();
                    }
                }
                v.depends_on.sort();
                v.depends_on.dedup();
            }
        }
    }

    /// Drops the views that depend on `relation`, and the views that depend on those.
    fn drop_dependent_views(&mut self, relation: &str) {
        let mut pending = vec![relation.to_string()];
        while let Some(r) = pending.pop() {
            let dependents: Vec<String> = self
                .views
                .iter()
                .filter(|(_, v)| v.depends_on.contains(&r))
                .map(|(k, _)| k.clone())
                .collect();
            for k in dependents {
                self.views.remove(&k);
                pending.push(k);
            }
        }
    }

    /// `ALTER INDEX .. RENAME TO`: index `from` is now `to`, shown as `written`.
    fn rename_index(&mut self, from: &str, to: String, written: &str) -> Result<(), Unfollowed> {
        let Some(mut index) = self.remove_index(from) else {
            return Err(format!("index `{from}` is not known").into());
        };
        index.name = written.into();
        self.insert_index(to.clone(), index);
        self.renames.push(Rename {
            kind: RenameKind::Index,
            parent: None,
            from: from.to_string(),
            to,
        });
        Ok(())
    }

    fn rename_view_column(&mut self, view: &str, old: &Name, new: &Name) {
        if let Some(columns) = self.views.get_mut(view).and_then(|v| v.columns.as_mut()) {
            let (old_key, new_key) = (old.key.clone(), new.key.clone());
            for c in columns.iter_mut() {
                if *c == old_key {
                    *c = new_key.clone();
                }
            }
            self.renames.push(Rename {
                kind: RenameKind::Column,
                parent: Some(view.to_string()),
                from: old_key,
                to: new_key,
            });
        }
    }

    // ----- ALTER VIEW / TYPE ----------------------------------------------------------------

    /// `ALTER [MATERIALIZED] VIEW`, from its change value.
    fn alter_view(
        &mut self,
        view: &Name,
        if_exists: bool,
        materialized: bool,
        change: &ViewChange,
    ) -> Result<(), Unfollowed> {
        let key = &view.key;
        if !self.views.contains_key(key) {
            if if_exists {
                return Ok(());
            }
            return Err(format!("view `{key}` is not known to the model").into());
        }
        match change {
            ViewChange::RenameTo {
                to,
                written,
                qualified,
            } => {
                // An unqualified new name stays in the old name's schema.
                let to_key = match (key.rsplit_once('.'), qualified) {
                    (Some((schema, _)), false) => format!("{schema}.{}", to.key),
                    _ => to.key.clone(),
                };
                self.rename_relation_to(key, to_key, written.clone(), self.dialect)
                    .map(|_| ())
            }
            ViewChange::RenameColumn { from, to } => {
                self.rename_view_column(key, from, to);
                Ok(())
            }
            ViewChange::Redefine(def) => {
                let types = if def.columns.as_ref().map(Vec::len) == Some(def.sources.len()) {
                    self.view_types(&def.sources, &def.depends_on)
                } else {
                    Vec::new()
                };
                self.views.insert(
                    key.clone(),
                    View {
                        name: def.written.clone(),
                        materialized,
                        columns: def.columns.clone(),
                        query: def.query.clone(),
                        depends_on: def.depends_on.clone(),
                        types,
                    },
                );
                Ok(())
            }
            ViewChange::SetSchema => Err("ALTER VIEW .. SET SCHEMA is not modelled".into()),
            ViewChange::Other => Ok(()),
        }
    }

    /// `ALTER TYPE .. RENAME TO`: type `key` is now `to`, written `new_name`.
    fn rename_type(
        &mut self,
        key: &str,
        to: &str,
        new_name: &ObjectName,
    ) -> Result<(), Unfollowed> {
        let dialect = self.dialect;
        if self.other_types.remove(key) {
            self.other_types.insert(to.to_string());
        } else {
            let Some(mut e) = self.enums.remove(key) else {
                return Err(format!("type `{key}` is not a known enum type").into());
            };
            e.name = new_name.to_string();
            self.enums.insert(to.to_string(), e);
            // Columns of the type now name it by its new name.
            for t in self.tables.values_mut() {
                for c in &mut t.columns {
                    if let DataType::Custom(n, m) = &*c.data_type {
                        if object_key(n, dialect) == key {
                            c.data_type = Arc::new(DataType::Custom(new_name.clone(), m.clone()));
                        }
                    }
                }
            }
        }
        self.renames.push(Rename {
            kind: RenameKind::Type,
            parent: None,
            from: key.to_string(),
            to: to.to_string(),
        });
        Ok(())
    }

    /// `DROP SCHEMA`: drops the relations, types, sequences, triggers and
    /// indexes of schema `key`.
    fn drop_schema(&mut self, key: &str) {
        let prefix = format!("{key}.");
        let keep = |k: &str| !k.starts_with(&prefix);
        self.tables.retain(|k, _| keep(k));
        self.triggers.retain(|k, _| keep(k));
        self.views.retain(|k, _| keep(k));
        self.enums.retain(|k, _| keep(k));
        self.sequences.retain(|k, _| keep(k));
        let gone: Vec<String> = self
            .indexes
            .iter()
            .filter(|(k, i)| !k.starts_with(&prefix) || !keep(&i.table))
            .map(|(k, _)| k.to_string())
            .collect();
        for k in gone {
            self.remove_index(&k);
        }
    }
}

// ----- helpers --------------------------------------------------------------------------------

/// Columns named by a primary key are NOT NULL (Postgres, MySQL, SQL Server; in SQLite only
/// an `INTEGER PRIMARY KEY`, which is the rowid).
fn apply_primary_key_nullability(table: &mut Table, dialect: Dialect) {
    let pk_columns: Vec<String> = table
        .constraints
        .iter()
        .filter(|c| c.kind == ConstraintKind::PrimaryKey)
        .flat_map(|c| c.columns.iter().cloned())
        .collect();
    for key in pk_columns {
        if let Some(c) = table.column_mut(&key) {
            if crate::changes::primary_key_implies_not_null(&c.data_type, dialect) {
                c.nullable = false;
            }
        }
    }
}

/// The lower-cased last part of a name.
pub(super) fn last_part(name: &ObjectName) -> Option<String> {
    match name.0.last()? {
        ObjectNamePart::Identifier(i) => Some(i.value.to_lowercase()),
        other => Some(other.to_string().to_lowercase()),
    }
}

/// The map key of an index: per schema on Postgres/SQLite/generic (an unqualified index
/// lives in its table's schema), per table on MySQL and SQL Server.
fn index_key(table: &str, name: &str, dialect: Dialect) -> String {
    match dialect {
        Dialect::Mysql | Dialect::Mssql => format!("{table}.{}", crate::names::bare(name)),
        _ => match (table.rsplit_once('.'), name.contains('.')) {
            (Some((schema, _)), false) => format!("{schema}.{name}"),
            _ => name.to_string(),
        },
    }
}

/// Where `FIRST`/`AFTER x` puts a column (None: at the end, or unchanged for MODIFY).
fn position(table: &Table, pos: Option<&ColumnPosition>) -> Option<usize> {
    match pos? {
        ColumnPosition::First => Some(0),
        ColumnPosition::After(after) => table.position(after).map(|i| i + 1),
    }
}

/// The table an `ALTER TABLE` names, and whether with `IF EXISTS`.
#[derive(Debug, Clone)]
struct Alter {
    table: String,
    if_exists: bool,
}

/// Whether a statement is an `ALTER TABLE`: its table's key and `IF EXISTS`.
fn alter_of(stmt: &Statement, dialect: Dialect) -> Option<Alter> {
    match stmt {
        Statement::AlterTable(at) => Some(Alter {
            table: object_key(&at.name, dialect),
            if_exists: at.if_exists,
        }),
        _ => None,
    }
}

/// The table of an `ALTER TABLE` change to a table's columns or constraints.
fn alter_table_of(kind: &ChangeKind) -> Option<&Name> {
    use ChangeKind as K;
    match kind {
        K::DropColumn { table, .. }
        | K::RenameColumn { table, .. }
        | K::SetNotNull { table, .. }
        | K::DropNotNull { table, .. }
        | K::SetDefault { table, .. }
        | K::DropDefault { table, .. }
        | K::ChangeType { table, .. }
        | K::AddColumn { table, .. }
        | K::AddIdentity { table, .. }
        | K::AddConstraint {
            table,
            definition: Some(_),
            ..
        }
        | K::AddTableItem { table, .. }
        | K::DropConstraint { table, .. }
        | K::RenameConstraint { table, .. } => Some(table),
        _ => None,
    }
}

/// Statements that never change the schema.
fn is_irrelevant(stmt: &Statement) -> bool {
    matches!(
        stmt,
        Statement::Query(_)
            | Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Merge(_)
            | Statement::Truncate(_)
            | Statement::Copy { .. }
            | Statement::Set(_)
            | Statement::StartTransaction { .. }
            | Statement::Commit { .. }
            | Statement::Rollback { .. }
            | Statement::Savepoint { .. }
            | Statement::ReleaseSavepoint { .. }
            | Statement::Grant(_)
            | Statement::Revoke(_)
            | Statement::GrantRole(_)
            | Statement::RevokeRole(_)
            | Statement::Deny(_)
            | Statement::AlterDefaultPrivileges(_)
            | Statement::Comment { .. }
            | Statement::AlterFunction(_)
            | Statement::CreateProcedure { .. }
            | Statement::DropProcedure { .. }
            | Statement::AlterTrigger(_)
            | Statement::CreateExtension(_)
            | Statement::DropExtension(_)
            | Statement::CreateSchema { .. }
            | Statement::CreateDatabase { .. }
            | Statement::CreateRole(_)
            | Statement::AlterRole { .. }
            | Statement::CreateUser(_)
            | Statement::AlterUser(_)
            | Statement::CreatePolicy(_)
            | Statement::DropPolicy(_)
            | Statement::AlterPolicy(_)
            | Statement::CreateRule(_)
            | Statement::DropRule(_)
            | Statement::Analyze(_)
            | Statement::Vacuum(_)
            | Statement::Call(_)
            | Statement::Pragma { .. }
            | Statement::Use(_)
            | Statement::Lock(_)
            | Statement::LockTables { .. }
            | Statement::UnlockTables
            | Statement::Discard { .. }
            | Statement::Declare { .. }
            | Statement::Explain { .. }
            | Statement::ExplainTable { .. }
            | Statement::Prepare { .. }
            | Statement::Deallocate { .. }
            | Statement::NOTIFY { .. }
            | Statement::LISTEN { .. }
            | Statement::UNLISTEN { .. }
            | Statement::Reset(_)
            | Statement::RefreshMaterializedView(_)
            | Statement::Fetch { .. }
            | Statement::Close { .. }
            | Statement::Open(_)
            | Statement::Print(_)
            | Statement::Return(_)
            | Statement::Kill { .. }
            | Statement::Flush { .. }
            | Statement::OptimizeTable { .. }
            | Statement::ShowVariable { .. }
            | Statement::ShowTables { .. }
            | Statement::ShowColumns { .. }
            | Statement::ShowCreate { .. }
    )
}

/// The first two words of a statement, for "not modelled" reasons.
fn leading_words(stmt: &Statement) -> String {
    leading_words_of(&stmt.to_string())
}

fn leading_words_of(text: &str) -> String {
    text.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}
