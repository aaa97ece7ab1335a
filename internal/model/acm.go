package model

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Certificate is an AWS Certificate Manager certificate: one ACM issued
// (RequestCertificate) or one imported (ImportCertificate). Load balancer
// listeners name it by ARN.
type Certificate struct {
	ARN              string
	DomainName       string
	SANs             []string // SubjectAlternativeNames, the domain name first
	Type             string   // AMAZON_ISSUED or IMPORTED
	Status           string   // PENDING_VALIDATION, ISSUED, VALIDATION_TIMED_OUT
	ValidationMethod string   // DNS or EMAIL (issued ones)
	KeyAlgorithm     string   // RSA_2048, EC_prime256v1, …
	Created          time.Time
	Issued           time.Time // issued ones
	Imported         time.Time // imported ones
	NotBefore        time.Time
	NotAfter         time.Time
	Serial           string
	Subject, Issuer  string
	// KeyUsages and ExtendedKeyUsages are an imported certificate's, by
	// ACM's names (DIGITAL_SIGNATURE, TLS_WEB_SERVER_AUTHENTICATION, …).
	KeyUsages, ExtendedKeyUsages []string
	Body, Chain                  string // PEM (imported ones)
	Tags                         Tags
	// IdempotencyToken is the request's token; ValidationTokens the
	// random part of each SAN's DNS validation record (issued ones).
	IdempotencyToken string
	ValidationTokens []string
	// Validated are the names (of SANs) whose DNS validation record ACM
	// has found: their ValidationStatus is SUCCESS.
	Validated []string `json:",omitempty"`
	// EmailsSent is set once ACM has mailed an EMAIL-validated
	// certificate's validation addresses (the Step pass, a few seconds
	// after the request): DescribeCertificate answers them from then on.
	EmailsSent bool `json:",omitempty"`
}

// ValidationRecord is the CNAME record that validates a DNS-validated
// certificate's i-th name (DNSValidationRecord of the name and its token).
func (c *Certificate) ValidationRecord(i int) (name, value string, ok bool) {
	if c.ValidationMethod != "DNS" || i >= len(c.ValidationTokens) || i >= len(c.SANs) || len(c.ValidationTokens[i]) < 26 {
		return "", "", false
	}
	name, value = DNSValidationRecord(c.SANs[i], c.ValidationTokens[i])
	return name, value, true
}

// DNSValidationRecord is ACM's CNAME record that validates domain with
// validation token tok: its name and value, each with ACM's trailing dot,
// in ACM's shape _<32 hex>.<domain>. → _<32 hex>.<10 letters>.acm-validations.aws.
// (public outputs of DescribeCertificate), the value derived from the
// token. A wildcard name shares its base name's record.
func DNSValidationRecord(domain, tok string) (name, value string) {
	sum := sha256.Sum256([]byte(tok))
	var letters [10]byte
	for j := range letters {
		letters[j] = 'a' + sum[16+j]%26
	}
	return "_" + tok + "." + strings.TrimPrefix(domain, "*.") + ".", "_" + hex.EncodeToString(sum[:16]) + "." + string(letters[:]) + ".acm-validations.aws."
}
