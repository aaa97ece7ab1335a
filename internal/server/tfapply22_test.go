package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// Gaps the real Terraform AWS provider (5.100) found when applying the
// configurations under scripts/terraform-apply/configs (round twenty-two).

// TestTFApply22InstanceUefiData: the provider's aws_ami data source calls
// GetInstanceUefiData with the image's id and ignores the error; EC2
// answers an id that is not an instance's InvalidInstanceID.Malformed (it
// was a 501), a missing instance NotFound, and an instance its id.
func TestTFApply22InstanceUefiData(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	_, err := c.ec2.GetInstanceUefiData(ctx, &ec2.GetInstanceUefiDataInput{InstanceId: aws.String(testAMI)})
	wantAPIError(t, err, "InvalidInstanceID.Malformed", `Invalid id: "`+testAMI+`" (expecting "i-...")`)
	_, err = c.ec2.GetInstanceUefiData(ctx, &ec2.GetInstanceUefiDataInput{InstanceId: aws.String("i-0123456789abcdef0")})
	wantAPIError(t, err, "InvalidInstanceID.NotFound", "The instance ID 'i-0123456789abcdef0' does not exist")

	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	if err != nil || len(subs.Subnets) == 0 {
		t.Fatalf("default subnets: %v %v", subs, err)
	}
	run, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: subs.Subnets[0].SubnetId})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	out, err := c.ec2.GetInstanceUefiData(ctx, &ec2.GetInstanceUefiDataInput{InstanceId: aws.String(id)})
	if err != nil || aws.ToString(out.InstanceId) != id || out.UefiData != nil {
		t.Fatalf("GetInstanceUefiData(%s): %+v %v, want the instance's id and no UEFI data", id, out, err)
	}
}

// TestTFApply22NLBPrivateLinkInbound: aws_lb's
// enforce_security_group_inbound_rules_on_private_link_traffic is
// SetSecurityGroups' EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic
// (it was refused as not modelled): an NLB with groups is "on" until set
// "off", SetSecurityGroups answers the value, DescribeLoadBalancers reads it
// back, and a value not in the enum is a ValidationError.
func TestTFApply22NLBPrivateLinkInbound(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	if err != nil || len(subs.Subnets) < 2 {
		t.Fatalf("default subnets: %v %v", subs, err)
	}
	sg, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("nlb"), Description: aws.String("nlb"), VpcId: subs.Subnets[0].VpcId})
	if err != nil {
		t.Fatal(err)
	}
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("nlb"), Type: elbv2types.LoadBalancerTypeEnumNetwork,
		Subnets: []string{aws.ToString(subs.Subnets[0].SubnetId), aws.ToString(subs.Subnets[1].SubnetId)}, SecurityGroups: []string{aws.ToString(sg.GroupId)}})
	if err != nil {
		t.Fatal(err)
	}
	arn := lb.LoadBalancers[0].LoadBalancerArn
	read := func() string {
		t.Helper()
		d, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(arn)}})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(d.LoadBalancers[0].EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic)
	}
	if got := read(); got != "on" {
		t.Fatalf("a new NLB with groups: %q, want on", got)
	}
	set, err := c.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: arn, SecurityGroups: []string{aws.ToString(sg.GroupId)},
		EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: elbv2types.EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnumOff})
	if err != nil {
		t.Fatal(err)
	}
	if set.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic != elbv2types.EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnumOff {
		t.Errorf("SetSecurityGroups answered %q, want off", set.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic)
	}
	if got := read(); got != "off" {
		t.Errorf("after setting off: %q, want off", got)
	}
	// Groups set without the parameter leave it as it is.
	if _, err := c.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: arn, SecurityGroups: []string{aws.ToString(sg.GroupId)}}); err != nil {
		t.Fatal(err)
	}
	if got := read(); got != "off" {
		t.Errorf("after SetSecurityGroups without the parameter: %q, want off", got)
	}
	_, err = c.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: arn, SecurityGroups: []string{aws.ToString(sg.GroupId)},
		EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "maybe"})
	wantAPIError(t, err, "ValidationError", "1 validation error detected: Value 'maybe' at 'enforceSecurityGroupInboundRulesOnPrivateLinkTraffic' failed to satisfy constraint: Member must satisfy enum value set: [on, off]")
}

// TestTFApply22RegistryScanning: aws_ecr_registry_scanning_configuration
// is PutRegistryScanningConfiguration and GetRegistryScanningConfiguration
// (both were 501s). A registry never configured reads BASIC with no rules;
// what is put reads back; the resource's delete puts BASIC with no rules;
// values outside the model's enums and pattern are ValidationException.
func TestTFApply22RegistryScanning(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := ecrClient(em.URL)
	get := func() *ecr.GetRegistryScanningConfigurationOutput {
		t.Helper()
		out, err := c.GetRegistryScanningConfiguration(ctx, &ecr.GetRegistryScanningConfigurationInput{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if g := get(); g.ScanningConfiguration == nil || g.ScanningConfiguration.ScanType != ecrtypes.ScanTypeBasic || len(g.ScanningConfiguration.Rules) != 0 || aws.ToString(g.RegistryId) != "123456789012" {
		t.Fatalf("a new registry's scanning configuration: %+v", g)
	}
	rules := []ecrtypes.RegistryScanningRule{
		{ScanFrequency: ecrtypes.ScanFrequencyContinuousScan, RepositoryFilters: []ecrtypes.ScanningRepositoryFilter{{Filter: aws.String("prod/*"), FilterType: ecrtypes.ScanningRepositoryFilterTypeWildcard}}},
		{ScanFrequency: ecrtypes.ScanFrequencyScanOnPush, RepositoryFilters: []ecrtypes.ScanningRepositoryFilter{{Filter: aws.String("*"), FilterType: ecrtypes.ScanningRepositoryFilterTypeWildcard}}},
	}
	put, err := c.PutRegistryScanningConfiguration(ctx, &ecr.PutRegistryScanningConfigurationInput{ScanType: ecrtypes.ScanTypeEnhanced, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if p := put.RegistryScanningConfiguration; p == nil || p.ScanType != ecrtypes.ScanTypeEnhanced || len(p.Rules) != 2 {
		t.Fatalf("PutRegistryScanningConfiguration answered %+v", p)
	}
	g := get().ScanningConfiguration
	if g.ScanType != ecrtypes.ScanTypeEnhanced || len(g.Rules) != 2 || g.Rules[0].ScanFrequency != ecrtypes.ScanFrequencyContinuousScan ||
		aws.ToString(g.Rules[0].RepositoryFilters[0].Filter) != "prod/*" || g.Rules[1].ScanFrequency != ecrtypes.ScanFrequencyScanOnPush ||
		g.Rules[1].RepositoryFilters[0].FilterType != ecrtypes.ScanningRepositoryFilterTypeWildcard {
		t.Errorf("read back: %+v", g)
	}
	_, err = c.PutRegistryScanningConfiguration(ctx, &ecr.PutRegistryScanningConfigurationInput{ScanType: "DEEP"})
	wantAPIError(t, err, "ValidationException", "1 validation error detected: Value 'DEEP' at 'scanType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, ENHANCED]")
	_, err = c.PutRegistryScanningConfiguration(ctx, &ecr.PutRegistryScanningConfigurationInput{ScanType: ecrtypes.ScanTypeBasic, Rules: []ecrtypes.RegistryScanningRule{
		{ScanFrequency: ecrtypes.ScanFrequencyScanOnPush, RepositoryFilters: []ecrtypes.ScanningRepositoryFilter{{Filter: aws.String("Prod"), FilterType: ecrtypes.ScanningRepositoryFilterTypeWildcard}}}}})
	wantAPIError(t, err, "ValidationException", `1 validation error detected: Value 'Prod' at 'rules.1.member.repositoryFilters.1.member.filter' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`)
	if g := get().ScanningConfiguration; g.ScanType != ecrtypes.ScanTypeEnhanced {
		t.Errorf("a refused put changed the configuration: %+v", g)
	}
	// Terraform's delete.
	if _, err := c.PutRegistryScanningConfiguration(ctx, &ecr.PutRegistryScanningConfigurationInput{ScanType: ecrtypes.ScanTypeBasic, Rules: []ecrtypes.RegistryScanningRule{}}); err != nil {
		t.Fatal(err)
	}
	if g := get().ScanningConfiguration; g.ScanType != ecrtypes.ScanTypeBasic || len(g.Rules) != 0 {
		t.Errorf("after the reset: %+v", g)
	}
}

// TestTFApply22LaunchTemplateOptions: a launch template's EbsOptimized,
// InstanceInitiatedShutdownBehavior, CreditSpecification and
// PrivateDnsNameOptions read back as given (they were dropped, and
// Terraform planned to add them again); a template without them has none.
func TestTFApply22LaunchTemplateOptions(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("opts"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{
		ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Medium, EbsOptimized: aws.Bool(true),
		InstanceInitiatedShutdownBehavior: ec2types.ShutdownBehaviorTerminate,
		CreditSpecification:               &ec2types.CreditSpecificationRequest{CpuCredits: aws.String("standard")},
		PrivateDnsNameOptions: &ec2types.LaunchTemplatePrivateDnsNameOptionsRequest{HostnameType: ec2types.HostnameTypeResourceName,
			EnableResourceNameDnsARecord: aws.Bool(true), EnableResourceNameDnsAAAARecord: aws.Bool(false)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("plain"), LaunchTemplateData: &ec2types.RequestLaunchTemplateData{
		ImageId: aws.String(testAMI)}})
	if err != nil {
		t.Fatal(err)
	}
	data := func(id *string) *ec2types.ResponseLaunchTemplateData {
		t.Helper()
		v, err := c.ec2.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: id, Versions: []string{"$Latest"}})
		if err != nil || len(v.LaunchTemplateVersions) != 1 {
			t.Fatalf("DescribeLaunchTemplateVersions: %v %v", v, err)
		}
		return v.LaunchTemplateVersions[0].LaunchTemplateData
	}
	d := data(lt.LaunchTemplate.LaunchTemplateId)
	if !aws.ToBool(d.EbsOptimized) || d.InstanceInitiatedShutdownBehavior != ec2types.ShutdownBehaviorTerminate ||
		d.CreditSpecification == nil || aws.ToString(d.CreditSpecification.CpuCredits) != "standard" {
		t.Errorf("EbsOptimized %v, shutdown behaviour %q, credit specification %+v", d.EbsOptimized, d.InstanceInitiatedShutdownBehavior, d.CreditSpecification)
	}
	if p := d.PrivateDnsNameOptions; p == nil || p.HostnameType != ec2types.HostnameTypeResourceName || !aws.ToBool(p.EnableResourceNameDnsARecord) ||
		p.EnableResourceNameDnsAAAARecord == nil || *p.EnableResourceNameDnsAAAARecord {
		t.Errorf("PrivateDnsNameOptions: %+v", p)
	}
	if d := data(plain.LaunchTemplate.LaunchTemplateId); d.EbsOptimized != nil || d.InstanceInitiatedShutdownBehavior != "" || d.CreditSpecification != nil || d.PrivateDnsNameOptions != nil {
		t.Errorf("a template without the options: %+v", d)
	}
}
