//! add-foreign-key-validating: adding a foreign key without `NOT VALID`.

use super::RuleCx;
use crate::changes::{Change, ChangeKind, ConstraintKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `ALTER TABLE .. ADD [CONSTRAINT ..] FOREIGN KEY` without
    /// `NOT VALID`, and `ADD COLUMN .. REFERENCES ..`, on a table that existed
    /// before the release; and `VALIDATE CONSTRAINT` of a foreign key added `NOT
    /// VALID` earlier in the same transaction. The recipe below (`NOT VALID`, then
    /// `VALIDATE` in a later transaction) is not reported.
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
    /// CONSTRAINT orders_customer_fk;` in a later transaction (the next
    /// migration, or after `COMMIT`), which only takes a lock that lets writes
    /// continue. For a new column, add the column first, then the constraint.
    pub const ADD_FOREIGN_KEY_VALIDATING = {
        name: "add-foreign-key-validating",
        family: Lock,
        severity: Warning,
        summary: "adding a foreign key without NOT VALID locks both tables for a full scan"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    if cx.dialect != Dialect::Postgres {
        return;
    }
    let (table, message, label) = match &change.kind {
        ChangeKind::AddConstraint {
            table,
            kind: ConstraintKind::ForeignKey,
            not_valid: false,
            ..
        } => (
            table,
            format!("adding this foreign key scans `{}` under a lock that blocks stable's writes to it and to the referenced table", table.display),
            "foreign key validated while locked",
        ),
        ChangeKind::AddColumn { table, column, spec } if spec.references => (
            table,
            format!("adding `{}` with REFERENCES validates a foreign key on `{}` under a lock that blocks stable's writes to it and to the referenced table", column.display, table.display),
            "inline REFERENCES validated while locked",
        ),
        ChangeKind::ValidateConstraint { table, name }
            if cx.in_transaction
                && cx.release.not_valid_in_this_transaction(table, name)
                    == Some(ConstraintKind::ForeignKey) =>
        {
            (
                table,
                format!("`{}` is validated in the same transaction that added it NOT VALID: the lock taken by the ADD is held until COMMIT, so the validating scan of `{}` still blocks stable's writes to it and to the referenced table", name.display, table.display),
                "validated in the transaction that added it",
            )
        }
        _ => return,
    };
    if !cx.stable_table(table) {
        return;
    }
    out.push(cx.diag(
        &ADD_FOREIGN_KEY_VALIDATING,
        change,
        message,
        label.to_string(),
        "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later transaction (a separate migration, or after COMMIT)".to_string(),
    ));
}
