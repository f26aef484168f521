//! The rule registry (SQL rules, suppression meta rules, config rule packs) and the
//! commands built on the config and schema crates: config pairs in `check`, `diff`
//! and `schema-diff`.

use crate::args::{CheckArgs, DiffArgs, FormatArg, SchemaDiffArgs};
use crate::check::{display, find_migration_dirs, read_source};
use crate::output::{self, Outcome};
use crate::settings::{self, Loaded};
use anyhow::bail;
use canary_lint_config::Pack;
use canary_lint_core::RuleMeta;
use canary_lint_sql::model::{diff, DeltaKind, Schema};
use canary_lint_sql::{
    analyze_release, parse_file_all, replay_file, replay_schema, DeltaEntry, Dialect, Knowledge,
    MigrationFile, ParsedFile,
};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Built-in packs plus the user's (`[packs] paths`). A bad pack names its file and line.
pub fn packs(loaded: &Loaded) -> anyhow::Result<Vec<Pack>> {
    let mut packs = canary_lint_config::builtin_packs()?;
    for p in &loaded.settings.packs.paths {
        packs.extend(canary_lint_config::load_pack(&loaded.resolve(p))?);
    }
    Ok(packs)
}

/// Whether a `check` run needs the config rule packs: to compare config pairs, to
/// load the user's own packs (a bad one is an error even when unused), or to know a
/// rule `names` asks for that is not a SQL or suppression rule. A run over
/// migrations alone does not parse the built-in packs, which was half the
/// instructions of checking one file.
pub fn packs_needed<'a>(loaded: &Loaded, mut names: impl Iterator<Item = &'a str>) -> bool {
    let s = &loaded.settings;
    !s.packs.paths.is_empty()
        || !s.config.pairs.is_empty()
        || names.any(|n| {
            !canary_lint_sql::rules()
                .iter()
                .chain(&canary_lint_core::suppress::rules())
                .any(|r| r.name == n)
                && !canary_lint_manifests::rules().iter().any(|r| r.name == n)
        })
}

/// Every rule canary-lint knows, by family then name.
pub fn all_rules(packs: &[Pack]) -> Vec<RuleMeta> {
    let mut rules: Vec<RuleMeta> = canary_lint_sql::rules().iter().map(|r| r.meta()).collect();
    rules.extend(canary_lint_core::suppress::rules().iter().map(|r| r.meta()));
    rules.extend(canary_lint_config::rule_metas(packs));
    rules.extend(canary_lint_manifests::rules().iter().map(|r| r.meta()));
    rules.sort_by(|a, b| (a.family, &a.name).cmp(&(b.family, &b.name)));
    rules.dedup_by(|a, b| a.name == b.name);
    rules
}

/// Compares the config pairs of `canary-lint.toml` (and config files named on the
/// command line that belong to one). A pair that cannot be loaded is a run error;
/// the other pairs are still compared.
pub fn check_config_pairs(a: &CheckArgs, loaded: &Loaded, packs: &[Pack], out: &mut Outcome) {
    let named: BTreeSet<PathBuf> = a
        .paths
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let dir_given = a.paths.is_empty()
        || a.paths
            .iter()
            .any(|p| Some(p.as_path()) == loaded.settings_dir_arg());
    for pair in &loaded.settings.config.pairs {
        let stable = loaded.resolve(&pair.stable);
        let canary = loaded.resolve(&pair.canary);
        let involved = [&stable, &canary]
            .iter()
            .any(|p| std::fs::canonicalize(p).is_ok_and(|c| named.contains(&c)));
        if !dir_given && !involved {
            continue;
        }
        compare_pair(&stable, &canary, packs, out);
    }
}

fn compare_pair(stable: &Path, canary: &Path, packs: &[Pack], out: &mut Outcome) {
    let ((s, s_err), (c, c_err)) = load_both(stable, canary);
    // A bad file is a run error; the other files of both sides are still compared.
    for e in s_err.iter().chain(&c_err) {
        out.run_error(e.to_string());
    }
    for f in s.sources().values().chain(c.sources().values()) {
        out.add_source(f);
    }
    out.secrets
        .extend(s.secrets.iter().chain(&c.secrets).cloned());
    let whole_side_missing =
        |cfg: &canary_lint_config::Config, errs: &[canary_lint_config::ConfigError]| {
            cfg.files.is_empty() && !errs.is_empty()
        };
    if whole_side_missing(&s, &s_err) || whole_side_missing(&c, &c_err) {
        return; // nothing to compare against: every key would look missing
    }
    out.diagnostics
        .extend(canary_lint_config::compare(&s, &c, packs));
}

type Side = (
    canary_lint_config::Config,
    Vec<canary_lint_config::ConfigError>,
);

/// Loads stable's and the canary's side at the same time (one per core).
fn load_both(stable: &Path, canary: &Path) -> (Side, Side) {
    rayon::join(
        || canary_lint_config::load_path_all(stable),
        || canary_lint_config::load_path_all(canary),
    )
}

/// `canary-lint diff STABLE CANARY`.
pub fn cmd_diff(a: &DiffArgs) -> i32 {
    let loaded = match settings::resolve(a.output.config.as_deref(), &[]) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("canary-lint: error: {e:#}");
            return 2;
        }
    };
    let packs = match packs(&loaded) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("canary-lint: error: {e:#}");
            return 2;
        }
    };
    let rules = all_rules(&packs);
    let ((s, s_err), (c, c_err)) = load_both(&a.stable, &a.canary);
    let mut out = Outcome::default();
    for f in s.sources().values().chain(c.sources().values()) {
        out.add_source(f);
    }
    out.secrets
        .extend(s.secrets.iter().chain(&c.secrets).cloned());
    let secrets = out.secrets.clone();
    // A bad file is named (exit 2); the rest of both sides is still compared.
    for e in s_err.iter().chain(&c_err) {
        out.run_error(e.to_string());
    }
    let side_lost =
        (s.files.is_empty() && !s_err.is_empty()) || (c.files.is_empty() && !c_err.is_empty());
    if !side_lost {
        out.diagnostics = canary_lint_config::compare(&s, &c, &packs);
    }
    let known = |r: &str| rules.iter().any(|m| m.name == r);
    crate::check::apply_suppressions(&mut out, &[], &known);
    out.diagnostics = output::filter(
        std::mem::take(&mut out.diagnostics),
        &a.output.select,
        &a.output.ignore,
        &loaded.settings.rules,
    );
    let human = a.output.format == FormatArg::Human;
    let code = output::finish(out, &a.output, &rules);
    if human && !side_lost {
        let text = canary_lint_config::scrub(&canary_lint_config::diff_text(&s, &c), &secrets);
        if text.is_empty() {
            crate::outln!("\nNo differences in the normalised key = value listings.");
        } else {
            crate::outln!("\n{text}");
        }
    }
    code
}

fn parse_all(files: &[MigrationFile], dialect: Dialect) -> anyhow::Result<Vec<ParsedFile>> {
    files
        .par_iter()
        .map(|m| {
            Ok(parse_file_all(
                &read_source(&m.path, Some(dialect))?,
                m.layout,
                dialect,
            ))
        })
        .collect()
}

fn migrations_under(path: &Path) -> anyhow::Result<Vec<MigrationFile>> {
    let dirs = find_migration_dirs(path, None);
    if dirs.is_empty() {
        bail!("{}: no migration files found", display(path));
    }
    let mut all = Vec::new();
    for d in dirs {
        all.extend(canary_lint_sql::discover(&d)?);
    }
    Ok(all)
}

/// `canary-lint schema-diff PATH` and `schema-diff OLD NEW`.
pub fn cmd_schema_diff(a: &SchemaDiffArgs) -> i32 {
    let loaded = match settings::resolve(a.config.as_deref(), &a.paths[..1]) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("canary-lint: error: {e:#}");
            return 2;
        }
    };
    let dialect = crate::dialect_of(a.dialect, loaded.settings.dialect.as_deref());
    let result = (|| -> anyhow::Result<(Vec<DeltaEntry>, String)> {
        match a.paths.as_slice() {
            [old, new] => {
                let s_old = replay_schema(&parse_all(&migrations_under(old)?, dialect)?);
                let s_new = replay_schema(&parse_all(&migrations_under(new)?, dialect)?);
                let delta = diff(&s_old, &s_new)
                    .into_iter()
                    .map(|change| DeltaEntry {
                        change,
                        causes: Vec::new(),
                    })
                    .collect();
                Ok((delta, format!("{} -> {}", display(old), display(new))))
            }
            [path] => {
                let files = migrations_under(path)?;
                let parsed = parse_all(&files, dialect)?;
                let release: Vec<bool> = match &a.base {
                    Some(base) => {
                        let changed = crate::check::changed_since(base)?;
                        files
                            .iter()
                            .map(|m| {
                                changed
                                    .contains(&std::fs::canonicalize(&m.path).unwrap_or_default())
                            })
                            .collect()
                    }
                    None => (0..files.len()).map(|i| i + 1 == files.len()).collect(),
                };
                let mut history = Schema::new();
                let mut knowledge = Knowledge::NoHistory;
                for (pf, _) in parsed.iter().zip(&release).filter(|(_, r)| !**r) {
                    replay_file(&mut history, pf);
                    knowledge = Knowledge::History;
                }
                // The release delta `check` judges: the same engine, the same delta.
                let (rel, _): (Vec<ParsedFile>, Vec<bool>) =
                    parsed.into_iter().zip(release).filter(|(_, r)| *r).unzip();
                let names: Vec<String> = rel.iter().map(|pf| pf.file.path.to_string()).collect();
                let delta = analyze_release(&mut history, knowledge, &rel).delta;
                Ok((delta, format!("release: {}", names.join(", "))))
            }
            _ => bail!("schema-diff takes PATH or OLD NEW"),
        }
    })();
    let (changes, what) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("canary-lint: error: {e:#}");
            return 2;
        }
    };
    match a.format {
        FormatArg::Json => {
            let expand: Vec<_> = changes
                .iter()
                .filter(|c| c.change.kind == DeltaKind::Expand)
                .collect();
            let contract: Vec<_> = changes
                .iter()
                .filter(|c| c.change.kind == DeltaKind::Contract)
                .collect();
            let doc = serde_json::json!({
                "version": 1,
                "compared": what,
                "expand": expand,
                "contract": contract,
            });
            crate::outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        FormatArg::Human => {
            crate::outln!("schema-diff ({what})");
            for (kind, title) in [
                (DeltaKind::Expand, "expand (safe for stable)"),
                (
                    DeltaKind::Contract,
                    "contract (breaks stable while it runs)",
                ),
            ] {
                let list: Vec<_> = changes.iter().filter(|c| c.change.kind == kind).collect();
                crate::outln!("\n{title}: {}", list.len());
                for c in list {
                    let sign = if kind == DeltaKind::Expand { '+' } else { '-' };
                    crate::outln!(
                        "  {sign} {} {}: {}",
                        format!("{:?}", c.change.object_kind).to_lowercase(),
                        c.change.object,
                        c.change.description
                    );
                    for cause in &c.causes {
                        crate::outln!("      at {}:{}:{}", cause.file, cause.line, cause.column);
                    }
                }
            }
        }
        _ => {
            eprintln!("canary-lint: error: schema-diff prints human or json");
            return 2;
        }
    }
    0
}
