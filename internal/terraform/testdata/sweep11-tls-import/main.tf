# A self-signed certificate made with the tls provider and imported into
# ACM, as HTTPS listeners of test environments often get one.
resource "tls_private_key" "web" {
  algorithm = "RSA"
}
resource "tls_self_signed_cert" "web" {
  private_key_pem = tls_private_key.web.private_key_pem
  subject {
    common_name  = "app.example.com"
    organization = "Example"
  }
  dns_names             = ["www.example.com"]
  validity_period_hours = 12
  allowed_uses          = ["key_encipherment", "digital_signature", "server_auth"]
}
resource "aws_acm_certificate" "web" {
  private_key      = tls_private_key.web.private_key_pem
  certificate_body = tls_self_signed_cert.web.cert_pem
}
output "domain" { value = aws_acm_certificate.web.domain_name }
output "type" { value = aws_acm_certificate.web.type }
output "arn" { value = aws_acm_certificate.web.arn }
