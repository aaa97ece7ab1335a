package server_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/scenario"
	"github.com/ecsnet/ecsnet/internal/server"
)

// exampleScenarios lists the scenario files under examples/ (failures,
// seed, ipv6, tgw, classic), leaving out the CloudFormation templates and
// Terraform files that sit beside them.
func exampleScenarios(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, dir := range []string{"failures", "seed", "ipv6", "tgw", "classic"} {
		root := filepath.Join("..", "..", "examples", dir)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !cfn.IsTemplate(data) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 300 {
		t.Fatalf("found %d example scenarios, want the examples folder's 300 and more", len(out))
	}
	return out
}

// taskOutcome is what became of a service's (or a standalone run's) tasks:
// how many run and why the others stopped.
type taskOutcome struct {
	running int
	stopped []string // distinct "stopCode: stoppedReason", sorted
}

// outcomes sums up the tasks of a state by group (service:NAME,
// family:NAME).
func outcomes(st *model.State) map[string]taskOutcome {
	reasons := map[string]map[string]bool{}
	out := map[string]taskOutcome{}
	for _, tk := range st.Tasks {
		o := out[tk.Group]
		switch {
		case tk.LastStatus == model.TaskRunning:
			o.running++
		case tk.LastStatus == model.TaskStopped:
			if reasons[tk.Group] == nil {
				reasons[tk.Group] = map[string]bool{}
			}
			reasons[tk.Group][tk.StopCode+": "+tk.StoppedReason] = true
		}
		out[tk.Group] = o
	}
	for g, rs := range reasons {
		o := out[g]
		for r := range rs {
			o.stopped = append(o.stopped, r)
		}
		sort.Strings(o.stopped)
		out[g] = o
	}
	return out
}

// settledOutcomes polls an engine until its tasks' outcomes are ones
// agree accepts and stay the same for 40 polls (its step loop runs every
// 10 ms), or patience passes. Outcomes that merely stay the same are not
// enough: on a loaded machine the step loop can stall for longer than the
// 40 polls while a task is still on its way.
func settledOutcomes(e *engine.Engine, agree func(map[string]taskOutcome) bool) map[string]taskOutcome {
	var last string
	var cur map[string]taskOutcome
	stable := 0
	for deadline := time.Now().Add(patience); stable < 40 && time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
		e.Read(func(st *model.State) { cur = outcomes(st) })
		if s := fmt.Sprint(sortedOutcomes(cur)); s == last && agree(cur) {
			stable++
		} else {
			last, stable = s, 0
		}
	}
	return cur
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

func sortedOutcomes(m map[string]taskOutcome) []string {
	var out []string
	for g, o := range m {
		out = append(out, fmt.Sprintf("%s running=%d stopped=%q", g, o.running, o.stopped))
	}
	sort.Strings(out)
	return out
}

// TestPreloadAgreesWithAnalyzer preloads every example scenario into an
// emulator as ecsnet serve --scenario does, lets its step loop settle the
// tasks, and compares them with the analyzer's build of the same file
// (ecsnet check's: the start, register and signal checks of reach): every
// service runs as many tasks, and every task that stops stops for the same
// reason. A story whose failure is a task that cannot start fails the same
// way in both.
func TestPreloadAgreesWithAnalyzer(t *testing.T) {
	files := exampleScenarios(t)
	// Each file mostly waits for its step loop to settle (a second at
	// least), so the files are compared by a pool of their own, wider than
	// go test's -parallel (GOMAXPROCS), and reported one subtest each.
	results := make([]preloadResult, len(files))
	next := make(chan int)
	done := make(chan struct{})
	const workers = 12
	for range workers {
		go func() {
			for i := range next {
				results[i] = comparePreload(files[i])
			}
			done <- struct{}{}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	for range workers {
		<-done
	}
	for i, path := range files {
		t.Run(strings.TrimPrefix(path, "../../examples/"), func(t *testing.T) {
			r := results[i]
			if r.skip != "" {
				t.Skip(r.skip)
			}
			if r.err != "" {
				t.Fatal(r.err)
			}
			for _, d := range r.diffs {
				t.Errorf("DISAGREE %s", d)
			}
		})
	}
}

// preloadResult is one scenario's comparison: skip (not a scenario), err
// (the comparison could not be made), else its disagreements.
type preloadResult struct {
	skip, err string
	diffs     []string
}

// comparePreload builds the scenario at path as ecsnet check does and
// preloads it as ecsnet serve --scenario does, and lists where the two
// disagree.
func comparePreload(path string) preloadResult {
	sc, err := scenario.Load(path)
	if err != nil {
		return preloadResult{skip: fmt.Sprintf("not a scenario: %v", err)}
	}
	analyzed, aerr := sc.Build(engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck), engine.WithSignalCheck(reach.SignalCheck))
	// The step loop starts once the build's outcome is read: stopped
	// tasks of the build (at the scenario's clock) are older than the
	// emulator keeps them.
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		StepInterval: 10 * time.Millisecond, Models: testModels})
	if err != nil {
		return preloadResult{err: err.Error()}
	}
	defer srv.Close()
	perr := srv.LoadScenario(sc)
	if (aerr == nil) != (perr == nil) {
		return preloadResult{err: fmt.Sprintf("analyzer build: %v; preload: %v", aerr, perr)}
	}
	if aerr != nil {
		return preloadResult{}
	}
	var want map[string]taskOutcome
	analyzed.Engine.Read(func(st *model.State) { want = outcomes(st) })
	region := sc.Region
	if region == "" {
		region = "us-east-1"
	}
	e, err := srv.Engine(region)
	if err != nil {
		return preloadResult{err: err.Error()}
	}
	var built map[string]taskOutcome
	e.Read(func(st *model.State) { built = outcomes(st) })
	diffsOf := func(cur map[string]taskOutcome) []string {
		got := map[string]taskOutcome{}
		for g, o := range cur {
			got[g] = o
		}
		for g, b := range built {
			o := got[g]
			o.stopped = union(o.stopped, b.stopped)
			got[g] = o
		}
		var diffs []string
		for g, w := range want {
			o := got[g]
			// A service's stopped tasks are replaced: the emulator, which
			// runs on, may hold more of them than the analyzer's one pass,
			// but for the same reasons.
			if o.running != w.running || strings.Join(o.stopped, "\n") != strings.Join(w.stopped, "\n") {
				diffs = append(diffs, fmt.Sprintf("%s: analyzer running=%d stopped=%q; emulator running=%d stopped=%q", g, w.running, w.stopped, o.running, o.stopped))
			}
		}
		for g, o := range got {
			if _, ok := want[g]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s: only in the emulator: running=%d stopped=%q", g, o.running, o.stopped))
			}
		}
		sort.Strings(diffs)
		return diffs
	}
	go srv.StepLoop()
	got := settledOutcomes(e, func(cur map[string]taskOutcome) bool { return len(diffsOf(cur)) == 0 })
	return preloadResult{diffs: diffsOf(got)}
}

// TestPreloadedSecretsExist: the example of the report, through the SDK: a
// scenario naming a Secrets Manager secret it does not create runs its
// service in the emulator as the analyzer says it does.
func TestPreloadedSecretsExist(t *testing.T) {
	sc, err := scenario.Load(filepath.Join("..", "..", "examples", "failures", "ec2-awsvpc-private-task-no-nat.yaml"))
	must(t, err)
	em := newEmulator(t, nil)
	must(t, em.srv.LoadScenario(sc))
	ctx := context.Background()
	c := sdkClients(em.URL)
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		out, err := c.ecs.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"api"}})
		must(t, err)
		if len(out.Services) == 1 && out.Services[0].RunningCount == 1 {
			break
		}
		if time.Now().After(deadline) {
			stopped, err := c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("demo"), DesiredStatus: "STOPPED"})
			must(t, err)
			var why []string
			for _, arn := range stopped.TaskArns {
				d, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{arn}})
				must(t, err)
				for _, tk := range d.Tasks {
					why = append(why, aws.ToString(tk.StoppedReason))
				}
			}
			t.Fatalf("service api does not run its task after a minute; stopped: %q", why)
		}
	}
}
