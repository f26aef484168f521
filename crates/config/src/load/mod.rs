//! Loaders, one module per format. Each parser works on a text and reports byte spans in
//! that text; [`OffsetMap`] carries spans of a file embedded in another (a whole
//! `application.properties` inside a ConfigMap) back to the outer file, line by line.

mod dotenv;
mod kube;
pub use kube::describe_value_from;
mod properties;
mod tomlfile;
pub(crate) mod yaml;

use crate::normalize::{canonical_key, env_to_key, normalize_key};
use crate::secret::{embedded_secret_ranges, is_secret_key, mask_ranges};
use crate::{Comment, Config, ConfigEntry, ConfigError, Replicas};
use canary_lint_core::{SourceFile, Span};
use std::path::Path;

/// The formats a config file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConfigFormat {
    /// Java/Spring `.properties` (with `#---` documents).
    Properties,
    /// Spring `application.yml` (multi-document, profiles).
    SpringYaml,
    /// Kubernetes manifests: ConfigMap `data` and the container `env` of workloads.
    Kubernetes,
    /// `.env` files.
    Dotenv,
    Json,
    Toml,
}

impl ConfigFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigFormat::Properties => "properties",
            ConfigFormat::SpringYaml => "yaml",
            ConfigFormat::Kubernetes => "kubernetes",
            ConfigFormat::Dotenv => "env",
            ConfigFormat::Json => "json",
            ConfigFormat::Toml => "toml",
        }
    }
}

/// One key/value as a parser found it, spans relative to the parsed text.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub key: String,
    pub value: String,
    pub key_span: Span,
    pub value_span: Span,
    pub profile: Option<String>,
    /// The key is an environment variable name (segments unknown).
    pub env: bool,
    pub value_from: Option<String>,
}

/// A parse error at a byte offset of the parsed text.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message} (at byte {offset})")]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl SyntaxError {
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        SyntaxError {
            offset,
            message: message.into(),
        }
    }
}

/// What a file yields: entries, and a replica count for workload manifests.
#[derive(Debug, Default)]
pub(crate) struct LoadedText {
    pub entries: Vec<Raw>,
    pub replicas: Option<(u64, Span)>,
}

/// Maps offsets of an embedded text to offsets of the file that holds it.
#[derive(Debug, Clone)]
pub(crate) struct OffsetMap {
    /// (start of a line in the embedded text, offset of that line in the file, exact).
    lines: Vec<(usize, usize, bool)>,
}

impl OffsetMap {
    /// Locates each line of `content` in `file[from..to]`, in order. Block scalars keep
    /// their lines verbatim after the indentation, so every line is found exactly; a line
    /// that cannot be found (escapes, folding) maps to the start of the region.
    pub fn locate(content: &str, file: &str, from: usize, to: usize) -> Self {
        let to = to.min(file.len()).max(from);
        let mut lines = Vec::new();
        let mut cursor = from;
        let mut start = 0;
        for line in content.split_inclusive('\n') {
            let text = line.trim_end_matches(['\n', '\r']);
            let found = if text.trim().is_empty() {
                None
            } else {
                file.get(cursor..to)
                    .and_then(|hay| hay.find(text))
                    .map(|i| cursor + i)
            };
            match found {
                Some(p) => {
                    lines.push((start, p, true));
                    cursor = p + text.len();
                }
                None => lines.push((start, cursor.min(to), false)),
            }
            start += line.len();
        }
        if lines.is_empty() {
            lines.push((0, from, false));
        }
        OffsetMap { lines }
    }

    pub fn map(&self, offset: usize) -> usize {
        let i = self
            .lines
            .partition_point(|l| l.0 <= offset)
            .saturating_sub(1);
        let (start, at, exact) = self.lines[i];
        if exact {
            at + (offset - start)
        } else {
            at
        }
    }

    pub fn span(&self, span: Span) -> Span {
        let start = self.map(span.start);
        let end = if span.is_empty() {
            start
        } else {
            self.map(span.end - 1) + 1
        };
        Span::new(start, end)
    }
}

impl LoadedText {
    /// Moves entries parsed from an embedded text into this one, through `map`.
    pub fn absorb(&mut self, other: LoadedText, map: &OffsetMap) {
        for mut raw in other.entries {
            raw.key_span = map.span(raw.key_span);
            raw.value_span = map.span(raw.value_span);
            self.entries.push(raw);
        }
    }
}

/// The format of `path`, from its name and, for YAML and unknown names, its content.
pub fn detect_format(path: &Path, text: &str) -> Option<ConfigFormat> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if name == ".env" || name.starts_with(".env.") || ext == "env" {
        return Some(ConfigFormat::Dotenv);
    }
    match ext.as_str() {
        "properties" => Some(ConfigFormat::Properties),
        "json" => Some(ConfigFormat::Json),
        "toml" => Some(ConfigFormat::Toml),
        "yml" | "yaml" => Some(if kube::looks_like_kubernetes(text) {
            ConfigFormat::Kubernetes
        } else {
            ConfigFormat::SpringYaml
        }),
        _ => sniff(text),
    }
}

fn sniff(text: &str) -> Option<ConfigFormat> {
    if kube::looks_like_kubernetes(text) {
        return Some(ConfigFormat::Kubernetes);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return Some(ConfigFormat::Json);
    }
    match flat_kind(text) {
        Flat::Env => Some(ConfigFormat::Dotenv),
        Flat::Properties => Some(ConfigFormat::Properties),
        Flat::Empty | Flat::Other => None,
    }
}

/// What a text without a telling name is, judged by its lines as a flat
/// `KEY=value` format: used for files and for ConfigMap data entries alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flat {
    /// Nothing but blank and comment lines.
    Empty,
    /// Every line an `.env` assignment.
    Env,
    /// Every line a Java property.
    Properties,
    Other,
}

fn flat_kind(text: &str) -> Flat {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .collect();
    if lines.is_empty() {
        Flat::Empty
    } else if lines.iter().all(|l| dotenv::looks_like_assignment(l)) {
        Flat::Env
    } else if lines.iter().all(|l| properties::looks_like_property(l)) {
        Flat::Properties
    } else {
        Flat::Other
    }
}

fn is_config_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    name == ".env"
        || name.starts_with(".env.")
        || matches!(
            ext.as_str(),
            "env" | "properties" | "json" | "toml" | "yml" | "yaml"
        )
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Loads a file, or every config file under a directory (recursively, sorted by path,
/// hidden directories skipped). Later files override earlier ones for the same key.
/// The first bad file is the error; [`load_path_all`] keeps going.
pub fn load_path(path: &Path) -> Result<Config, ConfigError> {
    let (config, mut errors) = load_path_all(path);
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors.swap_remove(0))
    }
}

/// Like [`load_path`], but a file that cannot be read or parsed does not stop the others:
/// the config of every good file, and an error for each bad one (a directory that cannot
/// be listed is an error too).
pub fn load_path_all(path: &Path) -> (Config, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let mut config = Config::default();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            errors.push(ConfigError::new(
                display_path(path),
                1,
                1,
                format!("cannot read: {e}"),
            ));
            return (config, errors);
        }
    };
    if !meta.is_dir() {
        match load_file(path) {
            Ok(c) => config = c,
            Err(e) => errors.push(e),
        }
        return (config, errors);
    }
    let mut files = Vec::new();
    if let Err(e) = collect(path, &mut files) {
        errors.push(e);
    }
    files.sort();
    for f in files {
        match load_file(&f) {
            Ok(c) => config.extend(c),
            Err(e) => errors.push(e),
        }
    }
    (config, errors)
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), ConfigError> {
    let err =
        |e: std::io::Error| ConfigError::new(display_path(dir), 1, 1, format!("cannot read: {e}"));
    for item in std::fs::read_dir(dir).map_err(err)? {
        let item = item.map_err(err)?;
        let p = item.path();
        let hidden = item.file_name().to_string_lossy().starts_with('.');
        if item.file_type().map_err(err)?.is_dir() {
            if !hidden {
                // A subdirectory that cannot be listed is reported by the caller
                // once the rest has been collected.
                collect(&p, out)?;
            }
        } else if is_config_name(&p) {
            out.push(p);
        }
    }
    Ok(())
}

/// Loads one file; its format from [`detect_format`].
pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
    let shown = display_path(path);
    use canary_lint_core::read::{read_text_capped, ReadError, MAX_CONFIG_BYTES};
    let text = read_text_capped(path, MAX_CONFIG_BYTES).map_err(|e| match e {
        ReadError::NotUtf8 { line } => {
            ConfigError::new(shown.clone(), line as u32, 1, "not valid UTF-8")
        }
        e => ConfigError::new(shown.clone(), 1, 1, e.to_string()),
    })?;
    let format = detect_format(path, &text).ok_or_else(|| {
        ConfigError::new(shown.clone(), 1, 1, "unknown config format (expected .properties, .yml/.yaml, .env, .json, .toml or a Kubernetes manifest)")
    })?;
    load_str(&shown, &text, format)
}

/// Parses `text` (display path `path`) as `format`.
pub fn load_str(path: &str, text: &str, format: ConfigFormat) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let original = SourceFile::new(path, text);
    let loaded = match format {
        ConfigFormat::Properties => properties::parse(text),
        ConfigFormat::SpringYaml => yaml::parse_spring(text),
        ConfigFormat::Json => json_checked(text).and_then(|()| yaml::parse_plain(text)),
        ConfigFormat::Kubernetes => kube::parse(text),
        ConfigFormat::Dotenv => dotenv::parse(text),
        ConfigFormat::Toml => tomlfile::parse(text),
    }
    .map_err(|e| ConfigError::at(&original, e.offset, e.message))?;
    let comments = if format == ConfigFormat::Json {
        Vec::new()
    } else {
        comment_lines(text)
    };
    Ok(assemble(path, text, loaded, comments))
}

/// YAML reads JSON but also accepts what JSON does not (`{"a": }`); check strictly first.
fn json_checked(text: &str) -> Result<(), SyntaxError> {
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let index = canary_lint_core::LineIndex::new(text);
            let pos = canary_lint_core::Position {
                line: e.line() as u32,
                column: e.column().max(1) as u32,
            };
            let message = e.to_string();
            let message = message
                .split(" at line ")
                .next()
                .unwrap_or(&message)
                .to_string();
            Err(SyntaxError::new(
                index.offset(text, pos),
                format!("invalid JSON: {message}"),
            ))
        }
    }
}

fn comment_lines(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.len() - body.trim_start().len();
        if body.trim_start().starts_with('#') {
            out.push(Comment {
                file: 0,
                span: Span::new(at + lead, at + body.len()),
                text: body.trim().to_string(),
            });
        }
        at += line.len();
    }
    out
}

/// Builds the [`Config`]: normalised keys, secret flags, masked source text.
///
/// A value is secret when its key names a secret, when the whole value has a secret's
/// shape, or when it repeats a secret value of the same file (an alias `*pw` of
/// `password: &pw x`, a merge key, a copy under a harmless name). Masking covers the value's
/// span and, since escapes, folding and aliases write a value in other bytes or other
/// places, every place in the file where a secret (or each line of a multi-line one) is
/// written out verbatim.
pub(crate) fn assemble(
    path: &str,
    text: &str,
    loaded: LoadedText,
    comments: Vec<Comment>,
) -> Config {
    let secret_values: std::collections::BTreeSet<&str> = loaded
        .entries
        .iter()
        .filter(|r| r.value_from.is_none() && is_secret_key(&r.key))
        .map(|r| r.value.as_str())
        .filter(|v| !v.trim().is_empty())
        .collect();
    let mut secrets: Vec<String> = Vec::new();
    let mut mask = Vec::new();
    let mut entries = Vec::with_capacity(loaded.entries.len());
    for raw in &loaded.entries {
        let (norm, env_form) = if raw.env && !raw.key.contains('.') {
            (canonical_key(env_to_key(&raw.key)), true)
        } else {
            (canonical_key(normalize_key(&raw.key)), false)
        };
        // A key shaped like a secret (a token pasted as a key) is masked in the text
        // below and scrubbed from what is printed.
        secrets.extend(
            embedded_secret_ranges(&raw.key)
                .into_iter()
                .map(|r| raw.key[r].to_string()),
        );
        let inner = embedded_secret_ranges(&raw.value);
        let trimmed = raw.value.trim();
        let whole_shape = !trimmed.is_empty()
            && inner.iter().map(|r| r.len()).sum::<usize>() * 10 >= trimmed.len() * 9;
        let secret = raw.value_from.is_none()
            && (is_secret_key(&raw.key)
                || whole_shape
                || secret_values.contains(raw.value.as_str()));
        let span = raw.value_span;
        if secret {
            // (A `valueFrom` reference names where the secret lives; it holds no secret.)
            mask.push(span.start..span.end);
            secrets.push(raw.value.clone());
        } else if !inner.is_empty() {
            if text.get(span.start..span.end) == Some(raw.value.as_str()) {
                mask.extend(
                    inner
                        .iter()
                        .map(|r| span.start + r.start..span.start + r.end),
                );
            } else {
                mask.push(span.start..span.end);
            }
            secrets.extend(inner.iter().map(|r| raw.value[r.clone()].to_string()));
        }
        entries.push(ConfigEntry {
            key: raw.key.clone(),
            norm,
            env_form,
            value: raw.value.clone(),
            profile: raw.profile.clone(),
            file: 0,
            key_span: raw.key_span,
            value_span: raw.value_span,
            secret,
            value_from: raw.value_from.clone(),
        });
    }
    // The same secrets written elsewhere in the file, whole or line by line.
    let needles: Vec<&str> = secrets
        .iter()
        .flat_map(|s| std::iter::once(s.as_str()).chain(s.lines().map(str::trim)))
        .collect();
    mask.extend(crate::secret::occurrences(text, &needles));
    // Anything still shaped like a secret in the text (comments, keys, unparsed parts).
    mask.extend(embedded_secret_ranges(text));
    secrets.retain(|s| !s.trim().is_empty());
    secrets.sort();
    secrets.dedup();
    let masked = mask_ranges(text, &mut mask);
    Config {
        files: vec![SourceFile::new(path, masked)],
        entries,
        comments,
        replicas: loaded.replicas.map(|(count, span)| Replicas {
            count,
            file: 0,
            span,
        }),
        secrets,
    }
}

/// The profile a Spring document declares, if any.
pub(crate) fn document_profile(entries: &[Raw]) -> Option<String> {
    entries
        .iter()
        .find(|r| {
            let n = normalize_key(&r.key);
            n == "spring.config.activate.onprofile" || n == "spring.profiles"
        })
        .map(|r| r.value.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_map_follows_block_lines() {
        let file = "data:\n  app: |\n    a=1\n    bb=2\n";
        let content = "a=1\nbb=2\n";
        let start = file.find("a=1").unwrap_or(0);
        let map = OffsetMap::locate(content, file, start, file.len());
        assert_eq!(&file[map.map(4)..map.map(4) + 4], "bb=2");
        assert_eq!(map.map(2), start + 2);
    }

    #[test]
    fn formats_by_name_and_content() {
        let p = Path::new;
        assert_eq!(detect_format(p("a/.env"), ""), Some(ConfigFormat::Dotenv));
        assert_eq!(
            detect_format(p("x.properties"), ""),
            Some(ConfigFormat::Properties)
        );
        assert_eq!(
            detect_format(p("x.yaml"), "a: 1"),
            Some(ConfigFormat::SpringYaml)
        );
        let cm = "apiVersion: v1\nkind: ConfigMap\ndata: {}\n";
        assert_eq!(
            detect_format(p("x.yaml"), cm),
            Some(ConfigFormat::Kubernetes)
        );
        assert_eq!(
            detect_format(p("config"), "A=1\nB=2\n"),
            Some(ConfigFormat::Dotenv)
        );
        assert_eq!(
            detect_format(p("config"), "a.b = 1\n"),
            Some(ConfigFormat::Properties)
        );
        assert_eq!(
            detect_format(p("config"), "{\"a\": 1}"),
            Some(ConfigFormat::Json)
        );
    }
}
