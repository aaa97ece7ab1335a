package snapshot_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ecsnet/ecsnet/internal/benchcpu"
	"github.com/ecsnet/ecsnet/internal/estate"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// BenchmarkImportLarge imports a snapshot of the large estate (10,100
// ENIs, 8,000 tasks, 2,000 security groups of 20 rules, 500 subnets, 50
// load balancers: estate.Large) written by snapshot.Write in the aws CLI's
// shape. It reports the snapshot's size on disk, the ENIs imported and the
// heap the imported engine holds. docs/performance.md ("Import") records
// the numbers; the goal is under 2 s.
func BenchmarkImportLarge(b *testing.B) {
	e, err := estate.Build(estate.Large())
	if err != nil {
		b.Fatal(err)
	}
	st, _ := e.Snapshot()
	dir := b.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		b.Fatal(err)
	}
	size := dirSize(b, dir)
	e, st = nil, nil
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	cpu0 := benchcpu.Process()
	b.ResetTimer()
	var res *snapshot.Result
	for i := 0; i < b.N; i++ {
		res, err = snapshot.Load(dir)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// CPU time is what the import costs whatever else runs on the machine;
	// wall time (ns/op) is what the user waits.
	b.ReportMetric((benchcpu.Process()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	var enis, tasks int
	res.Engine.Read(func(s *model.State) { enis, tasks = len(s.NetworkInterfaces), len(s.Tasks) })
	if enis < 10000 || len(res.Warnings) != 0 {
		b.Fatalf("imported %d ENIs with %d warnings (first: %v)", enis, len(res.Warnings), res.Warnings)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(res)
	b.ReportMetric(float64(enis), "ENIs")
	b.ReportMetric(float64(tasks), "tasks")
	b.ReportMetric(float64(size)/(1<<20), "snapshot-MB")
	b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/(1<<20), "heap-inuse-MB")
}

func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
