//! add-check-validating: adding a CHECK constraint without `NOT VALID`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind, ConstraintKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `ALTER TABLE .. ADD [CONSTRAINT ..] CHECK (..)` without
    /// `NOT VALID` on a table that existed before the release.
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
    /// amount_positive;` separately: validation then runs without blocking
    /// reads and writes.
    pub const ADD_CHECK_VALIDATING = {
        name: "add-check-validating",
        family: Lock,
        severity: Warning,
        summary: "adding a CHECK constraint without NOT VALID locks the table for a full scan"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::AddConstraint {
        table,
        kind: ConstraintKind::Check,
        not_valid: false,
        ..
    } = &change.kind
    else {
        return;
    };
    if cx.dialect != Dialect::Postgres || !cx.stable_table(table) {
        return;
    }
    out.push(cx.diag(
        &ADD_CHECK_VALIDATING,
        change,
        format!("adding this CHECK constraint scans `{}` under an exclusive lock: stable's reads and writes on it wait", table.display),
        "CHECK validated while locked".to_string(),
        "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate statement".to_string(),
    ));
}
