//! Benchmark builds only (`--features bench-stats`): with `CANARY_LINT_STATS=1`
//! set, the process prints its peak resident memory and the CPU time of all its
//! threads to standard error when it ends (`benches/throughput.rs` reads them).
//! The shipped binary has neither this module nor the variable.

/// Prints the figures when `CANARY_LINT_STATS` is set.
pub fn print_if_asked() {
    if std::env::var_os("CANARY_LINT_STATS").is_some() {
        print();
    }
}

/// Peak resident memory and CPU time of all threads, for the benchmark
/// (`CANARY_LINT_STATS=1`).
fn print() {
    // Each thread's time on a CPU in nanoseconds is the first field of its
    // schedstat; rayon's threads are still alive here.
    let cpu_ns: u64 = std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    if cpu_ns > 0 {
        eprintln!("canary-lint stats: cpu_us={}", cpu_ns / 1000);
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(kib) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .map(|v| v.trim().trim_end_matches("kB").trim().to_string())
    {
        eprintln!("canary-lint stats: peak_rss_kib={kib}");
    }
}
