use crate::nginx;
use crate::objects::Ctx;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// An NGINX canary Ingress (`nginx.ingress.kubernetes.io/canary: "true"`) for a
    /// host and path that no main (non-canary) Ingress in the run serves.
    ///
    /// The incident: ingress-nginx applies a canary Ingress only beside a main
    /// Ingress for the same host and path. Without one, the canary rules are
    /// ignored, or, with the main Ingress in another namespace or class, traffic
    /// is split somewhere nobody expected; either way the split written here is
    /// not the split users get.
    ///
    /// Fix: add (or render together) the main Ingress for the same host and path,
    /// pointing at stable's Service.
    pub const RULE = { name: "nginx-canary-without-main", family: Traffic, severity: Error,
        summary: "NGINX canary Ingress with no main Ingress for its host and path" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mains: Vec<nginx::IngressPath> = ctx
        .of_kind("Ingress")
        .filter(|r| !nginx::is_canary(r))
        .flat_map(nginx::paths)
        .collect();
    for (i, r) in ctx.indexed("Ingress") {
        if !nginx::is_canary(r) {
            continue;
        }
        for p in nginx::paths(r) {
            if mains.iter().any(|m| m.host == p.host && m.path == p.path) {
                continue;
            }
            out.push(
                ctx.diag(&RULE, i, p.host_span, format!("canary Ingress `{}` serves {}{} but no main Ingress in the run serves that host and path: NGINX applies a canary only beside one", r.name, p.host, p.path))
                    .label("no main Ingress for this host")
                    .help("add the main Ingress for the same host and path, pointing at stable's Service"),
            );
        }
    }
    out
}
