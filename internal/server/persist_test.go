package server_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// buildBinary builds cmd/ecsnet once per test binary.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := tempDirForBuild()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "ecsnet")
	out, err := exec.Command("go", "build", "-o", bin, "../../cmd/ecsnet").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// process is a running `ecsnet serve`.
type process struct {
	cmd  *exec.Cmd
	URL  string
	logs *strings.Builder
	mu   *sync.Mutex
}

var listeningRE = regexp.MustCompile(`addr=(http://[0-9.:]+)`)

// startServe runs `ecsnet serve` with args on a free port and waits until
// it listens.
func startServe(t *testing.T, args ...string) *process {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--step-interval", "10ms"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, logs: &strings.Builder{}, mu: &sync.Mutex{}}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.logs.WriteString(line + "\n")
			p.mu.Unlock()
			if m := listeningRE.FindStringSubmatch(line); m != nil && strings.Contains(line, "listening") {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	select {
	case p.URL = <-found:
	case <-time.After(patience):
		t.Fatalf("ecsnet serve did not start:\n%s", p.logs.String())
	}
	return p
}

// kill9 sends SIGKILL and waits for the process to die.
func (p *process) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
}

// TestKill9Persistence writes through the SDK, kills the server with
// SIGKILL right after the last acknowledged write, restarts it on the same
// state file and reads every write back.
func TestKill9Persistence(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	p := startServe(t, "--state", state)
	c := sdkClients(p.URL)

	// Sequential and concurrent writes, each acknowledged before the kill.
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("persisted")}}}}})
	must(t, err)
	vpcID := aws.ToString(vpc.Vpc.VpcId)
	var mu sync.Mutex
	var subnets []string
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpcID, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i))})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
			mu.Unlock()
		}()
	}
	wg.Wait()
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("durable")})
	must(t, err)
	td, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int32(256),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80)}}, StartTimeout: aws.Int32(30)}}})
	must(t, err)
	// The last write, then kill -9 at once.
	last, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("last"), Description: aws.String("last write"), VpcId: &vpcID})
	must(t, err)
	p.kill9(t)

	q := startServe(t, "--state", state)
	c = sdkClients(q.URL)
	v, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
	must(t, err)
	if len(v.Vpcs) != 1 || len(v.Vpcs[0].Tags) != 1 || aws.ToString(v.Vpcs[0].Tags[0].Value) != "persisted" {
		t.Errorf("VPC after restart: %+v", v.Vpcs)
	}
	s, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpcID}}}})
	must(t, err)
	var got []string
	for _, x := range s.Subnets {
		got = append(got, aws.ToString(x.SubnetId))
	}
	slices.Sort(got)
	slices.Sort(subnets)
	if !slices.Equal(got, subnets) {
		t.Errorf("subnets after restart %v, want %v", got, subnets)
	}
	g, err := c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(last.GroupId)}})
	must(t, err)
	if len(g.SecurityGroups) != 1 || aws.ToString(g.SecurityGroups[0].Description) != "last write" {
		t.Errorf("the last acknowledged write was lost: %+v", g.SecurityGroups)
	}
	cl, err := c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"durable"}})
	must(t, err)
	if len(cl.Clusters) != 1 {
		t.Errorf("cluster after restart: %+v, failures %+v", cl.Clusters, cl.Failures)
	}
	d, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: td.TaskDefinition.TaskDefinitionArn})
	must(t, err)
	cd := d.TaskDefinition.ContainerDefinitions[0]
	if aws.ToInt32(cd.StartTimeout) != 30 || aws.ToInt32(cd.PortMappings[0].HostPort) != 80 {
		t.Errorf("task definition after restart: startTimeout %d, hostPort %d", aws.ToInt32(cd.StartTimeout), aws.ToInt32(cd.PortMappings[0].HostPort))
	}

	// POST /moto-api/reset returns to a new account's state (a new default
	// VPC and nothing else), durably.
	resp, err := http.Post(q.URL+"/moto-api/reset", "application/json", nil)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("reset: HTTP %d", resp.StatusCode)
	}
	v, err = c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	must(t, err)
	if len(v.Vpcs) != 1 || !aws.ToBool(v.Vpcs[0].IsDefault) {
		t.Fatalf("after reset: %d VPCs", len(v.Vpcs))
	}
	fresh := aws.ToString(v.Vpcs[0].VpcId)
	q.kill9(t)
	r := startServe(t, "--state", state)
	v, err = sdkClients(r.URL).ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	must(t, err)
	if len(v.Vpcs) != 1 || aws.ToString(v.Vpcs[0].VpcId) != fresh {
		t.Errorf("after reset and restart: %d VPCs, want only the default VPC %s", len(v.Vpcs), fresh)
	}
}
