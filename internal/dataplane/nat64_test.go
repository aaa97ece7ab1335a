package dataplane

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// The NAT64 translator as data: an IPv6 client's TCP SYN to 64:ff9b::
// and an IPv4 address becomes an IPv4 SYN from a pool address to that
// address with valid checksums; the IPv4 answer becomes an IPv6 answer
// from the synthesized address to the client; an ICMP port unreachable
// for a UDP datagram becomes ICMPv6's, its inner packet the client's.
func TestNAT64Translate(t *testing.T) {
	tr := &nat64Translator{pool: nat64Pool, v4: map[netip.Addr]netip.Addr{}, v6: map[netip.Addr]netip.Addr{}}
	client := netip.MustParseAddr("2600:1f18::10")
	server := netip.MustParseAddr("203.0.113.50")
	syn := make([]byte, 20)
	binary.BigEndian.PutUint16(syn[0:2], 49152)
	binary.BigEndian.PutUint16(syn[2:4], 443)
	syn[12], syn[13] = 5<<4, 0x02
	p6 := append(ipv6Header(client, synthesize64(server), protoTCP, 0, 63, len(syn)), syn...)
	setL4Checksum(p6[40:], protoTCP, pseudo6(client, synthesize64(server), protoTCP, len(syn)))

	p4 := tr.to4(p6)
	if p4 == nil {
		t.Fatal("the SYN was not translated")
	}
	from, to := netip.AddrFrom4([4]byte(p4[12:16])), netip.AddrFrom4([4]byte(p4[16:20]))
	if !nat64Pool.Contains(from) || to != server || p4[9] != protoTCP || p4[8] != 63 {
		t.Fatalf("IPv4 %s → %s proto %d ttl %d", from, to, p4[9], p4[8])
	}
	if inetChecksum(0, p4[:20]) != 0 {
		t.Error("IPv4 header checksum")
	}
	if inetChecksum(pseudo4(from, to, protoTCP, len(p4)-20), p4[20:]) != 0 {
		t.Error("TCP checksum over IPv4")
	}

	synack := append([]byte(nil), p4[20:]...)
	binary.BigEndian.PutUint16(synack[0:2], 443)
	binary.BigEndian.PutUint16(synack[2:4], 49152)
	synack[13] = 0x12
	back := append(ipv4Header(server, from, protoTCP, 0, 60, len(synack)), synack...)
	setL4Checksum(back[20:], protoTCP, pseudo4(server, from, protoTCP, len(synack)))
	b6 := tr.to6(back)
	if b6 == nil {
		t.Fatal("the SYN-ACK was not translated")
	}
	s6, d6 := netip.AddrFrom16([16]byte(b6[8:24])), netip.AddrFrom16([16]byte(b6[24:40]))
	if s6 != synthesize64(server) || d6 != client || b6[6] != protoTCP {
		t.Fatalf("IPv6 %s → %s nh %d", s6, d6, b6[6])
	}
	if inetChecksum(pseudo6(s6, d6, protoTCP, len(b6)-40), b6[40:]) != 0 {
		t.Error("TCP checksum over IPv6")
	}

	// A UDP datagram the server refuses: ICMP port unreachable quoting it.
	udp := []byte{0xc0, 0x00, 0x00, 0x35, 0, 12, 0, 0, 'h', 'i', '!', '\n'}
	sent := append(ipv4Header(from, server, protoUDP, 0, 63, len(udp)), udp...)
	icmp := append([]byte{3, 3, 0, 0, 0, 0, 0, 0}, sent...)
	binary.BigEndian.PutUint16(icmp[2:4], inetChecksum(0, icmp))
	e6 := tr.to6(append(ipv4Header(server, from, protoICMP, 0, 60, len(icmp)), icmp...))
	if e6 == nil {
		t.Fatal("the port unreachable was not translated")
	}
	if e6[6] != protoICMPv6 || e6[40] != 1 || e6[41] != 4 {
		t.Fatalf("ICMPv6 type %d code %d (nh %d), want destination unreachable, port unreachable", e6[40], e6[41], e6[6])
	}
	if inetChecksum(pseudo6(synthesize64(server), client, protoICMPv6, len(e6)-40), e6[40:]) != 0 {
		t.Error("ICMPv6 checksum")
	}
	inner := e6[48:]
	if netip.AddrFrom16([16]byte(inner[8:24])) != client || netip.AddrFrom16([16]byte(inner[24:40])) != synthesize64(server) || inner[6] != protoUDP {
		t.Errorf("the quoted packet is not the client's datagram")
	}

	// Not for 64:ff9b::/96, or for an address the pool never gave: dropped.
	if tr.to4(append(ipv6Header(client, netip.MustParseAddr("2001:db8::7"), protoTCP, 0, 63, len(syn)), syn...)) != nil {
		t.Error("a packet outside 64:ff9b::/96 was translated")
	}
	if tr.to6(append(ipv4Header(server, netip.MustParseAddr("198.18.9.9"), protoTCP, 0, 60, len(synack)), synack...)) != nil {
		t.Error("a packet for an unknown pool address was translated")
	}
}
