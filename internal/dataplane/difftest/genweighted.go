package difftest

import (
	"fmt"
	"math/rand/v2"
)

// Canary is a second target group of an ALB's forward action, weighted
// against the first (genweighted.go): Registered puts the load balancer's
// service in it too (on the same container port), else it has no target
// (ALB answers its share 503).
type Canary struct {
	Weight, MainWeight int
	Registered         bool
}

// weightedForwards makes, in about a third of the systems with an ALB,
// its forward action a weighted one ("Listeners for your Application Load
// Balancers", forward actions: "each target group gets a share of the
// requests by weight"; weights 0-999): a second group, NAME-tg2, with the
// service registered or no target, weights from 0 to 100 each (not both
// 0), from a stream of its own (the systems it leaves alone stay what they
// were). The analyzer answers the worst share; the data plane's node meets
// the groups in turn on one connection and its probe asks each.
func (g *gen) weightedForwards(r *rand.Rand) {
	if len(g.s.LBs) == 0 || r.Float64() >= 0.35 {
		return
	}
	lb := g.s.LBs[0]
	c := &Canary{Weight: r.IntN(101), MainWeight: r.IntN(101), Registered: r.Float64() < 0.5}
	if c.Weight == 0 && c.MainWeight == 0 {
		c.MainWeight = 1
	}
	lb.Canary = c
}

// forwardYAML is the listener's forward: the target group, or its
// weighted target groups.
func (lb *LB) forwardYAML() string {
	if lb.Canary == nil {
		return lb.Name + "-tg"
	}
	return fmt.Sprintf("{target_groups: [{name: %s-tg, weight: %d}, {name: %s-tg2, weight: %d}]}", lb.Name, lb.Canary.MainWeight, lb.Name, lb.Canary.Weight)
}
