package lambda

import (
	"net/http"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
)

// Lambda's request size quotas (docs/aws-behavior.md, "Lambda's request
// sizes"). A .zip deployment package uploaded directly may be 50 MB
// (52,428,800 bytes), which base64 makes 69,905,067 bytes: the request
// size Lambda's front end answers above, naming the operation. A
// synchronous invocation's payload may be 6 MB (6,291,456 bytes), an
// asynchronous one's 1 MB (1,048,576 bytes, since October 2025; 256 KB
// before).
const (
	codeRequestBytes  = 69905067
	syncPayloadBytes  = 6 << 20
	asyncPayloadBytes = 1 << 20
)

// registerLimits gives the operations that carry a deployment package or
// a payload their own request size limits, above or below the server's.
func registerLimits(r *api.Registry) {
	limit := func(op, named string, n int64) {
		r.SetBodyLimit("lambda", op, api.BodyLimit{Bytes: n, Err: func() *apierr.Error { return requestTooLarge(n, named) }})
	}
	limit("CreateFunction", "CreateFunction", codeRequestBytes)
	limit("UpdateFunctionCode", "UpdateFunctionCode", codeRequestBytes)
	limit("PublishLayerVersion", "PublishLayerVersion", codeRequestBytes)
	// Invoke is InvokeFunction behind Lambda's front end, and named so.
	// Its body is the payload, whose quota is smaller for an
	// asynchronous invocation, checked before the function is looked up
	// [probable].
	r.SetBodyLimit("lambda", "Invoke", api.BodyLimit{Bytes: syncPayloadBytes,
		Err: func() *apierr.Error { return requestTooLarge(syncPayloadBytes, "InvokeFunction") },
		Check: func(h http.Header, n int) *apierr.Error {
			if h.Get("X-Amz-Invocation-Type") == "Event" && n > asyncPayloadBytes {
				return eventPayloadTooLarge(n)
			}
			return nil
		}})
}

// requestTooLarge is Lambda's answer to a request over its operation's
// size: HTTP 413 RequestEntityTooLargeException.
func requestTooLarge(n int64, op string) *apierr.Error {
	return &apierr.Error{Code: "RequestEntityTooLargeException", HTTPStatus: http.StatusRequestEntityTooLarge, Fields: map[string]string{"Type": "User"},
		Message: "Request must be smaller than " + strconv.FormatInt(n, 10) + " bytes for the " + op + " operation"}
}

// eventPayloadTooLarge is Lambda's answer to an asynchronous invocation
// (InvocationType Event) whose payload is over its quota.
func eventPayloadTooLarge(n int) *apierr.Error {
	return &apierr.Error{Code: "RequestEntityTooLargeException", HTTPStatus: http.StatusRequestEntityTooLarge, Fields: map[string]string{"Type": "User"},
		Message: strconv.Itoa(n) + " byte payload is too large for the Event invocation type (limit " + strconv.Itoa(asyncPayloadBytes) + " bytes)"}
}
