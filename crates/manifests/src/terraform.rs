//! Terraform files, read with positions (the `hcl-edit` parser keeps byte spans):
//! the `aws_route53_record` resources that carry a `weighted_routing_policy`.
//! Nothing else of Terraform is judged.

use canary_lint_core::{SourceFile, Span};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::Span as _;

/// One weighted Route 53 record.
#[derive(Debug, Clone)]
pub struct WeightedRecord {
    /// Index of the file in the run.
    pub file: usize,
    /// The resource's Terraform name (`aws_route53_record.NAME`).
    pub name: String,
    /// The `name` attribute (the DNS name), when it is a plain string.
    pub record: Option<String>,
    /// The `set_identifier` attribute, when it is a plain string.
    pub set_identifier: Option<String>,
    /// The `weight` value as written, and where.
    pub weight: String,
    pub weight_span: Span,
    /// Where the resource's block starts (for related locations).
    pub start: Span,
}

/// Whether `path` names a Terraform file.
pub fn is_terraform(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tf"))
}

/// Whether a Terraform file's text may hold what this engine reads.
pub fn looks_like_route53(text: &str) -> bool {
    text.contains("aws_route53_record")
}

fn span_of(s: Option<std::ops::Range<usize>>) -> Span {
    s.map_or(Span::new(0, 0), |r| Span::new(r.start, r.end))
}

fn string_attr(body: &Body, key: &str) -> Option<String> {
    body.get_attribute(key)
        .and_then(|a| a.value.as_str())
        .map(str::to_string)
}

fn record(file: usize, text: &str, block: &Block) -> Option<WeightedRecord> {
    let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
    if !block.has_ident("resource") || labels.first() != Some(&"aws_route53_record") {
        return None;
    }
    let policy = block.body.get_blocks("weighted_routing_policy").next()?;
    let weight = policy.body.get_attribute("weight")?;
    let raw = span_of(weight.value.span());
    let slice = text.get(raw.start..raw.end).unwrap_or_default();
    let lead = slice.len() - slice.trim_start().len();
    let written = slice.trim().to_string();
    let weight_span = Span::new(raw.start + lead, raw.start + lead + written.len());
    Some(WeightedRecord {
        file,
        name: labels.get(1).copied().unwrap_or_default().to_string(),
        record: string_attr(&block.body, "name"),
        set_identifier: string_attr(&block.body, "set_identifier"),
        weight: written,
        weight_span,
        start: span_of(block.span()),
    })
}

/// Reads file `index`: its weighted records, or an error `path:line:column: message`.
pub fn read(index: usize, file: &SourceFile) -> (Vec<WeightedRecord>, Vec<String>) {
    match hcl_edit::parser::parse_body(&file.text) {
        Ok(body) => (
            body.blocks()
                .filter_map(|b| record(index, &file.text, b))
                .collect(),
            Vec::new(),
        ),
        Err(e) => (
            Vec::new(),
            vec![format!(
                "{}:{}:{}: malformed Terraform: {}",
                file.path,
                e.location().line(),
                e.location().column(),
                e.message()
            )],
        ),
    }
}

/// The value spans of attributes whose key names a secret (`password`,
/// `db_password`, `api_key` ..., the config crate's judgement), in every block.
fn secret_values(body: &Body, out: &mut Vec<Span>) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                if canary_lint_config::is_secret_key(a.key.as_str()) {
                    if let Some(r) = a.value.span() {
                        out.push(Span::new(r.start, r.end));
                    }
                }
            }
            Structure::Block(b) => secret_values(&b.body, out),
        }
    }
}

/// The file as a report may show it: the values of secret-named attributes
/// replaced by `*` (same length, line ends kept). A file that does not parse is
/// shown as read (its secret shapes were masked when it was read).
pub fn masked(file: &SourceFile) -> SourceFile {
    let Ok(body) = hcl_edit::parser::parse_body(&file.text) else {
        return file.clone();
    };
    let mut spans = Vec::new();
    secret_values(&body, &mut spans);
    if spans.is_empty() {
        return file.clone();
    }
    let mut ranges: Vec<std::ops::Range<usize>> = spans.iter().map(|s| s.start..s.end).collect();
    SourceFile::new(
        file.path.to_string(),
        canary_lint_config::mask_ranges(&file.text, &mut ranges),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn secret_named_attributes_are_masked_in_every_block() {
        let text = "resource \"aws_route53_record\" \"a\" {\n  db_password = \"Zq9-Secret\"\n  name = \"x\"\n  weighted_routing_policy {\n    api_key = \"k-123456\"\n    weight = 10\n  }\n}\n";
        let m = masked(&SourceFile::new("dns.tf", text));
        assert!(!m.text.contains("Zq9-Secret"), "{}", m.text);
        assert!(!m.text.contains("k-123456"), "{}", m.text);
        assert!(m.text.contains("name = \"x\""));
        assert_eq!(m.text.len(), text.len());
    }

    #[test]
    fn reads_weight_with_its_position() {
        let text = "resource \"aws_route53_record\" \"shop_canary\" {\n  name           = \"shop.example.com\"\n  set_identifier = \"shop-canary\"\n  weighted_routing_policy {\n    weight = 10\n  }\n}\n";
        let (recs, errs) = read(0, &SourceFile::new("dns.tf", text));
        assert!(errs.is_empty());
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        assert_eq!(r.name, "shop_canary");
        assert_eq!(r.record.as_deref(), Some("shop.example.com"));
        assert_eq!(r.set_identifier.as_deref(), Some("shop-canary"));
        assert_eq!(r.weight, "10");
        assert_eq!(&text[r.weight_span.start..r.weight_span.end].trim(), &"10");
    }

    #[test]
    fn malformed_file_is_an_error_with_its_line() {
        let text = "resource \"aws_route53_record\" \"x\" {\n  name = \"a\"\n  weighted_routing_policy {\n    weight = \n}\n";
        let (recs, errs) = read(0, &SourceFile::new("bad.tf", text));
        assert!(recs.is_empty());
        assert_eq!(errs.len(), 1);
        assert!(errs[0].starts_with("bad.tf:"), "{errs:?}");
    }
}
