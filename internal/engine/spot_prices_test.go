package engine_test

import (
	"math"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSpotPriceTable: the on-demand-like prices the Spot table starts from
// are us-east-1's for m5.large and t3.micro; every type's Spot price is a
// fraction of it, the same on every call, and two changes in a row never
// leave the price where it was (for a type large enough that a 0.6-point
// move survives the rounding).
func TestSpotPriceTable(t *testing.T) {
	for name, want := range map[string]float64{"m5.large": 0.096, "t3.micro": 0.0104, "t3.large": 0.0832} {
		it, _ := model.LookupInstanceType(name)
		if got := engine.OnDemandLikePrice(it); math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	for _, it := range model.InstanceTypes() {
		od := engine.OnDemandLikePrice(it)
		for zone := range 6 {
			prev := -1.0
			for slot := int64(81000); slot < 81040; slot++ {
				p := engine.SpotPrice(it, zone, "Linux/UNIX", slot)
				if p != engine.SpotPrice(it, zone, "Linux/UNIX", slot) || p <= 0 || p > od {
					t.Fatalf("%s zone %d slot %d: %v (on-demand-like %v)", it.Name, zone, slot, p, od)
				}
				if od >= 0.1 && p == prev {
					t.Fatalf("%s zone %d slot %d: no change from %v", it.Name, zone, slot, prev)
				}
				prev = p
			}
		}
	}
	if w, l := engine.SpotPrice(model.InstanceTypes()[0], 0, "Windows", 1), engine.SpotPrice(model.InstanceTypes()[0], 0, "Linux/UNIX", 1); w <= l {
		t.Errorf("Windows %v, Linux %v", w, l)
	}
}
