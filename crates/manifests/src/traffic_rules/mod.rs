//! The traffic rules, one file each; the doc comment of each is its documentation.
//! Adding a rule: its file, its fixtures under `testdata/traffic/<rule>/`, one line
//! in [`RULES`].

use crate::objects::Ctx;
use canary_lint_core::{Diagnostic, StaticRule};

mod alert_for_too_short;
mod alert_without_version_label;
mod all_traffic_to_canary;
mod analysis_window_mismatch;
mod canary_weight_above_max;
mod canary_without_pdb;
mod deployment_drift;
mod dns_weighted_canary;
mod flagger_max_weight_not_step_multiple;
mod flagger_missing_error_metric;
mod network_policy_misses_canary;
mod nginx_canary_not_enabled;
mod nginx_canary_without_main;
mod nginx_duplicate_canary;
mod nginx_weight_out_of_range;
mod retry_without_circuit_breaker;
mod rollout_weight_without_pause;
mod rollout_without_analysis;
mod service_selector_mismatch;
mod stable_min_replicas;
mod sticky_session_with_weights;
mod unknown_subset;
mod weights_not_100;

/// How a rule runs: over the whole run, returning its findings.
pub type Check = fn(&Ctx) -> Vec<Diagnostic>;

/// Related locations listed per finding.
pub const MAX_RELATED: usize = 5;

/// Every traffic rule and its check.
pub const RULES: &[(StaticRule, Check)] = &[
    (alert_for_too_short::RULE, alert_for_too_short::check),
    (
        alert_without_version_label::RULE,
        alert_without_version_label::check,
    ),
    (all_traffic_to_canary::RULE, all_traffic_to_canary::check),
    (
        analysis_window_mismatch::RULE,
        analysis_window_mismatch::check,
    ),
    (
        canary_weight_above_max::RULE,
        canary_weight_above_max::check,
    ),
    (canary_without_pdb::RULE, canary_without_pdb::check),
    (deployment_drift::RULE, deployment_drift::check),
    (dns_weighted_canary::RULE, dns_weighted_canary::check),
    (
        flagger_max_weight_not_step_multiple::RULE,
        flagger_max_weight_not_step_multiple::check,
    ),
    (
        flagger_missing_error_metric::RULE,
        flagger_missing_error_metric::check,
    ),
    (
        network_policy_misses_canary::RULE,
        network_policy_misses_canary::check,
    ),
    (
        nginx_canary_not_enabled::RULE,
        nginx_canary_not_enabled::check,
    ),
    (
        nginx_canary_without_main::RULE,
        nginx_canary_without_main::check,
    ),
    (nginx_duplicate_canary::RULE, nginx_duplicate_canary::check),
    (
        nginx_weight_out_of_range::RULE,
        nginx_weight_out_of_range::check,
    ),
    (
        retry_without_circuit_breaker::RULE,
        retry_without_circuit_breaker::check,
    ),
    (
        rollout_weight_without_pause::RULE,
        rollout_weight_without_pause::check,
    ),
    (
        rollout_without_analysis::RULE,
        rollout_without_analysis::check,
    ),
    (
        service_selector_mismatch::RULE,
        service_selector_mismatch::check,
    ),
    (stable_min_replicas::RULE, stable_min_replicas::check),
    (
        sticky_session_with_weights::RULE,
        sticky_session_with_weights::check,
    ),
    (unknown_subset::RULE, unknown_subset::check),
    (weights_not_100::RULE, weights_not_100::check),
];
