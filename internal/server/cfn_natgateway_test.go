package server_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/server"
)

// TestCloudFormationNatGatewayAvailable: CloudFormation marks an
// AWS::EC2::NatGateway complete once the gateway is available, so a stack
// that is CREATE_COMPLETE never holds a pending NAT gateway. The server's
// step loop runs once an hour here, so only the deploy itself can move the
// gateway on.
func TestCloudFormationNatGatewayAvailable(t *testing.T) {
	srv, err := server.New(server.Options{
		Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		StepInterval: time.Hour, Models: testModels, DefaultVPC: true,
	})
	must(t, err)
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	cf := cfnClient(hs.URL)
	e := sdkClients(hs.URL).ec2

	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	must(t, err)
	rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc.Vpc.VpcId})
	must(t, err)
	tmpl := `{"Resources": {
  "Igw": {"Type": "AWS::EC2::InternetGateway"},
  "Att": {"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": {"InternetGatewayId": {"Ref": "Igw"}, "VpcId": "` + aws.ToString(vpc.Vpc.VpcId) + `"}},
  "Eip": {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}},
  "Nat": {"Type": "AWS::EC2::NatGateway", "DependsOn": "Att",
          "Properties": {"AllocationId": {"Fn::GetAtt": ["Eip", "AllocationId"]}, "SubnetId": "` + aws.ToString(sub.Subnet.SubnetId) + `"}},
  "Route": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": "` + aws.ToString(rt.RouteTable.RouteTableId) + `",
            "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": {"Ref": "Nat"}}}}}`
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("nat"), TemplateBody: aws.String(tmpl)})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("nat")})
	must(t, err)
	if got := string(ds.Stacks[0].StackStatus); got != "CREATE_COMPLETE" {
		t.Fatalf("stack status %s (%s), want CREATE_COMPLETE", got, aws.ToString(ds.Stacks[0].StackStatusReason))
	}
	ngs, err := e.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{})
	must(t, err)
	if len(ngs.NatGateways) != 1 || ngs.NatGateways[0].State != ec2types.NatGatewayStateAvailable {
		t.Fatalf("NAT gateways of a complete stack: %+v, want one available", ngs.NatGateways)
	}
}
