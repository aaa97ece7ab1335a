package dataplane

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"golang.org/x/sys/unix"
)

// NAT64 in a NAT gateway's namespace (VPC User Guide,
// nat-gateway-nat64-dns64.html: "NAT gateways support network address
// translation from IPv6 to IPv4, popularly known as NAT64"; a route of
// 64:ff9b::/96 to the gateway sends it an IPv6-only client's packets for
// the addresses DNS64 synthesizes, and the gateway translates them to
// IPv4 with its own address). The kernel has no NAT64, so the gateway's
// namespace holds a TUN device (nat64Dev) that the system's process reads
// (nat64Translator): what the VPC router sends the gateway for
// 64:ff9b::/96 (to a link-local address of the gateway's interface,
// nat64LinkLocal, the router's bridge holding nat64RouterLL) goes into
// the device, comes out as IPv4 from an address of a pool private to the
// namespace (one per IPv6 client, nat64Pool), and leaves by the
// gateway's source NAT to its private address, which the internet
// gateway maps to its Elastic IP, as any of its connections. The replies
// come back the same way: the source NAT undone, the pool's address
// routed into the device, translated to IPv6 from 64:ff9b:: and the
// IPv4 source, and sent to the client by the gateway's default IPv6
// route through the router. TCP, UDP and ICMP echo are translated, and
// ICMP destination unreachable to ICMPv6 (a UDP port's refusal); the
// client's handshake is the destination's: a reset, a timeout, an
// answer. No fragment is translated.

// NAT64 is a NAT gateway's translator: its namespace, TUN device and
// IPv4 pool.
type NAT64 struct {
	NS   string
	Dev  string
	Pool netip.Prefix
}

// nat64Dev names the gateway's TUN device.
const nat64Dev = "nat64"

// nat64Pool holds the IPv4 addresses the translator gives its IPv6
// clients, inside the gateway's namespace only (RFC 2544's benchmarking
// block: no VPC or internet host of the system uses it): the gateway's
// source NAT replaces them before anything leaves.
var nat64Pool = netip.MustParsePrefix("198.18.0.0/16")

// nat64RouterLL is the link-local address the VPC router's bridge of a
// NAT gateway's subnet holds for the gateway's IPv6 default route.
var nat64RouterLL = netip.MustParseAddr("fe80::1")

// nat64LinkLocal is NAT gateway n's link-local address on its subnet's
// bridge, where the router's route of 64:ff9b::/96 leads (AWS's router
// reaches the gateway's interface whatever the subnet's IPv6 block).
func nat64LinkLocal(n int) netip.Addr {
	b := netip.MustParseAddr("fe80::64:0").As16()
	b[14], b[15] = byte(n>>8), byte(n)
	return netip.AddrFrom16(b)
}

// nat64 gives NAT gateway e's namespace ns its translator, when the
// system runs IPv6 and the gateway's VPC has an IPv6 block (NAT64 serves
// the VPC's IPv6 clients).
func (pl *planner) nat64(ns string, ng *model.NatGateway, e *model.NetworkInterface) {
	v := pl.st.VPCs[ng.VpcID]
	br, ok := pl.bridge[e.SubnetID]
	if !pl.v6 || v == nil || len(vpcIPv6(v)) == 0 || !ok {
		return
	}
	if pl.nat64Via == nil {
		pl.nat64Via = map[model.NatGatewayID]Route{}
	}
	ll := nat64LinkLocal(len(pl.nat64Via) + 1)
	vns := pl.vpcNS[ng.VpcID]
	pl.nat64Via[ng.ID] = Route{Via: ll, Dev: br}
	routerLL := netip.PrefixFrom(nat64RouterLL, 64)
	if !slices.ContainsFunc(pl.p.Addrs, func(a Addr) bool { return a.NS == vns && a.Link == br && a.Prefix == routerLL }) {
		pl.addr(vns, br, routerLL)
	}
	dev := pl.eniDev[e.ID]
	pl.addr(ns, dev, netip.PrefixFrom(ll, 64))
	pl.route(Route{NS: ns, Dst: netip.MustParsePrefix("::/0"), Via: nat64RouterLL, Dev: dev})
	pl.p.Bridges = append(pl.p.Bridges, Link{NS: ns, Name: nat64Dev, Kind: "tun"})
	pl.route(Route{NS: ns, Dst: nat64Prefix, Dev: nat64Dev})
	pl.route(Route{NS: ns, Dst: nat64Pool, Dev: nat64Dev})
	pl.p.NAT64s = append(pl.p.NAT64s, NAT64{NS: ns, Dev: nat64Dev, Pool: nat64Pool})
}

// DNS64Destination is where the probe's client connects to reach dst:
// the address DNS64 synthesizes for it when the analyzer's client, in an
// IPv6-only subnet with DNS64 on, connects there (its packet to
// 64:ff9b:: and dst's IPv4 address), else dst.
func DNS64Destination(res *reach.Result, dst netip.AddrPort) netip.AddrPort {
	if !dst.Addr().Is4() {
		return dst
	}
	d6 := synthesize64(dst.Addr())
	for _, h := range res.Forward {
		if h.Packet.Destination == d6 {
			return netip.AddrPortFrom(d6, dst.Port())
		}
	}
	return dst
}

// tunFlags are the TUN device's: IPv4 and IPv6 packets as they are, no
// packet information header.
const tunFlags = unix.IFF_TUN | unix.IFF_NO_PI

// openTUN opens the TUN device name of the namespace at path, creating
// it when it does not exist; persist keeps it once the file is closed
// (apply creates it, the system's process reads it).
func openTUN(path, name string, persist bool) (*os.File, error) {
	var f *os.File
	err := inNetns(path, func() error {
		fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
		if err != nil {
			return err
		}
		ifr, err := unix.NewIfreq(name)
		if err != nil {
			unix.Close(fd)
			return err
		}
		ifr.SetUint16(tunFlags)
		if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
			unix.Close(fd)
			return fmt.Errorf("TUNSETIFF %s: %w", name, err)
		}
		if persist {
			if err := unix.IoctlSetInt(fd, unix.TUNSETPERSIST, 1); err != nil {
				unix.Close(fd)
				return fmt.Errorf("TUNSETPERSIST %s: %w", name, err)
			}
		}
		f = os.NewFile(uintptr(fd), "/dev/net/tun:"+name)
		return nil
	})
	return f, err
}

// startNAT64 starts the translator of each NAT gateway that has one.
func (s *System) startNAT64() error {
	for _, x := range s.plan.NAT64s {
		f, err := openTUN(filepath.Join(s.opt.NetnsDir, x.NS), x.Dev, false)
		if err != nil {
			return fmt.Errorf("NAT gateway %s: %w", x.NS, err)
		}
		t := &nat64Translator{f: f, pool: x.Pool, v4: map[netip.Addr]netip.Addr{}, v6: map[netip.Addr]netip.Addr{}}
		s.addCloser(t)
		s.wg.Add(1)
		go func() { defer s.wg.Done(); t.run() }()
	}
	return nil
}

// nat64Translator translates the packets of a NAT gateway's TUN device
// between IPv6 (64:ff9b::/96) and IPv4 (the pool).
type nat64Translator struct {
	f    *os.File
	pool netip.Prefix

	mu     sync.Mutex
	v4, v6 map[netip.Addr]netip.Addr // an IPv6 client's pool address, and back
}

// Close stops the translator.
func (t *nat64Translator) Close() error { return t.f.Close() }

// run translates what the device gives until it is closed.
func (t *nat64Translator) run() {
	buf := make([]byte, 65536)
	for {
		n, err := t.f.Read(buf)
		if err != nil {
			if errors.Is(err, os.ErrClosed) {
				return
			}
			continue
		}
		var out []byte
		switch buf[0] >> 4 {
		case 6:
			out = t.to4(buf[:n])
		case 4:
			out = t.to6(buf[:n])
		}
		if out != nil {
			t.f.Write(out)
		}
	}
}

// poolAddr is the pool address of IPv6 client a (given at its first
// packet, kept while the system is up).
func (t *nat64Translator) poolAddr(a netip.Addr) (netip.Addr, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.v4[a]; ok {
		return p, true
	}
	p := t.pool.Addr()
	for range len(t.v4) + 1 {
		p = p.Next()
	}
	if !t.pool.Contains(p) || !t.pool.Contains(p.Next()) {
		return netip.Addr{}, false
	}
	t.v4[a], t.v6[p] = p, a
	return p, true
}

// clientOf is the IPv6 client of pool address p.
func (t *nat64Translator) clientOf(p netip.Addr) (netip.Addr, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a, ok := t.v6[p]
	return a, ok
}

// Protocol numbers.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
)

// to4 translates an IPv6 packet for 64:ff9b::/96 to IPv4 (RFC 7915
// section 5, without extension headers or fragments): nil when it
// cannot.
func (t *nat64Translator) to4(p []byte) []byte {
	if len(p) < 40 {
		return nil
	}
	plen := int(binary.BigEndian.Uint16(p[4:6]))
	nh, hop := p[6], p[7]
	src, dst := netip.AddrFrom16([16]byte(p[8:24])), netip.AddrFrom16([16]byte(p[24:40]))
	if 40+plen > len(p) || !nat64Prefix.Contains(dst) || hop == 0 {
		return nil
	}
	payload := p[40 : 40+plen]
	from, ok := t.poolAddr(src)
	if !ok {
		return nil
	}
	to := netip.AddrFrom4([4]byte(dst.AsSlice()[12:16]))
	tc := p[0]<<4 | p[1]>>4
	proto := nh
	body := slices.Clone(payload)
	switch nh {
	case protoTCP, protoUDP:
	case protoICMPv6:
		if len(body) < 8 {
			return nil
		}
		switch body[0] {
		case 128:
			body[0] = 8
		case 129:
			body[0] = 0
		default:
			return nil
		}
		proto = protoICMP
		body[2], body[3] = 0, 0
		binary.BigEndian.PutUint16(body[2:4], inetChecksum(0, body))
	default:
		return nil
	}
	out := ipv4Header(from, to, proto, tc, hop, len(body))
	out = append(out, body...)
	if proto == protoTCP || proto == protoUDP {
		setL4Checksum(out[20:], proto, pseudo4(from, to, proto, len(body)))
	}
	return out
}

// to6 translates an IPv4 packet for a pool address back to IPv6 (RFC
// 7915 section 4): nil when it cannot.
func (t *nat64Translator) to6(p []byte) []byte {
	if len(p) < 20 {
		return nil
	}
	ihl := int(p[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(p[2:4]))
	if ihl < 20 || total > len(p) || total < ihl || binary.BigEndian.Uint16(p[6:8])&0x3fff != 0 {
		return nil // fragments are not translated
	}
	src, dst := netip.AddrFrom4([4]byte(p[12:16])), netip.AddrFrom4([4]byte(p[16:20]))
	client, ok := t.clientOf(dst)
	if !ok {
		return nil
	}
	from := synthesize64(src)
	proto, ttl, tos := p[9], p[8], p[1]
	body := slices.Clone(p[ihl:total])
	nh := proto
	switch proto {
	case protoTCP, protoUDP:
	case protoICMP:
		var ok bool
		if body, ok = t.icmpTo6(body); !ok {
			return nil
		}
		nh = protoICMPv6
	default:
		return nil
	}
	out := ipv6Header(from, client, nh, tos, ttl, len(body))
	out = append(out, body...)
	l4 := out[40:]
	ps := pseudo6(from, client, nh, len(body))
	if nh == protoICMPv6 {
		l4[2], l4[3] = 0, 0
		binary.BigEndian.PutUint16(l4[2:4], inetChecksum(ps, l4))
	} else {
		setL4Checksum(l4, nh, ps)
	}
	return out
}

// icmpTo6 translates an ICMP message to ICMPv6 (its checksum left to
// the caller): echo request and reply, and destination unreachable
// (port unreachable to port unreachable, the others to no route or
// administratively prohibited) with its inner packet translated back
// to the client's IPv6 addresses.
func (t *nat64Translator) icmpTo6(b []byte) ([]byte, bool) {
	if len(b) < 8 {
		return nil, false
	}
	switch b[0] {
	case 0:
		b[0] = 129
		return b, true
	case 8:
		b[0] = 128
		return b, true
	case 3:
		code := byte(0)
		switch b[1] {
		case 3:
			code = 4
		case 9, 10, 13:
			code = 1
		case 2, 4:
			return nil, false
		}
		inner := b[8:]
		if len(inner) < 20 {
			return nil, false
		}
		ihl := int(inner[0]&0x0f) * 4
		if ihl < 20 || ihl > len(inner) {
			return nil, false
		}
		isrc, idst := netip.AddrFrom4([4]byte(inner[12:16])), netip.AddrFrom4([4]byte(inner[16:20]))
		client, ok := t.clientOf(isrc)
		if !ok {
			return nil, false
		}
		iproto := inner[9]
		if iproto == protoICMP {
			iproto = protoICMPv6
		}
		rest := inner[ihl:]
		ilen := int(binary.BigEndian.Uint16(inner[2:4])) - ihl
		if ilen < len(rest) {
			ilen = len(rest)
		}
		h := ipv6Header(client, synthesize64(idst), iproto, inner[1], inner[8], ilen)
		out := []byte{1, code, 0, 0, 0, 0, 0, 0}
		out = append(out, h...)
		out = append(out, rest...)
		if len(out) > 1280-40 {
			out = out[:1280-40]
		}
		return out, true
	}
	return nil, false
}

// ipv4Header is an IPv4 header (no options, don't fragment) for a
// payload of n bytes.
func ipv4Header(src, dst netip.Addr, proto, tos, ttl byte, n int) []byte {
	h := make([]byte, 20, 20+n)
	h[0], h[1] = 0x45, tos
	binary.BigEndian.PutUint16(h[2:4], uint16(20+n))
	binary.BigEndian.PutUint16(h[6:8], 0x4000)
	h[8], h[9] = ttl, proto
	s, d := src.As4(), dst.As4()
	copy(h[12:16], s[:])
	copy(h[16:20], d[:])
	binary.BigEndian.PutUint16(h[10:12], inetChecksum(0, h))
	return h
}

// ipv6Header is an IPv6 header for a payload of n bytes.
func ipv6Header(src, dst netip.Addr, nh, tc, hop byte, n int) []byte {
	h := make([]byte, 40, 40+n)
	h[0], h[1] = 0x60|tc>>4, tc<<4
	binary.BigEndian.PutUint16(h[4:6], uint16(n))
	h[6], h[7] = nh, hop
	s, d := src.As16(), dst.As16()
	copy(h[8:24], s[:])
	copy(h[24:40], d[:])
	return h
}

// pseudo4 and pseudo6 are the sums of the pseudo-headers TCP and UDP
// checksums cover.
func pseudo4(src, dst netip.Addr, proto byte, n int) uint32 {
	s, d := src.As4(), dst.As4()
	sum := sum16(0, s[:])
	sum = sum16(sum, d[:])
	return sum + uint32(proto) + uint32(n)
}

func pseudo6(src, dst netip.Addr, nh byte, n int) uint32 {
	s, d := src.As16(), dst.As16()
	sum := sum16(0, s[:])
	sum = sum16(sum, d[:])
	return sum + uint32(n>>16) + uint32(n&0xffff) + uint32(nh)
}

// setL4Checksum writes a TCP segment's or UDP datagram's checksum over
// l4 and the pseudo-header's sum ps (a UDP checksum of 0 is sent as
// 0xffff).
func setL4Checksum(l4 []byte, proto byte, ps uint32) {
	off := 16
	if proto == protoUDP {
		off = 6
	}
	if len(l4) < off+2 {
		return
	}
	l4[off], l4[off+1] = 0, 0
	c := inetChecksum(ps, l4)
	if c == 0 && proto == protoUDP {
		c = 0xffff
	}
	binary.BigEndian.PutUint16(l4[off:off+2], c)
}

// sum16 adds b to sum as 16-bit big-endian words.
func sum16(sum uint32, b []byte) uint32 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	return sum
}

// inetChecksum is the Internet checksum of b with sum added (RFC 1071).
func inetChecksum(sum uint32, b []byte) uint16 {
	sum = sum16(sum, b)
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
