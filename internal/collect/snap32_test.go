package collect_test

import (
	"context"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// serveScenario loads a scenario into ecsnet serve and returns the server
// and its URL, the environment set for collect's credential chain.
func serveScenario(t *testing.T, path string) (*server.Server, string) {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	srv, url := startServe(t)
	if err := srv.LoadScenario(sc); err != nil {
		t.Fatal(err)
	}
	testCredentials(t)
	return srv, url
}

// collectBoth collects a snapshot from the endpoint and returns the live
// state (read after the collection) and the snapshot's; each of the
// snapshot's warnings fails the test but those expected reports (nil:
// none is).
func collectBoth(t *testing.T, srv *server.Server, url string, expected func(snapshot.Warning) bool) (live, snap *model.State, res *snapshot.Result) {
	t.Helper()
	out := t.TempDir()
	if _, err := collect.Run(context.Background(), collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out}); err != nil {
		t.Fatal(err)
	}
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	live, _ = e.Snapshot()
	res, err = snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if expected == nil || !expected(w) {
			t.Errorf("warning: %s", w)
		}
	}
	snap, _ = res.Engine.Snapshot()
	return live, snap, res
}

func groupNamed(t *testing.T, st *model.State, name string) string {
	t.Helper()
	for id, g := range st.SecurityGroups {
		if g.Name == name {
			return string(id)
		}
	}
	t.Fatalf("no security group %s", name)
	return ""
}

// Security group rules that name prefix lists decide the same from a
// collected snapshot as live: CloudFront's origin-facing list (AWS's) and
// a customer-managed list (CreateManagedPrefixList), read from
// describe-managed-prefix-lists and each list's
// get-managed-prefix-list-entries. Before round thirty-two the
// customer-managed list was not collected: the partner's monitor, which
// reaches the ALB live, timed out at the ALB's group in the snapshot.
func TestCollectManagedPrefixListsFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/cloudfront-prefix-list.yaml")
	ctx := context.Background()
	e := ec2.NewFromConfig(sdkConfig(t, url))
	pl := must[*ec2.CreateManagedPrefixListOutput](t)(e.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("partners"),
		AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(5),
		Entries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("198.51.100.0/24"), Description: aws.String("uptime monitor")}}})).PrefixList
	eng, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	st0, _ := eng.Snapshot()
	must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(groupNamed(t, st0, "alb-sg")),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
			PrefixListIds: []ec2types.PrefixListId{{PrefixListId: pl.PrefixListId}}}}}))

	live, snap, res := collectBoth(t, srv, url, nil)
	for id, l := range live.PrefixLists {
		s := snap.PrefixLists[id]
		if s == nil || !slices.Equal(s.CIDRs, l.CIDRs) || s.Owner != l.Owner || s.Name != l.Name {
			t.Errorf("prefix list %s: snapshot %+v, live %+v", id, s, l)
		}
	}
	for _, p := range []struct {
		from string
		want reach.Verdict
	}{
		{"internet:130.176.0.9", "http 200"},  // a CloudFront origin-facing server
		{"internet:198.51.100.7", "http 200"}, // the partner's monitor, in the customer-managed list
		{"internet:203.0.113.9", reach.Timeout},
	} {
		l, s := probeState(t, live, p.from, "web-alb:80"), probeState(t, snap, p.from, "web-alb:80")
		if l.Verdict != s.Verdict || causeOf(l.Summary) != causeOf(s.Summary) {
			t.Errorf("%s → web-alb:80: live %s, snapshot %s\nlive     %s\nsnapshot %s", p.from, l.Verdict, s.Verdict, l.Summary, s.Summary)
		}
		if l.Verdict != p.want {
			t.Errorf("%s → web-alb:80: live %s, want %s", p.from, l.Verdict, p.want)
		}
		if u := res.UndecidedBy(s); len(u) != 0 {
			t.Errorf("%s → web-alb:80 undecided: %v", p.from, u)
		}
	}
}

// An endpoint service's allowed principals
// (describe-vpc-endpoint-service-permissions) are in a collected
// snapshot: exposure's PrivateLink report says the same as live.
func TestCollectEndpointServicePermissionsFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/analyzer-only/privatelink-pending-acceptance.yaml")
	ctx := context.Background()
	e := ec2.NewFromConfig(sdkConfig(t, url))
	svcs := must[*ec2.DescribeVpcEndpointServiceConfigurationsOutput](t)(e.DescribeVpcEndpointServiceConfigurations(ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{}))
	if len(svcs.ServiceConfigurations) != 1 {
		t.Fatalf("%d endpoint services", len(svcs.ServiceConfigurations))
	}
	must[*ec2.ModifyVpcEndpointServicePermissionsOutput](t)(e.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{
		ServiceId: svcs.ServiceConfigurations[0].ServiceId, AddAllowedPrincipals: []string{"arn:aws:iam::111122223333:root"}}))

	live, snap, _ := collectBoth(t, srv, url, nil)
	for id, l := range live.EndpointServices {
		if s := snap.EndpointServices[id]; s == nil || !reflect.DeepEqual(s.Principals, l.Principals) {
			t.Errorf("endpoint service %s: snapshot principals %+v, live %+v", id, s, l.Principals)
		}
	}
	privateLink := func(st *model.State) string {
		b, _ := json.Marshal(reach.Exposure(reach.Compile(st)).PrivateLink)
		return string(b)
	}
	if l, s := privateLink(live), privateLink(snap); l != s {
		t.Errorf("exposure's PrivateLink:\nlive     %s\nsnapshot %s", l, s)
	}
}

// A Classic Load Balancer's attributes (describe-load-balancer-attributes:
// cross-zone load balancing, connection draining, idle timeout) and
// policies (describe-load-balancer-policies: proxy protocol on an
// instance port) are in a collected snapshot, and the probes the
// cross-zone setting decides agree: before round thirty-two the snapshot
// took every Classic Load Balancer as cross-zone, so the node in the zone
// without an instance answered 200 there and 503 live.
func TestCollectClassicAttributesFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/failures/clb-cross-zone-off.yaml")
	ctx := context.Background()
	c := elb.NewFromConfig(sdkConfig(t, url))
	must[*elb.ModifyLoadBalancerAttributesOutput](t)(c.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("web-elb"),
		LoadBalancerAttributes: &elbtypes.LoadBalancerAttributes{ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(120)},
			ConnectionSettings: &elbtypes.ConnectionSettings{IdleTimeout: aws.Int32(120)}}}))
	must[*elb.CreateLoadBalancerPolicyOutput](t)(c.CreateLoadBalancerPolicy(ctx, &elb.CreateLoadBalancerPolicyInput{LoadBalancerName: aws.String("web-elb"),
		PolicyName: aws.String("proxy"), PolicyTypeName: aws.String("ProxyProtocolPolicyType"),
		PolicyAttributes: []elbtypes.PolicyAttribute{{AttributeName: aws.String("ProxyProtocol"), AttributeValue: aws.String("true")}}}))
	eng, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	st0, _ := eng.Snapshot()
	port := st0.ClassicLoadBalancers["web-elb"].Listeners[0].InstancePort
	must[*elb.SetLoadBalancerPoliciesForBackendServerOutput](t)(c.SetLoadBalancerPoliciesForBackendServer(ctx, &elb.SetLoadBalancerPoliciesForBackendServerInput{
		LoadBalancerName: aws.String("web-elb"), InstancePort: aws.Int32(int32(port)), PolicyNames: []string{"proxy"}}))

	live, snap, res := collectBoth(t, srv, url, nil)
	l, s := live.ClassicLoadBalancers["web-elb"], snap.ClassicLoadBalancers["web-elb"]
	if s == nil {
		t.Fatal("web-elb is not in the snapshot")
	}
	// The model keeps the attributes set; one set to AWS's default means
	// the default.
	defaults := map[string]string{"CrossZoneLoadBalancing.Enabled": "false", "AccessLog.Enabled": "false", "ConnectionDraining.Enabled": "false",
		"ConnectionDraining.Timeout": "300", "ConnectionSettings.IdleTimeout": "60", "elb.http.desyncmitigationmode": "defensive"}
	set := func(m map[string]string) map[string]string {
		out := maps.Clone(m)
		maps.DeleteFunc(out, func(k, v string) bool { return defaults[k] == v })
		return out
	}
	if a, b := set(l.Attributes), set(s.Attributes); !maps.Equal(a, b) || a["ConnectionSettings.IdleTimeout"] != "120" {
		t.Errorf("attributes: snapshot %v, live %v", b, a)
	}
	if !reflect.DeepEqual(s.Policies, l.Policies) || !reflect.DeepEqual(s.BackendPolicies, l.BackendPolicies) || len(l.BackendPolicies) != 1 {
		t.Errorf("policies: snapshot %+v %v, live %+v %v", s.Policies, s.BackendPolicies, l.Policies, l.BackendPolicies)
	}
	sc, err := scenario.Load("../../examples/failures/clb-cross-zone-off.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range sc.Expect {
		lr, sr := probeExpectation(t, live, x), probeExpectation(t, snap, x)
		if string(lr.Verdict) != x.Verdict || sr.Verdict != lr.Verdict {
			t.Errorf("%s → %s: live %s, snapshot %s, want %s", x.From, x.To, lr.Verdict, sr.Verdict, x.Verdict)
		}
		if u := res.UndecidedBy(sr); len(u) != 0 {
			t.Errorf("%s → %s undecided: %v", x.From, x.To, u)
		}
	}
}
