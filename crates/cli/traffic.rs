//! Traffic-split manifests in `check`: gathers the manifest files of a run (the
//! paths named, `[manifests] paths`, the repository, or standard input with
//! `--stdin-filename x.yaml`), hands them to the manifests engine and adds what
//! it found to the run. Its settings section is `[traffic]`
//! ([`crate::settings::TrafficSettings`]).

use crate::args::CheckArgs;
use crate::check::{display, read_source};
use crate::manifest_files::{is_input, reads_stdin, wanted, yaml_files};
use crate::output::RunOutcome;
use crate::settings::Loaded;
use canary_lint_core::SourceFile;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The engine's settings from `[traffic]`, and the off-by-default rules this run
/// asks for (by `--select` or a `[rules]` level).
fn settings(
    args: &CheckArgs,
    loaded: &Loaded,
    out: &mut RunOutcome,
) -> canary_lint_manifests::Settings {
    let t = &loaded.settings.traffic;
    let mut s = canary_lint_manifests::Settings {
        canary: t.canary.clone(),
        stable: t.stable.clone(),
        ..Default::default()
    };
    let file = || {
        loaded
            .file
            .as_ref()
            .map_or("canary-lint.toml".into(), |f| f.display().to_string())
    };
    match t.max_canary_weight {
        Some(w) if !(0..=100).contains(&w) => out.run_error(format!(
            "{}: [traffic] max_canary_weight = {w} (expected a percentage from 0 to 100)",
            file()
        )),
        Some(w) => s.max_canary_weight = w,
        None => {}
    }
    match t.stable_min_replicas {
        Some(n) if n < 0 => out.run_error(format!(
            "{}: [traffic] stable_min_replicas = {n} (expected 0 or more)",
            file()
        )),
        Some(n) => s.stable_min_replicas = n,
        None => {}
    }
    if let Some(l) = &t.version_label {
        s.version_label = l.clone();
    }
    s.enabled = canary_lint_manifests::OFF_BY_DEFAULT
        .iter()
        .filter(|r| {
            args.output.select.iter().any(|s| s == *r)
                || loaded
                    .settings
                    .rules
                    .get(**r)
                    .is_some_and(|level| level != "off")
        })
        .map(|r| r.to_string())
        .collect();
    s
}

/// The manifest files of this run, and the files findings are limited to when
/// YAML files (and no folders) were named on the command line, as pre-commit names
/// the staged files: the other manifests (`[manifests] paths`, else the
/// repository) are then read too, so that the named ones are judged with the
/// objects they relate to, but only the named ones are reported.
fn gather(args: &CheckArgs, loaded: &Loaded) -> (Vec<PathBuf>, Option<BTreeSet<PathBuf>>) {
    let paths: Vec<&PathBuf> = args.paths.iter().filter(|p| *p != Path::new("-")).collect();
    let stdin_only = paths.is_empty() && !args.paths.is_empty();
    let configured: Vec<PathBuf> = loaded
        .settings
        .manifests
        .paths
        .iter()
        .map(|p| loaded.resolve(p))
        .collect();
    let settings_dir = |p: &Path| Some(p) == loaded.settings_dir_arg();
    // Only when a YAML file is named: a pre-commit run over SQL files searches nothing.
    let named_only =
        paths.iter().any(|p| p.is_file() && is_input(p)) && paths.iter().all(|p| p.is_file());
    let mut roots: Vec<PathBuf> = Vec::new();
    if (paths.is_empty() && !stdin_only) || named_only || paths.iter().any(|p| settings_dir(p)) {
        roots.extend(configured.iter().cloned());
    }
    for p in &paths {
        if settings_dir(p) && !configured.is_empty() {
            continue;
        }
        roots.push((*p).clone());
    }
    if (paths.is_empty() && !stdin_only || named_only) && configured.is_empty() {
        roots.push(PathBuf::from("."));
    }
    let clean = |p: PathBuf| p.strip_prefix("./").map(Path::to_path_buf).unwrap_or(p);
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    // Named files first, so that a file found again by the search keeps its name.
    let named: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_file() && is_input(p))
        .map(|p| clean((*p).clone()))
        .collect();
    let found = roots
        .iter()
        .filter(|r| r.is_dir() || is_input(r))
        .flat_map(|r| yaml_files(r))
        .map(clean);
    for p in named.iter().cloned().chain(found) {
        let key = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if seen.insert(key) {
            files.push(p);
        }
    }
    let only = named_only.then(|| {
        named
            .iter()
            .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect()
    });
    (files, only)
}

/// Checks the manifests of the run and adds the findings to `out`.
pub fn check(args: &CheckArgs, loaded: &Loaded, out: &mut RunOutcome) {
    let settings = settings(args, loaded, out);
    let mut sources: Vec<SourceFile> = Vec::new();
    if reads_stdin(args) {
        let name = args.stdin_filename.clone().unwrap_or_default();
        let mut text = String::new();
        match std::io::stdin().read_to_string(&mut text) {
            // Read as files are (`check::read_source`): BOM, lone CR, secret shapes masked.
            Ok(_) => sources.push(SourceFile::new(
                name,
                &*crate::redact::mask_secrets(&canary_lint_core::read::normalize_text(&text), None),
            )),
            Err(e) => out.run_error(format!("{name}: cannot read standard input: {e}")),
        }
    }
    let (files, only) = gather(args, loaded);
    let mut reported: Option<BTreeSet<String>> = only.as_ref().map(|_| BTreeSet::new());
    // Read as every input is (regular files only, capped, BOM and lone CR
    // normalised, secret shapes masked), in parallel; handled in order.
    let read: Vec<_> = {
        use rayon::prelude::*;
        files.par_iter().map(|p| read_source(p, None)).collect()
    };
    for (p, read) in files.into_iter().zip(read) {
        match read {
            Ok(f) if wanted(&p, &f.text) => {
                let canon = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
                if let (Some(only), Some(rep)) = (&only, &mut reported) {
                    if only.contains(&canon) {
                        rep.insert(f.path.to_string());
                    }
                }
                sources.push(f);
            }
            Ok(_) => {}
            // A YAML file named on the command line must be read; one found while
            // searching a folder is named in the error too.
            Err(e) => out.run_error(format!("{e:#}")),
        }
    }
    if sources.is_empty() {
        if !loaded.settings.manifests.paths.is_empty() && args.paths.is_empty() {
            out.run_error(format!(
                "[manifests] paths: no Kubernetes manifests found in {}",
                loaded
                    .settings
                    .manifests
                    .paths
                    .iter()
                    .map(|p| display(&loaded.resolve(p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return;
    }
    let mut found = canary_lint_manifests::check(&sources, &settings);
    if let Some(rep) = &reported {
        found.diagnostics.retain(|d| rep.contains(&*d.file));
    }
    for f in &found.sources {
        if reported.as_ref().is_none_or(|rep| rep.contains(&*f.path)) {
            out.add_source(f);
        }
    }
    for e in found.errors {
        out.run_error(e);
    }
    out.diagnostics.extend(found.diagnostics);
}

/// The `[traffic]` section `canary-lint init` writes.
pub fn init_section() -> &'static str {
    "\n[traffic]\n\
     # Canary and stable are recognised by convention: Argo canaryService/stableService,\n\
     # Flagger targetRef (and its -primary/-canary objects), NGINX canary: \"true\", names and\n\
     # labels canary/stable (track: canary, -canary suffix), v1/v2 (lower = stable).\n\
     # Names listed here replace those conventions:\n\
     # canary = [\"green\"]\n\
     # stable = [\"blue\"]\n\
     # Largest canary weight (percent) before an analysis has judged it.\n\
     max_canary_weight = 50\n\
     # Fewest replicas stable's autoscaler may scale to while a canary runs.\n\
     stable_min_replicas = 2\n\
     # The metrics label that tells canary from stable in alerts.\n\
     # version_label = \"version\"\n\
     \n[manifests]\n\
     # Where the traffic-split manifests are (default: searched in the repository).\n\
     # paths = [\"k8s\"]\n"
}
