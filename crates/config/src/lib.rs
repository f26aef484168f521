//! Canary vs stable configuration: loaders that keep positions, Spring-style
//! key normalisation, declarative rule packs and the comparison that runs them.
//!
//! The flow the CLI drives:
//! 1. [`load_path`] each side (a file or a directory) into a [`Config`]: flat entries, each
//!    with the file, key span and value span it came from;
//! 2. [`builtin_packs`] plus any user packs from [`load_pack`];
//! 3. [`compare`] gives sorted [`Diagnostic`](canary_lint_core::Diagnostic)s; [`diff_text`] a redacted unified diff.
//!
//! Secrets never leave this crate in clear: [`Config::files`] holds source text with secret
//! values masked (same byte length, so spans stay valid), messages and diffs print
//! [`REDACTED`] instead of the value, while comparison still sees the real values.

mod compare;
mod error;
mod keyed;
mod listing;
mod load;
mod normalize;
mod pack;
mod quantity;
mod secret;

use canary_lint_core::{Position, SourceFile, Span};

/// The YAML reader the loaders use (every document of a stream, each node with its byte
/// span), bounded (depth limit, alias-expansion bound) and with merge keys resolved, for
/// the other crates that read YAML: the manifests engine.
pub mod yaml {
    pub use crate::load::yaml::{parse_nodes, Node, MAX_ALIAS_NODES, MAX_DEPTH};
    pub use crate::load::SyntaxError;
}

pub use compare::{builtin_rules, compare, rule_metas, KEY_ADDED_IN_CANARY, KEY_MISSING_IN_CANARY};
pub use error::{ConfigError, PackError};
pub use keyed::{compare_keys, flatten_node, keyed_config, without_equal, KeyDiff, KeyedValue};
pub use listing::{diff_text, listing};
pub use load::{
    describe_value_from, detect_format, load_file, load_path, load_path_all, load_str, ConfigFormat,
};
pub use normalize::{canonical_key, env_to_key, flat_key, is_env_form, normalize_key};
pub use pack::{
    builtin_packs, load_pack, parse_pack, Pack, PackCheck, PackRule, Side, BUILTIN_PACKS,
};
pub use secret::{
    display_value, embedded_secret_ranges, is_secret_key, mask_embedded, mask_ranges,
    mask_sql_secrets, scrub, shape_secret_ranges, sql_secret_ranges,
    sql_secret_ranges_and_keywords, REDACTED,
};

/// One flattened configuration value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEntry {
    /// The key as written (nested formats joined with `.`, lists as `[i]`).
    pub key: String,
    /// The relaxed-binding form of the key (see [`normalize_key`]); for env-style names
    /// Spring's own reading (`_` as separator, see [`env_to_key`]).
    pub norm: String,
    /// The key came from an environment-variable style name (`.env`, container `env`, an
    /// upper-case ConfigMap key), whose segment boundaries are unknown.
    pub env_form: bool,
    /// The value (unescaped, unquoted). Secret values are kept for comparison only.
    pub value: String,
    /// Spring profile of the document the entry is in (`None`: the default document).
    pub profile: Option<String>,
    /// Index into [`Config::files`].
    pub file: usize,
    pub key_span: Span,
    pub value_span: Span,
    /// The key names a secret (see [`is_secret_key`]): its value is never printed.
    pub secret: bool,
    /// For a container `env` item with `valueFrom`: the reference (e.g. `secretKeyRef x/y`);
    /// `value` then holds the same description.
    pub value_from: Option<String>,
}

/// A comment line of a config file: the file (index into the files) and its span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub file: usize,
    pub span: Span,
    pub text: String,
}

/// A replica count found in a Deployment-like manifest (`spec.replicas`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replicas {
    pub count: u64,
    pub file: usize,
    pub span: Span,
}

/// One side's configuration: every entry of every file loaded, in load order.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Source files, secrets masked. Use these for rendering (`Report::sources`).
    pub files: Vec<SourceFile>,
    pub entries: Vec<ConfigEntry>,
    pub comments: Vec<Comment>,
    pub replicas: Option<Replicas>,
    /// Every secret value (and secret part of a value) read, for a last check that none
    /// reaches an output ([`Config::secrets`]).
    pub secrets: Vec<String>,
}

impl Config {
    /// The file an entry came from.
    pub fn file_of(&self, entry: &ConfigEntry) -> &SourceFile {
        &self.files[entry.file]
    }

    /// 1-based line and column of an entry's value.
    pub fn value_position(&self, entry: &ConfigEntry) -> Position {
        self.files[entry.file].position(entry.value_span.start)
    }

    /// 1-based line and column of an entry's key.
    pub fn key_position(&self, entry: &ConfigEntry) -> Position {
        self.files[entry.file].position(entry.key_span.start)
    }

    /// The effective entry for each (profile, normalised key): later entries override earlier
    /// ones (later documents and files win, as in Spring).
    pub fn effective(&self) -> std::collections::BTreeMap<(Option<&str>, &str), &ConfigEntry> {
        let mut map = std::collections::BTreeMap::new();
        for e in &self.entries {
            map.insert((e.profile.as_deref(), e.norm.as_str()), e);
        }
        map
    }

    /// Source files by display path, ready for `canary_lint_report::Report::sources`.
    pub fn sources(&self) -> std::collections::BTreeMap<String, SourceFile> {
        self.files
            .iter()
            .map(|f| (f.path.to_string(), f.clone()))
            .collect()
    }

    /// Appends another config (e.g. a second file of the same side).
    pub fn extend(&mut self, other: Config) {
        let base = self.files.len();
        self.files.extend(other.files);
        self.entries.extend(other.entries.into_iter().map(|mut e| {
            e.file += base;
            e
        }));
        self.comments
            .extend(other.comments.into_iter().map(|mut c| {
                c.file += base;
                c
            }));
        self.secrets.extend(other.secrets);
        self.secrets.sort();
        self.secrets.dedup();
        if let Some(mut r) = other.replicas {
            r.file += base;
            self.replicas = Some(r);
        }
    }
}
