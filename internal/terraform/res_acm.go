package terraform

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_acm_certificate: an Amazon-issued certificate requested through ACM
// (RequestCertificate). The provider does not wait for its issue: it is
// PENDING_VALIDATION (ISSUED at once only when its validation records are
// already in a public zone of the account, as ACM reuses an account's
// record for a name), until the aws_route53_record resources of its
// domain_validation_options are created; aws_acm_certificate_validation
// waits for it. Its
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
		name, value := model.DNSValidationRecord(n, tokens[i])
		dvos = append(dvos, cty.ObjectVal(map[string]cty.Value{
			"domain_name":           cty.StringVal(n),
			"resource_record_name":  cty.StringVal(name),
			"resource_record_type":  cty.StringVal("CNAME"),
			"resource_record_value": cty.StringVal(value),
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

// aws_acm_certificate_validation waits for ACM to issue the certificate,
// as the provider does (hashicorp/aws's resourceCertificateValidationCreate):
// an imported certificate needs none ("ACM Certificate (<arn>) has type
// IMPORTED, no validation necessary"); each DNS validation record of the
// certificate must be among validation_record_fqdns when they are given
// ("missing <name> DNS validation record: <fqdn>"); then it polls until
// ISSUED for its create timeout (75 minutes by default) and fails
// "waiting for ACM Certificate (<arn>) to be issued: timeout while waiting
// for state to become 'ISSUED' (last state: 'PENDING_VALIDATION', timeout:
// 1h15m0s)". ACM issues a DNS-validated certificate once every name's
// CNAME is in a public hosted zone of the account: the configuration's
// aws_route53_record resources created before this one (its dependencies),
// or the records of the system given with --base. A certificate validated
// by mail (or HTTP) waits for its owner, which ecsnet cannot see: a
// warning, and the certificate stays PENDING_VALIDATION [choice].
func createACMValidation(c *rctx) error {
	arn, err := c.req("certificate_arn")
	if err != nil {
		return err
	}
	if err := c.e().ValidateCertificates(); err != nil {
		return err
	}
	var cert *model.Certificate
	c.read(func(st *model.State) { cert = st.Certificates[arn] })
	if cert != nil {
		if err := c.awaitIssue(cert); err != nil {
			return err
		}
	}
	c.created(arn, "")
	c.set("certificate_arn", arn)
	c.l.certs.validate(arn, c.mi, c.r.key())
	return nil
}

// unmodeledDNSRecords are the DNS records of the configuration ecsnet
// skipped (a Route 53 record of another region's provider or of a zone
// not in the system, another DNS provider's record), by address.
func (c *rctx) unmodeledDNSRecords() []string {
	var out []string
	for _, r := range c.l.res.Skipped {
		other := !strings.HasPrefix(r.Type, "aws_") && (strings.Contains(r.Type, "record") || strings.Contains(r.Type, "dns"))
		if r.Type == "aws_route53_record" || other {
			out = append(out, r.Address)
		}
	}
	return out
}

// acmValidationTimeout is aws_acm_certificate_validation's default create
// timeout (schema.DefaultTimeout(75 * time.Minute)).
const acmValidationTimeout = 75 * time.Minute

// awaitIssue is aws_acm_certificate_validation's wait for cert, a
// certificate of the engine's ACM (see createACMValidation).
func (c *rctx) awaitIssue(cert *model.Certificate) error {
	if cert.Type != "AMAZON_ISSUED" {
		return c.fail("certificate_arn", fmt.Errorf("ACM Certificate (%s) has type %s, no validation necessary", cert.ARN, cert.Type))
	}
	if fqdns := c.o.strs("validation_record_fqdns"); len(fqdns) > 0 {
		given := map[string]bool{}
		for _, f := range fqdns {
			given[strings.ToLower(strings.TrimSuffix(f, "."))] = true
		}
		var missing []string
		seen := map[string]bool{}
		for i, n := range cert.SANs {
			name, _, ok := cert.ValidationRecord(i)
			if !ok {
				return c.fail("validation_record_fqdns", fmt.Errorf("validation_record_fqdns is not valid for %s validation", cert.ValidationMethod))
			}
			fqdn := strings.TrimSuffix(name, ".")
			if !given[strings.ToLower(fqdn)] && !seen[fqdn] {
				seen[fqdn] = true
				missing = append(missing, fmt.Sprintf("missing %s DNS validation record: %s", n, fqdn))
			}
		}
		if len(missing) > 0 {
			return c.fail("validation_record_fqdns", errors.New(strings.Join(missing, "\n")))
		}
	}
	if cert.Status == "ISSUED" {
		return nil
	}
	if cert.ValidationMethod != "DNS" && cert.Status == "PENDING_VALIDATION" {
		c.l.warnf(c.r.rng, "%s waits for ACM to issue %s, validated by %s: ACM issues it once its owner approves the validation, which ecsnet cannot see; it stays PENDING_VALIDATION here, and the apply waits up to the validation's timeout for it",
			c.addr, cert.ARN, cert.ValidationMethod)
		return nil
	}
	if others := c.unmodeledDNSRecords(); len(others) > 0 {
		// ACM looks in public DNS, wherever the record is: one ecsnet
		// did not create may hold it [choice: a warning, not the
		// provider's timeout].
		c.l.warnf(c.r.rng, "%s waits for ACM to issue %s, whose DNS validation records are in none of the public zones ecsnet models; %s, which ecsnet does not create, may write them: if they do not, the apply fails after the validation's timeout",
			c.addr, cert.ARN, strings.Join(others, ", "))
		return nil
	}
	timeout := acmValidationTimeout
	if t := c.o.block("timeouts").str("create"); t != "" {
		if d, err := time.ParseDuration(t); err == nil {
			timeout = d
		}
	}
	var need []string
	for i := range cert.SANs {
		if name, value, ok := cert.ValidationRecord(i); ok && !slices.Contains(cert.Validated, cert.SANs[i]) && !slices.Contains(need, name+" CNAME "+value) {
			need = append(need, name+" CNAME "+value)
		}
	}
	return c.fail("certificate_arn", fmt.Errorf("waiting for ACM Certificate (%s) to be issued: timeout while waiting for state to become 'ISSUED' (last state: '%s', timeout: %s) (ACM found no %s in a public hosted zone of the account: no aws_route53_record this resource depends on writes it)",
		cert.ARN, cert.Status, timeout, strings.Join(need, ", ")))
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
// first. The reader keeps the listener (the analyzer checks the system
// as if the apply went through) and says in which state ACM left the
// certificate once the configuration's records were written.
func (l *loader) checkCertificateIssue() {
	u := &l.certs
	warned := map[string]bool{}
	status := map[string]string{}
	l.engine().Read(func(st *model.State) {
		for arn := range u.requested {
			if c := st.Certificates[arn]; c != nil {
				status[arn] = c.Status
			}
		}
	})
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
			now := "the configuration's validation records get it ISSUED here, but only after Terraform may have created the listener"
			if status[ls.arn] != "ISSUED" {
				now = "nothing here writes that record, so ecsnet leaves it " + status[ls.arn] + " and keeps the listener as if the apply went through"
			}
			l.warnf(ls.rng, "%s names %s, which nothing in the configuration validates (no aws_acm_certificate_validation): ACM keeps it PENDING_VALIDATION until %s, and ELB refuses a listener naming a certificate not yet issued (UnsupportedCertificate: The certificate '%s' must have a fully-qualified domain name, a supported signature, and a supported key size.), so the first apply fails unless that record is already there; %s",
				ls.addr, req.addr, how, ls.arn, now)
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
