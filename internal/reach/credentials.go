package reach

import (
	"github.com/ecsnet/ecsnet/internal/model"
)

// The ECS agent's credentials: whether the agent has any and its role may
// register is model.AgentCredentials, which the emulator shares.
//
// Only what the state knows is judged: an instance whose source does not
// declare IAM (model.Instance.IAMDeclared false: scenario files,
// snapshots) is assumed to have working credentials, and so is a profile,
// role or managed policy the state does not hold (a template that names an
// existing profile, IAM outside the region's state) [choice].

// credentialFailure is the agent's failure for lack of credentials or
// permission (model.AgentCredentials, over the region's state), or nil
// (credentials that work or are unknown). network is false before the
// agent's request leaves the instance: without credentials it never does.
func credentialFailure(st *model.State, inst *model.Instance) (f *StartFailure, network bool) {
	a := model.AgentCredentials(st, inst, st.Region, st.Account, false)
	if a == nil {
		return nil, false
	}
	return &StartFailure{Code: CodeAgentNoCredentials, Service: "ecs", Why: a.Why, Reason: a.Reason, Subnet: inst.SubnetID, VpcID: inst.VpcID, Pulls: "instance",
		Profile: inst.IAMProfile, Role: a.Role, MetadataOff: a.MetadataOff, region: st.Region}, a.Sent
}

// AgentCredentialsFixHint says what gives an agent its credentials.
func AgentCredentialsFixHint(f *StartFailure) string {
	if f.MetadataOff {
		return "turn the instance metadata service back on (aws ec2 modify-instance-metadata-options --http-endpoint enabled, and MetadataOptions HttpEndpoint enabled in the launch template); to lock it down, require IMDSv2 (HttpTokens required) instead; the agent registers on its next start"
	}
	if f.Role != "" {
		return "attach the AWS managed policy AmazonEC2ContainerServiceforEC2Role (" + model.EC2RoleForECSPolicyIn(f.region) + ") to the role " + f.Role + ", or a policy that allows the agent's calls (ecs:RegisterContainerInstance, ecs:DeregisterContainerInstance, ecs:DiscoverPollEndpoint, ecs:Poll, ecs:StartTelemetrySession, ecs:Submit*)"
	}
	return "give the instances an IAM instance profile whose role (ecsInstanceRole) has the AWS managed policy AmazonEC2ContainerServiceforEC2Role, in the launch template or launch configuration (IamInstanceProfile) or with aws ec2 associate-iam-instance-profile; the agent registers on its next start"
}
