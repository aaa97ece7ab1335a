package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/ecsnet/ecsnet/internal/server"
)

// TestChinaEndpointServiceNames29: in cn-north-1 most AWS services'
// interface endpoint services are cn.com.amazonaws.cn-north-1.<svc>
// (ECR, EC2, STS, S3's interface endpoint); CloudWatch Logs, ECS and SSM
// keep com.amazonaws, as do the gateway endpoint services of S3 and
// DynamoDB. DescribeVpcEndpointServices lists the names, and
// CreateVpcEndpoint refuses the global form where China has the other.
func TestChinaEndpointServiceNames29(t *testing.T) {
	em := newEmulatorWith(t, server.Options{Region: "cn-north-1"})
	cfg := sdkConfig()
	cfg.Region = "cn-north-1"
	c := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	out, err := c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{})
	must(t, err)
	types := map[string][]ec2types.ServiceType{}
	for _, s := range out.ServiceDetails {
		for _, st := range s.ServiceType {
			types[aws.ToString(s.ServiceName)] = append(types[aws.ToString(s.ServiceName)], st.ServiceType)
		}
	}
	for name, want := range map[string]string{
		"cn.com.amazonaws.cn-north-1.ecr.api": "Interface", "cn.com.amazonaws.cn-north-1.ecr.dkr": "Interface",
		"cn.com.amazonaws.cn-north-1.sts": "Interface", "cn.com.amazonaws.cn-north-1.s3": "Interface",
		"com.amazonaws.cn-north-1.s3": "Gateway", "com.amazonaws.cn-north-1.logs": "Interface", "com.amazonaws.cn-north-1.ecs": "Interface",
		"com.amazonaws.cn-north-1.ssm": "Interface",
	} {
		if got := types[name]; len(got) != 1 || string(got[0]) != want {
			t.Errorf("%s: types %v, want [%s]", name, got, want)
		}
	}
	for _, name := range []string{"com.amazonaws.cn-north-1.ecr.api", "cn.com.amazonaws.cn-north-1.logs"} {
		if _, ok := types[name]; ok {
			t.Errorf("%s listed", name)
		}
	}
	if d := types["com.amazonaws.cn-north-1.dynamodb"]; len(d) != 2 {
		t.Errorf("dynamodb: types %v, want Gateway and Interface", d)
	}

	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc.Vpc.VpcId, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("cn-north-1a")})
	must(t, err)
	iface := func(name string) error {
		_, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String(name),
			VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{aws.ToString(sub.Subnet.SubnetId)}})
		return err
	}
	apiErrorIs(t, "com.amazonaws.cn-north-1.ecr.api", iface("com.amazonaws.cn-north-1.ecr.api"), "InvalidServiceName",
		"The Vpc Endpoint Service 'com.amazonaws.cn-north-1.ecr.api' does not exist")
	must(t, iface("cn.com.amazonaws.cn-north-1.ecr.api"))
	must(t, iface("com.amazonaws.cn-north-1.logs"))
	// S3's global-form name is its gateway service only.
	apiErrorIs(t, "interface com.amazonaws.cn-north-1.s3", iface("com.amazonaws.cn-north-1.s3"), "InvalidParameter",
		"Endpoint type (Interface) does not match available service types ([Gateway])")
	rt, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: vpc.Vpc.VpcId})
	must(t, err)
	_, err = c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: aws.String("com.amazonaws.cn-north-1.s3"),
		RouteTableIds: []string{aws.ToString(rt.RouteTable.RouteTableId)}})
	must(t, err)
}
