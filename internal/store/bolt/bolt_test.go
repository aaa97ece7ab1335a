package bolt

import (
	"path/filepath"
	"testing"

	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/storetest"
)

func open(tb testing.TB, path string, opts Options) *Store {
	tb.Helper()
	s, err := Open(path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

var backend = storetest.Backend{
	New: func(tb testing.TB) store.Store {
		return open(tb, filepath.Join(tb.TempDir(), "state.db"), Options{})
	},
	Reopen: func(tb testing.TB, s store.Store) store.Store {
		path := s.(*Store).Path()
		if err := s.Close(); err != nil {
			tb.Fatal(err)
		}
		return open(tb, path, Options{})
	},
}

func TestConformance(t *testing.T) { storetest.Run(t, backend) }

func BenchmarkStore(b *testing.B) { storetest.Bench(b, backend) }
