// Package acm serves AWS Certificate Manager (JSON) as far as load balancer
// listeners need it: RequestCertificate, ImportCertificate,
// DescribeCertificate, GetCertificate, ListCertificates,
// DeleteCertificate and the certificate tags. ACM is regional; HTTPS and
// TLS listeners name its certificates by ARN.
package acm

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the ACM handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("acm", op, h) }
	add("RequestCertificate", requestCertificate)
	add("ImportCertificate", importCertificate)
	add("DescribeCertificate", describeCertificate)
	add("GetCertificate", getCertificate)
	add("ListCertificates", listCertificates)
	add("DeleteCertificate", deleteCertificate)
	add("AddTagsToCertificate", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.TagCertificate(c.In.String("CertificateArn"), tagsIn(c), nil)
	})
	add("RemoveTagsFromCertificate", func(c *api.Call) (map[string]any, error) {
		var keys []string
		for _, t := range c.In.Structs("Tags") {
			keys = append(keys, t.String("Key"))
		}
		return nil, c.Engine.TagCertificate(c.In.String("CertificateArn"), nil, keys)
	})
	add("ListTagsForCertificate", func(c *api.Call) (map[string]any, error) {
		cert, err := read(c)
		if err != nil {
			return nil, err
		}
		return map[string]any{"Tags": api.TagList(cert.Tags, "Key", "Value")}, nil
	})
}

func tagsIn(c *api.Call) model.Tags { return api.KeyValues(c.In.Structs("Tags"), "Key", "Value") }

func read(c *api.Call) (*model.Certificate, error) {
	var cert *model.Certificate
	var err error
	c.Engine.Read(func(st *model.State) { cert, err = c.Engine.ACMCertificate(st, c.In.String("CertificateArn")) })
	return cert, err
}

func requestCertificate(c *api.Call) (map[string]any, error) {
	in := engine.RequestCertificateInput{DomainName: c.In.String("DomainName"), SANs: c.In.Strings("SubjectAlternativeNames"),
		ValidationMethod: c.In.String("ValidationMethod"), KeyAlgorithm: c.In.String("KeyAlgorithm"),
		IdempotencyToken: c.In.String("IdempotencyToken"), Tags: tagsIn(c)}
	cert, err := c.Engine.RequestCertificate(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"CertificateArn": cert.ARN}, nil
}

func importCertificate(c *api.Call) (map[string]any, error) {
	cert, err := c.Engine.ImportCertificate(engine.ImportCertificateInput{ARN: c.In.String("CertificateArn"),
		Certificate: string(c.In.Blob("Certificate")), PrivateKey: string(c.In.Blob("PrivateKey")),
		Chain: string(c.In.Blob("CertificateChain")), Tags: tagsIn(c)})
	if err != nil {
		return nil, err
	}
	return map[string]any{"CertificateArn": cert.ARN}, nil
}

// extendedKeyUsageOIDs are the OIDs of the extended key usages by ACM's
// names.
var extendedKeyUsageOIDs = map[string]string{"TLS_WEB_SERVER_AUTHENTICATION": "1.3.6.1.5.5.7.3.1",
	"TLS_WEB_CLIENT_AUTHENTICATION": "1.3.6.1.5.5.7.3.2", "CODE_SIGNING": "1.3.6.1.5.5.7.3.3",
	"EMAIL_PROTECTION": "1.3.6.1.5.5.7.3.4", "IPSEC_END_SYSTEM": "1.3.6.1.5.5.7.3.5", "IPSEC_TUNNEL": "1.3.6.1.5.5.7.3.6",
	"IPSEC_USER": "1.3.6.1.5.5.7.3.7", "TIME_STAMPING": "1.3.6.1.5.5.7.3.8", "OCSP_SIGNING": "1.3.6.1.5.5.7.3.9", "ANY": "2.5.29.37.0"}

// keyUsages are a certificate's key usages and extended key usages (name,
// OID). An imported certificate's are its own (an extended usage ACM has
// no name for: CUSTOM with its OID). One ACM issued has
// DIGITAL_SIGNATURE and KEY_ENCIPHERMENT for an RSA key (DIGITAL_SIGNATURE
// alone for an EC key, which cannot encipher),
// TLS_WEB_SERVER_AUTHENTICATION and TLS_WEB_CLIENT_AUTHENTICATION; none
// before it is issued.
func keyUsages(cert *model.Certificate) (ku []string, eku [][2]string) {
	if cert.Type == "IMPORTED" {
		ku = append([]string{}, cert.KeyUsages...)
		eku = [][2]string{}
		for _, n := range cert.ExtendedKeyUsages {
			if oid, ok := extendedKeyUsageOIDs[n]; ok {
				eku = append(eku, [2]string{n, oid})
			} else {
				eku = append(eku, [2]string{"CUSTOM", n})
			}
		}
		return ku, eku
	}
	if cert.Status != "ISSUED" {
		return []string{}, nil
	}
	ku = []string{"DIGITAL_SIGNATURE"}
	if strings.HasPrefix(cert.KeyAlgorithm, "RSA") {
		ku = append(ku, "KEY_ENCIPHERMENT")
	}
	return ku, [][2]string{{"TLS_WEB_SERVER_AUTHENTICATION", "1.3.6.1.5.5.7.3.1"}, {"TLS_WEB_CLIENT_AUTHENTICATION", "1.3.6.1.5.5.7.3.2"}}
}

// keyAlgorithm is a key algorithm as DescribeCertificate and
// ListCertificates answer it: RSA-2048, EC-prime256v1 (the request's
// RSA_2048, EC_prime256v1 with a hyphen).
func keyAlgorithm(cert *model.Certificate) string {
	return strings.ReplaceAll(cert.KeyAlgorithm, "_", "-")
}

// validationOptions are a requested certificate's DomainValidationOptions:
// each name's ValidationStatus (SUCCESS once validated; PENDING_VALIDATION
// before; FAILED once the request timed out [choice]) and, validated by
// DNS, the CNAME record that validates it.
func validationOptions(cert *model.Certificate) []any {
	out := make([]any, len(cert.SANs))
	for i, n := range cert.SANs {
		status := "PENDING_VALIDATION"
		switch {
		case cert.Status == "ISSUED" || slices.Contains(cert.Validated, n):
			status = "SUCCESS"
		case cert.Status == "VALIDATION_TIMED_OUT":
			status = "FAILED"
		}
		o := map[string]any{"DomainName": n, "ValidationDomain": n, "ValidationStatus": status, "ValidationMethod": cert.ValidationMethod}
		if cert.ValidationMethod == "EMAIL" {
			o["ValidationEmails"] = []string{}
			if cert.EmailsSent {
				o["ValidationEmails"] = validationEmails(n)
			}
		}
		if name, value, ok := cert.ValidationRecord(i); ok {
			o["ResourceRecord"] = map[string]any{"Name": name, "Type": "CNAME", "Value": value}
		}
		out[i] = o
	}
	return out
}

// validationEmails are the addresses ACM mails to validate name by EMAIL:
// the five common system addresses of its validation domain, the name
// itself (a wildcard's without "*."): "ACM sends email to the domain
// registrant, technical contact, and administrative contact in WHOIS and
// the following five addresses: admin@, administrator@, hostmaster@,
// postmaster@, webmaster@" (ResendValidationEmail, ValidationDomain).
// ecsnet knows no WHOIS contacts ([choice]: the five alone). Right after
// the request the list is empty, as AWS answers it, until the Step pass
// has mailed them (Certificate.EmailsSent).
func validationEmails(name string) []string {
	domain := strings.TrimPrefix(name, "*.")
	out := make([]string, 0, 5)
	for _, box := range []string{"admin", "administrator", "hostmaster", "postmaster", "webmaster"} {
		out = append(out, box+"@"+domain)
	}
	return out
}

func detail(c *api.Call, st *model.State, cert *model.Certificate) map[string]any {
	inUse := c.Engine.CertificateInUseBy(st, cert.ARN)
	if inUse == nil {
		inUse = []string{}
	}
	out := map[string]any{
		"CertificateArn": cert.ARN, "DomainName": cert.DomainName, "SubjectAlternativeNames": cert.SANs,
		"Subject": cert.Subject, "CreatedAt": api.Time(cert.Created),
		"Status": cert.Status, "KeyAlgorithm": keyAlgorithm(cert), "InUseBy": inUse, "Type": cert.Type,
		"RenewalEligibility": "INELIGIBLE", "Options": map[string]any{"CertificateTransparencyLoggingPreference": "ENABLED"},
	}
	if cert.Issuer != "" {
		// Amazon issues a requested certificate: AWS answers the issuer
		// while it is still PENDING_VALIDATION (or FAILED) too.
		out["Issuer"] = cert.Issuer
	}
	if !cert.NotAfter.IsZero() {
		// A certificate not issued yet has no serial or validity
		// (DescribeCertificate answers neither).
		out["Serial"] = cert.Serial
		out["NotBefore"], out["NotAfter"] = api.Time(cert.NotBefore), api.Time(cert.NotAfter)
	}
	ku, eku := keyUsages(cert)
	kus := make([]any, len(ku))
	for i, k := range ku {
		kus[i] = map[string]any{"Name": k}
	}
	ekus := make([]any, len(eku))
	for i, k := range eku {
		ekus[i] = map[string]any{"Name": k[0], "OID": k[1]}
	}
	out["KeyUsages"], out["ExtendedKeyUsages"] = kus, ekus
	if strings.HasPrefix(cert.KeyAlgorithm, "RSA") {
		out["SignatureAlgorithm"] = "SHA256WITHRSA"
	} else {
		out["SignatureAlgorithm"] = "SHA256WITHECDSA"
	}
	if cert.Type == "IMPORTED" {
		// An imported certificate is not logged to Certificate
		// Transparency; its validation options name its domains only.
		out["ImportedAt"] = api.Time(cert.Imported)
		out["Options"] = map[string]any{"CertificateTransparencyLoggingPreference": "DISABLED"}
		dvo := make([]any, len(cert.SANs))
		for i, n := range cert.SANs {
			dvo[i] = map[string]any{"DomainName": n}
		}
		out["DomainValidationOptions"] = dvo
	} else {
		if cert.Status == "ISSUED" {
			out["IssuedAt"] = api.Time(cert.Issued)
		}
		out["DomainValidationOptions"] = validationOptions(cert)
		if len(inUse) > 0 {
			out["RenewalEligibility"] = "ELIGIBLE"
		}
	}
	return out
}

func describeCertificate(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var cert *model.Certificate
		if cert, err = c.Engine.ACMCertificate(st, c.In.String("CertificateArn")); err == nil {
			out = detail(c, st, cert)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Certificate": out}, nil
}

func getCertificate(c *api.Call) (map[string]any, error) {
	cert, err := read(c)
	if err != nil {
		return nil, err
	}
	if cert.Body == "" {
		// ecsnet signs no certificate of its own for an issued one.
		return nil, apierr.Newf("RequestInProgressException", "Certificate %s has no PEM body in ecsnet: it was requested, not imported.", cert.ARN) // [choice]
	}
	out := map[string]any{"Certificate": cert.Body}
	if cert.Chain != "" {
		out["CertificateChain"] = cert.Chain
	}
	return out, nil
}

// defaultKeyTypes are the key types ListCertificates answers without an
// Includes.keyTypes filter.
var defaultKeyTypes = []string{"RSA_1024", "RSA_2048"}

func listCertificates(c *api.Call) (map[string]any, error) {
	statuses := c.In.Strings("CertificateStatuses")
	keyTypes := defaultKeyTypes
	if inc := c.In.Struct("Includes"); inc != nil && len(inc.Strings("keyTypes")) > 0 {
		keyTypes = inc.Strings("keyTypes")
	}
	var certs []*model.Certificate
	var inUse map[string]bool
	c.Engine.Read(func(st *model.State) {
		inUse = map[string]bool{}
		for _, cert := range st.Certificates {
			if (len(statuses) == 0 || slices.Contains(statuses, cert.Status)) && slices.Contains(keyTypes, cert.KeyAlgorithm) {
				certs = append(certs, cert)
				inUse[cert.ARN] = len(c.Engine.CertificateInUseBy(st, cert.ARN)) > 0
			}
		}
	})
	key := func(cert *model.Certificate) string { return cert.ARN }
	n := int(c.In.IntOr("MaxItems", 1000))
	page, next, ok := api.Paginate(certs, key, c.In.String("NextToken"), n)
	if !ok {
		return nil, apierr.New("InvalidArgsException", "The nextToken is not valid.") // probable
	}
	out := make([]any, len(page))
	for i, cert := range page {
		sum := map[string]any{"CertificateArn": cert.ARN, "DomainName": cert.DomainName,
			"SubjectAlternativeNameSummaries": cert.SANs, "HasAdditionalSubjectAlternativeNames": false,
			"Status": cert.Status, "Type": cert.Type, "KeyAlgorithm": keyAlgorithm(cert),
			"InUse": inUse[cert.ARN], "CreatedAt": api.Time(cert.Created), "RenewalEligibility": "INELIGIBLE"}
		if !cert.NotAfter.IsZero() {
			sum["NotBefore"], sum["NotAfter"] = api.Time(cert.NotBefore), api.Time(cert.NotAfter)
		}
		ku, eku := keyUsages(cert)
		ekus := make([]string, len(eku))
		for j, k := range eku {
			ekus[j] = k[0]
		}
		sum["KeyUsages"], sum["ExtendedKeyUsages"] = ku, ekus
		if cert.Type == "AMAZON_ISSUED" {
			if cert.Status == "ISSUED" {
				sum["IssuedAt"] = api.Time(cert.Issued)
			}
		} else {
			sum["ImportedAt"] = api.Time(cert.Imported)
		}
		out[i] = sum
	}
	res := map[string]any{"CertificateSummaryList": out}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

func deleteCertificate(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteCertificate(c.In.String("CertificateArn"))
}
