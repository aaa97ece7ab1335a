package awsproto

import (
	"bytes"
	"net/http"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Protocols of services ecsnet does not emulate: a request to one is
// answered NotImplemented in the shape its client parses, so the aws CLI
// and the SDKs print the reason instead of an unparsable body.
const (
	ProtocolRESTJSON  Protocol = "rest-json"
	ProtocolRESTXML   Protocol = "rest-xml"
	ProtocolRPCv2CBOR Protocol = "smithy-rpc-v2-cbor"
)

// CodeNotImplemented is the error code of a service or operation ecsnet
// does not emulate (HTTP 501).
const CodeNotImplemented = "NotImplemented"

// foreign tells the service of a request to an AWS service ecsnet does not
// emulate, and the protocol its client speaks, from the request alone: the
// SigV4 credential scope's service, else X-Amz-Target's prefix. It returns
// nil for a request that names no service (an unsigned form, say), which
// Identify reports as before.
func (m *Models) foreign(r *http.Request, scopeService, amzTarget string, form bool) (*Service, string) {
	prefix, op, _ := strings.Cut(amzTarget, ".")
	name := scopeService
	if name == "" {
		name = prefix
	}
	if name == "" {
		return nil, ""
	}
	svc := &Service{Name: name, SigningName: scopeService, ServiceID: name, foreign: true}
	switch {
	case strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor"):
		svc.Protocol = ProtocolRPCv2CBOR
		if i := strings.LastIndex(r.URL.Path, "/operation/"); i >= 0 {
			op = r.URL.Path[i+len("/operation/"):]
		}
	case amzTarget != "":
		svc.Protocol, svc.TargetPrefix = ProtocolJSON, prefix
		if v, ok := strings.CutPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-"); ok {
			svc.JSONVersion = v
		}
	case form:
		svc.Protocol = ProtocolQuery
	case scopeService == "s3" || scopeService == "route53" || scopeService == "cloudfront" || scopeService == "s3-outposts":
		svc.Protocol = ProtocolRESTXML
	default:
		svc.Protocol = ProtocolRESTJSON
	}
	return svc, op
}

// notEmulated is the error for a request to a service ecsnet lacks.
func (m *Models) notEmulated(svc *Service, op string) *apierr.Error {
	names := make([]string, 0, len(m.services))
	for _, s := range m.services {
		if s.SigningName != "" && !slices.Contains(names, s.SigningName) {
			names = append(names, s.SigningName)
		}
	}
	call := ""
	if op != "" {
		call = " (" + op + ")"
	}
	return &apierr.Error{Code: CodeNotImplemented, HTTPStatus: http.StatusNotImplemented,
		Message: "ecsnet does not emulate the AWS service " + svc.Name + call + "; it emulates " + strings.Join(names, ", ") +
			" (their operations are listed in docs/coverage.md)"}
}

// restXMLErrorBody is a REST-XML service's error: S3 answers a bare
// <Error>, the others wrap it in <ErrorResponse>.
func restXMLErrorBody(svc *Service, requestID string, e *apierr.Error) []byte {
	if svc.SigningName != "s3" {
		// Route 53: <ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">.
		return QueryErrorBody(svc.XMLNamespace, requestID, e)
	}
	var b bytes.Buffer
	b.WriteString(xmlHeader)
	b.WriteString("<Error>")
	codeAndMessage(&b, e)
	b.WriteString("<RequestId>")
	escapeXML(&b, requestID)
	b.WriteString("</RequestId></Error>")
	return b.Bytes()
}
