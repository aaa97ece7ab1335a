package terraform

import (
	"fmt"
	"math/big"
	"net/netip"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/gocty"
)

// The IP network functions, after Terraform's documentation
// (developer.hashicorp.com/terraform/language/functions/cidrsubnet and
// siblings) and its implementation on go-cidr: IPv4 and IPv6, the prefix's
// host bits ignored, errors when the new prefix or the number does not fit.

func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, fmt.Errorf("invalid CIDR expression: invalid CIDR address: %s", s)
	}
	return p.Masked(), nil
}

func addrInt(a netip.Addr) *big.Int { return new(big.Int).SetBytes(a.AsSlice()) }

func intAddr(n *big.Int, is4 bool) netip.Addr {
	size := 16
	if is4 {
		size = 4
	}
	b := n.FillBytes(make([]byte, size))
	a, _ := netip.AddrFromSlice(b)
	return a
}

// subnet returns the netnum-th subnet of p with newbits more bits.
func subnet(p netip.Prefix, newbits int, netnum *big.Int) (netip.Prefix, error) {
	bits := p.Addr().BitLen()
	nl := p.Bits() + newbits
	if newbits < 0 || nl > bits {
		return netip.Prefix{}, fmt.Errorf("insufficient address space to extend prefix of %d by %d", p.Bits(), newbits)
	}
	max := new(big.Int).Lsh(big.NewInt(1), uint(newbits))
	if netnum.Sign() < 0 || netnum.Cmp(max) >= 0 {
		return netip.Prefix{}, fmt.Errorf("prefix extension of %d does not accommodate a subnet numbered %s", newbits, netnum)
	}
	base := addrInt(p.Addr())
	base.Or(base, new(big.Int).Lsh(netnum, uint(bits-nl)))
	return netip.PrefixFrom(intAddr(base, p.Addr().Is4()), nl), nil
}

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "newbits", Type: cty.Number}, {Name: "netnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		var newbits int
		if err := gocty.FromCtyValue(args[1], &newbits); err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(1, err)
		}
		netnum, _ := args[2].AsBigFloat().Int(nil)
		s, err := subnet(p, newbits, netnum)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		return cty.StringVal(s.String()), nil
	},
})

var cidrHostFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "hostnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		num, _ := args[1].AsBigFloat().Int(nil)
		hostBits := p.Addr().BitLen() - p.Bits()
		size := new(big.Int).Lsh(big.NewInt(1), uint(hostBits))
		if num.Sign() < 0 {
			num.Add(num, size) // -1 is the last address
		}
		if num.Sign() < 0 || num.Cmp(size) >= 0 {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix of %d does not accommodate a host numbered %s", p.Bits(), args[1].AsBigFloat().String())
		}
		a := addrInt(p.Addr())
		a.Add(a, num)
		return cty.StringVal(intAddr(a, p.Addr().Is4()).String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		if !p.Addr().Is4() {
			return cty.UnknownVal(cty.String), fmt.Errorf("IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		m := ^uint32(0) << (32 - p.Bits())
		if p.Bits() == 0 {
			m = 0
		}
		return cty.StringVal(netip.AddrFrom4([4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}).String()), nil
	},
})

// cidrsubnets allocates consecutive subnets of the given sizes, each
// aligned to its own size, as Terraform documents.
var cidrSubnetsFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parsePrefix(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), function.NewArgError(0, err)
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		bits := p.Addr().BitLen()
		end := addrInt(p.Addr())
		end.Add(end, new(big.Int).Lsh(big.NewInt(1), uint(bits-p.Bits())))
		next := addrInt(p.Addr())
		var out []cty.Value
		for i, a := range args[1:] {
			var nb int
			if err := gocty.FromCtyValue(a, &nb); err != nil {
				return cty.UnknownVal(cty.String), function.NewArgError(i+1, err)
			}
			nl := p.Bits() + nb
			if nb < 1 || nl > bits {
				return cty.UnknownVal(cty.String), function.NewArgError(i+1, fmt.Errorf("would extend prefix to %d bits, which is too long for an IPv%d address", nl, map[bool]int{true: 4, false: 6}[p.Addr().Is4()]))
			}
			size := new(big.Int).Lsh(big.NewInt(1), uint(bits-nl))
			// align next up to a multiple of size
			rem := new(big.Int).Mod(next, size)
			if rem.Sign() != 0 {
				next.Add(next, new(big.Int).Sub(size, rem))
			}
			stop := new(big.Int).Add(next, size)
			if stop.Cmp(end) > 0 {
				return cty.UnknownVal(cty.String), function.NewArgError(i+1, fmt.Errorf("not enough remaining address space for a subnet with a prefix of %d bits after %s", nl, out[len(out)-1].AsString()))
			}
			out = append(out, cty.StringVal(netip.PrefixFrom(intAddr(next, p.Addr().Is4()), nl).String()))
			next = stop
		}
		return cty.ListVal(out), nil
	},
})
