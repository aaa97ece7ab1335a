package reach

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// The ECS agent's credentials. The agent calls ECS (RegisterContainerInstance,
// DiscoverPollEndpoint, Poll, Submit*) with the credentials of the
// instance's IAM role, which it reads from the instance metadata service
// (Amazon ECS Developer Guide, "Amazon ECS container instance IAM role").
// Without an instance profile, or with a profile that holds no role, the
// metadata service has no credentials and the AWS SDK fails before any
// request is sent: the agent logs "NoCredentialProviders: no valid providers
// in chain" and exits, and ecs-init restarts it (aws/amazon-ecs-agent#398,
// #605). With a role whose policies do not allow
// ecs:RegisterContainerInstance, ECS answers AccessDeniedException
// (aws/amazon-ecs-agent#3812). Either way the instance never registers.
//
// Only what the state knows is judged: an instance whose source does not
// declare IAM (model.Instance.IAMDeclared false: scenario files,
// snapshots) is assumed to have working credentials, and so is a profile,
// role or managed policy the state does not hold (a template that names an
// existing profile, IAM outside the region's state) [choice].

// agentRegisterAction is the call the agent makes first with its
// credentials.
const agentRegisterAction = "ecs:RegisterContainerInstance"

// EC2RoleForECSPolicy is the AWS managed policy for container instances
// (AmazonEC2ContainerServiceforEC2Role).
const EC2RoleForECSPolicy = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"

// awsManagedPolicies are the AWS managed policies ecsnet knows the ECS
// part of, by the ARN's part after "policy/": whether each allows the
// agent's calls. An AWS managed policy not listed is unknown: it is
// assumed to allow them [choice].
var awsManagedPolicies = map[string]bool{
	"service-role/AmazonEC2ContainerServiceforEC2Role": true,  // ecs:RegisterContainerInstance, Poll, Submit* …
	"AmazonEC2ContainerServiceforEC2Role":              false, // no such ARN: the policy lives under service-role/
	"AdministratorAccess":                              true,  // * on *
	"PowerUserAccess":                                  true,  // NotAction iam:*, organizations:*, account:*
	"AmazonECS_FullAccess":                             true,  // ecs:*
	"AmazonEC2ContainerServiceFullAccess":              true,  // ecs:* (deprecated)
	"AmazonSSMManagedInstanceCore":                     false, // ssm, ssmmessages, ec2messages
	"CloudWatchAgentServerPolicy":                      false, // cloudwatch, logs, ec2:Describe*
	"CloudWatchLogsFullAccess":                         false,
	"AmazonEC2ContainerRegistryReadOnly":               false, // ecr:Get*, Describe*, List*, BatchGet*
	"AmazonEC2ContainerRegistryPowerUser":              false,
	"AmazonEC2ContainerRegistryFullAccess":             false,
	"service-role/AmazonECSTaskExecutionRolePolicy":    false, // ecr and logs only
	"service-role/AmazonEC2ContainerServiceRole":       false, // elasticloadbalancing and ec2 (the old ECS service role)
	"AmazonS3ReadOnlyAccess":                           false,
	"AmazonS3FullAccess":                               false,
	"ReadOnlyAccess":                                   false, // ecs:Describe*, ecs:List* only
	"AmazonEC2ReadOnlyAccess":                          false,
}

// credentialFailure is the agent's failure for lack of credentials or
// permission, or nil (credentials that work or are unknown). network is
// false before the agent's request leaves the instance: without
// credentials it never does.
func credentialFailure(st *model.State, inst *model.Instance) (f *StartFailure, network bool) {
	if !inst.IAMDeclared {
		return nil, false
	}
	cluster := cmp.Or(model.UserDataECSCluster(inst.UserData), "default")
	noCreds := func(why string) *StartFailure {
		return &StartFailure{Code: CodeAgentNoCredentials, Service: "ecs", Why: why, Subnet: inst.SubnetID, VpcID: inst.VpcID, Pulls: "instance",
			Reason: "Unable to register as a container instance with ECS: NoCredentialProviders: no valid providers in chain. Deprecated.", Profile: inst.IAMProfile, region: st.Region}
	}
	if inst.IAMProfile == "" {
		return noCreds("the instance has no IAM instance profile, so the instance metadata service gives the agent no credentials"), false
	}
	name := inst.IAMProfile[strings.LastIndexByte(inst.IAMProfile, '/')+1:]
	p := st.InstanceProfiles[name]
	if p == nil {
		return nil, false // a profile the state does not hold: unknown
	}
	if len(p.Roles) == 0 {
		return noCreds("its instance profile " + name + " holds no role, so the instance metadata service gives the agent no credentials"), false
	}
	r := st.Roles[p.Roles[0]]
	if r == nil {
		return nil, false
	}
	resource := "arn:" + model.Partition(st.Region) + ":ecs:" + st.Region + ":" + st.Account + ":cluster/" + cluster
	switch roleAllows(st, r, agentRegisterAction, resource) {
	case allowUnknown, allowYes:
		return nil, true
	}
	f = &StartFailure{Code: CodeAgentNoCredentials, Service: "ecs", Subnet: inst.SubnetID, VpcID: inst.VpcID, Pulls: "instance", Profile: inst.IAMProfile, Role: r.Name, region: st.Region,
		Why: "the role " + r.Name + " of its instance profile " + name + " has no policy that allows " + agentRegisterAction,
		Reason: "Unable to register as a container instance with ECS: AccessDeniedException: User: arn:" + model.Partition(st.Region) + ":sts::" + st.Account + ":assumed-role/" + r.Name + "/" + string(inst.ID) +
			" is not authorized to perform: " + agentRegisterAction + " on resource: " + resource + " because no identity-based policy allows the " + agentRegisterAction + " action"}
	return f, true
}

type allowance int

const (
	allowNo allowance = iota
	allowYes
	allowUnknown
)

// roleAllows evaluates a role's identity policies (inline and attached
// managed ones) for action on resource: an explicit Deny wins, else an
// Allow must match. A managed policy the state does not hold and ecsnet
// does not know makes the answer unknown unless another one allows.
func roleAllows(st *model.State, r *model.Role, action, resource string) allowance {
	var docs []string
	for _, name := range slices.Sorted(maps.Keys(r.InlinePolicies)) {
		docs = append(docs, r.InlinePolicies[name])
	}
	yes, unknown := false, false
	for _, arn := range r.AttachedPolicies {
		if mp := st.ManagedPolicies[arn]; mp != nil {
			for _, v := range mp.Versions {
				if v.ID == mp.DefaultVersion {
					docs = append(docs, v.Document)
				}
			}
			continue
		}
		const aws = ":iam::aws:policy/"
		i := strings.Index(arn, aws)
		if i < 0 {
			unknown = true // a customer managed policy the state does not hold
			continue
		}
		allows, ok := awsManagedPolicies[arn[i+len(aws):]]
		yes = yes || allows
		unknown = unknown || !ok
	}
	for _, d := range docs {
		allow, deny := policyDecision(d, action, resource, st.Account)
		if deny {
			return allowNo
		}
		yes = yes || allow
	}
	switch {
	case yes:
		return allowYes
	case unknown:
		return allowUnknown
	}
	return allowNo
}

// AgentCredentialsFixHint says what gives an agent its credentials.
func AgentCredentialsFixHint(f *StartFailure) string {
	if f.Role != "" {
		return "attach the AWS managed policy AmazonEC2ContainerServiceforEC2Role (" + EC2RoleForECSPolicy + ") to the role " + f.Role + ", or a policy that allows the agent's calls (ecs:RegisterContainerInstance, ecs:DeregisterContainerInstance, ecs:DiscoverPollEndpoint, ecs:Poll, ecs:StartTelemetrySession, ecs:Submit*)"
	}
	return "give the instances an IAM instance profile whose role (ecsInstanceRole) has the AWS managed policy AmazonEC2ContainerServiceforEC2Role, in the launch template or launch configuration (IamInstanceProfile) or with aws ec2 associate-iam-instance-profile; the agent registers on its next start"
}
