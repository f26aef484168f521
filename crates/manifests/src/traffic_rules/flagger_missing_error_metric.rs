use crate::objects::Ctx;
use crate::util::{entry, path, text};
use canary_lint_config::yaml::Node;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A Flagger Canary's analysis has no request-success-rate or error-rate metric.
    ///
    /// The incident: the analysis promotes on CPU, memory or latency alone, which a
    /// version answering every request with an error passes easily (errors are
    /// cheap and fast). It is the most common canary mistake: the rollout is
    /// automated, and what it checks does not include whether users get errors.
    ///
    /// A metric counts when it is Flagger's built-in `request-success-rate`, or
    /// its name or its MetricTemplate's (`templateRef`) name or query speaks of
    /// errors, success, failures or 5xx responses.
    ///
    /// Fix: add `request-success-rate` (with `thresholdRange.min`) or an error-rate
    /// MetricTemplate to `analysis.metrics`.
    pub const RULE = { name: "flagger-missing-error-metric", family: Traffic, severity: Warning,
        summary: "Flagger analysis with no success-rate or error-rate metric" };
}

fn about_errors(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    [
        "error",
        "success",
        "fail",
        "5xx",
        "5..",
        "code=~\"5",
        "status=~\"5",
    ]
    .iter()
    .any(|w| s.contains(w))
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, r) in ctx.indexed("Canary") {
        if r.group() != "flagger.app" {
            continue;
        }
        let Some((key, a)) = path(&r.root, &["spec"])
            .and_then(|s| entry(s, "analysis").or_else(|| entry(s, "canaryAnalysis")))
        else {
            continue;
        };
        let metrics_entry = entry(a, "metrics");
        let metrics: &[Node] = metrics_entry.map(|(_, m)| m.items()).unwrap_or_default();
        let judged = metrics.iter().any(|m| {
            let name = text(m.get("name")).unwrap_or_default();
            if name == "request-success-rate" || about_errors(name) {
                return true;
            }
            let Some(t) = text(path(m, &["templateRef", "name"])) else {
                return false;
            };
            about_errors(t)
                || ctx
                    .of_kind("MetricTemplate")
                    .filter(|mt| mt.name == t)
                    .any(|mt| text(path(&mt.root, &["spec", "query"])).is_some_and(about_errors))
        });
        if judged {
            continue;
        }
        let span = metrics_entry.map_or(key.span(), |(k, _)| k.span());
        let names: Vec<&str> = metrics.iter().filter_map(|m| text(m.get("name"))).collect();
        let what = if names.is_empty() {
            "no metrics".to_string()
        } else {
            format!("only {}", names.join(", "))
        };
        out.push(
            ctx.diag(&RULE, i, span, format!("the analysis of Flagger Canary `{}` checks {what}: nothing tells it the canary answers with errors", r.name))
                .help("add the built-in request-success-rate metric (thresholdRange.min: 99) or an error-rate MetricTemplate"),
        );
    }
    out
}
