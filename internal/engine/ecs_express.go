package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS Express Mode (CreateExpressGatewayService and its kin): one call
// makes a Fargate service with its task definition, the cluster `default`
// when none is named, an Application Load Balancer shared by the express
// services of a VPC and scheme with its security group and HTTPS
// listener, a host-header rule and a target group for the service, an
// ACM certificate for its endpoint and an Application Auto Scaling target
// and target tracking policy (express-service-work.html). Each piece is
// made by the ordinary operation (CreateLoadBalancer, CreateService, ...)
// inside one composite transaction, so the pieces are real resources that
// their own APIs and the analyzer see, and a refused step leaves nothing
// behind. docs/aws-behavior.md, "ECS Express Mode", lists the sources and
// the choices.

// Express Mode's defaults.
const (
	expressCPU           = "1024" // express-service-work.html, task definition defaults
	expressMemory        = "2048"
	expressPort          = 80      // [choice]
	expressHealthPath    = "/ping" // hashicorp/terraform-provider-aws docs
	expressMetric        = "AVERAGE_CPU"
	expressTarget        = 60 // API_ExpressGatewayScalingTarget.html
	expressMinTasks      = 1  // [choice]
	expressMaxTasks      = 20 // [choice]
	expressContainerName = "Main"
	expressLBPrefix      = "ecs-express-gateway-alb-"
)

// ExpressGatewayInput is CreateExpressGatewayService's and
// UpdateExpressGatewayService's input: nil or empty members keep (update)
// or take the default (create).
type ExpressGatewayInput struct {
	ServiceARN            string // update only
	Cluster, ServiceName  string
	ExecutionRoleARN      string
	InfrastructureRoleARN string
	TaskRoleARN           string
	HealthCheckPath       string
	CPU, Memory           string
	// Container is nil when no primaryContainer was given.
	Container      *ExpressContainerInput
	Subnets        []model.SubnetID
	SecurityGroups []model.SecurityGroupID
	// Scaling is nil when no scalingTarget was given.
	Scaling *ExpressScalingInput
	Tags    model.Tags
}

// ExpressContainerInput is a primaryContainer.
type ExpressContainerInput struct {
	Image                          string
	Port                           *int
	Command                        []string
	Environment, Secrets           []model.KeyValue
	LogGroup, LogStreamPrefix      string
	RepositoryCredentialsParameter string
}

// ExpressScalingInput is a scalingTarget.
type ExpressScalingInput struct {
	Metric             string
	Target             *int
	MinTasks, MaxTasks *int
}

var expressMetrics = map[string]string{
	"AVERAGE_CPU":              "ECSServiceAverageCPUUtilization",
	"AVERAGE_MEMORY":           "ECSServiceAverageMemoryUtilization",
	"REQUEST_COUNT_PER_TARGET": "ALBRequestCountPerTarget",
}

// CreateExpressGatewayService makes an Express Mode service and every
// resource it needs, all or nothing.
func (e *Engine) CreateExpressGatewayService(in ExpressGatewayInput) (*model.Service, error) {
	if in.ExecutionRoleARN == "" {
		return nil, errECSInvalid("executionRoleArn is required.") // probable
	}
	if in.InfrastructureRoleARN == "" {
		return nil, errECSInvalid("infrastructureRoleArn is required.") // probable
	}
	if in.Container == nil || in.Container.Image == "" {
		return nil, errECSInvalid("primaryContainer.image is required.") // probable
	}
	var out *model.Service
	err := e.composite("CreateExpressGatewayService", func(b *Engine) error {
		var err error
		out, err = b.createExpress(in)
		return err
	})
	return out, err
}

func (b *Engine) createExpress(in ExpressGatewayInput) (*model.Service, error) {
	t := b.bt
	if !t.roleAssumable(in.InfrastructureRoleARN, ecsPrincipal) {
		// The text ECS gives for an infrastructure role it cannot assume
		// (terraform-provider-aws #38538); for Express Mode's [choice].
		return nil, errECSInvalid("ECS was unable to assume the configured ECS Infrastructure Role '%s'. Please verify that the role being passed has the proper trust relationship with Amazon ECS.", in.InfrastructureRoleARN)
	}
	cluster := in.Cluster
	if cluster == "" {
		cluster = "default"
		if c := t.st.Clusters[b.clusterARN(cluster)]; c == nil || c.Status != "ACTIVE" {
			if _, err := b.CreateCluster(CreateClusterInput{Name: "default", CapacityProviders: []string{"FARGATE"}}); err != nil {
				return nil, err
			}
		}
	}
	c, err := t.cluster(cluster)
	if err != nil {
		return nil, err
	}
	name := in.ServiceName
	if name == "" {
		name = "express-" + b.ids.Hex(8) // [choice]
	}
	if !ecsNameRE.MatchString(name) {
		return nil, errECSInvalid("Service name can only contain letters, numbers, hyphens and underscores, and can have up to 255 characters.")
	}
	if old := t.st.Services[b.ecsARN("service/"+c.Name+"/"+name)]; old != nil && old.Status != "INACTIVE" {
		return nil, errECSInvalid("Creation of service was not idempotent.")
	}
	x := &model.ExpressGateway{
		InfrastructureRoleARN: in.InfrastructureRoleARN, ExecutionRoleARN: in.ExecutionRoleARN, TaskRoleARN: in.TaskRoleARN,
		CPU: cmp.Or(in.CPU, expressCPU), Memory: cmp.Or(in.Memory, expressMemory), HealthCheckPath: cmp.Or(in.HealthCheckPath, expressHealthPath),
		ScalingMetric: expressMetric, ScalingTarget: expressTarget, MinTasks: expressMinTasks, MaxTasks: expressMaxTasks,
		ContainerPort: expressPort, UpdatedAt: t.now,
	}
	applyExpressContainer(x, in.Container)
	if err := applyExpressScaling(x, in.Scaling); err != nil {
		return nil, err
	}
	vpc, public, err := b.expressNetwork(x, in.Subnets, in.SecurityGroups)
	if err != nil {
		return nil, err
	}
	// The endpoint: the service name's first two characters and a
	// 32-digit hex id under ecs.REGION.on.aws (observed in public
	// repositories, e.g. https://ui-7aced620c90b418699e2dcf91288ddb1.ecs.us-west-2.on.aws
	// for a service named ui-service).
	prefix := strings.ToLower(name)
	if len(prefix) > 2 {
		prefix = prefix[:2]
	}
	prefix = strings.Trim(strings.ReplaceAll(prefix, "_", "-"), "-")
	if prefix == "" {
		prefix = "ex"
	}
	x.Endpoint = prefix + "-" + b.ids.Hex(32) + ".ecs." + b.cfg.Region + ".on.aws"
	if err := b.expressFront(x, vpc, public); err != nil {
		return nil, err
	}
	if x.LogGroup == "" {
		x.LogGroup, x.LogStreamPrefix = "/aws/ecs/"+c.Name+"/"+name, "ecs" // [choice]
	}
	if t.st.LogGroups[x.LogGroup] == nil {
		if err := b.CreateLogGroup(LogGroupInput{Name: x.LogGroup}); err != nil {
			return nil, err
		}
		x.LogGroupCreated = true
	}
	td, err := b.RegisterTaskDefinition(expressTaskDef(name, x, b.cfg.Region))
	if err != nil {
		return nil, err
	}
	s, err := b.CreateService(CreateServiceInput{
		Cluster: c.Name, Name: name, TaskDefinition: td.ARN, DesiredCount: x.MinTasks, DesiredCountSet: true, LaunchType: model.LaunchFargate,
		Network:       &model.AwsVpcConfiguration{Subnets: slices.Clone(x.Subnets), SecurityGroups: slices.Clone(x.SecurityGroups), AssignPublicIP: public},
		LoadBalancers: expressServiceLB(x),
		Tags:          in.Tags, HealthCheckGracePeriod: 60,
	})
	if err != nil {
		return nil, err
	}
	if err := b.expressScaling(s, x); err != nil {
		return nil, err
	}
	x.RevisionARN = expressRevisionARN(b, s)
	ns := cloneService(s)
	ns.Express = x
	put(t, model.KindService, t.st.Services, ns.ARN, ns)
	return ns, nil
}

// expressFront gives an express service its way in, for x's subnets,
// security groups and container port: the VPC's shared load balancer of
// the scheme the subnets call for (made when there is none), and, when the
// service is new on that load balancer, its certificate on the listener
// (requested when x has none), a target group and the host-header rule for
// its endpoint; then the tasks' groups admit the load balancer's on the
// container port ("security groups with minimal required ingress"). What
// it uses is recorded in x.
func (b *Engine) expressFront(x *model.ExpressGateway, vpc model.VpcID, public bool) error {
	t := b.bt
	x.AccessType = "PRIVATE"
	scheme := "internal"
	if public {
		x.AccessType, scheme = "PUBLIC", "internet-facing"
	}
	lb, listener, err := b.expressLoadBalancer(vpc, scheme, x)
	if err != nil {
		return err
	}
	if lb.ARN != x.LoadBalancerARN {
		x.LoadBalancerARN, x.ListenerARN, x.LoadBalancerGroup = lb.ARN, listener.ARN, lb.SecurityGroups[0]
		if x.CertificateARN == "" {
			cert, err := b.RequestCertificate(RequestCertificateInput{DomainName: x.Endpoint, ValidationMethod: "DNS", Tags: model.Tags{"AmazonECSManaged": "true"}, AWSOwned: true})
			if err != nil {
				return err
			}
			x.CertificateARN = cert.ARN
		}
		if _, err := b.AddListenerCertificates(listener.ARN, []string{x.CertificateARN}, false, nil); err != nil {
			return err
		}
		tg, err := b.CreateTargetGroup(CreateTargetGroupInput{
			Name: "ecs-gateway-tg-" + b.ids.Hex(12), Protocol: "HTTP", Port: uint16(x.ContainerPort), VpcID: vpc, TargetType: "ip",
			HealthCheckPath: x.HealthCheckPath, Tags: model.Tags{"AmazonECSManaged": "true"},
		})
		if err != nil {
			return err
		}
		x.TargetGroupARN = tg.ARN
		rule, err := b.CreateRule(CreateRuleInput{ListenerARN: listener.ARN, Priority: expressRulePriority(t.st, listener.ARN),
			Conditions: []model.RuleCondition{{Field: "host-header", Values: []string{x.Endpoint}}},
			Actions:    []model.ListenerAction{{Type: "forward", Order: 1, TargetGroupARN: tg.ARN}},
			Tags:       model.Tags{"AmazonECSManaged": "true"}})
		if err != nil {
			return err
		}
		x.RuleARN = rule.ARN
	}
	x.IngressRules = nil
	for _, g := range x.SecurityGroups {
		port := x.ContainerPort
		rules, err := b.AuthorizeSecurityGroup(g, false, []IPPermission{{Protocol: "tcp", FromPort: &port, ToPort: &port,
			Groups: []RuleSource{{Value: string(x.LoadBalancerGroup), Description: "ECS Express Mode load balancer"}}}})
		if err != nil {
			if ae, ok := err.(*apierr.Error); ok && ae.Code == "InvalidPermission.Duplicate" {
				// Already admitted (another express service on this
				// group and port, or this one before an update): the
				// rule is recorded for each, and goes with the last of
				// them [choice].
				if id, ok := lbIngressRule(t.st.SecurityGroups[g], port, x.LoadBalancerGroup); ok {
					x.IngressRules = append(x.IngressRules, id)
				}
				continue
			}
			return err
		}
		for _, r := range rules {
			x.IngressRules = append(x.IngressRules, r.ID)
		}
	}
	return nil
}

// expressServiceLB is the express service's load balancer entry: its
// target group, on the container's port.
func expressServiceLB(x *model.ExpressGateway) []model.ServiceLoadBalancer {
	return []model.ServiceLoadBalancer{{TargetGroupARN: x.TargetGroupARN, ContainerName: expressContainerName, ContainerPort: uint16(x.ContainerPort)}}
}

// expressRetire removes what expressFront made for an express service
// (svc, configured as old) that its new front (now; nil when the service
// goes) no longer uses: its rule and target group, its certificate on a
// listener it left, the ingress rules no other express service admits
// through, and a load balancer it left (with its listener, default
// certificate and security group) when no other express service is on it.
// The service's own certificate stays: it is the endpoint's.
func (b *Engine) expressRetire(svc string, old, now *model.ExpressGateway) error {
	t := b.bt
	moved := now == nil || now.LoadBalancerARN != old.LoadBalancerARN
	if moved {
		if err := b.DeleteRule(old.RuleARN); err != nil && !notFound(err) {
			return err
		}
		if _, err := b.AddListenerCertificates(old.ListenerARN, []string{old.CertificateARN}, true, nil); err != nil && !notFound(err) {
			return err
		}
	}
	keep := map[model.SecurityGroupRuleID]bool{}
	if now != nil {
		for _, id := range now.IngressRules {
			keep[id] = true
		}
	}
	shared := false
	for _, o := range t.st.Services {
		if o.ARN != svc && o.Express != nil && o.Status == "ACTIVE" {
			for _, id := range o.Express.IngressRules {
				keep[id] = true
			}
			shared = shared || o.Express.LoadBalancerARN == old.LoadBalancerARN
		}
	}
	for _, g := range old.SecurityGroups {
		var gone []model.SecurityGroupRuleID
		if sg := t.st.SecurityGroups[g]; sg != nil {
			for _, r := range sg.Ingress {
				if slices.Contains(old.IngressRules, r.ID) && !keep[r.ID] {
					gone = append(gone, r.ID)
				}
			}
		}
		if len(gone) > 0 {
			if _, err := b.RevokeSecurityGroup(g, false, nil, gone); err != nil {
				return err
			}
		}
	}
	if !moved {
		return nil
	}
	// The target group goes once no rule forwards to it; ECS's draining
	// tasks deregister from it as they stop (the engine drops a deleted
	// group's targets).
	if err := b.DeleteTargetGroup(old.TargetGroupARN); err != nil && !notFound(err) {
		return err
	}
	if shared || (now != nil && now.LoadBalancerARN == old.LoadBalancerARN) {
		return nil
	}
	var certs []string
	if l := t.st.Listeners[old.ListenerARN]; l != nil {
		certs = slices.Clone(l.Certificates)
	}
	if err := b.DeleteLoadBalancer(old.LoadBalancerARN); err != nil && !notFound(err) {
		return err
	}
	for _, c := range certs {
		if err := b.DeleteCertificate(c); err != nil && !notFound(err) {
			return err
		}
	}
	if err := b.DeleteSecurityGroup(old.LoadBalancerGroup); err != nil && !notFound(err) {
		return err
	}
	return nil
}

// expressRevisionARN names the service's current revision
// (arn:...:service-revision/CLUSTER/SERVICE/ID).
func expressRevisionARN(b *Engine, s *model.Service) string {
	id := strings.TrimPrefix(s.Deployments[0].ID, "ecs-svc/")
	return strings.Replace(s.ARN, ":service/", ":service-revision/", 1) + "/" + id
}

func applyExpressContainer(x *model.ExpressGateway, c *ExpressContainerInput) {
	if c == nil {
		return
	}
	x.Image = cmp.Or(c.Image, x.Image)
	if c.Port != nil {
		x.ContainerPort = *c.Port
	}
	x.Command, x.Environment, x.Secrets = slices.Clone(c.Command), slices.Clone(c.Environment), slices.Clone(c.Secrets)
	x.RepositoryCredentialsParameter = c.RepositoryCredentialsParameter
	if c.LogGroup != "" {
		x.LogGroup, x.LogStreamPrefix = c.LogGroup, c.LogStreamPrefix
	}
}

func applyExpressScaling(x *model.ExpressGateway, s *ExpressScalingInput) error {
	if s != nil {
		if s.Metric != "" {
			if expressMetrics[s.Metric] == "" {
				return errECSInvalid("autoScalingMetric must be one of AVERAGE_CPU, AVERAGE_MEMORY, REQUEST_COUNT_PER_TARGET.") // probable
			}
			x.ScalingMetric = s.Metric
		}
		if s.Target != nil {
			x.ScalingTarget = *s.Target
		}
		if s.MinTasks != nil {
			x.MinTasks = *s.MinTasks
		}
		if s.MaxTasks != nil {
			x.MaxTasks = *s.MaxTasks
		}
	}
	switch {
	case x.MinTasks < 0:
		return errECSInvalid("minTaskCount must be greater than or equal to 0.") // probable
	case x.MaxTasks < 1 || x.MaxTasks < x.MinTasks:
		return errECSInvalid("maxTaskCount must be at least 1 and not less than minTaskCount.") // probable
	case x.ScalingTarget <= 0:
		return errECSInvalid("autoScalingTargetValue must be greater than 0.") // probable
	}
	if x.ContainerPort < 1 || x.ContainerPort > 65535 {
		return errECSInvalid("containerPort must be between 1 and 65535.") // probable
	}
	return nil
}

// expressNetwork resolves the service's subnets (the default VPC's
// default subnets when none are given) and security groups (the VPC's
// default group when none are given), and says whether the subnets are
// public (route 0.0.0.0/0 to an internet gateway).
func (b *Engine) expressNetwork(x *model.ExpressGateway, subnets []model.SubnetID, groups []model.SecurityGroupID) (model.VpcID, bool, error) {
	t := b.bt
	if len(subnets) == 0 {
		v := t.defaultVpc()
		if v == nil {
			return "", false, errECSInvalid("No default VPC found. Specify subnets in networkConfiguration.") // probable
		}
		for _, s := range t.st.Subnets {
			if s.VpcID == v.ID && s.DefaultForAZ {
				subnets = append(subnets, s.ID)
			}
		}
		slices.Sort(subnets)
	}
	var vpc model.VpcID
	public := true
	zones := map[string]bool{}
	for _, id := range subnets {
		s := t.st.Subnets[id]
		if s == nil {
			return "", false, errECSInvalid("The subnet ID '%s' does not exist", id) // probable
		}
		if vpc != "" && s.VpcID != vpc {
			return "", false, errECSInvalid("All subnets must belong to the same VPC.") // probable
		}
		vpc = s.VpcID
		zones[s.AvailabilityZone] = true
		if !subnetRoutesToIGW(t.st, id) {
			public = false
		}
	}
	if len(zones) < 2 {
		// The load balancer needs two zones; terraform-provider-aws's
		// docs: "At least 2 subnets must be specified".
		return "", false, errECSInvalid("At least two subnets in two different Availability Zones must be specified.") // probable
	}
	if len(groups) == 0 {
		for _, g := range t.st.SecurityGroups {
			if g.VpcID == vpc && g.Name == "default" {
				groups = []model.SecurityGroupID{g.ID}
			}
		}
	}
	for _, g := range groups {
		sg := t.st.SecurityGroups[g]
		if sg == nil || sg.VpcID != vpc {
			return "", false, errECSInvalid("The security group '%s' does not exist in the VPC of the subnets.", g) // probable
		}
	}
	x.Subnets, x.SecurityGroups = slices.Clone(subnets), slices.Clone(groups)
	return vpc, public, nil
}

func subnetRoutesToIGW(st *model.State, id model.SubnetID) bool {
	rt := st.SubnetRouteTable(id)
	if rt == nil {
		return false
	}
	for _, r := range rt.Routes {
		if r.Target == model.TargetInternetGateway && r.Destination.Bits() == 0 && r.Destination.Addr().Is4() {
			return true
		}
	}
	return false
}

// expressLoadBalancer finds the VPC's Express Mode load balancer of the
// scheme, or makes one (its security group admitting HTTPS, and an HTTPS
// listener answering 404 to hosts it has no rule for [choice]).
func (b *Engine) expressLoadBalancer(vpc model.VpcID, scheme string, x *model.ExpressGateway) (*model.LoadBalancer, *model.Listener, error) {
	t := b.bt
	for _, lb := range sortedValues(t.st.LoadBalancers) {
		if lb.VpcID != vpc || lb.Scheme != scheme || lb.Tags["AmazonECSManaged"] != "true" || !strings.HasPrefix(lb.Name, expressLBPrefix) {
			continue
		}
		for _, l := range t.st.Listeners {
			if l.LoadBalancerARN == lb.ARN && l.Port == 443 {
				return lb, l, nil
			}
		}
	}
	hex := b.ids.Hex(8)
	sg, err := b.CreateSecurityGroup(CreateSecurityGroupInput{VpcID: vpc, Name: expressLBPrefix + hex,
		Description: "ECS Express Mode load balancer", Tags: model.Tags{"AmazonECSManaged": "true"}})
	if err != nil {
		return nil, nil, err
	}
	port := 443
	src := "0.0.0.0/0"
	if scheme == "internal" {
		src = t.st.VPCs[vpc].CIDR.String()
	}
	if _, err := b.AuthorizeSecurityGroup(sg.ID, false, []IPPermission{{Protocol: "tcp", FromPort: &port, ToPort: &port, CIDRs: []RuleSource{{Value: src}}}}); err != nil {
		return nil, nil, err
	}
	var subnets []model.SubnetID
	seen := map[string]bool{}
	for _, id := range x.Subnets {
		if s := t.st.Subnets[id]; !seen[s.AvailabilityZone] {
			seen[s.AvailabilityZone] = true
			subnets = append(subnets, id)
		}
	}
	lb, err := b.CreateLoadBalancer(CreateLoadBalancerInput{Name: expressLBPrefix + hex, Type: "application", Scheme: scheme,
		Subnets: subnets, SecurityGroups: []model.SecurityGroupID{sg.ID}, Tags: model.Tags{"AmazonECSManaged": "true"}})
	if err != nil {
		return nil, nil, err
	}
	cert, err := b.RequestCertificate(RequestCertificateInput{DomainName: "*.ecs." + b.cfg.Region + ".on.aws", ValidationMethod: "DNS",
		Tags: model.Tags{"AmazonECSManaged": "true"}, AWSOwned: true})
	if err != nil {
		return nil, nil, err
	}
	l, err := b.CreateListener(CreateListenerInput{LoadBalancerARN: lb.ARN, Protocol: "HTTPS", Port: 443, Certificates: []string{cert.ARN},
		DefaultActions: []model.ListenerAction{{Type: "fixed-response", Order: 1, FixedResponse: &model.FixedResponse{StatusCode: "404", ContentType: "text/plain"}}},
		Tags:           model.Tags{"AmazonECSManaged": "true"}})
	if err != nil {
		return nil, nil, err
	}
	return lb, l, nil
}

// expressRulePriority is the listener's lowest free rule priority.
func expressRulePriority(st *model.State, listener string) int {
	used := map[int]bool{}
	for _, r := range st.ListenerRules {
		if r.ListenerARN == listener {
			used[r.Priority] = true
		}
	}
	p := 1
	for used[p] {
		p++
	}
	return p
}

// expressTaskDef is the service's task definition: awsvpc, Fargate, Linux
// on X86_64, one essential container with the port, logging to the
// service's log group (express-service-work.html, task definition
// defaults).
func expressTaskDef(family string, x *model.ExpressGateway, region string) RegisterTaskDefinitionInput {
	raw := map[string]any{"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{
		"awslogs-group": x.LogGroup, "awslogs-region": region, "awslogs-stream-prefix": cmp.Or(x.LogStreamPrefix, "ecs")}}}
	if len(x.Secrets) > 0 {
		var secrets []any
		for _, s := range x.Secrets {
			secrets = append(secrets, map[string]any{"name": s.Name, "valueFrom": s.Value})
		}
		raw["secrets"] = secrets
	}
	if x.RepositoryCredentialsParameter != "" {
		raw["repositoryCredentials"] = map[string]any{"credentialsParameter": x.RepositoryCredentialsParameter}
	}
	return RegisterTaskDefinitionInput{
		Family: family, NetworkMode: "awsvpc", RequiresCompatibilities: []string{"FARGATE"}, CPU: x.CPU, Memory: x.Memory,
		TaskRoleARN: x.TaskRoleARN, ExecutionRoleARN: x.ExecutionRoleARN,
		RuntimePlatform: &model.RuntimePlatform{OperatingSystemFamily: "LINUX", CPUArchitecture: "X86_64"},
		Containers: []model.ContainerDefinition{{Name: expressContainerName, Image: x.Image, Essential: true,
			PortMappings: []model.PortMapping{{ContainerPort: uint16(x.ContainerPort), Protocol: model.TCP}},
			Environment:  slices.Clone(x.Environment), Command: slices.Clone(x.Command), Raw: raw}},
	}
}

// expressScaling registers the service's scalable target and puts its
// target tracking policy.
func (b *Engine) expressScaling(s *model.Service, x *model.ExpressGateway) error {
	res := "service/" + model.LastSegment(s.ClusterARN) + "/" + s.Name
	lo, hi := x.MinTasks, x.MaxTasks
	if _, err := b.RegisterScalableTarget(RegisterScalableTargetInput{Namespace: "ecs", ResourceID: res, Dimension: "ecs:service:DesiredCount", Min: &lo, Max: &hi}); err != nil {
		return err
	}
	pm := map[string]any{"PredefinedMetricType": expressMetrics[x.ScalingMetric]}
	if x.ScalingMetric == "REQUEST_COUNT_PER_TARGET" {
		_, lbPart, _ := strings.Cut(x.LoadBalancerARN, ":loadbalancer/")
		tgPart := x.TargetGroupARN[strings.LastIndex(x.TargetGroupARN, ":")+1:]
		pm["ResourceLabel"] = lbPart + "/" + tgPart
	}
	x.ScalingPolicyName = cmp.Or(x.ScalingPolicyName, s.Name+"-target-tracking") // [choice]
	_, err := b.PutAppScalingPolicy(AppScalingPolicyInput{Name: x.ScalingPolicyName, Namespace: "ecs", ResourceID: res, Dimension: "ecs:service:DesiredCount",
		Type: "TargetTrackingScaling", Config: map[string]any{"TargetTrackingScalingPolicyConfiguration": map[string]any{
			"TargetValue": float64(x.ScalingTarget), "PredefinedMetricSpecification": pm}}})
	return err
}

// expressService finds an express service by ARN.
func (t *txn) expressService(arn string) (*model.Service, error) {
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":service/") {
		return nil, errECSInvalid("Invalid service ARN: %s", arn) // probable
	}
	parts := strings.Split(arn[strings.Index(arn, ":service/")+len(":service/"):], "/")
	if len(parts) != 2 {
		return nil, errECSInvalid("Invalid service ARN: %s", arn) // probable
	}
	if c := t.st.Clusters[t.e.clusterARN(parts[0])]; c == nil {
		return nil, errClusterNotFound()
	}
	s := t.st.Services[arn]
	if s == nil || s.Express == nil {
		return nil, errServiceNotFound()
	}
	return s, nil
}

// ExpressGatewayService returns the express service with the ARN (Describe).
func (e *Engine) ExpressGatewayService(arn string) (*model.Service, error) {
	var out *model.Service
	var err error
	e.Read(func(st *model.State) {
		t := &txn{e: e, st: st}
		out, err = t.expressService(arn)
	})
	if ae, ok := err.(*apierr.Error); ok && ae.Code == "ServiceNotFoundException" {
		// DescribeExpressGatewayService's not-found is
		// ResourceNotFoundException (botocore's error list) [choice: text].
		return nil, apierr.New("ResourceNotFoundException", "The specified service was not found.")
	}
	return out, err
}

// UpdateExpressGatewayService applies a new configuration: a new task
// definition revision and deployment when the container, roles, cpu or
// memory change; the target group's health check path; the scalable
// target's bounds and the policy's metric and target.
func (e *Engine) UpdateExpressGatewayService(in ExpressGatewayInput) (*model.Service, error) {
	var out *model.Service
	err := e.composite("UpdateExpressGatewayService", func(b *Engine) error {
		t := b.bt
		s, err := t.expressService(in.ServiceARN)
		if err != nil {
			return err
		}
		if s.Status != "ACTIVE" {
			return errServiceNotActive()
		}
		old := s.Express
		x := *old
		x.Command, x.Environment, x.Secrets = slices.Clone(old.Command), slices.Clone(old.Environment), slices.Clone(old.Secrets)
		x.ExecutionRoleARN = cmp.Or(in.ExecutionRoleARN, old.ExecutionRoleARN)
		x.TaskRoleARN = cmp.Or(in.TaskRoleARN, old.TaskRoleARN)
		x.CPU, x.Memory = cmp.Or(in.CPU, old.CPU), cmp.Or(in.Memory, old.Memory)
		x.HealthCheckPath = cmp.Or(in.HealthCheckPath, old.HealthCheckPath)
		if in.Container != nil {
			applyExpressContainer(&x, in.Container)
		}
		if err := applyExpressScaling(&x, in.Scaling); err != nil {
			return err
		}
		// A new network or container port: the front follows (another
		// load balancer when the VPC or the scheme changes, the ingress
		// rules for the groups and port), then the service, then what the
		// old front used and the new one does not goes.
		var network *model.AwsVpcConfiguration
		if len(in.Subnets) > 0 || len(in.SecurityGroups) > 0 || x.ContainerPort != old.ContainerPort {
			subnets, groups := in.Subnets, in.SecurityGroups
			if len(subnets) == 0 {
				subnets = old.Subnets
			}
			if len(groups) == 0 {
				// The groups stay, unless the subnets move to another
				// VPC: then its default group, as at creation.
				if s, o := t.st.Subnets[subnets[0]], t.st.Subnets[old.Subnets[0]]; s == nil || o == nil || s.VpcID == o.VpcID {
					groups = old.SecurityGroups
				}
			}
			vpc, public, err := b.expressNetwork(&x, subnets, groups)
			if err != nil {
				return err
			}
			if err := b.expressFront(&x, vpc, public); err != nil {
				return err
			}
			network = &model.AwsVpcConfiguration{Subnets: slices.Clone(x.Subnets), SecurityGroups: slices.Clone(x.SecurityGroups), AssignPublicIP: public}
		}
		if x.HealthCheckPath != old.HealthCheckPath {
			p := x.HealthCheckPath
			if _, err := b.ModifyTargetGroup(ModifyTargetGroupInput{TargetGroupARN: x.TargetGroupARN, HealthCheckPath: &p}); err != nil {
				return err
			}
		}
		if x.LogGroup != old.LogGroup && t.st.LogGroups[x.LogGroup] == nil {
			return errECSInvalid("The log group %s does not exist.", x.LogGroup) // probable
		}
		upd := UpdateServiceInput{Cluster: s.ClusterARN, Service: s.Name, Network: network}
		if network != nil {
			upd.LoadBalancers = expressServiceLB(&x)
		}
		if !slices.Equal(expressTaskDefKey(&x), expressTaskDefKey(old)) {
			td, err := b.RegisterTaskDefinition(expressTaskDef(s.Name, &x, b.cfg.Region))
			if err != nil {
				return err
			}
			upd.TaskDefinition = td.ARN
		}
		desired := min(max(s.DesiredCount, x.MinTasks), x.MaxTasks)
		if desired != s.DesiredCount {
			upd.DesiredCount = &desired
		}
		ns := s
		if upd.TaskDefinition != "" || upd.DesiredCount != nil || upd.Network != nil {
			if ns, err = b.UpdateService(upd); err != nil {
				return err
			}
		}
		if network != nil {
			if err := b.expressRetire(s.ARN, old, &x); err != nil {
				return err
			}
		}
		if x.MinTasks != old.MinTasks || x.MaxTasks != old.MaxTasks || x.ScalingMetric != old.ScalingMetric || x.ScalingTarget != old.ScalingTarget ||
			x.TargetGroupARN != old.TargetGroupARN {
			if err := b.expressScaling(ns, &x); err != nil {
				return err
			}
		}
		x.UpdatedAt = t.now
		x.RevisionARN = expressRevisionARN(b, ns)
		ns = cloneService(t.st.Services[s.ARN])
		ns.Express = &x
		put(t, model.KindService, t.st.Services, ns.ARN, ns)
		out = ns
		return nil
	})
	return out, err
}

// expressTaskDefKey lists what the task definition is made of.
func expressTaskDefKey(x *model.ExpressGateway) []string {
	k := []string{x.Image, fmt.Sprint(x.ContainerPort), x.CPU, x.Memory, x.ExecutionRoleARN, x.TaskRoleARN, x.LogGroup, x.LogStreamPrefix,
		x.RepositoryCredentialsParameter, strings.Join(x.Command, "\x00")}
	for _, kv := range x.Environment {
		k = append(k, "e"+kv.Name+"="+kv.Value)
	}
	for _, kv := range x.Secrets {
		k = append(k, "s"+kv.Name+"="+kv.Value)
	}
	return k
}

// DeleteExpressGatewayService deletes the service (it drains: DRAINING,
// then INACTIVE once its tasks stopped) and removes what Create made for
// it: its rule, target group, certificate, scaling (with the service),
// the ingress rules it added, the log group it created, and the shared
// load balancer with its listener and security group when no other
// express service uses it.
func (e *Engine) DeleteExpressGatewayService(arn string) (*model.Service, error) {
	var out *model.Service
	err := e.composite("DeleteExpressGatewayService", func(b *Engine) error {
		t := b.bt
		s, err := t.expressService(arn)
		if err != nil {
			return err
		}
		if s.Status != "ACTIVE" {
			return errServiceNotActive()
		}
		x := s.Express
		ns, err := b.DeleteService(s.ClusterARN, s.Name, true)
		if err != nil {
			return err
		}
		if err := b.expressRetire(s.ARN, x, nil); err != nil {
			return err
		}
		if err := b.DeleteCertificate(x.CertificateARN); err != nil && !notFound(err) {
			return err
		}
		if x.LogGroupCreated {
			if err := b.DeleteLogGroup(x.LogGroup); err != nil && !notFound(err) {
				return err
			}
		}
		d := cloneService(t.st.Services[ns.ARN])
		nx := *x
		nx.UpdatedAt = t.now
		d.Express = &nx
		put(t, model.KindService, t.st.Services, d.ARN, d)
		out = d
		return nil
	})
	return out, err
}

func notFound(err error) bool {
	ae, ok := err.(*apierr.Error)
	return ok && (strings.Contains(ae.Code, "NotFound") || ae.Code == "TargetGroupNotFound")
}

// lbIngressRule finds a group's rule admitting a load balancer's group on
// a TCP port.
func lbIngressRule(sg *model.SecurityGroup, port int, lbGroup model.SecurityGroupID) (model.SecurityGroupRuleID, bool) {
	if sg == nil {
		return "", false
	}
	for _, r := range sg.Ingress {
		if r.Protocol == model.TCP && r.Group == lbGroup && int(r.Ports.First) == port && int(r.Ports.Last) == port {
			return r.ID, true
		}
	}
	return "", false
}
