package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// TestInstanceTypeCatalogue28: real instance types that the hand-written
// table lacked (local-disk, AMD, newer Intel, Graviton 4, storage and
// high-frequency families) launch, directly and through a launch template,
// and are described with EC2's figures; a made-up type is still refused
// with EC2's text.
func TestInstanceTypeCatalogue28(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.28.0.0/16")})
	must(t, err)
	sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.28.1.0/24")})
	must(t, err)
	ami := testAMI
	for _, typ := range []ec2types.InstanceType{"m5d.large", "c7a.large", "r7i.xlarge", "m8g.medium", "i4i.large", "z1d.large"} {
		run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), ImageId: aws.String(testAMIFor("us-east-1", string(typ))),
			InstanceType: typ, SubnetId: sub.Subnet.SubnetId})
		if err != nil {
			t.Errorf("RunInstances %s: %v", typ, err)
			continue
		}
		if run.Instances[0].InstanceType != typ {
			t.Errorf("launched %s, want %s", run.Instances[0].InstanceType, typ)
		}
	}
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("itypes28"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(ami), InstanceType: "c7i-flex.large"}})
	must(t, err)
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: sub.Subnet.SubnetId,
		LaunchTemplate: &ec2types.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId}})
	must(t, err)
	if run.Instances[0].InstanceType != "c7i-flex.large" {
		t.Errorf("launched %s from the template, want c7i-flex.large", run.Instances[0].InstanceType)
	}

	_, err = e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), ImageId: aws.String(ami),
		InstanceType: "m5.huge", SubnetId: sub.Subnet.SubnetId})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InvalidParameterValue" || ae.ErrorMessage() != "The instance type 'm5.huge' does not exist" {
		t.Errorf("RunInstances m5.huge: %v", err)
	}

	// EC2's figures (vpc_ip_resource_limit.go; the price list): vCPUs,
	// memory, interfaces, addresses, hypervisor, bare metal.
	want := map[ec2types.InstanceType]struct {
		vcpus, enis, ipv4 int32
		mem               int64
		hypervisor        ec2types.InstanceTypeHypervisor
		metal             bool
	}{
		"m5d.large":  {2, 3, 10, 8192, "nitro", false},
		"z1d.large":  {2, 3, 10, 16384, "nitro", false},
		"i4i.large":  {2, 3, 10, 16384, "nitro", false},
		"m8g.medium": {1, 2, 4, 4096, "nitro", false},
		"c4.large":   {2, 3, 10, 3840, "xen", false},
		"c5.metal":   {96, 15, 50, 196608, "", true},
	}
	var names []ec2types.InstanceType
	for n := range want {
		names = append(names, n)
	}
	out, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: names})
	must(t, err)
	if len(out.InstanceTypes) != len(want) {
		t.Fatalf("%d instance types, want %d", len(out.InstanceTypes), len(want))
	}
	for _, it := range out.InstanceTypes {
		w := want[it.InstanceType]
		got := [4]int64{int64(aws.ToInt32(it.VCpuInfo.DefaultVCpus)), aws.ToInt64(it.MemoryInfo.SizeInMiB),
			int64(aws.ToInt32(it.NetworkInfo.MaximumNetworkInterfaces)), int64(aws.ToInt32(it.NetworkInfo.Ipv4AddressesPerInterface))}
		if got != [4]int64{int64(w.vcpus), w.mem, int64(w.enis), int64(w.ipv4)} || it.Hypervisor != w.hypervisor || aws.ToBool(it.BareMetal) != w.metal {
			t.Errorf("%s: vCPUs, MiB, ENIs, IPv4 %v, hypervisor %q, bare metal %v; want %+v", it.InstanceType, got, it.Hypervisor, aws.ToBool(it.BareMetal), w)
		}
	}
}

// TestInstanceTypePages28: the whole catalogue pages with MaxResults and
// NextToken, each type once, the same types as the paginator without
// MaxResults collects; the offerings of an availability zone page too.
func TestInstanceTypePages28(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	var all []ec2types.InstanceTypeInfo
	for p := ec2.NewDescribeInstanceTypesPaginator(e, &ec2.DescribeInstanceTypesInput{}); p.HasMorePages(); {
		out, err := p.NextPage(ctx)
		must(t, err)
		all = append(all, out.InstanceTypes...)
	}
	seen := map[ec2types.InstanceType]bool{}
	pages := 0
	p := ec2.NewDescribeInstanceTypesPaginator(e, &ec2.DescribeInstanceTypesInput{MaxResults: aws.Int32(60)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		must(t, err)
		pages++
		if len(out.InstanceTypes) > 60 {
			t.Fatalf("page of %d", len(out.InstanceTypes))
		}
		for _, it := range out.InstanceTypes {
			if seen[it.InstanceType] {
				t.Fatalf("%s on two pages", it.InstanceType)
			}
			seen[it.InstanceType] = true
		}
	}
	if len(seen) != len(all) || pages < 2 {
		t.Errorf("%d types in %d pages, %d without MaxResults", len(seen), pages, len(all))
	}
	for _, it := range all {
		if !seen[it.InstanceType] {
			t.Errorf("%s missing from the pages", it.InstanceType)
		}
	}

	zones, err := e.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	must(t, err)
	zone := aws.ToString(zones.AvailabilityZones[0].ZoneName)
	offered := map[string]bool{}
	op := ec2.NewDescribeInstanceTypeOfferingsPaginator(e, &ec2.DescribeInstanceTypeOfferingsInput{LocationType: ec2types.LocationTypeAvailabilityZone,
		Filters: []ec2types.Filter{{Name: aws.String("location"), Values: []string{zone}}}, MaxResults: aws.Int32(1000)})
	for op.HasMorePages() {
		out, err := op.NextPage(ctx)
		must(t, err)
		for _, o := range out.InstanceTypeOfferings {
			if aws.ToString(o.Location) != zone || offered[string(o.InstanceType)] {
				t.Fatalf("offering %+v", o)
			}
			offered[string(o.InstanceType)] = true
		}
	}
	if len(offered) != len(all) || !offered["m5d.large"] || !offered["m8g.medium"] {
		t.Errorf("%d types offered in %s, %d described", len(offered), zone, len(all))
	}
}

// TestInstanceTypeDefaultPage29: without MaxResults, DescribeInstanceTypes
// answers one page of 100 types and a NextToken, as EC2 does (a client
// that reads one answer misses the rest of the catalogue);
// DescribeInstanceTypeOfferings answers at most 1,000 offerings.
func TestInstanceTypeDefaultPage29(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	first, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{})
	must(t, err)
	if len(first.InstanceTypes) != 100 || aws.ToString(first.NextToken) == "" {
		t.Fatalf("unpaged DescribeInstanceTypes: %d types, NextToken %q; want 100 and a token", len(first.InstanceTypes), aws.ToString(first.NextToken))
	}
	second, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{NextToken: first.NextToken})
	must(t, err)
	if len(second.InstanceTypes) != 100 || second.InstanceTypes[0].InstanceType == first.InstanceTypes[0].InstanceType {
		t.Errorf("second page: %d types from %s", len(second.InstanceTypes), second.InstanceTypes[0].InstanceType)
	}
	// Filters apply before the page: a family's few types come in one page.
	t2, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{Filters: []ec2types.Filter{{Name: aws.String("instance-type"), Values: []string{"t2.*"}}}})
	must(t, err)
	if len(t2.InstanceTypes) != 7 || t2.NextToken != nil {
		t.Errorf("t2.*: %d types, NextToken %v; want 7 and none", len(t2.InstanceTypes), t2.NextToken)
	}
	offers, err := e.DescribeInstanceTypeOfferings(ctx, &ec2.DescribeInstanceTypeOfferingsInput{LocationType: ec2types.LocationTypeAvailabilityZone})
	must(t, err)
	if len(offers.InstanceTypeOfferings) != 1000 || aws.ToString(offers.NextToken) == "" {
		t.Errorf("unpaged DescribeInstanceTypeOfferings: %d offerings, NextToken %q; want 1000 and a token", len(offers.InstanceTypeOfferings), aws.ToString(offers.NextToken))
	}
}
