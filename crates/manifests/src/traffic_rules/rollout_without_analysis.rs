use crate::objects::Ctx;
use crate::util::{entry, path};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// An Argo Rollout canary strategy with no analysis: no `analysis` step and no
    /// background `analysis`.
    ///
    /// The incident: the rollout advances on time alone; a canary that fails every
    /// request is promoted once its pauses run out, unless a person happens to be
    /// watching. The rollback the strategy promises only exists with an analysis.
    ///
    /// Fix: add an `analysis` step (or background `analysis`) with an
    /// AnalysisTemplate that checks the canary's error rate.
    pub const RULE = { name: "rollout-without-analysis", family: Traffic, severity: Warning,
        summary: "Argo Rollout canary strategy with no analysis" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, r) in ctx.indexed("Rollout") {
        let Some((key, c)) = path(&r.root, &["spec", "strategy"]).and_then(|s| entry(s, "canary"))
        else {
            continue;
        };
        if c.get("analysis").is_some() {
            continue;
        }
        let steps = c.get("steps").map(|s| s.items()).unwrap_or_default();
        if steps
            .iter()
            .any(|s| s.get("analysis").is_some() || s.get("experiment").is_some())
        {
            continue;
        }
        out.push(
            ctx.diag(&RULE, i, key.span(), format!("the canary strategy of Rollout `{}` has no analysis: it is promoted on time alone, whatever the canary's errors", r.name))
                .help("add an analysis step (or background analysis) with an AnalysisTemplate that checks the canary's error rate"),
        );
    }
    out
}
