package fix_test

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// taskSetStory loads the story at path with its service moved to the
// deployment controller (EXTERNAL: the scenario's task set; CODE_DEPLOY:
// also a CodeDeploy application and deployment group of the service,
// whose pair is the service's target group and a copy of it, its
// production listener the one that forwards to it).
func taskSetStory(t *testing.T, path, service, controller string, edit func(string) string) *engine.Engine {
	t.Helper()
	head := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(service) + `:\n`)
	e := load(t, path, func(s string) string {
		if edit != nil {
			s = edit(s)
		}
		i := strings.Index(s, "\nservices:\n")
		if i < 0 {
			t.Fatalf("%s: no services", path)
		}
		loc := head.FindStringIndex(s[i:])
		if loc == nil {
			t.Fatalf("%s: no service %s", path, service)
		}
		at := i + loc[1]
		return s[:at] + "    deployment_controller: " + controller + "\n" + s[at:]
	})
	if controller != "CODE_DEPLOY" {
		return e
	}
	var tg *model.TargetGroup
	var listener string
	e.Read(func(st *model.State) {
		for _, s := range st.Services {
			if s.Name == service && len(s.TaskSets) > 0 && len(s.TaskSets[0].LoadBalancers) > 0 {
				c := *st.TargetGroups[s.TaskSets[0].LoadBalancers[0].TargetGroupARN]
				tg = &c
			}
		}
		if tg == nil {
			return
		}
		for arn, l := range st.Listeners {
			for _, a := range l.DefaultActions {
				if a.TargetGroupARN == tg.ARN || slices.ContainsFunc(a.TargetGroups, func(w model.WeightedTargetGroup) bool { return w.ARN == tg.ARN }) {
					listener = arn
				}
			}
		}
	})
	if tg == nil || listener == "" {
		t.Fatalf("%s: the service %s has no target group behind a listener", path, service)
	}
	hc := tg.HealthCheck
	other := tg.Name + "-2"
	ntg, err := e.CreateTargetGroup(engine.CreateTargetGroupInput{Name: other, Protocol: tg.Protocol, ProtocolVersion: tg.ProtocolVersion, Port: tg.Port,
		VpcID: tg.VpcID, TargetType: tg.TargetType, HealthCheckProtocol: hc.Protocol, HealthCheckPort: hc.Port, HealthCheckPath: hc.Path,
		HealthCheckIntervalSeconds: hc.IntervalSeconds, HealthCheckTimeoutSeconds: hc.TimeoutSeconds, HealthyThresholdCount: hc.HealthyThreshold,
		UnhealthyThresholdCount: hc.UnhealthyThreshold, Matcher: hc.Matcher})
	if err != nil {
		t.Fatal(err)
	}
	// The pair's groups are alike: the same attributes (proxy protocol v2,
	// say) for the replacement task set's targets.
	var attrs [][2]string
	for _, k := range slices.Sorted(maps.Keys(tg.Attributes)) {
		attrs = append(attrs, [2]string{k, tg.Attributes[k]})
	}
	if len(attrs) > 0 {
		if _, err := e.ModifyTargetGroupAttributes(ntg.ARN, attrs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.CreateCodeDeployApp("web-app", "ECS", nil); err != nil {
		t.Fatal(err)
	}
	clusterARN := ""
	e.Read(func(st *model.State) {
		for _, s := range st.Services {
			if s.Name == service {
				clusterARN = s.ClusterARN
			}
		}
	})
	cluster := clusterARN[strings.LastIndexByte(clusterARN, '/')+1:]
	if _, err := e.CreateCodeDeployGroup(engine.CodeDeployGroupInput{App: "web-app", Name: "web-dg",
		ServiceRoleARN: "arn:aws:iam::123456789012:role/ecsCodeDeployRole", DeploymentType: "BLUE_GREEN", Option: "WITH_TRAFFIC_CONTROL",
		ECSServices:       []model.CodeDeployECSService{{Cluster: cluster, Service: service}},
		TargetGroupPairs:  []model.CodeDeployTargetGroupPair{{TargetGroups: []string{tg.Name, other}, ProdListeners: []string{listener}}},
		LoadBalancerGiven: true}); err != nil {
		t.Fatal(err)
	}
	return e
}

// The fixes that change a service's task definition, network
// configuration or load balancers read a service of task sets' running
// task set and change it as AWS lets: an EXTERNAL service's by a task set
// that replaces it (create-task-set, update-service-primary-task-set,
// delete-task-set), a CODE_DEPLOY service's by a CodeDeploy deployment;
// each verified on the copy. An empty want says no such fix is offered
// (a CODE_DEPLOY service's target groups are its deployment group's pair,
// which a deployment does not change).
func TestTaskSetServiceFixes(t *testing.T) {
	grpc := func(q *reach.Query) { q.HTTPVersion, _ = reach.ParseHTTPVersion("grpc") }
	for _, c := range []struct {
		file, service, from, to string
		request                 func(*reach.Query)
		title                   string // the fix, by its title's start
		codeDeploy              bool   // offered for a CODE_DEPLOY service too
		noLoadBalancer          bool   // no CodeDeploy deployment group can name the service
		edit                    func(string) string
	}{
		// egress.go (no load balancer: no CodeDeploy deployment group)
		{"awsvpc-ec2-public-egress.yaml", "web", "web/0", "198.51.100.7:443", nil,
			"Run the service web's tasks in the private subnets private-a, private-c", false, true, nil},
		// placement.go: dynamicPorts, zoneSubnets
		{"host-port-conflict.yaml", "web", "internet", "web-alb:80", nil, "Use dynamic host ports (hostPort 0) for web:80 in web", true, false, nil},
		{"awsvpc-subnet-zone-no-instances.yaml", "web", "internet", "web-alb:80", nil, "Run the service web in the subnets private-a, private-b", true, false, nil},
		// imageref.go
		{"image-ecr-arn.yaml", "app", "internet", "app-alb:80", nil, "Set container app's image to 123456789012.dkr.ecr.us-east-1.amazonaws.com/app", true, false, nil},
		// proxyprotocol.go
		{"analyzer-only/nlb-proxy-protocol-app-not-reading.yaml", "web", "internet", "web-nlb:80", nil, "Make container web of web read the proxy protocol v2 header", true, false, nil},
		// nlbtls.go
		{"nlb-tls-target-group-plain-app.yaml", "api", "internet", "api-nlb:443", nil, "Make container api of api serve TLS on port 8080", true, false, nil},
		// tgprotocol.go
		{"nlb-tls-target-group-plain-app.yaml", "api", "internet", "api-nlb:443", nil, "Forward to a new target group api-tg-tcp of protocol TCP", false, false, nil},
		{"alb-grpc-target-group-http1.yaml", "inventory", "internet", "shared-alb:443", grpc, "Forward to a new target group inventory-tg-grpc of protocol version GRPC", false, false, nil},
	} {
		for _, ctl := range []string{"EXTERNAL", "CODE_DEPLOY"} {
			t.Run(c.file+"/"+ctl, func(t *testing.T) {
				if ctl == "CODE_DEPLOY" && c.noLoadBalancer {
					t.Skip("no load balancer: a CODE_DEPLOY service needs one")
				}
				e := taskSetStory(t, "../../examples/failures/"+c.file, c.service, ctl, c.edit)
				fixes, _, err := fix.Find(e, c.from, c.to, "tcp", fix.Options{Request: c.request})
				if err != nil {
					t.Fatal(err)
				}
				f, ok := fixTitled(fixes, c.title)
				if ctl == "CODE_DEPLOY" && !c.codeDeploy {
					if ok {
						t.Errorf("a fix no CodeDeploy deployment makes: %s %q", f.Title, f.Commands)
					}
					return
				}
				if !ok {
					t.Fatalf("no fix %q among %s", c.title, titles(fixes))
				}
				cmds := strings.Join(f.Commands, "\n")
				if strings.Contains(cmds, "aws ecs update-service ") {
					t.Errorf("update-service for a service of task sets:\n%s", cmds)
				}
				switch ctl {
				case "EXTERNAL":
					for _, want := range []string{"aws ecs create-task-set ", "aws ecs update-service-primary-task-set ", "aws ecs delete-task-set "} {
						if !strings.Contains(cmds, want) {
							t.Errorf("no %q in\n%s", want, cmds)
						}
					}
				case "CODE_DEPLOY":
					if !strings.Contains(cmds, "aws deploy create-deployment --application-name web-app --deployment-group-name web-dg --revision ") || strings.Contains(cmds, "task-set ") {
						t.Errorf("not a CodeDeploy deployment:\n%s", cmds)
					}
				}
				if v := f.Verification.Verdict; v != reach.Connected && v.HTTPStatus() != 200 {
					t.Errorf("verified %s (%s)", v, f.Verification.Summary)
				}
			})
		}
	}
}
