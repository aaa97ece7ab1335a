package terraform

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// aws_acm_certificate: an Amazon-issued certificate requested through ACM
// (RequestCertificate), issued at once as ecsnet's ACM issues them. Its
// domain_validation_options are known, as the provider knows them at plan
// time (one per name), so the for_each of the usual DNS validation records
// can be evaluated. An imported certificate (private_key and
// certificate_body, often of the tls provider's resources) is imported
// into ACM (ImportCertificate); one whose PEM ecsnet does not know, or a
// private CA's, is a placeholder.
func createACMCertificate(c *rctx) error {
	if body, key := c.o.str("certificate_body"), c.o.str("private_key"); body != "" && key != "" {
		cert, err := c.e().ImportCertificate(engine.ImportCertificateInput{Certificate: body, PrivateKey: key,
			Chain: c.o.str("certificate_chain"), Tags: c.plainTags()})
		if err != nil {
			return c.fail("certificate_body", err)
		}
		c.created(cert.ARN, "")
		c.set("arn", cert.ARN)
		c.set("status", cert.Status)
		c.set("domain_name", cert.DomainName)
		c.set("type", cert.Type)
		c.setList("subject_alternative_names", cert.SANs)
		return nil
	}
	if c.o.has("private_key") || c.o.has("certificate_authority_arn") {
		b := c.seedBytes(16)
		b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
		arn := fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%x-%x-%x-%x-%x", c.l.region, c.l.account, b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
		c.created(arn, "")
		c.set("arn", arn)
		return nil
	}
	in := engine.RequestCertificateInput{DomainName: c.o.str("domain_name"), SANs: c.o.strs("subject_alternative_names"),
		ValidationMethod: c.o.str("validation_method"), KeyAlgorithm: c.o.str("key_algorithm"), Tags: c.plainTags()}
	cert, err := c.e().RequestCertificate(in)
	if err != nil {
		return c.fail("domain_name", err)
	}
	c.created(cert.ARN, "")
	c.set("arn", cert.ARN)
	c.set("status", cert.Status)
	c.set("domain_name", cert.DomainName)
	c.set("type", cert.Type)
	c.set("validation_method", cert.ValidationMethod)
	c.setList("subject_alternative_names", cert.SANs)
	tokens := cert.ValidationTokens
	if cert.ValidationMethod != "DNS" {
		tokens = nil
	}
	c.out["domain_validation_options"] = validationOptions(cert.SANs, tokens)
	return nil
}

// validationOptions are a certificate's domain_validation_options: one
// per name with a DNS validation token (ACM's CNAME record).
func validationOptions(names, tokens []string) cty.Value {
	var dvos []cty.Value
	for i, n := range names {
		if i >= len(tokens) {
			break
		}
		tok := tokens[i]
		dvos = append(dvos, cty.ObjectVal(map[string]cty.Value{
			"domain_name":           cty.StringVal(n),
			"resource_record_name":  cty.StringVal("_" + tok + "." + strings.TrimPrefix(n, "*.") + "."),
			"resource_record_type":  cty.StringVal("CNAME"),
			"resource_record_value": cty.StringVal("_" + tok[:16] + "." + tok[16:26] + ".acm-validations.aws."),
		}))
	}
	if len(dvos) == 0 {
		return cty.SetValEmpty(cty.Object(map[string]cty.Type{"domain_name": cty.String,
			"resource_record_name": cty.String, "resource_record_type": cty.String, "resource_record_value": cty.String}))
	}
	return cty.SetVal(dvos)
}

// foreignCertificate gives a certificate of another region (CloudFront's,
// in us-east-1), which ecsnet does not create, its ARN and validation
// options, so the configuration's DNS validation records evaluate.
func foreignCertificate(c *rctx, region string) {
	b := c.seedBytes(16)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	c.set("arn", fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%x-%x-%x-%x-%x", region, c.l.account, b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
	names := append([]string{c.o.str("domain_name")}, c.o.strs("subject_alternative_names")...)
	var tokens []string
	if c.o.str("validation_method") == "DNS" {
		seed := c.seedBytes(16 * (len(names) + 1))
		for i := range names {
			tokens = append(tokens, fmt.Sprintf("%x", seed[16*(i+1):16*(i+2)]))
		}
	}
	c.out["domain_validation_options"] = validationOptions(names, tokens)
}

// aws_acm_certificate_validation waits for the certificate to be issued,
// which ecsnet's are: its certificate_arn is the certificate's.
func createACMValidation(c *rctx) error {
	arn, err := c.req("certificate_arn")
	if err != nil {
		return err
	}
	c.created(arn, "")
	c.set("certificate_arn", arn)
	return nil
}
