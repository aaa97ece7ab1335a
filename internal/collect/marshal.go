package collect

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// KeyStyle says how a service's JSON keys are cased in the aws CLI's output:
// the botocore member names, PascalCase for EC2, ELBv2 and Auto Scaling,
// camelCase for ECS. The AWS SDK for Go v2 names every struct field in
// PascalCase and has no JSON tags, so the CLI's names are derived from the
// field names (TestCLIKeyNames checks them against the botocore models).
type KeyStyle uint8

// Key styles.
const (
	Pascal KeyStyle = iota // EC2, ELBv2, Auto Scaling
	Camel                  // ECS
)

// keyName returns the aws CLI's key for an SDK field name.
func (s KeyStyle) keyName(field string) string {
	if s == Pascal {
		return field
	}
	r, n := utf8.DecodeRuneInString(field)
	return string(unicode.ToLower(r)) + field[n:]
}

var (
	timeType = reflect.TypeOf(time.Time{})
	byteType = reflect.TypeOf([]byte(nil))
)

// CLIValue converts an AWS SDK for Go v2 value (an output struct, a slice
// of resources, …) into the plain value the aws CLI prints for it: maps
// keyed by botocore member names, lists, strings, numbers and booleans.
// Nil pointers, slices and maps are left out, as the CLI leaves out what
// the service did not send; SDK bookkeeping (ResultMetadata, pagination
// tokens) is dropped. Timestamps print as the aws CLI v2 prints them
// (ISO 8601 with the UTC offset), blobs as base64.
func CLIValue(v any, style KeyStyle) any {
	return cliValue(reflect.ValueOf(v), style)
}

func cliValue(v reflect.Value, style KeyStyle) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		if v.Kind() == reflect.Interface {
			return unionValue(v.Elem(), style)
		}
		return cliValue(v.Elem(), style)
	case reflect.Struct:
		if v.Type() == timeType {
			return cliTime(v.Interface().(time.Time))
		}
		out := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || skippedField(f.Name) {
				continue
			}
			fv := v.Field(i)
			switch fv.Kind() {
			case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
				if fv.IsNil() {
					continue
				}
			case reflect.String:
				// Enum fields are plain string types; "" is an enum the
				// service did not send.
				if fv.Len() == 0 {
					continue
				}
			}
			if x := cliValue(fv, style); x != nil {
				out[style.keyName(f.Name)] = x
			}
		}
		return out
	case reflect.Slice, reflect.Array:
		if v.Type() == byteType {
			return base64.StdEncoding.EncodeToString(v.Bytes())
		}
		out := make([]any, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			out = append(out, cliValue(v.Index(i), style))
		}
		return out
	case reflect.Map:
		out := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			out[iter.Key().String()] = cliValue(iter.Value(), style)
		}
		return out
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	}
	return nil
}

// skippedField names SDK struct fields that are not part of the service's
// output: middleware metadata and the pagination tokens that the aws CLI
// consumes while it merges pages.
func skippedField(name string) bool {
	switch name {
	case "ResultMetadata", "NextToken", "NextMarker", "Marker":
		return true
	}
	return false
}

// unionValue prints a smithy union member (a struct type named
// <Union>Member<Name> with one field, Value) as {"<name>": value}.
func unionValue(v reflect.Value, style KeyStyle) any {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		name := v.Type().Name()
		if i := strings.LastIndex(name, "Member"); i >= 0 {
			if f := v.FieldByName("Value"); f.IsValid() {
				return map[string]any{style.keyName(name[i+len("Member"):]): cliValue(f, style)}
			}
		}
	}
	return cliValue(v, style)
}

// cliTime formats a timestamp as the aws CLI v2 does (Python's
// datetime.isoformat, in UTC: microseconds only when not zero).
func cliTime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000-07:00")
	}
	return t.Format("2006-01-02T15:04:05-07:00")
}

// MarshalCLI encodes a value produced by CLIValue as the aws CLI prints it:
// keys sorted, four-space indentation, a final newline.
func MarshalCLI(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "    ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
