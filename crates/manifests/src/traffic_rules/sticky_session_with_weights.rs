use crate::objects::{Ctx, Role};
use crate::traffic_rules::MAX_RELATED;
use crate::util::{entry, path, short_host, text};
use canary_lint_config::yaml::Node;
use canary_lint_core::{declare_rule, Diagnostic, Span};

declare_rule! {
    /// A DestinationRule asks for session affinity (`loadBalancer.consistentHash`)
    /// on a host whose route is split by weight between canary and stable.
    ///
    /// The incident: consistent hashing picks a pod inside one destination; the
    /// weighted choice between destinations happens before it, per request. A user
    /// is not kept on one version: their requests alternate between canary and
    /// stable, sessions and carts written by one are read by the other, and the
    /// "sticky canary" the team planned does not exist.
    ///
    /// Fix: route by a header or cookie match instead (a route whose `match` sends
    /// a marked user to the canary subset), or set the cookie in the edge proxy and
    /// match on it.
    pub const RULE = { name: "sticky-session-with-weights", family: Traffic, severity: Warning,
        summary: "consistentHash on a host split by weight: users are not kept on one version" };
}

/// The `consistentHash` entries of a DestinationRule (top level and per subset).
fn hashes(dr: &Node) -> Vec<Span> {
    let mut out = Vec::new();
    let mut look = |policy: Option<&Node>| {
        if let Some((k, _)) = policy
            .and_then(|p| p.get("loadBalancer"))
            .and_then(|lb| entry(lb, "consistentHash"))
        {
            out.push(k.span());
        }
    };
    look(path(dr, &["spec", "trafficPolicy"]));
    for s in path(dr, &["spec", "subsets"])
        .map(Node::items)
        .unwrap_or_default()
    {
        look(s.get("trafficPolicy"));
    }
    out
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let routes = &ctx.routes;
    let mut out = Vec::new();
    for (i, dr) in ctx.indexed("DestinationRule") {
        let Some(host) = text(path(&dr.root, &["spec", "host"])) else {
            continue;
        };
        let spans = hashes(&dr.root);
        let Some(&span) = spans.first() else { continue };
        let split: Vec<_> = routes
            .iter()
            .filter(|r| {
                let to_host: Vec<_> = r
                    .dests
                    .iter()
                    .filter(|d| short_host(&d.host) == short_host(host) && d.effective > 0)
                    .collect();
                to_host.len() >= 2 && to_host.iter().any(|d| d.role == Some(Role::Canary))
            })
            .collect();
        if split.is_empty() {
            continue;
        }
        let mut diag = ctx
            .diag(&RULE, i, span, format!("DestinationRule `{}` asks for session affinity on {host}, but its route is split by weight between canary and stable: a user's requests go to both versions", dr.name))
            .label("consistentHash")
            .help("route by a header or cookie match instead: a `match` that sends marked users to the canary subset");
        for r in &split {
            let rr = &ctx.res[r.res];
            if let Some(d) = r.canary_dest() {
                diag.push_related(
                    ctx.related(
                        r.res,
                        d.weight_or_name(),
                        format!("{} `{}` splits {host} by weight", rr.kind, rr.name),
                    ),
                    MAX_RELATED,
                );
            }
        }
        out.push(diag);
    }
    out
}
