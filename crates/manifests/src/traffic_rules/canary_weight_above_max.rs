use crate::nginx;
use crate::objects::{Ctx, Role};
use crate::util::{int, path};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A canary weight above `[traffic] max_canary_weight` (default 50 percent)
    /// before anything has judged the canary.
    ///
    /// The incident: the canary takes most of the traffic on its first step, so a
    /// bad version hurts most users before its metrics are read, and a rollback
    /// moves most of the load back onto a stable that had scaled down.
    ///
    /// Checked: static weights of Istio VirtualService, Gateway API and SMI routes
    /// (as a share of the route's total), NGINX `canary-weight` (of
    /// `canary-weight-total`), Flagger `analysis.maxWeight`, and Argo Rollouts
    /// `setWeight` steps before the first analysis step when the Rollout has no
    /// background analysis. A weight that sends everything to the canary is
    /// `all-traffic-to-canary` instead.
    ///
    /// Fix: lower the weight, or let an analysis judge the canary before the
    /// weight passes the limit.
    pub const RULE = { name: "canary-weight-above-max", family: Traffic, severity: Warning,
        summary: "canary weight above max_canary_weight before any analysis" };
}

fn percent(weight: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        weight * 100 / total
    }
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let max = ctx.settings.max_canary_weight;
    let help = format!("keep the canary at or under {max}% until an analysis has judged it (`[traffic] max_canary_weight`)");
    let mut out = Vec::new();
    for route in &ctx.routes {
        let total = route.total();
        let canary = route.share(Role::Canary);
        if !route.weighted() || canary >= total || percent(canary, total) <= max {
            continue;
        }
        if route.is_test_route() {
            continue;
        }
        let Some(d) = route.canary_dest() else {
            continue;
        };
        let r = &ctx.res[route.res];
        out.push(
            ctx.diag(
                &RULE,
                route.res,
                d.weight_or_name(),
                format!(
                    "{} `{}` sends {}% of its traffic to the canary {}, above the limit of {max}%",
                    r.kind,
                    r.name,
                    percent(canary, total),
                    d.describe()
                ),
            )
            .help(help.clone()),
        );
    }
    for (i, r) in ctx.indexed("Ingress") {
        if !nginx::is_canary(r) {
            continue;
        }
        let Some((_, w)) = nginx::annotation(r, &format!("{}canary-weight", nginx::PREFIX)) else {
            continue;
        };
        let Some(weight) = int(w) else { continue };
        let total = nginx::annotation(r, &format!("{}canary-weight-total", nginx::PREFIX))
            .and_then(|(_, t)| int(t))
            .unwrap_or(100);
        if weight >= total || percent(weight, total) <= max {
            continue;
        }
        out.push(
            ctx.diag(&RULE, i, w.span(), format!("canary Ingress `{}` sends {}% of the traffic to the canary, above the limit of {max}%", r.name, percent(weight, total)))
                .help(help.clone()),
        );
    }
    for (i, r) in ctx.indexed("Canary") {
        if r.group() != "flagger.app" {
            continue;
        }
        let analysis = path(&r.root, &["spec", "analysis"])
            .or_else(|| path(&r.root, &["spec", "canaryAnalysis"]));
        let Some(mw) = analysis.and_then(|a| a.get("maxWeight")) else {
            continue;
        };
        let Some(w) = int(mw) else { continue };
        if w > max {
            out.push(
                ctx.diag(&RULE, i, mw.span(), format!("Flagger Canary `{}` lets the canary reach {w}% (maxWeight), above the limit of {max}%", r.name))
                    .help(help.clone()),
            );
        }
    }
    for (i, r) in ctx.indexed("Rollout") {
        let Some(c) = path(&r.root, &["spec", "strategy", "canary"]) else {
            continue;
        };
        if c.get("analysis").is_some() {
            continue;
        }
        for step in c.get("steps").map(|s| s.items()).unwrap_or_default() {
            if step.get("analysis").is_some() || step.get("experiment").is_some() {
                break;
            }
            let Some(sw) = step.get("setWeight") else {
                continue;
            };
            let Some(w) = int(sw) else { continue };
            if w > max && w < 100 {
                out.push(
                    ctx.diag(&RULE, i, sw.span(), format!("Rollout `{}` sets the canary to {w}% before any analysis, above the limit of {max}%", r.name))
                        .help(help.clone()),
                );
                break;
            }
        }
    }
    out
}
