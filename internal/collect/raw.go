package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Lenient decoding. Emulators sometimes answer with values of the wrong
// type (moto sends numbers where ECS's model says strings), which the SDK
// rejects with a deserialization error. For ECS, whose protocol is JSON,
// the response body is already what the aws CLI prints (keys are the
// botocore member names), so the collector keeps the body as the service
// sent it and notes that it did.

type rawKey struct{}

// rawBody holds the last response body of a request made with a context
// from withRawCapture.
type rawBody struct{ b []byte }

func withRawCapture(ctx context.Context) (context.Context, *rawBody) {
	rb := &rawBody{}
	return context.WithValue(ctx, rawKey{}, rb), rb
}

// captureRaw is a deserialize-step middleware that copies the response
// body for withRawCapture contexts before the SDK's deserializer reads it.
type captureRaw struct{}

func (captureRaw) ID() string { return "ecsnetCaptureRawBody" }

func (captureRaw) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, in)
	rb, _ := ctx.Value(rawKey{}).(*rawBody)
	if rb == nil {
		return out, md, err
	}
	if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Body != nil {
		b, rerr := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
		resp.Body.Close()
		rb.b = b
		resp.Body = io.NopCloser(bytes.NewReader(b))
		if rerr != nil {
			return out, md, rerr
		}
	}
	return out, md, err
}

// addRawCapture installs captureRaw innermost in the deserialize step, so
// it sees the body before the operation's deserializer.
func addRawCapture(stack *middleware.Stack) error {
	return stack.Deserialize.Add(captureRaw{}, middleware.After)
}

// lenient runs an ECS call; when the SDK cannot decode the answer it
// returns the response's items under key, as ECS sent them, and a note.
func lenient[O any](ctx context.Context, call func(context.Context) (O, error), key string) (out O, raw []any, failures []any, note string, err error) {
	ctx, rb := withRawCapture(ctx)
	out, err = call(ctx)
	var de *smithy.DeserializationError
	if err == nil || !errors.As(err, &de) || len(rb.b) == 0 {
		return out, nil, nil, "", err
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(rb.b, &body) != nil {
		return out, nil, nil, "", err
	}
	if json.Unmarshal(body[key], &raw) != nil {
		return out, nil, nil, "", err
	}
	_ = json.Unmarshal(body["failures"], &failures)
	if raw == nil {
		raw = []any{}
	}
	return out, raw, failures, "the AWS SDK could not decode the response (" + de.Err.Error() + "); the JSON was kept as the service sent it", nil
}
