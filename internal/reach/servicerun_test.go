package reach

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	externalStory = "examples/failures/external-task-set-sg-wrong-port.yaml"
	taskSG        = "  task-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, group: alb-sg}]}\n"
	taskSG8080    = "  task-sg: {vpc: main, ingress: [{protocol: tcp, ports: 8080, group: alb-sg}]}\n"
)

// externalService returns the story's web service (EXTERNAL, its first
// task set PRIMARY) as the engine holds it.
func externalService(t *testing.T, e *engine.Engine) *model.Service {
	t.Helper()
	st, _ := e.Snapshot()
	for _, s := range st.Services {
		if s.Name == "web" {
			if s.DeploymentController != "EXTERNAL" || len(s.TaskSets) == 0 {
				t.Fatalf("web: controller %q, task sets %+v", s.DeploymentController, s.TaskSets)
			}
			return s
		}
	}
	t.Fatal("no service web")
	return nil
}

// addTaskSet creates an ACTIVE task set of the web service from its
// primary one, with network changed by edit, at scale 100, and runs the
// engine until its tasks run.
func addTaskSet(t *testing.T, e *engine.Engine, edit func(*model.AwsVpcConfiguration)) *model.TaskSet {
	t.Helper()
	svc := externalService(t, e)
	primary := svc.TaskSets[0]
	netw := *primary.Network
	netw.Subnets, netw.SecurityGroups = slices.Clone(netw.Subnets), slices.Clone(netw.SecurityGroups)
	edit(&netw)
	full := 100.0
	_, ts, err := e.CreateTaskSet(engine.CreateTaskSetInput{Cluster: "demo", Service: "web", TaskDefinition: primary.TaskDefinitionARN,
		LaunchType: primary.LaunchType, Network: &netw, LoadBalancers: primary.LoadBalancers, Scale: &full})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	return ts
}

// The lint reads an EXTERNAL service's task sets: each task set's own
// load balancers and network configuration, for that task set's tasks,
// and says which task set.
func TestLintTaskSetLoadBalancers(t *testing.T) {
	t.Run("the primary task set's group", func(t *testing.T) {
		e := storyEngine(t, externalStory)
		primary := externalService(t, e).TaskSets[0]
		fs := findingsOf(compileEngine(e), CodeTaskSGBlocksLB)
		if len(fs) != 2 {
			t.Fatalf("%d findings, want one per task: %+v", len(fs), fs)
		}
		for _, f := range fs {
			if !strings.Contains(f.Message, "of the task set "+primary.ID+" (PRIMARY)") || !strings.Contains(f.Message, "tcp/8080") {
				t.Errorf("%s", f.Message)
			}
		}
	})
	t.Run("the group admits the container port", func(t *testing.T) {
		e := storyEngine(t, externalStory, taskSG, taskSG8080+"  green-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80, group: alb-sg}]}\n")
		if fs := findingsOf(compileEngine(e), CodeTaskSGBlocksLB); len(fs) != 0 {
			t.Fatalf("%+v", fs)
		}
		// An ACTIVE task set (a canary, a green deployment) in another
		// group, which admits only the listener port: its tasks, and
		// only they, are found, named with their task set.
		green := groupID(t, e, "green-sg")
		ts := addTaskSet(t, e, func(n *model.AwsVpcConfiguration) { n.SecurityGroups = []model.SecurityGroupID{green} })
		fs := findingsOf(compileEngine(e), CodeTaskSGBlocksLB)
		if len(fs) != 2 {
			t.Fatalf("%d findings, want one per task of the new task set: %+v", len(fs), fs)
		}
		for _, f := range fs {
			if f.Resource.Name != "green-sg" || !strings.Contains(f.Message, "of the task set "+ts.ID+" (ACTIVE)") {
				t.Errorf("%s: %s", f.Resource.Name, f.Message)
			}
		}
	})
}

// A task set's start path is its own: a task set without a public IP in
// the public subnets cannot pull, the primary one can; the finding names
// the task set.
func TestLintTaskSetStartFailure(t *testing.T) {
	e := storyEngine(t, externalStory, taskSG, taskSG8080)
	n := compileEngine(e)
	if fs := ServiceStartFailures(n, n.st.Services[externalService(t, e).ARN]); len(fs) != 0 {
		t.Fatalf("the primary task set fails to start: %+v", fs)
	}
	ts := addTaskSet(t, e, func(n *model.AwsVpcConfiguration) { n.AssignPublicIP = false })
	n = compileEngine(e)
	fs := ServiceStartFailures(n, n.st.Services[externalService(t, e).ARN])
	if len(fs) == 0 {
		t.Fatal("the task set without a public IP starts")
	}
	for _, f := range fs {
		if f.TaskSet != ts.ID || f.TaskSetStatus != "ACTIVE" {
			t.Errorf("failure of task set %q (%s), want %s: %+v", f.TaskSet, f.TaskSetStatus, ts.ID, f)
		}
	}
	found := false
	for _, f := range Lint(n) {
		if f.Code == fs[0].Code {
			found = true
			if !strings.Contains(f.Message, "tasks of the service web (task set "+ts.ID+", ACTIVE)") {
				t.Errorf("%s", f.Message)
			}
		}
	}
	if !found {
		t.Errorf("no %s finding", fs[0].Code)
	}
}

// A probe to "web" (the service) starts at a task of its primary task
// set, the one the production listener serves.
func TestServiceEndpointPrimaryTaskSet(t *testing.T) {
	e := storyEngine(t, externalStory, taskSG, taskSG8080)
	old := externalService(t, e).TaskSets[0]
	ts := addTaskSet(t, e, func(*model.AwsVpcConfiguration) {})
	for _, c := range []struct {
		primary string
		promote bool
	}{{old.ID, false}, {ts.ID, true}} {
		if c.promote {
			if _, _, err := e.UpdateServicePrimaryTaskSet("demo", "web", ts.ID); err != nil {
				t.Fatal(err)
			}
		}
		n := compileEngine(e)
		q, err := NewQuery(n, "web", "internet:443", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if q.From.task == nil || q.From.task.tk.StartedBy != c.primary {
			t.Errorf("promoted %v: the probe starts at %+v, want a task of %s", c.promote, q.From.task, c.primary)
		}
	}
}

// replaceHint says what AWS lets change: a CODE_DEPLOY service's task set
// through a new CodeDeploy deployment, an EXTERNAL one's through a new
// task set, a service's own configuration through UpdateService (no hint).
func TestServiceRunReplaceHint(t *testing.T) {
	set := model.TaskSet{ID: "ecs-svc/1", Status: "PRIMARY"}
	for _, c := range []struct {
		controller string
		sets       []model.TaskSet
		want       string
	}{
		{"", nil, ""},
		{"EXTERNAL", nil, ""}, // no task set known: the service's own
		{"EXTERNAL", []model.TaskSet{set}, "aws ecs create-task-set"},
		{"CODE_DEPLOY", []model.TaskSet{set}, "aws deploy create-deployment"},
		{"CODE_DEPLOY", []model.TaskSet{{ID: "ecs-svc/2", Status: "DRAINING"}}, ""},
	} {
		s := &model.Service{Name: "web", DeploymentController: c.controller, TaskSets: c.sets}
		runs := serviceRuns(s)
		if len(runs) != 1 {
			t.Fatalf("%s: %d runs", c.controller, len(runs))
		}
		h := runs[0].replaceHint()
		if c.want == "" && h != "" || c.want != "" && !strings.Contains(h, c.want) {
			t.Errorf("%s %v: %q, want %q", c.controller, c.sets, h, c.want)
		}
	}
}
