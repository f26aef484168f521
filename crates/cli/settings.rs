//! `canary-lint.toml` (a contract): found by walking up from the working
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
    pub traffic: TrafficSettings,
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    #[serde(default)]
    pub packs: Packs,
}

/// `[traffic]` in `canary-lint.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSettings {
    /// Names that mark the canary (replace the naming conventions).
    #[serde(default)]
    pub canary: Vec<String>,
    /// Names that mark stable.
    #[serde(default)]
    pub stable: Vec<String>,
    pub max_canary_weight: Option<i64>,
    pub stable_min_replicas: Option<i64>,
    pub version_label: Option<String>,
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
    let text =
        canary_lint_core::read::read_text_capped(path, canary_lint_core::read::MAX_CONFIG_BYTES)
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
    confine_paths(path, &text)?;
    let mut settings = settings;
    settings.rules = std::mem::take(&mut settings.rules)
        .into_iter()
        .map(|(rule, level)| {
            (
                canary_lint_core::current_rule_name(&rule).to_string(),
                level,
            )
        })
        .collect();
    Ok(Loaded {
        file: Some(path.to_path_buf()),
        dir: display_dir,
        settings,
        dir_arg: None,
    })
}

/// The path-valued settings again, with where each is written (for errors).
#[derive(Debug, Default, Deserialize)]
struct PathSpans {
    #[serde(default)]
    migrations: SpannedPaths,
    #[serde(default)]
    stable: SpannedSrc,
    #[serde(default)]
    config: SpannedPairs,
    #[serde(default)]
    manifests: SpannedPaths,
    #[serde(default)]
    packs: SpannedPaths,
}

#[derive(Debug, Default, Deserialize)]
struct SpannedPaths {
    #[serde(default)]
    paths: Vec<toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct SpannedSrc {
    #[serde(default)]
    src: Vec<toml::Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct SpannedPairs {
    #[serde(default)]
    pairs: Vec<SpannedPair>,
}

#[derive(Debug, Deserialize)]
struct SpannedPair {
    stable: toml::Spanned<String>,
    canary: toml::Spanned<String>,
}

/// The repository that holds `dir`: the nearest ancestor with a `.git` entry, else `dir`.
fn repository_of(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").symlink_metadata().is_ok())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Where `p` (relative to `base`) really leads: links followed as far as the path
/// exists, the rest (which does not exist yet) taken lexically.
fn physical(base: &Path, p: &Path) -> PathBuf {
    let full = base.join(p);
    let mut existing = full.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(&existing) {
            let mut out = c;
            for part in rest.iter().rev() {
                match part.to_str() {
                    Some("..") => {
                        out.pop();
                    }
                    Some(".") => {}
                    _ => out.push(part),
                }
            }
            return out;
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => {
                // `..` at the end or nothing left that exists: judge lexically.
                if let Some(last) = existing.components().next_back() {
                    rest.push(last.as_os_str().to_os_string());
                }
                match existing.parent() {
                    Some(parent) if parent != existing => existing = parent.to_path_buf(),
                    _ => return full,
                }
            }
        }
    }
}

/// Paths from the settings file must stay inside the repository that holds it: an
/// absolute path, `..` or a symbolic link leading elsewhere (`/proc/self/environ`, the
/// runner's home) is refused, naming the key and its line. Paths given on the command
/// line are not affected.
fn confine_paths(path: &Path, text: &str) -> Result<()> {
    let Ok(spans) = toml::from_str::<PathSpans>(text) else {
        return Ok(()); // the strict parse above already accepted it; nothing to check
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir)
        .with_context(|| format!("{}: cannot resolve its directory", path.display()))?;
    let repo = repository_of(&dir);
    let mut all: Vec<(&str, &toml::Spanned<String>)> = Vec::new();
    all.extend(
        spans
            .migrations
            .paths
            .iter()
            .map(|p| ("migrations.paths", p)),
    );
    all.extend(spans.stable.src.iter().map(|p| ("stable.src", p)));
    for pair in &spans.config.pairs {
        all.push(("config.pairs.stable", &pair.stable));
        all.push(("config.pairs.canary", &pair.canary));
    }
    all.extend(spans.manifests.paths.iter().map(|p| ("manifests.paths", p)));
    all.extend(spans.packs.paths.iter().map(|p| ("packs.paths", p)));
    for (key, value) in all {
        let target = physical(&dir, Path::new(value.get_ref()));
        if !target.starts_with(&repo) {
            let (line, col) = line_col(text, value.span().start);
            bail!(
                "{}:{}:{}: invalid settings: {} = {:?} leads outside the repository that holds this file ({}); \
                 paths in {FILE_NAME} must stay inside it (name an outside path on the command line instead)",
                path.display(),
                line,
                col,
                key,
                value.get_ref(),
                repo.display()
            );
        }
    }
    Ok(())
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

    #[test]
    fn paths_leading_outside_the_repository_are_refused_with_key_and_line() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("sub/db")).unwrap();
        std::fs::write(root.path().join("outside.env"), "A=1\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.path().join("outside.env"), repo.join("sub/link.env"))
            .unwrap();
        let p = repo.join("sub").join(FILE_NAME);
        let cases = [
            (
                "[[config.pairs]]\nstable = \"a.env\"\ncanary = \"/proc/self/environ\"\n",
                "config.pairs.canary",
                ":3:",
            ),
            (
                "[stable]\nsrc = [\"../../outside.env\"]\n",
                "stable.src",
                ":2:",
            ),
            (
                "[packs]\npaths = [\"db/../../../x\"]\n",
                "packs.paths",
                ":2:",
            ),
            #[cfg(unix)]
            (
                "[migrations]\npaths = [\"db\", \"link.env\"]\n",
                "migrations.paths",
                ":2:",
            ),
        ];
        for (text, key, line) in cases {
            std::fs::write(&p, text).unwrap();
            let msg = load(&p, PathBuf::from(".")).unwrap_err().to_string();
            assert!(msg.contains(key) && msg.contains(line), "{text}: {msg}");
            assert!(msg.contains("outside the repository"), "{msg}");
        }
        // Inside the repository (also through `..` that stays inside, and not yet existing).
        std::fs::write(
            &p,
            "[migrations]\npaths = [\"db\", \"../sub/db\", \"new/dir\"]\n[stable]\nsrc = [\"..\"]\n",
        )
        .unwrap();
        load(&p, PathBuf::from(".")).unwrap();
    }

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
            "dialect = \"mysql\"\n[migrations]\npaths = [\"db\"]\n[stable]\nsrc = [\"old\"]\n\
             [[config.pairs]]\nstable = \"a\"\ncanary = \"b\"\n[rules]\ndrop-column = \"off\"\n",
        )
        .unwrap();
        assert_eq!(l.settings.migrations.paths, vec![PathBuf::from("db")]);
        assert_eq!(l.settings.config.pairs.len(), 1);
    }
}
