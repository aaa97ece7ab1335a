package fix

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// cloudMapZone: a Cloud Map private DNS namespace's names resolve only in
// the VPCs its Route 53 hosted zone is associated with; from any other the
// Resolver answers NXDOMAIN. Associating the client's VPC with the zone
// makes the name resolve there (Cloud Map developer guide, "Private DNS
// namespaces"; Route 53 AssociateVPCWithHostedZone). The packets then
// need a path between the VPCs (peering or a transit gateway), which the
// verification probe walks.
func (f *finder) cloudMapZone(x reach.Explanation) []Fix {
	vpc, ok := f.q.Unresolved()
	if !ok || vpc == "" || x.Component == nil {
		return nil
	}
	ns := f.st.Namespaces[x.Component.ID]
	if ns == nil {
		return nil
	}
	vpcName := string(vpc)
	if v := f.st.VPCs[vpc]; v != nil && v.Tags["Name"] != "" {
		vpcName = v.Tags["Name"]
	}
	region := f.st.Region
	id := ns.ID
	return []Fix{{
		score: 10, Kind: "cloud-map",
		Title: fmt.Sprintf("Associate the hosted zone of the Cloud Map namespace %s with %s", ns.Name, vpcPhrase(f.st, vpc)),
		Detail: "A private DNS namespace is a Route 53 private hosted zone that Cloud Map associates with one VPC; its names resolve only in the VPCs associated with the zone. " +
			"Associating the client's VPC lets its Resolver answer the name; the connection then also needs a route between the VPCs (peering or a transit gateway) and the target's security group must admit the client's address.",
		Commands: []string{fmt.Sprintf("aws route53 associate-vpc-with-hosted-zone --hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s", ns.HostedZoneID, region, vpc)},
		Scenario: fmt.Sprintf("namespaces:\n  %s:\n    associated_vpcs: [%s]\n", ns.Name, vpcName),
		apply: func(e *engine.Engine) error {
			return e.AssociateNamespaceVPC(id, vpc)
		},
	}}
}

// privateZoneDNS: a Cloud Map private DNS namespace's names do not resolve
// in a VPC whose enableDnsHostnames or enableDnsSupport is false, even
// one its hosted zone is associated with (Route 53 Developer Guide,
// "Considerations when working with a private hosted zone"). Turning the
// attributes on (one ModifyVpcAttribute call each) lets the Resolver
// answer from the zone.
func (f *finder) privateZoneDNS() []Fix {
	id, ok := f.q.UnresolvedDNSAttributes()
	if !ok {
		return nil
	}
	return f.vpcDNSAttributes(id, "A Cloud Map private DNS namespace is a Route 53 private hosted zone; the Route 53 Resolver answers from it only in VPCs whose enableDnsHostnames and enableDnsSupport are both true. "+
		"Existing clients may cache the failed lookup for the zone's negative TTL.")
}

// vpcDNSAttributes turns on the DNS attributes (enableDnsSupport,
// enableDnsHostnames) a VPC has off.
func (f *finder) vpcDNSAttributes(id model.VpcID, detail string) []Fix {
	v := f.st.VPCs[id]
	if v == nil {
		return nil
	}
	name := string(id)
	if v.Tags.Name() != "" {
		name = v.Tags.Name()
	}
	support, hostnames := !v.EnableDNSSupport, !v.EnableDNSHostnames
	var attrs, cmds []string
	scenario := fmt.Sprintf("vpcs:\n  %s:\n", name)
	if support {
		attrs = append(attrs, "enableDnsSupport")
		cmds = append(cmds, fmt.Sprintf("aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-support '{\"Value\":true}'", id))
		scenario += "    dns_support: true\n"
	}
	if hostnames {
		attrs = append(attrs, "enableDnsHostnames")
		cmds = append(cmds, fmt.Sprintf("aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-hostnames '{\"Value\":true}'", id))
		scenario += "    dns_hostnames: true\n"
	}
	on := true
	return []Fix{{
		score: 10, Kind: "vpc",
		Title:    fmt.Sprintf("Turn on %s in %s", strings.Join(attrs, " and "), vpcPhrase(f.st, id)),
		Detail:   detail,
		Commands: cmds,
		Scenario: scenario,
		apply: func(e *engine.Engine) error {
			if support {
				if err := e.ModifyVpcAttribute(id, &on, nil); err != nil {
					return err
				}
			}
			if hostnames {
				return e.ModifyVpcAttribute(id, nil, &on)
			}
			return nil
		},
	}}
}

// srvLookup: a Cloud Map name with SRV records only (ECS registers bridge
// and host tasks so: the address and the host port, which differs per
// task) does not answer an address lookup. The client that connects to
// name:port must look the name up as an SRV record and connect to the
// address and port it gets (Go's net.LookupSRV, dig SRV, Java's JNDI DNS
// provider); the verification is that lookup's connection, the probe to
// the name without a port. (Moving the service to the awsvpc network mode
// with A records is the other way; it changes the task definition and
// the discovery service, a design choice.)
func (f *finder) srvLookup() []Fix {
	name, ok := f.q.SRVOnly()
	if !ok {
		return nil
	}
	return []Fix{{
		score: 10, Kind: "application",
		Title:  fmt.Sprintf("Look %s up as an SRV record (address and host port) in the client, not as an address", name),
		Detail: "Bridge and host tasks register SRV records only: each task's port is its own dynamic host port, which an A record cannot carry.",
		Commands: []string{
			fmt.Sprintf("dig +short SRV %s   # priority weight port target", name),
		},
		Scenario:     "# the client's code: resolve " + name + " with an SRV lookup and connect to the target and port it answers\n",
		Verification: Verification{From: f.from, To: name, Protocol: f.proto},
		apply:        func(*engine.Engine) error { return nil },
	}}
}

// discoverInstances: the name of a Cloud Map service in an HTTP namespace
// has no DNS record; the client finds the tasks with DiscoverInstances
// (the AWS SDK's, or the CLI's discover-instances) and connects to an
// address and port it returns. The verification is that connection, to
// the first registered task. (A private DNS namespace with A records is
// the other way; it changes the namespace the service registers in, a
// design choice.)
func (f *finder) discoverInstances() []Fix {
	ns, svc, instances, ok := f.q.HTTPDiscovery()
	if !ok || len(instances) == 0 {
		return nil
	}
	return []Fix{{
		score: 10, Kind: "application",
		Title:  fmt.Sprintf("Find the tasks of %s with DiscoverInstances (namespace %s, service %s) in the client and connect to an address it returns (%s)", svc, ns, svc, instances[0]),
		Detail: "An HTTP namespace has no hosted zone: its services answer the Cloud Map API only, with each registered task's address and port.",
		Commands: []string{
			fmt.Sprintf("aws servicediscovery discover-instances --namespace-name %s --service-name %s --query 'Instances[].Attributes'", ns, svc),
		},
		Scenario:     "# the client's code: call DiscoverInstances (namespace " + ns + ", service " + svc + ") and connect to AWS_INSTANCE_IPV4:the port\n",
		Verification: Verification{From: f.from, To: instances[0], Protocol: f.proto},
		apply:        func(*engine.Engine) error { return nil },
	}}
}
