package terraform_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweep29EIPPublicDNSOfTheRegion: the provider writes an aws_eip's
// public_dns itself, "ec2-" and the dashed address under the region's
// public suffix (compute-1 in us-east-1 only, <region>.compute elsewhere),
// whatever the VPC's DNS host names; an instance's public_dns is
// DescribeInstances' PublicDnsName, empty without DNS host names, and its
// private_dns the region's ip-….<region>.compute.internal. ecsnet wrote
// every EIP in the us-east-1 form and no instance names at all.
func TestSweep29EIPPublicDNSOfTheRegion(t *testing.T) {
	for _, hostnames := range []string{"true", "false"} {
		res := load(t, "testdata/sweep29/eip-dns", map[string]string{"dns_hostnames": hostnames})
		eip := netip.MustParseAddr(res.Outputs["eip_ip"])
		if got, want := res.Outputs["eip_dns"], model.PublicDNSName("eu-west-2", eip); got != want || want == "" {
			t.Errorf("dns_hostnames=%s: eip public_dns = %q, want %q", hostnames, got, want)
		}
		inst := netip.MustParseAddr(res.Outputs["instance_ip"])
		want := ""
		if hostnames == "true" {
			want = "ec2-" + dashedAddr(inst) + ".eu-west-2.compute.amazonaws.com"
		}
		if got := res.Outputs["instance_dns"]; got != want {
			t.Errorf("dns_hostnames=%s: instance public_dns = %q, want %q", hostnames, got, want)
		}
		priv := netip.MustParseAddr(res.Outputs["instance_private_ip"])
		if got, want := res.Outputs["instance_private_dns"], "ip-"+dashedAddr(priv)+".eu-west-2.compute.internal"; got != want {
			t.Errorf("instance private_dns = %q, want %q", got, want)
		}
	}
}

func dashedAddr(a netip.Addr) string { return strings.ReplaceAll(a.String(), ".", "-") }

// TestSweep29SchemaErrorsAllListed: terraform validate (1.11.4,
// hashicorp/aws 5.100.0) lists every argument and block the provider's
// schema refuses, in every resource, and every required one missing: the
// nine errors below (and sigint_rollback, which v5 does not have), with
// Terraform's texts. ecsnet said none of them (it knew the schema of two
// resource types, and said the first error of one).
func TestSweep29SchemaErrorsAllListed(t *testing.T) {
	want := []string{
		`main.tf:35: aws_lb.web: Unsupported argument: An argument named "security_group" is not expected here. Did you mean "security_groups"?`,
		`main.tf:37: aws_lb.web: Unsupported argument: An argument named "idle_timout" is not expected here. Did you mean "idle_timeout"?`,
		`main.tf:38: aws_lb.web: Unsupported argument: An argument named "prevent_destroy" is not expected here.`,
		`main.tf:47: aws_lb_target_group.web: Unsupported argument: An argument named "health_check" is not expected here. Did you mean to define a block of type "health_check"?`,
		`main.tf:61: aws_lb_listener_rule.api: Missing required argument: The argument "listener_arn" is required, but no definition was found.`,
		`main.tf:61: aws_lb_listener_rule.api: Insufficient action blocks: At least 1 "action" blocks are required.`,
		`main.tf:61: aws_lb_listener_rule.api: Insufficient condition blocks: At least 1 "condition" blocks are required.`,
		`main.tf:72: aws_ecs_service.web: Unsupported argument: An argument named "desired_cont" is not expected here. Did you mean "desired_count"?`,
		`main.tf:73: aws_ecs_service.web: Unsupported argument: An argument named "sigint_rollback" is not expected here.`,
		`main.tf:79: aws_ecs_service.web: Unsupported block type: Blocks of type "load_balancers" are not expected here. Did you mean "load_balancer"?`,
	}
	check := func(dir string, want []string) {
		t.Helper()
		es := loadErrs(t, dir)
		var got []string
		for _, e := range es {
			got = append(got, strings.TrimPrefix(e.Error(), dir+"/"))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", dir, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	check("testdata/sweep29/schema-all", want)
	// Without a version constraint `terraform init` installs v6, which
	// added sigint_rollback: a name ecsnet's v5 schema does not know, near
	// none it knows, is not refused then ([choice]).
	src, err := os.ReadFile("testdata/sweep29/schema-all/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	i, j := strings.Index(string(src), "terraform {"), strings.Index(string(src), "provider \"aws\"")
	v6 := string(src[:i]) + strings.Repeat("\n", strings.Count(string(src[i:j]), "\n")) + string(src[j:])
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(v6), 0o644); err != nil {
		t.Fatal(err)
	}
	check(dir, slices.DeleteFunc(slices.Clone(want), func(s string) bool { return strings.Contains(s, "sigint_rollback") }))
	// Nor under v4, whose arguments v5 removed (EC2-Classic's) ecsnet's
	// schema does not hold.
	dir4 := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir4, "main.tf"), []byte(strings.Replace(string(src), `"~> 5.60"`, `"~> 4.0"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	check(dir4, slices.DeleteFunc(slices.Clone(want), func(s string) bool { return strings.Contains(s, "sigint_rollback") }))
}

// TestSweep29UnconfigurableAttribute: a computed attribute given a value
// is Terraform's "Value for unconfigurable attribute" (terraform validate
// says it once the block decodes, with nothing else refused in it).
func TestSweep29UnconfigurableAttribute(t *testing.T) {
	es := loadErrs(t, "testdata/sweep29/schema-unconfigurable")
	want := `testdata/sweep29/schema-unconfigurable/main.tf:9: aws_vpc.main: Value for unconfigurable attribute: Can't configure a value for "arn": its value will be decided automatically based on the result of applying this configuration.`
	if len(es) != 1 || es[0].Error() != want {
		t.Errorf("errors %v, want %s", es, want)
	}
}

// TestSweep29ValidateBeforePlan: terraform plan validates the
// configuration first and stops at its errors: a reference to an
// undeclared local value is said alone, not beside the data source that
// finds no VPC (which plan would read next). ecsnet said both
// (datfinesoul/aws-ecs-create-cluster-problem's files as stored).
func TestSweep29ValidateBeforePlan(t *testing.T) {
	es := loadErrs(t, "testdata/sweep29/validate-first")
	var got []string
	for _, e := range es {
		got = append(got, e.Error())
	}
	want := `testdata/sweep29/validate-first/main.tf:20: Reference to undeclared local value: A local value with the name "suffix" has not been declared.`
	if len(got) != 1 || got[0] != want {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
	// A data source type the installed release removed is an error of
	// validate too (terraform validate, hashicorp/aws 5.100.0: "Invalid
	// data source" alone): the subnets ecsnet then finds of the wrong type
	// are not reached (Rubeenakhan16/ecs-application's main.tf).
	es = loadErrs(t, "testdata/sweep29/removed-data-source")
	if len(es) != 1 || !strings.Contains(es[0].Msg, `Invalid data source: The provider hashicorp/aws does not support data source "aws_subnet_ids"`) {
		t.Errorf("removed data source: %v", es)
	}
}

// TestSweep29TargetGroupHealthCheckDefaults: a health_check block sends
// the provider schema's defaults for what it leaves out (protocol HTTP,
// thresholds 3, interval 30: terraform plan with hashicorp/aws 5.100.0
// shows `protocol = "HTTP"`), so a TCP group's block naming a path is an
// HTTP health check, which AWS takes (terraform apply against ecsnet
// serve met no error); with protocol TCP the provider leaves the path
// out. ecsnet took AWS's default for a TCP group (a TCP check) and
// refused the path: "Health check path is not supported for the TCP
// health check protocol" (a code-index NLB configuration written so).
func TestSweep29TargetGroupHealthCheckDefaults(t *testing.T) {
	res := load(t, "testdata/sweep29/nlb-health-path", nil)
	st, _ := res.Engine.Snapshot()
	got := map[string]model.HealthCheck{}
	for _, tg := range st.TargetGroups {
		got[tg.Name] = tg.HealthCheck
	}
	if hc := got["api-tcp"]; hc.Protocol != "HTTP" || hc.Path != "/health" || hc.HealthyThreshold != 3 || hc.UnhealthyThreshold != 3 || hc.IntervalSeconds != 30 {
		t.Errorf("api-tcp health check %+v, want HTTP /health, thresholds 3 and 3, interval 30", hc)
	}
	if hc := got["plain-tcp"]; hc.Protocol != "TCP" || hc.Path != "" {
		t.Errorf("plain-tcp health check %+v, want TCP without a path", hc)
	}
}

// TestSweep29SchemaErrorOncePerModule: a local module called twice
// (count = 2) with a misspelt argument is one error of terraform
// validate, at the module's file, not one per instance.
func TestSweep29SchemaErrorOncePerModule(t *testing.T) {
	es := loadErrs(t, "testdata/sweep29/schema-module")
	want := `testdata/sweep29/schema-module/modules/svc/main.tf:12: module.svc.aws_security_group.this: Unsupported argument: An argument named "descripton" is not expected here. Did you mean "description"?`
	if len(es) != 1 || es[0].Error() != want {
		t.Errorf("errors %v\nwant %s", es, want)
	}
}
