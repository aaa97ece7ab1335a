package model

import "strings"

// PassRoleAction is the IAM action a service needs to hand a role to
// another (here ECS, to give a Managed Instances instance its profile's
// role).
const PassRoleAction = "iam:PassRole"

// awsManagedPassRole is what ecsnet knows of AWS managed policies it has
// no whole document of, for iam:PassRole: the statements that decide it.
// AmazonECSInfrastructureRolePolicyForManagedInstances "scopes iam:PassRole
// to arn:aws:iam::*:role/ecsInstanceRole*" (ECS Developer Guide,
// managed-instances-instance-profile; its iam:PassedToService condition,
// ec2.amazonaws.com, holds for ECS launching an instance). The documents
// are the aws partition's; managedPolicy writes their ARNs in the partition
// the policy is attached in (arn:aws-cn:iam::*:role/ecsInstanceRole*).
var awsManagedPassRole = map[string]string{
	"AmazonECSInfrastructureRolePolicyForManagedInstances": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/ecsInstanceRole*"}]}`,
	// NotAction iam:*: allows no PassRole.
	"PowerUserAccess": `{"Version":"2012-10-17","Statement":[]}`,
}

// ManagedInstancesPassRole judges whether ECS, acting as a Managed
// Instances provider's infrastructure role, may pass the role of the
// provider's instance profile to the instances it launches. It returns
// "" when it may (or when iam, not complete, cannot tell), else the
// authorization error EC2 gives (the text is [choice]: AWS documents "an
// authorization error at task launch"). Roles and profiles are named by
// ARN (or name).
func ManagedInstancesPassRole(iam *State, infraRole, instanceProfile, region, account string, complete bool) string {
	if !complete {
		return ""
	}
	p := iam.InstanceProfiles[instanceProfile[strings.LastIndexByte(instanceProfile, '/')+1:]]
	infra := iam.Roles[RoleName(infraRole)]
	if p == nil || len(p.Roles) == 0 || infra == nil {
		return "" // judged elsewhere (the role's trust, the agent's credentials)
	}
	partition := Partition(region)
	passed := "arn:" + partition + ":iam::" + account + ":role/" + p.Roles[0]
	because, denied := deniedBecause(roleAllows(iam, infra, PassRoleAction, passed, partition, account, complete), PassRoleAction)
	if !denied {
		return ""
	}
	return "UnauthorizedOperation: You are not authorized to perform this operation. User: arn:" + partition + ":sts::" + account +
		":assumed-role/" + infra.Name + "/ECSManagedInstances is not authorized to perform: " + PassRoleAction + " on resource: " + passed + because
}
