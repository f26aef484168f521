//! Loaders, one module per format. Each parser works on a text and reports byte spans in
//! that text; [`OffsetMap`] carries spans of a file embedded in another (a whole
//! `application.properties` inside a ConfigMap) back to the outer file, line by line.

mod dotenv;
mod kube;
mod properties;
mod tomlfile;
pub(crate) mod yaml;

use crate::normalize::{canonical_key, env_to_key, normalize_key};
use crate::secret::{embedded_secret_ranges, is_secret_key, mask_ranges};
use crate::{Comment, Config, ConfigError, Entry, Replicas};
use canary_lint_core::{SourceFile, Span};
use std::path::Path;

/// The formats a config file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
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

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Properties => "properties",
            Format::SpringYaml => "yaml",
            Format::Kubernetes => "kubernetes",
            Format::Dotenv => "env",
            Format::Json => "json",
            Format::Toml => "toml",
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
#[derive(Debug, Clone)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl ParseError {
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        ParseError {
            offset,
            message: message.into(),
        }
    }
}

/// What a file yields: entries, and a replica count for workload manifests.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
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

impl Loaded {
    /// Moves entries parsed from an embedded text into this one, through `map`.
    pub fn absorb(&mut self, other: Loaded, map: &OffsetMap) {
        for mut raw in other.entries {
            raw.key_span = map.span(raw.key_span);
            raw.value_span = map.span(raw.value_span);
            self.entries.push(raw);
        }
    }
}

/// The format of `path`, from its name and, for YAML and unknown names, its content.
pub fn detect_format(path: &Path, text: &str) -> Option<Format> {
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
        return Some(Format::Dotenv);
    }
    match ext.as_str() {
        "properties" => Some(Format::Properties),
        "json" => Some(Format::Json),
        "toml" => Some(Format::Toml),
        "yml" | "yaml" => Some(if kube::looks_like_kubernetes(text) {
            Format::Kubernetes
        } else {
            Format::SpringYaml
        }),
        _ => sniff(text),
    }
}

fn sniff(text: &str) -> Option<Format> {
    if kube::looks_like_kubernetes(text) {
        return Some(Format::Kubernetes);
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return Some(Format::Json);
    }
    match flat_kind(text) {
        Flat::Env => Some(Format::Dotenv),
        Flat::Properties => Some(Format::Properties),
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
pub fn load_path(path: &Path) -> Result<Config, ConfigError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| ConfigError::new(display_path(path), 1, 1, format!("cannot read: {e}")))?;
    if !meta.is_dir() {
        return load_file(path);
    }
    let mut files = Vec::new();
    collect(path, &mut files)?;
    files.sort();
    let mut config = Config::default();
    for f in files {
        config.extend(load_file(&f)?);
    }
    Ok(config)
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
    let bytes = std::fs::read(path)
        .map_err(|e| ConfigError::new(shown.clone(), 1, 1, format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| ConfigError::new(shown.clone(), 1, 1, format!("not UTF-8: {e}")))?;
    let format = detect_format(path, &text).ok_or_else(|| {
        ConfigError::new(shown.clone(), 1, 1, "unknown config format (expected .properties, .yml/.yaml, .env, .json, .toml or a Kubernetes manifest)")
    })?;
    load_str(&shown, &text, format)
}

/// Parses `text` (display path `path`) as `format`.
pub fn load_str(path: &str, text: &str, format: Format) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let original = SourceFile::new(path, text);
    let loaded = match format {
        Format::Properties => properties::parse(text),
        Format::SpringYaml => yaml::parse_spring(text),
        Format::Json => json_checked(text).and_then(|()| yaml::parse_plain(text)),
        Format::Kubernetes => kube::parse(text),
        Format::Dotenv => dotenv::parse(text),
        Format::Toml => tomlfile::parse(text),
    }
    .map_err(|e| ConfigError::at(&original, e.offset, e.message))?;
    let comments = if format == Format::Json {
        Vec::new()
    } else {
        comment_lines(text)
    };
    Ok(assemble(path, text, loaded, comments))
}

/// YAML reads JSON but also accepts what JSON does not (`{"a": }`); check strictly first.
fn json_checked(text: &str) -> Result<(), ParseError> {
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
            Err(ParseError::new(
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
fn assemble(path: &str, text: &str, loaded: Loaded, comments: Vec<Comment>) -> Config {
    let mut mask = Vec::new();
    let mut entries = Vec::with_capacity(loaded.entries.len());
    for raw in loaded.entries {
        let (norm, env_form) = if raw.env && !raw.key.contains('.') {
            (canonical_key(env_to_key(&raw.key)), true)
        } else {
            (canonical_key(normalize_key(&raw.key)), false)
        };
        let secret = is_secret_key(&raw.key);
        let span = raw.value_span;
        if secret && raw.value_from.is_none() {
            // (A `valueFrom` reference names where the secret lives; it holds no secret.)
            mask.push(span.start..span.end);
        } else {
            let inner = embedded_secret_ranges(&raw.value);
            if !inner.is_empty() {
                if text.get(span.start..span.end) == Some(raw.value.as_str()) {
                    mask.extend(
                        inner
                            .into_iter()
                            .map(|r| span.start + r.start..span.start + r.end),
                    );
                } else {
                    mask.push(span.start..span.end);
                }
            }
        }
        entries.push(Entry {
            key: raw.key,
            norm,
            env_form,
            value: raw.value,
            profile: raw.profile,
            file: 0,
            key_span: raw.key_span,
            value_span: raw.value_span,
            secret,
            value_from: raw.value_from,
        });
    }
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
        assert_eq!(detect_format(p("a/.env"), ""), Some(Format::Dotenv));
        assert_eq!(
            detect_format(p("x.properties"), ""),
            Some(Format::Properties)
        );
        assert_eq!(detect_format(p("x.yaml"), "a: 1"), Some(Format::SpringYaml));
        let cm = "apiVersion: v1\nkind: ConfigMap\ndata: {}\n";
        assert_eq!(detect_format(p("x.yaml"), cm), Some(Format::Kubernetes));
        assert_eq!(
            detect_format(p("config"), "A=1\nB=2\n"),
            Some(Format::Dotenv)
        );
        assert_eq!(
            detect_format(p("config"), "a.b = 1\n"),
            Some(Format::Properties)
        );
        assert_eq!(detect_format(p("config"), "{\"a\": 1}"), Some(Format::Json));
    }
}
