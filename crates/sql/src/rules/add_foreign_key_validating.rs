//! add-foreign-key-validating: adding a foreign key without `NOT VALID`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind, ConstraintKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `ALTER TABLE .. ADD [CONSTRAINT ..] FOREIGN KEY` without
    /// `NOT VALID` on a table that existed before the release.
    ///
    /// ## Why it stalls stable
    /// Adding a validated foreign key scans the whole table while holding a
    /// `SHARE ROW EXCLUSIVE` lock on it and on the referenced table: stable's
    /// writes to both wait for the full scan.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
    ///     FOREIGN KEY (customer_id) REFERENCES customers (id);
    /// ```
    ///
    /// ## Use instead
    /// Add it `NOT VALID` (instant), then `ALTER TABLE orders VALIDATE
    /// CONSTRAINT orders_customer_fk;` in a later statement or migration, which
    /// only takes a lock that lets writes continue.
    pub const ADD_FOREIGN_KEY_VALIDATING = {
        name: "add-foreign-key-validating",
        family: Lock,
        severity: Warning,
        summary: "adding a foreign key without NOT VALID locks both tables for a full scan"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let ChangeKind::AddConstraint {
        table,
        kind: ConstraintKind::ForeignKey,
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
        &ADD_FOREIGN_KEY_VALIDATING,
        change,
        format!("adding this foreign key scans `{}` under a lock that blocks stable's writes to it and to the referenced table", table.display),
        "foreign key validated while locked".to_string(),
        "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate statement".to_string(),
    ));
}
