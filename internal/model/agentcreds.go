package model

import (
	"cmp"
	"maps"
	"slices"
	"strings"
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
// The analyzer (reach) and the emulator (engine) both judge it here.

// AgentRegisterAction is the call the agent makes first with its
// credentials.
const AgentRegisterAction = "ecs:RegisterContainerInstance"

// EC2RoleForECSPolicyIn is AmazonEC2ContainerServiceforEC2Role's ARN in
// region's partition: arn:aws-cn:iam::aws:policy/service-role/… in the
// China regions, where the aws partition's ARN names no policy.
func EC2RoleForECSPolicyIn(region string) string {
	return GlobalARN(region, "iam", "aws", "policy/service-role/AmazonEC2ContainerServiceforEC2Role")
}

// awsManagedAgentPolicies are AWS managed policies ecsnet knows the ECS
// part of but has no document of (AWSManagedPolicyDocument), by the ARN's
// part after "policy/": whether each allows the agent's calls. The ones
// with a document are evaluated from it. An AWS managed policy in neither
// is unknown: it is assumed to allow them [choice].
var awsManagedAgentPolicies = map[string]bool{
	"AmazonEC2ContainerServiceforEC2Role":  false, // no such ARN: the policy lives under service-role/
	"PowerUserAccess":                      true,  // NotAction iam:*, organizations:*, account:*
	"AmazonECS_FullAccess":                 true,  // ecs:*
	"AmazonEC2ContainerServiceFullAccess":  true,  // ecs:* (deprecated)
	"CloudWatchAgentServerPolicy":          false, // cloudwatch, logs, ec2:Describe*
	"CloudWatchLogsFullAccess":             false,
	"AmazonEC2ContainerRegistryPowerUser":  false,
	"AmazonEC2ContainerRegistryFullAccess": false,
	"AmazonS3ReadOnlyAccess":               false,
	"AmazonS3FullAccess":                   false,
	"ReadOnlyAccess":                       false, // ecs:Describe*, ecs:List* only
	"AmazonEC2ReadOnlyAccess":              false,
}

// AgentCredentialFailure is why an instance's ECS agent cannot register
// for lack of credentials or permission.
type AgentCredentialFailure struct {
	// Sent: the request reached ECS, which refused it
	// (AccessDeniedException); false: the SDK found no credentials and
	// sent nothing (NoCredentialProviders).
	Sent bool
	// ProfileName is the instance's profile ("" without one); Role the
	// role whose policies refuse (when Sent).
	ProfileName, Role string
	// Why says it in words; Reason is the agent's log line.
	Why, Reason string
	// MetadataOff: the instance's metadata service is turned off
	// (HttpEndpoint disabled), so the agent has no credentials at all.
	MetadataOff bool
}

// AgentCredentials judges whether the ECS agent of inst, in region of
// account, has credentials that may register it with its cluster. iam is
// the state holding the account's IAM (roles, managed policies, instance
// profiles). It returns nil when they work or cannot be told.
//
// Only instances whose source declares IAM (Instance.IAMDeclared) are
// judged. complete says iam is the account's whole IAM (the emulator): a
// profile, role or customer managed policy it lacks does not exist. Else
// (a template naming a profile it does not create, IAM outside the
// region's state) what iam lacks is taken to work [choice]. An AWS
// managed policy ecsnet does not know is taken to allow [choice].
func AgentCredentials(iam *State, inst *Instance, region, account string, complete bool) *AgentCredentialFailure {
	if inst == nil {
		return nil
	}
	if inst.Metadata != nil && inst.Metadata.HTTPEndpoint == "disabled" {
		// The agent reads its instance identity document (its region)
		// and its role's credentials from the instance metadata service
		// (aws/amazon-ecs-agent#140, #447): with the service turned off it
		// has neither, whatever IAM says, and exits before any request.
		return &AgentCredentialFailure{ProfileName: inst.IAMProfile, MetadataOff: true,
			Why:    "the instance's metadata service is turned off (HttpEndpoint disabled), so the agent gets neither its instance identity document nor its role's credentials",
			Reason: "Unable to communicate with EC2 Metadata service to infer region: Get http://169.254.169.254/2014-02-25/dynamic/instance-identity/document: the instance metadata service is disabled"}
	}
	if !inst.IAMDeclared {
		return nil
	}
	noCreds := func(name, why string) *AgentCredentialFailure {
		return &AgentCredentialFailure{ProfileName: name, Why: why,
			Reason: "Unable to register as a container instance with ECS: NoCredentialProviders: no valid providers in chain. Deprecated."}
	}
	if inst.IAMProfile == "" {
		return noCreds("", "the instance has no IAM instance profile, so the instance metadata service gives the agent no credentials")
	}
	name := inst.IAMProfile[strings.LastIndexByte(inst.IAMProfile, '/')+1:]
	p := iam.InstanceProfiles[name]
	switch {
	case p == nil && complete:
		return noCreds(name, "its instance profile "+name+" no longer exists, so the instance metadata service gives the agent no credentials")
	case p == nil:
		return nil
	case len(p.Roles) == 0:
		return noCreds(name, "its instance profile "+name+" holds no role, so the instance metadata service gives the agent no credentials")
	}
	r := iam.Roles[p.Roles[0]]
	if r == nil {
		if complete {
			return noCreds(name, "the role "+p.Roles[0]+" of its instance profile "+name+" no longer exists, so the instance metadata service gives the agent no credentials")
		}
		return nil
	}
	partition := Partition(region)
	cluster := cmp.Or(UserDataECSCluster(inst.UserData), "default")
	resource := "arn:" + partition + ":ecs:" + region + ":" + account + ":cluster/" + cluster
	because, denied := deniedBecause(roleAllows(iam, r, AgentRegisterAction, resource, partition, account, complete), AgentRegisterAction)
	if !denied {
		return nil
	}
	return &AgentCredentialFailure{Sent: true, ProfileName: name, Role: r.Name,
		Why: "the role " + r.Name + " of its instance profile " + name + " has no policy that allows " + AgentRegisterAction,
		Reason: "Unable to register as a container instance with ECS: AccessDeniedException: User: arn:" + partition + ":sts::" + account + ":assumed-role/" + r.Name + "/" + string(inst.ID) +
			" is not authorized to perform: " + AgentRegisterAction + " on resource: " + resource + because}
}

// deniedBecause says whether an allowance of action refuses it and, when
// it does, why, as IAM's AccessDenied messages end (" because no
// identity-based policy allows the X action").
func deniedBecause(a allowance, action string) (because string, denied bool) {
	switch a {
	case allowYes, allowUnknown:
		return "", false
	case allowDenied:
		return " with an explicit deny in an identity-based policy", true
	case allowBoundary:
		return " because no permissions boundary allows the " + action + " action", true
	}
	return " because no identity-based policy allows the " + action + " action", true
}

// allowance is the answer of roleAllows.
type allowance int

// The answers: an Allow and no Deny; no Allow (the implicit deny); an
// explicit Deny; the permissions boundary does not allow; not known.
const (
	allowNo allowance = iota
	allowYes
	allowDenied
	allowBoundary
	allowUnknown
)

// roleAllows evaluates, for the agent's calls, a role's identity policies (inline, customer
// managed and AWS managed ones attached) and its permissions boundary for
// action on resource: an explicit Deny wins, else an Allow must match, and
// the boundary must allow too. An AWS managed policy is looked up in
// partition. A managed policy iam does not hold and ecsnet does not know
// makes the answer unknown unless another one allows; with complete, a
// customer managed policy iam does not hold allows nothing.
func roleAllows(iam *State, r *Role, action, resource, partition, account string, complete bool) allowance {
	var docs []string
	for _, name := range slices.Sorted(maps.Keys(r.InlinePolicies)) {
		docs = append(docs, r.InlinePolicies[name])
	}
	yes, unknown := false, false
	for _, arn := range r.AttachedPolicies {
		doc, allows, known := managedPolicy(iam, arn, action, partition, complete)
		switch {
		case doc != "":
			docs = append(docs, doc)
		case !known:
			unknown = true
		default:
			yes = yes || allows
		}
	}
	for _, d := range docs {
		allow, deny := PolicyDecision(d, action, resource, account)
		if deny {
			return allowDenied
		}
		yes = yes || allow
	}
	switch {
	case !yes && unknown:
		return allowUnknown
	case !yes:
		return allowNo
	}
	if r.PermissionsBoundary != "" {
		doc, allows, known := managedPolicy(iam, r.PermissionsBoundary, action, partition, complete)
		if doc != "" {
			allow, deny := PolicyDecision(doc, action, resource, account)
			allows = allow && !deny
		}
		if known && !allows {
			return allowBoundary
		}
	}
	return allowYes
}

// managedPolicy finds a managed policy: a customer managed one's default
// version (doc), or what ecsnet knows of an AWS managed one for action
// (its document, or whether it allows the agent's calls). known is false
// for a policy that cannot be told.
func managedPolicy(iam *State, arn, action, partition string, complete bool) (doc string, allows, known bool) {
	if mp := iam.ManagedPolicies[arn]; mp != nil {
		for _, v := range mp.Versions {
			if v.ID == mp.DefaultVersion {
				return v.Document, false, true
			}
		}
		return "", false, true
	}
	rest, ok := strings.CutPrefix(arn, "arn:"+partition+":iam::aws:policy/")
	if !ok {
		// A customer managed policy iam does not hold, or an AWS managed
		// one of another partition (which no role of this one can have).
		return "", false, complete || strings.Contains(arn, ":iam::aws:policy/")
	}
	if _, doc, ok := AWSManagedPolicyDocument(rest); ok {
		return doc, false, true
	}
	if action == PassRoleAction {
		if doc, ok := awsManagedPassRole[rest]; ok {
			// The documents name the aws partition's ARNs; the same
			// policy of another partition names that partition's.
			return strings.ReplaceAll(doc, `"arn:aws:`, `"arn:`+partition+`:`), false, true
		}
		return "", false, false
	}
	allows, known = awsManagedAgentPolicies[rest]
	return "", allows, known
}
