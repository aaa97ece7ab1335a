package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// A tag specification needs a resource type and at least one tag.
func TestTagSpecificationNeedsTags(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	_, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc}}})
	wantAPIError(t, err, "InvalidTagKey.Malformed", "Tag specification must have at least one tag")
	_, err = e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("x")}}}}})
	wantAPIError(t, err, "InvalidParameterValue", "Tag specification resource type must have a value")
	d, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{filter("cidr", "10.0.0.0/16")}})
	must(t, err)
	if len(d.Vpcs) != 0 {
		t.Errorf("a refused CreateVpc made %d VPCs", len(d.Vpcs))
	}
}
