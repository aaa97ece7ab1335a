package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// stateWith writes a state file holding the given records.
func stateWith(t *testing.T, recs ...store.Change) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) > 0 {
		if err := b.Apply(recs); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// serveBriefly runs serve until it is listening, then stops it.
func serveBriefly(t *testing.T, o serveOptions) (string, error) {
	t.Helper()
	o.Addr, o.LogLevel, o.Step = "127.0.0.1:0", "warn", 100*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	var errb bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serve(ctx, IO{Out: &bytes.Buffer{}, Err: &errb}, o, ready) }()
	select {
	case <-ready:
		cancel()
		return errb.String(), <-done
	case err := <-done:
		return errb.String(), err
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

// TestServeDamagedState: a damaged state file stops serve with an error
// that says what is damaged and names the ways out; each way out works.
func TestServeDamagedState(t *testing.T) {
	t.Run("truncated file", func(t *testing.T) {
		path := stateWith(t)
		if err := os.Truncate(path, 100); err != nil {
			t.Fatal(err)
		}
		code, _, errs := run(t, "serve", "--state", path, "--addr", "127.0.0.1:0")
		if code != ExitBadInput || !strings.Contains(errs, "damaged") || !strings.Contains(errs, "--state-recover=move-aside") || !strings.Contains(errs, "--state-recover=salvage") {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
		logs, err := serveBriefly(t, serveOptions{State: path, Recover: "move-aside"})
		if err != nil {
			t.Fatalf("serve --state-recover=move-aside: %v", err)
		}
		moved, _ := filepath.Glob(path + ".damaged-*")
		if len(moved) != 1 || !strings.Contains(logs, "moved aside") {
			t.Fatalf("damaged files kept: %v; logs %q", moved, logs)
		}
	})
	t.Run("a record that does not decode", func(t *testing.T) {
		path := stateWith(t,
			store.Change{Kind: "us-east-1/vpc", ID: "vpc-0123456789abcdef0", Data: []byte(`{"ID":"vpc-0123456789abcdef0"`)},
			store.Change{Kind: "us-east-1/cluster", ID: "arn:aws:ecs:us-east-1:123456789012:cluster/kept", Data: []byte(`{"ARN":"arn:aws:ecs:us-east-1:123456789012:cluster/kept","Name":"kept","Status":"ACTIVE"}`)})
		_, err := serveBriefly(t, serveOptions{State: path})
		if err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "--state-recover=salvage") {
			t.Fatalf("serve: %v", err)
		}
		if _, err := serveBriefly(t, serveOptions{State: path, Recover: "salvage"}); err != nil {
			t.Fatalf("serve --state-recover=salvage: %v", err)
		}
		b, err := bolt.Open(path, bolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		var kinds []string
		b.Load(func(kind, _ string, _ []byte) error { kinds = append(kinds, kind); return nil })
		if len(kinds) != 1 || kinds[0] != "us-east-1/cluster" {
			t.Fatalf("records after salvage: %v, want the cluster only", kinds)
		}
	})
}
