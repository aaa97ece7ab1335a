package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Container instances whose ECS agent has no credentials, or whose role
// may not register, never join the cluster: the verified fix associates
// an instance profile with the ECS role, adds a role to a profile that
// holds none, or attaches AmazonEC2ContainerServiceforEC2Role to the role.
func TestAgentCredentialsFix(t *testing.T) {
	const path = "../../examples/failures/ecs-instance-no-profile.yaml"
	const lt = "      echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"
	const policy = "    managed_policies: [arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]\n"
	named := func(s string) string {
		return strings.Replace(s, lt, lt+"    iam_instance_profile: ecsInstanceRole\n", 1)
	}
	for _, c := range []struct {
		name, title, cmd string
		edit             func(string) string
	}{
		{"no profile", "Give the container instances an instance profile (ecsInstanceRole)",
			"aws ec2 associate-iam-instance-profile --instance-id i-", nil},
		{"a role without the policy", "Attach AmazonEC2ContainerServiceforEC2Role to the container instance role ecsInstanceRole",
			"aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn " + model.EC2RoleForECSPolicyIn("us-east-1"), func(s string) string {
				return strings.Replace(named(s), policy, "    managed_policies: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]\n", 1)
			}},
		{"a profile without a role", "Add a role with AmazonEC2ContainerServiceforEC2Role to the instance profile ecsInstanceRole",
			"aws iam add-role-to-instance-profile --instance-profile-name ecsInstanceRole --role-name ecsInstanceRole", func(s string) string {
				return strings.Replace(named(s), "  ecsInstanceRole: {role: ecsInstanceRole}", "  ecsInstanceRole: {}", 1)
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := mustRead(t, path)
			if c.edit != nil {
				data = c.edit(data)
			}
			sc, err := scenario.Parse(path, []byte(data))
			if err != nil {
				t.Fatal(err)
			}
			b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
			if err != nil {
				t.Fatal(err)
			}
			fixes, res, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeAgentNoCredentials) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			for _, f := range fixes {
				if f.Kind == "iam" && strings.HasPrefix(f.Title, c.title) {
					if f.Verification.Verdict != reach.HTTP200 || !strings.Contains(strings.Join(f.Commands, "\n"), c.cmd) {
						t.Errorf("fix %q: verified %s, commands %q", f.Title, f.Verification.Verdict, f.Commands)
					}
					return
				}
			}
			t.Errorf("no iam fix %q in %+v", c.title, fixes)
		})
	}
}

// In the China partition the fix attaches the policy by its aws-cn ARN
// (the aws partition's names no policy there), and it verifies.
func TestAgentCredentialsFixInChina(t *testing.T) {
	const path = "../../examples/failures/ecs-instance-no-profile.yaml"
	const lt = "      echo ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"
	data := strings.Replace(mustRead(t, path), lt, lt+"    iam_instance_profile: ecsInstanceRole\n", 1)
	data = strings.Replace(data, "    managed_policies: [arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role]\n",
		"    managed_policies: [arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore]\n", 1)
	data = "region: cn-north-1\n" + strings.ReplaceAll(data, "us-east-1", "cn-north-1")
	sc, err := scenario.Parse(path, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck))
	if err != nil {
		t.Fatal(err)
	}
	fixes, res, err := fix.Find(b.Engine, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeAgentNoCredentials) {
		t.Fatalf("%s: %s", res.Verdict, res.Summary)
	}
	want := "aws iam attach-role-policy --role-name ecsInstanceRole --policy-arn arn:aws-cn:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
	for _, f := range fixes {
		if f.Kind == "iam" && strings.HasPrefix(f.Title, "Attach AmazonEC2ContainerServiceforEC2Role") {
			if f.Verification.Verdict != reach.HTTP200 || strings.Join(f.Commands, "\n") != want {
				t.Errorf("fix %q: verified %s, commands %q, want %q", f.Title, f.Verification.Verdict, f.Commands, want)
			}
			return
		}
	}
	t.Errorf("no iam fix in %+v", fixes)
}
