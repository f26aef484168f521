//! Which files are traffic-split manifests: YAML files holding Kubernetes
//! objects, and Terraform files declaring weighted DNS records. `check` asks it
//! whether a path it was given is manifests (not migrations); `traffic` gathers
//! them for the manifests engine.

use crate::args::CheckArgs;
use std::path::{Path, PathBuf};

/// Directory names never searched for manifests.
const SKIP_DIRS: &[&str] = &["target", "node_modules", "vendor", "build", "dist", "venv"];

pub fn is_yaml(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// A manifest file, or a Terraform file (weighted DNS records are read from it).
pub fn is_input(p: &Path) -> bool {
    is_yaml(p) || canary_lint_manifests::terraform::is_terraform(&p.to_string_lossy())
}

/// Whether a file's text is for the manifests engine: Kubernetes objects, or
/// Terraform that declares Route 53 records.
pub fn wanted(p: &Path, text: &str) -> bool {
    if canary_lint_manifests::terraform::is_terraform(&p.to_string_lossy()) {
        canary_lint_manifests::terraform::looks_like_route53(text)
    } else {
        canary_lint_manifests::looks_like_manifest(text)
    }
}

/// Whether `check -` reads manifests (not SQL): `--stdin-filename` ends in `.yaml`/`.yml`.
pub fn reads_stdin(args: &CheckArgs) -> bool {
    args.paths.iter().any(|p| p == Path::new("-"))
        && args
            .stdin_filename
            .as_deref()
            .is_some_and(|n| is_yaml(Path::new(n)))
}

/// YAML files under `dir` (or `dir` itself), .gitignore respected, sorted.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .max_depth(Some(12))
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir()) && SKIP_DIRS.contains(&name.as_ref()))
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && is_input(e.path()))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// Whether a directory holds Kubernetes manifests (so that it is no error that it
/// holds no migrations).
pub fn has_manifests(dir: &Path) -> bool {
    yaml_files(dir).iter().any(|p| {
        canary_lint_core::read::read_text_capped(p, canary_lint_core::read::MAX_CONFIG_BYTES)
            .is_ok_and(|t| wanted(p, &t))
    })
}
