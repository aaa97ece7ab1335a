package model_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/model"
)

// AmazonECSInfrastructureRolePolicyForManagedInstances, attached by its
// ARN of the region's partition, lets the infrastructure role pass
// ecsInstanceRole* roles in the China and GovCloud partitions as in aws:
// its Resource is the role ARN of the partition it is read in.
func TestManagedInstancesPassRoleInEveryPartition(t *testing.T) {
	for _, region := range []string{"us-east-1", "cn-north-1", "us-gov-west-1"} {
		t.Run(region, func(t *testing.T) {
			p := model.Partition(region)
			st := model.NewState("123456789012", region)
			st.Roles["infra"] = &model.Role{Name: "infra",
				AttachedPolicies: []string{"arn:" + p + ":iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances"}}
			for _, role := range []string{"ecsInstanceRole-web", "web-InstanceRole-1A2B"} {
				st.Roles[role] = &model.Role{Name: role}
				st.InstanceProfiles[role+"-profile"] = &model.InstanceProfile{Name: role + "-profile", Roles: []string{role}}
			}
			infra := "arn:" + p + ":iam::123456789012:role/infra"
			if got := model.ManagedInstancesPassRole(st, infra, "ecsInstanceRole-web-profile", region, "123456789012", true); got != "" {
				t.Errorf("ecsInstanceRole-web: %q, want it passed", got)
			}
			got := model.ManagedInstancesPassRole(st, infra, "web-InstanceRole-1A2B-profile", region, "123456789012", true)
			if want := "on resource: arn:" + p + ":iam::123456789012:role/web-InstanceRole-1A2B"; !strings.Contains(got, want) {
				t.Errorf("web-InstanceRole-1A2B: %q, want …%s…", got, want)
			}
		})
	}
}
