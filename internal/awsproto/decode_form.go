package awsproto

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Limits that keep a hostile request from costing more than its size.
const (
	// maxFormSegments bounds the dotted segments of one parameter name.
	// The deepest real EC2 parameter has fewer than 12.
	maxFormSegments = 64
	// maxEC2Index bounds a list index in an EC2 request. No EC2 list
	// parameter takes anywhere near this many elements.
	maxEC2Index = 100000
	// maxQueryIndex is the largest list index AWS Query services accept;
	// beyond it they answer MalformedInput "Index N is illegal".
	maxQueryIndex = 214748369
	// maxQuerySkip is the largest gap AWS Query services allow between
	// consecutive list indices ("Excessively sparse input").
	maxQuerySkip = 10
	// maxJSONDepth bounds the nesting of a JSON request.
	maxJSONDepth = 64
)

// Parameters every form request may carry besides the operation's input:
// the action and version, and SigV2/SigV4-query authentication.
var formReserved = map[string]bool{
	"Action": true, "Version": true,
	"AWSAccessKeyId": true, "Signature": true, "SignatureMethod": true, "SignatureVersion": true,
	"Timestamp": true, "Expires": true, "SecurityToken": true,
	"X-Amz-Algorithm": true, "X-Amz-Credential": true, "X-Amz-Date": true, "X-Amz-Expires": true,
	"X-Amz-Signature": true, "X-Amz-SignedHeaders": true, "X-Amz-Security-Token": true,
}

// Decode decodes a request for this operation: the form (body and query
// string) for EC2 and Query services, the JSON body for JSON services.
// body is the request body, already read and size-bounded.
func (op *Operation) Decode(r *http.Request, body []byte) (Params, error) {
	if op.Service.Protocol == ProtocolJSON {
		return op.DecodeJSON(body)
	}
	form, err := requestForm(r, body)
	if err != nil {
		return nil, err
	}
	return op.DecodeForm(form)
}

// DecodeForm decodes EC2 or AWS Query parameters into Params keyed by
// member name, checking every value against the input shape and that
// required members are present. Errors are *apierr.Error as the service
// reports them: for EC2 MissingParameter, UnknownParameter and
// InvalidParameterValue; for Query ValidationError and MalformedInput
// (Query services ignore parameters they do not know, as AWS does).
func (op *Operation) DecodeForm(values url.Values) (Params, error) {
	d := formDecoder{op: op, ec2: op.Service.Protocol == ProtocolEC2}
	root := map[string]any{}
	keys := make([]string, 0, len(values))
	for k := range values {
		if !formReserved[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys) // deterministic errors
	for _, k := range keys {
		v := values[k]
		if len(v) == 0 {
			continue
		}
		if op.Input == nil {
			if d.ec2 {
				return nil, d.unknown(k)
			}
			continue
		}
		if err := d.insert(root, k, v[0]); err != nil {
			if errors.Is(err, errIgnore) {
				continue
			}
			return nil, err
		}
	}
	if op.Input == nil {
		return Params{}, nil
	}
	if err := d.finish(root, op.Input); err != nil {
		return nil, err
	}
	if err := checkRequired(op, root); err != nil {
		return nil, err
	}
	return root, nil
}

// errIgnore marks a parameter a Query service silently ignores.
var errIgnore = errors.New("ignored parameter")

type formDecoder struct {
	op   *Operation
	ec2  bool
	key  string   // the parameter being inserted
	segs []string // its dotted segments
	path pathStack
}

// A list or map under construction: elements by their index on the wire.
type formList struct {
	byIndex map[int]any
}

type formMap struct {
	byIndex map[int]*formEntry
}

type formEntry struct {
	key    string
	hasKey bool
	value  any
}

func (d *formDecoder) insert(root map[string]any, key, raw string) error {
	if strings.Count(key, ".") >= maxFormSegments {
		if d.ec2 {
			return d.unknown(key)
		}
		return apierr.New(CodeMalformedInput, "Parameter name is nested too deeply")
	}
	d.key = key
	d.segs = strings.Split(key, ".")
	d.path = d.path[:0]
	_, err := d.set(root, d.op.Input, nil, 0, raw)
	return err
}

// set stores raw at segs[i:] below the slot holding cur, a value of shape
// s, and returns the slot's new value.
func (d *formDecoder) set(cur any, s *Shape, ref *Member, i int, raw string) (any, error) {
	segs := d.segs
	switch s.Type {
	case TypeStructure:
		if i == len(segs) {
			return nil, d.unknownAt(i)
		}
		st, ok := cur.(map[string]any)
		if cur == nil {
			st, ok = map[string]any{}, true
		}
		if !ok {
			return nil, d.unknownAt(i)
		}
		m := s.byWire[segs[i]]
		if m == nil {
			return nil, d.unknownAt(i + 1)
		}
		d.path.pushMember(m)
		v, err := d.set(st[m.Name], m.Shape, m, i+1, raw)
		d.path.pop()
		if err != nil {
			return nil, err
		}
		st[m.Name] = v
		return st, nil

	case TypeList:
		fl, ok := cur.(*formList)
		if cur == nil {
			fl, ok = &formList{}, true
		}
		if !ok {
			return nil, d.unknownAt(i)
		}
		if i == len(segs) {
			// "Name=" is how the Query protocol sends an empty list.
			if raw != "" {
				return nil, d.unknownAt(i)
			}
			return fl, nil
		}
		flattened := d.ec2 || ref != nil && ref.Flattened
		if !flattened {
			item := s.Member.LocationName
			if item == "" {
				item = "member"
			}
			if segs[i] != item {
				return nil, d.unknownAt(i + 1)
			}
			i++
			if i == len(segs) {
				return nil, d.unknownAt(i)
			}
		}
		idx, err := d.index(i)
		if err != nil {
			return nil, err
		}
		if fl.byIndex == nil {
			fl.byIndex = map[int]any{}
		}
		d.path.pushIndex(idx)
		v, err := d.set(fl.byIndex[idx], s.Member.Shape, s.Member, i+1, raw)
		d.path.pop()
		if err != nil {
			return nil, err
		}
		fl.byIndex[idx] = v
		return fl, nil

	case TypeMap:
		fm, ok := cur.(*formMap)
		if cur == nil {
			fm, ok = &formMap{}, true
		}
		if !ok {
			return nil, d.unknownAt(i)
		}
		if i == len(segs) {
			if raw != "" {
				return nil, d.unknownAt(i)
			}
			return fm, nil
		}
		if !(d.ec2 || ref != nil && ref.Flattened) {
			if segs[i] != "entry" {
				return nil, d.unknownAt(i + 1)
			}
			i++
			if i == len(segs) {
				return nil, d.unknownAt(i)
			}
		}
		idx, err := d.index(i)
		if err != nil {
			return nil, err
		}
		i++
		if i == len(segs) {
			return nil, d.unknownAt(i)
		}
		if fm.byIndex == nil {
			fm.byIndex = map[int]*formEntry{}
		}
		en := fm.byIndex[idx]
		if en == nil {
			en = &formEntry{}
			fm.byIndex[idx] = en
		}
		keyName, valueName := s.Key.LocationName, s.Value.LocationName
		if keyName == "" {
			keyName = "key"
		}
		if valueName == "" {
			valueName = "value"
		}
		switch segs[i] {
		case keyName:
			if i+1 != len(segs) || en.hasKey {
				return nil, d.unknownAt(i + 1)
			}
			en.key, en.hasKey = raw, true
		case valueName:
			d.path.pushIndex(idx)
			v, err := d.set(en.value, s.Value.Shape, s.Value, i+1, raw)
			d.path.pop()
			if err != nil {
				return nil, err
			}
			en.value = v
		default:
			return nil, d.unknownAt(i + 1)
		}
		return fm, nil
	}

	// A scalar.
	if i != len(segs) || cur != nil {
		return nil, d.unknownAt(i + 1)
	}
	return d.scalar(s, raw)
}

func (d *formDecoder) scalar(s *Shape, raw string) (any, error) {
	switch s.Type {
	case TypeString:
		return raw, nil
	case TypeInteger, TypeLong:
		bits := 32
		if s.Type == TypeLong {
			bits = 64
		}
		if n, err := strconv.ParseInt(raw, 10, bits); err == nil {
			return n, nil
		}
	case TypeBoolean:
		switch {
		case strings.EqualFold(raw, "true"):
			return true, nil
		case strings.EqualFold(raw, "false"):
			return false, nil
		}
	case TypeFloat, TypeDouble:
		bits := 64
		if s.Type == TypeFloat {
			bits = 32
		}
		if f, ok := parseFloatValue(raw, bits); ok {
			return f, nil
		}
	case TypeTimestamp:
		if t, ok := parseTimestamp(raw); ok {
			return t, nil
		}
	case TypeBlob:
		if b, err := base64.StdEncoding.DecodeString(raw); err == nil {
			return b, nil
		}
	}
	return nil, d.badValue(s, raw)
}

// index parses the list index at segs[i].
func (d *formDecoder) index(i int) (int, error) {
	tok := d.segs[i]
	digits := tok != ""
	for j := 0; j < len(tok); j++ {
		if tok[j] < '0' || tok[j] > '9' {
			digits = false
			break
		}
	}
	if d.ec2 {
		if !digits || tok[0] == '0' || len(tok) > 6 {
			return 0, d.unknownAt(i + 1)
		}
		n, _ := strconv.Atoi(tok)
		if n > maxEC2Index {
			return 0, d.unknownAt(i + 1)
		}
		return n, nil
	}
	// AWS Query services' list grammar, as probed against SES (see
	// docs/aws-behavior.md).
	switch {
	case !digits:
		return 0, apierr.New(CodeMalformedInput, "Start of list found where not expected")
	case tok == "0":
		return 0, apierr.New(CodeMalformedInput, "0 is not a valid index")
	case tok[0] == '0':
		return 0, apierr.New(CodeMalformedInput, "Value found where not expected")
	}
	n, err := strconv.Atoi(tok)
	if err != nil || len(tok) > 9 || n > maxQueryIndex {
		return 0, apierr.Newf(CodeMalformedInput, "Index %s is illegal", tok)
	}
	return n, nil
}

// unknownAt reports the parameter named by segs[:n] as unknown: an error
// for EC2, ignored for Query.
func (d *formDecoder) unknownAt(n int) error {
	if !d.ec2 {
		return errIgnore
	}
	if n > len(d.segs) {
		n = len(d.segs)
	}
	return d.unknown(strings.Join(d.segs[:n], "."))
}

func (d *formDecoder) unknown(name string) error {
	return apierr.Newf(CodeUnknownParameter, "The parameter %s is not recognized", name)
}

func (d *formDecoder) badValue(s *Shape, raw string) error {
	if d.ec2 {
		return apierr.Newf(CodeInvalidParameterValue, "Value (%s) for parameter %s is invalid. %s",
			truncate(raw, 256), d.key, ec2Expecting(s.Type))
	}
	return apierr.Newf(CodeMalformedInput, "Value '%s' at '%s' cannot be converted to %s",
		truncate(raw, 256), d.path.coral(), typeName(s.Type)[strings.IndexByte(typeName(s.Type), ' ')+1:])
}

func ec2Expecting(t ShapeType) string {
	switch t {
	case TypeInteger, TypeLong:
		return "Expecting an integer."
	case TypeBoolean:
		return "Expecting true or false."
	case TypeFloat, TypeDouble:
		return "Expecting a number."
	case TypeTimestamp:
		return "Expecting an ISO 8601 timestamp."
	case TypeBlob:
		return "Expecting base64-encoded data."
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// finish replaces the lists and maps under construction below v (a value
// of shape s) with []any and map[string]any.
func (d *formDecoder) finish(v any, s *Shape) error {
	switch s.Type {
	case TypeStructure:
		st, _ := v.(map[string]any)
		for k, x := range st {
			m := s.byName[k]
			nv, err := d.finishValue(x, m.Shape)
			if err != nil {
				return err
			}
			st[k] = nv
		}
	}
	return nil
}

func (d *formDecoder) finishValue(v any, s *Shape) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		return x, d.finish(x, s)
	case *formList:
		idx := make([]int, 0, len(x.byIndex))
		for i := range x.byIndex {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		if !d.ec2 {
			prev := 0
			for _, i := range idx {
				base := prev
				if base < 1 {
					base = 1
				}
				if skip := i - base; skip > maxQuerySkip {
					return nil, apierr.Newf(CodeMalformedInput, "Excessively sparse input would skip %s list elements", thousands(skip))
				}
				prev = i
			}
		}
		out := make([]any, 0, len(idx))
		for _, i := range idx {
			e, err := d.finishValue(x.byIndex[i], s.Member.Shape)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	case *formMap:
		idx := make([]int, 0, len(x.byIndex))
		for i := range x.byIndex {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		out := make(map[string]any, len(idx))
		for _, i := range idx {
			en := x.byIndex[i]
			if !en.hasKey || en.value == nil {
				if d.ec2 {
					return nil, apierr.Newf(CodeMissingParameter, "The request must contain the parameter %s", d.key)
				}
				return nil, apierr.New(CodeValidationError, validationMessage([]string{"Map entry " + strconv.Itoa(i) + " must have both a key and a value"}))
			}
			val, err := d.finishValue(en.value, s.Value.Shape)
			if err != nil {
				return nil, err
			}
			out[en.key] = val
		}
		return out, nil
	}
	return v, nil
}

// thousands formats n with comma separators, as Java's "%,d" does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
