use crate::nginx::annotation;
use crate::objects::{Ctx, Role};
use canary_lint_core::{declare_rule, Diagnostic};

declare_rule! {
    /// Weighted DNS used to send users to a canary: external-dns
    /// `external-dns.alpha.kubernetes.io/aws-weight` (with `set-identifier`) on a
    /// canary's Service or Ingress.
    ///
    /// The incident: resolvers and clients cache the answer for the record's TTL
    /// and often much longer (JVMs, mobile clients, corporate resolvers). A
    /// rollback that sets the canary's weight to 0 leaves users on the bad version
    /// for hours, and the split is per resolver, not per request: one resolver's
    /// users all land on the canary.
    ///
    /// Recognised: the object is a canary (see the README), or its
    /// `set-identifier` is one. Terraform is read too: an `aws_route53_record`
    /// resource with a `weighted_routing_policy` block in a `.tf` file found with
    /// the manifests (`check DIR`, the repository, `[manifests] paths`) is a
    /// canary's when its Terraform name, its `set_identifier` or the first label of
    /// its record `name` is one (`shop_canary`, `shop-canary`, `canary.shop.example.com`).
    /// The finding points at the `weight` value; the other weighted records of the
    /// same DNS name are related locations. A `.tf` file that does not parse is an
    /// error naming file and line, and the other files are still checked.
    ///
    /// Fix: split canary traffic in the load balancer or mesh (per request, undone
    /// at once), and keep DNS pointing at one entry point.
    pub const RULE = { name: "dns-weighted-canary", family: Traffic, severity: Error,
        summary: "weighted DNS sends users to a canary (cached; rollback takes hours)" };
}

const WEIGHT: &str = "external-dns.alpha.kubernetes.io/aws-weight";
const SET_ID: &str = "external-dns.alpha.kubernetes.io/set-identifier";

pub fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, r) in ctx.res.iter().enumerate() {
        if !matches!(r.kind.as_str(), "Service" | "Ingress") {
            continue;
        }
        let Some((_, w)) = annotation(r, WEIGHT) else {
            continue;
        };
        let set_id = annotation(r, SET_ID)
            .and_then(|(_, v)| v.as_str())
            .unwrap_or_default();
        let canary = ctx.name_role(&r.name) == Some(Role::Canary)
            || ctx.name_role(set_id) == Some(Role::Canary)
            || (r.kind == "Service" && ctx.service_role(&r.name) == Some(Role::Canary))
            || (r.kind == "Ingress" && crate::nginx::is_canary(r));
        if !canary {
            continue;
        }
        out.push(
            ctx.diag(&RULE, i, w.span(), format!("{} sends users to the canary by weighted DNS (aws-weight {}): cached answers keep them there for hours after a rollback", r.id(), w.as_str().unwrap_or_default()))
                .label("weighted DNS")
                .help("split canary traffic in the load balancer or mesh, per request, and keep DNS pointing at one entry point"),
        );
    }
    for d in &ctx.dns_records {
        let first_label = d
            .record
            .as_deref()
            .and_then(|n| n.split('.').next())
            .unwrap_or_default();
        let canary = [
            d.name.replace('_', "-").as_str(),
            d.set_identifier.as_deref().unwrap_or_default(),
            first_label,
        ]
        .iter()
        .any(|n| !n.is_empty() && ctx.name_role(n) == Some(Role::Canary));
        if !canary {
            continue;
        }
        let f = &ctx.files[d.file];
        let mut diag = Diagnostic::new(
            &RULE,
            f,
            d.weight_span,
            format!(
                "aws_route53_record.{} sends users to the canary by weighted DNS (weight {}): cached answers keep them there for hours after a rollback",
                d.name, d.weight
            ),
        )
        .label("weighted DNS")
        .help("split canary traffic in the load balancer or mesh, per request, and keep DNS pointing at one entry point");
        for o in &ctx.dns_records {
            if std::ptr::eq(o, d) || o.record.is_none() || o.record != d.record {
                continue;
            }
            diag.push_related(
                ctx.related_in(
                    o.file,
                    o.weight_span,
                    format!(
                        "aws_route53_record.{} weights the same name ({})",
                        o.name, o.weight
                    ),
                ),
                5,
            );
        }
        out.push(diag);
    }
    out
}
