// Package benchcpu reports a benchmark's CPU time: the process's user and
// system time, the garbage collector's included. Unlike ns/op it does not
// count the time the benchmark waits for a CPU on a loaded machine, so old
// and new code compare fairly while other work runs.
package benchcpu

import (
	"syscall"
	"testing"
	"time"
)

// PerOp starts measuring; the function it returns reports the CPU time per
// iteration as cpu-ns/op:
//
//	defer benchcpu.PerOp(b)()
//	for b.Loop() { … }
func PerOp(b *testing.B) func() {
	start := Process()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(Process()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// Process returns the process's user and system CPU time so far.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
