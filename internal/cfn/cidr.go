package cfn

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
)

// cidrSplit implements Fn::Cidr: count consecutive CIDR blocks of
// cidrBits host bits each, from the start of ipBlock. CloudFormation allows
// 1 to 256 blocks and IPv4 or IPv6 address blocks.
func cidrSplit(ipBlock, countStr, bitsStr string) ([]string, error) {
	block, err := netip.ParsePrefix(strings.TrimSpace(ipBlock))
	if err != nil {
		return nil, fmt.Errorf("Fn::Cidr: %q is not a CIDR block", ipBlock)
	}
	block = block.Masked()
	count, err := strconv.Atoi(strings.TrimSpace(countStr))
	if err != nil || count < 1 || count > 256 {
		return nil, fmt.Errorf("Fn::Cidr: the count must be a number from 1 to 256, not %q", countStr)
	}
	total := block.Addr().BitLen()
	bits, err := strconv.Atoi(strings.TrimSpace(bitsStr))
	if err != nil || bits < 1 || bits > total {
		return nil, fmt.Errorf("Fn::Cidr: cidrBits must be a number from 1 to %d, not %q", total, bitsStr)
	}
	size := total - bits
	if size < block.Bits() {
		return nil, fmt.Errorf("Fn::Cidr: /%d blocks (cidrBits %d) do not fit in %s", size, bits, block)
	}
	if avail := size - block.Bits(); avail < 9 && count > 1<<avail {
		return nil, fmt.Errorf("Fn::Cidr: %s holds only %d blocks of /%d, not %d", block, 1<<avail, size, count)
	}
	start := new(big.Int).SetBytes(block.Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	out := make([]string, 0, count)
	for i := 0; i < count; i++ {
		v := new(big.Int).Add(start, new(big.Int).Mul(step, big.NewInt(int64(i))))
		b := v.FillBytes(make([]byte, total/8))
		a, _ := netip.AddrFromSlice(b)
		out = append(out, netip.PrefixFrom(a, size).String())
	}
	return out, nil
}
