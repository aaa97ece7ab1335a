package reach

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Elastic Load Balancing's DNS names: an Application or Classic Load
// Balancer's NAME-ID.REGION.elb.amazonaws.com (internal-NAME-ID… for an
// internal one), a Network Load Balancer's NAME-ID.elb.REGION.amazonaws.com
// (amazonaws.com.cn in China), with or without the dualstack. prefix.
// ELB's DNS answers only the names of load balancers that exist: the name
// of one deleted or replaced (CloudFormation and CDK replace a load
// balancer whose name or scheme changes, and the new one gets a new ID in
// its DNS name) gets NXDOMAIN, and a client configured with it fails its
// lookup (Elastic Load Balancing User Guide, "DNS name": the DNS name is
// the load balancer's, "NAME-ID.REGION.elb.amazonaws.com"; re:Post
// "Why can't I resolve my load balancer's DNS name?": a deleted load
// balancer's name no longer resolves). [probable: NXDOMAIN rather than an
// empty answer, as for any name of a zone without its record]

// CodeLBNameUnknown: the destination is an Elastic Load Balancing DNS
// name of the Region (NAME-ID.REGION.elb.amazonaws.com, or an NLB's
// NAME-ID.elb.REGION.amazonaws.com) that no load balancer has: a load
// balancer deleted or replaced (a new one gets a new name). ELB's DNS
// answers NXDOMAIN and the client's lookup fails (verdict nxdomain);
// point the client at the current load balancer's DNSName, or at an
// alias record that follows it.
const CodeLBNameUnknown = "ECS_LOAD_BALANCER_DNS_NAME_NOT_FOUND"

// elbNameOfRegion reports whether s has the form of an Elastic Load
// Balancing DNS name of region.
func elbNameOfRegion(s, region string) bool {
	s = strings.TrimPrefix(strings.ToLower(strings.TrimSuffix(s, ".")), "dualstack.")
	suffix := model.DNSSuffix(region)
	for _, zone := range []string{"." + region + ".elb." + suffix, ".elb." + region + "." + suffix} {
		if head, ok := strings.CutSuffix(s, zone); ok && head != "" && !strings.Contains(head, ".") {
			return true
		}
	}
	return false
}

// unknownELBName returns a dns-name endpoint that does not resolve when s
// is an Elastic Load Balancing DNS name of the state's Region that no load
// balancer of the state has.
func (n *Network) unknownELBName(s string, ep Endpoint) (Endpoint, bool) {
	if !elbNameOfRegion(s, n.st.Region) || n.lbByDNS(strings.TrimPrefix(strings.ToLower(strings.TrimSuffix(s, ".")), "dualstack.")) != nil {
		return ep, false
	}
	name := strings.ToLower(strings.TrimSuffix(s, "."))
	ep.Kind, ep.Name, ep.ID, ep.lookup, ep.elbMiss = KindDNSName, name, name, name, true
	return ep, true
}

// resolveUnknownELBName makes a query to an unknown load balancer name
// unresolved: the lookup gets NXDOMAIN (from a VPC's Resolver as from the
// internet's DNS), naming the load balancers of the state whose name the
// unknown one starts with (a replaced one's successor) or all of them.
func (n *Network) resolveUnknownELBName(q *Query) {
	name := q.To.Name
	head := strings.TrimPrefix(strings.TrimPrefix(name, "dualstack."), "internal-")
	var same, all []string
	for _, lb := range n.lbOrder {
		if lb.lb.DNSName == "" {
			continue
		}
		d := strings.ToLower(lb.lb.DNSName)
		all = append(all, lb.lb.Name+" ("+d+")")
		if strings.HasPrefix(head, strings.ToLower(lb.lb.Name)+"-") {
			same = append(same, lb.lb.Name+" ("+d+")")
		}
	}
	msg := "it has the form of an Elastic Load Balancing DNS name of " + n.st.Region + ", but no load balancer has it, so ELB's DNS answers NXDOMAIN (a load balancer deleted, or replaced: a new load balancer gets a new DNS name)"
	switch {
	case len(same) > 0:
		msg += "; the load balancer of that name now answers as " + strings.Join(same, ", ") + ": use its DNSName, or an alias record that follows it"
	case len(all) > 0:
		msg += "; the load balancers of the Region are " + strings.Join(all, ", ")
	}
	q.nx, q.nxVPC = true, sourceVPC(&q.From)
	q.r53 = &r53Miss{code: CodeLBNameUnknown, name: name, msg: msg}
}

// staleELBNames: a service's container environment that names an Elastic
// Load Balancing DNS name of the Region no load balancer has (a value such
// as http://internal-orders-1804289383.us-east-1.elb.amazonaws.com/api): the
// application's lookup of it gets NXDOMAIN. One finding per service,
// container and name.
func (l *linter) staleELBNames() {
	n := l.n
	for _, s := range n.serviceOrder {
		if s.svc.Status == "INACTIVE" {
			continue
		}
		// A service of task sets: each task set's task definition, once
		// (two task sets of one revision say it once).
		var done []string
		for _, run := range serviceRuns(s.svc) {
			td := n.st.TaskDefinitions[run.taskDefinitionARN]
			if td == nil || slices.Contains(done, td.ARN) {
				continue
			}
			done = append(done, td.ARN)
			for _, c := range td.Containers {
				seen := map[string]bool{}
				for _, kv := range c.Environment {
					for _, name := range strings.FieldsFunc(strings.ToLower(kv.Value), notHostChar) {
						if seen[name] || !elbNameOfRegion(name, n.st.Region) || n.lbByDNS(strings.TrimPrefix(name, "dualstack.")) != nil {
							continue
						}
						seen[name] = true
						q := Query{To: Endpoint{Kind: KindDNSName, Name: name}}
						n.resolveUnknownELBName(&q)
						l.add(SeverityError, CodeLBNameUnknown, s.comp, "the container "+c.Name+" of the service "+s.svc.Name+run.of()+" names "+name+" in its environment variable "+kv.Name+
							": "+q.r53.msg, "put the current load balancer's DNSName in "+kv.Name+" (a stack output or an alias record that follows the load balancer), not a copied name"+run.replaceHint())
					}
				}
			}
		}
	}
}

// notHostChar reports whether r cannot be part of a host name.
func notHostChar(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-')
}
