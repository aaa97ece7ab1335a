package cfn

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Error is a template that CloudFormation would reject or a resource it
// would fail to create: where (file and line), which resource (logical id
// and type, empty for template-level errors) and CloudFormation's or the
// AWS service's message.
type Error struct {
	File string
	Line int
	// Resource and Type name the resource whose creation failed.
	Resource string
	Type     string
	// Msg is the message as CloudFormation shows it: "Template format
	// error: …", "Template error: …", or the service's "Code: Message".
	Msg string
	// Stack names the nested stacks the resource is in, outermost first
	// ("ECS (master.yaml:40)").
	Stack []string
	// Err is the service's error (an *apierr.Error) when the engine
	// refused the resource.
	Err error
	// MissingExport is the name Fn::ImportValue asked for when no stack
	// exports it.
	MissingExport string
	// Validation is set when CloudFormation's validation of the stack's
	// resources refused Resource before any was created (its properties
	// against its type's schema).
	Validation bool
	// Static is set when the error is in the template as the stack's
	// parameters and conditions make it (a reference to a resource that
	// is not in it or not created, a mapping key that is not there):
	// CloudFormation finds it when it validates the template and refuses
	// CreateStack or CreateChangeSet itself, a ValidationError, before it
	// creates anything; Resource then names where it was found.
	Static bool
	// UnsupportedAttr is set when an Fn::GetAtt names an attribute its
	// resource's type does not have: CloudFormation accepts the request
	// and then fails the stack operation before it creates anything,
	// with this reason ("[Error] /Outputs/X/Value/Fn::GetAtt: Resource
	// type T does not support attribute {A}."). A deploy rolls back all
	// it did, Retain or not.
	UnsupportedAttr string
	// Initiated is the physical id of a resource whose creation
	// CloudFormation started before it failed (a wait condition that
	// timed out): its events have "Resource creation Initiated" with it.
	Initiated string
	// HandlerCode is set when the resource's handler failed the operation
	// itself on a service answer that was no error (EC2's unsuccessful
	// items): its HandlerErrorCode. The status reason is then the
	// service's message alone, not an SDK exception's text.
	HandlerCode string
	// Hint says, after Msg, why ecsnet expects the failure (the analyzer
	// shows it; the emulator's event is Msg, CloudFormation's text).
	Hint string
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	s += ": "
	if e.Resource != "" {
		s += e.Resource + " (" + e.Type + "): "
	}
	s += e.Msg
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	for i := len(e.Stack) - 1; i >= 0; i-- {
		s += " [in nested stack " + e.Stack[i] + "]"
	}
	return s
}

// Unwrap returns the service error, if any.
func (e *Error) Unwrap() error { return e.Err }

// handlerFailure is a resource handler's own failure (code, its
// HandlerErrorCode) on an unsuccessful item the service answered (err).
type handlerFailure struct {
	code string
	err  *apierr.Error
}

func (e *handlerFailure) Error() string { return e.err.Error() }
func (e *handlerFailure) Unwrap() error { return e.err }

// templateError is a problem found while reading or evaluating a template,
// before the file, resource and stack are known; the stack turns it into
// an *Error.
type templateError struct {
	line          int
	msg           string
	missingExport string
	static        bool   // see Error.Static
	unsupported   string // see Error.UnsupportedAttr
}

func (e *templateError) Error() string { return e.msg }

// formatErr is CloudFormation's "Template format error" (a template that
// fails validation).
func formatErr(line int, format string, args ...any) error {
	return &templateError{line: line, msg: "Template format error: " + fmt.Sprintf(format, args...)}
}

// evalErr is CloudFormation's "Template error" (an intrinsic function that
// cannot be evaluated).
func evalErr(line int, format string, args ...any) error {
	return &templateError{line: line, msg: "Template error: " + fmt.Sprintf(format, args...)}
}

// propErr is a property value the resource cannot take. CloudFormation
// reports these as "Properties validation failed for resource X with
// message: …"; the caller adds the resource.
func propErr(line int, format string, args ...any) error {
	return &templateError{line: line, msg: fmt.Sprintf(format, args...)}
}

// unresolved is CloudFormation's error for a Ref, GetAtt or Sub variable
// naming nothing in the template.
func unresolved(line int, name, block string) error {
	return formatErr(line, "Unresolved resource dependencies [%s] in the %s block of the template", name, block)
}

// static marks a template error as one CloudFormation's validation of the
// template finds (Error.Static); other errors are returned as they are.
func static(err error) error {
	var te *templateError
	if !errors.As(err, &te) {
		return err
	}
	out := *te
	out.static = true
	return &out
}

// serviceMessage formats an engine error as CloudFormation shows a failed
// resource: the service's code and message.
func serviceMessage(err error) string {
	var ae *apierr.Error
	if errors.As(err, &ae) {
		return ae.Code + ": " + ae.Message
	}
	return err.Error()
}
