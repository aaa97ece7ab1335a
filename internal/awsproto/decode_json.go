package awsproto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// DecodeJSON decodes an AWS JSON request body into Params keyed by member
// name, checking every value against the input shape and that required
// members are present. JSON nulls and members the shape lacks are dropped,
// as AWS does. Type errors are SerializationException with the messages
// AWS's Coral framework sends ("STRING_VALUE can not be converted to an
// Integer", "Start of list found where not expected"); a body that is not
// JSON is a SerializationException without a message; missing required
// members are InvalidParameterException with a Coral validation message.
func (op *Operation) DecodeJSON(body []byte) (Params, error) {
	out, err := op.decodeJSONBody(body)
	if err != nil || op.Input == nil {
		return out, err
	}
	if err := checkRequired(op, out); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeJSONBody is DecodeJSON without the required members' check.
func (op *Operation) decodeJSONBody(body []byte) (Params, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		body = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, serializationError("")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, serializationError("")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		if _, isList := v.([]any); isList {
			return nil, serializationError("Start of list found where not expected")
		}
		return nil, serializationError("")
	}
	if op.Input == nil {
		return Params{}, nil
	}
	d := jsonDecoder{}
	return d.structure(op.Input, obj, 1)
}

func serializationError(msg string) *apierr.Error {
	return &apierr.Error{Code: CodeSerialization, Message: msg}
}

type jsonDecoder struct{}

// structure converts obj in place (it was freshly decoded) to member
// names and typed values.
func (d *jsonDecoder) structure(s *Shape, obj map[string]any, depth int) (map[string]any, error) {
	if depth > maxJSONDepth {
		return nil, serializationError("Request nesting is too deep")
	}
	known := 0
	var renamed map[string]any
	for _, m := range s.Members {
		name := m.jsonName()
		raw, ok := obj[name]
		if !ok {
			continue
		}
		known++
		if raw == nil {
			delete(obj, name)
			known--
			continue
		}
		v, err := d.value(m.Shape, raw, depth+1)
		if err != nil {
			return nil, err
		}
		if name != m.Name {
			if renamed == nil {
				renamed = map[string]any{}
			}
			renamed[m.Name] = v
			delete(obj, name)
			known--
			continue
		}
		obj[name] = v
	}
	if known != len(obj) {
		for k := range obj {
			if m := s.byJSON[k]; m == nil || m.jsonName() != m.Name {
				delete(obj, k)
			}
		}
	}
	for k, v := range renamed {
		obj[k] = v
	}
	return obj, nil
}

func (d *jsonDecoder) value(s *Shape, raw any, depth int) (any, error) {
	switch s.Type {
	case TypeStructure:
		if s.Document {
			return documentValue(raw, depth)
		}
		switch x := raw.(type) {
		case map[string]any:
			return d.structure(s, x, depth)
		case []any:
			return nil, serializationError("Start of list found where not expected")
		}
		return nil, serializationError("Expected null")
	case TypeList:
		switch x := raw.(type) {
		case []any:
			if depth > maxJSONDepth {
				return nil, serializationError("Request nesting is too deep")
			}
			out := x[:0]
			for _, e := range x {
				if e == nil {
					continue
				}
				v, err := d.value(s.Member.Shape, e, depth+1)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			return out, nil
		case map[string]any:
			return nil, serializationError("Start of structure or map found where not expected.")
		}
		return nil, serializationError("Expected null")
	case TypeMap:
		switch x := raw.(type) {
		case map[string]any:
			if depth > maxJSONDepth {
				return nil, serializationError("Request nesting is too deep")
			}
			for k, e := range x {
				if e == nil {
					delete(x, k)
					continue
				}
				v, err := d.value(s.Value.Shape, e, depth+1)
				if err != nil {
					return nil, err
				}
				x[k] = v
			}
			return x, nil
		case []any:
			return nil, serializationError("Start of list found where not expected")
		}
		return nil, serializationError("Expected null")
	}
	return jsonScalar(s, raw)
}

func jsonScalar(s *Shape, raw any) (any, error) {
	switch x := raw.(type) {
	case []any:
		return nil, serializationError("Start of list found where not expected")
	case map[string]any:
		return nil, serializationError("Start of structure or map found where not expected.")
	case string:
		switch s.Type {
		case TypeString:
			return x, nil
		case TypeTimestamp:
			if t, ok := parseTimestamp(x); ok {
				return t, nil
			}
		case TypeBlob:
			if b, err := base64.StdEncoding.DecodeString(x); err == nil {
				return b, nil
			}
			return nil, serializationError("Base64 encoded value is invalid")
		case TypeFloat, TypeDouble:
			// Smithy sends non-finite numbers as strings.
			if x == "NaN" || x == "Infinity" || x == "-Infinity" {
				f, _ := parseFloatValue(x, 64)
				return f, nil
			}
		}
		return nil, serializationError("STRING_VALUE can not be converted to " + typeName(s.Type))
	case bool:
		if s.Type == TypeBoolean {
			return x, nil
		}
		tok := "FALSE_VALUE"
		if x {
			tok = "TRUE_VALUE"
		}
		return nil, serializationError(tok + " can not be converted to " + typeName(s.Type))
	case json.Number:
		switch s.Type {
		case TypeInteger, TypeLong:
			bits := 32
			if s.Type == TypeLong {
				bits = 64
			}
			if n, err := strconv.ParseInt(string(x), 10, bits); err == nil {
				return n, nil
			}
		case TypeFloat, TypeDouble:
			if f, err := strconv.ParseFloat(string(x), 64); err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		case TypeTimestamp:
			if f, err := strconv.ParseFloat(string(x), 64); err == nil {
				if t, ok := epochTime(f); ok {
					return t, nil
				}
			}
		}
		return nil, serializationError("NUMBER_VALUE can not be converted to " + typeName(s.Type))
	}
	return nil, serializationError("")
}

// documentValue converts a document (free-form JSON) value: numbers
// become int64 when integral, else float64.
func documentValue(raw any, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, serializationError("Request nesting is too deep")
	}
	switch x := raw.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n, nil
		}
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, serializationError("NUMBER_VALUE can not be converted to a Double")
		}
		return f, nil
	case []any:
		for i, e := range x {
			v, err := documentValue(e, depth+1)
			if err != nil {
				return nil, err
			}
			x[i] = v
		}
	case map[string]any:
		for k, e := range x {
			v, err := documentValue(e, depth+1)
			if err != nil {
				return nil, err
			}
			x[k] = v
		}
	}
	return raw, nil
}
