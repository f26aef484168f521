use crate::objects::Ctx;
use crate::traffic_rules::MAX_RELATED;
use crate::util::{path, text};
use canary_lint_config::yaml::Node;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A VirtualService routes to a subset that the DestinationRule for that host
    /// does not define.
    ///
    /// The incident: Istio cannot resolve the subset, so requests routed to it fail
    /// (HTTP 503, "no healthy upstream") for as long as the route exists: the share
    /// of users meant for the canary gets errors, often read as "the canary is
    /// broken" and rolled back for the wrong reason.
    ///
    /// The rule only judges hosts whose DestinationRule is in the run (named as a
    /// related location); a subset of a host with no DestinationRule in the run is
    /// not reported, since the rule may live elsewhere.
    ///
    /// Fix: add the subset (with the labels of the canary's pods) to the
    /// DestinationRule, or fix the subset name in the route.
    pub const RULE = { name: "unknown-subset", family: Traffic, severity: Error,
        summary: "route to a subset the host's DestinationRule does not define" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for route in &ctx.routes {
        for d in &route.dests {
            let Some(subset) = &d.subset else { continue };
            let drs = ctx.destination_rules(&d.host);
            if drs.is_empty() {
                continue;
            }
            let mut defined: Vec<&str> = drs
                .iter()
                .flat_map(|&i| {
                    path(&ctx.res[i].root, &["spec", "subsets"])
                        .map(Node::items)
                        .unwrap_or_default()
                })
                .filter_map(|s| text(s.get("name")))
                .collect();
            defined.dedup();
            if defined.contains(&subset.as_str()) {
                continue;
            }
            let r = &ctx.res[route.res];
            let subset_span = find_subset_span(&route.node, &d.host, subset).unwrap_or(d.span);
            let mut diag = ctx
                .diag(
                    &RULE,
                    route.res,
                    subset_span,
                    format!(
                        "{} `{}` routes to subset `{subset}` of {}, which no DestinationRule for that host defines{}",
                        r.kind,
                        r.name,
                        d.host,
                        if defined.is_empty() { String::new() } else { format!(" (defined: {})", defined.join(", ")) }
                    ),
                )
                .label("undefined subset")
                .help("add the subset to the DestinationRule (with the canary pods' labels) or fix the name in the route");
            for &i in &drs {
                let dr = &ctx.res[i];
                diag.push_related(
                    ctx.related(
                        i,
                        dr.name_span,
                        format!("DestinationRule `{}` for host {}", dr.name, d.host),
                    ),
                    MAX_RELATED,
                );
            }
            out.push(diag);
        }
    }
    out
}

fn find_subset_span(route: &Node, host: &str, subset: &str) -> Option<canary_lint_core::Span> {
    route.get("route")?.items().iter().find_map(|d| {
        let dest = d.get("destination")?;
        (text(dest.get("host")) == Some(host) && text(dest.get("subset")) == Some(subset))
            .then(|| dest.get("subset").map(Node::span))
            .flatten()
    })
}
