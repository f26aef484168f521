use crate::nginx;
use crate::objects::Ctx;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// An NGINX `canary-weight` that is not a whole number from 0 to
    /// `canary-weight-total` (default 100), or a `canary-weight-total` that is not
    /// a positive whole number.
    ///
    /// The incident: a weight written as `"10%"`, `"0.1"` or `"150"` is not the
    /// share the controller applies (it is rejected or clamped), so the canary gets
    /// none of the traffic or all of it.
    ///
    /// Fix: write a whole number between 0 and the weight total, quoted.
    pub const RULE = { name: "nginx-weight-out-of-range", family: Traffic, severity: Error,
        summary: "NGINX canary-weight not a whole number within 0..canary-weight-total" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, r) in ctx.indexed("Ingress") {
        let total_entry = nginx::annotation(r, &format!("{}canary-weight-total", nginx::PREFIX));
        let mut total = 100;
        if let Some((_, t)) = total_entry {
            match t.as_str().and_then(|s| s.trim().parse::<i64>().ok()) {
                Some(n) if n > 0 => total = n,
                _ => {
                    out.push(
                        ctx.diag(&RULE, i, t.span(), format!("Ingress `{}` has canary-weight-total `{}`, not a positive whole number", r.name, t.as_str().unwrap_or_default()))
                            .help("write a positive whole number, quoted (the default is \"100\")"),
                    );
                    continue;
                }
            }
        }
        let Some((_, w)) = nginx::annotation(r, &format!("{}canary-weight", nginx::PREFIX)) else {
            continue;
        };
        let raw = w.as_str().unwrap_or_default();
        let ok = raw
            .trim()
            .parse::<i64>()
            .is_ok_and(|n| (0..=total).contains(&n));
        if !ok {
            out.push(
                ctx.diag(&RULE, i, w.span(), format!("Ingress `{}` has canary-weight `{raw}`, not a whole number from 0 to {total}", r.name))
                    .help(format!("write a whole number from 0 to {total}, quoted")),
            );
        }
    }
    out
}
