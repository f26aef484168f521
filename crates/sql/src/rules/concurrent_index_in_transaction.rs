//! concurrent-index-in-transaction: `CONCURRENTLY` inside a transaction.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports `CREATE INDEX CONCURRENTLY` and `DROP INDEX CONCURRENTLY` that run
    /// inside a transaction: after an explicit `BEGIN` in the same file, or
    /// where the migration framework runs the migration in one, by each
    /// framework's own rules:
    ///
    /// - diesel: in a transaction unless the migration's `metadata.toml` says
    ///   `run_in_transaction = false`;
    /// - goose: in a transaction unless the file says `-- +goose NO TRANSACTION`;
    /// - dbmate: in a transaction unless the section says `transaction:false`;
    /// - sqlx: in a transaction unless the file starts with `-- no-transaction`;
    /// - Flyway: outside one (Flyway runs such a script outside a transaction)
    ///   unless the script's `.conf` file sets `executeInTransaction=true`;
    /// - Liquibase: each changeset in a transaction unless it sets
    ///   `runInTransaction:false` (formatted SQL) or `runInTransaction="false"`;
    /// - golang-migrate: the file is sent as one multi-statement string, which
    ///   Postgres runs as one implicit transaction when it holds more than one
    ///   statement;
    /// - pop/fizz: in a transaction, except `.autocommit.up.sql` files.
    ///
    /// Plain folders, Prisma, version folders and unversioned folders are not
    /// known to open one.
    ///
    /// ## Why it matters
    /// Postgres refuses `CONCURRENTLY` inside a transaction block: the migration
    /// fails at deploy time, half applied if earlier statements were committed
    /// separately.
    ///
    /// ## Example
    /// ```sql
    /// BEGIN;
    /// CREATE INDEX CONCURRENTLY idx_orders_customer ON orders (customer_id);
    /// COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// Put the concurrent index in its own migration that runs outside a
    /// transaction (and opt out of the framework's transaction for that file).
    pub const CONCURRENT_INDEX_IN_TRANSACTION = {
        name: "concurrent-index-in-transaction",
        family: Lock,
        severity: Warning,
        summary: "CREATE/DROP INDEX CONCURRENTLY inside a transaction fails"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let verb = match &change.kind {
        ChangeKind::CreateIndex {
            concurrently: true, ..
        } => "CREATE INDEX CONCURRENTLY",
        ChangeKind::DropIndex {
            concurrently: true, ..
        } => "DROP INDEX CONCURRENTLY",
        _ => return,
    };
    if !cx.in_transaction {
        return;
    }
    out.push(cx.diag(
        &CONCURRENT_INDEX_IN_TRANSACTION,
        change,
        format!("{verb} cannot run inside a transaction block: this migration runs in one, and the database rejects it at deploy time"),
        format!("{verb} inside a transaction"),
        "move the statement to its own migration that runs outside a transaction (opt out of the framework's transaction for that file)".to_string(),
    ));
}
