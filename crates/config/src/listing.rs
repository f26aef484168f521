//! `canary-lint diff`: a unified diff of both sides' normalised, sorted `key = value`
//! listings, secrets redacted.

use crate::compare::{views, KeyView};
use crate::secret::display_value;
use crate::Config;
use similar::TextDiff;
use std::fmt::Write;

/// The listing of one config on its own: one `key = value` line per effective entry,
/// sorted by profile (default first) then normalised key; profile entries as
/// `[profile] key = value`; secrets redacted.
pub fn listing(config: &Config) -> String {
    let empty = Config::default();
    let (view, _) = views(config, &empty, &[]);
    render(&view, None)
}

/// Renders a listing. With `stable` given (the canary's side of a diff), a secret
/// whose value differs from stable's is marked as differing, so the diff shows the
/// change without showing either value.
fn render(view: &KeyView<'_>, stable: Option<&KeyView<'_>>) -> String {
    let mut sorted: Vec<_> = view.iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = String::new();
    for (k, e) in sorted {
        let (profile, key) = k;
        let mut value = display_value(e).replace('\r', "").replace('\n', "\\n");
        if e.secret {
            if let Some(other) = stable.and_then(|v| v.get(k)) {
                if other.value != e.value {
                    value.push_str(" (differs from stable)");
                }
            }
        }
        match profile {
            Some(p) => {
                let _ = writeln!(out, "[{p}] {key} = {value}");
            }
            None => {
                let _ = writeln!(out, "{key} = {value}");
            }
        }
    }
    out
}

/// A unified diff from stable's listing to the canary's (empty when they are equal).
pub fn diff_text(stable: &Config, canary: &Config) -> String {
    let (sv, cv) = views(stable, canary, &[]);
    let (a, b) = (render(&sv, None), render(&cv, Some(&sv)));
    if a == b {
        return String::new();
    }
    TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header("stable", "canary")
        .to_string()
}
