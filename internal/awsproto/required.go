package awsproto

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
)

// checkRequired reports the required members missing anywhere in a
// decoded input, as the operation's service does: EC2 names the first
// with MissingParameter; Query and JSON services list them all in a
// Coral validation message (ValidationError for Query, InvalidInput
// for Cloud Map, InvalidParameterException for ECS, ValidationException
// for the other JSON services, such as SSM).
func checkRequired(op *Operation, root map[string]any) error {
	c := requiredChecker{ec2: op.Service.Protocol == ProtocolEC2}
	c.structure(op.Input, root)
	if len(c.missing) == 0 {
		return nil
	}
	switch op.Service.Protocol {
	case ProtocolEC2:
		if op.Name == "TerminateInstances" && c.missing[0] == "instanceIdSet" {
			// TerminateInstances without an instance id (an SDK sends
			// nothing for an empty list) is refused as a combination.
			return apierr.New("InvalidParameterCombination", "No instances specified")
		}
		return apierr.Newf(CodeMissingParameter, "The request must contain the parameter %s", c.missing[0])
	case ProtocolQuery:
		return apierr.New(CodeValidationError, validationMessage(c.messages()))
	}
	switch op.Service.Name {
	case "servicediscovery", "route53":
		// Cloud Map and Route 53 report every input error as InvalidInput.
		return apierr.New("InvalidInput", validationMessage(c.messages()))
	case "ecs":
		return apierr.New(CodeInvalidParameterException, validationMessage(c.messages()))
	case "efs":
		// EFS: "BadRequest: Returned if the request is malformed or
		// contains an error such as … a missing required parameter."
		return &apierr.Error{Code: "BadRequest", Message: validationMessage(c.messages()), Fields: map[string]string{"ErrorCode": "BadRequest"}}
	default:
		return apierr.New("ValidationException", validationMessage(c.messages()))
	}
}

type requiredChecker struct {
	ec2     bool
	path    pathStack
	missing []string // paths: EC2 wire names, else Coral paths
}

func (c *requiredChecker) messages() []string {
	msgs := make([]string, len(c.missing))
	for i, p := range c.missing {
		msgs[i] = "Value null at '" + p + "' failed to satisfy constraint: Member must not be null"
	}
	return msgs
}

func (c *requiredChecker) structure(s *Shape, v map[string]any) {
	if s == nil || s.Document {
		return
	}
	for _, m := range s.Members {
		c.path.pushMember(m)
		if x, ok := v[m.Name]; ok {
			c.value(m.Shape, x)
		} else if m.Required {
			if c.ec2 && len(c.path) == 1 && m.Shape.Type == TypeList {
				// EC2 names a missing list by its internal name, the
				// element name plus "Set": CreateTags without ResourceId.N
				// is "The request must contain the parameter resourceIdSet".
				c.missing = append(c.missing, lowerFirst(m.wire)+"Set")
			} else if c.ec2 {
				c.missing = append(c.missing, c.path.wire())
			} else {
				c.missing = append(c.missing, c.path.coral())
			}
		}
		c.path.pop()
		if c.ec2 && len(c.missing) > 0 {
			return
		}
	}
}

func (c *requiredChecker) value(s *Shape, v any) {
	switch s.Type {
	case TypeStructure:
		if st, ok := v.(map[string]any); ok {
			c.structure(s, st)
		}
	case TypeList:
		l, _ := v.([]any)
		for i, e := range l {
			c.path.pushIndex(i + 1)
			c.value(s.Member.Shape, e)
			c.path.pop()
		}
	case TypeMap:
		if s.Value.Shape.Type != TypeStructure && s.Value.Shape.Type != TypeList && s.Value.Shape.Type != TypeMap {
			return
		}
		m, _ := v.(map[string]any)
		for k, e := range m {
			c.path.pushKey(k)
			c.value(s.Value.Shape, e)
			c.path.pop()
		}
	}
}
