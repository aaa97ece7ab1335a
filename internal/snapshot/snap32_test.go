package snapshot_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// An ENI in an IPv6-only subnet has IPv6 addresses and no private IPv4
// address (VPC user guide, "IPv6-only subnets"): the snapshot loads it
// without the "no private IPv4 address" warning, and it stays reachable
// by its IPv6 address.
func TestIPv6OnlyENINotWarned(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/ipv6-only-subnet-no-dns64.yaml")
	var sub *model.Subnet
	for _, s := range st.Subnets {
		if s.IPv6Native {
			sub = s
		}
	}
	if sub == nil || len(sub.IPv6) == 0 {
		t.Fatal("the scenario has no IPv6-only subnet")
	}
	addr := sub.IPv6[0].CIDR.Addr().Next().Next().Next().Next().Next()
	var groups []model.SecurityGroupID
	for id, g := range st.SecurityGroups {
		if g.VpcID == sub.VpcID && g.Name != "default" {
			groups = append(groups, id)
		}
	}
	st.NetworkInterfaces["eni-0a1b2c3d4e5f60718"] = &model.NetworkInterface{ID: "eni-0a1b2c3d4e5f60718", SubnetID: sub.ID, VpcID: sub.VpcID,
		AvailabilityZone: sub.AvailabilityZone, Description: "an IPv6-only ENI", Type: "interface", MAC: "0a:1b:2c:3d:4e:5f",
		IPv6: []netip.Addr{addr}, SecurityGroups: groups, SourceDestCheck: true, OwnerID: st.Account}
	dir, _ := writeSnapshot(t, st)
	res := load(t, dir)
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, "eni-0a1b2c3d4e5f60718") {
			t.Errorf("warning: %s", w)
		}
	}
	got := state(res).NetworkInterfaces["eni-0a1b2c3d4e5f60718"]
	if got == nil || !slices.Equal(got.IPv6, []netip.Addr{addr}) || len(got.PrivateIPs) != 0 {
		t.Errorf("the IPv6-only ENI after Write and Load: %+v", got)
	}

	// An ENI of an IPv4 subnet without an IPv4 address is still warned.
	ipv4 := "eni-0f1e2d3c4b5a69788"
	for _, s := range st.Subnets {
		if !s.IPv6Native {
			st.NetworkInterfaces[model.NetworkInterfaceID(ipv4)] = &model.NetworkInterface{ID: model.NetworkInterfaceID(ipv4), SubnetID: s.ID, VpcID: s.VpcID,
				AvailabilityZone: s.AvailabilityZone, Type: "interface", OwnerID: st.Account}
			break
		}
	}
	dir, _ = writeSnapshot(t, st)
	warned := false
	for _, w := range load(t, dir).Warnings {
		warned = warned || strings.Contains(w.Message, "ENI "+ipv4+" has no private IPv4 address")
	}
	if !warned {
		t.Errorf("no warning of %s, an ENI without an address in an IPv4 subnet", ipv4)
	}
}

// A snapshot whose collector made describe-target-group-attributes and
// describe-load-balancer-attributes (its manifest says so, or other
// groups' files are there) but that lacks one group's (or one load
// balancer's) file says so, names the resource, and leaves the probes
// through it undecided: AWS's defaults taken for preserve_client_ip or
// cross-zone load balancing may not be the group's.
func TestMissingAttributeFileWarned(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/nlb-preserve-ip-fargate.yaml")
	if len(st.TargetGroups) == 0 || len(st.LoadBalancers) == 0 {
		t.Fatal("the scenario has no target group or load balancer")
	}
	for _, kind := range []string{"target group", "load balancer"} {
		t.Run(kind, func(t *testing.T) {
			dir, region := writeSnapshot(t, st)
			var arn, file string
			for _, tg := range st.TargetGroups {
				if kind == "target group" {
					arn, file = tg.ARN, snapshot.TargetGroupAttributesFileName(tg.ARN)
				}
			}
			for _, lb := range st.LoadBalancers {
				if kind == "load balancer" {
					arn, file = lb.ARN, snapshot.LoadBalancerAttributesFileName(lb.ARN)
				}
			}
			if err := os.Remove(filepath.Join(region, file)); err != nil {
				t.Fatal(err)
			}
			// Without a manifest, a snapshot without the file is one
			// from before attributes were collected: AWS's defaults,
			// as always, without a word.
			for _, w := range load(t, dir).Warnings {
				t.Errorf("warning without a manifest: %s", w)
			}
			// The collector's manifest says the calls were made.
			writeFile(t, filepath.Join(dir, snapshot.ManifestName), `{"tool": "ecsnet collect", "startedAt": "2026-12-06T20:00:00Z", "regions": ["us-east-1"], "calls": [
				{"region": "us-east-1", "call": "elbv2 describe-target-group-attributes", "pages": 1, "items": 1},
				{"region": "us-east-1", "call": "elbv2 describe-load-balancer-attributes", "pages": 1, "items": 1}]}`)
			res := load(t, dir)
			var warned []snapshot.Warning
			for _, w := range res.Warnings {
				if w.Code == snapshot.CodeMissing && w.Resource == arn && strings.Contains(w.Message, file) {
					warned = append(warned, w)
				}
			}
			if len(warned) != 1 {
				t.Fatalf("warnings %v, want one naming %s's missing %s", res.Warnings, kind, file)
			}
			if warned[0].File == "" || warned[0].Line == 0 {
				t.Errorf("the warning has no position: %+v", warned[0])
			}
			if len(res.Undecided(arn)) == 0 {
				t.Errorf("%s %s is not undecided", kind, arn)
			}
		})
	}
	// With every file there, no warning.
	dir, _ := writeSnapshot(t, st)
	for _, w := range load(t, dir).Warnings {
		t.Errorf("warning with every attribute file: %s", w)
	}
}

// Customer-managed prefix lists round-trip: describe-managed-prefix-lists
// gives the owner, family, size and version, get-managed-prefix-list-entries
// the CIDRs. Without a list's entries file, a rule naming it is undecided
// (it matches nothing the snapshot knows), with a warning at the rule.
func TestManagedPrefixListEntries(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/cloudfront-prefix-list.yaml")
	pl := &model.PrefixList{ID: "pl-0a1b2c3d4e5f60718", Name: "partners", CIDRs: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")},
		Owner: st.Account, AddressFamily: "IPv4", MaxEntries: 5, Version: 1, Descriptions: []string{"uptime monitor"}}
	st.PrefixLists[pl.ID] = pl
	var alb *model.SecurityGroup
	for _, g := range st.SecurityGroups {
		if g.Name == "alb-sg" {
			alb = g
		}
	}
	alb.Ingress = append(alb.Ingress, model.SecurityGroupRule{Protocol: model.TCP, Ports: model.PortRange{First: 80, Last: 80}, PrefixList: pl.ID})
	if v := probe(t, st, "internet:198.51.100.7", "web-alb:80").Verdict; !v.Reachable() {
		t.Fatalf("live: the partner's monitor → web-alb:80 = %s", v)
	}

	dir, region := writeSnapshot(t, st)
	res := load(t, dir)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	got := state(res)
	if g := got.PrefixLists[pl.ID]; g == nil || g.Owner != pl.Owner || g.MaxEntries != 5 || g.Version != 1 || !slices.Equal(g.CIDRs, pl.CIDRs) ||
		!slices.Equal(g.Descriptions, pl.Descriptions) {
		t.Errorf("the customer-managed list after Write and Load: %+v, want %+v", g, pl)
	}
	for _, p := range [][2]string{{"internet:198.51.100.7", "web-alb:80"}, {"internet:130.176.0.9", "web-alb:80"}, {"internet:203.0.113.9", "web-alb:80"}} {
		l, s := probe(t, st, p[0], p[1]), probe(t, got, p[0], p[1])
		if l.Verdict != s.Verdict {
			t.Errorf("%s → %s: live %s, snapshot %s", p[0], p[1], l.Verdict, s.Verdict)
		}
		if u := res.UndecidedBy(s); len(u) != 0 {
			t.Errorf("%s → %s undecided: %v", p[0], p[1], u)
		}
	}

	if err := os.Remove(filepath.Join(region, snapshot.ManagedPrefixListEntriesFileName(string(pl.ID)))); err != nil {
		t.Fatal(err)
	}
	res = load(t, dir)
	var warned bool
	for _, w := range res.Warnings {
		warned = warned || w.Code == snapshot.CodeMissing && w.Resource == string(alb.ID) && strings.Contains(w.Message, string(pl.ID)) &&
			strings.Contains(w.Message, "get-managed-prefix-list-entries")
	}
	if !warned {
		t.Errorf("no warning names the rule's prefix list without entries: %v", res.Warnings)
	}
	if s := probe(t, state(res), "internet:198.51.100.7", "web-alb:80"); len(res.UndecidedBy(s)) == 0 {
		t.Errorf("without the list's entries, the partner's monitor → web-alb:80 is decided: %s", s.Verdict)
	}
}

// An endpoint service's allowed principals round-trip through Write and
// Load (describe-vpc-endpoint-service-permissions), and an endpoint of
// another account in describe-vpc-endpoint-connections is named in a
// warning (ecsnet models the snapshot's account's endpoints only), while
// one of the account is not.
func TestEndpointServicePermissionsAndConnections(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/privatelink-pending-acceptance.yaml")
	var svc *model.EndpointServiceConfig
	for _, s := range st.EndpointServices {
		svc = s
	}
	if svc == nil {
		t.Fatal("the scenario has no endpoint service")
	}
	svc.Principals = []model.EndpointServicePrincipal{{ARN: "arn:aws:iam::111122223333:root", PermissionID: "vpce-svc-perm-0a1b2c3d4e5f60718"}}
	var own string
	for id := range st.VpcEndpoints {
		own = string(id)
	}
	dir, region := writeSnapshot(t, st)
	writeFile(t, filepath.Join(region, "ec2-describe-vpc-endpoint-connections.json"), `{"VpcEndpointConnections": [
		{"ServiceId": "`+string(svc.ID)+`", "VpcEndpointId": "`+own+`", "VpcEndpointOwner": "`+st.Account+`", "VpcEndpointState": "pendingAcceptance"},
		{"ServiceId": "`+string(svc.ID)+`", "VpcEndpointId": "vpce-0f1e2d3c4b5a69788", "VpcEndpointOwner": "111122223333", "VpcEndpointState": "available"}]}`)
	res := load(t, dir)
	var foreign int
	for _, w := range res.Warnings {
		switch {
		case w.Code == snapshot.CodeUnsupported && w.Resource == "vpce-0f1e2d3c4b5a69788" && strings.Contains(w.Message, "account 111122223333"):
			foreign++
		default:
			t.Errorf("warning: %s", w)
		}
	}
	if foreign != 1 {
		t.Errorf("%d warnings name the other account's endpoint, want 1", foreign)
	}
	got := state(res).EndpointServices[svc.ID]
	if got == nil || !slices.Equal(got.Principals, svc.Principals) {
		t.Errorf("the service's principals after Write and Load: %+v, want %+v", got, svc.Principals)
	}
}
