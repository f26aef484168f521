//! rename-table: `ALTER TABLE .. RENAME TO`, MySQL `RENAME TABLE`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TABLE a RENAME TO b` and MySQL `RENAME TABLE a TO b` for a
    /// table that existed before the release.
    ///
    /// ## Why it breaks stable
    /// The stable version keeps querying the table by its old name while the
    /// canary rolls out; every such query fails once the rename commits.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE customers RENAME TO accounts;
    /// ```
    ///
    /// ## Use instead
    /// Expand-contract: create the new table (or an updatable view under the new
    /// name), dual-write, backfill, switch reads, and remove the old name in a
    /// later release once no running version uses it.
    pub const RENAME_TABLE = {
        name: "rename-table",
        family: Compat,
        severity: Error,
        summary: "renaming a table stable still uses by its old name"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::RenameTable { from, to, .. } = &change.kind else {
        return;
    };
    if cx.release.table(from) || !cx.stable_may_know_table(from) {
        return;
    }
    out.push(cx.diag(
        &RENAME_TABLE,
        change,
        format!(
            "renaming table `{}` to `{}` breaks stable: stable's schema has `{}`; the running version may still query it by that name, and those queries fail once the table has the new name",
            from.display, to.display, from.display
        ),
        format!("renames `{}` to `{}`", from.display, to.display),
        format!(
            "create `{}` alongside `{}` (or a view under one of the names), dual-write, backfill, switch reads, and drop `{}` in a later release",
            to.display, from.display, from.display
        ),
    )
    .subject(from.key.clone(), None));
}
