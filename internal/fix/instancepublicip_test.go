package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

// Container instances of an Auto Scaling group in public subnets without
// public IPs cannot register (the internet gateway drops their traffic).
// When the launch template does not say, the verified fix turns on the
// subnets' MapPublicIpOnLaunch and replaces the instances; when the
// template's primary interface says false, a new template version that
// says true, made the default, and the instance refresh.
func TestInstancePublicIPFix(t *testing.T) {
	const path = "../../examples/failures/ec2-public-subnet-no-public-ip.yaml"
	for _, c := range []struct {
		name, kind, title, cmd string
		edit                   func(string) string
	}{
		{"template silent", "subnets", "Turn on auto-assign public IPv4 (MapPublicIpOnLaunch) in subnet public-a, public-b",
			"aws ec2 modify-subnet-attribute --subnet-id subnet-", nil},
		{"template says false", "launch-template", "Give the instances of ecs-asg a public IP (launch template ecs-node",
			`"AssociatePublicIpAddress":true`, func(s string) string {
				return strings.Replace(s, "    security_groups: [instance-sg]\n", "    security_groups: [instance-sg]\n    public_ip: false\n", 1)
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
			if res.Verdict != reach.HTTP503 || !res.HasCode(reach.CodeAgentCannotRegister) {
				t.Fatalf("%s: %s", res.Verdict, res.Summary)
			}
			for _, f := range fixes {
				if f.Kind == c.kind && strings.HasPrefix(f.Title, c.title) {
					if f.Verification.Verdict != reach.HTTP200 || !strings.Contains(strings.Join(f.Commands, "\n"), c.cmd) ||
						!strings.Contains(strings.Join(f.Commands, "\n"), "aws autoscaling start-instance-refresh --auto-scaling-group-name ecs-asg") {
						t.Errorf("fix %q: verified %s, commands %q", f.Title, f.Verification.Verdict, f.Commands)
					}
					return
				}
			}
			t.Errorf("no %s fix %q in %+v", c.kind, c.title, fixes)
		})
	}
}
