package awsproto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The client side of the wire: what a caller of a service (ecsnet collect)
// needs to make a request and read its answer, driven by the same models
// the server uses. Values are plain trees keyed by botocore member names
// (map[string]any, []any, string, bool, int64, float64), which is exactly
// what the aws CLI prints for an output, so a decoded answer can be written
// as the CLI would write it.

// Request is an encoded request: its body and the headers that say what
// it calls.
type Request struct {
	Body        []byte
	ContentType string
	// Target is the X-Amz-Target header of a JSON request ("" otherwise).
	Target string
	// Method and Path are a REST request's ("" otherwise: POST to "/"):
	// the requestUri with its labels filled in, and the query string.
	Method, Path string
}

// EncodeRequest serializes an operation's input as botocore's serializers
// do: a form (Action, Version and the members, EC2's or Query's dialect)
// for ec2 and query services, a JSON document for json services. in is
// keyed by member names; nil means no parameters.
func (op *Operation) EncodeRequest(in map[string]any) (Request, error) {
	svc := op.Service
	svc.load()
	switch svc.Protocol {
	case ProtocolJSON:
		body := []byte("{}")
		if len(in) > 0 {
			v, err := jsonRequestValue(op.Input, in)
			if err != nil {
				return Request{}, err
			}
			if body, err = json.Marshal(v); err != nil {
				return Request{}, err
			}
		}
		return Request{Body: body, ContentType: "application/x-amz-json-" + svc.jsonVersion(),
			Target: svc.TargetPrefix + "." + op.Name}, nil
	case ProtocolEC2, ProtocolQuery:
		form := url.Values{"Action": {op.Name}, "Version": {svc.APIVersion}}
		if len(in) > 0 {
			if op.Input == nil {
				return Request{}, fmt.Errorf("%s takes no input", op.Name)
			}
			if err := formStructure(form, svc.Protocol, op.Input, in, ""); err != nil {
				return Request{}, err
			}
		}
		return Request{Body: []byte(form.Encode()), ContentType: "application/x-www-form-urlencoded; charset=utf-8"}, nil
	case ProtocolRESTXML, ProtocolRESTJSON:
		return op.encodeRESTRequest(in)
	}
	return Request{}, fmt.Errorf("protocol %s has no client encoder", svc.Protocol)
}

// encodeRESTRequest serializes a REST-XML or REST-JSON request whose
// members are all bound to the path and the query string (the reads a
// collector makes: Route 53's ListHostedZones, GetHostedZone,
// ListResourceRecordSets; EFS's DescribeFileSystems, DescribeMountTargets,
// DescribeAccessPoints); a member bound to the body or a header is an
// error.
func (op *Operation) encodeRESTRequest(in map[string]any) (Request, error) {
	uri, rawQuery, _ := strings.Cut(op.RequestURI, "?")
	query := url.Values{}
	if rawQuery != "" {
		if q, err := url.ParseQuery(rawQuery); err == nil {
			query = q
		}
	}
	if len(in) > 0 && op.Input == nil {
		return Request{}, fmt.Errorf("%s takes no input", op.Name)
	}
	for name, v := range in {
		m := op.Input.MemberByName(name)
		if m == nil {
			return Request{}, fmt.Errorf("%s has no member %s", op.Name, name)
		}
		text, err := scalarText(m.Shape, v)
		if err != nil {
			return Request{}, fmt.Errorf("%s.%s: %w", op.Name, name, err)
		}
		loc := cmpOr(m.LocationName, m.Name)
		switch m.Location {
		case "uri":
			uri = strings.Replace(uri, "{"+loc+"+}", text, 1)
			uri = strings.Replace(uri, "{"+loc+"}", url.PathEscape(text), 1)
		case "querystring":
			query.Set(loc, text)
		default:
			return Request{}, fmt.Errorf("%s.%s: the client encodes path and query-string members only", op.Name, name)
		}
	}
	if strings.Contains(uri, "{") {
		return Request{}, fmt.Errorf("%s: a path label has no value: %s", op.Name, uri)
	}
	if len(query) > 0 {
		uri += "?" + query.Encode()
	}
	return Request{Method: op.HTTPMethod, Path: uri}, nil
}

func formName(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func formStructure(form url.Values, p Protocol, s *Shape, v map[string]any, prefix string) error {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := s.byName[k]
		if m == nil {
			return fmt.Errorf("shape %s has no member %q", s.Name, k)
		}
		if v[k] == nil {
			continue
		}
		if err := formValue(form, p, m, v[k], formName(prefix, m.serializedName(p))); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
	}
	return nil
}

// formValue follows botocore's QuerySerializer and EC2Serializer: EC2
// numbers list elements directly under the member (Filter.1.Value.1);
// Query nests them under the element name (Names.member.1) unless the
// list is flattened.
func formValue(form url.Values, p Protocol, m *Member, v any, key string) error {
	s := m.Shape
	switch s.Type {
	case TypeStructure:
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("want an object for %s, got %T", s.Name, v)
		}
		return formStructure(form, p, s, obj, key)
	case TypeList:
		items, ok := anyList(v)
		if !ok {
			return fmt.Errorf("want a list for %s, got %T", s.Name, v)
		}
		if len(items) == 0 {
			if p == ProtocolQuery {
				form.Set(key, "")
			}
			return nil
		}
		prefix := key
		if p == ProtocolQuery {
			if m.Flattened {
				if s.Member.LocationName != "" {
					i := strings.LastIndexByte(key, '.')
					prefix = key[:i+1] + s.Member.LocationName
				}
			} else {
				prefix = key + "." + cmpOr(s.Member.LocationName, "member")
			}
		}
		for i, item := range items {
			if err := formValue(form, p, s.Member, item, prefix+"."+strconv.Itoa(i+1)); err != nil {
				return err
			}
		}
		return nil
	case TypeMap:
		obj, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("want a map for %s, got %T", s.Name, v)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		prefix := key + ".entry"
		if m.Flattened {
			prefix = key
		}
		for i, k := range keys {
			entry := prefix + "." + strconv.Itoa(i+1)
			form.Set(entry+"."+cmpOr(s.Key.LocationName, "key"), k)
			if err := formValue(form, p, s.Value, obj[k], entry+"."+cmpOr(s.Value.LocationName, "value")); err != nil {
				return err
			}
		}
		return nil
	}
	text, err := scalarText(s, v)
	if err != nil {
		return err
	}
	form.Set(key, text)
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func anyList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []string:
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

// scalarText renders a scalar for a form.
func scalarText(s *Shape, v any) (string, error) {
	switch x := v.(type) {
	case string:
		if s.Type == TypeBlob {
			return base64.StdEncoding.EncodeToString([]byte(x)), nil
		}
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		if s.Type == TypeInteger || s.Type == TypeLong {
			return strconv.FormatInt(int64(x), 10), nil
		}
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05Z"), nil
	case []byte:
		return base64.StdEncoding.EncodeToString(x), nil
	}
	return "", fmt.Errorf("want a scalar for %s, got %T", s.Name, v)
}

// jsonRequestValue checks in against the input shape and renames members
// to their serialized names (JSON services rarely rename).
func jsonRequestValue(s *Shape, v any) (any, error) {
	if s == nil {
		return nil, errors.New("the operation takes no input")
	}
	switch s.Type {
	case TypeStructure:
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("want an object for %s, got %T", s.Name, v)
		}
		out := make(map[string]any, len(obj))
		for k, x := range obj {
			m := s.byName[k]
			if m == nil {
				return nil, fmt.Errorf("shape %s has no member %q", s.Name, k)
			}
			if x == nil {
				continue
			}
			y, err := jsonRequestValue(m.Shape, x)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[m.jsonName()] = y
		}
		return out, nil
	case TypeList:
		items, ok := anyList(v)
		if !ok {
			return nil, fmt.Errorf("want a list for %s, got %T", s.Name, v)
		}
		out := make([]any, len(items))
		for i, x := range items {
			y, err := jsonRequestValue(s.Member.Shape, x)
			if err != nil {
				return nil, err
			}
			out[i] = y
		}
		return out, nil
	case TypeTimestamp:
		if t, ok := v.(time.Time); ok {
			return float64(t.UnixNano()) / 1e9, nil
		}
	}
	return v, nil
}

// ResponseError is a service's error answer, read from the wire.
type ResponseError struct {
	StatusCode int
	Code       string
	Message    string
	RequestID  string
}

func (e *ResponseError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("HTTP %d: %s", e.StatusCode, e.Message)
	}
	return e.Code + ": " + e.Message
}

// ErrorCode, ErrorMessage and HTTPStatusCode let the AWS SDK's retry
// classification (throttling codes, 5xx) judge a ResponseError.
func (e *ResponseError) ErrorCode() string    { return e.Code }
func (e *ResponseError) ErrorMessage() string { return e.Message }
func (e *ResponseError) HTTPStatusCode() int  { return e.StatusCode }

// DecodeError reads an error answer in the service's protocol: EC2's
// <Response><Errors><Error>, Query's <ErrorResponse><Error>, or JSON's
// __type (or the X-Amzn-Errortype header, given as typeHeader).
func (s *Service) DecodeError(status int, typeHeader string, body []byte) *ResponseError {
	e := &ResponseError{StatusCode: status}
	if s.Protocol == ProtocolJSON || s.Protocol == ProtocolRESTJSON {
		var doc map[string]any
		_ = json.Unmarshal(body, &doc)
		code, _ := doc["__type"].(string)
		if code == "" {
			code = typeHeader
		}
		if i := strings.LastIndexByte(code, '#'); i >= 0 {
			code = code[i+1:]
		}
		code, _, _ = strings.Cut(code, ":")
		e.Code = code
		for _, k := range []string{"message", "Message", "errorMessage"} {
			if m, ok := doc[k].(string); ok {
				e.Message = m
				break
			}
		}
	} else {
		var doc struct {
			Code      string `xml:"Errors>Error>Code"`
			Message   string `xml:"Errors>Error>Message"`
			QCode     string `xml:"Error>Code"`
			QMessage  string `xml:"Error>Message"`
			RequestID string `xml:"RequestID"`
			QReqID    string `xml:"RequestId"`
		}
		_ = xml.Unmarshal(body, &doc)
		e.Code, e.Message = cmpOr(doc.Code, doc.QCode), cmpOr(doc.Message, doc.QMessage)
		e.RequestID = cmpOr(doc.RequestID, doc.QReqID)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = strings.TrimSpace(string(body[:min(len(body), 200)]))
	}
	return e
}

// DecodeResponse reads a successful answer into the value the aws CLI
// prints: members keyed by their botocore names, timestamps as the CLI v2
// prints them (ISO 8601 with the offset), blobs in base64. Elements the
// model does not know are skipped, and JSON values of an unexpected type
// are kept as sent, so an answer from an emulator that strays from the
// model still reads.
func (op *Operation) DecodeResponse(body []byte) (map[string]any, error) {
	op.Service.load()
	if op.Output == nil {
		return map[string]any{}, nil
	}
	if op.Service.Protocol == ProtocolJSON || op.Service.Protocol == ProtocolRESTJSON {
		// REST-JSON: the members bound to the body (a collector's reads
		// answer no header or status members it needs).
		var doc any
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		if err := d.Decode(&doc); err != nil {
			return nil, fmt.Errorf("%s: the answer is not JSON: %w", op.Name, err)
		}
		out, _ := jsonResponseValue(op.Output, doc).(map[string]any)
		if out == nil {
			return nil, fmt.Errorf("%s: the answer is not a JSON object", op.Name)
		}
		return out, nil
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	if _, err := nextStart(d); err != nil {
		return nil, fmt.Errorf("%s: the answer is not XML: %w", op.Name, err)
	}
	if op.Service.Protocol == ProtocolQuery {
		// <OpResponse><OpResult>members</OpResult><ResponseMetadata/>
		wrapper := cmpOr(op.ResultWrapper, op.Name+"Result")
		for {
			el, err := nextChild(d)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.Name, err)
			}
			if el == nil {
				return map[string]any{}, nil
			}
			if el.Name.Local == wrapper {
				break
			}
			if err := d.Skip(); err != nil {
				return nil, err
			}
		}
	}
	v, err := xmlStructure(d, op.Output)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op.Name, err)
	}
	return v, nil
}

// nextStart returns the next start element.
func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// nextChild returns the next child element of the current one, or nil at
// its end.
func nextChild(d *xml.Decoder) (*xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.EndElement:
			return nil, nil
		}
	}
}

// xmlName is a member's element name in a response.
func xmlName(m *Member) string {
	return cmpOr(m.LocationName, m.Name)
}

// xmlStructure reads the children of the current element as the members
// of s; flattened lists and maps gather their repeated elements.
func xmlStructure(d *xml.Decoder, s *Shape) (map[string]any, error) {
	out := map[string]any{}
	for {
		el, err := nextChild(d)
		if err != nil || el == nil {
			return out, err
		}
		m := structMemberByXML(s, el.Name.Local)
		if m == nil {
			if err := d.Skip(); err != nil {
				return nil, err
			}
			continue
		}
		switch {
		case m.Flattened && m.Shape.Type == TypeList:
			v, err := xmlValue(d, m.Shape.Member.Shape)
			if err != nil {
				return nil, err
			}
			l, _ := out[m.Name].([]any)
			out[m.Name] = append(l, v)
		case m.Flattened && m.Shape.Type == TypeMap:
			k, v, err := xmlMapEntry(d, m.Shape)
			if err != nil {
				return nil, err
			}
			mm, _ := out[m.Name].(map[string]any)
			if mm == nil {
				mm = map[string]any{}
				out[m.Name] = mm
			}
			mm[k] = v
		default:
			v, err := xmlValue(d, m.Shape)
			if err != nil {
				return nil, err
			}
			out[m.Name] = v
		}
	}
}

// structMemberByXML finds the member whose element is called name: its
// locationName or name, or for a flattened list its element's name.
func structMemberByXML(s *Shape, name string) *Member {
	for _, m := range s.Members {
		if xmlName(m) == name {
			return m
		}
		if m.Flattened && m.Shape.Type == TypeList && m.Shape.Member.LocationName == name {
			return m
		}
	}
	return nil
}

// xmlValue reads the current element (its start already read) as s.
func xmlValue(d *xml.Decoder, s *Shape) (any, error) {
	switch s.Type {
	case TypeStructure:
		return xmlStructure(d, s)
	case TypeList:
		items := []any{}
		for {
			el, err := nextChild(d)
			if err != nil {
				return nil, err
			}
			if el == nil {
				return items, nil
			}
			v, err := xmlValue(d, s.Member.Shape)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
		}
	case TypeMap:
		out := map[string]any{}
		for {
			el, err := nextChild(d) // <entry>
			if err != nil {
				return nil, err
			}
			if el == nil {
				return out, nil
			}
			k, v, err := xmlMapEntry(d, s)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
	}
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.StartElement:
			if err := d.Skip(); err != nil {
				return nil, err
			}
		case xml.EndElement:
			return scalarValue(s, text.String()), nil
		}
	}
}

// xmlMapEntry reads one entry's key and value elements.
func xmlMapEntry(d *xml.Decoder, s *Shape) (string, any, error) {
	var key string
	var val any
	keyName, valName := cmpOr(s.Key.LocationName, "key"), cmpOr(s.Value.LocationName, "value")
	for {
		el, err := nextChild(d)
		if err != nil {
			return "", nil, err
		}
		if el == nil {
			return key, val, nil
		}
		switch el.Name.Local {
		case keyName:
			k, err := xmlValue(d, s.Key.Shape)
			if err != nil {
				return "", nil, err
			}
			key = fmt.Sprint(k)
		case valName:
			if val, err = xmlValue(d, s.Value.Shape); err != nil {
				return "", nil, err
			}
		default:
			if err := d.Skip(); err != nil {
				return "", nil, err
			}
		}
	}
}

// scalarValue converts a scalar's text; text that does not parse as the
// model's type is kept as text.
func scalarValue(s *Shape, text string) any {
	switch s.Type {
	case TypeBoolean:
		if b, err := strconv.ParseBool(strings.TrimSpace(text)); err == nil {
			return b
		}
	case TypeInteger, TypeLong:
		if n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64); err == nil {
			return n
		}
	case TypeFloat, TypeDouble:
		if f, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil {
			return f
		}
	case TypeTimestamp:
		if t, ok := parseWireTime(strings.TrimSpace(text)); ok {
			return CLITime(t)
		}
	}
	return text
}

// parseWireTime reads ISO 8601 (with or without fractions or offset) or
// epoch seconds.
func parseWireTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z0700", time.RFC1123} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e6))*1000), true
	}
	return time.Time{}, false
}

// CLITime formats a timestamp as the aws CLI v2 prints it (Python's
// datetime.isoformat in UTC: microseconds only when not zero).
func CLITime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000-07:00")
	}
	return t.Format("2006-01-02T15:04:05-07:00")
}

// jsonResponseValue walks a decoded JSON answer along s: members keep
// their botocore names, timestamps become the CLI's text, numbers become
// int64 or float64; anything the model does not expect is kept as sent.
func jsonResponseValue(s *Shape, v any) any {
	switch x := v.(type) {
	case map[string]any:
		switch {
		case s != nil && s.Type == TypeStructure:
			out := make(map[string]any, len(x))
			for k, y := range x {
				m := s.byJSON[k]
				if m == nil {
					out[k] = jsonResponseValue(nil, y)
					continue
				}
				out[m.Name] = jsonResponseValue(m.Shape, y)
			}
			return out
		case s != nil && s.Type == TypeMap:
			out := make(map[string]any, len(x))
			for k, y := range x {
				out[k] = jsonResponseValue(s.Value.Shape, y)
			}
			return out
		}
		out := make(map[string]any, len(x))
		for k, y := range x {
			out[k] = jsonResponseValue(nil, y)
		}
		return out
	case []any:
		var el *Shape
		if s != nil && s.Type == TypeList {
			el = s.Member.Shape
		}
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = jsonResponseValue(el, y)
		}
		return out
	case json.Number:
		if s != nil && s.Type == TypeTimestamp {
			if t, ok := parseWireTime(x.String()); ok {
				return CLITime(t)
			}
		}
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case string:
		if s != nil && s.Type == TypeTimestamp {
			if t, ok := parseWireTime(x); ok {
				return CLITime(t)
			}
		}
	}
	return v
}
