//! add-column-rewrite: adding a column in a way that rewrites the table.

use super::RuleCx;
use crate::changes::{Change, ChangeKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports, on a table that existed before the release, Postgres `ADD COLUMN`
    /// whose default calls a volatile function (`random()`, `gen_random_uuid()`,
    /// `clock_timestamp()`, `nextval(..)`), and MySQL `ALTER TABLE ..
    /// ALGORITHM=COPY`.
    ///
    /// ## Why it stalls stable
    /// Both copy every row of the table while holding a lock: Postgres evaluates
    /// the volatile default per row under `ACCESS EXCLUSIVE`, MySQL's copy
    /// algorithm blocks writes for the whole copy. Stable's queries wait.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
    /// ```
    ///
    /// ## Use instead
    /// Add the column without a default (or with a constant one), backfill in
    /// batches, then set the default for new rows. On MySQL use
    /// `ALGORITHM=INPLACE` or `INSTANT` where the change allows it.
    pub const ADD_COLUMN_REWRITE = {
        name: "add-column-rewrite",
        family: Lock,
        severity: Warning,
        summary: "adding a column rewrites the whole table under a lock"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let (table, message, label) = match &change.kind {
        ChangeKind::AddColumn { table, column, spec } if spec.volatile_default && cx.dialect == Dialect::Postgres => (
            table,
            format!(
                "adding `{}` with a volatile default rewrites every row of `{}` under an exclusive lock: stable's queries on it wait",
                column.display, table.display
            ),
            "volatile default",
        ),
        ChangeKind::AlgorithmCopy { table } => (
            table,
            format!("ALGORITHM=COPY copies every row of `{}` while blocking writes: stable's writes wait", table.display),
            "ALGORITHM=COPY",
        ),
        _ => return,
    };
    if !cx.stable_table(table) {
        return;
    }
    out.push(cx.diag(
        &ADD_COLUMN_REWRITE,
        change,
        message,
        label.to_string(),
        "add the column without a volatile default, backfill in batches, then set the default (MySQL: ALGORITHM=INPLACE or INSTANT)".to_string(),
    ));
}
