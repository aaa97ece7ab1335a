package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// regionalNatStack is a regional NAT gateway (manual mode) whose zone b
// Elastic IP is a parameter's choice.
const regionalNatStack = `
Parameters:
  ZoneBEip: {Type: String, Default: EipB, AllowedValues: [EipB, EipC]}
Conditions:
  UseB: !Equals [!Ref ZoneBEip, EipB]
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.35.0.0/16}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}
  EipA: {Type: AWS::EC2::EIP}
  EipB: {Type: AWS::EC2::EIP}
  EipC: {Type: AWS::EC2::EIP}
  Nat:
    Type: AWS::EC2::NatGateway
    DependsOn: Attach
    Properties:
      AvailabilityMode: regional
      VpcId: !Ref Vpc
      AvailabilityZoneAddresses:
        - {AvailabilityZone: us-east-1a, AllocationIds: [!GetAtt EipA.AllocationId]}
        - AvailabilityZone: us-east-1b
          AllocationIds: [!If [UseB, !GetAtt EipB.AllocationId, !GetAtt EipC.AllocationId]]
Outputs:
  Nat: {Value: !Ref Nat}
  Auto: {Value: !GetAtt Nat.AutoProvisionZones}
  EipB: {Value: !Ref EipB}
  EipC: {Value: !Ref EipC}
`

// TestCloudFormationRegionalNatGateway: a stack creates a regional NAT
// gateway through the endpoint (DescribeNatGateways answers its zones'
// Elastic IPs), and an update of AvailabilityZoneAddresses changes the
// zone's address in place, the same gateway, the old address freed.
func TestCloudFormationRegionalNatGateway(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rnat"), TemplateBody: aws.String(regionalNatStack)})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), cfntypes.StackStatusCreateComplete)
	outs := stackOutputs(t, cf, "rnat")
	if outs["Auto"] != "disabled" {
		t.Errorf("GetAtt Nat.AutoProvisionZones = %q, want disabled", outs["Auto"])
	}
	zoneB := func() string {
		d, err := c.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{outs["Nat"]}})
		must(t, err)
		for _, a := range d.NatGateways[0].NatGatewayAddresses {
			if aws.ToString(a.AvailabilityZone) == "us-east-1b" {
				return aws.ToString(a.PublicIp)
			}
		}
		return ""
	}
	if got := zoneB(); got != outs["EipB"] {
		t.Fatalf("us-east-1b's address %q, want EipB %s", got, outs["EipB"])
	}
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("rnat"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("ZoneBEip"), ParameterValue: aws.String("EipC")}}})
	must(t, err)
	waitStack(t, cf, "rnat", cfntypes.StackStatusUpdateComplete)
	after := stackOutputs(t, cf, "rnat")
	if after["Nat"] != outs["Nat"] {
		t.Errorf("the update replaced the gateway (%s, was %s), want it in place", after["Nat"], outs["Nat"])
	}
	if got := zoneB(); got != outs["EipC"] {
		t.Errorf("us-east-1b's address after the update %q, want EipC %s", got, outs["EipC"])
	}
	ad, err := c.ec2.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{PublicIps: []string{outs["EipB"]}})
	must(t, err)
	if aws.ToString(ad.Addresses[0].AssociationId) != "" {
		t.Errorf("EipB is still associated (%s), want it freed", aws.ToString(ad.Addresses[0].AssociationId))
	}
}
