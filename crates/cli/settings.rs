//! `canary-lint.toml` (DESIGN §6, contract): found by walking up from the working
//! directory, or named with `--config`. Unknown keys are an error naming the key,
//! the file and the line. Command-line flags override what the file says.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "canary-lint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub dialect: Option<String>,
    #[serde(default)]
    pub migrations: Migrations,
    #[serde(default)]
    pub stable: Stable,
    #[serde(default)]
    pub config: ConfigSection,
    #[serde(default)]
    pub manifests: Manifests,
    #[serde(default)]
    pub traffic: crate::traffic::TrafficSettings,
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    #[serde(default)]
    pub packs: Packs,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Migrations {
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    pub layout: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stable {
    #[serde(default)]
    pub src: Vec<PathBuf>,
    #[serde(default, rename = "ref")]
    pub git_ref: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSection {
    #[serde(default)]
    pub pairs: Vec<Pair>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub stable: PathBuf,
    pub canary: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifests {
    #[serde(default)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packs {
    #[serde(default)]
    pub paths: Vec<PathBuf>,
}

/// A loaded settings file and the directory its relative paths are resolved against.
#[derive(Debug, Default)]
pub struct Loaded {
    pub file: Option<PathBuf>,
    pub dir: PathBuf,
    pub settings: FileSettings,
    /// The directory argument the file was found in (`check testdata/demo`).
    pub dir_arg: Option<PathBuf>,
}

impl Loaded {
    pub fn settings_dir_arg(&self) -> Option<&Path> {
        self.dir_arg.as_deref()
    }

    /// Resolves a path from the file against the file's directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            join_clean(&self.dir, p)
        }
    }
}

/// `dir/p` without a leading `./` so display paths stay short.
pub fn join_clean(dir: &Path, p: &Path) -> PathBuf {
    if dir.as_os_str().is_empty() || dir == Path::new(".") {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

/// Walks up from `start` to find `canary-lint.toml`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// The settings for a run: `--config`, else a `canary-lint.toml` in the single
/// directory argument, else the one found walking up from the working directory.
pub fn resolve(config: Option<&Path>, paths: &[PathBuf]) -> Result<Loaded> {
    if let Some(c) = config {
        let dir = c.parent().map(Path::to_path_buf).unwrap_or_default();
        return load(c, dir);
    }
    if let [only] = paths {
        let candidate = only.join(FILE_NAME);
        if only.is_dir() && candidate.is_file() {
            let mut l = load(&candidate, only.clone())?;
            l.dir_arg = Some(only.clone());
            return Ok(l);
        }
    }
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    match find(&cwd) {
        Some(found) => {
            let dir = found.parent().unwrap_or(&cwd);
            let ups = cwd
                .components()
                .count()
                .saturating_sub(dir.components().count());
            let rel: PathBuf = std::iter::repeat_n("..", ups).collect();
            load(&found, rel)
        }
        None => Ok(Loaded::default()),
    }
}

/// Loads and validates a settings file.
pub fn load(path: &Path, display_dir: PathBuf) -> Result<Loaded> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read settings file", path.display()))?;
    let settings: FileSettings = match toml::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            let (line, col) = e.span().map(|r| line_col(&text, r.start)).unwrap_or((1, 1));
            bail!(
                "{}:{}:{}: invalid settings: {}",
                path.display(),
                line,
                col,
                e.message().trim()
            );
        }
    };
    if let Some(d) = &settings.dialect {
        if canary_lint_sql::Dialect::parse(d).is_none() {
            let (line, col) = find_key(&text, "dialect");
            bail!(
                "{}:{}:{}: invalid settings: unknown dialect `{}` (expected one of {})",
                path.display(),
                line,
                col,
                d,
                canary_lint_sql::Dialect::NAMES.join(", ")
            );
        }
    }
    for (rule, level) in &settings.rules {
        if !matches!(level.as_str(), "error" | "warning" | "note" | "off") {
            let (line, col) = find_key(&text, rule);
            bail!(
                "{}:{}:{}: invalid settings: rules.{} = \"{}\" (expected \"error\", \"warning\", \"note\" or \"off\")",
                path.display(),
                line,
                col,
                rule,
                level
            );
        }
    }
    Ok(Loaded {
        file: Some(path.to_path_buf()),
        dir: display_dir,
        settings,
        dir_arg: None,
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Line and column of the first line that assigns `key` (for semantic errors).
fn find_key(text: &str, key: &str) -> (usize, usize) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let bare = t.trim_start_matches('"');
        if bare.starts_with(key)
            && bare[key.len()..]
                .trim_start_matches('"')
                .trim_start()
                .starts_with('=')
        {
            return line_col(text, offset + (line.len() - t.len()));
        }
        offset += line.len();
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn load_text(text: &str) -> Result<Loaded> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        load(&p, PathBuf::from("."))
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let err = load_text("dialect = \"postgres\"\n\n[migrations]\npathz = []\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(":4:"), "{msg}");
        assert!(msg.contains("pathz"), "{msg}");
    }

    #[test]
    fn bad_rule_level_names_line() {
        let err = load_text("[rules]\ndrop-column = \"loud\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(":2:1:"), "{msg}");
    }

    #[test]
    fn full_file_loads() {
        let l = load_text(
            "dialect = \"mysql\"\n[migrations]\npaths = [\"db\"]\n[stable]\nsrc = [\"../old\"]\n\
             [[config.pairs]]\nstable = \"a\"\ncanary = \"b\"\n[rules]\ndrop-column = \"off\"\n",
        )
        .unwrap();
        assert_eq!(l.settings.migrations.paths, vec![PathBuf::from("db")]);
        assert_eq!(l.settings.config.pairs.len(), 1);
    }
}
