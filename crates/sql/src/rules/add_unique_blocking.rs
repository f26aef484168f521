//! add-unique-blocking: adding UNIQUE / PRIMARY KEY by building the index in place.

use super::RuleCx;
use crate::changes::{Change, ChangeKind, ConstraintKind};
use crate::Dialect;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// ## What it does
    /// Reports Postgres `ALTER TABLE .. ADD [CONSTRAINT ..] UNIQUE (..)` or
    /// `PRIMARY KEY (..)` that is not `USING INDEX`, on a table that existed
    /// before the release.
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
    let ChangeKind::AddConstraint {
        table,
        kind,
        using_index: false,
        ..
    } = &change.kind
    else {
        return;
    };
    let what = match kind {
        ConstraintKind::Unique => "UNIQUE",
        ConstraintKind::PrimaryKey => "PRIMARY KEY",
        _ => return,
    };
    if cx.dialect != Dialect::Postgres || !cx.stable_table(table) {
        return;
    }
    out.push(cx.diag(
        &ADD_UNIQUE_BLOCKING,
        change,
        format!("adding {what} builds its index on `{}` under an exclusive lock: stable's reads and writes on it wait for the build", table.display),
        format!("{what} built in place"),
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT .. USING INDEX".to_string(),
    ));
}
