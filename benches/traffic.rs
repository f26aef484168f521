//! Benchmark of traffic-split manifests through the real `canary-lint` binary
//! (run: `cargo bench --bench traffic`).
//!
//! It writes 10,000 generated Kubernetes objects of mixed kinds (workloads,
//! Services, Istio routes and DestinationRules, Ingresses with NGINX canaries,
//! autoscalers, budgets, NetworkPolicies, PrometheusRules, Flagger Canaries, Argo
//! Rollouts), ten to a multi-document file, for 1,000 apps, some with a canary
//! mistake, then times whole `canary-lint check DIR` runs. Figures go into the
//! README by hand; this is a benchmark, not a test.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_canary-lint");
const APPS: usize = 1_000;

fn deployment(app: &str, track: &str, image: &str, memory: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}-{track}\n  labels:\n    app: {app}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: {app}\n      track: {track}\n  template:\n    metadata:\n      labels:\n        app: {app}\n        track: {track}\n    spec:\n      serviceAccountName: {app}\n      containers:\n        - name: {app}\n          image: registry.example.com/{app}:{image}\n          env:\n            - name: LOG_LEVEL\n              value: info\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: {app}-db\n                  key: password\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: 8080\n          resources:\n            limits:\n              memory: {memory}\n"
    )
}

/// One app's file: ten objects. Every seventh app has a mistake somewhere.
fn app_file(n: usize) -> String {
    let app = format!("svc{n:04}");
    let bad = n % 7 == 0;
    let mut s = String::new();
    s.push_str(&deployment(&app, "stable", "1.0.0", "512Mi"));
    s.push_str("---\n");
    s.push_str(&deployment(
        &app,
        "canary",
        "1.1.0",
        if bad { "256Mi" } else { "512Mi" },
    ));
    let _ = write!(
        s,
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\nspec:\n  selector:\n    app: {app}\n  ports:\n    - port: 80\n      targetPort: 8080\n"
    );
    let (ws, wc) = if bad { (0, 100) } else { (90, 10) };
    let subset = if n % 11 == 0 { "canry" } else { "canary" };
    let _ = write!(
        s,
        "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: {app}\nspec:\n  hosts:\n    - {app}\n  http:\n    - match:\n        - headers:\n            x-canary:\n              exact: always\n      route:\n        - destination:\n            host: {app}\n            subset: canary\n    - route:\n        - destination:\n            host: {app}\n            subset: stable\n          weight: {ws}\n        - destination:\n            host: {app}\n            subset: {subset}\n          weight: {wc}\n      retries:\n        attempts: 3\n        perTryTimeout: 2s\n"
    );
    let _ = write!(
        s,
        "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: {app}\nspec:\n  host: {app}.prod.svc.cluster.local\n  trafficPolicy:\n    outlierDetection:\n      consecutive5xxErrors: 5\n      interval: 10s\n  subsets:\n    - name: stable\n      labels:\n        track: stable\n    - name: canary\n      labels:\n        track: canary\n"
    );
    let _ = write!(
        s,
        "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {app}-stable\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {app}-stable\n  minReplicas: {}\n  maxReplicas: 20\n",
        if bad { 1 } else { 3 }
    );
    let _ = write!(
        s,
        "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {app}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: {app}\n"
    );
    let _ = write!(
        s,
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {app}\nspec:\n  podSelector:\n    matchLabels:\n      app: {app}\n  policyTypes:\n    - Ingress\n"
    );
    let by = if bad { "app" } else { "app, version" };
    let _ = write!(
        s,
        "---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: {app}\nspec:\n  groups:\n    - name: {app}\n      rules:\n        - alert: {app}Errors\n          expr: sum(rate(http_requests_total{{app=\"{app}\",code=~\"5..\"}}[5m])) by ({by}) > 1\n          for: 5m\n"
    );
    match n % 3 {
        0 => {
            let _ = write!(
                s,
                "---\napiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata:\n  name: {app}-flagger\nspec:\n  targetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {app}-next\n  analysis:\n    interval: 1m\n    maxWeight: 50\n    stepWeight: {}\n    metrics:\n      - name: request-success-rate\n        thresholdRange:\n          min: 99\n",
                if bad { 15 } else { 10 }
            );
        }
        1 => {
            let _ = write!(
                s,
                "---\napiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: {app}-rollout\nspec:\n  strategy:\n    canary:\n      steps:\n        - setWeight: 10\n        - pause: {{duration: 5m}}\n        - analysis:\n            templates:\n              - templateName: error-rate\n        - setWeight: 50\n"
            );
        }
        _ => {
            let _ = write!(
                s,
                "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {app}-canary\n  annotations:\n    nginx.ingress.kubernetes.io/canary: \"true\"\n    nginx.ingress.kubernetes.io/canary-weight: \"10\"\nspec:\n  rules:\n    - host: {app}.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: {app}-canary\n                port:\n                  number: 80\n"
            );
        }
    }
    s
}

fn run(dir: &Path) -> (Duration, usize) {
    let start = Instant::now();
    let out = Command::new(BIN)
        .args(["check", ".", "--format", "compact"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run canary-lint");
    let wall = start.elapsed();
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "canary-lint failed ({code}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (wall, String::from_utf8_lossy(&out.stdout).lines().count())
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `TRAFFIC_BENCH_KEEP=DIR`: also write the files there (for a profiler).
    let keep = std::env::var_os("TRAFFIC_BENCH_KEEP").map(std::path::PathBuf::from);
    let mut bytes = 0;
    let mut objects = 0;
    for n in 0..APPS {
        let text = app_file(n);
        objects += text.matches("\nkind: ").count() + usize::from(text.starts_with("kind: "));
        bytes += text.len();
        std::fs::write(dir.path().join(format!("{n:04}-app.yaml")), &text).expect("write");
        if let Some(k) = &keep {
            std::fs::create_dir_all(k).expect("keep dir");
            std::fs::write(k.join(format!("{n:04}-app.yaml")), &text).expect("write");
        }
    }
    let mut walls = Vec::new();
    let mut findings = 0;
    for _ in 0..7 {
        let (w, f) = run(dir.path());
        walls.push(w);
        findings = f;
    }
    walls.sort();
    println!(
        "traffic: {objects} objects in {APPS} files ({:.1} MB), {findings} findings: best {:.0} ms, median {:.0} ms, worst {:.0} ms",
        bytes as f64 / 1e6,
        walls[0].as_secs_f64() * 1e3,
        walls[walls.len() / 2].as_secs_f64() * 1e3,
        walls[walls.len() - 1].as_secs_f64() * 1e3,
    );
}
