package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweep26KeyPair: a key_name given by a literal or a root module
// variable, which no aws_key_pair (or data source) of the configuration
// gives, must already exist in the region; EC2 refuses a launch naming a
// key pair the region does not have (InvalidKeyPair.NotFound; an Auto
// Scaling group of the template: "You must use a valid fully-formed
// launch template. The key pair '…' does not exist"). ecsnet said
// nothing; it now warns at the launch template and the launch
// configuration, not at the instance whose key comes from aws_key_pair.
// A child module's variable default counts as a literal.
func TestSweep26KeyPair(t *testing.T) {
	res := load(t, "testdata/sweep26-key-pair", nil)
	var lt, lc, inst, mod, given bool
	for _, w := range res.Warnings {
		mod = mod || (strings.HasSuffix(w.File, "cluster/main.tf") && w.Line == 13 && strings.Contains(w.Msg, `module.cluster.aws_launch_template.ecs names the key pair "production-ecs"`))
		given = given || strings.Contains(w.Msg, "aws_launch_template.given")
		lt = lt || (w.Line == 26 && strings.Contains(w.Msg, `aws_launch_template.ecs names the key pair "ec2ecsglog", which this configuration neither creates nor reads: it must already exist in the region (us-east-2)`) &&
			strings.Contains(w.Msg, `"ValidationError: You must use a valid fully-formed launch template. The key pair 'ec2ecsglog' does not exist"`))
		lc = lc || (w.Line == 45 && strings.Contains(w.Msg, `aws_launch_configuration.legacy names the key pair "ops"`) &&
			strings.Contains(w.Msg, `"ValidationError: The key pair 'ops' does not exist"`))
		inst = inst || strings.Contains(w.Msg, "aws_instance.bastion")
	}
	if !lt || !lc || inst {
		t.Errorf("warnings: launch template %v, launch configuration %v (want both), instance %v (want none):\n%v", lt, lc, inst, res.Warnings)
	}
	// A child module's variable the call leaves out has its default, a
	// literal (elbetasal/app-playground); one the call gives from an
	// aws_key_pair is not warned of.
	if !mod || given {
		t.Errorf("warnings: the module's default %v (want it), the given one %v (want none):\n%v", mod, given, res.Warnings)
	}
}

// TestSweep26ProviderBlockVersion: a provider block's `version` (Terraform
// 0.12's way of pinning a provider) is still a constraint `terraform init`
// meets, with Terraform's warning at each value, for any provider; ecsnet
// read the AWS provider's without a word.
func TestSweep26ProviderBlockVersion(t *testing.T) {
	res := load(t, "testdata/sweep26-provider-version", nil)
	lines := map[int]bool{}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "Version constraints inside provider configuration blocks are deprecated: Terraform 0.13 and earlier allowed provider version constraints inside the provider configuration block, but that is now deprecated and will be removed in a future version of Terraform. To silence this warning, move the provider version constraint into the required_providers block.") {
			lines[w.Line] = true
		}
	}
	if !lines[6] || !lines[11] || len(lines) != 2 {
		t.Errorf("warned at lines %v, want 6 and 11:\n%v", lines, res.Warnings)
	}
}

// TestSweep26UnknownRuleSource: a rule whose source is a value ecsnet
// does not know (here an address from a Secrets Manager secret, as
// codykal/ECS-Terraform gives its admin addresses) was taken as a rule
// without a source: aws_security_group_rule and
// aws_vpc_security_group_ingress_rule were refused ("one of … must be
// specified", "exactly one of … must be given") and an inline block was
// said to name no source. On AWS the rules have their sources; ecsnet now
// leaves each out with a warning that names the value it does not know,
// and keeps the group's other rules.
func TestSweep26UnknownRuleSource(t *testing.T) {
	res := load(t, "testdata/sweep26-unknown-source", nil)
	lines := map[int]bool{}
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "depends on a value ecsnet does not know (data.aws_secretsmanager_secret_version.ip_address.secret_string: a data source it does not answer); ecsnet leaves the rule out") {
			lines[w.Line] = true
		}
		if strings.Contains(w.Msg, "names no source") || strings.Contains(w.Msg, "not modelled, of types that do not change how packets flow") {
			t.Errorf("warning %q", w.Msg)
		}
	}
	if !lines[25] || !lines[40] || !lines[49] {
		t.Errorf("warned at %v, want 25, 40 and 49:\n%v", lines, res.Warnings)
	}
	st, _ := res.Engine.Snapshot()
	var ports []uint16
	for _, g := range st.SecurityGroups {
		if g.Name == "alb" {
			for _, r := range g.Ingress {
				ports = append(ports, r.Ports.First)
			}
		}
	}
	if len(ports) != 1 || ports[0] != 80 {
		t.Errorf("the group's inbound ports %v, want the known rule's 80 only", ports)
	}
}

// TestSweep26ASGIPTargetGroup: an aws_autoscaling_attachment of a target
// group of target type ip is refused by Auto Scaling, which registers
// instances ("Provided Target Group '…' has invalid target type. Please
// ensure all provided Target Groups have target type of instance.");
// ecsnet attached it and registered the instances, whose health checks
// then failed.
func TestSweep26ASGIPTargetGroup(t *testing.T) {
	_, err := terraform.Load("testdata/sweep26-asg-ip-target-group", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "main.tf:46: aws_autoscaling_attachment.lb: ValidationError: Provided Target Group 'arn:aws:elasticloadbalancing:ap-southeast-1:") ||
		!strings.Contains(err.Error(), "has invalid target type. Please ensure all provided Target Groups have target type of instance.") {
		t.Fatalf("err = %v, want Auto Scaling's refusal at the attachment", err)
	}
}

// TestSweep26ECSManagedTag: ECS tags the Auto Scaling group of a capacity
// provider AmazonECSManaged; a group whose configuration does not declare
// the tag is updated in place by every later plan (the real provider's
// second plan of dongnguyenltqb/tf-ecs-basic against ecsnet serve showed
// it). ecsnet said nothing; it now warns at the capacity provider, not at
// one whose group declares the tag.
func TestSweep26ECSManagedTag(t *testing.T) {
	res := load(t, "testdata/sweep26-ecs-managed-tag", nil)
	var untagged, tagged bool
	for _, w := range res.Warnings {
		untagged = untagged || (w.Line == 44 && strings.Contains(w.Msg, "aws_ecs_capacity_provider.untagged: ECS adds the AmazonECSManaged tag to the Auto Scaling group (aws_autoscaling_group.untagged)") &&
			strings.Contains(w.Msg, "every later plan removes the tag"))
		tagged = tagged || strings.Contains(w.Msg, "aws_ecs_capacity_provider.tagged")
	}
	if !untagged || tagged {
		t.Errorf("warnings: untagged %v (want it), tagged %v (want none):\n%v", untagged, tagged, res.Warnings)
	}
}

// TestSweep26DefaultGroupDestroy: a rule of aws_default_security_group
// that names another group of the configuration outlives `terraform
// destroy` (the provider's delete of a default group only forgets it), so
// the named group cannot be deleted (DependencyViolation until the delete
// timeout, as a real destroy against ecsnet serve showed). ecsnet now
// warns at the rule's block; the self rule is not warned of.
func TestSweep26DefaultGroupDestroy(t *testing.T) {
	res := load(t, "testdata/sweep26-default-sg-destroy", nil)
	n := 0
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "aws_default_security_group.default: its ingress rule names aws_security_group.instances") {
			n++
			if w.Line != 29 || !strings.Contains(w.Msg, "terraform destroy cannot delete aws_security_group.instances") {
				t.Errorf("warning at line %d: %s", w.Line, w.Msg)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d warnings of the rule, want 1:\n%v", n, res.Warnings)
	}
}

// TestSweep26EndpointAssociations: aws_vpc_endpoint_route_table_association,
// aws_vpc_endpoint_subnet_association and
// aws_vpc_endpoint_security_group_association were counted among the
// resources that do not change how packets flow and left out, so the
// tasks of gotoweb/brokenman-iac, in private subnets whose S3 gateway
// endpoint is associated that way, were said to fail their image pull
// (ECS_IMAGE_PULL_FAILED: no route to S3). They now modify the endpoint
// as the provider does (ModifyVpcEndpoint): the gateway endpoint routes
// the private table, the logs endpoint has an ENI in each subnet and the
// given group in place of the VPC's default.
func TestSweep26EndpointAssociations(t *testing.T) {
	res := load(t, "testdata/sweep26-endpoint-associations", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "aws_vpc_endpoint_") {
			t.Errorf("warning %q", w.Msg)
		}
	}
	st, _ := res.Engine.Snapshot()
	var https model.SecurityGroupID
	for _, g := range st.SecurityGroups {
		if g.Name == "https" {
			https = g.ID
		}
	}
	for _, ep := range st.VpcEndpoints {
		switch {
		case strings.HasSuffix(ep.ServiceName, ".s3"):
			if len(ep.RouteTables) != 1 {
				t.Errorf("the S3 gateway endpoint's route tables: %v, want the private one", ep.RouteTables)
			}
		case strings.HasSuffix(ep.ServiceName, ".logs"):
			if len(ep.Subnets) != 2 || len(ep.SecurityGroups) != 1 || ep.SecurityGroups[0] != https {
				t.Errorf("the logs endpoint: subnets %v, groups %v; want both subnets and %s only", ep.Subnets, ep.SecurityGroups, https)
			}
		}
	}
}

// TestSweep26VPCRuleNoSource: an aws_vpc_security_group_ingress_rule
// without cidr_ipv4, cidr_ipv6, prefix_list_id or
// referenced_security_group_id is refused by the provider's validator at
// the resource block, in its words (terraform validate, hashicorp/aws
// 5.100.0); ecsnet said it in its own, at security_group_id.
func TestSweep26VPCRuleNoSource(t *testing.T) {
	_, err := terraform.Load("testdata/sweep26-vpc-rule-no-source", terraform.Options{})
	want := "main.tf:17: aws_vpc_security_group_ingress_rule.ecs_ingress_alb: Missing Attribute Configuration: Exactly one of these attributes must be configured: [cidr_ipv4,cidr_ipv6,prefix_list_id,referenced_security_group_id]"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}
