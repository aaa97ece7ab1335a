package reach

import (
	"syscall"
	"testing"
	"time"
)

// cpuPerOp starts measuring the process's CPU time (user and system, the
// garbage collector's included); the function it returns reports it per
// iteration as cpu-ns/op. Unlike ns/op it does not count the time the
// benchmark waits for a CPU on a loaded machine:
//
//	defer cpuPerOp(b)()
//	for b.Loop() { … }
func cpuPerOp(b *testing.B) func() {
	start := processCPU()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
