package awsproto

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// REST-JSON (Amazon EFS): the operation is told by the HTTP method and the
// path, matched against each operation's requestUri template
// ("/2015-02-01/file-systems/{FileSystemId}"); members bound to the path
// ("uri"), the query string ("querystring") and headers ("header") come
// from there, the others from the JSON body. A successful response has
// the operation's responseCode (201 for CreateFileSystem, 204 with no body
// for DeleteFileSystem); an error is the JSON error document with the
// X-Amzn-ErrorType header, which the SDKs read the code from.

// restRoute is one operation's requestUri, split at "/".
type restRoute struct {
	op     *Operation
	method string
	segs   []string // literal segments, or "{Name}" / "{Name+}"
	params int      // how many segments are labels: fewer wins a tie
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// buildRoutes indexes a REST service's operations by method.
func (svc *Service) buildRoutes() {
	for _, name := range svc.opNames {
		op := svc.operations[name]
		if op.HTTPMethod == "" {
			continue
		}
		uri, _, _ := strings.Cut(op.RequestURI, "?")
		r := restRoute{op: op, method: op.HTTPMethod, segs: splitPath(uri)}
		for _, s := range r.segs {
			if strings.HasPrefix(s, "{") {
				r.params++
			}
		}
		svc.routes = append(svc.routes, r)
	}
}

// restOperation finds the operation a method and path call, with the
// path's labels (unescaped).
func (svc *Service) restOperation(method, escapedPath string) (*Operation, map[string]string) {
	svc.load()
	segs := splitPath(escapedPath)
	var best *restRoute
	var bestParams map[string]string
	for i := range svc.routes {
		r := &svc.routes[i]
		if r.method != method {
			continue
		}
		params, ok := matchRoute(r.segs, segs)
		if !ok {
			continue
		}
		if best == nil || r.params < best.params {
			best, bestParams = r, params
		}
	}
	if best == nil {
		return nil, nil
	}
	return best.op, bestParams
}

func matchRoute(tmpl, segs []string) (map[string]string, bool) {
	var params map[string]string
	for i, t := range tmpl {
		if i >= len(segs) {
			return nil, false
		}
		if !strings.HasPrefix(t, "{") {
			if t != segs[i] {
				return nil, false
			}
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(t, "{"), "}")
		value := segs[i]
		if greedy, ok := strings.CutSuffix(name, "+"); ok {
			name, value = greedy, strings.Join(segs[i:], "/")
			segs = segs[:i+1]
		}
		v, err := url.PathUnescape(value)
		if err != nil || v == "" {
			return nil, false
		}
		if params == nil {
			params = map[string]string{}
		}
		params[name] = v
	}
	return params, len(segs) == len(tmpl)
}

// identifyREST sets t's operation from the request's method and path.
func (t *Target) identifyREST(r *http.Request, body []byte) error {
	t.body = body
	path := "/"
	if r.URL != nil {
		path = r.URL.EscapedPath()
		t.query = r.URL.Query()
	}
	t.header = r.Header
	op, params := t.Service.restOperation(r.Method, path)
	if op == nil {
		return &apierr.Error{Code: "UnknownOperationException", HTTPStatus: http.StatusNotFound,
			Message: "No operation of " + t.Service.ServiceID + " matches " + r.Method + " " + path}
	}
	t.Operation, t.pathParams = op, params
	return nil
}

// DecodeREST decodes a REST-JSON request: the JSON body's members, then the
// members bound to the path, the query string and headers.
func (op *Operation) DecodeREST(body []byte, pathParams map[string]string, query url.Values, header http.Header) (Params, error) {
	out, err := op.decodeJSONBody(body)
	if err != nil || op.Input == nil {
		return out, err
	}
	if err := bindREST(op, out, pathParams, query, header); err != nil {
		return nil, err
	}
	if err := checkRequired(op, out); err != nil {
		return nil, err
	}
	return out, nil
}

// bindREST sets the members bound to the path, the query string and
// headers (REST-JSON and REST-XML).
func bindREST(op *Operation, out Params, pathParams map[string]string, query url.Values, header http.Header) error {
	for _, m := range op.Input.Members {
		name := cmpOr(m.LocationName, m.Name)
		var raw []string
		switch m.Location {
		case "uri":
			if v, ok := pathParams[name]; ok {
				raw = []string{v}
			}
		case "querystring":
			raw = query[name]
		case "header":
			if v := header.Get(name); v != "" {
				raw = []string{v}
			}
		default:
			continue
		}
		delete(out, m.Name)
		if len(raw) == 0 {
			continue
		}
		if m.Shape.Type == TypeList {
			vals := make([]any, 0, len(raw))
			for _, s := range raw {
				v, err := restScalar(m.Shape.Member.Shape, name, s)
				if err != nil {
					return err
				}
				vals = append(vals, v)
			}
			out[m.Name] = vals
			continue
		}
		v, err := restScalar(m.Shape, name, raw[0])
		if err != nil {
			return err
		}
		out[m.Name] = v
	}
	return nil
}

// restScalar converts a path, query-string or header value.
func restScalar(s *Shape, name, v string) (any, error) {
	bad := func() error {
		return apierr.Newf(CodeSerialization, "Value '%s' at '%s' can not be converted to %s", v, name, typeName(s.Type))
	}
	switch s.Type {
	case TypeInteger, TypeLong:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, bad()
		}
		return n, nil
	case TypeBoolean:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, bad()
		}
		return b, nil
	case TypeFloat, TypeDouble:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, bad()
		}
		return f, nil
	case TypeTimestamp:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, bad()
		}
		return t, nil
	}
	return v, nil
}

// StatusCode is the HTTP status of the operation's successful responses:
// a REST operation's responseCode, else 200.
func (op *Operation) StatusCode() int {
	if op.ResponseCode != 0 {
		return op.ResponseCode
	}
	return http.StatusOK
}
