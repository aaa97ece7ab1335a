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

// staleNodeRecord: a hosted zone's A record holds addresses that no
// network interface has any more (reach.CodeAddressNotAssigned), in the
// subnets of a load balancer: the addresses of its nodes someone copied
// into the record, which change as the load balancer scales ("Elastic
// Load Balancing updates the DNS entry"; Route 53 routes to a load
// balancer by an alias record). The record becomes an alias to that load
// balancer, verified by the name the probe asked for.
func (f *finder) staleNodeRecord(x reach.Explanation) []Fix {
	z, r, ok := f.q.Route53Record()
	if !ok || r == nil || r.Alias != nil || r.Type != "A" || !x.Address.IsValid() || !slices.Contains(r.Addrs, x.Address) {
		return nil
	}
	var out []Fix
	for _, arn := range slices.Sorted(maps.Keys(f.st.LoadBalancers)) {
		lb := f.st.LoadBalancers[arn]
		if lb.Type == "gateway" || lb.DNSName == "" || !slices.ContainsFunc(lb.Nodes, func(n model.LoadBalancerNode) bool {
			s := f.st.Subnets[n.SubnetID]
			return s != nil && s.CIDR.Contains(x.Address)
		}) {
			continue
		}
		in := engine.RecordSetInput{Name: r.Name, Type: "A", Alias: &model.AliasTarget{DNSName: strings.ToLower(lb.DNSName), HostedZoneID: lb.CanonicalHostedZoneID},
			SetIdentifier: r.SetIdentifier, Weight: r.Weight}
		vals := make([]string, len(r.Values))
		for i, v := range r.Values {
			vals[i] = `{"Value":"` + v + `"}`
		}
		zoneID, name, setID := z.ID, r.Name, r.SetIdentifier
		out = append(out, Fix{
			score: 12, Kind: "route53",
			Title: fmt.Sprintf("Make the record %s an alias to the load balancer %s instead of the addresses %s, which its nodes no longer have", r.Name, lb.Name, strings.Join(r.Values, ", ")),
			Detail: "A load balancer's nodes take addresses in its subnets and change them as it scales or is replaced; Elastic Load Balancing updates its DNS name, not a record that copied the addresses. " +
				"An alias record to the load balancer's DNSName and CanonicalHostedZoneId follows it.",
			Commands: []string{
				fmt.Sprintf(`aws route53 change-resource-record-sets --hosted-zone-id %s --change-batch '{"Changes":[{"Action":"DELETE","ResourceRecordSet":{"Name":"%s","Type":"A","TTL":%d,"ResourceRecords":[%s]}},{"Action":"CREATE","ResourceRecordSet":{"Name":"%s","Type":"A","AliasTarget":{"DNSName":"%s","HostedZoneId":"%s","EvaluateTargetHealth":false}}}]}'`,
					z.ID, r.Name, r.TTL, strings.Join(vals, ","), r.Name, strings.ToLower(lb.DNSName), lb.CanonicalHostedZoneID),
			},
			Scenario: scenarioRecord(z, model.RecordSet{Name: r.Name, Type: "A", Alias: in.Alias, SetIdentifier: r.SetIdentifier, Weight: r.Weight}),
			apply: func(e *engine.Engine) error {
				if err := e.DeleteRecordSet(zoneID, name, "A", func(x model.RecordSet) bool { return x.SetIdentifier == setID }); err != nil {
					return err
				}
				return e.UpsertRecordSet(zoneID, in)
			},
		})
	}
	return out
}
