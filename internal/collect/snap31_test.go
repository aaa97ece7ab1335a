package collect_test

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// Target group and load balancer attributes and instances' IMDS options
// decide verdicts: a snapshot collected from ecsnet serve holding a system
// that sets them probes as the live system does. Without describe-target-group-attributes the
// NLB's ip targets would be taken as not keeping the client's address (the
// task's group admits the NLB's, so the probe would connect), and without
// describe-load-balancer-attributes the NLB's cross-zone load balancing
// would be taken as off (the node in the zone without targets would drop);
// without describe-instances' MetadataOptions the instance's hop limit of 1
// would be taken as AWS's launch default of 2.
func TestCollectVerdictInputsFromServe(t *testing.T) {
	crossZone, err := os.ReadFile("../../examples/failures/nlb-cross-zone-off.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The same NLB with cross-zone load balancing on: both nodes reach
	// the target.
	on := strings.Replace(string(crossZone), "    type: network\n", "    type: network\n    cross_zone: true\n", 1)
	on = strings.Replace(on, "    verdict: timeout\n    cause: ELBV2_NO_TARGETS_IN_AZ\n", "    verdict: connected\n", 1)
	if on == string(crossZone) {
		t.Fatal("the cross-zone example changed: update the test")
	}
	onPath := filepath.Join(t.TempDir(), "nlb-cross-zone-on.yaml")
	if err := os.WriteFile(onPath, []byte(on), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"../../examples/failures/nlb-preserve-ip-fargate.yaml", onPath,
		"../../examples/failures/analyzer-only/imds-hop-limit-bridge-container.yaml",
		// Container definitions' log configurations: the start path's
		// awslogs and splunk findings.
		"../../examples/failures/logs-no-endpoint.yaml", "../../examples/failures/splunk-log-driver-private-no-nat.yaml",
		// An IPv6-only subnet (no IPv4 CIDR): DNS64 and NAT64.
		"../../examples/failures/analyzer-only/ipv6-only-subnet-no-dns64.yaml",
		// A VPC's DHCP options with DNS servers of its own (not
		// custom-dns-endpoints.yaml: whether the servers forward to the
		// Route 53 Resolver is ecsnet's addition, no AWS state).
		"../../examples/failures/analyzer-only/custom-dns-server-sg-task-subnets.yaml"} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			sc, err := scenario.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			srv, url := startServe(t)
			if err := srv.LoadScenario(sc); err != nil {
				t.Fatal(err)
			}
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
			t.Setenv("AWS_CONFIG_FILE", "/dev/null")
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
			t.Setenv("AWS_PROFILE", "")
			// The tasks of the IPv6-only subnet's service stop before
			// they run (the step loop goes on while collect reads), so an
			// ENI of one may be caught after its task left
			// describe-tasks: the reader's warning is right, and a real
			// account's snapshot races the same way. An IPv6-only ENI
			// itself is read without a warning since round thirty-two.
			live, snap, res := collectBoth(t, srv, url, func(w snapshot.Warning) bool {
				return strings.Contains(path, "ipv6-only") && strings.Contains(w.Message, "whose task is not in describe-tasks")
			})
			for _, tg := range live.TargetGroups {
				if s := snap.TargetGroups[tg.ARN]; s == nil {
					t.Errorf("target group %s is not in the snapshot", tg.Name)
				} else if !maps.Equal(s.Attributes, tg.Attributes) {
					t.Errorf("target group %s: snapshot attributes %v, live %v", tg.Name, s.Attributes, tg.Attributes)
				}
			}
			for _, in := range live.Instances {
				if s := snap.Instances[in.ID]; s == nil {
					t.Errorf("instance %s is not in the snapshot", in.ID)
				} else if !reflect.DeepEqual(s.Metadata, in.Metadata) {
					t.Errorf("instance %s: snapshot metadata options %+v, live %+v", in.ID, s.Metadata, in.Metadata)
				}
			}
			for _, v := range live.VPCs {
				if s := snap.VPCs[v.ID]; s == nil {
					t.Errorf("VPC %s is not in the snapshot", v.ID)
				} else if lo, so := live.DhcpOptions[v.DhcpOptions], snap.DhcpOptions[s.DhcpOptions]; s.DhcpOptions != v.DhcpOptions ||
					(lo == nil) != (so == nil) || (lo != nil && !reflect.DeepEqual(lo.Options, so.Options)) {
					t.Errorf("VPC %s: snapshot DHCP options %s %+v, live %s %+v", v.ID, s.DhcpOptions, so, v.DhcpOptions, lo)
				}
			}
			for _, sn := range live.Subnets {
				if s := snap.Subnets[sn.ID]; s == nil {
					t.Errorf("subnet %s is not in the snapshot", sn.ID)
				} else if s.IPv6Native != sn.IPv6Native || s.CIDR != sn.CIDR || !reflect.DeepEqual(s.IPv6, sn.IPv6) || s.EnableDNS64 != sn.EnableDNS64 {
					t.Errorf("subnet %s: snapshot %+v, live %+v", sn.ID, s, sn)
				}
			}
			for _, lb := range live.LoadBalancers {
				if s := snap.LoadBalancers[lb.ARN]; s == nil {
					t.Errorf("load balancer %s is not in the snapshot", lb.Name)
				} else if s.CrossZone != lb.CrossZone || !maps.Equal(s.Attributes, lb.Attributes) {
					t.Errorf("load balancer %s: snapshot cross-zone %v attributes %v, live %v %v", lb.Name, s.CrossZone, s.Attributes, lb.CrossZone, lb.Attributes)
				}
			}
			if len(sc.Expect) == 0 {
				t.Fatal("the scenario expects nothing")
			}
			for _, x := range sc.Expect {
				if x.Verdict == "unknown" {
					// ecsnet check's unknown: the service's tasks stop
					// before they run, so what the live state holds
					// moves with serve's step loop; the snapshot must
					// still say why (the IPv6-only subnet).
					s := queryError(snap, x)
					if s == "" {
						s = probeExpectation(t, snap, x).Summary
					}
					if !strings.Contains(s, "is IPv6-only") {
						t.Errorf("%s → %s: snapshot %s", x.From, x.To, s)
					}
					continue
				}
				l, s := probeExpectation(t, live, x), probeExpectation(t, snap, x)
				if string(l.Verdict) != x.Verdict || s.Verdict != l.Verdict {
					t.Errorf("%s → %s: live %s, snapshot %s, want %s", x.From, x.To, l.Verdict, s.Verdict, x.Verdict)
				}
				if causeOf(l.Summary) != causeOf(s.Summary) {
					t.Errorf("%s → %s summaries differ:\nlive     %s\nsnapshot %s", x.From, x.To, l.Summary, s.Summary)
				}
				if u := res.UndecidedBy(s); len(u) != 0 {
					t.Errorf("%s → %s undecided: %v", x.From, x.To, u)
				}
			}
		})
	}
}

// probeExpectation probes as ecsnet check probes a scenario's expectation.
func probeExpectation(t *testing.T, st *model.State, x scenario.Expectation) *reach.Result {
	t.Helper()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, x.From, x.To, x.Protocol)
	if err != nil {
		t.Fatalf("%s → %s: %v", x.From, x.To, err)
	}
	q.HTTPPath, q.HTTPHost, q.HTTPMethod, q.HTTPHeaders = x.Path, x.Host, x.Method, x.Header
	q.HTTPVersion, _ = reach.ParseHTTPVersion(x.HTTPVersion)
	q.IPv6 = x.IPv6
	return reach.Probe(n, q)
}

// causeOf is a probe summary from its cause on (the whole summary if it
// names none): a snapshot holds no IAM roles, so what ECS reports of a
// service's launch before the cause may differ.
func causeOf(summary string) string {
	if _, c, ok := strings.Cut(summary, "; the cause: "); ok {
		return c
	}
	return summary
}

// queryError is the error resolving an expectation's endpoints, "" if none.
func queryError(st *model.State, x scenario.Expectation) string {
	if _, err := reach.NewQuery(reach.Compile(st), x.From, x.To, x.Protocol); err != nil {
		return err.Error()
	}
	return ""
}
