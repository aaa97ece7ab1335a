package cfn_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep37(name string) string { return filepath.Join("testdata", "sweep37", name) }

// TestSweep37: the round's public templates load as AWS deploys them: the
// two infrastructure stacks (their internet-facing ALB and NAT gateways
// with no DependsOn on the gateway attachment), and the reference
// architecture's lifecycle hook stack fails on its python3.6 function, as
// Lambda refuses it today.
func TestSweep37(t *testing.T) {
	for _, f := range []string{"msdo-infrastructure.yaml", "msdo-ec2-infrastructure.yaml"} {
		t.Run(f, func(t *testing.T) {
			res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep37(f), Name: "msdo"}}, cfn.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var albs int
			res.Engine.Read(func(st *model.State) { albs = len(st.LoadBalancers) })
			if albs != 2 {
				t.Errorf("%d load balancers, want the public and the private ALB", albs)
			}
		})
	}
	_, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep37("refarch-lifecyclehook.yaml"), Name: "hook",
		Parameters: map[string]string{"Cluster": "demo", "ECSAutoScalingGroupName": "demo-asg"}}}, cfn.LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "LifecycleHandlerFunction") || !strings.Contains(err.Error(), "The runtime parameter of python3.6 is no longer supported") {
		t.Errorf("lifecycle hook stack: %v, want LifecycleHandlerFunction's runtime refused", err)
	}
}

// TestSweep37LoadBalancerBeforeAttachment: an internet-facing ALB that the
// template writes before its VPC's internet gateway attachment, without
// depending on it, is created after the attachment, as CloudFormation's
// parallel creation finishes the attachment first (it was refused: "VPC …
// has no internet gateway"); an internal one is not held back. A port
// mapping's Protocol http is taken as tcp, as ECS takes it (it was
// refused as no enum value). The shape of
// aws-samples/amazon-ecs-mythicalmysfits-workshop's core.yml.
func TestSweep37LoadBalancerBeforeAttachment(t *testing.T) {
	tpl := `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internet-facing, Subnets: [!Ref A, !Ref B]}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Cpu: 256
      Memory: 512
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      ContainerDefinitions:
        - Name: web
          Image: nginx
          PortMappings: [{ContainerPort: 80, Protocol: http}]
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
`
	tmpl, err := cfn.ParseTemplate("race.yaml", []byte(tpl))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "race"})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range res.Resources {
		order = append(order, r.LogicalID)
	}
	if i, j := indexOf(order, "Attach"), indexOf(order, "Alb"); i < 0 || j < 0 || i > j {
		t.Errorf("creation order %v: the attachment must come before the ALB", order)
	}
	var proto model.Protocol
	e.Read(func(st *model.State) {
		for _, td := range st.TaskDefinitions {
			proto = td.Containers[0].PortMappings[0].Protocol
		}
	})
	if proto != model.TCP {
		t.Errorf("port mapping protocol %v, want tcp", proto)
	}
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// TestSweep37Cloud9Ref: Ref of an AWS::Cloud9::EnvironmentEC2 (not
// modeled) is an environment id, 32 hexadecimal digits, not its Name, and
// its Arn names it as Cloud9 does ("…:environment:<id>"), as the Mythical
// Mysfits workshop's console URL output reads them.
func TestSweep37Cloud9Ref(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("c9.yaml", []byte(`
Resources:
  Env:
    Type: AWS::Cloud9::EnvironmentEC2
    Properties: {InstanceType: t3.small, ImageId: amazonlinux-2023-x86_64, Name: Project-x}
Outputs:
  Id: {Value: !Ref Env}
  Arn: {Value: !GetAtt Env.Arn}
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "c9"})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range res.Outputs {
		out[o.Name] = o.Value
	}
	id := out["Id"]
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Errorf("Ref %q, want 32 hexadecimal digits", id)
	}
	if out["Arn"] != "arn:aws:cloud9:us-east-1:123456789012:environment:"+id {
		t.Errorf("Arn %q", out["Arn"])
	}
}
