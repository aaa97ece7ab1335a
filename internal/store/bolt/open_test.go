package bolt

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/ecsnet/ecsnet/internal/store"
)

// checkFile runs bbolt's consistency check over the whole file.
func checkFile(tb testing.TB, s *Store) {
	tb.Helper()
	err := s.db.View(func(tx *bbolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
	if err != nil {
		tb.Fatalf("%s is inconsistent: %v", s.path, err)
	}
}

func fileVersion(tb testing.TB, s *Store) string {
	tb.Helper()
	var v string
	if err := s.db.View(func(tx *bbolt.Tx) error {
		v = string(tx.Bucket(metaBucket).Get(versionKey))
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	first := open(t, path, Options{})

	start := time.Now()
	second, err := Open(path, Options{})
	elapsed := time.Since(start)
	if err == nil {
		second.Close()
		t.Fatal("second Open of the same file succeeded")
	}
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("second Open: %v, want ErrLocked", err)
	}
	for _, want := range []string{path, "another ecsnet may be using it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("second Open error %q does not mention %q", err, want)
		}
	}
	// It fails rather than waits for the file: the bound is far above
	// the lock timeout, so a loaded machine's stall cannot fail it.
	if elapsed > time.Minute {
		t.Errorf("second Open took %v to fail, want it to give up after its lock timeout", elapsed)
	}
	t.Logf("second Open failed after %v: %v", elapsed.Round(time.Millisecond), err)

	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	open(t, path, Options{LockTimeout: 50 * time.Millisecond}) // free again
}

func TestOpenCreates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "state.db")
	s := open(t, path, Options{})
	for _, tt := range []struct {
		path string
		mode os.FileMode
	}{
		{filepath.Dir(dir), os.ModeDir | 0o700},
		{dir, os.ModeDir | 0o700},
		{path, 0o600},
	} {
		fi, err := os.Stat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode() & (os.ModeDir | os.ModePerm); got != tt.mode {
			t.Errorf("%s has mode %v, want %v", tt.path, got, tt.mode)
		}
	}
	if got := fileVersion(t, s); got != "1" {
		t.Errorf("new file has schema version %q, want %q", got, "1")
	}
	checkFile(t, s)
}

func TestOpenNotAStateFile(t *testing.T) {
	dir := t.TempDir()

	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a bolt file\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(garbage, Options{}); err == nil {
		s.Close()
		t.Error("Open of a garbage file succeeded")
	} else if !strings.Contains(err.Error(), garbage) {
		t.Errorf("error %q does not name the file", err)
	}

	// A bbolt file that some other program wrote.
	foreign := filepath.Join(dir, "foreign.db")
	db, err := bbolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucket([]byte("widgets"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := Open(foreign, Options{}); err == nil {
		s.Close()
		t.Error("Open of a foreign bbolt file succeeded")
	} else if !strings.Contains(err.Error(), "not an ecsnet state file") {
		t.Errorf("Open of a foreign bbolt file: %v, want it to say it is not an ecsnet state file", err)
	}
}

func TestOpenIsADirectory(t *testing.T) {
	dir := t.TempDir()
	if s, err := Open(dir, Options{}); err == nil {
		s.Close()
		t.Error("Open of a directory succeeded")
	}
}
