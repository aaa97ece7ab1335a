package server_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The article's scenario through real clients: the aws CLI and boto3,
// each a script under scripts/ run against an in-process server. They need
// the aws CLI and python3 with boto3, which the development machine and CI
// have; a machine without them fails these tests rather than skipping them
// (set ECSNET_NO_CLIENT_TESTS=1 to skip them deliberately).

func requireTool(t *testing.T, name string, args ...string) {
	t.Helper()
	if os.Getenv("ECSNET_NO_CLIENT_TESTS") == "1" {
		t.Skip("ECSNET_NO_CLIENT_TESTS=1")
	}
	check, _ := toolChecks.LoadOrStore(strings.Join(append([]string{name}, args...), "\x00"), sync.OnceValue(func() error {
		return exec.Command(name, args...).Run()
	}))
	if err := check.(func() error)(); err != nil {
		t.Fatalf("%s is needed for this test (%v); install it, or set ECSNET_NO_CLIENT_TESTS=1 to skip", name, err)
	}
}

// toolChecks runs each of requireTool's commands once for the package's
// tests (an aws CLI or python start is most of a second of CPU), by the
// command line.
var toolChecks sync.Map // string -> func() error

func runScript(t *testing.T, url string, name string, args ...string) {
	t.Helper()
	// No clock of its own: a loaded machine (or -race) may take minutes. The
	// script stops shortly before the test binary's -timeout, so its
	// output is still reported.
	ctx, cancel := context.WithCancel(context.Background())
	if d, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(context.Background(), d.Add(-30*time.Second))
	}
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "ECSNET_ENDPOINT="+url, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	t.Logf("%s\n%s", filepath.Base(args[len(args)-1]), out)
	if err != nil {
		t.Fatalf("%s failed: %v", args[len(args)-1], err)
	}
}

func TestArticleAWSCLI(t *testing.T) {
	requireTool(t, "aws", "--version")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "bash", filepath.Join("..", "..", "scripts", "article-awscli.sh"))
}

func TestArticleBoto3(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("..", "..", "scripts", "article_boto3.py"))
}

// The article's system deployed with `aws cloudformation deploy`, then the
// timeout from the Network Insights API (scripts/cfn-deploy-article.sh).
func TestCloudFormationDeployArticle(t *testing.T) {
	requireTool(t, "aws", "--version")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "bash", filepath.Join("..", "..", "scripts", "cfn-deploy-article.sh"))
}

// CloudFormation through boto3: rollbacks, change sets, updates, exports
// (scripts/cfn_boto3.py).
func TestCloudFormationBoto3(t *testing.T) {
	requireTool(t, "python3", "-c", "import boto3")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("..", "..", "scripts", "cfn_boto3.py"))
}

// CloudFormation's stack lifecycle as AWS answers it, through boto3: the
// shapes LocalStack's AWS-validated snapshots record
// (scripts/cfn_lifecycle_boto3.py).
func TestCloudFormationLifecycleBoto3(t *testing.T) {
	t.Parallel() // a script of its own server
	requireTool(t, "python3", "-c", "import boto3")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("..", "..", "scripts", "cfn_lifecycle_boto3.py"))
}

// AWS Cloud Map through boto3 and the aws CLI (scripts/cloudmap_boto3.py,
// scripts/cloudmap-awscli.sh), DiscoverInstances on the one port.
func TestCloudMapBoto3(t *testing.T) {
	t.Parallel() // a script of its own server: it overlaps with the others
	requireTool(t, "python3", "-c", "import boto3")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("..", "..", "scripts", "cloudmap_boto3.py"))
}

func TestCloudMapAWSCLI(t *testing.T) {
	t.Parallel() // a script of its own server: it overlaps with the others
	requireTool(t, "aws", "--version")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "bash", filepath.Join("..", "..", "scripts", "cloudmap-awscli.sh"))
}

// The EC2 operations of issue 10 through the aws CLI
// (scripts/ec2-ops-awscli.sh), in a region with the default VPC.
func TestEC2OpsAWSCLI(t *testing.T) {
	t.Parallel() // a script of its own server: it overlaps with the others
	requireTool(t, "aws", "--version")
	em := newAccount(t, nil)
	runScript(t, em.URL, "bash", filepath.Join("..", "..", "scripts", "ec2-ops-awscli.sh"))
}

// TestELBHealthBoto3 runs scripts/elb_health_boto3.py: a Classic Load
// Balancer's new instance is OutOfService while its registration and first
// health checks go on, then InService (on a clock slowed ten times).
func TestELBHealthBoto3(t *testing.T) {
	t.Parallel()
	requireTool(t, "python3", "-c", "import boto3")
	em := newEmulator(t, nil, slowClock())
	runScript(t, em.URL, "python3", filepath.Join("..", "..", "scripts", "elb_health_boto3.py"))
}

// botocore's waiters (the aws CLI's `aws X wait`, boto3's get_waiter) run
// to success on resources made through the API, stop at once on their
// failure states, and meet the error codes their acceptors name
// (scripts/waiters_boto3.py lists the waiters it covers).
func TestWaitersBoto3(t *testing.T) {
	t.Parallel() // a script of its own server: it overlaps with the others
	requireTool(t, "python3", "-c", "import boto3")
	em := newEmulator(t, nil)
	runScript(t, em.URL, "python3", filepath.Join("..", "..", "scripts", "waiters_boto3.py"))
}
