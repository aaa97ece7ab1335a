package fix_test

import (
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/fix"
)

// A load balancer's group that lets out only the container port to bridge
// targets on dynamic host ports: the egress fix opens the dynamic range,
// as the ingress fix does; a static host port gets its one port.
func TestALBEgressDynamicHostPortRange(t *testing.T) {
	const story = "alb-sg-egress-container-port-bridge.yaml"
	titles := titlesOf(t, story, "internet", "web-alb:80", nil)
	if len(titles) == 0 || !strings.HasPrefix(titles[0], "Allow tcp/32768-65535 to security group instance-sg on security group alb-sg") {
		t.Fatalf("fixes %q: want the dynamic range to instance-sg first", titles)
	}
	titles = titlesOf(t, story, "internet", "web-alb:80", func(s string) string {
		s = strings.Replace(s, `ports: ["0:80"]`, `ports: ["8080:80"]`, 1)
		return strings.Replace(s, "ports: 32768-65535, group: alb-sg", "ports: 8080, group: alb-sg", 1)
	})
	if len(titles) == 0 || !strings.HasPrefix(titles[0], "Allow tcp/8080 to security group instance-sg") {
		t.Errorf("a static host port: fixes %q", titles)
	}
}

// A service moved to the One Zone file system's zone keeps its public IP:
// UpdateService replaces the whole awsvpcConfiguration, so the command
// names assignPublicIp ENABLED.
func TestEFSOneZoneFixKeepsPublicIP(t *testing.T) {
	e := load(t, "../../examples/failures/efs-one-zone-service-other-zone.yaml", nil)
	fixes, _, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		if f.Kind != "efs" || !strings.HasPrefix(f.Title, "Run the service web in the subnets public-a") {
			continue
		}
		if f.Verification.Verdict == "" {
			t.Errorf("%q is not verified", f.Title)
		}
		if !strings.Contains(strings.Join(f.Commands, "\n"), "assignPublicIp=ENABLED") {
			t.Errorf("the command drops the public IP: %q", f.Commands)
		}
		for _, bad := range fixes {
			if strings.HasPrefix(bad.Title, "Create a mount target") && bad.Verification.Verdict != "" {
				t.Errorf("a One Zone file system's mount target in another zone verified: %q", bad.Title)
			}
		}
		return
	}
	var titles []string
	for _, f := range fixes {
		titles = append(titles, f.Title)
	}
	t.Errorf("no fix running web in public-a; got %q", titles)
}
