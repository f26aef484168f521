//! rename-column: `RENAME COLUMN`, and MySQL `CHANGE old new` with a new name.

use super::{qualified, RuleCx};
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TABLE .. RENAME COLUMN a TO b` and MySQL
    /// `ALTER TABLE .. CHANGE a b <type>` where `b` differs from `a`, on a column
    /// that existed before the release.
    ///
    /// ## Why it breaks stable
    /// A rename is atomic in the database but not in the fleet: the stable
    /// version keeps sending queries that name the old column, and every one of
    /// them fails from the moment the rename commits.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users RENAME COLUMN email TO email_address;
    /// ```
    ///
    /// ## Use instead
    /// Expand-contract: add the new column, have the canary write both columns,
    /// backfill the new one, switch reads to it, and drop the old column in a
    /// later release once no running version uses it.
    pub const RENAME_COLUMN = {
        name: "rename-column",
        family: Compat,
        severity: Error,
        summary: "renaming a column stable still uses by its old name"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::RenameColumn { table, from, to } = &change.kind else {
        return;
    };
    if cx.release.column(table, from) || !cx.stable_may_know_column(table, from) {
        return;
    }
    let q = qualified(table, from);
    out.push(cx.diag(
        &RENAME_COLUMN,
        change,
        format!(
            "renaming `{q}` to `{}` breaks stable: stable's schema has `{q}`; the running version may still read or write it by that name, and those queries fail once the column has the new name",
            to.display
        ),
        format!("renames `{}` to `{}`", from.display, to.display),
        format!(
            "add `{}` as a new column, write both from the canary, backfill, switch reads to `{}`, and drop `{}` in a later release",
            to.display, to.display, from.display
        ),
    )
    .subject(table.key.clone(), Some(from.key.clone())));
}
