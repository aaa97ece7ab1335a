package scenario

import (
	"strconv"

	"github.com/ecsnet/ecsnet/internal/model"
)

// DHCP options sets in scenario files:
//
//	dhcp_options:
//	  corp-dns:
//	    domain_name: corp.example.com
//	    domain_name_servers: [10.20.0.10, 10.20.0.11]   # or [AmazonProvidedDNS]
//	    vpcs: [main]                     # AssociateDhcpOptions
//	    forwards_to_resolver: false      # the servers do not forward private hosted zone
//	                                     # names to the Route 53 Resolver (default true)
//
// The set is created (CreateDhcpOptions) and associated with each VPC
// listed. forwards_to_resolver is not AWS state: it says what the
// customer's own DNS servers do (model.DhcpOptions.NoResolverForwarding).

type dhcpSpec struct {
	DomainName         string            `yaml:"domain_name"`
	DomainNameServers  []string          `yaml:"domain_name_servers"`
	NTPServers         []string          `yaml:"ntp_servers"`
	VPCs               []string          `yaml:"vpcs"`
	ForwardsToResolver *bool             `yaml:"forwards_to_resolver"`
	Tags               map[string]string `yaml:"tags"`
}

// dhcpOptions creates the DHCP options sets and associates them with
// their VPCs, right after the VPCs.
func (b *builder) dhcpOptions(sp *fileSpec) error {
	for _, d := range sp.DhcpOptions {
		owner := "dhcp options " + strconv.Quote(d.Name)
		opts := map[string][]string{}
		if d.Value.DomainName != "" {
			opts["domain-name"] = []string{d.Value.DomainName}
		}
		if len(d.Value.DomainNameServers) > 0 {
			opts["domain-name-servers"] = d.Value.DomainNameServers
		}
		if len(d.Value.NTPServers) > 0 {
			opts["ntp-servers"] = d.Value.NTPServers
		}
		set, err := b.e.CreateDhcpOptions(opts, tags(d.Name, d.Value.Tags))
		if err != nil {
			return b.fail(d.Line, owner, err)
		}
		b.set("dhcp options", d.Name, string(set.ID))
		if d.Value.ForwardsToResolver != nil {
			if err := b.e.SetDhcpOptionsResolverForwarding(set.ID, *d.Value.ForwardsToResolver); err != nil {
				return b.fail(d.line("forwards_to_resolver"), owner, err)
			}
		}
		for _, v := range d.Value.VPCs {
			vpc, err := b.ref("vpc", v, d.line("vpcs"), owner)
			if err != nil {
				return err
			}
			if err := b.e.AssociateDhcpOptions(set.ID, model.VpcID(vpc)); err != nil {
				return b.fail(d.line("vpcs"), owner, err)
			}
		}
	}
	return nil
}
