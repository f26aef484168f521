use crate::objects::Ctx;
use crate::util::{int, path};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A Flagger Canary whose `analysis.maxWeight` is not a multiple of
    /// `analysis.stepWeight`.
    ///
    /// The incident: Flagger raises the weight by `stepWeight` until the next step
    /// would pass `maxWeight`, then promotes. With `maxWeight: 50, stepWeight: 15`
    /// the canary stops at 45; the analysis never sees the weight the team planned
    /// to judge at, and the promotion is reported as a success on less evidence
    /// than intended. (With `stepWeights`, an explicit list, the rule is quiet.)
    ///
    /// Fix: make `maxWeight` a multiple of `stepWeight`, or list the steps with
    /// `stepWeights`.
    pub const RULE = { name: "flagger-max-weight-not-step-multiple", family: Traffic, severity: Warning,
        summary: "Flagger maxWeight is not a multiple of stepWeight" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, r) in ctx.indexed("Canary") {
        if r.group() != "flagger.app" {
            continue;
        }
        let Some(a) = path(&r.root, &["spec", "analysis"])
            .or_else(|| path(&r.root, &["spec", "canaryAnalysis"]))
        else {
            continue;
        };
        if a.get("stepWeights").is_some() {
            continue;
        }
        let (Some(mw), Some(sw)) = (a.get("maxWeight"), a.get("stepWeight")) else {
            continue;
        };
        let (Some(m), Some(s)) = (int(mw), int(sw)) else {
            continue;
        };
        if s <= 0 || m % s == 0 {
            continue;
        }
        let reached = m / s * s;
        out.push(
            ctx.diag(&RULE, i, mw.span(), format!("Flagger Canary `{}` has maxWeight {m}, not a multiple of stepWeight {s}: the canary stops at {reached}% before promotion", r.name))
                .label(format!("not a multiple of {s}"))
                .with_label(sw.span(), "stepWeight")
                .help(format!("make maxWeight a multiple of stepWeight (for example {}), or list the steps with stepWeights", reached + s)),
        );
    }
    out
}
