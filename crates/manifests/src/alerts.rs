//! Prometheus alerting rules (`PrometheusRule` `spec.groups[].rules[]`) about the
//! requests or errors of an app that has a canary in the run.

use crate::objects::Ctx;
use crate::util::{path, text};
use canary_lint_config::yaml::Node;

/// One alerting rule.
#[derive(Debug)]
pub struct Alert<'c> {
    pub res: usize,
    pub name: &'c Node,
    pub expr: &'c Node,
    pub rule: &'c Node,
    /// The canary app the expression is about.
    pub app: String,
}

const REQUEST_WORDS: &[&str] = &[
    "request",
    "error",
    "5xx",
    "=~\"5",
    "http_server",
    "grpc_server",
    "response",
];

/// The alerting rules over request or error metrics of apps with a canary.
pub fn canary_alerts<'c>(ctx: &'c Ctx) -> Vec<Alert<'c>> {
    let mut out = Vec::new();
    for (i, r) in ctx.indexed("PrometheusRule") {
        for group in path(&r.root, &["spec", "groups"])
            .map(Node::items)
            .unwrap_or_default()
        {
            for rule in group.get("rules").map(Node::items).unwrap_or_default() {
                let (Some(name), Some(expr)) = (rule.get("alert"), rule.get("expr")) else {
                    continue;
                };
                let Some(e) = text(Some(expr)) else { continue };
                let lower = e.to_ascii_lowercase();
                if !REQUEST_WORDS.iter().any(|w| lower.contains(w)) {
                    continue;
                }
                let Some(app) = words(e).find(|w| ctx.has_canary(w)) else {
                    continue;
                };
                out.push(Alert {
                    res: i,
                    name,
                    expr,
                    rule,
                    app: app.to_string(),
                });
            }
        }
    }
    out
}

/// The words of an expression (letters, digits, `_`, `-`): the app names it may mention.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
}
