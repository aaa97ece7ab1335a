package snapshot_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/estate"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// describeOnly ignores what the describe-* calls do not show: user data,
// where applications bind inside containers, ECS's request-side network
// configuration of tasks, and engine bookkeeping.
var describeOnly = cmp.Options{
	cmpopts.EquateEmpty(),
	cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}),
	// AutoPublicIP: a snapshot tells an address from AWS's pool from an
	// Elastic IP (IpOwnerId), not a scenario's fixed public IP from either;
	// describe-volumes is not collected.
	cmpopts.IgnoreFields(model.Instance{}, "StateReason", "LaunchTemplate", "AutoPublicIP", "Volumes"),
	cmpopts.IgnoreFields(model.Cluster{}, "CreatedAt"),
	cmpopts.IgnoreFields(model.TargetGroup{}, "CreatedAt", "Tags"),
	cmpopts.IgnoreFields(model.LoadBalancer{}, "Tags"), // elbv2 describe-tags, not read
	// Activities come from describe-scaling-activities, which is not collected.
	cmpopts.IgnoreFields(model.AutoScalingGroup{}, "FixedPublicIPs", "LaunchCount", "LastActivity", "Activities"),
	cmpopts.IgnoreFields(model.Task{}, "NextTransition", "Network"),
	cmpopts.IgnoreFields(model.NatGateway{}, "NextTransition"),
	cmpopts.IgnoreFields(model.ContainerDefinition{}, "ListenAddress", "Raw"),
	cmpopts.IgnoreFields(model.TaskDefinition{}, "Raw"),
	cmpopts.IgnoreFields(model.Service{}, "Events", "ClientToken"),
	cmpopts.IgnoreFields(model.Target{}, "RegisteredAt"),
	cmp.Transformer("targets", func(l model.TargetList) []model.Target { return l.Slice() }),
	cmpopts.IgnoreFields(model.SecurityGroupRule{}, "ID"), // describe-security-group-rules has them; describe-security-groups does not
	cmpopts.IgnoreFields(model.State{}, "AccountSettings", "CapacityProviders", "InsightsPaths", "InsightsAnalyses", "Volumes"),
	cmp.Comparer(func(a, b time.Time) bool { return a.Truncate(time.Microsecond).Equal(b.Truncate(time.Microsecond)) }),
}

// roundTrip writes st as a snapshot, loads it back and returns the state.
func roundTrip(t testing.TB, st *model.State) (*model.State, *snapshot.Result) {
	t.Helper()
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	res, err := snapshot.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := res.Engine.Snapshot()
	return got, res
}

func TestRoundTripEstate(t *testing.T) {
	e, err := estate.Build(estate.Small())
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.Snapshot()
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if diff := cmp.Diff(st, got, describeOnly); diff != "" {
		t.Errorf("state after Write and Load (-want +got):\n%s", diff)
	}
}

func TestRoundTripSeedScenarios(t *testing.T) {
	for _, name := range []string{"article", "alb", "bridge", "fargate"} {
		t.Run(name, func(t *testing.T) {
			sc, err := scenario.Load("../../examples/seed/" + name + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			built, err := sc.Build()
			if err != nil {
				t.Fatal(err)
			}
			st, _ := built.Engine.Snapshot()
			got, res := roundTrip(t, st)
			for _, w := range res.Warnings {
				t.Errorf("warning: %s", w)
			}
			if diff := cmp.Diff(st, got, describeOnly); diff != "" {
				t.Errorf("state after Write and Load (-want +got):\n%s", diff)
			}
		})
	}
}

// A dual-stack system survives Write and Load: the VPC's and subnets'
// IPv6 blocks, interface and task IPv6 addresses, IPv6 rules, network
// ACL entries and routes, the egress-only gateway.
func TestRoundTripDualStack(t *testing.T) {
	st := scenarioState(t, "../../examples/ipv6/dual-stack.yaml")
	if len(st.EgressOnlyIGWs) == 0 {
		t.Fatal("the scenario has no egress-only gateway")
	}
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if diff := cmp.Diff(st, got, describeOnly); diff != "" {
		t.Errorf("state after Write and Load (-want +got):\n%s", diff)
	}
}

// A dual-stack subnet's EnableDns64 (describe-subnets) survives Write and
// Load: the Resolver's AAAA answers for IPv4-only names depend on it.
func TestRoundTripDNS64(t *testing.T) {
	st := scenarioState(t, "../../examples/ipv6/dual-stack.yaml")
	n := 0
	for _, s := range st.Subnets {
		if len(s.IPv6) > 0 {
			s.EnableDNS64 = true
			n++
		}
	}
	if n == 0 {
		t.Fatal("the scenario has no dual-stack subnet")
	}
	got, _ := roundTrip(t, st)
	for id, s := range st.Subnets {
		if g := got.Subnets[id]; g == nil || g.EnableDNS64 != s.EnableDNS64 {
			t.Errorf("subnet %s: EnableDNS64 after Write and Load %v, want %v", id, g != nil && g.EnableDNS64, s.EnableDNS64)
		}
	}
}

// A launch template's MetadataOptions (describe-launch-template-versions)
// survive Write and Load: the hop limit the instances it launches get.
func TestRoundTripLaunchTemplateMetadata(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/imds-hop-limit-bridge-container.yaml")
	n := 0
	got, _ := roundTrip(t, st)
	for id, lt := range st.LaunchTemplates {
		for i, v := range lt.Versions {
			if v.Data.Metadata == nil {
				continue
			}
			n++
			g := got.LaunchTemplates[id]
			if g == nil || len(g.Versions) <= i || !reflect.DeepEqual(g.Versions[i].Data.Metadata, v.Data.Metadata) {
				t.Errorf("launch template %s version %d: metadata options after Write and Load differ from %+v", id, v.Number, *v.Data.Metadata)
			}
		}
	}
	if n == 0 {
		t.Fatal("the scenario has no launch template with metadata options")
	}
}

// A snapshot without describe-egress-only-internet-gateways (collectors
// before IPv6 support did not make the call) still has the egress-only
// gateway its routes name: one exists for its VPC's whole life.
func TestEgressOnlyGatewayImpliedByRoute(t *testing.T) {
	st := scenarioState(t, "../../examples/ipv6/dual-stack.yaml")
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "aws_configs", st.Region, "ec2-describe-egress-only-internet-gateways.json")); err != nil {
		t.Fatal(err)
	}
	res, err := snapshot.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := res.Engine.Snapshot()
	if diff := cmp.Diff(st.EgressOnlyIGWs, got.EgressOnlyIGWs, cmpopts.IgnoreFields(model.EgressOnlyInternetGateway{}, "Tags")); diff != "" {
		t.Errorf("egress-only gateways (-want +got):\n%s", diff)
	}
}

// Cloud Map survives Write and Load: the namespace (its VPC found from
// where its instances live, as Cloud Map's answers do not name it), the
// service, its instances and the ECS service's serviceRegistries, so a
// Cloud Map name answers the same on the snapshot as on the scenario.
func TestRoundTripCloudMap(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/cloud-map-name.yaml")
	if len(st.Namespaces) != 1 || len(st.DiscoveryServices) != 1 || len(st.DiscoveryInstances) != 2 {
		t.Fatalf("the scenario has %d namespaces, %d services, %d instances", len(st.Namespaces), len(st.DiscoveryServices), len(st.DiscoveryInstances))
	}
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	cloudMapOnly := append(cmp.Options{}, describeOnly...)
	cloudMapOnly = append(cloudMapOnly,
		// Not in list-namespaces, get-service or list-instances: tags
		// (ListTagsForResource), operations, revisions and service
		// attributes, registration times.
		cmpopts.IgnoreFields(model.Namespace{}, "Tags", "OperationID"),
		cmpopts.IgnoreFields(model.DiscoveryService{}, "Tags", "InstancesRevision", "Attributes"),
		cmpopts.IgnoreFields(model.DiscoveryInstance{}, "RegisteredAt"),
		cmpopts.IgnoreFields(model.State{}, "DiscoveryOperations"))
	if diff := cmp.Diff(st, got, cloudMapOnly); diff != "" {
		t.Errorf("state after Write and Load (-want +got):\n%s", diff)
	}
	for _, s := range []*model.State{st, got} {
		n := reach.Compile(s)
		q, err := reach.NewQuery(n, "web", "api.internal:8080", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		r := reach.Probe(n, q)
		if r.Verdict != reach.Timeout || r.Explanations[0].Code != reach.CodeSGRulesMismatch {
			t.Errorf("web → api.internal:8080: %s %+v", r.Verdict, r.Explanations)
		}
	}
	// Without Cloud Map's files, the service's registry is named in a
	// warning and the name does not resolve.
	dir := t.TempDir()
	if err := snapshot.Write(dir, st); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "aws_configs", st.Region, "servicediscovery-*.json"))
	if len(files) != 3 {
		t.Fatalf("Cloud Map files: %v", files)
	}
	for _, f := range files {
		os.Remove(f)
	}
	res, err := snapshot.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || (w.Code == snapshot.CodeMissing && strings.Contains(w.Message, "registers with Cloud Map"))
	}
	if !warned {
		t.Errorf("no warning about the missing Cloud Map output: %v", res.Warnings)
	}
	got, _ = res.Engine.Snapshot()
	if _, err := reach.NewQuery(reach.Compile(got), "web", "api.internal:8080", "tcp"); err == nil {
		t.Error("api.internal resolves without Cloud Map's output")
	}
}

// A dualstack ALB survives Write and Load (its IpAddressType, its nodes'
// IPv6 addresses in describe-network-interfaces), and an IPv6 client
// reaches it on the snapshot as on the state.
func TestRoundTripDualStackALB(t *testing.T) {
	st := scenarioState(t, "../reach/testdata/alb-dualstack.yaml")
	for _, lb := range st.LoadBalancers {
		for _, node := range lb.Nodes {
			// As AWS gives a dualstack load balancer's nodes (when the
			// engine has not): an address of the subnet's /64.
			e := *st.NetworkInterfaces[node.ENI]
			if len(e.IPv6) == 0 {
				a := st.Subnets[node.SubnetID].IPv6[0].CIDR.Addr().As16()
				a[15] = 0x10
				e.IPv6 = []netip.Addr{netip.AddrFrom16(a)}
				st.NetworkInterfaces[e.ID] = &e
			}
		}
	}
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if diff := cmp.Diff(st, got, describeOnly); diff != "" {
		t.Errorf("state after Write and Load (-want +got):\n%s", diff)
	}
	for _, s := range []*model.State{st, got} {
		n := reach.Compile(s)
		q, err := reach.NewQuery(n, "internet", "web-alb:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		q.IPv6 = true
		if r := reach.Probe(n, q); r.Verdict != reach.HTTP200 {
			t.Errorf("internet → web-alb:80 over IPv6: %s", r.Summary)
		}
	}
}

// A Service Connect configuration survives the snapshot (in the
// deployments, as DescribeServices answers it): the client still
// reaches the endpoint, the service without it still does not.
func TestRoundTripServiceConnect(t *testing.T) {
	sc, err := scenario.Load("../../examples/failures/analyzer-only/service-connect-client-off.yaml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build()
	if err != nil {
		t.Fatal(err)
	}
	st, _ := b.Engine.Snapshot()
	got, _ := roundTrip(t, st)
	for arn, s := range st.Services {
		g := got.Services[arn]
		if g == nil || (s.ServiceConnectConfig == nil) != (g.ServiceConnectConfig == nil) {
			t.Fatalf("%s: Service Connect %+v, want %+v", s.Name, g, s.ServiceConnectConfig)
		}
		if d := cmp.Diff(s.ServiceConnectConfig, g.ServiceConnectConfig, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s: Service Connect (-want +got):\n%s", s.Name, d)
		}
	}
	n := reach.Compile(got)
	for _, c := range []struct {
		from string
		want reach.Verdict
	}{{"checkout", reach.Connected}, {"orders", reach.NXDomain}} {
		q, err := reach.NewQuery(n, c.from, "ledger.shop:80", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if r := reach.Probe(n, q); r.Verdict != c.want {
			t.Errorf("%s → ledger.shop:80 = %s, want %s: %s", c.from, r.Verdict, c.want, r.Summary)
		}
	}
}
