package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestAuthorizeEmptyPrefixListID: a rule naming the empty prefix list id
// (or one without the pl- prefix) is refused as malformed and nothing is
// added, through the Go SDK.
func TestAuthorizeEmptyPrefixListID(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	g, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web")})
	must(t, err)
	for _, id := range []string{"", "office"} {
		_, err = e.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g.GroupId, IpPermissions: []ec2types.IpPermission{{
			IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			IpRanges:      []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/8")}},
			PrefixListIds: []ec2types.PrefixListId{{PrefixListId: aws.String(id)}}}}})
		wantAPIError(t, err, "InvalidPrefixListId.Malformed", `Invalid id: "`+id+`" (expecting "pl-...")`)
	}
	d, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(g.GroupId)}})
	must(t, err)
	if n := len(d.SecurityGroups[0].IpPermissions); n != 0 {
		t.Errorf("%d ingress permissions after the refused calls, want 0", n)
	}
}
