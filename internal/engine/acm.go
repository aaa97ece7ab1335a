package engine

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Certificate Manager: the certificates HTTPS and TLS listeners name.
// ACM is regional: a certificate serves the load balancers of its region.
// A requested certificate is PENDING_VALIDATION. One validated by DNS is
// issued once the CNAME record of each of its names (the same record for
// a name in every request of the account, as ACM's) is in a public
// Route 53 hosted zone of the account: the Step pass looks
// (validateCertificates); 72 hours after the request ACM gives up
// (VALIDATION_TIMED_OUT). ecsnet sends no mail and serves no HTTP
// validation file: EMAIL and HTTP validation stay pending for ever
// ([choice]). ImportCertificate parses the PEM it is given as ACM does.

// acmValidationTimeout is how long ACM tries to validate a requested
// certificate ("ACM makes repeated attempts to validate a certificate for
// 72 hours and then times out": CertificateDetail.Status).
const acmValidationTimeout = 72 * time.Hour

// acmEmailDelay is how long after the request ACM answers an
// EMAIL-validated certificate's ValidationEmails: AWS answers an empty
// list right after RequestCertificate (LocalStack's AWS-recorded
// test_domain_validation) and the addresses later, which the Terraform
// provider waits for ([probable]; the delay is a [choice]).
const acmEmailDelay = 5 * time.Second

func errACMNotFound(arn string) error {
	return apierr.Newf("ResourceNotFoundException", "Could not find certificate %s.", arn) // probable
}

func errACMValidation(format string, args ...any) error {
	return apierr.Newf("ValidationException", format, args...)
}

// acmDomainRE is RequestCertificate's DomainName pattern (botocore's
// DomainNameString, without the look-aheads Go lacks: labels do not start
// or end with a hyphen).
var acmDomainRE = regexp.MustCompile(`^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// RequestCertificateInput is RequestCertificate's input.
type RequestCertificateInput struct {
	DomainName       string
	SANs             []string
	ValidationMethod string
	KeyAlgorithm     string
	IdempotencyToken string
	Tags             model.Tags
	// AWSOwned is a certificate of a domain of AWS's own (an ECS Express
	// service's on.aws endpoint), which AWS validates: issued at once.
	AWSOwned bool
}

// RequestCertificate requests an ACM certificate for a domain name and its
// alternative names. A repeated request with the same idempotency token and
// names returns the first certificate.
func (e *Engine) RequestCertificate(in RequestCertificateInput) (*model.Certificate, error) {
	names := append([]string{in.DomainName}, in.SANs...)
	for i, n := range names {
		member := "domainName"
		if i > 0 {
			member = "subjectAlternativeNames"
		}
		if len(n) > 253 || !acmDomainRE.MatchString(n) {
			return nil, errACMValidation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])", n, member)
		}
	}
	if len(in.SANs) > 100 {
		return nil, apierr.New("LimitExceededException", "Cannot request more than 100 subject alternative names.") // probable
	}
	method := in.ValidationMethod
	if method == "" {
		method = "EMAIL"
	}
	if method != "EMAIL" && method != "DNS" && method != "HTTP" {
		return nil, errACMValidation("1 validation error detected: Value '%s' at 'validationMethod' failed to satisfy constraint: Member must satisfy enum value set: [EMAIL, DNS, HTTP]", method)
	}
	alg := in.KeyAlgorithm
	if alg == "" {
		alg = "RSA_2048"
	}
	if alg != "RSA_2048" && alg != "EC_prime256v1" && alg != "EC_secp384r1" {
		return nil, errACMValidation("1 validation error detected: Value '%s' at 'keyAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, EC_prime256v1, EC_secp384r1]", alg) // probable
	}
	sans := []string{in.DomainName}
	for _, n := range in.SANs {
		if !slices.Contains(sans, n) {
			sans = append(sans, n)
		}
	}
	var out *model.Certificate
	err := e.write(func(t *txn) error {
		if in.IdempotencyToken != "" {
			for _, c := range sortedValues(t.st.Certificates) {
				if c.IdempotencyToken == in.IdempotencyToken && slices.Equal(c.SANs, sans) {
					out = c
					return nil
				}
			}
		}
		c := &model.Certificate{
			ARN:  fmt.Sprintf("arn:%s:acm:%s:%s:certificate/%s", model.Partition(e.cfg.Region), e.cfg.Region, e.cfg.Account, t.uuid()),
			Type: "AMAZON_ISSUED", Status: "PENDING_VALIDATION", DomainName: in.DomainName, SANs: sans, ValidationMethod: method,
			KeyAlgorithm: alg, Created: t.now, Subject: "CN=" + in.DomainName,
			// Amazon is the issuer from the request on: AWS answers it for a
			// certificate still PENDING_VALIDATION, or FAILED.
			Issuer:           "Amazon",
			IdempotencyToken: in.IdempotencyToken, Tags: in.Tags.Clone(),
		}
		for _, n := range sans {
			c.ValidationTokens = append(c.ValidationTokens, validationToken(e.cfg.Account, n))
		}
		if in.AWSOwned {
			c.Validated = slices.Clone(sans)
			t.issueCertificate(c)
		} else if method == "DNS" {
			t.validateCertificate(c)
		}
		put(t, model.KindCertificate, t.st.Certificates, c.ARN, c)
		out = c
		return nil
	})
	return out, err
}

// validationToken is the random-looking part of a name's DNS validation
// record: the same for the name (a wildcard's for its base name) in every
// request of the account, as ACM's ("ACM … uses the same CNAME record"
// for a domain it validated before, so a certificate requested again for
// it validates at once).
func validationToken(account, name string) string {
	sum := sha256.Sum256([]byte("acm-validation\x00" + account + "\x00" + strings.ToLower(strings.TrimPrefix(name, "*."))))
	return hex.EncodeToString(sum[:16])
}

// issueCertificate issues a requested certificate whose names are all
// validated.
func (t *txn) issueCertificate(c *model.Certificate) {
	c.Status, c.Issued, c.NotBefore, c.NotAfter = "ISSUED", t.now, t.now, t.now.AddDate(0, 13, 0)
	c.Serial = serialOf(t.e.ids.Hex(32))
}

// validateCertificate looks for the validation records of a pending
// DNS-validated certificate c (a copy the caller puts) and issues it once
// every name has its record; it reports whether c changed.
func (t *txn) validateCertificate(c *model.Certificate) bool {
	changed := false
	for i, n := range c.SANs {
		if slices.Contains(c.Validated, n) {
			continue
		}
		name, value, ok := c.ValidationRecord(i)
		if ok && t.publicRecordHas(name, value) {
			c.Validated = append(slices.Clone(c.Validated), n)
			changed = true
		}
	}
	if len(c.Validated) == len(c.SANs) {
		t.issueCertificate(c)
		return true
	}
	return changed
}

// publicRecordHas reports whether the account's public hosted zones
// answer name (a fully qualified name, trailing dot) with a CNAME to
// value: the most specific public zone of the name holds it (ecsnet's
// public zones are taken as delegated to Route 53 [choice]).
func (t *txn) publicRecordHas(name, value string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	value = strings.ToLower(strings.TrimSuffix(value, "."))
	best := ""
	for _, z := range t.st.HostedZones {
		if !z.Private && (name == z.Name || strings.HasSuffix(name, "."+z.Name)) && len(z.Name) > len(best) {
			best = z.Name
		}
	}
	if best == "" {
		return false
	}
	for _, z := range t.st.HostedZones { // any zone of that name: the order does not matter
		if z.Private || z.Name != best {
			continue
		}
		for _, r := range z.Records {
			if r.Type != "CNAME" || r.Name != name {
				continue
			}
			for _, v := range r.Values {
				if strings.ToLower(strings.TrimSuffix(v, ".")) == value {
					return true
				}
			}
		}
	}
	return false
}

// validateCertificates is the Step pass of ACM's validation: each pending
// DNS-validated certificate is issued once its records are there, an
// EMAIL-validated one has its addresses mailed acmEmailDelay after its
// request, and either times out 72 hours after its request
// (VALIDATION_TIMED_OUT).
func (t *txn) validateCertificates() {
	for _, old := range t.st.Certificates {
		if old.Status != "PENDING_VALIDATION" || old.Type != "AMAZON_ISSUED" {
			continue
		}
		timedOut := !t.now.Before(old.Created.Add(acmValidationTimeout))
		mail := old.ValidationMethod == "EMAIL" && !old.EmailsSent && !t.now.Before(old.Created.Add(acmEmailDelay))
		if old.ValidationMethod != "DNS" && !timedOut && !mail {
			continue
		}
		c := *old
		switch {
		case c.ValidationMethod == "DNS" && t.validateCertificate(&c):
		case mail && !timedOut:
			c.EmailsSent = true
		case timedOut:
			c.Status = "VALIDATION_TIMED_OUT"
		default:
			continue
		}
		put(t, model.KindCertificate, t.st.Certificates, c.ARN, &c)
	}
}

// ValidateCertificates runs ACM's validation pass now (Step runs it too):
// a caller that has just written validation records sees their
// certificates issued.
func (e *Engine) ValidateCertificates() error {
	return e.write(func(t *txn) error { t.validateCertificates(); return nil })
}

// serialOf writes hex digits as a certificate serial: byte pairs and colons.
// rdnNames are the short names ACM writes a distinguished name's
// attributes with.
var rdnNames = map[string]string{"2.5.4.6": "C", "2.5.4.8": "ST", "2.5.4.7": "L", "2.5.4.10": "O", "2.5.4.11": "OU",
	"2.5.4.3": "CN", "2.5.4.9": "STREET", "2.5.4.17": "POSTALCODE", "2.5.4.5": "SERIALNUMBER"}

// distinguishedName writes a certificate's subject as ACM answers it:
// its attributes in the certificate's order (C first, CN last for the
// usual subject), "type=value" joined by commas, values as they are.
// fallback is answered when the raw name does not parse.
func distinguishedName(raw []byte, fallback string) string {
	var seq pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &seq); err != nil || len(rest) > 0 {
		return fallback
	}
	var parts []string
	for _, set := range seq {
		for _, atv := range set {
			k := rdnNames[atv.Type.String()]
			if k == "" {
				k = atv.Type.String()
			}
			parts = append(parts, fmt.Sprintf("%s=%v", k, atv.Value))
		}
	}
	return strings.Join(parts, ",")
}

// issuerName is an imported certificate's Issuer as ACM answers it: the
// issuer's organization (as "Amazon" for the certificates ACM issues),
// else its common name.
func issuerName(x *x509.Certificate) string {
	if len(x.Issuer.Organization) > 0 {
		return x.Issuer.Organization[0]
	}
	return x.Issuer.CommonName
}

// keyUsageNames are ACM's names of the X.509 key usage bits, in bit order.
var keyUsageNames = []struct {
	bit  x509.KeyUsage
	name string
}{{x509.KeyUsageDigitalSignature, "DIGITAL_SIGNATURE"}, {x509.KeyUsageContentCommitment, "NON_REPUDIATION"},
	{x509.KeyUsageKeyEncipherment, "KEY_ENCIPHERMENT"}, {x509.KeyUsageDataEncipherment, "DATA_ENCIPHERMENT"},
	{x509.KeyUsageKeyAgreement, "KEY_AGREEMENT"}, {x509.KeyUsageCertSign, "CERTIFICATE_SIGNING"},
	{x509.KeyUsageCRLSign, "CRL_SIGNING"}, {x509.KeyUsageEncipherOnly, "ENCIPHER_ONLY"}, {x509.KeyUsageDecipherOnly, "DECIPHER_ONLY"}}

// extKeyUsageNames are ACM's names of the extended key usages.
var extKeyUsageNames = map[x509.ExtKeyUsage]string{x509.ExtKeyUsageAny: "ANY", x509.ExtKeyUsageServerAuth: "TLS_WEB_SERVER_AUTHENTICATION",
	x509.ExtKeyUsageClientAuth: "TLS_WEB_CLIENT_AUTHENTICATION", x509.ExtKeyUsageCodeSigning: "CODE_SIGNING",
	x509.ExtKeyUsageEmailProtection: "EMAIL_PROTECTION", x509.ExtKeyUsageTimeStamping: "TIME_STAMPING",
	x509.ExtKeyUsageOCSPSigning: "OCSP_SIGNING", x509.ExtKeyUsageIPSECEndSystem: "IPSEC_END_SYSTEM",
	x509.ExtKeyUsageIPSECTunnel: "IPSEC_TUNNEL", x509.ExtKeyUsageIPSECUser: "IPSEC_USER"}

// certificateUsages are a certificate's key usages and extended key
// usages by ACM's names (an extended usage ACM has no name for: its OID).
func certificateUsages(x *x509.Certificate) (ku, eku []string) {
	for _, u := range keyUsageNames {
		if x.KeyUsage&u.bit != 0 {
			ku = append(ku, u.name)
		}
	}
	for _, u := range x.ExtKeyUsage {
		if n, ok := extKeyUsageNames[u]; ok {
			eku = append(eku, n)
		}
	}
	for _, oid := range x.UnknownExtKeyUsage {
		eku = append(eku, oid.String())
	}
	return ku, eku
}

func serialOf(hex string) string {
	var b strings.Builder
	for i := 0; i < len(hex); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(hex[i : i+2])
	}
	return b.String()
}

// keyAlgorithmOf is ACM's name of a certificate's key type.
func keyAlgorithmOf(c *x509.Certificate) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA_%d", k.N.BitLen())
	case *ecdsa.PublicKey:
		switch k.Curve.Params().BitSize {
		case 256:
			return "EC_prime256v1"
		case 384:
			return "EC_secp384r1"
		case 521:
			return "EC_secp521r1"
		}
	}
	return "UNKNOWN"
}

// ImportCertificateInput is ImportCertificate's input; ARN, when set,
// names the certificate to reimport.
type ImportCertificateInput struct {
	ARN                     string
	Certificate, PrivateKey string
	Chain                   string
	Tags                    model.Tags
}

// ImportCertificate imports a PEM certificate with its private key (and
// chain), or reimports one over an imported certificate.
func (e *Engine) ImportCertificate(in ImportCertificateInput) (*model.Certificate, error) {
	certs, ok := parsePEMCertificates(in.Certificate)
	if !ok {
		return nil, errACMValidation("Unable to parse certificate. Please ensure the certificate is in PEM format.") // probable
	}
	if len(certs) != 1 {
		return nil, errACMValidation("The certificate field contains more than one certificate. You can specify only one certificate in this field.") // probable
	}
	key, ok := parsePrivateKey(in.PrivateKey)
	if !ok {
		return nil, errACMValidation("Unable to parse private key. Please ensure the private key is in PEM format.") // probable
	}
	if !samePublicKey(certs[0], key) {
		return nil, errACMValidation("The private key did not match the public key in the certificate.") // probable
	}
	if in.Chain != "" {
		if _, ok := parsePEMCertificates(in.Chain); !ok {
			return nil, errACMValidation("Unable to parse certificate chain. Please ensure the certificate chain is in PEM format.") // probable
		}
	}
	x := certs[0]
	var out *model.Certificate
	err := e.write(func(t *txn) error {
		c := &model.Certificate{Created: t.now, Tags: in.Tags.Clone()}
		if in.ARN != "" {
			old := t.st.Certificates[in.ARN]
			if old == nil {
				return errACMNotFound(in.ARN)
			}
			if old.Type != "IMPORTED" {
				return errACMValidation("Certificate %s was not imported; only imported certificates can be reimported.", in.ARN) // probable
			}
			if len(in.Tags) > 0 {
				return errACMValidation("Tags cannot be specified when reimporting a certificate.") // probable
			}
			c.Created, c.Tags = old.Created, old.Tags.Clone()
			c.ARN = old.ARN
		} else {
			c.ARN = fmt.Sprintf("arn:%s:acm:%s:%s:certificate/%s", model.Partition(e.cfg.Region), e.cfg.Region, e.cfg.Account, t.uuid())
		}
		c.Type, c.Status, c.Imported = "IMPORTED", "ISSUED", t.now
		c.DomainName = x.Subject.CommonName
		c.SANs = slices.Clone(x.DNSNames)
		if c.DomainName == "" && len(c.SANs) > 0 {
			c.DomainName = c.SANs[0]
		}
		if c.DomainName != "" && !slices.Contains(c.SANs, c.DomainName) {
			c.SANs = append([]string{c.DomainName}, c.SANs...)
		}
		c.KeyAlgorithm = keyAlgorithmOf(x)
		c.NotBefore, c.NotAfter = x.NotBefore.UTC(), x.NotAfter.UTC()
		c.Serial = serialOf(fmt.Sprintf("%x", x.SerialNumber.Bytes()))
		c.Subject, c.Issuer = distinguishedName(x.RawSubject, x.Subject.String()), issuerName(x)
		c.KeyUsages, c.ExtendedKeyUsages = certificateUsages(x)
		c.Body, c.Chain = strings.TrimSpace(in.Certificate), strings.TrimSpace(in.Chain)
		put(t, model.KindCertificate, t.st.Certificates, c.ARN, c)
		out = c
		return nil
	})
	return out, err
}

// ACMCertificate returns a certificate by ARN.
func (e *Engine) ACMCertificate(st *model.State, arn string) (*model.Certificate, error) {
	if c := st.Certificates[arn]; c != nil {
		return c, nil
	}
	return nil, errACMNotFound(arn)
}

// CertificateInUseBy lists the load balancers (v2 and Classic) whose
// listeners name a certificate, by ARN.
func (e *Engine) CertificateInUseBy(st *model.State, arn string) []string {
	var out []string
	for _, l := range st.Listeners {
		if slices.Contains(l.Certificates, arn) && !slices.Contains(out, l.LoadBalancerARN) {
			out = append(out, l.LoadBalancerARN)
		}
	}
	for _, lb := range st.ClassicLoadBalancers {
		for _, l := range lb.Listeners {
			if l.SSLCertificateID == arn {
				a := model.ClassicLoadBalancerARN(e.cfg.Region, e.cfg.Account, lb.Name)
				if !slices.Contains(out, a) {
					out = append(out, a)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// DeleteCertificate deletes a certificate no load balancer uses.
func (e *Engine) DeleteCertificate(arn string) error {
	return e.write(func(t *txn) error {
		if _, err := e.ACMCertificate(t.st, arn); err != nil {
			return err
		}
		if users := e.CertificateInUseBy(t.st, arn); len(users) > 0 {
			return apierr.Newf("ResourceInUseException", "Certificate %s in use by %s", arn, strings.Join(users, ", ")) // probable
		}
		del(t, model.KindCertificate, t.st.Certificates, arn)
		return nil
	})
}

// TagCertificate adds and removes a certificate's tags (at most 50).
func (e *Engine) TagCertificate(arn string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		old, err := e.ACMCertificate(t.st, arn)
		if err != nil {
			return err
		}
		c := *old
		c.Tags = old.Tags.Clone()
		if c.Tags == nil {
			c.Tags = model.Tags{}
		}
		for k, v := range add {
			c.Tags[k] = v
		}
		for _, k := range remove {
			delete(c.Tags, k)
		}
		if len(c.Tags) > 50 {
			return apierr.New("TooManyTagsException", "the TagSet: contains too many Tags") // probable
		}
		put(t, model.KindCertificate, t.st.Certificates, arn, &c)
		return nil
	})
}
