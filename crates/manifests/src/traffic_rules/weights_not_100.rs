use crate::objects::Ctx;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// The weights of an Istio route do not add up to 100 (off by default).
    ///
    /// Istio normalises weights, so a route whose weights add up to 90 or 110 still
    /// works; but a reader of the manifest takes `weight: 10` for ten percent, and
    /// it is not. House style for teams that want every weight to read as a
    /// percentage. Turn it on with `--select weights-not-100` or a level in
    /// `[rules]`.
    ///
    /// Fix: write weights that add up to 100.
    pub const RULE = { name: "weights-not-100", family: Traffic, severity: Warning,
        summary: "route weights do not add up to 100 (off by default)" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for route in &ctx.routes {
        if !route.percent || route.dests.iter().all(|d| d.weight.is_none()) {
            continue;
        }
        let total = route.total();
        if total == 100 {
            continue;
        }
        let Some(first) = route.dests.iter().find(|d| d.weight.is_some()) else {
            continue;
        };
        let r = &ctx.res[route.res];
        out.push(
            ctx.diag(
                &RULE,
                route.res,
                first.weight_or_name(),
                format!(
                    "the weights of this route of {} `{}` add up to {total}, not 100",
                    r.kind, r.name
                ),
            )
            .help("write weights that add up to 100 so that each reads as a percentage"),
        );
    }
    out
}
