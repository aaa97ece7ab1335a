package mem_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/mem"
	"github.com/ecsnet/ecsnet/internal/store/storetest"
)

var backend = storetest.Backend{
	New: func(tb testing.TB) store.Store {
		s := mem.New()
		tb.Cleanup(func() { s.Close() })
		return s
	},
}

func TestConformance(t *testing.T) { storetest.Run(t, backend) }

func BenchmarkStore(b *testing.B) { storetest.Bench(b, backend) }
