//go:build unix

package bolt

import (
	"bytes"
	"fmt"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ecsnet/ecsnet/internal/store"
)

// TestRecoversAfterFailedWrite fills the "disk" for real: with the
// process's file size limit (RLIMIT_FSIZE) just above the file, a large
// write fails as a full disk makes it fail, leaves nothing behind, and the
// store takes writes again once the limit is lifted.
func TestRecoversAfterFailedWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Apply([]store.Change{{Kind: "vpc", ID: "vpc-1", Data: []byte(`{}`)}}); err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip("no RLIMIT_FSIZE:", err)
	}
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	limit := syscall.Rlimit{Cur: 256 << 10, Max: old.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Skip("cannot set RLIMIT_FSIZE:", err)
	}
	big := make([]store.Change, 64)
	for i := range big {
		big[i] = store.Change{Kind: "task", ID: fmt.Sprintf("t-%02d", i), Data: bytes.Repeat([]byte{'x'}, 16<<10)}
	}
	err = s.Apply(big)
	if serr := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); serr != nil {
		t.Fatal(serr)
	}
	if err == nil {
		t.Fatal("a 1 MiB write under a 256 KiB file size limit succeeded")
	}
	t.Logf("the failed write: %v", err)
	got := map[string]bool{}
	load := func() {
		clear(got)
		if err := s.Load(func(kind, id string, _ []byte) error { got[kind+"/"+id] = true; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	load()
	if len(got) != 1 || !got["vpc/vpc-1"] {
		t.Fatalf("after the failed write the store holds %v", got)
	}
	if err := s.Apply(big); err != nil {
		t.Fatalf("the same write once the disk has room: %v", err)
	}
	load()
	if len(got) != 65 {
		t.Fatalf("after the retry the store holds %d records, want 65", len(got))
	}
	checkFile(t, s)
}
