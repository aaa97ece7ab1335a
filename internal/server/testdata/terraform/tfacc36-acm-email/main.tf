# Written for ecsnet (round thirty-six) after the Terraform AWS provider's
# TestAccACMCertificate_emailValidation: a certificate validated by EMAIL.
# The provider's create waits until DescribeCertificate answers a domain
# validation option with a ResourceRecord or ValidationEmails; ecsnet
# answered an empty ValidationEmails list and the apply timed out after
# five minutes.
provider "aws" {
  region = "us-west-2"
}

resource "aws_acm_certificate" "email" {
  domain_name               = "mail.tfacc36.example.com"
  subject_alternative_names = ["*.tfacc36.example.com"]
  validation_method         = "EMAIL"

  lifecycle {
    postcondition {
      condition     = contains(self.validation_emails, "admin@mail.tfacc36.example.com") && contains(self.validation_emails, "webmaster@tfacc36.example.com")
      error_message = "ACM mails the five system addresses of each name's validation domain."
    }
  }
}

output "validation_emails" {
  value = aws_acm_certificate.email.validation_emails
}
