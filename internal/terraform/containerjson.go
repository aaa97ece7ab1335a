package terraform

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/awsproto"
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
func (l *loader) checkContainerJSON(text string) error {
	var raw any
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil // containerDefinitions says it
	}
	if l.ecsModel == nil {
		models, err := awsproto.LoadModels()
		if err != nil {
			return nil
		}
		l.ecsModel = models.Service("ecs")
		if l.ecsModel == nil {
			return nil
		}
	}
	shape := l.ecsModel.Shape("ContainerDefinition")
	if shape == nil {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		return fmt.Errorf("ECS Task Definition container_definitions is invalid: decoding JSON: json: cannot unmarshal %s into Go value of type []types.ContainerDefinition", jsonKind(raw))
	}
	for _, el := range list {
		if bad := jsonShapeMismatch(el, shape, "", "", 0); bad != "" {
			return fmt.Errorf("ECS Task Definition container_definitions is invalid: decoding JSON: json: %s", bad)
		}
	}
	return nil
}

// jsonShapeMismatch is encoding/json's complaint about v decoded into the
// Go type of shape s, or "": "cannot unmarshal string into Go struct field
// ContainerDefinition.Environment of type []types.KeyValuePair", the
// struct named being the innermost one and the field path going from the
// outermost (as hashicorp/terraform-provider-aws#35956 quotes it: "Go
// struct field PortMapping.PortMappings.ContainerPort"). A number given
// as a string is refused too (that case).
func jsonShapeMismatch(v any, s *awsproto.Shape, inStruct, field string, depth int) string {
	if v == nil || s == nil || depth > 8 {
		return ""
	}
	bad := func() string {
		if field == "" {
			return fmt.Sprintf("cannot unmarshal %s into Go value of type %s", jsonKind(v), goType(s))
		}
		return fmt.Sprintf("cannot unmarshal %s into Go struct field %s.%s of type %s", jsonKind(v), inStruct, field, goType(s))
	}
	switch s.Type {
	case awsproto.TypeStructure:
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		for k, x := range m {
			for _, mem := range s.Members {
				if strings.EqualFold(mem.Name, k) {
					f := strings.ToUpper(mem.Name[:1]) + mem.Name[1:]
					if field != "" {
						f = field + "." + f
					}
					if r := jsonShapeMismatch(x, mem.Shape, s.Name, f, depth+1); r != "" {
						return r
					}
					break
				}
			}
		}
	case awsproto.TypeList:
		l, ok := v.([]any)
		if !ok {
			return bad()
		}
		if s.Member != nil {
			for _, x := range l {
				if r := jsonShapeMismatch(x, s.Member.Shape, inStruct, field, depth+1); r != "" {
					return r
				}
			}
		}
	case awsproto.TypeMap:
		m, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		if s.Value != nil {
			for _, x := range m {
				if r := jsonShapeMismatch(x, s.Value.Shape, inStruct, field, depth+1); r != "" {
					return r
				}
			}
		}
	case awsproto.TypeString:
		if _, ok := v.(string); !ok {
			return bad()
		}
	case awsproto.TypeBoolean:
		if _, ok := v.(bool); !ok {
			return bad()
		}
	case awsproto.TypeInteger, awsproto.TypeLong, awsproto.TypeFloat, awsproto.TypeDouble:
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
func goType(s *awsproto.Shape) string {
	switch s.Type {
	case awsproto.TypeStructure:
		return "types." + s.Name
	case awsproto.TypeList:
		if s.Member != nil {
			return "[]" + goType(s.Member.Shape)
		}
	case awsproto.TypeMap:
		if s.Value != nil {
			return "map[string]" + goType(s.Value.Shape)
		}
	case awsproto.TypeString:
		if len(s.Enum) > 0 {
			return "types." + s.Name
		}
		return "string"
	case awsproto.TypeBoolean:
		return "bool"
	case awsproto.TypeInteger:
		return "int32"
	case awsproto.TypeLong:
		return "int64"
	case awsproto.TypeFloat:
		return "float32"
	case awsproto.TypeDouble:
		return "float64"
	}
	return s.Name
}
