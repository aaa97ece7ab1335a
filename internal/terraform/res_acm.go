package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
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
		arn := model.ARN(c.l.region, "acm", c.l.account, fmt.Sprintf("certificate/%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]))
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
	c.l.certs.request(cert.ARN, c.addr, cert.ValidationMethod)
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
	c.set("arn", model.ARN(region, "acm", c.l.account, fmt.Sprintf("certificate/%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])))
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
	c.l.certs.validate(arn, c.mi, c.r.key())
	return nil
}

// certUses are the certificates a configuration requests from ACM, the
// aws_acm_certificate_validation resources that wait for them, and the
// listeners that name them.
type certUses struct {
	requested   map[string]requestedCert // ARN → the request
	validations map[string][]certWaiter  // ARN → what waits for its issue
	listeners   []certListener
}

type requestedCert struct{ addr, method string }

// certWaiter is a resource node of a module instance.
type certWaiter struct {
	mi  *modInst
	key string
}

type certListener struct {
	certWaiter
	addr, arn string
	rng       hcl.Range
}

func (u *certUses) request(arn, addr, method string) {
	if u.requested == nil {
		u.requested = map[string]requestedCert{}
	}
	u.requested[arn] = requestedCert{addr, method}
}

func (u *certUses) validate(arn string, mi *modInst, key string) {
	if u.validations == nil {
		u.validations = map[string][]certWaiter{}
	}
	u.validations[arn] = append(u.validations[arn], certWaiter{mi, key})
}

// listenerCertificate notes a listener's certificate for
// checkCertificateIssue.
func (c *rctx) listenerCertificate(arn string) {
	if arn == "" || c.l.fromJSON {
		return
	}
	c.l.certs.listeners = append(c.l.certs.listeners, certListener{certWaiter{c.mi, c.r.key()}, c.addr, arn, c.r.rng})
}

// checkCertificateIssue warns of listeners naming a certificate the
// configuration requests from ACM that may not be issued yet when
// Terraform creates them. ACM leaves a requested certificate
// PENDING_VALIDATION until its DNS record is found (or its mail approved),
// and ELB refuses a listener naming a certificate that is not issued
// with UnsupportedCertificate. aws_acm_certificate does not wait for the
// issue; aws_acm_certificate_validation does. With none, the first apply
// fails unless the domain's DNS already holds the validation record
// (ACM's CNAME is the same for the account and name each time); with one
// the listener does not depend on, Terraform may create the listener
// first. ecsnet's ACM issues at once, so it says so here.
func (l *loader) checkCertificateIssue() {
	u := &l.certs
	warned := map[string]bool{}
	for _, ls := range u.listeners {
		req, ok := u.requested[ls.arn]
		if !ok || warned[ls.addr] {
			continue
		}
		vals := u.validations[ls.arn]
		if len(vals) == 0 {
			warned[ls.addr] = true
			how := "its DNS validation record is found in the domain's public DNS"
			if req.method != "DNS" {
				how = "a validation mail is approved"
			}
			l.warnf(ls.rng, "%s names %s, which nothing in the configuration validates (no aws_acm_certificate_validation): ACM keeps it PENDING_VALIDATION until %s, and ELB refuses a listener naming a certificate not yet issued (UnsupportedCertificate: The certificate '%s' must have a fully-qualified domain name, a supported signature, and a supported key size.), so the first apply fails unless that record is already there; ecsnet issues it at once",
				ls.addr, req.addr, how, ls.arn)
			continue
		}
		var missing []string
		for _, v := range vals {
			if v.mi != ls.mi {
				continue // another module: its order is not followed here
			}
			if ls.mi.dependsOn(ls.key, v.key) {
				missing = nil
				break
			}
			missing = append(missing, v.mi.path+v.key)
		}
		if len(missing) > 0 {
			warned[ls.addr] = true
			l.warnf(ls.rng, "%s names %s but does not depend on %s: Terraform may create the listener before ACM issues the certificate, and ELB then refuses it (UnsupportedCertificate); name the validation's certificate_arn instead",
				ls.addr, req.addr, strings.Join(missing, " or "))
		}
	}
}

// dependsOn reports whether node from depends on node to, directly or
// through others of the module instance.
func (mi *modInst) dependsOn(from, to string) bool {
	nodes := map[string]*node{}
	for _, n := range mi.pending {
		nodes[n.key] = n
	}
	seen := map[string]bool{}
	var walk func(k string) bool
	walk = func(k string) bool {
		n := nodes[k]
		if n == nil {
			return false
		}
		for _, d := range n.deps {
			if d == to {
				return true
			}
			if !seen[d] {
				seen[d] = true
				if walk(d) {
					return true
				}
			}
		}
		return false
	}
	return walk(from)
}
