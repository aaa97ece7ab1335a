package terraform

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// The tls provider's tls_private_key and tls_self_signed_cert, made as
// the provider makes them (Go's crypto), so that a certificate imported
// into ACM from them (aws_acm_certificate with private_key and
// certificate_body) is a real one an HTTPS listener can use. The key
// material is new on every run (as the provider's is on every apply); the
// certificate's times follow ecsnet's clock.

// tlsPrivateKey: algorithm RSA (rsa_bits, 2048), ECDSA (ecdsa_curve, P224)
// or ED25519.
func tlsPrivateKey(c *rctx) error {
	var key crypto.Signer
	var err error
	switch alg := c.o.str("algorithm"); alg {
	case "RSA":
		bits, e := c.o.integer("rsa_bits", 2048)
		if e != nil {
			return e
		}
		key, err = rsa.GenerateKey(rand.Reader, bits)
	case "ECDSA":
		curves := map[string]elliptic.Curve{"P224": elliptic.P224(), "P256": elliptic.P256(), "P384": elliptic.P384(), "P521": elliptic.P521()}
		name := c.o.str("ecdsa_curve")
		if name == "" {
			name = "P224"
		}
		curve, ok := curves[name]
		if !ok {
			return c.errf("ecdsa_curve", "expected ecdsa_curve to be one of [\"P224\" \"P256\" \"P384\" \"P521\"], got %s", name)
		}
		key, err = ecdsa.GenerateKey(curve, rand.Reader)
	case "ED25519":
		_, key, err = ed25519.GenerateKey(rand.Reader)
	default:
		return c.errf("algorithm", "expected algorithm to be one of [\"RSA\" \"ECDSA\" \"ED25519\"], got %s", alg)
	}
	if err != nil {
		return c.errf("algorithm", "%v", err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return c.errf("algorithm", "%v", err)
	}
	var priv []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		priv = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return c.errf("algorithm", "%v", err)
		}
		priv = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
	default:
		priv = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	}
	pub, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return c.errf("algorithm", "%v", err)
	}
	c.set("private_key_pem", string(priv))
	c.set("private_key_pem_pkcs8", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})))
	c.set("public_key_pem", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))
	c.set("id", fmt.Sprintf("%x", crc(string(pub))))
	return nil
}

// parseKeyPEM reads a PEM private key (PKCS#1, SEC 1 or PKCS#8).
func parseKeyPEM(s string) (crypto.Signer, bool) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, false
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, true
	}
	if k, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
		return k, true
	}
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		if s, ok := k.(crypto.Signer); ok {
			return s, true
		}
	}
	return nil, false
}

// tlsSelfSignedCert: a certificate signed by its own private_key_pem, with
// the subject, dns_names, ip_addresses, validity_period_hours,
// allowed_uses and is_ca_certificate given.
func tlsSelfSignedCert(c *rctx) error {
	key, ok := parseKeyPEM(c.o.str("private_key_pem"))
	if !ok {
		if !c.o.get("private_key_pem").IsKnown() {
			return nil // its certificate is unknown too
		}
		return c.errf("private_key_pem", "failed to decode PEM block: decoded bytes 0, undecoded %d", len(c.o.str("private_key_pem")))
	}
	hours, err := c.o.integer("validity_period_hours", 0)
	if err != nil {
		return err
	}
	now := epoch()
	tpl := &x509.Certificate{SerialNumber: new(big.Int).SetBytes(c.seedBytes(16)), NotBefore: now, NotAfter: now.Add(time.Duration(hours) * time.Hour),
		DNSNames: c.o.strs("dns_names"), BasicConstraintsValid: true}
	if b, _ := c.o.boolean("is_ca_certificate"); b != nil && *b {
		tpl.IsCA = true
	}
	for _, ip := range c.o.strs("ip_addresses") {
		if a := net.ParseIP(ip); a != nil {
			tpl.IPAddresses = append(tpl.IPAddresses, a)
		}
	}
	for _, s := range c.o.blocks("subject") {
		tpl.Subject = pkix.Name{CommonName: s.str("common_name"), Organization: s.strs("organization"),
			OrganizationalUnit: s.strs("organizational_unit"), Country: s.strs("country"), Province: s.strs("province"),
			Locality: s.strs("locality"), StreetAddress: s.strs("street_address"), PostalCode: s.strs("postal_code"),
			SerialNumber: s.str("serial_number")}
		if o := s.str("organization"); o != "" && len(tpl.Subject.Organization) == 0 {
			tpl.Subject.Organization = []string{o}
		}
		if o := s.str("organizational_unit"); o != "" && len(tpl.Subject.OrganizationalUnit) == 0 {
			tpl.Subject.OrganizationalUnit = []string{o}
		}
	}
	uses := map[string]x509.KeyUsage{"digital_signature": x509.KeyUsageDigitalSignature, "content_commitment": x509.KeyUsageContentCommitment,
		"key_encipherment": x509.KeyUsageKeyEncipherment, "data_encipherment": x509.KeyUsageDataEncipherment,
		"key_agreement": x509.KeyUsageKeyAgreement, "cert_signing": x509.KeyUsageCertSign, "crl_signing": x509.KeyUsageCRLSign,
		"encipher_only": x509.KeyUsageEncipherOnly, "decipher_only": x509.KeyUsageDecipherOnly}
	ext := map[string]x509.ExtKeyUsage{"any_extended": x509.ExtKeyUsageAny, "server_auth": x509.ExtKeyUsageServerAuth,
		"client_auth": x509.ExtKeyUsageClientAuth, "code_signing": x509.ExtKeyUsageCodeSigning,
		"email_protection": x509.ExtKeyUsageEmailProtection, "timestamping": x509.ExtKeyUsageTimeStamping,
		"ocsp_signing": x509.ExtKeyUsageOCSPSigning}
	for _, u := range c.o.strs("allowed_uses") {
		if k, ok := uses[u]; ok {
			tpl.KeyUsage |= k
		} else if e, ok := ext[u]; ok {
			tpl.ExtKeyUsage = append(tpl.ExtKeyUsage, e)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, key.Public(), key)
	if err != nil {
		return c.errf("private_key_pem", "%v", err)
	}
	c.set("cert_pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	c.set("validity_start_time", tpl.NotBefore.Format(time.RFC3339))
	c.set("validity_end_time", tpl.NotAfter.Format(time.RFC3339))
	c.set("id", strings.TrimLeft(tpl.SerialNumber.String(), "0"))
	return nil
}
