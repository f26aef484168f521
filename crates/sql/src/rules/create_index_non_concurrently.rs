//! create-index-non-concurrently: Postgres `CREATE INDEX` without `CONCURRENTLY`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `CREATE INDEX` without `CONCURRENTLY` on a table that
    /// existed before the release (an index on a table or materialized view
    /// created in the same release is not reported), and `REINDEX` without
    /// `CONCURRENTLY`, which rebuilds under the same lock.
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
    /// in a migration that does not run inside a transaction (it is then not
    /// reported); `REINDEX INDEX CONCURRENTLY ..` (Postgres 12+) likewise.
    pub const CREATE_INDEX_NON_CONCURRENTLY = {
        name: "create-index-non-concurrently",
        family: Lock,
        severity: Warning,
        summary: "CREATE INDEX or REINDEX without CONCURRENTLY blocks writes to a table stable uses"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    if cx.dialect != Dialect::Postgres {
        return;
    }
    let (message, label, help) = match &change.kind {
        ChangeKind::CreateIndex {
            table,
            concurrently: false,
            ..
        } => {
            // A materialized view made in the release is new to stable too.
            if !cx.stable_table(table) || cx.release.view(table) {
                return;
            }
            let t = &table.display;
            (
                format!("building this index locks `{t}` against writes: stable's INSERTs, UPDATEs and DELETEs on `{t}` wait until the build ends"),
                "CREATE INDEX without CONCURRENTLY",
                "use CREATE INDEX CONCURRENTLY, in a migration that runs outside a transaction",
            )
        }
        ChangeKind::Reindex {
            what,
            name,
            concurrently: false,
        } => {
            // `REINDEX SYSTEM` has no concurrent form: nothing to recommend.
            if what == "SYSTEM" {
                return;
            }
            if let Some(n) = name {
                if cx.release.index(n) || (what == "TABLE" && !cx.stable_table(n)) {
                    return;
                }
            }
            let target = match name {
                Some(n) => format!("{} `{}`", what.to_ascii_lowercase(), n.display),
                None => what.to_ascii_lowercase(),
            };
            (
                format!("REINDEX of {target} without CONCURRENTLY locks the tables against writes (and reads that use the index) while each index is rebuilt: stable's queries wait"),
                "REINDEX without CONCURRENTLY",
                "use REINDEX .. CONCURRENTLY (Postgres 12+), outside a transaction",
            )
        }
        _ => return,
    };
    out.push(cx.diag(
        &CREATE_INDEX_NON_CONCURRENTLY,
        change,
        message,
        label.to_string(),
        help.to_string(),
    ));
}
