package estate_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/benchcpu"
	"github.com/ecsnet/ecsnet/internal/estate"
	"github.com/ecsnet/ecsnet/internal/model"
)

type counts struct{ subnets, groups, rules, enis, tasks, running int }

func count(st *model.State) counts {
	var c counts
	c.subnets = len(st.Subnets)
	c.groups = len(st.SecurityGroups)
	for _, g := range st.SecurityGroups {
		c.rules += len(g.Ingress)
	}
	c.enis = len(st.NetworkInterfaces)
	c.tasks = len(st.Tasks)
	for _, t := range st.Tasks {
		if t.LastStatus == model.TaskRunning {
			c.running++
		}
	}
	return c
}

func TestSmall(t *testing.T) {
	e, err := estate.Build(estate.Small())
	if err != nil {
		t.Fatal(err)
	}
	var c counts
	e.Read(func(st *model.State) { c = count(st) })
	if c.subnets != 6 || c.tasks != 80 || c.running != 80 || c.enis < 100 {
		t.Errorf("small estate = %+v", c)
	}
}

// BenchmarkLoadLarge builds the large estate (>= 10,000 ENIs over >= 500
// subnets, >= 2,000 security groups of ~20 rules, >= 5,000 tasks) through
// the engine and reports its size and the heap it holds.
func BenchmarkLoadLarge(b *testing.B) {
	var cpu time.Duration // the process's CPU time while building, the collector's included
	for i := 0; i < b.N; i++ {
		c0 := benchcpu.Process()
		e, err := estate.Build(estate.Large())
		cpu += benchcpu.Process() - c0
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		var c counts
		e.Read(func(st *model.State) { c = count(st) })
		if c.enis < 10000 || c.subnets < 500 || c.groups < 2000 || c.tasks < 5000 {
			b.Fatalf("estate too small: %+v", c)
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(c.enis), "ENIs")
		b.ReportMetric(float64(c.tasks), "tasks")
		b.ReportMetric(float64(c.rules), "rules")
		b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MiB")
		runtime.KeepAlive(e)
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}
