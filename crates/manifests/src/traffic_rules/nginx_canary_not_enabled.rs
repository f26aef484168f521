use crate::nginx;
use crate::objects::Ctx;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// An Ingress carries NGINX canary annotations (`canary-weight`,
    /// `canary-by-header`, `canary-by-cookie`, ...) without
    /// `nginx.ingress.kubernetes.io/canary: "true"`.
    ///
    /// The incident: without the `canary` annotation the Ingress is an ordinary
    /// one. Its canary annotations are ignored and, for the same host and path as
    /// the main Ingress, it competes with it: all or none of the traffic reaches
    /// the new version instead of the share written.
    ///
    /// Fix: add `nginx.ingress.kubernetes.io/canary: "true"` (quoted: annotation
    /// values are strings).
    pub const RULE = { name: "nginx-canary-not-enabled", family: Traffic, severity: Warning,
        summary: "NGINX canary annotations without canary: \"true\"" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, r) in ctx.indexed("Ingress") {
        if nginx::is_canary(r) {
            continue;
        }
        let annotations = nginx::canary_annotations(r);
        let Some((k, _)) = annotations.first() else {
            continue;
        };
        let flag = nginx::annotation(r, &format!("{}canary", nginx::PREFIX));
        let (span, what) = match flag {
            Some((_, v)) => (v.span(), format!("is `{}`", v.as_str().unwrap_or_default())),
            None => (k.span(), "is missing".to_string()),
        };
        out.push(
            ctx.diag(&RULE, i, span, format!("Ingress `{}` has NGINX canary annotations but `canary: \"true\"` {what}: they are ignored and the Ingress competes with the main one", r.name))
                .help("add nginx.ingress.kubernetes.io/canary: \"true\""),
        );
    }
    out
}
