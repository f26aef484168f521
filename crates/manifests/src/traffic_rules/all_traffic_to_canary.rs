use crate::nginx;
use crate::objects::{Ctx, Role};
use crate::traffic_rules::MAX_RELATED;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A weighted route sends all of its traffic to the canary.
    ///
    /// The incident: a typo in a weight (`100` where `10` was meant, the two weights
    /// swapped) and the untested version takes every user at once; the canary
    /// release stops being a canary. Checked on Istio VirtualService routes (`http`,
    /// `tcp`, `tls`), Gateway API `HTTPRoute`/`GRPCRoute` `backendRefs` weights
    /// (default weight 1), SMI `TrafficSplit` backends, and NGINX Ingress
    /// `canary-weight` at or above `canary-weight-total` (default 100).
    ///
    /// A route is judged when it is weighted: two or more destinations, or a weight
    /// written. A header- or cookie-matched route with a single canary destination
    /// is how testers reach the canary and is not reported.
    ///
    /// Fix: give the canary a small weight and stable the rest, and let the rollout
    /// controller (or the next commit) raise it step by step.
    pub const RULE = { name: "all-traffic-to-canary", family: Traffic, severity: Error,
        summary: "a weighted route sends all traffic to the canary" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for route in &ctx.routes {
        let total = route.total();
        let canary = route.share(Role::Canary);
        if !route.weighted() || total <= 0 || canary < total {
            continue;
        }
        if route.is_test_route() {
            continue;
        }
        let Some(d) = route.canary_dest() else {
            continue;
        };
        let r = &ctx.res[route.res];
        let mut diag = ctx
            .diag(
                &RULE,
                route.res,
                d.weight_or_name(),
                format!(
                    "{} `{}` sends all of its traffic ({canary} of {total}) to the canary {}",
                    r.kind,
                    r.name,
                    d.describe()
                ),
            )
            .label("all traffic to the canary")
            .help("give the canary a small weight (for example 10) and stable the rest; raise it step by step");
        for other in route.dests.iter().filter(|o| o.role != Some(Role::Canary)) {
            diag = diag.with_label(
                other.weight_or_name(),
                format!("{} gets {}", other.describe(), other.effective),
            );
        }
        for dr in d
            .subset
            .as_ref()
            .map(|_| ctx.destination_rules(&d.host))
            .unwrap_or_default()
        {
            let rr = &ctx.res[dr];
            diag.push_related(
                ctx.related(
                    dr,
                    rr.name_span,
                    format!(
                        "DestinationRule `{}` defines the subsets of {}",
                        rr.name, d.host
                    ),
                ),
                MAX_RELATED,
            );
        }
        out.push(diag);
    }
    for (i, r) in ctx.indexed("Ingress") {
        if !nginx::is_canary(r) {
            continue;
        }
        let Some((_, w)) = nginx::annotation(r, &format!("{}canary-weight", nginx::PREFIX)) else {
            continue;
        };
        let Some(weight) = w.as_str().and_then(|s| s.trim().parse::<i64>().ok()) else {
            continue;
        };
        let total = nginx::annotation(r, &format!("{}canary-weight-total", nginx::PREFIX))
            .and_then(|(_, t)| t.as_str()?.trim().parse::<i64>().ok())
            .unwrap_or(100);
        if weight < total || total <= 0 {
            continue;
        }
        let mut diag = ctx
            .diag(
                &RULE,
                i,
                w.span(),
                format!("canary Ingress `{}` has canary-weight {weight} of {total}: all traffic goes to the canary", r.name),
            )
            .label("all traffic to the canary")
            .help("set canary-weight to a small share of canary-weight-total (for example 10 of 100)");
        for (j, main) in main_ingresses(ctx, r) {
            diag.push_related(
                ctx.related(j, main.name_span, format!("main Ingress `{}`", main.name)),
                MAX_RELATED,
            );
        }
        out.push(diag);
    }
    out
}

/// The non-canary Ingresses sharing a host with `canary`.
pub fn main_ingresses<'c>(
    ctx: &'c Ctx,
    canary: &crate::Resource,
) -> Vec<(usize, &'c crate::Resource)> {
    let hosts: Vec<String> = nginx::paths(canary).into_iter().map(|p| p.host).collect();
    ctx.indexed("Ingress")
        .filter(|(_, m)| {
            !nginx::is_canary(m) && nginx::paths(m).iter().any(|p| hosts.contains(&p.host))
        })
        .collect()
}
