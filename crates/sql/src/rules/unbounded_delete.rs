//! unbounded-delete: `DELETE` without `WHERE` on a table stable uses.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `DELETE FROM t` with no `WHERE` clause on a table that existed
    /// before the release.
    ///
    /// ## Why it is risky
    /// It removes every row stable still reads and writes, holding row locks on
    /// all of them until it commits; nothing brings the data back when the
    /// canary is rolled back.
    ///
    /// ## Example
    /// ```sql
    /// DELETE FROM sessions;
    /// ```
    ///
    /// ## Use instead
    /// Delete in bounded batches with a `WHERE` that names the rows to go (for
    /// example expired ones), and keep data stable needs until it is retired.
    pub const UNBOUNDED_DELETE = {
        name: "unbounded-delete",
        family: Data,
        severity: Warning,
        summary: "DELETE without WHERE removes every row of a table stable uses"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::Delete {
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
        &UNBOUNDED_DELETE,
        change,
        format!("this DELETE has no WHERE: it removes every row of `{}`, which the running stable version may still read and write", table.display),
        "DELETE without WHERE".to_string(),
        "delete in bounded batches with a WHERE naming the rows to go".to_string(),
    ));
}
