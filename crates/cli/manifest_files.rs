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

/// The bytes after the last separator of a path a directory walk gives (below
/// its root: no trailing separator): its file name.
fn last_component(p: &Path) -> &[u8] {
    let b = p.as_os_str().as_encoded_bytes();
    match b
        .iter()
        .rposition(|&c| std::path::is_separator(char::from(c)))
    {
        Some(i) => &b[i + 1..],
        None => b,
    }
}

/// [`is_input`] for a path that names a file (no trailing separator, as a
/// directory walk gives them), from its bytes: the extension after the last `.`
/// of the last component, a leading `.` of the name starting none (as
/// [`Path::extension`] reads it).
fn input_extension(p: &Path) -> bool {
    let name = last_component(p);
    let ext = match name.iter().rposition(|&c| c == b'.') {
        Some(i) if i > 0 => &name[i + 1..],
        _ => return false,
    };
    ["yaml", "yml", "tf"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e.as_bytes()))
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
    // Per entry only what is cheap: the name of a directory, the extension of a
    // file read off the path's bytes (a migration folder walked here holds
    // thousands of files, none of them input).
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .max_depth(Some(12))
        .filter_entry(|e| {
            // Not called for the root: its path may end in a separator.
            if !e.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            let name = last_component(e.path());
            !SKIP_DIRS.iter().any(|d| d.as_bytes() == name)
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && input_extension(e.path()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_extension_reads_paths_as_is_input_does() {
        for p in [
            "a.yaml",
            "dir/a.YML",
            "dir/main.tf",
            "dir/.yaml",
            "dir/a.yaml.sql",
            "dir.yaml/a",
            "a..yml",
            "noext",
            "dir/.hidden.yaml",
            "a.tfx",
            "a.",
            "..",
        ] {
            let p = Path::new(p);
            assert_eq!(input_extension(p), is_input(p), "{}", p.display());
        }
    }
}
