package fix

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// route53 fixes a Route 53 name that does not resolve from the probe's
// source: a private hosted zone not associated with the source's VPC is
// associated with it (AssociateVPCWithHostedZone); a split-horizon
// private zone lacking the record the public zone has gets a copy of it
// (ChangeResourceRecordSets UPSERT). Each is verified by the probe.
func (f *finder) route53() []Fix {
	m, ok := f.q.Route53Miss()
	if !ok || m.Zone == nil {
		return nil
	}
	z := m.Zone
	zoneID := z.ID
	switch m.Code {
	case reach.CodePrivateZoneNotAssociated:
		if m.VPC == "" {
			return nil
		}
		vpc := m.VPC
		vpcName := string(vpc)
		if v := f.st.VPCs[vpc]; v != nil && v.Tags.Name() != "" {
			vpcName = v.Tags.Name()
		}
		return []Fix{{
			score: 10, Kind: "route53",
			Title: fmt.Sprintf("Associate the private hosted zone %s (%s) with %s", z.Name, z.ID, vpcPhrase(f.st, vpc)),
			Detail: "A private hosted zone answers only in the VPCs associated with it; the Resolver of any other VPC answers NXDOMAIN for its names. " +
				"Associating the client's VPC lets its Resolver answer; the connection then also needs a path to the address the name resolves to.",
			Commands: []string{fmt.Sprintf("aws route53 associate-vpc-with-hosted-zone --hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s", z.ID, f.st.Region, vpc)},
			Scenario: fmt.Sprintf("hosted_zones:\n  %s:\n    vpcs: [..., %s]\n", z.Name, vpcName),
			apply: func(e *engine.Engine) error {
				return e.AssociateVPCWithHostedZone(zoneID, vpc)
			},
		}}
	case reach.CodePrivateZoneSplitHorizon:
		if m.Record == nil {
			return nil
		}
		r := *m.Record
		in := engine.RecordSetInput{Name: r.Name, Type: r.Type, TTL: r.TTL, Values: r.Values, Alias: r.Alias}
		batch := fmt.Sprintf(`{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"%s","Type":"%s",`, r.Name, r.Type)
		if r.Alias != nil {
			batch += fmt.Sprintf(`"AliasTarget":{"DNSName":"%s","HostedZoneId":"%s","EvaluateTargetHealth":false}}}]}`, r.Alias.DNSName, r.Alias.HostedZoneID)
		} else {
			vals := make([]string, len(r.Values))
			for i, v := range r.Values {
				vals[i] = `{"Value":"` + v + `"}`
			}
			batch += fmt.Sprintf(`"TTL":%d,"ResourceRecords":[%s]}}]}`, r.TTL, strings.Join(vals, ","))
		}
		return []Fix{{
			score: 10, Kind: "route53",
			Title: fmt.Sprintf("Create the %s record %s in the private hosted zone %s (%s) too", r.Type, r.Name, z.Name, z.ID),
			Detail: "In a VPC associated with a private hosted zone, the Resolver answers every name under the zone's domain from that zone, and a name the zone lacks is NXDOMAIN: it does not fall back to the public zone of the same domain (split-view DNS). " +
				"A copy of the public record in the private zone makes the name resolve inside the VPC.",
			Commands: []string{fmt.Sprintf("aws route53 change-resource-record-sets --hosted-zone-id %s --change-batch '%s'", z.ID, batch)},
			Scenario: scenarioRecord(z, model.RecordSet{Name: r.Name, Type: r.Type, TTL: r.TTL, Values: r.Values, Alias: r.Alias}),
			apply: func(e *engine.Engine) error {
				return e.UpsertRecordSet(zoneID, in)
			},
		}}
	case reach.CodeDNSAliasDangling:
		return f.repointRecord(z, m)
	}
	return nil
}

// repointRecord: a record whose alias or CNAME names a load balancer
// that is gone is pointed at one that exists (its DNSName and
// CanonicalHostedZoneId, an alias as Route 53 recommends for load
// balancers); each load balancer is a candidate, and only those the
// verification probe reaches through are kept.
func (f *finder) repointRecord(z *model.HostedZone, m reach.Route53Miss) []Fix {
	if m.Record == nil || (m.Record.Type != "A" && m.Record.Type != "AAAA" && m.Record.Type != "CNAME") {
		return nil
	}
	r := *m.Record
	zoneID := z.ID
	typ := r.Type
	if typ == "CNAME" {
		typ = "A" // an alias replaces the CNAME
	}
	var out []Fix
	for _, arn := range slices.Sorted(maps.Keys(f.st.LoadBalancers)) {
		lb := f.st.LoadBalancers[arn]
		if lb.Type == "gateway" || lb.DNSName == "" {
			continue
		}
		// A record of a weighted set stays one (its SetIdentifier and
		// weight): the set's other records are left as they are.
		in := engine.RecordSetInput{Name: r.Name, Type: typ, Alias: &model.AliasTarget{DNSName: strings.ToLower(lb.DNSName), HostedZoneID: lb.CanonicalHostedZoneID},
			SetIdentifier: r.SetIdentifier, Weight: r.Weight}
		weighted := ""
		if r.Weight != nil {
			weighted = fmt.Sprintf(`"SetIdentifier":%q,"Weight":%d,`, r.SetIdentifier, *r.Weight)
		}
		batch := fmt.Sprintf(`{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"%s","Type":"%s",%s"AliasTarget":{"DNSName":"%s","HostedZoneId":"%s","EvaluateTargetHealth":false}}}]}`,
			r.Name, typ, weighted, strings.ToLower(lb.DNSName), lb.CanonicalHostedZoneID)
		cmds := []string{}
		if r.Type == "CNAME" {
			cmds = append(cmds, fmt.Sprintf(`aws route53 change-resource-record-sets --hosted-zone-id %s --change-batch '{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"%s","Type":"CNAME",%s"TTL":%d,"ResourceRecords":[{"Value":"%s"}]}}]}'`,
				z.ID, r.Name, weighted, r.TTL, strings.Join(r.Values, "")))
		}
		cmds = append(cmds, fmt.Sprintf("aws route53 change-resource-record-sets --hosted-zone-id %s --change-batch '%s'", z.ID, batch))
		name, wasCNAME, setID := r.Name, r.Type == "CNAME", r.SetIdentifier
		out = append(out, Fix{
			score: 12, Kind: "route53",
			Title: fmt.Sprintf("Point the record %s at the load balancer %s (an alias to its DNS name)", r.Name, lb.Name),
			Detail: "The record names " + m.Name + ", which no load balancer has any more (a load balancer replaced gets a new DNS name; the record is not updated with it). " +
				"An alias record to the current load balancer's DNSName and CanonicalHostedZoneId follows it.",
			Commands: cmds,
			Scenario: scenarioRecord(z, model.RecordSet{Name: r.Name, Type: typ, Alias: in.Alias, SetIdentifier: r.SetIdentifier, Weight: r.Weight}),
			apply: func(e *engine.Engine) error {
				if wasCNAME {
					if err := e.DeleteRecordSet(zoneID, name, "CNAME", func(x model.RecordSet) bool { return x.SetIdentifier == setID }); err != nil {
						return err
					}
				}
				return e.UpsertRecordSet(zoneID, in)
			},
		})
	}
	return out
}

// scenarioRecord is a record in the scenario syntax (hosted_zones). A
// record of a weighted set (a SetIdentifier and a weight) is the set's
// weighted: form, every record of the set's name and type in z with r in
// the place of the one of its SetIdentifier, since the scenario gives a
// weighted name all its records at once.
func scenarioRecord(z *model.HostedZone, r model.RecordSet) string {
	name := strings.TrimSuffix(strings.TrimSuffix(r.Name, z.Name), ".")
	if name == "" {
		name = "\"@\""
	}
	which := ""
	if z.Private {
		which = "   # the private zone"
	}
	head := fmt.Sprintf("hosted_zones:\n  %s:%s\n    records:\n", z.Name, which)
	if r.Weight == nil {
		return head + fmt.Sprintf("      %s: {type: %s, %s}\n", name, r.Type, scenarioRecordValue(r))
	}
	set := []model.RecordSet{r}
	for _, x := range z.Records {
		if x.Name == r.Name && x.Type == r.Type && x.Weight != nil && x.SetIdentifier != r.SetIdentifier {
			set = append(set, x)
		}
	}
	slices.SortFunc(set, func(a, b model.RecordSet) int { return strings.Compare(a.SetIdentifier, b.SetIdentifier) })
	out := head + fmt.Sprintf("      %s:\n        type: %s\n        weighted:\n", name, r.Type)
	for _, x := range set {
		out += fmt.Sprintf("          - {set_identifier: %s, weight: %d, %s}\n", x.SetIdentifier, *x.Weight, scenarioRecordValue(x))
	}
	return out
}

// scenarioRecordValue is a record's alias or ttl and values in the
// scenario syntax.
func scenarioRecordValue(r model.RecordSet) string {
	if r.Alias != nil {
		return fmt.Sprintf("alias: %s, alias_zone: %s", r.Alias.DNSName, r.Alias.HostedZoneID)
	}
	return fmt.Sprintf("ttl: %d, values: [%s]", r.TTL, strings.Join(r.Values, ", "))
}

// associateServiceZones: the start path's AWS service names resolve
// publicly from the tasks' VPC because the private hosted zones that
// point them at shared (centralized) interface endpoints are associated
// with other VPCs only (reach.Network.ServiceZonesElsewhere). Every such
// zone of the services the start path needs is associated with the VPC,
// in one change, verified by starting the tasks again.
func (f *finder) associateServiceZones(sf *reach.StartFailure) []Fix {
	zones := f.n.ServiceZonesElsewhere(sf.VpcID, sf.Needs)
	if len(zones) == 0 {
		return nil
	}
	vpc := sf.VpcID
	var names, cmds []string
	var ids []string
	for _, z := range zones {
		names = append(names, z.Name)
		ids = append(ids, z.ID)
		cmds = append(cmds, fmt.Sprintf("aws route53 associate-vpc-with-hosted-zone --hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s", z.ID, f.st.Region, vpc))
	}
	var scen strings.Builder
	scen.WriteString("hosted_zones:\n")
	for _, z := range zones {
		fmt.Fprintf(&scen, "  %s:\n    vpcs: [..., %s]\n", z.Name, vpc)
	}
	return []Fix{{
		score: 8, Kind: "route53",
		Title: fmt.Sprintf("Associate the private hosted zones %s with %s, so the shared interface endpoints answer its names", strings.Join(names, ", "), vpcPhrase(f.st, vpc)),
		Detail: "The endpoints' private DNS is off (they are shared from another VPC): the names resolve to them only in the VPCs associated with the private hosted zones that point the names at them. " +
			"The other VPC's route (transit gateway or peering) already carries the connection.",
		Commands: cmds,
		Scenario: scen.String(),
		apply: func(e *engine.Engine) error {
			for _, id := range ids {
				if err := e.AssociateVPCWithHostedZone(id, vpc); err != nil {
					return err
				}
			}
			return nil
		},
	}}
}
