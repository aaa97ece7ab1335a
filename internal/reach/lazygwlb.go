package reach

import "github.com/ecsnet/ecsnet/internal/model"

// startNetwork is the network a start check (a task's start path, an
// instance's registration, cfn-signal) follows paths in: a lazy one that
// compiles nodes on demand, unless the state holds a Gateway Load
// Balancer. A path through a Gateway Load Balancer endpoint needs the
// GWLB's nodes, listener, target group and appliances and their health
// checks (gwlb.go), which only a full compilation holds.
func startNetwork(st *model.State) *Network {
	for _, lb := range st.LoadBalancers {
		if lb.IsGWLB() {
			return Compile(st)
		}
	}
	n := newNetwork(st, nil)
	n.lazy = true
	return n
}
