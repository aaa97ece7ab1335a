package reach

import (
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// taskNamed returns the task the scenario started under a name.
func taskNamed(t testing.TB, st *model.State, name string) *model.Task {
	t.Helper()
	for _, tk := range st.Tasks {
		if st.TaskName(tk) == name {
			return tk
		}
	}
	t.Fatalf("no task %s", name)
	return nil
}

func TestStartCheckStopsTasksThatCannotPull(t *testing.T) {
	// Built with the check installed, as the CLI builds scenarios.
	st := stateOf(build(t, "testdata/fargate-nopublic.yaml"))
	hub := taskNamed(t, st, "hub")
	if hub.LastStatus != model.TaskStopped || hub.StopCode != "TaskFailedToStart" {
		t.Fatalf("hub = %s %s", hub.LastStatus, hub.StopCode)
	}
	want := `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/httpd:2.4: failed to do request: ` +
		`Head "https://registry-1.docker.io/v2/library/httpd/manifests/2.4": dial tcp 192.0.2.10:443: i/o timeout`
	if hub.StoppedReason != want {
		t.Errorf("stoppedReason =\n%s\nwant\n%s", hub.StoppedReason, want)
	}
	ecr := taskNamed(t, st, "private-ecr")
	want = `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: ` +
		`service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": ` +
		`dial tcp 192.0.2.30:443: i/o timeout. Please check your task network configuration.`
	if ecr.StoppedReason != want {
		t.Errorf("stoppedReason =\n%s\nwant\n%s", ecr.StoppedReason, want)
	}
}

func TestStartCheckDirect(t *testing.T) {
	// Built without the check, so the tasks run; then ask the check.
	st := stateOf(buildWith(t, "testdata/fargate-nopublic.yaml"))
	hub := taskNamed(t, st, "hub")
	if hub.LastStatus != model.TaskRunning {
		t.Fatalf("without the check the task runs, got %s", hub.LastStatus)
	}
	if got := StartCheck(st, hub); !strings.HasPrefix(got, "CannotPullContainerError: pull image manifest has been retried 5 time(s)") {
		t.Errorf("StartCheck = %q", got)
	}
	for _, f := range []string{"article", "alb", "bridge", "fargate"} {
		st := stateOf(build(t, repoFile("examples/seed/"+f+".yaml")))
		for _, tk := range st.Tasks {
			if tk.LastStatus != model.TaskRunning {
				t.Errorf("%s: task %s is %s: %s", f, st.TaskName(tk), tk.LastStatus, tk.StoppedReason)
			}
			if got := StartCheck(st, tk); got != "" {
				t.Errorf("%s: StartCheck(%s) = %q", f, st.TaskName(tk), got)
			}
		}
	}
}

func TestStartCheckPaths(t *testing.T) {
	e := build(t, "testdata/fargate-pull.yaml")
	st := stateOf(e)
	for _, name := range []string{"via-nat/0", "via-endpoints/0"} {
		tk := taskNamed(t, st, name)
		if tk.LastStatus != model.TaskRunning {
			t.Errorf("%s is %s: %s", name, tk.LastStatus, tk.StoppedReason)
		}
	}
	t.Run("an endpoint group that does not admit the task", func(t *testing.T) {
		e := build(t, "testdata/fargate-pull.yaml")
		g := groupID(t, e, "endpoint-sg")
		if _, err := e.RevokeSecurityGroup(g, false, []engine.IPPermission{{Protocol: "tcp", FromPort: intp(443), ToPort: intp(443),
			Groups: []engine.RuleSource{{Value: string(groupID(t, e, "task-sg"))}}}}, nil); err != nil {
			t.Fatal(err)
		}
		st := stateOf(e)
		got := StartCheck(st, taskNamed(t, st, "via-endpoints/0"))
		if !strings.HasPrefix(got, "ResourceInitializationError: unable to pull secrets or registry auth") || !strings.Contains(got, "dial tcp 10.0.21.") {
			t.Errorf("StartCheck = %q", got)
		}
	})
	t.Run("no S3 gateway endpoint for the layers", func(t *testing.T) {
		e := build(t, "testdata/fargate-pull.yaml")
		var s3 model.VpcEndpointID
		e.Read(func(st *model.State) {
			for _, ep := range st.VpcEndpoints {
				if ep.Type == "Gateway" {
					s3 = ep.ID
				}
			}
		})
		if _, err := e.DeleteVpcEndpoints([]model.VpcEndpointID{s3}); err != nil {
			t.Fatal(err)
		}
		st := stateOf(e)
		got := StartCheck(st, taskNamed(t, st, "via-endpoints/0"))
		if !strings.HasPrefix(got, "CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy") || !strings.Contains(got, "starport-layer-bucket") {
			t.Errorf("StartCheck = %q", got)
		}
	})
	t.Run("a public image needs the internet, not the ECR endpoints", func(t *testing.T) {
		st := stateOf(e)
		tk := *taskNamed(t, st, "via-endpoints/0")
		tk.Containers = []model.Container{{Name: "web", Image: "public.ecr.aws/docker/library/node:20"}}
		got := StartCheck(st, &tk)
		if !strings.Contains(got, `failed to resolve ref public.ecr.aws/docker/library/node:20`) || !strings.Contains(got, `Head "https://public.ecr.aws/v2/docker/library/node/manifests/20"`) {
			t.Errorf("StartCheck = %q", got)
		}
	})
}

func TestParseImage(t *testing.T) {
	cases := []struct{ in, ref, host, kind string }{
		{"httpd:2.4", "docker.io/library/httpd:2.4", "registry-1.docker.io", "docker.io"},
		{"nginx", "docker.io/library/nginx:latest", "registry-1.docker.io", "docker.io"},
		{"bitnami/redis:7", "docker.io/bitnami/redis:7", "registry-1.docker.io", "docker.io"},
		{"public.ecr.aws/docker/library/node:20", "public.ecr.aws/docker/library/node:20", "public.ecr.aws", "public.ecr.aws"},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1", "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1", "123456789012.dkr.ecr.us-east-1.amazonaws.com", "ecr"},
		{"ghcr.io/org/app@sha256:" + strings.Repeat("ab", 32), "ghcr.io/org/app@sha256:" + strings.Repeat("ab", 32), "ghcr.io", "other"},
		{"localhost:5000/app", "localhost:5000/app:latest", "localhost:5000", "other"},
	}
	for _, c := range cases {
		im := parseImage(c.in)
		if im.ref() != c.ref || im.host != c.host || im.kind != c.kind {
			t.Errorf("parseImage(%q) = %+v, want ref %s host %s kind %s", c.in, im, c.ref, c.host, c.kind)
		}
	}
}

// Centralized egress: a pull that crosses a transit gateway into an
// egress VPC goes on by the attachment subnet's route table to the NAT
// gateway and out; the reply comes back by the NAT gateway's subnet's
// route to the transit gateway. The task starts; a pull with no route at
// all still fails.
func TestStartCheckCentralEgress(t *testing.T) {
	e := build(t, "testdata/tgw-central-egress.yaml")
	st := stateOf(e)
	tk := taskNamed(t, st, "behind-tgw")
	if tk.LastStatus != model.TaskRunning {
		t.Errorf("behind-tgw is %s: %s", tk.LastStatus, tk.StoppedReason)
	}
	n := compileEngine(e)
	r := probeSpec(t, n, "behind-tgw", "192.0.2.10:443", "tcp")
	if r.Verdict != Connected {
		t.Errorf("the probe to the registry is %s (%s), want connected through the egress VPC's NAT gateway", r.Verdict, r.Summary)
	}
	iso := taskNamed(t, st, "isolated")
	if iso.LastStatus != model.TaskStopped || !strings.HasPrefix(iso.StoppedReason, "CannotPullContainerError") {
		t.Errorf("isolated is %s: %q, want stopped by CannotPullContainerError", iso.LastStatus, iso.StoppedReason)
	}
}

// A secret of another region, by its full ARN: the agent asks that
// region's service, which the VPC's endpoints do not serve, so the start
// path needs the internet and the failure names the secret's region.
func TestSecretOtherRegion(t *testing.T) {
	n := compileEngine(build(t, repoFile("examples/failures/secret-other-region.yaml")))
	for _, f := range Lint(n) {
		if f.Code != CodeSecretsUnreachable {
			continue
		}
		if !strings.Contains(f.Message, "secretsmanager.us-west-2.amazonaws.com") || !strings.Contains(f.Message, "the secret is in us-west-2") ||
			!strings.Contains(f.Fix, "replicate the secret to us-east-1") {
			t.Errorf("the finding does not name the secret's region: %s / %s", f.Message, f.Fix)
		}
		return
	}
	t.Error("no ECS_SECRETS_UNREACHABLE finding")
}

func TestARNRegion(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf": "us-west-2",
		"arn:aws:ssm:eu-west-1:123456789012:parameter/web/flags":         "eu-west-1",
		"/web/flags":  "",
		"db-password": "",
	} {
		if got := arnRegion(in); got != want {
			t.Errorf("arnRegion(%q) = %q, want %q", in, got, want)
		}
	}
}

// Fargate platform 1.3.0 fetched a task's registry auth (ecr.api) and
// secrets over a platform interface outside the VPC; 1.4.0 fetches them
// over the task ENI. With ecr.dkr, logs and S3 endpoints only, a 1.3.0
// task starts and a 1.4.0 task stops at registry auth, and its failure
// lists ecr.api and secretsmanager as missing.
func TestStartCheckFargatePlatform13(t *testing.T) {
	e := build(t, "testdata/fargate-platform-13.yaml")
	st := stateOf(e)
	legacy := taskNamed(t, st, "legacy/0")
	if legacy.LastStatus != model.TaskRunning {
		t.Errorf("the 1.3.0 task is %s: %s", legacy.LastStatus, legacy.StoppedReason)
	}
	cur := taskNamed(t, st, "current/0")
	if cur.LastStatus != model.TaskStopped || !strings.Contains(cur.StoppedReason, "unable to retrieve ecr registry auth") {
		t.Errorf("the 1.4.0 task is %s: %q, want stopped at registry auth", cur.LastStatus, cur.StoppedReason)
	}
	n := compileEngine(e)
	for _, s := range st.Services {
		fs := ServiceStartFailures(n, s)
		switch s.Name {
		case "legacy":
			if len(fs) != 0 {
				t.Errorf("legacy: %+v", fs)
			}
		case "current":
			if len(fs) != 1 || fs[0].Service != "ecr.api" || !slices.Equal(fs[0].Missing, []string{"ecr.api", "secretsmanager"}) {
				t.Errorf("current: %+v", fs)
			}
		}
	}
}

// Interface endpoints with private DNS in a peered VPC do not serve the
// app VPC's names: the start path still fails, and the failure says where
// the endpoint is and why it does not help.
func TestStartCheckEndpointInOtherVPC(t *testing.T) {
	e := build(t, repoFile("examples/failures/endpoints-in-peered-vpc.yaml"))
	n := compileEngine(e)
	for _, s := range stateOf(e).Services {
		fs := ServiceStartFailures(n, s)
		if len(fs) == 0 || fs[0].Service != "ecr.api" {
			t.Fatalf("%s: %+v", s.Name, fs)
		}
		if !strings.Contains(fs[0].Why, "of the VPC shared has it, but an endpoint's private DNS names resolve only inside its own VPC") {
			t.Errorf("why = %s", fs[0].Why)
		}
	}
}

// Once the state holds ECR repositories, an image in a repository of the
// state's own registry that it does not hold is not found, after the
// registry is reached: containerd's text on Fargate 1.4.0, Docker's on
// 1.3.0 (and EC2). Another account's registry, and a state without
// repositories, say nothing.
func TestStartCheckMissingRepository(t *testing.T) {
	for _, c := range []struct{ file, task, want string }{
		{"testdata/fargate-pull.yaml", "via-endpoints/0", "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " +
			"123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1: not found"},
		{"testdata/fargate-platform-13.yaml", "legacy/0", "CannotPullContainerError: Error response from daemon: repository " +
			"123456789012.dkr.ecr.us-east-1.amazonaws.com/web not found: name unknown: The repository with name 'web' does not exist in the registry with id '123456789012'"},
	} {
		st := stateOf(build(t, c.file))
		tk := taskNamed(t, st, c.task)
		if tk.LastStatus != model.TaskRunning || StartCheck(st, tk) != "" {
			t.Fatalf("%s without repositories: %s %q", c.task, tk.LastStatus, StartCheck(st, tk))
		}
		st.Repositories["other"] = &model.Repository{Name: "other"}
		f := TaskStartFailure(st, tk)
		if f == nil || f.Reason != c.want || f.Code != CodeImageRepositoryNotFound || f.Repository != "web" {
			t.Errorf("%s: %+v", c.task, f)
		}
		st.Repositories["web"] = &model.Repository{Name: "web"}
		if got := StartCheck(st, tk); got != "" {
			t.Errorf("%s with its repository: %q", c.task, got)
		}
		st.Account = "111122223333"
		delete(st.Repositories, "web")
		if got := StartCheck(st, tk); got != "" {
			t.Errorf("%s in another account's registry: %q", c.task, got)
		}
	}
}

// Dual-stack private subnets whose only default route is ::/0 to an
// egress-only internet gateway (aws/containers-roadmap#2792): the start
// path, over IPv4, has no way out, and the failure says why the IPv6 route
// does not count, not only that the route table has no route.
func TestStartFailureIPv6OnlyEgress(t *testing.T) {
	e := build(t, repoFile("examples/failures/fargate-ipv6-egress-only-no-ipv4-pull.yaml"))
	found := false
	for _, f := range Lint(compileEngine(e)) {
		if f.Code != CodeImagePullFailed {
			continue
		}
		found = true
		if !strings.Contains(f.Message, "only default route is ::/0 to the egress-only internet gateway") || !strings.Contains(f.Message, "goes over IPv4") {
			t.Errorf("finding %q does not say the ::/0 route carries IPv6 only", f.Message)
		}
	}
	if !found {
		t.Fatalf("no %s finding", CodeImagePullFailed)
	}
	// A subnet with an IPv4 default route says nothing of it.
	e = build(t, repoFile("examples/failures/no-nat.yaml"))
	for _, f := range Lint(compileEngine(e)) {
		if strings.Contains(f.Message, "carries IPv6 only") {
			t.Errorf("no-nat.yaml: %q", f.Message)
		}
	}
}

// A registry given by address is pulled from at that address and port,
// with no lookup: a task in a private subnet without a NAT gateway pulls
// from a registry in its VPC; a port the registry's security group does
// not open times out there, in containerd's words with the real port.
func TestStartCheckRegistryByAddress(t *testing.T) {
	st := stateOf(build(t, "testdata/ip-registry.yaml"))
	if app := taskNamed(t, st, "app"); app.LastStatus != model.TaskRunning {
		t.Errorf("app = %s: %s", app.LastStatus, app.StoppedReason)
	}
	other := taskNamed(t, st, "app-other-port")
	want := `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 10.0.1.10:5001/app:1: failed to do request: ` +
		`Head "https://10.0.1.10:5001/v2/app/manifests/1": dial tcp 10.0.1.10:5001: i/o timeout`
	if other.LastStatus != model.TaskStopped || other.StoppedReason != want {
		t.Errorf("app-other-port = %s:\n%s\nwant\n%s", other.LastStatus, other.StoppedReason, want)
	}
	if needs, internet := startNeeds(st.Region, []string{"10.0.1.10:5000/app:1"}, nil, false); len(needs) != 0 || internet {
		t.Errorf("startNeeds = %v, internet %v; want nothing", needs, internet)
	}
}
