# A canary released by weighted DNS: 10% of resolvers get the canary's load balancer.
resource "aws_route53_record" "shop_stable" {
  zone_id        = var.zone_id
  name           = "shop.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = [aws_lb.shop_stable.dns_name]
  set_identifier = "shop-stable"

  weighted_routing_policy {
    weight = 90
  }
}

resource "aws_route53_record" "shop_canary" {
  zone_id        = var.zone_id
  name           = "shop.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = [aws_lb.shop_canary.dns_name]
  set_identifier = "shop-canary"

  weighted_routing_policy {
    weight = 10
  }
}
