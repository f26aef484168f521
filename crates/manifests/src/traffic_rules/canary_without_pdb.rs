use crate::objects::{Ctx, Role};
use crate::util::{labels, path};
use canary_lint_core::{declare_rule, Diagnostic};
use std::collections::{BTreeMap, HashMap};

/// Label selectors by their app label (`None`: selectors without one).
type ByApp = HashMap<Option<(String, String)>, Vec<BTreeMap<String, String>>>;

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
    // Budgets by their app label (those without one are tried for every workload).
    let mut budgets: ByApp = HashMap::new();
    for p in ctx.of_kind("PodDisruptionBudget") {
        let l = labels(path(&p.root, &["spec", "selector", "matchLabels"]));
        if l.is_empty() {
            continue;
        }
        let key = ["app.kubernetes.io/name", "app", "k8s-app"]
            .iter()
            .find_map(|k| Some((k.to_string(), l.get(*k)?.clone())));
        budgets.entry(key).or_default().push(l);
    }
    let mut out = Vec::new();
    for w in &ctx.workloads {
        let r = &ctx.res[w.res];
        // A Rollout carries both versions; a canary workload is the canary itself.
        let canary = w.role == Some(Role::Canary)
            || (r.kind == "Rollout" && path(&r.root, &["spec", "strategy", "canary"]).is_some());
        if !canary || w.labels.is_empty() {
            continue;
        }
        let covers =
            |b: &BTreeMap<String, String>| b.iter().all(|(k, v)| w.labels.get(k) == Some(v));
        let keyed = w
            .labels
            .iter()
            .flat_map(|(k, v)| budgets.get(&Some((k.clone(), v.clone()))));
        if budgets
            .get(&None)
            .into_iter()
            .chain(keyed)
            .flatten()
            .any(covers)
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
