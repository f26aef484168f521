//! Objects related across files, and canary and stable recognised.
//!
//! Without configuration, the canary side is what conventions say it is: Argo
//! Rollouts' `canaryService`/`stableService`; Flagger's `targetRef` (the workload
//! that receives the new version) and the `-primary`/`-canary` objects Flagger
//! generates; NGINX Ingresses annotated `canary: "true"`; names and label values
//! `canary`/`stable` (or ending in `-canary`, `-stable`, `-primary`), such as
//! `track: canary`; and versions (`v1`/`v2` subsets or `version` labels), the
//! lower one stable. `[traffic] canary`/`stable` replace the naming conventions.

mod routes;

use crate::doc::Resource;
use crate::util::{labels, path, short_host, text, version_key};
use crate::Settings;
use canary_lint_config::yaml::Node;
use canary_lint_core::{Diagnostic, Related, SourceFile, Span, StaticRule};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which side of a canary release an object belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Canary,
    Stable,
}

/// A workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Argo Rollout).
#[derive(Debug, Clone)]
pub struct Workload {
    pub res: usize,
    pub app: String,
    pub role: Option<Role>,
    /// The pod template's labels.
    pub labels: BTreeMap<String, String>,
}

/// A Service and what it selects.
#[derive(Debug, Clone)]
pub struct Service {
    pub res: usize,
    pub app: String,
    pub role: Option<Role>,
    pub selector: BTreeMap<String, String>,
}

/// Everything a rule may ask about the run.
#[derive(Debug)]
pub struct Ctx<'a> {
    pub files: &'a [SourceFile],
    pub res: Vec<Resource>,
    pub settings: &'a Settings,
    pub workloads: Vec<Workload>,
    pub services: Vec<Service>,
    /// (host, subset) -> role, from the DestinationRules.
    subset_roles: HashMap<(String, String), Role>,
    canary_apps: BTreeSet<String>,
    /// Indexes: objects by kind, DestinationRules by host, Services and workloads by name.
    by_kind: HashMap<String, Vec<usize>>,
    rules_by_host: HashMap<String, Vec<usize>>,
    service_by_name: HashMap<String, usize>,
    workload_by_name: HashMap<String, usize>,
    workloads_by_app: HashMap<String, Vec<usize>>,
    /// Every route of the run (read by `objects::routes`).
    pub routes: Vec<routes::Route>,
    /// Weighted DNS records read from Terraform files.
    pub dns_records: Vec<crate::terraform::WeightedRecord>,
    /// Workloads by (app label, value) of their pod template.
    by_app_label: HashMap<(String, String), Vec<usize>>,
}

/// The labels that name an app.
const APP_LABELS: &[&str] = &["app.kubernetes.io/name", "app", "k8s-app"];

const WORKLOAD_KINDS: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Rollout",
];

/// The app a name belongs to: the name without a role suffix.
pub fn strip_role(name: &str) -> &str {
    for suffix in ["-canary", "-stable", "-primary"] {
        if let Some(s) = name.strip_suffix(suffix) {
            if !s.is_empty() {
                return s;
            }
        }
    }
    name
}

fn app_of(labels: &BTreeMap<String, String>, name: &str) -> String {
    ["app.kubernetes.io/name", "app", "k8s-app"]
        .iter()
        .find_map(|k| labels.get(*k))
        .map_or_else(
            || strip_role(name).to_string(),
            |v| strip_role(v).to_string(),
        )
}

impl<'a> Ctx<'a> {
    pub fn new(files: &'a [SourceFile], res: Vec<Resource>, settings: &'a Settings) -> Self {
        let mut ctx = Ctx {
            files,
            res,
            settings,
            workloads: Vec::new(),
            services: Vec::new(),
            subset_roles: HashMap::new(),
            canary_apps: BTreeSet::new(),
            by_kind: HashMap::new(),
            rules_by_host: HashMap::new(),
            service_by_name: HashMap::new(),
            workload_by_name: HashMap::new(),
            workloads_by_app: HashMap::new(),
            by_app_label: HashMap::new(),
            routes: Vec::new(),
            dns_records: Vec::new(),
        };
        for (i, r) in ctx.res.iter().enumerate() {
            ctx.by_kind.entry(r.kind.clone()).or_default().push(i);
            if r.kind == "DestinationRule" {
                if let Some(h) = text(path(&r.root, &["spec", "host"])) {
                    ctx.rules_by_host
                        .entry(short_host(h).to_string())
                        .or_default()
                        .push(i);
                }
            }
        }
        ctx.recognise();
        ctx
    }

    /// The role a name or label value says, by `[traffic]` or by convention.
    pub fn name_role(&self, name: &str) -> Option<Role> {
        let s = self.settings;
        let canary = if s.canary.is_empty() {
            name == "canary" || name.ends_with("-canary")
        } else {
            s.canary.iter().any(|c| c == name)
        };
        if canary {
            return Some(Role::Canary);
        }
        let stable = if s.stable.is_empty() {
            name == "stable" || name.ends_with("-stable") || name.ends_with("-primary")
        } else {
            s.stable.iter().any(|c| c == name)
        };
        stable.then_some(Role::Stable)
    }

    /// The role label values say (`track: canary`), ignoring the app's own name.
    pub fn labels_role(&self, labels: &BTreeMap<String, String>) -> Option<Role> {
        labels
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "app" | "app.kubernetes.io/name" | "k8s-app"))
            .find_map(|(_, v)| self.name_role(v))
    }

    fn recognise(&mut self) {
        // Workloads.
        for (i, r) in self.res.iter().enumerate() {
            if !WORKLOAD_KINDS.contains(&r.kind.as_str()) {
                continue;
            }
            let pod = labels(path(&r.root, &["spec", "template", "metadata", "labels"]));
            let meta = labels(path(&r.root, &["metadata", "labels"]));
            let app = if pod.is_empty() {
                app_of(&meta, &r.name)
            } else {
                app_of(&pod, &r.name)
            };
            let role = self
                .name_role(&r.name)
                .or_else(|| self.labels_role(&pod))
                .or_else(|| self.labels_role(&meta));
            self.workloads.push(Workload {
                res: i,
                app,
                role,
                labels: pod,
            });
        }
        for (i, w) in self.workloads.iter().enumerate() {
            self.workloads_by_app
                .entry(w.app.clone())
                .or_default()
                .push(i);
            for k in APP_LABELS {
                if let Some(v) = w.labels.get(*k) {
                    self.by_app_label
                        .entry((k.to_string(), v.clone()))
                        .or_default()
                        .push(i);
                }
            }
            self.workload_by_name
                .entry(self.res[w.res].name.clone())
                .or_insert(i);
        }
        // Flagger: the target receives the new version; Flagger makes `-primary`.
        let mut flagger_targets = Vec::new();
        let mut argo = Vec::new();
        for r in &self.res {
            if r.kind == "Canary" && r.group() == "flagger.app" {
                if let Some(t) = text(path(&r.root, &["spec", "targetRef", "name"])) {
                    flagger_targets.push(t.to_string());
                }
            }
            if r.kind == "Rollout" && path(&r.root, &["spec", "strategy", "canary"]).is_some() {
                let c = path(&r.root, &["spec", "strategy", "canary"]);
                let cs = text(c.and_then(|c| c.get("canaryService"))).map(str::to_string);
                let ss = text(c.and_then(|c| c.get("stableService"))).map(str::to_string);
                argo.push((r.name.clone(), cs, ss));
            }
        }
        for w in &mut self.workloads {
            let name = &self.res[w.res].name;
            if flagger_targets.iter().any(|t| t == name) && w.role.is_none() {
                w.role = Some(Role::Canary);
            }
            if flagger_targets.iter().any(|t| t == name) {
                self.canary_apps.insert(w.app.clone());
            }
            if argo.iter().any(|(n, _, _)| n == name) {
                self.canary_apps.insert(w.app.clone());
            }
        }
        for t in &flagger_targets {
            self.canary_apps.insert(strip_role(t).to_string());
        }
        // Versions: the lower one is stable, the highest the canary.
        let mut by_app: BTreeMap<String, Vec<(Vec<u64>, usize)>> = BTreeMap::new();
        for (i, w) in self.workloads.iter().enumerate() {
            if w.role.is_some() {
                continue;
            }
            if let Some(k) = w
                .labels
                .get(&self.settings.version_label)
                .and_then(|v| version_key(v))
            {
                by_app.entry(w.app.clone()).or_default().push((k, i));
            }
        }
        for (_, mut list) in by_app {
            list.sort();
            let distinct: BTreeSet<&Vec<u64>> = list.iter().map(|(k, _)| k).collect();
            if distinct.len() < 2 {
                continue;
            }
            let (low, high) = (list[0].0.clone(), list[list.len() - 1].0.clone());
            for (k, i) in &list {
                if *k == low {
                    self.workloads[*i].role = Some(Role::Stable);
                } else if *k == high {
                    self.workloads[*i].role = Some(Role::Canary);
                }
            }
        }
        // Services.
        for (i, r) in self.res.iter().enumerate() {
            if r.kind != "Service" || !r.api_version.starts_with('v') {
                continue;
            }
            let selector = labels(path(&r.root, &["spec", "selector"]));
            let app = if selector.is_empty() {
                strip_role(&r.name).to_string()
            } else {
                app_of(&selector, &r.name)
            };
            let mut role = argo.iter().find_map(|(_, cs, ss)| {
                if cs.as_deref() == Some(r.name.as_str()) {
                    Some(Role::Canary)
                } else if ss.as_deref() == Some(r.name.as_str()) {
                    Some(Role::Stable)
                } else {
                    None
                }
            });
            role = role
                .or_else(|| self.name_role(&r.name))
                .or_else(|| self.labels_role(&selector));
            if role.is_none() && !selector.is_empty() {
                let selected: BTreeSet<Option<Role>> =
                    self.selected(&selector).map(|w| w.role).collect();
                if selected.len() == 1 {
                    role = selected.into_iter().next().flatten();
                }
            }
            self.services.push(Service {
                res: i,
                app,
                role,
                selector,
            });
        }
        for (i, sv) in self.services.iter().enumerate() {
            self.service_by_name
                .entry(self.res[sv.res].name.clone())
                .or_insert(i);
        }
        for (_, cs, _) in &argo {
            if let Some(cs) = cs {
                self.canary_apps.insert(self.host_app(cs));
            }
        }
        for (n, _, _) in &argo {
            self.canary_apps.insert(strip_role(n).to_string());
        }
        // DestinationRule subsets.
        let mut subset_roles = HashMap::new();
        for r in self.of_kind("DestinationRule") {
            let Some(host) = text(path(&r.root, &["spec", "host"])) else {
                continue;
            };
            let host = short_host(host).to_string();
            let subsets = path(&r.root, &["spec", "subsets"])
                .map(Node::items)
                .unwrap_or_default();
            let mut versions = Vec::new();
            for s in subsets {
                let Some(name) = text(s.get("name")) else {
                    continue;
                };
                let l = labels(s.get("labels"));
                let role = self
                    .name_role(name)
                    .or_else(|| self.labels_role(&l))
                    .or_else(|| {
                        // Subset labels apply to the pods the host's Service selects.
                        let app = self.host_app(&host);
                        let roles: BTreeSet<Option<Role>> = self
                            .workloads_of_app(&app)
                            .filter(|w| {
                                !l.is_empty() && l.iter().all(|(k, v)| w.labels.get(k) == Some(v))
                            })
                            .map(|w| w.role)
                            .collect();
                        (roles.len() == 1)
                            .then(|| roles.into_iter().next().flatten())
                            .flatten()
                    });
                match role {
                    Some(role) => {
                        subset_roles.insert((host.clone(), name.to_string()), role);
                    }
                    None => {
                        let v = version_key(name).or_else(|| {
                            l.get(&self.settings.version_label)
                                .and_then(|v| version_key(v))
                        });
                        if let Some(v) = v {
                            versions.push((v, name.to_string()));
                        }
                    }
                }
            }
            versions.sort();
            let distinct: BTreeSet<&Vec<u64>> = versions.iter().map(|(k, _)| k).collect();
            if distinct.len() >= 2 {
                let (low, high) = (
                    versions[0].0.clone(),
                    versions[versions.len() - 1].0.clone(),
                );
                for (k, name) in &versions {
                    let role = if *k == low {
                        Role::Stable
                    } else if *k == high {
                        Role::Canary
                    } else {
                        continue;
                    };
                    subset_roles.insert((host.clone(), name.clone()), role);
                }
            }
        }
        self.subset_roles = subset_roles;
        // Apps that have a canary.
        let mut apps: BTreeSet<String> = BTreeSet::new();
        for w in &self.workloads {
            if w.role == Some(Role::Canary) {
                apps.insert(w.app.clone());
            }
        }
        for s in &self.services {
            if s.role == Some(Role::Canary) {
                apps.insert(s.app.clone());
            }
        }
        for ((host, _), role) in &self.subset_roles {
            if *role == Role::Canary {
                apps.insert(self.host_app(host));
            }
        }
        for r in self.of_kind("Ingress") {
            if crate::nginx::is_canary(r) {
                for (_, svc, _) in crate::nginx::backends(r) {
                    apps.insert(self.host_app(&svc));
                }
            }
        }
        self.routes = routes::weighted_routes(self);
        for route in &self.routes {
            for d in &route.dests {
                if d.role == Some(Role::Canary) {
                    apps.insert(self.host_app(&d.host));
                }
            }
        }
        self.canary_apps.extend(apps);
    }

    /// The objects of one kind.
    pub fn of_kind<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Resource> + 's {
        self.indexed(kind).map(|(_, r)| r)
    }

    /// The objects of one kind, with their index.
    pub fn indexed<'s>(
        &'s self,
        kind: &'s str,
    ) -> impl Iterator<Item = (usize, &'s Resource)> + 's {
        self.by_kind
            .get(kind)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(move |&i| (i, &self.res[i]))
    }

    /// The workloads of one app.
    pub fn workloads_of_app<'s>(&'s self, app: &str) -> impl Iterator<Item = &'s Workload> + 's {
        self.workloads_by_app
            .get(app)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(move |&i| &self.workloads[i])
    }

    /// The workloads whose pod labels a selector matches (by the app label's index
    /// when the selector has one).
    pub fn selected<'s>(
        &'s self,
        selector: &'s BTreeMap<String, String>,
    ) -> Box<dyn Iterator<Item = &'s Workload> + 's> {
        let matches = move |w: &&Workload| selector.iter().all(|(k, v)| w.labels.get(k) == Some(v));
        let keyed = APP_LABELS
            .iter()
            .find_map(|k| Some((*k, selector.get(*k)?)));
        match keyed {
            Some((k, v)) => Box::new(
                self.by_app_label
                    .get(&(k.to_string(), v.clone()))
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(move |&i| &self.workloads[i])
                    .filter(matches),
            ),
            None => Box::new(self.workloads.iter().filter(matches)),
        }
    }

    /// The app a host or Service name belongs to.
    pub fn host_app(&self, host: &str) -> String {
        let short = short_host(host);
        self.service_by_name.get(short).map_or_else(
            || strip_role(short).to_string(),
            |&i| self.services[i].app.clone(),
        )
    }

    /// The apps that have a canary in this run.
    pub fn canary_apps(&self) -> impl Iterator<Item = &String> {
        self.canary_apps.iter()
    }

    /// Whether an app has a canary in this run.
    pub fn has_canary(&self, app: &str) -> bool {
        self.canary_apps.contains(app)
    }

    /// The role of a route destination: its subset's, else its host's Service's,
    /// else what the host's name says.
    pub fn destination_role(&self, host: &str, subset: Option<&str>) -> Option<Role> {
        let short = short_host(host);
        if let Some(sub) = subset {
            return self
                .subset_roles
                .get(&(short.to_string(), sub.to_string()))
                .copied()
                .or_else(|| self.name_role(sub));
        }
        self.service_role(short)
    }

    /// The role of a Service (or backend) by name.
    pub fn service_role(&self, name: &str) -> Option<Role> {
        self.service_by_name
            .get(name)
            .and_then(|&i| self.services[i].role)
            .or_else(|| self.name_role(name))
    }

    /// The DestinationRules for a host.
    pub fn destination_rules(&self, host: &str) -> Vec<usize> {
        self.rules_by_host
            .get(short_host(host))
            .cloned()
            .unwrap_or_default()
    }

    /// The workload with this name (and, when given, kind).
    pub fn workload_named(&self, name: &str) -> Option<&Workload> {
        self.workload_by_name.get(name).map(|&i| &self.workloads[i])
    }

    /// A finding at `span` of object `res`.
    pub fn diag(
        &self,
        rule: &StaticRule,
        res: usize,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, &self.files[self.res[res].file], span, message)
    }

    /// A related location at `span` of file `file`.
    pub fn related_in(&self, file: usize, span: Span, message: impl Into<String>) -> Related {
        let f = &self.files[file];
        let p = f.position(span.start);
        Related {
            file: f.path.to_string(),
            line: p.line,
            column: p.column,
            message: message.into(),
        }
    }

    /// A related location at `span` of object `res`.
    pub fn related(&self, res: usize, span: Span, message: impl Into<String>) -> Related {
        let f = &self.files[self.res[res].file];
        let p = f.position(span.start);
        Related {
            file: f.path.to_string(),
            line: p.line,
            column: p.column,
            message: message.into(),
        }
    }

    /// The text of the file object `res` is in.
    pub fn source(&self, res: usize) -> &str {
        &self.files[self.res[res].file].text
    }
}
