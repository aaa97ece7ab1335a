package server_test

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// noValidation lets a request the SDK would refuse (a required member
// left out) reach the server, which must answer it as AWS does.
func noValidation(o *ecs.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

var expressEndpointRE = regexp.MustCompile(`^https://we-[0-9a-f]{32}\.ecs\.us-east-1\.on\.aws$`)

// TestExpressGatewayServiceLifecycle, through the AWS SDK for Go v2: ECS
// Express Mode in a new account (the default VPC) makes the cluster
// `default`, a Fargate service with Express Mode's defaults (1 vCPU,
// 2 GB, port 80, health check /ping, 1 to 20 tasks on average CPU at 60),
// an internet-facing ALB with an HTTPS listener, a host-header rule for
// the service's endpoint and an ip target group, all visible through ECS,
// ELBv2, EC2 and Application Auto Scaling; the tasks register as targets
// and the analyzer reaches a task from the internet by the endpoint's name
// (the host-header rule), not by the load balancer's own name (the
// listener's 404), and Network Insights finds a path from the internet
// gateway to the load balancer on 443 but none to the task's ENI; an
// update changes the image (a new task definition
// revision) and the scaling bounds; a delete removes the load balancer,
// its listener, rule, target group and security group and the scaling
// target, and the service drains to INACTIVE. Bad input gets ECS's
// errors.
func TestExpressGatewayServiceLifecycle(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	scaling := aas.NewFromConfig(sdkConfig(), func(o *aas.Options) { o.BaseEndpoint = aws.String(em.URL) })
	raw := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) }, noValidation)
	exec := executionRole(t, em.URL)
	infra := infrastructureRole(t, em.URL, "ecsInfrastructureRoleForExpressServices", "ecs.amazonaws.com")
	untrusted := infrastructureRole(t, em.URL, "tasksOnly", "ecs-tasks.amazonaws.com")
	image := &ecstypes.ExpressGatewayContainer{Image: aws.String("public.ecr.aws/nginx/nginx:latest")}

	// Bad input.
	_, err := raw.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra})
	wantCode(t, err, "InvalidParameterException") // no primaryContainer
	_, err = raw.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{InfrastructureRoleArn: &infra, PrimaryContainer: image})
	wantCode(t, err, "InvalidParameterException") // no execution role
	_, err = raw.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, PrimaryContainer: image})
	wantCode(t, err, "InvalidParameterException") // no infrastructure role
	_, err = c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra,
		PrimaryContainer: image, Cluster: aws.String("nope")})
	wantCode(t, err, "ClusterNotFoundException")
	_, err = c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &untrusted,
		PrimaryContainer: image})
	wantLimitError(t, "an infrastructure role ECS cannot assume", err, "InvalidParameterException",
		"ECS was unable to assume the configured ECS Infrastructure Role '"+untrusted+"'. Please verify that the role being passed has the proper trust relationship with Amazon ECS.")
	// A step that fails after the load balancer was made (the task
	// definition's cpu) undoes the whole call.
	_, err = c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra,
		PrimaryContainer: image, Cpu: aws.String("3")})
	if err == nil {
		t.Fatal("cpu 3 accepted")
	}
	// Nothing of the refused requests stayed behind.
	lbs, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	tgs, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	must(t, err)
	clusters, err := c.ecs.ListClusters(ctx, &ecs.ListClustersInput{})
	must(t, err)
	if len(lbs.LoadBalancers)+len(tgs.TargetGroups)+len(clusters.ClusterArns) != 0 {
		t.Fatalf("refused requests left %d load balancers, %d target groups, %d clusters", len(lbs.LoadBalancers), len(tgs.TargetGroups), len(clusters.ClusterArns))
	}

	out, err := c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra,
		ServiceName: aws.String("web"), PrimaryContainer: image})
	must(t, err)
	s := out.Service
	if aws.ToString(s.Cluster) != "default" || aws.ToString(s.ServiceName) != "web" || s.Status.StatusCode != ecstypes.ExpressGatewayServiceStatusCodeActive ||
		len(s.ActiveConfigurations) != 1 {
		t.Fatalf("created: %+v", s)
	}
	cfg := s.ActiveConfigurations[0]
	if aws.ToString(cfg.Cpu) != "1024" || aws.ToString(cfg.Memory) != "2048" || aws.ToString(cfg.HealthCheckPath) != "/ping" ||
		aws.ToInt32(cfg.PrimaryContainer.ContainerPort) != 80 || aws.ToInt32(cfg.ScalingTarget.MinTaskCount) != 1 ||
		aws.ToInt32(cfg.ScalingTarget.MaxTaskCount) != 20 || cfg.ScalingTarget.AutoScalingMetric != ecstypes.ExpressGatewayServiceScalingMetricAverageCPUUtilization ||
		aws.ToInt32(cfg.ScalingTarget.AutoScalingTargetValue) != 60 || len(cfg.IngressPaths) != 1 || cfg.IngressPaths[0].AccessType != ecstypes.AccessTypePublic ||
		!expressEndpointRE.MatchString(aws.ToString(cfg.IngressPaths[0].Endpoint)) || len(cfg.NetworkConfiguration.Subnets) < 2 {
		t.Fatalf("configuration: %+v %+v %+v", cfg, cfg.PrimaryContainer, cfg.ScalingTarget)
	}
	arn := aws.ToString(s.ServiceArn)
	endpoint := strings.TrimPrefix(aws.ToString(cfg.IngressPaths[0].Endpoint), "https://")
	d, err := c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: &arn})
	must(t, err)
	if aws.ToString(d.Service.ServiceArn) != arn || aws.ToString(d.Service.InfrastructureRoleArn) != infra {
		t.Errorf("described: %+v", d.Service)
	}
	// The revision names what Express Mode made for it, and the current
	// deployment is a service deployment.
	rev, err := c.ecs.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{aws.ToString(cfg.ServiceRevisionArn)}})
	must(t, err)
	if len(rev.ServiceRevisions) != 1 || rev.ServiceRevisions[0].EcsManagedResources == nil {
		t.Fatalf("revision %s: %+v", aws.ToString(cfg.ServiceRevisionArn), rev)
	}
	managed := rev.ServiceRevisions[0].EcsManagedResources
	sd, err := c.ecs.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{aws.ToString(d.Service.CurrentDeployment)}})
	must(t, err)
	if len(sd.ServiceDeployments) != 1 {
		t.Errorf("current deployment %s: %+v", aws.ToString(d.Service.CurrentDeployment), sd)
	}
	_, err = c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: aws.String(strings.Replace(arn, "/web", "/nope", 1))})
	wantCode(t, err, "ResourceNotFoundException")

	// The pieces, through their own APIs.
	cl, err := c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"default"}})
	must(t, err)
	if len(cl.Clusters) != 1 || !slices.Contains(cl.Clusters[0].CapacityProviders, "FARGATE") {
		t.Errorf("cluster default: %+v", cl.Clusters)
	}
	svc, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("default"), Services: []string{"web"}})
	must(t, err)
	if len(svc.Services) != 1 || svc.Services[0].LaunchType != ecstypes.LaunchTypeFargate || len(svc.Services[0].LoadBalancers) != 1 {
		t.Fatalf("service: %+v", svc.Services)
	}
	tgARN := aws.ToString(svc.Services[0].LoadBalancers[0].TargetGroupArn)
	lbs, err = c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancers) != 1 || lbs.LoadBalancers[0].Scheme != elbtypes.LoadBalancerSchemeEnumInternetFacing || len(lbs.LoadBalancers[0].SecurityGroups) != 1 {
		t.Fatalf("load balancers: %+v", lbs.LoadBalancers)
	}
	lb := lbs.LoadBalancers[0]
	if ip := managed.IngressPaths; len(ip) != 1 || aws.ToString(ip[0].LoadBalancer.Arn) != aws.ToString(lb.LoadBalancerArn) ||
		ip[0].LoadBalancer.Status != ecstypes.ManagedResourceStatusActive || aws.ToString(ip[0].TargetGroups[0].Arn) != tgARN ||
		aws.ToString(ip[0].LoadBalancer.Scheme) != "internet-facing" || managed.AutoScaling.ScalableTarget.Status != ecstypes.ManagedResourceStatusActive {
		t.Errorf("managed resources: %+v", managed)
	}
	ls, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn})
	must(t, err)
	if len(ls.Listeners) != 1 || ls.Listeners[0].Protocol != elbtypes.ProtocolEnumHttps || aws.ToInt32(ls.Listeners[0].Port) != 443 {
		t.Fatalf("listeners: %+v", ls.Listeners)
	}
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: ls.Listeners[0].ListenerArn})
	must(t, err)
	found := false
	for _, r := range rules.Rules {
		if len(r.Conditions) == 1 && aws.ToString(r.Conditions[0].Field) == "host-header" && slices.Contains(r.Conditions[0].Values, endpoint) &&
			aws.ToString(r.Actions[0].TargetGroupArn) == tgARN {
			found = true
		}
	}
	if !found {
		t.Errorf("no host-header rule for %s to %s: %+v", endpoint, tgARN, rules.Rules)
	}
	tgs, err = c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{tgARN}})
	must(t, err)
	if tg := tgs.TargetGroups[0]; tg.TargetType != elbtypes.TargetTypeEnumIp || aws.ToString(tg.HealthCheckPath) != "/ping" || aws.ToInt32(tg.Port) != 80 {
		t.Errorf("target group: %+v", tg)
	}
	lbGroup := lb.SecurityGroups[0]
	sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{lbGroup}})
	must(t, err)
	if p := sgs.SecurityGroups[0].IpPermissions; len(p) != 1 || aws.ToInt32(p[0].FromPort) != 443 {
		t.Errorf("load balancer group's ingress: %+v", p)
	}
	st, err := scaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(st.ScalableTargets) != 1 || aws.ToInt32(st.ScalableTargets[0].MinCapacity) != 1 || aws.ToInt32(st.ScalableTargets[0].MaxCapacity) != 20 {
		t.Fatalf("scalable targets: %+v", st.ScalableTargets)
	}
	pol, err := scaling.DescribeScalingPolicies(ctx, &aas.DescribeScalingPoliciesInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(pol.ScalingPolicies) != 1 || pol.ScalingPolicies[0].PolicyType != aastypes.PolicyTypeTargetTrackingScaling {
		t.Errorf("scaling policies: %+v", pol.ScalingPolicies)
	}

	// The task registers as a target; the analyzer reaches it by the
	// endpoint's name.
	eventually(t, "a task registered in the target group", func() bool {
		h, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &tgARN})
		return err == nil && len(h.TargetHealthDescriptions) == 1
	})
	eng, err := em.srv.Engine("us-east-1")
	must(t, err)
	snap, _ := eng.Snapshot()
	n := reach.Compile(snap)
	q, err := reach.NewQuery(n, "internet", endpoint+":443", "tcp")
	must(t, err)
	r := reach.Probe(n, q)
	if !r.Reachable || r.To == nil || len(r.Targets) != 1 || !r.Targets[0].Chosen || r.HTTPStatus == 404 {
		t.Errorf("internet -> %s:443 does not reach the task: %s", endpoint, r.Summary)
	}
	t.Log(r.Summary)
	// A snapshot of the account (no Express Mode record: what collect
	// reads) resolves the endpoint by the listener rule alone.
	for arn, sv := range snap.Services {
		bare := *sv
		bare.Express = nil
		snap.Services[arn] = &bare
	}
	bn := reach.Compile(snap)
	bq, err := reach.NewQuery(bn, "internet", endpoint+":443", "tcp")
	must(t, err)
	if r := reach.Probe(bn, bq); !r.Reachable || len(r.Targets) != 1 || !r.Targets[0].Chosen {
		t.Errorf("without the express record, internet -> %s:443 does not reach the task: %s", endpoint, r.Summary)
	}
	q, err = reach.NewQuery(n, "internet", aws.ToString(lb.DNSName)+":443", "tcp")
	must(t, err)
	if r := reach.Probe(n, q); r.HTTPStatus != 404 || len(r.Targets) != 0 {
		t.Errorf("internet -> the load balancer's own name, want the listener's 404 (its host has no rule): %s", r.Summary)
	}

	// Network Insights: from the internet gateway the load balancer is
	// reached on 443; the task itself is not (its group admits the load
	// balancer's only).
	igws, err := c.ec2.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []ec2types.Filter{filter("attachment.vpc-id", aws.ToString(lb.VpcId))}})
	must(t, err)
	igw := aws.ToString(igws.InternetGateways[0].InternetGatewayId)
	lbENIs, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{filter("description", "ELB app/*")}})
	must(t, err)
	if len(lbENIs.NetworkInterfaces) == 0 {
		t.Fatal("the load balancer has no network interfaces")
	}
	if an := analyzePort(t, c.ec2, igw, aws.ToString(lbENIs.NetworkInterfaces[0].NetworkInterfaceId), 443); !aws.ToBool(an.NetworkPathFound) {
		t.Errorf("Network Insights: no path from %s to the load balancer on 443: %v", igw, codes(an))
	}
	tasks, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("default"), ServiceName: aws.String("web")})
	must(t, err)
	dt, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("default"), Tasks: tasks.TaskArns})
	must(t, err)
	var eni string
	for _, kv := range dt.Tasks[0].Attachments[0].Details {
		if aws.ToString(kv.Name) == "networkInterfaceId" {
			eni = aws.ToString(kv.Value)
		}
	}
	if an := analyzePort(t, c.ec2, igw, eni, 80); aws.ToBool(an.NetworkPathFound) {
		t.Errorf("Network Insights: the task's ENI %s is reached from the internet directly", eni)
	}

	// Update: a new image and new scaling bounds.
	up, err := c.ecs.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceInput{ServiceArn: &arn,
		PrimaryContainer: &ecstypes.ExpressGatewayContainer{Image: aws.String("public.ecr.aws/nginx/nginx:1.27")},
		ScalingTarget:    &ecstypes.ExpressGatewayScalingTarget{MinTaskCount: aws.Int32(2), MaxTaskCount: aws.Int32(4)}, HealthCheckPath: aws.String("/healthz")})
	must(t, err)
	if tc := up.Service.TargetConfiguration; aws.ToString(tc.PrimaryContainer.Image) != "public.ecr.aws/nginx/nginx:1.27" || aws.ToInt32(tc.ScalingTarget.MinTaskCount) != 2 {
		t.Errorf("updated: %+v", tc)
	}
	svc, err = c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("default"), Services: []string{"web"}})
	must(t, err)
	td, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: svc.Services[0].TaskDefinition})
	must(t, err)
	if aws.ToString(td.TaskDefinition.ContainerDefinitions[0].Image) != "public.ecr.aws/nginx/nginx:1.27" || td.TaskDefinition.Revision != 2 ||
		svc.Services[0].DesiredCount != 2 {
		t.Errorf("after the update: task definition %+v, desired %d", td.TaskDefinition, svc.Services[0].DesiredCount)
	}
	tgs, err = c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{tgARN}})
	must(t, err)
	if p := aws.ToString(tgs.TargetGroups[0].HealthCheckPath); p != "/healthz" {
		t.Errorf("target group's health check path after the update: %s", p)
	}
	st, err = scaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if aws.ToInt32(st.ScalableTargets[0].MinCapacity) != 2 || aws.ToInt32(st.ScalableTargets[0].MaxCapacity) != 4 {
		t.Errorf("scalable target after the update: %+v", st.ScalableTargets[0])
	}

	// Delete: nothing of what Create made stays.
	del, err := c.ecs.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: &arn})
	must(t, err)
	if del.Service.Status.StatusCode != ecstypes.ExpressGatewayServiceStatusCodeDraining {
		t.Errorf("deleted service's status %s, want DRAINING", del.Service.Status.StatusCode)
	}
	_, err = c.ecs.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: &arn})
	wantCode(t, err, "ServiceNotActiveException")
	_, err = c.ecs.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceInput{ServiceArn: &arn, Cpu: aws.String("2048")})
	wantCode(t, err, "ServiceNotActiveException")
	lbs, err = c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	tgs, err = c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	must(t, err)
	st, err = scaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{ServiceNamespace: aastypes.ServiceNamespaceEcs})
	must(t, err)
	if len(lbs.LoadBalancers)+len(tgs.TargetGroups)+len(st.ScalableTargets) != 0 {
		t.Errorf("left after the delete: %d load balancers, %d target groups, %d scalable targets", len(lbs.LoadBalancers), len(tgs.TargetGroups), len(st.ScalableTargets))
	}
	_, err = c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{lbGroup}})
	wantCode(t, err, "InvalidGroup.NotFound")
	def, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{filter("group-name", "default"),
		filter("vpc-id", aws.ToString(lb.VpcId))}})
	must(t, err)
	for _, p := range def.SecurityGroups[0].IpPermissions {
		for _, g := range p.UserIdGroupPairs {
			if aws.ToString(g.GroupId) == lbGroup {
				t.Errorf("the default group still admits the deleted load balancer's: %+v", p)
			}
		}
	}
	eventually(t, "the service INACTIVE", func() bool {
		d, err := c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: &arn})
		return err == nil && d.Service.Status.StatusCode == ecstypes.ExpressGatewayServiceStatusCodeInactive
	})
}

// TestExpressGatewayServiceInPrivateSubnetsAfterRestart: an express
// service in private subnets (no route to an internet gateway) gets an
// internal load balancer and a PRIVATE ingress path; two services of one
// VPC share the load balancer, each with its own rule; the service and
// its configuration are the same after a restart on the state file, and
// deleting one keeps the shared load balancer for the other.
func TestExpressGatewayServiceInPrivateSubnetsAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	c := sdkClients(url)
	exec := executionRole(t, url)
	infra := infrastructureRole(t, url, "ecsInfrastructureRoleForExpressServices", "ecs.amazonaws.com")
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i]),
			AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("apps")})
	must(t, err)
	create := func(name string) *ecstypes.ECSExpressGatewayService {
		out, err := c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra,
			ServiceName: aws.String(name), Cluster: aws.String("apps"), PrimaryContainer: &ecstypes.ExpressGatewayContainer{Image: aws.String("app:1"),
				ContainerPort: aws.Int32(8080)}, HealthCheckPath: aws.String("/health"),
			NetworkConfiguration: &ecstypes.ExpressGatewayServiceNetworkConfiguration{Subnets: subnets}})
		must(t, err)
		return out.Service
	}
	// No default VPC here and no subnets given.
	_, err = c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra,
		Cluster: aws.String("apps"), PrimaryContainer: &ecstypes.ExpressGatewayContainer{Image: aws.String("app:1")}})
	wantCode(t, err, "InvalidParameterException")
	// One subnet: the load balancer needs two zones.
	_, err = c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra,
		Cluster: aws.String("apps"), PrimaryContainer: &ecstypes.ExpressGatewayContainer{Image: aws.String("app:1")},
		NetworkConfiguration: &ecstypes.ExpressGatewayServiceNetworkConfiguration{Subnets: subnets[:1]}})
	wantCode(t, err, "InvalidParameterException")
	api, worker := create("api"), create("worker")
	if ip := api.ActiveConfigurations[0].IngressPaths[0]; ip.AccessType != ecstypes.AccessTypePrivate {
		t.Errorf("ingress path in private subnets: %+v", ip)
	}
	lbs, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancers) != 1 || lbs.LoadBalancers[0].Scheme != elbtypes.LoadBalancerSchemeEnumInternal {
		t.Fatalf("load balancers: %+v", lbs.LoadBalancers)
	}
	ls, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lbs.LoadBalancers[0].LoadBalancerArn})
	must(t, err)
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: ls.Listeners[0].ListenerArn})
	must(t, err)
	if len(rules.Rules) != 3 { // two services' rules and the default
		t.Errorf("%d rules, want 3", len(rules.Rules))
	}

	_, url = restartOn(t, srv, b, path, false)
	c = sdkClients(url)
	d, err := c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: api.ServiceArn})
	must(t, err)
	cfg := d.Service.ActiveConfigurations[0]
	if aws.ToString(cfg.HealthCheckPath) != "/health" || aws.ToInt32(cfg.PrimaryContainer.ContainerPort) != 8080 ||
		aws.ToString(cfg.IngressPaths[0].Endpoint) != aws.ToString(api.ActiveConfigurations[0].IngressPaths[0].Endpoint) {
		t.Errorf("after the restart: %+v", cfg)
	}
	_, err = c.ecs.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: worker.ServiceArn})
	must(t, err)
	lbs, err = c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancers) != 1 {
		t.Errorf("the shared load balancer went with one of its two services: %d left", len(lbs.LoadBalancers))
	}
	rules, err = c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: ls.Listeners[0].ListenerArn})
	must(t, err)
	if len(rules.Rules) != 2 {
		t.Errorf("%d rules after deleting one service, want 2", len(rules.Rules))
	}
	// Both services' tasks are in the VPC's default group on 8080, so they
	// share the rule admitting the load balancer's group: it stays with
	// the service left, and goes with it.
	lbGroup := lbs.LoadBalancers[0].SecurityGroups[0]
	admits := func() bool {
		sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			{Name: aws.String("vpc-id"), Values: []string{aws.ToString(vpc.Vpc.VpcId)}}, {Name: aws.String("group-name"), Values: []string{"default"}}}})
		must(t, err)
		for _, p := range sgs.SecurityGroups[0].IpPermissions {
			for _, g := range p.UserIdGroupPairs {
				if aws.ToString(g.GroupId) == lbGroup && aws.ToInt32(p.FromPort) == 8080 {
					return true
				}
			}
		}
		return false
	}
	if !admits() {
		t.Errorf("deleting worker revoked the rule api's tasks still need")
	}
	_, err = c.ecs.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: api.ServiceArn})
	must(t, err)
	if admits() {
		t.Errorf("the rule stays after the last express service on it was deleted")
	}
}

// TestCloudFormationExpressGatewayService: an AWS::ECS::ExpressGatewayService
// in a stack (its roles made by the same template) is an express service:
// Ref is its ARN and Fn::GetAtt Endpoint its URL, which
// DescribeExpressGatewayService answers too; deleting the stack deletes the
// service and the load balancer Express Mode made for it. A template whose
// infrastructure role does not trust ECS fails and rolls back, leaving no
// load balancer.
func TestCloudFormationExpressGatewayService(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	cf, c := cfnClient(em.URL), sdkClients(em.URL)
	tmplOf := func(infraPrincipal, container string) string {
		return `
Resources:
  Exec:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: "sts:AssumeRole"}]}
  Infra:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ` + infraPrincipal + `}, Action: "sts:AssumeRole"}]}
  App:
    Type: AWS::ECS::ExpressGatewayService
    Properties:
      ServiceName: shop
      ExecutionRoleArn: !GetAtt Exec.Arn
      InfrastructureRoleArn: !GetAtt Infra.Arn
      PrimaryContainer: ` + container + `
      ScalingTarget: {MinTaskCount: 2, MaxTaskCount: 5}
Outputs:
  Arn: {Value: !Ref App}
  Url: {Value: !GetAtt App.Endpoint}
`
	}
	tmpl := func(infraPrincipal string) string {
		return tmplOf(infraPrincipal, `{Image: "shop:1", ContainerPort: 3000, Environment: [{Name: PORT, Value: "3000"}]}`)
	}
	bad, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("bad"), TemplateBody: aws.String(tmpl("ec2.amazonaws.com")),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(bad.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: bad.StackId})
	must(t, err)
	if !slices.ContainsFunc(ev.StackEvents, func(e cfntypes.StackEvent) bool {
		return aws.ToString(e.LogicalResourceId) == "App" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed &&
			strings.Contains(aws.ToString(e.ResourceStatusReason), "unable to assume the configured ECS Infrastructure Role")
	}) {
		t.Errorf("no App CREATE_FAILED for the untrusted infrastructure role: %+v", ev.StackEvents)
	}
	lbs, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancers) != 0 {
		t.Fatalf("the failed stack left %d load balancers", len(lbs.LoadBalancers))
	}

	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("shop"), TemplateBody: aws.String(tmpl("ecs.amazonaws.com")),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam}})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "shop")
	if !strings.HasSuffix(out["Arn"], ":service/default/shop") || !regexp.MustCompile(`^https://sh-[0-9a-f]{32}\.ecs\.us-east-1\.on\.aws$`).MatchString(out["Url"]) {
		t.Fatalf("outputs: %v", out)
	}
	d, err := c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: aws.String(out["Arn"])})
	must(t, err)
	cfg := d.Service.ActiveConfigurations[0]
	if aws.ToString(cfg.IngressPaths[0].Endpoint) != out["Url"] || aws.ToInt32(cfg.PrimaryContainer.ContainerPort) != 3000 ||
		aws.ToInt32(cfg.ScalingTarget.MinTaskCount) != 2 || len(cfg.PrimaryContainer.Environment) != 1 {
		t.Errorf("described: %+v", cfg)
	}
	// A new image and port update the service in place
	// (UpdateExpressGatewayService): the same service and endpoint.
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("shop"), Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
		TemplateBody: aws.String(tmplOf("ecs.amazonaws.com", `{Image: "shop:2", ContainerPort: 8080, Environment: [{Name: PORT, Value: "8080"}]}`))})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusUpdateComplete)
	if up := stackOutputs(t, cf, "shop"); up["Arn"] != out["Arn"] || up["Url"] != out["Url"] {
		t.Errorf("the update replaced the service: outputs %v, were %v", up, out)
	}
	d, err = c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: aws.String(out["Arn"])})
	must(t, err)
	if cfg := d.Service.ActiveConfigurations[0]; aws.ToInt32(cfg.PrimaryContainer.ContainerPort) != 8080 || aws.ToString(cfg.PrimaryContainer.Image) != "shop:2" {
		t.Errorf("after the stack update: %+v", cfg.PrimaryContainer)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("shop")})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusDeleteComplete)
	lbs, err = c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancers) != 0 {
		t.Errorf("the deleted stack left %d load balancers", len(lbs.LoadBalancers))
	}
	d, err = c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: aws.String(out["Arn"])})
	must(t, err)
	if d.Service.Status.StatusCode == ecstypes.ExpressGatewayServiceStatusCodeActive {
		t.Errorf("the deleted stack's service is still ACTIVE")
	}
}

// TestExpressGatewayServiceUpdateNetwork, through the AWS SDK for Go v2:
// UpdateExpressGatewayService changes what the CloudFormation resource
// updates without interruption, the network configuration and the
// container port. A new port moves the service's target and the ingress
// rule to it; subnets without a route to the internet move the service
// behind an internal load balancer (the internet-facing one, now unused,
// goes) with a PRIVATE ingress path and the same endpoint; new security
// groups get the ingress rule and the old group loses it. A refused update
// changes nothing.
func TestExpressGatewayServiceUpdateNetwork(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	exec := executionRole(t, em.URL)
	infra := infrastructureRole(t, em.URL, "ecsInfrastructureRoleForExpressServices", "ecs.amazonaws.com")
	out, err := c.ecs.CreateExpressGatewayService(ctx, &ecs.CreateExpressGatewayServiceInput{ExecutionRoleArn: &exec, InfrastructureRoleArn: &infra,
		ServiceName: aws.String("web"), PrimaryContainer: &ecstypes.ExpressGatewayContainer{Image: aws.String("app:1")}})
	must(t, err)
	arn := aws.ToString(out.Service.ServiceArn)
	endpoint := aws.ToString(out.Service.ActiveConfigurations[0].IngressPaths[0].Endpoint)
	lbs, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancers) != 1 {
		t.Fatalf("%d load balancers", len(lbs.LoadBalancers))
	}
	publicLB, lbGroup, vpc := aws.ToString(lbs.LoadBalancers[0].LoadBalancerArn), lbs.LoadBalancers[0].SecurityGroups[0], aws.ToString(lbs.LoadBalancers[0].VpcId)
	// admitted lists the ports on which group admits the load balancer's
	// group.
	admitted := func(group, lbGroup string) []int32 {
		sgs, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{group}})
		must(t, err)
		var ports []int32
		for _, p := range sgs.SecurityGroups[0].IpPermissions {
			for _, g := range p.UserIdGroupPairs {
				if aws.ToString(g.GroupId) == lbGroup {
					ports = append(ports, aws.ToInt32(p.FromPort))
				}
			}
		}
		return ports
	}
	def, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{filter("group-name", "default"), filter("vpc-id", vpc)}})
	must(t, err)
	defGroup := aws.ToString(def.SecurityGroups[0].GroupId)
	service := func() ecstypes.Service {
		svc, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("default"), Services: []string{"web"}})
		must(t, err)
		return svc.Services[0]
	}

	// The container port.
	_, err = c.ecs.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceInput{ServiceArn: &arn,
		PrimaryContainer: &ecstypes.ExpressGatewayContainer{Image: aws.String("app:1"), ContainerPort: aws.Int32(8080)}})
	must(t, err)
	svc := service()
	td, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: svc.TaskDefinition})
	must(t, err)
	if aws.ToInt32(svc.LoadBalancers[0].ContainerPort) != 8080 || aws.ToInt32(td.TaskDefinition.ContainerDefinitions[0].PortMappings[0].ContainerPort) != 8080 {
		t.Errorf("after the port update: service %+v, task definition port %d", svc.LoadBalancers, aws.ToInt32(td.TaskDefinition.ContainerDefinitions[0].PortMappings[0].ContainerPort))
	}
	if p := admitted(defGroup, lbGroup); !slices.Equal(p, []int32{8080}) {
		t.Errorf("the default group admits the load balancer's on %v, want [8080]", p)
	}

	// A refused update (a subnet that does not exist) changes nothing.
	_, err = c.ecs.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceInput{ServiceArn: &arn,
		NetworkConfiguration: &ecstypes.ExpressGatewayServiceNetworkConfiguration{Subnets: []string{"subnet-0123456789abcdef0", "subnet-0123456789abcdef1"}}})
	wantCode(t, err, "InvalidParameterException")
	if p := admitted(defGroup, lbGroup); !slices.Equal(p, []int32{8080}) {
		t.Errorf("after a refused update the default group admits on %v", p)
	}

	// Private subnets: a route table with no route to the gateway.
	rt, err := c.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: &vpc})
	must(t, err)
	var private []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String([]string{"172.31.128.0/24", "172.31.129.0/24"}[i]),
			AvailabilityZone: aws.String(az)})
		must(t, err)
		_, err = c.ec2.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt.RouteTable.RouteTableId, SubnetId: s.Subnet.SubnetId})
		must(t, err)
		private = append(private, aws.ToString(s.Subnet.SubnetId))
	}
	up, err := c.ecs.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceInput{ServiceArn: &arn,
		NetworkConfiguration: &ecstypes.ExpressGatewayServiceNetworkConfiguration{Subnets: private}})
	must(t, err)
	if nc := up.Service.TargetConfiguration.NetworkConfiguration; !slices.Equal(nc.Subnets, private) || !slices.Equal(nc.SecurityGroups, []string{defGroup}) {
		t.Errorf("target configuration's network: %+v", nc)
	}
	d, err := c.ecs.DescribeExpressGatewayService(ctx, &ecs.DescribeExpressGatewayServiceInput{ServiceArn: &arn})
	must(t, err)
	ip := d.Service.ActiveConfigurations[0].IngressPaths[0]
	if ip.AccessType != ecstypes.AccessTypePrivate || aws.ToString(ip.Endpoint) != endpoint {
		t.Errorf("ingress path in private subnets: %s %s, want PRIVATE %s", ip.AccessType, aws.ToString(ip.Endpoint), endpoint)
	}
	svc = service()
	if nc := svc.NetworkConfiguration.AwsvpcConfiguration; !slices.Equal(nc.Subnets, private) || nc.AssignPublicIp != ecstypes.AssignPublicIpDisabled {
		t.Errorf("service's network: %+v", nc)
	}
	lbs, err = c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	if len(lbs.LoadBalancers) != 1 || lbs.LoadBalancers[0].Scheme != elbtypes.LoadBalancerSchemeEnumInternal || aws.ToString(lbs.LoadBalancers[0].LoadBalancerArn) == publicLB {
		t.Fatalf("load balancers after the move to private subnets: %+v", lbs.LoadBalancers)
	}
	internalGroup := lbs.LoadBalancers[0].SecurityGroups[0]
	ls, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lbs.LoadBalancers[0].LoadBalancerArn})
	must(t, err)
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: ls.Listeners[0].ListenerArn})
	must(t, err)
	host := strings.TrimPrefix(endpoint, "https://")
	var forwardsTo string
	for _, r := range rules.Rules {
		if len(r.Conditions) == 1 && slices.Contains(r.Conditions[0].Values, host) {
			forwardsTo = aws.ToString(r.Actions[0].TargetGroupArn)
		}
	}
	if forwardsTo == "" || forwardsTo != aws.ToString(svc.LoadBalancers[0].TargetGroupArn) {
		t.Errorf("the internal listener's rules %+v do not forward %s to the service's target group %s", rules.Rules, host, aws.ToString(svc.LoadBalancers[0].TargetGroupArn))
	}
	tgs, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	must(t, err)
	if len(tgs.TargetGroups) != 1 {
		t.Errorf("%d target groups after the move, want 1", len(tgs.TargetGroups))
	}
	if p := admitted(defGroup, internalGroup); !slices.Equal(p, []int32{8080}) {
		t.Errorf("the default group admits the internal load balancer's on %v, want [8080]", p)
	}
	_, err = c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{lbGroup}})
	wantCode(t, err, "InvalidGroup.NotFound")

	// New security groups: the rule moves to them.
	sg, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("tasks"), Description: aws.String("tasks"), VpcId: &vpc})
	must(t, err)
	tasks := aws.ToString(sg.GroupId)
	_, err = c.ecs.UpdateExpressGatewayService(ctx, &ecs.UpdateExpressGatewayServiceInput{ServiceArn: &arn,
		NetworkConfiguration: &ecstypes.ExpressGatewayServiceNetworkConfiguration{SecurityGroups: []string{tasks}}})
	must(t, err)
	if p := admitted(tasks, internalGroup); !slices.Equal(p, []int32{8080}) {
		t.Errorf("the new group admits the load balancer's on %v, want [8080]", p)
	}
	if p := admitted(defGroup, internalGroup); len(p) != 0 {
		t.Errorf("the group the service left still admits the load balancer's on %v", p)
	}
	if nc := service().NetworkConfiguration.AwsvpcConfiguration; !slices.Equal(nc.SecurityGroups, []string{tasks}) || !slices.Equal(nc.Subnets, private) {
		t.Errorf("service's network after the group update: %+v", nc)
	}

	// Delete: nothing stays.
	_, err = c.ecs.DeleteExpressGatewayService(ctx, &ecs.DeleteExpressGatewayServiceInput{ServiceArn: &arn})
	must(t, err)
	lbs, err = c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	must(t, err)
	tgs, err = c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	must(t, err)
	if len(lbs.LoadBalancers)+len(tgs.TargetGroups) != 0 || len(admitted(tasks, internalGroup)) != 0 {
		t.Errorf("left after the delete: %d load balancers, %d target groups", len(lbs.LoadBalancers), len(tgs.TargetGroups))
	}
}
