package dataplane

import (
	"fmt"
	"net"
	"net/netip"

	"github.com/google/nftables"
	"github.com/google/nftables/binaryutil"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"

	"github.com/ecsnet/ecsnet/internal/model"
)

var hooks = map[string]*nftables.ChainHook{
	"prerouting":  nftables.ChainHookPrerouting,
	"input":       nftables.ChainHookInput,
	"forward":     nftables.ChainHookForward,
	"output":      nftables.ChainHookOutput,
	"postrouting": nftables.ChainHookPostrouting,
}

// addTable queues a table, its chains and rules on c (family inet). It
// does not flush.
func addTable(c *nftables.Conn, t Table) error {
	tab := c.AddTable(&nftables.Table{Family: nftables.TableFamilyINet, Name: t.Name})
	chains := map[string]*nftables.Chain{}
	for _, ch := range t.Chains {
		x := &nftables.Chain{Name: ch.Name, Table: tab}
		if ch.Hook != "" {
			h, ok := hooks[ch.Hook]
			if !ok {
				return fmt.Errorf("table %s chain %s: unknown hook %q", t.Name, ch.Name, ch.Hook)
			}
			x.Hooknum = h
			x.Priority = nftables.ChainPriorityRef(nftables.ChainPriority(ch.Priority))
			x.Type = nftables.ChainType(ch.Type)
		}
		chains[ch.Name] = c.AddChain(x)
	}
	setN, n := 0, 0
	for _, ch := range t.Chains {
		for _, r := range ch.Rules {
			for _, exprs := range ruleExprs(r, func(addrs []netip.Prefix) (*nftables.Set, error) {
				setN++
				s := &nftables.Set{Table: tab, Anonymous: true, Constant: true, Name: fmt.Sprintf("__set%%d"), ID: uint32(setN), KeyType: nftables.TypeIPAddr}
				if addrs[0].Addr().Is6() {
					s.KeyType = nftables.TypeIP6Addr
				}
				var elems []nftables.SetElement
				for _, a := range addrs {
					elems = append(elems, nftables.SetElement{Key: a.Addr().AsSlice()})
				}
				if err := c.AddSet(s, elems); err != nil {
					return nil, err
				}
				return s, nil
			}) {
				if exprs == nil {
					continue
				}
				c.AddRule(&nftables.Rule{Table: tab, Chain: chains[ch.Name], Exprs: exprs})
				// Keep each netlink batch small enough for the socket
				// buffers (a gateway may hold thousands of rules).
				if n++; n%64 == 0 {
					if err := c.Flush(); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// ruleExprs expands a Rule into nftables expressions: one expression list
// per combination of non-host source and destination prefixes; a list of
// host addresses becomes an anonymous set.
func ruleExprs(r Rule, mkSet func([]netip.Prefix) (*nftables.Set, error)) [][]expr.Any {
	type addrMatch struct {
		prefix netip.Prefix
		set    []netip.Prefix
	}
	expand := func(ps []netip.Prefix) []addrMatch {
		if len(ps) == 0 {
			return []addrMatch{{}}
		}
		allHosts := len(ps) > 1
		for _, p := range ps {
			if !p.IsSingleIP() || p.Addr().Is4() != ps[0].Addr().Is4() {
				allHosts = false
			}
		}
		if allHosts {
			return []addrMatch{{set: ps}}
		}
		var out []addrMatch
		for _, p := range ps {
			out = append(out, addrMatch{prefix: p})
		}
		return out
	}
	var out [][]expr.Any
	for _, s := range expand(r.Src) {
		for _, d := range expand(r.Dst) {
			var e []expr.Any
			if r.IIf != "" {
				e = append(e, metaIf(expr.MetaKeyIIFNAME, r.IIf, expr.CmpOpEq)...)
			}
			if r.NotIIf != "" {
				e = append(e, metaIf(expr.MetaKeyIIFNAME, r.NotIIf, expr.CmpOpNeq)...)
			}
			if r.OIf != "" {
				e = append(e, metaIf(expr.MetaKeyOIFNAME, r.OIf, expr.CmpOpEq)...)
			}
			if r.NotOIf != "" {
				e = append(e, metaIf(expr.MetaKeyOIFNAME, r.NotOIf, expr.CmpOpNeq)...)
			}
			fam := ruleFamily(r, s.prefix, s.set, d.prefix, d.set)
			switch fam {
			case 4:
				e = append(e, &expr.Meta{Key: expr.MetaKeyNFPROTO, Register: 1}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.NFPROTO_IPV4}})
			case 6:
				e = append(e, &expr.Meta{Key: expr.MetaKeyNFPROTO, Register: 1}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.NFPROTO_IPV6}})
			}
			// The source and destination addresses: offsets 12 and 16 of
			// the IPv4 header, 8 and 24 of the IPv6 one.
			srcOff, dstOff, alen := uint32(12), uint32(16), uint32(4)
			if fam == 6 {
				srcOff, dstOff, alen = 8, 24, 16
			}
			for _, m := range []struct {
				a   addrMatch
				off uint32
			}{{s, srcOff}, {d, dstOff}} {
				switch {
				case m.a.set != nil:
					set, err := mkSet(m.a.set)
					if err != nil {
						return nil
					}
					e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: m.off, Len: alen},
						&expr.Lookup{SourceRegister: 1, SetName: set.Name, SetID: set.ID})
				case m.a.prefix.IsValid() && m.a.prefix.Bits() > 0:
					e = append(e, prefixMatch(m.off, m.a.prefix)...)
				}
			}
			if r.NDP {
				// ICMPv6 types 130-136: multicast listener queries and
				// reports, router and neighbour solicitations and
				// advertisements (not redirects, 137).
				e = append(e, &expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{byte(model.ICMPv6)}},
					&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 0, Len: 1},
					&expr.Range{Op: expr.CmpOpEq, Register: 1, FromData: []byte{130}, ToData: []byte{136}})
			}
			if r.NotSrc.IsValid() {
				e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: srcOff, Len: alen},
					&expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: r.NotSrc.AsSlice()})
			}
			if r.Proto != 0 && r.Proto != model.AllProtocols {
				e = append(e, &expr.Meta{Key: expr.MetaKeyL4PROTO, Register: 1}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{byte(r.Proto)}})
				if r.Proto.HasPorts() && !r.Ports.IsAll() && r.Ports != (model.PortRange{}) {
					e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 2, Len: 2})
					if r.Ports.First == r.Ports.Last {
						e = append(e, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binaryutil.BigEndian.PutUint16(r.Ports.First)})
					} else {
						e = append(e, &expr.Range{Op: expr.CmpOpEq, Register: 1, FromData: binaryutil.BigEndian.PutUint16(r.Ports.First), ToData: binaryutil.BigEndian.PutUint16(r.Ports.Last)})
					}
				}
				if r.Proto.HasPorts() && !r.SrcPorts.IsAll() && r.SrcPorts != (model.PortRange{}) {
					e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 0, Len: 2})
					if r.SrcPorts.First == r.SrcPorts.Last {
						e = append(e, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binaryutil.BigEndian.PutUint16(r.SrcPorts.First)})
					} else {
						e = append(e, &expr.Range{Op: expr.CmpOpEq, Register: 1, FromData: binaryutil.BigEndian.PutUint16(r.SrcPorts.First), ToData: binaryutil.BigEndian.PutUint16(r.SrcPorts.Last)})
					}
				}
				if (r.Proto == model.ICMP || r.Proto == model.ICMPv6) && r.ICMPTypeCode {
					// A rule's type and code (0xFFFF: any).
					if r.Ports.First != 0xFFFF {
						e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 0, Len: 1},
							&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{byte(r.Ports.First)}})
					}
					if r.Ports.Last != 0xFFFF {
						e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 1, Len: 1},
							&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{byte(r.Ports.Last)}})
					}
				}
				if (r.Proto == model.ICMP || r.Proto == model.ICMPv6) && r.ICMPType > 0 {
					e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 0, Len: 1},
						&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{byte(r.ICMPType)}})
					if r.ICMPCodeNot >= 0 {
						e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 1, Len: 1},
							&expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: []byte{byte(r.ICMPCodeNot)}})
					}
				}
			}
			if r.TCPMidFlow {
				e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 13, Len: 1},
					&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 1, Mask: []byte{0x06}, Xor: []byte{0}}, // SYN, RST
					&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{0}})
			}
			if r.CtEstablished {
				e = append(e, ctBits(expr.CtKeySTATE, expr.CtStateBitESTABLISHED|expr.CtStateBitRELATED)...)
			}
			if r.CtDNAT {
				e = append(e, ctBits(expr.CtKeySTATUS, 0x20 /* IPS_DST_NAT */)...)
			}
			if r.CtInvalid {
				e = append(e, ctBits(expr.CtKeySTATE, expr.CtStateBitINVALID)...)
			}
			if r.CtOriginal || r.CtReply {
				dir := byte(0) // IP_CT_DIR_ORIGINAL
				if r.CtReply {
					dir = 1
				}
				e = append(e, &expr.Ct{Register: 1, Key: expr.CtKeyDIRECTION}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{dir}})
			}
			if r.CtMarked {
				e = append(e, &expr.Ct{Register: 1, Key: expr.CtKeyMARK}, &expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: []byte{0, 0, 0, 0}})
			}
			if r.CtMark != 0 {
				e = append(e, &expr.Ct{Register: 1, Key: expr.CtKeyMARK}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binaryutil.NativeEndian.PutUint32(r.CtMark)})
			}
			if (r.DSCP > 0 || r.NoDSCP) && r.DSCP6 {
				// The DSCP of an IPv6 header: the top six bits of its
				// traffic class, the low four bits of byte 0 and the top
				// two of byte 1.
				e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 0, Len: 2},
					&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 2, Mask: []byte{0x0f, 0xc0}, Xor: []byte{0, 0}},
					&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: dscp6(r.DSCP)})
			} else if r.DSCP > 0 || r.NoDSCP {
				e = append(e, &expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 1, Len: 1},
					&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 1, Mask: []byte{0xfc}, Xor: []byte{0}},
					&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{r.DSCP << 2}})
			}
			if r.EtherSrc != "" {
				mac, err := net.ParseMAC(r.EtherSrc)
				if err != nil || len(mac) != 6 {
					return nil
				}
				e = append(e, &expr.Meta{Key: expr.MetaKeyIIFTYPE, Register: 1}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: binaryutil.NativeEndian.PutUint16(unix.ARPHRD_ETHER)},
					&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseLLHeader, Offset: 6, Len: 6}, &expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: mac})
			}
			verdict := r.Verdict
			if verdict.Kind == "dscp" && r.DSCP6 {
				verdict.Kind = "dscp6"
			}
			v, err := verdictExprs(verdict)
			if err != nil {
				return nil
			}
			out = append(out, append(e, v...))
		}
	}
	return out
}

// ruleFamily returns the address family a rule matches: 4 or 6 when its
// addresses, ICMP matches, DSCP or translation are of one family, 0 for
// both.
func ruleFamily(r Rule, addrs ...any) int {
	for _, a := range addrs {
		switch x := a.(type) {
		case netip.Prefix:
			if x.IsValid() {
				return familyOf(x.Addr())
			}
		case []netip.Prefix:
			if len(x) > 0 {
				return familyOf(x[0].Addr())
			}
		}
	}
	switch {
	case r.NotSrc.IsValid():
		return familyOf(r.NotSrc)
	case (r.Verdict.Kind == "snat" || r.Verdict.Kind == "dnat") && r.Verdict.Addr.IsValid():
		return familyOf(r.Verdict.Addr)
	case r.NDP, r.DSCP6, r.Proto == model.ICMPv6 && (r.ICMPType > 0 || r.ICMPTypeCode):
		return 6
	case r.ICMPType > 0 || r.ICMPTypeCode || r.DSCP > 0 || r.NoDSCP || r.Verdict.Kind == "snat" || r.Verdict.Kind == "dnat" || r.Verdict.Kind == "dscp":
		return 4
	}
	return 0
}

func familyOf(a netip.Addr) int {
	if a.Is4() {
		return 4
	}
	return 6
}

func ifname(n string) []byte {
	b := make([]byte, 16)
	copy(b, n)
	return b
}

func metaIf(k expr.MetaKey, name string, op expr.CmpOp) []expr.Any {
	return []expr.Any{&expr.Meta{Key: k, Register: 1}, &expr.Cmp{Op: op, Register: 1, Data: ifname(name)}}
}

func prefixMatch(off uint32, p netip.Prefix) []expr.Any {
	p = p.Masked()
	a := p.Addr().AsSlice()
	n := uint32(len(a))
	mask := make([]byte, n)
	for i := range p.Bits() {
		mask[i/8] |= 0x80 >> (i % 8)
	}
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: n},
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: n, Mask: mask, Xor: make([]byte, n)},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: a},
	}
}

func ctBits(k expr.CtKey, bits uint32) []expr.Any {
	return []expr.Any{
		&expr.Ct{Register: 1, Key: k},
		&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 4, Mask: binaryutil.NativeEndian.PutUint32(bits), Xor: binaryutil.NativeEndian.PutUint32(0)},
		&expr.Cmp{Op: expr.CmpOpNeq, Register: 1, Data: []byte{0, 0, 0, 0}},
	}
}

func verdictExprs(v Verdict) ([]expr.Any, error) {
	switch v.Kind {
	case "accept":
		return []expr.Any{&expr.Verdict{Kind: expr.VerdictAccept}}, nil
	case "drop":
		return []expr.Any{&expr.Verdict{Kind: expr.VerdictDrop}}, nil
	case "return":
		return []expr.Any{&expr.Verdict{Kind: expr.VerdictReturn}}, nil
	case "jump":
		return []expr.Any{&expr.Verdict{Kind: expr.VerdictJump, Chain: v.Chain}}, nil
	case "snat", "dnat":
		t := expr.NATTypeSourceNAT
		if v.Kind == "dnat" {
			t = expr.NATTypeDestNAT
		}
		e := []expr.Any{&expr.Immediate{Register: 1, Data: v.Addr.AsSlice()}}
		n := &expr.NAT{Type: t, Family: unix.NFPROTO_IPV4, RegAddrMin: 1}
		if v.Addr.Is6() {
			n.Family = unix.NFPROTO_IPV6
		}
		if v.Port != 0 {
			e = append(e, &expr.Immediate{Register: 2, Data: binaryutil.BigEndian.PutUint16(v.Port)})
			n.RegProtoMin = 2
			n.Specified = true
		}
		return append(e, n), nil
	case "masquerade":
		return []expr.Any{&expr.Masq{}}, nil
	case "redirect":
		if v.Port == 0 {
			return []expr.Any{&expr.Redir{}}, nil // to the local address, every port (ICMP has none)
		}
		return []expr.Any{&expr.Immediate{Register: 1, Data: binaryutil.BigEndian.PutUint16(v.Port)}, &expr.Redir{RegisterProtoMin: 1}}, nil
	case "mark":
		return []expr.Any{&expr.Immediate{Register: 1, Data: binaryutil.NativeEndian.PutUint32(v.Mark)},
			&expr.Meta{Key: expr.MetaKeyMARK, SourceRegister: true, Register: 1}}, nil
	case "ctmark":
		return []expr.Any{&expr.Immediate{Register: 1, Data: binaryutil.NativeEndian.PutUint32(v.Mark)},
			&expr.Ct{Key: expr.CtKeyMARK, SourceRegister: true, Register: 1}}, nil
	case "dscp":
		// The first two bytes of the IPv4 header (version, IHL, DSCP,
		// ECN) rewritten with the header checksum, as nft's
		// `ip dscp set` does; the ECN bits are kept.
		return []expr.Any{
			&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 0, Len: 2},
			&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 2, Mask: []byte{0xff, 0x03}, Xor: []byte{0, byte(v.Mark) << 2}},
			&expr.Payload{OperationType: expr.PayloadWrite, SourceRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 0, Len: 2, CsumType: expr.CsumTypeInet, CsumOffset: 10},
		}, nil
	case "dscp6":
		// The IPv6 header's DSCP (its traffic class's top six bits),
		// flow label and version kept; IPv6 has no header checksum.
		d := dscp6(uint8(v.Mark))
		return []expr.Any{
			&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 0, Len: 2},
			&expr.Bitwise{SourceRegister: 1, DestRegister: 1, Len: 2, Mask: []byte{0xf0, 0x3f}, Xor: d},
			&expr.Payload{OperationType: expr.PayloadWrite, SourceRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: 0, Len: 2},
		}, nil
	case "reject":
		// A TCP reset to the packet's source (a firewall's reject).
		return []expr.Any{&expr.Reject{Type: unix.NFT_REJECT_TCP_RST}}, nil
	case "restoremark":
		return []expr.Any{&expr.Ct{Key: expr.CtKeyMARK, Register: 1},
			&expr.Meta{Key: expr.MetaKeyMARK, SourceRegister: true, Register: 1}}, nil
	}
	return nil, fmt.Errorf("unknown verdict %q", v.Kind)
}

// dscp6 is a DSCP value where an IPv6 header's first two bytes hold it.
func dscp6(d uint8) []byte {
	return []byte{d >> 2, (d & 3) << 6}
}
