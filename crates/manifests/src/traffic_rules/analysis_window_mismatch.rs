use crate::objects::Ctx;
use crate::traffic_rules::MAX_RELATED;
use crate::util::{duration_ms, int, path, show_ms, text};
use canary_lint_config::yaml::Node;
use canary_lint_core::{declare_rule, Diagnostic, Span};

declare_rule! {
    /// A PromQL range in an analysis query is longer than the step it judges.
    ///
    /// The incident: a query such as `rate(http_requests_total{...}[10m])` judged
    /// every minute (Flagger `analysis.interval: 1m`), or right after a 2-minute
    /// pause of an Argo Rollout, averages in the minutes before the step, when the
    /// canary had less traffic or did not exist. A canary that started failing at
    /// this step looks healthy, and the analysis passes it.
    ///
    /// Checked: Flagger MetricTemplate queries (`spec.query`) referenced from a
    /// Canary's `analysis.metrics[].templateRef`, against the Canary's
    /// `analysis.interval`; Argo AnalysisTemplate (and ClusterAnalysisTemplate)
    /// queries (`spec.metrics[].provider.prometheus.query`) referenced from a
    /// Rollout's analysis step, against the `pause` duration just before that
    /// step. Templated ranges (`[{{ interval }}]`) follow the step and are quiet.
    ///
    /// Fix: use a range no longer than the step (or Flagger's `{{ interval }}`),
    /// or lengthen the step.
    pub const RULE = { name: "analysis-window-mismatch", family: Traffic, severity: Warning,
        summary: "PromQL range in an analysis query longer than the step it judges" };
}

/// The PromQL ranges (`[5m]`, `[5m:1m]`) written in the source of a query node:
/// (span of the duration, milliseconds).
fn ranges(source: &str, node: &Node) -> Vec<(Span, u64)> {
    let span = node.span();
    let text = source.get(span.start..span.end).unwrap_or_default();
    let mut out = Vec::new();
    let mut rest = text;
    let mut base = span.start;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else { break };
        let inner = &after[..close];
        let dur = inner.split(':').next().unwrap_or_default().trim();
        if let Some(ms) = duration_ms(dur).filter(|_| dur.chars().any(|c| c.is_ascii_alphabetic()))
        {
            let start = base + open + 1;
            out.push((Span::new(start, start + dur.len()), ms));
        }
        base += open + 1 + close + 1;
        rest = &after[close + 1..];
    }
    out
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Flagger.
    for (ci, c) in ctx.indexed("Canary") {
        if c.group() != "flagger.app" {
            continue;
        }
        let Some(a) = path(&c.root, &["spec", "analysis"])
            .or_else(|| path(&c.root, &["spec", "canaryAnalysis"]))
        else {
            continue;
        };
        let Some(iv) = a.get("interval") else {
            continue;
        };
        let Some(step) = text(Some(iv)).and_then(duration_ms) else {
            continue;
        };
        for m in a.get("metrics").map(Node::items).unwrap_or_default() {
            let Some(t) = text(path(m, &["templateRef", "name"])) else {
                continue;
            };
            for (ti, mt) in ctx.indexed("MetricTemplate") {
                if mt.name != t {
                    continue;
                }
                let Some(q) = path(&mt.root, &["spec", "query"]) else {
                    continue;
                };
                for (span, ms) in ranges(ctx.source(ti), q) {
                    if ms > step {
                        let mut d = ctx
                            .diag(&RULE, ti, span, format!("MetricTemplate `{}` queries a {} range, but Flagger Canary `{}` judges every {}: the analysis sees data from before the step", mt.name, show_ms(ms), c.name, show_ms(step)))
                            .label("range longer than the step")
                            .help("use a range no longer than the analysis interval (or `{{ interval }}`), or lengthen the interval");
                        d.push_related(
                            ctx.related(
                                ci,
                                iv.span(),
                                format!("Canary `{}` analysis interval", c.name),
                            ),
                            MAX_RELATED,
                        );
                        out.push(d);
                    }
                }
            }
        }
    }
    // Argo Rollouts.
    for (ri, r) in ctx.indexed("Rollout") {
        let Some(steps) = path(&r.root, &["spec", "strategy", "canary", "steps"]) else {
            continue;
        };
        let mut pause: Option<(u64, Span)> = None;
        for step in steps.items() {
            if let Some(p) = step.get("pause") {
                let d = p.get("duration");
                pause = d.and_then(|d| {
                    let ms = int(d)
                        .map(|n| n as u64 * 1000)
                        .or_else(|| text(Some(d)).and_then(duration_ms))?;
                    Some((ms, d.span()))
                });
                continue;
            }
            let Some(analysis) = step.get("analysis") else {
                pause = None;
                continue;
            };
            let Some((step_ms, pause_span)) = pause else {
                continue;
            };
            for t in analysis
                .get("templates")
                .map(Node::items)
                .unwrap_or_default()
            {
                let Some(name) = text(t.get("templateName")) else {
                    continue;
                };
                let templates = ctx
                    .indexed("AnalysisTemplate")
                    .chain(ctx.indexed("ClusterAnalysisTemplate"));
                for (ti, at) in templates {
                    if at.name != name {
                        continue;
                    }
                    for m in path(&at.root, &["spec", "metrics"])
                        .map(Node::items)
                        .unwrap_or_default()
                    {
                        let Some(q) = path(m, &["provider", "prometheus", "query"]) else {
                            continue;
                        };
                        for (span, ms) in ranges(ctx.source(ti), q) {
                            if ms > step_ms {
                                let mut d = ctx
                                    .diag(&RULE, ti, span, format!("{} `{}` queries a {} range, but Rollout `{}` runs it after a {} pause: the analysis sees data from before the step", at.kind, at.name, show_ms(ms), r.name, show_ms(step_ms)))
                                    .label("range longer than the step")
                                    .help("use a range no longer than the pause before the analysis, or lengthen the pause");
                                d.push_related(
                                    ctx.related(
                                        ri,
                                        pause_span,
                                        format!("Rollout `{}` pause before the analysis", r.name),
                                    ),
                                    MAX_RELATED,
                                );
                                out.push(d);
                            }
                        }
                    }
                }
            }
            pause = None;
        }
    }
    out
}
