package terraform_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep28DeprecatedRoleArguments: hashicorp/aws v5 deprecates
// aws_iam_role's managed_policy_arns and inline_policy; terraform validate
// (1.11.4, hashicorp/aws 5.100.0) warns "Argument is deprecated" with the
// provider's text, at the argument's value and, for the block, at the
// resource's opening brace. ecsnet said nothing. Pinned to v4: no warning.
func TestSweep28DeprecatedRoleArguments(t *testing.T) {
	res := load(t, "testdata/sweep28/deprecated-role", nil)
	var got []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "Argument is deprecated") {
			got = append(got, w.String())
		}
	}
	want := []string{
		"testdata/sweep28/deprecated-role/main.tf:5: Argument is deprecated: inline_policy is deprecated. Use the aws_iam_role_policy resource instead. If Terraform should exclusively manage all inline policy associations (the current behavior of this argument), use the aws_iam_role_policies_exclusive resource as well. (with aws_iam_role.execution, hashicorp/aws v6)",
		"testdata/sweep28/deprecated-role/main.tf:11: Argument is deprecated: managed_policy_arns is deprecated. Use the aws_iam_role_policy_attachment resource instead. If Terraform should exclusively manage all managed policy attachments (the current behavior of this argument), use the aws_iam_role_policy_attachments_exclusive resource as well. (with aws_iam_role.execution, hashicorp/aws v6)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, w := range load(t, "testdata/sweep28/deprecated-role-v4", nil).Warnings {
		if strings.Contains(w.Msg, "deprecated") {
			t.Errorf("v4 warned: %s", w.String())
		}
	}
}

// TestSweep28RegionByNameAndEndpoint: data "aws_region" with a name or an
// endpoint reads that region from the provider's table, in any partition,
// with its description (as terraform plan shows them with hashicorp/aws
// 5.100.0). ecsnet answered the provider's own region whatever was asked,
// and its code as the description.
func TestSweep28RegionByNameAndEndpoint(t *testing.T) {
	res := load(t, "testdata/sweep28/region-lookup", nil)
	for k, v := range map[string]string{
		"current": "eu-west-1|Europe (Ireland)",
		"dr":      "eu-central-1|Europe (Frankfurt)|ec2.eu-central-1.amazonaws.com",
		"china":   "cn-northwest-1|China (Ningxia)",
	} {
		if got := res.Outputs[k]; got != v {
			t.Errorf("output %s = %q, want %q", k, got, v)
		}
	}
}

// TestSweep28RegionErrors: a name or an endpoint the provider does not
// know, and a name and an endpoint of two regions, fail the data source
// with the provider's texts, at the data block (ap-southeast-6 is not in
// hashicorp/aws 5.100.0's table). ecsnet accepted each.
func TestSweep28RegionErrors(t *testing.T) {
	_, err := terraform.Load("testdata/sweep28/region-errors", terraform.Options{})
	if err == nil {
		t.Fatal("loaded")
	}
	for _, want := range []string{
		"main.tf:5: data.aws_region.typo: finding Region by name (us-east-3): couldn't find resource",
		"main.tf:9: data.aws_region.conflict: multiple Regions matched: use additional constraints to reduce matches to a single Region",
		"main.tf:14: data.aws_region.auckland: finding Region by name (ap-southeast-6): couldn't find resource",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("no %q in\n%v", want, err)
		}
	}
}

// TestSweep28ZonesOfAnotherRegion: data "aws_availability_zones" through
// a provider of another region lists that region's zones (ecsnet listed
// its own region's: us-east-1a…f for us-west-2), and of a region of
// another partition warns that the account's credentials are refused
// there.
func TestSweep28ZonesOfAnotherRegion(t *testing.T) {
	res := load(t, "testdata/sweep28/zones-other-region", nil)
	for k, v := range map[string]string{
		"home":  "us-east-1a,us-east-1b,us-east-1c,us-east-1d,us-east-1e,us-east-1f",
		"dr":    "us-west-2a,us-west-2b,us-west-2c,us-west-2d",
		"china": "cnn1-az1,cnn1-az2,cnn1-az4",
	} {
		if got := res.Outputs[k]; got != v {
			t.Errorf("output %s = %q, want %q", k, got, v)
		}
	}
	var warned []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "partition") {
			warned = append(warned, w.String())
		}
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "main.tf:24: data.aws_availability_zones.china reads region cn-north-1, of partition aws-cn, while the configuration's region us-east-1 is of aws") {
		t.Errorf("partition warnings: %q", warned)
	}
}

// TestSweep28PortProtocolUpperCase: a port mapping's "UDP" is udp, as the
// ECS API reads it [choice], and the task definition registers.
func TestSweep28PortProtocolUpperCase(t *testing.T) {
	res, err := terraform.Load("testdata/sweep28/port-protocol-upper", terraform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	for _, td := range st.TaskDefinitions {
		if pm := td.Containers[0].PortMappings; len(pm) != 2 || pm[0].Protocol != model.UDP || pm[1].Protocol != model.TCP {
			t.Errorf("port mappings %+v, want udp/53 and tcp/8080", pm)
		}
		return
	}
	t.Error("no task definition")
}

// TestSweep28SecurityGroupPresets: terraform-aws-modules/security-group's
// preset submodules (//modules/http-80, ssh, postgresql, …) are read with
// the module's stand-in and the preset's automatic rules: the named port
// from ingress_cidr_blocks, all traffic from the group itself, all traffic
// out (unless auto_egress_rules is emptied). ecsnet refused them as not
// installed ("run terraform init"), and nothing of the configuration was read.
func TestSweep28SecurityGroupPresets(t *testing.T) {
	res := load(t, "testdata/sweep28/sg-presets", nil)
	st, _ := res.Engine.Snapshot()
	describe := func(id string) []string {
		sg := st.SecurityGroups[model.SecurityGroupID(id)]
		if sg == nil {
			t.Fatalf("no group %s", id)
		}
		var out []string
		for _, r := range append(append([]model.SecurityGroupRule{}, sg.Ingress...), sg.Egress...) {
			dir, src := "in", r.CIDR.String()
			if r.Egress {
				dir = "out"
			}
			if r.Group != "" {
				src = "self"
				if string(r.Group) != id {
					src = string(r.Group)
				}
			}
			out = append(out, fmt.Sprintf("%s %s %d-%d %s", dir, r.Protocol, r.Ports.First, r.Ports.Last, src))
		}
		sort.Strings(out)
		return out
	}
	for k, want := range map[string][]string{
		"web": {"in -1 0-65535 self", "in tcp 80-80 0.0.0.0/0", "out -1 0-65535 0.0.0.0/0", "out -1 0-65535 ::/0"},
		"ssh": {"in -1 0-65535 self", "in tcp 22-22 10.20.0.0/16", "out -1 0-65535 0.0.0.0/0", "out -1 0-65535 ::/0"},
		"db":  {"in -1 0-65535 self", "in tcp 5432-5432 10.20.1.0/24"},
	} {
		if got := describe(res.Outputs[k]); strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

// TestSweep28ClassicLoadBalancerByZones: a Classic Load Balancer (and an
// Auto Scaling group) given availability_zones and no subnets goes in the
// default VPC's default subnets, which every account has; ecsnet created
// the default VPC only for resources that name it, and refused the load
// balancer ("No default subnet for availability zone: 'us-east-1b'") when
// it came first.
func TestSweep28ClassicLoadBalancerByZones(t *testing.T) {
	res := load(t, "testdata/sweep28/elb-by-zones", nil)
	st, _ := res.Engine.Snapshot()
	lb := st.ClassicLoadBalancers["web"]
	if lb == nil || len(lb.Subnets) != 2 {
		t.Fatalf("load balancer: %+v", lb)
	}
	for _, id := range lb.Subnets {
		if s := st.Subnets[id]; s == nil || !s.DefaultForAZ {
			t.Errorf("subnet %s is not a default subnet: %+v", id, s)
		}
	}
}

// TestSweep28PessimisticMajorConstraint: Terraform reads "~> 4" as
// "~> 4.0" (4.x), so beside the VPC module's newest release (">= 6.0")
// `terraform init` finds no provider release; ecsnet parsed "~> 4" as
// go-version does (4.0 and anything newer) and read the configuration.
func TestSweep28PessimisticMajorConstraint(t *testing.T) {
	_, err := terraform.Load("testdata/sweep28/pessimistic-major", terraform.Options{})
	if err == nil {
		t.Fatal("loaded")
	}
	want := `main.tf:3: Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/aws: no available releases match the given constraints ~> 4.0, >= 6.0`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("no %q in\n%v", want, err)
	}
}

// TestSweep28RemoteExecStartsServer: a provisioner "remote-exec" that
// installs and starts nginx leaves it listening on tcp/80, as user data
// that does so would; one that only installs it starts nothing. ecsnet
// read no provisioner, so the web instance refused the connection (and
// a Classic ELB in front of it answered 503).
func TestSweep28RemoteExecStartsServer(t *testing.T) {
	res := load(t, "testdata/sweep28/remote-exec", nil)
	if r := probe(t, res.Engine, "internet", res.Names["aws_instance.web"]+":80"); r.Verdict != reach.Connected {
		t.Errorf("web: %s: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, res.Engine, "internet", res.Names["aws_instance.idle"]+":80"); r.Verdict != reach.Refused {
		t.Errorf("idle: %s: %s", r.Verdict, r.Summary)
	}
}

// TestSweep28EndpointServiceArguments: aws_vpc_endpoint_service (a
// PrivateLink service in front of a load balancer) has no vpc_id or
// private_dns_enabled; terraform validate (hashicorp/aws 5.100.0) refuses
// them as unsupported arguments, and ecsnet now does too. It created the
// service and answered EC2's refusal of a service without a load balancer.
func TestSweep28EndpointServiceArguments(t *testing.T) {
	_, err := terraform.Load("testdata/sweep28/endpoint-service", terraform.Options{})
	if err == nil {
		t.Fatal("loaded")
	}
	want := `main.tf:13: aws_vpc_endpoint_service.ecr: Unsupported argument: An argument named "vpc_id" is not expected here.`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("no %q in\n%v", want, err)
	}
}

// TestSweep28ClassicLoadBalancerZonesAsSet: aws_elb's availability_zones
// is a set, so the zone of three instances in one zone is one zone;
// ecsnet sent it three times and ELB refused ("ELB cannot be attached to
// multiple subnets in the same AZ").
func TestSweep28ClassicLoadBalancerZonesAsSet(t *testing.T) {
	res := load(t, "testdata/sweep28/elb-instance-zones", nil)
	st, _ := res.Engine.Snapshot()
	lb := st.ClassicLoadBalancers["web"]
	if lb == nil || len(lb.Subnets) != 1 || len(lb.Instances) != 3 {
		t.Fatalf("load balancer: %+v", lb)
	}
}
