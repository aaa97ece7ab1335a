package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// TestRoute53RoutingPolicies29: failover, latency, geolocation and
// multivalue answer records keep their policy (and health check) through
// ListResourceRecordSets, as Route 53 answers them; each is its own record
// set by SetIdentifier.
func TestRoute53RoutingPolicies29(t *testing.T) {
	em := newEmulator(t, nil)
	r := route53Client(em.URL)
	z, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("policies.example"), CallerReference: aws.String("ref-29")})
	must(t, err)
	hc, err := r.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("main-29"),
		HealthCheckConfig: &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeHttp, IPAddress: aws.String("192.0.2.10")}})
	must(t, err)
	hcID := aws.ToString(hc.HealthCheck.Id)
	rec := func(name, id string, set func(*r53types.ResourceRecordSet)) r53types.Change {
		rrs := &r53types.ResourceRecordSet{Name: aws.String(name), Type: r53types.RRTypeA, TTL: aws.Int64(60), SetIdentifier: aws.String(id),
			ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("192.0.2.10")}}}
		set(rrs)
		return r53types.Change{Action: r53types.ChangeActionCreate, ResourceRecordSet: rrs}
	}
	_, err = r.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: z.HostedZone.Id, ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{
		rec("fo.policies.example", "backup", func(x *r53types.ResourceRecordSet) { x.Failover = r53types.ResourceRecordSetFailoverSecondary }),
		rec("fo.policies.example", "main", func(x *r53types.ResourceRecordSet) {
			x.Failover, x.HealthCheckId = r53types.ResourceRecordSetFailoverPrimary, aws.String(hcID)
		}),
		rec("lat.policies.example", "eu", func(x *r53types.ResourceRecordSet) { x.Region = r53types.ResourceRecordSetRegionEuWest1 }),
		rec("geo.policies.example", "de", func(x *r53types.ResourceRecordSet) {
			x.GeoLocation = &r53types.GeoLocation{CountryCode: aws.String("DE")}
		}),
		rec("geo.policies.example", "rest", func(x *r53types.ResourceRecordSet) {
			x.GeoLocation = &r53types.GeoLocation{CountryCode: aws.String("*")}
		}),
		rec("mv.policies.example", "one", func(x *r53types.ResourceRecordSet) { x.MultiValueAnswer = aws.Bool(true) }),
	}}})
	must(t, err)
	out, err := r.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: z.HostedZone.Id})
	must(t, err)
	got := map[string]r53types.ResourceRecordSet{}
	for _, x := range out.ResourceRecordSets {
		if x.SetIdentifier != nil {
			got[aws.ToString(x.SetIdentifier)] = x
		}
	}
	if x := got["main"]; x.Failover != r53types.ResourceRecordSetFailoverPrimary || aws.ToString(x.HealthCheckId) != hcID {
		t.Errorf("main: failover %q, health check %q", x.Failover, aws.ToString(x.HealthCheckId))
	}
	if x := got["backup"]; x.Failover != r53types.ResourceRecordSetFailoverSecondary || x.HealthCheckId != nil {
		t.Errorf("backup: failover %q, health check %v", x.Failover, x.HealthCheckId)
	}
	if x := got["eu"]; x.Region != r53types.ResourceRecordSetRegionEuWest1 {
		t.Errorf("eu: region %q", x.Region)
	}
	if x := got["de"]; x.GeoLocation == nil || aws.ToString(x.GeoLocation.CountryCode) != "DE" || x.GeoLocation.ContinentCode != nil {
		t.Errorf("de: geolocation %+v", x.GeoLocation)
	}
	if x := got["rest"]; x.GeoLocation == nil || aws.ToString(x.GeoLocation.CountryCode) != "*" {
		t.Errorf("rest: geolocation %+v", x.GeoLocation)
	}
	if x := got["one"]; !aws.ToBool(x.MultiValueAnswer) {
		t.Errorf("one: multivalue answer %v", x.MultiValueAnswer)
	}
}
