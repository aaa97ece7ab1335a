package model

import "time"

// Certificate is an AWS Certificate Manager certificate: one ACM issued
// (RequestCertificate) or one imported (ImportCertificate). Load balancer
// listeners name it by ARN.
type Certificate struct {
	ARN              string
	DomainName       string
	SANs             []string // SubjectAlternativeNames, the domain name first
	Type             string   // AMAZON_ISSUED or IMPORTED
	Status           string   // ISSUED
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
}
