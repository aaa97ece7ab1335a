package fix

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// viaPublicDNSName: the probe went from inside a VPC to the public
// address of an interface of the same VPC, so it left through the
// internet (or NAT) gateway and came back from a public address, which a
// rule naming a security group or a private block does not admit
// (security group references match private addresses only). Inside the
// VPC the instance's public DNS name resolves to its private address
// (Amazon VPC User Guide, "DNS attributes for your VPC"), so the client
// connects by that name (or by the private address when the VPC gives no
// public DNS names): nothing changes but the address the client uses.
func (f *finder) viaPublicDNSName(x reach.Explanation) []Fix {
	if f.q.To.Kind != reach.KindAddress || !f.q.To.Address.Is4() || f.res.Reachable || x.Path != "forward" {
		return nil
	}
	dst := f.st.NetworkInterfaces[model.NetworkInterfaceID(f.q.To.ID)]
	if dst == nil || x.NetworkInterface == nil || x.NetworkInterface.ID != string(dst.ID) {
		return nil
	}
	if pub, ok := dst.PublicIP(); !ok || pub != f.q.To.Address {
		return nil
	}
	srcVPC := f.sourceVPC()
	if srcVPC == "" || srcVPC != dst.VpcID {
		return nil
	}
	port := f.probedPort()
	what := "the instance's"
	if dst.Attachment != nil {
		if i := f.st.Instances[dst.Attachment.InstanceID]; i != nil {
			what = f.st.InstanceName(i) + "'s"
		}
	}
	priv := dst.PrimaryIP()
	to, title := netip.AddrPortFrom(priv, port).String(), ""
	if v := f.st.VPCs[dst.VpcID]; v != nil && v.EnableDNSHostnames && v.EnableDNSSupport {
		name := model.PublicDNSName(f.st.Region, f.q.To.Address)
		to = fmt.Sprintf("%s:%d", name, port)
		title = fmt.Sprintf("Connect to %s public DNS name %s instead of its public address %s: inside the VPC it resolves to the private address %s", what, name, f.q.To.Address, priv)
	} else {
		title = fmt.Sprintf("Connect to %s private address %s instead of its public address %s", what, priv, f.q.To.Address)
	}
	out := []Fix{{
		score: 9, Kind: "private-address",
		Title:  title,
		Detail: "A connection to a public address leaves the VPC through its internet or NAT gateway and arrives from a public address: rules that name a security group (or the VPC's private block) match only private addresses. By the private address, or the public DNS name that resolves to it inside the VPC, the connection stays in the VPC and the rule admits it.",
		Commands: []string{
			fmt.Sprintf("aws ec2 describe-network-interfaces --network-interface-ids %s --query 'NetworkInterfaces[0].[PrivateIpAddress,Association.PublicDnsName]' --output text", dst.ID),
		},
		Scenario:     "# no change: connect by the name (or private address)\nexpect:\n  - {from: " + f.from + ", to: \"" + to + "\", verdict: connected}\n",
		apply:        func(*engine.Engine) error { return nil },
		Verification: Verification{From: f.from, To: to, Protocol: f.proto},
	}}
	if fx, ok := f.privateNameZone(dst, priv); ok {
		out = append(out, fx)
	}
	return out
}

// privateNameZone: the probe named the destination by a name of a public
// hosted zone that answers the public address. A private hosted zone of
// exactly that name, associated with the source's VPC, answers its
// clients with the private address (split-horizon DNS for one name: a
// private zone of the whole domain would hide the domain's other public
// records from the VPC).
func (f *finder) privateNameZone(dst *model.NetworkInterface, priv netip.Addr) (Fix, bool) {
	host := f.to
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	name := model.CanonicalDNSName(host)
	if _, err := netip.ParseAddr(host); err == nil || !strings.Contains(name, ".") || strings.HasSuffix(name, ".amazonaws.com") {
		return Fix{}, false
	}
	public := false
	for _, z := range f.st.HostedZones {
		if z.Covers(name) {
			if z.Private {
				return Fix{}, false
			}
			public = true
		}
	}
	if !public {
		return Fix{}, false
	}
	vpc := dst.VpcID
	vpcName := string(vpc)
	if v := f.st.VPCs[vpc]; v != nil {
		vpcName = v.Tags.NameOr(string(vpc))
	}
	ip := priv.String()
	return Fix{
		score: 12, Kind: "route53",
		Title:  fmt.Sprintf("Answer %s with the private address %s in %s: a private hosted zone of that name (split-horizon DNS)", name, ip, vpcPhrase(f.st, vpc)),
		Detail: "Inside the VPC the Route 53 Resolver answers a name from a private hosted zone associated with the VPC before the public one; a zone of exactly this name leaves the domain's other public records alone. The connection then stays in the VPC, where the security group's reference admits it.",
		Commands: []string{
			fmt.Sprintf("aws route53 create-hosted-zone --name %s --vpc VPCRegion=%s,VPCId=%s --caller-reference split-%s    # → HostedZone.Id", name, f.st.Region, vpc, name),
			fmt.Sprintf(`aws route53 change-resource-record-sets --hosted-zone-id <HostedZoneId> --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"%s","Type":"A","TTL":60,"ResourceRecords":[{"Value":"%s"}]}}]}'`, name, ip),
		},
		Scenario: fmt.Sprintf("hosted_zones:\n  %s-private:\n    name: %s\n    vpcs: [%s]\n    records:\n      \"@\": {values: [%s], ttl: 60}\n", name, name, vpcName, ip),
		apply: func(e *engine.Engine) error {
			z, err := e.CreateHostedZone(engine.CreateHostedZoneInput{Name: name, Private: true, VPCs: []model.VpcID{vpc}})
			if err != nil {
				return err
			}
			return e.UpsertRecordSet(string(z.ID), engine.RecordSetInput{Name: name, Type: "A", TTL: 60, Values: []string{ip}})
		},
	}, true
}

// sourceVPC is the VPC of the probe's source ("" for the internet).
func (f *finder) sourceVPC() model.VpcID {
	for i := range f.res.Forward {
		h := &f.res.Forward[i]
		if h.Component != nil && h.Component.Type == "network-interface" {
			if e := f.st.NetworkInterfaces[model.NetworkInterfaceID(h.Component.ID)]; e != nil {
				return e.VpcID
			}
		}
		break
	}
	return ""
}
