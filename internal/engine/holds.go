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
// and a map lookup per hold, with no lock of its own.

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

// holdStats is updated without a lock of its own (holds are recorded by
// concurrent readers): each kind's histogram is found in a sync.Map and
// counted with atomics.
type holdStats struct {
	cpu atomic.Bool
	// names caches the kind of each closure's code (pc → string).
	names sync.Map
	// by holds the histograms (holdKey → *holdHist) of the current
	// period; HoldStats(true) starts a new one.
	by atomic.Pointer[sync.Map]
}

type holdKey struct {
	name  string
	write bool
}

// holdBuckets: four buckets per power of two of nanoseconds.
const holdBuckets = 65 * 4

type holdHist struct {
	n, total, max, cpuTotal, cpuMax atomic.Int64
	wall, cpu                       [holdBuckets]atomic.Uint32
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

func quantile(h *[holdBuckets]atomic.Uint32, n int64, q float64) time.Duration {
	want := int64(q*float64(n)) + 1
	var seen int64
	for i := range h {
		if seen += int64(h[i].Load()); seen >= want {
			return time.Duration(holdBucketTop(i))
		}
	}
	return 0
}

func atomicMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// MeasureHoldCPU turns on measuring the CPU time of each lock hold (a
// system call before and after each; for profiling, off by default).
func (e *Engine) MeasureHoldCPU(on bool) { e.holds.cpu.Store(on) }

// HoldStats returns the lock holds recorded since the last reset, longest
// Max first, and resets them when reset is true (a hold being recorded at
// that moment may be missed).
func (e *Engine) HoldStats(reset bool) []HoldStat {
	h := &e.holds
	m := h.by.Load()
	if reset {
		m = h.by.Swap(nil)
	}
	var out []HoldStat
	if m == nil {
		return out
	}
	m.Range(func(key, val any) bool {
		k, v := key.(holdKey), val.(*holdHist)
		n, mx, cmx := v.n.Load(), time.Duration(v.max.Load()), time.Duration(v.cpuMax.Load())
		out = append(out, HoldStat{Name: k.name, Write: k.write, Count: n,
			Total: time.Duration(v.total.Load()), Max: mx,
			P50: min(quantile(&v.wall, n, 0.5), mx), P99: min(quantile(&v.wall, n, 0.99), mx),
			CPUTotal: time.Duration(v.cpuTotal.Load()), CPUMax: cmx,
			CPUP50: min(quantile(&v.cpu, n, 0.5), cmx), CPUP99: min(quantile(&v.cpu, n, 0.99), cmx)})
		return true
	})
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
	if name == "" {
		name = h.nameOf(pc)
	}
	m := h.by.Load()
	if m == nil {
		h.by.CompareAndSwap(nil, &sync.Map{})
		m = h.by.Load()
	}
	k := holdKey{name, write}
	val, ok := m.Load(k)
	if !ok {
		val, _ = m.LoadOrStore(k, &holdHist{})
	}
	v := val.(*holdHist)
	v.n.Add(1)
	v.total.Add(int64(d))
	atomicMax(&v.max, int64(d))
	v.wall[holdBucket(int64(d))].Add(1)
	if cpu > 0 {
		v.cpuTotal.Add(cpu)
		atomicMax(&v.cpuMax, cpu)
	}
	v.cpu[holdBucket(cpu)].Add(1)
	return d
}

// nameOf names the function at pc, once per pc.
func (h *holdStats) nameOf(pc uintptr) string {
	if n, ok := h.names.Load(pc); ok {
		return n.(string)
	}
	n := "?"
	if f := runtime.FuncForPC(pc); f != nil {
		n = shortFuncName(f.Name())
	}
	h.names.Store(pc, n)
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
