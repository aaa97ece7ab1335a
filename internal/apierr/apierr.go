// Package apierr holds ecsnet's one AWS error type.
//
// Every failure that AWS would report to a client is an *Error carrying the
// AWS error code and message verbatim (period included), so the engine,
// the scenario loader, the analyzer and every wire protocol report the same
// thing. The protocol encoders in internal/awsproto turn an *Error into the
// service's error envelope; any other error becomes a generic InternalError
// so internal details never leak to a client.
package apierr

import (
	"errors"
	"fmt"
	"net/http"
)

// Fault says who is to blame, as AWS's SDKs report it.
type Fault int

const (
	// Client means the request was wrong (HTTP 4xx, "Sender" in Query errors).
	Client Fault = iota
	// Server means the service failed (HTTP 5xx, "Receiver" in Query errors).
	Server
)

// Error is an AWS API error: a code such as "InvalidVpcID.NotFound" and the
// exact message AWS sends with it. Its method set matches smithy.APIError, so
// tests assert on server-side and SDK-side errors the same way.
type Error struct {
	Code    string
	Message string
	// HTTPStatus overrides Status() when non-zero.
	HTTPStatus int
	// Fields are the error shape's other members, for the services whose
	// errors carry them (AWS JSON: Cloud Map's NamespaceAlreadyExists has
	// NamespaceId and CreatorRequestId); nil for most errors.
	Fields map[string]string
	// QueryCode is the Query protocol's code of an error of a JSON
	// service that was a Query one, when it differs from Code and the
	// model does not give it (SQS's QueueDoesNotExist is
	// AWS.SimpleQueueService.NonExistentQueue): clients read it from
	// x-amzn-query-error.
	QueryCode string
}

// New returns an error with the given AWS code and message.
func New(code, message string) *Error { return &Error{Code: code, Message: message} }

// Newf returns an error with the given AWS code and a formatted message.
func Newf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns the AWS error code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the AWS error message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault reports whether the client or the server is at fault.
func (e *Error) ErrorFault() Fault {
	if e.Status() >= 500 {
		return Server
	}
	return Client
}

// Status returns the HTTP status AWS sends with this error.
func (e *Error) Status() int {
	if e.HTTPStatus != 0 {
		return e.HTTPStatus
	}
	switch e.Code {
	case CodeInternalError, CodeServerException, "InternalFailure":
		return http.StatusInternalServerError
	case "ServiceUnavailable", "Unavailable":
		return http.StatusServiceUnavailable
	case "Throttling", "ThrottlingException", "RequestLimitExceeded":
		return http.StatusBadRequest
	case "AccessDeniedException":
		return http.StatusForbidden
	case CodeDryRunOperation:
		return http.StatusPreconditionFailed
	case "UnknownOperationException":
		return http.StatusBadRequest
	}
	return http.StatusBadRequest
}

// Codes used by more than one service.
const (
	CodeInternalError   = "InternalError"
	CodeServerException = "ServerException"
	CodeDryRunOperation = "DryRunOperation"
)

// Internal is what a client sees for any error that is not an *Error.
func Internal() *Error {
	return &Error{Code: CodeInternalError, Message: "An internal error has occurred"}
}

// As returns err as an *Error, or Internal() when it is some other error.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal()
}

// HasCode reports whether err is an *Error with the given code.
func HasCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
