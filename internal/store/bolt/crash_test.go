package bolt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/store"
)

// crashChildEnv, when set to a path, makes TestCrashChild the writer that
// TestCrash kills.
const crashChildEnv = "ECSNET_STORE_CRASH_CHILD"

// crashBatch is the i-th batch (from 1) that the crash child applies. It is
// a pure function of i, so the parent can compute what the file must hold
// after any number of batches.
func crashBatch(i int) []store.Change {
	data := func(tag string, n int) []byte {
		return fmt.Appendf(nil, `{"batch":%d,"tag":%q,"pad":%q}`, i, tag, strings.Repeat(string(rune('a'+i%26)), n))
	}
	cs := []store.Change{
		{Kind: "counter", ID: "batches", Data: []byte(strconv.Itoa(i))},
		{Kind: "task", ID: fmt.Sprintf("task-%07d", i), Data: data("new", i%700)},
	}
	if i%7 == 0 {
		cs = append(cs, store.Change{Kind: "task", ID: fmt.Sprintf("task-%07d", i/7), Data: data("rewritten", i%300)})
	}
	if i%5 == 0 {
		cs = append(cs, store.Change{Kind: "task", ID: fmt.Sprintf("task-%07d", i-3)})
	}
	if i%11 == 0 { // larger than a page, so it takes overflow pages
		cs = append(cs, store.Change{Kind: "blob", ID: fmt.Sprintf("blob-%07d", i), Data: data("blob", 9000+i)})
	}
	if i%13 == 0 {
		cs = append(cs, store.Change{Kind: "blob", ID: fmt.Sprintf("blob-%07d", i-11*((i/13)%3+1))})
	}
	return cs
}

// crashModel returns what the file must hold after batches 1..n, keyed by
// kind and id.
func crashModel(n int) map[[2]string]string {
	m := make(map[[2]string]string)
	for i := 1; i <= n; i++ {
		for _, c := range crashBatch(i) {
			if c.Data == nil {
				delete(m, [2]string{c.Kind, c.ID})
			} else {
				m[[2]string{c.Kind, c.ID}] = string(c.Data)
			}
		}
	}
	return m
}

// TestCrashChild is not a test of its own: TestCrash runs the test binary
// again with crashChildEnv set, and this function then applies batches
// forever, printing "ACK <batch>" after each Apply returns, until it is
// killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("only runs as TestCrash's child")
	}
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Printf("ERR open: %v\n", err)
		os.Exit(2)
	}
	done := 0
	err = s.Load(func(kind, id string, data []byte) error {
		if kind == "counter" {
			done, err = strconv.Atoi(string(data))
		}
		return err
	})
	if err != nil {
		fmt.Printf("ERR load: %v\n", err)
		os.Exit(2)
	}
	fmt.Printf("READY %d\n", done)
	// Stop by itself in case the parent died without killing it.
	for i, deadline := done+1, time.Now().Add(time.Minute); time.Now().Before(deadline); i++ {
		if err := s.Apply(crashBatch(i)); err != nil {
			fmt.Printf("ERR apply %d: %v\n", i, err)
			os.Exit(2)
		}
		fmt.Printf("ACK %d\n", i) // os.Stdout is unbuffered: one write per ack
	}
	os.Exit(3)
}

// TestCrash kills a writer with SIGKILL at random points and checks, after
// each kill, that the file opens cleanly and holds exactly the result of
// some whole number of batches, no fewer than the writer acknowledged.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, seed))
	path := filepath.Join(t.TempDir(), "state.db")

	acked := 0
	for round := range 6 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1", "-test.v=false")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		want := 1 + r.IntN(150)
		if round == 0 {
			want = 1
		}
		got, err := readAcks(bufio.NewScanner(out), acked, want)
		if err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: %v\nchild stderr:\n%s", round, err, stderr.Bytes())
		}
		acked = got

		if round == 0 {
			// While the child holds the file, another process cannot open it.
			start := time.Now()
			if s, err := Open(path, Options{}); err == nil {
				s.Close()
				t.Error("Open succeeded while another process has the file open")
			} else if !errors.Is(err, store.ErrLocked) || time.Since(start) > time.Minute {
				// The bound is far above the lock timeout: it catches an Open
				// that waits for the file, never a slow machine.
				t.Errorf("Open while another process has the file: %v after %v, want ErrLocked after the lock timeout", err, time.Since(start))
			}
		}
		// Vary where in the next Apply the kill lands: before, during or after its fsync.
		time.Sleep(time.Duration(r.IntN(3000)) * time.Microsecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err == nil {
			t.Fatalf("round %d: child exited cleanly; it should have been killed", round)
		}

		s, err := Open(path, Options{LockTimeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		checkFile(t, s)
		have := make(map[[2]string]string)
		if err := s.Load(func(kind, id string, data []byte) error {
			have[[2]string{kind, id}] = string(data)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(have[[2]string{"counter", "batches"}])
		if err != nil {
			t.Fatalf("round %d: counter record: %v", round, err)
		}
		if n < acked {
			t.Fatalf("round %d: file holds %d batches, but %d were acknowledged", round, n, acked)
		}
		if want := crashModel(n); !maps.Equal(have, want) {
			t.Fatalf("round %d: file holds %d records, not the %d of exactly %d whole batches", round, len(have), len(want), n)
		}
		t.Logf("round %d: killed after the ack of batch %d; file holds batches 1..%d (%d records), as it must", round, acked, n, len(have))
		acked = n
	}
}

// readAcks reads the child's output until it acknowledges batch from+want.
// It returns the last batch acknowledged.
func readAcks(sc *bufio.Scanner, from, want int) (int, error) {
	last := -1
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "READY "):
			n, err := strconv.Atoi(strings.TrimPrefix(line, "READY "))
			if err != nil || n < from {
				return 0, fmt.Errorf("child resumed from batch %q, want at least %d", line, from)
			}
			last = n
			from = n
		case strings.HasPrefix(line, "ACK "):
			n, err := strconv.Atoi(strings.TrimPrefix(line, "ACK "))
			if err != nil || n != last+1 {
				return 0, fmt.Errorf("child said %q after batch %d", line, last)
			}
			last = n
			if last >= from+want {
				return last, nil
			}
		case strings.HasPrefix(line, "ERR "):
			return 0, fmt.Errorf("child: %s", line)
		}
	}
	return 0, fmt.Errorf("child output ended after batch %d: %v", last, sc.Err())
}
