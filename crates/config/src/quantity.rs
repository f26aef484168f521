//! Numbers and durations in config values, compared by the `ratio-max`,
//! `not-greater` and `not-less` checks of rule packs.

/// A number, or a duration in milliseconds; the flag says whether a unit was given.
/// Accepts `30`, `1.5`, `500ms`, `5s`, `2m`, `1h`, `1d`, `100us`, `PT5S`, `PT1M30S`.
pub(crate) fn quantity(text: &str) -> Option<(f64, bool)> {
    let t = text.trim().to_ascii_lowercase();
    if t.is_empty() {
        return None;
    }
    if let Ok(v) = t.parse::<f64>() {
        return v.is_finite().then_some((v, false));
    }
    if let Some(rest) = t.strip_prefix("pt") {
        let mut ms = 0.0;
        let mut num = String::new();
        for c in rest.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                continue;
            }
            let v: f64 = num.parse().ok()?;
            num.clear();
            ms += v * match c {
                'h' => 3_600_000.0,
                'm' => 60_000.0,
                's' => 1000.0,
                _ => return None,
            };
        }
        return num.is_empty().then_some((ms, true));
    }
    let units: [(&str, f64); 8] = [
        ("ns", 1e-6),
        ("us", 1e-3),
        ("µs", 1e-3),
        ("ms", 1.0),
        ("s", 1000.0),
        ("m", 60_000.0),
        ("h", 3_600_000.0),
        ("d", 86_400_000.0),
    ];
    for (unit, factor) in units {
        if let Some(num) = t.strip_suffix(unit) {
            if let Ok(v) = num.trim().parse::<f64>() {
                return Some((v * factor, true));
            }
        }
    }
    None
}
