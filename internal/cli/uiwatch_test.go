package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/server"
)

// TestUIReloadsOnChange runs ecsnet ui on a scenario file and edits it:
// the served system is the new one (a new generation, two instances);
// then breaks it: the error, with the file and line, is served while the
// last good system stays; then fixes it again.
func TestUIReloadsOnChange(t *testing.T) {
	orig, err := os.ReadFile("../../examples/seed/article.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "article.yaml")
	// Each version is written beside the file and renamed over it, as
	// editors save: a plain WriteFile truncates first, and on a loaded
	// machine the empty file can hold still for a poll and be loaded.
	write := func(s string) {
		t.Helper()
		tmp := p + ".tmp"
		if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil {
			t.Fatal(err)
		}
	}
	write(string(orig))
	reloaded := make(chan error, 4)
	url := startUI(t, uiOptions{Source: p, WatchInterval: 20 * time.Millisecond, reloaded: reloaded})
	type state struct {
		Instances  int
		Generation uint64
		Problem    string
	}
	get := func() state {
		t.Helper()
		var topo struct {
			Generation uint64 `json:"generation"`
			Counts     struct {
				Instances int `json:"instances"`
			} `json:"counts"`
		}
		var ver struct {
			Generation uint64 `json:"generation"`
			Problem    string `json:"problem"`
		}
		for path, v := range map[string]any{"api/topology": &topo, "api/version": &ver} {
			resp, err := http.Get(url + path)
			if err != nil {
				t.Fatal(err)
			}
			err = json.NewDecoder(resp.Body).Decode(v)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: status %d, %v", path, resp.StatusCode, err)
			}
		}
		if topo.Generation != ver.Generation {
			t.Fatalf("topology of generation %d, version of %d", topo.Generation, ver.Generation)
		}
		return state{topo.Counts.Instances, topo.Generation, ver.Problem}
	}
	wait := func(wantErr bool) {
		t.Helper()
		select {
		case err := <-reloaded:
			if (err != nil) != wantErr {
				t.Fatalf("reload error %v, want an error: %v", err, wantErr)
			}
		case <-time.After(time.Minute):
			t.Fatal("no reload after the file changed")
		}
	}
	s0 := get()
	if s0.Instances != 1 || s0.Problem != "" {
		t.Fatalf("at start: %+v", s0)
	}

	two := strings.Replace(strings.Replace(string(orig), "desired: 1\n    min: 1", "desired: 2\n    min: 2", 1), "public_ips: [203.0.113.2]", "public_ips: [203.0.113.2, 203.0.113.3]", 1)
	write(two)
	wait(false)
	s1 := get()
	if s1.Instances != 2 || s1.Generation == s0.Generation || s1.Problem != "" {
		t.Fatalf("after the edit: %+v, want 2 instances in a new generation (was %d)", s1, s0.Generation)
	}

	write(strings.Replace(two, "cidr: 10.0.1.0/24", "cidr: 10.0.1.0/99", 1))
	wait(true)
	s2 := get()
	if s2.Instances != 2 || s2.Generation != s1.Generation {
		t.Errorf("while broken: %+v, want the last good system (generation %d, 2 instances)", s2, s1.Generation)
	}
	t.Logf("problem: %s", s2.Problem)
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(p) + `:\d+`).MatchString(s2.Problem) {
		t.Errorf("problem %q, want it to start with %s:LINE", s2.Problem, p)
	}

	write(string(orig))
	wait(false)
	if s3 := get(); s3.Instances != 1 || s3.Problem != "" {
		t.Errorf("after the fix: %+v, want 1 instance and no problem", s3)
	}
}

// TestUIRefreshesURL runs ecsnet ui on an ecsnet serve endpoint: a VPC
// created there after the page opened shows (a new generation); with
// nothing changed there, collecting again replaces nothing.
func TestUIRefreshesURL(t *testing.T) {
	endpoint, e := startEmulator(t)
	reloaded := make(chan error, 4)
	url := startUI(t, uiOptions{Source: endpoint, Refresh: 50 * time.Millisecond, reloaded: reloaded})
	vpcs := func() (int, uint64) {
		t.Helper()
		var topo struct {
			Generation uint64            `json:"generation"`
			VPCs       []json.RawMessage `json:"vpcs"`
		}
		resp, err := http.Get(url + "api/topology")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&topo); err != nil {
			t.Fatal(err)
		}
		return len(topo.VPCs), topo.Generation
	}
	n0, g0 := vpcs()
	// Several collections of an unchanged endpoint replace nothing.
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-reloaded:
		t.Fatalf("replaced with nothing changed (err %v)", err)
	default:
	}
	if _, g := vpcs(); g != g0 {
		t.Fatalf("generation %d, was %d, with nothing changed", g, g0)
	}
	if _, err := e.CreateVpc(engine.CreateVpcInput{CIDR: "10.9.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	// A collection that was under way when the VPC came may reload a
	// system with its route table and not the VPC itself (collected
	// before it); the next one has both.
	deadline := time.After(time.Minute)
	for {
		select {
		case err := <-reloaded:
			if err != nil {
				t.Fatal(err)
			}
		case <-deadline:
			t.Fatal("the new VPC never showed")
		}
		n, g := vpcs()
		if g == g0 {
			t.Fatalf("reloaded, but still generation %d", g)
		}
		if n == n0+1 {
			return
		}
	}
}

// startUI serves ecsnet ui with o (on a free loopback port) until the test
// ends, and returns the page's URL.
func startUI(t *testing.T, o uiOptions) string {
	t.Helper()
	o.Addr = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- serveUI(ctx, IO{Out: io.Discard, Err: io.Discard}, o, ready) }()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return url
}

// startEmulator runs an in-process ecsnet serve until the test ends and
// returns its URL and its us-east-1 engine.
func startEmulator(t *testing.T) (string, *engine.Engine) {
	t.Helper()
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(),
		EngineOptions: services.EngineOptions(), StepInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	return hs.URL, e
}
