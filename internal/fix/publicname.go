package fix

import (
	"fmt"
	"net/netip"

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
	return []Fix{{
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
