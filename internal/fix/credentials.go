package fix

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// ecsInstanceRole is the name the ECS console and documentation give the
// container instance role and its instance profile.
const ecsInstanceRole = "ecsInstanceRole"

// ec2TrustPolicy lets EC2 assume a role (an instance profile's).
const ec2TrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// agentCredentials gives the ECS agents without credentials or permission
// what they need (reach.CodeAgentNoCredentials): the managed policy
// AmazonEC2ContainerServiceforEC2Role on their role, or an instance
// profile (ecsInstanceRole) holding a role with it.
func (f *finder) agentCredentials(x reach.Explanation) []Fix {
	if x.Tasks == nil || x.Tasks.Failure == nil {
		return nil
	}
	sf := x.Tasks.Failure
	if sf.MetadataOff {
		// The instances whose metadata service is off: the first one's
		// change (its group's, for an Auto Scaling group's instance).
		ids := slices.Sorted(maps.Keys(f.st.Instances))
		for _, id := range ids {
			inst := f.st.Instances[id]
			if inst.State != model.InstanceRunning || model.UserDataECSCluster(inst.UserData) == "" {
				continue
			}
			if g := reach.InstanceRegisterFailure(f.st, inst); g != nil && g.MetadataOff {
				return f.metadataServiceOn(inst.ID)
			}
		}
		return nil
	}
	if sf.Role != "" {
		role, policy := sf.Role, model.EC2RoleForECSPolicyIn(f.st.Region)
		return []Fix{{
			score: 10, Kind: "iam",
			Title:    fmt.Sprintf("Attach AmazonEC2ContainerServiceforEC2Role to the container instance role %s", role),
			Detail:   "The ECS agent calls ECS with the credentials of the instance's role: " + sf.Why + ", so ECS answers AccessDeniedException and the instance never registers. The agent registers on its next start.",
			Commands: []string{fmt.Sprintf("aws iam attach-role-policy --role-name %s --policy-arn %s", role, policy)},
			Scenario: fmt.Sprintf("iam_roles:\n  %s:\n    managed_policies: [%s]\n", role, policy),
			apply:    func(e *engine.Engine) error { return e.AttachRolePolicy(role, policy) },
		}}
	}
	// The instances without credentials: every running one whose agent
	// registers and fails so.
	var ids []model.InstanceID
	for _, inst := range f.st.Instances {
		if inst.State != model.InstanceRunning || model.UserDataECSCluster(inst.UserData) == "" {
			continue
		}
		if g := reach.InstanceRegisterFailure(f.st, inst); g != nil && g.Code == reach.CodeAgentNoCredentials && g.Role == "" {
			ids = append(ids, inst.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	// A profile without a role gets one; else the ecsInstanceRole profile.
	profile := ecsInstanceRole
	if sf.Profile != "" {
		profile = sf.Profile[strings.LastIndexByte(sf.Profile, '/')+1:]
	}
	// What IAM holds already: the profile, its role, the role's policy.
	role, haveProfile, profileRole := ecsInstanceRole, false, false
	if p := f.st.InstanceProfiles[profile]; p != nil {
		haveProfile = true
		if len(p.Roles) > 0 {
			role, profileRole = p.Roles[0], true
		}
	}
	var cmds []string
	if f.st.Roles[role] == nil {
		cmds = append(cmds, fmt.Sprintf("aws iam create-role --role-name %s --assume-role-policy-document '%s'", role, ec2TrustPolicy))
	}
	if r := f.st.Roles[role]; r == nil || !slices.Contains(r.AttachedPolicies, model.EC2RoleForECSPolicyIn(f.st.Region)) {
		cmds = append(cmds, fmt.Sprintf("aws iam attach-role-policy --role-name %s --policy-arn %s", role, model.EC2RoleForECSPolicyIn(f.st.Region)))
	}
	if !haveProfile {
		cmds = append(cmds, fmt.Sprintf("aws iam create-instance-profile --instance-profile-name %s", profile))
	}
	if !profileRole {
		cmds = append(cmds, fmt.Sprintf("aws iam add-role-to-instance-profile --instance-profile-name %s --role-name %s", profile, role))
	}
	if sf.Profile == "" {
		for _, id := range ids {
			cmds = append(cmds, fmt.Sprintf("aws ec2 associate-iam-instance-profile --instance-id %s --iam-instance-profile Name=%s", id, profile))
		}
	}
	var groups []string
	for _, id := range ids {
		if g := f.st.Instances[id].AutoScalingGroup; g != "" && !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	detail := "The ECS agent calls ECS with the credentials of the instance's IAM role, from the instance metadata service: " + sf.Why +
		", so the agent fails with NoCredentialProviders and the instance never registers. A role with AmazonEC2ContainerServiceforEC2Role in an instance profile gives it credentials; the agent registers on its next start."
	if len(groups) > 0 {
		detail += fmt.Sprintf(" Name the profile in the launch template or launch configuration of %s too (IamInstanceProfile), or the group's new instances lack it.", strings.Join(groups, ", "))
	}
	title := fmt.Sprintf("Give the container instances an instance profile (%s) whose role has AmazonEC2ContainerServiceforEC2Role", profile)
	if sf.Profile != "" {
		title = fmt.Sprintf("Add a role with AmazonEC2ContainerServiceforEC2Role to the instance profile %s", profile)
	}
	withProfile := sf.Profile != ""
	return []Fix{{
		score: 10, Kind: "iam", Title: title, Detail: detail, Commands: cmds,
		Scenario: fmt.Sprintf("iam_roles:\n  %s:\n    managed_policies: [%s]\ninstance_profiles:\n  %s: {role: %s}\n", ecsInstanceRole, model.EC2RoleForECSPolicyIn(f.st.Region), profile, ecsInstanceRole),
		apply: func(e *engine.Engine) error {
			// What IAM already holds: the profile (and its role), the role.
			role, haveRole, haveProfile := ecsInstanceRole, false, false
			e.Read(func(st *model.State) {
				if p := st.InstanceProfiles[profile]; p != nil {
					haveProfile = true
					if len(p.Roles) > 0 {
						role = p.Roles[0]
					}
				}
				haveRole = st.Roles[role] != nil
			})
			if !haveRole {
				if _, err := e.CreateRole(engine.RoleInput{Name: role, Path: "/", AssumeRolePolicyDocument: ec2TrustPolicy}); err != nil {
					return err
				}
			}
			if err := e.AttachRolePolicy(role, model.EC2RoleForECSPolicyIn(f.st.Region)); err != nil {
				return err
			}
			if !haveProfile {
				if _, err := e.CreateInstanceProfile(profile, "/", nil); err != nil {
					return err
				}
			}
			var roles int
			e.Read(func(st *model.State) { roles = len(st.InstanceProfiles[profile].Roles) })
			if roles == 0 {
				if err := e.AddRoleToInstanceProfile(profile, role); err != nil {
					return err
				}
			}
			if withProfile {
				return nil
			}
			for _, id := range ids {
				if _, err := e.AssociateIamInstanceProfile(e, id, engine.ProfileRef{Name: profile}); err != nil {
					return err
				}
			}
			return nil
		},
	}}
}
