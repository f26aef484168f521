//! unbounded-update: `UPDATE` without `WHERE` on a table stable uses.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `UPDATE` with no `WHERE` clause on a table that existed before the
    /// release.
    ///
    /// ## Why it is risky
    /// One statement rewrites every row in a single transaction: it locks all of
    /// them against stable's writes until it commits, bloats the table and the
    /// write-ahead log, and overwrites values stable is still writing.
    ///
    /// ## Example
    /// ```sql
    /// UPDATE users SET plan = 'free';
    /// ```
    ///
    /// ## Use instead
    /// Backfill in bounded batches (`WHERE id BETWEEN .. AND ..`, or a job),
    /// skipping rows stable has already written (`WHERE plan IS NULL`).
    pub const UNBOUNDED_UPDATE = {
        name: "unbounded-update",
        family: Data,
        severity: Warning,
        summary: "UPDATE without WHERE rewrites every row of a table stable uses"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::Update {
        table,
        has_where: false,
    } = &change.kind
    else {
        return;
    };
    if !cx.stable_table(table) {
        return;
    }
    out.push(cx.diag(
        &UNBOUNDED_UPDATE,
        change,
        format!("this UPDATE has no WHERE: it rewrites and locks every row of `{}` while stable is writing to it", table.display),
        "UPDATE without WHERE".to_string(),
        "backfill in bounded batches and skip rows stable already wrote".to_string(),
    ));
}
