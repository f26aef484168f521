//! add-unique-blocking: adding UNIQUE / PRIMARY KEY by building the index in place.

use super::RuleCx;
use crate::changes::{Change, ChangeKind, ConstraintKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `ALTER TABLE .. ADD [CONSTRAINT ..] UNIQUE (..)` or
    /// `PRIMARY KEY (..)` that is not `USING INDEX`, and `ADD COLUMN .. UNIQUE`
    /// or `.. PRIMARY KEY` (a serial or identity primary key included), on a
    /// table that existed before the release.
    ///
    /// ## Why it stalls stable
    /// The constraint's index is built while an `ACCESS EXCLUSIVE` lock is held:
    /// every query stable sends to the table waits for the whole build.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Use instead
    /// Build the index first with `CREATE UNIQUE INDEX CONCURRENTLY
    /// users_email_idx ON users (email);`, then attach it instantly with
    /// `ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX
    /// users_email_idx;`.
    pub const ADD_UNIQUE_BLOCKING = {
        name: "add-unique-blocking",
        family: Lock,
        severity: Warning,
        summary: "adding UNIQUE or PRIMARY KEY builds its index under an exclusive lock"
    };
}

pub(crate) fn check(cx: &RuleCx<'_>, change: &Change, out: &mut Vec<Diagnostic>) {
    let (table, what, inline) = match &change.kind {
        ChangeKind::AddConstraint {
            table,
            kind,
            using_index: false,
            ..
        } => match kind {
            ConstraintKind::Unique => (table, "UNIQUE", None),
            ConstraintKind::PrimaryKey => (table, "PRIMARY KEY", None),
            _ => return,
        },
        ChangeKind::AddColumn {
            table,
            column,
            spec,
        } if spec.primary_key || spec.unique => {
            let what = if spec.primary_key {
                "PRIMARY KEY"
            } else {
                "UNIQUE"
            };
            (table, what, Some(column))
        }
        _ => return,
    };
    if cx.dialect != Dialect::Postgres || !cx.stable_table(table) {
        return;
    }
    let message = match inline {
        None => format!("adding {what} builds its index on `{}` under an exclusive lock: stable's reads and writes on it wait for the build", table.display),
        Some(c) => format!("adding `{}` as {what} builds its index on `{}` under an exclusive lock: stable's reads and writes on it wait for the build", c.display, table.display),
    };
    out.push(cx.diag(
        &ADD_UNIQUE_BLOCKING,
        change,
        message,
        format!("{what} built in place"),
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT .. USING INDEX".to_string(),
    ));
}
