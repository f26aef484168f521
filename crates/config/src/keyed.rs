//! The comparison for callers outside the config loaders: values they read from some other
//! structure (a workload's pod spec) keyed the way config files are, built into a
//! [`Config`] with the loaders' secret judgement, and compared key by key as `compare`
//! does, each difference rendered with secrets redacted.

use crate::compare::{shown, values_equal, views};
use crate::load::yaml::{flatten, Node};
use crate::load::{assemble, LoadedText, Raw};
use crate::normalize::{canonical_key, normalize_key};
use crate::secret::is_secret_key;
use crate::{Config, ConfigEntry};
use canary_lint_core::Span;

/// One value read from a structure, under the key it is compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyedValue {
    /// Dotted key; bracketed parts (`env[DB_URL]`) are kept verbatim by the normalisation.
    pub key: String,
    pub value: String,
    /// A reference to where the value is kept (`valueFrom secretKeyRef db/password`):
    /// shown as written, since it holds no secret.
    pub value_from: Option<String>,
    pub key_span: Span,
    pub value_span: Span,
}

/// Flattens a YAML node under `prefix` as the YAML loader flattens a document: maps as
/// `prefix.key`, lists as `prefix[i]`, an empty map or list as one empty value.
pub fn flatten_node(node: &Node, prefix: &str, key_span: Span) -> Vec<KeyedValue> {
    let mut raws = Vec::new();
    flatten(node, prefix, key_span, &mut raws);
    raws.into_iter()
        .map(|r| KeyedValue {
            key: r.key,
            value: r.value,
            value_from: r.value_from,
            key_span: r.key_span,
            value_span: r.value_span,
        })
        .collect()
}

/// The two sides without the keys both set to the same value, which the comparison
/// would not report: what is left gives [`compare_keys`] the same differences for
/// less work (judging each value for secrets is the costly part). Entries under a
/// secret's key (other than `valueFrom` references) are kept whatever their value,
/// since a value that repeats a secret of its side is judged secret too.
pub fn without_equal(
    stable: Vec<KeyedValue>,
    canary: Vec<KeyedValue>,
) -> (Vec<KeyedValue>, Vec<KeyedValue>) {
    use std::collections::HashMap;
    let norms = |side: &[KeyedValue]| -> Vec<String> {
        side.iter()
            .map(|v| canonical_key(normalize_key(&v.key)))
            .collect()
    };
    let (sn, cn) = (norms(&stable), norms(&canary));
    // The effective (last) value of each key on a side, as the comparison keys it.
    let last = |side: &[KeyedValue], n: &[String]| -> HashMap<String, usize> {
        n.iter().cloned().zip(0..side.len()).collect()
    };
    let (sl, cl) = (last(&stable, &sn), last(&canary, &cn));
    let equal = |key: &str| match (sl.get(key), cl.get(key)) {
        (Some(&s), Some(&c)) => values_equal(&stable[s].value, &canary[c].value),
        _ => false,
    };
    // Nothing differs: no secret can matter either.
    if sn.iter().chain(&cn).all(|n| equal(n)) {
        return (Vec::new(), Vec::new());
    }
    // A reference (`valueFrom`) is never judged a secret, nor counted as one.
    let keep =
        |v: &KeyedValue, n: &str| !equal(n) || (v.value_from.is_none() && is_secret_key(&v.key));
    let pick = |side: &[KeyedValue], n: &[String]| -> Vec<KeyedValue> {
        side.iter()
            .zip(n)
            .filter(|(v, n)| keep(v, n))
            .map(|(v, _)| v.clone())
            .collect()
    };
    (pick(&stable, &sn), pick(&canary, &cn))
}

/// One side built from keyed values read from the file `path`: keys normalised and secrets
/// judged as for a loaded config file. Its [`Config::files`] entry holds no text (the
/// caller keeps its own, masked, source); spans point into the caller's file.
pub fn keyed_config(path: &str, values: Vec<KeyedValue>) -> Config {
    let loaded = LoadedText {
        entries: values
            .into_iter()
            .map(|v| Raw {
                key: v.key,
                value: v.value,
                key_span: v.key_span,
                value_span: v.value_span,
                profile: None,
                env: false,
                value_from: v.value_from,
            })
            .collect(),
        replicas: None,
    };
    assemble(path, "", loaded, Vec::new())
}

/// A key whose value differs between the two sides, or that only one side sets.
#[derive(Debug, Clone)]
pub struct KeyDiff<'a> {
    /// The normalised key both sides are compared under.
    pub key: &'a str,
    pub stable: Option<&'a ConfigEntry>,
    pub canary: Option<&'a ConfigEntry>,
    /// Stable's value as it may be printed (secrets redacted), when stable sets the key.
    pub stable_shown: Option<String>,
    /// The canary's value as it may be printed, when the canary sets it.
    pub canary_shown: Option<String>,
    /// Both sides set the key and only a secret differs (a secret key, or values equal
    /// once their secret parts are masked).
    pub secret_only: bool,
}

/// Every key (default profile and profiles alike) whose value differs between `stable`
/// and `canary` or that only one of them sets, sorted by key. Values compare as in
/// `compare` (trimmed, a trailing `/` ignored); renderings are the comparison's.
pub fn compare_keys<'a>(stable: &'a Config, canary: &'a Config) -> Vec<KeyDiff<'a>> {
    let (sv, cv) = views(stable, canary, &[]);
    let mut keys: Vec<_> = sv
        .keys()
        .chain(cv.keys().filter(|k| !sv.contains_key(*k)))
        .copied()
        .collect();
    keys.sort_unstable();
    let mut out = Vec::new();
    for key in keys {
        let (s, c) = (sv.get(&key).copied(), cv.get(&key).copied());
        let secret_only = match (s, c) {
            (Some(s), Some(c)) => {
                if values_equal(&s.value, &c.value) {
                    continue;
                }
                s.secret
                    || c.secret
                    || values_equal(
                        &crate::secret::mask_embedded(&c.value),
                        &crate::secret::mask_embedded(&s.value),
                    )
            }
            _ => false,
        };
        out.push(KeyDiff {
            key: key.1,
            stable: s,
            canary: c,
            stable_shown: s.map(shown),
            canary_shown: c.map(shown),
            secret_only,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn value(key: &str, value: &str) -> KeyedValue {
        KeyedValue {
            key: key.to_string(),
            value: value.to_string(),
            value_from: None,
            key_span: Span::default(),
            value_span: Span::default(),
        }
    }

    #[test]
    fn differences_are_rendered_with_secrets_redacted() {
        let stable_values = vec![
            value("c[app].env[DB_PASSWORD]", "old-pw-value"),
            value("c[app].env[LOG]", "info"),
            value("c[app].resources.limits.memory", "512Mi"),
        ];
        let canary_values = vec![
            value("c[app].env[DB_PASSWORD]", "new-pw-value"),
            value("c[app].env[LOG]", "info"),
            value("c[app].env[URL]", "postgres://u:hidden-pw@db/x"),
            value("c[app].resources.limits.memory", "256Mi"),
        ];
        let stable = keyed_config("s.yaml", stable_values.clone());
        let canary = keyed_config("c.yaml", canary_values.clone());
        let d = compare_keys(&stable, &canary);
        let (s2, c2) = without_equal(stable_values.clone(), canary_values.clone());
        assert_eq!((s2.len(), c2.len()), (2, 3), "LOG dropped, the secret kept");
        let (s2, c2) = (keyed_config("s.yaml", s2), keyed_config("c.yaml", c2));
        let shown = |diffs: &[KeyDiff]| -> Vec<_> {
            diffs
                .iter()
                .map(|d| {
                    (
                        d.key.to_string(),
                        d.stable_shown.clone(),
                        d.canary_shown.clone(),
                    )
                })
                .collect()
        };
        assert_eq!(shown(&compare_keys(&s2, &c2)), shown(&d));
        let same = without_equal(stable_values.clone(), stable_values.clone());
        assert_eq!((same.0.len(), same.1.len()), (0, 0));
        let rendered: Vec<_> = d
            .iter()
            .map(|d| {
                (
                    d.key,
                    d.stable_shown.as_deref(),
                    d.canary_shown.as_deref(),
                    d.secret_only,
                )
            })
            .collect();
        assert_eq!(
            rendered,
            [
                (
                    "c[app].env[DB_PASSWORD]",
                    Some("[redacted]"),
                    Some("[redacted]"),
                    true
                ),
                (
                    "c[app].env[URL]",
                    None,
                    Some("postgres://u:[redacted]@db/x"),
                    false
                ),
                (
                    "c[app].resources.limits.memory",
                    Some("512Mi"),
                    Some("256Mi"),
                    false
                ),
            ]
        );
    }
}
