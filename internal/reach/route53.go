package reach

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// KindDNSName is a name under a Route 53 hosted zone: NewQuery resolves
// it from the source, as the source's VPC Resolver (or the internet's
// DNS) would, to a load balancer, an address or another name. It stays
// a dns-name endpoint when the lookup fails (NXDOMAIN).
const KindDNSName EndpointKind = "dns-name"

// Route 53 verdict codes (NXDOMAIN and its reasons; see docs/aws-behavior.md,
// "Route 53 (round twenty-one)").
const (
	// CodePrivateZoneNotAssociated: the name is in a Route 53 private
	// hosted zone that is not associated with the source's VPC (or is
	// asked from the internet): no Resolver answers it (NXDOMAIN).
	CodePrivateZoneNotAssociated = "ECS_PRIVATE_ZONE_NOT_ASSOCIATED"
	// CodePrivateZoneSplitHorizon: a private hosted zone associated with
	// the source's VPC covers the name but has no record for it, while the
	// public zone of the same domain has one: the Resolver answers NXDOMAIN
	// from the private zone and never asks the public one.
	CodePrivateZoneSplitHorizon = "ECS_PRIVATE_ZONE_SPLIT_HORIZON"
	// CodeDNSRecordMissing: the zone that answers the name has no record
	// for it (NXDOMAIN).
	CodeDNSRecordMissing = "ECS_DNS_RECORD_MISSING"
	// CodeDNSNoData: the zone that answers the name has it (its apex, a
	// name with records of other types, or a name with records under it)
	// but no A, AAAA or CNAME record: NOERROR with no answer (NODATA),
	// so the lookup gets no address.
	CodeDNSNoData = "ECS_DNS_NO_ADDRESS_RECORD"
	// CodeDNSAliasDangling: an alias or CNAME record points at a name
	// that no longer exists (a deleted load balancer): the lookup gets no
	// address.
	CodeDNSAliasDangling = "ECS_DNS_ALIAS_TARGET_MISSING"
	// CodeDNSPublicToPrivate (a note): a public record answers the
	// internet with a private address (an internal load balancer's nodes,
	// an A record of a private address), which the internet cannot reach.
	CodeDNSPublicToPrivate = "ECS_DNS_PUBLIC_RECORD_PRIVATE_TARGET"
)

// r53Miss is why a Route 53 name does not resolve from the source.
type r53Miss struct {
	code string
	name string // the name looked up last (a CNAME's or alias's target)
	// zone is the zone at fault (not associated, lacking the record);
	// public is the public zone that has the record (split horizon).
	zone, public *model.HostedZone
	rec          *model.RecordSet
	msg          string
	// others are the name's record sets of types a lookup of an address
	// does not follow (NODATA).
	others []model.RecordSet
}

// maxDNSChain bounds the CNAME and alias chain a lookup follows (Route
// 53's resolver follows a chain of CNAMEs; ecsnet stops at 8 [choice]).
const maxDNSChain = 8

// route53Name returns a dns-name endpoint when some hosted zone covers s.
func (n *Network) route53Name(s string, ep Endpoint) (Endpoint, bool) {
	name := model.CanonicalDNSName(s)
	if !strings.Contains(name, ".") {
		return ep, false
	}
	for _, z := range n.st.HostedZones {
		if z.Covers(name) {
			ep.Kind, ep.Name, ep.r53name = KindDNSName, name, name
			return ep, true
		}
	}
	return ep, false
}

// sourceVPC is the VPC a query's source asks its DNS in ("" for the
// internet).
func sourceVPC(from *Endpoint) model.VpcID {
	switch {
	case from.eni != nil:
		return from.eni.eni.VpcID
	case from.task != nil && from.task.addressENI() != nil:
		return from.task.addressENI().eni.VpcID
	case from.lb != nil:
		return from.lb.lb.VpcID
	}
	return ""
}

// zonesFor returns the most specific public zone covering name, and the
// most specific private zone covering it among those associated with
// vpc (ok is false when vpc's Resolver does not use private zones), and
// the most specific private zone covering it not associated with vpc.
func (n *Network) zonesFor(name string, vpc model.VpcID, usePrivate bool) (public, private, other *model.HostedZone) {
	longer := func(a, b *model.HostedZone) bool {
		return a == nil || len(b.Name) > len(a.Name) || len(b.Name) == len(a.Name) && b.ID < a.ID
	}
	for _, z := range n.st.HostedZones {
		if !z.Covers(name) {
			continue
		}
		switch {
		case !z.Private:
			if longer(public, z) {
				public = z
			}
		case usePrivate && z.AssociatedWith(vpc):
			if longer(private, z) {
				private = z
			}
		default:
			if longer(other, z) {
				other = z
			}
		}
	}
	return public, private, other
}

// resolveRoute53 resolves q.To, a dns-name endpoint, from q.From: the
// Route 53 Resolver of the source's VPC answers from a private hosted
// zone associated with the VPC (when enableDnsSupport and
// enableDnsHostnames are true and its DHCP options use it), else from the
// public zone; the internet only from the public zone. It follows CNAME
// and alias records to a load balancer (requested with the name as its
// Host header), an address, or a name outside Route 53.
func (n *Network) resolveRoute53(q *Query) {
	vpc := sourceVPC(&q.From)
	usePrivate, dnsAttrOff, custom := vpc != "", false, false
	if v := n.st.VPCs[vpc]; v != nil && (!v.EnableDNSSupport || !v.EnableDNSHostnames) {
		usePrivate, dnsAttrOff = false, true
	} else if vpc != "" && n.privateZonesHidden(vpc) != nil {
		usePrivate, custom = false, true
	}
	orig := q.To
	name := orig.r53name
	var chain []string
	for range maxDNSChain {
		public, private, other := n.zonesFor(name, vpc, usePrivate)
		zone := private
		if zone == nil {
			zone = public
		}
		var recs, all []model.RecordSet
		if zone != nil {
			all = zone.Lookup(name)
			recs = addressRecords(all)
		}
		if recs == nil {
			m := &r53Miss{name: name, zone: zone}
			switch {
			case private != nil && public != nil && addressRecords(public.Lookup(name)) != nil:
				m.code, m.public = CodePrivateZoneSplitHorizon, public
				r := addressRecords(public.Lookup(name))[0]
				m.rec = &r
			case (dnsAttrOff || custom) && anyPrivateHas(n, name, vpc):
				m.code = CodePrivateZoneDNSOff
				if custom {
					m.code = CodePrivateZoneCustomDNS
				}
				m.zone = privateWith(n, name, vpc)
			case other != nil && other.Lookup(name) != nil:
				m.code, m.zone = CodePrivateZoneNotAssociated, other
			case zone == nil && other != nil:
				m.code, m.zone = CodePrivateZoneNotAssociated, other
			case zone != nil && (all != nil || zone.HasName(name)):
				m.code, m.others = CodeDNSNoData, all
			default:
				m.code = CodeDNSRecordMissing
			}
			q.nx, q.nxVPC, q.r53 = true, vpc, m
			q.nxDNSAttr = m.code == CodePrivateZoneDNSOff
			q.nxCustomDNS = m.code == CodePrivateZoneCustomDNS
			q.r53chain = chain
			return
		}
		r := pickRecord(n.st, recs, q.IPv6)
		if r.Weight != nil {
			if ws := weightedChoices(recs, r.Type); len(ws) > 1 {
				pick := ""
				if q.r53w == nil {
					q.r53w = &r53Weighted{recs: ws}
				} else {
					pick = q.r53w.pick
				}
				r = ws[0]
				for _, w := range ws {
					if w.SetIdentifier == pick {
						r = w
					}
				}
			}
		}
		kind := "public"
		if zone.Private {
			kind = "private"
		}
		step := name + " (" + r.Type + " record"
		if r.Alias != nil {
			step = name + " (alias " + r.Type + " record"
		}
		step += " in the " + kind + " hosted zone " + zone.Name + ", " + zone.ID + ")"
		chain = append(chain, step)
		target := ""
		switch {
		case r.Alias != nil:
			target = strings.TrimPrefix(r.Alias.DNSName, "dualstack.")
		case r.Type == "CNAME" && len(r.Values) > 0:
			target = model.CanonicalDNSName(r.Values[0])
			q.r53cnames = append(q.r53cnames, target)
		case len(r.Addrs) > 0:
			a := r.Addrs[0]
			ep := n.addressEndpoint(Endpoint{Spec: orig.Spec, Port: orig.Port}, a)
			q.To, q.r53chain = ep, chain
			q.r53zone, q.r53rec = zone, &r
			q.r53note = dnsNote(orig.r53name, chain, "the address "+a.String(), vpc == "" && !isPublic(a))
			q.r53private = vpc == "" && !isPublic(a)
			return
		}
		// Another record in a hosted zone: go on.
		if n.coveredByAnyZone(target) {
			if target == name {
				break
			}
			name = target
			continue
		}
		// A load balancer, an interface endpoint or a name outside Route 53.
		if lb := n.lbByDNS(target); lb != nil {
			ep := Endpoint{Spec: orig.Spec, Port: orig.Port, Kind: KindLoadBalancer, lb: lb, host: orig.r53name}
			ep.Name, ep.ID, ep.ARN = lb.lb.Name, lb.lb.Name, lb.lb.ARN
			q.To, q.r53chain = ep, chain
			q.r53zone, q.r53rec = zone, &r
			what := "the load balancer " + lb.lb.Name
			if lb.lb.Scheme == "internal" {
				what = "the internal load balancer " + lb.lb.Name + " (its DNS name resolves to private addresses)"
			}
			q.r53note = dnsNote(orig.r53name, chain, what, false)
			if vpc == "" && lb.lb.Scheme == "internal" {
				q.r53private = true
				q.r53note += "; the record is public, so the internet resolves it, but the internal load balancer's private addresses are reachable only from inside its VPC (or networks connected to it)"
			}
			return
		}
		if e := n.endpointByDNS(target); e != nil {
			ep := Endpoint{Spec: orig.Spec, Port: orig.Port, Kind: KindENI, eni: e}
			ep.Name, ep.ID, ep.ARN = e.comp.Label(), string(e.eni.ID), e.comp.ARN
			q.To, q.r53chain = ep, chain
			q.r53note = dnsNote(orig.r53name, chain, "the interface endpoint's network interface "+string(e.eni.ID), false)
			return
		}
		if x, ok := n.resolveOutside(target, Endpoint{Spec: orig.Spec, Port: orig.Port}); ok && r.Alias == nil && !strings.HasSuffix(target, ".elb."+model.DNSSuffix(n.st.Region)) && !elbNameOfRegion(target, n.st.Region) {
			q.To, q.r53chain = x, chain
			q.r53note = dnsNote(orig.r53name, chain, target, false)
			return
		}
		q.nx, q.nxVPC, q.r53chain = true, vpc, chain
		q.r53 = &r53Miss{code: CodeDNSAliasDangling, name: target, zone: zone, rec: &r}
		return
	}
	q.nx, q.nxVPC, q.r53chain = true, vpc, chain
	q.r53 = &r53Miss{code: CodeDNSRecordMissing, name: name, msg: "the CNAME and alias chain is longer than " + "8 names (or loops)"}
}

func (n *Network) coveredByAnyZone(name string) bool {
	for _, z := range n.st.HostedZones {
		if z.Covers(name) {
			return true
		}
	}
	return false
}

func anyPrivateHas(n *Network, name string, vpc model.VpcID) bool {
	return privateWith(n, name, vpc) != nil
}

// privateWith returns a private zone associated with vpc that covers name.
func privateWith(n *Network, name string, vpc model.VpcID) *model.HostedZone {
	var best *model.HostedZone
	for _, z := range n.st.HostedZones {
		if z.AssociatedWith(vpc) && z.Covers(name) && (best == nil || len(z.Name) > len(best.Name)) {
			best = z
		}
	}
	return best
}

// r53Weighted is a query's weighted record set: recs, the records a
// lookup may get (the first weighted set on its way), heaviest first; pre,
// the query as it was before its destination was resolved, which Probe
// resolves again for each record; pick, the SetIdentifier an alternative
// query follows ("" the heaviest).
type r53Weighted struct {
	recs []model.RecordSet
	pre  *Query
	pick string
}

// addressRecords keeps the record sets a lookup of an address follows:
// A, AAAA and CNAME (alias records are of type A or AAAA).
func addressRecords(recs []model.RecordSet) []model.RecordSet {
	var out []model.RecordSet
	for _, r := range recs {
		switch r.Type {
		case "A", "AAAA", "CNAME":
			out = append(out, r)
		}
	}
	return out
}

// weightedChoices returns the records of a weighted record set of type
// typ a lookup may get, heaviest first: those of a weight above 0, or
// all when every weight is 0 ("If you set Weight to 0 for all records in
// the group, traffic is routed to all resources with equal probability",
// Route 53 Developer Guide, routing-policy-weighted).
func weightedChoices(recs []model.RecordSet, typ string) []model.RecordSet {
	var pos, all []model.RecordSet
	for _, r := range recs {
		if r.Type != typ || r.Weight == nil {
			continue
		}
		all = append(all, r)
		if *r.Weight > 0 {
			pos = append(pos, r)
		}
	}
	if pos == nil {
		pos = all
	}
	slices.SortStableFunc(pos, func(a, b model.RecordSet) int { return cmp.Compare(*b.Weight, *a.Weight) })
	return pos
}

// pickRecord picks the record a client's lookup uses: AAAA over IPv6, A
// otherwise, a CNAME for either; else the first. Of a failover pair
// Route 53 answers the primary while its health check is healthy, else
// the secondary while that one is ("If all the primary resources are
// unhealthy, Route 53 begins to include only the healthy secondary
// resources", Route 53 Developer Guide, dns-failover-types), else the
// primary [choice: as if both were healthy]. The health checks are the
// region's state's: the API keeps a copy of a check in each region whose
// records name it.
func pickRecord(st *model.State, recs []model.RecordSet, v6 bool) model.RecordSet {
	want := "A"
	if v6 {
		want = "AAAA"
	}
	rank := func(r model.RecordSet) int {
		healthy := !healthCheckUnhealthy(st, r.HealthCheckID, 0)
		switch {
		case r.Failover == "PRIMARY" && healthy:
			return 0
		case r.Failover == "SECONDARY" && healthy:
			return 1
		case r.Failover == "PRIMARY":
			return 2
		}
		return 3
	}
	for _, t := range []string{want, "CNAME"} {
		found := -1
		for i, r := range recs {
			if r.Type != t {
				continue
			}
			if found < 0 || rank(r) < rank(recs[found]) {
				found = i
			}
		}
		if found >= 0 {
			return recs[found]
		}
	}
	return recs[0]
}

// maxHealthCheckDepth bounds the calculated checks followed through
// their children (a check cannot name itself, but ids are not checked
// for cycles).
const maxHealthCheckDepth = 8

// healthCheckUnhealthy reports whether Route 53 considers health check id
// unhealthy. ecsnet runs no health checkers: a check of an endpoint or an
// alarm measures healthy, a calculated one counts its healthy children
// against its HealthThreshold, and a disabled one is healthy ("After you
// disable a health check, Route 53 considers the status of the health
// check to always be healthy", HealthCheckConfig.Disabled); an inverted
// one is then unhealthy ("If you want to stop routing traffic to a
// resource, change the value of Inverted", the same). No check (none
// named, or deleted since: "the future status of the health check can't
// be predicted", DeleteHealthCheck) is healthy [choice].
func healthCheckUnhealthy(st *model.State, id string, depth int) bool {
	h := st.HealthChecks[id]
	if id == "" || h == nil || depth > maxHealthCheckDepth {
		return false
	}
	unhealthy := false
	if h.Config.Type == "CALCULATED" && !h.Config.Disabled {
		healthy := 0
		for _, c := range h.Config.ChildHealthChecks {
			if st.HealthChecks[c] != nil && !healthCheckUnhealthy(st, c, depth+1) {
				healthy++
			}
		}
		unhealthy = healthy < h.Config.HealthThreshold
	}
	return unhealthy != h.Config.Inverted
}

// lbByDNS finds a load balancer by its DNS name, in the name index
// (which holds each load balancer's DNS name in lower case).
func (n *Network) lbByDNS(name string) *lbNode {
	for _, c := range n.names[strings.ToLower(name)] {
		if c.lb != nil && strings.EqualFold(c.lb.lb.DNSName, name) {
			return c.lb
		}
	}
	return nil
}

// endpointByDNS finds an interface endpoint by a DNS name of its own
// ("vpce-0123-abcd.ecr.api.us-east-1.vpce.amazonaws.com"): its first ENI.
func (n *Network) endpointByDNS(name string) *eniNode {
	if !strings.HasPrefix(name, "vpce-") || !strings.Contains(name, ".vpce.amazonaws.com") {
		return nil
	}
	label, _, _ := strings.Cut(name, ".")
	for id, ep := range n.endpoints {
		if strings.HasPrefix(label, string(id)+"-") || label == string(id) {
			if len(ep.ep.NetworkInterfaces) > 0 {
				return n.enis[ep.ep.NetworkInterfaces[0]]
			}
		}
	}
	return nil
}

func dnsNote(name string, chain []string, to string, privateFromInternet bool) string {
	m := name + " resolves through " + strings.Join(chain, " → ") + " to " + to
	if privateFromInternet {
		m += "; it is a private address, which the internet does not route: a public record pointing at a private address answers the internet, but only clients inside the VPC (or connected to it) reach it"
	}
	return m
}

// route53Private notes a public record that answers the internet with
// a private address.
func (t *tracer) route53Private(q *Query) {
	if !q.r53private || t.quiet {
		return
	}
	t.res.Explanations = append(t.res.Explanations, Explanation{Code: CodeDNSPublicToPrivate, Path: "forward", Message: q.r53note, clause: q.r53note})
}

// route53NX explains a Route 53 name that does not resolve from the
// source (NXDOMAIN, or no address for a dangling alias).
func (t *tracer) route53NX(fs *flowState, q *Query) {
	m := q.r53
	name := q.To.Name
	where := "the internet"
	if q.nxVPC != "" {
		where = "VPC " + string(q.nxVPC)
		if v := t.n.vpcs[q.nxVPC]; v != nil {
			where = "VPC " + v.comp.Label() + " (" + string(q.nxVPC) + ")"
		}
	}
	via := ""
	if len(q.r53chain) > 0 {
		via = " (through " + strings.Join(q.r53chain, " → ") + ")"
	}
	zoneComp := func(z *model.HostedZone) *Component {
		if z == nil {
			return nil
		}
		return &Component{Type: "route53-hosted-zone", ID: z.ID, Name: z.Name}
	}
	t.block(fs, NXDomain, func() Explanation {
		var s string
		comp := zoneComp(m.zone)
		switch m.code {
		case CodePrivateZoneNotAssociated:
			z := m.zone
			assoc := "no VPC"
			if len(z.VPCs) > 0 {
				assoc = "only " + strings.Join(vpcIDs(z.VPCs), ", ")
			}
			s = name + " does not resolve from " + where + via + ": the Route 53 Resolver answers NXDOMAIN. " + m.name + " is in the private hosted zone " + z.Name + " (" + z.ID +
				"), which answers only in the VPCs associated with it (" + assoc + ")"
			if q.nxVPC != "" {
				s += "; associate the zone with " + string(q.nxVPC) + " (aws route53 associate-vpc-with-hosted-zone --hosted-zone-id " + z.ID + " --vpc VPCRegion=" + t.n.st.Region + ",VPCId=" + string(q.nxVPC) + ")"
			} else {
				s += "; the internet never sees a private hosted zone: publish the name in a public hosted zone to reach it from outside"
			}
		case CodePrivateZoneSplitHorizon:
			s = name + " does not resolve from " + where + via + ": the private hosted zone " + m.zone.Name + " (" + m.zone.ID + "), associated with the VPC, is authoritative for " + m.zone.Name +
				" there and has no record " + m.name + ", so the Resolver answers NXDOMAIN and does not fall back to the public hosted zone " + m.public.Name + " (" + m.public.ID + "), which has " + recordArticle(m.rec.Type) + " " + m.rec.Type +
				" record for it (split-horizon DNS); create the record in the private zone too"
		case CodePrivateZoneDNSOff:
			z := m.zone
			vn := t.n.vpcs[q.nxVPC]
			var off []string
			if vn != nil && !vn.vpc.EnableDNSSupport {
				off = append(off, "enableDnsSupport")
			}
			if vn != nil && !vn.vpc.EnableDNSHostnames {
				off = append(off, "enableDnsHostnames")
			}
			s = name + " does not resolve from " + where + ": its " + strings.Join(off, " and ") + " is false, and Route 53 answers from a private hosted zone only in VPCs whose enableDnsHostnames and enableDnsSupport are both true. " +
				m.name + " is in the private hosted zone " + z.Name + " (" + z.ID + "), associated with the VPC; turn on " + strings.Join(off, " and ")
			if vn != nil {
				comp = vn.comp
			}
		case CodePrivateZoneCustomDNS:
			z := m.zone
			s = name + " does not resolve from " + where + ": the VPC's DHCP options give DNS servers of its own" + CustomDNSMarker + ", which do not forward to the Route 53 Resolver; " + m.name +
				" is in the private hosted zone " + z.Name + " (" + z.ID + "), answered by the Resolver only: use AmazonProvidedDNS, or forward " + z.Name + " to a Resolver inbound endpoint"
			if vn := t.n.vpcs[q.nxVPC]; vn != nil {
				comp = vn.comp
			}
		case CodeDNSNoData:
			z := m.zone
			what := "names under it have records"
			switch {
			case m.name == z.Name:
				what = "it is the zone's apex, which always has the zone's SOA and NS records"
			case len(m.others) > 0:
				types := make([]string, 0, len(m.others))
				for _, r := range m.others {
					if !slices.Contains(types, r.Type) {
						types = append(types, r.Type)
					}
				}
				what = "it has " + strings.Join(types, ", ") + " records"
			}
			s = name + " has no address from " + where + via + ": the " + map[bool]string{true: "private", false: "public"}[z.Private] + " hosted zone " + z.Name + " (" + z.ID + ") has the name " + m.name +
				" (" + what + ") but no A, AAAA or CNAME record for it, so the Resolver answers NOERROR with no answer (NODATA), not NXDOMAIN, and the client's lookup gets no address; create an A record (or an alias A record to the load balancer) for " + m.name
		case CodeDNSAliasDangling:
			s = name + " does not resolve to an address from " + where + via + ": the " + m.rec.Type + " record points at " + m.name + ", which no modelled resource answers (a load balancer deleted or replaced since the record was written): the lookup gets no address"
			if m.rec.Alias != nil {
				s += ". Point the alias at the current load balancer's DNSName and CanonicalHostedZoneID"
			}
		default:
			if m.msg != "" {
				s = name + " does not resolve from " + where + via + ": " + m.msg
			} else if m.zone != nil {
				s = name + " does not resolve from " + where + via + ": the " + map[bool]string{true: "private", false: "public"}[m.zone.Private] + " hosted zone " + m.zone.Name + " (" + m.zone.ID + ") answers for it and has no record " + m.name + " (NXDOMAIN)"
			} else {
				s = name + " does not resolve from " + where + via + ": no hosted zone that answers there has it (NXDOMAIN)"
			}
		}
		return Explanation{Code: m.code, Path: "forward", Component: comp, Message: s, clause: s}
	})
}

// Route53Miss describes a Route 53 name that does not resolve from the
// query's source: the code (one of the Route 53 codes, or
// CodePrivateZoneDNSOff, CodePrivateZoneCustomDNS), the name looked up,
// the zone at fault, the public zone that has the record (split horizon)
// and that record.
type Route53Miss struct {
	Code, Name   string
	Zone, Public *model.HostedZone
	Record       *model.RecordSet
	VPC          model.VpcID
}

// Route53Miss reports why the query's destination, a Route 53 name, does
// not resolve from its source.
func (q *Query) Route53Miss() (Route53Miss, bool) {
	if q.r53 == nil || !q.nx {
		return Route53Miss{}, false
	}
	m := q.r53
	return Route53Miss{Code: m.code, Name: m.name, Zone: m.zone, Public: m.public, Record: m.rec, VPC: q.nxVPC}, true
}

// recordArticle is "an" before a record type read with a vowel sound (A,
// AAAA), else "a" (CNAME).
func recordArticle(recordType string) string {
	if strings.HasPrefix(recordType, "A") {
		return "an"
	}
	return "a"
}

// CNAMEs returns the targets of the CNAME records the lookup of the
// query's destination name followed, in order (an alias record answers
// with the addresses of the name itself, so it adds none).
func (q *Query) CNAMEs() []string { return q.r53cnames }

// Route53Record returns the hosted zone and record whose alias or CNAME
// named the load balancer the query's destination name resolved to, or
// whose addresses it resolved to, for a fix that points the record at
// another load balancer.
func (q *Query) Route53Record() (*model.HostedZone, *model.RecordSet, bool) {
	return q.r53zone, q.r53rec, q.r53zone != nil
}
