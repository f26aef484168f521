//! Traffic-split manifests: the routing, rollout and alerting mistakes that sink a
//! canary, found across the resources of one run before any traffic splits.
//!
//! The flow the CLI drives: hand [`check`] the manifest files of a run (Kubernetes
//! YAML, multi-document streams, `kubectl`/`kustomize`/`helm template` output) and
//! the [`Settings`]. Every document is read with positions; a malformed document is
//! an error naming file and line while the others are still read. Objects are
//! related across files (a VirtualService and the DestinationRule of its host, an
//! Ingress and its canary, a Service and the workloads it selects), canary and
//! stable are recognised (see [`Ctx`]), and the rules of [`traffic_rules::RULES`] run.
//!
//! Rules about an app only run for apps that have a canary in the run: a repository
//! of ordinary services gets no traffic findings.

mod alerts;
mod doc;
mod mask;
mod nginx;
mod objects;
pub mod terraform;
pub mod traffic_rules;
mod util;

use canary_lint_core::{sort_diagnostics, Diagnostic, SourceFile, StaticRule};
use rayon::prelude::*;

pub use doc::{looks_like_manifest, Resource};
pub use objects::{Ctx, Role};

/// The `[traffic]` settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Names that mark the canary (workload, Service, subset names or label
    /// values). When set, they replace the naming conventions for the canary side.
    pub canary: Vec<String>,
    /// Names that mark stable, likewise.
    pub stable: Vec<String>,
    /// Largest canary weight (percent) before an analysis has judged it.
    pub max_canary_weight: i64,
    /// Fewest replicas stable's autoscaler may scale down to.
    pub stable_min_replicas: i64,
    /// The label that tells canary's series from stable's in metrics.
    pub version_label: String,
    /// Rules that are off by default and asked for in this run.
    pub enabled: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            canary: Vec::new(),
            stable: Vec::new(),
            max_canary_weight: 50,
            stable_min_replicas: 2,
            version_label: "version".to_string(),
            enabled: Vec::new(),
        }
    }
}

/// Rules that only run when asked for (by `--select` or a `[rules]` level).
pub const OFF_BY_DEFAULT: &[&str] = &["weights-not-100"];

/// What a run over manifests found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Documents that could not be read: `path:line:column: message`.
    pub errors: Vec<String>,
    /// How many Kubernetes objects were read.
    pub objects: usize,
    /// The files as a report may show them: secret values masked (same length,
    /// so spans stay valid). Give these, not the originals, to a reporter.
    pub sources: Vec<SourceFile>,
}

/// Every traffic rule.
pub fn rules() -> Vec<StaticRule> {
    traffic_rules::RULES.iter().map(|(r, _)| *r).collect()
}

/// Reads `files`, relates their objects and runs every rule (the off-by-default
/// ones only when `settings.enabled` names them).
pub fn check(files: &[SourceFile], settings: &Settings) -> Outcome {
    // Terraform files give weighted DNS records; every other file is YAML.
    let read: Vec<_> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            if terraform::is_terraform(&f.path) {
                let (d, e) = terraform::read(i, f);
                (Vec::new(), d, e)
            } else {
                let (r, e) = doc::read(i, f);
                (r, Vec::new(), e)
            }
        })
        .collect();
    let mut res = Vec::new();
    let mut dns = Vec::new();
    let mut errors = Vec::new();
    for (r, d, e) in read {
        res.extend(r);
        dns.extend(d);
        errors.extend(e);
    }
    let objects = res.len();
    let mut by_file: Vec<Vec<&Resource>> = vec![Vec::new(); files.len()];
    for r in &res {
        by_file[r.file].push(r);
    }
    let sources = files
        .par_iter()
        .zip(&by_file)
        .map(|(f, mine)| {
            if terraform::is_terraform(&f.path) {
                terraform::masked(f)
            } else {
                mask::masked(f, mine)
            }
        })
        .collect();
    drop(by_file);
    let mut ctx = Ctx::new(files, res, settings);
    ctx.dns_records = dns;
    let mut diagnostics: Vec<Diagnostic> = traffic_rules::RULES
        .par_iter()
        .filter(|(r, _)| {
            !OFF_BY_DEFAULT.contains(&r.name) || settings.enabled.iter().any(|e| e == r.name)
        })
        .flat_map_iter(|(_, run)| run(&ctx))
        .collect();
    sort_diagnostics(&mut diagnostics);
    diagnostics.dedup();
    Outcome {
        diagnostics,
        errors,
        objects,
        sources,
    }
}
