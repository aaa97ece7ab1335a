package cfn

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeACMCertificate is an ACM certificate: requested from ACM, so that a
// load balancer listener of the same or another stack that names it finds
// it (ELB refuses a certificate ACM does not hold: CertificateNotFound).
// Ref is the certificate's ARN. A DNS-validated certificate whose
// DomainValidationOptions name a HostedZoneId gets its validation CNAME
// written into that zone by CloudFormation (UPSERT; deleted with the
// certificate [choice]); ACM issues it once every name's record is in a
// public zone of the account (engine.validateCertificates). The emulator's
// create keeps the resource CREATE_IN_PROGRESS until then
// (api/cloudformation); check warns of a certificate nothing validates.
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
	dvos, err := p.objects("DomainValidationOptions")
	if err != nil {
		return err
	}
	names := append([]string{domain}, in.SANs...)
	zones := map[string]string{} // name → the hosted zone to write its record in
	for _, d := range dvos {
		n, err := d.req("DomainName")
		if err != nil {
			return err
		}
		if !slices.Contains(names, n) {
			// [choice] of text: AWS leaves the stack waiting
			// (awsdocs/aws-cloudformation-user-guide#963); ecsnet fails
			// it where the template says so.
			return d.invalid("DomainName", "DomainValidationOptions' DomainName %s is not a name of the certificate (DomainName or SubjectAlternativeNames)", n)
		}
		z, err := d.str("HostedZoneId")
		if err != nil {
			return err
		}
		if z != "" && in.ValidationMethod != "DNS" {
			return d.invalid("HostedZoneId", "HostedZoneId can be used only when DNS is specified as your validation method")
		}
		if z != "" {
			zones[n] = strings.TrimPrefix(z, "/hostedzone/")
		}
	}
	cert, err := c.e().RequestCertificate(in)
	if err != nil {
		return p.at("DomainName", err)
	}
	c.setRef(cert.ARN)
	written := map[string]bool{}
	for i, n := range cert.SANs {
		z, ok := zones[n]
		if !ok {
			continue
		}
		name, value, ok := cert.ValidationRecord(i)
		if !ok || written[name] {
			continue // a wildcard's record is its base name's
		}
		written[name] = true
		if z, err = c.validationZone(z, n); err != nil {
			return p.at("DomainValidationOptions", err)
		}
		if err := c.e().UpsertRecordSet(z, engine.RecordSetInput{Name: name, Type: "CNAME", TTL: 300, Values: []string{value}}); err != nil {
			return p.at("DomainValidationOptions", err)
		}
		c.keep("Zone."+name, z)
	}
	if len(written) > 0 {
		// The records are there: ACM validates them in its next pass;
		// check (no step loop of its own) sees them now.
		if err := c.e().ValidateCertificates(); err != nil {
			return err
		}
	}
	var pending bool
	c.read(func(st *model.State) { x := st.Certificates[cert.ARN]; pending = x != nil && x.Status != "ISSUED" })
	if pending && !c.s.l.awaitSignals {
		how := "no DomainValidationOptions HostedZoneId writes them into a public hosted zone of the account"
		if cert.ValidationMethod != "DNS" {
			how = "ecsnet sends no validation mail"
		}
		c.s.warnf(c.r.def.line, "%s: ACM keeps certificate %s PENDING_VALIDATION until its %s validation completes and %s: CloudFormation would wait (CREATE_IN_PROGRESS) and fail the resource after its timeout; ecsnet checks the rest as if it were issued",
			c.r.def.name, domain, cert.ValidationMethod, how)
	}
	return nil
}

// validationZone is the hosted zone a DomainValidationOptions'
// HostedZoneId names. check, which cannot see the account's zones, stands
// in a public zone of the name for one the template and system do not
// have (as for a record set's HostedZoneName), with a warning; a deploy
// into the account refuses it (NoSuchHostedZone).
func (c *rctx) validationZone(id, name string) (string, error) {
	known := false
	c.read(func(st *model.State) { known = st.HostedZones[model.HostedZoneRef(id)] != nil })
	if known || c.s.l.certificates {
		return id, nil
	}
	z, err := c.e().CreateHostedZone(engine.CreateHostedZoneInput{Name: strings.TrimPrefix(name, "*."), Comment: "stand-in for " + c.r.def.name})
	if err != nil {
		return "", err
	}
	c.s.warnf(c.r.def.line, "%s: no hosted zone %s is in the template or the system; ecsnet stands in a public zone %s of %s for the certificate's validation record (give the real system with --base)",
		c.r.def.name, id, z.ID, strings.TrimPrefix(name, "*."))
	return z.ID, nil
}

// acmValidationZones are the hosted zones the deploy of a certificate
// wrote its validation records into (Keys "Zone.<record name>").
func acmValidationZones(keys map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range keys {
		if name, ok := strings.CutPrefix(k, "Zone."); ok {
			out[name] = v
		}
	}
	return out
}

// deleteACMCertificate deletes a stack's certificate; one deleted outside
// the stack is gone already.
func deleteACMCertificate(e *engine.Engine, arn string, keys map[string]string) error {
	err := e.DeleteCertificate(arn)
	if apierr.HasCode(err, "ResourceNotFoundException") {
		err = nil
	}
	if err != nil {
		return err
	}
	for name, zone := range acmValidationZones(keys) {
		if err := e.DeleteRecordSet(zone, name, "CNAME", nil); err != nil {
			return err
		}
	}
	return nil
}
