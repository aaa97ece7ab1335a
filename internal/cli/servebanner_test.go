package cli

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// serveStartText runs serve at a log level until it listens and returns
// what it wrote to stderr by then, and the address.
func serveStartText(t *testing.T, o serveOptions) (string, string) {
	t.Helper()
	o.Addr, o.Step, o.Region, o.Account = "127.0.0.1:0", 100*time.Millisecond, "us-east-1", "123456789012"
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var errb lockedBuffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, IO{Out: &bytes.Buffer{}, Err: &errb}, o, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	text := errb.String()
	t.Cleanup(func() { cancel(); <-done })
	return text, addr
}

// TestServeStartText: at the default log level, serve's start text says
// where the APIs answer, the environment that points the aws CLI, boto3,
// the SDKs and Terraform there, the web UI, where the state is kept and
// how to empty it; the reset it names works. --log-level warn leaves it
// out, as it leaves out the info lines.
func TestServeStartText(t *testing.T) {
	text, addr := serveStartText(t, serveOptions{Ephemeral: true, LogLevel: "info"})
	url := "http://" + addr
	for _, want := range []string{
		"answer at " + url + ", region us-east-1, account 123456789012",
		"export AWS_ENDPOINT_URL=" + url + " AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test",
		"aws --endpoint-url " + url + " ecs list-clusters",
		url + "/ui/",
		"ecsnet probe " + url + " --from X --to Y",
		"in memory (--ephemeral)",
		"curl -X POST " + url + "/moto-api/reset",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("start text lacks %q:\n%s", want, text)
		}
	}
	resp, err := http.Post(url+"/moto-api/reset", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST /moto-api/reset: %s", resp.Status)
	}

	path := filepath.Join(t.TempDir(), "state.db")
	if text, _ := serveStartText(t, serveOptions{State: path, LogLevel: "info"}); !strings.Contains(text, path+", kept across restarts") {
		t.Errorf("with --state: start text lacks the state file:\n%s", text)
	}
	if text, _ := serveStartText(t, serveOptions{Ephemeral: true, LogLevel: "warn"}); strings.Contains(text, "AWS_ENDPOINT_URL") {
		t.Errorf("--log-level warn printed the start text:\n%s", text)
	}
}

// lockedBuffer is a bytes.Buffer that serve's goroutines may write while
// the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
