//! add-check-validating: adding a CHECK constraint without `NOT VALID`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind, ConstraintKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `ALTER TABLE .. ADD [CONSTRAINT ..] CHECK (..)` without
    /// `NOT VALID` on a table that existed before the release, and `VALIDATE
    /// CONSTRAINT` of a check added `NOT VALID` earlier in the same transaction
    /// (the `ADD` took an exclusive lock, held until `COMMIT`). `NOT VALID` then
    /// `VALIDATE` in a later transaction is the recipe and is not reported.
    ///
    /// ## Why it stalls stable
    /// The new constraint is checked against every row while an `ACCESS
    /// EXCLUSIVE` lock is held: all of stable's queries on the table, reads
    /// included, wait for the full scan.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount > 0);
    /// ```
    ///
    /// ## Use instead
    /// Add it `NOT VALID`, then `ALTER TABLE orders VALIDATE CONSTRAINT
    /// amount_positive;` in a later transaction (the next migration, or after
    /// `COMMIT`): validation then runs without blocking reads and writes.
    pub const ADD_CHECK_VALIDATING = {
        name: "add-check-validating",
        family: Lock,
        severity: Warning,
        summary: "adding a CHECK constraint without NOT VALID locks the table for a full scan"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    if cx.dialect != Dialect::Postgres {
        return;
    }
    let (table, message, label) = match &change.kind {
        ChangeKind::AddConstraint {
            table,
            kind: ConstraintKind::Check,
            not_valid: false,
            ..
        } => (
            table,
            format!("adding this CHECK constraint scans `{}` under an exclusive lock: stable's reads and writes on it wait", table.display),
            "CHECK validated while locked",
        ),
        ChangeKind::ValidateConstraint { table, name }
            if cx.in_transaction
                && cx.release.not_valid_in_this_transaction(table, name)
                    == Some(ConstraintKind::Check) =>
        {
            (
                table,
                format!("`{}` is validated in the same transaction that added it NOT VALID: the exclusive lock taken by the ADD is held until COMMIT, so stable's reads and writes on `{}` wait for the validating scan", name.display, table.display),
                "validated in the transaction that added it",
            )
        }
        _ => return,
    };
    if !cx.stable_table(table) {
        return;
    }
    out.push(cx.diag(
        &ADD_CHECK_VALIDATING,
        change,
        message,
        label.to_string(),
        "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later transaction (a separate migration, or after COMMIT)".to_string(),
    ));
}
