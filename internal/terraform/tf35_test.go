package terraform_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Round thirty-five (docs/terraform-acceptance.md, "Round thirty-five"):
// what the public configurations found in the reader.

// An IPv6-only aws_subnet (ipv6_native, no cidr_block) is created as EC2
// creates it, with the attributes the provider sets after CreateSubnet;
// the reader used to require cidr_block.
func TestTF35IPv6OnlySubnet(t *testing.T) {
	res := load(t, "testdata/tf35-ipv6-only", nil)
	var only, dual *model.Subnet
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Subnets {
			if s.IPv6Native {
				only = s
			} else if len(s.IPv6) > 0 {
				dual = s
			}
		}
	})
	if only == nil || dual == nil {
		t.Fatalf("want an IPv6-only and a dual-stack subnet, got only=%v dual=%v", only, dual)
	}
	if only.CIDR.IsValid() || !only.EnableDNS64 || !only.ResourceNameDNSAAAA || !only.AssignIPv6AddressOnCreation || only.Hostname() != "resource-name" {
		t.Errorf("IPv6-only subnet %+v: want no IPv4 CIDR, DNS64, AAAA records, IPv6 on creation, resource-name hostnames", only)
	}
	want := map[string]string{"v6only_cidr_block": "", "v6only_native": "true", "v6only_hostname_type": "resource-name", "dual_native": "false"}
	for k, v := range want {
		if got, ok := res.Outputs[k]; !ok || got != v {
			t.Errorf("output %s = %q (set %v), want %q", k, got, ok, v)
		}
	}
}

// DNS64 on a subnet without an IPv6 block is refused at that argument
// with EC2's text, and a subnet with neither cidr_block nor ipv6_native
// at cidr_block.
func TestTF35SubnetRefusals(t *testing.T) {
	errs := loadErrs(t, "testdata/tf35-dns64-no-ipv6")
	var dns64, nothing bool
	for _, e := range errs {
		dns64 = dns64 || strings.Contains(e.Address, "aws_subnet.dns64") && strings.Contains(e.Msg, "Cannot set enable-dns64 to true unless the subnet has an IPv6 CIDR block")
		nothing = nothing || strings.Contains(e.Address, "aws_subnet.nothing") && strings.Contains(e.Msg, "MissingParameter")
	}
	if !dns64 || !nothing {
		t.Errorf("errors %v: want aws_subnet.dns64 refused for DNS64 without IPv6 and aws_subnet.nothing for its missing cidr_block", errs)
	}
}

// Target group stickiness, slow start, routing algorithm and (TCP)
// unhealthy-target handling reach the
// group's attributes as the provider sends them, a forward's group-level
// stickiness reaches the listener, and none is warned of as not read.
func TestTF35TargetGroupAttributes(t *testing.T) {
	res := load(t, "testdata/tf35-stickiness", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not read") && (strings.Contains(w.Msg, "stickiness") || strings.Contains(w.Msg, "slow_start") || strings.Contains(w.Msg, "load_balancing_algorithm_type") || strings.Contains(w.Msg, "target_health_state")) {
			t.Errorf("warning %q: the reader reads these", w.Msg)
		}
	}
	attrs := map[string]map[string]string{}
	arns := map[string]string{}
	var sticky *model.ForwardStickiness
	res.Engine.Read(func(st *model.State) {
		for arn, tg := range st.TargetGroups {
			attrs[tg.Name], arns[tg.Name] = map[string]string{}, arn
		}
		for _, l := range st.Listeners {
			for _, a := range l.DefaultActions {
				if a.Stickiness != nil {
					sticky = a.Stickiness
				}
			}
		}
	})
	for name, arn := range arns {
		kv, err := res.Engine.TargetGroupAttributes(arn)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range kv {
			attrs[name][p[0]] = p[1]
		}
	}
	checks := []struct{ group, key, want string }{
		{"web", "stickiness.enabled", "true"}, {"web", "stickiness.type", "lb_cookie"}, {"web", "stickiness.lb_cookie.duration_seconds", "3600"},
		{"web", "slow_start.duration_seconds", "60"}, {"web", "load_balancing.algorithm.type", "least_outstanding_requests"},
		{"canary", "stickiness.type", "app_cookie"}, {"canary", "stickiness.app_cookie.cookie_name", "SESSION"},
		{"tcp", "stickiness.enabled", "false"}, {"tcp", "stickiness.type", "source_ip"},
		{"tcp", "target_health_state.unhealthy.connection_termination.enabled", "false"}, {"tcp", "target_health_state.unhealthy.draining_interval_seconds", "60"},
	}
	for _, c := range checks {
		if got := attrs[c.group][c.key]; got != c.want {
			t.Errorf("target group %s: %s = %q, want %q", c.group, c.key, got, c.want)
		}
	}
	if sticky == nil || !sticky.Enabled || sticky.DurationSeconds != 600 {
		t.Errorf("forward stickiness %+v, want enabled for 600 seconds", sticky)
	}
}

// The old NLB workaround, stickiness { enabled = false, type = "lb_cookie" }
// on a TCP group, is refused as ELB refuses what the provider sends.
func TestTF35NLBLBCookieRefused(t *testing.T) {
	errs := loadErrs(t, "testdata/tf35-nlb-lb-cookie")
	found := false
	for _, e := range errs {
		found = found || strings.Contains(e.Msg, "Stickiness type 'lb_cookie' is not supported for target groups with the TCP protocol")
	}
	if !found {
		t.Errorf("errors %v: want ELB's refusal of lb_cookie stickiness on a TCP group", errs)
	}
}

// A root output is refused when its value comes from a sensitive one
// through a local value (an object's item only when that item is), a
// child module's variable and output, or the whole module object; not
// when the path carries no sensitive value or nonsensitive unmarks it.
func TestTF35SensitiveThroughLocalsAndModules(t *testing.T) {
	errs := loadErrs(t, "testdata/tf35-sensitive-flow")
	var got []string
	for _, e := range errs {
		if strings.Contains(e.Msg, "Output refers to sensitive values") {
			got = append(got, e.Address)
		}
	}
	slices.Sort(got)
	if want := "output.conn,output.contact_pass,output.db,output.db_url"; strings.Join(got, ",") != want {
		t.Errorf("refused outputs %v, want %s (errors: %v)", got, want, errs)
	}
}

// The terraform-aws-modules/vpc stand-in makes IPv6-only subnets from a
// tier's IPv6 prefixes alone (as the module's ipv6-only example asks),
// with the module's DNS64 and AAAA defaults, and routes 64:ff9b::/96 of
// its private tables to the NAT gateway when DNS64 is on.
func TestTF35VPCModuleIPv6Only(t *testing.T) {
	res := load(t, "testdata/tf35-vpc-module-ipv6-only", nil)
	var native, nat64 int
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Subnets {
			if s.IPv6Native && s.EnableDNS64 && s.ResourceNameDNSAAAA && !s.CIDR.IsValid() {
				native++
			}
		}
		for _, rt := range st.RouteTables {
			for _, r := range rt.Routes {
				if r.Destination.String() == "64:ff9b::/96" && strings.HasPrefix(r.TargetID, "nat-") {
					nat64++
				}
			}
		}
	})
	if native != 6 || nat64 != 1 {
		t.Errorf("%d IPv6-only subnets with DNS64 and AAAA records (want 6), %d NAT64 routes (want 1: the dual-stack VPC's single NAT gateway gives it one private table)", native, nat64)
	}
}

// enable_ipv6 on the module with subnets given no IPv6 prefixes is refused
// at the first subnet, as terraform-aws-modules/terraform-aws-vpc#930
// reports: the module's enable_dns64 default reaches a subnet without an
// IPv6 block.
func TestTF35VPCModuleDNS64WithoutPrefixes(t *testing.T) {
	errs := loadErrs(t, "testdata/tf35-vpc-module-dns64-no-prefix")
	found := false
	for _, e := range errs {
		found = found || strings.Contains(e.Msg, "Cannot set enable-dns64 to true unless the subnet")
	}
	if !found {
		t.Errorf("errors %v: want EC2's refusal of DNS64 on a subnet without an IPv6 block", errs)
	}
}
