//! The schema model: what the database looks like after replaying migrations, without a database.
//!
//! Rules need to ask "did stable know this table?", "was this column NOT NULL before the
//! release?", "what was its type?". Connecting to a database to answer would make the linter
//! depend on an environment it usually does not have in CI, so the model is built by *replaying*
//! the parsed DDL of every migration, in order, into a [`Schema`]: [`Schema::apply`] takes one
//! sqlparser [`Statement`](sqlparser::ast::Statement) at a time. Every form it follows (listed
//! in [`crate::changes::replayed_from_changes`]) is replayed from the [`crate::changes::Change`]
//! values the rules read: the tree is read once, in `changes.rs` (see `docs/architecture.md`,
//! "One meaning per DDL form").
//!
//! # What it knows
//! - tables, with their columns in order (name as written, type, nullability, default text,
//!   generated/identity flag), primary key, unique, check and foreign-key constraints;
//! - indexes (name, table, columns, unique);
//! - Postgres enum types and their ordered labels (MySQL inline `ENUM(..)` stays in the column
//!   type), views and materialized views, sequences;
//! - renames, recorded in a log ([`Schema::renames`]) so that [`diff`] can say "renamed from"
//!   instead of "dropped" plus "added" when one schema evolved from the other by replay.
//!
//! Names are compared with the keys of [`crate::names`]: unquoted names fold to lower case,
//! quoted ones keep their case, and the dialect's default schema is dropped.
//!
//! # What it deliberately does not know
//! - **data**: how many rows, whether a column holds NULLs, whether a new constraint holds;
//! - **effects of code**: triggers, functions, procedures, rules and `DO` blocks are not run,
//!   dynamic SQL (`EXECUTE format(..)`) is not seen. What is kept of them: each function
//!   overload's signature, the tables a trigger function's body inserts into (and the columns
//!   each insert names), and which triggers fire `BEFORE INSERT` on a table;
//! - **dependencies** beyond what the text shows: a view depends on the relations of its
//!   `FROM`/`JOIN` clauses (so `DROP TABLE .. CASCADE` drops it), not on those named only in
//!   subqueries of `WHERE` or the select list, nor on functions;
//! - privileges, storage parameters, comments, partitions, collations.
//!
//! A statement the model cannot follow is reported by [`Applied::NotUnderstood`] with a short
//! reason; the replay carries on with the next statement and never panics. A table whose
//! columns cannot be known (`CREATE TABLE .. AS SELECT`) is marked with
//! [`Table::columns_known`] `== false` so that rules do not guess.

mod diff;
mod facts;
mod replay;
mod types;

#[cfg(test)]
mod tests;

pub use crate::definition::{Column, Constraint, ConstraintKind, Generated};
pub use diff::{diff, diff_in, diff_types, DeltaKind, ObjectKind, SchemaChange};
pub use replay::Applied;
pub use types::{type_change, TypeChange};

use sqlparser::ast::DataType;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A table: ordered columns plus constraints.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The name as written in the latest statement that named it.
    pub name: String,
    /// The comparison key ([`crate::names::object_key`]).
    pub key: String,
    /// `false` when the columns cannot be known (`CREATE TABLE .. AS SELECT`, `LIKE` of an
    /// unknown table): absence of a column then says nothing.
    pub columns_known: bool,
    /// `CREATE TEMPORARY TABLE`: lives for one session only; [`diff`] leaves it out.
    pub temporary: bool,
    columns: Vec<Column>,
    /// Column key to position in `columns`.
    positions: Positions,
    pub constraints: Vec<Constraint>,
}

impl Table {
    fn new(name: String, key: String) -> Table {
        Table {
            name,
            key,
            columns_known: true,
            ..Table::default()
        }
    }

    /// The columns in table order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// One column by key.
    pub fn column(&self, key: &str) -> Option<&Column> {
        self.position(key).map(|i| &self.columns[i])
    }

    pub fn has_column(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    fn column_mut(&mut self, key: &str) -> Option<&mut Column> {
        let i = self.position(key)?;
        self.columns.get_mut(i)
    }

    /// The primary key constraint, if any.
    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .iter()
            .find(|c| c.kind == ConstraintKind::PrimaryKey)
    }

    /// Adds a column at the end, or at `at` (clamped), replacing a column of the same key.
    fn insert_column(&mut self, column: Column, at: Option<usize>) {
        let old = self.position(&column.key);
        let len = self.columns.len() - usize::from(old.is_some());
        let at = at.unwrap_or(len).min(len);
        let from = old.map_or(at, |i| i.min(at));
        self.unindex_from(from);
        if let Some(i) = old {
            self.columns.remove(i);
        }
        reserve_gently(&mut self.columns);
        self.columns.insert(at, column);
        self.index_from(from);
    }

    fn remove_column(&mut self, key: &str) -> Option<Column> {
        let i = self.position(key)?;
        self.unindex_from(i);
        let column = self.columns.remove(i);
        self.index_from(i);
        Some(column)
    }

    /// Moves a column to `at` (after removing it from its place).
    fn move_column(&mut self, key: &str, at: usize) {
        if let Some(column) = self.remove_column(key) {
            self.insert_column(column, Some(at));
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        let columns = &self.columns;
        self.positions
            .0
            .find(position_hash(key), |&i| *columns[at(i)].key == *key)
            .map(|&i| at(i))
    }

    /// Follows a column's key change in the position index: the column now keyed
    /// `new` was indexed under `old`. A column that already had the key `new` is no
    /// longer found by it (as a map keyed by name would have replaced it).
    fn rekey(&mut self, old: &str, new: &str) {
        let columns = &self.columns;
        let Ok(entry) = self
            .positions
            .0
            .find_entry(position_hash(old), |&i| *columns[at(i)].key == *new)
        else {
            return;
        };
        let (i, _) = entry.remove();
        if let Ok(other) = self
            .positions
            .0
            .find_entry(position_hash(new), |&j| *columns[at(j)].key == *new)
        {
            other.remove();
        }
        self.positions.0.insert_unique(position_hash(new), i, |&j| {
            position_hash(&columns[at(j)].key)
        });
    }

    /// Takes the columns from `from` on out of the position index, before they move
    /// (the index finds a column by its position, so it must agree with `columns`).
    fn unindex_from(&mut self, from: usize) {
        let columns = &self.columns;
        for (i, c) in columns.iter().enumerate().skip(from) {
            if let Ok(entry) = self
                .positions
                .0
                .find_entry(position_hash(&c.key), |&j| at(j) == i)
            {
                entry.remove();
            }
        }
    }

    /// Puts the columns from `from` on into the position index (the ones before it
    /// did not move): adding columns one by one stays linear.
    fn index_from(&mut self, from: usize) {
        let columns = &self.columns;
        for (i, c) in columns.iter().enumerate().skip(from) {
            self.positions
                .0
                .insert_unique(position_hash(&c.key), slot(i), |&j| {
                    position_hash(&columns[at(j)].key)
                });
        }
    }
}

/// A table's column positions by key, without a copy of the keys: each entry is a
/// position in the table's `columns`, hashed and compared by that column's key (Fx
/// hashing: the rules and the replay look columns up by key many times per release,
/// and SipHash was most of that). A table that adds hundreds of thousands of columns
/// keeps 4 bytes a column here instead of a second `String` and its text.
#[derive(Debug, Clone, Default)]
struct Positions(hashbrown::HashTable<u32>);

/// A position as [`Positions`] keeps it. A table cannot reach 2^32 columns: the
/// largest input read is 256 MiB, and a column takes more than a byte of it.
fn slot(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A position [`Positions`] keeps, as an index into the columns.
fn at(i: u32) -> usize {
    i as usize
}

/// The index follows the columns, which the table compares itself.
impl PartialEq for Positions {
    fn eq(&self, _: &Positions) -> bool {
        true
    }
}

fn position_hash(key: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(key)
}

/// Makes room for one more element of a vector that may grow large (a table's
/// columns, a release's touches): by a quarter of its length once it holds a few
/// hundred, not by doubling, so a release that adds hundreds of thousands of
/// columns keeps at most a quarter of them unused instead of up to a half. The
/// growth stays geometric, so pushing stays amortized constant time.
pub(crate) fn reserve_gently<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() && v.len() >= 256 {
        v.reserve_exact(v.len() / 4);
    }
}

/// An index. Its text is kept at its exact size (boxed, not growable: 72 bytes
/// instead of 104 for the record), since a release may create a hundred thousand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The name as written, or the name Postgres would generate for an unnamed index.
    pub name: Box<str>,
    /// The indexed table's key.
    pub table: Box<str>,
    /// Column keys; an expression is kept as SQL text.
    pub columns: Box<[String]>,
    pub unique: bool,
    /// A partial index's `WHERE` condition as SQL text (`None`: the index covers
    /// every row).
    pub predicate: Option<Box<str>>,
}

/// A Postgres enum type (`CREATE TYPE .. AS ENUM`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    pub name: String,
    /// The labels in sort order.
    pub values: Vec<String>,
}

/// A view or materialized view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    pub materialized: bool,
    /// Output column keys when they can be read from the statement (an explicit column list,
    /// or a projection of plain columns and aliases); `None` when unknown.
    pub columns: Option<Vec<String>>,
    /// The defining query as SQL text.
    pub query: String,
    /// Keys of the tables and views named in the query's `FROM` and `JOIN` clauses (not
    /// those only named in subqueries of `WHERE` or the select list), sorted.
    pub depends_on: Vec<String>,
    /// The type of each output column where the query shows it (a column of a
    /// known relation, or a cast), in column order; empty when unknown.
    pub types: Vec<Option<DataType>>,
}

/// A sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    pub name: String,
}

/// A function (or procedure) as far as callers see it: one overload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// The key of the function's name (shared by its overloads).
    pub name_key: String,
    /// Argument types and return type as SQL text; empty when not written.
    pub signature: String,
    /// `RETURNS TRIGGER`.
    pub returns_trigger: bool,
    /// Tables its body inserts into (keys), with the column keys each insert
    /// names (`None`: no column list).
    pub inserts: Vec<(String, Option<Vec<String>>)>,
}

/// What kind of object a rename applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RenameKind {
    Table,
    Column,
    View,
    Index,
    Type,
    EnumValue,
    Sequence,
}

/// One rename seen during replay, by keys at the time of the rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub kind: RenameKind,
    /// For a column: its table's key; for an enum value: the type's key.
    pub parent: Option<String>,
    pub from: String,
    pub to: String,
}

/// Tables by key, each shared copy-on-write: the release engine's before and after
/// copies of a table are a reference count until the replay changes it, so a release
/// that touches a wide table does not copy it twice (see `crate::engine`). The methods
/// are those of the `BTreeMap` they wrap; a mutable borrow makes the table unshared.
#[derive(Debug, Clone, Default)]
struct TableMap(BTreeMap<String, Arc<Table>>);

impl TableMap {
    fn get(&self, key: &str) -> Option<&Table> {
        self.0.get(key).map(|t| &**t)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Table> {
        self.0.get_mut(key).map(Arc::make_mut)
    }

    fn shared(&self, key: &str) -> Option<Arc<Table>> {
        self.0.get(key).cloned()
    }

    fn contains_key(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    fn insert(&mut self, key: String, table: Table) {
        self.0.insert(key, Arc::new(table));
    }

    fn insert_shared(&mut self, key: String, table: Arc<Table>) {
        self.0.insert(key, table);
    }

    fn remove(&mut self, key: &str) -> Option<Table> {
        self.0
            .remove(key)
            .map(|t| Arc::try_unwrap(t).unwrap_or_else(|t| (*t).clone()))
    }

    fn retain(&mut self, mut keep: impl FnMut(&String, &mut Table) -> bool) {
        self.0.retain(|k, t| keep(k, Arc::make_mut(t)));
    }

    fn iter(&self) -> impl Iterator<Item = (&String, &Table)> {
        self.0.iter().map(|(k, t)| (k, &**t))
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }

    fn values(&self) -> impl Iterator<Item = &Table> {
        self.0.values().map(|t| &**t)
    }

    fn values_mut(&mut self) -> impl Iterator<Item = &mut Table> {
        self.0.values_mut().map(Arc::make_mut)
    }
}

impl<'a> IntoIterator for &'a TableMap {
    type Item = (&'a String, &'a Table);
    type IntoIter = std::iter::Map<
        std::collections::btree_map::Iter<'a, String, Arc<Table>>,
        fn((&'a String, &'a Arc<Table>)) -> (&'a String, &'a Table),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, t)| (k, &**t))
    }
}

/// Indexes by key, shared copy-on-write like [`TableMap`]: the release engine copies
/// a touched table's indexes with it, before and after the release. The keys are
/// shared too (with the table's key set, and between copies): a release that creates
/// a hundred thousand indexes holds each key once. The map itself is shared as well:
/// an after state that holds every index of the running schema reads the running
/// schema's map instead of building a copy of it (see [`Schema::copy_tables_from`]).
#[derive(Debug, Clone, Default)]
struct IndexMap(Arc<BTreeMap<Arc<str>, Arc<Index>>>);

impl IndexMap {
    fn get(&self, key: &str) -> Option<&Index> {
        self.0.get(key).map(|i| &**i)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Index> {
        Arc::make_mut(&mut self.0).get_mut(key).map(Arc::make_mut)
    }

    fn shared(&self, key: &str) -> Option<Arc<Index>> {
        self.0.get(key).cloned()
    }

    fn contains_key(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    fn insert(&mut self, key: Arc<str>, index: Arc<Index>) {
        Arc::make_mut(&mut self.0).insert(key, index);
    }

    fn remove(&mut self, key: &str) -> Option<Index> {
        if !self.0.contains_key(key) {
            return None;
        }
        Arc::make_mut(&mut self.0)
            .remove(key)
            .map(|i| Arc::try_unwrap(i).unwrap_or_else(|i| (*i).clone()))
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Index)> {
        self.0.iter().map(|(k, i)| (&**k, &**i))
    }
}

/// Each table's index keys, by table key (kept exact: every index of the schema
/// is in its table's set and nothing else is). Both the map and each table's set
/// are shared copy-on-write, so the engine's before and after copies of a touched
/// table's key set are a reference count until the replay changes that set.
type IndexKeys = BTreeSet<Arc<str>>;

#[derive(Debug, Clone, Default)]
struct TableIndexes(Arc<BTreeMap<String, Arc<IndexKeys>>>);

impl TableIndexes {
    fn get(&self, table: &str) -> Option<&IndexKeys> {
        self.0.get(table).map(|k| &**k)
    }

    fn shared(&self, table: &str) -> Option<Arc<IndexKeys>> {
        self.0.get(table).cloned()
    }

    fn contains_key(&self, table: &str) -> bool {
        self.0.contains_key(table)
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn insert(&mut self, table: String, keys: Arc<IndexKeys>) {
        Arc::make_mut(&mut self.0).insert(table, keys);
    }

    /// Adds index `key` to the set of `table`.
    fn add(&mut self, table: &str, key: Arc<str>) {
        let map = Arc::make_mut(&mut self.0);
        match map.get_mut(table) {
            Some(keys) => {
                Arc::make_mut(keys).insert(key);
            }
            None => {
                map.insert(table.to_string(), Arc::new(BTreeSet::from([key])));
            }
        }
    }

    /// Takes index `key` out of the set of `table` (the set goes when empty).
    fn take(&mut self, table: &str, key: &str) {
        if !self.0.get(table).is_some_and(|k| k.contains(key)) {
            return;
        }
        let map = Arc::make_mut(&mut self.0);
        if let Some(keys) = map.get_mut(table) {
            if keys.len() == 1 {
                map.remove(table);
            } else {
                Arc::make_mut(keys).remove(key);
            }
        }
    }
}

/// The replayed schema. Build with `Schema::default()` and [`Schema::apply`].
#[derive(Debug, Clone, Default)]
pub struct Schema {
    tables: TableMap,
    indexes: IndexMap,
    enums: BTreeMap<String, EnumType>,
    views: BTreeMap<String, View>,
    sequences: BTreeMap<String, Sequence>,
    /// Functions and procedures by overload key (`name(int, text)`, see
    /// [`crate::changes::overload_key`]), with their signature as SQL text:
    /// `(int, text) RETURNS boolean`.
    functions: BTreeMap<String, Function>,
    /// Triggers by table key, then trigger name key: whether each fires
    /// `BEFORE INSERT` (and so may set columns an `INSERT` omits).
    triggers: BTreeMap<String, BTreeMap<String, bool>>,
    /// Keys of user types that are not enums (composite, range, base types, domains).
    other_types: BTreeSet<String>,
    renames: Vec<Rename>,
    /// Table key to the keys of its indexes (kept exact).
    table_indexes: TableIndexes,
    /// How many index keys are schema-qualified: without any, [`Schema::table_of_index`]
    /// has nothing to search beyond the exact key (a release creating an index asks for
    /// every new one, which made a long history quadratic).
    qualified_index_keys: usize,
    /// Table key to the keys of tables that may hold a foreign key to it (a superset: an
    /// entry is checked before use), so renames and drops do not scan every table.
    referrers: BTreeMap<String, BTreeSet<String>>,
    /// The dialect of the latest applied statement (for type comparison in [`diff`]).
    dialect: crate::Dialect,
    /// One value of each column type met (see [`Schema::share_type`]).
    types: SharedTypes,
}

/// The column types met last, each kept once: a release of thousands of `ADD
/// COLUMN`s has a handful of types, and a type is 56 bytes (a column record with its
/// own copy was 136 bytes; sharing makes it 64). At most [`SHARED_TYPES`] are kept,
/// found by comparison: hashing a type would build sqlparser's hashing of whole
/// expressions into the binary (1.2 MB more code, and more of it mapped at start).
#[derive(Debug, Clone, Default)]
struct SharedTypes {
    kept: Vec<Arc<DataType>>,
    /// Where the next type not kept goes once [`SHARED_TYPES`] are.
    next: usize,
}

/// How many distinct column types [`SharedTypes`] keeps.
const SHARED_TYPES: usize = 32;

impl Schema {
    pub fn new() -> Schema {
        Schema::default()
    }

    /// `column` with its type shared with the columns of the same type met before.
    fn share_type(&mut self, mut column: Column) -> Column {
        column.data_type = self.shared(&column.data_type);
        column
    }

    fn shared(&mut self, data_type: &Arc<DataType>) -> Arc<DataType> {
        let types = &mut self.types;
        if let Some(kept) = types.kept.iter().find(|t| ***t == **data_type) {
            return Arc::clone(kept);
        }
        if types.kept.len() < SHARED_TYPES {
            types.kept.push(Arc::clone(data_type));
        } else {
            types.kept[types.next] = Arc::clone(data_type);
            types.next = (types.next + 1) % SHARED_TYPES;
        }
        Arc::clone(data_type)
    }

    /// The dialect of the latest applied statement (Postgres before any).
    pub fn dialect(&self) -> crate::Dialect {
        self.dialect
    }

    pub fn table(&self, key: &str) -> Option<&Table> {
        self.tables.get(key)
    }

    pub fn has_table(&self, key: &str) -> bool {
        self.tables.contains_key(key)
    }

    /// All tables, by key.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values()
    }

    pub fn column(&self, table: &str, column: &str) -> Option<&Column> {
        self.tables.get(table).and_then(|t| t.column(column))
    }

    /// An index by key: the index name's key on Postgres, SQLite and generic; on MySQL and
    /// SQL Server, where index names are per table, `table_key.index_key` (see
    /// [`Schema::index_on`]).
    pub fn index(&self, key: &str) -> Option<&Index> {
        self.indexes.get(key)
    }

    /// An index by table key and index-name key, in any dialect.
    pub fn index_on(&self, table: &str, name: &str) -> Option<&Index> {
        self.indexes
            .get(&format!("{table}.{name}"))
            .filter(|i| *i.table == *table)
            .or_else(|| self.indexes.get(name).filter(|i| *i.table == *table))
    }

    /// All indexes, by key.
    pub fn indexes(&self) -> impl Iterator<Item = (&str, &Index)> {
        self.indexes.iter()
    }

    /// The indexes of one table.
    pub fn indexes_on<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a Index> + 'a {
        self.table_indexes
            .get(table)
            .into_iter()
            .flatten()
            .filter_map(|k| self.indexes.get(k))
    }

    pub fn enum_type(&self, key: &str) -> Option<&EnumType> {
        self.enums.get(key)
    }

    pub fn enum_types(&self) -> impl Iterator<Item = (&str, &EnumType)> {
        self.enums.iter().map(|(k, e)| (k.as_str(), e))
    }

    /// The enum type of a column whose type names a known enum type.
    pub fn column_enum(&self, table: &str, column: &str) -> Option<&EnumType> {
        match &*self.column(table, column)?.data_type {
            DataType::Custom(name, _) => self
                .enums
                .get(&crate::names::object_key(name, self.dialect)),
            _ => None,
        }
    }

    /// Whether a user-defined type (enum, composite, range, domain) of this key exists.
    pub fn has_type(&self, key: &str) -> bool {
        self.enums.contains_key(key) || self.other_types.contains(key)
    }

    pub fn view(&self, key: &str) -> Option<&View> {
        self.views.get(key)
    }

    pub fn has_view(&self, key: &str) -> bool {
        self.views.contains_key(key)
    }

    pub fn views(&self) -> impl Iterator<Item = (&str, &View)> {
        self.views.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn sequence(&self, key: &str) -> Option<&Sequence> {
        self.sequences.get(key)
    }

    /// One function overload by its key (`name(types)`).
    pub fn function(&self, key: &str) -> Option<&Function> {
        self.functions.get(key)
    }

    /// The keys of the overloads of the function named `name_key`.
    pub fn overloads(&self, name_key: &str) -> Vec<String> {
        let prefix = format!("{name_key}(");
        self.functions
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter(|(_, f)| f.name_key == name_key)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Whether a `BEFORE INSERT` trigger on `table` may set the columns an
    /// `INSERT` omits.
    pub fn has_before_insert_trigger(&self, table: &str) -> bool {
        self.triggers
            .get(table)
            .is_some_and(|t| t.values().any(|before_insert| *before_insert))
    }

    /// The inserts into `table` made by trigger functions: for each, the column
    /// keys it names (`None`: no column list).
    pub fn trigger_inserts_into(&self, table: &str) -> Vec<Option<&[String]>> {
        self.functions
            .values()
            .filter(|f| f.returns_trigger)
            .flat_map(|f| f.inserts.iter())
            .filter(|(t, _)| t == table)
            .map(|(_, cols)| cols.as_deref())
            .collect()
    }

    /// Renames seen during replay, oldest first.
    pub fn renames(&self) -> &[Rename] {
        &self.renames
    }

    // ----- partial copies, for the release delta (see `crate::engine`) -----------------

    /// Copies table `key` and its indexes from `src`, if `src` has it.
    pub(crate) fn copy_table_from(&mut self, src: &Schema, key: &str) {
        if let Some(t) = src.tables.shared(key) {
            self.tables.insert_shared(key.to_string(), t);
        }
        let Some(keys) = src.table_indexes.shared(key) else {
            return;
        };
        if self.table_indexes.contains_key(key) || keys.iter().any(|k| self.indexes.contains_key(k))
        {
            // Some of them are here already: one by one, keeping the maps exact.
            for k in keys.iter() {
                if let Some(i) = src.indexes.shared(k) {
                    self.insert_shared_index(k.clone(), i);
                }
            }
            return;
        }
        // The usual case (the first copy of this table into a partial schema):
        // the table's key set is shared whole (`src` keeps it exact).
        for k in keys.iter() {
            if let Some(i) = src.indexes.shared(k) {
                if k.contains('.') {
                    self.qualified_index_keys += 1;
                }
                self.indexes.insert(k.clone(), i);
            }
        }
        self.table_indexes.insert(key.to_string(), keys);
    }

    /// Copies tables `keys` (distinct) and their indexes from `src` (see
    /// [`Schema::copy_table_from`]). Into a schema without indexes (the release's
    /// after state): when the tables hold every index of `src` (a release that
    /// touched every indexed table, such as a first migration or one large
    /// release), the index maps of `src` are shared, not copied; otherwise they are
    /// built in one go from sorted keys, which fills their nodes (inserted one by
    /// one, a release's hundred thousand new indexes left the nodes half empty).
    pub(crate) fn copy_tables_from<'k>(
        &mut self,
        src: &Schema,
        keys: impl IntoIterator<Item = &'k str>,
    ) {
        if !self.indexes.0.is_empty() || !self.table_indexes.is_empty() {
            for key in keys {
                self.copy_table_from(src, key);
            }
            return;
        }
        let mut indexed = 0;
        let mut sets: Vec<(&str, Arc<IndexKeys>)> = Vec::new();
        for key in keys {
            if let Some(t) = src.tables.shared(key) {
                self.tables.insert_shared(key.to_string(), t);
            }
            if let Some(index_keys) = src.table_indexes.shared(key) {
                indexed += 1;
                sets.push((key, index_keys));
            }
        }
        if indexed == src.table_indexes.len() {
            // Every indexed table of `src`: its maps are exactly the copy's.
            self.indexes = src.indexes.clone();
            self.table_indexes = src.table_indexes.clone();
            self.qualified_index_keys = src.qualified_index_keys;
            return;
        }
        let mut entries: Vec<(Arc<str>, Arc<Index>)> = Vec::new();
        for (key, index_keys) in sets {
            for k in index_keys.iter() {
                if let Some(i) = src.indexes.shared(k) {
                    entries.push((k.clone(), i));
                }
            }
            self.table_indexes.insert(key.to_string(), index_keys);
        }
        self.qualified_index_keys += entries.iter().filter(|(k, _)| k.contains('.')).count();
        // Each index key belongs to one table of `src`, so the keys are distinct.
        self.indexes = IndexMap(Arc::new(entries.into_iter().collect()));
    }

    pub(crate) fn copy_view_from(&mut self, src: &Schema, key: &str) {
        if let Some(v) = src.views.get(key) {
            self.views.insert(key.to_string(), v.clone());
        }
    }

    pub(crate) fn copy_type_from(&mut self, src: &Schema, key: &str) {
        if let Some(e) = src.enums.get(key) {
            self.enums.insert(key.to_string(), e.clone());
        }
        if src.other_types.contains(key) {
            self.other_types.insert(key.to_string());
        }
    }

    pub(crate) fn copy_sequence_from(&mut self, src: &Schema, key: &str) {
        if let Some(s) = src.sequences.get(key) {
            self.sequences.insert(key.to_string(), s.clone());
        }
    }

    pub(crate) fn copy_function_from(&mut self, src: &Schema, key: &str) {
        if let Some(f) = src.functions.get(key) {
            self.functions.insert(key.to_string(), f.clone());
        }
    }

    /// The table of index `key` (by index key, or by an index name on any table).
    pub(crate) fn table_of_index(&self, key: &str) -> Option<String> {
        if let Some(i) = self.indexes.get(key) {
            return Some(i.table.to_string());
        }
        if self.qualified_index_keys == 0 {
            return None;
        }
        let suffix = format!(".{key}");
        self.indexes
            .iter()
            .find(|(k, _)| k.ends_with(&suffix))
            .map(|(_, i)| i.table.to_string())
    }

    pub(crate) fn set_dialect(&mut self, dialect: crate::Dialect) {
        self.dialect = dialect;
    }

    /// Appends renames (the ones a release made) to the log.
    pub(crate) fn extend_renames(&mut self, renames: &[Rename]) {
        self.renames.extend_from_slice(renames);
    }

    pub fn functions(&self) -> impl Iterator<Item = (&str, &Function)> {
        self.functions.iter().map(|(k, f)| (k.as_str(), f))
    }

    pub fn sequences(&self) -> impl Iterator<Item = (&str, &Sequence)> {
        self.sequences.iter().map(|(k, s)| (k.as_str(), s))
    }

    fn insert_index(&mut self, key: String, index: Index) {
        self.insert_shared_index(key.into(), Arc::new(index));
    }

    fn insert_shared_index(&mut self, key: Arc<str>, index: Arc<Index>) {
        self.remove_index(&key);
        self.table_indexes.add(&index.table, Arc::clone(&key));
        if key.contains('.') {
            self.qualified_index_keys += 1;
        }
        self.indexes.insert(key, index);
    }

    fn remove_index(&mut self, key: &str) -> Option<Index> {
        let index = self.indexes.remove(key)?;
        if key.contains('.') {
            self.qualified_index_keys -= 1;
        }
        self.table_indexes.take(&index.table, key);
        Some(index)
    }

    /// The keys of one table's indexes.
    fn index_keys_of(&self, table: &str) -> Vec<String> {
        self.table_indexes
            .get(table)
            .map(|keys| keys.iter().map(|k| k.to_string()).collect())
            .unwrap_or_default()
    }

    /// Records the foreign keys of `table` in the referrers map.
    fn note_references(&mut self, table: &str) {
        let Some(t) = self.tables.get(table) else {
            return;
        };
        for c in &t.constraints {
            if let ConstraintKind::ForeignKey { table: target, .. } = &c.kind {
                self.referrers
                    .entry(target.clone())
                    .or_default()
                    .insert(table.to_string());
            }
        }
    }

    /// Tables that may reference `table` (including itself, for self references).
    fn referrers_of(&self, table: &str) -> Vec<String> {
        let mut keys: Vec<String> = self
            .referrers
            .get(table)
            .map(|keys| keys.iter().cloned().collect())
            .unwrap_or_default();
        keys.push(table.to_string());
        keys.sort();
        keys.dedup();
        keys
    }

    /// The views built on `relation` (read in their `FROM`/`JOIN`), and the views
    /// built on those: what `DROP .. CASCADE` of `relation` drops with it.
    pub fn dependent_views(&self, relation: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut pending = vec![relation.to_string()];
        while let Some(r) = pending.pop() {
            for (k, v) in &self.views {
                if v.depends_on.contains(&r) && !out.contains(k) && k != relation {
                    out.push(k.clone());
                    pending.push(k.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// Whether table `key` of `self` and of `other` is one copy that neither changed
    /// since it was copied (then the two are equal).
    pub(crate) fn same_table(&self, other: &Schema, key: &str) -> bool {
        match (self.tables.shared(key), other.tables.shared(key)) {
            (Some(a), Some(b)) => Arc::ptr_eq(&a, &b),
            _ => false,
        }
    }

    /// Whether the indexes of table `key` in `self` and in `other` are the same
    /// copies under the same keys (then they are equal).
    pub(crate) fn same_indexes(&self, other: &Schema, key: &str) -> bool {
        let (mine, theirs) = (self.table_indexes.get(key), other.table_indexes.get(key));
        match (mine, theirs) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                (std::ptr::eq(a, b) || a == b)
                    && a.iter()
                        .all(|k| match (self.indexes.0.get(k), other.indexes.0.get(k)) {
                            (Some(x), Some(y)) => Arc::ptr_eq(x, y),
                            _ => false,
                        })
            }
            _ => false,
        }
    }

    /// Whether a table or view of this key exists (what a query's `FROM` can name).
    pub fn has_relation(&self, key: &str) -> bool {
        self.tables.contains_key(key) || self.views.contains_key(key)
    }
}
