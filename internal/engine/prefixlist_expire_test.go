package engine_test

import (
	"testing"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestDeletedPrefixListExpires: a deleted customer-managed prefix list
// stays in State.DeletedPrefixLists (described delete-complete) for an
// hour, then Step forgets it; it is never a live list again.
func TestDeletedPrefixListExpires(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithClock(func() time.Time { return now }))
	p := must(e.CreateManagedPrefixList(engine.CreateManagedPrefixListInput{Name: "office", AddressFamily: "IPv4", MaxEntries: 2,
		Entries: []engine.PrefixListEntry{{CIDR: "203.0.113.0/24"}}}))
	must(e.DeleteManagedPrefixList(p.ID))
	state := func() (live, deleted bool) {
		e.Read(func(st *model.State) { live, deleted = st.PrefixLists[p.ID] != nil, st.DeletedPrefixLists[p.ID] != nil })
		return
	}
	if live, deleted := state(); live || !deleted {
		t.Fatalf("after the deletion: live %v, kept as deleted %v", live, deleted)
	}
	now = now.Add(59 * time.Minute)
	if _, err := e.Step(); err != nil {
		t.Fatal(err)
	}
	if _, deleted := state(); !deleted {
		t.Fatal("forgotten before the hour is over")
	}
	now = now.Add(2 * time.Minute)
	if _, err := e.Step(); err != nil {
		t.Fatal(err)
	}
	if live, deleted := state(); live || deleted {
		t.Fatalf("an hour later: live %v, deleted %v", live, deleted)
	}
}
