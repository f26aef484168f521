//! One-step renames: a release that drops a column and adds a related one to
//! the same table gets the two-release recipe on its `drop-column` finding
//! (called by the engine, [`crate::engine`], once the release is judged).

use crate::rules::ReleaseState;
use canary_lint_core::Diagnostic;

/// A release that adds column B and drops column A of the same table, where the two
/// names are related (`email` and `email_address`, `name` and `full_name`), is
/// usually a rename squeezed into one deploy: say so, and give the two-release
/// recipe instead of the generic one. An unrelated new column says nothing.
pub(crate) fn mark_one_step_renames(state: &ReleaseState, out: &mut [Diagnostic]) {
    let dropped = |d: &Diagnostic| {
        let s = d.subject.as_ref().filter(|_| d.rule == "drop-column")?;
        s.column.as_ref().map(|c| (s.table.clone(), c.clone()))
    };
    // The added columns of every table a finding is about, read in one pass.
    let mut tables: Vec<String> = out.iter().filter_map(|d| Some(dropped(d)?.0)).collect();
    if tables.is_empty() {
        return;
    }
    tables.sort();
    tables.dedup();
    let asked: Vec<&str> = tables.iter().map(String::as_str).collect();
    let added: std::collections::BTreeMap<String, Vec<String>> =
        state.added_columns(&asked).into_iter().collect();
    for d in out.iter_mut() {
        let Some((table, old)) = dropped(d) else {
            continue;
        };
        let Some(new) = added
            .get(&table)
            .into_iter()
            .flatten()
            .find(|c| **c != old && related_names(&old, c))
        else {
            continue;
        };
        let subject_table = table;
        let table = crate::names::bare(&subject_table).to_string();
        d.message.push_str(&format!(
            "; the same release adds `{table}.{new}`: this looks like a rename done in one step"
        ));
        d.help = Some(format!(
            "split it over two releases. Release 1 (expand): add `{new}`, write both `{old}` and `{new}`, \
             backfill `{new}` from `{old}`, switch reads to `{new}`. Release 2 (contract), once no running \
             version reads or writes `{old}`: drop `{old}`"
        ));
    }
}

/// Two column names that plausibly name the same thing: one contains the other
/// once separators are dropped, or they share a word of three letters or more.
fn related_names(a: &str, b: &str) -> bool {
    let flat = |s: &str| s.to_lowercase().replace(['_', '-'], "");
    let (fa, fb) = (flat(a), flat(b));
    if fa.len() >= 3 && fb.len() >= 3 && (fa.contains(&fb) || fb.contains(&fa)) {
        return true;
    }
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(['_', '-'])
            .filter(|w| w.len() >= 3)
            .map(str::to_string)
            .collect()
    };
    let wb = words(b);
    words(a).iter().any(|w| wb.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_column_names() {
        assert!(related_names("email", "email_address"));
        assert!(related_names("name", "full_name"));
        assert!(related_names("user_name", "username"));
        assert!(!related_names("legacy_flags", "email_verified"));
        assert!(!related_names("id", "uuid"));
    }
}
