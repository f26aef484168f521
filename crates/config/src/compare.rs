//! The comparison: both sides' entries keyed the same way, every pack rule run over the
//! keys it names, and the two built-in rules about keys only one side has.
//!
//! Keys: each entry is keyed by (profile, normalised key). An env-style entry is keyed by
//! the dotted key of the pair with the same flat form when there is one (so a canary
//! `.env` with `SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE` meets stable's
//! `spring.datasource.hikari.maximum-pool-size`), else by Spring's `_`-as-`.` reading.
//! Everything is built from sorted maps in one pass per side, so the work grows linearly
//! with the number of keys (plus one glob-set match per distinct key).

use crate::normalize::flat_key;
use crate::pack::{Check, Pack, PackRule, Side};
use crate::quantity::quantity;
use crate::secret::display_value;
use crate::{Config, Entry};
use canary_lint_core::{declare_rule, sort_diagnostics, Diagnostic, Related, RuleMeta};
use globset::{GlobBuilder, GlobSetBuilder};
use std::collections::{BTreeMap, BTreeSet, HashMap};

declare_rule! {
    /// What it does: reports a key that stable sets and the canary does not (in the default
    /// profile; profile documents and the profile selectors are left out).
    ///
    /// Why it matters: without the key the canary runs on the framework's default, which is
    /// rarely what stable was tuned for: another pool size, timeout, feature flag or endpoint.
    /// When the key was dropped on purpose this is a reminder to check the default is safe
    /// next to stable.
    ///
    /// What to do: carry the key over to the canary's config with stable's value, or confirm
    /// the default is intended and suppress the finding with a reason.
    pub const KEY_MISSING_IN_CANARY = { name: "key-missing-in-canary", family: Config, severity: Warning,
        summary: "a key stable sets is missing from the canary's config" };
}

declare_rule! {
    /// What it does: notes a key that the canary sets and stable does not (in the default
    /// profile; profile documents and the profile selectors are left out).
    ///
    /// Why it matters: a new key is usually a new feature or tuning; it is worth a look
    /// whether it changes anything stable shares (a queue, a cache, a schema).
    ///
    /// What to do: nothing if the key only concerns the canary's own code.
    pub const KEY_ADDED_IN_CANARY = { name: "key-added-in-canary", family: Config, severity: Note,
        summary: "a key the canary sets is not in stable's config" };
}

/// Keys that differ between canary and stable by design.
const NOISE: &[&str] = &[
    "spring.profiles.active",
    "spring.profiles.include",
    "spring.profiles.default",
    "spring.profiles",
    "spring.config.activate.onprofile",
];

/// How many related locations a finding lists.
const MAX_RELATED: usize = 5;

/// Metadata of the two built-in rules.
pub fn builtin_rules() -> Vec<RuleMeta> {
    vec![KEY_MISSING_IN_CANARY.meta(), KEY_ADDED_IN_CANARY.meta()]
}

/// Metadata of every config rule: the built-ins and each pack rule (rules spread over
/// several `[[rule]]` tables merged into one), sorted by name. The first definition of a
/// name wins when packs repeat it.
pub fn rule_metas(packs: &[Pack]) -> Vec<RuleMeta> {
    let mut by_name: BTreeMap<String, RuleMeta> = BTreeMap::new();
    for m in builtin_rules() {
        by_name.insert(m.name.clone(), m);
    }
    let mut seen_pack: BTreeMap<String, String> = BTreeMap::new();
    for pack in packs {
        for rule in &pack.rules {
            let meta = rule.meta();
            match by_name.get_mut(&rule.name) {
                None => {
                    seen_pack.insert(rule.name.clone(), pack.path.clone());
                    by_name.insert(rule.name.clone(), meta);
                }
                Some(existing) if seen_pack.get(&rule.name) == Some(&pack.path) => {
                    let keys: Vec<String> = rule.keys.iter().map(|k| format!("`{k}`")).collect();
                    existing
                        .doc
                        .push_str(&format!("\nAlso keys: {}\n", keys.join(", ")));
                    for line in meta
                        .doc
                        .lines()
                        .filter(|l| l.starts_with("Except: ") || l.starts_with("Check: "))
                    {
                        existing.doc.push_str(line);
                        existing.doc.push('\n');
                    }
                }
                Some(_) => {}
            }
        }
    }
    by_name.into_values().collect()
}

/// Compares two quantities: numbers as numbers, a bare number against a duration as ms.
fn cmp_quantity(a: (f64, bool), b: (f64, bool)) -> Option<std::cmp::Ordering> {
    a.0.partial_cmp(&b.0)
}

/// One side's effective entries by (profile, comparison key).
/// (Hash maps: keys share long prefixes, which makes ordered-map comparisons costly; the
/// findings are sorted at the end and listings sort their lines.)
pub(crate) type View<'a> = HashMap<(Option<&'a str>, &'a str), &'a Entry>;

fn view<'a>(cfg: &'a Config, flat_index: &HashMap<String, &'a str>) -> View<'a> {
    let mut map = HashMap::with_capacity(cfg.entries.len());
    for e in &cfg.entries {
        let key = if e.env_form && !flat_index.is_empty() {
            flat_index
                .get(&flat_key(&e.norm))
                .copied()
                .unwrap_or(e.norm.as_str())
        } else {
            e.norm.as_str()
        };
        map.insert((e.profile.as_deref(), key), e);
    }
    map
}

/// Shows a value in a message: secrets redacted, one line, at most 120 characters.
pub(crate) fn shown(e: &Entry) -> String {
    let v = display_value(e).replace('\r', "").replace('\n', "\\n");
    if v.chars().count() > 120 {
        let cut: String = v.chars().take(117).collect();
        format!("{cut}...")
    } else {
        v
    }
}

struct Pair<'a> {
    stable: &'a Config,
    canary: &'a Config,
}

impl Pair<'_> {
    fn related(&self, cfg: &Config, e: &Entry, message: String) -> Related {
        let p = cfg.value_position(e);
        Related {
            file: cfg.files[e.file].path.to_string(),
            line: p.line,
            column: p.column,
            message,
        }
    }

    fn at(&self, rule: &PackRule, cfg: &Config, e: &Entry, message: String) -> Diagnostic {
        Diagnostic::with_rule_name(
            &rule.name,
            rule.severity,
            &cfg.files[e.file],
            e.value_span,
            message,
        )
        .help(rule.help.clone())
    }
}

fn profile_note(profile: Option<&str>) -> String {
    profile
        .map(|p| format!(" (profile `{p}`)"))
        .unwrap_or_default()
}

/// Both sides keyed for comparison: env-style keys resolved against the pair's dotted keys
/// and the literal keys the packs name (so `DB_POOL_MAXIMUM_SIZE` finds `db.pool.maximum-size`
/// even when neither side spells it with dots).
pub(crate) fn views<'a>(
    stable: &'a Config,
    canary: &'a Config,
    known: &[&'a str],
) -> (View<'a>, View<'a>) {
    let mut flat_index: HashMap<String, &'a str> = HashMap::new();
    let any_env = stable
        .entries
        .iter()
        .chain(&canary.entries)
        .any(|e| e.env_form);
    let dotted = stable
        .entries
        .iter()
        .chain(&canary.entries)
        .filter(|e| !e.env_form);
    let keys = dotted.map(|e| e.norm.as_str()).chain(known.iter().copied());
    for key in keys.filter(|_| any_env) {
        let slot = flat_index.entry(flat_key(key)).or_insert(key);
        if key < *slot {
            *slot = key;
        }
    }
    (view(stable, &flat_index), view(canary, &flat_index))
}

/// The keys of pack globs without wildcards.
fn literal_keys(packs: &[Pack]) -> Vec<&str> {
    packs
        .iter()
        .flat_map(|p| &p.rules)
        .flat_map(|r| &r.globs)
        .filter(|g| !g.contains(['*', '?', '[', '{']))
        .map(String::as_str)
        .collect()
}

/// Runs every rule of `packs` and the built-in key rules; findings sorted.
pub fn compare(stable: &Config, canary: &Config, packs: &[Pack]) -> Vec<Diagnostic> {
    let pair = Pair { stable, canary };
    let (sv, cv) = views(stable, canary, &literal_keys(packs));

    let rules: Vec<&PackRule> = packs.iter().flat_map(|p| &p.rules).collect();
    let mut set = GlobSetBuilder::new();
    let mut owner = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        for g in &rule.globs {
            if let Ok(glob) = GlobBuilder::new(g).literal_separator(false).build() {
                set.add(glob);
                owner.push(i);
            }
        }
    }
    let set = set.build().unwrap_or_else(|_| globset::GlobSet::empty());

    let keys = sv.keys().chain(cv.keys().filter(|k| !sv.contains_key(*k)));
    let mut diags = Vec::new();
    let mut hits = Vec::new();
    let mut rule_hits = BTreeSet::new();
    for key in keys {
        let (s, c) = (sv.get(key).copied(), cv.get(key).copied());
        set.matches_into(key.1, &mut hits);
        rule_hits.clear();
        rule_hits.extend(hits.iter().map(|&h| owner[h]));
        for &ri in &rule_hits {
            let rule = rules[ri];
            if rule.is_excluded(key.1) {
                continue;
            }
            run_rule(&pair, rule, key.0, s, c, &sv, &cv, &mut diags);
        }
        if key.0.is_none() && !NOISE.contains(&key.1) {
            key_presence(&pair, s, c, &mut diags);
        }
    }
    sort_diagnostics(&mut diags);
    diags
}

fn key_presence(
    pair: &Pair<'_>,
    s: Option<&Entry>,
    c: Option<&Entry>,
    diags: &mut Vec<Diagnostic>,
) {
    match (s, c) {
        (Some(s), None) => {
            let file = &pair.stable.files[s.file];
            let d = Diagnostic::new(
                &KEY_MISSING_IN_CANARY,
                file,
                s.key_span,
                format!(
                    "`{}` is set on stable (`{}`) but missing from the canary, which falls back to its default",
                    s.key,
                    shown(s)
                ),
            )
            .help("carry the key over to the canary with stable's value, or confirm the default is safe next to stable")
            .label("only stable sets this");
            diags.push(d);
        }
        (None, Some(c)) => {
            let file = &pair.canary.files[c.file];
            let d = Diagnostic::new(
                &KEY_ADDED_IN_CANARY,
                file,
                c.key_span,
                format!(
                    "`{}` = `{}` is set on the canary only; stable runs without it",
                    c.key,
                    shown(c)
                ),
            )
            .help(
                "check the new key does not change anything stable shares (queues, caches, schema)",
            )
            .label("only the canary sets this");
            diags.push(d);
        }
        _ => {}
    }
}

/// A side's replica count for `rule`: a `replicas_keys` entry, else the workload's
/// `spec.replicas`.
fn replicas(rule: &PackRule, cfg: &Config, view: &View<'_>) -> Option<u64> {
    view.iter()
        .filter(|((p, k), _)| p.is_none() && rule.is_replicas_key(k))
        .filter_map(|((_, k), e)| Some((k, e.value.trim().parse::<u64>().ok()?)))
        .min()
        .map(|(_, n)| n)
        .or(cfg.replicas.as_ref().map(|r| r.count))
}

pub(crate) fn values_equal(a: &str, b: &str) -> bool {
    let norm = |v: &str| {
        let t = v.trim();
        if t.len() > 1 {
            t.trim_end_matches('/').to_string()
        } else {
            t.to_string()
        }
    };
    norm(a) == norm(b)
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[allow(clippy::too_many_arguments)]
fn run_rule(
    pair: &Pair<'_>,
    rule: &PackRule,
    profile: Option<&str>,
    s: Option<&Entry>,
    c: Option<&Entry>,
    sv: &View<'_>,
    cv: &View<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let pn = profile_note(profile);
    match rule.check {
        Check::Equal => {
            let Some(c) = c else { return };
            let (stable_value, stable_shown) = match (s, &rule.default) {
                (Some(s), _) => (s.value.clone(), shown(s)),
                (None, Some(d)) => (d.clone(), format!("{d} (default)")),
                (None, None) => return,
            };
            if values_equal(&c.value, &stable_value) {
                return;
            }
            let stable_key = match s {
                Some(s) if s.key != c.key => format!("stable's `{}`", s.key),
                _ => "stable".to_string(),
            };
            // A differing secret is not by itself evidence for the rule: a rotated
            // password is not "a different database". Only the secret differs when the
            // key is secret or the values agree once their secret parts are masked.
            let secret_only = c.secret
                || s.is_some_and(|s| s.secret)
                || values_equal(
                    &crate::secret::mask_embedded(&c.value),
                    &crate::secret::mask_embedded(&stable_value),
                );
            let msg = if secret_only {
                format!(
                    "`{}`{pn}: only a secret differs between canary and stable (values not shown); a rotated credential is not by itself a mismatch, but check that both versions can use theirs",
                    c.key
                )
            } else {
                format!(
                    "`{}`{pn} differs: canary has `{}`, {stable_key} has `{}`; {}",
                    c.key,
                    shown(c),
                    stable_shown,
                    rule.breaks()
                )
            };
            let mut d = pair.at(rule, pair.canary, c, msg).label("canary value");
            if secret_only {
                d.severity = canary_lint_core::Severity::Note;
            }
            if let Some(s) = s {
                d.push_related(
                    pair.related(pair.stable, s, format!("stable's value: `{}`", shown(s))),
                    MAX_RELATED,
                );
            }
            diags.push(d);
        }
        Check::Forbid | Check::Present => {
            let sides: &[(&str, Option<&Entry>, &Config)] = match rule.side {
                Side::Canary => &[("canary", c, pair.canary)],
                Side::Stable => &[("stable", s, pair.stable)],
                Side::Both => &[("stable", s, pair.stable), ("canary", c, pair.canary)],
            };
            for &(name, e, cfg) in sides {
                let Some(e) = e else { continue };
                let hit = rule.check == Check::Present
                    || rule
                        .values
                        .iter()
                        .any(|v| *v == e.value.trim().to_lowercase());
                if !hit {
                    continue;
                }
                let msg = format!(
                    "{name} sets `{}`{pn} to `{}`; {}",
                    e.key,
                    shown(e),
                    rule.breaks()
                );
                diags.push(pair.at(rule, cfg, e, msg).label(format!("set on {name}")));
            }
        }
        Check::NotGreater | Check::NotLess => {
            let Some(c) = c else { return };
            let Some(cq) = quantity(&c.value) else { return };
            let (sq, stable_shown) = match (s, &rule.default) {
                (Some(s), _) => match quantity(&s.value) {
                    Some(q) => (q, shown(s)),
                    None => return,
                },
                (None, Some(d)) => match quantity(d) {
                    Some(q) => (q, format!("{d} (default)")),
                    None => return,
                },
                (None, None) => return,
            };
            let ord = cmp_quantity(cq, sq);
            let (bad, word) = if rule.check == Check::NotGreater {
                (ord == Some(std::cmp::Ordering::Greater), "more than")
            } else {
                (ord == Some(std::cmp::Ordering::Less), "less than")
            };
            if !bad {
                return;
            }
            let stable_key = match s {
                Some(s) if s.key != c.key => format!("stable's `{}`", s.key),
                _ => "stable's".to_string(),
            };
            let msg = format!(
                "canary `{}`{pn} is `{}`, {word} {stable_key} `{}`; {}",
                c.key,
                shown(c),
                stable_shown,
                rule.breaks()
            );
            let mut d = pair.at(rule, pair.canary, c, msg).label("canary value");
            if let Some(s) = s {
                d.push_related(
                    pair.related(pair.stable, s, format!("stable's value: `{}`", shown(s))),
                    MAX_RELATED,
                );
            }
            diags.push(d);
        }
        Check::RatioMax => {
            let Some(c) = c else { return };
            let Some((cp, _)) = quantity(&c.value) else {
                return;
            };
            let (sp, stable_shown) = match (s, &rule.default) {
                (Some(s), _) => match quantity(&s.value) {
                    Some(q) => (q.0, s.value.trim().to_string()),
                    None => return,
                },
                (None, Some(d)) => match quantity(d) {
                    Some(q) => (q.0, format!("{d} (default, unset)")),
                    None => return,
                },
                (None, None) => return,
            };
            let reps = match (
                replicas(rule, pair.stable, sv),
                replicas(rule, pair.canary, cv),
            ) {
                (Some(a), Some(b)) => Some((a as f64, b as f64)),
                _ => None,
            };
            let (sr, cr) = reps.unwrap_or((1.0, 1.0));
            let limit = rule.ratio * sp * sr;
            if cp * cr <= limit {
                return;
            }
            let msg = if reps.is_some() {
                format!(
                    "canary `{}`{pn} = {} x {} replicas = {} connections, more than {} x stable's {} x {} replicas = {}; {}",
                    c.key,
                    fmt_num(cp),
                    fmt_num(cr),
                    fmt_num(cp * cr),
                    rule.ratio,
                    stable_shown,
                    fmt_num(sr),
                    fmt_num(limit),
                    rule.breaks()
                )
            } else {
                format!(
                    "canary `{}`{pn} = {}, more than {} x stable's {} = {}; {}",
                    c.key,
                    fmt_num(cp),
                    rule.ratio,
                    stable_shown,
                    fmt_num(limit),
                    rule.breaks()
                )
            };
            let mut d = pair.at(rule, pair.canary, c, msg).label("canary pool size");
            if let Some(s) = s {
                d.push_related(
                    pair.related(pair.stable, s, format!("stable's pool: `{}`", shown(s))),
                    MAX_RELATED,
                );
            }
            diags.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_durations() {
        assert_eq!(quantity("30"), Some((30.0, false)));
        assert_eq!(quantity("500ms"), Some((500.0, true)));
        assert_eq!(quantity("5s"), Some((5000.0, true)));
        assert_eq!(quantity("2m"), Some((120_000.0, true)));
        assert_eq!(quantity("PT1M30S"), Some((90_000.0, true)));
        assert_eq!(quantity("abc"), None);
        assert_eq!(
            cmp_quantity((5000.0, false), (5000.0, true)),
            Some(std::cmp::Ordering::Equal)
        );
    }
}
