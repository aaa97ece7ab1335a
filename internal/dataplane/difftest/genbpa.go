package difftest

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// The certificates of the generated TLS listeners (the data plane serves
// them with a certificate of its own).
const (
	albCertificate = "arn:aws:acm:us-east-1:123456789012:certificate/5d7f0c1e-2a4b-4c6d-8e9f-0a1b2c3d4e5f"
	clbCertificate = "arn:aws:iam::123456789012:server-certificate/difftest"
)

// BPA is the account's VPC Block Public Access in a generated system:
// its mode and its exclusions (a VPC's or a subnet's).
type BPA struct {
	Mode       string // block-bidirectional or block-ingress
	Exclusions []BPAExclusion
}

// BPAExclusion excludes a VPC or a subnet from the account's mode.
type BPAExclusion struct {
	Name, VPC, Subnet string
	Mode              string // allow-bidirectional or allow-egress
}

// tlsListeners turns some of the system's listeners into TLS ones, from
// a stream of its own (the systems it leaves alone stay what they were):
// about two ALBs in five get an HTTPS listener instead of HTTP on the
// same port; a Classic Load Balancer's HTTP listener sometimes becomes
// HTTPS (to HTTP on the instance, or HTTPS: a handshake a plain server
// fails) and its TCP listener SSL (to TCP on the instance); its TCP
// health check sometimes becomes an SSL one.
func (g *gen) tlsListeners(r *rand.Rand) {
	for _, lb := range g.s.LBs {
		if r.Float64() < 0.4 {
			lb.HTTPS = true
		}
	}
	for _, c := range g.s.CLBs {
		for i := range c.Listeners {
			l := &c.Listeners[i]
			switch {
			case l.Protocol == "HTTP" && r.Float64() < 0.4:
				l.Protocol, l.InstanceProtocol = "HTTPS", "HTTP"
				if r.Float64() < 0.25 {
					l.InstanceProtocol = "HTTPS"
				}
			case l.Protocol == "TCP" && r.Float64() < 0.3:
				l.Protocol, l.InstanceProtocol = "SSL", "TCP"
			}
		}
		// Sometimes an SSL health check of the same port: a TLS handshake
		// the instances' plain servers fail (every instance OutOfService).
		if port, ok := strings.CutPrefix(c.Health, "TCP:"); ok && r.Float64() < 0.2 {
			c.Health = "SSL:" + port
		}
	}
}

// tlsTargets makes some targets speak TLS, from a stream of its own
// (after tlsListeners; the systems it leaves alone stay what they were):
// about one ALB target group in three is HTTPS (its health checks too)
// and, independently, the ALB's service speaks TLS about as often, so
// every pairing comes (HTTPS to a TLS server, HTTPS to a plain one whose
// handshake fails, HTTP to a TLS server's 400); in about two systems in
// five with a Classic Load Balancer its instances' tasks speak TLS, its
// TCP listeners become SSL ones more often, an SSL listener sometimes
// speaks SSL to the instance, and its health check sometimes becomes an
// SSL (of a TCP one) or HTTPS (of an HTTP one) check.
func (g *gen) tlsTargets(r *rand.Rand) {
	for _, lb := range g.s.LBs {
		if r.Float64() < 0.35 {
			lb.TGProtocol = "HTTPS"
		}
		if r.Float64() < 0.35 {
			for _, t := range g.s.Tasks {
				if t.Name == lb.Service {
					t.TLS = true
				}
			}
		}
	}
	for _, c := range g.s.CLBs {
		if r.Float64() < 0.4 {
			for _, t := range g.s.Tasks {
				if !t.Fargate && t.Mode != "awsvpc" {
					t.TLS = true
				}
			}
		}
		for i := range c.Listeners {
			l := &c.Listeners[i]
			if l.Protocol == "TCP" && r.Float64() < 0.5 {
				l.Protocol, l.InstanceProtocol = "SSL", "TCP"
			}
			if l.Protocol == "SSL" && r.Float64() < 0.4 {
				l.InstanceProtocol = "SSL"
			}
		}
		if proto, rest, ok := strings.Cut(c.Health, ":"); ok && r.Float64() < 0.3 {
			switch proto {
			case "TCP":
				c.Health = "SSL:" + rest
			case "HTTP":
				c.Health = "HTTPS:" + rest
			}
		}
	}
}

// bpa gives about one system in six VPC Block Public Access, from a
// stream of its own: block-bidirectional or block-ingress, sometimes with
// an exclusion of a subnet or of the first VPC.
func (g *gen) bpa(r *rand.Rand) {
	if r.Float64() >= 1.0/6 || len(g.s.VPCs) == 0 {
		return
	}
	b := &BPA{Mode: "block-bidirectional"}
	if r.Float64() < 0.4 {
		b.Mode = "block-ingress"
	}
	modes := []string{"allow-bidirectional", "allow-egress"}
	if r.Float64() < 0.5 && len(g.s.Subnets) > 0 {
		sn := g.s.Subnets[r.IntN(len(g.s.Subnets))]
		b.Exclusions = append(b.Exclusions, BPAExclusion{Name: "x-" + sn.Name, Subnet: sn.Name, Mode: modes[r.IntN(2)]})
	}
	if r.Float64() < 0.2 {
		b.Exclusions = append(b.Exclusions, BPAExclusion{Name: "x-" + g.s.VPCs[0].Name, VPC: g.s.VPCs[0].Name, Mode: modes[r.IntN(2)]})
	}
	g.s.BPA = b
}

// bpaYAML writes the account's Block Public Access, leaving out
// exclusions of a VPC or subnet the system no longer has (the shrinker
// removes them).
func (s *System) bpaYAML(w func(string, ...any)) {
	if s.BPA == nil {
		return
	}
	w("\nblock_public_access: %s\n", s.BPA.Mode)
	var xs []BPAExclusion
	for _, x := range s.BPA.Exclusions {
		if x.Subnet != "" && !slices.ContainsFunc(s.Subnets, func(sn *Subnet) bool { return sn.Name == x.Subnet }) ||
			x.VPC != "" && !slices.ContainsFunc(s.VPCs, func(v *VPC) bool { return v.Name == x.VPC }) {
			continue
		}
		xs = append(xs, x)
	}
	if len(xs) == 0 {
		return
	}
	w("block_public_access_exclusions:\n")
	for _, x := range xs {
		if x.Subnet != "" {
			w("  %s: {subnet: %s, mode: %s}\n", x.Name, x.Subnet, x.Mode)
		} else {
			w("  %s: {vpc: %s, mode: %s}\n", x.Name, x.VPC, x.Mode)
		}
	}
}
