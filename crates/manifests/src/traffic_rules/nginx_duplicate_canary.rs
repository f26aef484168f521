use crate::nginx;
use crate::objects::Ctx;
use crate::traffic_rules::MAX_RELATED;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// More than one NGINX canary Ingress for the same host and path.
    ///
    /// The incident: ingress-nginx supports one canary Ingress per host and path;
    /// with two, which one wins is undefined and can change on a controller
    /// restart, so the canary's weight or header rule silently flips between the
    /// two (typically a leftover canary from the last release and the new one).
    ///
    /// Fix: keep one canary Ingress per host and path; delete the leftover.
    pub const RULE = { name: "nginx-duplicate-canary", family: Traffic, severity: Error,
        summary: "more than one NGINX canary Ingress for the same host and path" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<(usize, nginx::IngressPath)> = Vec::new();
    for (i, r) in ctx.indexed("Ingress") {
        if !nginx::is_canary(r) {
            continue;
        }
        for p in nginx::paths(r) {
            let earlier: Vec<&(usize, nginx::IngressPath)> = seen
                .iter()
                .filter(|(_, q)| q.host == p.host && q.path == p.path)
                .collect();
            if !earlier.is_empty() {
                let mut diag = ctx
                    .diag(&RULE, i, p.host_span, format!("canary Ingress `{}` is a second canary for {}{}: with two, which one NGINX applies is undefined", r.name, p.host, p.path))
                    .label("second canary for this host and path")
                    .help("keep one canary Ingress per host and path; delete the leftover");
                for (j, q) in earlier {
                    diag.push_related(
                        ctx.related(
                            *j,
                            q.host_span,
                            format!(
                                "canary Ingress `{}` for the same host and path",
                                ctx.res[*j].name
                            ),
                        ),
                        MAX_RELATED,
                    );
                }
                out.push(diag);
            }
            seen.push((i, p));
        }
    }
    out
}
