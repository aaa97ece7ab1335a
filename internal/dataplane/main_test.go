package dataplane

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// innerEnv marks the test process re-executed inside its own network and
// mount namespaces.
const innerEnv = "ECSNET_DATAPLANE_TEST_INNER"

// TestMain re-executes the tests inside a fresh network namespace (only
// loopback) and a private mount namespace when the process may create
// them, so nothing a test does can reach the machine's network or its
// /run/netns. Without privileges the tests run as they are and the
// kernel tests skip.
func TestMain(m *testing.M) {
	if os.Getenv(innerEnv) == "" && Privileged() {
		cmd := exec.Command("/proc/self/exe", os.Args[1:]...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		cmd.Env = append(os.Environ(), innerEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET | syscall.CLONE_NEWNS}
		if err := cmd.Run(); err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				os.Exit(ee.ExitCode())
			}
			fmt.Fprintln(os.Stderr, "re-exec in a fresh namespace:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(innerEnv) != "" {
		// Mounts made here stay here.
		if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
			fmt.Fprintln(os.Stderr, "make mounts private:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// isolated skips a kernel test unless it runs privileged inside the
// test's own namespaces.
func isolated(t testing.TB) {
	t.Helper()
	if !Privileged() {
		t.Skip("skipped: needs CAP_NET_ADMIN")
	}
	if os.Getenv(innerEnv) == "" {
		t.Skip("skipped: needs CAP_NET_ADMIN (could not isolate the test in its own namespaces)")
	}
}

func repoFile(rel string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", rel)
}

// loadState builds a scenario file through the engine, as the CLI does.
func loadState(t testing.TB, rel string) *model.State {
	t.Helper()
	sc, err := scenario.Load(repoFile(rel))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	return st
}

var sysSeq atomic.Int64

// testOptions returns options with temporary directories and a unique
// name.
func testOptions(t testing.TB) Options {
	dir := t.TempDir()
	return Options{Name: "t" + strconv.FormatInt(sysSeq.Add(1), 10), StateDir: filepath.Join(dir, "state"), NetnsDir: filepath.Join(dir, "netns"),
		Timeout: 2 * time.Second, LBTimeScale: 0.01}
}

// up brings a state up for a test and takes it down at the end.
func up(t testing.TB, st *model.State) *System {
	t.Helper()
	opt := testOptions(t)
	s, err := Up(context.Background(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		if err := Down(context.Background(), opt); err != nil {
			t.Error(err)
		}
	})
	return s
}

// agree probes from → to with the analyzer and for real, and fails
// unless both say want. (NoRoute and a real timeout agree: AWS drops
// silently.)
func agree(t *testing.T, s *System, st *model.State, from, to string, want reach.Verdict) {
	t.Helper()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatal(err)
	}
	res := reach.Probe(n, q)
	ap, err := netip.ParseAddrPort(to)
	if err != nil {
		t.Fatalf("%s: want ADDR:PORT", to)
	}
	got := s.Connect(context.Background(), from, ap, model.TCP)
	real := got.Verdict
	if real == reach.Timeout && res.Verdict == reach.NoRoute {
		real = reach.NoRoute
	}
	if res.Verdict != want {
		t.Errorf("%s → %s: the analyzer says %s, want %s: %s", from, to, res.Verdict, want, res.Summary)
	}
	if real != res.Verdict {
		t.Errorf("%s → %s: the kernel says %s (%s), the analyzer %s: %s", from, to, got.Verdict, got.Detail, res.Verdict, res.Summary)
	}
}
