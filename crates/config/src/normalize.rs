//! Key normalisation after Spring Boot's relaxed binding.
//!
//! Spring compares property names segment by segment, ignoring case and the `-` and `_`
//! characters inside a segment. So `spring.datasource.hikari.maximum-pool-size`,
//! `spring.datasource.hikari.maximumPoolSize` and `...maximum_pool_size` are one property;
//! [`normalize_key`] maps all three to `spring.datasource.hikari.maximumpoolsize`.
//!
//! Environment variables are the awkward case: in `SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE`
//! an `_` may separate two segments or sit inside one, so the segments cannot be recovered
//! from the name alone. Spring itself reads `_` as `.` ([`env_to_key`]), which only finds the
//! property when each segment has no inner separator (`MAXIMUMPOOLSIZE`). canary-lint matches
//! env-style names with a second key form: [`flat_key`] drops every separator (`.`, `-`, `_`,
//! brackets), giving `springdatasourcehikarimaximumpoolsize` for every spelling above. When
//! the other entries of the pair have a dotted key with the same flat form, the env entry is
//! compared under that dotted key; otherwise under Spring's `_`-as-`.` reading.
//!
//! Finally [`canonical_key`] maps properties Spring Boot 3 moved (`spring.redis.*` to
//! `spring.data.redis.*`) to their new name, so a canary that upgrades Boot is compared
//! setting by setting with stable.

/// Relaxed-binding form of a dotted key: segment-wise lower case, `-` and `_` removed.
/// Bracketed parts (`[0]`, `[my.map.key]`) are kept verbatim.
pub fn normalize_key(key: &str) -> String {
    if key.is_ascii() && !key.contains('[') {
        return key
            .bytes()
            .filter(|b| !matches!(b, b'-' | b'_'))
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    let mut out = String::with_capacity(key.len());
    let mut depth = 0usize;
    for c in key.chars() {
        match c {
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' => {
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            _ if depth > 0 => out.push(c),
            '-' | '_' => {}
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Spring Boot 3 moved some properties; a canary that upgrades Boot spells the same setting
/// under the new name. Normalised keys under an old prefix are compared under the new one.
const MOVED: &[(&str, &str)] = &[("spring.redis.", "spring.data.redis.")];

/// A normalised key with Spring Boot 3's property moves applied (`spring.redis.host` is
/// compared as `spring.data.redis.host`).
pub fn canonical_key(norm: String) -> String {
    for (old, new) in MOVED {
        if let Some(rest) = norm.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    norm
}

/// Spring's reading of an environment variable name: lower case, `_` separates segments,
/// an all-digit segment is a list index (`MY_LIST_0_NAME` is `my.list[0].name`).
pub fn env_to_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    for seg in name.split('_').filter(|s| !s.is_empty()) {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) && !out.is_empty() {
            out.push('[');
            out.push_str(seg);
            out.push(']');
            continue;
        }
        if !out.is_empty() {
            out.push('.');
        }
        for c in seg.chars() {
            if c != '-' {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

/// The second key form: lower case with every separator removed. Two keys that differ only
/// in where segments are split have the same flat form.
pub fn flat_key(key: &str) -> String {
    if key.is_ascii() {
        return key
            .bytes()
            .filter(|b| !matches!(b, b'.' | b'-' | b'_' | b'[' | b']'))
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    key.chars()
        .filter(|c| !matches!(c, '.' | '-' | '_' | '[' | ']'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a key looks like an environment variable: no `.`, no lower-case letter, and at
/// least one letter (`SPRING_DATASOURCE_URL`, `LOG_FORMAT`, `PORT`).
pub fn is_env_form(key: &str) -> bool {
    !key.contains('.')
        && !key.chars().any(|c| c.is_lowercase())
        && key.chars().any(|c| c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_forms_are_one_key() {
        let want = "spring.datasource.hikari.maximumpoolsize";
        assert_eq!(
            normalize_key("spring.datasource.hikari.maximum-pool-size"),
            want
        );
        assert_eq!(
            normalize_key("spring.datasource.hikari.maximumPoolSize"),
            want
        );
        assert_eq!(
            normalize_key("spring.datasource.hikari.maximum_pool_size"),
            want
        );
        assert_eq!(
            normalize_key("Spring.DataSource.Hikari.MAXIMUM-POOL-SIZE"),
            want
        );
    }

    #[test]
    fn boot3_moves_apply() {
        assert_eq!(
            canonical_key(normalize_key("spring.redis.host")),
            "spring.data.redis.host"
        );
        assert_eq!(
            canonical_key(env_to_key("SPRING_REDIS_PORT")),
            "spring.data.redis.port"
        );
        assert_eq!(
            canonical_key("spring.data.redis.host".into()),
            "spring.data.redis.host"
        );
    }

    #[test]
    fn brackets_are_kept_verbatim() {
        assert_eq!(
            normalize_key("my.list[0].first-name"),
            "my.list[0].firstname"
        );
        assert_eq!(
            normalize_key("logging.level[org.Foo_Bar]"),
            "logging.level[org.Foo_Bar]"
        );
    }

    #[test]
    fn env_names_read_as_spring_does() {
        assert_eq!(env_to_key("SPRING_DATASOURCE_URL"), "spring.datasource.url");
        assert_eq!(
            env_to_key("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE"),
            "spring.datasource.hikari.maximumpoolsize"
        );
        assert_eq!(env_to_key("MY_LIST_0_NAME"), "my.list[0].name");
        assert!(is_env_form("SPRING_DATASOURCE_URL"));
        assert!(is_env_form("PORT"));
        assert!(!is_env_form("spring.datasource.url"));
        assert!(!is_env_form("server_port"));
    }

    #[test]
    fn flat_form_matches_env_names_with_inner_underscores() {
        let dotted = normalize_key("spring.datasource.hikari.maximum-pool-size");
        assert_eq!(
            flat_key(&dotted),
            flat_key("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE")
        );
        assert_eq!(
            flat_key(&dotted),
            flat_key("SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE")
        );
        assert_eq!(flat_key("my.list[0].name"), flat_key("MY_LIST_0_NAME"));
    }
}
