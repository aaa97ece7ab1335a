package dataplane

import (
	"context"
	"io"
	"net"
	"time"

	"github.com/ecsnet/ecsnet/internal/dataplane/elbproxy"
	"github.com/ecsnet/ecsnet/internal/model"
)

// minIdleTimeout is added to the time a node waits for a target's answer
// (the idle timeout, 600 ms at the tests' scale): most of the data
// plane's targets answer as soon as they run, and on a loaded machine a
// starved process can take longer than that to run them, which the node
// turned into a 504 the analyzer does not predict (difftest, seed 810).
const minIdleTimeout = 2 * time.Second

// ALBRunner runs each Application Load Balancer node as elbproxy's
// reverse proxy on its HTTP listeners, and each Classic Load Balancer
// node as elbproxy's Classic node (the reverse proxy on its HTTP and
// HTTPS listeners, a TCP proxy on its TCP and SSL listeners), health checking the
// targets from the node's namespace. timeScale scales ELB's health check
// timing (1: AWS's; the tests use 0.01). Before it returns, every target
// has been checked enough times to be healthy or unhealthy, as the
// analyzer assumes of a settled system. Network Load Balancers are not
// run here: their nodes pass their listeners (TCP, TLS as TCP, UDP,
// TCP_UDP) through in the kernel (lbplan.go), to a target chosen by the
// node's health checks (nlbhealth.go, with elbproxy's checker).
func ALBRunner(timeScale float64) LBRunner {
	return func(ctx context.Context, st *model.State, node LBNode, listen func(port uint16) (net.Listener, error), dial func(ctx context.Context, network, addr string) (net.Conn, error)) (io.Closer, error) {
		zone := ""
		if s := st.Subnets[node.Subnet]; s != nil {
			zone = s.AvailabilityZone
		}
		opt := albOptions(timeScale)
		opt.Dial, opt.Zone = dial, zone
		var p *elbproxy.LoadBalancer
		var err error
		if node.Classic != "" {
			p, err = elbproxy.NewClassic(st, node.Classic, opt)
		} else {
			lb := st.LoadBalancers[node.LBARN]
			if lb == nil || !lb.IsALB() {
				return nil, nil
			}
			p, err = elbproxy.New(st, node.LBARN, opt)
		}
		if err != nil {
			return nil, err
		}
		for _, port := range p.Ports() {
			switch proto := p.Protocol(port); {
			case proto == "HTTP", proto == "HTTPS":
			case node.Classic != "" && (proto == "TCP" || proto == "SSL"):
			default:
				continue
			}
			ln, err := listen(port)
			if err != nil {
				p.Close()
				return nil, err
			}
			go p.Serve(ln, port)
		}
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p.Settle(sctx)
		p.Start()
		return p, nil
	}
}

// albOptions are the options of the nodes ALBRunner runs at timeScale
// (without their namespace's Dial and Zone).
func albOptions(timeScale float64) elbproxy.Options {
	return elbproxy.Options{TimeScale: timeScale, Deterministic: true, MinIdleTimeout: minIdleTimeout}
}
