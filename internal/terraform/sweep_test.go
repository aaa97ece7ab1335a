package terraform_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/terraform"
)

// TestSweepLaunchTemplateTagsAndPrefixLists: a launch template's
// tag_specifications name the instances an Auto Scaling group launches
// from it, and aws_ec2_managed_prefix_list / aws_prefix_list find AWS's
// lists (CloudFront's origin-facing one, S3's), whose ids security group
// rules can then use.
func TestSweepLaunchTemplateTagsAndPrefixLists(t *testing.T) {
	res := load(t, "testdata/sweep", nil)
	if got := res.Outputs["s3_list"]; got != "pl-6ea54007" {
		t.Errorf("s3_list = %s, want S3's list of eu-central-1, the configuration's Region", got)
	}
	if got := res.Outputs["cloudfront_entries"]; got == "" || got == "0" {
		t.Errorf("cloudfront_entries = %q, want the list's entries", got)
	}
	st, _ := res.Engine.Snapshot()
	n := 0
	for _, in := range st.Instances {
		n++
		if in.Tags["Name"] != "ecs-host" || in.Tags["Team"] != "web" {
			t.Errorf("instance %s tags = %v, want the launch template's Name=ecs-host, Team=web", in.ID, in.Tags)
		}
	}
	if n != 1 {
		t.Errorf("%d instances, want 1", n)
	}
	for _, g := range st.SecurityGroups {
		if g.Name != "hosts" {
			continue
		}
		if len(g.Ingress) != 1 || g.Ingress[0].PrefixList != model.PrefixListID("pl-3b927c52") {
			t.Errorf("hosts ingress = %+v, want CloudFront's prefix list", g.Ingress)
		}
	}
}

// TestVPCModuleStandIn: terraform-aws-modules/vpc/aws and
// security-group/aws, not installed, are read with ecsnet's stand-ins
// (said in a warning, with the arguments they ignore): one NAT gateway for
// the private and database subnets, the module's default security group
// without rules, groups made of named rules and rule lists, and the ALB
// reaches the Fargate tasks in the private subnets.
func TestVPCModuleStandIn(t *testing.T) {
	res := load(t, "testdata/standin", nil)
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, `module "vpc" (source "terraform-aws-modules/vpc/aws") is not installed: ecsnet reads it with its own stand-in`) ||
		!strings.Contains(sum, "stand-in ignores create_flow_log_cloudwatch_log_group") {
		t.Errorf("warnings lack the stand-in's:\n%s", sum)
	}
	if strings.Count(res.Outputs["natgw_ids"], "nat-") != 1 {
		t.Errorf("natgw_ids = %s, want one NAT gateway", res.Outputs["natgw_ids"])
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Subnets) != 6 || len(st.NatGateways) != 1 {
		t.Errorf("%d subnets, %d NAT gateways; want 6 and 1", len(st.Subnets), len(st.NatGateways))
	}
	for _, s := range st.Subnets {
		name := s.Tags["Name"]
		if !strings.HasPrefix(name, "shop-private-eu-west-1") && !strings.HasPrefix(name, "shop-public-eu-west-1") && !strings.HasPrefix(name, "shop-db-eu-west-1") {
			t.Errorf("subnet named %q, want the module's shop-<tier>-<zone>", name)
		}
	}
	for _, g := range st.SecurityGroups {
		switch {
		case g.Name == "default" && (len(g.Ingress) != 0 || len(g.Egress) != 0):
			t.Errorf("the module's default group keeps rules: %+v %+v", g.Ingress, g.Egress)
		case strings.HasPrefix(g.Name, "alb-"):
			// security-group/aws: http-80-tcp from anywhere, all-all to
			// the VPC (and to ::/0, the module's egress_ipv6_cidr_blocks).
			var v4 []string
			for _, r := range g.Egress {
				if r.CIDR.Addr().Is4() {
					v4 = append(v4, r.CIDR.String())
				}
			}
			if len(g.Ingress) != 1 || g.Ingress[0].Ports.First != 80 || len(v4) != 1 || v4[0] != "10.0.0.0/16" {
				t.Errorf("alb group: in %+v, out %+v", g.Ingress, g.Egress)
			}
		case strings.HasPrefix(g.Name, "app-"):
			if len(g.Ingress) != 3 {
				t.Errorf("app group ingress = %+v, want ssh from two CIDRs and 3000 from the ALB's group", g.Ingress)
			}
		}
	}
	if r := probe(t, res.Engine, "internet", "shop"); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → shop = %s: %s", r.Verdict, r.Summary)
	}
	if r := probe(t, res.Engine, "app/0", "8.8.8.8:443"); r.Verdict != reach.Connected {
		t.Errorf("app/0 → the internet through the NAT gateway = %s: %s", r.Verdict, r.Summary)
	}
}

// TestACMCertificateDNSValidation: aws_acm_certificate is requested
// through ACM and its domain_validation_options are known, so the usual
// for_each of validation records evaluates, and the HTTPS listener takes
// the validated certificate.
func TestACMCertificateDNSValidation(t *testing.T) {
	res := load(t, "testdata/acm", nil)
	if got := res.Outputs["validation_names"]; got != `["shop.example.com","www.shop.example.com"]` {
		t.Errorf("validation_names = %s", got)
	}
	if got := res.Outputs["west_validation"]; got != `["west.example.com"]` {
		t.Errorf("west_validation = %s, want the other region's certificate's record", got)
	}
	if got := res.Outputs["west_arn"]; !strings.HasPrefix(got, "arn:aws:acm:us-west-2:123456789012:certificate/") {
		t.Errorf("west_arn = %s", got)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Certificates) != 1 {
		t.Fatalf("%d certificates, want 1", len(st.Certificates))
	}
	var arn string
	for a, c := range st.Certificates {
		arn = a
		if c.Status != "ISSUED" || c.DomainName != "shop.example.com" {
			t.Errorf("certificate %+v", c)
		}
	}
	n := 0
	for _, ls := range st.Listeners {
		n++
		if ls.Port != 443 || len(ls.Certificates) != 1 || ls.Certificates[0] != arn {
			t.Errorf("listener %d certificates %v, want %s", ls.Port, ls.Certificates, arn)
		}
	}
	if n != 1 {
		t.Errorf("%d listeners, want 1", n)
	}
}

// TestALBModuleStandIn: terraform-aws-modules/alb/aws (v9 maps), not
// installed, is read with ecsnet's stand-in: its security group rules,
// target groups (backend_port and port forms), the listener's forward and
// its path rule; module.alb.target_groups[key].arn wires the services.
func TestALBModuleStandIn(t *testing.T) {
	res := load(t, "testdata/standin-alb", nil)
	if !strings.HasPrefix(res.Outputs["dns_name"], `"web-`) && !strings.HasPrefix(res.Outputs["dns_name"], "web-") {
		t.Errorf("dns_name = %s", res.Outputs["dns_name"])
	}
	st, _ := res.Engine.Snapshot()
	if len(st.TargetGroups) != 2 || len(st.Listeners) != 1 {
		t.Errorf("%d target groups, %d listeners; want 2 and 1", len(st.TargetGroups), len(st.Listeners))
	}
	ports := map[uint16]bool{}
	for _, tg := range st.TargetGroups {
		ports[tg.Port] = true
	}
	if !ports[80] || !ports[8080] {
		t.Errorf("target group ports %v, want 80 and 8080", ports)
	}
	rules := 0
	for _, r := range st.ListenerRules {
		if r.Priority == 10 && len(r.Conditions) == 1 {
			rules++
		}
	}
	if rules != 1 {
		t.Errorf("%d listener rules, want the api path rule", rules)
	}
	if r := probe(t, res.Engine, "internet", "web"); r.Verdict != reach.HTTP200 {
		t.Errorf("internet → web = %s: %s", r.Verdict, r.Summary)
	}
}

// TestALBModuleStandInV8: the ALB module's older list interface
// (target_groups list, http_tcp_listeners with target_group_index, the v8
// outputs target_group_arns and lb_dns_name); that version makes no
// security group of its own.
func TestALBModuleStandInV8(t *testing.T) {
	res := load(t, "testdata/standin-alb-v8", nil)
	if !strings.Contains(res.Outputs["tg"], ":targetgroup/app-") || !strings.Contains(res.Outputs["dns"], ".elb.amazonaws.com") {
		t.Errorf("outputs tg = %s, dns = %s", res.Outputs["tg"], res.Outputs["dns"])
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Listeners) != 1 || len(st.SecurityGroups) != 2 {
		t.Errorf("%d listeners, %d groups; want 1 listener and the configuration's group beside the default", len(st.Listeners), len(st.SecurityGroups))
	}
	for _, ls := range st.Listeners {
		if len(ls.DefaultActions) != 1 || ls.DefaultActions[0].TargetGroupARN == "" {
			t.Errorf("listener default actions %+v, want a forward to the target group", ls.DefaultActions)
		}
	}
}

// TestLifecycleHooks: aws_autoscaling_lifecycle_hook puts a hook on its
// group (its id the hook's name) and the group's initial_lifecycle_hook
// blocks are hooks it has from its creation, with AWS's defaults
// (default_result ABANDON, heartbeat_timeout 3600), so the instance it
// launches waits in Pending:Wait; health_check_type reaches the group.
func TestLifecycleHooks(t *testing.T) {
	res := load(t, "testdata/lifecycle", nil)
	st, _ := res.Engine.Snapshot()
	g := st.AutoScalingGroups["hosts"]
	if g == nil || len(g.LifecycleHooks) != 2 || g.HealthCheckType != "ELB" || g.HealthCheckGracePeriod != 300 {
		t.Fatalf("hosts = %+v, want two hooks, health check type ELB and grace period 300", g)
	}
	if got := g.LifecycleHooks[0]; got != (model.LifecycleHook{Name: "boot", Transition: "autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout: 120, DefaultResult: "ABANDON"}) {
		t.Errorf("boot = %+v", got)
	}
	if got := g.LifecycleHooks[1]; got != (model.LifecycleHook{Name: "drain", Transition: "autoscaling:EC2_INSTANCE_TERMINATING", HeartbeatTimeout: 3600,
		DefaultResult: "CONTINUE", NotificationMetadata: `{"cluster":"main"}`}) {
		t.Errorf("drain = %+v", got)
	}
	if res.Outputs["drain_id"] != "drain" {
		t.Errorf("drain_id = %q, want drain", res.Outputs["drain_id"])
	}
	waiting := 0
	for _, i := range st.Instances {
		if i.AutoScalingGroup == "hosts" && g.Waiting(i.ID) {
			waiting++
		}
	}
	if waiting != 1 {
		t.Errorf("%d instances wait on the launch hook, want 1", waiting)
	}
}

// TestVPCEndpointsModuleStandIn: terraform-aws-modules/vpc/aws's
// vpc-endpoints submodule, and the kms, s3-bucket and ecr modules, not
// installed, are read with stand-ins: interface endpoints in the intra
// subnets behind the module's own group (tcp/443 from the subnets), the
// S3 gateway endpoint on their route table, and a Fargate task whose ECR
// image needs the execution role the service module makes by default.
func TestVPCEndpointsModuleStandIn(t *testing.T) {
	res := load(t, "testdata/standin-endpoints", nil)
	if got := res.Outputs["endpoint_ids"]; got != "ecr_api,ecr_dkr,logs,s3" {
		t.Errorf("endpoints = %q", got)
	}
	if !strings.HasPrefix(res.Outputs["exec_role"], "arn:aws:iam::") {
		t.Errorf("exec_role = %q, want the module's role ARN", res.Outputs["exec_role"])
	}
	if got := res.Outputs["image"]; got != "123456789012.dkr.ecr.eu-west-1.amazonaws.com/privecr:latest" {
		t.Errorf("image = %q", got)
	}
	st, _ := res.Engine.Snapshot()
	types := map[string]string{}
	for _, ep := range st.VpcEndpoints {
		types[ep.ServiceName] = ep.Type
		switch ep.Type {
		case "Interface":
			if len(ep.Subnets) != 2 || len(ep.SecurityGroups) != 1 || string(ep.SecurityGroups[0]) != res.Outputs["vpce_group"] {
				t.Errorf("%s: subnets %v, groups %v; want the 2 intra subnets and the module's group", ep.ServiceName, ep.Subnets, ep.SecurityGroups)
			}
		case "Gateway":
			if len(ep.RouteTables) != 1 {
				t.Errorf("%s: route tables %v", ep.ServiceName, ep.RouteTables)
			}
		}
	}
	if types["com.amazonaws.eu-west-1.s3"] != "Gateway" || types["com.amazonaws.eu-west-1.ecr.dkr"] != "Interface" || len(types) != 4 {
		t.Errorf("endpoints %v", types)
	}
	g := st.SecurityGroups[model.SecurityGroupID(res.Outputs["vpce_group"])]
	if g == nil || len(g.Ingress) != 2 || g.Ingress[0].Ports.First != 443 {
		t.Fatalf("endpoint group = %+v, want tcp/443 from each intra subnet", g)
	}
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 1 {
		t.Errorf("%d tasks running, want 1", running)
	}
}

// TestParallelCreationOrder: resources that do not depend on each other
// are created as Terraform's parallel walk creates them, nearest the roots
// first: an internet-facing load balancer declared before the VPC's
// internet gateway still finds it.
func TestParallelCreationOrder(t *testing.T) {
	res := load(t, "testdata/sweep-order", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.LoadBalancers) != 1 {
		t.Errorf("%d load balancers, want 1", len(st.LoadBalancers))
	}
}

// TestInterfaceEndpointPrivateDNSDefault: the provider's
// private_dns_enabled defaults to false (it always sends the field), so
// an interface endpoint in a VPC without DNS hostnames is created, without
// private DNS.
func TestInterfaceEndpointPrivateDNSDefault(t *testing.T) {
	res := load(t, "testdata/sweep-privatedns", nil)
	st, _ := res.Engine.Snapshot()
	if len(st.VpcEndpoints) != 1 {
		t.Fatalf("%d endpoints, want 1", len(st.VpcEndpoints))
	}
	for _, ep := range st.VpcEndpoints {
		if ep.PrivateDNSEnabled {
			t.Errorf("%s has private DNS, want none (the provider's default)", ep.ServiceName)
		}
	}
}

// TestManagedScalingScalesOut: a capacity provider with managed scaling
// grows its group when the service's tasks cannot be placed (one awsvpc
// task per t3.micro), up to the group's maximum.
func TestManagedScalingScalesOut(t *testing.T) {
	res := load(t, "testdata/sweep-managed-scaling", nil)
	st, _ := res.Engine.Snapshot()
	if g := st.AutoScalingGroups["hosts"]; g == nil || g.DesiredCapacity != 2 {
		t.Fatalf("group = %+v, want desired capacity 2", g)
	}
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if len(st.Instances) != 2 || running != 2 {
		t.Errorf("%d instances, %d tasks running; want 2 and 2", len(st.Instances), running)
	}
}

// TestCloudInitUserData: user data from data "cloudinit_config" (gzip and
// base64 by default) joins the instance to its cluster with the custom
// attribute its ECS_INSTANCE_ATTRIBUTES names, and a memberOf constraint
// on that attribute places the task there.
func TestCloudInitUserData(t *testing.T) {
	res := load(t, "testdata/sweep-cloudinit", nil)
	if p := res.Outputs["plain"]; !strings.Contains(p, "multipart/mixed") || !strings.Contains(p, "echo hello") {
		t.Errorf("plain = %q, want the MIME message", p)
	}
	st, _ := res.Engine.Snapshot()
	found := false
	for _, ci := range st.ContainerInstances {
		for _, a := range ci.Attributes {
			if a.Name == "mongo" && a.Value == "primary" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no container instance with the attribute mongo=primary")
	}
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 1 {
		t.Errorf("%d tasks running, want 1", running)
	}
}

// TestAwsIaVPCStandIn: aws-ia/vpc/aws, not installed, is read with its
// stand-in: subnets per type and zone keyed type/zone, one NAT gateway for
// single_az that every private subnet routes to, and a Fargate task there
// that can reach the internet.
func TestAwsIaVPCStandIn(t *testing.T) {
	res := load(t, "testdata/standin-aws-ia-vpc", nil)
	if got := res.Outputs["private_keys"]; got != "private/us-west-2a,private/us-west-2b,private/us-west-2c" {
		t.Errorf("private subnets keyed %q", got)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Subnets) != 6 || len(st.NatGateways) != 1 {
		t.Fatalf("%d subnets, %d NAT gateways; want 6 and 1", len(st.Subnets), len(st.NatGateways))
	}
	var nat string
	for id := range st.NatGateways {
		nat = string(id)
	}
	if res.Outputs["natgw"] != nat {
		t.Errorf("natgw_id_per_az for us-west-2c = %q, want the single gateway %s", res.Outputs["natgw"], nat)
	}
	for _, s := range st.Subnets {
		if s.CIDR.Bits() != 24 {
			t.Errorf("subnet %s is %s, want a /24", s.Tags["Name"], s.CIDR)
		}
	}
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 1 {
		t.Errorf("%d tasks running, want 1", running)
	}
}

// TestCloudPosseStandIns: cloudposse's label, vpc and dynamic-subnets
// modules, not installed, are read with stand-ins: the label's id names
// the VPC, the subnets are carved as v2 carves them (private first), a NAT
// gateway per zone, and a Fargate task in the private subnets runs.
func TestCloudPosseStandIns(t *testing.T) {
	res := load(t, "testdata/standin-cloudposse", nil)
	want := map[string]string{"id": "eg-test-ecs-web-app", "private": "172.16.0.0/19,172.16.32.0/19", "public": "172.16.96.0/19,172.16.128.0/19"}
	for k, v := range want {
		if res.Outputs[k] != v {
			t.Errorf("%s = %q, want %q", k, res.Outputs[k], v)
		}
	}
	st, _ := res.Engine.Snapshot()
	if len(st.NatGateways) != 2 {
		t.Errorf("%d NAT gateways, want one per zone", len(st.NatGateways))
	}
	for _, v := range st.VPCs {
		if v.Tags["Name"] != "eg-test-ecs-web-app" || v.Tags["Namespace"] != "eg" {
			t.Errorf("VPC tags %v", v.Tags)
		}
	}
	running := 0
	for _, tk := range st.Tasks {
		if tk.LastStatus == "RUNNING" {
			running++
		}
	}
	if running != 1 {
		t.Errorf("%d tasks running, want 1", running)
	}
}

// TestSweepVPCModuleIPv6: the VPC stand-in's enable_ipv6 gives the VPC
// an Amazon-provided /56, a /64 per subnet from its *_subnet_ipv6_prefixes,
// ::/0 to the internet gateway from the public route table and to an
// egress-only gateway from the private ones (as the module does); the
// aws_subnet data source exports ipv6_cidr_block; the ALB stand-in passes
// ip_address_type on; and a key nested in a stand-in's argument that it
// does not read is named in a warning at its line.
func TestSweepVPCModuleIPv6(t *testing.T) {
	res := load(t, "testdata/sweep-ipv6", nil)
	v6 := res.Outputs["vpc_ipv6"]
	if !strings.HasSuffix(v6, "::/56") {
		t.Fatalf("vpc_ipv6 = %q, want a /56", v6)
	}
	priv := strings.Split(res.Outputs["private_ipv6"], ",")
	if len(priv) != 2 || !strings.HasSuffix(priv[0], "03::/64") || !strings.HasSuffix(priv[1], "04::/64") {
		t.Errorf("private_ipv6 = %v, want the /56's 3rd and 4th /64", priv)
	}
	if !strings.HasPrefix(res.Outputs["eigw"], "eigw-") {
		t.Errorf("eigw = %q", res.Outputs["eigw"])
	}
	st, _ := res.Engine.Snapshot()
	for _, s := range st.Subnets {
		if len(s.IPv6) != 1 || !s.AssignIPv6AddressOnCreation {
			t.Errorf("subnet %s IPv6 = %v assign %v", s.Tags["Name"], s.IPv6, s.AssignIPv6AddressOnCreation)
		}
	}
	routes := 0
	for _, rt := range st.RouteTables {
		for _, r := range rt.Routes {
			if r.Destination.String() == "::/0" {
				routes++
			}
		}
	}
	if routes != 2 {
		t.Errorf("%d ::/0 routes, want 2 (public to the gateway, private to the egress-only one)", routes)
	}
	for _, lb := range st.LoadBalancers {
		if lb.IPAddressType != "dualstack" {
			t.Errorf("load balancer %s ip address type %q, want dualstack", lb.Name, lb.IPAddressType)
		}
	}
	egress := 0
	for _, g := range st.SecurityGroups {
		for _, r := range g.Egress {
			if r.CIDR.Addr().Is6() && r.CIDR.Bits() == 64 {
				egress++
			}
		}
	}
	if egress != 2 {
		t.Errorf("%d egress rules to the private subnets' /64s, want 2", egress)
	}
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	if !strings.Contains(sum, `main.tf:57: module "alb": ecsnet's stand-in ignores target_groups["app"].lambda_multi_value_headers_enabled`) ||
		strings.Contains(sum, "backend_port") || strings.Contains(sum, "protocol_version") {
		t.Errorf("warnings:\n%s", sum)
	}
}

// TestSweepUnreadArguments: an argument of a modelled resource that ecsnet
// does not read is named in a warning at the resource: a misspelling of
// one it reads (ingress.cidr_block for cidr_blocks), which Terraform would
// refuse, with a "did you mean"; the others in one line. The ports of an
// all-traffic rule, which AWS ignores, are not named.
func TestSweepUnreadArguments(t *testing.T) {
	res := load(t, "testdata/sweep-unread", nil)
	var sum string
	for _, w := range res.Warnings {
		sum += w.String() + "\n"
	}
	for _, want := range []string{
		"main.tf:12: aws_security_group.web: ingress.cidr_block (line 18) is not an argument ecsnet reads; did you mean cidr_blocks?",
		"main.tf:7: aws_vpc.v: ecsnet does not read enable_classiclink",
	} {
		if !strings.Contains(sum, want) {
			t.Errorf("warnings lack %q:\n%s", want, sum)
		}
	}
	if strings.Contains(sum, "egress.from_port") || strings.Contains(sum, "cidr_block,") {
		t.Errorf("warnings name arguments ecsnet reads:\n%s", sum)
	}
}

// TestSweepVPCModuleV3Defaults: the VPC stand-in follows the defaults of
// the major version a call pins: v3's public subnets map public IPs on
// launch and its default security group keeps AWS's rules, so the
// bastion is reachable on SSH from the internet.
func TestSweepVPCModuleV3Defaults(t *testing.T) {
	res := load(t, "testdata/sweep-vpc-v3", nil)
	st, _ := res.Engine.Snapshot()
	for _, s := range st.Subnets {
		if want := strings.Contains(s.Tags["Name"], "public"); s.MapPublicIPOnLaunch != want {
			t.Errorf("subnet %s map public IP %v, want %v", s.Tags["Name"], s.MapPublicIPOnLaunch, want)
		}
	}
	for _, v := range st.VPCs {
		if !v.IsDefault && v.EnableDNSHostnames {
			t.Errorf("VPC %s has DNS hostnames; v3 left them off", v.ID)
		}
	}
	for _, g := range st.SecurityGroups {
		if g.Name == "default" && len(g.Ingress) == 0 {
			t.Errorf("default group %s lost AWS's rules (v3 does not manage it)", g.ID)
		}
	}
	var public bool
	for _, in := range st.Instances {
		public = public || in.AutoPublicIP
	}
	if !public {
		t.Error("the bastion has no public IP; v3's public subnets map one on launch")
	}
}

// TestSweepCapacityProviderRace: ECS's refusal of a capacity provider the
// configuration makes, but that the service does not depend on, names
// what makes it and the depends_on that orders them.
func TestSweepCapacityProviderRace(t *testing.T) {
	_, err := terraform.Load("testdata/sweep-cp-race", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "The specified capacity provider was not found") ||
		!strings.Contains(err.Error(), "aws_ecs_service.app does not depend on them") ||
		!strings.Contains(err.Error(), "add depends_on = [module.ecs] to the service") {
		t.Errorf("err = %v", err)
	}
}

// TestSweepModuleListenerRace: ECS's "does not have an associated load
// balancer" for a service a module makes, behind a listener its caller
// makes, names the listener and the depends_on on the module call.
func TestSweepModuleListenerRace(t *testing.T) {
	_, err := terraform.Load("testdata/sweep-module-listener", terraform.Options{})
	if err == nil || !strings.Contains(err.Error(), "does not have an associated load balancer") ||
		!strings.Contains(err.Error(), `add depends_on = [aws_lb_listener.http] to module "ecs"`) {
		t.Errorf("err = %v", err)
	}
	// Raised in the stand-in, said at the module call of the configuration.
	if err == nil || !strings.HasPrefix(err.Error(), "testdata/sweep-module-listener/main.tf:46: module.ecs.module.service") {
		t.Errorf("err not at the module call: %v", err)
	}
}
