package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestStaleSecurityGroups: a rule that references a group of a peer VPC
// is not stale while the peering connection is active; once the peering
// connection is deleted DescribeStaleSecurityGroups lists it (the peer's
// VPC, the connection and its status), and a VPC that does not exist is
// refused.
func TestStaleSecurityGroups(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	v1, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.40.0.0/16")})
	must(t, err)
	v2, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.41.0.0/16")})
	must(t, err)
	p, err := e.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: v1.Vpc.VpcId, PeerVpcId: v2.Vpc.VpcId})
	must(t, err)
	pcx := p.VpcPeeringConnection.VpcPeeringConnectionId
	_, err = e.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: pcx})
	must(t, err)
	app, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("app"), Description: aws.String("app"), VpcId: v1.Vpc.VpcId})
	must(t, err)
	db, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("clients"), Description: aws.String("clients"), VpcId: v2.Vpc.VpcId})
	must(t, err)
	_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: app.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432),
		UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: db.GroupId, VpcPeeringConnectionId: pcx}}}}})
	must(t, err)
	stale := func(vpc *string) []ec2types.StaleSecurityGroup {
		t.Helper()
		out, err := e.DescribeStaleSecurityGroups(ctx, &ec2.DescribeStaleSecurityGroupsInput{VpcId: vpc})
		must(t, err)
		return out.StaleSecurityGroupSet
	}
	if s := stale(v1.Vpc.VpcId); len(s) != 0 {
		t.Errorf("stale while peered: %+v", s)
	}
	_, err = e.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: pcx})
	must(t, err)
	s := stale(v1.Vpc.VpcId)
	if len(s) != 1 || aws.ToString(s[0].GroupId) != aws.ToString(app.GroupId) || aws.ToString(s[0].GroupName) != "app" ||
		len(s[0].StaleIpPermissions) != 1 || len(s[0].StaleIpPermissionsEgress) != 0 {
		t.Fatalf("stale after the peering's deletion: %+v", s)
	}
	perm := s[0].StaleIpPermissions[0]
	if aws.ToString(perm.IpProtocol) != "tcp" || aws.ToInt32(perm.FromPort) != 5432 || aws.ToInt32(perm.ToPort) != 5432 || len(perm.UserIdGroupPairs) != 1 {
		t.Fatalf("permission: %+v", perm)
	}
	if pair := perm.UserIdGroupPairs[0]; aws.ToString(pair.GroupId) != aws.ToString(db.GroupId) || aws.ToString(pair.VpcId) != aws.ToString(v2.Vpc.VpcId) ||
		aws.ToString(pair.VpcPeeringConnectionId) != aws.ToString(pcx) || aws.ToString(pair.PeeringStatus) != "deleted" || aws.ToString(pair.UserId) != "123456789012" {
		t.Errorf("pair: %+v", pair)
	}
	if s := stale(v2.Vpc.VpcId); len(s) != 0 {
		t.Errorf("the referenced side: %+v", s)
	}
	_, err = e.DescribeStaleSecurityGroups(ctx, &ec2.DescribeStaleSecurityGroupsInput{VpcId: aws.String("vpc-0123456789abcdef0")})
	wantAPIError(t, err, "InvalidVpcID.NotFound", "The vpc ID 'vpc-0123456789abcdef0' does not exist")
}
