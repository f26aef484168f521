//! `canary-lint check`: find the inputs, split the timeline into history and
//! release, run the rules, look at stable's code, apply suppressions.

use crate::args::CheckArgs;
use crate::output::RunOutcome;
use crate::settings::Loaded;
use anyhow::anyhow;
use canary_lint_core::suppress::{self, CommentStyle};
use canary_lint_core::{Diagnostic, SourceFile, Span};
use canary_lint_sql::model::Schema;
use canary_lint_sql::names::object_names;
use canary_lint_sql::{
    analyze_release_findings, parse_file_checked, parse_file_where, replay_file, statement_spans,
    Dialect, Knowledge, Layout, MigrationFile, ParsedFile,
};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Directory names never searched for migrations.
const SKIP_DIRS: &[&str] = &["target", "node_modules", "vendor", "build", "dist", "venv"];

/// One migration directory and how its files split into history and release.
#[derive(Debug)]
struct MigrationSet {
    dir: PathBuf,
    files: Vec<MigrationFile>,
    /// The set's dialect: `--dialect`, the settings, the folder's path, postgres.
    dialect: Dialect,
    /// Indexes into `files` that are the release; `None`: every file is its own release.
    release: Option<BTreeSet<usize>>,
}

/// Where `check` finds its inputs.
#[derive(Debug, Default)]
pub struct Inputs {
    sets: Vec<MigrationSet>,
    /// SQL files that belong to no migration directory (linted alone, no history).
    loose: Vec<PathBuf>,
    /// Non-SQL files named on the command line (matched against config pairs).
    named_other: Vec<PathBuf>,
}

pub fn run(args: &CheckArgs, loaded: &Loaded, out: &mut RunOutcome) -> Vec<Checked> {
    let s = &loaded.settings;
    let dialect = crate::dialect_of(args.dialect, s.dialect.as_deref());
    let explicit_dialect = crate::dialect_set(args.dialect, s.dialect.as_deref());
    let forced_layout = s.migrations.layout.as_deref().and_then(Layout::parse);
    if let Some(l) = &s.migrations.layout {
        if forced_layout.is_none() {
            out.run_error(format!(
                "{}: unknown migration layout `{l}`",
                loaded
                    .file
                    .as_ref()
                    .map_or("canary-lint.toml".into(), |f| f.display().to_string())
            ));
        }
    }

    let mut parsed_all = Vec::new();
    // SQL from stdin.
    if args.paths.iter().any(|p| p == Path::new("-")) && !crate::manifest_files::reads_stdin(args) {
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".to_string());
        let mut text = String::new();
        match std::io::stdin().read_to_string(&mut text) {
            Ok(_) => {
                let text = canary_lint_core::read::normalize_text(&text);
                let file = SourceFile::new(
                    name.clone(),
                    &*crate::redact::mask_secrets(&text, Some(dialect)),
                );
                out.add_source(&file);
                let layout = layout_of_text(&file.text);
                let pf = parse_file_checked(&file, layout, dialect);
                out.diagnostics.extend(alone(&pf));
                parsed_all.push(Checked::of(&pf));
            }
            Err(e) => out.run_error(format!("{name}: cannot read standard input: {e}")),
        }
    }

    let inputs = collect_inputs(args, loaded, forced_layout, explicit_dialect, out);
    for set in &inputs.sets {
        parsed_all.extend(check_set(
            set,
            set.dialect,
            args.verbose,
            args.base.as_deref(),
            out,
        ));
    }
    if !inputs.loose.is_empty() {
        let files: Vec<(PathBuf, Layout)> = inputs
            .loose
            .iter()
            .map(|p| (p.clone(), Layout::Plain))
            .collect();
        // Loose SQL files have no migration history: each is linted on its own.
        pipeline(&files, dialect, out, |_, pf, out| {
            out.diagnostics.extend(alone(&pf));
            parsed_all.push(Checked::of(&pf));
        });
    }
    parsed_all
}

/// Names made from template placeholders read as the placeholders again, in every
/// message, the stable-search text included (so this runs after [`stable_evidence`]).
pub fn restore_template_names(out: &mut RunOutcome) {
    let sources = &out.sources;
    canary_lint_sql::layout::template::restore_in(&mut out.diagnostics, &|p| {
        sources.get(p).map(|f| f.text.clone())
    });
}

/// The findings of a SQL file checked on its own, without history.
fn alone(pf: &ParsedFile) -> Vec<Diagnostic> {
    analyze_release_findings(
        &mut Schema::new(),
        Knowledge::NoHistory,
        std::slice::from_ref(pf),
    )
    .diagnostics
}

/// Goose and dbmate mark their sections inside the file; anything else is plain SQL.
fn layout_of_text(text: &str) -> Layout {
    if text.contains("-- +goose Up") {
        Layout::Goose
    } else if text.contains("-- migrate:up") {
        Layout::Dbmate
    } else {
        Layout::Plain
    }
}

/// Display form of a path: as the user wrote it, `/` separated, without `./`.
pub fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    if s.contains('\\') {
        let s = s.replace('\\', "/");
        return s.strip_prefix("./").map(str::to_string).unwrap_or(s);
    }
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

fn collect_inputs(
    args: &CheckArgs,
    loaded: &Loaded,
    forced: Option<Layout>,
    dialect: Option<Dialect>,
    out: &mut RunOutcome,
) -> Inputs {
    let mut inputs = Inputs::default();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut named_sql: Vec<PathBuf> = Vec::new();
    let paths: Vec<&PathBuf> = args.paths.iter().filter(|p| *p != Path::new("-")).collect();
    // `check -` lints standard input alone.
    let stdin_only = paths.is_empty() && !args.paths.is_empty();

    if (paths.is_empty() && !stdin_only)
        || paths
            .iter()
            .any(|p| Some(p.as_path()) == loaded.settings_dir_arg())
    {
        for p in &loaded.settings.migrations.paths {
            dirs.push(loaded.resolve(p));
        }
    }
    for p in &paths {
        if Some(p.as_path()) == loaded.settings_dir_arg()
            && !loaded.settings.migrations.paths.is_empty()
        {
            continue;
        }
        if p.is_dir() {
            let found = find_migration_dirs(p, forced);
            if found.is_empty()
                && !has_config_pairs(loaded)
                && !crate::manifest_files::has_manifests(p)
            {
                out.run_error(format!("{}: no migration files found", display(p)));
            }
            dirs.extend(found);
        } else if p.is_file() {
            if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("sql"))
                || canary_lint_sql::layout::is_changelog_file(p)
            {
                named_sql.push((*p).clone());
            } else {
                inputs.named_other.push((*p).clone());
            }
        } else {
            out.run_error(format!("{}: no such file or directory", display(p)));
        }
    }
    if paths.is_empty() && dirs.is_empty() && !has_config_pairs(loaded) && !stdin_only {
        dirs.extend(find_migration_dirs(Path::new("."), forced));
    }
    dirs.sort();
    dirs.dedup();

    // Explicit files are the release of their directories.
    let mut canon = CanonCache::default();
    let mut by_dir: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for f in named_sql {
        let dir = canary_lint_sql::layout::migration_dir_of(&f);
        by_dir.entry(dir).or_default().push(f);
    }
    for (dir, files) in by_dir {
        let listing = discover_in(&dir, forced, dialect);
        match listing {
            Ok(found) if !found.files.is_empty() => {
                let (all, set_dialect) = (found.files, found.dialect);
                let names: BTreeSet<PathBuf> = files.iter().map(|f| canon.of(f)).collect();
                // File names first: resolving every path of a large folder is not free.
                let file_names: BTreeSet<&std::ffi::OsStr> =
                    files.iter().filter_map(|f| f.file_name()).collect();
                let release: BTreeSet<usize> = all
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| {
                        m.path.file_name().is_some_and(|n| file_names.contains(n))
                            && names.contains(&canon.of(&m.path))
                    })
                    .map(|(i, _)| i)
                    .collect();
                // Named files the layout does not list (down files, stray SQL): alone.
                let listed: BTreeSet<PathBuf> =
                    release.iter().map(|&i| canon.of(&all[i].path)).collect();
                for f in &files {
                    if listed.contains(&canon.of(f)) {
                        continue;
                    }
                    match canary_lint_sql::layout::rollback_reason(found.layout, f) {
                        Some(why) => eprintln!(
                            "canary-lint: {}: skipped: {why} of the {} layout, not a forward migration",
                            display(f),
                            found.layout
                        ),
                        None => inputs.loose.push(f.clone()),
                    }
                }
                if !release.is_empty() {
                    dirs.retain(|d| canonical(d) != canonical(&dir));
                    inputs.sets.push(MigrationSet {
                        dialect: dialect.or(set_dialect).unwrap_or_default(),
                        dir,
                        files: all,
                        release: Some(release),
                    });
                }
            }
            _ => inputs.loose.extend(files),
        }
    }

    // --base: the release is what changed since the merge-base.
    let changed = match &args.base {
        Some(base) => match changed_since(base) {
            Ok(c) => Some(c),
            Err(e) => {
                out.run_error(format!("{e:#}"));
                None
            }
        },
        None => None,
    };
    for dir in dirs {
        match discover_in(&dir, forced, dialect) {
            Ok(found) => {
                for n in &found.notes {
                    eprintln!("canary-lint: note: {n}");
                }
                let set_dialect = dialect.or(found.dialect).unwrap_or_default();
                let files = found.files;
                // A name that is not UTF-8 is checked under a lossy name, and said so.
                for m in files.iter().filter(|m| m.path.to_str().is_none()) {
                    eprintln!(
                        "canary-lint: warning: {}: file name is not valid UTF-8; checked under this lossy name",
                        display(&m.path)
                    );
                }
                let release = changed.as_ref().map(|changed| {
                    files
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| changed.contains(&canon.of(&m.path)))
                        .map(|(i, _)| i)
                        .collect()
                });
                inputs.sets.push(MigrationSet {
                    dir,
                    files,
                    dialect: set_dialect,
                    release,
                });
            }
            Err(e) => out.run_error(e.to_string()),
        }
    }
    inputs.sets.sort_by(|a, b| a.dir.cmp(&b.dir));
    inputs
}

fn has_config_pairs(loaded: &Loaded) -> bool {
    !loaded.settings.config.pairs.is_empty()
}

fn discover_in(
    dir: &Path,
    forced: Option<Layout>,
    dialect: Option<Dialect>,
) -> Result<canary_lint_sql::layout::Discovery, canary_lint_sql::DiscoverError> {
    canary_lint_sql::layout::discover_dir(dir, forced, dialect)
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Absolute paths of the files changed since the merge-base with `base`.
pub fn changed_since(base: &str) -> anyhow::Result<BTreeSet<PathBuf>> {
    let cwd =
        std::env::current_dir().map_err(|e| anyhow!("cannot read the working directory: {e}"))?;
    let root =
        canary_lint_stable::git::repo_root(&cwd).map_err(|e| anyhow!("--base {base}: {e}"))?;
    let files = canary_lint_stable::git::changed_files_since(&root, base)
        .map_err(|e| anyhow!("--base {base}: {e}"))?;
    let mut canon = CanonCache::default();
    Ok(files.iter().map(|f| canon.of(&root.join(f))).collect())
}

/// Canonical paths made by directory: each directory is resolved once (symlinks
/// included) and the file name kept, so matching named or changed files against
/// a folder of a thousand migrations is not a thousand `realpath` calls.
#[derive(Default)]
struct CanonCache(HashMap<PathBuf, PathBuf>);

impl CanonCache {
    fn of(&mut self, p: &Path) -> PathBuf {
        let (Some(parent), Some(name)) = (p.parent(), p.file_name()) else {
            return canonical(p);
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        self.0
            .entry(parent.to_path_buf())
            .or_insert_with(|| canonical(parent))
            .join(name)
    }
}

/// Directories under `root` (itself included) whose files form a migration layout. The
/// whole tree is walked, however deep, respecting `.gitignore` and skipping hidden and
/// build directories; a detected directory is not searched further.
pub fn find_migration_dirs(root: &Path, forced: Option<Layout>) -> Vec<PathBuf> {
    use canary_lint_sql::layout::DirKind;
    let mut found = Vec::new();
    match canary_lint_sql::layout::is_migration_dir(root, forced) {
        DirKind::Migrations => return vec![root.to_path_buf()],
        DirKind::MigrationsAndBelow => found.push(root.to_path_buf()),
        DirKind::No => {}
    }
    let found = std::sync::Arc::new(std::sync::Mutex::new(found));
    let sink = found.clone();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            if !e.file_type().is_some_and(|t| t.is_dir()) {
                return false;
            }
            let name = e.file_name().to_string_lossy();
            if SKIP_DIRS.contains(&name.as_ref()) {
                return false;
            }
            let kind = canary_lint_sql::layout::is_migration_dir(e.path(), forced);
            if kind != DirKind::No {
                if let Ok(mut f) = sink.lock() {
                    f.push(e.path().to_path_buf());
                }
            }
            // A migration folder is not searched further, unless its layout keeps
            // migrations below it too.
            kind != DirKind::Migrations
        })
        .build();
    for _ in walker {}
    let mut found = std::mem::take(&mut *found.lock().unwrap_or_else(|e| e.into_inner()));
    found.sort();
    found
}

/// What is kept of a checked SQL file once its findings are made: where its
/// statements are (for suppressions). Syntax trees are dropped as soon as the file
/// is linted and replayed, so memory stays flat on large folders.
#[derive(Debug)]
pub struct Checked {
    pub file: SourceFile,
    pub dialect: Dialect,
    pub statements: Vec<Span>,
}

impl Checked {
    fn of(pf: &ParsedFile) -> Checked {
        Checked {
            file: pf.file.clone(),
            dialect: pf.dialect,
            statements: pf.statements.iter().map(|s| s.span).collect(),
        }
    }
}

/// Files parsed in one batch: parsing runs on all cores while the previous batch
/// is linted and replayed in order on this thread. A folder is cut into at least
/// 8 batches (of 16 to 64 files), so the in-order work overlaps parsing on
/// medium folders too, not only on large ones.
fn batch_size(files: usize) -> usize {
    (files / 8).clamp(16, 64)
}

/// A parsed file, and its text as read when parsing saw a prepared one
/// (placeholders replaced, a changelog written as SQL): findings are shown on
/// the file as the user wrote it.
type Parsed = anyhow::Result<(ParsedFile, Option<SourceFile>)>;

fn parse_one_file(path: &Path, layout: Layout, dialect: Dialect) -> Parsed {
    let src = read_source(path, Some(dialect))?;
    let pf = parse_file_checked(&src, layout, dialect);
    let prepared = !std::sync::Arc::ptr_eq(&src.text, &pf.file.text);
    Ok((pf, prepared.then_some(src)))
}

fn parse_batch(files: &[(PathBuf, Layout)], dialect: Dialect) -> Vec<Parsed> {
    files
        .par_iter()
        .map(|(path, layout)| parse_one_file(path, *layout, dialect))
        .collect()
}

/// Parses `files` in parallel batches and hands each parsed file, in order, to
/// `visit` (on this thread, overlapping with the parsing of the next batch). A file
/// that cannot be read is a run error, and the others are still checked.
fn pipeline(
    files: &[(PathBuf, Layout)],
    dialect: Dialect,
    out: &mut RunOutcome,
    mut visit: impl FnMut(usize, ParsedFile, &mut RunOutcome) + Send,
) {
    let batches: Vec<&[(PathBuf, Layout)]> = files.chunks(batch_size(files.len())).collect();
    let mut current = batches.first().map(|b| parse_batch(b, dialect));
    let mut index = 0;
    for k in 0..batches.len() {
        let batch = current.take().unwrap_or_default();
        let next = batches.get(k + 1).copied();
        let (parsed_next, ()) = rayon::join(
            || next.map(|b| parse_batch(b, dialect)),
            || {
                for r in batch {
                    match r {
                        Ok((pf, original)) => {
                            out.add_source(original.as_ref().unwrap_or(&pf.file));
                            visit(index, pf, out);
                        }
                        Err(e) => out.run_error(format!("{e:#}")),
                    }
                    index += 1;
                }
            },
        );
        current = parsed_next;
    }
}

/// Replays one file into the history schema; with `verbose`, names what the model
/// did not follow on stderr.
fn replay_into(schema: &mut Schema, pf: &ParsedFile, verbose: bool) {
    for (span, why) in replay_file(schema, pf) {
        if verbose {
            let p = pf.file.position(span.start);
            eprintln!(
                "canary-lint: {}:{}:{}: the schema model did not follow this statement: {why}",
                pf.file.path, p.line, p.column
            );
        }
    }
}

/// With `--verbose`, names the release statements the model did not follow.
fn report_not_followed(rel: &[ParsedFile], not_followed: &[(usize, Span, String)]) {
    for (i, span, why) in not_followed {
        let f = &rel[*i].file;
        let p = f.position(span.start);
        eprintln!(
            "canary-lint: {}:{}:{}: the schema model did not follow this statement: {why}",
            f.path, p.line, p.column
        );
    }
}

fn check_set(
    set: &MigrationSet,
    dialect: Dialect,
    verbose: bool,
    base: Option<&str>,
    out: &mut RunOutcome,
) -> Vec<Checked> {
    let files: Vec<(PathBuf, Layout)> = set
        .files
        .iter()
        .map(|m| (m.path.clone(), m.layout))
        .collect();
    let mut schema = Schema::new();
    let mut checked = Vec::with_capacity(files.len());
    match &set.release {
        None => {
            // Every migration is its own release against the history before it
            // (the first one has none).
            let mut first = true;
            pipeline(&files, dialect, out, |_, pf, out| {
                // A Liquibase changelog's changesets are deployed one by one.
                let units = canary_lint_sql::changesets::changeset_units(&pf);
                for unit in units.as_deref().unwrap_or(std::slice::from_ref(&pf)) {
                    let rel = std::slice::from_ref(unit);
                    let knowledge = if std::mem::take(&mut first) {
                        Knowledge::NoHistory
                    } else {
                        Knowledge::History
                    };
                    let analysis = analyze_release_findings(&mut schema, knowledge, rel);
                    if verbose {
                        report_not_followed(rel, &analysis.not_followed);
                    }
                    out.diagnostics.extend(analysis.diagnostics);
                }
                checked.push(Checked::of(&pf));
            });
        }
        Some(release) => {
            let rel = check_release(&files, release, dialect, verbose, base, out);
            checked.extend(rel);
        }
    }
    checked
}

/// A search for any of some words in any case. Texts are searched in their
/// ASCII-lowercased form with SIMD substring search (memchr), which on a
/// thousand-file history is several times faster than an automaton per byte.
struct Words(Vec<memchr::memmem::Finder<'static>>);

impl Words {
    fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Words {
        Words(
            words
                .into_iter()
                .filter(|w| !w.is_empty())
                .map(|w| {
                    memchr::memmem::Finder::new(w.to_ascii_lowercase().as_bytes()).into_owned()
                })
                .collect(),
        )
    }

    /// Whether `lower` (an ASCII-lowercased text) holds any of the words.
    fn in_lower(&self, lower: &[u8]) -> bool {
        self.0.iter().any(|f| f.find(lower).is_some())
    }

    fn in_text(&self, text: &str) -> bool {
        with_lower(text, |low| self.in_lower(low))
    }
}

/// Reads a file as UTF-8 text; the error names the file (and the line of the first
/// invalid byte).
/// `dialect` says the file is SQL of that dialect (see [`mask_secrets`]).
pub fn read_source(path: &Path, dialect: Option<Dialect>) -> anyhow::Result<SourceFile> {
    read_text(path, dialect, |text| SourceFile::new(display(path), text))
}

/// Reads a file as UTF-8 and hands the text to `f`. Only a regular file is read,
/// capped by the bytes actually read (`canary_lint_core::read`). The bytes go
/// through a per-thread buffer, so nothing is allocated unless `f` keeps the text. A pre-commit run reads a thousand small history files, where
/// system calls and fresh memory are most of the time.
fn read_text<R>(
    path: &Path,
    dialect: Option<Dialect>,
    f: impl FnOnce(&str) -> R,
) -> anyhow::Result<R> {
    // Passwords in SQL (`CREATE ROLE .. PASSWORD '..'`) never reach a snippet.
    read_unmasked(path, |text| f(&crate::redact::mask_secrets(text, dialect)))
}

/// [`read_text`] without the secret masking, for a history file that is only
/// searched for the release's names: most are dropped unread by anything that
/// prints, and the ones kept are masked then ([`mask_kept`]).
fn read_unmasked<R>(path: &Path, f: impl FnOnce(&str) -> R) -> anyhow::Result<R> {
    use std::cell::RefCell;
    thread_local! {
        static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUF.with(|buf| {
        // Asked for again inside `f`: a buffer of its own.
        let mut own = Vec::new();
        let mut borrowed = buf.try_borrow_mut();
        let buf = match &mut borrowed {
            Ok(b) => &mut **b,
            Err(_) => &mut own,
        };
        // Regular files only, capped by the bytes actually read.
        canary_lint_core::read::read_capped_into(path, canary_lint_core::read::MAX_SQL_BYTES, buf)
            .map_err(|e| anyhow!("{}: {e}", display(path)))?;
        let text = canary_lint_core::read::utf8(buf).map_err(|e| match e {
            canary_lint_core::read::ReadError::NotUtf8 { line } => {
                anyhow!("{}:{line}: not valid UTF-8", display(path))
            }
            e => anyhow!("{}: {e}", display(path)),
        })?;
        // BOM and lone CR as the database reads them (`canary_lint_core::read::normalize_text`).
        let text = canary_lint_core::read::normalize_text(text);
        let out = f(&text);
        drop(text);
        // A large file's buffer is not kept for the next (small) one.
        if buf.capacity() > LARGE_BUFFER {
            *buf = Vec::new();
        }
        Ok(out)
    })
}

/// Per-thread buffers larger than this are freed after use. A kept buffer is
/// memory the run holds to its end: one of a 1 MB migration was a tenth of the
/// peak memory of checking it, while the small history files the buffers are
/// for (a pre-commit run reads a thousand) are far below this.
const LARGE_BUFFER: usize = 256 << 10;

/// A history file kept after the search: its text masked as [`read_text`] masks.
fn mask_kept(path: &Path, text: &str, dialect: Dialect) -> SourceFile {
    SourceFile::new(
        display(path),
        &*crate::redact::mask_secrets(text, Some(dialect)),
    )
}

/// Runs `f` on the ASCII-lowercased form of `text`, made in a per-thread buffer
/// (no allocation per file when a thousand history files are searched).
fn with_lower<R>(text: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    use std::cell::RefCell;
    thread_local! {
        static LOW: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    LOW.with(|low| match low.try_borrow_mut() {
        Ok(mut low) => {
            low.clear();
            low.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
            let out = f(&low);
            if low.capacity() > LARGE_BUFFER {
                *low = Vec::new();
            }
            out
        }
        // Called from inside `f`: a buffer of its own.
        Err(_) => f(&text.as_bytes().to_ascii_lowercase()),
    })
}

/// A release against its history. Only the history statements that name
/// something the release names are parsed and replayed (following renames back
/// through the history), so a one-file release in a long migration folder, the
/// pre-commit case, does not pay for parsing the whole folder. What the filter
/// leaves out cannot change the facts the rules ask about the release's objects.
fn check_release(
    files: &[(PathBuf, Layout)],
    release: &BTreeSet<usize>,
    dialect: Dialect,
    verbose: bool,
    base: Option<&str>,
    out: &mut RunOutcome,
) -> Vec<Checked> {
    // The release first: the names it touches decide which history files matter.
    let release: Vec<usize> = release.iter().copied().collect();
    let rel_sources: Vec<anyhow::Result<SourceFile>> = release
        .par_iter()
        .map(|&i| read_source(&files[i].0, Some(dialect)))
        .collect();
    let rel: Vec<ParsedFile> = rel_sources
        .par_iter()
        .zip(&release)
        .filter_map(|(s, &i)| {
            s.as_ref()
                .ok()
                .map(|f| parse_file_checked(f, files[i].1, dialect))
        })
        .collect();
    // A changelog's changesets already held at the reference (`--base`, else HEAD) are history.
    let originals: Vec<(&Path, &SourceFile)> = release
        .iter()
        .zip(&rel_sources)
        .filter_map(|(&i, s)| Some((files[i].0.as_path(), s.as_ref().ok()?)))
        .collect();
    let (rel, changelog_history) =
        canary_lint_sql::changesets::split_release(rel, &originals, base);
    let mut names: HashSet<String> = rel
        .iter()
        .flat_map(|pf| object_names(&pf.file.text, pf.dialect))
        .collect();

    // Each history file is read and searched, in lower case, for renames and for
    // the release's names. A name is a plain identifier (letters, digits, `_`,
    // `$`), so a file naming it contains it as text.
    // History is what runs before the release: later migrations are not.
    let last = release.last().copied().unwrap_or(0);
    let history: Vec<usize> = (0..last)
        .filter(|i| release.binary_search(i).is_err())
        .collect();
    let renames = Words::new(["rename", "change"]);
    // An index of the release's tables, dropped or renamed later in the history
    // by a statement that names only the index: its name is looked for too.
    let index_word = Words::new(["index"]);
    let index_at = memchr::memmem::Finder::new("index");
    let named = Words::new(names.iter().map(String::as_str));
    let hist: Vec<HistoryFile> = history
        .par_iter()
        .map(|&i| {
            let path = &files[i].0;
            // Searched before it is masked: masking only writes stars inside
            // literals and comments, so a file it would hide a name in is kept
            // (and masked) all the same; one that names nothing is never shown.
            let read = read_unmasked(path, |text| {
                let (found, index) = with_lower(text, |low| {
                    let found = Mentions {
                        rename: renames.in_lower(low),
                        names: named.in_lower(low),
                    };
                    let index =
                        !(found.rename || found.names) && names_an_index_alone(&index_at, low);
                    (found, index)
                });
                if found.rename || found.names {
                    HistoryFile::Kept(mask_kept(path, text, dialect), found)
                } else {
                    HistoryFile::Skipped(display(path), index)
                }
            });
            read.unwrap_or_else(|e| HistoryFile::Failed(format!("{e:#}")))
        })
        .collect();

    // Renames, newest first: a release naming `people` needs the history of
    // `users` when an earlier migration renamed `users` to `people`. Index
    // statements too: `CREATE INDEX users_email_idx ON users` adds the index's
    // name, so a later `DROP INDEX users_email_idx` is replayed.
    let spans: Vec<Vec<Span>> = history
        .par_iter()
        .zip(&hist)
        .map(|(&i, h)| match h {
            HistoryFile::Kept(f, found)
                if found.rename || (found.names && index_word.in_text(&f.text)) =>
            {
                statement_spans(f, files[i].1, dialect)
            }
            _ => Vec::new(),
        })
        .collect();
    let initial = names.clone();
    let mut index_names: HashSet<String> = HashSet::new();
    for (h, spans) in hist.iter().zip(&spans).rev() {
        let HistoryFile::Kept(f, _) = h else { continue };
        for sp in spans.iter().rev() {
            let text = &f.text[sp.start..sp.end];
            let (rename, index) = with_lower(text, |low| {
                (renames.in_lower(low), index_word.in_lower(low))
            });
            if !rename && !index {
                continue;
            }
            let mentioned = object_names(text, dialect);
            if mentioned.iter().any(|w| names.contains(w)) {
                if rename {
                    names.extend(mentioned);
                } else {
                    index_names.extend(mentioned);
                }
            }
        }
    }
    // Names found through renames: the files that did not mention the release's
    // own names are searched again for them (a skipped file is read again).
    let added = Words::new(names.difference(&initial).map(String::as_str));
    let again = |text: &str| !added.0.is_empty() && with_lower(text, |low| added.in_lower(low));
    // Index names: only a `DROP INDEX` or `ALTER INDEX` names an index alone, so
    // only the skipped files holding one are read again for them.
    let index_added = Words::new(index_names.difference(&names).map(String::as_str));
    let again_kept = |text: &str| {
        again(text)
            || (!index_added.0.is_empty() && with_lower(text, |low| index_added.in_lower(low)))
    };
    names.extend(index_names);

    // A statement naming none of them cannot change what the rules ask about:
    // files that do not mention them are neither split nor parsed.
    let keep = |text: &str| {
        object_names(text, dialect)
            .iter()
            .any(|w| names.contains(w))
    };
    let parsed: Vec<Option<ParsedFile>> = history
        .par_iter()
        .zip(&hist)
        .map(|(&i, h)| {
            let (path, layout) = (&files[i].0, files[i].1);
            match h {
                HistoryFile::Kept(f, found) if found.names || again_kept(&f.text) => {
                    Some(parse_file_where(f, layout, dialect, &keep))
                }
                HistoryFile::Skipped(_, index)
                    if !added.0.is_empty() || (*index && !index_added.0.is_empty()) =>
                {
                    read_unmasked(path, |text| {
                        again_kept(text).then(|| mask_kept(path, text, dialect))
                    })
                    .ok()
                    .flatten()
                    .map(|f| parse_file_where(&f, layout, dialect, &keep))
                }
                _ => None,
            }
        })
        .collect();
    let mut schema = Schema::new();
    for pf in parsed.iter().flatten().chain(&changelog_history) {
        replay_into(&mut schema, pf, verbose);
    }
    // Sources and read errors in folder order.
    let mut rel_sources = rel_sources.iter();
    let mut hist_files = hist.iter().zip(&parsed);
    for i in 0..files.len() {
        if release.binary_search(&i).is_ok() {
            match rel_sources.next() {
                Some(Ok(f)) => out.add_source(f),
                Some(Err(e)) => out.run_error(format!("{e:#}")),
                None => {}
            }
            continue;
        }
        match hist_files.next() {
            Some((HistoryFile::Kept(f, _), _)) => out.add_source(f),
            Some((HistoryFile::Skipped(_, _), Some(pf))) => out.add_source(&pf.file),
            Some((HistoryFile::Skipped(path, _), None)) => out.add_unshown(path),
            Some((HistoryFile::Failed(e), _)) => out.run_error(e.clone()),
            None => {}
        }
    }
    // The history is every migration before the release, whether or not its
    // statements were replayed (only those naming the release's objects are).
    let knowledge = if history.is_empty() {
        Knowledge::NoHistory
    } else {
        Knowledge::History
    };
    let analysis = analyze_release_findings(&mut schema, knowledge, &rel);
    if verbose {
        report_not_followed(&rel, &analysis.not_followed);
    }
    out.diagnostics.extend(analysis.diagnostics);
    rel.iter().map(Checked::of).collect()
}

/// A history file as read for a release: kept when its text mentions a rename or
/// a name the release touches; else only its path (no copy of the text is made).
enum HistoryFile {
    Kept(SourceFile, Mentions),
    /// Its display path, and whether it names an index alone
    /// ([`names_an_index_alone`]).
    Skipped(String, bool),
    Failed(String),
}

/// What a history file mentions, found in its lower-cased text.
#[derive(Debug)]
struct Mentions {
    /// `rename` or `change` (MySQL's `CHANGE COLUMN`).
    rename: bool,
    /// One of the names the release touches.
    names: bool,
}

/// Whether `lower` (an ASCII-lowercased SQL text) holds `DROP INDEX` or `ALTER
/// INDEX` (any white space between): the statements that name an index without
/// its table.
fn names_an_index_alone(index: &memchr::memmem::Finder<'_>, lower: &[u8]) -> bool {
    index.find_iter(lower).any(|at| {
        let before = lower[..at].trim_ascii_end();
        before.len() < at && (before.ends_with(b"drop") || before.ends_with(b"alter"))
    })
}

/// Applies `canary-lint:` suppression comments of every source file.
pub fn apply_suppressions(out: &mut RunOutcome, checked: &[Checked], known: &dyn Fn(&str) -> bool) {
    let statements: BTreeMap<&str, &Checked> = checked.iter().map(|c| (&*c.file.path, c)).collect();
    let mut diags = std::mem::take(&mut out.diagnostics);
    for (path, file) in &out.sources {
        let sql =
            path.to_ascii_lowercase().ends_with(".sql") || statements.contains_key(path.as_str());
        // History files were read for the schema model; findings are only made in
        // the files checked as (part of) a release.
        if sql && !statements.contains_key(path.as_str()) {
            continue;
        }
        let sql_file = statements.get(path.as_str()).copied();
        let (style, directives) = match sql_file {
            Some(c) => (
                CommentStyle::Sql,
                suppress::parse(file, CommentStyle::Sql, |text| {
                    canary_lint_sql::lex::whole_line_comments(text, c.dialect)
                }),
            ),
            None => (
                CommentStyle::Hash,
                suppress::parse(file, CommentStyle::Hash, suppress::hash_line_comments),
            ),
        };
        if directives.is_empty() {
            continue;
        }
        let next = |offset: usize| -> Option<Span> {
            match sql_file {
                Some(c) => c.statements.iter().find(|s| s.start >= offset).copied(),
                None => suppress::next_config_entry(file, style, offset),
            }
        };
        diags = suppress::apply_checked(file, &directives, diags, &next, known);
    }
    out.diagnostics = diags;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_buffer_may_be_asked_for_again_inside() {
        let inner = with_lower("B", |outer| {
            assert_eq!(outer, b"b");
            with_lower("C", <[u8]>::to_vec)
        });
        assert_eq!(inner, b"c");
    }

    #[test]
    fn words_are_found_in_any_case_and_nothing_matches_no_words() {
        let w = Words::new(["users", "Audit_Log"]);
        assert!(w.in_text("CREATE TABLE USERS (id int)"));
        assert!(w.in_text("drop table audit_log"));
        assert!(!w.in_text("CREATE TABLE orders (id int)"));
        assert!(w.in_lower(b"alter table users add x int"));
        let none = Words::new(std::iter::empty());
        assert!(!none.in_text("users"));
    }
}
