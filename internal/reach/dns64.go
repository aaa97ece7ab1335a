package reach

// DNS64 on a dual-stack subnet. EnableDns64 is a subnet attribute of any
// subnet, not of IPv6-only ones alone: "DNS queries made to the
// Amazon-provided DNS Resolver in this subnet should return synthetic
// IPv6 addresses for IPv4-only destinations" (EC2 API, Subnet.EnableDns64;
// VPC User Guide, "DNS64 and NAT64": the Resolver answers a name without
// AAAA records with 64:ff9b::/96 and its IPv4 address). A client of a
// dual-stack subnet that connects over IPv6 (the probe's --ipv6; a client
// that prefers IPv6, as RFC 6724's default policy does for a global
// IPv6 source) then connects to that address, which only a route of
// 64:ff9b::/96 to a NAT gateway (NAT64) carries: a ::/0 route to the
// internet gateway sends it nowhere (terraform-aws-modules/terraform-aws-vpc#972:
// dual-stack public subnets with DNS64 on by default, "curl -6
// api.github.com ... hangs" until the 64:ff9b::/96 route is added).
// Over IPv4 the client uses the A record as before.

// dns64Client reports whether e is an interface with an IPv6 address in
// a subnet with DNS64 on.
func dns64Client(e *eniNode) bool {
	return e != nil && e.v6.IsValid() && e.subnet != nil && e.subnet.subnet.EnableDNS64
}

// dns64Subnet names the kind of subnet a DNS64 answer comes from.
func dns64Subnet(sn *subnetNode) string {
	if sn.subnet.IPv6Native {
		return "IPv6-only subnet"
	}
	return "dual-stack subnet"
}
