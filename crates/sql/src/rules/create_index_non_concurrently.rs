//! create-index-non-concurrently: Postgres `CREATE INDEX` without `CONCURRENTLY`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `CREATE INDEX` without `CONCURRENTLY` on a table that
    /// existed before the release.
    ///
    /// ## Why it stalls stable
    /// A plain `CREATE INDEX` holds a `SHARE` lock for the whole build: every
    /// `INSERT`, `UPDATE` and `DELETE` stable sends to the table waits until the
    /// index is built, which on a large table means minutes of stalled requests.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX idx_orders_customer ON orders (customer_id);
    /// ```
    ///
    /// ## Use instead
    /// `CREATE INDEX CONCURRENTLY idx_orders_customer ON orders (customer_id);`
    /// in a migration that does not run inside a transaction.
    pub const CREATE_INDEX_NON_CONCURRENTLY = {
        name: "create-index-non-concurrently",
        family: Lock,
        severity: Warning,
        summary: "CREATE INDEX without CONCURRENTLY blocks writes to a table stable uses"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::CreateIndex {
        table,
        concurrently: false,
        ..
    } = &change.kind
    else {
        return;
    };
    if cx.dialect != Dialect::Postgres || !cx.stable_table(table) {
        return;
    }
    let t = &table.display;
    out.push(cx.diag(
        &CREATE_INDEX_NON_CONCURRENTLY,
        change,
        format!("building this index locks `{t}` against writes: stable's INSERTs, UPDATEs and DELETEs on `{t}` wait until the build ends"),
        "CREATE INDEX without CONCURRENTLY".to_string(),
        "use CREATE INDEX CONCURRENTLY, in a migration that runs outside a transaction".to_string(),
    ));
}
