//! Which statement of a release did what to which object, kept compactly: a
//! release of hundreds of thousands of DDL statements touches as many objects,
//! and a record per touch holding its object's names and a whole statement
//! reference took more memory than the rest of the engine together.
//!
//! Each object is stored once (its kind, its names in one shared text, the first
//! and last of its touches), found by one hash table of object numbers;
//! each touch is a statement index, an act and the next touch of the same object,
//! so an object's touches are read in release order without an index built
//! afterwards. The delta's causes and the release rules' questions
//! ([`crate::rules::ReleaseCx::touching`]) both read it.

use crate::delta::{Act, ObjKey, StmtRef};
use crate::model::{ObjectKind, Rename, RenameKind};
use canary_lint_core::Span;
use rustc_hash::FxHashMap as HashMap;
use std::hash::BuildHasher;

/// No next touch.
const END: u32 = u32::MAX;

/// One statement touching one object (its act is kept apart, in
/// [`Touches::acts`]: 8 bytes here and 1 there instead of 12).
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Index into [`Touches::refs`].
    at: u32,
    /// The object's next touch (index into [`Touches::list`]), [`END`] for none.
    next: u32,
}

/// A [`StmtRef`] in 20 bytes instead of 48. A reference whose numbers do not
/// fit (a file over 4 GiB) is kept whole in [`Touches::wide`], and `file` is
/// [`END`] with `seq` its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    file: u32,
    tx: u32,
    seq: u32,
    start: u32,
    end: u32,
}

/// A touched object: its kind (the [`ObjKey`] variant), its name (a column's
/// table) and a column's name as ranges of [`Touches::text`] (`b_len` [`END`]
/// for other objects), and its first and last touch.
#[derive(Debug, Clone, Copy)]
struct Object {
    a: u32,
    a_len: u32,
    b: u32,
    b_len: u32,
    first: u32,
    last: u32,
    kind: u8,
}

/// An object's kind and names.
fn parts(o: &ObjKey) -> (u8, &str, Option<&str>) {
    match o {
        ObjKey::Table(k) => (0, k, None),
        ObjKey::Column(t, c) => (1, t, Some(c)),
        ObjKey::View(k) => (2, k, None),
        ObjKey::Type(k) => (3, k, None),
        ObjKey::Sequence(k) => (4, k, None),
        ObjKey::Function(k) => (5, k, None),
        ObjKey::Index(k) => (6, k, None),
    }
}

fn hash(kind: u8, a: &str, b: Option<&str>) -> u64 {
    rustc_hash::FxBuildHasher.hash_one((kind, a, b))
}

/// A list kept in chunks of at most [`CHUNK`] elements: a release of hundreds of
/// thousands of statements grows its lists to megabytes, and a vector of that
/// size is copied to a larger one as it grows (with the old block still mapped by
/// the allocator for a while). Chunks are never moved; the first one grows as a
/// vector does, so a small release keeps a small list.
#[derive(Debug, Clone)]
struct Chunked<T> {
    /// The first chunk (a small release's whole list).
    first: Vec<T>,
    /// The next ones.
    more: Vec<Vec<T>>,
    len: usize,
}

/// Elements per chunk.
const CHUNK: usize = 4096;

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            first: Vec::new(),
            more: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    fn len(&self) -> usize {
        self.len
    }

    fn push(&mut self, value: T) {
        self.len += 1;
        if self.first.len() < CHUNK {
            if self.first.capacity() == 0 {
                self.first.reserve_exact(16);
            }
            return self.first.push(value);
        }
        match self.more.last_mut() {
            Some(c) if c.len() < CHUNK => c.push(value),
            _ => {
                let mut c = Vec::with_capacity(CHUNK);
                c.push(value);
                self.more.push(c);
            }
        }
    }

    fn get(&self, i: usize) -> Option<&T> {
        match i.checked_sub(CHUNK) {
            None => self.first.get(i),
            Some(j) => self.more.get(j / CHUNK)?.get(j % CHUNK),
        }
    }

    fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        match i.checked_sub(CHUNK) {
            None => self.first.get_mut(i),
            Some(j) => self.more.get_mut(j / CHUNK)?.get_mut(j % CHUNK),
        }
    }

    fn last(&self) -> Option<&T> {
        match self.more.last() {
            Some(c) => c.last(),
            None => self.first.last(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.first.iter().chain(self.more.iter().flatten())
    }
}

/// The touches of one release, in release order, by object.
#[derive(Debug, Default, Clone)]
pub struct Touches {
    /// The names of the touched objects, one after the other.
    text: String,
    /// Every touched object, in the order of its first touch.
    objects: Chunked<Object>,
    /// The numbers of [`Touches::objects`], hashed by kind and names.
    by_name: hashbrown::HashTable<u32>,
    /// The statement references touches point at; consecutive touches of one
    /// change share one.
    refs: Chunked<Packed>,
    /// References too large to pack (see [`Packed`]).
    wide: Vec<StmtRef>,
    list: Chunked<Entry>,
    /// The act of each touch of [`Touches::list`].
    acts: Chunked<Act>,
}

impl Touches {
    /// Records that the statement at `at` did `act` to `object`.
    pub fn push(&mut self, object: ObjKey, at: StmtRef, act: Act) {
        if self.list.len() == 0 {
            // Room for a migration of a few statements at once: most releases
            // are one, and growing the name table from nothing cost more than
            // the rest (the lists start with room for 16).
            self.text.reserve(128);
            self.by_name.reserve(16, |_| 0);
        }
        let packed = self.pack(at);
        if self.refs.last() != Some(&packed) {
            self.refs.push(packed);
        }
        let at = index(self.refs.len() - 1);
        let me = index(self.list.len());
        self.list.push(Entry { at, next: END });
        self.acts.push(act);
        let (kind, a, b) = parts(&object);
        let h = hash(kind, a, b);
        match self.find_hashed(h, kind, a, b) {
            Some(o) => {
                let prev = match self.objects.get_mut(o as usize) {
                    Some(object) => std::mem::replace(&mut object.last, me),
                    None => END,
                };
                if let Some(e) = self.list.get_mut(prev as usize) {
                    e.next = me;
                }
            }
            None => self.add(h, kind, a, b, me),
        }
    }

    /// Adds an object (of hash `h`) whose first touch is `me`.
    fn add(&mut self, h: u64, kind: u8, a: &str, b: Option<&str>, me: u32) {
        let (a_at, a_len) = self.keep(a);
        let (b_at, b_len) = match b {
            Some(b) => self.keep(b),
            None => (0, END),
        };
        let o = index(self.objects.len());
        self.objects.push(Object {
            a: a_at,
            a_len,
            b: b_at,
            b_len,
            first: me,
            last: me,
            kind,
        });
        let (text, objects) = (&self.text, &self.objects);
        self.by_name
            .insert_unique(h, o, |&i| match objects.get(i as usize) {
                Some(object) => {
                    let (k, a, b) = names_of(text, object);
                    hash(k, a, b)
                }
                None => 0,
            });
    }

    /// Appends `name` to the names' text: where it starts, and its length.
    fn keep(&mut self, name: &str) -> (u32, u32) {
        let at = self.text.len();
        if self.text.capacity() - at < name.len() && at >= 4096 {
            // By a quarter once large, as the lists (see `reserve_gently`).
            self.text.reserve_exact(name.len().max(at / 4));
        }
        self.text.push_str(name);
        (index(at), index(name.len()))
    }

    /// The number of the object of `kind` and names `a`, `b`, when it was touched.
    fn find(&self, kind: u8, a: &str, b: Option<&str>) -> Option<u32> {
        self.find_hashed(hash(kind, a, b), kind, a, b)
    }

    fn find_hashed(&self, h: u64, kind: u8, a: &str, b: Option<&str>) -> Option<u32> {
        let (text, objects) = (&self.text, &self.objects);
        self.by_name
            .find(h, |&i| {
                objects
                    .get(i as usize)
                    .is_some_and(|o| names_of(text, o) == (kind, a, b))
            })
            .copied()
    }

    fn names(&self, o: &Object) -> (u8, &str, Option<&str>) {
        names_of(&self.text, o)
    }

    /// The object `object`, when it was touched.
    fn key(&self, object: &ObjKey) -> Option<u32> {
        let (kind, a, b) = parts(object);
        self.find(kind, a, b)
    }

    fn pack(&mut self, at: StmtRef) -> Packed {
        let small = |n: usize| u32::try_from(n).ok().filter(|&n| n != END);
        match (
            small(at.file),
            small(at.tx),
            small(at.seq),
            small(at.span.start),
            small(at.span.end),
        ) {
            (Some(file), Some(tx), Some(seq), Some(start), Some(end)) => Packed {
                file,
                tx,
                seq,
                start,
                end,
            },
            _ => {
                // Never merged with the previous reference: each wide one is new.
                self.wide.push(at);
                Packed {
                    file: END,
                    tx: 0,
                    seq: index(self.wide.len() - 1),
                    start: 0,
                    end: 0,
                }
            }
        }
    }

    fn unpack(&self, p: Packed) -> Option<StmtRef> {
        if p.file == END {
            return self.wide.get(p.seq as usize).copied();
        }
        Some(StmtRef {
            file: p.file as usize,
            span: Span::new(p.start as usize, p.end as usize),
            tx: p.tx as usize,
            seq: p.seq as usize,
        })
    }

    /// The touches of `object` in release order, as (position among all
    /// touches, statement, act).
    fn of(&self, object: &ObjKey) -> impl Iterator<Item = (u32, StmtRef, Act)> + '_ {
        self.of_key(self.key(object))
    }

    fn of_key(&self, key: Option<u32>) -> impl Iterator<Item = (u32, StmtRef, Act)> + '_ {
        let mut i = key
            .and_then(|o| self.objects.get(o as usize))
            .map_or(END, |o| o.first);
        std::iter::from_fn(move || {
            let e = self.list.get(i as usize)?;
            let at = self.unpack(*self.refs.get(e.at as usize)?)?;
            let out = (i, at, *self.acts.get(i as usize)?);
            i = e.next;
            Some(out)
        })
    }

    /// Whether the release created column `column` of table `table` (with the
    /// table, or added to it).
    pub fn created_column(&self, table: &str, column: &str) -> bool {
        self.created(self.find(1, table, Some(column)))
    }

    /// Whether the release created the index of key `key`.
    pub fn created_index(&self, key: &str) -> bool {
        self.created(self.find(6, key, None))
    }

    fn created(&self, key: Option<u32>) -> bool {
        key.is_some() && self.of_key(key).any(|(_, _, act)| act == Act::Create)
    }

    /// The columns the release created in each of `tables`, sorted (one pass
    /// over the touched objects, whatever the number of tables asked about).
    pub fn created_columns_of(&self, tables: &[&str]) -> Vec<(String, Vec<String>)> {
        let ids: HashMap<&str, usize> = tables.iter().enumerate().map(|(n, t)| (*t, n)).collect();
        let mut found: Vec<Vec<&str>> = vec![Vec::new(); tables.len()];
        for (i, o) in self.objects.iter().enumerate() {
            if let (1, a, Some(b)) = self.names(o) {
                if let Some(&n) = ids.get(a) {
                    if self.created(Some(index(i))) {
                        found[n].push(b);
                    }
                }
            }
        }
        tables
            .iter()
            .zip(found)
            .map(|(t, ids)| {
                let mut columns: Vec<String> = ids.into_iter().map(str::to_string).collect();
                columns.sort();
                columns.dedup();
                (t.to_string(), columns)
            })
            .collect()
    }

    /// The statements that touched `object` with one of `acts` (any act when
    /// empty), in release order.
    pub fn touching<'b>(
        &'b self,
        object: &ObjKey,
        acts: &'b [Act],
    ) -> impl Iterator<Item = StmtRef> + 'b {
        self.of(object)
            .filter(move |(_, _, act)| acts.is_empty() || acts.contains(act))
            .map(|(_, at, _)| at)
    }

    /// The statements that touched the objects whose delta key
    /// ([`ObjKey::delta_key`]) is `key`, in the order of their touches.
    fn by_delta_key(&self, key: &str, out: &mut Vec<(u32, StmtRef)>) {
        // Every kind but a column (1) is spelled by its own key.
        for kind in [0, 2, 3, 4, 5, 6] {
            if let Some(o) = self.find(kind, key, None) {
                out.extend(self.of_key(Some(o)).map(|(i, at, _)| (i, at)));
            }
        }
        // `table.column`, wherever the table key ends (keys may hold dots).
        for (dot, _) in key.match_indices('.') {
            if let Some(o) = self.find(1, &key[..dot], Some(&key[dot + 1..])) {
                out.extend(self.of_key(Some(o)).map(|(i, at, _)| (i, at)));
            }
        }
    }

    /// The statements that caused delta entry `object` (of `kind`), in release
    /// order: those that touched it (a column also under the names it and its
    /// table had earlier in the release, following `renames`), else (a column
    /// reached through its table: a table swap, a rebuild) those that touched
    /// its table. A function's overloads share their causes: dropping one and
    /// creating another under the same name changes its signature.
    pub fn causes_of(&self, object: &str, kind: ObjectKind, renames: &[Rename]) -> Vec<StmtRef> {
        let overloads_of = |k: &str| k.split_once('(').map(|(name, _)| name.to_string());
        let mut found: Vec<(u32, StmtRef)> = Vec::new();
        // Each group in the order of its touches, groups one after the other.
        let group = |key: &str, found: &mut Vec<(u32, StmtRef)>| {
            let from = found.len();
            self.by_delta_key(key, found);
            found[from..].sort_by_key(|&(i, _)| i);
        };
        let function = match kind {
            ObjectKind::Function => overloads_of(object),
            _ => None,
        };
        match function {
            Some(name) => {
                let mut keys: Vec<String> = self
                    .objects
                    .iter()
                    .map(|o| match self.names(o) {
                        (_, a, None) => a.to_string(),
                        (_, a, Some(b)) => format!("{a}.{b}"),
                    })
                    .filter(|k| overloads_of(k).as_ref() == Some(&name))
                    .collect();
                keys.sort();
                keys.dedup();
                for k in &keys {
                    group(k, &mut found);
                }
            }
            None => {
                group(object, &mut found);
                if kind == ObjectKind::Column {
                    if let Some((t, c)) = object.rsplit_once('.') {
                        for name in self.earlier_column_names(t, c, renames) {
                            group(&name, &mut found);
                        }
                    }
                }
            }
        }
        if found.is_empty() {
            if let Some((t, _)) = object.rsplit_once('.') {
                let table = self.find(0, t, None);
                found.extend(self.of_key(table).map(|(i, at, _)| (i, at)));
            }
        }
        let mut out: Vec<StmtRef> = found.into_iter().map(|(_, at)| at).collect();
        out.sort_by_key(|r| (r.seq, r.span.start));
        out.dedup();
        out
    }

    /// The earlier names (`table.column`) of column `table.column` in the release,
    /// its own renames and its table's, latest first; empty when it kept its
    /// name. A rename chain that starts at a table the release created (a table
    /// swap) is not followed, as in the delta itself.
    fn earlier_column_names(&self, table: &str, column: &str, renames: &[Rename]) -> Vec<String> {
        let created = |t: &str| {
            self.touching(&ObjKey::Table(t.to_string()), &[Act::Create])
                .next()
                .is_some()
        };
        let (mut t, mut c) = (table.to_string(), column.to_string());
        let mut out = Vec::new();
        for r in renames.iter().rev() {
            let moved = match r.kind {
                RenameKind::Table if r.to == t && !created(&r.from) => {
                    t = r.from.clone();
                    true
                }
                RenameKind::Column if r.parent.as_deref() == Some(t.as_str()) && r.to == c => {
                    c = r.from.clone();
                    true
                }
                _ => false,
            };
            if moved {
                out.push(format!("{t}.{c}"));
            }
        }
        out
    }
}

/// The kind and names of `o`, read from `text`.
fn names_of<'t>(text: &'t str, o: &Object) -> (u8, &'t str, Option<&'t str>) {
    let range =
        |at: u32, len: u32| text.get(at as usize..(at as usize).saturating_add(len as usize));
    let a = range(o.a, o.a_len).unwrap_or_default();
    let b = match o.b_len {
        END => None,
        len => range(o.b, len),
    };
    (o.kind, a, b)
}

fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(END)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seq: usize, start: usize) -> StmtRef {
        StmtRef {
            file: 0,
            span: Span::new(start, start + 5),
            tx: seq,
            seq,
        }
    }

    fn table(t: &str) -> ObjKey {
        ObjKey::Table(t.into())
    }

    fn column(t: &str, c: &str) -> ObjKey {
        ObjKey::Column(t.into(), c.into())
    }

    #[test]
    fn touches_come_back_by_object_in_release_order() {
        let mut t = Touches::default();
        t.push(table("users"), at(1, 0), Act::Alter);
        t.push(column("users", "email"), at(1, 0), Act::Create);
        t.push(table("orders"), at(2, 10), Act::Create);
        t.push(table("users"), at(3, 20), Act::Drop);
        let all: Vec<usize> = t.touching(&table("users"), &[]).map(|r| r.seq).collect();
        assert_eq!(all, vec![1, 3]);
        let drops: Vec<usize> = t
            .touching(&table("users"), &[Act::Drop])
            .map(|r| r.seq)
            .collect();
        assert_eq!(drops, vec![3]);
        assert_eq!(t.touching(&column("users", "email"), &[]).count(), 1);
        // Same names, another kind: not touched.
        assert_eq!(t.touching(&ObjKey::View("users".into()), &[]).count(), 0);
        assert_eq!(t.touching(&column("orders", "email"), &[]).count(), 0);
        assert_eq!(t.touching(&table("nobody"), &[]).count(), 0);
    }

    #[test]
    fn causes_merge_every_object_of_the_delta_key() {
        let mut t = Touches::default();
        // A table `a.b` (quoted, with a dot) and column `b` of table `a` share
        // the delta key `a.b`.
        t.push(column("a", "b"), at(2, 30), Act::Create);
        t.push(table("a.b"), at(1, 0), Act::Create);
        t.push(ObjKey::View("a.b".into()), at(1, 0), Act::Create);
        let seqs: Vec<usize> = t
            .causes_of("a.b", ObjectKind::Column, &[])
            .iter()
            .map(|r| r.seq)
            .collect();
        assert_eq!(seqs, vec![1, 2]);
        // A column only reached through its table: the table's statements.
        t.push(table("x"), at(4, 50), Act::Alter);
        let seqs: Vec<usize> = t
            .causes_of("x.y", ObjectKind::Column, &[])
            .iter()
            .map(|r| r.seq)
            .collect();
        assert_eq!(seqs, vec![4]);
        assert!(t.causes_of("nothing", ObjectKind::Table, &[]).is_empty());
    }

    #[test]
    fn overloads_of_a_function_share_their_causes() {
        let mut t = Touches::default();
        t.push(ObjKey::Function("f(int)".into()), at(1, 0), Act::Drop);
        t.push(ObjKey::Function("f(text)".into()), at(2, 10), Act::Create);
        t.push(ObjKey::Function("g(int)".into()), at(3, 20), Act::Create);
        let seqs: Vec<usize> = t
            .causes_of("f(text)", ObjectKind::Function, &[])
            .iter()
            .map(|r| r.seq)
            .collect();
        assert_eq!(seqs, vec![1, 2]);
    }

    #[test]
    fn a_reference_too_large_to_pack_comes_back_whole() {
        let mut t = Touches::default();
        let wide = StmtRef {
            file: 0,
            span: Span::new(usize::MAX - 10, usize::MAX - 1),
            tx: 1,
            seq: 1,
        };
        t.push(table("t"), wide, Act::Alter);
        t.push(table("t"), at(2, 0), Act::Alter);
        let back: Vec<StmtRef> = t.touching(&table("t"), &[]).collect();
        assert_eq!(back, vec![wide, at(2, 0)]);
    }
}
