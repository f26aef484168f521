use crate::objects::{Ctx, Role};
use crate::traffic_rules::MAX_RELATED;
use crate::util::{labels, path};
use canary_lint_core::{declare_rule, Diagnostic};
use std::collections::{BTreeMap, HashMap};

declare_rule! {
    /// A NetworkPolicy selects stable's pods by a version label (`version`,
    /// `track`, or any label whose value tells stable from the canary), and no
    /// NetworkPolicy in the run selects the canary's pods.
    ///
    /// The incident: the canary runs with a different network than stable: it may
    /// reach what stable may not (or, where a default-deny applies, nothing it
    /// needs), so the canary's behaviour says little about the release, or it
    /// fails on connections stable makes every day.
    ///
    /// Fix: select both versions' pods by the app label, or add the same policy
    /// for the canary's labels.
    pub const RULE = { name: "network-policy-misses-canary", family: Traffic, severity: Warning,
        summary: "NetworkPolicy selects stable by a version label and none selects the canary" };
}

/// The app labels a selector may name; a policy naming another app selects none of
/// a workload's pods.
const APP_KEYS: [&str; 3] = ["app.kubernetes.io/name", "app", "k8s-app"];

/// Whether a selector may select a workload: not when its app label names another app.
fn same_app(sel: &BTreeMap<String, String>, w: &crate::objects::Workload) -> bool {
    APP_KEYS
        .iter()
        .all(|k| sel.get(*k).is_none_or(|v| w.labels.get(*k) == Some(v)))
}

/// The policies by the first app label their selector names, so that a workload
/// is only compared with the policies of its own app (and those naming no app).
struct ByApp<'p> {
    policies: &'p [(usize, BTreeMap<String, String>)],
    keyed: HashMap<(&'p str, &'p str), Vec<usize>>,
    any_app: Vec<usize>,
}

impl<'p> ByApp<'p> {
    fn new(policies: &'p [(usize, BTreeMap<String, String>)]) -> Self {
        let mut keyed: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut any_app = Vec::new();
        for (i, (_, sel)) in policies.iter().enumerate() {
            match APP_KEYS.iter().find_map(|k| sel.get_key_value(*k)) {
                Some((k, v)) => keyed.entry((k.as_str(), v.as_str())).or_default().push(i),
                None => any_app.push(i),
            }
        }
        ByApp {
            policies,
            keyed,
            any_app,
        }
    }

    /// The policies that may select `w`'s pods, in file order.
    fn of(&self, w: &crate::objects::Workload) -> Vec<&'p (usize, BTreeMap<String, String>)> {
        let mut idx: Vec<usize> = self.any_app.clone();
        for k in APP_KEYS {
            if let Some(v) = w.labels.get(k) {
                if let Some(list) = self.keyed.get(&(k, v.as_str())) {
                    idx.extend(list);
                }
            }
        }
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter()
            .map(|i| &self.policies[i])
            .filter(|(_, sel)| same_app(sel, w))
            .collect()
    }
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let policies: Vec<(usize, BTreeMap<String, String>)> = ctx
        .indexed("NetworkPolicy")
        .map(|(i, p)| {
            (
                i,
                labels(path(&p.root, &["spec", "podSelector", "matchLabels"])),
            )
        })
        .collect();
    let by_app = ByApp::new(&policies);
    let selects = |sel: &BTreeMap<String, String>, pod: &BTreeMap<String, String>| {
        sel.iter().all(|(k, v)| pod.get(k) == Some(v))
    };
    let mut out = Vec::new();
    for canary in ctx
        .workloads
        .iter()
        .filter(|w| w.role == Some(Role::Canary) && !w.labels.is_empty())
    {
        if by_app
            .of(canary)
            .iter()
            .any(|(_, sel)| selects(sel, &canary.labels))
        {
            continue;
        }
        for stable in ctx
            .workloads_of_app(&canary.app)
            .filter(|w| w.role == Some(Role::Stable))
        {
            for (pi, sel) in by_app.of(stable) {
                if sel.is_empty() || !selects(sel, &stable.labels) {
                    continue;
                }
                // The label that tells the versions apart.
                let Some((k, v)) = sel.iter().find(|(k, v)| canary.labels.get(*k) != Some(v))
                else {
                    continue;
                };
                let p = &ctx.res[*pi];
                let span = path(&p.root, &["spec", "podSelector", "matchLabels", k])
                    .map_or(p.name_span, |n| n.span());
                let cr = &ctx.res[canary.res];
                let mut d = ctx
                    .diag(&RULE, *pi, span, format!("NetworkPolicy `{}` selects stable's pods by `{k}: {v}`, and no NetworkPolicy selects the pods of canary {}: the canary's network differs from stable's", p.name, cr.id()))
                    .label("selects stable only")
                    .help("select both versions' pods by the app label, or add the same policy for the canary's labels");
                d.push_related(
                    ctx.related(canary.res, cr.name_span, format!("canary {}", cr.id())),
                    MAX_RELATED,
                );
                out.push(d);
            }
        }
    }
    out
}
