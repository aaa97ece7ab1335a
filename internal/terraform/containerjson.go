package terraform

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// checkContainerJSON refuses container_definitions whose JSON does not
// decode into the AWS SDK's ContainerDefinition list, as the provider's
// plan-time validation refuses it (terraform-provider-aws
// internal/service/ecs, validTaskDefinitionContainerDefinitions: the
// text is decoded with encoding/json into []types.ContainerDefinition):
// `environment = "test"` where ECS takes a list of name/value pairs is
// "json: cannot unmarshal string into Go struct field
// ContainerDefinition.Environment of type []types.KeyValuePair". Keys the
// shape does not have are ignored, as encoding/json ignores them, and
// names match without regard to case, as encoding/json matches them; a
// number given as a string is refused as encoding/json refuses it.
func checkContainerJSON(text string) error {
	var raw any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil // containerDefinitions says it
	}
	list, ok := raw.([]any)
	if !ok {
		return fmt.Errorf("ECS Task Definition container_definitions is invalid: decoding JSON: json: cannot unmarshal %s into Go value of type []types.ContainerDefinition", jsonKind(raw))
	}
	for _, el := range list {
		if bad := jsonShapeMismatch(el, "ContainerDefinition", "", "", 0); bad != "" {
			return fmt.Errorf("ECS Task Definition container_definitions is invalid: decoding JSON: json: %s", bad)
		}
	}
	// The decoded list's elements that are the zero ContainerDefinition
	// (expandContainerDefinitions' itypes.IsZero): {}, null, or only keys
	// the shape does not have or that are null. An empty list or false
	// is a value, so {"essential": false} is not refused.
	for i, el := range list {
		if zeroContainerJSON(el) {
			return fmt.Errorf("ECS Task Definition container_definitions is invalid: invalid container definition supplied at index (%d)", i)
		}
	}
	return nil
}

// zeroContainerJSON reports whether a container definition's JSON decodes
// to the zero ContainerDefinition: no key of the shape (matched as
// encoding/json matches them, without regard to case) with a value other
// than null.
func zeroContainerJSON(el any) bool {
	m, ok := el.(map[string]any)
	if el == nil {
		return true
	}
	if !ok {
		return false
	}
	for k, v := range m {
		if v == nil {
			continue
		}
		for _, mem := range ecsShapes["ContainerDefinition"].members {
			if strings.EqualFold(mem.name, k) {
				return false
			}
		}
	}
	return true
}

// jsonShapeMismatch is encoding/json's complaint about v decoded into the
// Go type of shape name, or "": "cannot unmarshal string into Go struct
// field ContainerDefinition.Environment of type []types.KeyValuePair", the
// struct named being the innermost one and the field path going from the
// outermost (as hashicorp/terraform-provider-aws#35956 quotes it: "Go
// struct field PortMapping.PortMappings.ContainerPort"). A number given
// as a string is refused too (that case).
func jsonShapeMismatch(v any, name, inStruct, field string, depth int) string {
	s, ok := ecsShapes[name]
	if v == nil || !ok || depth > 8 {
		return ""
	}
	bad := func() string {
		if field == "" {
			return fmt.Sprintf("cannot unmarshal %s into Go value of type %s", jsonKind(v), goType(name))
		}
		return fmt.Sprintf("cannot unmarshal %s into Go struct field %s.%s of type %s", jsonKind(v), inStruct, field, goType(name))
	}
	switch s.kind {
	case "structure":
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		for _, k := range sortedKeys(m) {
			for _, mem := range s.members {
				if strings.EqualFold(mem.name, k) {
					f := strings.ToUpper(mem.name[:1]) + mem.name[1:]
					if field != "" {
						f = field + "." + f
					}
					if r := jsonShapeMismatch(m[k], mem.shape, name, f, depth+1); r != "" {
						return r
					}
					break
				}
			}
		}
	case "list":
		l, ok := v.([]any)
		if !ok {
			return bad()
		}
		for _, x := range l {
			if r := jsonShapeMismatch(x, s.elem, inStruct, field, depth+1); r != "" {
				return r
			}
		}
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		for _, k := range sortedKeys(m) {
			if r := jsonShapeMismatch(m[k], s.elem, inStruct, field, depth+1); r != "" {
				return r
			}
		}
	case "string", "enum":
		if _, ok := v.(string); !ok {
			return bad()
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return bad()
		}
	case "integer", "long", "float", "double":
		if _, ok := v.(float64); !ok {
			return bad()
		}
	}
	return ""
}

// jsonKind is encoding/json's word for a JSON value.
func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "null"
}

// goType is the AWS SDK for Go v2's type for a shape: types.X for
// structures and enums, []T for lists, map[string]T for maps.
func goType(name string) string {
	s := ecsShapes[name]
	switch s.kind {
	case "structure", "enum":
		return "types." + name
	case "list":
		return "[]" + goType(s.elem)
	case "map":
		return "map[string]" + goType(s.elem)
	case "string":
		return "string"
	case "boolean":
		return "bool"
	case "integer":
		return "int32"
	case "long":
		return "int64"
	case "float":
		return "float32"
	case "double":
		return "float64"
	}
	return name
}

// unknownContainerKeys lists, per container (by index), the keys of
// container_definitions that an ECS container definition does not have
// (without regard to case, as encoding/json matches them), each with the
// member within two edits of it ("" when none is): the provider decodes
// the text with encoding/json, which drops them without a word, so a
// "portMapping" leaves the container without ports.
func unknownContainerKeys(text string) map[int][][2]string {
	var list []map[string]any
	if json.Unmarshal([]byte(text), &list) != nil {
		return nil
	}
	s := ecsShapes["ContainerDefinition"]
	var names []string
	for _, m := range s.members {
		names = append(names, m.name)
	}
	out := map[int][][2]string{}
	for i, c := range list {
		for _, k := range sortedKeys(c) {
			if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, k) }) {
				out[i] = append(out[i], [2]string{k, nearest(k, names)})
			}
		}
	}
	return out
}

// canonicalKeys renames the keys of v, decoded JSON of the shape name, to
// the shape's own member names (encoding/json matches them without regard
// to case, so the provider takes "Name", "Image" and "LogConfiguration"
// as ECS's name, image and logConfiguration); a map's keys (dockerLabels,
// a log driver's options) are kept.
func canonicalKeys(v any, name string, depth int) any {
	s, ok := ecsShapes[name]
	if v == nil || !ok || depth > 8 {
		return v
	}
	switch s.kind {
	case "structure":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for _, k := range sortedKeys(m) {
			key, shape := k, ""
			for _, mem := range s.members {
				if strings.EqualFold(mem.name, k) {
					key, shape = mem.name, mem.shape
					break
				}
			}
			if _, dup := out[key]; dup && key != k {
				continue // the exact name wins
			}
			out[key] = canonicalKeys(m[k], shape, depth+1)
		}
		return out
	case "list":
		l, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = canonicalKeys(x, s.elem, depth+1)
		}
		return out
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = canonicalKeys(x, s.elem, depth+1)
		}
		return out
	}
	return v
}
