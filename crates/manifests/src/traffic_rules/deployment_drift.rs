use crate::objects::{Ctx, Role, Workload};
use crate::traffic_rules::MAX_RELATED;
use crate::util::{path, text};
use canary_lint_config::yaml::Node;
use canary_lint_config::{
    compare_keys, flatten_node, keyed_config, scrub, without_equal, KeyDiff, KeyedValue,
};
use canary_lint_core::{declare_rule, Diagnostic, Severity, Span};
use std::collections::BTreeMap;

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
    /// Both pod specs are read as keyed values (`containers[app].env[DB_URL]`,
    /// `containers[app].resources.limits.memory`, `volumes[data].configMap.name`,
    /// `serviceAccountName`) and compared by the config comparison, which judges
    /// which values are secrets and renders the others with embedded credentials
    /// redacted: a secret value is never printed. One finding per differing field
    /// (one env variable, a container's resources, a probe, the mounts, the pod's
    /// volumes or service account), at the canary's value, with stable's as a
    /// related location. When only a secret differs (a rotated password), the
    /// finding is a note, as in the config comparison. A lone container on each
    /// side is compared whatever its name.
    ///
    /// Fix: generate both workloads from one template that varies only the image
    /// and the version labels, or make the difference part of the release on
    /// purpose and suppress the finding with a reason.
    pub const RULE = { name: "deployment-drift", family: Traffic, severity: Warning,
        summary: "canary and stable workloads differ beyond image, version labels and replicas" };
}

/// The fields of a container compared as a whole (keyed by their YAML spelling).
const CONTAINER_FIELDS: &[&str] = &[
    "envFrom",
    "resources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "volumeMounts",
];

/// The pod spec of a workload (CronJob and Pod included).
fn pod_spec(w: &Node) -> Option<&Node> {
    match text(w.get("kind")) {
        Some("Pod") => w.get("spec"),
        Some("CronJob") => path(w, &["spec", "jobTemplate", "spec", "template", "spec"]),
        _ => path(w, &["spec", "template", "spec"]),
    }
}

fn containers(pod: Option<&Node>) -> &[Node] {
    pod.and_then(|p| p.get("containers"))
        .map(Node::items)
        .unwrap_or_default()
}

/// A list of named items (`volumes`, `volumeMounts`) keyed by name where it has one.
fn named_list(list: &Node, prefix: &str, out: &mut Vec<KeyedValue>) {
    let items = list.items();
    if items.is_empty() {
        out.extend(flatten_node(list, prefix, list.span()));
    }
    for (i, item) in items.iter().enumerate() {
        let key = match text(item.get("name")).or(text(item.get("mountPath"))) {
            Some(n) => format!("{prefix}[{n}]"),
            None => format!("{prefix}[{i}]"),
        };
        out.extend(flatten_node(item, &key, item.span()));
    }
}

/// One side's pod spec as keyed values. `lone` names the container to key a lone
/// container by (so a renamed lone container still meets its counterpart).
fn keyed(w: &Node, lone: Option<&str>) -> Vec<KeyedValue> {
    let mut out = Vec::new();
    let pod = pod_spec(w);
    if let Some((k, v)) = pod.and_then(|p| p.get_entry("serviceAccountName")) {
        out.extend(flatten_node(v, "serviceAccountName", k.span()));
    }
    if let Some(v) = pod.and_then(|p| p.get("volumes")) {
        named_list(v, "volumes", &mut out);
    }
    let cs = containers(pod);
    for (i, c) in cs.iter().enumerate() {
        let name = match lone {
            Some(n) => n.to_string(),
            None => text(c.get("name")).map_or_else(|| i.to_string(), str::to_string),
        };
        let prefix = format!("containers[{name}]");
        for item in c.get("env").map(Node::items).unwrap_or_default() {
            let Some(name_node) = item.get("name") else {
                continue;
            };
            let Some(var) = name_node.as_str() else {
                continue;
            };
            let key = format!("{prefix}.env[{var}]");
            let (value, value_span, value_from) = if let Some((_, v)) = item.get_entry("value") {
                (v.as_str().unwrap_or_default().to_string(), v.span(), None)
            } else if let Some(from) = item.get("valueFrom") {
                let d = canary_lint_config::describe_value_from(from);
                (d.clone(), from.span(), Some(d))
            } else {
                let end = name_node.span().end;
                (String::new(), Span::new(end, end), None)
            };
            out.push(KeyedValue {
                key,
                value,
                value_from,
                key_span: name_node.span(),
                value_span,
            });
        }
        for field in CONTAINER_FIELDS {
            let Some((k, v)) = c.get_entry(field) else {
                continue;
            };
            let key = format!("{prefix}.{field}");
            if *field == "volumeMounts" {
                named_list(v, &key, &mut out);
            } else {
                out.extend(flatten_node(v, &key, k.span()));
            }
        }
    }
    out
}

/// The field a key belongs to, as a message names it (e.g. "container `app` resources",
/// "container `app` env `DB_URL`", "pod `volumes`"), and the container it is in.
/// Works on the normalised key, whose bracketed parts are verbatim.
fn field_of(key: &str) -> (String, Option<String>) {
    let segment = |rest: &str| -> String {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        rest[..end].to_string()
    };
    if let Some(rest) = key.strip_prefix("containers[") {
        let close = rest.find(']').unwrap_or(rest.len());
        let container = rest[..close].to_string();
        let rest = rest
            .get(close + 1..)
            .unwrap_or_default()
            .trim_start_matches('.');
        if let Some(var) = rest.strip_prefix("env[") {
            let var = &var[..var.find(']').unwrap_or(var.len())];
            return (
                format!("container `{container}` env `{var}`"),
                Some(container),
            );
        }
        let seg = segment(rest);
        let shown = CONTAINER_FIELDS
            .iter()
            .find(|f| f.to_ascii_lowercase() == seg)
            .map_or(seg.clone(), |f| (*f).to_string());
        return (format!("container `{container}` {shown}"), Some(container));
    }
    let seg = segment(key);
    let shown = match seg.as_str() {
        "serviceaccountname" => "serviceAccountName".to_string(),
        _ => seg,
    };
    (format!("pod `{shown}`"), None)
}

/// The key as written, without the container prefix (`resources.limits.memory`).
fn written(d: &KeyDiff<'_>) -> String {
    let key = d.canary.or(d.stable).map_or(d.key, |e| e.key.as_str());
    match key.strip_prefix("containers[") {
        Some(rest) => rest.find("].").map_or(key, |i| &rest[i + 2..]).to_string(),
        None => key.to_string(),
    }
}

/// What one differing key says: its values on both sides, as the comparison renders them.
/// An env variable is a field of its own: its key is already in the field's name.
fn describe(d: &KeyDiff<'_>) -> String {
    let key = written(d);
    let key = if key.starts_with("env[") || key == "serviceAccountName" {
        String::new()
    } else {
        format!("`{key}` ")
    };
    match (&d.canary_shown, &d.stable_shown) {
        _ if d.secret_only => format!("{key}only a secret differs (values not shown)"),
        (Some(c), Some(s)) => format!("{key}is `{c}` on the canary, `{s}` on stable"),
        (Some(c), None) => format!("{key}set only on the canary (`{c}`)"),
        (None, Some(s)) => format!("{key}set only on stable (`{s}`)"),
        (None, None) => key,
    }
}

/// How many differing keys a finding spells out.
const MAX_KEYS: usize = 3;

/// Where a side's finding points when it lacks the key: its container's name, else
/// the workload's name.
fn anchor(w: &Node, container: Option<&str>, lone: bool, name_span: Span) -> Span {
    let cs = containers(pod_spec(w));
    let c = if lone {
        cs.first()
    } else {
        cs.iter()
            .find(|c| container.is_some() && text(c.get("name")) == container)
    };
    c.and_then(|c| c.get("name")).map_or(name_span, Node::span)
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
        let (cc, sc) = (
            containers(pod_spec(&cr.root)),
            containers(pod_spec(&sr.root)),
        );
        let lone_name =
            (cc.len() == 1 && sc.len() == 1).then(|| text(cc[0].get("name")).unwrap_or("0"));
        let (stable, canary) =
            without_equal(keyed(&sr.root, lone_name), keyed(&cr.root, lone_name));
        if stable.is_empty() && canary.is_empty() {
            continue;
        }
        let canary = keyed_config(&cr.id(), canary);
        let stable = keyed_config(&sr.id(), stable);
        let secrets: Vec<String> = canary
            .secrets
            .iter()
            .chain(&stable.secrets)
            .cloned()
            .collect();
        let mut fields: BTreeMap<(String, Option<String>), Vec<KeyDiff<'_>>> = BTreeMap::new();
        for d in compare_keys(&stable, &canary) {
            fields.entry(field_of(d.key)).or_default().push(d);
        }
        for ((field, container), diffs) in fields {
            let lone = lone_name.is_some();
            let c_at = diffs
                .iter()
                .find_map(|d| d.canary.map(|e| e.value_span))
                .unwrap_or_else(|| anchor(&cr.root, container.as_deref(), lone, cr.name_span));
            let s_at = diffs
                .iter()
                .find_map(|d| d.stable.map(|e| e.value_span))
                .unwrap_or_else(|| anchor(&sr.root, container.as_deref(), lone, sr.name_span));
            let mut parts: Vec<String> = diffs.iter().take(MAX_KEYS).map(describe).collect();
            if diffs.len() > MAX_KEYS {
                parts.push(format!("{} more", diffs.len() - MAX_KEYS));
            }
            let message = scrub(
                &format!(
                    "canary {} and stable {} differ in {field}: {}",
                    cr.id(),
                    sr.id(),
                    parts.join("; ")
                ),
                &secrets,
            );
            let mut diag = ctx
                .diag(&RULE, c.res, c_at, message)
                .label("differs from stable")
                .help("generate both from one template that varies only the image and the version labels, or suppress with a reason if the change is part of the release");
            if diffs.iter().all(|d| d.secret_only) {
                diag.severity = Severity::Note;
            }
            diag.push_related(
                ctx.related(s.res, s_at, format!("stable {}", sr.id())),
                MAX_RELATED,
            );
            out.push(diag);
        }
    }
    out
}
