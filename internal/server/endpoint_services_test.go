package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// VPC endpoint service configurations (PrivateLink) through the AWS SDK
// for Go v2: on a Network Load Balancer, modified, with permissions,
// tagged, deleted; the errors EC2 gives.
func TestEndpointServiceConfigurationsAPI(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	e := c.ec2
	_, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{})
	wantAPIError(t, err, "InvalidParameter", "exactly one of network_load_balancer_arn or gateway_load_balancer_arn is a required member")
	_, err = e.DescribeVpcEndpointServiceConfigurations(ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{"vpce-svc-unknown"}})
	wantAPIError(t, err, "InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id 'vpce-svc-unknown' does not exist")
	del, err := e.DeleteVpcEndpointServiceConfigurations(ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{ServiceIds: []string{"vpce-svc-03cf101d15c3bff53"}})
	must(t, err)
	if len(del.Unsuccessful) != 1 || aws.ToString(del.Unsuccessful[0].Error.Code) != "InvalidVpcEndpointService.NotFound" {
		t.Fatalf("delete of an unknown service: %+v", del.Unsuccessful)
	}

	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i]), AvailabilityZone: aws.String(az)})
		must(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	nlb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("svc"), Subnets: subnets,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, Type: elbtypes.LoadBalancerTypeEnumNetwork})
	must(t, err)
	alb, err := c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: subnets,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	nlbARN, albARN := aws.ToString(nlb.LoadBalancers[0].LoadBalancerArn), aws.ToString(alb.LoadBalancers[0].LoadBalancerArn)
	_, err = e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{albARN}})
	wantAPIError(t, err, "InvalidParameter", "The load balancer "+albARN+" is not a network load balancer")

	cr, err := e.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{nlbARN},
		PrivateDnsName:    aws.String("svc.example.com"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpcEndpointService, Tags: []ec2types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}}})
	must(t, err)
	cfg := cr.ServiceConfiguration
	id := aws.ToString(cfg.ServiceId)
	if len(cfg.ServiceType) != 1 || cfg.ServiceType[0].ServiceType != ec2types.ServiceTypeInterface || cfg.ServiceState != ec2types.ServiceStateAvailable ||
		aws.ToString(cfg.ServiceName) != "com.amazonaws.vpce.us-east-1."+id || len(cfg.AvailabilityZones) != 2 || !aws.ToBool(cfg.AcceptanceRequired) ||
		len(cfg.BaseEndpointDnsNames) != 1 || cfg.BaseEndpointDnsNames[0] != id+".us-east-1.vpce.amazonaws.com" ||
		cfg.PrivateDnsNameConfiguration == nil || cfg.PrivateDnsNameConfiguration.State != ec2types.DnsNameStatePendingVerification || len(cfg.Tags) != 1 {
		t.Errorf("CreateVpcEndpointServiceConfiguration: %+v", cfg)
	}
	own, err := e.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{ServiceNames: []string{"com.amazonaws.vpce.us-east-1." + id}})
	must(t, err)
	if len(own.ServiceDetails) != 1 || aws.ToString(own.ServiceDetails[0].Owner) != "123456789012" || aws.ToString(own.ServiceDetails[0].ServiceId) != id {
		t.Errorf("the account's own service in DescribeVpcEndpointServices: %+v", own.ServiceDetails)
	}
	_, err = e.ModifyVpcEndpointServiceConfiguration(ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, AcceptanceRequired: aws.Bool(false), RemovePrivateDnsName: aws.Bool(true)})
	must(t, err)
	_, err = e.ModifyVpcEndpointServiceConfiguration(ctx, &ec2.ModifyVpcEndpointServiceConfigurationInput{ServiceId: &id, RemoveNetworkLoadBalancerArns: []string{nlbARN}})
	wantAPIError(t, err, "InvalidParameter", "exactly one of network_load_balancer_arn or gateway_load_balancer_arn is a required member")
	d, err := e.DescribeVpcEndpointServiceConfigurations(ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{Filters: []ec2types.Filter{filter("tag:k", "v")}})
	must(t, err)
	if len(d.ServiceConfigurations) != 1 || aws.ToBool(d.ServiceConfigurations[0].AcceptanceRequired) || d.ServiceConfigurations[0].PrivateDnsName != nil ||
		len(d.ServiceConfigurations[0].NetworkLoadBalancerArns) != 1 {
		t.Errorf("after modify: %+v", d.ServiceConfigurations)
	}

	_, err = e.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: &id, AddAllowedPrincipals: []string{"prin1"}})
	wantAPIError(t, err, "InvalidPrincipal", "Invalid Principal: 'prin1'")
	mp, err := e.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: &id,
		AddAllowedPrincipals: []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/consumer"}})
	must(t, err)
	if len(mp.AddedPrincipals) != 2 || !aws.ToBool(mp.ReturnValue) {
		t.Errorf("added principals %+v", mp.AddedPrincipals)
	}
	_, err = e.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: &id, RemoveAllowedPrincipals: []string{"arn:aws:iam::111122223333:root"}})
	must(t, err)
	dp, err := e.DescribeVpcEndpointServicePermissions(ctx, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: &id})
	must(t, err)
	if len(dp.AllowedPrincipals) != 1 || dp.AllowedPrincipals[0].PrincipalType != ec2types.PrincipalTypeRole {
		t.Errorf("permissions %+v", dp.AllowedPrincipals)
	}

	_, err = c.elb.DeleteLoadBalancer(ctx, &elasticloadbalancingv2.DeleteLoadBalancerInput{LoadBalancerArn: &nlbARN})
	wantAPIError(t, err, "ResourceInUse", "Load balancer '"+nlbARN+"' cannot be deleted because it is currently associated with another service")
	del, err = e.DeleteVpcEndpointServiceConfigurations(ctx, &ec2.DeleteVpcEndpointServiceConfigurationsInput{ServiceIds: []string{id}})
	must(t, err)
	if len(del.Unsuccessful) != 0 {
		t.Errorf("delete: %+v", del.Unsuccessful)
	}
	_, err = e.DescribeVpcEndpointServiceConfigurations(ctx, &ec2.DescribeVpcEndpointServiceConfigurationsInput{ServiceIds: []string{id}})
	wantAPIError(t, err, "InvalidVpcEndpointServiceId.NotFound", "The VpcEndpointService Id '"+id+"' does not exist")
	_, err = c.elb.DeleteLoadBalancer(ctx, &elasticloadbalancingv2.DeleteLoadBalancerInput{LoadBalancerArn: &nlbARN})
	must(t, err)
}
