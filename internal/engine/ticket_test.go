package engine_test

import (
	"sync"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// queued is the in-memory store behind a group commit: every Apply is
// numbered, as the server's committer numbers its batches.
type queued struct {
	*mem.Store
	mu  sync.Mutex
	seq uint64
}

func (q *queued) ApplyQueued(changes []store.Change) (uint64, error) {
	if err := q.Apply(changes); err != nil {
		return 0, err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	return q.seq, nil
}

// TestTicketRecordsOwnCommits: each Engine value made by WithTicket records
// the batches of its own writes only, and a failed write records nothing.
func TestTicketRecordsOwnCommits(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithPersister(&queued{Store: mem.New()}))
	var a, b engine.Ticket
	ea, eb := e.WithTicket(&a), e.WithTicket(&b)
	if _, err := ea.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if got := a.Seq(); got != 1 {
		t.Fatalf("ticket a after its first write: %d, want 1", got)
	}
	if _, err := e.CreateVpc(engine.CreateVpcInput{CIDR: "10.1.0.0/16"}); err != nil { // no ticket: batch 2
		t.Fatal(err)
	}
	if _, err := eb.CreateVpc(engine.CreateVpcInput{CIDR: "10.2.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.CreateVpc(engine.CreateVpcInput{CIDR: "not a cidr"}); err == nil {
		t.Fatal("a bad CIDR was accepted")
	}
	if got, want := [2]uint64{a.Seq(), b.Seq()}, [2]uint64{1, 3}; got != want {
		t.Fatalf("tickets (a, b) = %v, want %v", got, want)
	}
	// The ticket's Engine is the same engine: it sees every write.
	if ea.Version() != e.Version() || e.Version() == 0 {
		t.Fatalf("versions differ: %d and %d", ea.Version(), e.Version())
	}
}

// TestHoldStatsByOperation: every transaction and read is counted under its
// operation's name.
func TestHoldStatsByOperation(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
	e.MeasureHoldCPU(true)
	for i := range 3 {
		if _, err := e.CreateVpc(engine.CreateVpcInput{CIDR: "10." + string(rune('0'+i)) + ".0.0/16"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Step(); err != nil {
		t.Fatal(err)
	}
	got := map[string]engine.HoldStat{}
	for _, h := range e.HoldStats(true) {
		got[h.Name] = h
		if h.P50 > h.P99 || h.P99 > h.Max || h.Max > h.Total {
			t.Errorf("%s: p50 %s, p99 %s, max %s, total %s out of order", h.Name, h.P50, h.P99, h.Max, h.Total)
		}
	}
	if h := got["CreateVpc"]; h.Count != 3 || !h.Write {
		t.Errorf("CreateVpc: %+v, want 3 writes (got %v)", h, got)
	}
	if h := got["Step.infrastructure"]; h.Count != 1 {
		t.Errorf("Step.infrastructure: %+v, want 1", h)
	}
	if len(e.HoldStats(false)) != 0 {
		t.Error("HoldStats(true) did not reset")
	}
}

// TestHoldStatsConcurrent: holds recorded by concurrent readers, while the
// statistics are read, are all counted once (run with -race). (A reset
// while holds are being recorded may miss the ones in flight.)
func TestHoldStatsConcurrent(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
	e.MeasureHoldCPU(true)
	e.HoldStats(true)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 300 {
				e.Read(func(*model.State) {})
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			e.HoldStats(false)
		}
	}()
	wg.Wait()
	var total int64
	for _, h := range e.HoldStats(true) {
		if !h.Write {
			total += h.Count
		}
	}
	if total != 1200 {
		t.Fatalf("%d read holds counted, want 1200", total)
	}
}

// TestTicketReverted: a ticket learns that Revert undid its write, and a
// ticket whose writes became durable, or were never reverted, does not.
func TestTicketReverted(t *testing.T) {
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithPersister(&queued{Store: mem.New()}))
	var kept, undone, other engine.Ticket
	if _, err := e.WithTicket(&kept).CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	e.Durable(kept.Seq())
	vpc, err := e.WithTicket(&undone).CreateVpc(engine.CreateVpcInput{CIDR: "10.1.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	if undone.Reverted() {
		t.Fatal("reverted before Revert")
	}
	if n := e.Revert(undone.Seq()); n != 1 {
		t.Fatalf("Revert undid %d transactions, want 1", n)
	}
	if !undone.Reverted() || kept.Reverted() || other.Reverted() {
		t.Fatalf("reverted: undone %t, kept %t, other %t", undone.Reverted(), kept.Reverted(), other.Reverted())
	}
	e.Read(func(st *model.State) {
		if _, ok := st.VPCs[vpc.ID]; ok {
			t.Errorf("the reverted VPC %s is still there", vpc.ID)
		}
	})
}
