package bolt

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/store"
)

// goodFile writes a state file of n records over a few kinds, spread over
// many pages, and returns its path and page size.
func goodFile(t *testing.T, n int) (string, int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var batch []store.Change
	for i := range n {
		data, _ := json.Marshal(map[string]any{"id": i, "pad": strings.Repeat("x", 100+i%400)})
		batch = append(batch, store.Change{Kind: []string{"vpc", "subnet", "task"}[i%3], ID: fmt.Sprintf("r-%05d", i), Data: data})
	}
	if err := s.Apply(batch); err != nil {
		t.Fatal(err)
	}
	pageSize := int64(s.db.Info().PageSize)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, pageSize
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestDamagedFiles: a state file damaged in any of several ways gives an
// error wrapping store.ErrDamaged that says what is wrong, never a crash
// (a fault in bbolt's memory map would kill this test binary).
func TestDamagedFiles(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, path string, page int64)
		want   string // in the error
	}{
		{"truncated halfway", func(t *testing.T, path string, page int64) {
			if err := os.Truncate(path, size(t, path)/2); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"truncated to a few bytes", func(t *testing.T, path string, page int64) {
			if err := os.Truncate(path, 10); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"random bytes in the middle", func(t *testing.T, path string, page int64) {
			b := make([]byte, page)
			r := rand.New(rand.NewPCG(1, 2))
			for i := range b {
				b[i] = byte(r.UintN(256))
			}
			overwrite(t, path, (size(t, path)/page/2)*page, b)
		}, "damaged"},
		{"zeroed pages", func(t *testing.T, path string, page int64) {
			overwrite(t, path, 2*page, make([]byte, 4*page))
		}, "damaged"},
		{"wrong magic", func(t *testing.T, path string, page int64) {
			overwrite(t, path, pageHeaderSize, []byte{1, 2, 3, 4})
			overwrite(t, path, page+pageHeaderSize, []byte{1, 2, 3, 4})
		}, "wrong magic number"},
		{"not a bolt file at all", func(t *testing.T, path string, page int64) {
			if err := os.WriteFile(path, []byte(strings.Repeat("vpc-1 10.0.0.0/16\n", 3000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "neither header page is valid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path, page := goodFile(t, 600)
			c.damage(t, path, page)
			s, err := Open(path, Options{})
			if err == nil {
				s.Close()
				t.Fatal("opened a damaged file")
			}
			if !errors.Is(err, store.ErrDamaged) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q: want store.ErrDamaged naming the file and saying %q", err, c.want)
			}
			t.Log(err)

			// The ways out: salvage what can be read, or start empty.
			moved, err := Recover(path, Salvage, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), func(_, _ string, d []byte) bool { return json.Valid(d) })
			if err != nil {
				t.Fatal(err)
			}
			if want := path + ".damaged-20260102T030405Z"; moved.MovedTo != want {
				t.Errorf("moved to %s, want %s", moved.MovedTo, want)
			}
			if _, err := os.Stat(moved.MovedTo); err != nil {
				t.Errorf("the damaged file was not kept: %v", err)
			}
			s, err = Open(path, Options{})
			if err != nil {
				t.Fatalf("open after salvage: %v", err)
			}
			n := 0
			if err := s.Load(func(string, string, []byte) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			s.Close()
			if n != moved.Salvaged || n >= 600 {
				t.Errorf("salvaged %d records (reported %d) of 600", n, moved.Salvaged)
			}
			t.Logf("salvaged %d of 600; lost: %s", n, moved.Lost)
		})
	}
}

// TestSalvageKeepsWhatIsReadable: damage to one kind's pages leaves the
// other kinds whole, and move-aside starts empty.
func TestSalvageAndMoveAside(t *testing.T) {
	path, page := goodFile(t, 600)
	b := make([]byte, page)
	for i := range b {
		b[i] = 0xff
	}
	overwrite(t, path, (size(t, path)/page/3)*page, b)
	if _, err := Open(path, Options{}); !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("open: %v, want ErrDamaged", err)
	}
	got, err := Recover(path, Salvage, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Salvaged == 0 {
		t.Errorf("nothing salvaged; lost: %s", got.Lost)
	}
	// Damage it again and move it aside: an empty store.
	overwrite(t, path, pageHeaderSize, []byte{0, 0, 0, 0})
	overwrite(t, path, page+pageHeaderSize, []byte{0, 0, 0, 0})
	got, err = Recover(path, MoveAside, time.Now().Add(time.Second), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	s.Load(func(string, string, []byte) error { n++; return nil })
	if n != 0 || got.Salvaged != 0 {
		t.Errorf("after move-aside: %d records", n)
	}
}
