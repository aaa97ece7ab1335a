package sts

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
)

// SAML attribute names AWS reads from an assertion (IAM User Guide,
// "Configure SAML assertions for the authentication response").
const (
	samlAttrSessionName    = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	samlAttrSourceIdentity = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
	samlNameIDFormatPrefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
)

// samlSessionNameRE is the form AWS requires of the RoleSessionName
// attribute ("RoleSessionName in AuthnResponse must match
// [a-zA-Z_0-9+=,.@-]{2,64}").
var samlSessionNameRE = regexp.MustCompile(`^[a-zA-Z_0-9+=,.@-]{2,64}$`)

// samlAssertion is what AssumeRoleWithSAML reads from a SAML response: the
// assertion's Issuer, its subject's NameID and the NameID's Format, the
// Recipient of its SubjectConfirmationData, and its attributes' values by
// attribute name.
type samlAssertion struct {
	Issuer    string
	Subject   string
	Format    string
	Recipient string
	Attrs     map[string][]string
}

// parseSAMLAssertion decodes a base64 SAML response and reads its
// assertion. Elements are matched by local name, whatever their namespace
// prefix (`saml:Attribute` and `Attribute` alike); attribute values are
// their text, whatever attributes (xsi:type) the value element carries.
func parseSAMLAssertion(encoded string) (samlAssertion, error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return samlAssertion{}, err
	}
	out := samlAssertion{Attrs: map[string][]string{}}
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var (
		stack     []string
		attrName  string
		text      strings.Builder
		capturing bool
		assertion bool
	)
	attr := func(e xml.StartElement, name string) string {
		for _, a := range e.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return samlAssertion{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			switch t.Name.Local {
			case "Assertion":
				assertion = true
			case "Attribute":
				attrName = attr(t, "Name")
			case "SubjectConfirmationData":
				if out.Recipient == "" {
					out.Recipient = attr(t, "Recipient")
				}
			case "NameID":
				if out.Format == "" {
					out.Format = attr(t, "Format")
				}
			}
			switch t.Name.Local {
			case "Issuer", "NameID", "AttributeValue":
				capturing = true
				text.Reset()
			}
		case xml.CharData:
			if capturing {
				text.Write(t)
			}
		case xml.EndElement:
			value := strings.TrimSpace(text.String())
			parent := ""
			if len(stack) > 1 {
				parent = stack[len(stack)-2]
			}
			switch t.Name.Local {
			case "Issuer":
				if assertion && parent == "Assertion" {
					out.Issuer = value
				}
			case "NameID":
				if parent == "Subject" && out.Subject == "" {
					out.Subject = value
				}
			case "AttributeValue":
				if attrName != "" {
					out.Attrs[attrName] = append(out.Attrs[attrName], value)
				}
			case "Attribute":
				attrName = ""
			}
			capturing = false
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if !assertion {
		return samlAssertion{}, errors.New("no assertion")
	}
	return out, nil
}

// assumeRoleWithSAML issues the credentials of the role RoleArn names for
// the user a SAML assertion describes: the session is named by the
// assertion's RoleSessionName attribute, and the answer carries the
// assertion's subject, its format without the SAML prefix, issuer,
// audience (the confirmation's Recipient) and NameQualifier,
// BASE64(SHA1(issuer + account + "/" + provider name)). Like
// AssumeRoleWithWebIdentity, ecsnet does not verify the assertion's
// signature or validity period.
func assumeRoleWithSAML(c *api.Call) (map[string]any, error) {
	invalid := func(msg string) error { return apierr.New("InvalidIdentityToken", msg) }
	a, err := parseSAMLAssertion(c.In.String("SAMLAssertion"))
	if err != nil {
		return nil, invalid("Invalid SAML response")
	}
	var session string
	if v := a.Attrs[samlAttrSessionName]; len(v) > 0 {
		session = v[0]
	}
	if !samlSessionNameRE.MatchString(session) {
		return nil, invalid("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
	}
	out, id, err := assumeAs(c, c.In.String("RoleArn"), session)
	if err != nil {
		return nil, err
	}
	provider := c.In.String("PrincipalArn")
	if i := strings.LastIndex(provider, "/"); i >= 0 {
		provider = provider[i:]
	}
	sum := sha1.Sum([]byte(a.Issuer + id.Account + provider))
	subjectType := a.Format
	if rest, ok := strings.CutPrefix(subjectType, samlNameIDFormatPrefix); ok {
		subjectType = rest
	}
	out["Subject"] = a.Subject
	out["SubjectType"] = subjectType
	out["Issuer"] = a.Issuer
	out["Audience"] = a.Recipient
	out["NameQualifier"] = base64.StdEncoding.EncodeToString(sum[:])
	if v := a.Attrs[samlAttrSourceIdentity]; len(v) > 0 {
		out["SourceIdentity"] = v[0]
	}
	return out, nil
}
