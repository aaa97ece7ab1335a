package fix_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/fix"
	"github.com/ecsnet/ecsnet/internal/model"
)

// codeDeployStory is the EXTERNAL story's web service moved to CodeDeploy
// blue/green: CODE_DEPLOY, a second target group for the replacement task
// set, edit applied after; with group, a CodeDeploy application and
// deployment group of the service (web-tg and web-tg-2, the listener on
// 80 the production one).
func codeDeployStory(t *testing.T, group bool, edit func(string) string) *engine.Engine {
	t.Helper()
	e := load(t, externalStory, func(s string) string {
		s = strings.Replace(s, "deployment_controller: EXTERNAL", "deployment_controller: CODE_DEPLOY", 1)
		s = strings.Replace(s, "  web-tg: {vpc: main, port: 8080, target_type: ip}\n",
			"  web-tg: {vpc: main, port: 8080, target_type: ip}\n  web-tg-2: {vpc: main, port: 8080, target_type: ip}\n", 1)
		return edit(s)
	})
	if group {
		addDeploymentGroup(t, e, "demo", "web", "web-tg", "web-tg-2")
	}
	return e
}

// addDeploymentGroup creates the CodeDeploy application web-app and its
// deployment group web-dg of the service, its target group pair tg and
// other, the listener on port 80 the production one.
func addDeploymentGroup(t *testing.T, e *engine.Engine, cluster, service, tg, other string) {
	t.Helper()
	if _, err := e.CreateCodeDeployApp("web-app", "ECS", nil); err != nil {
		t.Fatal(err)
	}
	var listener string
	e.Read(func(st *model.State) {
		for arn, l := range st.Listeners {
			if l.Port == 80 {
				listener = arn
			}
		}
	})
	if _, err := e.CreateCodeDeployGroup(engine.CodeDeployGroupInput{App: "web-app", Name: "web-dg",
		ServiceRoleARN: "arn:aws:iam::123456789012:role/ecsCodeDeployRole", DeploymentType: "BLUE_GREEN", Option: "WITH_TRAFFIC_CONTROL",
		ECSServices:       []model.CodeDeployECSService{{Cluster: cluster, Service: service}},
		TargetGroupPairs:  []model.CodeDeployTargetGroupPair{{TargetGroups: []string{tg, other}, ProdListeners: []string{listener}}},
		LoadBalancerGiven: true}); err != nil {
		t.Fatal(err)
	}
}

// publicIPOff: the task set's tasks get no public IP in the public
// subnets (they cannot pull their image), and the task group admits 8080.
func publicIPOff(s string) string {
	s = strings.Replace(s, "    assign_public_ip: true\n", "", 1)
	return strings.Replace(s, "ports: 80, group: alb-sg", "ports: 8080, group: alb-sg", 1)
}

// A network fix of a CODE_DEPLOY service is a CodeDeploy deployment whose
// AppSpec carries the new network configuration, run on the copy until
// it settles and verified; without a deployment group of the service
// there is no such fix.
func TestCodeDeployServiceNetworkFixIsDeployment(t *testing.T) {
	const title = "Set assignPublicIp ENABLED on the Fargate service web"
	fixes, _, err := fix.Find(codeDeployStory(t, true, publicIPOff), "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := fixTitled(fixes, title)
	if !ok {
		t.Fatalf("no fix %q among %s", title, titles(fixes))
	}
	checkDeploymentFix(t, &f, "web", 8080, func(p map[string]any) {
		nc, _ := p["NetworkConfiguration"].(map[string]any)
		a, _ := nc["AwsvpcConfiguration"].(map[string]any)
		if a["AssignPublicIp"] != "ENABLED" {
			t.Errorf("AppSpec network configuration %v, want AssignPublicIp ENABLED", nc)
		}
	})

	fixes, _, err = fix.Find(codeDeployStory(t, false, publicIPOff), "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixes {
		if strings.HasPrefix(f.Title, title) {
			t.Errorf("without a deployment group: %s %q", f.Title, f.Commands)
		}
	}
}

// A task definition fix of a CODE_DEPLOY service (a longer keep-alive) is
// a revision deployed by CodeDeploy, verified.
func TestCodeDeployServiceRevisionFixIsDeployment(t *testing.T) {
	e := load(t, "../../examples/failures/alb-keepalive-shorter-than-idle-timeout.yaml", func(s string) string {
		s = strings.Replace(s, "  api-tg: {vpc: main, port: 3000, target_type: ip, health_check: {path: /}}\n",
			"  api-tg: {vpc: main, port: 3000, target_type: ip, health_check: {path: /}}\n  api-tg-2: {vpc: main, port: 3000, target_type: ip, health_check: {path: /}}\n", 1)
		return strings.Replace(s, "    load_balancers: [{target_group: api-tg, container: api, port: 3000}]\n",
			"    load_balancers: [{target_group: api-tg, container: api, port: 3000}]\n    deployment_controller: CODE_DEPLOY\n", 1)
	})
	addDeploymentGroup(t, e, "districts", "api", "api-tg", "api-tg-2")
	fixes, _, err := fix.Find(e, "internet", "web-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const title = "Make container api of api keep idle connections open longer"
	f, ok := fixTitled(fixes, title)
	if !ok {
		t.Fatalf("no fix %q among %s", title, titles(fixes))
	}
	checkDeploymentFix(t, &f, "api", 3000, func(p map[string]any) {
		if p["TaskDefinition"] != "arn:aws:ecs:us-east-1:123456789012:task-definition/api:2" {
			t.Errorf("AppSpec task definition %v, want the new revision's ARN", p["TaskDefinition"])
		}
		if p["NetworkConfiguration"] != nil {
			t.Errorf("AppSpec network configuration %v, want none (the original task set's)", p["NetworkConfiguration"])
		}
	})
}

// checkDeploymentFix checks that f's commands end in a create-deployment
// (no ECS service or task set call) whose
// AppSpec is one AWS::ECS::Service resource with the load balancer's
// container and port (props checks its properties), verified http 200.
func checkDeploymentFix(t *testing.T, f *fix.Fix, container string, port float64, props func(map[string]any)) {
	t.Helper()
	cmds := strings.Join(f.Commands, "\n")
	last := f.Commands[len(f.Commands)-1]
	if strings.Contains(cmds, "update-service") || strings.Contains(cmds, "task-set") ||
		!strings.HasPrefix(last, "aws deploy create-deployment --application-name web-app --deployment-group-name web-dg --revision '") {
		t.Fatalf("%s: commands\n%s", f.Title, cmds)
	}
	rev := last[strings.Index(last, "'")+1:]
	rev = rev[:strings.Index(rev, "'")]
	var r struct {
		RevisionType   string `json:"revisionType"`
		AppSpecContent struct {
			Content string `json:"content"`
		} `json:"appSpecContent"`
	}
	if err := json.Unmarshal([]byte(rev), &r); err != nil || r.RevisionType != "AppSpecContent" {
		t.Fatalf("revision %s: %v", rev, err)
	}
	var spec struct {
		Resources []map[string]struct {
			Type       string         `json:"Type"`
			Properties map[string]any `json:"Properties"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal([]byte(r.AppSpecContent.Content), &spec); err != nil || len(spec.Resources) != 1 {
		t.Fatalf("AppSpec %s: %v", r.AppSpecContent.Content, err)
	}
	for _, res := range spec.Resources[0] {
		lb, _ := res.Properties["LoadBalancerInfo"].(map[string]any)
		if res.Type != "AWS::ECS::Service" || res.Properties["TaskDefinition"] == "" || lb["ContainerName"] != container || lb["ContainerPort"] != port {
			t.Errorf("AppSpec resource %+v", res)
		}
		props(res.Properties)
	}
	if f.Verification.Verdict != "http 200" {
		t.Errorf("%s: verified %q (%s)", f.Title, f.Verification.Verdict, f.Verification.Summary)
	}
}

// The story codedeploy-image-ecr-arn: the fix of a CODE_DEPLOY service's
// image is a revision deployed by CodeDeploy, and on the copy the
// deployment goes through: Succeeded, the replacement task set primary
// with its tasks in the pair's other target group (app-tg-2), which the
// listener forwards to, and the original task set gone.
func TestCodeDeployStoryDeploymentSettles(t *testing.T) {
	e := load(t, "../../examples/failures/codedeploy-image-ecr-arn.yaml", nil)
	fixes, res, err := fix.Find(e, "internet", "app-alb:80", "tcp", fix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict.HTTPStatus() != 503 {
		t.Fatalf("before: %s", res.Summary)
	}
	const title = "Set container app's image to 123456789012.dkr.ecr.us-east-1.amazonaws.com/app"
	f, ok := fixTitled(fixes, title)
	if !ok {
		t.Fatalf("no fix %q among %s", title, titles(fixes))
	}
	last := f.Commands[len(f.Commands)-1]
	if !strings.HasPrefix(last, "aws deploy create-deployment --application-name app --deployment-group-name app-dg --revision '") ||
		!strings.Contains(last, `task-definition/app:2`) {
		t.Errorf("commands %q", f.Commands)
	}
	clone := e.Clone()
	if err := f.Apply(clone); err != nil {
		t.Fatal(err)
	}
	st, _ := clone.Snapshot()
	var deployments []*model.CodeDeployment
	for _, d := range st.CodeDeployments {
		deployments = append(deployments, d)
	}
	if len(deployments) != 1 || deployments[0].Status != "Succeeded" {
		t.Fatalf("deployments %+v", deployments)
	}
	d := deployments[0]
	var tg2 string
	for arn, tg := range st.TargetGroups {
		if tg.Name == "app-tg-2" {
			tg2 = arn
		}
	}
	for _, s := range st.Services {
		if s.Name != "app" {
			continue
		}
		if len(s.TaskSets) != 1 || s.TaskSets[0].ID != d.ReplacementTaskSet || s.TaskSets[0].Status != "PRIMARY" ||
			s.TaskSets[0].LoadBalancers[0].TargetGroupARN != tg2 || !strings.HasSuffix(s.TaskSets[0].TaskDefinitionARN, "task-definition/app:2") {
			t.Errorf("task sets after the deployment %+v (replacement %s)", s.TaskSets, d.ReplacementTaskSet)
		}
	}
	if f.Verification.Verdict.HTTPStatus() != 200 || !strings.Contains(f.Verification.Summary, "app-tg-2") {
		t.Errorf("verified %s: %s", f.Verification.Verdict, f.Verification.Summary)
	}
}
