package engine_test

import (
	"encoding/base64"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// article builds the article's system by engine calls: a public subnet, an
// m5.large with public IP 203.0.113.2 whose user data joins cluster "demo",
// and an awsvpc task definition listening on 3000.
type article struct {
	e       *engine.Engine
	vpc     *model.VPC
	subnet  *model.Subnet
	inst    *model.Instance
	taskSG  *model.SecurityGroup
	instSG  *model.SecurityGroup
	cluster *model.Cluster
	td      *model.TaskDefinition
}

// must returns v, or panics (failing the test) when err is set.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newArticle(t *testing.T, instanceType string, setup ...func(*engine.Engine)) *article {
	t.Helper()
	e := engine.New(engine.WithIDs(engine.SeededIDs(1)))
	for _, f := range setup {
		f(e)
	}
	a := &article{e: e}
	a.vpc = must(e.CreateVpc(engine.CreateVpcInput{CIDR: "10.0.0.0/16"}))
	a.subnet = must(e.CreateSubnet(engine.CreateSubnetInput{VpcID: a.vpc.ID, CIDR: "10.0.1.0/24", AvailabilityZone: "us-east-1a"}))
	if err := e.ModifySubnetAttribute(a.subnet.ID, true); err != nil {
		t.Fatal(err)
	}
	igw := must(e.CreateInternetGateway(nil))
	if err := e.AttachInternetGateway(igw.ID, a.vpc.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.CreateRoute(engine.RouteInput{RouteTableID: a.vpc.MainRouteTable, DestinationCIDR: "0.0.0.0/0", GatewayID: string(igw.ID)}); err != nil {
		t.Fatal(err)
	}
	a.instSG = must(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: a.vpc.ID, Name: "instance", Description: "instance"}))
	a.taskSG = must(e.CreateSecurityGroup(engine.CreateSecurityGroupInput{VpcID: a.vpc.ID, Name: "task", Description: "task"}))
	port := 3000
	must(e.AuthorizeSecurityGroup(a.taskSG.ID, false, []engine.IPPermission{{Protocol: "tcp", FromPort: &port, ToPort: &port, CIDRs: []engine.RuleSource{{Value: "0.0.0.0/0"}}}}))
	a.cluster = must(e.CreateCluster(engine.CreateClusterInput{Name: "demo"}))
	ud := base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho ECS_CLUSTER=demo >> /etc/ecs/ecs.config\n"))
	res := must(e.RunInstances(engine.RunInstancesInput{ImageID: "ami-0123456789abcdef0", InstanceType: instanceType, SubnetID: a.subnet.ID,
		SecurityGroupIDs: []model.SecurityGroupID{a.instSG.ID}, UserData: ud, FixedPublicIPs: []netip.Addr{netip.MustParseAddr("203.0.113.2")}}))
	a.inst = res.Instances[0]
	a.td = must(e.RegisterTaskDefinition(engine.RegisterTaskDefinitionInput{Family: "web", NetworkMode: "awsvpc",
		Containers: []model.ContainerDefinition{{Name: "web", Image: "node:20", Memory: 512, Essential: true,
			PortMappings: []model.PortMapping{{ContainerPort: 3000}}}}}))
	if err := e.Converge(); err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *article) network() *model.AwsVpcConfiguration {
	return &model.AwsVpcConfiguration{Subnets: []model.SubnetID{a.subnet.ID}, SecurityGroups: []model.SecurityGroupID{a.taskSG.ID}}
}

func stateJSON(t *testing.T, e *engine.Engine) string {
	t.Helper()
	st, _ := e.Snapshot()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestArticleTaskENI(t *testing.T) {
	a := newArticle(t, "m5.large")
	out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: a.network()}))
	if len(out.Tasks) != 1 || len(out.Failures) != 0 {
		t.Fatalf("RunTask = %d tasks, failures %v", len(out.Tasks), out.Failures)
	}
	if got := out.Tasks[0].LastStatus; got != model.TaskProvisioning {
		t.Errorf("RunTask lastStatus = %s, want PROVISIONING", got)
	}
	if err := a.e.Converge(); err != nil {
		t.Fatal(err)
	}
	a.e.Read(func(st *model.State) {
		tk := st.Tasks[out.Tasks[0].ARN]
		if tk.LastStatus != model.TaskRunning {
			t.Errorf("task status = %s, want RUNNING", tk.LastStatus)
		}
		eni := st.NetworkInterfaces[tk.ENI()]
		if eni == nil {
			t.Fatal("task has no ENI")
		}
		if eni.Attachment == nil || eni.Attachment.InstanceID != a.inst.ID || eni.Attachment.DeviceIndex < 1 {
			t.Errorf("task ENI attachment = %+v, want instance %s at device index >= 1", eni.Attachment, a.inst.ID)
		}
		if pub, ok := eni.PublicIP(); ok {
			t.Errorf("task ENI has public IP %s", pub)
		}
		if !a.subnet.CIDR.Contains(eni.PrimaryIP()) || a.subnet.Reserved(eni.PrimaryIP()) {
			t.Errorf("task ENI address %s not a usable address of %s", eni.PrimaryIP(), a.subnet.CIDR)
		}
		if !strings.HasPrefix(eni.Description, "arn:aws:ecs:us-east-1:123456789012:attachment/") || !eni.RequesterManaged {
			t.Errorf("task ENI description %q requesterManaged %v", eni.Description, eni.RequesterManaged)
		}
		primary := st.NetworkInterfaces[a.inst.PrimaryENI]
		if pub, _ := primary.PublicIP(); pub != netip.MustParseAddr("203.0.113.2") || primary.Attachment.DeviceIndex != 0 {
			t.Errorf("primary ENI public %v device %d, want 203.0.113.2 at 0", pub, primary.Attachment.DeviceIndex)
		}
	})
}

func TestAssignPublicIPOnEC2LeavesNothing(t *testing.T) {
	a := newArticle(t, "m5.large")
	before := stateJSON(t, a.e)
	n := a.network()
	n.AssignPublicIP = true
	_, err := a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: n})
	if !apierr.HasCode(err, "InvalidParameterException") || apierr.As(err).Message != "Assign public IP is not supported for this launch type." {
		t.Fatalf("err = %v", err)
	}
	if after := stateJSON(t, a.e); after != before {
		t.Error("a rejected RunTask changed the state")
	}
}

func TestENICapacity(t *testing.T) {
	a := newArticle(t, "m5.large")
	for i := 0; i < 2; i++ {
		out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: a.network()}))
		if len(out.Tasks) != 1 {
			t.Fatalf("task %d not placed: %v", i+1, out.Failures)
		}
	}
	out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: a.network()}))
	if len(out.Tasks) != 0 || len(out.Failures) != 1 || out.Failures[0].Reason != "RESOURCE:ENI" {
		t.Fatalf("third task: tasks %d failures %+v, want RESOURCE:ENI", len(out.Tasks), out.Failures)
	}
}

func TestTrunkingRaisesENILimit(t *testing.T) {
	a := newArticle(t, "m5.large", func(e *engine.Engine) {
		if _, err := e.PutAccountSetting("awsvpcTrunking", "enabled", ""); err != nil {
			t.Fatal(err)
		}
	})
	for i := 0; i < 10; i++ {
		out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: a.network()}))
		if len(out.Tasks) != 1 {
			t.Fatalf("task %d not placed under trunking: %+v", i+1, out.Failures)
		}
		a.e.Read(func(st *model.State) {
			n := st.NetworkInterfaces[out.Tasks[0].ENI()]
			if n.Type != model.InterfaceBranch || n.TrunkID == "" || n.Attachment != nil {
				t.Errorf("task ENI type %s trunk %q attachment %v, want a branch ENI", n.Type, n.TrunkID, n.Attachment)
			}
		})
	}
	out := must(a.e.RunTask(engine.RunTaskInput{Cluster: "demo", TaskDefinition: "web", Network: a.network()}))
	if len(out.Failures) != 1 || out.Failures[0].Reason != "RESOURCE:ENI" {
		t.Fatalf("11th task failures = %+v, want RESOURCE:ENI", out.Failures)
	}
}
