package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// AWS::Lambda::Function is created through the engine's Lambda
// (res_lambda.go), which checks its runtime itself; a SAM
// AWS::Serverless::Function stays a placeholder, but Lambda refuses to create one, or to update one, whose runtime it has
// deprecated past the runtime's "block function create" ("block function
// update") date, and the stack fails on it as in AWS:
// InvalidParameterValueException "The runtime parameter of nodejs12.x is no
// longer supported for creating or updating AWS Lambda functions. We
// recommend you use the new runtime (nodejs18.x) while creating or
// updating functions." (docs/aws-behavior.md, "Round thirty-seven"); the
// table is the engine's (engine/lambda_runtime.go), the Lambda API's too.

// checkLambdaRuntime refuses an AWS::Lambda::Function (or a SAM
// AWS::Serverless::Function, its Runtime perhaps from Globals: see
// samResources) whose
// runtime Lambda no longer creates, or, when the stack's update changes
// the function, no longer updates. A function the update leaves as it was
// is not sent to Lambda.
func (s *stack) checkLambdaRuntime(r *resource, props *node) error {
	rt := props.get("Runtime")
	if rt == nil || rt.kind != scalarNode || rt.str == "" {
		return nil
	}
	update := false
	if old, had := s.l.existing[s.prefix+r.def.name]; had && old.Type == r.def.typ {
		if old.Props == "" || len(changedProps(old.Props, propsJSON(props))) == 0 {
			return nil
		}
		update = true
	}
	if err := engine.RefusedLambdaRuntime(strings.TrimSpace(rt.str), update, s.l.e.Now()); err != nil {
		return s.resourceErr(r, err)
	}
	return nil
}
