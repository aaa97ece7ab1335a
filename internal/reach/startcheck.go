package reach

import (
	"cmp"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// Representative addresses of the registries and AWS endpoints a task
// or an ECS agent talks to. ecsnet does not resolve public DNS: each is
// modelled by one address from TEST-NET-1 (RFC 5737), which appears in the
// error text where AWS shows the resolved address. S3 is modelled by an
// address of the region's S3 prefix list, so gateway endpoint routes
// apply to it.
func registryAddr(kind string) netip.Addr {
	last := byte(50)
	switch kind {
	case "docker.io":
		last = 10
	case "public.ecr.aws":
		last = 20
	case "ecr.api":
		last = 30
	case "ecr.dkr":
		last = 40
	case "secretsmanager":
		last = 60
	case "ssm":
		last = 70
	case "logs":
		last = 80
	case "ecs":
		last = 90
	case "ecs-agent":
		last = 91
	case "ecs-telemetry":
		last = 92
	case "sts":
		last = 100
	case "s3":
		last = 110
	case "cloudformation":
		last = 120
	case "splunk":
		last = 130
	}
	return netip.AddrFrom4([4]byte{192, 0, 2, last})
}

// StartFailure says why a task cannot start, or why a container
// instance's agent cannot register: the first step of the start path that
// fails, in AWS's words, and what the path needs.
type StartFailure struct {
	// Code is CodeImageRefInvalid, CodeImagePullFailed,
	// CodeSecretsUnreachable, CodeEnvFilesUnreachable, CodeLogsUnreachable or
	// CodeAgentCannotRegister.
	Code string `json:"code"`
	// TaskSet is the task set whose tasks fail (a service of task sets:
	// CODE_DEPLOY, EXTERNAL), with its status (PRIMARY, ACTIVE); "" for
	// a service's own tasks.
	TaskSet       string `json:"taskSet,omitempty"`
	TaskSetStatus string `json:"taskSetStatus,omitempty"`
	// Reason is AWS's text: the task's stoppedReason, or the agent's error.
	Reason string `json:"reason"`
	// StopCode is the task's stopCode (TaskFailedToStart), "" for agents.
	StopCode string `json:"stopCode,omitempty"`
	// Service is what was not reached: ecr.api, ecr.dkr, s3, secretsmanager,
	// ssm, logs, ecs, ecs-agent, docker.io, public.ecr.aws or a registry host.
	Service string `json:"service"`
	// Verdict is how the connection to Service ended ("" when no
	// connection was tried: an image reference that is not valid).
	Verdict Verdict `json:"verdict"`
	// Image is the image reference that is not valid
	// (CodeImageRefInvalid), or not in its repository
	// (CodeImageTagNotFound), or an ECR image by its IPv4-only registry
	// name that an IPv6-only interface cannot pull, as the task
	// definition gives it; DualStackImage is then the same image by the
	// registry's dual-stack name.
	Image          string `json:"image,omitempty"`
	DualStackImage string `json:"dualStackImage,omitempty"`
	// Repository is the ECR repository that does not exist
	// (CodeImageRepositoryNotFound), or that lacks the image's tag
	// (CodeImageTagNotFound).
	Repository string `json:"repository,omitempty"`
	// RegistryRegion is the region of an ECR registry in another region
	// than the VPC's, which none of the VPC's endpoints serve.
	RegistryRegion string `json:"registryRegion,omitempty"`
	// LogGroup is the awslogs log group that does not exist
	// (CodeLogGroupNotFound), or that the execution role may not create
	// (CodeLogGroupCreateDenied).
	LogGroup string `json:"logGroup,omitempty"`
	// ServiceRegion is the region of a secret (a Secrets Manager secret or
	// an SSM parameter, by its full ARN) or of an awslogs log group
	// (awslogs-region) in another region than the VPC's: the agent asks
	// that region's service, which none of the VPC's endpoints serve.
	ServiceRegion string `json:"serviceRegion,omitempty"`
	// FileSystem, MountTarget, AccessPoint and AvailabilityZone name the
	// EFS volume that cannot be mounted (CodeEFSMountUnreachable,
	// CodeEFSNoMountTarget, CodeEFSAccessPointMismatch) and the zone of the
	// ENI that mounts it.
	FileSystem       string `json:"fileSystem,omitempty"`
	MountTarget      string `json:"mountTarget,omitempty"`
	AccessPoint      string `json:"accessPoint,omitempty"`
	AvailabilityZone string `json:"availabilityZone,omitempty"`
	// Why is the analyzer's sentence for the failed connection.
	Why string `json:"why"`
	// Needs is every AWS service the start path reaches (interface
	// endpoint names, and "s3" for the gateway endpoint); NeedsInternet is
	// set when something on it lives on the internet (Docker Hub, ECR
	// Public, other registries), which no endpoint serves.
	Needs         []string `json:"needs"`
	NeedsInternet bool     `json:"needsInternet,omitempty"`
	// Missing are the services of Needs the VPC has no endpoint for (for
	// s3: no gateway endpoint on the subnet's route table).
	Missing []string `json:"missing,omitempty"`
	// Subnet, VpcID and ENI are where the path starts; Pulls says which
	// ENI pulls ("task" on Fargate, "instance" on EC2).
	Subnet model.SubnetID          `json:"subnet"`
	VpcID  model.VpcID             `json:"vpc"`
	Groups []model.SecurityGroupID `json:"securityGroups,omitempty"`
	Pulls  string                  `json:"pulls"`
	// PublicIP: the ENI has a public IP; PublicSubnet: its subnet routes
	// 0.0.0.0/0 to an internet gateway.
	PublicIP     bool `json:"publicIp"`
	PublicSubnet bool `json:"publicSubnet"`
	// Profile and Role are the instance profile and its role of an agent
	// without credentials or permission (CodeAgentNoCredentials; Profile
	// "" when the instance has none); Role is also the task execution
	// role that may not create LogGroup (CodeLogGroupCreateDenied).
	Profile string `json:"instanceProfile,omitempty"`
	Role    string `json:"role,omitempty"`
	// MetadataOff: the agent has no credentials because the instance's
	// metadata service is turned off (HttpEndpoint disabled).
	MetadataOff bool `json:"metadataServiceOff,omitempty"`
	// Secret is the secret (its ARN, or the parameter's) whose call an
	// interface endpoint's policy refused (CodeEndpointPolicyDenied on
	// the secretsmanager or ssm endpoint).
	Secret string `json:"secret,omitempty"`
	// EnvFile is the environment file (its S3 object ARN) the agent could
	// not download (CodeEnvFilesUnreachable).
	EnvFile string `json:"envFile,omitempty"`
	// FireLensConfig is FireLens's configuration file (its S3 object
	// ARN) the agent could not download (CodeFireLensConfigUnreachable).
	FireLensConfig string `json:"fireLensConfig,omitempty"`
	// Port is the port of the log driver's collector
	// (CodeLogDriverUnreachable; Service is its host).
	Port uint16 `json:"port,omitempty"`
	// Blocked is the analyzer's finding for the failed connection (the
	// security group, network ACL or route that stops it), for fixes.
	Blocked *Explanation `json:"-"`
	// NATInstance is the instance (its label) whose ENI's security group
	// dropped the path inbound when that ENI is a NAT instance's (source/
	// destination check off): the group is checked for the packets the
	// instance forwards, not only for those addressed to it. NATCIDR is
	// its VPC's primary range, which the fix admits.
	NATInstance string       `json:"natInstance,omitempty"`
	NATCIDR     netip.Prefix `json:"-"`
	region      string       // the VPC's
	bpaMode     string       // the account's VPC Block Public Access mode
}

// StartCheck decides whether a task can start, as engine.StartCheck
// expects: "" when it can, else the stoppedReason AWS gives. See
// TaskStartFailure.
func StartCheck(st *model.State, tk *model.Task) string {
	if f := TaskStartFailure(st, tk); f != nil {
		return f.Reason
	}
	return ""
}

// RegisterCheck decides whether an instance's ECS agent can register it
// and connect, as engine.RegisterCheck expects: reason "" when it
// registers, connected when it also reaches ACS (the ecs-agent endpoint).
// See InstanceRegisterFailure.
func RegisterCheck(st *model.State, inst *model.Instance) (reason string, connected bool) {
	switch f := InstanceRegisterFailure(st, inst); {
	case f == nil:
		return "", true
	case f.Code == CodeAgentDisconnected:
		return "", false
	default:
		return f.Reason, false
	}
}

// TaskStartFailure follows a task's start path and returns the first step
// that fails, or nil. It is cheap: it compiles only the pulling network
// interface, its subnet, route table, network ACL and security groups, and
// the NAT gateways and endpoints the path uses. It only reads st.
//
// Fargate tasks reach everything through their own ENI (platform 1.4.0:
// "the task ENI carries all traffic"); on EC2 the ECS agent and Docker on
// the instance pull images, fetch secrets and create log streams, through
// the instance's primary ENI, whatever the task's network mode. The steps,
// in the agent's order: ECR registry auth (ecr.api), Secrets Manager and
// SSM secrets, the image (ECR: ecr.dkr for the manifest, S3 for the
// layers; ECR Public, Docker Hub and other registries: the internet), and
// the awslogs log stream (logs). Each AWS service is reached through its
// interface endpoint when one with private DNS exists in the VPC (as
// Route 53's private hosted zone resolves the service's name there), else
// through the ENI's routes: a public IP and an internet gateway, or a NAT
// gateway; S3 through a gateway endpoint's prefix-list route. Security
// groups and network ACLs apply.
func TaskStartFailure(st *model.State, tk *model.Task) *StartFailure {
	if tk == nil {
		return nil
	}
	fargate := tk.LaunchType == model.LaunchFargate || strings.HasPrefix(tk.CapacityProvider, "FARGATE")
	if tk.NetworkMode == model.NetworkModeNone && fargate {
		return imageRefFailure(st, tk)
	}
	n := startNetwork(st) // lazygwlb.go
	var src *eniNode
	if fargate {
		if id := tk.ENI(); id != "" {
			src = n.eni(id)
		}
		if src == nil && tk.Network != nil {
			// A stopped task's ENI is gone: rebuild it from the attachment.
			src = n.hypotheticalENI(taskSubnet(tk), tk.Network.SecurityGroups, tk.Network.AssignPublicIP)
		}
	} else if ci := st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil {
		if i := st.Instances[ci.EC2InstanceID]; i != nil {
			src = n.eni(i.PrimaryENI)
		}
	}
	if src == nil || src.subnet == nil {
		// No network to follow; a reference that does not parse fails
		// without one.
		return imageRefFailure(st, tk)
	}
	td := st.TaskDefinitions[tk.TaskDefinitionARN]
	var defs []model.ContainerDefinition
	if td != nil {
		defs = td.Containers
	}
	images := make([]string, 0, len(tk.Containers))
	for _, x := range tk.Containers {
		images = append(images, x.Image)
	}
	if len(images) == 0 {
		for _, x := range defs {
			images = append(images, x.Image)
		}
	}
	c := pullCheck{n: n, src: src, fargate: fargate, modern: fargate && tk.PlatformVersion != "1.3.0", task: tk}
	if td != nil {
		c.execRole = td.ExecutionRoleARN
	}
	if f := c.start(images, defs); f != nil {
		return f
	}
	if f := c.logGroupFailure(td); f != nil {
		return f
	}
	// EFS volumes are mounted from the task ENI in awsvpc mode (on EC2
	// too), else from the instance's.
	if len(taskEFSVolumes(td)) == 0 {
		return nil
	}
	taskENI := false
	if !fargate && tk.NetworkMode == model.NetworkModeAwsvpc {
		var e *eniNode
		if id := tk.ENI(); id != "" {
			e = n.eni(id)
		}
		if (e == nil || e.subnet == nil) && tk.Network != nil {
			// A stopped task's ENI is gone: rebuild it from the
			// attachment, as for Fargate (no public IP on EC2).
			if subnet := taskSubnet(tk); subnet != "" {
				e = n.hypotheticalENI(subnet, tk.Network.SecurityGroups, false)
			}
		}
		if e != nil && e.subnet != nil {
			c.src, taskENI = e, true
		}
	}
	f := c.efsMountFailure(td)
	if f != nil && taskENI {
		f.Pulls = "task"
	}
	return f
}

// logGroupFailure: the task reached CloudWatch Logs, and stopped because
// its awslogs log group does not exist (the engine's check, which runs
// where the state lists every log group: engine.WithLogGroupCheck) and the
// group is still missing. nil otherwise, and for a task that did not stop
// for it (the analyzer cannot tell a snapshot's missing group from one it
// was not given).
func (c *pullCheck) logGroupFailure(td *model.TaskDefinition) *StartFailure {
	return c.logGroupStop(c.task, td)
}

// ownedLogGroupFailure is logGroupFailure for a service or a scheduled
// rule's target: one of the stopped tasks it started of its task
// definition (ownedStopped) stopped for want of the log group.
func (c *pullCheck) ownedLogGroupFailure(stopped []*model.Task, td *model.TaskDefinition) *StartFailure {
	for _, tk := range stopped {
		if f := c.logGroupStop(tk, td); f != nil {
			return f
		}
	}
	return nil
}

// ownedStopped returns, ordered by key, the tasks of td that owns started
// and that have a stoppedReason: the only ones logGroupStop judges.
func ownedStopped(st *model.State, owns func(*model.Task) bool, td *model.TaskDefinition) []*model.Task {
	var keys []string
	for k, tk := range st.Tasks {
		if tk.StoppedReason != "" && tk.TaskDefinitionARN == td.ARN && owns(tk) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := make([]*model.Task, len(keys))
	for i, k := range keys {
		out[i] = st.Tasks[k]
	}
	return out
}

// createDenied is the part of a stoppedReason that says the execution
// role may not create the awslogs log group.
const createDenied = "failed to create Cloudwatch log group: AccessDeniedException"

func (c *pullCheck) logGroupStop(tk *model.Task, td *model.TaskDefinition) *StartFailure {
	if tk == nil || td == nil || tk.StoppedReason == "" {
		return nil
	}
	if strings.Contains(tk.StoppedReason, createDenied) {
		// The role still may not: name the group and the role.
		for _, d := range td.Containers {
			group := model.AWSLogsGroup(d, c.n.st.Region)
			if group == "" || !strings.EqualFold(d.LogOption("awslogs-create-group"), "true") {
				continue
			}
			if model.LogGroupCreateDenied(c.n.st, td.ExecutionRoleARN, group, model.LastSegment(tk.ARN), c.n.st.Region, c.n.st.Account, false) == "" {
				continue
			}
			role := model.RoleName(td.ExecutionRoleARN)
			why := "the task execution role " + role + " may not call logs:CreateLogGroup, which the awslogs driver calls for the log group " + group +
				" (awslogs-create-group is true) whether or not the group exists: CloudWatch Logs answers AccessDeniedException"
			f := c.failure(CodeLogGroupCreateDenied, "logs", HTTPVerdict(400), why)
			f.Reason, f.LogGroup, f.Role = tk.StoppedReason, group, role
			return f
		}
		return nil
	}
	if tk.StoppedReason != model.LogGroupStopReason(c.fargate) {
		return nil
	}
	group := model.MissingLogGroup(c.n.st, td)
	if group == "" {
		return nil
	}
	why := "the awslogs driver's log group " + group + " does not exist in " + c.n.st.Region +
		" and awslogs-create-group is not true: CloudWatch Logs answers ResourceNotFoundException to CreateLogStream"
	f := c.failure(CodeLogGroupNotFound, "logs", HTTPVerdict(400), why)
	f.Reason, f.LogGroup = tk.StoppedReason, group
	return f
}

// imageRefFailure is the failure of a task whose start path ecsnet cannot
// follow (no ENI): an image reference that does not parse, else nil.
func imageRefFailure(st *model.State, tk *model.Task) *StartFailure {
	images := make([]string, 0, len(tk.Containers))
	for _, x := range tk.Containers {
		images = append(images, x.Image)
	}
	if td := st.TaskDefinitions[tk.TaskDefinitionARN]; len(images) == 0 && td != nil {
		for _, x := range td.Containers {
			images = append(images, x.Image)
		}
	}
	for _, s := range images {
		if im := parseImage(s); im.err != "" {
			pulls := "instance"
			if tk.LaunchType == model.LaunchFargate || strings.HasPrefix(tk.CapacityProvider, "FARGATE") {
				pulls = "task"
			}
			return &StartFailure{Code: CodeImageRefInvalid, Reason: "CannotPullContainerError: " + im.err, StopCode: "TaskFailedToStart",
				Why: imageRefWhy(im), Image: im.raw, Pulls: pulls, region: st.Region}
		}
	}
	return nil
}

// ServiceStartFailures checks the start path of a service's tasks: on
// Fargate from a new task ENI in each of its subnets, on EC2 from the
// primary ENI of each container instance of its cluster. It returns one
// failure per place that fails.
//
// A service of task sets starts tasks from each of its task sets (their
// own task definition, launch type and network configuration): the
// failures of each, the task set named in TaskSet.
func ServiceStartFailures(n *Network, s *model.Service) []StartFailure {
	if s.Status == "INACTIVE" {
		return nil
	}
	var out []StartFailure
	for _, run := range serviceRuns(s) {
		td := n.st.TaskDefinitions[run.taskDefinitionARN]
		if td == nil {
			continue
		}
		fs := startFailures(n, td, run.launchType, run.capacityProviders, run.platformVersion, run.network, s.ClusterARN, run.owns)
		if run.set != nil {
			for i := range fs {
				fs[i].TaskSet, fs[i].TaskSetStatus = run.set.ID, run.set.Status
			}
		}
		out = append(out, fs...)
	}
	return out
}

// ScheduledTaskStartFailures checks the start path of the tasks an
// EventBridge rule's ECS target starts (RunTask with the target's
// EcsParameters), as ServiceStartFailures checks a service's.
func ScheduledTaskStartFailures(n *Network, tg *model.EventTarget) []StartFailure {
	if tg.ECS == nil {
		return nil
	}
	td := TargetTaskDefinition(n.st, tg.ECS.TaskDefinitionARN)
	if td == nil {
		return nil
	}
	// EventBridge starts them as events-rule/<rule name>.
	owns := func(tk *model.Task) bool {
		return tk.ClusterARN == tg.ARN && strings.HasPrefix(tk.StartedBy, "events-rule/")
	}
	return startFailures(n, td, tg.ECS.LaunchType, tg.ECS.CapacityProviderStrategy, tg.ECS.PlatformVersion, tg.ECS.Network, tg.ARN, owns)
}

// TargetTaskDefinition returns the task definition an EventBridge target
// names: a revision's ARN, or a family's ARN without revision (its latest
// ACTIVE revision, as RunTask takes it); nil when none.
func TargetTaskDefinition(st *model.State, arn string) *model.TaskDefinition {
	if td := st.TaskDefinitions[arn]; td != nil {
		return td
	}
	var best *model.TaskDefinition
	for _, td := range st.TaskDefinitions {
		if td.Status == "ACTIVE" && strings.HasPrefix(td.ARN, arn+":") && (best == nil || td.Revision > best.Revision) {
			best = td
		}
	}
	return best
}

func startFailures(n *Network, td *model.TaskDefinition, lt model.LaunchType, cps []model.CapacityProviderStrategyItem, platform string,
	network *model.AwsVpcConfiguration, cluster string, owns func(*model.Task) bool) []StartFailure {
	st := n.st
	fargate := lt == model.LaunchFargate
	for _, cp := range cps {
		if strings.HasPrefix(cp.CapacityProvider, "FARGATE") {
			fargate = true
		}
	}
	images := make([]string, 0, len(td.Containers))
	for _, x := range td.Containers {
		images = append(images, x.Image)
	}
	var out []StartFailure
	// The owned stopped tasks, found once (on the first place whose path
	// is open), not once per subnet or instance.
	var stopped []*model.Task
	stoppedFound := false
	check := func(e *eniNode) {
		if e == nil || e.subnet == nil {
			return
		}
		c := pullCheck{n: n, src: e, fargate: fargate, modern: fargate && platform != "1.3.0", execRole: td.ExecutionRoleARN}
		f := c.start(images, td.Containers)
		if f == nil {
			if !stoppedFound {
				stopped, stoppedFound = ownedStopped(st, owns, td), true
			}
			f = c.ownedLogGroupFailure(stopped, td)
		}
		if f == nil && (fargate || td.NetworkMode != model.NetworkModeAwsvpc) {
			f = c.efsMountFailure(td)
		}
		if f != nil && (len(out) == 0 || !failsEverywhere(out[0].Code)) {
			// An image reference that does not parse fails alike
			// everywhere: one failure says it.
			out = append(out, *f)
		}
	}
	if fargate {
		if network == nil {
			return nil
		}
		for _, id := range network.Subnets {
			check(n.hypotheticalENI(id, network.SecurityGroups, network.AssignPublicIP))
		}
		return out
	}
	for _, ci := range sortedMap(st.ContainerInstances) {
		if ci.ClusterARN != cluster || ci.Status != "ACTIVE" {
			continue
		}
		if i := st.Instances[ci.EC2InstanceID]; i != nil {
			check(n.eni(i.PrimaryENI))
		}
	}
	if len(out) == 0 && td.NetworkMode == model.NetworkModeAwsvpc && network != nil {
		// EC2 awsvpc: the task ENI mounts the EFS volumes, in each subnet.
		for _, id := range network.Subnets {
			if e := n.hypotheticalENI(id, network.SecurityGroups, false); e != nil && e.subnet != nil {
				c := pullCheck{n: n, src: e}
				if f := c.efsMountFailure(td); f != nil {
					f.Pulls = "task"
					out = append(out, *f)
				}
			}
		}
	}
	return out
}

// InstanceRegisterFailure follows the ECS agent's first calls from an
// instance's primary ENI: RegisterContainerInstance on the ecs endpoint,
// then the agent's communication service (ACS, the ecs-agent endpoint).
// Without the first the instance never registers
// (CodeAgentCannotRegister); without the second it registers, with
// agentConnected false, and ECS places no task on it
// (CodeAgentDisconnected; aws/amazon-ecs-agent#1143, #240). An agent
// without credentials, or whose role may not register, fails first
// (CodeAgentNoCredentials, credentials.go). It returns nil when both are
// reached or the instance is not meant for ECS.
func InstanceRegisterFailure(st *model.State, inst *model.Instance) *StartFailure {
	if inst == nil {
		return nil
	}
	return startNetwork(st).instanceRegisterFailure(inst, nil)
}

// instanceRegisterFailure is InstanceRegisterFailure in a lazy network,
// which Lint shares among the instances it checks: the subnets, route
// tables, network ACLs and security groups they have in common are
// compiled once, and the failed paths are traced into one scratch (nil:
// a fresh one).
func (n *Network) instanceRegisterFailure(inst *model.Instance, scratch *traceScratch) *StartFailure {
	// Without credentials the SDK fails before any request is sent;
	// a role without permission is refused by ECS once reached.
	denied, sent := credentialFailure(n.st, inst)
	if denied != nil && !sent {
		return denied
	}
	src := n.eni(inst.PrimaryENI)
	if src == nil || src.subnet == nil {
		return denied
	}
	c := pullCheck{n: n, src: src, scratch: scratch}
	region := n.st.Region
	for _, svc := range [...]string{"ecs", "ecs-agent"} {
		if svc == "ecs-agent" && denied != nil {
			return denied
		}
		v, addr, why := c.reach(svc)
		if v == Connected {
			continue
		}
		if svc == "ecs-agent" {
			// Registered (the ecs endpoint answered), but the agent's
			// websocket to ACS never opens: agentConnected false.
			f := c.failure(CodeAgentDisconnected, svc, v, why)
			f.Needs = []string{"ecs-agent", "ecs-telemetry"}
			f.Reason = "Error connecting to ACS: websocket client: unable to dial " + c.calledHost("ecs-agent", region, "ecs-a-1."+region+".amazonaws.com") + " response: : " + dialError(addr, v)
			return f
		}
		f := c.failure(CodeAgentCannotRegister, svc, v, why)
		f.Needs = []string{"ecs", "ecs-agent", "ecs-telemetry"}
		f.Reason = "Unable to register as a container instance with ECS: RequestError: send request failed caused by: Post \"https://" + c.calledHost("ecs", region, "ecs."+region+".amazonaws.com") + "/\": " + dialError(addr, v)
		return f
	}
	return nil
}

// failure builds a StartFailure for the check's ENI.
func (c *pullCheck) failure(code, svc string, v Verdict, why string) *StartFailure {
	e := c.src
	f := &StartFailure{Code: code, Service: svc, Verdict: v, Why: why, Subnet: e.eni.SubnetID, VpcID: e.eni.VpcID,
		Groups: e.eni.SecurityGroups, PublicIP: e.public.IsValid(), PublicSubnet: c.n.publicRoute(e.subnet), Pulls: "instance", Blocked: c.blocked, region: c.n.st.Region, bpaMode: c.n.bpaMode}
	if c.fargate {
		f.Pulls = "task"
	}
	if x := c.blocked; x != nil && x.Code == CodeSGRulesMismatch && x.Direction == "ingress" && x.NetworkInterface != nil {
		if X := c.n.eni(model.NetworkInterfaceID(x.NetworkInterface.ID)); X != nil && !X.eni.SourceDestCheck && X.eni.Attachment != nil {
			if inst := c.n.st.Instances[X.eni.Attachment.InstanceID]; inst != nil {
				f.NATInstance = c.n.st.InstanceName(inst)
				if v := c.n.st.VPCs[X.eni.VpcID]; v != nil {
					f.NATCIDR = v.CIDR
				}
			}
		}
	}
	if code != CodeAgentCannotRegister && code != CodeAgentDisconnected && code != CodeAgentNoCredentials {
		f.StopCode = "TaskFailedToStart"
	}
	return f
}

// start checks every step of a task's start path, in the agent's order.
// startNeeds lists what a task's start path reaches: the AWS services
// (endpoint names, "s3" for the gateway) and whether something lives on
// the internet itself.
//
// platform is set for a Fargate task of platform version 1.3.0, whose
// registry auth (ecr.api) and secrets the Fargate platform fetches over a
// network interface of its own, outside the VPC: they are not on the
// task ENI's path.
func startNeeds(region string, images []string, defs []model.ContainerDefinition, platform bool) (needs []string, internet bool) {
	need := func(s ...string) {
		for _, x := range s {
			if !slices.Contains(needs, x) {
				needs = append(needs, x)
			}
		}
	}
	for _, s := range images {
		switch im := parseImage(s); {
		case im.err != "":
			// Never pulled: the reference does not parse.
		case im.kind == "ecr" && im.region == region && platform:
			need("ecr.dkr", "s3")
		case im.kind == "ecr" && im.region == region:
			need("ecr.api", "ecr.dkr", "s3")
		case im.addr.IsValid() && (im.addr.Addr().IsPrivate() || im.addr.Addr().IsLoopback()):
			// A registry at a private address: inside the VPC or a
			// network joined to it, not the internet.
		default:
			// Another region's ECR registry is as far as the internet:
			// VPC endpoints serve their own region only.
			internet = true
		}
	}
	for _, d := range defs {
		if platform {
			break
		}
		for _, s := range containerSecrets(d) {
			if s.region != "" && s.region != region {
				// Another region's service: as far as the internet.
				internet = true
				continue
			}
			need(s.service)
		}
	}
	for _, d := range defs {
		if platform {
			break
		}
		if len(containerEnvFiles(d)) > 0 {
			need("s3")
		}
	}
	if len(firelensS3Configs(defs)) > 0 {
		need("s3")
	}
	for _, d := range defs {
		if d.LogDriver() == "awslogs" {
			if r := d.LogOption("awslogs-region"); r != "" && r != region {
				internet = true
				continue
			}
			need("logs")
		}
	}
	return needs, internet
}

func (c *pullCheck) start(images []string, defs []model.ContainerDefinition) *StartFailure {
	var buf [4]image
	parsed := buf[:0]
	for _, s := range images {
		parsed = append(parsed, parseImage(s))
	}
	var secrets []secretRef
	var envFiles []string
	var logRegions []string // the awslogs-region of each awslogs container, the VPC's by default
	for _, d := range defs {
		secrets = append(secrets, containerSecrets(d)...)
		envFiles = append(envFiles, containerEnvFiles(d)...)
		if d.LogDriver() == "awslogs" {
			if r := cmp.Or(d.LogOption("awslogs-region"), c.n.st.Region); !slices.Contains(logRegions, r) {
				logRegions = append(logRegions, r)
			}
		}
	}
	fail := func(f *StartFailure) *StartFailure {
		if f.Blocked != nil && (f.Blocked.Code == CodeVPCDNSOff || f.Blocked.Code == CodeDNSServerUnreachable) {
			f.Reason = lookupFailed.ReplaceAllString(f.Reason, `https://$1$2": dial tcp: lookup $1: i/o timeout`)
		}
		if c.ipv6Only() {
			// No IPv4 address, so no IPv4 route: the kernel refuses an
			// IPv4 connection at once (ENETUNREACH), as the data plane's
			// IPv6-only namespaces do.
			f.Reason = ipv4DialFailed.ReplaceAllString(f.Reason, `dial tcp $1: connect: network is unreachable`)
		}
		needs, internet := startNeeds(c.n.st.Region, images, defs, c.platformFetches()) // only a failure lists them
		f.Needs, f.NeedsInternet = needs, internet
		for _, svc := range needs {
			if svc == "s3" {
				if !c.s3Gateway() {
					f.Missing = append(f.Missing, svc)
				}
				continue
			}
			if _, _, ok := c.n.endpointWithDNS(c.src.eni.VpcID, svc, ""); !ok {
				f.Missing = append(f.Missing, svc)
			}
		}
		return f
	}
	region := c.n.st.Region
	// 0. The environment files, from S3, by the agent with the task
	// execution role (Fargate needs platform version 1.4.0 for them; its
	// task ENI fetches them). Their download fails first: a Fargate task
	// with an ECR image and no way out at all stops with the env files'
	// error, not the registry auth's (aws/aws-cdk#12720).
	if len(envFiles) > 0 && !c.platformFetches() {
		// Each file from its bucket's region when the state holds the
		// bucket (an S3 object ARN names no region), else the VPC's.
		var seen [2]string
		done := seen[:0]
		for _, file := range envFiles {
			r := c.n.bucketRegion(file)
			if slices.Contains(done, r) {
				continue
			}
			done = append(done, r)
			c.envFile = true
			v, _, why := c.reachIn("s3", r)
			c.envFile = false
			if v != Connected {
				f := c.failure(CodeEnvFilesUnreachable, "s3", v, why)
				f.Reason = envFileError
				f.EnvFile = file
				f.ServiceRegion = c.otherRegion(r)
				return fail(f)
			}
		}
		// Reached through the S3 gateway endpoint of the subnet's route
		// table (a bucket of the VPC's region), each file's GetObject
		// must pass the endpoint's policy: S3 answers 403 to the one it
		// does not allow (a policy of ECR's layer bucket only, as the ECR
		// guide's minimum one).
		for _, file := range envFiles {
			if r := c.n.bucketRegion(file); r != region {
				continue
			}
			if ep := c.s3GatewayPolicyOn(region, file); ep != nil {
				why := "the policy of the S3 gateway endpoint " + ep.comp.Label() + " does not allow s3:GetObject on " + file +
					" (the task's environment file): S3 answers 403 Forbidden"
				c.blocked = &Explanation{Code: CodeEndpointPolicyDenied, Blocking: true, Path: "forward", Component: ep.comp, Message: why, clause: why}
				f := c.failure(CodeEnvFilesUnreachable, "s3", HTTPVerdict(403), why)
				f.Reason = envFileDenied
				f.EnvFile = file
				return fail(f)
			}
		}
	}
	// 0b. FireLens's configuration file from S3 (firelensConfiguration
	// option config-file-type s3): the ECS agent of the container
	// instance downloads it (s3:GetObject, with the task execution role)
	// before the log router starts, and the task stops when it cannot.
	// Fargate takes config-file-type file only: nothing is downloaded.
	if !c.fargate {
		for _, file := range firelensS3Configs(defs) {
			r := c.n.bucketRegion(file)
			c.firelensConfig = true
			v, addr, why := c.reachIn("s3", r)
			c.firelensConfig = false
			if v != Connected {
				f := c.failure(CodeFireLensConfigUnreachable, "s3", v, why)
				f.Reason = firelensConfigError(file, dialError(addr, v))
				f.FireLensConfig = file
				f.ServiceRegion = c.otherRegion(r)
				return fail(f)
			}
			if r != region {
				continue
			}
			if ep := c.s3GatewayPolicyOn(region, file); ep != nil {
				why := "the policy of the S3 gateway endpoint " + ep.comp.Label() + " does not allow s3:GetObject on " + file +
					" (FireLens's configuration file): S3 answers 403 Forbidden"
				c.blocked = &Explanation{Code: CodeEndpointPolicyDenied, Blocking: true, Path: "forward", Component: ep.comp, Message: why, clause: why}
				f := c.failure(CodeFireLensConfigUnreachable, "s3", HTTPVerdict(403), why)
				f.Reason = firelensConfigError(file, "AccessDenied: Access Denied status code: 403")
				f.FireLensConfig = file
				return fail(f)
			}
		}
	}
	// 1. ECR registry auth, from each registry's region (ECS hands the
	// agent the region of the image's registry). On Fargate 1.3.0 the
	// platform fetches it (and the secrets) over its own interface.
	var authed [2]string
	regions := authed[:0]
	for _, im := range parsed {
		if c.platformFetches() {
			break
		}
		if im.kind != "ecr" || slices.Contains(regions, im.region) {
			continue
		}
		regions = append(regions, im.region)
		if v, addr, why := c.reachIn("ecr.api", im.region); v != Connected {
			f := c.failure(CodeImagePullFailed, "ecr.api", v, why)
			f.Reason = c.authError(im.region, addr, v)
			f.RegistryRegion = c.otherRegion(im.region)
			return fail(f)
		}
		if im.region != region {
			continue // no endpoint of the VPC's region serves another's registry
		}
		if ep := c.interfacePolicy("ecr.api", "ecr:GetAuthorizationToken", func() string { return "*" }); ep != nil {
			// The connection is made; ECR refuses the call the endpoint's
			// policy does not allow.
			why := "the policy of the ecr.api interface endpoint " + ep.comp.Label() + " does not allow ecr:GetAuthorizationToken: ECR answers AccessDeniedException"
			c.blocked = &Explanation{Code: CodeEndpointPolicyDenied, Blocking: true, Path: "forward", Component: ep.comp, Message: why, clause: why}
			f := c.failure(CodeImagePullFailed, "ecr.api", HTTPVerdict(400), why)
			f.Reason = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: " +
				"service call has been retried 3 time(s): " + c.endpointDenied("ecr:GetAuthorizationToken", "*") + ". Please check your task network configuration."
			if !c.modern {
				f.Reason = "CannotPullContainerError: " + c.endpointDenied("ecr:GetAuthorizationToken", "*")
			}
			return fail(f)
		}
	}
	// 2. Secrets.
	for _, s := range secrets {
		if c.platformFetches() {
			break
		}
		if v, addr, why := c.reachIn(s.service, s.region); v != Connected {
			f := c.failure(CodeSecretsUnreachable, s.service, v, why)
			f.Reason = secretError(cmp.Or(s.region, region), s, addr, v)
			if r := cmp.Or(s.region, region); c.calledHost(s.service, r, "") != "" {
				// The dual-stack name an IPv6-only interface called.
				f.Reason = strings.Replace(f.Reason, s.service+"."+r+".amazonaws.com", c.calledHost(s.service, r, ""), 1)
			}
			f.ServiceRegion = c.otherRegion(s.region)
			return fail(f)
		}
		if s.region != "" && s.region != region {
			continue // no endpoint of the VPC's region serves another's secrets
		}
		action, resource := secretCall(s, region, c.n.st.Account)
		if ep := c.interfacePolicy(s.service, action, func() string { return resource }); ep != nil {
			// Reached through the VPC's interface endpoint, whose
			// policy does not allow the call: the service answers
			// AccessDeniedException, and the task stops.
			why := "the policy of the " + s.service + " interface endpoint " + ep.comp.Label() + " does not allow " + action + " on " + resource +
				": " + s.service + " answers AccessDeniedException"
			c.blocked = &Explanation{Code: CodeEndpointPolicyDenied, Blocking: true, Path: "forward", Component: ep.comp, Message: why, clause: why}
			f := c.failure(CodeSecretsUnreachable, s.service, HTTPVerdict(400), why)
			f.Reason = secretDenied(s, c.endpointDenied(action, resource))
			f.Secret = resource
			return fail(f)
		}
	}
	// Reached, each secret must exist (where the state holds that kind).
	if c.task != nil {
		if f := missingSecret(c.n.st, c.task, false); f != nil {
			return f
		}
	}
	// 3. Images. A reference that does not parse fails at once, before
	// any connection (the Docker client's ImagePull parses it first).
	for _, im := range parsed {
		if im.err != "" {
			f := c.failure(CodeImageRefInvalid, "", "", imageRefWhy(im))
			f.Reason = "CannotPullContainerError: " + im.err
			f.Image = im.raw
			return f
		}
	}
	for _, im := range parsed {
		if r := c.pullImage(im); r.reason != "" {
			if r.missingRepo != "" {
				code := CodeImageRepositoryNotFound
				if r.missingTag {
					code = CodeImageTagNotFound
				}
				f := c.failure(code, r.svc, r.verdict, r.why)
				f.Reason, f.Image, f.Repository = r.reason, im.raw, r.missingRepo
				return f
			}
			f := c.failure(CodeImagePullFailed, r.svc, r.verdict, r.why)
			f.Reason = r.reason
			f.RegistryRegion = c.otherRegion(im.region)
			if r.classicECR {
				f.Image, f.DualStackImage = im.raw, DualStackImageRef(im.raw)
			}
			return fail(f)
		}
	}
	// 4. The awslogs log stream.
	// The driver writes to the awslogs-region's CloudWatch Logs.
	for _, r := range logRegions {
		if !regionName.MatchString(r) {
			// The driver's SDK builds no endpoint for a name that is not
			// a Region: it fails before any connection (aws-sdk-go's
			// MissingEndpoint).
			why := "awslogs-region is " + strconv.Quote(r) + ", which is not an AWS Region name" + notARegion +
				": the awslogs driver resolves no CloudWatch Logs endpoint for it and never connects"
			f := c.failure(CodeLogsUnreachable, "logs", Timeout, why)
			f.Reason = "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: " +
				"MissingEndpoint: 'Endpoint' configuration is required for this service : exit status 1"
			f.ServiceRegion = r
			return fail(f)
		}
		if v, addr, why := c.reachIn("logs", r); v != Connected {
			f := c.failure(CodeLogsUnreachable, "logs", v, why)
			f.Reason = "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: " +
				"RequestError: send request failed caused by: Post \"https://" + c.calledHost("logs", r, "logs."+r+".amazonaws.com") + "/\": " + dialError(addr, v) + " : exit status 1"
			f.ServiceRegion = c.otherRegion(r)
			return fail(f)
		}
	}
	// 5. A log driver that connects to its destination when the
	// container starts: splunk's HTTP Event Collector (an HTTP OPTIONS
	// request to splunk-url's event path, unless splunk-verify-connection
	// is false), fluentd (unless fluentd-async is true) and syslog over
	// TCP. The container does not start when the connection fails. The
	// driver runs in the Docker daemon of the container instance (its own
	// network interface, for every network mode), on Fargate in the
	// task's network.
	for _, d := range defs {
		col, ok := logDriverCollector(d)
		if !ok {
			continue
		}
		addr := col.addr
		if col.named {
			a, miss, ok := c.resolveCollector(col.host)
			if miss != nil {
				// The driver's lookup fails: Docker's error is Go's
				// resolver's, from the VPC's Route 53 Resolver.
				dial := "dial tcp: lookup " + col.host + " on " + c.resolverOf() + ":53: no such host"
				reason := "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: " + dial
				target := col.host + ":" + strconv.Itoa(int(col.port))
				if col.driver == "splunk" {
					target = "HTTP Event Collector " + col.url
					reason = "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: Options \"" + col.url + "\": " + dial
				}
				why := "the " + col.driver + " log driver of container " + d.Name + " cannot reach " + target + ": " + miss.Message
				c.blocked = miss
				fl := c.failure(CodeLogDriverUnreachable, col.host, NXDomain, why)
				fl.Port = col.port
				fl.Reason = reason
				return fail(fl)
			}
			if ok {
				addr = a
			}
		}
		f := flow{srcENI: c.src, src: c.src.primary, srcRef: c.src, sport: DefaultClientPort, dst: addr, dport: col.port}
		if addr.IsPrivate() {
			dst := c.privateDestination(addr)
			if dst == nil {
				continue // a collector the state does not hold: taken to answer
			}
			f.dstHint = dst
		}
		v, why := c.connect(f)
		if v == Connected || v == Refused && addr.IsPrivate() {
			// ecsnet does not know what listens on a collector's host
			// of the VPC: reached, it is taken to answer [choice].
			continue
		}
		what := addr.String()
		if col.host != what {
			what = col.host + " (" + what + ")"
			why = strings.ReplaceAll(why, addr.String(), what)
		}
		if why == "" {
			why = "the connection to " + what + " gets " + string(v)
		}
		dial := strings.Replace(dialError(addr, v), ":443:", ":"+strconv.Itoa(int(col.port))+":", 1)
		reason := "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: " + dial
		target := col.host + ":" + strconv.Itoa(int(col.port))
		if col.driver == "splunk" {
			target = "HTTP Event Collector " + col.url
			reason = "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: Options \"" + col.url + "\": " + dial
		}
		why = "the " + col.driver + " log driver of container " + d.Name + " cannot reach " + target + ": " + why
		fl := c.failure(CodeLogDriverUnreachable, col.host, v, why)
		fl.Port = col.port
		fl.Reason = reason
		fl = fail(fl)
		if !addr.IsPrivate() {
			fl.NeedsInternet = true
		}
		return fl
	}
	return nil
}

// collector is where a container's log driver connects when the
// container starts.
type collector struct {
	named  bool // host is a name, not an address
	driver string
	url    string // splunk: the URL the driver asks (splunk-url and the event path)
	host   string
	addr   netip.Addr // its address: the given one, or a representative one of the internet
	port   uint16
}

// logDriverCollector returns where container d's log driver connects
// when the container starts (Docker's logging drivers,
// https://docs.docker.com/engine/logging/drivers/): splunk's splunk-url
// unless splunk-verify-connection is false; fluentd's fluentd-address
// (default localhost:24224, on the instance itself) unless fluentd-async
// is true ("If container cannot connect to the Fluentd daemon, the
// container stops immediately unless the fluentd-async option is used");
// syslog's syslog-address over tcp or tcp+tls (default ports 514, 6514).
// A host name is taken to be on the internet (ecsnet resolves no public
// DNS), at a representative address [choice]; a loopback address, a unix
// socket or UDP connects nothing.
func logDriverCollector(d model.ContainerDefinition) (collector, bool) {
	col := collector{driver: d.LogDriver()}
	switch col.driver {
	case "splunk":
		if strings.EqualFold(d.LogOption("splunk-verify-connection"), "false") {
			return collector{}, false
		}
		u, err := url.Parse(d.LogOption("splunk-url"))
		if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return collector{}, false
		}
		col.url, col.host, col.port = strings.TrimSuffix(u.String(), "/")+"/services/collector/event/1.0", u.Hostname(), 443
		if u.Scheme == "http" {
			col.port = 80
		}
		if p, err := strconv.ParseUint(u.Port(), 10, 16); err == nil && p > 0 {
			col.port = uint16(p)
		}
	case "fluentd":
		if strings.EqualFold(d.LogOption("fluentd-async"), "true") || strings.EqualFold(d.LogOption("fluentd-async-connect"), "true") {
			return collector{}, false
		}
		a := strings.TrimPrefix(d.LogOption("fluentd-address"), "tcp://")
		if a == "" || strings.HasPrefix(a, "unix://") {
			return collector{}, false
		}
		host, port, err := net.SplitHostPort(a)
		if err != nil {
			host, port = a, "24224"
		}
		p, err := strconv.ParseUint(port, 10, 16)
		if err != nil || p == 0 || host == "" {
			return collector{}, false
		}
		col.host, col.port = host, uint16(p)
	case "syslog":
		u, err := url.Parse(d.LogOption("syslog-address"))
		if err != nil || u.Hostname() == "" || (u.Scheme != "tcp" && u.Scheme != "tcp+tls") {
			return collector{}, false
		}
		col.host, col.port = u.Hostname(), 514
		if u.Scheme == "tcp+tls" {
			col.port = 6514
		}
		if p, err := strconv.ParseUint(u.Port(), 10, 16); err == nil && p > 0 {
			col.port = uint16(p)
		}
	default:
		return collector{}, false
	}
	if strings.EqualFold(col.host, "localhost") {
		return collector{}, false
	}
	if a, err := netip.ParseAddr(col.host); err == nil {
		if !a.Is4() || a.IsLoopback() {
			return collector{}, false
		}
		col.addr = a
	} else {
		col.addr, col.named = registryAddr("splunk"), true
	}
	return col, true
}

// resolveCollector looks a log collector's host name up as the container
// instance's (or the Fargate task's) resolver does: a name some Route 53
// hosted zone covers resolves through the private zones associated with
// the source's VPC, else the public zone (resolveRoute53), to an address,
// a load balancer's node or an interface endpoint. ok is false for a name
// no hosted zone covers (taken to be on the internet); miss is why a
// covered name does not resolve from the source (NXDOMAIN, NODATA, a zone
// not associated with the VPC, …).
func (c *pullCheck) resolveCollector(host string) (addr netip.Addr, miss *Explanation, ok bool) {
	ep, covered := c.n.route53Name(host, Endpoint{Spec: host})
	if !covered {
		return netip.Addr{}, nil, false
	}
	q := Query{From: Endpoint{Kind: KindENI, eni: c.src}, To: ep, Protocol: model.TCP}
	c.n.resolveRoute53(&q)
	if q.nx {
		tr := tracer{n: c.n, res: &Result{}, proto: model.TCP}
		fs := newFlowState()
		tr.route53NX(&fs, &q)
		if len(tr.res.Explanations) == 0 {
			return netip.Addr{}, nil, false
		}
		e := tr.res.Explanations[0]
		e.Blocking = true
		return netip.Addr{}, &e, true
	}
	switch to := q.To; {
	case to.lb != nil && len(to.lb.nodes) > 0:
		node := to.lb.nodes[0]
		for i, z := range to.lb.zones {
			if z == c.src.eni.AvailabilityZone {
				node = to.lb.nodes[i]
			}
		}
		return node.primary, nil, true
	case to.eni != nil && to.Kind == KindENI:
		return to.eni.primary, nil, true
	case to.Address.IsValid():
		return to.Address, nil, true
	}
	return netip.Addr{}, nil, false
}

// resolverOf is the address of the DNS server the check's source asks
// first: the first domain-name-servers address of its VPC's DHCP options
// set, or the Route 53 Resolver (its VPC's base address plus two) for
// AmazonProvidedDNS and the default set.
func (c *pullCheck) resolverOf() string {
	v := c.n.st.VPCs[c.src.eni.VpcID]
	if v == nil {
		return "169.254.169.253"
	}
	if o := c.n.st.DhcpOptions[v.DhcpOptions]; o != nil && !o.IsDefault {
		if servers := o.Options["domain-name-servers"]; len(servers) > 0 && servers[0] != "AmazonProvidedDNS" {
			if a, err := netip.ParseAddr(servers[0]); err == nil {
				return a.String()
			}
		}
	}
	if a := v.ResolverAddr(); a.IsValid() {
		return a.String()
	}
	return "169.254.169.253"
}

// platformFetches reports whether the Fargate platform, not the task
// ENI, fetches the registry auth and the secrets: platform version 1.3.0
// gave each task a second network interface of the platform's own, outside
// the VPC, for them; the task ENI carried the application's traffic, the
// image layers and the logs (platform-version-migration: "Starting with
// platform version 1.4.0 ... all network traffic flows through that ENI";
// the 1.4.0 endpoint list adds ecr.api, secretsmanager and ssm).
func (c *pullCheck) platformFetches() bool { return c.fargate && !c.modern }

// secretRef is one secret a container definition asks for.
type secretRef struct {
	name, valueFrom string
	service         string // "secretsmanager" or "ssm"
	// region is the region of the ARN's service ("" for a parameter
	// named without an ARN: the task's own region). ECS fetches a secret
	// of another region from that region's service (ECS API reference,
	// Secret: "If the parameter exists in a different Region, then the
	// full ARN must be specified").
	region string
}

// arnRegion returns the region field of an ARN, "" when s is not one.
func arnRegion(s string) string {
	parts := strings.SplitN(s, ":", 5)
	if len(parts) < 5 || parts[0] != "arn" {
		return ""
	}
	return parts[3]
}

// containerSecrets returns a container definition's secrets (and its
// private registry credentials, which live in Secrets Manager).
func containerSecrets(d model.ContainerDefinition) []secretRef {
	var out []secretRef
	add := func(name, from string) {
		svc := "ssm"
		if strings.Contains(from, ":secretsmanager:") {
			svc = "secretsmanager"
		}
		out = append(out, secretRef{name: name, valueFrom: from, service: svc, region: arnRegion(from)})
	}
	for _, x := range rawList(d.Raw, "secrets") {
		m, _ := x.(map[string]any)
		add(model.RawString(m, "name"), model.RawString(m, "valueFrom"))
	}
	if m, ok := model.RawField(d.Raw, "repositoryCredentials").(map[string]any); ok {
		if arn := model.RawString(m, "credentialsParameter"); arn != "" {
			out = append(out, secretRef{name: "repositoryCredentials", valueFrom: arn, service: "secretsmanager", region: arnRegion(arn)})
		}
	}
	return out
}

// containerEnvFiles returns a container definition's environmentFiles of
// type s3 (the only type; an entry without one is s3 too) whose value is
// an S3 object ARN (arn:aws:s3:::bucket/key). Their buckets are taken to
// be in the VPC's region (a scenario holds no buckets) [choice].
func containerEnvFiles(d model.ContainerDefinition) []string {
	var out []string
	for _, x := range rawList(d.Raw, "environmentFiles") {
		m, _ := x.(map[string]any)
		if t := model.RawString(m, "type"); t != "" && t != "s3" {
			continue
		}
		arn := model.RawString(m, "value")
		if _, ok := model.CutS3ARN(arn); ok {
			out = append(out, arn)
		}
	}
	return out
}

// bucketRegion is the region of the bucket of an S3 object ARN
// (arn:aws:s3:::BUCKET/KEY) when the state holds the bucket, else the
// state's region: the ARN names no region, and ECS reads the file from
// the bucket's own (ECS Developer Guide, "Pass environment variables to a
// container": the bucket may be in another region when the task's role
// allows it; S3 redirects a request to the wrong region's endpoint).
func (n *Network) bucketRegion(arn string) string {
	ref, _ := model.CutS3ARN(arn)
	name, _, _ := strings.Cut(ref, "/")
	if b := n.st.Buckets[name]; b != nil && b.Region != "" {
		return b.Region
	}
	return n.st.Region
}

// envFileError is the stoppedReason of a task whose environment files
// the agent cannot download for want of a path to S3: the download's
// context runs out (aws/aws-cdk#12720: a Fargate task in a subnet with no
// way to S3; aws/aws-cli#6470 quotes the same text).
const envFileError = "ResourceInitializationError: failed to download env files: file download command: non empty error stream: " +
	"RequestCanceled: request context canceled caused by: context deadline exceeded"

// firelensS3Configs returns the S3 object ARNs of the FireLens
// configuration files the containers' firelensConfiguration asks for
// (options config-file-type s3, config-file-value the object's ARN).
func firelensS3Configs(defs []model.ContainerDefinition) []string {
	var out []string
	for _, d := range defs {
		fc, _ := model.RawField(d.Raw, "firelensConfiguration").(map[string]any)
		opts, _ := model.RawField(fc, "options").(map[string]any)
		if model.RawString(opts, "config-file-type") != "s3" {
			continue
		}
		if v := model.RawString(opts, "config-file-value"); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// firelensConfigError is the stoppedReason of a task whose FireLens
// configuration file the agent cannot download: the agent's wrapping
// ("Unable to download firelens s3 config file: unable to download s3
// config KEY from bucket BUCKET: …", aws-samples/amazon-ecs-firelens-examples#21
// and the agent's firelens resource, aws/amazon-ecs-agent#2179) around
// the S3 client's error (its text is ecsnet's [choice]).
func firelensConfigError(file, err string) string {
	ref, _ := model.CutS3ARN(file)
	bucket, key, _ := strings.Cut(ref, "/")
	return "Unable to download firelens s3 config file: unable to download s3 config " + key + " from bucket " + bucket + ": " + err
}

// envFileDenied is the stoppedReason of a task whose environment file S3
// refuses (403): the agent's HeadObject of the object, as reported from
// Fargate (EnvFileCheck's text; a HEAD response has no body, so S3's
// AccessDenied reads Forbidden whatever denied it).
const envFileDenied = "ResourceInitializationError: failed to download env files: service call has been retried 1 time(s): " +
	"operation error S3: HeadObject, https response error StatusCode: 403, api error Forbidden: Forbidden"

func rawList(m map[string]any, key string) []any {
	l, _ := model.RawField(m, key).([]any)
	return l
}

// secretError is the agent's text when a secret cannot be fetched
// (repost.aws "ecs-unable-to-pull-secrets"; the tail after "retried" is
// the SDK's connection error, as for registry auth).
func secretError(region string, s secretRef, addr netip.Addr, v Verdict) string {
	if s.service == "secretsmanager" {
		return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
			"service call has been retried 5 time(s): failed to fetch secret " + s.valueFrom + " from secrets manager: RequestError: send request failed caused by: " +
			"Post \"https://secretsmanager." + region + ".amazonaws.com/\": " + dialError(addr, v) + ". Please check your task network configuration."
	}
	return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: " +
		"service call has been retried 5 time(s): RequestError: send request failed caused by: Post \"https://ssm." + region + ".amazonaws.com/\": " +
		dialError(addr, v) + ". Please check your task network configuration."
}

// secretCall is the call ECS makes for a secret, and the resource it
// names: secretsmanager:GetSecretValue on the secret's ARN, or
// ssm:GetParameters on the parameter's (a parameter named without an ARN
// is one of the task's account and region).
func secretCall(s secretRef, region, account string) (string, string) {
	if s.service == "secretsmanager" {
		return "secretsmanager:GetSecretValue", s.valueFrom
	}
	if strings.HasPrefix(s.valueFrom, "arn:") {
		return "ssm:GetParameters", s.valueFrom
	}
	return "ssm:GetParameters", "arn:" + model.Partition(region) + ":ssm:" + region + ":" + account + ":parameter/" + strings.TrimPrefix(s.valueFrom, "/")
}

// secretDenied is the agent's text when the service refuses a secret's
// call (denied: the AccessDeniedException's message).
func secretDenied(s secretRef, denied string) string {
	if s.service == "secretsmanager" {
		return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
			"service call has been retried 1 time(s): failed to fetch secret " + s.valueFrom + " from secrets manager: " + denied + " status code: 400"
	}
	return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: " +
		"service call has been retried 1 time(s): " + denied + " status code: 400"
}

// pullCheck checks image pulls from one ENI.
type pullCheck struct {
	n *Network
	// sni is the name the connection under way sends (TLS SNI), for
	// firewalls that filter by it (startsni.go).
	sni string
	// envFile: the step under way downloads the task's environment
	// files (for the sentence of a bucket of another region).
	envFile bool
	// firelensConfig: the step under way downloads FireLens's
	// configuration file.
	firelensConfig bool
	src            *eniNode
	fargate        bool
	modern         bool // Fargate platform 1.4.0: containerd, all traffic on the task ENI
	scratch        *traceScratch
	// blocked is the blocking explanation of the last failed connection.
	blocked *Explanation
	// execRole is the task execution role (name or ARN) the agent calls
	// ECR with, "" when unknown.
	execRole string
	// task is the task whose start is checked (nil for an agent's).
	task *model.Task
	// dualStack: the step under way pulls an image by its registry's
	// dual-stack name (ACCOUNT.dkr-ecr.REGION.on.aws, ecr-public.aws.com),
	// whose manifest and layers an IPv6-only interface reaches over IPv6.
	dualStack bool
}

// traceScratch is what a series of checks (Lint's agent checks) reuse to
// trace their failed connections: only the first blocking explanation's
// sentence outlives a trace.
type traceScratch struct {
	hops []Hop
	res  Result
}

// pullResult is the outcome of one image pull.
type pullResult struct {
	reason  string  // the stoppedReason, "" when the pull works
	svc     string  // what was not reached
	verdict Verdict // of the step that failed
	why     string  // the analyzer's sentence for it
	// missingRepo is the ECR repository that does not exist, or that
	// lacks the image (missingTag), when that is why the pull fails.
	missingRepo string
	missingTag  bool
	// classicECR: an interface of an IPv6-only subnet could not reach an
	// ECR registry by its IPv4-only name, which its dual-stack name
	// would have carried over IPv6.
	classicECR bool
}

// failsEverywhere reports whether a start failure of that code is the
// same in every subnet (the image itself, not the way to it): one failure
// says it.
func failsEverywhere(code string) bool {
	return code == CodeImageRefInvalid || code == CodeImageRepositoryNotFound || code == CodeImageTagNotFound
}

// image is a parsed image reference. Its strings are cut from the
// reference; the texts only a failure shows are built by ref and manifest.
type image struct {
	raw    string // the reference as the task definition gives it
	domain string // the registry's domain, "docker.io" for Docker Hub
	host   string // the registry host (registry-1.docker.io for Docker Hub)
	name   string // the repository (library/… for Docker Hub's official images)
	tag    string
	digest string
	kind   string // "ecr", "public.ecr.aws", "docker.io", "other"; "" when invalid
	region string // an ECR registry's region
	// dualStack: the registry's dual-stack name (an ECR registry's
	// ACCOUNT.dkr-ecr.REGION.on.aws, ECR Public's ecr-public.aws.com).
	dualStack bool
	// addr is the registry's address and port when its domain is an IP
	// address (10.0.11.60:5000, [fd00::5]): no name to look up, and the
	// pull connects there (to 443 without a port), not to the internet.
	addr netip.AddrPort
	// port is the port a registry given by name listens on when its
	// domain names one (registry.example.com:5000): the pull connects
	// there, not to 443. 0 for the default.
	port uint16
	err  string // Docker's error when the reference is not valid
}

func parseImage(s string) image {
	ref, msg := ParseImageRef(s)
	if msg != "" {
		return image{raw: s, err: msg}
	}
	im := image{raw: s, domain: ref.Domain, name: ref.Path, tag: ref.Tag, digest: ref.Digest}
	im.kind, im.host = imageKind(ref.Domain)
	if im.kind == "ecr" {
		im.region = model.ECRRegistryRegion(im.host)
		im.dualStack = model.ECRDualStack(im.host)
	}
	if im.kind == "public.ecr.aws" {
		im.dualStack = im.host != "public.ecr.aws"
	}
	if im.kind == "other" {
		im.addr = registryAddrPort(im.host)
		if !im.addr.IsValid() {
			im.port = registryNamePort(im.host)
		}
	}
	return im
}

// registryNamePort is the port of a registry domain that is a name with
// a port (registry.example.com:5000, Docker's reference grammar), 0 when
// it has none or names 443.
func registryNamePort(domain string) uint16 {
	_, port, ok := strings.Cut(domain, ":")
	if !ok {
		return 0
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 || p == 443 {
		return 0
	}
	return uint16(p)
}

// registryAddrPort is the address and port of a registry domain that is
// an IP address, with or without a port (Docker's reference grammar
// allows an IPv6 address in brackets), the port 443 when none is given;
// the zero AddrPort for a name.
func registryAddrPort(domain string) netip.AddrPort {
	if ap, err := netip.ParseAddrPort(domain); err == nil {
		return ap
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(domain, "["), "]")); err == nil {
		return netip.AddrPortFrom(a.Unmap(), 443)
	}
	return netip.AddrPort{}
}

// repo is the repository (Docker Hub's official images are library/…).
func (im image) repo() string { return im.name }

// ref is the normalized reference (docker.io/library/httpd:2.4).
func (im image) ref() string {
	if im.digest != "" {
		return im.domain + "/" + im.repo() + "@" + im.digest
	}
	return im.domain + "/" + im.repo() + ":" + im.tag
}

// manifest is the manifest URL.
func (im image) manifest() string {
	ref := im.tag
	if im.digest != "" {
		ref = im.digest
	}
	return "https://" + im.host + "/v2/" + im.repo() + "/manifests/" + ref
}

// imageKind returns the kind of registry a domain is and the host a pull
// asks.
func imageKind(domain string) (kind, host string) {
	switch {
	case domain == "" || domain == "docker.io" || domain == "index.docker.io":
		return "docker.io", "registry-1.docker.io"
	case domain == "public.ecr.aws" || domain == "ecr-public.aws.com":
		// ECR Public by its IPv4 name or its dual-stack one.
		return "public.ecr.aws", domain
	case model.ECRRegistryRegion(domain) != "":
		return "ecr", domain
	}
	return "other", domain
}

// pullImage checks the manifest and layer steps of an image pull (the
// ECR auth step is checked before secrets, by start).
func (c *pullCheck) pullImage(im image) pullResult {
	c.dualStack = im.dualStack
	defer func() { c.dualStack = false }()
	if im.kind == "ecr" {
		if v, addr, why := c.reachIn("ecr.dkr", im.region); v != Connected {
			why = strings.ReplaceAll(why, serviceHost("ecr.dkr", im.region), im.host)
			why += c.dualStackHint(im)
			return pullResult{reason: c.manifestError(im, addr, v), svc: "ecr.dkr", verdict: v, why: why, classicECR: c.dualStackHint(im) != ""}
		}
		if r, ok := c.missingRepository(im); ok {
			return r
		}
		if r, ok := c.missingImage(im); ok {
			return r
		}
		if im.region == c.n.st.Region {
			repo := func() string {
				account, _, _ := strings.Cut(im.host, ".")
				return "arn:" + model.Partition(im.region) + ":ecr:" + im.region + ":" + account + ":repository/" + im.repo()
			}
			if ep := c.interfacePolicy("ecr.dkr", "ecr:BatchGetImage", repo); ep != nil {
				repo := repo()
				// The manifest request reaches the endpoint; ECR refuses it.
				why := "the policy of the ecr.dkr interface endpoint " + ep.comp.Label() + " does not allow ecr:BatchGetImage on " + repo + ": ECR answers 403 Forbidden"
				c.blocked = &Explanation{Code: CodeEndpointPolicyDenied, Blocking: true, Path: "forward", Component: ep.comp, Message: why, clause: why}
				// The registry's 403 as containerd reports it [choice].
				reason := "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + im.ref() +
					": unexpected status from HEAD request to " + im.manifest() + ": 403 Forbidden"
				if !c.modern {
					reason = "CannotPullContainerError: Error response from daemon: denied: " + c.endpointDenied("ecr:BatchGetImage", repo)
				}
				return pullResult{reason: reason, svc: "ecr.dkr", verdict: HTTPVerdict(403), why: why}
			}
		}
		if v, addr, why := c.reachIn("s3", im.region); v != Connected {
			return pullResult{reason: c.layerError(im.region, addr, v), svc: "s3", verdict: v, why: why}
		}
		if ep := c.s3GatewayPolicy(im.region); ep != nil {
			// The connection is made; S3 answers 403 to a request the
			// gateway endpoint's policy does not allow.
			why := "the policy of the S3 gateway endpoint " + ep.comp.Label() + " does not allow s3:GetObject on " + ecrLayerBucket(im.region) +
				" (ECR's image layers): S3 answers 403 Forbidden"
			c.blocked = &Explanation{Code: CodeEndpointPolicyDenied, Blocking: true, Path: "forward", Component: ep.comp, Message: why, clause: why}
			bucket := "https://prod-" + im.region + "-starport-layer-bucket.s3." + im.region + ".amazonaws.com/"
			// Docker's text for S3's XML 403 (as public reports of endpoint
			// policies quote it); containerd's wording is UNVERIFIED.
			reason := "CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: unexpected status code " +
				bucket + ": 403 Forbidden"
			if !c.modern {
				reason = "CannotPullContainerError: error pulling image configuration: error parsing HTTP 403 response body: invalid character '<' looking for beginning of value: " +
					`"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"`
			}
			return pullResult{reason: reason, svc: "s3", verdict: HTTPVerdict(403), why: why}
		}
		return pullResult{}
	}
	svc := im.kind
	if svc == "other" {
		svc = im.host
	}
	if a := im.addr.Addr(); im.addr.IsValid() {
		// A registry given by address: no lookup, the connection goes
		// where the address is (inside the VPC, a peer, or the internet).
		f := flow{srcENI: c.src, src: c.src.primary, srcRef: c.src, sport: DefaultClientPort, dst: a, dport: im.addr.Port()}
		if a.IsPrivate() {
			if f.dstHint = c.privateDestination(a); f.dstHint == nil {
				return pullResult{} // a registry the state does not hold: taken to answer
			}
		}
		// What listens on a registry's host is not modelled: reached, a
		// private one is taken to answer, as a log collector is [choice].
		if v, why := c.connect(f); v != Connected && (v != Refused || !a.IsPrivate()) {
			return pullResult{reason: c.manifestError(im, a, v), svc: svc, verdict: v, why: why}
		}
		return pullResult{}
	}
	port := uint16(443)
	if im.port != 0 {
		port = im.port // a registry name with its port: the pull connects there
	}
	if v, addr, why := c.reachInPort(im.kind, c.n.st.Region, port); v != Connected {
		if im.kind == "other" {
			// The registry by its own name, not the kind's.
			why = strings.ReplaceAll(why, serviceHost(im.kind, c.n.st.Region)+" ("+addr.String()+")", im.host+" ("+addr.String()+")")
		}
		return pullResult{reason: c.manifestError(im, addr, v), svc: svc, verdict: v, why: why}
	}
	return pullResult{}
}

// missingRepository returns the repository an image names in the state's
// own registry (its account and region) when the state holds ECR
// repositories and none of that name: the pull's manifest request answers
// 404. A state with no repository at all says nothing about the
// registry (a source that does not manage ECR, an emulator account that
// never used it): its repositories are taken to exist.
func missingRepository(st *model.State, im image) (string, bool) {
	if len(st.Repositories) == 0 || !ownRegistry(st, im) || st.Repositories[im.name] != nil || pullThrough(st, im) {
		return "", false
	}
	return im.name, true
}

// pullThrough reports whether an image of the state's own registry is in
// a repository a pull through cache rule covers: ECR creates the
// repository on the first pull and fetches a tag it does not hold from
// the upstream registry itself, so neither a missing repository nor a
// missing tag fails the pull (the pull is an ECR pull: the task needs the
// ECR endpoints, not the upstream registry).
func pullThrough(st *model.State, im image) bool {
	return ownRegistry(st, im) && st.PullThroughCacheRuleOf(im.name) != nil
}

// ownRegistry reports whether an image is in the state's own ECR registry
// (its account and region), whose repositories the state holds.
func ownRegistry(st *model.State, im image) bool {
	if im.kind != "ecr" || im.region != st.Region {
		return false
	}
	account, _, _ := strings.Cut(im.host, ".")
	return account == st.Account
}

// missingRepository is the pull's failure for an image whose repository
// does not exist (see the function missingRepository), once the registry is reached:
// containerd's "not found" for the manifest on Fargate 1.4.0, the Docker
// daemon's "name unknown" with ECR's message elsewhere.
func (c *pullCheck) missingRepository(im image) (pullResult, bool) {
	name, ok := missingRepository(c.n.st, im)
	if !ok {
		return pullResult{}, false
	}
	account := c.n.st.Account
	why := "the repository " + name + " does not exist in the registry " + account + " (" + im.host + "): ECR answers the image manifest with 404 (name unknown)"
	reason := "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + im.ref() + ": " + im.ref() + ": not found"
	if !c.modern {
		reason = "CannotPullContainerError: Error response from daemon: repository " + im.host + "/" + name + " not found: name unknown: The repository with name '" +
			name + "' does not exist in the registry with id '" + account + "'"
	}
	c.blocked = nil
	return pullResult{reason: reason, svc: "ecr.dkr", verdict: HTTPVerdict(404), why: why, missingRepo: name}, true
}

// missingImage returns, for an image of the state's own registry whose
// repository exists and records images (PutImage; docker push is outside
// the API, so a repository that records none is taken to hold the image),
// the repository when none of its images carries the image's tag (or
// digest): the manifest request answers 404.
func missingImage(st *model.State, im image) (*model.Repository, bool) {
	r := st.Repositories[im.name]
	if r == nil || len(r.Images) == 0 || !ownRegistry(st, im) || pullThrough(st, im) {
		return nil, false
	}
	tag := cmp.Or(im.tag, "latest")
	for _, x := range r.Images {
		if im.digest != "" && x.Digest == im.digest || im.digest == "" && slices.Contains(x.Tags, tag) {
			return nil, false
		}
	}
	return r, true
}

// missingImage is the pull's failure for an image its repository does not
// hold (see the function missingImage), once the registry is reached:
// containerd's "not found" for the manifest on Fargate 1.4.0, the Docker
// daemon's "manifest unknown" elsewhere.
func (c *pullCheck) missingImage(im image) (pullResult, bool) {
	r, ok := missingImage(c.n.st, im)
	if !ok {
		return pullResult{}, false
	}
	what := "the tag " + cmp.Or(im.tag, "latest")
	if im.digest != "" {
		what = "the digest " + im.digest
	}
	why := "the repository " + r.Name + " holds no image with " + what + " (its images: " + repositoryTags(r) + "): ECR answers the image manifest with 404 (manifest unknown)"
	reason := "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + im.ref() + ": " + im.ref() + ": not found"
	if !c.modern {
		ref := cmp.Or(im.tag, "latest")
		if im.digest != "" {
			ref = im.digest
		}
		reason = "CannotPullContainerError: Error response from daemon: manifest for " + im.host + "/" + r.Name + ":" + ref + " not found: manifest unknown: Requested image not found"
	}
	c.blocked = nil
	return pullResult{reason: reason, svc: "ecr.dkr", verdict: HTTPVerdict(404), why: why, missingRepo: r.Name, missingTag: true}, true
}

// repositoryTags lists a repository's tags, newest push first (an
// untagged image by its digest).
func repositoryTags(r *model.Repository) string {
	var out []string
	for i := len(r.Images) - 1; i >= 0; i-- {
		if len(r.Images[i].Tags) == 0 {
			out = append(out, r.Images[i].Digest)
		}
		out = append(out, r.Images[i].Tags...)
	}
	return strings.Join(out, ", ")
}

// LatestTag is the tag of a repository's newest tagged image, "" when
// none is tagged.
func LatestTag(r *model.Repository) string {
	for i := len(r.Images) - 1; i >= 0; i-- {
		if len(r.Images[i].Tags) > 0 {
			return r.Images[i].Tags[0]
		}
	}
	return ""
}

// privateDestination is the network interface that holds a private
// address the start path connects to (a registry or a log collector given
// by address): in the task's VPC (compiled on demand in a start check's
// lazy network) or a peered one; nil when the state holds none.
func (c *pullCheck) privateDestination(a netip.Addr) *eniNode {
	dst := c.n.eniAt(c.src.eni.VpcID, a)
	if dst == nil && c.n.lazy {
		dst = c.n.lazyENIAt(c.src.eni.VpcID, a)
	}
	if dst == nil {
		dst = c.n.peeredENI(c.src, a)
	}
	return dst
}

// reach tells whether the ENI reaches a service on 443: through its
// interface endpoint when one with private DNS exists in the VPC, else
// through the routes. It returns the verdict, the address connected to
// and, when it fails, the analyzer's sentence for why.
func (c *pullCheck) reach(svc string) (Verdict, netip.Addr, string) {
	return c.reachIn(svc, c.n.st.Region)
}

// reachIn is reach for a service of a region: the VPC's own region, else
// (an ECR registry in another region) through the routes only, as VPC
// endpoints serve their own region's service.
func (c *pullCheck) reachIn(svc, region string) (Verdict, netip.Addr, string) {
	return c.reachInPort(svc, region, 443)
}

// reachInPort is reachIn to a port of the service's name other than 443
// when the start path names one (a registry's registry.example.com:5000);
// AWS services' endpoints are always on 443.
func (c *pullCheck) reachInPort(svc, region string, port uint16) (Verdict, netip.Addr, string) {
	n := c.n
	home := region == "" || region == n.st.Region
	if home {
		region = n.st.Region
	}
	c.sni = c.sniOf(svc, region)
	defer func() { c.sni = "" }()
	if vpc := n.vpcs[c.src.eni.VpcID]; vpc != nil && n.dnsOff(vpc.vpc) {
		// No name resolves: the connection is never tried.
		m := "the VPC " + vpc.comp.Label() + " has DNS resolution off (enableDnsSupport false) and uses the Amazon-provided DNS server, which then does not answer: " +
			serviceHost(svc, region) + " does not resolve"
		c.blocked = &Explanation{Code: CodeVPCDNSOff, Blocking: true, Path: "forward", Component: vpc.comp, Message: m, clause: m}
		return Timeout, registryAddr(svc), m
	}
	if miss := n.dnsServersUnreachable(c.src); miss != nil {
		// The VPC's own DNS servers never get the lookup (a security
		// group, network ACL or route drops the udp/53 query, as on the
		// probe's path): no connection is tried.
		x := miss.explanation(serviceHost(svc, region), "task's network interface")
		x.Blocking = true
		c.blocked = &x
		return Timeout, registryAddr(svc), x.Message
	}
	if ipv6, ok := c.ipv6Name(svc, region); ok && !home {
		return c.reachOverIPv6(svc, ipv6)
	}
	if !home {
		return c.reachAbroad(svc, region)
	}
	if ep, dst, ok := n.serviceEndpoint(c.src.eni.VpcID, svc, c.src.eni.AvailabilityZone); ok {
		if dst == nil {
			return Timeout, registryAddr(svc), "the interface endpoint " + string(ep.ID) + " for " + svc + " has no network interface"
		}
		to := dst.primary
		if c.ipv6Only() {
			v6, why := endpointIPv6(ep, dst, svc)
			if !v6.IsValid() {
				return c.endpointNoAAAA(why, dst)
			}
			to = v6
		}
		from := c.src.primary
		if to.Is6() && c.src.v6.IsValid() {
			from = c.src.v6 // over IPv6, from the interface's IPv6 address
		}
		f := flow{srcENI: c.src, src: from, srcRef: c.src, sport: DefaultClientPort, dst: to, dport: 443, dstHint: dst}
		v, why := c.connect(f)
		if why != "" {
			why += " (on the way to the " + svc + " interface endpoint " + string(ep.ID) + ")"
		}
		return v, to, why
	}
	if ipv6, ok := c.ipv6Name(svc, region); ok {
		return c.reachOverIPv6(svc, ipv6)
	}
	addr := registryAddr(svc)
	if svc == "s3" {
		if pl := n.s3PrefixList(); pl != nil && len(pl.CIDRs) > 0 {
			addr = pl.CIDRs[0].Addr().Next()
		}
	}
	f := flow{srcENI: c.src, src: c.src.primary, srcRef: c.src, sport: DefaultClientPort, dst: addr, dport: port}
	v, why := c.connect(f)
	if v == Connected {
		return v, addr, ""
	}
	why = strings.ReplaceAll(why, addr.String(), serviceHost(svc, n.st.Region)+" ("+addr.String()+")")
	// The missing endpoint is part of the cause only when the path fails
	// for want of a way out (a route, a public IP): a security group or a
	// network ACL that drops it is the cause on its own.
	filtered := c.blocked != nil && (c.blocked.Code == CodeSGRulesMismatch || c.blocked.Code == CodeSubnetACLRestriction ||
		c.blocked.Code == CodeReturnRouteMismatch && c.blocked.Path == "return") // a way out whose reply is lost
	if v != Connected && endpointService(svc) && !filtered {
		if o := n.privateZonesHidden(c.src.eni.VpcID); o != nil {
			if ep, _, ok := n.endpointWithDNS(c.src.eni.VpcID, svc, ""); ok {
				return v, addr, why + "; the VPC's " + svc + " interface endpoint " + string(ep.ID) + " has private DNS, but the VPC's DHCP options set " +
					o.Tags.NameOr(string(o.ID)) + " (" + string(o.ID) + ") gives its own DNS servers (" + strings.Join(o.Options["domain-name-servers"], ", ") + ")" +
					CustomDNSMarker + ", which do not forward the endpoint's private hosted zone to the Route 53 Resolver, so " +
					serviceHost(svc, n.st.Region) + " resolves to the service's public addresses, not to the endpoint"
			}
		}
		if ep := n.endpointWithoutDNS(c.src.eni.VpcID, svc); ep != nil {
			return v, addr, why + "; the VPC's " + svc + " interface endpoint " + string(ep.ID) + " has private DNS disabled" + noPrivateDNS + ", so " +
				serviceHost(svc, n.st.Region) + " resolves to the service's public addresses, not to the endpoint" + n.misnamedZone(c.src.eni.VpcID, svc)
		}
		why += "; the VPC has no " + svc + " interface endpoint with private DNS" + n.zoneElsewhereNote(c.src.eni.VpcID, svc)
		if ep := n.otherVPCEndpoint(c.src.eni.VpcID, svc); ep != nil {
			why += " (the " + svc + " endpoint " + string(ep.ID) + " of the VPC " + n.vpcName(ep.VpcID) +
				" has it, but an endpoint's private DNS names resolve only inside its own VPC; a peering connection or transit gateway does not carry them)"
		}
		if svc == "s3" {
			why = strings.TrimSuffix(why, "; the VPC has no s3 interface endpoint with private DNS") + "; no S3 gateway endpoint is on the subnet's route table"
		}
		why += ipv6OnlyEgress(c.src, svc == "ecs" || svc == "ecs-agent" || svc == "ecs-telemetry")
	}
	return v, addr, why
}

// ipv6OnlyEgress says, for a start path that found no way out, that the
// subnet's route table has a ::/0 route (to an egress-only or an internet
// gateway) and no IPv4 default route: that way carries IPv6 only, and the
// start path (registry auth, image layers, secrets, logs) goes over IPv4
// (aws/containers-roadmap#2792: Fargate pulls from ECR over IPv4, even
// with the dual-stack registry name). "" otherwise.
func ipv6OnlyEgress(src *eniNode, agent bool) string {
	if src == nil || src.subnet == nil || src.subnet.rt == nil || src.subnet.subnet.IPv6Native {
		// An IPv6-only subnet's start path takes IPv6 where it can
		// (startipv6.go); its failures say so themselves.
		return ""
	}
	var v6 *rtRoute
	for _, r := range src.subnet.rt.routes {
		if !r.active || r.route.DestinationPrefixList != "" || r.prefix.Bits() != 0 {
			continue
		}
		if r.prefix.Addr().Is4() {
			return "" // an IPv4 default route: not the case
		}
		if r.route.Target == model.TargetEgressOnlyIGW || r.route.Target == model.TargetInternetGateway {
			v6 = r
		}
	}
	if v6 == nil {
		return ""
	}
	gw := "internet gateway"
	if v6.route.Target == model.TargetEgressOnlyIGW {
		gw = "egress-only internet gateway"
	}
	what := "the task's start path (registry auth, image layers, secrets, logs) goes over IPv4"
	if agent {
		what = "the ECS agent calls ECS's IPv4 endpoints (ecs.REGION.amazonaws.com resolves to IPv4 addresses)"
	}
	return "; the subnet's only default route is ::/0 to the " + gw + " " + v6.route.TargetID + ", which carries IPv6 only, and " + what
}

// reachAbroad reaches a service of another region: its public address,
// through the ENI's routes. An interface endpoint, or an S3 gateway
// endpoint, of the VPC's region does not serve it (Amazon ECR User Guide,
// "Amazon ECR interface VPC endpoints": the endpoints are regional; a
// gateway endpoint serves buckets of its own region only).
func (c *pullCheck) reachAbroad(svc, region string) (Verdict, netip.Addr, string) {
	n := c.n
	addr := registryAddr(svc)
	f := flow{srcENI: c.src, src: c.src.primary, srcRef: c.src, sport: DefaultClientPort, dst: addr, dport: 443}
	v, why := c.connect(f)
	if v == Connected {
		return v, addr, ""
	}
	why = strings.ReplaceAll(why, addr.String(), serviceHost(svc, region)+" ("+addr.String()+")")
	filtered := c.blocked != nil && (c.blocked.Code == CodeSGRulesMismatch || c.blocked.Code == CodeSubnetACLRestriction)
	if !filtered {
		what, act := "the image's registry", "the pull"
		switch svc {
		case "secretsmanager", "ssm":
			what, act = "the secret", "fetching it"
		case "logs":
			what, act = "the log group (awslogs-region)", "the awslogs driver"
		case "s3":
			if c.envFile {
				what, act = "the environment file's bucket", "the download"
			}
			if c.firelensConfig {
				what, act = "FireLens's configuration file's bucket", "the download"
			}
		}
		why += "; " + what + " is in " + region + ", and VPC endpoints are regional: "
		ep := ""
		if svc == "s3" {
			if c.s3Gateway() {
				ep = "the S3 gateway endpoint on the subnet's route table serves " + n.st.Region + "'s buckets only"
			}
		} else if e, _, ok := n.serviceEndpoint(c.src.eni.VpcID, svc, ""); ok {
			ep = "the VPC's " + svc + " interface endpoint " + string(e.ID) + " serves " + n.st.Region + " only"
		}
		if ep == "" {
			ep = "no endpoint of the VPC (in " + n.st.Region + ") serves it"
		}
		why += ep + ", so " + act + " needs a way to the internet (a NAT gateway, or a public IP and an internet gateway)"
	}
	return v, addr, why
}

// otherRegion returns region when it is not the VPC's own, else "".
func (c *pullCheck) otherRegion(region string) string {
	if region == "" || region == c.n.st.Region {
		return ""
	}
	return region
}

// imageRefWhy is the analyzer's sentence for an image reference that
// does not parse.
func imageRefWhy(im image) string {
	why := "the image " + strconv.Quote(im.raw) + " is not a valid image reference (Docker: " + im.err + ")"
	if uri, ok := ECRRepositoryURI(im.raw); ok {
		why += ": it is an ECR repository ARN, not the repository URI " + uri
	}
	return why
}

// serviceHost returns the DNS name a service is reached by.
func serviceHost(svc, region string) string {
	switch svc {
	case "docker.io":
		return "registry-1.docker.io"
	case "public.ecr.aws":
		return svc
	case "ecr.api":
		return "api.ecr." + region + "." + model.DNSSuffix(region)
	case "ecr.dkr":
		return "the ECR registry (<account>.dkr.ecr." + region + "." + model.DNSSuffix(region) + ")"
	case "ecs-agent":
		return "ecs-a-1." + region + "." + model.DNSSuffix(region)
	case "ecs-telemetry":
		return "ecs-t-1." + region + "." + model.DNSSuffix(region)
	case "s3":
		return "S3 (s3." + region + "." + model.DNSSuffix(region) + ")"
	}
	if endpointService(svc) {
		return svc + "." + region + "." + model.DNSSuffix(region)
	}
	if h := endpointHost(svc, region); h != "" {
		return h
	}
	return svc
}

// s3Gateway reports whether the ENI's subnet's route table has an S3
// gateway endpoint route.
func (c *pullCheck) s3Gateway() bool {
	sn := c.src.subnet
	if sn == nil || sn.rt == nil {
		return false
	}
	for _, ep := range c.n.st.VpcEndpoints {
		if ep.Type == "Gateway" && ep.ServiceName == "com.amazonaws."+c.n.st.Region+".s3" && slices.Contains(ep.RouteTables, sn.rt.rt.ID) {
			return true
		}
	}
	return false
}

// endpointService reports whether an AWS service name has VPC endpoints.
func endpointService(svc string) bool {
	switch svc {
	case "ecr.api", "ecr.dkr", "s3", "secretsmanager", "ssm", "logs", "ecs", "ecs-agent", "ecs-telemetry", "sts", "cloudformation":
		return true
	}
	return false
}

// regionName is the shape of an AWS Region's name (us-east-1,
// ap-southeast-2, us-gov-west-1, eu-isoe-west-1).
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// notARegion marks the start-path sentence of an awslogs-region that is
// not a Region's name (StartFixHint looks for it).
const notARegion = " (no endpoint)"

// noPrivateDNS marks the start-path sentence of an interface endpoint
// that exists with private DNS disabled (StartFixHint looks for it).
const noPrivateDNS = " (PrivateDnsEnabled false)"

// endpointWithoutDNS returns the first (by id) live interface endpoint of
// the VPC for svc whose private DNS is disabled, or nil. Without private
// DNS the service's default name keeps resolving to its public addresses
// (Amazon VPC PrivateLink guide, "DNS hostnames"), so clients that do not
// use the endpoint-specific name bypass it.
func (n *Network) endpointWithoutDNS(vpc model.VpcID, svc string) *model.VpcEndpoint {
	var ep *model.VpcEndpoint
	for _, x := range n.st.VpcEndpoints {
		if x.VpcID != vpc || x.Type != "Interface" || x.PrivateDNSEnabled || x.State == "deleted" || x.State == "deleting" ||
			!isServiceName(x.ServiceName, n.st.Region, svc) {
			continue
		}
		if ep == nil || x.ID < ep.ID {
			ep = x
		}
	}
	return ep
}

// otherVPCEndpoint returns an interface endpoint with private DNS for an
// AWS service in another VPC than vpc (the first by id), or nil. Its
// private hosted zone is associated with its own VPC only, so from vpc the
// service's name still resolves to the public addresses (AWS PrivateLink
// Guide, "Manage DNS names for VPC endpoint services" and the centralized
// endpoints pattern, which needs Route 53 private hosted zones associated
// with each spoke VPC).
func (n *Network) otherVPCEndpoint(vpc model.VpcID, svc string) *model.VpcEndpoint {
	var ep *model.VpcEndpoint
	for _, x := range n.st.VpcEndpoints {
		if x.VpcID == vpc || x.Type != "Interface" || !x.PrivateDNSEnabled || x.State == "deleted" || x.State == "deleting" ||
			!isServiceName(x.ServiceName, n.st.Region, svc) {
			continue
		}
		if ep == nil || x.ID < ep.ID {
			ep = x
		}
	}
	return ep
}

// serviceEndpoint returns the VPC's interface endpoint with private DNS
// for an AWS service and its ENI to use (the one in the zone, else the
// first); ok is false when there is none.
func (n *Network) serviceEndpoint(vpc model.VpcID, svc, az string) (*model.VpcEndpoint, *eniNode, bool) {
	if n.privateZonesHidden(vpc) != nil {
		// The VPC's own DNS servers do not see the endpoint's private
		// hosted zone: the name resolves to the public addresses.
		return nil, nil, false
	}
	if ep, dst, ok := n.endpointWithDNS(vpc, svc, az); ok {
		return ep, dst, true
	}
	return n.zoneEndpoint(vpc, svc, az)
}

// misnamedZone says, for a service whose name no private hosted zone of
// the VPC answers, that one of its zones is named after the endpoint's
// service ("ecr.api.REGION.amazonaws.com", "ecr.dkr.…") rather than the
// name the clients ask: a zone answers only the names under its own.
func (n *Network) misnamedZone(vpc model.VpcID, svc string) string {
	if svc != "ecr.api" && svc != "ecr.dkr" {
		return ""
	}
	region := n.st.Region
	domain := "." + region + "." + model.DNSSuffix(region)
	want := map[string]string{"ecr.api": "api.ecr." + domain[1:], "ecr.dkr": "dkr.ecr." + domain[1:] + " with a wildcard record (*." + "dkr.ecr." + domain[1:] + ": the registry's name begins with the account id)"}[svc]
	for _, z := range n.st.HostedZones {
		if z.Private && z.AssociatedWith(vpc) && z.Name == svc+domain {
			return "; the private hosted zone " + z.Name + " (" + z.ID + ") of the VPC is named after the endpoint's service, not the name the clients ask, so it answers nothing for them: name it " + want
		}
	}
	return ""
}

// zoneEndpoint finds the interface endpoint a private hosted zone of the
// VPC points the service's name at: the pattern of endpoints shared by
// many VPCs (private DNS off, or the endpoints in a hub VPC), where the
// team creates a private zone for each service name, associated with the
// VPCs, with an alias (or CNAME) record to the endpoint's regional DNS
// name ("vpce-….api.ecr.REGION.vpce.amazonaws.com"); ECR's registry names
// need a wildcard record (*.dkr.ecr.REGION.amazonaws.com). The Route 53
// Resolver answers from such a zone only when the VPC's DNS attributes
// are both on. A zone that does not cover the name (one named after the
// endpoint's service, "ecr.api.REGION.amazonaws.com") answers nothing.
func (n *Network) zoneEndpoint(vpc model.VpcID, svc, az string) (*model.VpcEndpoint, *eniNode, bool) {
	v := n.st.VPCs[vpc]
	if v == nil || !v.EnableDNSSupport || !v.EnableDNSHostnames || len(n.st.HostedZones) == 0 {
		return nil, nil, false
	}
	region := n.st.Region
	domain := "." + region + "." + model.DNSSuffix(region)
	var host string
	switch svc {
	case "ecr.dkr":
		host = n.st.Account + ".dkr.ecr." + domain[1:]
	case "ecr.api":
		host = "api.ecr." + domain[1:]
	default:
		if !endpointService(svc) {
			return nil, nil, false
		}
		host = svc + domain
	}
	_, zone, _ := n.zonesFor(host, vpc, true)
	if zone == nil {
		return nil, nil, false
	}
	for _, r := range zone.Lookup(host) {
		target := recordTarget(r)
		if !strings.HasPrefix(target, "vpce-") || !strings.Contains(target, ".vpce.amazonaws.com") {
			continue
		}
		label, _, _ := strings.Cut(target, ".")
		for _, ep := range n.st.VpcEndpoints {
			if ep.Type != "Interface" || ep.State == "deleted" || ep.State == "deleting" || !isServiceName(ep.ServiceName, region, svc) ||
				!(label == string(ep.ID) || strings.HasPrefix(label, string(ep.ID)+"-")) {
				continue
			}
			n.endpoint(ep.ID)
			var dst *eniNode
			for _, id := range ep.NetworkInterfaces {
				if e := n.eni(id); e != nil && (dst == nil || e.eni.AvailabilityZone == az && dst.eni.AvailabilityZone != az) {
					dst = e
				}
			}
			return ep, dst, true
		}
	}
	return nil, nil, false
}

// CustomDNSMarker marks the start-path sentence of an interface endpoint
// whose private DNS the VPC's own DNS servers do not see.
const CustomDNSMarker = " (domain-name-servers without AmazonProvidedDNS)"

// privateZonesHidden returns the VPC's DHCP options set when its own DNS
// servers (domain-name-servers without AmazonProvidedDNS) do not forward
// private hosted zone names to the Route 53 Resolver (the file says so:
// model.DhcpOptions.NoResolverForwarding), else nil. Interface endpoints'
// private DNS names live in private hosted zones only the Resolver
// answers: Amazon ECS Developer Guide, "Amazon ECS interface VPC
// endpoints": "VPC endpoints only support Amazon-provided DNS through
// Amazon Route 53. If you want to use your own DNS, you can use
// conditional DNS forwarding".
func (n *Network) privateZonesHidden(vpc model.VpcID) *model.DhcpOptions {
	v := n.st.VPCs[vpc]
	if v == nil {
		return nil
	}
	o := n.st.DhcpOptions[v.DhcpOptions]
	if o == nil || o.IsDefault || !o.NoResolverForwarding {
		return nil
	}
	servers, ok := o.Options["domain-name-servers"]
	if !ok || slices.Contains(servers, "AmazonProvidedDNS") {
		return nil
	}
	return o
}

// endpointWithDNS is serviceEndpoint whatever DNS servers the VPC uses.
func (n *Network) endpointWithDNS(vpc model.VpcID, svc, az string) (*model.VpcEndpoint, *eniNode, bool) {
	// The first by id of the VPC's endpoints for the service, without
	// sorting them all (this runs for every step of every start check).
	var ep *model.VpcEndpoint
	for _, x := range n.st.VpcEndpoints {
		if x.VpcID != vpc || x.Type != "Interface" || !x.PrivateDNSEnabled || x.State == "deleted" || x.State == "deleting" ||
			!isServiceName(x.ServiceName, n.st.Region, svc) {
			continue
		}
		if ep == nil || x.ID < ep.ID {
			ep = x
		}
	}
	if ep != nil {
		n.endpoint(ep.ID)
		var dst *eniNode
		for _, id := range ep.NetworkInterfaces {
			e := n.eni(id)
			if e == nil {
				continue
			}
			if dst == nil || e.eni.AvailabilityZone == az && dst.eni.AvailabilityZone != az {
				dst = e
			}
		}
		return ep, dst, true
	}
	return nil, nil, false
}

// connect runs a flow quietly; when it fails it runs it again, recording,
// to say why.
func (c *pullCheck) connect(f flow) (Verdict, string) {
	c.blocked = nil
	t := tracer{n: c.n, quiet: true, proto: model.TCP, clientPort: DefaultClientPort, sni: c.sni}
	g := f
	v, _ := t.connect(&g, nil, nil)
	if v == Connected || v == Unknown {
		// Unknown: the path leaves what ecsnet models (a transit gateway
		// into another VPC's NAT gateway, a VPN to on-premises, an
		// appliance). ecsnet cannot show that it fails, so the task starts
		// as it does on AWS when that path works: no false failure.
		return Connected, ""
	}
	var res *Result
	var fwd, ret []Hop
	if sc := c.scratch; sc != nil {
		sc.res = Result{Explanations: sc.res.Explanations[:0]}
		res, fwd = &sc.res, sc.hops[:0]
		defer func() { sc.hops = fwd[:0] }()
	} else {
		res, fwd = &Result{}, make([]Hop, 0, 12) // one allocation for the usual forward path
	}
	lt := tracer{n: c.n, res: res, proto: model.TCP, clientPort: DefaultClientPort, sni: c.sni}
	lt.connect(&f, &fwd, &ret)
	if x, i := firstBlocking(res, fwd, ret); x != nil {
		c.blocked = x
		return v, clauseOf(&res.Explanations[i])
	}
	return v, "the connection gets " + string(v)
}

// firstBlocking returns a copy of the trace's first blocking explanation
// and its index (nil when none blocks), with the packet at the deciding
// hop for fixes when the explanation names none (the hops are the
// trace's own, fwd and ret, not a probe's).
func firstBlocking(res *Result, fwd, ret []Hop) (*Explanation, int) {
	for i := range res.Explanations {
		if !res.Explanations[i].Blocking {
			continue
		}
		x := res.Explanations[i]
		if x.Packet == nil {
			path := fwd
			if x.Path == "return" {
				path = ret
			}
			for _, h := range path {
				if h.Seq == x.Hop {
					pk := h.Packet
					x.Packet = &pk
				}
			}
		}
		return &x, i
	}
	return nil, -1
}

// isServiceName reports whether name is "com.amazonaws.<region>.<svc>" (or
// China's "cn.com.amazonaws.<region>.<svc>" of an interface endpoint
// service, model.EndpointServiceName), without building that string.
func isServiceName(name, region, svc string) bool {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(name, "cn."), "com.amazonaws.")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, region)
	return ok && len(rest) == len(svc)+1 && rest[0] == '.' && rest[1:] == svc
}

// s3PrefixList returns the region's S3 managed prefix list.
func (n *Network) s3PrefixList() *model.PrefixList {
	return n.servicePrefixList("s3")
}

// servicePrefixList returns the AWS-managed prefix list of a service with
// gateway endpoints (s3, dynamodb) in the region, or nil: its public
// addresses, the destination a gateway endpoint's route matches.
func (n *Network) servicePrefixList(svc string) *model.PrefixList {
	for _, pl := range n.st.PrefixLists {
		if isServiceName(pl.Name, n.st.Region, svc) {
			return pl
		}
	}
	return nil
}

// dialError is how Go's net package reports a failed connection.
func dialError(addr netip.Addr, v Verdict) string {
	return dialPortError(netip.AddrPortFrom(addr, 443), v)
}

// dialPortError is dialError to any port (a registry given by address).
func dialPortError(ap netip.AddrPort, v Verdict) string {
	if v == Refused {
		return "dial tcp " + ap.String() + ": connect: connection refused"
	}
	return "dial tcp " + ap.String() + ": i/o timeout"
}

// authError is Fargate 1.4.0's text when the ECR registry auth cannot be
// fetched (reference §4, repost.aws "ecs-unable-to-pull-secrets").
func (c *pullCheck) authError(region string, addr netip.Addr, v Verdict) string {
	if !c.modern {
		return "CannotPullContainerError: API error (500): Get https://api.ecr." + region + ".amazonaws.com/: net/http: request canceled while waiting for connection"
	}
	return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: " +
		"service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://" + c.calledHost("ecr.api", region, "api.ecr."+region+".amazonaws.com") + "/\": " +
		dialError(addr, v) + ". Please check your task network configuration."
}

// manifestError is the text when the image manifest cannot be fetched:
// containerd's on Fargate 1.4.0 (reference §4), the Docker-era form on EC2
// and Fargate 1.3.0 (task_cannot_pull_image.md).
func (c *pullCheck) manifestError(im image, addr netip.Addr, v Verdict) string {
	if !c.modern {
		return "CannotPullContainerError: API error (500): Get https://" + im.host + "/v2/: net/http: request canceled while waiting for connection"
	}
	dial := dialError(addr, v)
	if im.addr.IsValid() {
		dial = dialPortError(im.addr, v)
	} else if im.port != 0 {
		dial = dialPortError(netip.AddrPortFrom(addr, im.port), v)
	}
	return "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + im.ref() +
		": failed to do request: Head \"" + im.manifest() + "\": " + dial
}

// layerError is the text when the layers in S3 cannot be fetched (ECR
// images without a route to S3, e.g. no S3 gateway endpoint; the exact
// wording is UNVERIFIED).
func (c *pullCheck) layerError(region string, addr netip.Addr, v Verdict) string {
	bucket := "https://" + c.calledHost("s3", region, "prod-"+region+"-starport-layer-bucket.s3."+region+".amazonaws.com") + "/"
	if !c.modern {
		return "CannotPullContainerError: API error (500): Get " + bucket + ": net/http: request canceled while waiting for connection"
	}
	return "CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed open: failed to do request: Get \"" +
		bucket + "\": " + dialError(addr, v)
}

// lookupFailed matches a start-path error's URL and the dial error after
// it, which becomes a failed name lookup when the VPC's DNS is off (the
// Go resolver's wording; AWS's exact text is UNVERIFIED).
// ipv4DialFailed matches a dial error to an IPv4 address, which an
// IPv6-only interface fails with ENETUNREACH ("connect: network is
// unreachable", Go's net package) rather than a timeout.
var ipv4DialFailed = regexp.MustCompile(`dial tcp ((?:[0-9]{1,3}\.){3}[0-9]{1,3}:[0-9]+): (?:i/o timeout|connect: connection refused)`)

var lookupFailed = regexp.MustCompile(`https://([^/"]+)(/[^"]*)": dial tcp [^ ]+:443: (?:i/o timeout|connect: connection refused)`)

// dnsOff reports whether names do not resolve in a VPC: its DNS support
// is off and its DHCP options give the Amazon-provided DNS server (the
// default set, or AmazonProvidedDNS among domain-name-servers). With
// DNS servers of its own, names resolve through them (ecsnet does not
// model them; it assumes they answer). Amazon VPC User Guide, "DNS
// attributes for your VPC": with enableDnsSupport false "the Amazon
// Route 53 Resolver server that resolves public DNS hostnames to IP
// addresses is not enabled".
func (n *Network) dnsOff(v *model.VPC) bool { return ResolverOff(n.st, v) }

// ResolverOff reports whether the Amazon-provided DNS server of a VPC of
// st answers nothing: the VPC's DNS support is off and its clients ask
// that server (see dnsOff).
func ResolverOff(st *model.State, v *model.VPC) bool {
	if v.EnableDNSSupport {
		return false
	}
	o := st.DhcpOptions[v.DhcpOptions]
	if o == nil || o.IsDefault {
		return true
	}
	servers, ok := o.Options["domain-name-servers"]
	return !ok || slices.Contains(servers, "AmazonProvidedDNS")
}

// vpcName is a VPC's Name tag, else its id.
func (n *Network) vpcName(id model.VpcID) string {
	if v := n.st.VPCs[id]; v != nil {
		return v.Tags.NameOr(string(id))
	}
	return string(id)
}

// taskSubnet is the subnet of an awsvpc task's attachment, else the first
// of its network configuration's ("" for neither).
func taskSubnet(tk *model.Task) model.SubnetID {
	subnet := model.SubnetID("")
	for _, a := range tk.Attachments {
		if a.SubnetID != "" {
			subnet = a.SubnetID
		}
	}
	if subnet == "" && tk.Network != nil && len(tk.Network.Subnets) > 0 {
		subnet = tk.Network.Subnets[0]
	}
	return subnet
}

// recordTarget is the name a record points at, an alias's DNS name or a
// CNAME's value, canonical and without a wildcard's "*." (a private
// DNS record of an interface endpoint names "*.vpce-….vpce.amazonaws.com").
func recordTarget(r model.RecordSet) string {
	target := ""
	switch {
	case r.Alias != nil:
		target = r.Alias.DNSName
	case r.Type == "CNAME" && len(r.Values) > 0:
		target = r.Values[0]
	}
	return strings.TrimPrefix(model.CanonicalDNSName(target), "*.")
}
