package cfn

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	typeDHCPOptions     = "AWS::EC2::DHCPOptions"
	typeDHCPAssociation = "AWS::EC2::VPCDHCPOptionsAssociation"
)

// dhcpProps maps AWS::EC2::DHCPOptions' list properties to their DHCP
// option names (CreateDhcpOptions' keys).
var dhcpProps = []struct{ prop, key string }{
	{"DomainNameServers", "domain-name-servers"},
	{"NtpServers", "ntp-servers"},
	{"NetbiosNameServers", "netbios-name-servers"},
}

// createDHCPOptions creates a DHCP options set (CreateDhcpOptions); Ref is
// its id.
func createDHCPOptions(c *rctx) error {
	p := c.p
	opts := map[string][]string{}
	name, err := p.str("DomainName")
	if err != nil {
		return err
	}
	if name != "" {
		opts["domain-name"] = []string{name}
	}
	for _, d := range dhcpProps {
		v, err := p.strs(d.prop)
		if err != nil {
			return err
		}
		if len(v) > 0 {
			opts[d.key] = v
		}
	}
	for _, d := range []struct{ prop, key string }{{"NetbiosNodeType", "netbios-node-type"}, {"Ipv6AddressPreferredLeaseTime", "ipv6-address-preferred-lease-time"}} {
		n, err := p.integer(d.prop, -1)
		if err != nil {
			return err
		}
		if n >= 0 {
			opts[d.key] = []string{strconv.Itoa(n)}
		}
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	d, err := c.e().CreateDhcpOptions(opts, tags)
	if err != nil {
		return err
	}
	c.setRef(string(d.ID))
	c.set("DhcpOptionsId", string(d.ID))
	return nil
}

// createDHCPAssociation makes a VPC use a DHCP options set
// (AssociateDhcpOptions; "default" for none). Deleting it gives the VPC
// no options set again.
func createDHCPAssociation(c *rctx) error {
	id, err := c.p.req("DhcpOptionsId")
	if err != nil {
		return err
	}
	vpc, err := c.p.req("VpcId")
	if err != nil {
		return err
	}
	if err := c.e().AssociateDhcpOptions(model.DhcpOptionsID(id), model.VpcID(vpc)); err != nil {
		if containsAny(err.Error(), "dhcpOption") {
			return c.p.at("DhcpOptionsId", err)
		}
		return c.p.at("VpcId", err)
	}
	c.keep("VpcId", vpc)
	c.setRef(c.s.physicalName(c.r.def.name, 128))
	return nil
}
