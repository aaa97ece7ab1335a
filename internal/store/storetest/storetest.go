// Package storetest is the conformance suite for store.Store
// implementations: every Store runs the same tests through Run and the same
// benchmarks through Bench, so they all keep the contract documented on
// store.Store.
package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/ecsnet/ecsnet/internal/store"
)

// Backend tells the suite how to make the Store under test.
type Backend struct {
	// New returns a new, empty Store, and arranges for it to be closed when
	// tb ends.
	New func(tb testing.TB) store.Store
	// Reopen, for a Store that persists, closes s and returns a Store over
	// the same storage, closed when tb ends. It is nil for a Store that
	// does not persist, and the suite then skips its reopen tests.
	Reopen func(tb testing.TB, s store.Store) store.Store
}

// Record is one stored record, as Load reports it.
type Record struct {
	Kind, ID, Data string
}

// Dump returns every record of s in Load's order.
func Dump(tb testing.TB, s store.Store) []Record {
	tb.Helper()
	var got []Record
	err := s.Load(func(kind, id string, data []byte) error {
		if data == nil {
			return fmt.Errorf("Load gave nil data for %s/%s", kind, id)
		}
		got = append(got, Record{kind, id, string(data)})
		return nil
	})
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return got
}

// Want returns records sorted in Load's order, for comparing with Dump.
func Want(records ...Record) []Record {
	out := slices.Clone(records)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func put(kind, id, data string) store.Change {
	return store.Change{Kind: kind, ID: id, Data: []byte(data)}
}
func del(kind, id string) store.Change { return store.Change{Kind: kind, ID: id} }

func mustApply(tb testing.TB, s store.Store, changes ...store.Change) {
	tb.Helper()
	if err := s.Apply(changes); err != nil {
		tb.Fatalf("Apply: %v", err)
	}
}

func check(tb testing.TB, s store.Store, want ...Record) {
	tb.Helper()
	got := Dump(tb, s)
	want = Want(want...)
	if !slices.Equal(got, want) {
		tb.Errorf("Load got %d records, want %d\n got: %s\nwant: %s", len(got), len(want), show(got), show(want))
	}
}

func show(rs []Record) string {
	var b strings.Builder
	for i, r := range rs {
		if i == 20 {
			fmt.Fprintf(&b, " …(%d more)", len(rs)-i)
			break
		}
		fmt.Fprintf(&b, " %q/%q=%.30q", r.Kind, r.ID, r.Data)
	}
	return b.String()
}

// Run runs the conformance suite against the Stores that b makes.
func Run(t *testing.T, b Backend) {
	tests := []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"RoundTrip", testRoundTrip},
		{"Delete", testDelete},
		{"Overwrite", testOverwrite},
		{"BatchOrder", testBatchOrder},
		{"Atomicity", testAtomicity},
		{"Reset", testReset},
		{"LoadOrder", testLoadOrder},
		{"LoadStops", testLoadStops},
		{"EmptyData", testEmptyData},
		{"EmptyBatch", testEmptyBatch},
		{"CopiesData", testCopiesData},
		{"LargeBatch", testLargeBatch},
		{"Concurrent", testConcurrent},
		{"Closed", testClosed},
		{"Reopen", testReopen},
		{"ReopenAfterReset", testReopenAfterReset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, b)
		})
	}
}

func testRoundTrip(t *testing.T, b Backend) {
	s := b.New(t)
	check(t, s)
	mustApply(t, s,
		put("vpc", "vpc-1", `{"cidr":"10.0.0.0/16"}`),
		put("subnet", "subnet-1", `{"vpc":"vpc-1"}`),
		put("subnet", "subnet-2", `{"vpc":"vpc-1"}`),
	)
	mustApply(t, s, put("task", "arn:aws:ecs:us-east-1:000000000000:task/c/1", `{}`))
	check(t, s,
		Record{"vpc", "vpc-1", `{"cidr":"10.0.0.0/16"}`},
		Record{"subnet", "subnet-1", `{"vpc":"vpc-1"}`},
		Record{"subnet", "subnet-2", `{"vpc":"vpc-1"}`},
		Record{"task", "arn:aws:ecs:us-east-1:000000000000:task/c/1", `{}`},
	)
}

func testDelete(t *testing.T, b Backend) {
	s := b.New(t)
	mustApply(t, s, put("vpc", "a", "1"), put("vpc", "b", "2"), put("subnet", "c", "3"))
	mustApply(t, s, del("vpc", "a"))
	check(t, s, Record{"vpc", "b", "2"}, Record{"subnet", "c", "3"})
	// Deleting what is not there is not an error, whether the kind exists or not.
	mustApply(t, s, del("vpc", "a"), del("vpc", "zzz"), del("nosuchkind", "x"))
	check(t, s, Record{"vpc", "b", "2"}, Record{"subnet", "c", "3"})
	// Deleting the last record of a kind leaves no trace of the kind.
	mustApply(t, s, del("subnet", "c"))
	check(t, s, Record{"vpc", "b", "2"})
	mustApply(t, s, del("vpc", "b"))
	check(t, s)
	mustApply(t, s, put("subnet", "c", "4"))
	check(t, s, Record{"subnet", "c", "4"})
}

func testOverwrite(t *testing.T, b Backend) {
	s := b.New(t)
	mustApply(t, s, put("vpc", "a", "short"))
	mustApply(t, s, put("vpc", "a", strings.Repeat("long", 2000)))
	check(t, s, Record{"vpc", "a", strings.Repeat("long", 2000)})
	mustApply(t, s, put("vpc", "a", "short again"))
	check(t, s, Record{"vpc", "a", "short again"})
}

func testBatchOrder(t *testing.T, b Backend) {
	s := b.New(t)
	mustApply(t, s, put("vpc", "gone", "x"))
	mustApply(t, s,
		put("vpc", "a", "1"), put("vpc", "a", "2"), // last write wins
		put("vpc", "b", "1"), del("vpc", "b"), // put then delete: absent
		del("vpc", "gone"), put("vpc", "gone", "back"), // delete then put: present
		del("vpc", "c"), put("vpc", "c", "new"), del("vpc", "c"), put("vpc", "c", "final"),
	)
	check(t, s, Record{"vpc", "a", "2"}, Record{"vpc", "gone", "back"}, Record{"vpc", "c", "final"})
}

func testAtomicity(t *testing.T, b Backend) {
	before := []Record{{"vpc", "a", "1"}, {"vpc", "b", "2"}}
	for _, bad := range []store.Change{
		put("", "id", "x"),
		put("vpc", "", "x"),
		del("vpc", ""),
		put(strings.Repeat("k", store.MaxKeyLen+1), "id", "x"),
		put("vpc", strings.Repeat("i", store.MaxKeyLen+1), "x"),
	} {
		s := b.New(t)
		mustApply(t, s, put("vpc", "a", "1"), put("vpc", "b", "2"))
		for _, at := range []int{0, 3, 6} {
			batch := []store.Change{
				put("vpc", "a", "changed"), del("vpc", "b"), put("subnet", "new", "x"),
				put("newkind", "n", "y"), del("vpc", "a"), put("vpc", "c", "3"),
			}
			batch = slices.Insert(batch, at, bad)
			err := s.Apply(batch)
			if !errors.Is(err, store.ErrInvalidChange) {
				t.Errorf("Apply with invalid change %.20q/%.20q at %d: error %v, want ErrInvalidChange", bad.Kind, bad.ID, at, err)
			}
			check(t, s, before...)
		}
		// The store is still usable after a rejected batch.
		mustApply(t, s, put("vpc", "c", "3"))
		check(t, s, append(slices.Clone(before), Record{"vpc", "c", "3"})...)
	}
}

func testReset(t *testing.T, b Backend) {
	s := b.New(t)
	if err := s.Reset(); err != nil {
		t.Fatalf("Reset of an empty store: %v", err)
	}
	mustApply(t, s, put("vpc", "a", "1"), put("subnet", "b", "2"), put("task", "c", "3"))
	if err := s.Reset(); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	check(t, s)
	mustApply(t, s, put("vpc", "a", "again"))
	check(t, s, Record{"vpc", "a", "again"})
}

func testLoadOrder(t *testing.T, b Backend) {
	s := b.New(t)
	kinds := []string{"vpc", "subnet", "task", "a", "aa", "a-b", "B", "Z", "ü", "\xff", "\x00"}
	ids := []string{"1", "10", "2", "a", "a/b", "a-b", "ab", "A", "arn:aws:ecs:x", "é", "\x00", "\xff\xfe", "~"}
	var all []store.Change
	var want []Record
	for _, k := range kinds {
		for _, id := range ids {
			all = append(all, put(k, id, k+"|"+id))
			want = append(want, Record{k, id, k + "|" + id})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	// Apply in a few shuffled batches, so no order of writing can leak into the order of reading.
	for len(all) > 0 {
		n := min(len(all), 1+r.IntN(40))
		mustApply(t, s, all[:n]...)
		all = all[n:]
	}
	got := Dump(t, s)
	if !sort.SliceIsSorted(got, func(i, j int) bool {
		return got[i].Kind < got[j].Kind || got[i].Kind == got[j].Kind && got[i].ID < got[j].ID
	}) {
		t.Errorf("Load order is not lexical: %s", show(got))
	}
	check(t, s, want...)
}

func testLoadStops(t *testing.T, b Backend) {
	s := b.New(t)
	mustApply(t, s, put("a", "1", "x"), put("a", "2", "x"), put("b", "1", "x"))
	stop := errors.New("stop here")
	calls := 0
	err := s.Load(func(kind, id string, data []byte) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) {
		t.Errorf("Load returned %v, want the error fn returned", err)
	}
	if calls != 1 {
		t.Errorf("Load called fn %d times after it failed, want 1", calls)
	}
}

func testEmptyData(t *testing.T, b Backend) {
	s := b.New(t)
	mustApply(t, s, store.Change{Kind: "vpc", ID: "empty", Data: []byte{}})
	check(t, s, Record{"vpc", "empty", ""})
	mustApply(t, s, store.Change{Kind: "vpc", ID: "empty", Data: nil})
	check(t, s)
}

func testEmptyBatch(t *testing.T, b Backend) {
	s := b.New(t)
	mustApply(t, s)
	mustApply(t, s, []store.Change{}...)
	check(t, s)
}

func testCopiesData(t *testing.T, b Backend) {
	s := b.New(t)
	buf := []byte("original")
	mustApply(t, s, store.Change{Kind: "vpc", ID: "a", Data: buf})
	copy(buf, "CLOBBERE")
	check(t, s, Record{"vpc", "a", "original"})
}

func testLargeBatch(t *testing.T, b Backend) {
	s := b.New(t)
	const n = 10000
	var batch []store.Change
	var want []Record
	for i := range n {
		kind := fmt.Sprintf("kind%d", i%7)
		id := fmt.Sprintf("id-%05d", i)
		data := fmt.Sprintf(`{"n":%d,"pad":%q}`, i, strings.Repeat("x", i%300))
		batch = append(batch, put(kind, id, data))
		want = append(want, Record{kind, id, data})
	}
	mustApply(t, s, batch...)
	check(t, s, want...)

	// Delete every other record in one batch and overwrite the rest.
	batch = batch[:0]
	var left []Record
	for i, r := range want {
		if i%2 == 0 {
			batch = append(batch, del(r.Kind, r.ID))
		} else {
			batch = append(batch, put(r.Kind, r.ID, "v2"))
			left = append(left, Record{r.Kind, r.ID, "v2"})
		}
	}
	mustApply(t, s, batch...)
	check(t, s, left...)
}

func testConcurrent(t *testing.T, b Backend) {
	s := b.New(t)
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers*each) // room for every Apply and Load result
	var want []Record
	for w := range writers {
		for i := range each {
			want = append(want, Record{"task", fmt.Sprintf("w%d-%02d", w, i), "x"})
		}
		wg.Go(func() {
			for i := range each {
				errs <- s.Apply([]store.Change{put("task", fmt.Sprintf("w%d-%02d", w, i), "x")})
				if i%5 == 0 {
					errs <- s.Load(func(string, string, []byte) error { return nil })
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	check(t, s, want...)
}

func testClosed(t *testing.T, b Backend) {
	s := b.New(t)
	mustApply(t, s, put("vpc", "a", "1"))
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Apply([]store.Change{put("vpc", "b", "2")}); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Apply after Close: %v, want ErrClosed", err)
	}
	if err := s.Load(func(string, string, []byte) error { return nil }); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Load after Close: %v, want ErrClosed", err)
	}
	if err := s.Reset(); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Reset after Close: %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v, want nil", err)
	}
}

func testReopen(t *testing.T, b Backend) {
	if b.Reopen == nil {
		t.Skip("store does not persist")
	}
	s := b.New(t)
	mustApply(t, s, put("vpc", "a", "1"), put("vpc", "b", "2"), put("subnet", "c", "3"))
	mustApply(t, s, del("vpc", "a"), put("vpc", "b", "2b"))
	s = b.Reopen(t, s)
	check(t, s, Record{"vpc", "b", "2b"}, Record{"subnet", "c", "3"})
	mustApply(t, s, put("task", "d", "4"))
	s = b.Reopen(t, s)
	check(t, s, Record{"vpc", "b", "2b"}, Record{"subnet", "c", "3"}, Record{"task", "d", "4"})
}

func testReopenAfterReset(t *testing.T, b Backend) {
	if b.Reopen == nil {
		t.Skip("store does not persist")
	}
	s := b.New(t)
	mustApply(t, s, put("vpc", "a", "1"))
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	s = b.Reopen(t, s)
	check(t, s)
}

// Bench runs the Store benchmarks against the Stores that b makes: Apply of
// one change and of ten, and Load of 10,000 records.
func Bench(bm *testing.B, b Backend) {
	for _, n := range []int{1, 10} {
		bm.Run(fmt.Sprintf("Apply%d", n), func(bm *testing.B) {
			s := b.New(bm)
			data := []byte(payload)
			batch := make([]store.Change, n)
			bm.SetBytes(int64(n * len(data)))
			bm.ReportAllocs()
			i := 0
			for bm.Loop() {
				for j := range batch {
					batch[j] = store.Change{Kind: "task", ID: fmt.Sprintf("task-%09d", i), Data: data}
					i++
				}
				if err := s.Apply(batch); err != nil {
					bm.Fatal(err)
				}
			}
		})
	}
	bm.Run("Load10000", func(bm *testing.B) {
		s := b.New(bm)
		const n = 10000
		var batch []store.Change
		for i := range n {
			batch = append(batch, store.Change{
				Kind: [...]string{"eni", "subnet", "task", "taskdef", "vpc"}[i%5],
				ID:   fmt.Sprintf("id-%09d", i),
				Data: []byte(payload),
			})
		}
		if err := s.Apply(batch); err != nil {
			bm.Fatal(err)
		}
		bm.ReportAllocs()
		for bm.Loop() {
			count := 0
			err := s.Load(func(kind, id string, data []byte) error {
				count++
				return nil
			})
			if err != nil {
				bm.Fatal(err)
			}
			if count != n {
				bm.Fatalf("Load saw %d records, want %d", count, n)
			}
		}
	})
}

// payload is about the size of an engine task record.
const payload = `{"taskArn":"arn:aws:ecs:us-east-1:000000000000:task/default/0123456789abcdef0123456789abcdef",` +
	`"clusterArn":"arn:aws:ecs:us-east-1:000000000000:cluster/default","lastStatus":"RUNNING",` +
	`"desiredStatus":"RUNNING","attachments":[{"type":"ElasticNetworkInterface","status":"ATTACHED",` +
	`"details":[{"name":"subnetId","value":"subnet-0123456789abcdef0"},{"name":"privateIPv4Address","value":"10.0.1.23"}]}]}`
