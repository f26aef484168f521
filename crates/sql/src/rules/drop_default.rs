//! drop-default: `DROP DEFAULT` on a NOT NULL column stable inserts without.

use super::{qualified, RuleCx};
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `ALTER COLUMN c DROP DEFAULT` on a `NOT NULL` column that existed
    /// before the release, and (with migration history) a MySQL `MODIFY`/`CHANGE`
    /// that restates such a column without its default. Nullable columns are not
    /// reported; without history their nullability is unknown and the finding
    /// says so.
    ///
    /// ## Why it breaks stable
    /// The stable version's `INSERT`s may omit the column and rely on the default.
    /// Once the default is gone, those inserts write NULL into a `NOT NULL`
    /// column and fail.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN currency DROP DEFAULT;
    /// ```
    ///
    /// ## Use instead
    /// Make the canary always write the column explicitly, and drop the default
    /// in a later release once no running version relies on it.
    pub const DROP_DEFAULT = {
        name: "drop-default",
        family: Compat,
        severity: Error,
        summary: "dropping the default of a NOT NULL column stable inserts without"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::DropDefault {
        table,
        column,
        restated,
    } = &change.kind
    else {
        return;
    };
    if cx.release.column(table, column) || !cx.stable_may_know_column(table, column) {
        return;
    }
    let facts = cx.stable_column(table, column);
    let nullable = facts.as_ref().and_then(|f| f.nullable);
    let had_default = facts.as_ref().and_then(|f| f.has_default);
    if nullable == Some(true) || had_default == Some(false) {
        return;
    }
    // A MySQL MODIFY without DEFAULT only drops a default the column had.
    if *restated && (had_default != Some(true) || nullable != Some(false)) {
        return;
    }
    let q = qualified(table, column);
    let known = if nullable == Some(false) {
        String::new()
    } else {
        " (whether the column is NOT NULL is not known from the migrations seen)".to_string()
    };
    out.push(cx.diag(
        &DROP_DEFAULT,
        change,
        format!(
            "dropping the default of `{q}` breaks stable: stable's INSERTs that omit `{}` relied on the default and fail on a NOT NULL column{known}",
            column.display
        ),
        format!("drops the default of `{}`", column.display),
        format!(
            "make the canary always write `{}` explicitly, and drop the default in a later release",
            column.display
        ),
    ));
}
