package awsproto

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"sort"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Smithy RPC v2 CBOR (https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html):
// a POST to /service/{Service}/operation/{Operation} with the header
// Smithy-Protocol: rpc-v2-cbor and a CBOR map body; timestamps are tag 1
// (epoch seconds), blobs byte strings. CloudWatch's clients in the Go SDK
// v2 speak it.

// maxCBORDepth bounds nesting as maxJSONDepth does for JSON.
const maxCBORDepth = maxJSONDepth

// DecodeCBOR decodes an RPC v2 CBOR request body into the operation's
// parameters. A body that is not one CBOR map is a SerializationException;
// missing required members are reported as for JSON.
func (op *Operation) DecodeCBOR(body []byte) (Params, error) {
	var v any = map[string]any{}
	if len(body) > 0 {
		d := cborDecoder{b: body}
		var err error
		if v, err = d.value(0); err != nil {
			return nil, err
		}
		if d.i != len(d.b) {
			return nil, serializationError("trailing bytes after the CBOR value")
		}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, serializationError("the request body is not a CBOR map")
	}
	if op.Input == nil {
		return Params{}, nil
	}
	jd := jsonDecoder{}
	out, err := jd.structure(op.Input, obj, 1)
	if err != nil {
		return nil, err
	}
	if err := checkRequired(op, out); err != nil {
		return nil, err
	}
	return out, nil
}

// cborDecoder decodes CBOR into the values encoding/json gives with
// UseNumber (json.Number, string, bool, nil, []any, map[string]any), so
// the JSON decoder types them by shape: a byte string becomes its base64
// text (a blob), a tag 1 timestamp its epoch seconds.
type cborDecoder struct {
	b []byte
	i int
}

var errCBOR = serializationError("malformed CBOR")

func (d *cborDecoder) head() (major byte, info byte, arg uint64, err error) {
	if d.i >= len(d.b) {
		return 0, 0, 0, errCBOR
	}
	c := d.b[d.i]
	d.i++
	major, info = c>>5, c&0x1f
	switch {
	case info < 24:
		return major, info, uint64(info), nil
	case info <= 27:
		n := 1 << (info - 24)
		if len(d.b)-d.i < n {
			return 0, 0, 0, errCBOR
		}
		for _, x := range d.b[d.i : d.i+n] {
			arg = arg<<8 | uint64(x)
		}
		d.i += n
		return major, info, arg, nil
	case info == 31:
		return major, info, 0, nil
	}
	return 0, 0, 0, errCBOR
}

func (d *cborDecoder) value(depth int) (any, error) {
	if depth > maxCBORDepth {
		return nil, serializationError("Request nesting is too deep")
	}
	major, info, arg, err := d.head()
	if err != nil {
		return nil, err
	}
	indefinite := info == 31
	switch major {
	case 0:
		return json.Number(strconv.FormatUint(arg, 10)), nil
	case 1:
		if arg > math.MaxInt64 {
			return nil, errCBOR
		}
		return json.Number(strconv.FormatInt(-1-int64(arg), 10)), nil
	case 2, 3:
		s, err := d.str(major, arg, indefinite)
		if err != nil {
			return nil, err
		}
		if major == 2 {
			return base64.StdEncoding.EncodeToString(s), nil
		}
		return string(s), nil
	case 4:
		var out []any
		for n := uint64(0); indefinite || n < arg; n++ {
			if indefinite && d.brk() {
				break
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		if out == nil {
			out = []any{}
		}
		return out, nil
	case 5:
		out := map[string]any{}
		for n := uint64(0); indefinite || n < arg; n++ {
			if indefinite && d.brk() {
				break
			}
			k, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				return nil, serializationError("a CBOR map key is not a text string")
			}
			v, err := d.value(depth + 1)
			if err != nil {
				return nil, err
			}
			out[key] = v
		}
		return out, nil
	case 6:
		// Tag 1 (epoch time) is the only tag Smithy sends; its number
		// stands as it is, the shape tells it is a timestamp.
		if indefinite || arg != 1 {
			return nil, serializationError("unsupported CBOR tag")
		}
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if _, ok := v.(json.Number); !ok {
			return nil, errCBOR
		}
		return v, nil
	}
	// Major 7: simple values and floats.
	switch info {
	case 20:
		return false, nil
	case 21:
		return true, nil
	case 22, 23:
		return nil, nil
	case 25:
		return cborFloat(halfToFloat(uint16(arg))), nil
	case 26:
		return cborFloat(float64(math.Float32frombits(uint32(arg)))), nil
	case 27:
		return cborFloat(math.Float64frombits(arg)), nil
	}
	return nil, errCBOR
}

// brk consumes a break byte (the end of an indefinite item).
func (d *cborDecoder) brk() bool {
	if d.i < len(d.b) && d.b[d.i] == 0xff {
		d.i++
		return true
	}
	return false
}

func (d *cborDecoder) str(major byte, n uint64, indefinite bool) ([]byte, error) {
	if !indefinite {
		if n > uint64(len(d.b)-d.i) {
			return nil, errCBOR
		}
		s := d.b[d.i : d.i+int(n)]
		d.i += int(n)
		return s, nil
	}
	var out []byte
	for !d.brk() {
		m, info, arg, err := d.head()
		if err != nil || m != major || info == 31 {
			return nil, errCBOR
		}
		chunk, err := d.str(major, arg, false)
		if err != nil {
			return nil, err
		}
		out = append(out, chunk...)
	}
	return out, nil
}

func cborFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

func halfToFloat(h uint16) float64 {
	exp, mant := int(h>>10&0x1f), float64(h&0x3ff)
	var f float64
	switch exp {
	case 0:
		f = math.Ldexp(mant, -24)
	case 31:
		if mant == 0 {
			f = math.Inf(1)
		} else {
			f = math.NaN()
		}
	default:
		f = math.Ldexp(mant+1024, exp-25)
	}
	if h&0x8000 != 0 {
		f = -f
	}
	return f
}

// marshalCBOR writes out as the operation's RPC v2 CBOR response.
func (op *Operation) marshalCBOR(b *bytes.Buffer, out map[string]any) error {
	e := cborEncoder{b: b}
	if op.Output == nil {
		b.WriteByte(0xa0)
		return nil
	}
	return e.structure(op.Output, out)
}

type cborEncoder struct{ b *bytes.Buffer }

func (e *cborEncoder) head(major byte, n uint64) {
	major <<= 5
	switch {
	case n < 24:
		e.b.WriteByte(major | byte(n))
	case n <= math.MaxUint8:
		e.b.Write([]byte{major | 24, byte(n)})
	case n <= math.MaxUint16:
		e.b.WriteByte(major | 25)
		e.b.Write(binary.BigEndian.AppendUint16(nil, uint16(n)))
	case n <= math.MaxUint32:
		e.b.WriteByte(major | 26)
		e.b.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	default:
		e.b.WriteByte(major | 27)
		e.b.Write(binary.BigEndian.AppendUint64(nil, n))
	}
}

func (e *cborEncoder) text(s string) {
	e.head(3, uint64(len(s)))
	e.b.WriteString(s)
}

func (e *cborEncoder) float(f float64) {
	e.b.WriteByte(0xfb)
	e.b.Write(binary.BigEndian.AppendUint64(nil, math.Float64bits(f)))
}

func (e *cborEncoder) structure(s *Shape, v map[string]any) error {
	n, seen := 0, 0
	for _, m := range s.Members {
		if val, ok := v[m.Name]; ok {
			seen++
			if !isNil(val) {
				n++
			}
		}
	}
	if seen != len(v) {
		if err := unknownMember(s, v); err != nil {
			return err
		}
	}
	e.head(5, uint64(n))
	for _, m := range s.Members {
		val, ok := v[m.Name]
		if !ok || isNil(val) {
			continue
		}
		e.text(m.jsonName())
		if err := e.value(m.Shape, val); err != nil {
			return inPath(err, m.Name)
		}
	}
	return nil
}

func (e *cborEncoder) value(s *Shape, val any) error {
	switch s.Type {
	case TypeStructure:
		if s.Document {
			return newPathError("document %s: not encoded in CBOR", s.Name)
		}
		st, ok := asStruct(val)
		if !ok {
			return newPathError("want a structure (map[string]any) for %s, got %T", s.Name, val)
		}
		return e.structure(s, st)
	case TypeList:
		var elems []any
		ok, _ := eachElem(val, func(_ int, elem any) error {
			if !isNil(elem) {
				elems = append(elems, elem)
			}
			return nil
		})
		if !ok {
			return newPathError("want a list for %s, got %T", s.Name, val)
		}
		e.head(4, uint64(len(elems)))
		for i, elem := range elems {
			if err := e.value(s.Member.Shape, elem); err != nil {
				return inPath(err, "["+strconv.Itoa(i)+"]")
			}
		}
	case TypeMap:
		entries, ok := mapEntries(val)
		if !ok {
			return newPathError("want a map for %s, got %T", s.Name, val)
		}
		n := 0
		for _, en := range entries {
			if !isNil(en.value) {
				n++
			}
		}
		e.head(5, uint64(n))
		for _, en := range entries {
			if isNil(en.value) {
				continue
			}
			e.text(en.key)
			if err := e.value(s.Value.Shape, en.value); err != nil {
				return inPath(err, "["+strconv.Quote(en.key)+"]")
			}
		}
	case TypeString:
		str, ok := asString(val)
		if !ok {
			return newPathError("want a string for %s, got %T", s.Name, val)
		}
		e.text(str)
	case TypeInteger, TypeLong:
		n, ok := asInt(val)
		if !ok {
			return newPathError("want an integer for %s, got %T", s.Name, val)
		}
		if n >= 0 {
			e.head(0, uint64(n))
		} else {
			e.head(1, uint64(-1-n))
		}
	case TypeBoolean:
		v, ok := asBool(val)
		if !ok {
			return newPathError("want a bool for %s, got %T", s.Name, val)
		}
		if v {
			e.b.WriteByte(0xf5)
		} else {
			e.b.WriteByte(0xf4)
		}
	case TypeFloat, TypeDouble:
		f, ok := asFloat(val)
		if !ok {
			return newPathError("want a number for %s, got %T", s.Name, val)
		}
		e.float(f)
	case TypeTimestamp:
		t, ok := asTime(val)
		if !ok {
			return newPathError("want a time.Time for %s, got %T", s.Name, val)
		}
		e.b.WriteByte(0xc1) // tag 1: epoch seconds
		e.float(float64(t.UnixMilli()) / 1000)
	case TypeBlob:
		data, ok := asBlob(val)
		if !ok {
			return newPathError("want []byte for %s, got %T", s.Name, val)
		}
		e.head(2, uint64(len(data)))
		e.b.Write(data)
	default:
		return newPathError("cannot encode shape %s of type %s", s.Name, s.Type)
	}
	return nil
}

// cborErrorBody is a Smithy RPC v2 CBOR error: a map of __type and
// message (and the error's extra fields), text strings only.
func cborErrorBody(e *apierr.Error) []byte {
	var b bytes.Buffer
	enc := cborEncoder{b: &b}
	enc.head(5, uint64(2+len(e.Fields)))
	enc.text("__type")
	enc.text(e.Code)
	enc.text("message")
	enc.text(e.Message)
	for _, k := range sortedKeys(e.Fields) {
		enc.text(k)
		enc.text(e.Fields[k])
	}
	return b.Bytes()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
