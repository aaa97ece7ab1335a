package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
)

const externalStory = "../../examples/failures/external-task-set-sg-wrong-port.yaml"

// externalFixes returns the fixes of internet → web-alb:80 of the
// EXTERNAL story, edited.
func externalFixes(t *testing.T, edit func(string) string) []fix.Fix {
	t.Helper()
	e := load(t, externalStory, edit)
	fixes, _, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fixes
}

// A fix of an EXTERNAL service's network configuration is a task set that
// replaces the primary one (UpdateService refuses the change; UpdateTaskSet
// changes only the scale), verified.
func TestExternalServiceNetworkFixIsNewTaskSet(t *testing.T) {
	t.Run("a group written for the tasks, not in the task set", func(t *testing.T) {
		fixes := externalFixes(t, func(s string) string {
			return strings.Replace(s, "\nclusters:", "  web-sg: {vpc: main, ingress: [{protocol: tcp, ports: 8080, cidr: 10.0.0.0/16}]}\n\nclusters:", 1)
		})
		checkTaskSetFix(t, fixes, "Add the security group web-sg to the service web")
	})
	t.Run("a public subnet without a public IP", func(t *testing.T) {
		fixes := externalFixes(t, func(s string) string {
			s = strings.Replace(s, "    assign_public_ip: true\n", "", 1)
			return strings.Replace(s, "ports: 80, group: alb-sg", "ports: 8080, group: alb-sg", 1)
		})
		checkTaskSetFix(t, fixes, "Set assignPublicIp ENABLED on the Fargate service web")
	})
}

func checkTaskSetFix(t *testing.T, fixes []fix.Fix, title string) {
	t.Helper()
	var titles []string
	for _, f := range fixes {
		titles = append(titles, f.Title)
		if !strings.HasPrefix(f.Title, title) {
			continue
		}
		cmds := strings.Join(f.Commands, "\n")
		if strings.Contains(cmds, "update-service --") || !strings.Contains(cmds, "aws ecs create-task-set --cluster demo --service web") ||
			!strings.Contains(cmds, "update-service-primary-task-set") || !strings.Contains(cmds, "delete-task-set") {
			t.Errorf("%s: commands\n%s", f.Title, cmds)
		}
		if f.Verification.Verdict != "http 200" {
			t.Errorf("%s: verified %q (%s)", f.Title, f.Verification.Verdict, f.Verification.Summary)
		}
		return
	}
	t.Errorf("no fix %q among %q", title, titles)
}

// A task definition fix of an EXTERNAL service (a longer keep-alive) is a
// revision run by a task set that replaces the primary one, verified.
func TestExternalServiceRevisionFixIsNewTaskSet(t *testing.T) {
	e := load(t, "../../examples/failures/alb-keepalive-shorter-than-idle-timeout.yaml", func(s string) string {
		return strings.Replace(s, "    load_balancers: [{target_group: api-tg, container: api, port: 3000}]\n",
			"    load_balancers: [{target_group: api-tg, container: api, port: 3000}]\n    deployment_controller: EXTERNAL\n", 1)
	})
	fixes, _, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, f := range fixes {
		titles = append(titles, f.Title)
		if !strings.HasPrefix(f.Title, "Make container api of api keep idle connections open longer") {
			continue
		}
		cmds := strings.Join(f.Commands, "\n")
		if strings.Contains(cmds, "update-service --") || !strings.Contains(cmds, "aws ecs create-task-set --cluster districts --service api --task-definition api") ||
			!strings.Contains(cmds, "delete-task-set") {
			t.Errorf("commands\n%s", cmds)
		}
		if f.Verification.Verdict != "http 200" {
			t.Errorf("verified %q (%s)", f.Verification.Verdict, f.Verification.Summary)
		}
		return
	}
	t.Errorf("no keep-alive fix among %q", titles)
}
