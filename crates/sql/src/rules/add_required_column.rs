//! add-required-column: `ADD COLUMN .. NOT NULL` without a default.

use super::{qualified, RuleCx};
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER TABLE .. ADD COLUMN c <type> NOT NULL` with no `DEFAULT`
    /// on a table that existed before the release. Nullable columns, columns
    /// with a default, generated and identity columns (`GENERATED`, `SERIAL`,
    /// `AUTO_INCREMENT`) and tables created in the release are not reported.
    ///
    /// ## Why it breaks stable
    /// The stable version does not know the new column, so its `INSERT`s do not
    /// name it. With `NOT NULL` and no default, every one of those inserts fails
    /// with a not-null violation while stable is still serving traffic (and on
    /// most databases the statement fails outright on a non-empty table).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// Add the column nullable (or with a default), have the canary write it,
    /// backfill existing rows, and add `NOT NULL` in a later release once every
    /// running version writes the column.
    pub const ADD_REQUIRED_COLUMN = {
        name: "add-required-column",
        family: Compat,
        severity: Error,
        summary: "adding a NOT NULL column without a default that stable's INSERTs omit"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::AddColumn {
        table,
        column,
        spec,
    } = &change.kind
    else {
        return;
    };
    if !spec.not_null || spec.has_default || spec.generated {
        return;
    }
    if cx.release.table(table) || !cx.stable_may_know_table(table) {
        return;
    }
    let q = qualified(table, column);
    out.push(cx.diag(
        &ADD_REQUIRED_COLUMN,
        change,
        format!(
            "adding `{q}` as NOT NULL without a default breaks stable: stable's INSERTs into `{}` do not name `{}` and fail with a not-null violation",
            table.display, column.display
        ),
        format!("adds required column `{}`", column.display),
        format!(
            "add `{}` as nullable (or with a DEFAULT), write it from the canary, backfill, and set NOT NULL in a later release",
            column.display
        ),
    ));
}
