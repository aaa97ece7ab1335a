package engine

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// IAM server certificates: the PEM certificates (with their private key and
// chain) that Classic Load Balancer listeners (SSLCertificateId) and
// Application/Network Load Balancer listeners (Certificates) name by ARN.
// IAM parses what it is given and refuses what does not parse; it never
// returns the private key.

// ServerCertificateARN is a server certificate's ARN.
func (e *Engine) ServerCertificateARN(c *model.ServerCertificate) string {
	return e.iamARN("server-certificate", c.Path, c.Name)
}

// ServerCertificateInput is UploadServerCertificate's input.
type ServerCertificateInput struct {
	Name, Path, Body, PrivateKey, Chain string
	Tags                                model.Tags
}

func malformedCertificate(format string, args ...any) error {
	return iamError("MalformedCertificate", http.StatusBadRequest, format, args...)
}

// parsePEMCertificates parses every CERTIFICATE block of s; ok is false
// when s holds none or one does not parse.
func parsePEMCertificates(s string) ([]*x509.Certificate, bool) {
	var out []*x509.Certificate
	rest := []byte(strings.TrimSpace(s))
	for len(bytes.TrimSpace(rest)) > 0 {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil || b.Type != "CERTIFICATE" {
			return nil, false
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, false
		}
		out = append(out, c)
	}
	return out, len(out) > 0
}

// parsePrivateKey parses a PEM private key (PKCS #1, PKCS #8 or SEC 1).
func parsePrivateKey(s string) (crypto.Signer, bool) {
	b, _ := pem.Decode([]byte(strings.TrimSpace(s)))
	if b == nil {
		return nil, false
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return k, true
	}
	if k, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
		return k, true
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, false
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, true
	case *ecdsa.PrivateKey:
		return k, true
	case ed25519.PrivateKey:
		return k, true
	}
	return nil, false
}

// samePublicKey reports whether the certificate's key is the private key's.
func samePublicKey(cert *x509.Certificate, key crypto.Signer) bool {
	pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(key.Public())
}

// UploadServerCertificate stores a server certificate after IAM's checks:
// the body must be a PEM certificate, the key a PEM private key that
// matches it, and the chain (when given) PEM certificates.
func (e *Engine) UploadServerCertificate(in ServerCertificateInput) (*model.ServerCertificate, error) {
	if err := checkIAMName("serverCertificateName", in.Name, 128); err != nil {
		return nil, err
	}
	path, err := checkIAMPath(in.Path)
	if err != nil {
		return nil, err
	}
	if err := checkIAMTags(in.Tags); err != nil {
		return nil, err
	}
	certs, ok := parsePEMCertificates(in.Body)
	if !ok || len(certs) != 1 {
		return nil, malformedCertificate("Unable to parse certificate. Please ensure the certificate is in PEM format.")
	}
	key, ok := parsePrivateKey(in.PrivateKey)
	if !ok {
		return nil, malformedCertificate("Unable to parse private key. Please ensure the private key is in PEM format.") // probable
	}
	if !samePublicKey(certs[0], key) {
		return nil, iamError("KeyPairMismatch", http.StatusBadRequest, "The public key certificate and the private key do not match.") // probable
	}
	if in.Chain != "" {
		if _, ok := parsePEMCertificates(in.Chain); !ok {
			return nil, malformedCertificate("Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: -1")
		}
	}
	var out *model.ServerCertificate
	err = e.write(func(t *txn) error {
		if t.st.ServerCertificates[in.Name] != nil {
			return iamError("EntityAlreadyExists", http.StatusConflict, "The Server Certificate with name %s already exists.", in.Name)
		}
		out = &model.ServerCertificate{Name: in.Name, Path: path, ID: t.iamID("ASCA"), Body: strings.TrimSpace(in.Body),
			Chain: strings.TrimSpace(in.Chain), Uploaded: t.now, Expiration: certs[0].NotAfter.UTC(), Tags: in.Tags.Clone()}
		put(t, model.KindServerCertificate, t.st.ServerCertificates, in.Name, out)
		return nil
	})
	return out, err
}

// ServerCertificate returns a server certificate by name.
func (e *Engine) ServerCertificate(st *model.State, name string) (*model.ServerCertificate, error) {
	if c := st.ServerCertificates[name]; c != nil {
		return c, nil
	}
	return nil, iamNoSuchEntity("The Server Certificate with name %s cannot be found.", name)
}

// ServerCertificateByARN returns the server certificate an ARN names, or
// nil.
func (e *Engine) ServerCertificateByARN(st *model.State, arn string) *model.ServerCertificate {
	i := strings.LastIndexByte(arn, '/')
	if i < 0 {
		return nil
	}
	if c := st.ServerCertificates[arn[i+1:]]; c != nil && e.ServerCertificateARN(c) == arn {
		return c
	}
	return nil
}

// UpdateServerCertificate renames a server certificate or changes its path.
func (e *Engine) UpdateServerCertificate(name, newName, newPath string) error {
	if newName != "" {
		if err := checkIAMName("newServerCertificateName", newName, 128); err != nil {
			return err
		}
	}
	if newPath != "" {
		if _, err := checkIAMPath(newPath); err != nil {
			return err
		}
	}
	return e.write(func(t *txn) error {
		old, err := e.ServerCertificate(t.st, name)
		if err != nil {
			return err
		}
		c := *old
		c.Tags = old.Tags.Clone()
		if newPath != "" {
			c.Path = newPath
		}
		if newName != "" && newName != name {
			if t.st.ServerCertificates[newName] != nil {
				return iamError("EntityAlreadyExists", http.StatusConflict, "The Server Certificate with name %s already exists.", newName)
			}
			c.Name = newName
			del(t, model.KindServerCertificate, t.st.ServerCertificates, name)
		}
		put(t, model.KindServerCertificate, t.st.ServerCertificates, c.Name, &c)
		return nil
	})
}

// TagServerCertificate adds and removes a server certificate's tags.
func (e *Engine) TagServerCertificate(name string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		old, err := e.ServerCertificate(t.st, name)
		if err != nil {
			return err
		}
		c := *old
		c.Tags = changeTags(old.Tags.Clone(), add, remove)
		if err := checkIAMTags(c.Tags); err != nil {
			return err
		}
		put(t, model.KindServerCertificate, t.st.ServerCertificates, name, &c)
		return nil
	})
}

// DeleteServerCertificate deletes a server certificate.
func (e *Engine) DeleteServerCertificate(name string) error {
	return e.write(func(t *txn) error {
		if _, err := e.ServerCertificate(t.st, name); err != nil {
			return err
		}
		del(t, model.KindServerCertificate, t.st.ServerCertificates, name)
		return nil
	})
}
