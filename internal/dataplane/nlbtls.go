package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/netip"
	"syscall"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// A Network Load Balancer's TLS listener ends the client's TLS with its
// certificate and, for a target group of protocol TLS, opens a new TLS
// connection to the target; for one of protocol TCP it sends the
// decrypted bytes in plain (NLB User Guide, load-balancer-target-groups,
// "Routing configuration"). The node passes the connection through in
// the kernel (nlbForward), so the target's handshake, security groups,
// network ACLs and client IP preservation stay the kernel's; the two TLS
// legs of a TLS target group meet in one: the probe's client completes
// its TLS handshake with the target's application itself (DialTLSThrough),
// which the container's listener answers for real, in TLS when it speaks
// TLS (Listener.TLS) and with a plain line otherwise (sshd with its SSH
// banner). A handshake the application fails is the NLB's failed
// handshake with the target, after which it resets the client: the
// analyzer's refused (ECS_NLB_TLS_TARGET_HANDSHAKE). Behind a TCP target
// group the client's bytes reach the target in plain, as the decrypted
// bytes do: a plain dial.

// NLBTLSTargetGroup reports whether the NLB listener l forwards to a
// target group of protocol TLS (probes of it: DialTLSThrough).
func NLBTLSTargetGroup(st *model.State, l *model.Listener) bool {
	if l.Protocol != "TLS" {
		return false
	}
	for _, a := range l.DefaultActions {
		if arn := a.MainTargetGroup(); a.Type == "forward" && arn != "" {
			if tg := st.TargetGroups[arn]; tg != nil && tg.Protocol == "TLS" {
				return true
			}
		}
	}
	return false
}

// DialTLSThrough connects from a node (from a client port: 0, the
// kernel's choice) to an NLB's TLS listener whose target group is TLS: the TCP handshake through the node (the target's),
// then a TLS handshake with the target's application, its certificate
// not validated (as the NLB does not validate its targets'). A handshake
// the application fails is refused: the NLB resets the client.
func (s *System) DialTLSThrough(ctx context.Context, from string, sport uint16, to netip.AddrPort) Outcome {
	path, src, err := s.sourceTo(from, to.Addr())
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
	}
	ctx, cancel := s.ctx(ctx)
	defer cancel()
	c, err := dialIn(ctx, path, "tcp", src, sport, to.String())
	if err != nil {
		return errOutcome(err)
	}
	defer c.Close()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	tc := tls.Client(c, &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // ELB does not validate its targets' certificates
	if err := tc.HandshakeContext(ctx); err != nil {
		var ne net.Error
		if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
			return Outcome{Verdict: reach.Timeout, Detail: "the target's TLS handshake did not finish: " + err.Error()}
		}
		if errors.Is(err, syscall.ECONNRESET) {
			return Outcome{Verdict: reach.Refused, Detail: "connection reset during the TLS handshake with the target"}
		}
		return Outcome{Verdict: reach.Refused, Detail: "the target does not speak TLS (" + err.Error() + "): the NLB's handshake with it fails and it resets the client"}
	}
	return Outcome{Verdict: reach.Connected, Detail: "connected from " + c.LocalAddr().String() + ", TLS with the target"}
}
