//! drop-table: `DROP TABLE` on a table stable uses.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `DROP TABLE` of a table that existed before the release. Temporary
    /// tables and tables created earlier in the same release are not reported.
    ///
    /// ## Why it breaks stable
    /// The stable version still queries the table while the canary rolls out;
    /// every such query fails once the table is gone, and the data cannot be
    /// brought back by rolling the canary back.
    ///
    /// ## Example
    /// ```sql
    /// DROP TABLE legacy_sessions;
    /// ```
    ///
    /// ## Use instead
    /// Ship a release whose code no longer uses the table first (reads switched
    /// to the replacement, writes stopped or dual-written until the cut-over),
    /// then drop the table in a later release.
    pub const DROP_TABLE = {
        name: "drop-table",
        family: Compat,
        severity: Error,
        summary: "dropping a table stable still uses"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::DropTable {
        table, temporary, ..
    } = &change.kind
    else {
        return;
    };
    if *temporary || cx.release.table(table) || !cx.stable_may_know_table(table) {
        return;
    }
    let t = &table.display;
    out.push(cx.diag(
        &DROP_TABLE,
        change,
        format!("dropping table `{t}` breaks stable: stable's schema has `{t}`; the running version may still query it, and every such query fails once it is gone"),
        format!("drops `{t}`"),
        format!("stop using `{t}` in this release; drop the table in a later release, once no running version uses it"),
    )
    .subject(table.key.clone(), None));
}
