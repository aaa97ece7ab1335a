package engine_test

import (
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestBridgePortRangeBlocks: a bridge task with 100 container port
// ranges (the most a container may have) of 100 ports each takes 100
// disjoint blocks of contiguous dynamic host ports, block i as long as
// range i; a second such task takes 100 more, none shared.
func TestBridgePortRangeBlocks(t *testing.T) {
	a := newArticle(t, "m5.large")
	var pms []model.PortMapping
	for i := range 100 {
		pms = append(pms, model.PortMapping{ContainerPortRange: model.PortRange{First: uint16(10000 + 100*i), Last: uint16(10099 + 100*i)}})
	}
	td := a.taskDef(t, "bridge", pms...)
	seen := map[uint16]bool{}
	for range 2 {
		out := a.run(t, td, nil)
		if len(out.Tasks) != 1 {
			t.Fatalf("failures %+v", out.Failures)
		}
		bs := a.task(out.Tasks[0].ARN).Containers[0].NetworkBindings
		if len(bs) != 100 {
			t.Fatalf("%d bindings, want 100", len(bs))
		}
		for i, b := range bs {
			if b.ContainerPortRange != pms[i].ContainerPortRange || b.HostPortRange.Len() != 100 || b.HostPortRange.First < 32768 || b.HostPortRange.Last > 60999 {
				t.Fatalf("binding %d: %+v", i, b)
			}
			for p := int(b.HostPortRange.First); p <= int(b.HostPortRange.Last); p++ {
				if seen[uint16(p)] {
					t.Fatalf("host port %d taken twice", p)
				}
				seen[uint16(p)] = true
			}
		}
	}
}
