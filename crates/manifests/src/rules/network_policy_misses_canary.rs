use crate::model::{Ctx, Role};
use crate::rules::MAX_RELATED;
use crate::util::{labels, path};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A NetworkPolicy selects stable's pods by a version label (`version`,
    /// `track`, or any label whose value tells stable from the canary), and no
    /// NetworkPolicy in the run selects the canary's pods.
    ///
    /// The incident: the canary runs with a different network than stable: it may
    /// reach what stable may not (or, where a default-deny applies, nothing it
    /// needs), so the canary's behaviour says little about the release, or it
    /// fails on connections stable makes every day.
    ///
    /// Fix: select both versions' pods by the app label, or add the same policy
    /// for the canary's labels.
    pub const RULE = { name: "network-policy-misses-canary", family: Traffic, severity: Warning,
        summary: "NetworkPolicy selects stable by a version label and none selects the canary" };
}

/// Whether a selector may select a workload: not when its app label names another app.
fn same_app(sel: &std::collections::BTreeMap<String, String>, w: &crate::model::Workload) -> bool {
    ["app.kubernetes.io/name", "app", "k8s-app"]
        .iter()
        .all(|k| sel.get(*k).is_none_or(|v| w.labels.get(*k) == Some(v)))
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let policies: Vec<(usize, std::collections::BTreeMap<String, String>)> = ctx
        .indexed("NetworkPolicy")
        .map(|(i, p)| {
            (
                i,
                labels(path(&p.root, &["spec", "podSelector", "matchLabels"])),
            )
        })
        .collect();
    let selects = |sel: &std::collections::BTreeMap<String, String>,
                   pod: &std::collections::BTreeMap<String, String>| {
        sel.iter().all(|(k, v)| pod.get(k) == Some(v))
    };
    let mut out = Vec::new();
    for canary in ctx
        .workloads
        .iter()
        .filter(|w| w.role == Some(Role::Canary) && !w.labels.is_empty())
    {
        if policies
            .iter()
            .filter(|(_, sel)| same_app(sel, canary))
            .any(|(_, sel)| selects(sel, &canary.labels))
        {
            continue;
        }
        for stable in ctx
            .workloads_of_app(&canary.app)
            .filter(|w| w.role == Some(Role::Stable))
        {
            for (pi, sel) in policies.iter().filter(|(_, sel)| same_app(sel, stable)) {
                if sel.is_empty() || !selects(sel, &stable.labels) {
                    continue;
                }
                // The label that tells the versions apart.
                let Some((k, v)) = sel.iter().find(|(k, v)| canary.labels.get(*k) != Some(v))
                else {
                    continue;
                };
                let p = &ctx.res[*pi];
                let span = path(&p.root, &["spec", "podSelector", "matchLabels", k])
                    .map_or(p.name_span, |n| n.span());
                let cr = &ctx.res[canary.res];
                let mut d = ctx
                    .diag(&RULE, *pi, span, format!("NetworkPolicy `{}` selects stable's pods by `{k}: {v}`, and no NetworkPolicy selects the pods of canary {}: the canary's network differs from stable's", p.name, cr.id()))
                    .label("selects stable only")
                    .help("select both versions' pods by the app label, or add the same policy for the canary's labels");
                d.push_related(
                    ctx.related(canary.res, cr.name_span, format!("canary {}", cr.id())),
                    MAX_RELATED,
                );
                out.push(d);
            }
        }
    }
    out
}
