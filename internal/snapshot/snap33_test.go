package snapshot_test

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// A hub-and-spoke network behind a transit gateway survives Write and
// Load: the gateway, its VPC attachments (subnets, options), the route
// table's static route, its association and propagation, and the
// attachment associated with nothing; the probes keep their verdicts and
// causes, none of them undecided.
func TestRoundTripTransitGateway(t *testing.T) {
	st := scenarioState(t, "../../examples/tgw/hub-and-spoke.yaml")
	if len(st.TransitGateways) != 1 || len(st.TransitGatewayAttachments) != 3 {
		t.Fatalf("the scenario has %d transit gateways and %d attachments", len(st.TransitGateways), len(st.TransitGatewayAttachments))
	}
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if diff := cmp.Diff(st, got, describeOnly); diff != "" {
		t.Errorf("state after Write and Load (-want +got):\n%s", diff)
	}
	for _, c := range []struct{ from, to, verdict, cause string }{
		{"app-host", "shared-host:22", "connected", ""},
		{"shared-host", "app-host:22", "connected", ""},
		{"app-host", "audit-host:22", "no-route", "TGW_RTB_CANNOT_ROUTE"},
		{"audit-host", "shared-host:22", "no-route", "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"},
	} {
		r := probe(t, got, c.from, c.to)
		if string(r.Verdict) != c.verdict || (c.cause != "" && !hasCause(r, c.cause)) {
			t.Errorf("%s → %s after Write and Load: %s %v, want %s %s", c.from, c.to, r.Verdict, causes(r), c.verdict, c.cause)
		}
		if u := res.UndecidedBy(r); len(u) > 0 {
			t.Errorf("%s → %s undecided: %v", c.from, c.to, u)
		}
	}
}

func hasCause(r *reach.Result, code string) bool {
	for _, e := range r.Explanations {
		if string(e.Code) == code {
			return true
		}
	}
	return false
}

func causes(r *reach.Result) []string {
	var out []string
	for _, e := range r.Explanations {
		out = append(out, string(e.Code))
	}
	return out
}

// Transit gateway output as the aws CLI prints it, and as Batfish's
// layout wraps the per-table calls: a blackhole static route, a route to
// a prefix list reference (not modelled: the table is undecided), a route
// table without its routes (undecided), propagated routes ignored (they
// follow from the propagations), a peering attachment seen from the
// accepter's side, and a deleted gateway left out.
func TestTransitGatewayOutputs(t *testing.T) {
	st := scenarioState(t, "../../examples/tgw/hub-and-spoke.yaml")
	dir, region := writeSnapshot(t, st)
	var tgw model.TransitGatewayID
	for id := range st.TransitGateways {
		tgw = id
	}
	var rtb model.TransitGatewayRouteTableID
	for id := range st.TransitGatewayRouteTables {
		rtb = id
	}
	atts := map[model.VpcID]model.TransitGatewayAttachmentID{}
	for _, a := range st.TransitGatewayAttachments {
		atts[a.VpcID] = a.ID
	}
	// Replace the per-table files by Batfish's wrappers.
	for _, f := range []string{snapshot.TGWRoutesFileName(string(rtb)), snapshot.TGWPropagationsFileName(string(rtb))} {
		if err := os.Remove(filepath.Join(region, f)); err != nil {
			t.Fatal(err)
		}
	}
	var shared, app model.TransitGatewayAttachmentID
	for _, a := range st.TransitGatewayAttachments {
		switch st.VPCs[a.VpcID].Tags["Name"] {
		case "shared":
			shared = a.ID
		case "app":
			app = a.ID
		}
	}
	if shared == "" || app == "" {
		t.Fatalf("attachments by VPC name: %v", atts)
	}
	writeFile(t, filepath.Join(region, "TransitGatewayStaticRoutes.json"), `{"TransitGatewayStaticRoutes": [{
  "TransitGatewayRouteTableId": "`+string(rtb)+`",
  "Routes": [
    {"DestinationCidrBlock": "10.1.0.0/16", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "`+string(shared)+`", "ResourceType": "vpc"}], "Type": "static", "State": "active"},
    {"DestinationCidrBlock": "10.0.0.0/16", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "`+string(app)+`", "ResourceType": "vpc"}], "Type": "propagated", "State": "active"},
    {"DestinationCidrBlock": "10.9.0.0/16", "Type": "static", "State": "blackhole"}
  ]}]}`)
	writeFile(t, filepath.Join(region, "TransitGatewayPropagations.json"), `{"TransitGatewayPropagations": [{
  "TransitGatewayRouteTableId": "`+string(rtb)+`",
  "TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "`+string(app)+`", "ResourceType": "vpc", "State": "enabled"}]}]}`)
	// A deleted gateway (described for a while after deletion), a second
	// table without routes, a peering attachment from the accepter's side.
	writeFile(t, filepath.Join(region, "more-tgw.json"), `{
  "TransitGateways": [{"TransitGatewayId": "tgw-0deadbeefdeadbeef", "State": "deleted", "Options": {"AmazonSideAsn": 64512}}],
  "TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-0a0a0a0a0a0a0a0a0", "TransitGatewayId": "`+string(tgw)+`", "State": "available"}],
  "TransitGatewayPeeringAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0b0b0b0b0b0b0b0b0",
    "RequesterTgwInfo": {"TransitGatewayId": "tgw-0c0c0c0c0c0c0c0c0", "OwnerId": "210987654321", "Region": "eu-west-1"},
    "AccepterTgwInfo": {"TransitGatewayId": "`+string(tgw)+`", "OwnerId": "`+st.Account+`", "Region": "`+st.Region+`"},
    "State": "available"}]
}`)
	res := load(t, dir)
	got := state(res)
	if got.TransitGateways["tgw-0deadbeefdeadbeef"] != nil {
		t.Error("the deleted transit gateway was loaded")
	}
	rt := got.TransitGatewayRouteTables[rtb]
	want := []model.TransitGatewayRoute{
		{Destination: netip.MustParsePrefix("10.1.0.0/16"), Attachment: shared},
		{Destination: netip.MustParsePrefix("10.9.0.0/16"), Blackhole: true},
	}
	if rt == nil || !cmp.Equal(rt.Routes, want, describeOnly) || len(rt.Propagations) != 1 || rt.Propagations[0] != app {
		t.Errorf("route table %s after Load: %+v", rtb, rt)
	}
	p := got.TransitGatewayAttachments["tgw-attach-0b0b0b0b0b0b0b0b0"]
	if p == nil || p.TransitGatewayID != tgw || p.PeerTransitGatewayID != "tgw-0c0c0c0c0c0c0c0c0" || p.PeerRegion != "eu-west-1" || p.PeerAccount != "210987654321" {
		t.Errorf("the peering attachment after Load: %+v", p)
	}
	if _, ok := res.Unknown["tgw-rtb-0a0a0a0a0a0a0a0a0"]; !ok {
		t.Errorf("the route table without routes is not undecided: %v", res.Warnings)
	}
	// The probes through the gateway are undecided now (a table's routes
	// are unknown); the verdict is still the kernel's.
	r := probe(t, got, "app-host", "shared-host:22")
	if r.Verdict != "connected" || len(res.UndecidedBy(r)) == 0 {
		t.Errorf("app-host → shared-host:22: %s, undecided by %v", r.Verdict, res.UndecidedBy(r))
	}
}

// A route to a transit gateway of a snapshot without
// describe-transit-gateways (collected before round thirty-three) is kept
// as a blackhole, undecided, and the warning names the missing call.
func TestTransitGatewayNotCollected(t *testing.T) {
	st := scenarioState(t, "../../examples/tgw/hub-and-spoke.yaml")
	dir, region := writeSnapshot(t, st)
	entries, err := os.ReadDir(region)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), "transit-gateway") {
			if err := os.Remove(filepath.Join(region, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	res := load(t, dir)
	r := probe(t, state(res), "app-host", "shared-host:22")
	u := res.UndecidedBy(r)
	if len(u) == 0 || !strings.Contains(u[0].Message, "ec2 describe-transit-gateways") {
		t.Errorf("app-host → shared-host:22 without the transit gateway files: %s, undecided by %v", r.Verdict, u)
	}
}

// A Classic Load Balancer whose describe-load-balancer-attributes output
// is not in the snapshot: from a snapshot that never made the call, the
// API's defaults are taken (CreateLoadBalancer leaves cross-zone load
// balancing off), with a warning naming the file, and the node in the
// zone without an InService instance answers 503 as the live one does;
// when the call was made (the manifest says so) the load balancer is
// undecided.
func TestClassicAttributesMissing(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/clb-cross-zone-off.yaml")
	if len(st.ClassicLoadBalancers) != 1 {
		t.Fatalf("the example has %d Classic Load Balancers", len(st.ClassicLoadBalancers))
	}
	dir, region := writeSnapshot(t, st)
	var name string
	for n := range st.ClassicLoadBalancers {
		name = n
	}
	file := snapshot.ClassicAttributesFileName(name)
	if err := os.Remove(filepath.Join(region, file)); err != nil {
		t.Fatal(err)
	}
	res := load(t, dir)
	warned := false
	for _, w := range res.Warnings {
		warned = warned || (w.Code == snapshot.CodeMissing && w.Resource == name && strings.Contains(w.Message, file) && strings.Contains(w.Message, "cross-zone load balancing off"))
	}
	if !warned {
		t.Errorf("no warning names %s: %v", file, res.Warnings)
	}
	got := state(res)
	for _, x := range []struct{ to, verdict string }{{"3.92.163.250:80", "http 200"}, {"54.163.119.124:80", "http 503"}} {
		r := probe(t, got, "internet", x.to)
		if string(r.Verdict) != x.verdict {
			t.Errorf("internet → %s without the attributes file: %s, want %s (%s)", x.to, r.Verdict, x.verdict, r.Summary)
		}
		if u := res.UndecidedBy(r); len(u) > 0 {
			t.Errorf("internet → %s undecided without a manifest: %v", x.to, u)
		}
	}
	writeFile(t, filepath.Join(dir, snapshot.ManifestName), `{"tool": "ecsnet collect", "startedAt": "2026-12-06T20:00:00Z", "regions": ["us-east-1"], "calls": [
		{"region": "us-east-1", "call": "elb describe-load-balancer-attributes", "pages": 1, "items": 1}]}`)
	res = load(t, dir)
	if len(res.Undecided(name)) == 0 {
		t.Errorf("with the call in the manifest, %s is not undecided: %v", name, res.Warnings)
	}
}

// The AWS-managed prefix lists of a snapshot are the account's Region's,
// as describe-prefix-lists and get-managed-prefix-list-entries answer
// them, IPv6 CIDRs included: not ecsnet's built-in stand-ins (us-east-1's
// CIDRs). An IPv6 list is described as IPv6 when written again.
func TestAWSManagedPrefixListsOfTheRegion(t *testing.T) {
	dir := t.TempDir()
	region := filepath.Join(dir, "aws_configs", "eu-west-3")
	writeFile(t, filepath.Join(region, "ec2-describe-vpcs.json"), `{"Vpcs": [{"VpcId": "vpc-0a1b2c3d4e5f60718", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012"}]}`)
	writeFile(t, filepath.Join(region, "ec2-describe-prefix-lists.json"), `{"PrefixLists": [
  {"PrefixListId": "pl-23ad484a", "PrefixListName": "com.amazonaws.eu-west-3.s3", "Cidrs": ["52.95.154.0/23", "3.5.224.0/22", "2a05:d07c:2000::/40"]}]}`)
	writeFile(t, filepath.Join(region, "ec2-describe-managed-prefix-lists.json"), `{"PrefixLists": [
  {"PrefixListId": "pl-23ad484a", "AddressFamily": "IPv4", "State": "create-complete", "PrefixListName": "com.amazonaws.eu-west-3.s3", "MaxEntries": 3, "Version": 1, "OwnerId": "AWS"},
  {"PrefixListId": "pl-0e6e1f5d2a3b4c5d6", "AddressFamily": "IPv6", "State": "create-complete", "PrefixListName": "com.amazonaws.global.ipv6.cloudfront.origin-facing", "MaxEntries": 2, "Version": 4, "OwnerId": "AWS"}]}`)
	writeFile(t, filepath.Join(region, snapshot.ManagedPrefixListEntriesFileName("pl-0e6e1f5d2a3b4c5d6")), `{"PrefixListId": "pl-0e6e1f5d2a3b4c5d6", "Entries": [
  {"Cidr": "2600:9000:2000::/40"}, {"Cidr": "2600:9000:3000::/40"}]}`)
	res := load(t, dir)
	st := state(res)
	s3 := st.PrefixLists["pl-23ad484a"]
	wantS3 := []netip.Prefix{netip.MustParsePrefix("52.95.154.0/23"), netip.MustParsePrefix("3.5.224.0/22"), netip.MustParsePrefix("2a05:d07c:2000::/40")}
	if s3 == nil || !cmp.Equal(s3.CIDRs, wantS3, describeOnly) {
		t.Errorf("the Region's S3 list after Load: %+v, want CIDRs %v", s3, wantS3)
	}
	for id, pl := range st.PrefixLists {
		if pl.Name == "com.amazonaws.eu-west-3.s3" && id != "pl-23ad484a" {
			t.Errorf("a second S3 list %s (%v) beside the snapshot's", id, pl.CIDRs)
		}
	}
	cf := st.PrefixLists["pl-0e6e1f5d2a3b4c5d6"]
	if cf == nil || len(cf.CIDRs) != 2 || !cf.CIDRs[0].Addr().Is6() {
		t.Errorf("the IPv6 CloudFront list after Load: %+v", cf)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Message, "pl-") {
			t.Errorf("warning: %s", w)
		}
	}
	// Written again, the IPv6 list is IPv6 in describe-managed-prefix-lists.
	out := t.TempDir()
	if err := snapshot.Write(out, st); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "aws_configs", "eu-west-3", "ec2-describe-managed-prefix-lists.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		PrefixLists []struct{ PrefixListId, AddressFamily string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc.PrefixLists {
		if want := map[string]string{"pl-23ad484a": "IPv4", "pl-0e6e1f5d2a3b4c5d6": "IPv6"}[p.PrefixListId]; want != "" && p.AddressFamily != want {
			t.Errorf("%s written as %s, want %s", p.PrefixListId, p.AddressFamily, want)
		}
	}
}

// VPC peering connections survive Write and Load
// (describe-vpc-peering-connections): both sides, their CIDRs, status and
// DNS resolution options; the peering examples' expectations keep their
// verdicts and causes, none undecided.
func TestRoundTripVpcPeering(t *testing.T) {
	for _, name := range []string{"peering-return-route", "peering-not-accepted", "peering-dns-resolution-wrong-side", "peering-transitive"} {
		t.Run(name, func(t *testing.T) {
			path := "../../examples/failures/" + name + ".yaml"
			sc, err := scenario.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			built, err := sc.Build()
			if err != nil {
				t.Fatal(err)
			}
			st, _ := built.Engine.Snapshot()
			if len(st.VpcPeerings) == 0 {
				t.Fatal("the example has no peering connection")
			}
			got, res := roundTrip(t, st)
			for _, w := range res.Warnings {
				t.Errorf("warning: %s", w)
			}
			// ExpiresAt: described only while the connection awaits acceptance.
			if diff := cmp.Diff(st.VpcPeerings, got.VpcPeerings, describeOnly, cmpopts.IgnoreFields(model.VpcPeeringConnection{}, "ExpiresAt")); diff != "" {
				t.Errorf("peering connections after Write and Load (-want +got):\n%s", diff)
			}
			for _, x := range sc.Expect {
				if x.Verdict == "unknown" || x.From == "" {
					continue
				}
				n := reach.Compile(got)
				q, err := reach.NewQuery(n, x.From, x.To, x.Protocol)
				if err != nil {
					continue // an endpoint only the scenario names
				}
				r := reach.Probe(n, q)
				if string(r.Verdict) != x.Verdict || (x.Cause != "" && !hasCause(r, x.Cause)) {
					t.Errorf("%s → %s after Write and Load: %s %v, want %s %s", x.From, x.To, r.Verdict, causes(r), x.Verdict, x.Cause)
				}
				if u := res.UndecidedBy(r); len(u) > 0 {
					t.Errorf("%s → %s undecided: %v", x.From, x.To, u)
				}
			}
		})
	}
}

// DHCP options sets survive Write and Load with the VPCs they are
// associated with: a set of the account's own DNS servers, and the
// Region's default set (its domain name and AmazonProvidedDNS), which the
// snapshot marks as the default one, though describe-dhcp-options does
// not say so.
func TestRoundTripDhcpOptions(t *testing.T) {
	st := scenarioState(t, "../../examples/failures/analyzer-only/custom-dns-server-sg-task-subnets.yaml")
	custom, def := 0, 0
	for _, o := range st.DhcpOptions {
		if o.IsDefault {
			def++
		} else {
			custom++
		}
	}
	if custom == 0 || def == 0 {
		t.Fatalf("the example has %d default and %d custom DHCP options sets", def, custom)
	}
	got, res := roundTrip(t, st)
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	if diff := cmp.Diff(st.DhcpOptions, got.DhcpOptions, describeOnly); diff != "" {
		t.Errorf("DHCP options after Write and Load (-want +got):\n%s", diff)
	}
	for id, v := range st.VPCs {
		if g := got.VPCs[id]; g == nil || g.DhcpOptions != v.DhcpOptions {
			t.Errorf("VPC %s: DHCP options %v after Write and Load, want %s", id, g, v.DhcpOptions)
		}
	}
}
