package cfn

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
)

// typeACMCertificate is an ACM certificate: requested from ACM, so that a
// load balancer listener of the same or another stack that names it finds
// it (ELB refuses a certificate ACM does not hold: CertificateNotFound).
// Ref is the certificate's ARN. ACM issues it at once: ecsnet has no
// domain to validate ([choice]; on AWS the resource waits until the DNS or
// email validation completes).
const typeACMCertificate = "AWS::CertificateManager::Certificate"

func createACMCertificate(c *rctx) error {
	p := c.p
	domain, err := p.req("DomainName")
	if err != nil {
		return err
	}
	in := engine.RequestCertificateInput{DomainName: domain}
	if in.SANs, err = p.strs("SubjectAlternativeNames"); err != nil {
		return err
	}
	if in.ValidationMethod, err = p.str("ValidationMethod"); err != nil {
		return err
	}
	if in.KeyAlgorithm, err = p.str("KeyAlgorithm"); err != nil {
		return err
	}
	// the template's tags and CloudFormation's aws:cloudformation:* ones,
	// which it puts on every resource that takes tags (no Name tag of
	// ecsnet's: ACM answers the certificate's tags as they are)
	if in.Tags, err = p.tagList(); err != nil {
		return err
	}
	c.stackTags(in.Tags)
	cert, err := c.e().RequestCertificate(in)
	if err != nil {
		return p.at("DomainName", err)
	}
	c.setRef(cert.ARN)
	return nil
}

// deleteACMCertificate deletes a stack's certificate; one deleted outside
// the stack is gone already.
func deleteACMCertificate(e *engine.Engine, arn string) error {
	err := e.DeleteCertificate(arn)
	if apierr.HasCode(err, "ResourceNotFoundException") {
		return nil
	}
	return err
}
