package collect_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// corpusStack is one stack of a system of the example corpus: its
// template, and its parameters from the outputs of the stacks before it.
type corpusStack struct {
	name, template string
	// neverStable is a stack whose ECS service never reaches a steady
	// state (its targets never become healthy): CloudFormation keeps it
	// CREATE_IN_PROGRESS, and the system is collected so.
	neverStable bool
	params      func(outputs map[string]map[string]string) map[string]string
}

// corpusSystems are the CloudFormation templates of examples/: each
// system is deployed on an emulator of its own, its stacks in order.
// examples/cfn/refused/ is left out (CloudFormation refuses it), and
// vpc.yaml and security-groups.yaml are deployed as nested.yaml's nested
// stacks.
var corpusSystems = []struct {
	name   string
	stacks []corpusStack
}{
	{"alb", []corpusStack{{name: "alb", template: "examples/cfn/alb.yaml"}}},
	{"article", []corpusStack{{name: "article", template: "examples/cfn/article.yaml"}}},
	{"dual-stack", []corpusStack{{name: "dual", template: "examples/cfn/dual-stack.yaml"}}},
	{"fargate", []corpusStack{{name: "fargate", template: "examples/cfn/fargate.json"}}},
	{"nested", []corpusStack{{name: "app", template: "examples/cfn/nested.yaml"}}},
	{"stacks", []corpusStack{
		{name: "network", template: "examples/cfn/stacks/network.yaml"},
		{name: "cluster", template: "examples/cfn/stacks/cluster.yaml"},
		{name: "service", template: "examples/cfn/stacks/service.yaml", neverStable: true},
		{name: "app-on-vpc", template: "examples/cfn/stacks/app-on-vpc.yaml", neverStable: true, params: func(out map[string]map[string]string) map[string]string {
			return map[string]string{"VpcId": out["network"]["VpcId"], "Subnets": out["network"]["PublicSubnets"]}
		}},
	}},
	{"classic", []corpusStack{{name: "clb", template: "examples/classic/clb-bridge.cfn.yaml"}}},
	{"tgw", []corpusStack{{name: "tgw", template: "examples/tgw/transit-gateway.cfn.yaml"}}},
}

// corpusGaps are what snapshots do not yet hold of a corpus system, by
// name: the system is skipped, naming it.
var corpusGaps = map[string]string{}

// Every CloudFormation template of examples/, deployed on ecsnet serve
// through the CloudFormation API and collected with ecsnet collect, gives
// the snapshot the live verdicts: the same lint findings, the same
// exposure, the same target health and the same probes (from the
// internet and from every instance and task to every load balancer
// listener, every public address and every task's port), none of them
// undecided. The emulator's steps are driven by the test, so the live
// state holds still while it is collected.
func TestCollectExampleCorpusFromServe(t *testing.T) {
	if testing.Short() {
		t.Skip("deploys every example template")
	}
	testCredentials(t)
	for _, sys := range corpusSystems {
		t.Run(sys.name, func(t *testing.T) {
			if gap := corpusGaps[sys.name]; gap != "" {
				t.Skip(gap)
			}
			srv, url := startStepped(t)
			cfg := sdkConfig(t, url)
			if sys.name == "nested" {
				uploadNestedTemplates(t, cfg)
			}
			outputs := map[string]map[string]string{}
			for _, st := range sys.stacks {
				outputs[st.name] = deployStepped(t, srv, cfg, st, outputs)
			}
			// Past the stacks' completion: health checks settle (Elastic
			// Load Balancing's time runs on the clock, scaled to steps).
			for range 100 {
				srv.Step()
				time.Sleep(10 * time.Millisecond)
			}
			live, snap, res := collectBoth(t, srv, url, nil)
			compareVerdicts(t, live, snap, res)
		})
	}
}

// startStepped runs ecsnet serve's server in-process without its step

// testCredentials gives the collectors' AWS clients (the Go SDK's and the
// aws CLI's) fixed credentials and no config or profile of the machine's.
func testCredentials(t *testing.T) {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_PROFILE", "")
}

// loop: the test steps it.
func startStepped(t *testing.T) (*server.Server, string) {
	t.Helper()
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(),
		EngineOptions: services.EngineOptions(), StepInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return srv, hs.URL
}

// uploadNestedTemplates puts nested.yaml's nested templates where its
// TemplateURLs name them (as aws cloudformation package would).
func uploadNestedTemplates(t *testing.T, cfg aws.Config) {
	ctx := context.Background()
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	must[*s3.CreateBucketOutput](t)(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("ecsnet-examples")}))
	for _, f := range []string{"vpc.yaml", "security-groups.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../examples/cfn", f))
		if err != nil {
			t.Fatal(err)
		}
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("ecsnet-examples"), Key: aws.String("cfn/" + f),
			Body: strings.NewReader(string(b))}))
	}
}

// deployStepped creates a stack and steps the emulator until it is
// complete; it returns the stack's outputs.
func deployStepped(t *testing.T, srv *server.Server, cfg aws.Config, st corpusStack, outputs map[string]map[string]string) map[string]string {
	t.Helper()
	ctx := context.Background()
	b, err := os.ReadFile(filepath.Join("../..", st.template))
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(b), "TemplateURL: vpc.yaml", "TemplateURL: https://s3.amazonaws.com/ecsnet-examples/cfn/vpc.yaml", 1)
	in := &cloudformation.CreateStackInput{StackName: aws.String(st.name), TemplateBody: aws.String(body),
		Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam, cfntypes.CapabilityCapabilityNamedIam, cfntypes.CapabilityCapabilityAutoExpand}}
	if st.params != nil {
		for k, v := range st.params(outputs) {
			in.Parameters = append(in.Parameters, cfntypes.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)})
		}
	}
	cf := cloudformation.NewFromConfig(cfg)
	must[*cloudformation.CreateStackOutput](t)(cf.CreateStack(ctx, in))
	for i := 0; ; i++ {
		d := must[*cloudformation.DescribeStacksOutput](t)(cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(st.name)}))
		s := d.Stacks[0]
		if status := string(s.StackStatus); !strings.HasSuffix(status, "_IN_PROGRESS") || st.neverStable && i == 300 {
			if status != "CREATE_COMPLETE" && !st.neverStable {
				t.Fatalf("stack %s: %s %s", st.name, status, aws.ToString(s.StackStatusReason))
			}
			out := map[string]string{}
			for _, o := range s.Outputs {
				out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
			}
			return out
		}
		if i == 3000 {
			t.Fatalf("stack %s: still %s", st.name, s.StackStatus)
		}
		srv.Step()
		time.Sleep(10 * time.Millisecond)
	}
}

// compareVerdicts probes the live state and the snapshot alike and
// reports every difference.
func compareVerdicts(t *testing.T, live, snap *model.State, res *snapshot.Result) {
	t.Helper()
	ln, sn := reach.Compile(live), reach.Compile(snap)

	findings := func(n *reach.Network) []string {
		var out []string
		for _, f := range reach.Lint(n) {
			id := ""
			if f.Resource != nil {
				id = f.Resource.Type + " " + f.Resource.ID + f.Resource.ARN
			}
			out = append(out, string(f.Severity)+" "+f.Code+" "+id+": "+f.Message)
		}
		sort.Strings(out)
		return out
	}
	lf, sf := findings(ln), findings(sn)
	for _, f := range lf {
		if !slices.Contains(sf, f) {
			t.Errorf("lint finding live only: %s", f)
		}
	}
	for _, f := range sf {
		if !slices.Contains(lf, f) {
			t.Errorf("lint finding snapshot only: %s", f)
		}
	}

	exposure := func(n *reach.Network) []string {
		rep := reach.Exposure(n)
		var out []string
		for _, list := range [][]reach.ExposureEntry{rep.Entries, rep.Failing} {
			for _, e := range list {
				out = append(out, fmt.Sprintf("%s %s %s %s %d-%d from %s: %s (%s) %s", e.Kind, e.Resource.Label(), e.PublicIP, e.Protocol,
					e.Ports.From, e.Ports.To, e.Source, e.Verdict, e.Cause, causeOf(e.Summary)))
			}
		}
		for _, p := range rep.PrivateLink {
			b, _ := json.Marshal(p)
			out = append(out, string(b))
		}
		sort.Strings(out)
		return out
	}
	le, se := exposure(ln), exposure(sn)
	if !slices.Equal(le, se) {
		t.Errorf("exposure differs:\nlive\n  %s\nsnapshot\n  %s", strings.Join(le, "\n  "), strings.Join(se, "\n  "))
	}

	for arn := range live.TargetGroups {
		lh, sh := reach.TargetHealth(ln, arn), reach.TargetHealth(sn, arn)
		str := func(l []reach.TargetHealthResult) []string {
			var out []string
			for _, h := range l {
				out = append(out, fmt.Sprintf("%s:%d %s %s", h.Target.ID, h.Target.Port, h.State, h.Reason))
			}
			sort.Strings(out)
			return out
		}
		if a, b := str(lh), str(sh); !slices.Equal(a, b) {
			t.Errorf("target group %s health: live %v, snapshot %v", live.TargetGroups[arn].Name, a, b)
		}
	}

	probes := 0
	for _, p := range corpusProbes(live) {
		lq, lerr := reach.NewQuery(ln, p[0], p[1], "tcp")
		sq, serr := reach.NewQuery(sn, p[0], p[1], "tcp")
		if (lerr == nil) != (serr == nil) {
			t.Errorf("%s → %s: live %v, snapshot %v", p[0], p[1], lerr, serr)
			continue
		}
		if lerr != nil {
			continue
		}
		l, s := reach.Probe(ln, lq), reach.Probe(sn, sq)
		probes++
		if l.Verdict != s.Verdict || causeOf(l.Summary) != causeOf(s.Summary) {
			t.Errorf("%s → %s: live %s, snapshot %s\nlive     %s\nsnapshot %s", p[0], p[1], l.Verdict, s.Verdict, l.Summary, s.Summary)
		}
		if u := res.UndecidedBy(s); len(u) != 0 {
			t.Errorf("%s → %s undecided: %v", p[0], p[1], u)
		}
	}
	if probes == 0 {
		t.Error("no probe")
	}
	t.Logf("%d lint findings, %d exposure entries, %d target groups, %d probes", len(lf), len(le), len(live.TargetGroups), probes)
}

// corpusProbes are the probes of a system: from the internet and from
// each instance and task, to each load balancer's listeners, each public
// address on the ports something listens on, and each task's ports.
func corpusProbes(st *model.State) [][2]string {
	ports := map[int]bool{22: true}
	var taskDests []string
	for _, tk := range st.Tasks {
		if tk.LastStatus != "RUNNING" {
			continue
		}
		td := st.TaskDefinitions[tk.TaskDefinitionARN]
		if td == nil {
			continue
		}
		for _, cd := range td.Containers {
			for _, pm := range cd.PortMappings {
				ports[int(pm.ContainerPort)] = true
				if pm.HostPort != 0 {
					ports[int(pm.HostPort)] = true
				}
				taskDests = append(taskDests, tk.ARN+":"+strconv.Itoa(int(pm.ContainerPort)))
			}
		}
	}
	var dests []string
	for _, lb := range sortedKeys(st.LoadBalancers) {
		for _, l := range st.Listeners {
			if l.LoadBalancerARN == lb {
				dests = append(dests, st.LoadBalancers[lb].DNSName+":"+strconv.Itoa(int(l.Port)))
			}
		}
	}
	for _, name := range sortedKeys(st.ClassicLoadBalancers) {
		lb := st.ClassicLoadBalancers[name]
		for _, l := range lb.Listeners {
			dests = append(dests, lb.DNSName+":"+strconv.Itoa(l.LoadBalancerPort))
		}
	}
	var publics []string
	for _, id := range sortedKeys(st.NetworkInterfaces) {
		n := st.NetworkInterfaces[id]
		if ip, ok := n.PublicIP(); ok {
			publics = append(publics, ip.String())
		}
		if n.OwnerKind == model.OwnedByInstance {
			publics = append(publics, n.PrimaryIP().String())
		}
	}
	portList := sortedKeys(ports)
	for _, ip := range publics {
		for _, p := range portList {
			dests = append(dests, ip+":"+strconv.Itoa(p))
		}
	}
	sort.Strings(taskDests)
	dests = append(dests, taskDests...)
	froms := []string{"internet"}
	for _, id := range sortedKeys(st.Instances) {
		if st.Instances[id].State == "running" {
			froms = append(froms, string(id))
		}
	}
	for _, arn := range sortedKeys(st.Tasks) {
		if st.Tasks[arn].LastStatus == "RUNNING" {
			froms = append(froms, arn)
		}
	}
	var out [][2]string
	for _, f := range froms {
		for _, d := range dests {
			out = append(out, [2]string{f, d})
		}
	}
	return out
}

func sortedKeys[K ~string | ~int, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
