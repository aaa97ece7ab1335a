package reach

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// TestAgentCredentials builds examples/failures/ecs-instance-no-profile.yaml
// with edits and checks whether its container instance registers, as the
// engine's RegisterCheck decides, and what InstanceRegisterFailure says.
func TestAgentCredentials(t *testing.T) {
	const lt = "      echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"
	const role = "    managed_policies: [arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]\n"
	withProfile := []string{lt, lt + "    iam_instance_profile: ecsInstanceRole\n"}
	cases := []struct {
		name   string
		edits  []string
		reason string // "" registers
		why    string
	}{
		{"no profile", nil, "NoCredentialProviders: no valid providers in chain", "has no IAM instance profile"},
		{"the ECS role", withProfile, "", ""},
		{"a role without ECS", append(withProfile, role, "    managed_policies: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]\n"),
			"AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/", "has no policy that allows ecs:RegisterContainerInstance"},
		{"an inline policy", append(withProfile, role, "    policies: {ecs: '{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecs:Register*\",\"Resource\":\"*\"}]}'}\n"), "", ""},
		{"an inline deny", append(withProfile, role, role+"    policies: {deny: '{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"ecs:*\",\"Resource\":\"*\"}}'}\n"),
			"is not authorized to perform: ecs:RegisterContainerInstance on resource: arn:aws:ecs:us-east-1:123456789012:cluster/demo", "has no policy"},
		{"an AWS managed policy ecsnet does not know", append(withProfile, role, "    managed_policies: [arn:aws:iam::aws:policy/SomeNewPolicy]\n"), "", ""},
		{"a profile without a role", append(withProfile, "  ecsInstanceRole: {role: ecsInstanceRole}", "  ecsInstanceRole: {}"),
			"NoCredentialProviders", "holds no role"},
		// A file that declares no profile says nothing of IAM: the
		// credentials are assumed to work.
		{"IAM not declared", []string{"instance_profiles:\n  ecsInstanceRole: {role: ecsInstanceRole}\n", ""}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := repoFile("examples/failures/ecs-instance-no-profile.yaml")
			data := readFile(t, path)
			for i := 0; i+1 < len(c.edits); i += 2 {
				if !strings.Contains(data, c.edits[i]) {
					t.Fatalf("edit %q: not in the example", c.edits[i])
				}
				data = strings.Replace(data, c.edits[i], c.edits[i+1], 1)
			}
			data = data[:strings.Index(data, "\nexpect:")]
			sc, err := scenario.Parse(path, []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(StartCheck), engine.WithRegisterCheck(RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			var registered, hosts int
			var f *StartFailure
			b.Engine.Read(func(st *model.State) {
				for _, ci := range st.ContainerInstances {
					if ci.Status == "ACTIVE" {
						registered++
					}
				}
				for _, i := range st.Instances {
					if model.UserDataECSCluster(i.UserData) != "" {
						hosts++
						f = InstanceRegisterFailure(st, i)
					}
				}
			})
			if hosts != 1 {
				t.Fatalf("%d ECS hosts, want 1", hosts)
			}
			if c.reason == "" {
				if f != nil || registered != 1 {
					t.Fatalf("registered %d, failure %+v; want the instance registered", registered, f)
				}
				return
			}
			if registered != 0 {
				t.Errorf("registered %d container instances, want none", registered)
			}
			if f == nil || f.Code != CodeAgentNoCredentials || !strings.Contains(f.Reason, c.reason) || !strings.Contains(f.Why, c.why) {
				t.Fatalf("failure %+v; want %s with %q, %q", f, CodeAgentNoCredentials, c.reason, c.why)
			}
		})
	}
}
