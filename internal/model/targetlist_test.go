package model

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"
)

// TestTargetListMatchesSlice applies random appends, deletes and sets to a
// TargetList and to a plain slice, and checks they always agree, and that
// every version taken along the way stays as it was.
func TestTargetListMatchesSlice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	type entry struct {
		seq uint64
		t   Target
	}
	var l TargetList
	var want []entry
	type version struct {
		l    TargetList
		want []Target
	}
	var versions []version
	targets := func(es []entry) []Target {
		out := []Target{}
		for _, e := range es {
			out = append(out, e.t)
		}
		return out
	}
	for i := range 3000 {
		switch op := r.IntN(10); {
		case op < 5 || len(want) == 0:
			x := Target{ID: "10.0.0." + strconv.Itoa(i), Port: uint16(i)}
			var seq uint64
			l, seq = l.Append(x)
			if len(want) > 0 && seq <= want[len(want)-1].seq {
				t.Fatalf("append gave seq %d after %d", seq, want[len(want)-1].seq)
			}
			want = append(want, entry{seq, x})
		case op < 8:
			k := r.IntN(len(want))
			l = l.Delete(want[k].seq)
			want = slices.Delete(want, k, k+1)
		default:
			k := r.IntN(len(want))
			x := want[k].t
			x.Draining = !x.Draining
			l = l.Set(want[k].seq, x)
			want[k].t = x
		}
		if i%97 == 0 {
			versions = append(versions, version{l, targets(want)})
		}
		if l.Len() != len(want) {
			t.Fatalf("step %d: Len %d, want %d", i, l.Len(), len(want))
		}
	}
	if got := l.Slice(); !slices.Equal(got, targets(want)) {
		t.Fatalf("final list differs")
	}
	for i, e := range want {
		if l.At(i) != e.t {
			t.Fatalf("At(%d) = %+v, want %+v", i, l.At(i), e.t)
		}
		if x, ok := l.Get(e.seq); !ok || x != e.t {
			t.Fatalf("Get(%d) = %+v %v", e.seq, x, ok)
		}
	}
	if l.Delete(1<<40).Len() != l.Len() || l.Set(1<<40, Target{}).Len() != l.Len() {
		t.Error("deleting or setting a missing entry changed the list")
	}
	for i, v := range versions {
		if got := v.l.Slice(); !slices.Equal(got, v.want) {
			t.Errorf("version %d changed after later operations", i)
		}
	}
	// Same entries, same shape: rebuilding by Insert gives an equal value.
	var again TargetList
	for _, e := range slices.Backward(want) {
		again = again.Insert(e.seq, e.t)
	}
	if !reflect.DeepEqual(again, l) {
		t.Error("a list of the same entries built in another order is not DeepEqual")
	}
}

// TestTargetListJSON: a list encodes as an array, and back.
func TestTargetListJSON(t *testing.T) {
	l := NewTargetList(Target{ID: "i-1", Port: 80}, Target{ID: "10.0.0.1", Port: 8080, AvailabilityZone: "all"})
	b, err := json.Marshal(struct{ Targets TargetList }{l})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Targets":[{"ID":"i-1","Port":80,"AvailabilityZone":"","RegisteredAt":"0001-01-01T00:00:00Z","Draining":false,"DrainUntil":"0001-01-01T00:00:00Z"},` +
		`{"ID":"10.0.0.1","Port":8080,"AvailabilityZone":"all","RegisteredAt":"0001-01-01T00:00:00Z","Draining":false,"DrainUntil":"0001-01-01T00:00:00Z"}]}`; string(b) != want {
		t.Errorf("json %s\nwant %s", b, want)
	}
	var back struct{ Targets TargetList }
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back.Targets, l) {
		t.Errorf("round trip: %v %+v", err, back.Targets.Slice())
	}
}
