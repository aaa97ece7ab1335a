package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

const cfnEC2Template = `
Parameters:
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id
Resources:
  Requester:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.60.0.0/16}
  Accepter:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.61.0.0/16}
  Peering:
    Type: AWS::EC2::VPCPeeringConnection
    Properties: {VpcId: !Ref Requester, PeerVpcId: !Ref Accepter}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Requester, CidrBlock: 10.60.1.0/24}
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref Ami
      InstanceType: t3.micro
      SubnetId: !Ref Subnet
      BlockDeviceMappings:
        - DeviceName: /dev/sdf
          Ebs: {VolumeSize: "50", VolumeType: gp3}
  Hub:
    Type: AWS::EC2::TransitGateway
    Properties: {Description: hub}
  Eni:
    Type: AWS::EC2::NetworkInterface
    Properties: {SubnetId: !Ref Subnet, PrivateIpAddress: 10.60.1.50, Description: spare}
Outputs:
  Eni:
    Value: !Ref Eni
  EniIp:
    Value: !GetAtt Eni.PrimaryPrivateIpAddress
  Peering:
    Value: !Ref Peering
  Host:
    Value: !Ref Host
  Hub:
    Value: !Ref Hub
`

// TestCloudFormationEC2Resources deploys EC2 resources through the
// emulator's CloudFormation with the Go SDK: a VPC peering connection
// (created and, the VPCs being the account's, accepted), an instance's
// block device mapping (its volume has the template's size), a network
// interface (created in its subnet, its address as Fn::GetAtt gives it), and the
// tags CloudFormation gives a resource (its three aws:cloudformation
// tags, no Name tag).
func TestCloudFormationEC2Resources(t *testing.T) {
	em := newAccount(t, nil)
	cf := cfnClient(em.URL)
	e := sdkClients(em.URL).ec2
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("ec2-resources"), TemplateBody: aws.String(cfnEC2Template)})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("ec2-resources")})
	must(t, err)
	out := map[string]string{}
	for _, o := range ds.Stacks[0].Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}

	pcx, err := e.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{out["Peering"]}})
	must(t, err)
	if len(pcx.VpcPeeringConnections) != 1 || pcx.VpcPeeringConnections[0].Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeActive {
		t.Errorf("peering %s: %+v", out["Peering"], pcx.VpcPeeringConnections)
	}

	inst, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{out["Host"]}})
	must(t, err)
	vol := ""
	for _, m := range inst.Reservations[0].Instances[0].BlockDeviceMappings {
		if aws.ToString(m.DeviceName) == "/dev/sdf" {
			vol = aws.ToString(m.Ebs.VolumeId)
		}
	}
	if vol == "" {
		t.Fatalf("no /dev/sdf volume: %+v", inst.Reservations[0].Instances[0].BlockDeviceMappings)
	}
	vols, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{vol}})
	must(t, err)
	if v := vols.Volumes[0]; aws.ToInt32(v.Size) != 50 || v.VolumeType != ec2types.VolumeTypeGp3 {
		t.Errorf("/dev/sdf: %d GiB %s, want 50 GiB gp3", aws.ToInt32(v.Size), v.VolumeType)
	}

	tgw, err := e.DescribeTransitGateways(ctx, &ec2.DescribeTransitGatewaysInput{TransitGatewayIds: []string{out["Hub"]}})
	must(t, err)
	keys := map[string]bool{}
	for _, tag := range tgw.TransitGateways[0].Tags {
		keys[aws.ToString(tag.Key)] = true
	}
	if len(keys) != 3 || !keys["aws:cloudformation:stack-name"] || !keys["aws:cloudformation:stack-id"] || !keys["aws:cloudformation:logical-id"] {
		t.Errorf("transit gateway tags: %v, want the three aws:cloudformation tags", keys)
	}

	enis, err := e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{out["Eni"]}})
	must(t, err)
	if n := enis.NetworkInterfaces; len(n) != 1 || aws.ToString(n[0].PrivateIpAddress) != "10.60.1.50" || out["EniIp"] != "10.60.1.50" ||
		aws.ToString(n[0].Description) != "spare" || n[0].Status != ec2types.NetworkInterfaceStatusAvailable {
		t.Errorf("network interface %s (GetAtt %s): %+v", out["Eni"], out["EniIp"], n)
	}

	// Deleting the stack deletes the connection and the interface with the rest.
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("ec2-resources")})
	must(t, err)
	pcx, err = e.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{out["Peering"]}})
	must(t, err)
	if len(pcx.VpcPeeringConnections) != 1 || pcx.VpcPeeringConnections[0].Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeDeleted {
		t.Errorf("peering after DeleteStack: %+v", pcx.VpcPeeringConnections)
	}
	_, err = e.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{out["Eni"]}})
	wantCode(t, err, "InvalidNetworkInterfaceID.NotFound")

	// A connection to a VPC of the account in another region (PeerRegion)
	// is accepted there: active in both regions.
	west := ec2.NewFromConfig(sdkConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL); o.Region = "us-west-2" })
	wv, err := west.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.70.0.0/16")})
	must(t, err)
	tpl := `{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.71.0.0/16"}},
  "Peering": {"Type": "AWS::EC2::VPCPeeringConnection", "Properties": {"VpcId": {"Ref": "Vpc"}, "PeerVpcId": "` + aws.ToString(wv.Vpc.VpcId) + `", "PeerRegion": "us-west-2"}}},
 "Outputs": {"Peering": {"Value": {"Ref": "Peering"}}}}`
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("inter-region"), TemplateBody: aws.String(tpl)})
	must(t, err)
	ds, err = cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("inter-region")})
	must(t, err)
	if len(ds.Stacks[0].Outputs) != 1 {
		t.Fatalf("inter-region stack: %s %s", ds.Stacks[0].StackStatus, aws.ToString(ds.Stacks[0].StackStatusReason))
	}
	id := aws.ToString(ds.Stacks[0].Outputs[0].OutputValue)
	for _, c := range []*ec2.Client{e, west} {
		pcx, err := c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
		must(t, err)
		if len(pcx.VpcPeeringConnections) != 1 || pcx.VpcPeeringConnections[0].Status.Code != ec2types.VpcPeeringConnectionStateReasonCodeActive {
			t.Errorf("inter-Region peering %s: %+v", id, pcx.VpcPeeringConnections)
		}
	}
}
