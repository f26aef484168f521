use crate::objects::{Ctx, Role};
use crate::traffic_rules::MAX_RELATED;
use crate::util::{int, path, text};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// Stable's HorizontalPodAutoscaler lets stable scale below
    /// `[traffic] stable_min_replicas` (default 2) while a canary of the same app
    /// is in the run.
    ///
    /// The incident: with part of the traffic on the canary, stable's load drops
    /// and its autoscaler scales it down to `minReplicas`. When the canary fails
    /// and is rolled back, all the traffic returns at once to one or two stable
    /// pods; the rollback itself causes the outage. (An autoscaler without
    /// `minReplicas` may go down to 1.)
    ///
    /// Stable's workload is recognised as described in the README (names ending in
    /// `-stable` or `-primary`, `track: stable`, the lower version, `[traffic]
    /// stable`).
    ///
    /// Fix: raise `minReplicas` on stable's autoscaler for the length of the
    /// release (Flagger and Argo users: on the `-primary` or stable workload).
    pub const RULE = { name: "stable-min-replicas", family: Traffic, severity: Warning,
        summary: "stable's autoscaler may scale below stable_min_replicas during a canary" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let want = ctx.settings.stable_min_replicas;
    let mut out = Vec::new();
    for (i, hpa) in ctx.indexed("HorizontalPodAutoscaler") {
        let Some(target) = text(path(&hpa.root, &["spec", "scaleTargetRef", "name"])) else {
            continue;
        };
        let Some(w) = ctx.workload_named(target) else {
            continue;
        };
        if w.role != Some(Role::Stable) || !ctx.has_canary(&w.app) {
            continue;
        }
        let min_node = path(&hpa.root, &["spec", "minReplicas"]);
        let min = min_node.and_then(int).unwrap_or(1);
        if min >= want {
            continue;
        }
        let span = min_node.map_or_else(
            || {
                path(&hpa.root, &["spec", "scaleTargetRef", "name"])
                    .map_or(hpa.name_span, |n| n.span())
            },
            |n| n.span(),
        );
        let mut d = ctx
            .diag(&RULE, i, span, format!("HorizontalPodAutoscaler `{}` lets stable `{target}` scale down to {min} replica(s) while the canary takes traffic (at least {want} wanted): a rollback would land on too few pods", hpa.name))
            .help(format!("set minReplicas to at least {want} on stable's autoscaler for the length of the release (`[traffic] stable_min_replicas`)"));
        let wr = &ctx.res[w.res];
        d.push_related(
            ctx.related(w.res, wr.name_span, format!("stable workload {}", wr.id())),
            MAX_RELATED,
        );
        out.push(d);
    }
    out
}
