package engine

import (
	"cmp"
	"math/bits"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The engine keeps, for every kind of transaction and read, how long it
// held the engine's lock: a histogram of wall-clock holds and, when
// MeasureHoldCPU is on, of the CPU time the holding thread spent (which,
// unlike wall time, does not grow when the machine is busy with other
// work). A kind is an operation's name (the function whose closure ran
// under the lock: CreateService, ec2.describeNetworkInterfaces) or one of
// Step's phases (Step.infrastructure, Step.advanceDueTasks,
// Step.reconcileService, Step.requeue). Recording costs two clock reads
// and a map lookup per hold.

// HoldStat is the distribution of one kind's lock holds.
type HoldStat struct {
	Name  string
	Write bool // a write (exclusive) hold; else a read hold
	Count int64
	// Total and Max are exact; P50 and P99 are the upper bounds of the
	// histogram buckets they fall in (within 25 %).
	Total, P50, P99, Max time.Duration
	// The same for the holding thread's CPU time; zero unless
	// MeasureHoldCPU was on.
	CPUTotal, CPUP50, CPUP99, CPUMax time.Duration
}

type holdStats struct {
	cpu   atomic.Bool
	mu    sync.Mutex
	names map[uintptr]string
	by    map[holdKey]*holdHist
}

type holdKey struct {
	name  string
	write bool
}

// holdBuckets: four buckets per power of two of nanoseconds.
const holdBuckets = 65 * 4

type holdHist struct {
	n, total, max, cpuTotal, cpuMax int64
	wall, cpu                       [holdBuckets]uint32
}

func holdBucket(ns int64) int {
	if ns <= 0 {
		return 0
	}
	l := bits.Len64(uint64(ns))
	if l < 3 {
		return l * 4
	}
	return l*4 + int(ns>>(l-3))&3
}

// holdBucketTop is the largest value of bucket i.
func holdBucketTop(i int) int64 {
	l, sub := i/4, int64(i%4)
	if l < 3 {
		return int64(1)<<l - 1
	}
	return (5+sub)<<(l-3) - 1
}

func quantile(h *[holdBuckets]uint32, n int64, q float64) time.Duration {
	want := int64(q*float64(n)) + 1
	var seen int64
	for i, c := range h {
		if seen += int64(c); seen >= want {
			return time.Duration(holdBucketTop(i))
		}
	}
	return 0
}

// MeasureHoldCPU turns on measuring the CPU time of each lock hold (a
// system call before and after each; for profiling, off by default).
func (e *Engine) MeasureHoldCPU(on bool) { e.holds.cpu.Store(on) }

// HoldStats returns the lock holds recorded since the last reset, longest
// Max first, and resets them when reset is true.
func (e *Engine) HoldStats(reset bool) []HoldStat {
	h := &e.holds
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]HoldStat, 0, len(h.by))
	for k, v := range h.by {
		out = append(out, HoldStat{Name: k.name, Write: k.write, Count: v.n,
			Total: time.Duration(v.total), Max: time.Duration(v.max),
			P50: min(quantile(&v.wall, v.n, 0.5), time.Duration(v.max)), P99: min(quantile(&v.wall, v.n, 0.99), time.Duration(v.max)),
			CPUTotal: time.Duration(v.cpuTotal), CPUMax: time.Duration(v.cpuMax),
			CPUP50: min(quantile(&v.cpu, v.n, 0.5), time.Duration(v.cpuMax)), CPUP99: min(quantile(&v.cpu, v.n, 0.99), time.Duration(v.cpuMax))})
	}
	if reset {
		h.by = nil
	}
	slices.SortFunc(out, func(a, b HoldStat) int {
		return cmp.Or(cmp.Compare(b.Max, a.Max), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// holdTimer measures one hold.
type holdTimer struct {
	start    time.Time
	cpuStart int64 // -1: not measuring CPU
}

// startHold is called right after the lock is taken.
func (h *holdStats) startHold() holdTimer {
	t := holdTimer{cpuStart: -1}
	if h.cpu.Load() {
		runtime.LockOSThread()
		t.cpuStart = threadCPU()
	}
	t.start = time.Now()
	return t
}

// endHold records a hold, right before the lock is released; it returns
// the hold's wall time.
func (h *holdStats) endHold(t holdTimer, name string, pc uintptr, write bool) time.Duration {
	d := time.Since(t.start)
	cpu := int64(0)
	if t.cpuStart >= 0 {
		cpu = threadCPU() - t.cpuStart
		runtime.UnlockOSThread()
	}
	h.mu.Lock()
	if name == "" {
		name = h.nameOf(pc)
	}
	k := holdKey{name, write}
	v := h.by[k]
	if v == nil {
		if h.by == nil {
			h.by = map[holdKey]*holdHist{}
		}
		v = &holdHist{}
		h.by[k] = v
	}
	v.n++
	v.total += int64(d)
	v.max = max(v.max, int64(d))
	v.wall[holdBucket(int64(d))]++
	v.cpuTotal += cpu
	v.cpuMax = max(v.cpuMax, cpu)
	v.cpu[holdBucket(cpu)]++
	h.mu.Unlock()
	return d
}

// nameOf names the function at pc (h.mu held), once per pc.
func (h *holdStats) nameOf(pc uintptr) string {
	if n, ok := h.names[pc]; ok {
		return n
	}
	if h.names == nil {
		h.names = map[uintptr]string{}
	}
	n := "?"
	if f := runtime.FuncForPC(pc); f != nil {
		n = shortFuncName(f.Name())
	}
	h.names[pc] = n
	return n
}

// shortFuncName turns "github.com/x/internal/engine.(*Engine).CreateService.func1"
// into "CreateService", and "…/internal/api/ec2.describeVpcs.func2" into
// "ec2.describeVpcs".
func shortFuncName(s string) string {
	s = s[strings.LastIndexByte(s, '/')+1:]
	s = strings.TrimPrefix(s, "engine.")
	s = strings.TrimPrefix(s, "(*Engine).")
	s = strings.TrimPrefix(s, "(*txn).")
	for {
		i := strings.LastIndexByte(s, '.')
		if i < 0 || !(strings.HasPrefix(s[i+1:], "func") || strings.HasPrefix(s[i+1:], "gowrap")) {
			return s
		}
		s = s[:i]
	}
}

// funcPC returns the entry of fn's code: the same for every closure made
// by one function literal.
func funcPC(fn any) uintptr { return reflect.ValueOf(fn).Pointer() }
