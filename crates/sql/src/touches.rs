//! Which statement of a release did what to which object, kept compactly: a
//! release of hundreds of thousands of DDL statements touches as many objects,
//! and a record per touch holding its object's names and a whole statement
//! reference took more memory than the rest of the engine together.
//!
//! Each object is stored once (its kind and interned names, then the first and
//! last of its touches);
//! each touch is a statement index, an act and the next touch of the same object,
//! so an object's touches are read in release order without an index built
//! afterwards. The delta's causes and the release rules' questions
//! ([`crate::rules::ReleaseCx::touching`]) both read it.

use crate::delta::{Act, ObjKey, StmtRef};
use crate::model::{reserve_gently, ObjectKind, Rename, RenameKind};
use canary_lint_core::Span;
use rustc_hash::FxHashMap as HashMap;

/// No next touch.
const END: u32 = u32::MAX;

/// One statement touching one object.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Index into [`Touches::refs`].
    at: u32,
    /// The object's next touch (index into [`Touches::list`]), [`END`] for none.
    next: u32,
    act: Act,
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

/// An object by its interned names: its kind (the [`ObjKey`] variant), its
/// name (a column's table) and a column's name ([`END`] for other objects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    kind: u8,
    a: u32,
    b: u32,
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

/// The touches of one release, in release order, by object.
#[derive(Debug, Default, Clone)]
pub struct Touches {
    /// Every name of a touched object, once (a table's name is shared by the
    /// keys of its columns).
    names: HashMap<Box<str>, u32>,
    /// Each object's first and last touch.
    objects: HashMap<Key, (u32, u32)>,
    /// The statement references touches point at; consecutive touches of one
    /// change share one.
    refs: Vec<Packed>,
    /// References too large to pack (see [`Packed`]).
    wide: Vec<StmtRef>,
    list: Vec<Entry>,
}

impl Touches {
    /// Records that the statement at `at` did `act` to `object`.
    pub fn push(&mut self, object: ObjKey, at: StmtRef, act: Act) {
        if self.list.is_empty() {
            // Room for a migration of a few statements at once: most releases
            // are one, and growing four maps from nothing cost more than the rest.
            self.names.reserve(16);
            self.objects.reserve(16);
            self.list.reserve(16);
            self.refs.reserve(8);
        }
        let packed = self.pack(at);
        if self.refs.last() != Some(&packed) {
            reserve_gently(&mut self.refs);
            self.refs.push(packed);
        }
        let at = index(self.refs.len() - 1);
        let me = index(self.list.len());
        reserve_gently(&mut self.list);
        self.list.push(Entry { at, next: END, act });
        let key = self.intern_key(object);
        match self.objects.get_mut(&key) {
            Some((_, last)) => {
                let prev = std::mem::replace(last, me);
                if let Some(e) = self.list.get_mut(prev as usize) {
                    e.next = me;
                }
            }
            None => {
                self.objects.insert(key, (me, me));
            }
        }
    }

    /// The number of `name`, kept (without copying it) when it is new.
    fn intern(&mut self, name: String) -> u32 {
        if let Some(&i) = self.names.get(name.as_str()) {
            return i;
        }
        let i = index(self.names.len());
        self.names.insert(name.into_boxed_str(), i);
        i
    }

    fn intern_key(&mut self, object: ObjKey) -> Key {
        let (kind, a, b) = match object {
            ObjKey::Table(k) => (0, k, None),
            ObjKey::Column(t, c) => (1, t, Some(c)),
            ObjKey::View(k) => (2, k, None),
            ObjKey::Type(k) => (3, k, None),
            ObjKey::Sequence(k) => (4, k, None),
            ObjKey::Function(k) => (5, k, None),
            ObjKey::Index(k) => (6, k, None),
        };
        Key {
            kind,
            a: self.intern(a),
            b: b.map_or(END, |b| self.intern(b)),
        }
    }

    /// The key of an object that was touched (`None`: it was not).
    fn key(&self, object: &ObjKey) -> Option<Key> {
        let (kind, a, b) = parts(object);
        Some(Key {
            kind,
            a: *self.names.get(a)?,
            b: match b {
                Some(b) => *self.names.get(b)?,
                None => END,
            },
        })
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

    fn of_key(&self, key: Option<Key>) -> impl Iterator<Item = (u32, StmtRef, Act)> + '_ {
        let mut i = key
            .and_then(|k| self.objects.get(&k))
            .map_or(END, |&(first, _)| first);
        std::iter::from_fn(move || {
            let e = self.list.get(i as usize)?;
            let at = self.unpack(*self.refs.get(e.at as usize)?)?;
            let out = (i, at, e.act);
            i = e.next;
            Some(out)
        })
    }

    /// Whether the release created column `column` of table `table` (with the
    /// table, or added to it).
    pub fn created_column(&self, table: &str, column: &str) -> bool {
        let (Some(&a), Some(&b)) = (self.names.get(table), self.names.get(column)) else {
            return false;
        };
        self.created(Key { kind: 1, a, b })
    }

    /// Whether the release created the index of key `key`.
    pub fn created_index(&self, key: &str) -> bool {
        match self.names.get(key) {
            Some(&a) => self.created(Key { kind: 6, a, b: END }),
            None => false,
        }
    }

    fn created(&self, key: Key) -> bool {
        self.of_key(Some(key)).any(|(_, _, act)| act == Act::Create)
    }

    /// The columns the release created in each of `tables`, sorted (one pass
    /// over the touched objects, whatever the number of tables asked about).
    pub fn created_columns_of(&self, tables: &[&str]) -> Vec<(String, Vec<String>)> {
        let ids: HashMap<u32, usize> = tables
            .iter()
            .enumerate()
            .filter_map(|(n, t)| Some((*self.names.get(*t)?, n)))
            .collect();
        let mut found: Vec<Vec<u32>> = vec![Vec::new(); tables.len()];
        if !ids.is_empty() {
            for k in self.objects.keys() {
                if let (1, Some(&n)) = (k.kind, ids.get(&k.a)) {
                    if self.created(*k) {
                        found[n].push(k.b);
                    }
                }
            }
        }
        let mut by_id = vec![""; if ids.is_empty() { 0 } else { self.names.len() }];
        if !by_id.is_empty() {
            for (n, &i) in &self.names {
                if let Some(slot) = by_id.get_mut(i as usize) {
                    *slot = n;
                }
            }
        }
        tables
            .iter()
            .zip(found)
            .map(|(t, ids)| {
                let mut columns: Vec<String> = ids
                    .into_iter()
                    .filter_map(|i| by_id.get(i as usize).map(|c| c.to_string()))
                    .collect();
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
        if let Some(&a) = self.names.get(key) {
            // Every kind but a column (1) is spelled by its own key.
            for kind in [0, 2, 3, 4, 5, 6] {
                let k = Key { kind, a, b: END };
                out.extend(self.of_key(Some(k)).map(|(i, at, _)| (i, at)));
            }
        }
        // `table.column`, wherever the table key ends (keys may hold dots).
        for (dot, _) in key.match_indices('.') {
            let (Some(&a), Some(&b)) =
                (self.names.get(&key[..dot]), self.names.get(&key[dot + 1..]))
            else {
                continue;
            };
            let k = Key { kind: 1, a, b };
            out.extend(self.of_key(Some(k)).map(|(i, at, _)| (i, at)));
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
                let mut by_id = vec![""; self.names.len()];
                for (n, &i) in &self.names {
                    if let Some(slot) = by_id.get_mut(i as usize) {
                        *slot = n;
                    }
                }
                let name_of = |i: u32| by_id.get(i as usize).copied().unwrap_or_default();
                let mut keys: Vec<String> = self
                    .objects
                    .keys()
                    .map(|k| match k.b {
                        END => name_of(k.a).to_string(),
                        b => format!("{}.{}", name_of(k.a), name_of(b)),
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
                let table = self.names.get(t).map(|&a| Key { kind: 0, a, b: END });
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
