//! Declarative config rules. A pack is a TOML file of `[[rule]]` tables:
//!
//! ```toml
//! [[rule]]
//! name = "database-target-mismatch"    # kebab-case, unique
//! severity = "error"                   # error | warning | note
//! summary = "one line for `canary-lint rules`"
//! why = "what breaks for stable"
//! help = "what to do instead"
//! breaks = "short clause for messages" # optional; defaults to the summary
//! keys = ["spring.datasource.url", "DATABASE_URL"]   # globs on normalised keys
//! exclude = ["*.username"]             # optional globs taken out of `keys`
//! check = "equal"                      # equal | forbid | present | ratio-max | not-greater | not-less
//! values = ["create", "update"]        # forbid: the values that fire (case-insensitive)
//! side = "canary"                      # forbid, present: canary | stable | both (default canary)
//! ratio = 0.5                          # ratio-max: canary may use at most ratio x stable
//! default = 10                         # value assumed for a side that does not set the key
//! replicas_keys = ["replicas"]         # ratio-max: keys holding each side's replica count
//! ```
//!
//! Key globs are normalised like keys (lower case, `-`/`_` dropped; an env-style name such
//! as `DATABASE_URL` is read as `database.url`); `*` matches any run of characters, dots
//! included. `not-less` (canary must not be below stable: timeouts) complements
//! `not-greater` (retries).

use crate::error::PackError;
use crate::normalize::{env_to_key, is_env_form};
use canary_lint_core::{Family, RuleMeta, Severity, SourceFile};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::fmt::Write;
use std::path::Path;
use std::sync::OnceLock;
use toml::Spanned;

/// The packs shipped in the binary: (display path, text). Every file of `rules/` is here
/// (a test checks it).
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "rules/agreement.toml",
        include_str!("../../../rules/agreement.toml"),
    ),
    (
        "rules/migrations.toml",
        include_str!("../../../rules/migrations.toml"),
    ),
    (
        "rules/capacity.toml",
        include_str!("../../../rules/capacity.toml"),
    ),
];

/// What a pack rule checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Canary and stable must have the same value.
    Equal,
    /// A side must not have one of `values`.
    Forbid,
    /// A side must not set the key at all.
    Present,
    /// canary (x replicas) must not exceed `ratio` x stable (x replicas).
    RatioMax,
    /// Canary's number must not be greater than stable's (retries).
    NotGreater,
    /// Canary's number must not be less than stable's (timeouts).
    NotLess,
}

impl Check {
    pub const NAMES: &'static [&'static str] = &[
        "equal",
        "forbid",
        "present",
        "ratio-max",
        "not-greater",
        "not-less",
    ];

    pub fn parse(s: &str) -> Option<Check> {
        Some(match s {
            "equal" => Check::Equal,
            "forbid" => Check::Forbid,
            "present" => Check::Present,
            "ratio-max" => Check::RatioMax,
            "not-greater" => Check::NotGreater,
            "not-less" => Check::NotLess,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Check::Equal => "equal",
            Check::Forbid => "forbid",
            Check::Present => "present",
            Check::RatioMax => "ratio-max",
            Check::NotGreater => "not-greater",
            Check::NotLess => "not-less",
        }
    }
}

/// Which side a `forbid`/`present` check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Canary,
    Stable,
    Both,
}

impl Side {
    fn parse(s: &str) -> Option<Side> {
        Some(match s {
            "canary" => Side::Canary,
            "stable" => Side::Stable,
            "both" => Side::Both,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Canary => "canary",
            Side::Stable => "stable",
            Side::Both => "both",
        }
    }
}

/// One validated rule of a pack.
#[derive(Debug, Clone)]
pub struct PackRule {
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    pub why: String,
    pub help: String,
    pub breaks: Option<String>,
    /// Globs as written.
    pub keys: Vec<String>,
    pub exclude: Vec<String>,
    pub check: Check,
    /// `forbid` values, lower-cased.
    pub values: Vec<String>,
    pub side: Side,
    pub ratio: f64,
    pub default: Option<String>,
    pub replicas_keys: Vec<String>,
    /// Display path of the pack and the rule's line in it.
    pub pack: String,
    pub line: u32,
    /// `keys` in normalised glob form (what is matched).
    pub(crate) globs: Vec<String>,
    matcher: Globs,
    excluder: Globs,
    replicas: Globs,
}

/// A rule's key globs, compiled into one matcher when first asked. A check of
/// migrations alone never matches a config key, and compiling the built-in
/// packs' sets up front was a fifth of a pre-commit run. Each glob is checked
/// when the pack is read; a user pack's sets are also built then, so their
/// errors name the pack file.
#[derive(Debug, Clone)]
struct Globs {
    globs: Vec<Glob>,
    set: OnceLock<GlobSet>,
}

impl Globs {
    fn build(globs: &[Glob]) -> Result<GlobSet, globset::Error> {
        let mut set = GlobSetBuilder::new();
        for g in globs {
            set.add(g.clone());
        }
        set.build()
    }

    fn is_match(&self, norm: &str) -> bool {
        self.set
            .get_or_init(|| Globs::build(&self.globs).unwrap_or_else(|_| GlobSet::empty()))
            .is_match(norm)
    }
}

impl PackRule {
    /// Whether a normalised key is one this rule looks at.
    pub fn matches(&self, norm: &str) -> bool {
        self.matcher.is_match(norm) && !self.is_excluded(norm)
    }

    pub(crate) fn is_excluded(&self, norm: &str) -> bool {
        self.excluder.is_match(norm)
    }

    /// Whether a normalised key holds a replica count for this rule.
    pub fn is_replicas_key(&self, norm: &str) -> bool {
        self.replicas.is_match(norm)
    }

    /// The clause used in messages: what breaks.
    pub fn breaks(&self) -> &str {
        self.breaks.as_deref().unwrap_or(&self.summary)
    }

    /// Metadata for `canary-lint rules` / `canary-lint rule NAME`.
    pub fn meta(&self) -> RuleMeta {
        let mut doc = String::new();
        let _ = writeln!(doc, "Why this breaks stable:\n{}\n", self.why.trim());
        let _ = writeln!(doc, "What to do instead:\n{}\n", self.help.trim());
        let keys: Vec<String> = self.keys.iter().map(|k| format!("`{k}`")).collect();
        let _ = writeln!(doc, "Keys: {}", keys.join(", "));
        if !self.exclude.is_empty() {
            let ex: Vec<String> = self.exclude.iter().map(|k| format!("`{k}`")).collect();
            let _ = writeln!(doc, "Except: {}", ex.join(", "));
        }
        let _ = writeln!(doc, "Check: {}", self.describe_check());
        let _ = writeln!(doc, "Defined in: {}:{}", self.pack, self.line);
        RuleMeta {
            name: self.name.clone(),
            family: Family::Config,
            severity: self.severity,
            summary: self.summary.clone(),
            doc,
        }
    }

    fn describe_check(&self) -> String {
        let default = self
            .default
            .as_ref()
            .map(|d| format!(" (unset means {d})"))
            .unwrap_or_default();
        match self.check {
            Check::Equal => format!("equal: canary and stable must have the same value{default}"),
            Check::Forbid => format!(
                "forbid: {} must not set {}",
                self.side_words(),
                self.values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Check::Present => format!("present: {} must not set these keys", self.side_words()),
            Check::RatioMax => {
                let mut s = format!("ratio-max: canary at most {} x stable{default}", self.ratio);
                let keys = if self.replicas_keys.is_empty() {
                    String::new()
                } else {
                    format!("`{}` or ", self.replicas_keys.join("`, `"))
                };
                let _ = write!(
                    s,
                    "; when both sides give a replica count ({keys}the workload's `spec.replicas`), pool x replicas is compared"
                );
                s
            }
            Check::NotGreater => format!("not-greater: canary must not be above stable{default}"),
            Check::NotLess => format!("not-less: canary must not be below stable{default}"),
        }
    }

    fn side_words(&self) -> &'static str {
        match self.side {
            Side::Canary => "the canary",
            Side::Stable => "stable",
            Side::Both => "neither side",
        }
    }
}

/// A loaded pack: its display path and rules.
#[derive(Debug, Clone)]
pub struct Pack {
    pub path: String,
    pub rules: Vec<PackRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    rule: Vec<Spanned<RuleDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    name: Spanned<String>,
    severity: Spanned<String>,
    #[serde(default)]
    summary: Option<Spanned<String>>,
    #[serde(default)]
    why: Option<Spanned<String>>,
    #[serde(default)]
    help: Option<Spanned<String>>,
    #[serde(default)]
    breaks: Option<Spanned<String>>,
    keys: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    check: Spanned<String>,
    #[serde(default)]
    values: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    side: Option<Spanned<String>>,
    #[serde(default)]
    ratio: Option<Spanned<f64>>,
    #[serde(default)]
    default: Option<Spanned<toml::Value>>,
    #[serde(default)]
    replicas_keys: Vec<Spanned<String>>,
}

/// A key glob in normalised form: `-`/`_` dropped and lower case outside `[...]` classes;
/// an env-style name read as Spring reads it.
pub(crate) fn normalize_glob(pattern: &str) -> String {
    if is_env_form(pattern) && !pattern.contains(['*', '?', '[', '{']) {
        return env_to_key(pattern);
    }
    let mut out = String::with_capacity(pattern.len());
    let mut class = false;
    for c in pattern.chars() {
        match c {
            '[' => {
                class = true;
                out.push(c);
            }
            ']' => {
                class = false;
                out.push(c);
            }
            _ if class => out.push(c),
            '-' | '_' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn globs(file: &SourceFile, patterns: &[Spanned<String>], eager: bool) -> Result<Globs, PackError> {
    let mut globs = Vec::new();
    for p in patterns {
        let glob = GlobBuilder::new(&normalize_glob(p.get_ref()))
            .literal_separator(false)
            .build()
            .map_err(|e| {
                PackError::at(
                    file,
                    p.span().start,
                    format!("bad key glob `{}`: {}", p.get_ref(), e.kind()),
                )
            })?;
        globs.push(glob);
    }
    let set = OnceLock::new();
    if eager {
        let built = Globs::build(&globs)
            .map_err(|e| PackError::at(file, 0, format!("bad key globs: {e}")))?;
        let _ = set.set(built);
    }
    Ok(Globs { globs, set })
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Parses one pack file's text; `path` is its display path for errors and docs.
pub fn parse_pack(path: &str, text: &str) -> Result<Pack, PackError> {
    parse_pack_with(path, text, true)
}

/// As [`parse_pack`]; with `eager` false the key glob sets are compiled on first
/// use (for the built-in packs, whose sets a test builds).
fn parse_pack_with(path: &str, text: &str, eager: bool) -> Result<Pack, PackError> {
    let file = SourceFile::new(path, text);
    let parsed: PackFile = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        PackError::at(&file, at, e.message().trim().to_string())
    })?;
    let mut rules: Vec<PackRule> = Vec::new();
    for def in parsed.rule {
        let start = def.span().start;
        let def = def.into_inner();
        let err = |span: std::ops::Range<usize>, msg: String| PackError::at(&file, span.start, msg);
        let name = def.name.get_ref().clone();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(
                def.name.span(),
                format!("rule name `{name}` must be kebab-case (a-z, 0-9, -)"),
            ));
        }
        // A later `[[rule]]` with the same name adds another check to that rule (e.g. retries
        // must not grow and timeouts must not shrink): it inherits the texts.
        let first = rules.iter().find(|r| r.name == name).cloned();
        let texts = match &first {
            Some(f) => {
                let extra = [&def.summary, &def.why, &def.help, &def.breaks];
                if let Some(t) = extra.into_iter().flatten().next() {
                    return Err(err(t.span(), format!("rule `{name}` continues an earlier `[[rule]]`: only the first one has summary, why, help and breaks")));
                }
                (
                    f.summary.clone(),
                    f.why.clone(),
                    f.help.clone(),
                    f.breaks.clone(),
                )
            }
            None => {
                let need = |v: &Option<Spanned<String>>, field: &str| {
                    v.as_ref()
                        .map(|s| s.get_ref().trim().to_string())
                        .filter(|s| !s.is_empty())
                        .ok_or_else(|| {
                            err(
                                start..start,
                                format!("rule `{name}`: missing field `{field}`"),
                            )
                        })
                };
                (
                    need(&def.summary, "summary")?,
                    need(&def.why, "why")?,
                    need(&def.help, "help")?,
                    def.breaks.as_ref().map(|b| b.get_ref().trim().to_string()),
                )
            }
        };
        let severity = Severity::parse(def.severity.get_ref()).ok_or_else(|| {
            err(
                def.severity.span(),
                format!(
                    "unknown severity `{}` (expected error, warning or note)",
                    def.severity.get_ref()
                ),
            )
        })?;
        if let Some(f) = &first {
            if f.severity != severity {
                return Err(err(
                    def.severity.span(),
                    format!(
                        "rule `{name}` continues an earlier `[[rule]]` with severity `{}`",
                        f.severity
                    ),
                ));
            }
        }
        let check = Check::parse(def.check.get_ref()).ok_or_else(|| {
            err(
                def.check.span(),
                format!(
                    "unknown check `{}` (expected one of: {})",
                    def.check.get_ref(),
                    Check::NAMES.join(", ")
                ),
            )
        })?;
        if def.keys.get_ref().is_empty() {
            return Err(err(
                def.keys.span(),
                "`keys` must list at least one key glob".to_string(),
            ));
        }
        let values: Vec<String> = def
            .values
            .as_ref()
            .map(|v| v.get_ref().iter().map(|s| s.to_lowercase()).collect())
            .unwrap_or_default();
        match (&def.values, check) {
            (None, Check::Forbid) => {
                return Err(err(
                    start..start,
                    format!("rule `{name}`: check `forbid` needs `values`"),
                ))
            }
            (Some(v), Check::Forbid) if v.get_ref().is_empty() => {
                return Err(err(v.span(), "`values` must not be empty".to_string()))
            }
            (Some(v), c) if c != Check::Forbid => {
                return Err(err(
                    v.span(),
                    format!(
                        "`values` is only used by check `forbid`, not `{}`",
                        c.as_str()
                    ),
                ))
            }
            _ => {}
        }
        let ratio = match (&def.ratio, check) {
            (None, Check::RatioMax) => {
                return Err(err(
                    start..start,
                    format!("rule `{name}`: check `ratio-max` needs `ratio`"),
                ))
            }
            (Some(r), Check::RatioMax) => {
                let r_val = *r.get_ref();
                if !(r_val > 0.0 && r_val.is_finite()) {
                    return Err(err(
                        r.span(),
                        "`ratio` must be a positive number".to_string(),
                    ));
                }
                r_val
            }
            (Some(r), c) => {
                return Err(err(
                    r.span(),
                    format!(
                        "`ratio` is only used by check `ratio-max`, not `{}`",
                        c.as_str()
                    ),
                ))
            }
            (None, _) => 1.0,
        };
        if let (Some(first), false) = (def.replicas_keys.first(), check == Check::RatioMax) {
            return Err(err(
                first.span(),
                "`replicas_keys` is only used by check `ratio-max`".to_string(),
            ));
        }
        let side = match &def.side {
            None => Side::Canary,
            Some(s) => {
                if !matches!(check, Check::Forbid | Check::Present) {
                    return Err(err(
                        s.span(),
                        format!(
                            "`side` is only used by checks `forbid` and `present`, not `{}`",
                            check.as_str()
                        ),
                    ));
                }
                Side::parse(s.get_ref()).ok_or_else(|| {
                    err(
                        s.span(),
                        format!(
                            "unknown side `{}` (expected canary, stable or both)",
                            s.get_ref()
                        ),
                    )
                })?
            }
        };
        let default = match &def.default {
            None => None,
            Some(d) => {
                let text = value_text(d.get_ref());
                if matches!(check, Check::RatioMax | Check::NotGreater | Check::NotLess)
                    && crate::quantity::quantity(&text).is_none()
                {
                    return Err(err(
                        d.span(),
                        format!(
                            "`default` must be a number or duration for check `{}`",
                            check.as_str()
                        ),
                    ));
                }
                Some(text)
            }
        };
        let matcher = globs(&file, def.keys.get_ref(), eager)?;
        let excluder = globs(&file, &def.exclude, eager)?;
        let replicas = globs(&file, &def.replicas_keys, eager)?;
        rules.push(PackRule {
            name,
            severity,
            summary: texts.0,
            why: texts.1,
            help: texts.2,
            breaks: texts.3,
            keys: def
                .keys
                .get_ref()
                .iter()
                .map(|k| k.get_ref().clone())
                .collect(),
            exclude: def.exclude.iter().map(|k| k.get_ref().clone()).collect(),
            check,
            values,
            side,
            ratio,
            default,
            replicas_keys: def
                .replicas_keys
                .iter()
                .map(|k| k.get_ref().clone())
                .collect(),
            pack: path.to_string(),
            line: file.position(start).line,
            globs: def
                .keys
                .get_ref()
                .iter()
                .map(|k| normalize_glob(k.get_ref()))
                .collect(),
            matcher,
            excluder,
            replicas,
        });
    }
    Ok(Pack {
        path: path.to_string(),
        rules,
    })
}

/// The packs shipped with canary-lint.
pub fn builtin_packs() -> Result<Vec<Pack>, PackError> {
    BUILTIN_PACKS
        .iter()
        .map(|(path, text)| parse_pack_with(path, text, false))
        .collect()
}

/// Loads a user pack file, or every `*.toml` in a directory (sorted).
pub fn load_pack(path: &Path) -> Result<Vec<Pack>, PackError> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let io = |e: std::io::Error| PackError {
        file: shown.clone(),
        line: 1,
        column: 1,
        message: format!("cannot read rule pack: {e}"),
    };
    if path.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        files.sort();
        let mut packs = Vec::new();
        for f in files {
            packs.extend(load_pack(&f)?);
        }
        return Ok(packs);
    }
    let text =
        canary_lint_core::read::read_text_capped(path, canary_lint_core::read::MAX_CONFIG_BYTES)
            .map_err(|e| PackError {
                file: shown.clone(),
                line: 1,
                column: 1,
                message: format!("cannot read rule pack: {e}"),
            })?;
    Ok(vec![parse_pack(&shown, &text)?])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The built-in packs compile their key glob sets on first use; every one
    /// of them must build (a failure there would match nothing).
    #[test]
    fn builtin_glob_sets_build() {
        for pack in builtin_packs().unwrap() {
            for r in &pack.rules {
                for g in [&r.matcher, &r.excluder, &r.replicas] {
                    assert!(g.set.get().is_none(), "{}: built eagerly", r.name);
                    Globs::build(&g.globs).unwrap();
                }
            }
        }
    }

    const GOOD: &str = r#"
[[rule]]
name = "x-rule"
severity = "warning"
summary = "s"
why = "w"
help = "h"
keys = ["spring.datasource.hikari.maximum-pool-size", "DATABASE_URL", "logging.pattern.*"]
check = "equal"
"#;

    #[test]
    fn good_pack_matches_normalised_keys() {
        let p = parse_pack("p.toml", GOOD).unwrap();
        let r = &p.rules[0];
        assert!(r.matches("spring.datasource.hikari.maximumpoolsize"));
        assert!(r.matches("database.url"));
        assert!(r.matches("logging.pattern.console"));
        assert!(!r.matches("logging.level.root"));
        assert_eq!(r.line, 2);
        let meta = r.meta();
        assert_eq!(meta.family, Family::Config);
        assert!(meta
            .doc
            .contains("Keys: `spring.datasource.hikari.maximum-pool-size`"));
    }

    fn error(text: &str) -> PackError {
        parse_pack("bad.toml", text).unwrap_err()
    }

    #[test]
    fn unknown_check_names_the_line() {
        let e = error(&GOOD.replace("\"equal\"", "\"same\""));
        assert_eq!((e.file.as_str(), e.line), ("bad.toml", 9));
        assert!(e.message.contains("unknown check `same`"), "{e}");
    }

    #[test]
    fn bad_glob_names_the_line() {
        let e = error(&GOOD.replace("\"logging.pattern.*\"", "\"logging.[pattern\""));
        assert_eq!(e.line, 8);
        assert!(e.message.contains("bad key glob"), "{e}");
    }

    #[test]
    fn unknown_field_and_missing_field() {
        let e = error(&GOOD.replace("help = \"h\"", "help = \"h\"\ncolour = \"red\""));
        assert!(e.message.contains("colour"), "{e}");
        assert_eq!(e.line, 8);
        let e = error(&GOOD.replace("why = \"w\"\n", ""));
        assert!(e.message.contains("why"), "{e}");
        assert!(e.line >= 2, "{e}");
    }

    #[test]
    fn check_specific_fields() {
        let e = error(&GOOD.replace("\"equal\"", "\"forbid\""));
        assert!(e.message.contains("needs `values`"), "{e}");
        let e = error(&GOOD.replace("check = \"equal\"", "check = \"equal\"\nratio = 0.5"));
        assert!(e.message.contains("only used by check `ratio-max`"), "{e}");
        assert_eq!(e.line, 10);
        let e = error(&GOOD.replace("\"warning\"", "\"fatal\""));
        assert!(e.message.contains("unknown severity"), "{e}");
    }

    #[test]
    fn display_is_file_line_column_message() {
        let e = error("[[rule]]\nname = 3\n");
        assert!(e.to_string().starts_with("bad.toml:2:"), "{e}");
    }

    #[test]
    fn every_rules_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".toml"))
            .map(|n| format!("rules/{n}"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = BUILTIN_PACKS.iter().map(|p| p.0.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        for (path, text) in BUILTIN_PACKS {
            assert_eq!(
                std::fs::read_to_string(dir.join(&path[6..])).unwrap(),
                *text
            );
        }
    }
}
