//! missing-lock-timeout: lock-taking DDL with no `SET lock_timeout` first.

use super::RuleCx;
use crate::changes::{Change, ChangeKind, RewriteCause};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports, once per file, the first `ALTER TABLE`, non-concurrent `CREATE
    /// INDEX`, `REINDEX TABLE`/`INDEX`, `VACUUM FULL` or `CLUSTER` on a table that existed
    /// before the release when no `SET
    /// lock_timeout` (MySQL: `SET lock_wait_timeout`) came earlier in the file.
    /// A custom setting that merely ends in the name (`SET app.lock_timeout`) is
    /// not the lock timeout. `ALTER TABLE .. VALIDATE CONSTRAINT` alone is not
    /// reported: its lock lets stable's reads and writes go on.
    ///
    /// ## Why it stalls stable
    /// DDL waits for the table lock behind stable's long-running queries, and
    /// while it waits every new query of stable on the table queues behind it.
    /// Without a lock timeout a harmless, instant `ALTER TABLE` can stall stable
    /// for as long as its slowest transaction.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN note text;
    /// ```
    ///
    /// ## Use instead
    /// Start the migration with `SET lock_timeout = '2s';` (MySQL: `SET SESSION
    /// lock_wait_timeout = 2;`) and retry the migration if it times out.
    pub const MISSING_LOCK_TIMEOUT = {
        name: "missing-lock-timeout",
        family: Lock,
        severity: Warning,
        summary: "lock-taking DDL on a table stable uses with no lock timeout set first"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let table = match &change.kind {
        ChangeKind::AlterTableLock { table } => table,
        ChangeKind::CreateIndex {
            table,
            concurrently: false,
            ..
        } => table,
        // `VACUUM FULL t`, `CLUSTER t`: an exclusive lock on `t`.
        ChangeKind::Rewrite {
            table: Some(table),
            cause: RewriteCause::VacuumFull | RewriteCause::Cluster,
        } => table,
        ChangeKind::Reindex {
            what,
            name: Some(name),
            concurrently: false,
        } if what == "TABLE" || what == "INDEX" => {
            // `REINDEX INDEX i`: its table is not named; the index is enough to
            // know the lock is taken, unless the release made it.
            if what == "INDEX" {
                if !cx.lock_timeout_set && !cx.lock_timeout_reported && !cx.release.index(name) {
                    let setting = match cx.dialect {
                        Dialect::Postgres => "SET lock_timeout = '2s';",
                        _ => return,
                    };
                    out.push(cx.diag(
                        &MISSING_LOCK_TIMEOUT,
                        change,
                        format!("no lock timeout is set before this statement locks index `{}` and its table: while it waits for the lock, stable's queries on that table queue behind it", name.display),
                        "takes a table lock without a timeout".to_string(),
                        format!("start the migration with `{setting}` and retry it if it times out"),
                    ));
                }
                return;
            }
            name
        }
        _ => return,
    };
    let setting = match cx.dialect {
        Dialect::Postgres => "SET lock_timeout = '2s';",
        Dialect::Mysql => "SET SESSION lock_wait_timeout = 2;",
        _ => return,
    };
    if cx.lock_timeout_set
        || cx.lock_timeout_reported
        || !cx.stable_table(table)
        || cx.release.view(table)
    {
        return;
    }
    out.push(cx.diag(
        &MISSING_LOCK_TIMEOUT,
        change,
        format!("no lock timeout is set before this statement locks `{}`: while it waits for the lock, stable's queries on `{}` queue behind it", table.display, table.display),
        "takes a table lock without a timeout".to_string(),
        format!("start the migration with `{setting}` and retry it if it times out"),
    ));
}
