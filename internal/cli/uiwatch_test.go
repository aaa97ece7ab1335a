package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(string(orig))
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	reloaded := make(chan error, 4)
	done := make(chan error, 1)
	o := uiOptions{Source: p, Addr: "127.0.0.1:0", WatchInterval: 20 * time.Millisecond, reloaded: reloaded}
	go func() { done <- serveUI(ctx, IO{Out: io.Discard, Err: io.Discard}, o, ready) }()
	var url string
	select {
	case url = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
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
		case <-time.After(20 * time.Second):
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
