//! Schema delta for `schema-diff`: what changed between two schemas, classified as *expand*
//! (stable keeps working) or *contract* (stable breaks while it still runs beside the canary).
//!
//! Renames are recognised from the rename log ([`Schema::renames`]) when the new schema was
//! replayed from the same history as the old one plus more migrations: the renames logged after
//! the history the two share are the renames of the delta. Two unrelated schemas (or a rename
//! done by drop and add) show a dropped object and an added one.

use super::{
    type_change, Column, Constraint, ConstraintKind, RenameKind, Schema, Table, TypeChange,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Whether a change keeps stable working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeltaKind {
    /// Safe while stable runs: new objects, nullable or defaulted columns, widenings, new
    /// enum values, loosened constraints.
    Expand,
    /// Breaks stable: dropped or renamed objects, narrowing or family changes, a column that
    /// became NOT NULL, new constraints stable's writes may violate, removed enum values.
    Contract,
}

/// The kind of object a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    Table,
    Column,
    Constraint,
    Index,
    Enum,
    View,
    Sequence,
    /// A user type that is not an enum (composite, range, domain, base type).
    Type,
    Function,
}

/// One change of the delta.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SchemaChange {
    /// The object's key: `table`, `table.column`, an index, type, view or sequence key.
    pub object: String,
    pub object_kind: ObjectKind,
    pub kind: DeltaKind,
    /// What changed and, for a contract, why it breaks stable.
    pub description: String,
}

/// The delta from `old` to `new`, sorted by object, object kind, kind and description.
pub fn diff(old: &Schema, new: &Schema) -> Vec<SchemaChange> {
    diff_in(old, new, new)
}

/// [`diff`] of a release whose schemas hold only the objects it touched:
/// `running` is the whole schema after it (history included), for the facts of
/// objects the release did not touch (the primary key a foreign key's target
/// has, the history's renames), so that the delta judges them as the rules do.
pub fn diff_in(old: &Schema, new: &Schema, running: &Schema) -> Vec<SchemaChange> {
    let origins = Origins::of(old, new);
    let mut out = Vec::new();
    diff_tables(old, new, running, &origins, &mut out);
    diff_indexes(old, new, &origins, &mut out);
    diff_enums(old, new, &origins, &mut out);
    diff_views(old, new, &origins, &mut out);
    diff_sequences(old, new, &origins, &mut out);
    diff_other_types(old, new, &origins, &mut out);
    diff_functions(old, new, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The entries of [`diff`] about user types and sequences only (enum types, other
/// types, sequences), in the same order: what the release steps read from the delta
/// (`crate::rules::ReleaseCx::delta`). Tables, columns, indexes, views and functions
/// are judged from the two schemas themselves, so `check`, which prints no delta,
/// does not build their entries.
pub fn diff_types(old: &Schema, new: &Schema) -> Vec<SchemaChange> {
    let mut out = Vec::new();
    if old.enums.is_empty()
        && new.enums.is_empty()
        && old.other_types.is_empty()
        && new.other_types.is_empty()
        && old.sequences.is_empty()
        && new.sequences.is_empty()
    {
        return out;
    }
    let origins = Origins::of(old, new);
    diff_enums(old, new, &origins, &mut out);
    diff_sequences(old, new, &origins, &mut out);
    diff_other_types(old, new, &origins, &mut out);
    out.sort();
    out.dedup();
    out
}

fn push(
    out: &mut Vec<SchemaChange>,
    kind: DeltaKind,
    object_kind: ObjectKind,
    object: impl Into<String>,
    description: impl Into<String>,
) {
    out.push(SchemaChange {
        object: object.into(),
        object_kind,
        kind,
        description: description.into(),
    });
}

/// Where each renamed object of `new` came from in `old`.
#[derive(Default)]
struct Origins {
    /// New key to old key, per rename kind (tables, views, indexes, types, sequences).
    objects: BTreeMap<(RenameKind, String), String>,
    /// (new table key, new column key) to old column key.
    columns: BTreeMap<(String, String), String>,
    /// (new type key, new label) to old label.
    values: BTreeMap<(String, String), String>,
    /// The old keys that were renamed away, per map above, for O(log n) "is this key the
    /// source of a rename" checks.
    object_sources: BTreeSet<(RenameKind, String)>,
    column_sources: BTreeSet<(String, String)>,
    value_sources: BTreeSet<(String, String)>,
    /// Old table key to new table key, for renamed tables.
    table_successor: BTreeMap<String, String>,
}

impl Origins {
    fn of(old: &Schema, new: &Schema) -> Origins {
        let shared = old
            .renames
            .iter()
            .zip(&new.renames)
            .take_while(|(a, b)| a == b)
            .count();
        if shared < old.renames.len() {
            // Not the same history: no rename can be trusted.
            return Origins::default();
        }
        let mut o = Origins::default();
        for r in new.renames.get(shared..).unwrap_or_default() {
            match r.kind {
                RenameKind::Column => {
                    let parent = r.parent.clone().unwrap_or_default();
                    let origin = o
                        .columns
                        .remove(&(parent.clone(), r.from.clone()))
                        .unwrap_or_else(|| r.from.clone());
                    o.columns.insert((parent, r.to.clone()), origin);
                }
                RenameKind::EnumValue => {
                    let parent = r.parent.clone().unwrap_or_default();
                    let origin = o
                        .values
                        .remove(&(parent.clone(), r.from.clone()))
                        .unwrap_or_else(|| r.from.clone());
                    o.values.insert((parent, r.to.clone()), origin);
                }
                kind => {
                    let origin = o
                        .objects
                        .remove(&(kind, r.from.clone()))
                        .unwrap_or_else(|| r.from.clone());
                    o.objects.insert((kind, r.to.clone()), origin);
                    // Children follow their parent's new key.
                    let children = match kind {
                        RenameKind::Table | RenameKind::View => Some(&mut o.columns),
                        RenameKind::Type => Some(&mut o.values),
                        _ => None,
                    };
                    if let Some(children) = children {
                        let moved: Vec<_> = children
                            .range((r.from.clone(), String::new())..)
                            .take_while(|((p, _), _)| *p == r.from)
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        for ((_, child), origin) in moved {
                            children.remove(&(r.from.clone(), child.clone()));
                            children.insert((r.to.clone(), child), origin);
                        }
                    }
                }
            }
        }
        o.keep_known_origins(old);
        o.forget_reused_names(new);
        o.object_sources = o
            .objects
            .iter()
            .map(|((k, _), origin)| (*k, origin.clone()))
            .collect();
        o.column_sources = o
            .columns
            .iter()
            .map(|((t, _), origin)| (t.clone(), origin.clone()))
            .collect();
        o.value_sources = o
            .values
            .iter()
            .map(|((t, _), origin)| (t.clone(), origin.clone()))
            .collect();
        o.table_successor = o
            .objects
            .iter()
            .filter(|((k, _), _)| *k == RenameKind::Table)
            .map(|((_, new), origin)| (origin.clone(), new.clone()))
            .collect();
        o
    }

    /// Forgets rename chains that started inside the delta (an object created and then
    /// renamed, as in SQLite's create-copy-drop-rename table rebuild): the object is then
    /// compared under its final key, like any other.
    fn keep_known_origins(&mut self, old: &Schema) {
        self.objects.retain(|(kind, _), origin| match kind {
            RenameKind::Table => old.tables.contains_key(origin),
            RenameKind::View => old.views.contains_key(origin),
            RenameKind::Index => old.indexes.contains_key(origin),
            RenameKind::Type => old.has_type(origin),
            RenameKind::Sequence => old.sequences.contains_key(origin),
            RenameKind::Column | RenameKind::EnumValue => false,
        });
        let objects = &self.objects;
        let parent_origin = |kind: RenameKind, key: &str| {
            objects
                .get(&(kind, key.to_string()))
                .cloned()
                .unwrap_or_else(|| key.to_string())
        };
        self.columns.retain(|(parent, _), origin| {
            let table = parent_origin(RenameKind::Table, parent);
            let view = parent_origin(RenameKind::View, parent);
            old.tables.get(&table).is_some_and(|t| t.has_column(origin))
                || old
                    .views
                    .get(&view)
                    .and_then(|v| v.columns.as_ref())
                    .is_some_and(|cs| cs.contains(origin))
        });
        self.values.retain(|(parent, _), origin| {
            old.enums
                .get(&parent_origin(RenameKind::Type, parent))
                .is_some_and(|e| e.values.contains(origin))
        });
    }

    /// Stable finds its objects by name: where the old name still names an object
    /// of the same kind in `new` (a table swapped in under the old name, a column
    /// re-added after its rename), stable's queries reach that object, so the two
    /// are compared by name and the rename is forgotten.
    fn forget_reused_names(&mut self, new: &Schema) {
        self.objects.retain(|(kind, _), origin| match kind {
            RenameKind::Table => !new.tables.contains_key(origin),
            RenameKind::View => !new.views.contains_key(origin),
            RenameKind::Index => !new.indexes.contains_key(origin),
            RenameKind::Type => !new.has_type(origin),
            RenameKind::Sequence => !new.sequences.contains_key(origin),
            RenameKind::Column | RenameKind::EnumValue => true,
        });
        self.columns.retain(|(parent, _), origin| {
            !new.tables.get(parent).is_some_and(|t| t.has_column(origin))
        });
        self.values.retain(|(parent, _), origin| {
            !new.enums
                .get(parent)
                .is_some_and(|e| e.values.contains(origin))
        });
    }

    /// The old key of a new object, and whether it was renamed. `None` when the key is the
    /// source of a rename and so names a different, new object.
    fn origin(&self, kind: RenameKind, key: &str) -> Option<(String, bool)> {
        match self.objects.get(&(kind, key.to_string())) {
            Some(o) => Some((o.clone(), o != key)),
            None if self.object_sources.contains(&(kind, key.to_string())) => None,
            None => Some((key.to_string(), false)),
        }
    }

    fn column_origin(&self, table: &str, column: &str) -> Option<(String, bool)> {
        let lookup = (table.to_string(), column.to_string());
        match self.columns.get(&lookup) {
            Some(o) => Some((o.clone(), o != column)),
            None if self.column_sources.contains(&lookup) => None,
            None => Some((column.to_string(), false)),
        }
    }

    fn value_origin(&self, ty: &str, value: &str) -> Option<(String, bool)> {
        let lookup = (ty.to_string(), value.to_string());
        match self.values.get(&lookup) {
            Some(o) => Some((o.clone(), o != value)),
            None if self.value_sources.contains(&lookup) => None,
            None => Some((value.to_string(), false)),
        }
    }
}

fn diff_tables(
    old: &Schema,
    new: &Schema,
    running: &Schema,
    origins: &Origins,
    out: &mut Vec<SchemaChange>,
) {
    use DeltaKind::*;
    let mut matched = BTreeSet::new();
    for (key, table) in new.tables.iter().filter(|(_, t)| !t.temporary) {
        let found = origins
            .origin(RenameKind::Table, key)
            .and_then(|(o, renamed)| old.tables.get(&o).map(|t| (t, renamed)));
        match found {
            Some((old_table, renamed)) => {
                matched.insert(old_table.key.clone());
                if renamed {
                    push(
                        out,
                        Contract,
                        ObjectKind::Table,
                        key,
                        format!(
                            "table renamed from `{}`: stable's code may still use the old name",
                            old_table.key
                        ),
                    );
                }
                // A table the release never changed (one shared copy, see `TableMap`),
                // with no renames to map its columns or references through, has no
                // column or constraint difference.
                let unchanged = !renamed
                    && new.same_table(old, key)
                    && origins.columns.is_empty()
                    && origins.column_sources.is_empty()
                    && origins.table_successor.is_empty();
                if !unchanged {
                    diff_columns(old_table, table, old, running, origins, out);
                    diff_constraints(old, running, old_table, table, origins, out);
                }
            }
            None => push(out, Expand, ObjectKind::Table, key, "new table"),
        }
    }
    for (key, table) in &old.tables {
        if !matched.contains(key) && !table.temporary {
            push(
                out,
                Contract,
                ObjectKind::Table,
                key,
                "table dropped: the running stable version may still read and write it",
            );
        }
    }
}

fn diff_columns(
    old: &Table,
    new: &Table,
    old_schema: &Schema,
    running: &Schema,
    origins: &Origins,
    out: &mut Vec<SchemaChange>,
) {
    use DeltaKind::*;
    if !old.columns_known || !new.columns_known {
        return;
    }
    let mut matched = BTreeSet::new();
    for column in new.columns() {
        let found = origins
            .column_origin(&new.key, &column.key)
            .and_then(|(o, renamed)| old.column(&o).map(|c| (c, renamed)));
        if let Some((before, false)) = found {
            if before == column {
                // Unchanged: nothing to say (and nothing to format).
                matched.insert(before.key.clone());
                continue;
            }
        }
        let object = format!("{}.{}", new.key, column.key);
        let Some((before, renamed)) = found else {
            if column.can_be_omitted() {
                let how = if column.generated.is_some() {
                    "generated"
                } else if column.nullable {
                    "nullable"
                } else {
                    "with a default"
                };
                push(
                    out,
                    Expand,
                    ObjectKind::Column,
                    object,
                    format!("new {how} column"),
                );
            } else if running.fills_on_insert(&new.key, &column.key) {
                push(
                    out,
                    Expand,
                    ObjectKind::Column,
                    object,
                    "new NOT NULL column without default, filled by a trigger",
                );
            } else {
                push(
                    out,
                    Contract,
                    ObjectKind::Column,
                    object,
                    "new NOT NULL column without default: stable's INSERTs that omit it fail",
                );
            }
            continue;
        };
        matched.insert(before.key.clone());
        if renamed {
            push(
                out,
                Contract,
                ObjectKind::Column,
                &object,
                format!(
                    "column renamed from `{}`: stable's code may still use the old name",
                    before.key
                ),
            );
        }
        // A column stable's schema already kept from NULL by a check.
        let checked =
            || crate::history::History::not_null_checked(old_schema, &old.key, &before.key);
        diff_column(before, column, running, checked, &object, out);
    }
    for column in old.columns() {
        if !matched.contains(&column.key) {
            push(
                out,
                Contract,
                ObjectKind::Column,
                format!("{}.{}", new.key, column.key),
                "column dropped: the running stable version may still read and write it",
            );
        }
    }
}

fn diff_column(
    before: &Column,
    after: &Column,
    schema: &Schema,
    null_checked: impl Fn() -> bool,
    object: &str,
    out: &mut Vec<SchemaChange>,
) {
    use DeltaKind::*;
    let change = type_change(&before.data_type, &after.data_type, schema.dialect);
    let types = || format!("`{}` to `{}`", before.type_display(), after.type_display());
    match change {
        TypeChange::Same => {}
        TypeChange::SafeWidening => push(
            out,
            Expand,
            ObjectKind::Column,
            object,
            format!("type widened from {}", types()),
        ),
        TypeChange::WideningRewrite => push(
            out,
            Expand,
            ObjectKind::Column,
            object,
            format!("type widened from {} (rewrites the table)", types()),
        ),
        TypeChange::Narrowing => push(
            out,
            Contract,
            ObjectKind::Column,
            object,
            format!(
                "type narrowed from {}: values stable writes may no longer fit",
                types()
            ),
        ),
        TypeChange::FamilyChange => push(
            out,
            Contract,
            ObjectKind::Column,
            object,
            format!(
                "type changed from {}: stable reads and writes the old type",
                types()
            ),
        ),
    }
    if before.nullable && !after.nullable && null_checked() {
        push(
            out,
            Expand,
            ObjectKind::Column,
            object,
            "became NOT NULL: stable's schema already checked it IS NOT NULL",
        );
    } else if before.nullable && !after.nullable {
        push(
            out,
            Contract,
            ObjectKind::Column,
            object,
            "became NOT NULL: stable's writes of NULL fail",
        );
    } else if !before.nullable && after.nullable {
        push(
            out,
            Expand,
            ObjectKind::Column,
            object,
            "NOT NULL dropped: stable may now read NULLs",
        );
    }
    if before.default != after.default {
        match (&before.default, &after.default) {
            (Some(_), None) if !after.can_be_omitted() => push(
                out,
                Contract,
                ObjectKind::Column,
                object,
                "default dropped on a NOT NULL column: stable's INSERTs that omit it fail",
            ),
            (_, Some(d)) => push(
                out,
                Expand,
                ObjectKind::Column,
                object,
                format!("default set to `{d}`"),
            ),
            _ => push(out, Expand, ObjectKind::Column, object, "default dropped"),
        }
    }
    if before.generated != after.generated {
        if after.generated == Some(super::Generated::Computed) {
            push(
                out,
                Contract,
                ObjectKind::Column,
                object,
                "became a generated column: stable's writes to it fail",
            );
        } else {
            push(
                out,
                Expand,
                ObjectKind::Column,
                object,
                "generation changed",
            );
        }
    }
}

/// A constraint described with old column keys mapped to their new names.
fn constraint_signature(c: &Constraint, rename: &dyn Fn(&str) -> String) -> String {
    let cols = |cs: &[String]| cs.iter().map(|c| rename(c)).collect::<Vec<_>>().join(", ");
    match &c.kind {
        ConstraintKind::PrimaryKey => format!("PRIMARY KEY ({})", cols(&c.columns)),
        ConstraintKind::Unique => format!("UNIQUE ({})", cols(&c.columns)),
        ConstraintKind::Check(e) => format!("CHECK ({e})"),
        ConstraintKind::Exclude(e) => format!("EXCLUDE {e}"),
        ConstraintKind::ForeignKey { table, columns } => {
            let referred = if columns.is_empty() {
                String::new()
            } else {
                format!(" ({})", columns.join(", "))
            };
            format!(
                "FOREIGN KEY ({}) REFERENCES {table}{referred}",
                cols(&c.columns)
            )
        }
    }
}

fn diff_constraints(
    old_schema: &Schema,
    running: &Schema,
    old: &Table,
    new: &Table,
    origins: &Origins,
    out: &mut Vec<SchemaChange>,
) {
    use DeltaKind::*;
    // Old column key -> new column key, through the renames of this table.
    let renamed: BTreeMap<String, String> = new
        .columns()
        .iter()
        .filter_map(|c| {
            origins
                .column_origin(&new.key, &c.key)
                .map(|(o, _)| (o, c.key.to_string()))
        })
        .collect();
    let map_old = |k: &str| renamed.get(k).cloned().unwrap_or_else(|| k.to_string());
    let same = |k: &str| k.to_string();
    // Foreign keys name their target by key; a renamed target is compared under its new key.
    let target_map = |c: &Constraint| -> Constraint {
        let mut c = c.clone();
        if let ConstraintKind::ForeignKey { table, .. } = &mut c.kind {
            if let Some(new_key) = origins.table_successor.get(table.as_str()) {
                *table = new_key.clone();
            }
        }
        c
    };
    let before: BTreeSet<String> = old
        .constraints
        .iter()
        .map(|c| constraint_signature(&target_map(c), &map_old))
        .collect();
    let mut after: BTreeSet<String> = new
        .constraints
        .iter()
        .map(|c| constraint_signature(c, &same))
        .collect();
    let mut before = before;
    // A foreign key written another way (`REFERENCES users` for `REFERENCES
    // users (id)`, a target renamed or swapped under its name) is the same
    // foreign key, judged as tighten-constraint judges it.
    let written_after = after.clone();
    for c in &new.constraints {
        let ConstraintKind::ForeignKey { table, columns } = &c.kind else {
            continue;
        };
        let sig = constraint_signature(c, &same);
        if before.contains(&sig) {
            continue;
        }
        let same_key = old.constraints.iter().find(|o| {
            let ConstraintKind::ForeignKey {
                table: old_table,
                columns: old_columns,
            } = &o.kind
            else {
                return false;
            };
            let renamed_to = origins
                .table_successor
                .get(old_table.as_str())
                .map_or(old_table.as_str(), |t| t.as_str());
            o.columns
                .iter()
                .map(|k| map_old(k))
                .eq(c.columns.iter().cloned())
                && running.same_foreign_key(old_table, renamed_to, old_columns, table, columns)
        });
        if let Some(o) = same_key {
            after.remove(&sig);
            let old_sig = constraint_signature(&target_map(o), &map_old);
            if !written_after.contains(&old_sig) {
                before.remove(&old_sig);
            }
        }
    }
    for sig in after.difference(&before) {
        // A unique constraint (or a primary key on columns that were NOT NULL)
        // on columns stable's schema already kept unique rejects none of its writes.
        let kept = new
            .constraints
            .iter()
            .find(|c| constraint_signature(c, &same) == *sig)
            .is_some_and(|c| {
                let unique = matches!(c.kind, ConstraintKind::Unique | ConstraintKind::PrimaryKey);
                let cols = old_columns(origins, &new.key, &c.columns);
                let not_null = c.kind == ConstraintKind::Unique
                    || cols.len() == c.columns.len()
                        && cols
                            .iter()
                            .all(|k| old.column(k).is_some_and(|col| !col.nullable));
                unique && not_null && old_schema.keeps_unique(&old.key, &cols, None)
            });
        if kept {
            push(
                out,
                Expand,
                ObjectKind::Constraint,
                &new.key,
                format!("new constraint {sig}: stable's schema already kept these rows unique"),
            );
            continue;
        }
        // A constraint only on columns new in the release constrains no write of
        // stable's, which does not write them (an expression counts as old), as
        // tighten-constraint judges it.
        let on_new_columns = new
            .constraints
            .iter()
            .find(|c| constraint_signature(c, &same) == *sig)
            .is_some_and(|c| {
                !c.columns.is_empty()
                    && c.columns.iter().all(|k| {
                        !k.contains('(')
                            && origins
                                .column_origin(&new.key, k)
                                .is_none_or(|(o, _)| old.column(&o).is_none())
                    })
            });
        if on_new_columns {
            push(
                out,
                Expand,
                ObjectKind::Constraint,
                &new.key,
                format!("new constraint {sig} on columns new in the release"),
            );
            continue;
        }
        push(
            out,
            Contract,
            ObjectKind::Constraint,
            &new.key,
            format!("new constraint {sig}: stable's writes that violate it fail"),
        );
    }
    for sig in before.difference(&after) {
        push(
            out,
            Expand,
            ObjectKind::Constraint,
            &new.key,
            format!("constraint {sig} dropped"),
        );
    }
}

/// The names `columns` of table `table` (new keys) had before the release; a
/// column new in the release is left out (an expression is kept as written).
fn old_columns(origins: &Origins, table: &str, columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .filter_map(|c| origins.column_origin(table, c).map(|(o, _)| o))
        .collect()
}

fn diff_indexes(old: &Schema, new: &Schema, origins: &Origins, out: &mut Vec<SchemaChange>) {
    use DeltaKind::*;
    let mut matched = BTreeSet::new();
    for (key, index) in new.indexes.iter() {
        let found = origins
            .origin(RenameKind::Index, key)
            .and_then(|(o, renamed)| old.indexes.get(&o).map(|i| (o, renamed, i)));
        match found {
            Some((o, renamed, old_index)) => {
                if renamed {
                    push(
                        out,
                        Expand,
                        ObjectKind::Index,
                        key,
                        format!("index renamed from `{o}` (index hints naming it break)"),
                    );
                }
                // The name taken again by a unique index on other columns (dropped
                // and created again in the release).
                let redefined = index.unique
                    && (!old_index.unique
                        || old_index.predicate != index.predicate
                        || *old_index.columns
                            != *old_columns(origins, &index.table, &index.columns))
                    && origins
                        .origin(RenameKind::Table, &index.table)
                        .is_some_and(|(t, _)| {
                            old.tables.contains_key(&t)
                                && !old.keeps_unique(
                                    &t,
                                    &old_columns(origins, &index.table, &index.columns),
                                    index.predicate.as_deref(),
                                )
                        });
                if redefined {
                    push(
                        out,
                        Contract,
                        ObjectKind::Index,
                        key,
                        format!(
                            "unique index on `{}` made again on other columns: stable's writes of duplicates fail",
                            index.table
                        ),
                    );
                }
                matched.insert(o);
            }
            None => {
                // A unique index on a table stable already has may reject stable's writes.
                let old_table = origins
                    .origin(RenameKind::Table, &index.table)
                    .map(|(t, _)| t)
                    .filter(|t| old.tables.contains_key(t));
                let table_existed = old_table.is_some();
                let kept = old_table.is_some_and(|t| {
                    let cols = old_columns(origins, &index.table, &index.columns);
                    old.keeps_unique(&t, &cols, index.predicate.as_deref())
                });
                if index.unique && kept {
                    push(
                        out,
                        Expand,
                        ObjectKind::Index,
                        key,
                        format!(
                            "new unique index on `{}`: stable's schema already kept these rows unique",
                            index.table
                        ),
                    );
                } else if index.unique && table_existed {
                    push(
                        out,
                        Contract,
                        ObjectKind::Index,
                        key,
                        format!(
                            "new unique index on `{}`: stable's writes of duplicates fail",
                            index.table
                        ),
                    );
                } else {
                    push(
                        out,
                        Expand,
                        ObjectKind::Index,
                        key,
                        format!("new index on `{}`", index.table),
                    );
                }
            }
        }
    }
    // Old keys of the tables that survive in `new`.
    let kept_tables: BTreeSet<String> = new
        .tables
        .keys()
        .filter_map(|t| origins.origin(RenameKind::Table, t).map(|(o, _)| o))
        .collect();
    for (key, index) in old.indexes.iter() {
        if matched.contains(key) {
            continue;
        }
        // Indexes of a dropped table go with it (the table drop is reported). A
        // dropped index slows stable's queries down; they still work.
        if kept_tables.contains(&*index.table) {
            push(
                out,
                Expand,
                ObjectKind::Index,
                key,
                format!(
                    "index on `{}` dropped: stable's queries that use it slow down",
                    index.table
                ),
            );
        }
    }
}

fn diff_enums(old: &Schema, new: &Schema, origins: &Origins, out: &mut Vec<SchemaChange>) {
    use DeltaKind::*;
    let mut matched = BTreeSet::new();
    for (key, ty) in &new.enums {
        let found = origins
            .origin(RenameKind::Type, key)
            .and_then(|(o, renamed)| old.enums.get(&o).map(|e| (o, renamed, e)));
        let Some((o, renamed, before)) = found else {
            push(out, Expand, ObjectKind::Enum, key, "new enum type");
            continue;
        };
        matched.insert(o.clone());
        if renamed {
            push(
                out,
                Contract,
                ObjectKind::Enum,
                key,
                format!("enum type renamed from `{o}`: stable's code may still use the old name"),
            );
        }
        let mut kept = BTreeSet::new();
        let last_old = ty
            .values
            .iter()
            .rposition(|v| {
                origins
                    .value_origin(key, v)
                    .is_some_and(|(o, _)| before.values.contains(&o))
            })
            .map(|i| i as i64)
            .unwrap_or(-1);
        for (i, value) in ty.values.iter().enumerate() {
            match origins
                .value_origin(key, value)
                .filter(|(o, _)| before.values.contains(o))
            {
                Some((o, renamed)) => {
                    if renamed {
                        push(
                            out,
                            Contract,
                            ObjectKind::Enum,
                            key,
                            format!(
                                "value '{o}' renamed to '{value}': stable may still write '{o}'"
                            ),
                        );
                    }
                    kept.insert(o);
                }
                None => {
                    let place = if (i as i64) > last_old {
                        String::new()
                    } else {
                        format!(
                            " before '{}'",
                            ty.values.get(i + 1).map(String::as_str).unwrap_or_default()
                        )
                    };
                    push(
                        out,
                        Expand,
                        ObjectKind::Enum,
                        key,
                        format!("value '{value}' added{place}"),
                    );
                }
            }
        }
        for value in &before.values {
            if !kept.contains(value) {
                push(
                    out,
                    Contract,
                    ObjectKind::Enum,
                    key,
                    format!("value '{value}' removed: stable may still write it"),
                );
            }
        }
    }
    for key in old.enums.keys() {
        if !matched.contains(key) {
            push(
                out,
                Contract,
                ObjectKind::Enum,
                key,
                "enum type dropped: stable's columns and casts use it",
            );
        }
    }
}

fn diff_views(old: &Schema, new: &Schema, origins: &Origins, out: &mut Vec<SchemaChange>) {
    use DeltaKind::*;
    let mut matched = BTreeSet::new();
    for (key, view) in &new.views {
        let found = origins
            .origin(RenameKind::View, key)
            .and_then(|(o, renamed)| old.views.get(&o).map(|v| (o, renamed, v)));
        let Some((o, renamed, before)) = found else {
            push(out, Expand, ObjectKind::View, key, "new view");
            continue;
        };
        matched.insert(o.clone());
        if renamed {
            push(
                out,
                Contract,
                ObjectKind::View,
                key,
                format!("view renamed from `{o}`: stable's code may still use the old name"),
            );
        }
        let mut reported = false;
        if let (Some(b), Some(a)) = (&before.columns, &view.columns) {
            for c in b {
                let still = a
                    .iter()
                    .any(|n| origins.column_origin(key, n).is_some_and(|(o, _)| o == *c));
                if !still {
                    reported = true;
                    push(
                        out,
                        Contract,
                        ObjectKind::View,
                        key,
                        format!("column `{c}` no longer in the view: stable may still read it"),
                    );
                }
            }
        }
        // Column types, where both queries show them.
        if let (Some(b), Some(a)) = (&before.columns, &view.columns) {
            for (i, c) in b.iter().enumerate() {
                let Some(j) = a.iter().position(|n| n == c) else {
                    continue;
                };
                let (Some(Some(t0)), Some(Some(t1))) = (before.types.get(i), view.types.get(j))
                else {
                    continue;
                };
                if matches!(
                    type_change(t0, t1, new.dialect),
                    TypeChange::Narrowing | TypeChange::FamilyChange
                ) {
                    push(
                        out,
                        Contract,
                        ObjectKind::View,
                        key,
                        format!("column `{c}` type changed from `{t0}` to `{t1}`: stable reads the old type"),
                    );
                }
            }
        }
        if !reported && before.query != view.query {
            push(out, Expand, ObjectKind::View, key, "definition changed");
        }
    }
    for key in old.views.keys() {
        if !matched.contains(key) {
            push(
                out,
                Contract,
                ObjectKind::View,
                key,
                "view dropped: stable may still read it",
            );
        }
    }
}

fn diff_sequences(old: &Schema, new: &Schema, origins: &Origins, out: &mut Vec<SchemaChange>) {
    use DeltaKind::*;
    let mut matched = BTreeSet::new();
    for key in new.sequences.keys() {
        match origins
            .origin(RenameKind::Sequence, key)
            .filter(|(o, _)| old.sequences.contains_key(o))
        {
            Some((o, renamed)) => {
                if renamed {
                    push(
                        out,
                        Contract,
                        ObjectKind::Sequence,
                        key,
                        format!(
                            "sequence renamed from `{o}`: stable's code may still use the old name"
                        ),
                    );
                }
                matched.insert(o);
            }
            None => push(out, Expand, ObjectKind::Sequence, key, "new sequence"),
        }
    }
    for key in old.sequences.keys() {
        if !matched.contains(key) {
            push(
                out,
                Contract,
                ObjectKind::Sequence,
                key,
                "sequence dropped: stable may still use it",
            );
        }
    }
}

fn diff_other_types(old: &Schema, new: &Schema, origins: &Origins, out: &mut Vec<SchemaChange>) {
    use DeltaKind::*;
    for key in &new.other_types {
        match origins.origin(RenameKind::Type, key) {
            Some((o, true)) if old.other_types.contains(&o) => push(
                out,
                Contract,
                ObjectKind::Type,
                key,
                format!("type renamed from `{o}`: stable's code may still use the old name"),
            ),
            Some((o, _)) if old.other_types.contains(&o) => {}
            _ => push(out, Expand, ObjectKind::Type, key, "new type"),
        }
    }
    let kept: BTreeSet<String> = new
        .other_types
        .iter()
        .filter_map(|k| origins.origin(RenameKind::Type, k).map(|(o, _)| o))
        .collect();
    for key in &old.other_types {
        if !kept.contains(key) {
            push(
                out,
                Contract,
                ObjectKind::Type,
                key,
                "type dropped: stable's columns and casts use it",
            );
        }
    }
}

fn diff_functions(old: &Schema, new: &Schema, out: &mut Vec<SchemaChange>) {
    use DeltaKind::*;
    for (key, f) in &new.functions {
        match old.functions.get(key) {
            None => push(out, Expand, ObjectKind::Function, key, "new function"),
            Some(before) if before.signature != f.signature => push(
                out,
                Contract,
                ObjectKind::Function,
                key,
                format!(
                    "signature changed from `{}` to `{}`: stable's calls use the old one",
                    before.signature, f.signature
                ),
            ),
            Some(before) if before != f => {
                push(out, Expand, ObjectKind::Function, key, "body replaced")
            }
            Some(_) => {}
        }
    }
    for key in old.functions.keys() {
        if !new.functions.contains_key(key) {
            push(
                out,
                Contract,
                ObjectKind::Function,
                key,
                "function dropped: stable may still call it",
            );
        }
    }
}
