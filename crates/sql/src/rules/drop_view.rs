//! drop-view: `DROP VIEW` / `DROP MATERIALIZED VIEW` on a view stable uses.

use super::{ReleaseCx, RuleCx};
use crate::changes::{Change, ChangeKind};
use crate::delta::{Act, ObjKey};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `DROP VIEW` and `DROP MATERIALIZED VIEW` of a view that existed
    /// before the release, judged by the net effect: a view dropped and
    /// re-created in the release with the columns stable knew is not reported;
    /// one re-created without some of them is reported at the statement that
    /// creates the new shape, naming the lost columns. A view that `DROP TABLE
    /// .. CASCADE` or `DROP VIEW .. CASCADE` drops because it is built on the
    /// dropped relation (read in its `FROM`/`JOIN`) is reported at that
    /// statement, unless the release re-creates it.
    ///
    /// ## Why it breaks stable
    /// Views are often the read interface of reports and services: the stable
    /// version still selects from the view while the canary runs, and those
    /// queries fail once it is gone.
    ///
    /// ## Example
    /// ```sql
    /// DROP VIEW active_users;
    /// ```
    ///
    /// ## Use instead
    /// Create the replacement view under a new name, move readers to it in this
    /// release, and drop the old view in a later release. To change a view's
    /// definition in place, `CREATE OR REPLACE VIEW` keeping the old columns.
    pub const DROP_VIEW = {
        name: "drop-view",
        family: Compat,
        severity: Error,
        summary: "dropping a view stable still reads"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::DropView {
        view, materialized, ..
    } = &change.kind
    else {
        return;
    };
    if cx.release.view(view) {
        return;
    }
    if let Some(h) = cx.history {
        if !h.has_view(&view.key) {
            return;
        }
    }
    let v = &view.display;
    let what = if *materialized {
        "materialized view"
    } else {
        "view"
    };
    out.push(cx.diag(
        &DROP_VIEW,
        change,
        format!("dropping {what} `{v}` breaks stable: stable's schema has `{v}`; the running version may still select from it, and those queries fail once it is gone"),
        format!("drops `{v}`"),
        format!("add the replacement under a new name and move readers to it; drop `{v}` in a later release, once no running version reads it"),
    )
    .subject(view.key.clone(), None));
}

/// A view stable knew, re-created in the release without some of its columns:
/// reported at the statement that creates the new shape, naming the lost columns.
/// A view dropped by `DROP .. CASCADE` of a relation it is built on, and not
/// re-created: reported at that statement.
pub(crate) fn judge(cx: &ReleaseCx<'_>, out: &mut Vec<Diagnostic>) {
    for (key, before) in cx.before.views() {
        let obj = ObjKey::View(key.to_string());
        if cx.after.has_relation(key) || cx.first(&obj, &[Act::Drop]).is_some() {
            continue;
        }
        let Some(at) = cx.last(&obj, &[Act::Cascade]) else {
            continue;
        };
        let v = crate::names::bare(key);
        let what = if before.materialized {
            "materialized view"
        } else {
            "view"
        };
        out.push(
            cx.diag(
                &DROP_VIEW,
                at,
                format!(
                    "this CASCADE drops {what} `{v}`, built on what it drops, and the release does not re-create it: {}, and queries selecting from it fail",
                    cx.uses(&format!("`{v}`"))
                ),
                format!("drops `{v}` with CASCADE"),
                format!("re-create `{v}` in this release, or move its readers off it first and drop it in a later release"),
            )
            .subject(key.to_string(), None),
        );
    }
    for (key, before) in cx.before.views() {
        let Some(after) = cx.after.view(key) else {
            continue;
        };
        let (Some(old), Some(new)) = (&before.columns, &after.columns) else {
            continue;
        };
        let lost: Vec<&String> = old.iter().filter(|c| !new.contains(c)).collect();
        if lost.is_empty() {
            continue;
        }
        let Some(at) = cx.last(
            &ObjKey::View(key.to_string()),
            &[Act::Create, Act::RenameInto],
        ) else {
            continue;
        };
        let v = crate::names::bare(key);
        let cols = lost
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            cx.diag(
                &DROP_VIEW,
                at,
                format!(
                    "`{v}` is re-created without {cols}: {}, and queries selecting them fail",
                    cx.uses(&format!("{cols} in `{v}`"))
                ),
                format!("`{v}` loses {cols}"),
                format!("keep {cols} in `{v}` in this release; remove them in a later release, once no running version reads them"),
            )
            .subject(key.to_string(), None),
        );
    }
}
