package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
)

const typeListenerCertificate = "AWS::ElasticLoadBalancingV2::ListenerCertificate"

// createListenerCertificate creates an
// AWS::ElasticLoadBalancingV2::ListenerCertificate: ELB's
// AddListenerCertificates of its Certificates on the HTTPS or TLS listener
// ListenerArn, beside the listener's default certificate (the CloudFormation
// resource reference: "Specifies an SSL server certificate to add to the
// certificate list for an HTTPS or TLS listener"). ELB's refusals are the
// resource's: a listener that does not exist (ListenerNotFound), an HTTP
// listener, a certificate the account does not hold (CertificateNotFound)
// or not issued (UnsupportedCertificate). Ref: its Id, a name of the
// resource [choice: CloudFormation documents no shape].
func createListenerCertificate(c *rctx) error {
	p := c.p
	listener, err := p.req("ListenerArn")
	if err != nil {
		return err
	}
	certs, err := p.objects("Certificates")
	if err != nil {
		return err
	}
	if !p.has("Certificates") {
		_, err := p.req("Certificates")
		return err
	}
	var arns []string
	for _, cert := range certs {
		arn, err := cert.str("CertificateArn")
		if err != nil {
			return err
		}
		if arn != "" {
			arns = append(arns, arn)
		}
	}
	var known func(string) bool
	if c.s.l.certificates {
		// Read before AddListenerCertificates, which asks under the
		// engine's lock.
		seen := map[string]bool{}
		for _, arn := range arns {
			seen[arn] = c.certificateKnown(arn)
		}
		known = func(arn string) bool { return seen[arn] }
	} else {
		c.warnUnknownCertificates(certs, arns)
	}
	if _, err := c.e().AddListenerCertificates(listener, arns, false, known); err != nil {
		key := "Certificates"
		if strings.Contains(err.Error(), "istener") {
			key = "ListenerArn"
		}
		return p.at(key, err)
	}
	c.keep("ListenerArn", listener)
	c.keep("Certificates", strings.Join(arns, "\n"))
	id := c.s.physicalName(c.r.def.name, 255)
	c.setRef(id)
	c.set("Id", id)
	return nil
}

// deleteListenerCertificate removes the resource's certificates from its
// listener (RemoveListenerCertificates). A listener gone already is
// deleted; the listener's default certificate, which the resource named
// too (adding it changed nothing), stays [choice: ELB refuses to remove
// it, OperationNotPermitted].
func deleteListenerCertificate(e *engine.Engine, r Resource) error {
	for _, arn := range strings.Split(r.Keys["Certificates"], "\n") {
		if arn == "" {
			continue
		}
		_, err := e.AddListenerCertificates(r.Keys["ListenerArn"], []string{arn}, true, nil)
		switch {
		case apierr.HasCode(err, "ListenerNotFound"):
			return nil
		case err != nil && !apierr.HasCode(err, "OperationNotPermitted"):
			return err
		}
	}
	return nil
}
