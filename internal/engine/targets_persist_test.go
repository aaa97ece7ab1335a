package engine_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/store"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
	"github.com/ecsnet/ecsnet/internal/store/mem"
)

// recorder is a store that remembers the batches it was given.
type recorder struct {
	*mem.Store
	batches [][]store.Change
}

func (r *recorder) Apply(cs []store.Change) error {
	r.batches = append(r.batches, append([]store.Change(nil), cs...))
	return r.Store.Apply(cs)
}

// tgFixture creates a VPC and an ip target group of n targets.
func tgFixture(t *testing.T, e *engine.Engine, n int) *model.TargetGroup {
	t.Helper()
	vpc := must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: vpc.ID, CIDR: "10.0.0.0/17", AvailabilityZone: "us-east-1a"}))
	tg := must(e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: "web", Protocol: "HTTP", Port: 80, VpcID: vpc.ID, TargetType: "ip"}))
	var ds []engine.TargetDescription
	for i := range n {
		ds = append(ds, engine.TargetDescription{ID: fmt.Sprintf("10.0.%d.%d", i/250, 1+i%250)})
	}
	if err := e.RegisterTargets(tg.ARN, ds); err != nil {
		t.Fatal(err)
	}
	return tg
}

// TestTargetChangeSavesOnlyThatTarget: registering or deregistering one
// target of a large group saves that target and the group's own small
// record, not the group's other targets.
func TestTargetChangeSavesOnlyThatTarget(t *testing.T) {
	rec := &recorder{Store: mem.New()}
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)), engine.WithPersister(rec))
	tg := tgFixture(t, e, 2000)
	for _, op := range []func() error{
		func() error { return e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: "10.0.100.1"}}) },
		func() error { return e.DeregisterTargets(tg.ARN, []engine.TargetDescription{{ID: "10.0.3.7"}}) },
	} {
		rec.batches = nil
		if err := op(); err != nil {
			t.Fatal(err)
		}
		if len(rec.batches) != 1 {
			t.Fatalf("%d batches saved, want 1", len(rec.batches))
		}
		size, targets := 0, 0
		for _, c := range rec.batches[0] {
			size += len(c.Data)
			if strings.Contains(c.Kind, "target") && c.Kind != string(model.KindTargetGroup) {
				targets++
			}
		}
		if targets != 1 || size > 2000 {
			t.Errorf("one target changed; saved %d target records, %d bytes: %+v", targets, size, rec.batches[0])
		}
	}
}

// TestTargetsSurviveRestart: the targets of a group, in registration order
// and with their state, are the same after a restart on the state file,
// also after deregistrations and a terminated instance target draining;
// deleting the group deletes its targets' records.
func TestTargetsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := must(bolt.Open(path, bolt.Options{}))
	e := must(engine.Open(s, engine.WithIDs(engine.SeededIDs(1))))
	tg := tgFixture(t, e, 300)
	ntNoErr(t, e.DeregisterTargets(tg.ARN, []engine.TargetDescription{{ID: "10.0.0.5"}, {ID: "10.0.1.9"}}))
	ntNoErr(t, e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: "10.0.0.5"}, {ID: "10.0.0.5", Port: 81}}))
	var before []model.Target
	var beforeGroup *model.TargetGroup
	e.Read(func(st *model.State) { beforeGroup = st.TargetGroups[tg.ARN]; before = beforeGroup.Targets.Slice() })
	if len(before) != 300 || before[len(before)-1].Port != 81 || before[len(before)-2].ID != "10.0.0.5" {
		t.Fatalf("before the restart: %d targets, last %+v", len(before), before[len(before)-2:])
	}
	ntNoErr(t, s.Close())

	s = must(bolt.Open(path, bolt.Options{}))
	e = must(engine.Open(s, engine.WithIDs(engine.SeededIDs(2))))
	e.Read(func(st *model.State) {
		got := st.TargetGroups[tg.ARN]
		if !reflect.DeepEqual(got.Targets.Slice(), before) {
			t.Errorf("after the restart the targets differ: %d, want %d", got.Targets.Len(), len(before))
		}
		if !reflect.DeepEqual(got, beforeGroup) {
			t.Errorf("after the restart the group differs:\n%+v\nwant\n%+v", got, beforeGroup)
		}
	})
	// The restarted engine goes on from the same sequence numbers.
	ntNoErr(t, e.RegisterTargets(tg.ARN, []engine.TargetDescription{{ID: "10.0.2.1", Port: 82}}))
	ntNoErr(t, e.DeleteTargetGroup(tg.ARN))
	n := 0
	ntNoErr(t, s.Load(func(kind, id string, _ []byte) error {
		if strings.Contains(id, tg.ARN) {
			n++
		}
		return nil
	}))
	if n != 0 {
		t.Errorf("%d records of the deleted target group are left", n)
	}
	ntNoErr(t, s.Close())
}

// TestInlineTargetsLoad: a state file from before targets were records of
// their own (the group's record holding its targets) loads with them, and
// they are then saved as records, so that the next change of the group
// keeps them.
func TestInlineTargetsLoad(t *testing.T) {
	old := mem.New()
	e := must(engine.Open(old, engine.WithIDs(engine.SeededIDs(1))))
	tg := tgFixture(t, e, 3)
	var full *model.TargetGroup
	e.Read(func(st *model.State) { full = st.TargetGroups[tg.ARN] })
	data, err := json.Marshal(full) // the old encoding: targets inline
	if err != nil {
		t.Fatal(err)
	}
	var legacy []store.Change
	ntNoErr(t, old.Load(func(kind, id string, d []byte) error {
		switch {
		case kind == string(model.KindTargetGroup):
			legacy = append(legacy, store.Change{Kind: kind, ID: id, Data: data})
		case strings.HasPrefix(kind, string(model.KindTargetGroup)):
			// targets as records: not in an old file
		default:
			legacy = append(legacy, store.Change{Kind: kind, ID: id, Data: append([]byte(nil), d...)})
		}
		return nil
	}))
	s := mem.New()
	ntNoErr(t, s.Apply(legacy))
	e = must(engine.Open(s, engine.WithIDs(engine.SeededIDs(2))))
	ntNoErr(t, e.DeregisterTargets(tg.ARN, []engine.TargetDescription{{ID: "10.0.0.2"}}))
	e = must(engine.Open(s, engine.WithIDs(engine.SeededIDs(3))))
	e.Read(func(st *model.State) {
		var ids []string
		for _, x := range st.TargetGroups[tg.ARN].Targets.All() {
			ids = append(ids, x.ID)
		}
		if want := []string{"10.0.0.1", "10.0.0.3"}; !reflect.DeepEqual(ids, want) {
			t.Errorf("targets %v, want %v", ids, want)
		}
	})
}

func mustMem() *mem.Store { return mem.New() }
