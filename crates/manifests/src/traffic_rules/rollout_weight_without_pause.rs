use crate::objects::Ctx;
use crate::util::path;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// An Argo Rollout `setWeight` step followed by another `setWeight` with no
    /// `pause`, `analysis` or `experiment` between them.
    ///
    /// The incident: the first weight is set and immediately replaced by the next;
    /// the step that was meant to expose a few users and wait is skipped, so the
    /// canary jumps (10% to 100%, say) before anyone or anything has looked.
    ///
    /// Fix: put a `pause` (with a duration) or an `analysis` step between the two
    /// weights.
    pub const RULE = { name: "rollout-weight-without-pause", family: Traffic, severity: Warning,
        summary: "Argo Rollout setWeight followed by another with no pause or analysis" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, r) in ctx.indexed("Rollout") {
        let Some(steps) = path(&r.root, &["spec", "strategy", "canary", "steps"]) else {
            continue;
        };
        let mut last_weight = None;
        for step in steps.items() {
            if let Some(w) = step.get("setWeight") {
                if let Some((prev, prev_value)) = last_weight {
                    out.push(
                        ctx.diag(&RULE, i, w.span(), format!("Rollout `{}` sets the canary weight to {} right after {prev_value}, with no pause or analysis between", r.name, w.as_str().unwrap_or_default()))
                            .with_label(prev, "previous weight")
                            .help("put a pause (with a duration) or an analysis step between the two weights"),
                    );
                }
                last_weight = Some((w.span(), w.as_str().unwrap_or_default().to_string()));
            } else if step.get("pause").is_some()
                || step.get("analysis").is_some()
                || step.get("experiment").is_some()
            {
                last_weight = None;
            }
        }
    }
    out
}
