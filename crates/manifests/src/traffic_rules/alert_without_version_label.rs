use crate::alerts::canary_alerts;
use crate::objects::Ctx;
use canary_lint_core::{declare_rule, Diagnostic, Span};

declare_rule! {
    /// A Prometheus alert over an app's request or error metrics aggregates away the
    /// label that tells the canary from stable (`version` by default, `[traffic]
    /// version_label`), while that app has a canary in the run.
    ///
    /// The incident: `sum(rate(http_requests_total{status=~"5.."}[5m])) by (app)`
    /// adds the canary's errors to stable's. With 5% of the traffic on a canary
    /// that fails every request, the app's error ratio rises to 5% and the alert
    /// (set at 10%) stays quiet: the canary fails completely and nobody is paged.
    ///
    /// An alert is judged when it aggregates (`sum`, `avg`, `max`, ...) without
    /// keeping the label in a `by (...)` clause, or drops it with `without (...)`.
    ///
    /// Fix: keep the label: `by (app, version)`, and alert per version.
    pub const RULE = { name: "alert-without-version-label", family: Traffic, severity: Warning,
        summary: "alert over request/error metrics aggregates away the version label" };
}

const AGGREGATORS: &[&str] = &[
    "sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk", "bottomk", "quantile", "group",
];

/// Label lists of the `by (...)` / `without (...)` clauses of an expression.
fn clauses<'e>(expr: &'e str, word: &str) -> Vec<(usize, &'e str)> {
    let mut out = Vec::new();
    for (i, _) in expr.match_indices(word) {
        let before = expr[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let rest = expr[i + word.len()..].trim_start();
        if let Some(list) = rest.strip_prefix('(') {
            if let Some(close) = list.find(')') {
                out.push((i, &list[..close]));
            }
        }
    }
    out
}

fn has_label(list: &str, label: &str) -> bool {
    list.split(',').any(|l| l.trim() == label)
}

fn aggregates(expr: &str) -> Option<usize> {
    AGGREGATORS
        .iter()
        .filter_map(|a| {
            expr.match_indices(a)
                .find(|(i, _)| {
                    let before = expr[..*i].chars().next_back();
                    let after = expr[i + a.len()..].trim_start().chars().next();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                        && (after == Some('(')
                            || expr[i + a.len()..].trim_start().starts_with("by")
                            || expr[i + a.len()..].trim_start().starts_with("without"))
                })
                .map(|(i, _)| i)
        })
        .min()
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let label = &ctx.settings.version_label;
    let mut out = Vec::new();
    for a in canary_alerts(ctx) {
        let Some(expr) = a.expr.as_str() else {
            continue;
        };
        let Some(agg_at) = aggregates(expr) else {
            continue;
        };
        let by = clauses(expr, "by");
        let without = clauses(expr, "without");
        let dropped = without.iter().find(|(_, l)| has_label(l, label));
        let kept = by.iter().any(|(_, l)| has_label(l, label));
        let (at, what) = match dropped {
            Some((i, _)) => (*i, format!("drops `{label}` with `without`")),
            None if kept => continue,
            None => match by.first() {
                Some((i, l)) => (*i, format!("keeps only `{}`", l.trim())),
                None => (agg_at, "aggregates every series together".to_string()),
            },
        };
        // The clause's place in the file: found in the source of the expression.
        let src = ctx.source(a.res);
        let span = a.expr.span();
        let needle = &expr[at..(at + 24).min(expr.len())];
        let needle = needle.lines().next().unwrap_or(needle);
        let found = src
            .get(span.start..span.end)
            .and_then(|s| s.find(needle))
            .map(|o| {
                Span::new(
                    span.start + o,
                    span.start
                        + o
                        + needle
                            .split(')')
                            .next()
                            .map_or(needle.len(), |n| (n.len() + 1).min(needle.len())),
                )
            });
        let alert = a.name.as_str().unwrap_or_default();
        out.push(
            ctx.diag(&RULE, a.res, found.unwrap_or(span), format!("alert `{alert}` over the requests of `{}` {what}: the canary's errors are averaged with stable's", a.app))
                .label(format!("no `{label}` here"))
                .help(format!("keep the version label, for example `by (app, {label})`, and alert per version")),
        );
    }
    out
}
