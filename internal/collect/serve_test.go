package collect_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/cli"
	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// startServe runs ecsnet serve's server in-process, stepping every 10 ms.
func startServe(t *testing.T) (*server.Server, string) {
	t.Helper()
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(),
		EngineOptions: services.EngineOptions(), StepInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return srv, hs.URL
}

// eventually polls cond until it holds, for up to two minutes (generous:
// the CI runs the package beside the kernel tests on a loaded machine).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: timed out", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// buildArticleOnServe builds the article's system through the SDK, as its
// author did: a VPC with a public subnet routed to an internet gateway,
// two security groups, an m5.large with a public IP whose user data joins
// the cluster, an awsvpc task definition listening on 3000 and a service
// on EC2. It returns the instance id once the service's task runs.
func buildArticleOnServe(t *testing.T, cfg aws.Config) string {
	ctx := context.Background()
	e, s := ec2.NewFromConfig(cfg), ecs.NewFromConfig(cfg)
	vpc := must[*ec2.CreateVpcOutput](t)(e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})).Vpc.VpcId
	must[*ec2.ModifyVpcAttributeOutput](t)(e.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	sub := must[*ec2.CreateSubnetOutput](t)(e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})).Subnet.SubnetId
	must[*ec2.ModifySubnetAttributeOutput](t)(e.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: sub, MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}))
	igw := must[*ec2.CreateInternetGatewayOutput](t)(e.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})).InternetGateway.InternetGatewayId
	must[*ec2.AttachInternetGatewayOutput](t)(e.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw, VpcId: vpc}))
	rt := must[*ec2.CreateRouteTableOutput](t)(e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc})).RouteTable.RouteTableId
	must[*ec2.CreateRouteOutput](t)(e.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt, DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: igw}))
	must[*ec2.AssociateRouteTableOutput](t)(e.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: rt, SubnetId: sub}))
	sg := func(name string, port int32) string {
		g := must[*ec2.CreateSecurityGroupOutput](t)(e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: vpc}))
		must[*ec2.AuthorizeSecurityGroupIngressOutput](t)(e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId,
			IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(port), ToPort: aws.Int32(port), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}))
		return aws.ToString(g.GroupId)
	}
	instanceSG, taskSG := sg("instance-sg", 22), sg("task-sg", 3000)

	// The instance profile the agent's credentials come from (the ECS
	// console's ecsInstanceRole): without it the instance never registers.
	im := iam.NewFromConfig(cfg)
	must[*iam.CreateRoleOutput](t)(im.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ecsInstanceRole"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	must[*iam.AttachRolePolicyOutput](t)(im.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ecsInstanceRole"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")}))
	must[*iam.CreateInstanceProfileOutput](t)(im.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ecsInstanceRole")}))
	must[*iam.AddRoleToInstanceProfileOutput](t)(im.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("ecsInstanceRole"),
		RoleName: aws.String("ecsInstanceRole")}))
	must[*ecs.CreateClusterOutput](t)(s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("demo")}))
	userData := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"))
	inst := aws.ToString(must[*ec2.RunInstancesOutput](t)(e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(ecsOptimizedAMI()),
		InstanceType: ec2types.InstanceTypeM5Large, MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub, SecurityGroupIds: []string{instanceSG},
		UserData: &userData, IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Name: aws.String("ecsInstanceRole")}})).Instances[0].InstanceId)
	eventually(t, "the instance registers with the cluster", func() bool {
		out, err := s.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("demo")})
		return err == nil && len(out.ContainerInstanceArns) == 1
	})
	must[*ecs.RegisterTaskDefinitionOutput](t)(s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("web"),
		NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("public.ecr.aws/docker/library/node:20"),
			Memory: aws.Int32(512), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(3000)}}}}}))
	must[*ecs.CreateServiceOutput](t)(s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2,
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{aws.ToString(sub)}, SecurityGroups: []string{taskSG}}}}))
	eventually(t, "the service's task runs", func() bool {
		l, err := s.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("demo")})
		if err != nil || len(l.TaskArns) != 1 {
			return false
		}
		d, err := s.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: l.TaskArns})
		return err == nil && len(d.Tasks) == 1 && aws.ToString(d.Tasks[0].LastStatus) == "RUNNING"
	})
	return inst
}

// sameAsLive ignores what describe-* does not show (user data, engine
// bookkeeping, ECS's request-side task network configuration) and the
// resources no describe-* call of a snapshot lists.
var sameAsLive = cmp.Options{
	cmpopts.EquateEmpty(),
	cmpopts.EquateComparable(netip.Addr{}, netip.Prefix{}),
	cmpopts.IgnoreFields(model.Instance{}, "StateReason", "LaunchTemplate", "Volumes"), // describe-volumes is not collected
	cmpopts.IgnoreFields(model.Task{}, "NextTransition", "Network"),
	cmpopts.IgnoreFields(model.NatGateway{}, "NextTransition"),
	cmpopts.IgnoreFields(model.ContainerDefinition{}, "ListenAddress", "Raw"),
	// RequiresAttributes: the live definition keeps none (ECS derives
	// them at registration, and the API answers them); the snapshot keeps
	// what the API answered, checked against the derivation below.
	cmpopts.IgnoreFields(model.TaskDefinition{}, "Raw", "RequiresAttributes"),
	cmpopts.IgnoreFields(model.Service{}, "Events", "ClientToken"),
	cmpopts.IgnoreFields(model.Cluster{}, "CreatedAt"),
	cmpopts.IgnoreFields(model.SecurityGroupRule{}, "ID"),
	cmp.Transformer("targets", func(l model.TargetList) []model.Target { return l.Slice() }),
	// The API prints the defaults the model leaves empty ("disabled",
	// "NONE"), as AWS does; they mean the same.
	cmpopts.IgnoreFields(model.Cluster{}, "ContainerInsights"),
	cmpopts.IgnoreFields(model.Service{}, "PropagateTags"),
	cmpopts.IgnoreFields(model.State{}, "AccountSettings", "CapacityProviders", "InsightsPaths", "InsightsAnalyses", "DhcpOptions", "Volumes"),
	// IAM is not collected: a snapshot leaves the agents' credentials
	// unknown (IAMDeclared false), and has no association ids.
	cmpopts.IgnoreFields(model.Instance{}, "IAMAssociation", "IAMDeclared"),
	cmpopts.IgnoreFields(model.State{}, "Roles", "ManagedPolicies", "InstanceProfiles"),
	// AWS's wire formats carry milliseconds.
	cmp.Comparer(func(a, b time.Time) bool { return a.Truncate(time.Millisecond).Equal(b.Truncate(time.Millisecond)) }),
}

// The article's system built on ecsnet serve through the SDK, collected
// with the real `ecsnet collect --endpoint-url`, gives the same state and
// the same probe verdicts from the snapshot as from the live engine.
func TestCollectFromServe(t *testing.T) {
	srv, url := startServe(t)
	inst := buildArticleOnServe(t, sdkConfig(t, url))
	// A deleted cluster stays in ListClusters (INACTIVE): collect skips its
	// services, tasks and container instances, which ECS no longer serves.
	s := ecs.NewFromConfig(sdkConfig(t, url))
	must[*ecs.CreateClusterOutput](t)(s.CreateCluster(context.Background(), &ecs.CreateClusterInput{ClusterName: aws.String("gone")}))
	must[*ecs.DeleteClusterOutput](t)(s.DeleteCluster(context.Background(), &ecs.DeleteClusterInput{Cluster: aws.String("gone")}))

	// The command as a user runs it; credentials come from the standard
	// chain (here the environment).
	testCredentials(t)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"collect", "--region", "us-east-1", "--endpoint-url", url, "--out", out}); code != 0 {
		t.Fatalf("ecsnet collect exited %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "86 calls, 0 failed, 0 warnings") || !strings.Contains(stderr.String(), "[86/86]") {
		t.Errorf("ecsnet collect printed\n%s%s", stdout.String(), stderr.String())
	}
	// -q: no line per call (none failed), the summary still.
	stdout.Reset()
	stderr.Reset()
	if code := cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"collect", "-q", "--region", "us-east-1", "--endpoint-url", url, "--out", t.TempDir()}); code != 0 ||
		stderr.Len() != 0 || !strings.Contains(stdout.String(), "86 calls, 0 failed, 0 warnings") {
		t.Errorf("ecsnet collect -q exited %d and printed\n%s%s", code, stdout.String(), stderr.String())
	}

	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	live, _ := e.Snapshot()
	res, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning: %s", w)
	}
	snap, _ := res.Engine.Snapshot()

	if diff := cmp.Diff(live, snap, sameAsLive); diff != "" {
		t.Errorf("the snapshot differs from the live state (-live +snapshot):\n%s", diff)
	}
	for arn, td := range live.TaskDefinitions {
		var got []string
		if s := snap.TaskDefinitions[arn]; s != nil {
			for _, a := range s.RequiresAttributes {
				got = append(got, a.Name)
			}
		}
		if want := model.DerivedRequiresAttributes(td); !slices.Equal(got, want) {
			t.Errorf("task definition %s: the snapshot's requiresAttributes %v, derived %v", arn, got, want)
		}
	}
	// The parts the probes stand on, named.
	if len(snap.NetworkInterfaces) != 2 || len(snap.Tasks) != 1 || len(snap.Addresses) != len(live.Addresses) {
		t.Errorf("snapshot has %d ENIs, %d tasks, %d addresses", len(snap.NetworkInterfaces), len(snap.Tasks), len(snap.Addresses))
	}

	var pub, taskIP netip.Addr
	for _, n := range live.NetworkInterfaces {
		if n.Attachment != nil && n.Attachment.DeviceIndex == 0 {
			pub, _ = n.PublicIP()
		}
		if n.OwnerKind == model.OwnedByECSTask {
			taskIP = n.PrimaryIP()
		}
	}
	for _, p := range []struct {
		from, to string
		want     reach.Verdict
	}{
		{"internet", pub.String() + ":3000", reach.Timeout},    // the article's curl
		{inst, taskIP.String() + ":3000", reach.Connected},     // the task's private IP, from inside the VPC
		{"internet", pub.String() + ":22", reach.Connected},    // sshd on the instance
		{"internet", taskIP.String() + ":3000", reach.NoRoute}, // a private address from the internet
	} {
		l, s := probeState(t, live, p.from, p.to), probeState(t, snap, p.from, p.to)
		if l.Verdict != p.want || s.Verdict != p.want {
			t.Errorf("%s → %s: live %s, snapshot %s, want %s", p.from, p.to, l.Verdict, s.Verdict, p.want)
		}
		if l.Summary != s.Summary {
			t.Errorf("%s → %s summaries differ:\nlive     %s\nsnapshot %s", p.from, p.to, l.Summary, s.Summary)
		}
		if u := res.UndecidedBy(s); len(u) != 0 {
			t.Errorf("%s → %s undecided: %v", p.from, p.to, u)
		}
	}
}

func probeState(t *testing.T, st *model.State, from, to string) *reach.Result {
	t.Helper()
	n := reach.Compile(st)
	q, err := reach.NewQuery(n, from, to, "tcp")
	if err != nil {
		t.Fatalf("%s → %s: %v", from, to, err)
	}
	return reach.Probe(n, q)
}

// What collect writes is what the aws CLI prints for the same call: the
// answers are decoded as botocore decodes them (member names, timestamps,
// numbers), so each file equals `aws <service> <command>`'s output.
func TestCollectMatchesAWSCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the aws CLI is not installed")
		}
		t.Skip("the aws CLI is not installed")
	}
	_, url := startServe(t)
	buildArticleOnServe(t, sdkConfig(t, url))
	env := []string{"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	os.Unsetenv("AWS_PROFILE") // restored by the Setenv above at cleanup
	t.Setenv("AWS_PROFILE", "")
	os.Unsetenv("AWS_PROFILE")
	out := t.TempDir()
	if _, err := collect.Run(context.Background(), collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out}); err != nil {
		t.Fatal(err)
	}
	cliService := map[string]string{"ec2": "ec2", "elbv2": "elbv2", "elb": "elb", "autoscaling": "autoscaling", "ecs": "ecs", "servicediscovery": "servicediscovery", "efs": "efs", "acm": "acm", "events": "events"}
	compared := 0
	for _, c := range snapshot.Calls() {
		// The calls that take no parent's id, run as the CLI runs them.
		if c.File == "" || c.Service == "ecs" || c.Operation == "describe-launch-template-versions" ||
			c.Operation == "describe-listeners" || c.Operation == "describe-rules" || c.Operation == "get-service" || c.Operation == "describe-mount-targets" {
			continue
		}
		args := []string{cliService[c.Service], c.Operation, "--endpoint-url", url, "--region", "us-east-1", "--output", "json"}
		if c.Operation == "list-certificates" {
			// Every key type, as both collectors ask (the default is RSA_1024 and RSA_2048).
			args = append(args, "--includes", "keyTypes="+strings.Join(snapshot.ACMKeyTypes(), ","))
		}
		cmd := exec.Command("aws", args...)
		cmd.Env = append(os.Environ(), env...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		b, err := cmd.Output()
		if err != nil {
			t.Fatalf("aws %s %s: %v\n%s", c.Service, c.Operation, err, stderr.String())
		}
		var want, got any
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		fb, err := os.ReadFile(filepath.Join(out, "aws_configs", "us-east-1", c.File))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(fb, &got); err != nil {
			t.Fatal(err)
		}
		// Timestamps compare as instants: aws CLI v1 prints the wire's
		// text, v2 (and collect) ISO 8601 with the offset.
		instant := cmp.Transformer("instant", func(s string) string {
			if ts, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return ts.UTC().Format(time.RFC3339Nano)
			}
			return s
		})
		if diff := cmp.Diff(want, got, instant); diff != "" {
			t.Errorf("%s %s (-aws CLI +collect):\n%s", c.Service, c.Operation, diff)
		}
		compared++
	}
	if compared < 10 {
		t.Errorf("compared %d calls", compared)
	}
}

// ecsOptimizedAMI is us-east-1's ECS-optimized Amazon Linux 2 x86_64 AMI:
// EC2 refuses to launch an id that names no image.
func ecsOptimizedAMI() string {
	for _, im := range engine.PublicImages("us-east-1") {
		if strings.HasPrefix(im.Name, "amzn2-ami-ecs-hvm-") && im.Architecture == "x86_64" {
			return im.ID
		}
	}
	panic("no ECS-optimized image")
}
