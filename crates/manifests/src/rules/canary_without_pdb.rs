use crate::model::{Ctx, Role};
use crate::util::{labels, path};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A canary workload whose pods no PodDisruptionBudget in the run covers.
    ///
    /// The incident: a node drain or cluster upgrade during the release evicts the
    /// canary's few pods at once; the share of traffic routed to the canary gets
    /// errors until they are rescheduled, and an automated analysis reads that as
    /// a failed canary and rolls back a good version.
    ///
    /// A budget covers the canary when every label of its `selector.matchLabels`
    /// is on the canary's pod template.
    ///
    /// Fix: add a PodDisruptionBudget (`maxUnavailable: 1`, or one whose selector
    /// matches both versions' pods by the app label).
    pub const RULE = { name: "canary-without-pdb", family: Traffic, severity: Note,
        summary: "canary pods not covered by any PodDisruptionBudget" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let budgets: Vec<_> = ctx
        .of_kind("PodDisruptionBudget")
        .map(|p| labels(path(&p.root, &["spec", "selector", "matchLabels"])))
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = Vec::new();
    for w in &ctx.workloads {
        let r = &ctx.res[w.res];
        // A Rollout carries both versions; a canary workload is the canary itself.
        let canary = w.role == Some(Role::Canary)
            || (r.kind == "Rollout" && path(&r.root, &["spec", "strategy", "canary"]).is_some());
        if !canary || w.labels.is_empty() {
            continue;
        }
        if budgets
            .iter()
            .any(|b| b.iter().all(|(k, v)| w.labels.get(k) == Some(v)))
        {
            continue;
        }
        out.push(
            ctx.diag(&RULE, w.res, r.name_span, format!("no PodDisruptionBudget in the run covers the pods of canary {}: a node drain can take them all at once", r.id()))
                .help("add a PodDisruptionBudget whose selector matches the canary's pods (for example by the app label, for both versions)"),
        );
    }
    out
}
