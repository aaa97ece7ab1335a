package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The gateway services' AWS-managed prefix lists carry the Region's own
// ids (templates map them per Region), and a gateway endpoint's route
// names that id.
func TestManagedPrefixListIDsByRegion(t *testing.T) {
	em := newAccount(t, nil)
	for _, tc := range []struct{ region, s3, dynamodb string }{
		{"us-east-1", "pl-63a5400a", "pl-02cd2c6b"},
		{"us-west-2", "pl-68a54001", "pl-00a54069"},
		{"eu-central-1", "pl-6ea54007", "pl-66a5400f"},
	} {
		cfg := sdkConfig()
		cfg.Region = tc.region
		e := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
		out, err := e.DescribePrefixLists(ctx, &ec2.DescribePrefixListsInput{})
		must(t, err)
		got := map[string]string{}
		for _, p := range out.PrefixLists {
			got[aws.ToString(p.PrefixListName)] = aws.ToString(p.PrefixListId)
		}
		if got["com.amazonaws."+tc.region+".s3"] != tc.s3 || got["com.amazonaws."+tc.region+".dynamodb"] != tc.dynamodb || len(got) != 2 {
			t.Errorf("%s: prefix lists %v, want s3 %s and dynamodb %s", tc.region, got, tc.s3, tc.dynamodb)
		}
		vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16")})
		must(t, err)
		rt, err := e.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc.Vpc.VpcId})
		must(t, err)
		_, err = e.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String("com.amazonaws." + tc.region + ".s3"),
			VpcEndpointType: ec2types.VpcEndpointTypeGateway, RouteTableIds: []string{aws.ToString(rt.RouteTable.RouteTableId)}})
		must(t, err)
		rts, err := e.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{aws.ToString(rt.RouteTable.RouteTableId)}})
		must(t, err)
		found := false
		for _, r := range rts.RouteTables[0].Routes {
			found = found || aws.ToString(r.DestinationPrefixListId) == tc.s3
		}
		if !found {
			t.Errorf("%s: the S3 endpoint's route does not name %s: %+v", tc.region, tc.s3, rts.RouteTables[0].Routes)
		}
	}
}
