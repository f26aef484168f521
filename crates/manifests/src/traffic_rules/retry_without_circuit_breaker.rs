use crate::objects::{Ctx, Role};
use crate::traffic_rules::MAX_RELATED;
use crate::util::{int, path};
use canary_lint_config::yaml::Node;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A route retries (`retries.attempts` above 1) to a host of a canary release
    /// whose DestinationRule sets neither `outlierDetection` nor connection-pool
    /// limits.
    ///
    /// The incident: the canary slows down or fails; every failed request is
    /// retried, and the retries land on stable too, multiplying its load by the
    /// number of attempts exactly when capacity is short. Without outlier
    /// detection the failing canary pods are never ejected, and without pool
    /// limits nothing stops the retry storm.
    ///
    /// Judged only for hosts whose DestinationRule is in the run (a related
    /// location) and whose route reaches a canary.
    ///
    /// Fix: add `trafficPolicy.outlierDetection` (and `connectionPool` limits) to
    /// the DestinationRule, or lower the attempts.
    pub const RULE = { name: "retry-without-circuit-breaker", family: Traffic, severity: Warning,
        summary: "retries to a host with no outlier detection or connection-pool limits" };
}

fn has_breaker(dr: &Node) -> bool {
    let protects = |p: Option<&Node>| {
        p.is_some_and(|p| p.get("outlierDetection").is_some() || p.get("connectionPool").is_some())
    };
    protects(path(dr, &["spec", "trafficPolicy"]))
        || path(dr, &["spec", "subsets"])
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .any(|s| protects(s.get("trafficPolicy")))
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for route in &ctx.routes {
        let Some(attempts) = path(&route.node, &["retries", "attempts"]) else {
            continue;
        };
        let Some(n) = int(attempts) else { continue };
        if n <= 1
            || !route
                .dests
                .iter()
                .any(|d| d.role == Some(Role::Canary) || ctx.has_canary(&ctx.host_app(&d.host)))
        {
            continue;
        }
        let mut hosts: Vec<&str> = route.dests.iter().map(|d| d.host.as_str()).collect();
        hosts.dedup();
        for host in hosts {
            let drs = ctx.destination_rules(host);
            if drs.is_empty() || drs.iter().any(|&i| has_breaker(&ctx.res[i].root)) {
                continue;
            }
            let r = &ctx.res[route.res];
            let mut diag = ctx
                .diag(&RULE, route.res, attempts.span(), format!("{} `{}` retries {n} times to {host}, whose DestinationRule sets no outlierDetection and no connectionPool limits: a failing canary turns into a retry storm on stable", r.kind, r.name))
                .label("retries")
                .help("add trafficPolicy.outlierDetection (and connectionPool limits) to the DestinationRule, or lower the attempts");
            for &i in &drs {
                let dr = &ctx.res[i];
                diag.push_related(
                    ctx.related(
                        i,
                        dr.name_span,
                        format!("DestinationRule `{}` for {host}", dr.name),
                    ),
                    MAX_RELATED,
                );
            }
            out.push(diag);
        }
    }
    out
}
