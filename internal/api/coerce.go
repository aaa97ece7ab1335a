package api

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/ecsnet/ecsnet/internal/awsproto"
)

// Coerce returns v, a value that went through JSON (a raw field the engine
// persisted and read back: numbers as float64, timestamps and blobs as
// strings), or a template's value (numbers and booleans as strings), with
// the Go types the shape s wants, so the encoder accepts it.
// Members the shape does not know are dropped.
func Coerce(s *awsproto.Shape, v any) any {
	if s == nil || v == nil {
		return v
	}
	switch s.Type {
	case awsproto.TypeStructure:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		out := make(map[string]any, len(m))
		for k, x := range m {
			if mem := s.MemberByName(k); mem != nil {
				if c := Coerce(mem.Shape, x); c != nil {
					out[k] = c
				}
			}
		}
		return out
	case awsproto.TypeList:
		l, ok := v.([]any)
		if !ok {
			return nil
		}
		out := make([]any, 0, len(l))
		for _, x := range l {
			if c := Coerce(s.Member.Shape, x); c != nil {
				out = append(out, c)
			}
		}
		return out
	case awsproto.TypeMap:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		out := make(map[string]any, len(m))
		for k, x := range m {
			if c := Coerce(s.Value.Shape, x); c != nil {
				out[k] = c
			}
		}
		return out
	case awsproto.TypeInteger, awsproto.TypeLong:
		switch n := v.(type) {
		case float64:
			if n == math.Trunc(n) {
				return int64(n)
			}
			return nil
		case json.Number:
			i, err := n.Int64()
			if err != nil {
				return nil
			}
			return i
		case int:
			return int64(n)
		case string:
			// A template's number (CloudFormation, Terraform).
			i, err := strconv.ParseInt(n, 10, 64)
			if err != nil {
				return nil
			}
			return i
		}
		return v
	case awsproto.TypeFloat, awsproto.TypeDouble:
		switch n := v.(type) {
		case json.Number:
			f, err := n.Float64()
			if err != nil {
				return nil
			}
			return f
		case int:
			return float64(n)
		case int64:
			return float64(n)
		case string:
			f, err := strconv.ParseFloat(n, 64)
			if err != nil {
				return nil
			}
			return f
		}
		return v
	case awsproto.TypeBoolean:
		if str, ok := v.(string); ok {
			b, err := strconv.ParseBool(str)
			if err != nil {
				return nil
			}
			return b
		}
		return v
	case awsproto.TypeString:
		// A template's scalar read as a number or a boolean (a YAML
		// DestinationPort: 443) where the shape wants a string.
		switch n := v.(type) {
		case float64:
			return strconv.FormatFloat(n, 'f', -1, 64)
		case int:
			return strconv.Itoa(n)
		case int64:
			return strconv.FormatInt(n, 10)
		case json.Number:
			return n.String()
		case bool:
			return strconv.FormatBool(n)
		}
		return v
	case awsproto.TypeTimestamp:
		if str, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339Nano, str)
			if err != nil {
				return nil
			}
			return t
		}
		return v
	case awsproto.TypeBlob:
		if str, ok := v.(string); ok {
			b, err := base64.StdEncoding.DecodeString(str)
			if err != nil {
				return nil
			}
			return b
		}
		return v
	}
	return v
}
