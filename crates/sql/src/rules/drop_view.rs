//! drop-view: `DROP VIEW` / `DROP MATERIALIZED VIEW` on a view stable uses.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `DROP VIEW` and `DROP MATERIALIZED VIEW` of a view that existed
    /// before the release.
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
    let ChangeKind::DropView { view, materialized } = &change.kind else {
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
        format!("dropping {what} `{v}` breaks stable: stable still selects from `{v}`, and those queries fail once it is gone"),
        format!("drops `{v}`"),
        format!("add the replacement under a new name and move readers to it; drop `{v}` in a later release, once no running version reads it"),
    )
    .subject(view.key.clone(), None));
}
