# Weighted DNS between two regions of the same version: no canary involved.
resource "aws_route53_record" "shop_eu" {
  zone_id        = var.zone_id
  name           = "shop.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = [aws_lb.shop_eu.dns_name]
  set_identifier = "shop-eu"

  weighted_routing_policy {
    weight = 50
  }
}

resource "aws_route53_record" "shop_us" {
  zone_id        = var.zone_id
  name           = "shop.example.com"
  type           = "CNAME"
  ttl            = 60
  records        = [aws_lb.shop_us.dns_name]
  set_identifier = "shop-us"

  weighted_routing_policy {
    weight = 50
  }
}

# A canary's record without weights is not weighted DNS.
resource "aws_route53_record" "shop_canary" {
  zone_id = var.zone_id
  name    = "canary.shop.example.com"
  type    = "CNAME"
  ttl     = 60
  records = [aws_lb.shop_canary.dns_name]
}
