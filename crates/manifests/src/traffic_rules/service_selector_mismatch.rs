use crate::objects::Ctx;
use crate::traffic_rules::MAX_RELATED;
use crate::util::path;
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// A Service of a canary release selects no pod template in the run, while a
    /// workload of the same app exists whose labels differ.
    ///
    /// The incident: "the canary is running but no traffic arrives": the canary
    /// Service's selector says `track: canary` where the pods say `track: canari`
    /// (or `version: v2` where they say `2.0`). The rollout's weights move, the
    /// canary's metrics stay empty, and an analysis without data either passes it
    /// or fails it for the wrong reason.
    ///
    /// Only apps with a canary in the run are judged; the finding points at the
    /// first selector label whose value differs and names the workload as a
    /// related location.
    ///
    /// Fix: make the Service's selector match the pod template's labels.
    pub const RULE = { name: "service-selector-mismatch", family: Traffic, severity: Error,
        summary: "Service selects no pod while a workload of the same app exists" };
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in &ctx.services {
        if s.selector.is_empty() || !ctx.has_canary(&s.app) {
            continue;
        }
        if ctx.selected(&s.selector).next().is_some() {
            continue;
        }
        let same_app: Vec<_> = ctx
            .workloads_of_app(&s.app)
            .filter(|w| !w.labels.is_empty())
            .collect();
        let Some(closest) = same_app.iter().max_by_key(|w| {
            s.selector
                .iter()
                .filter(|(k, v)| w.labels.get(*k) == Some(v))
                .count()
        }) else {
            continue;
        };
        let r = &ctx.res[s.res];
        let sel = path(&r.root, &["spec", "selector"]);
        let (bad_key, bad_value) = s
            .selector
            .iter()
            .find(|(k, v)| closest.labels.get(*k) != Some(v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .unwrap_or_default();
        let span = sel
            .and_then(|n| n.get(&bad_key))
            .map_or(r.name_span, |n| n.span());
        let has = match closest.labels.get(&bad_key) {
            Some(v) => format!("`{bad_key}: {v}`"),
            None => format!("no `{bad_key}` label"),
        };
        let wr = &ctx.res[closest.res];
        let mut d = ctx
            .diag(&RULE, s.res, span, format!("Service `{}` selects `{bad_key}: {bad_value}`, but no pod template in the run has it; {} of the same app has {has}", r.name, wr.id()))
            .label("selects no pod")
            .help("make the Service's selector match the pod template's labels");
        for w in &same_app {
            let wr = &ctx.res[w.res];
            let span = path(&wr.root, &["spec", "template", "metadata", "labels"])
                .map_or(wr.name_span, |n| n.span());
            d.push_related(
                ctx.related(w.res, span, format!("pod labels of {}", wr.id())),
                MAX_RELATED,
            );
        }
        out.push(d);
    }
    out
}
