use crate::alerts::canary_alerts;
use crate::objects::Ctx;
use crate::util::{duration_ms, show_ms};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A Prometheus alert over the request or error metrics of an app with a
    /// canary fires after less than 2 minutes (`for` under `2m`, or no `for`).
    ///
    /// The incident: a canary has few requests, so its error ratio jumps on a
    /// handful of failures; an alert that fires at once pages on noise during every
    /// rollout, and the team learns to ignore (or silence) exactly the alerts that
    /// should stop a bad canary.
    ///
    /// Fix: `for: 2m` or more (or alert on a rate over a longer window).
    pub const RULE = { name: "alert-for-too-short", family: Traffic, severity: Warning,
        summary: "request/error alert fires after less than 2 minutes during a canary" };
}

const MIN_MS: u64 = 120_000;

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for a in canary_alerts(ctx) {
        let alert = a.name.as_str().unwrap_or_default();
        let for_node = a.rule.get("for");
        let (span, what) = match for_node {
            Some(f) => {
                let Some(ms) = f.as_str().and_then(duration_ms) else {
                    continue;
                };
                if ms >= MIN_MS {
                    continue;
                }
                (f.span(), format!("fires after {}", show_ms(ms)))
            }
            None => (a.name.span(), "has no `for` and fires at once".to_string()),
        };
        out.push(
            ctx.diag(&RULE, a.res, span, format!("alert `{alert}` over the requests of `{}` {what}: a canary's few requests make it page on noise", a.app))
                .help("set `for: 2m` or more"),
        );
    }
    out
}
