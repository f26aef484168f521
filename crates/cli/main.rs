//! The `canary-lint` command line: argument parsing, settings, inputs, exit codes.
//! Rules live in the library crates; this binary only wires them together.

mod args;
#[cfg(feature = "bench-stats")]
mod bench_stats;
mod check;
mod init;
mod manifest_files;
mod output;
mod redact;
mod registry;
mod settings;
mod stable_refs;
mod traffic;

use args::{CheckArgs, Cli, Command, DialectArg, RuleArgs, RulesArgs};
use canary_lint_sql::Dialect;
use clap::Parser;
use output::RunOutcome;
use std::process::ExitCode;

/// sqlparser allocates many small nodes from several threads at once; mimalloc
/// keeps that from being a third of the run time (measured with glibc's malloc).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
    prompt_purge();
    // Worker threads with a known, generous stack: deep (but accepted) syntax trees
    // are walked and dropped there. Failing leaves rayon's default pool.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(16 << 20)
        .build_global();
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Check(a) => cmd_check(a),
        Command::Rules(a) => cmd_rules(a),
        Command::Rule(a) => cmd_rule(a),
        Command::Init(a) => init::run(a),
        Command::Diff(a) => registry::cmd_diff(a),
        Command::SchemaDiff(a) => registry::cmd_schema_diff(a),
    };
    #[cfg(feature = "bench-stats")]
    bench_stats::print_if_asked();
    ExitCode::from(code as u8)
}

/// Turns transparent huge pages off for this process. Where the system has them
/// on for every mapping (`always`), the allocator's first touch of each 2 MiB region
/// zeroes all of it: a quarter of a pre-commit run's time went to that, for a
/// process that lives a few milliseconds and keeps a few MiB. Failing is harmless.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// Has the allocator give memory it no longer uses back to the system after 10 ms
/// instead of its default second, unless `MIMALLOC_PURGE_DELAY` says otherwise.
/// A large migration frees the parse of each statement while the next ones are
/// read; kept for a second, that garbage was a tenth of the peak memory of a 10 MB
/// release of schema changes (peak RSS 119 to 132 MiB over ten runs, 113 to 117
/// MiB with 10 ms; no change in run time measured).
///
/// This is the project's only `unsafe` (a test keeps it so): one call into the
/// allocator's C library, which the binary links through the `mimalloc` crate,
/// with a constant option number and value. `mi_option_set` takes an option
/// (`mi_option_t`, a C enum: `mi_option_purge_delay` is 15 in mimalloc 3's
/// header) and a `long`, and may be called at any time from any thread.
#[allow(unsafe_code)]
fn prompt_purge() {
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain C function of the linked allocator, taking two integers.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
}

/// The dialect from the flag, else the settings file, else Postgres.
pub fn dialect_of(flag: Option<DialectArg>, file: Option<&str>) -> Dialect {
    dialect_set(flag, file).unwrap_or_default()
}

/// The dialect set on the command line or in the settings file, if any.
pub fn dialect_set(flag: Option<DialectArg>, file: Option<&str>) -> Option<Dialect> {
    match flag {
        Some(DialectArg::Postgres) => Some(Dialect::Postgres),
        Some(DialectArg::Mysql | DialectArg::Mariadb) => Some(Dialect::Mysql),
        Some(DialectArg::Sqlite) => Some(Dialect::Sqlite),
        Some(DialectArg::Mssql) => Some(Dialect::Mssql),
        Some(DialectArg::Generic) => Some(Dialect::Generic),
        None => file.and_then(Dialect::parse),
    }
}

fn cmd_check(a: &CheckArgs) -> i32 {
    let loaded = match settings::resolve(a.output.config.as_deref(), &a.paths) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("canary-lint: error: {e:#}");
            return 2;
        }
    };
    let named: Vec<&String> = a
        .output
        .select
        .iter()
        .chain(&a.output.ignore)
        .chain(loaded.settings.rules.keys())
        .collect();
    let packs_loaded = registry::packs_needed(&loaded, named.iter().map(|n| n.as_str()));
    let packs = if packs_loaded {
        match registry::packs(&loaded) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("canary-lint: error: {e:#}");
                return 2;
            }
        }
    } else {
        Vec::new()
    };
    let rules = registry::all_rules(&packs);
    if let Some(unknown) = named.iter().find(|r| !rules.iter().any(|m| m.name == ***r)) {
        eprintln!("canary-lint: error: unknown rule `{unknown}` (see `canary-lint rules`)");
        return 2;
    }
    let mut out = RunOutcome::default();
    let parsed = check::run(a, &loaded, &mut out);
    registry::check_config_pairs(a, &loaded, &packs, &mut out);
    traffic::check(a, &loaded, &mut out);
    // Migration folders are not stable's code; a migration at the working
    // directory's root skips only itself, never the whole tree.
    let skip: Vec<std::path::PathBuf> = parsed
        .iter()
        .map(|p| {
            let f = std::path::Path::new(&*p.file.path);
            match f.parent() {
                Some(d) if !d.as_os_str().is_empty() && d != std::path::Path::new(".") => {
                    d.to_path_buf()
                }
                _ => f.to_path_buf(),
            }
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    stable_refs::stable_evidence(a, &loaded, &skip, &mut out);
    check::restore_template_names(&mut out);
    // A suppression comment may name a config rule even when no pack was needed.
    let late: std::cell::OnceCell<Vec<canary_lint_core::RuleMeta>> = std::cell::OnceCell::new();
    let known = |r: &str| {
        rules.iter().any(|m| m.name == r)
            || (!packs_loaded
                && late
                    .get_or_init(|| {
                        registry::packs(&loaded)
                            .map(|p| registry::all_rules(&p))
                            .unwrap_or_default()
                    })
                    .iter()
                    .any(|m| m.name == r))
    };
    check::apply_suppressions(&mut out, &parsed, &known);
    out.diagnostics = output::filter(
        std::mem::take(&mut out.diagnostics),
        &a.output.select,
        &a.output.ignore,
        &loaded.settings.rules,
    );
    output::finish(out, &a.output, &rules)
}

/// Every rule, with the user's packs from the settings file when there is one.
fn known_rules() -> anyhow::Result<Vec<canary_lint_core::RuleMeta>> {
    let loaded = settings::resolve(None, &[])?;
    Ok(registry::all_rules(&registry::packs(&loaded)?))
}

fn cmd_rules(a: &RulesArgs) -> i32 {
    let rules = match known_rules() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("canary-lint: error: {e:#}");
            return 2;
        }
    };
    if a.json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "name": r.name, "family": r.family.as_str(),
                    "severity": r.severity.as_str(), "summary": r.summary,
                })
            })
            .collect();
        crate::outln!(
            "{}",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        );
        return 0;
    }
    let w = rules.iter().map(|r| r.name.len()).max().unwrap_or(4);
    crate::outln!("{:w$}  {:8}  {:8}  SUMMARY", "RULE", "FAMILY", "SEVERITY");
    for r in &rules {
        crate::outln!(
            "{:w$}  {:8}  {:8}  {}",
            r.name,
            r.family.as_str(),
            r.severity.as_str(),
            r.summary
        );
    }
    0
}

fn cmd_rule(a: &RuleArgs) -> i32 {
    let rules = match known_rules() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("canary-lint: error: {e:#}");
            return 2;
        }
    };
    let name = canary_lint_core::current_rule_name(&a.name);
    match rules.iter().find(|r| r.name == name) {
        Some(r) => {
            crate::outln!("# {}", r.name);
            crate::outln!();
            if name != a.name {
                crate::outln!("(`{}` is a former name of this rule.)", a.name);
                crate::outln!();
            }
            crate::outln!("family: {}, default severity: {}", r.family, r.severity);
            crate::outln!("{}", r.summary);
            crate::outln!();
            crate::out!("{}", r.doc);
            if stable_refs::searchable(&r.name) {
                crate::outln!("\n## Evidence from stable's code\n");
                crate::out!("{}", canary_lint_stable::HEURISTIC);
            }
            0
        }
        None => {
            eprintln!(
                "canary-lint: error: no rule named `{}` (see `canary-lint rules`)",
                a.name
            );
            2
        }
    }
}
