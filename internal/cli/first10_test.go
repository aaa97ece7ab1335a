package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServe runs serve in the background until the test ends and
// returns the address it listens on.
func startServe(t *testing.T, o serveOptions) string {
	t.Helper()
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	o.LogLevel, o.Step, o.Region = "warn", 100*time.Millisecond, "us-east-1"
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serve(ctx, IO{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}}, o, ready) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case addr := <-ready:
		return addr
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return ""
}

// TestServePortInUse: a second ecsnet serve on the port of a first says
// that an ecsnet serve answers there, where its UI is, and the --addr to
// use instead; a port some other program holds is only "in use".
func TestServePortInUse(t *testing.T) {
	addr := startServe(t, serveOptions{Ephemeral: true})
	code, _, errs := run(t, "serve", "--ephemeral", "--addr", addr)
	if code != ExitBadInput || !strings.Contains(errs, addr+" is in use by another ecsnet serve (its web UI: http://"+addr+"/ui/)") ||
		!strings.Contains(errs, "serve on another port: --addr 127.0.0.1:") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errs = run(t, "serve", "--ephemeral", "--addr", ln.Addr().String())
	if code != ExitBadInput || !strings.Contains(errs, ln.Addr().String()+" is in use: stop what listens there") || strings.Contains(errs, "ecsnet serve (its") {
		t.Errorf("a port held by another program: exit %d, stderr %q", code, errs)
	}
}

// TestServeNewcomerFlags: moto_server's and LocalStack's flags, and a
// misspelt region, are refused with what to give instead.
func TestServeNewcomerFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--port", "4567"}, "unknown flag --port (give the port in --addr: --addr 127.0.0.1:PORT)"},
		{[]string{"-p", "4567"}, "unknown flag -p (give the port in --addr"},
		{[]string{"-H", "0.0.0.0"}, "unknown flag -H (give the host in --addr: --addr HOST:4566)"},
		{[]string{"--data-dir", "x"}, "unknown flag --data-dir (ecsnet keeps its state in one file: --state FILE, or --state FOLDER"},
		{[]string{"--region", "us-est-1"}, `ecsnet serve: --region "us-est-1" is not an AWS region ecsnet serves (did you mean us-east-1?)`},
		{[]string{"--region", "local"}, `--region "local" is not an AWS region ecsnet serves`},
	} {
		code, _, errs := run(t, append([]string{"serve", "--ephemeral", "--addr", "127.0.0.1:0"}, c.args...)...)
		if code != ExitBadInput || !strings.Contains(errs, c.want) {
			t.Errorf("serve %v: exit %d, stderr %q, want %q", c.args, code, errs, c.want)
		}
	}
}

// TestServeStateFolder: --state given a folder keeps the state in
// FOLDER/state.db, and a restart finds it there.
func TestServeStateFolder(t *testing.T) {
	dir := t.TempDir()
	logs, err := serveBriefly(t, serveOptions{State: dir, Scenario: filepath.Join("..", "..", "examples", "seed", "article.yaml")})
	if err != nil {
		t.Fatalf("serve --state %s: %v\n%s", dir, err, logs)
	}
	if fi, err := os.Stat(filepath.Join(dir, "state.db")); err != nil || fi.Size() == 0 {
		t.Fatalf("state.db in the folder: %v", err)
	}
	if logs, err = serveBriefly(t, serveOptions{State: dir, Scenario: filepath.Join("..", "..", "examples", "seed", "article.yaml"), LogLevel: "info"}); err != nil {
		t.Fatal(err)
	}
}

// TestServeEveryInterface: bound to every interface, serve logs a URL a
// browser can open (not http://[::]:PORT) and warns that other machines
// are trusted and need --allow-host.
func TestServeEveryInterface(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb bytes.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, IO{Out: &bytes.Buffer{}, Err: &errb}, serveOptions{Addr: "0.0.0.0:0", Ephemeral: true, LogLevel: "info", Step: 100 * time.Millisecond, Region: "us-east-1"}, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	cancel()
	<-done
	_, port, _ := net.SplitHostPort(addr)
	logs := errb.String()
	if !strings.Contains(logs, "ui=http://127.0.0.1:"+port+"/ui/") || strings.Contains(logs, "http://[::]") || strings.Contains(logs, "http://0.0.0.0") {
		t.Errorf("the listening line names no address a browser can open:\n%s", logs)
	}
	if !strings.Contains(logs, "health=http://127.0.0.1:"+port+"/_ecsnet/health") {
		t.Errorf("the listening line does not name the health route:\n%s", logs)
	}
	if !strings.Contains(logs, "listening on every interface") || !strings.Contains(logs, "--allow-host NAME") {
		t.Errorf("no warning about every interface:\n%s", logs)
	}
}

// TestServeScenarioOfAnotherKind: --scenario given a CloudFormation
// template, a Terraform configuration or a folder says what it is and how
// to deploy it through the endpoint, instead of a scenario parse error.
func TestServeScenarioOfAnotherKind(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"examples/cfn/article.yaml", "a CloudFormation template, not a scenario file: start ecsnet serve without it, then deploy it as on AWS: aws --endpoint-url http://127.0.0.1:"},
		{"examples/terraform/article", "a Terraform configuration, not a scenario file"},
		{"examples/seed", "a folder; --scenario takes one scenario file"},
	} {
		code, _, errs := run(t, "serve", "--ephemeral", "--addr", "127.0.0.1:0", "--scenario", c.path)
		if code != ExitBadInput || !strings.Contains(errs, c.want) || strings.Contains(errs, "unknown field") {
			t.Errorf("--scenario %s: exit %d, stderr %q, want %q", c.path, code, errs, c.want)
		}
	}
}
