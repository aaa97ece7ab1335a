package awsproto

import (
	"cmp"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Target is what a request calls. After an error from Identify, Service is
// still set when the service could be told, so the caller can report the
// error in that service's protocol (Service.WriteError works on nil too).
type Target struct {
	Service   *Service
	Operation *Operation
	// Region comes from the SigV4 credential scope; it is "" for an
	// unsigned request and the server picks its default.
	Region string

	form url.Values // ec2 and query requests: the parsed parameters
	body []byte     // json and rest-json requests
	// rest-json requests: the path's labels, the query and the headers
	pathParams map[string]string
	query      url.Values
	header     http.Header
}

// Identify tells which service, operation and region a request calls.
// body is the request body, already read and size-bounded by the caller.
//
// The service comes from the SigV4 credential scope (Authorization header,
// or X-Amz-Credential for presigned requests: ec2, ecs,
// elasticloadbalancing, autoscaling), else from X-Amz-Target's prefix
// (AmazonEC2ContainerServiceV20141113), else from the form's Version
// (2016-11-15 EC2, 2015-12-01 ELBv2, 2012-06-01 Classic ELB, 2011-01-01
// Auto Scaling); where two services share a signing name (Classic ELB and
// ELBv2), the form's Version picks one. The
// operation is X-Amz-Target's suffix for JSON services and the form's
// Action otherwise.
//
// Errors are *apierr.Error: InvalidAction (EC2, Query) or
// UnknownOperationException (JSON) for an operation the service lacks,
// MissingAction when there is no Action, MalformedQueryString for a form
// that does not parse.
func (m *Models) Identify(r *http.Request, body []byte) (Target, error) {
	var t Target
	scopeService, region := CredentialScope(r)
	t.Region = region
	if scopeService != "" {
		t.Service = m.bySigningName[scopeService]
	}
	amzTarget := r.Header.Get("X-Amz-Target")
	if t.Service == nil && amzTarget != "" {
		prefix, _, _ := strings.Cut(amzTarget, ".")
		t.Service = m.byTargetPrefix[prefix]
	}
	cbor := strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor")
	if t.Service == nil && cbor && r.URL != nil {
		// An unsigned RPC v2 request names its service in its path:
		// /service/{ServiceShape}/operation/{Operation}.
		if rest, ok := strings.CutPrefix(r.URL.Path, "/service/"); ok {
			name, _, _ := strings.Cut(rest, "/")
			t.Service = m.byTargetPrefix[name]
		}
	}
	if t.Service != nil && t.Service.variants != nil {
		// A service of several protocols answers in the one the client
		// sent (CloudWatch: the Go SDK v2 sends CBOR, botocore JSON 1.0,
		// Terraform's older SDK Query).
		switch {
		case cbor:
			t.Service = cmp.Or(t.Service.Variant(ProtocolRPCv2CBOR), t.Service)
		case amzTarget != "":
			t.Service = cmp.Or(t.Service.Variant(ProtocolJSON), t.Service)
		default:
			t.Service = t.Service.Variant(ProtocolQuery)
		}
	}
	if t.Service != nil && t.Service.Protocol == ProtocolRPCv2CBOR {
		t.body = body
		i := strings.LastIndex(r.URL.Path, "/operation/")
		if i < 0 {
			return t, unknownOperation(t.Service, r.URL.Path)
		}
		op := r.URL.Path[i+len("/operation/"):]
		if t.Operation = t.Service.Operation(op); t.Operation == nil {
			return t, unknownOperation(t.Service, op)
		}
		return t, nil
	}
	if t.Service == nil && (scopeService != "" || amzTarget != "") {
		// A service ecsnet does not emulate: NotImplemented, in the shape
		// the service's clients parse.
		action := ""
		if f, err := requestForm(r, body); err == nil {
			action = f.Get("Action")
		}
		if svc, op := m.foreign(r, scopeService, amzTarget, action != ""); svc != nil {
			if op == "" {
				op = action
			}
			t.Service = svc
			return t, m.notEmulated(svc, op)
		}
	}
	if t.Service != nil && (t.Service.Protocol == ProtocolRESTJSON || t.Service.Protocol == ProtocolRESTXML) {
		return t, t.identifyREST(r, body)
	}
	if t.Service != nil && t.Service.Protocol == ProtocolJSON {
		t.body = body
		prefix, op, ok := strings.Cut(amzTarget, ".")
		if !ok || prefix != t.Service.TargetPrefix {
			return t, unknownOperation(t.Service, amzTarget)
		}
		if t.Operation = t.Service.Operation(op); t.Operation == nil {
			return t, unknownOperation(t.Service, op)
		}
		return t, nil
	}

	form, err := requestForm(r, body)
	if err != nil {
		return t, err
	}
	t.form = form
	action := form.Get("Action")
	if t.Service != nil {
		// One signing name can serve two APIs (elasticloadbalancing: Classic
		// ELB 2012-06-01 and ELBv2 2015-12-01): the form's Version tells.
		if alt := m.byAPIVersion[form.Get("Version")]; alt != nil && alt != t.Service && alt.SigningName == t.Service.SigningName {
			t.Service = alt
		}
	}
	if t.Service == nil {
		version := form.Get("Version")
		t.Service = m.byAPIVersion[version]
		if t.Service == nil || t.Service.Protocol == ProtocolJSON {
			t.Service = nil
			if action == "" {
				return t, apierr.New(CodeMissingAction, "Missing Action")
			}
			return t, apierr.Newf(CodeInvalidAction, "Could not find operation %s for version %s", action, version)
		}
	}
	if action == "" {
		return t, apierr.New(CodeMissingAction, "Missing Action")
	}
	if t.Operation = t.Service.Operation(action); t.Operation == nil {
		return t, unknownOperation(t.Service, action)
	}
	return t, nil
}

// Decode decodes the identified request's parameters; see Operation.Decode.
func (t Target) Decode() (Params, error) {
	if t.Operation == nil {
		return nil, apierr.Internal()
	}
	switch t.Service.Protocol {
	case ProtocolJSON:
		return t.Operation.DecodeJSON(t.body)
	case ProtocolRPCv2CBOR:
		return t.Operation.DecodeCBOR(t.body)
	case ProtocolRESTJSON:
		return t.Operation.DecodeREST(t.body, t.pathParams, t.query, t.header)
	case ProtocolRESTXML:
		return t.Operation.DecodeRESTXML(t.body, t.pathParams, t.query, t.header)
	}
	return t.Operation.DecodeForm(t.form)
}

// CredentialScope returns the service and region of a SigV4 credential
// scope ("AKID/20260101/us-east-1/ec2/aws4_request"), or "" when the
// request carries none. A SigV4a scope has no region.
func CredentialScope(r *http.Request) (service, region string) {
	cred := ""
	if auth := r.Header.Get("Authorization"); auth != "" {
		if i := strings.Index(auth, "Credential="); i >= 0 {
			cred = auth[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	} else if r.URL != nil {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	if cred == "" {
		return "", ""
	}
	parts := strings.Split(cred, "/")
	switch {
	case len(parts) == 5 && parts[4] == "aws4_request":
		return parts[3], parts[2]
	case len(parts) == 4 && parts[3] == "aws4_request":
		return parts[2], ""
	}
	return "", ""
}

// requestForm parses a form-encoded body and the URL query; body values
// come first.
func requestForm(r *http.Request, body []byte) (url.Values, error) {
	var values url.Values
	if r.URL != nil && r.URL.RawQuery != "" {
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return nil, apierr.New(CodeMalformedQueryString, "The query string is malformed.")
		}
		values = q
	}
	if len(body) > 0 && isForm(r.Header.Get("Content-Type")) {
		b, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, apierr.New(CodeMalformedQueryString, "The request body is not a valid form.")
		}
		if values == nil {
			values = b
		} else {
			for k, v := range values {
				b[k] = append(b[k], v...)
			}
			values = b
		}
	}
	if values == nil {
		values = url.Values{}
	}
	return values, nil
}

func isForm(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}
