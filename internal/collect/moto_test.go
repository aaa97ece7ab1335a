package collect_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/sdkhttp"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// startMoto starts moto_server on a free port and stops it when the test
// ends. moto is on the machines ecsnet is developed and tested on; without
// it the test is skipped locally and fails under CI.
func startMoto(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("moto_server is not installed")
		}
		t.Skip("moto_server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	log, err := os.Create(filepath.Join(t.TempDir(), "moto.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
	})
	endpoint := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return endpoint
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(log.Name())
			t.Fatalf("moto_server did not start: %v\n%s", err, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// staticCreds are the credentials tests give the SDK: emulators accept any.
func staticCreds() config.LoadOptionsFunc {
	return config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""))
}

func sdkConfig(t *testing.T, endpoint string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"), staticCreds())
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseEndpoint = aws.String(endpoint)
	cfg.HTTPClient = sdkhttp.Wrap(cfg.HTTPClient)
	return cfg
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// buildOnMoto builds an ECS-on-EC2 awsvpc task behind an ALB on moto.
func buildOnMoto(t *testing.T, cfg aws.Config) {
	ctx := context.Background()
	e, c, lb := ec2.NewFromConfig(cfg), ecs.NewFromConfig(cfg), elbv2.NewFromConfig(cfg)
	vpc := must[*ec2.CreateVpcOutput](t)(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})).Vpc.VpcId
	// moto answers an awsvpc RunTask with HTTP 500 unless DNS hostnames
	// are on (peers.md).
	must[*ec2.ModifyVpcAttributeOutput](t)(e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	subA := must[*ec2.CreateSubnetOutput](t)(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})).Subnet.SubnetId
	subB := must[*ec2.CreateSubnetOutput](t)(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String("us-east-1b")})).Subnet.SubnetId
	igw := must[*ec2.CreateInternetGatewayOutput](t)(e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})).InternetGateway.InternetGatewayId
	must[*ec2.AttachInternetGatewayOutput](t)(e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw, VpcId: vpc}))
	sg := must[*ec2.CreateSecurityGroupOutput](t)(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("task-sg"), Description: aws.String("task"), VpcId: vpc})).GroupId
	must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(3000), ToPort: aws.Int32(3000), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}))
	inst := must[*ec2.RunInstancesOutput](t)(e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12c6146b"), InstanceType: ec2types.InstanceTypeM5Large,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: subA, SecurityGroupIds: []string{*sg}})).Instances[0].InstanceId

	must[*ecs.CreateClusterOutput](t)(c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")}))
	doc, _ := json.Marshal(map[string]string{"instanceId": *inst, "region": "us-east-1", "availabilityZone": "us-east-1a", "instanceType": "m5.large"})
	must[*ecs.RegisterContainerInstanceOutput](t)(c.RegisterContainerInstance(ctx, &ecs.RegisterContainerInstanceInput{Cluster: aws.String("demo"), InstanceIdentityDocument: aws.String(string(doc))}))
	must[*ecs.RegisterTaskDefinitionOutput](t)(c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("node:20"), Memory: aws.Int32(512),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(3000)}}}}}))
	// moto's RunTask answer has numbers where ECS's model says strings:
	// the task runs, but the SDK cannot decode the answer.
	var de *smithy.DeserializationError
	if _, err := c.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), LaunchType: ecstypes.LaunchTypeEc2,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{*subA}, SecurityGroups: []string{*sg}}}}); err != nil && !errors.As(err, &de) {
		t.Fatal(err)
	}

	alb := must[*elbv2.CreateLoadBalancerOutput](t)(lb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web-alb"), Subnets: []string{*subA, *subB}, SecurityGroups: []string{*sg}})).LoadBalancers[0].LoadBalancerArn
	tg := must[*elbv2.CreateTargetGroupOutput](t)(lb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(3000), VpcId: vpc, TargetType: elbtypes.TargetTypeEnumIp})).TargetGroups[0].TargetGroupArn
	must[*elbv2.CreateListenerOutput](t)(lb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: alb, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg}}}))
	must[*elbv2.RegisterTargetsOutput](t)(lb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg, Targets: []elbtypes.TargetDescription{{Id: aws.String("10.0.1.200"), Port: aws.Int32(3000)}}}))

	// An egress-only internet gateway, and a Cloud Map private DNS
	// namespace with one service and one instance (moto's ECS does not
	// register tasks with Cloud Map: the instance is registered by hand).
	must[*ec2.CreateEgressOnlyInternetGatewayOutput](t)(e.CreateEgressOnlyInternetGateway(ctx, &ec2.CreateEgressOnlyInternetGatewayInput{VpcId: vpc}))
	sdc := sd.NewFromConfig(cfg)
	must[*sd.CreatePrivateDnsNamespaceOutput](t)(sdc.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("internal"), Vpc: vpc}))
	nss := must[*sd.ListNamespacesOutput](t)(sdc.ListNamespaces(ctx, &sd.ListNamespacesInput{}))
	if len(nss.Namespaces) != 1 {
		t.Fatalf("moto lists %d namespaces", len(nss.Namespaces))
	}
	srv := must[*sd.CreateServiceOutput](t)(sdc.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("api"), NamespaceId: nss.Namespaces[0].Id,
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}}})).Service
	must[*sd.RegisterInstanceOutput](t)(sdc.RegisterInstance(ctx, &sd.RegisterInstanceInput{ServiceId: srv.Id, InstanceId: aws.String("api-1"),
		Attributes: map[string]string{"AWS_INSTANCE_IPV4": "10.0.1.201"}}))
}

// Collecting from moto succeeds, and moto's departures from AWS become
// warnings: task ENI addresses outside their subnet, task ENIs not attached
// to their instance, ECS numbers where AWS sends strings.
func TestCollectFromMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := sdkConfig(t, endpoint)
	buildOnMoto(t, cfg)

	out := t.TempDir()
	var events []collect.Event
	m, err := collect.Run(context.Background(), collect.Options{Regions: []string{"us-east-1"}, EndpointURL: endpoint, Out: out,
		LoadOptions: []func(*config.LoadOptions) error{staticCreds()}, Progress: func(e collect.Event) { events = append(events, e) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Calls {
		if c.Error != "" && !motoLacks(c.Call) {
			t.Errorf("%s failed: %s", c.Call, c.Error)
		}
	}
	// The snapshot's calls, Route 53's five (list-hosted-zones,
	// get-hosted-zone, list-resource-record-sets, list-health-checks and
	// the checks' tags), ecs list-account-settings, the tags of rules,
	// daemons and certificates (three list-tags calls), ECR's four,
	// CodeDeploy's two, the instance roles' account settings, the task
	// sets with their tags and Network Firewall's three; and the
	// progress's total says as many.
	wantCalls := len(snapshot.Calls()) + 20
	if last := events[len(events)-1]; len(m.Calls) != wantCalls || last.Finished != wantCalls || last.Total != wantCalls {
		t.Errorf("%d calls recorded, last event %+v; want %d", len(m.Calls), events[len(events)-1], wantCalls)
	}
	res, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	if len(st.Tasks) != 1 || len(st.LoadBalancers) != 1 || len(st.Listeners) != 1 || len(st.ContainerInstances) != 1 {
		t.Errorf("loaded %s", counts(st.Tasks, st.LoadBalancers, st.Listeners, st.ContainerInstances))
	}
	if len(st.EgressOnlyIGWs) != 1 || len(st.Namespaces) != 1 || len(st.DiscoveryServices) != 1 || len(st.DiscoveryInstances) != 1 {
		t.Errorf("loaded %s egress-only gateways/namespaces/Cloud Map services/instances", counts(st.EgressOnlyIGWs, st.Namespaces, st.DiscoveryServices, st.DiscoveryInstances))
	}
	for _, ds := range st.DiscoveryServices {
		if ds.Name != "api" || st.Namespaces[ds.NamespaceID] == nil {
			t.Errorf("Cloud Map service %+v", ds)
		}
	}
	want := map[string]bool{
		"outside its subnet":               false, // moto's task ENI address is a random 10.x.y.z
		"is not attached to that instance": false, // moto never attaches task ENIs
		"has no node ENI in":               false, // moto's ALB has no node ENIs
	}
	for _, w := range res.Warnings {
		t.Log(w)
		for k := range want {
			if strings.Contains(w.Message, k) {
				want[k] = true
			}
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("no warning says %q", k)
		}
	}
	// The analyzer runs on what moto gave.
	n := reach.Compile(st)
	for _, t0 := range st.Tasks {
		q, err := reach.NewQuery(n, "internet", t0.ARN[strings.LastIndexByte(t0.ARN, '/')+1:]+":3000", "tcp")
		if err != nil {
			t.Fatal(err)
		}
		if r := reach.Probe(n, q); r.Verdict == "" {
			t.Errorf("no verdict: %+v", r)
		}
	}

	t.Run("scripts/collect.sh writes the same files and keys", func(t *testing.T) {
		// moto's HTTP 500s on the calls it does not emulate are not
		// retried (botocore's legacy mode tries 5 times).
		dir, b, err := runCollectScript(t, endpoint, "AWS_MAX_ATTEMPTS=1")
		if err != nil {
			// collect.sh exits 1 when a call failed: moto's unemulated
			// calls fail, and only they may.
			for _, line := range strings.Split(string(b), "\n") {
				if rest, ok := strings.CutPrefix(line, "FAILED: us-east-1 "); ok && !motoLacks(rest) {
					t.Fatalf("collect.sh: %v\n%s", err, b)
				}
			}
		}
		a, s := filepath.Join(out, "aws_configs", "us-east-1"), filepath.Join(dir, "aws_configs", "us-east-1")
		if ka, ks := keysOf(t, a), keysOf(t, s); !equalKeys(ka, ks) {
			t.Errorf("ecsnet collect wrote %v\ncollect.sh wrote       %v", ka, ks)
		}
		res2, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		st2, _ := res2.Engine.Snapshot()
		if len(st2.Tasks) != len(st.Tasks) || len(st2.DiscoveryInstances) != len(st.DiscoveryInstances) || len(st2.EgressOnlyIGWs) != len(st.EgressOnlyIGWs) || len(st2.NetworkInterfaces) != len(st.NetworkInterfaces) || len(st2.SecurityGroups) != len(st.SecurityGroups) {
			t.Errorf("the script's snapshot holds %s, the collector's %s", counts(st2.Tasks, st2.NetworkInterfaces, st2.SecurityGroups),
				counts(st.Tasks, st.NetworkInterfaces, st.SecurityGroups))
		}
	})
}

// counts prints the sizes of maps: "1/0/3".
func counts(ms ...any) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprint(reflect.ValueOf(m).Len()))
	}
	return strings.Join(parts, "/")
}

// keysOf returns every file of a region folder with its top-level keys.
func keysOf(t *testing.T, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out[e.Name()] = keys
	}
	return out
}

func equalKeys(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// motoLacks reports whether moto_server does not emulate a call (it
// answers HTTP 500): VPC Block Public Access's describes and
// describe-vpc-endpoint-connections. ecsnet collect
// records the failure, as it would for a role without the permission,
// and the snapshot loads without them (the mode taken as off).
func motoLacks(call string) bool {
	// moto answers ecs DescribeCapacityProviders with an HTTP 500 page;
	// collect.sh names a call with its arguments.
	call, _, _ = strings.Cut(call, " --")
	return call == "ec2 describe-vpc-block-public-access-options" || call == "ec2 describe-vpc-block-public-access-exclusions" ||
		call == "ecs describe-capacity-providers" || call == "ec2 describe-vpc-endpoint-connections" ||
		// ECS Managed Daemons (ListDaemons; the deployments and revisions
		// are skipped after it).
		call == "ecs list-daemons" || call == "ecs describe-daemon" || call == "ecs describe-daemon-deployments" || call == "ecs describe-daemon-revisions" ||
		// The daemons' tags, skipped after describe-daemon.
		call == "ecs list-tags-for-resource" ||
		// moto 5 has no ECR pull through cache rules.
		call == "ecr describe-pull-through-cache-rules"
}

// runCollectScript runs scripts/collect.sh (the aws CLI) for us-east-1
// against endpoint, with test credentials and no AWS configuration of the
// machine's, plus env; it returns the snapshot folder and the script's
// output. Without the aws CLI the test is skipped (failed under CI).
func runCollectScript(t *testing.T, endpoint string, env ...string) (dir string, out []byte, err error) {
	t.Helper()
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the aws CLI is not installed")
		}
		t.Skip("the aws CLI is not installed")
	}
	dir = t.TempDir()
	cmd := exec.Command("bash", "../../scripts/collect.sh", "us-east-1", dir)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_ENDPOINT_URL="+endpoint, "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	cmd.Env = append(cmd.Env, env...)
	out, err = cmd.CombinedOutput()
	return dir, out, err
}
