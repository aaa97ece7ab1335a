package dataplane

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"strconv"
	"time"

	"github.com/google/nftables"
	"github.com/vishvananda/netns"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/model"
)

// nlbHealth makes each Network Load Balancer node that has a choice of
// targets (Plan.NLBForwards) consult its health checks, once the
// system's listeners are up: the node checks its candidates from its own
// namespace and private address with elbproxy's health checks (TCP
// connect to the health check port, or the HTTP GET of the path against
// the matcher), settled as an ALB node's are, and each listener is sent
// to the first healthy candidate in registration order, or to the first
// candidate when none is healthy (fail-open, as AWS and the analyzer's
// toTargets). Where that is not the planned target, the node's "nlb"
// table is replaced in one nftables transaction, before any client
// connects. The choice is made once: the data plane's targets do not
// change health while the system is up.
func (s *System) nlbHealth(ctx context.Context) (changed bool, err error) {
	byNS := map[string][]int{}
	var nss []string
	for i, f := range s.plan.NLBForwards {
		if byNS[f.NS] == nil {
			nss = append(nss, f.NS)
		}
		byNS[f.NS] = append(byNS[f.NS], i)
	}
	scale := s.opt.LBTimeScale
	if scale == 0 {
		scale = 1
	}
	done := make([]bool, len(nss))
	err = parallel(nil, len(nss), func(_ *nsCache, i int) error {
		ns := nss[i]
		path := filepath.Join(s.opt.NetnsDir, ns)
		zone := ""
		for _, n := range s.plan.LoadBalancers {
			if sub := s.st.Subnets[n.Subnet]; n.NS == ns && sub != nil {
				zone = sub.AvailabilityZone
			}
		}
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			return dialIn(ctx, path, network, netip.Addr{}, 0, addr)
		}
		p, err := elbproxy.New(s.st, s.plan.NLBForwards[byNS[ns][0]].LBARN, elbproxy.Options{Dial: dial, Zone: zone, TimeScale: scale, Deterministic: true})
		if err != nil {
			return fmt.Errorf("load balancer node %s: %w", ns, err)
		}
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		p.Settle(sctx)
		cancel()
		healthy := map[string]bool{}
		for _, h := range p.Health() {
			if h.State == elbproxy.StateHealthy {
				healthy[h.TargetGroupARN+" "+h.ID+" "+strconv.Itoa(int(h.Port))] = true
			}
		}
		p.Close()
		var table *Table
		for _, j := range byNS[ns] {
			f := s.plan.NLBForwards[j]
			to := f.Candidates[0].Addr
			for _, c := range f.Candidates {
				if healthy[f.TargetGroupARN+" "+c.ID+" "+strconv.Itoa(int(c.Port))] {
					to = c.Addr
					break
				}
			}
			if to == f.Candidates[0].Addr {
				continue
			}
			for t := range s.plan.Tables {
				tab := &s.plan.Tables[t]
				if tab.NS != ns || tab.Name != "nlb" {
					continue
				}
				for _, ch := range tab.Chains {
					for k := range ch.Rules {
						r := &ch.Rules[k]
						if r.Verdict.Kind == "dnat" && r.Proto == f.Proto && r.Ports == model.Port(f.Port) {
							r.Verdict.Addr, r.Verdict.Port = to.Addr(), to.Port()
							r.Comment += ", the first healthy target"
							table = tab
						}
					}
				}
			}
		}
		if table == nil {
			return nil
		}
		done[i] = true
		fd, err := netns.GetFromPath(path)
		if err != nil {
			return fmt.Errorf("%s: %w", ns, err)
		}
		defer fd.Close()
		c, err := nftables.New(nftables.WithNetNSFd(int(fd)))
		if err != nil {
			return err
		}
		defer c.CloseLasting()
		c.DelTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: table.Name})
		if err := addTable(c, *table); err != nil {
			return fmt.Errorf("%s: %w", ns, err)
		}
		if err := c.Flush(); err != nil {
			return fmt.Errorf("%s: nftables: %w", ns, err)
		}
		return nil
	})
	for _, d := range done {
		changed = changed || d
	}
	return changed, err
}
