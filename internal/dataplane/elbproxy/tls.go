package elbproxy

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

// SelfSigned returns a certificate for name, self-signed and kept in
// memory: an HTTPS listener's stand-in for its ACM or IAM certificate.
// Clients of the data plane do not validate it (as `curl -k`), and ELB
// does not validate its targets' certificates either.
func SelfSigned(name string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// tlsConfig returns the node's TLS configuration for its HTTPS
// listeners, generating its certificate on first use.
func (p *LoadBalancer) tlsConfig() (*tls.Config, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cert == nil {
		name := p.lb.DNSName
		if name == "" {
			name = p.lb.Name
		}
		c, err := SelfSigned(name)
		if err != nil {
			return nil, err
		}
		p.cert = &c
	}
	// HTTP/1.1 only: the node's reverse proxy reads HTTP/1.x requests.
	return &tls.Config{Certificates: []tls.Certificate{*p.cert}, NextProtos: []string{"http/1.1"}, MinVersion: tls.VersionTLS12}, nil
}
