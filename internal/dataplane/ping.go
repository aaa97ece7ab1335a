package dataplane

import (
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"time"

	"github.com/ecsnet/ecsnet/internal/reach"
)

// Ping sends one ICMP echo request from a node (a spec as reach.Resolve
// reads it) to an address, from a raw ICMP socket opened in the node's
// namespace and bound to the node's address, and waits for the echo
// reply: connected when it comes, a timeout when it does not (AWS sends
// no ICMP errors for what it drops, and the data plane's namespaces send
// none either).
func (s *System) Ping(ctx context.Context, from string, to netip.Addr) Outcome {
	path, src, err := s.sourceTo(from, to)
	if err != nil {
		return Outcome{Verdict: reach.Unknown, Detail: err.Error()}
	}
	ctx, cancel := s.ctx(ctx)
	defer cancel()
	// ICMP (RFC 792: echo request 8, reply 0) or ICMPv6 (RFC 4443:
	// request 128, reply 129, whose checksum the kernel computes over
	// the IPv6 pseudo-header).
	network, local, reqType, replyType := "ip4:icmp", "0.0.0.0", byte(8), byte(0)
	if to.Is6() {
		network, local, reqType, replyType = "ip6:ipv6-icmp", "::", 128, 129
	}
	if src.IsValid() {
		local = src.String()
	}
	var c net.PacketConn
	if err := inNetns(path, func() error {
		var e error
		c, e = net.ListenPacket(network, local)
		return e
	}); err != nil {
		return errOutcome(err)
	}
	defer c.Close()
	id := uint16(s.pings.Add(1))
	const seq = 1
	req := echoRequest(id, seq)
	req[0] = reqType
	if to.Is6() {
		req[2], req[3] = 0, 0
	}
	if dl, ok := ctx.Deadline(); ok {
		c.SetDeadline(dl)
	}
	t0 := time.Now()
	if _, err := c.WriteTo(req, &net.IPAddr{IP: net.IP(to.AsSlice())}); err != nil {
		return errOutcome(err)
	}
	buf := make([]byte, 1500)
	for {
		n, peer, err := c.ReadFrom(buf)
		if err != nil {
			return errOutcome(err)
		}
		m := buf[:n]
		// An echo reply (type 0, code 0) to this request, from the
		// address pinged (the raw socket sees every ICMP message of the
		// namespace, the request itself when a node pings itself).
		if len(m) < 8 || m[0] != replyType || m[1] != 0 || binary.BigEndian.Uint16(m[4:]) != id || binary.BigEndian.Uint16(m[6:]) != seq {
			continue
		}
		a, ok := netip.AddrFromSlice(peer.(*net.IPAddr).IP)
		if !ok || a.Unmap() != to {
			continue
		}
		return Outcome{Verdict: reach.Connected, Detail: "echo reply from " + to.String() + " after " + time.Since(t0).Round(time.Microsecond).String()}
	}
}

// echoRequest builds an ICMP echo request (RFC 792: type 8, code 0, the
// identifier, the sequence number, a payload) with its checksum.
func echoRequest(id, seq uint16) []byte {
	m := []byte{8, 0, 0, 0, 0, 0, 0, 0, 'e', 'c', 's', 'n', 'e', 't'}
	binary.BigEndian.PutUint16(m[4:], id)
	binary.BigEndian.PutUint16(m[6:], seq)
	binary.BigEndian.PutUint16(m[2:], checksum(m))
	return m
}

// checksum is the Internet checksum (RFC 1071) of b.
func checksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xFFFF + sum>>16
	}
	return ^uint16(sum)
}
