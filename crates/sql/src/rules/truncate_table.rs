//! truncate-table: `TRUNCATE` on a table stable uses.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `TRUNCATE` of a table that existed before the release.
    ///
    /// ## Why it breaks stable
    /// All rows stable relies on disappear at once, under an `ACCESS EXCLUSIVE`
    /// lock that also blocks stable's queries while it runs. Rolling the canary
    /// back does not bring the data back.
    ///
    /// ## Example
    /// ```sql
    /// TRUNCATE TABLE carts;
    /// ```
    ///
    /// ## Use instead
    /// Stop using the data in the canary first, then delete it in bounded
    /// batches (or drop the table) in a later release once no running version
    /// reads it.
    pub const TRUNCATE_TABLE = {
        name: "truncate-table",
        family: Data,
        severity: Error,
        summary: "TRUNCATE removes all rows of a table stable still uses"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::Truncate { table } = &change.kind else {
        return;
    };
    if !cx.stable_table(table) {
        return;
    }
    out.push(cx.diag(
        &TRUNCATE_TABLE,
        change,
        format!("truncating `{}` removes every row of a table in stable's schema, which the running version may still read and write, under a lock that blocks its queries", table.display),
        format!("truncates `{}`", table.display),
        "stop using the data in this release; delete it in bounded batches (or drop the table) in a later release".to_string(),
    ));
}
