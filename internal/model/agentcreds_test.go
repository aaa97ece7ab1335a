package model

import (
	"strings"
	"testing"
)

// TestAgentCredentials follows an instance's profile to its role and the
// role's policies, as the ECS agent's registration needs them.
func TestAgentCredentials(t *testing.T) {
	const allowECS = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}`
	const denyRegister = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecs:RegisterContainerInstance","Resource":"arn:aws:ecs:*:*:cluster/prod"}]}`
	const allowS3 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	customer := "arn:aws:iam::123456789012:policy/agent"
	iam := NewState("123456789012", "us-east-1")
	iam.ManagedPolicies[customer] = &ManagedPolicy{ARN: customer, DefaultVersion: "v2",
		Versions: []PolicyVersion{{ID: "v1", Document: allowS3}, {ID: "v2", Document: allowECS}}}
	boundary := "arn:aws:iam::123456789012:policy/s3-only"
	iam.ManagedPolicies[boundary] = &ManagedPolicy{ARN: boundary, DefaultVersion: "v1", Versions: []PolicyVersion{{ID: "v1", Document: allowS3}}}
	role := func(name string, r Role) {
		r.Name = name
		iam.Roles[name] = &r
		iam.InstanceProfiles[name] = &InstanceProfile{Name: name, Roles: []string{name}}
	}
	role("managed", Role{AttachedPolicies: []string{EC2RoleForECSPolicyIn("us-east-1")}})
	role("cn-managed", Role{AttachedPolicies: []string{"arn:aws-cn:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"}})
	role("ssm", Role{AttachedPolicies: []string{"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"}})
	role("customer", Role{AttachedPolicies: []string{customer}})
	role("inline", Role{InlinePolicies: map[string]string{"ecs": allowECS}})
	role("denied", Role{AttachedPolicies: []string{EC2RoleForECSPolicyIn("us-east-1")}, InlinePolicies: map[string]string{"deny": denyRegister}})
	role("bounded", Role{AttachedPolicies: []string{EC2RoleForECSPolicyIn("us-east-1")}, PermissionsBoundary: boundary})
	// AWS managed boundaries, judged from the documents ecsnet publishes.
	role("admin-bounded", Role{AttachedPolicies: []string{EC2RoleForECSPolicyIn("us-east-1")}, PermissionsBoundary: "arn:aws:iam::aws:policy/AdministratorAccess"})
	role("ecr-bounded", Role{AttachedPolicies: []string{EC2RoleForECSPolicyIn("us-east-1")}, PermissionsBoundary: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"})
	role("unknown-aws", Role{AttachedPolicies: []string{"arn:aws:iam::aws:policy/SomeFuturePolicy"}})
	role("gone-policy", Role{AttachedPolicies: []string{"arn:aws:iam::123456789012:policy/gone"}})
	iam.InstanceProfiles["empty"] = &InstanceProfile{Name: "empty"}
	iam.InstanceProfiles["gone-role"] = &InstanceProfile{Name: "gone-role", Roles: []string{"nobody"}}

	for _, c := range []struct {
		profile, region, cluster string
		complete                 bool
		want                     string // "" works; else a part of Reason
		sent                     bool
	}{
		{profile: "", want: "NoCredentialProviders"},
		{profile: "arn:aws:iam::123456789012:instance-profile/managed"},
		{profile: "managed", region: "cn-north-1", want: "on resource: arn:aws-cn:ecs:cn-north-1:123456789012:cluster/prod because no identity-based policy allows", sent: true},
		{profile: "cn-managed", region: "cn-north-1"},
		{profile: "ssm", want: "assumed-role/ssm/i-1 is not authorized to perform: ecs:RegisterContainerInstance on resource: arn:aws:ecs:us-east-1:123456789012:cluster/prod because no identity-based policy allows", sent: true},
		{profile: "customer"},
		{profile: "inline"},
		{profile: "denied", want: "with an explicit deny in an identity-based policy", sent: true},
		{profile: "denied", cluster: "dev"},
		{profile: "bounded", want: "because no permissions boundary allows", sent: true},
		{profile: "admin-bounded"},
		{profile: "ecr-bounded", want: "because no permissions boundary allows", sent: true},
		{profile: "unknown-aws", complete: true},
		{profile: "gone-policy"},
		{profile: "gone-policy", complete: true, want: "because no identity-based policy allows", sent: true},
		{profile: "empty", want: "NoCredentialProviders"},
		{profile: "missing"},
		{profile: "missing", complete: true, want: "NoCredentialProviders"},
		{profile: "gone-role"},
		{profile: "gone-role", complete: true, want: "NoCredentialProviders"},
	} {
		region := c.region
		if region == "" {
			region = "us-east-1"
		}
		cluster := c.cluster
		if cluster == "" {
			cluster = "prod"
		}
		inst := &Instance{ID: "i-1", IAMDeclared: true, IAMProfile: c.profile, UserData: "#!/bin/bash\necho ECS_CLUSTER=" + cluster + " >> /etc/ecs/ecs.config\n"}
		f := AgentCredentials(iam, inst, region, "123456789012", c.complete)
		switch {
		case c.want == "" && f != nil:
			t.Errorf("%s in %s (complete %v): %s", c.profile, region, c.complete, f.Reason)
		case c.want != "" && f == nil:
			t.Errorf("%s in %s (complete %v): registers, want %q", c.profile, region, c.complete, c.want)
		case f != nil && (!strings.Contains(f.Reason, c.want) || f.Sent != c.sent):
			t.Errorf("%s in %s (complete %v): %q (sent %v), want %q (sent %v)", c.profile, region, c.complete, f.Reason, f.Sent, c.want, c.sent)
		}
	}
	// A source that does not declare IAM: unknown, taken to work.
	if f := AgentCredentials(iam, &Instance{ID: "i-2", UserData: "ECS_CLUSTER=prod"}, "us-east-1", "123456789012", true); f != nil {
		t.Errorf("undeclared IAM: %s", f.Reason)
	}
}
