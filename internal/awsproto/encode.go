package awsproto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// EncodeError is a handler's output that does not fit the operation's
// output shape: an unknown member name or a value of the wrong type.
type EncodeError struct {
	Operation string
	Path      string // member path in the output, e.g. "Vpcs[0].Tags[1].Key"
	Problem   string
}

func (e *EncodeError) Error() string {
	return fmt.Sprintf("awsproto: %s output %s: %s", e.Operation, e.Path, e.Problem)
}

// pathError accumulates the member path while an encoding error unwinds.
type pathError struct {
	segs    []string // innermost first
	problem string
}

func (e *pathError) Error() string { return e.problem }

func (e *pathError) in(seg string) *pathError {
	e.segs = append(e.segs, seg)
	return e
}

// inPath adds a path segment to an encoding error.
func inPath(err error, seg string) error {
	if pe, ok := err.(*pathError); ok {
		return pe.in(seg)
	}
	return err
}

func newPathError(format string, args ...any) *pathError {
	return &pathError{problem: fmt.Sprintf(format, args...)}
}

func (op *Operation) encodeError(err error) error {
	pe, ok := err.(*pathError)
	if !ok {
		return err
	}
	var b strings.Builder
	for i := len(pe.segs) - 1; i >= 0; i-- {
		s := pe.segs[i]
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return &EncodeError{Operation: op.Service.Name + "." + op.Name, Path: b.String(), Problem: pe.problem}
}

// MarshalResponse encodes a handler's output (keyed by the output shape's
// member names) as the operation's protocol sends a successful response,
// and returns the body and its Content-Type. Members that the output shape
// lacks, and values of the wrong type, are an *EncodeError.
func (op *Operation) MarshalResponse(requestID string, out map[string]any) (body []byte, contentType string, err error) {
	return op.AppendResponse(make([]byte, 0, 1024), requestID, out)
}

// AppendResponse is MarshalResponse appending to dst, so a server can
// reuse buffers.
func (op *Operation) AppendResponse(dst []byte, requestID string, out map[string]any) (body []byte, contentType string, err error) {
	b := bytes.NewBuffer(dst)
	contentType, err = op.encode(xmlEncoder{b: b}, requestID, out)
	if err != nil {
		return nil, "", err
	}
	return b.Bytes(), contentType, nil
}

// ContentType is the Content-Type of the operation's successful responses.
func (op *Operation) ContentType() string {
	switch op.Service.Protocol {
	case ProtocolEC2:
		return "text/xml;charset=UTF-8"
	case ProtocolQuery:
		return "text/xml"
	case ProtocolRESTJSON:
		return "application/json"
	case ProtocolRESTXML:
		return "text/xml"
	case ProtocolRPCv2CBOR:
		return "application/cbor"
	}
	return "application/x-amz-json-" + op.Service.jsonVersion()
}

func (op *Operation) encode(e xmlEncoder, requestID string, out map[string]any) (contentType string, err error) {
	if op.Output == nil && len(out) > 0 {
		for k, v := range out {
			if !isNil(v) {
				return "", &EncodeError{Operation: op.Service.Name + "." + op.Name, Path: k, Problem: "operation has no output"}
			}
		}
	}
	switch op.Service.Protocol {
	case ProtocolEC2:
		err = op.marshalEC2(e, requestID, out)
	case ProtocolQuery:
		err = op.marshalQuery(e, requestID, out)
	case ProtocolRESTJSON:
		if op.StatusCode() != http.StatusNoContent {
			err = op.marshalRESTJSON(e.b, out)
		}
	case ProtocolRESTXML:
		if op.Output != nil {
			err = op.marshalRESTXML(e, out)
		}
	case ProtocolRPCv2CBOR:
		err = op.marshalCBOR(e.b, out)
	default:
		err = op.marshalJSON(e.b, out)
	}
	if err != nil {
		return "", op.encodeError(err)
	}
	return op.ContentType(), nil
}

// StreamResponse encodes a successful response into buf, as AppendResponse
// does, as long as it stays within limit bytes: it then returns false and
// buf holds the whole body. A larger XML response (a describe of many
// thousands of resources) is not built whole: whenever buf exceeds limit
// between two list elements, its bytes go to write and buf starts over;
// StreamResponse then sends the rest through write too and returns true.
// An error from write ends the encoding and is returned as it is; an
// *EncodeError after bytes went to write leaves the response cut short,
// so the caller must break the connection rather than answer. JSON
// responses are always built whole.
func (op *Operation) StreamResponse(buf *bytes.Buffer, requestID string, out map[string]any, limit int, write func([]byte) error) (streamed bool, err error) {
	e := xmlEncoder{b: buf}
	if limit > 0 && write != nil {
		e.spill = func() error {
			if buf.Len() < limit {
				return nil
			}
			streamed = true
			err := write(buf.Bytes())
			buf.Reset()
			return err
		}
	}
	if _, err := op.encode(e, requestID, out); err != nil {
		return streamed, err
	}
	if streamed && buf.Len() > 0 {
		err = write(buf.Bytes())
		buf.Reset()
	}
	return streamed, err
}

// WriteResponse writes a successful response (HTTP 200). If out does not
// fit the output shape it writes an InternalError instead and returns the
// *EncodeError, which the caller should log: it is a handler bug.
func (op *Operation) WriteResponse(w http.ResponseWriter, requestID string, out map[string]any) error {
	body, ct, err := op.MarshalResponse(requestID, out)
	if err != nil {
		op.Service.WriteError(w, requestID, apierr.Internal())
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Amzn-Requestid", requestID)
	if op.Service.Protocol == ProtocolRPCv2CBOR {
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
	}
	w.WriteHeader(op.StatusCode())
	_, err = w.Write(body)
	return err
}

func (op *Operation) marshalEC2(e xmlEncoder, requestID string, out map[string]any) error {
	b := e.b
	ns := op.Service.XMLNamespace
	if !strings.HasSuffix(ns, "/") {
		ns += "/" // EC2 responses use ".../doc/2016-11-15/"; the model omits the slash
	}
	b.WriteString(xmlHeader)
	b.WriteByte('<')
	b.WriteString(op.Name)
	b.WriteString(`Response xmlns="`)
	escapeXML(b, ns)
	b.WriteString(`"><requestId>`)
	escapeXML(b, requestID)
	b.WriteString("</requestId>")
	if op.Output == nil {
		// EC2 answers operations without output (DeleteVpc, ...) with
		// <return>true</return>.
		b.WriteString("<return>true</return>")
	} else {
		if err := e.members(op.Output, out); err != nil {
			return err
		}
	}
	b.WriteString("</")
	b.WriteString(op.Name)
	b.WriteString("Response>")
	return nil
}

func (op *Operation) marshalQuery(e xmlEncoder, requestID string, out map[string]any) error {
	b := e.b
	b.WriteString(xmlHeader)
	b.WriteByte('<')
	b.WriteString(op.Name)
	b.WriteString(`Response xmlns="`)
	escapeXML(b, op.Service.XMLNamespace)
	b.WriteString(`">`)
	if op.Output != nil {
		wrapper := op.ResultWrapper
		if wrapper == "" {
			wrapper = op.Name + "Result"
		}
		b.WriteByte('<')
		b.WriteString(wrapper)
		b.WriteByte('>')
		if err := e.members(op.Output, out); err != nil {
			return err
		}
		b.WriteString("</")
		b.WriteString(wrapper)
		b.WriteByte('>')
	}
	b.WriteString("<ResponseMetadata><RequestId>")
	escapeXML(b, requestID)
	b.WriteString("</RequestId></ResponseMetadata></")
	b.WriteString(op.Name)
	b.WriteString("Response>")
	return nil
}

type xmlEncoder struct {
	b *bytes.Buffer
	// spill, when set, is called between list elements; it may hand the
	// buffered bytes on and empty b (StreamResponse).
	spill   func() error
	scratch [64]byte
}

// memberValue pairs a structure member with its value, for encoding
// sparse structures in model order.
type memberValue struct {
	m *Member
	v any
}

// members writes a structure's members (without an enclosing element) in
// model order.
func (e *xmlEncoder) members(s *Shape, v map[string]any) error {
	if len(v)*2 < len(s.Members) && len(v) <= 32 {
		// Few members set: look up each key rather than every member.
		var buf [32]memberValue
		set := buf[:0]
		for k, x := range v {
			m := s.byName[k]
			if m == nil {
				return unknownMember(s, v)
			}
			if isNil(x) {
				continue
			}
			// Insertion sort by model position.
			i := len(set)
			set = append(set, memberValue{})
			for i > 0 && set[i-1].m.index > m.index {
				set[i] = set[i-1]
				i--
			}
			set[i] = memberValue{m, x}
		}
		for _, mv := range set {
			if err := e.member(mv.m, mv.v); err != nil {
				return inPath(err, mv.m.Name)
			}
		}
		return nil
	}
	seen := 0
	for _, m := range s.Members {
		val, ok := v[m.Name]
		if !ok {
			continue
		}
		seen++
		if isNil(val) {
			continue
		}
		if err := e.member(m, val); err != nil {
			return inPath(err, m.Name)
		}
	}
	if seen != len(v) {
		return unknownMember(s, v)
	}
	return nil
}

func unknownMember(s *Shape, v map[string]any) error {
	var unknown []string
	for k := range v {
		if s.byName[k] == nil {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	// Report the smallest name so the error is deterministic.
	first := unknown[0]
	for _, k := range unknown[1:] {
		if k < first {
			first = k
		}
	}
	return newPathError("shape %s has no member %q", s.Name, first).in(first)
}

// member writes a structure member: its element, or for a flattened list
// or map its repeated elements.
func (e *xmlEncoder) member(m *Member, val any) error {
	s := m.Shape
	switch s.Type {
	case TypeList:
		if m.Flattened {
			el := m
			if s.Member.LocationName != "" {
				el = s.Member
			}
			return e.listElems(s, val, el.xmlOpen, el.xmlClose)
		}
		e.b.WriteString(m.xmlOpen)
		if err := e.listElems(s, val, s.Member.xmlOpen, s.Member.xmlClose); err != nil {
			return err
		}
		e.b.WriteString(m.xmlClose)
		return nil
	case TypeMap:
		return e.mapEntries(s, val, m.Flattened, m.xmlOpen, m.xmlClose)
	}
	return e.element(s, m, m.xmlOpen, m.xmlClose, val)
}

func (e *xmlEncoder) mapEntries(s *Shape, val any, flattened bool, open, close string) error {
	entries, ok := mapEntries(val)
	if !ok {
		return newPathError("want a map for %s, got %T", s.Name, val)
	}
	if !flattened {
		e.b.WriteString(open)
	}
	for _, en := range entries {
		if isNil(en.value) {
			continue
		}
		if flattened {
			e.b.WriteString(open)
		} else {
			e.b.WriteString("<entry>")
		}
		if err := e.element(s.Key.Shape, s.Key, s.Key.xmlOpen, s.Key.xmlClose, en.key); err != nil {
			return inPath(err, "["+strconv.Quote(en.key)+"]")
		}
		if err := e.element(s.Value.Shape, s.Value, s.Value.xmlOpen, s.Value.xmlClose, en.value); err != nil {
			return inPath(err, "["+strconv.Quote(en.key)+"]")
		}
		if flattened {
			e.b.WriteString(close)
		} else {
			e.b.WriteString("</entry>")
		}
	}
	if !flattened {
		e.b.WriteString(close)
	}
	return nil
}

func (e *xmlEncoder) listElems(s *Shape, val any, open, close string) error {
	ok, err := eachElem(val, func(i int, elem any) error {
		if isNil(elem) {
			return nil
		}
		if err := e.element(s.Member.Shape, s.Member, open, close, elem); err != nil {
			return inPath(err, "["+strconv.Itoa(i)+"]")
		}
		if e.spill != nil {
			return e.spill()
		}
		return nil
	})
	if !ok {
		return newPathError("want a list for %s, got %T", s.Name, val)
	}
	return err
}

// element writes open, the value of shape s, close. ref is the reference
// to s, for its serialization traits.
func (e *xmlEncoder) element(s *Shape, ref *Member, open, close string, val any) error {
	switch s.Type {
	case TypeStructure:
		st, ok := asStruct(val)
		if !ok {
			return newPathError("want a structure (map[string]any) for %s, got %T", s.Name, val)
		}
		e.b.WriteString(open)
		if err := e.members(s, st); err != nil {
			return err
		}
		e.b.WriteString(close)
		return nil
	case TypeList:
		// A list directly inside a list or map.
		e.b.WriteString(open)
		if err := e.listElems(s, val, s.Member.xmlOpen, s.Member.xmlClose); err != nil {
			return err
		}
		e.b.WriteString(close)
		return nil
	case TypeMap:
		return e.mapEntries(s, val, false, open, close)
	}
	e.b.WriteString(open)
	if err := e.scalar(s, ref, val); err != nil {
		return err
	}
	e.b.WriteString(close)
	return nil
}

func (e *xmlEncoder) scalar(s *Shape, ref *Member, val any) error {
	b := e.b
	switch s.Type {
	case TypeString:
		str, ok := asString(val)
		if !ok {
			return newPathError("want a string for %s, got %T", s.Name, val)
		}
		escapeXML(b, str)
	case TypeInteger, TypeLong:
		n, ok := asInt(val)
		if !ok {
			return newPathError("want an integer for %s, got %T", s.Name, val)
		}
		b.Write(strconv.AppendInt(e.scratch[:0], n, 10))
	case TypeBoolean:
		v, ok := asBool(val)
		if !ok {
			return newPathError("want a bool for %s, got %T", s.Name, val)
		}
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case TypeFloat, TypeDouble:
		f, ok := asFloat(val)
		if !ok {
			return newPathError("want a number for %s, got %T", s.Name, val)
		}
		b.Write(appendFloat(e.scratch[:0], f, s.Type))
	case TypeTimestamp:
		t, ok := asTime(val)
		if !ok {
			return newPathError("want a time.Time for %s, got %T", s.Name, val)
		}
		format := s.TimestampFormat
		if ref != nil && ref.TimestampFormat != "" {
			format = ref.TimestampFormat
		}
		switch format {
		case "unixTimestamp":
			b.Write(appendEpoch(e.scratch[:0], t))
		case "rfc822":
			b.WriteString(t.UTC().Format(http.TimeFormat))
		default:
			b.Write(appendISO8601(e.scratch[:0], t))
		}
	case TypeBlob:
		data, ok := asBlob(val)
		if !ok {
			return newPathError("want []byte for %s, got %T", s.Name, val)
		}
		enc := base64.StdEncoding
		n := enc.EncodedLen(len(data))
		b.Grow(n)
		buf := b.AvailableBuffer()[:n]
		enc.Encode(buf, data)
		b.Write(buf)
	default:
		return newPathError("cannot encode shape %s of type %s", s.Name, s.Type)
	}
	return nil
}

// appendISO8601 formats t as AWS XML protocols do: UTC, milliseconds, "Z".
func appendISO8601(dst []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z")
}

// appendEpoch formats t as epoch seconds with up to millisecond precision,
// as AWS JSON protocols do.
func appendEpoch(dst []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(dst, ms/1000, 10)
	}
	return strconv.AppendFloat(dst, float64(ms)/1000, 'f', -1, 64)
}

func appendFloat(dst []byte, f float64, t ShapeType) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	bits := 64
	if t == TypeFloat {
		bits = 32
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// appendJSONFloat appends a finite float or double as AWS's JSON services
// write it: a whole number keeps its fraction ("65.0", not "65"), so a
// client that reads JSON numbers by their form (Python's json, botocore)
// gets a float, as from AWS (CloudWatch DescribeAlarms' Threshold in
// LocalStack's recordings: 65.0).
func appendJSONFloat(dst []byte, f float64, t ShapeType) []byte {
	start := len(dst)
	dst = appendFloat(dst, f, t)
	for _, c := range dst[start:] {
		if c == '.' || c == 'e' || c == 'E' {
			return dst
		}
	}
	return append(dst, ".0"...)
}

// escapeXML writes s as XML character data, escaping markup characters
// and replacing invalid UTF-8 and characters XML 1.0 forbids with U+FFFD.
func escapeXML(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' {
			i++
			continue
		}
		var esc string
		width := 1
		switch c {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		case '\t':
			esc = "&#x9;"
		case '\n':
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			if c < utf8.RuneSelf { // other control characters
				esc = "\uFFFD"
				break
			}
			r, w := utf8.DecodeRuneInString(s[i:])
			width = w
			if r == utf8.RuneError && w == 1 || !xmlChar(r) {
				esc = "\uFFFD"
			} else {
				i += w
				continue
			}
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		i += width
		last = i
	}
	b.WriteString(s[last:])
}

func xmlChar(r rune) bool {
	return r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// JSON

// marshalRESTJSON writes a REST-JSON response body: the output's payload
// member when the output has one (a blob as it is, Lambda Invoke's
// Payload; a structure as JSON), else the JSON of the members the body
// carries (those bound to headers or the status code are left out: the
// operations ecsnet serves answer them by their defaults).
func (op *Operation) marshalRESTJSON(b *bytes.Buffer, out map[string]any) error {
	if op.Output == nil {
		return op.marshalJSON(b, out)
	}
	if name := op.Output.Payload; name != "" {
		m := op.Output.byName[name]
		if m == nil {
			return &EncodeError{Operation: op.Service.Name + "." + op.Name, Path: name, Problem: "payload member not in the output"}
		}
		v, ok := out[name]
		switch {
		case !ok || isNil(v):
			if m.Shape.Type != TypeBlob {
				b.WriteString("{}")
			}
			return nil
		case m.Shape.Type == TypeBlob:
			raw, ok := v.([]byte)
			if !ok {
				return &EncodeError{Operation: op.Service.Name + "." + op.Name, Path: name, Problem: "payload blob is not []byte"}
			}
			b.Write(raw)
			return nil
		}
		st, ok := v.(map[string]any)
		if !ok {
			return &EncodeError{Operation: op.Service.Name + "." + op.Name, Path: name, Problem: "payload structure is not a map"}
		}
		e := jsonEncoder{b: b}
		return inPath(e.structure(m.Shape, st), name)
	}
	body, cloned := out, false
	for _, m := range op.Output.Members {
		if _, ok := out[m.Name]; !ok || m.Location == "" {
			continue
		}
		if !cloned {
			body, cloned = maps.Clone(out), true
		}
		delete(body, m.Name)
	}
	return op.marshalJSON(b, body)
}

func (op *Operation) marshalJSON(b *bytes.Buffer, out map[string]any) error {
	if op.Output == nil {
		b.WriteString("{}")
		return nil
	}
	e := jsonEncoder{b: b}
	return e.structure(op.Output, out)
}

type jsonEncoder struct {
	b       *bytes.Buffer
	scratch [64]byte
}

func (e *jsonEncoder) structure(s *Shape, v map[string]any) error {
	e.b.WriteByte('{')
	first := true
	seen := 0
	for _, m := range s.Members {
		val, ok := v[m.Name]
		if !ok {
			continue
		}
		seen++
		if isNil(val) {
			continue
		}
		if !first {
			e.b.WriteByte(',')
		}
		first = false
		writeJSONString(e.b, m.jsonName())
		e.b.WriteByte(':')
		if err := e.value(m.Shape, m, val); err != nil {
			return inPath(err, m.Name)
		}
	}
	if seen != len(v) {
		if err := unknownMember(s, v); err != nil {
			return err
		}
	}
	e.b.WriteByte('}')
	return nil
}

func (e *jsonEncoder) value(s *Shape, ref *Member, val any) error {
	b := e.b
	switch s.Type {
	case TypeStructure:
		if s.Document {
			data, err := json.Marshal(val)
			if err != nil {
				return newPathError("document %s: %v", s.Name, err)
			}
			b.Write(data)
			return nil
		}
		st, ok := asStruct(val)
		if !ok {
			return newPathError("want a structure (map[string]any) for %s, got %T", s.Name, val)
		}
		return e.structure(s, st)
	case TypeList:
		b.WriteByte('[')
		n := 0
		ok, err := eachElem(val, func(i int, elem any) error {
			if isNil(elem) {
				return nil
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			if err := e.value(s.Member.Shape, s.Member, elem); err != nil {
				return inPath(err, "["+strconv.Itoa(i)+"]")
			}
			return nil
		})
		if !ok {
			return newPathError("want a list for %s, got %T", s.Name, val)
		}
		if err != nil {
			return err
		}
		b.WriteByte(']')
	case TypeMap:
		entries, ok := mapEntries(val)
		if !ok {
			return newPathError("want a map for %s, got %T", s.Name, val)
		}
		b.WriteByte('{')
		n := 0
		for _, en := range entries {
			if isNil(en.value) {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			writeJSONString(b, en.key)
			b.WriteByte(':')
			if err := e.value(s.Value.Shape, s.Value, en.value); err != nil {
				return inPath(err, "["+strconv.Quote(en.key)+"]")
			}
		}
		b.WriteByte('}')
	case TypeString:
		str, ok := asString(val)
		if !ok {
			return newPathError("want a string for %s, got %T", s.Name, val)
		}
		writeJSONString(b, str)
	case TypeInteger, TypeLong:
		n, ok := asInt(val)
		if !ok {
			return newPathError("want an integer for %s, got %T", s.Name, val)
		}
		b.Write(strconv.AppendInt(e.scratch[:0], n, 10))
	case TypeBoolean:
		v, ok := asBool(val)
		if !ok {
			return newPathError("want a bool for %s, got %T", s.Name, val)
		}
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case TypeFloat, TypeDouble:
		f, ok := asFloat(val)
		if !ok {
			return newPathError("want a number for %s, got %T", s.Name, val)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			b.WriteByte('"')
			b.Write(appendFloat(e.scratch[:0], f, s.Type))
			b.WriteByte('"')
		} else {
			b.Write(appendJSONFloat(e.scratch[:0], f, s.Type))
		}
	case TypeTimestamp:
		t, ok := asTime(val)
		if !ok {
			return newPathError("want a time.Time for %s, got %T", s.Name, val)
		}
		format := s.TimestampFormat
		if ref != nil && ref.TimestampFormat != "" {
			format = ref.TimestampFormat
		}
		switch format {
		case "iso8601":
			b.WriteByte('"')
			b.Write(appendISO8601(e.scratch[:0], t))
			b.WriteByte('"')
		case "rfc822":
			writeJSONString(b, t.UTC().Format(http.TimeFormat))
		default:
			b.Write(appendEpoch(e.scratch[:0], t))
		}
	case TypeBlob:
		data, ok := asBlob(val)
		if !ok {
			return newPathError("want []byte for %s, got %T", s.Name, val)
		}
		b.WriteByte('"')
		enc := base64.StdEncoding
		n := enc.EncodedLen(len(data))
		b.Grow(n)
		buf := b.AvailableBuffer()[:n]
		enc.Encode(buf, data)
		b.Write(buf)
		b.WriteByte('"')
	default:
		return newPathError("cannot encode shape %s of type %s", s.Name, s.Type)
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// writeJSONString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func writeJSONString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b.WriteString(s[last:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xF])
			}
			i++
			last = i
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 {
			b.WriteString(s[last:i])
			b.WriteString(`\ufffd`)
			i += w
			last = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[last:i])
			b.WriteString(`\u202`)
			b.WriteByte(hexDigits[r&0xF])
			i += w
			last = i
			continue
		}
		i += w
	}
	b.WriteString(s[last:])
	b.WriteByte('"')
}
