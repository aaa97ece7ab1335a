package terraform_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// Round thirty-six (docs/terraform-acceptance.md, "Round thirty-six"):
// what the public configurations found in the reader.

// The alb module's subnet_mapping gives an NLB its Elastic IPs, and a
// target group's preserve_client_ip, deregistration_delay and
// load_balancing_cross_zone_enabled reach ELB (the
// stand-in ignored them, so the NLB took ELB-picked addresses in every
// default subnet), and the acm module's v2 output this_acm_certificate_arn
// reaches the TLS listener (the stand-in had only the v3 names, so the
// configuration was refused as "Unsupported attribute").
func TestTF36NLBModuleSubnetMappingAndACMv2(t *testing.T) {
	res := load(t, "testdata/tf36-nlb-module-eips", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "ignores subnet_mapping") {
			t.Errorf("warning %q: the stand-in reads subnet_mapping", w.Msg)
		}
	}
	eips := strings.Split(res.Outputs["eips"], ",")
	var nodes []string
	var tlsCerts []string
	res.Engine.Read(func(st *model.State) {
		for _, lb := range st.LoadBalancers {
			if lb.Name != "eips-nlb" {
				continue
			}
			for _, n := range lb.Nodes {
				nodes = append(nodes, string(n.AllocationID))
			}
			for _, l := range st.Listeners {
				if l.LoadBalancerARN == lb.ARN && l.Protocol == "TLS" {
					tlsCerts = l.Certificates
				}
			}
		}
	})
	slices.Sort(nodes)
	if len(eips) != 2 || !slices.Equal(nodes, eips) {
		t.Errorf("NLB nodes' Elastic IPs %v, want one node per mapping with %v", nodes, eips)
	}
	if len(tlsCerts) != 1 || !strings.Contains(tlsCerts[0], ":certificate/") {
		t.Errorf("TLS listener certificates %v, want the acm module's certificate", tlsCerts)
	}
	// The target group's attributes reach ELB through the stand-in.
	var tcp string
	res.Engine.Read(func(st *model.State) {
		for arn, tg := range st.TargetGroups {
			if tg.Protocol == "TCP" {
				tcp = arn
			}
		}
	})
	kv, err := res.Engine.TargetGroupAttributes(tcp)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range kv {
		got[p[0]] = p[1]
	}
	if got["preserve_client_ip.enabled"] != "true" || got["deregistration_delay.timeout_seconds"] != "10" || got["load_balancing.cross_zone.enabled"] != "false" {
		t.Errorf("TCP group attributes %v: want client IP preservation, a 10-second deregistration delay and cross-zone off", got)
	}
}

// A task size written in vCPU or GB is registered by ECS in units, which
// the provider reads back: every later plan replaces the task definition
// (hashicorp/terraform-provider-aws#29139). The reader says so at the
// argument, and not of a size written in units.
func TestTF36TaskSizeInWordsReplacedEveryPlan(t *testing.T) {
	res := load(t, "testdata/tf36-task-size-units", nil)
	var cpu, mem bool
	for _, w := range res.Warnings {
		if !strings.Contains(w.Msg, "every later plan replaces the task definition") {
			continue
		}
		switch {
		case strings.Contains(w.Msg, "aws_ecs_task_definition.units"):
			t.Errorf("warning %q: a size in units reads back as written", w.Msg)
		case strings.Contains(w.Msg, `cpu = "1 vCPU"`) && strings.Contains(w.Msg, "write cpu = 1024"):
			cpu = true
		case strings.Contains(w.Msg, `memory = "3 GB"`) && strings.Contains(w.Msg, "write memory = 3072"):
			mem = true
		}
	}
	if !cpu || !mem {
		t.Errorf("warnings %v: want the cpu and memory of aws_ecs_task_definition.words named with their units", res.Warnings)
	}
}

// The provider's schema takes ephemeral_storage.size_in_gib from 21 to
// 200 (validation.IntBetween): 20, Fargate's default, is refused when
// written, with terraform validate's text at the argument (terraform
// 1.11.4 with hashicorp/aws 5.100.0 says the same at the same line); the
// bounds are taken.
func TestTF36EphemeralStorageRange(t *testing.T) {
	errs := loadErrs(t, "testdata/tf36-ephemeral-storage")
	if len(errs) != 1 || errs[0].Address != "aws_ecs_task_definition.default_written" || errs[0].Line != 21 ||
		errs[0].Msg != "expected ephemeral_storage.0.size_in_gib to be in the range (21 - 200), got 20" {
		t.Errorf("errors %v: want the 20 GiB task definition refused at its size_in_gib, alone", errs)
	}
}

// A Service Connect timeout block on a port without appProtocol (TCP) is
// refused as ECS refuses it: the provider sends per_request_timeout_seconds
// (0 when unset) with any timeout block. An http port takes it.
func TestTF36ServiceConnectTimeoutOnTCP(t *testing.T) {
	errs := loadErrs(t, "testdata/tf36-sc-timeout-tcp")
	if len(errs) != 1 || errs[0].Address != `aws_ecs_service.s["cart"]` ||
		!strings.Contains(errs[0].Msg, "InvalidParameterException: Per request timeout 0 can't be set for tcp application.") {
		t.Errorf("errors %v: want the TCP service refused for its per-request timeout, alone", errs)
	}
}

// terraform-aws-modules/ecs v6's ECS-native blue/green service through the
// stand-ins: the service takes the module's deployment_configuration and
// its load balancer's advanced_configuration (both were dropped), the
// FireLens sidecar's image is the public AWS for Fluent Bit parameter's
// value (it was a placeholder, which the analyzer took for an image ECS
// cannot pull: a false ECS_IMAGE_REFERENCE_INVALID), and no race with the alb module's
// listeners is warned of: the service names its listener rules, so
// Terraform creates them first (the warning counted the alb stand-in's
// v8 listeners, which make nothing).
func TestTF36ECSModuleBlueGreen(t *testing.T) {
	res := load(t, "testdata/tf36-ecs-module-blue-green", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "does not depend on") || strings.Contains(w.Msg, "not known to ecsnet") ||
			strings.Contains(w.Msg, "deployment_configuration") || strings.Contains(w.Msg, "advanced_configuration") {
			t.Errorf("warning %q", w.Msg)
		}
	}
	var svc *model.Service
	var images []string
	firelens := false
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			if s.Name == "web" {
				svc = s
			}
		}
		for _, td := range st.TaskDefinitions {
			for _, c := range td.Containers {
				images = append(images, c.Image)
				_, ok := c.Raw["firelensConfiguration"]
				firelens = firelens || ok
			}
		}
	})
	if !firelens {
		t.Errorf("no container with its firelensConfiguration: the stand-in passes it on")
	}
	if svc == nil || svc.DeploymentConfig == nil || svc.DeploymentConfig.Strategy != "BLUE_GREEN" || svc.DeploymentConfig.BakeTimeInMinutes != 2 {
		t.Fatalf("service %+v: want a BLUE_GREEN deployment configuration with a 2-minute bake", svc)
	}
	if len(svc.LoadBalancers) != 1 || svc.LoadBalancers[0].Advanced == nil || !strings.Contains(svc.LoadBalancers[0].Advanced.AlternateTargetGroupARN, ":targetgroup/") ||
		!strings.Contains(svc.LoadBalancers[0].Advanced.TestListenerRule, ":listener-rule/") {
		t.Errorf("load balancers %+v: want the advanced configuration's alternate group and test rule", svc.LoadBalancers)
	}
	if !slices.Contains(images, "906394416424.dkr.ecr.eu-west-1.amazonaws.com/aws-for-fluent-bit:stable") {
		t.Errorf("images %v: want AWS for Fluent Bit's stable image in eu-west-1", images)
	}
}

// A state's ECS service holds the service-linked role ECS answered as its
// roleArn (the configuration gave no iam_role); reading the state sent it
// to CreateService as a role given, which ECS refuses for an awsvpc
// service ("You cannot specify an IAM role for services that require a
// service linked role"), so the state of a plain CodeDeploy blue/green
// configuration could not be read. The deployment group follows its
// service.
func TestTF36StateServiceLinkedRole(t *testing.T) {
	res, err := terraform.LoadJSON("testdata/tf36-state-codedeploy/state.json", terraform.Options{})
	if err != nil {
		t.Fatalf("LoadJSON: %v", err)
	}
	var svc *model.Service
	groups := 0
	res.Engine.Read(func(st *model.State) {
		for _, s := range st.Services {
			svc = s
		}
		for _, g := range st.CodeDeployGroups {
			if len(g.ECSServices) == 1 && len(g.TargetGroupPairs) == 1 {
				groups++
			}
		}
	})
	if svc == nil || !strings.HasSuffix(svc.RoleARN, ":role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS") {
		t.Errorf("service %v: want it created without a role (answering the service-linked one)", svc)
	}
	if groups != 1 {
		t.Errorf("%d ECS deployment groups with their service and target group pair, want 1", groups)
	}
}

// data "aws_network_interface" and "aws_network_interfaces" answer the
// account's ENIs by filter (they were not modelled, so a group admitting
// an NLB's node addresses looked up by the nodes' description was left
// out of the analysis, with a warning).
func TestTF36NetworkInterfaceDataSources(t *testing.T) {
	res := load(t, "testdata/tf36-nlb-eni-lookup", nil)
	for _, w := range res.Warnings {
		if strings.Contains(w.Msg, "not modeled") || strings.Contains(w.Msg, "does not know") {
			t.Errorf("warning %q", w.Msg)
		}
	}
	if got := res.Outputs["types"]; got != "network_load_balancer,network_load_balancer" {
		t.Errorf("types %q, want both NLB node ENIs", got)
	}
	if res.Outputs["ids"] == "" || res.Outputs["ids"] != res.Outputs["node_ids"] {
		t.Errorf("aws_network_interfaces ids %q, want the two nodes %q", res.Outputs["ids"], res.Outputs["node_ids"])
	}
	var want, got []string
	res.Engine.Read(func(st *model.State) {
		for _, lb := range st.LoadBalancers {
			for _, n := range lb.Nodes {
				want = append(want, st.NetworkInterfaces[n.ENI].PrimaryIP().String()+"/32")
			}
		}
		for _, g := range st.SecurityGroups {
			if g.Name != "task" {
				continue
			}
			for _, r := range g.Ingress {
				got = append(got, r.CIDR.String())
			}
		}
	})
	slices.Sort(want)
	slices.Sort(got)
	if len(want) != 2 || !slices.Equal(got, want) {
		t.Errorf("the task group admits %v, want the NLB's node addresses %v", got, want)
	}
}
