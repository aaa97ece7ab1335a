// Package sdkhttp is the HTTP client ecsnet's tests hand the AWS SDK for Go
// v2 when they drive the emulator (or moto) through the SDK's clients.
// It works around a race between smithy-go and net/http that otherwise makes
// an SDK call fail, now and then, with "use of closed network connection"
// while it reads a successful response.
//
// The race: smithy-go wraps every request body in a safeReadCloser and closes
// it as soon as (*http.Client).Do returns, that is, as soon as the response
// headers arrive. net/http's transport writes a body in two steps: it copies
// Content-Length bytes to the socket (directly, once the headers were flushed,
// which it does for any body type it does not know to be in memory), and then
// reads the body once more, through io.Copy(io.Discard, body), to check that
// nothing is left. A fast server (any server on localhost) can answer between
// the two steps. The SDK then closes the body, and the second step meets the
// closed wrapper: its WriteTo method returns io.EOF, which io.Copy passes on
// as an error (an io.WriterTo must not return io.EOF). The transport takes it
// for a failed request write and closes the connection, under the feet of the
// SDK's deserializer, which is still reading the response body.
//
// The fix is to hide WriteTo: through Read alone, a closed body is a body at
// its end, and the transport's check passes.
package sdkhttp

import (
	"io"
	"net/http"
)

// Doer is what the SDK calls to send a request (aws.HTTPClient).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Wrap returns a client that sends requests through next with their bodies
// reduced to Read and Close. A nil next means a new *http.Client with a
// transport of its own.
func Wrap(next Doer) Doer {
	if next == nil {
		next = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	return client{next}
}

type client struct{ next Doer }

func (c client) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody {
		// Set on the request the SDK holds, so its Close after Do
		// reaches the SDK's body through this wrapper.
		r.Body = readCloser{r.Body}
	}
	return c.next.Do(r)
}

// readCloser exposes only Read and Close of a request body.
type readCloser struct{ rc io.ReadCloser }

func (b readCloser) Read(p []byte) (int, error) { return b.rc.Read(p) }
func (b readCloser) Close() error               { return b.rc.Close() }
