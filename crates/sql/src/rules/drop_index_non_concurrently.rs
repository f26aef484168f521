//! drop-index-non-concurrently: Postgres `DROP INDEX` without `CONCURRENTLY`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `DROP INDEX` without `CONCURRENTLY`, unless the index was
    /// created earlier in the release.
    ///
    /// ## Why it stalls stable
    /// A plain `DROP INDEX` takes an `ACCESS EXCLUSIVE` lock on the index's
    /// table. It queues behind stable's running queries and every later query on
    /// the table, reads included, queues behind it.
    ///
    /// ## Example
    /// ```sql
    /// DROP INDEX idx_orders_legacy;
    /// ```
    ///
    /// ## Use instead
    /// `DROP INDEX CONCURRENTLY idx_orders_legacy;` in a migration that does not
    /// run inside a transaction.
    pub const DROP_INDEX_NON_CONCURRENTLY = {
        name: "drop-index-non-concurrently",
        family: Lock,
        severity: Warning,
        summary: "DROP INDEX without CONCURRENTLY locks the table against reads and writes"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::DropIndex {
        index,
        concurrently: false,
        ..
    } = &change.kind
    else {
        return;
    };
    if cx.dialect != Dialect::Postgres || cx.release.index(index) {
        return;
    }
    out.push(cx.diag(
        &DROP_INDEX_NON_CONCURRENTLY,
        change,
        format!("dropping index `{}` takes an exclusive lock on its table: stable's reads and writes on it wait behind the drop", index.display),
        "DROP INDEX without CONCURRENTLY".to_string(),
        "use DROP INDEX CONCURRENTLY, in a migration that runs outside a transaction".to_string(),
    ));
}
