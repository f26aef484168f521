//! The release engine: the one path from parsed migrations to findings and to the
//! release delta. `check`, `schema-diff` and the rule fixtures all call
//! [`analyze_release`].
//!
//! For each statement of the release, in order:
//! 1. its [`Change`] values are made ([`crate::changes::from_statement`] from the
//!    syntax tree, [`crate::scan`] for a statement the parser rejected);
//! 2. the objects it touches are copied, as they were before the release, into a
//!    partial *before* schema (only what the release touches is ever copied, so a
//!    one-file release against a long history stays cheap);
//! 3. the statement rules (lock, data, and the compat rules' candidates) look at
//!    each change, with the before state as history;
//! 4. the statement is replayed into the running schema.
//!
//! At the end the touched objects are copied from the running schema into an
//! *after* schema, and [`crate::model::diff`] of before and after is the release
//! delta: each entry carries the statements that touched its object. Compat
//! findings are judged by that net effect: a statement finding whose effect the
//! release undoes (a view dropped and re-created with its columns, a table swapped
//! back under its name) is dropped, and the release rules
//! ([`crate::rules::ReleaseCx`]) report what the net delta breaks.

use crate::changes::{from_statement, Change, ChangeKind, Name, StatementText};
use crate::delta::{Act, Cause, DeltaEntry, Knowledge, ObjKey, Recreated, StmtRef};
use crate::history::{ColumnFacts, History};
use crate::model::{diff_in, diff_types, Rename, Schema, SchemaChange};
use crate::parse::ParsedFile;
use crate::rules::{self, unparsed_statement, ReleaseCx, ReleaseState, RuleCx};
use crate::scan::{scan, scan_ops};
use crate::Dialect;
use canary_lint_core::{sort_diagnostics, Diagnostic, Severity, Span};
use sqlparser::ast::Statement;
use std::collections::{BTreeMap, BTreeSet};

/// What [`analyze_release`] found.
#[derive(Debug, Default)]
pub struct ReleaseAnalysis {
    /// Sorted findings.
    pub diagnostics: Vec<Diagnostic>,
    /// The release delta, sorted by object.
    pub delta: Vec<DeltaEntry>,
    /// Statements the schema model did not follow: (file index, span, reason).
    pub not_followed: Vec<(usize, Span, String)>,
}

/// Analyzes one release: `schema` is what stable knew (the replayed history, or
/// empty), and is left as the schema after the release, so callers that check
/// each migration as its own release pass the same schema on.
pub fn analyze_release(
    schema: &mut Schema,
    knowledge: Knowledge,
    release: &[ParsedFile],
) -> ReleaseAnalysis {
    walk_release(schema, knowledge, release, true)
}

/// [`analyze_release`] without the printed delta: the same findings (the rules see
/// the same schemas and delta entries), with [`ReleaseAnalysis::delta`] left empty.
/// `check`, which prints findings only, calls this once per migration; building
/// every entry of the delta with its causes was most of the engine's cost there.
pub fn analyze_release_findings(
    schema: &mut Schema,
    knowledge: Knowledge,
    release: &[ParsedFile],
) -> ReleaseAnalysis {
    walk_release(schema, knowledge, release, false)
}

fn walk_release(
    schema: &mut Schema,
    knowledge: Knowledge,
    release: &[ParsedFile],
    want_delta: bool,
) -> ReleaseAnalysis {
    let mut w = Walk {
        knowledge,
        before: Schema::new(),
        touched: BTreeSet::new(),
        candidates: Vec::new(),
        diags: Vec::new(),
        state: ReleaseState::default(),
        holders: BTreeMap::new(),
        vacated: BTreeMap::new(),
        refilled: BTreeMap::new(),
        tx: 0,
        seq: 0,
        not_followed: Vec::new(),
    };
    let renames_at_start = schema.renames().len();
    if let Some(f) = release.first() {
        w.before.set_dialect(f.dialect);
    }
    for (i, pf) in release.iter().enumerate() {
        w.file(i, pf, schema);
    }
    w.finish(schema, renames_at_start, release, want_delta)
}

/// The compat rules whose statement findings are judged by the net delta.
fn judged_by_net_effect(rule: &str) -> bool {
    matches!(
        rule,
        "drop-column"
            | "drop-table"
            | "drop-view"
            | "rename-column"
            | "rename-table"
            | "change-column-type"
            | "add-required-column"
            | "set-not-null"
            | "drop-default"
            | "rename-enum-value"
    )
}

/// A statement finding of a compat rule, waiting for the net delta.
struct Candidate {
    diag: Diagnostic,
    kind: ChangeKind,
    /// The schema model followed the statement: the net effect can judge it.
    /// A change found by the token scan (a rejected statement, DDL inside a `DO`
    /// block) or in a statement the model did not follow keeps its finding.
    replayed: bool,
    /// The key stable knew the statement's table by, when the name held a table
    /// stable knew at that point of the release (renamed or not).
    table_origin: Option<String>,
}

/// Who holds a table name during the release.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Holder {
    /// The table stable knew under this (original) key.
    Original(String),
    /// A table made in the release.
    New {
        filled: bool,
    },
    Gone,
}

struct Walk {
    knowledge: Knowledge,
    before: Schema,
    touched: BTreeSet<ObjKey>,
    candidates: Vec<Candidate>,
    diags: Vec<Diagnostic>,
    state: ReleaseState,
    holders: BTreeMap<String, Holder>,
    vacated: BTreeMap<String, StmtRef>,
    refilled: BTreeMap<String, (StmtRef, String)>,
    tx: usize,
    seq: usize,
    not_followed: Vec<(usize, Span, String)>,
}

/// The history as the rules see it while the release runs: the before state of
/// what the release touched, the untouched rest of the running schema, and (with
/// [`Knowledge::History`]) "unknown" for what the history never created.
struct BeforeView<'a> {
    before: &'a Schema,
    running: &'a Schema,
    touched: &'a BTreeSet<ObjKey>,
    /// Which table holds each name: a table the release renamed is looked up
    /// under the name stable knows it by.
    holders: &'a BTreeMap<String, Holder>,
    open: bool,
}

impl BeforeView<'_> {
    /// The name stable knows the table now called `table` by.
    fn stable_name<'n>(&'n self, table: &'n str) -> &'n str {
        match self.holders.get(table) {
            Some(Holder::Original(k)) => k,
            _ => table,
        }
    }

    fn pick(&self, k: ObjKey) -> &Schema {
        if self.touched.contains(&k) {
            self.before
        } else {
            self.running
        }
    }
}

impl History for BeforeView<'_> {
    fn has_table(&self, table: &str) -> bool {
        self.open || self.pick(ObjKey::Table(table.into())).has_table(table)
    }

    fn column(&self, table: &str, column: &str) -> Option<ColumnFacts> {
        let table = self.stable_name(table);
        let s = self.pick(ObjKey::Table(table.into()));
        match s.table(table) {
            Some(t) if t.columns_known => History::column(s, table, column),
            Some(_) => Some(ColumnFacts::default()),
            None if self.open => Some(ColumnFacts::default()),
            None => None,
        }
    }

    fn has_view(&self, view: &str) -> bool {
        self.open || self.pick(ObjKey::View(view.into())).has_view(view)
    }

    fn has_type(&self, name: &str) -> bool {
        self.open || self.pick(ObjKey::Type(name.into())).has_type(name)
    }

    fn not_null_checked(&self, table: &str, column: &str) -> bool {
        let table = self.stable_name(table);
        History::not_null_checked(self.pick(ObjKey::Table(table.into())), table, column)
    }
}

/// The objects one change touches, and how.
fn touched_by(kind: &ChangeKind, schema: &Schema) -> Vec<(ObjKey, Act)> {
    use ChangeKind as K;
    let t = |n: &Name| ObjKey::Table(n.key.clone());
    let c = |n: &Name, c: &Name| ObjKey::Column(n.key.clone(), c.key.clone());
    match kind {
        K::CreateTable { table, columns, .. } => {
            let mut v = vec![(t(table), Act::Create)];
            v.extend(columns.iter().map(|(col, _)| (c(table, col), Act::Create)));
            v
        }
        K::AddColumn { table, column, .. } => {
            vec![(t(table), Act::Alter), (c(table, column), Act::Create)]
        }
        K::DropColumn { table, column, .. } => {
            vec![(t(table), Act::Alter), (c(table, column), Act::Drop)]
        }
        K::RenameColumn { table, from, to } => vec![
            (t(table), Act::Alter),
            (c(table, from), Act::RenameAway),
            (c(table, to), Act::RenameInto),
        ],
        K::ChangeType { table, column, .. } => {
            vec![(t(table), Act::Alter), (c(table, column), Act::ChangeType)]
        }
        K::SetNotNull { table, column, .. }
        | K::DropNotNull { table, column }
        | K::SetDefault { table, column, .. }
        | K::DropDefault { table, column, .. } => {
            vec![(t(table), Act::Alter), (c(table, column), Act::Alter)]
        }
        K::RenameTable { from, to, .. } => vec![
            (t(from), Act::RenameAway),
            (t(to), Act::RenameInto),
            (ObjKey::View(from.key.clone()), Act::RenameAway),
            (ObjKey::View(to.key.clone()), Act::RenameInto),
        ],
        K::DropTable { table, cascade, .. } => {
            let mut v = vec![(t(table), Act::Drop)];
            if *cascade {
                v.extend(
                    schema
                        .dependent_views(&table.key)
                        .into_iter()
                        .map(|k| (ObjKey::View(k), Act::Cascade)),
                );
            }
            v
        }
        K::InsertSelect { table } => vec![(t(table), Act::Fill)],
        K::CreateTrigger { table, .. } => vec![(t(table), Act::Trigger)],
        K::DropTrigger { .. } => Vec::new(),
        K::AddConstraint {
            table,
            not_null_check,
            ..
        } => {
            let mut v = vec![(t(table), Act::Constrain)];
            // `CHECK (c IS NOT NULL)` keeps `c` from NULL as `SET NOT NULL` would.
            if let Some(col) = not_null_check {
                v.push((c(table, col), Act::Alter));
            }
            v
        }
        K::CreateIndex { table, index, .. } => {
            let mut v = vec![(t(table), Act::Constrain)];
            if let Some(i) = index {
                v.push((ObjKey::Index(i.key.clone()), Act::Create));
            }
            v
        }
        K::DropIndex { index, .. } => {
            let mut v = vec![(ObjKey::Index(index.key.clone()), Act::Drop)];
            if let Some(table) = schema.table_of_index(&index.key) {
                v.push((ObjKey::Table(table), Act::Alter));
            }
            v
        }
        K::AlgorithmCopy { table } | K::AlterTableLock { table } => vec![(t(table), Act::Alter)],
        K::CreateView { view, .. } => vec![(ObjKey::View(view.key.clone()), Act::Create)],
        K::DropView { view, cascade, .. } => {
            let mut v = vec![(ObjKey::View(view.key.clone()), Act::Drop)];
            if *cascade {
                v.extend(
                    schema
                        .dependent_views(&view.key)
                        .into_iter()
                        .map(|k| (ObjKey::View(k), Act::Cascade)),
                );
            }
            v
        }
        K::CreateType { name, .. } => vec![(ObjKey::Type(name.key.clone()), Act::Create)],
        K::DropType { name, .. } => vec![(ObjKey::Type(name.key.clone()), Act::Drop)],
        K::RenameEnumValue { ty, .. } | K::AddEnumValue { ty, .. } => {
            vec![(ObjKey::Type(ty.key.clone()), Act::Alter)]
        }
        K::RenameType { from, to, .. } => vec![
            (ObjKey::Type(from.key.clone()), Act::RenameAway),
            (ObjKey::Type(to.key.clone()), Act::RenameInto),
        ],
        K::CreateSequence { name, .. } => {
            vec![(ObjKey::Sequence(name.key.clone()), Act::Create)]
        }
        K::DropSequence { name, .. } => vec![(ObjKey::Sequence(name.key.clone()), Act::Drop)],
        K::CreateFunction {
            name, signature, ..
        } => vec![(
            ObjKey::Function(crate::changes::overload_key(&name.key, &signature.args)),
            Act::Create,
        )],
        K::DropFunction { name, args, .. } => match args {
            Some(args) => vec![(
                ObjKey::Function(crate::changes::overload_key(&name.key, args)),
                Act::Drop,
            )],
            None => schema
                .overloads(&name.key)
                .into_iter()
                .map(|k| (ObjKey::Function(k), Act::Drop))
                .collect(),
        },
        K::Update { .. }
        | K::Delete { .. }
        | K::Truncate { .. }
        | K::SetLockTimeout
        | K::Begin
        | K::Commit
        // Lock facts: they change no schema stable sees.
        | K::ValidateConstraint { .. }
        | K::Rewrite { .. }
        | K::Reindex { .. }
        // Replayed by the model; not judged by the release delta yet.
        | K::RenameIndex { .. }
        | K::DropSchema { .. }
        | K::AlterView { .. }
        // The table's touch comes with the statement's `AlterTableLock`.
        | K::AddTableItem { .. }
        | K::DropConstraint { .. }
        | K::RenameConstraint { .. }
        | K::AddIdentity { .. }
        | K::NotModelled { .. } => Vec::new(),
    }
}

impl Walk {
    /// Copies the before state of `k` (once: the first time the release touches it).
    fn snapshot(&mut self, k: &ObjKey, running: &Schema) {
        let whole = match k {
            ObjKey::Column(t, _) => ObjKey::Table(t.clone()),
            ObjKey::Index(i) => match running.table_of_index(i) {
                Some(t) => ObjKey::Table(t),
                None => return,
            },
            other => other.clone(),
        };
        if self.touched.contains(&whole) {
            return;
        }
        match &whole {
            ObjKey::Table(t) => self.before.copy_table_from(running, t),
            ObjKey::View(v) => self.before.copy_view_from(running, v),
            ObjKey::Type(t) => self.before.copy_type_from(running, t),
            ObjKey::Sequence(s) => self.before.copy_sequence_from(running, s),
            ObjKey::Function(f) => self.before.copy_function_from(running, f),
            ObjKey::Column(..) | ObjKey::Index(_) => {}
        }
        self.touched.insert(whole);
    }

    fn holder(&self, name: &str, running: &Schema) -> Holder {
        match self.holders.get(name) {
            Some(h) => h.clone(),
            None if running.has_table(name) => Holder::Original(name.to_string()),
            None => Holder::Gone,
        }
    }

    /// Follows which table holds which name, for table swaps and rebuilds.
    fn follow_tables(&mut self, kind: &ChangeKind, at: StmtRef, running: &Schema) {
        match kind {
            ChangeKind::CreateTable {
                table,
                temporary: false,
                filled,
                ..
            } => {
                self.refilled
                    .insert(table.key.clone(), (at, table.display.clone()));
                self.holders
                    .insert(table.key.clone(), Holder::New { filled: *filled });
            }
            ChangeKind::DropTable { table, .. } => {
                if let Holder::Original(k) = self.holder(&table.key, running) {
                    self.vacated.entry(k).or_insert(at);
                }
                self.holders.insert(table.key.clone(), Holder::Gone);
            }
            ChangeKind::RenameTable { from, to, .. } => {
                let h = self.holder(&from.key, running);
                if h == Holder::Original(from.key.clone()) {
                    self.vacated.entry(from.key.clone()).or_insert(at);
                }
                if matches!(h, Holder::New { .. }) {
                    self.refilled
                        .insert(to.key.clone(), (at, to.display.clone()));
                }
                self.holders.insert(from.key.clone(), Holder::Gone);
                self.holders.insert(to.key.clone(), h);
            }
            ChangeKind::InsertSelect { table } => {
                if let Some(Holder::New { filled }) = self.holders.get_mut(&table.key) {
                    *filled = true;
                }
            }
            _ => {}
        }
    }

    fn file(&mut self, fi: usize, pf: &ParsedFile, schema: &mut Schema) {
        let text: &str = &pf.file.text;
        let framework_tx = crate::layout::transactions(pf.layout, &pf.file.path, text, pf.dialect);
        let mysql = pf.dialect == Dialect::Mysql;
        let mut explicit_tx = false;
        let mut lock_timeout_set = false;
        let mut lock_timeout_reported = false;
        self.tx += 1;
        let file_tx = self.tx;
        self.state.start_file();
        for s in &pf.statements {
            // The tree, parsed again here when the file was too large to keep it.
            let tree = s.tree(text, pf.dialect);
            let ast: Option<&Statement> = tree.as_deref();
            // A view read from its tokens instead of parsed: its change value.
            let read = s.read();
            let first = first_word(text, s.span);
            // A parsed `CREATE`, `DROP` or `EXEC` has no fact the scan adds to
            // its syntax tree's change values.
            let ops = OPS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(first))
                && !((ast.is_some() || read.is_some())
                    && TREE_ONLY_WORDS
                        .iter()
                        .any(|w| w.eq_ignore_ascii_case(first)))
                && (!first.eq_ignore_ascii_case("CREATE")
                    || crate::scan::create_is_index(text, s.span, pf.dialect));
            let changes_schema = ast.is_some_and(may_change_schema) || read.is_some();
            // A routine or PRAGMA the parser rejects is valid SQL that changes no
            // schema by itself (DDL in routine bodies is read by the body scan).
            let skipped = s.is_skipped()
                || (ast.is_none() && crate::parse::is_routine_or_pragma(text, s.span, pf.dialect));
            let rejected = ast.is_none() && read.is_none() && !skipped;
            // DDL inside `DO` blocks and routine bodies, found by the token scan.
            let in_bodies = crate::scan::in_bodies(text, s.span, pf.dialect);
            if !ops && !changes_schema && !rejected && in_bodies.is_empty() {
                // Nothing a rule reads; the model may still follow it.
                if let Some(ast) = ast {
                    self.replay(fi, s.span, ast, None, pf.dialect, schema);
                }
                continue;
            }
            let st = StatementText::new(text, s.span, pf.dialect);
            // A rejected statement the scan reads whole (`DROP INDEX CONCURRENTLY`).
            let read_whole = rejected && crate::scan::fully_read(&st);
            let mut changes: Vec<Change> = match (ast, s.error()) {
                (Some(ast), _) if changes_schema => from_statement(ast, &st),
                (Some(_), _) => Vec::new(),
                (None, _) if read.is_some() => crate::parse::read_changes(s),
                (None, _) if skipped => Vec::new(),
                (None, _) if read_whole => Vec::new(),
                (None, err) => {
                    let (message, at) = match err {
                        Some(e) => (e.message.as_str(), e.offset),
                        None => ("unknown error", None),
                    };
                    self.diags.push(unparsed_statement::report(
                        &pf.file, s.span, at, message, pf.dialect,
                    ));
                    scan(&st)
                }
            };
            let from_ast = if ast.is_some() || read.is_some() {
                changes.len()
            } else {
                0
            };
            if ops {
                let mut extra = scan_ops(&st, ast.is_some());
                for c in &mut extra {
                    c.by_scan = rejected;
                }
                changes.extend(extra);
            }
            changes.extend(in_bodies);
            let framework_tx = framework_tx.at(s.span.start);
            // Transactions: MySQL commits around every DDL statement.
            let ddl = changes.iter().any(|c| {
                !matches!(
                    c.kind,
                    ChangeKind::Begin
                        | ChangeKind::Commit
                        | ChangeKind::SetLockTimeout
                        | ChangeKind::Update { .. }
                        | ChangeKind::Delete { .. }
                        | ChangeKind::InsertSelect { .. }
                )
            });
            let tx = if mysql && ddl {
                self.tx += 1;
                self.tx
            } else if explicit_tx {
                self.tx
            } else if framework_tx {
                file_tx
            } else {
                self.tx += 1;
                self.tx
            };
            let at = |span: Span, seq: usize| StmtRef {
                file: fi,
                span,
                tx,
                seq,
            };
            // What each change touches (read from the schema before the statement
            // runs, so once: the rules below do not change the schema).
            let touched: Vec<Vec<(ObjKey, Act)>> = changes
                .iter()
                .map(|c| touched_by(&c.kind, schema))
                .collect();
            for (k, _) in touched.iter().flatten() {
                self.snapshot(k, schema);
            }
            let view = BeforeView {
                before: &self.before,
                running: schema,
                touched: &self.touched,
                holders: &self.holders,
                open: true,
            };
            let history: Option<&dyn History> = match self.knowledge {
                Knowledge::History => Some(&view),
                Knowledge::NoHistory => None,
            };
            let cx = RuleCx {
                file: &pf.file,
                dialect: pf.dialect,
                release: &self.state,
                history,
                in_transaction: framework_tx || explicit_tx,
                lock_timeout_set,
                lock_timeout_reported,
            };
            let mut found = Vec::new();
            let first_candidate = self.candidates.len();
            let order = statement_order(&changes, from_ast);
            for &i in &order {
                let c = &changes[i];
                let before = found.len();
                rules::check(&cx, c, &mut found);
                for d in found.drain(before..).collect::<Vec<_>>() {
                    // A change found by the token scan (a rejected statement, a
                    // DO block or routine body) never reaches the model, so the
                    // net effect cannot judge it: it is kept as found.
                    if judged_by_net_effect(&d.rule) && !c.by_scan {
                        let table_origin = subject_table(&c.kind).and_then(|t| {
                            match self.holder(&t.key, schema) {
                                Holder::Original(k) => Some(k),
                                _ => None,
                            }
                        });
                        self.candidates.push(Candidate {
                            diag: d,
                            kind: c.kind.clone(),
                            replayed: i < from_ast,
                            table_origin,
                        });
                    } else {
                        found.push(d);
                    }
                }
            }
            if found
                .iter()
                .any(|d| d.rule == rules::missing_lock_timeout::MISSING_LOCK_TIMEOUT.name)
            {
                lock_timeout_reported = true;
            }
            self.diags.append(&mut found);
            self.seq += 1;
            let seq = self.seq;
            let mut touched = touched;
            for &i in &order {
                let c = &changes[i];
                let touched = std::mem::take(&mut touched[i]);
                match c.kind {
                    ChangeKind::Begin => {
                        explicit_tx = true;
                        self.tx += 1;
                    }
                    ChangeKind::Commit => explicit_tx = false,
                    ChangeKind::SetLockTimeout => lock_timeout_set = true,
                    _ => {}
                }
                let r = at(c.clause, seq);
                self.follow_tables(&c.kind, r, schema);
                for (k, act) in touched {
                    self.state.touches.push(k, r, act);
                }
                self.state.note(c);
            }
            if let Some(ast) = ast {
                let made = changes_schema.then(|| &changes[..from_ast]);
                if !self.replay(fi, s.span, ast, made, pf.dialect, schema) {
                    for c in &mut self.candidates[first_candidate..] {
                        c.replayed = false;
                    }
                }
            } else if read.is_some() {
                let made = &changes[..from_ast];
                if let crate::model::Applied::NotUnderstood(why) =
                    schema.apply_read(made, pf.dialect)
                {
                    self.not_followed.push((fi, s.span, why));
                    for c in &mut self.candidates[first_candidate..] {
                        c.replayed = false;
                    }
                }
            } else if read_whole {
                // Its index drops reach the model as the parsed form's would.
                if let crate::model::Applied::NotUnderstood(why) =
                    schema.apply_scanned(&changes, pf.dialect)
                {
                    self.not_followed.push((fi, s.span, why));
                }
            }
        }
    }

    /// Replays one statement from the change values made from its syntax tree
    /// (`changes`; made by the model when the caller made none); `false` when
    /// the model did not follow it.
    fn replay(
        &mut self,
        fi: usize,
        span: Span,
        ast: &Statement,
        changes: Option<&[Change]>,
        d: Dialect,
        schema: &mut Schema,
    ) -> bool {
        let applied = match changes {
            Some(changes) => schema.apply_with(ast, changes, d),
            None => schema.apply(ast, d),
        };
        if let crate::model::Applied::NotUnderstood(why) = applied {
            self.not_followed.push((fi, span, why));
            return false;
        }
        true
    }

    fn finish(
        mut self,
        schema: &Schema,
        renames_at_start: usize,
        release: &[ParsedFile],
        want_delta: bool,
    ) -> ReleaseAnalysis {
        let mut after = Schema::new();
        after.set_dialect(schema.dialect());
        self.before.set_dialect(schema.dialect());
        after.copy_tables_from(
            schema,
            self.touched.iter().filter_map(|k| match k {
                ObjKey::Table(t) => Some(t.as_str()),
                _ => None,
            }),
        );
        for k in &self.touched {
            match k {
                ObjKey::Table(_) => {}
                ObjKey::View(v) => after.copy_view_from(schema, v),
                ObjKey::Type(t) => after.copy_type_from(schema, t),
                ObjKey::Sequence(s) => after.copy_sequence_from(schema, s),
                ObjKey::Function(f) => after.copy_function_from(schema, f),
                ObjKey::Column(..) | ObjKey::Index(_) => {}
            }
        }
        let renames: Vec<Rename> = schema
            .renames()
            .get(renames_at_start..)
            .unwrap_or_default()
            .to_vec();
        after.extend_renames(&renames);
        // The rules read the delta's entries about types and sequences; the whole
        // delta is built only for a caller that prints it.
        let judged = diff_types(&self.before, &after);
        let whole = if want_delta {
            diff_in(&self.before, &after, schema)
        } else {
            Vec::new()
        };
        let entries = |changes: Vec<SchemaChange>| -> Vec<DeltaEntry> {
            changes
                .into_iter()
                .map(|change| {
                    let refs =
                        self.state
                            .touches
                            .causes_of(&change.object, change.object_kind, &renames);
                    // Exact size (an in-place collect kept the larger capacity of
                    // the references: 144 bytes per entry of one cause).
                    let mut causes = Vec::with_capacity(refs.len());
                    causes.extend(refs.iter().map(|r| {
                        let f = &release[r.file].file;
                        let p = f.position(r.span.start);
                        Cause {
                            file: f.path.clone(),
                            line: p.line,
                            column: p.column,
                        }
                    }));
                    DeltaEntry { change, causes }
                })
                .collect()
        };
        let judged = entries(judged);
        let delta = entries(whole);

        let recreated: Vec<Recreated> = self
            .refilled
            .iter()
            .filter_map(|(name, (refilled, display))| {
                let vacated = *self.vacated.get(name)?;
                let Some(Holder::New { filled }) = self.holders.get(name) else {
                    return None;
                };
                (self.before.has_table(name) && after.has_table(name)).then(|| Recreated {
                    table: name.clone(),
                    display: display.clone(),
                    vacated,
                    refilled: *refilled,
                    filled: *filled,
                })
            })
            .collect();

        // Statement findings, judged by the net effect.
        let mut confirmed = BTreeSet::new();
        for c in std::mem::take(&mut self.candidates) {
            if let Some(d) = judge_candidate(c, &self.before, &after, self.knowledge) {
                if let Some(s) = &d.subject {
                    confirmed.insert((d.rule.clone(), s.to_string()));
                }
                self.diags.push(d);
            }
        }
        let cx = ReleaseCx {
            files: release,
            before: &self.before,
            after: &after,
            delta: &judged,
            touches: &self.state.touches,
            recreated: &recreated,
            confirmed: &confirmed,
            renames: &renames,
            knowledge: self.knowledge,
            running: schema,
            kept: Default::default(),
        };
        rules::judge(&cx, &mut self.diags);
        crate::renames::mark_one_step_renames(&self.state, &mut self.diags);
        sort_diagnostics(&mut self.diags);
        ReleaseAnalysis {
            diagnostics: self.diags,
            delta,
            not_followed: self.not_followed,
        }
    }
}

/// The table (or view) a compat statement finding is about.
fn subject_table(kind: &ChangeKind) -> Option<&Name> {
    use ChangeKind as K;
    match kind {
        K::DropTable { table, .. }
        | K::DropColumn { table, .. }
        | K::RenameColumn { table, .. }
        | K::SetNotNull { table, .. }
        | K::DropDefault { table, .. }
        | K::ChangeType { table, .. }
        | K::AddColumn { table, .. } => Some(table),
        K::RenameTable { from, .. } => Some(from),
        _ => None,
    }
}

/// Keeps a compat statement finding when the net effect of the release still
/// does what the statement did to an object stable knew; drops it when a later
/// statement undid it. Findings about objects the history never created are kept
/// and say so (a `DROP .. IF EXISTS` of one is a note: it may exist nowhere).
fn judge_candidate(
    c: Candidate,
    before: &Schema,
    after: &Schema,
    knowledge: Knowledge,
) -> Option<Diagnostic> {
    use ChangeKind as K;
    let mut d = c.diag;
    // The name a table had before the release (a table renamed earlier in the
    // release is the table stable knew under its old name).
    let origin =
        |key: &str| -> String { c.table_origin.clone().unwrap_or_else(|| key.to_string()) };
    let known_table = |t: &Name| before.has_table(&origin(&t.key));
    let known_column = |t: &Name, col: &Name| {
        before
            .table(&origin(&t.key))
            .is_some_and(|tb| tb.columns_known && tb.has_column(&col.key))
    };
    let after_col = |t: &Name, col: &Name| after.column(&t.key, &col.key);
    let (known, keep, never, if_exists) = match &c.kind {
        K::DropTable {
            table, if_exists, ..
        } => (
            known_table(table),
            // Stable's table is gone from the name stable uses.
            !after.has_table(&origin(&table.key)),
            Some(table),
            *if_exists,
        ),
        K::DropView {
            view, if_exists, ..
        } => (
            before.has_view(&view.key),
            !after.has_view(&view.key),
            Some(view),
            *if_exists,
        ),
        K::RenameTable { from, .. } => (
            known_table(from) || before.has_view(&from.key),
            !after.has_relation(&origin(&from.key)),
            Some(from),
            false,
        ),
        K::DropColumn { table, column, .. }
        | K::RenameColumn {
            table,
            from: column,
            ..
        } => (
            known_column(table, column),
            !after
                .table(&table.key)
                .is_some_and(|t| t.has_column(&column.key)),
            Some(table),
            false,
        ),
        K::SetNotNull { table, column, .. } => (
            known_column(table, column),
            after_col(table, column).is_some_and(|c| !c.nullable),
            Some(table),
            false,
        ),
        K::DropDefault { table, column, .. } => (
            known_column(table, column),
            after_col(table, column).is_some_and(|c| !c.can_be_omitted()),
            Some(table),
            false,
        ),
        // Judged from the net delta by the rules' release step.
        K::ChangeType { table, column, .. } => {
            (known_column(table, column), false, Some(table), false)
        }
        K::AddColumn { table, .. } => (known_table(table), false, Some(table), false),
        K::RenameEnumValue { ty, from, .. } => (
            before.enum_type(&ty.key).is_some(),
            !after
                .enum_type(&ty.key)
                .is_some_and(|e| e.values.contains(from)),
            None,
            false,
        ),
        _ => (false, true, None, false),
    };
    // A table renamed earlier in the release: stable knows it by its old name,
    // so the fact the message states names that one. Dropping it under the new
    // name adds nothing for stable: the rename is reported (`rename-table`, at
    // the statement the release delta names for that table).
    if let (Some(n), Some(o)) = (never, &c.table_origin) {
        if *o != n.key {
            if matches!(c.kind, K::DropTable { .. }) {
                return None;
            }
            name_stable_table(&mut d.message, &n.display, crate::names::bare(o));
        }
    }
    if known && c.replayed {
        return keep.then_some(d);
    }
    if known {
        return Some(d);
    }
    // Not in the history: the object may exist outside the migrations seen.
    if knowledge == Knowledge::History {
        if let Some(n) = never {
            let o = origin(&n.key);
            if !before.has_table(&o) && !before.has_view(&o) {
                if if_exists {
                    d.severity = Severity::Note;
                    d.message = format!(
                        "`{}` is dropped with IF EXISTS and the migrations seen never create it; if it exists outside them, stable may still use it",
                        n.display
                    );
                } else {
                    d.message = d
                        .message
                        .replace("stable's schema has", "stable's database may have");
                    d.message.push_str(&format!(
                        "; the migrations seen never create `{}`, so its earlier state is unknown",
                        n.display
                    ));
                }
            }
        }
    }
    Some(d)
}

/// Rewrites "stable's schema has `new..`" as "stable's schema has `old..` (renamed
/// to `new` in this release)" in a message about a table renamed in the release.
fn name_stable_table(message: &mut String, shown: &str, stable: &str) {
    const FACT: &str = "stable's schema has `";
    let Some(at) = message.find(&format!("{FACT}{shown}")) else {
        return;
    };
    let start = at + FACT.len();
    let Some(len) = message[start..].find('`') else {
        return;
    };
    let fact = message[start..start + len].replacen(shown, stable, 1);
    let what = if fact == stable {
        "renamed"
    } else {
        "its table renamed"
    };
    let note = format!("`{fact}` ({what} to `{shown}` in this release)");
    message.replace_range(start - 1..start + len + 1, &note);
}

/// First words of statements whose lock, data or session facts the token scan
/// reads (see [`crate::scan::scan_ops`]).
/// Replays into `schema` a statement of `text` at `span` that the parser
/// rejected, when the token scan reads it whole (`DROP INDEX CONCURRENTLY`: see
/// [`Schema::apply_scanned`]), from the same change values the release engine
/// replays; any other rejected statement is not followed.
pub(crate) fn replay_rejected(
    schema: &mut Schema,
    text: &str,
    span: Span,
    dialect: Dialect,
) -> crate::model::Applied {
    let st = StatementText::new(text, span, dialect);
    if !crate::scan::fully_read(&st) {
        return crate::model::Applied::Ignored;
    }
    schema.apply_scanned(&scan_ops(&st, false), dialect)
}

const OPS_WORDS: &[&str] = &[
    "CREATE", "DROP", "ALTER", "TRUNCATE", "UPDATE", "DELETE", "SET", "BEGIN", "START", "COMMIT",
    "END", "ROLLBACK", "EXEC", "EXECUTE", "VACUUM", "CLUSTER", "REINDEX",
];

/// The order in which the rules and the release's touches see the changes of
/// one statement: as made, except that a parsed `ALTER TABLE`'s `ADD`
/// constraints come after its column changes, among the token scan's lock facts
/// in clause order (its `AlterTableLock` first), as when the scan read them.
fn statement_order(changes: &[Change], from_ast: usize) -> Vec<usize> {
    let late = |c: &Change| matches!(c.kind, ChangeKind::AddConstraint { .. });
    if !changes[..from_ast].iter().any(late) {
        return (0..changes.len()).collect();
    }
    let mut order: Vec<usize> = (0..from_ast).filter(|&i| !late(&changes[i])).collect();
    let mut rest: Vec<usize> = (from_ast..changes.len())
        .chain((0..from_ast).filter(|&i| late(&changes[i])))
        .collect();
    rest.sort_by_key(|&i| changes[i].clause.start);
    order.extend(rest);
    order
}

/// First words of statements whose every change the syntax tree gives when
/// they parse (see [`crate::scan::scan_ops`]).
const TREE_ONLY_WORDS: &[&str] = &["CREATE", "DROP", "EXEC", "EXECUTE"];

fn first_word(text: &str, span: Span) -> &str {
    let n = text.as_bytes()[span.start..span.end]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    &text[span.start..span.start + n]
}

fn may_change_schema(s: &Statement) -> bool {
    matches!(
        s,
        Statement::CreateTable(_)
            | Statement::CreateView(_)
            | Statement::CreateType { .. }
            | Statement::AlterTable(_)
            | Statement::RenameTable(_)
            | Statement::Drop { .. }
            | Statement::AlterType(_)
            | Statement::Insert(_)
            | Statement::CreateTrigger(_)
            | Statement::CreateSequence { .. }
            | Statement::CreateFunction(_)
            | Statement::DropFunction(_)
            | Statement::DropDomain(_)
            | Statement::DropTrigger(_)
            | Statement::CreateIndex(_)
            | Statement::AlterView(_)
    ) || matches!(s, Statement::Execute { name: Some(n), .. } if crate::changes::is_sp_rename(n))
}
