use crate::model::{Ctx, Role, Workload};
use crate::rules::MAX_RELATED;
use crate::util::{path, text};
use canary_lint_config::yaml::Node;
use canary_lint_core::{declare_rule, Diagnostic, Span};

declare_rule! {
    /// The canary and stable workloads of one app differ in more than the image,
    /// the version labels and the replica count: container `env` (by name),
    /// `envFrom`, `resources`, probes (`livenessProbe`, `readinessProbe`,
    /// `startupProbe`), `volumeMounts`, pod `volumes` or `serviceAccountName`.
    ///
    /// The incident: the canary is meant to test the new image; when its manifest
    /// also changed its memory limit, its probes or its config source, the canary
    /// passes (or fails) for reasons that vanish at promotion, and the release that
    /// looked healthy breaks stable's replacement. A canary copied by hand from an
    /// old stable manifest is the usual cause.
    ///
    /// One finding per differing field, at the canary's value, with stable's as a
    /// related location. Values are never printed (env values may be secrets);
    /// only the names of what differs.
    ///
    /// Fix: generate both workloads from one template that varies only the image
    /// and the version labels, or make the difference part of the release on
    /// purpose and suppress the finding with a reason.
    pub const RULE = { name: "deployment-drift", family: Traffic, severity: Warning,
        summary: "canary and stable workloads differ beyond image, version labels and replicas" };
}

/// A comparable rendering of a node (map keys sorted, positions ignored).
fn canon(n: &Node) -> String {
    match n {
        Node::Scalar { .. } => n.as_str().unwrap_or_default().to_string(),
        Node::Seq { items, .. } => format!(
            "[{}]",
            items.iter().map(canon).collect::<Vec<_>>().join(",")
        ),
        Node::Map { items, .. } => {
            let mut kv: Vec<String> = items
                .iter()
                .map(|(k, v)| format!("{}={}", canon(k), canon(v)))
                .collect();
            kv.sort();
            format!("{{{}}}", kv.join(","))
        }
    }
}

fn containers(w: &Node) -> &[Node] {
    path(w, &["spec", "template", "spec", "containers"])
        .map(Node::items)
        .unwrap_or_default()
}

fn env(c: &Node) -> Vec<(&str, &Node)> {
    c.get("env")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((text(e.get("name"))?, e)))
        .collect()
}

struct Diff {
    what: String,
    canary: Span,
    stable: Span,
}

fn compare_field(
    what: String,
    c: Option<&Node>,
    s: Option<&Node>,
    c_at: Span,
    s_at: Span,
    out: &mut Vec<Diff>,
) {
    let same = match (c, s) {
        (None, None) => true,
        (Some(a), Some(b)) => canon(a) == canon(b),
        _ => false,
    };
    if !same {
        out.push(Diff {
            what,
            canary: c.map_or(c_at, Node::span),
            stable: s.map_or(s_at, Node::span),
        });
    }
}

fn diffs(canary: &Node, stable: &Node, c_name: Span, s_name: Span) -> Vec<Diff> {
    let mut out = Vec::new();
    let pod = |w: &'_ Node, k: &str| path(w, &["spec", "template", "spec", k]).cloned();
    for k in ["serviceAccountName", "volumes"] {
        compare_field(
            format!("pod `{k}`"),
            pod(canary, k).as_ref(),
            pod(stable, k).as_ref(),
            c_name,
            s_name,
            &mut out,
        );
    }
    let (cs, ss) = (containers(canary), containers(stable));
    for c in cs {
        let name = text(c.get("name")).unwrap_or_default();
        let s = ss.iter().find(|s| text(s.get("name")) == Some(name)).or(
            if cs.len() == 1 && ss.len() == 1 {
                ss.first()
            } else {
                None
            },
        );
        let Some(s) = s else { continue };
        let c_at = c.get("name").map_or(c.span(), Node::span);
        let s_at = s.get("name").map_or(s.span(), Node::span);
        for k in [
            "envFrom",
            "resources",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "volumeMounts",
        ] {
            compare_field(
                format!("container `{name}` {k}"),
                c.get(k),
                s.get(k),
                c_at,
                s_at,
                &mut out,
            );
        }
        let (ce, se) = (env(c), env(s));
        let env_at = |x: &Node, at: Span| x.get("env").map_or(at, Node::span);
        for (n, e) in &ce {
            let other = se.iter().find(|(m, _)| m == n).map(|(_, e)| *e);
            let c_val = e.get("value").or_else(|| e.get("valueFrom"));
            let s_val = other.and_then(|o| o.get("value").or_else(|| o.get("valueFrom")));
            match other {
                None => out.push(Diff {
                    what: format!("container `{name}` env `{n}` (only the canary sets it)"),
                    canary: e.get("name").map_or(e.span(), Node::span),
                    stable: env_at(s, s_at),
                }),
                Some(o) => {
                    let same = match (c_val, s_val) {
                        (Some(a), Some(b)) => canon(a) == canon(b),
                        (None, None) => true,
                        _ => false,
                    };
                    if !same {
                        out.push(Diff {
                            what: format!("container `{name}` env `{n}`"),
                            canary: c_val.map_or(e.span(), Node::span),
                            stable: s_val.map_or(o.span(), Node::span),
                        });
                    }
                }
            }
        }
        for (n, e) in &se {
            if !ce.iter().any(|(m, _)| m == n) {
                out.push(Diff {
                    what: format!("container `{name}` env `{n}` (only stable sets it)"),
                    canary: env_at(c, c_at),
                    stable: e.get("name").map_or(e.span(), Node::span),
                });
            }
        }
    }
    out
}

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let pairs: Vec<(&Workload, &Workload)> = ctx
        .workloads
        .iter()
        .filter(|w| w.role == Some(Role::Canary))
        .flat_map(|c| {
            ctx.workloads_of_app(&c.app)
                .filter(move |s| {
                    s.role == Some(Role::Stable) && ctx.res[s.res].kind == ctx.res[c.res].kind
                })
                .map(move |s| (c, s))
        })
        .collect();
    for (c, s) in pairs {
        let (cr, sr) = (&ctx.res[c.res], &ctx.res[s.res]);
        for d in diffs(&cr.root, &sr.root, cr.name_span, sr.name_span) {
            let mut diag = ctx
                .diag(&RULE, c.res, d.canary, format!("canary {} and stable {} differ in {} (values not shown)", cr.id(), sr.id(), d.what))
                .label("differs from stable")
                .help("generate both from one template that varies only the image and the version labels, or suppress with a reason if the change is part of the release");
            diag.push_related(
                ctx.related(s.res, d.stable, format!("stable {}", sr.id())),
                MAX_RELATED,
            );
            out.push(diag);
        }
    }
    out
}
