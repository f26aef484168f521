//! Weighted routes of every kind the rules judge: Istio VirtualService (`http`,
//! `tcp`, `tls` routes), Gateway API `HTTPRoute`/`GRPCRoute` `backendRefs`, SMI
//! `TrafficSplit` `backends`.

use crate::objects::{Ctx, Role};
use crate::util::{int, path, text};
use canary_lint_config::yaml::Node;
use canary_lint_core::Span;

/// One destination of a route.
#[derive(Debug, Clone)]
pub struct Dest {
    pub host: String,
    pub subset: Option<String>,
    /// The weight as written.
    pub weight: Option<i64>,
    /// The weight it gets (the kind's default when none is written).
    pub effective: i64,
    pub weight_span: Option<Span>,
    /// Where the destination is named (its host or backend name value).
    pub span: Span,
    pub role: Option<Role>,
}

impl Dest {
    /// The span a finding about this destination's weight points at.
    pub fn weight_or_name(&self) -> Span {
        self.weight_span.unwrap_or(self.span)
    }

    pub fn describe(&self) -> String {
        match &self.subset {
            Some(s) => format!("{} subset `{s}`", self.host),
            None => format!("`{}`", self.host),
        }
    }
}

/// One route: its destinations and whether it only applies to matching requests.
#[derive(Debug, Clone)]
pub struct Route {
    pub res: usize,
    pub dests: Vec<Dest>,
    pub has_match: bool,
    /// Istio routes carry percentages; other kinds relative weights.
    pub percent: bool,
    /// The route's node (for retries and the like).
    pub node: Node,
}

impl Route {
    pub fn total(&self) -> i64 {
        self.dests.iter().map(|d| d.effective).sum()
    }

    /// A lone destination behind a request match: a route for testing the
    /// canary by header or path, not a traffic split.
    pub fn is_test_route(&self) -> bool {
        self.has_match && self.dests.len() < 2
    }

    /// The first destination that is the canary's.
    pub fn canary_dest(&self) -> Option<&Dest> {
        self.dests.iter().find(|d| d.role == Some(Role::Canary))
    }

    pub fn share(&self, role: Role) -> i64 {
        self.dests
            .iter()
            .filter(|d| d.role == Some(role))
            .map(|d| d.effective)
            .sum()
    }

    /// Whether the route splits by weight: two or more destinations, or a weight written.
    pub fn weighted(&self) -> bool {
        self.dests.len() >= 2 || self.dests.iter().any(|d| d.weight.is_some())
    }
}

/// Every route of the run.
pub fn weighted_routes(ctx: &Ctx) -> Vec<Route> {
    let mut out = Vec::new();
    for (i, r) in ctx.res.iter().enumerate() {
        match r.kind.as_str() {
            "VirtualService" if r.group().contains("istio.io") => {
                for proto in ["http", "tcp", "tls"] {
                    let Some(list) = path(&r.root, &["spec", proto]) else {
                        continue;
                    };
                    for item in list.items() {
                        let raw: Vec<&Node> = item
                            .get("route")
                            .map(|n| n.items().iter().collect())
                            .unwrap_or_default();
                        let single = raw.len() == 1;
                        let dests = raw
                            .iter()
                            .filter_map(|d| {
                                let host_node = path(d, &["destination", "host"])?;
                                let host = host_node.as_str()?.to_string();
                                let subset =
                                    text(path(d, &["destination", "subset"])).map(str::to_string);
                                let w = d.get("weight");
                                let weight = w.and_then(int);
                                let role = ctx.destination_role(&host, subset.as_deref());
                                Some(Dest {
                                    effective: weight.unwrap_or(if single { 100 } else { 0 }),
                                    weight,
                                    weight_span: w.map(Node::span),
                                    span: host_node.span(),
                                    host,
                                    subset,
                                    role,
                                })
                            })
                            .collect();
                        out.push(Route {
                            res: i,
                            dests,
                            has_match: item.get("match").is_some(),
                            percent: true,
                            node: item.clone(),
                        });
                    }
                }
            }
            "HTTPRoute" | "GRPCRoute" | "TCPRoute" | "TLSRoute"
                if r.group() == "gateway.networking.k8s.io" =>
            {
                let Some(rules) = path(&r.root, &["spec", "rules"]) else {
                    continue;
                };
                for rule in rules.items() {
                    // Gateway API: a backend without a weight weighs 1.
                    let dests = weighted_backends(rule.get("backendRefs"), "name", 1, ctx);
                    out.push(Route {
                        res: i,
                        dests,
                        has_match: rule.get("matches").is_some(),
                        percent: false,
                        node: rule.clone(),
                    });
                }
            }
            "TrafficSplit" if r.group() == "split.smi-spec.io" => {
                // SMI: a backend without a weight weighs 0.
                let dests =
                    weighted_backends(path(&r.root, &["spec", "backends"]), "service", 0, ctx);
                out.push(Route {
                    res: i,
                    dests,
                    has_match: false,
                    percent: false,
                    node: r.root.clone(),
                });
            }
            _ => {}
        }
    }
    out
}

/// The Services of a list of weighted backends (Gateway API `backendRefs`, SMI
/// `backends`): each named by `name_key`, weighing `default` when it states no weight.
fn weighted_backends(list: Option<&Node>, name_key: &str, default: i64, ctx: &Ctx) -> Vec<Dest> {
    list.map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|b| {
            let name_node = b.get(name_key)?;
            let host = name_node.as_str()?.to_string();
            let w = b.get("weight");
            let weight = w.and_then(int);
            let role = ctx.service_role(&host);
            Some(Dest {
                effective: weight.unwrap_or(default),
                weight,
                weight_span: w.map(Node::span),
                span: name_node.span(),
                host,
                subset: None,
                role,
            })
        })
        .collect()
}
