package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestDefaultCreditSpecification: GetDefaultCreditSpecification answers
// each burstable family's own default (t2 standard, t3 unlimited);
// ModifyDefaultCreditSpecification changes the account's default, which
// an instance of the family launched afterwards without a
// CreditSpecification gets, while one launched before keeps its own; a
// credit option that is neither standard nor unlimited is refused.
func TestDefaultCreditSpecification(t *testing.T) {
	em := newEmulator(t, nil)
	e := sdkClients(em.URL).ec2
	get := func(family ec2types.UnlimitedSupportedInstanceFamily) string {
		t.Helper()
		out, err := e.GetDefaultCreditSpecification(ctx, &ec2.GetDefaultCreditSpecificationInput{InstanceFamily: family})
		must(t, err)
		if out.InstanceFamilyCreditSpecification.InstanceFamily != family {
			t.Errorf("family %s answered %s", family, out.InstanceFamilyCreditSpecification.InstanceFamily)
		}
		return aws.ToString(out.InstanceFamilyCreditSpecification.CpuCredits)
	}
	if t2, t3 := get(ec2types.UnlimitedSupportedInstanceFamilyT2), get(ec2types.UnlimitedSupportedInstanceFamilyT3); t2 != "standard" || t3 != "unlimited" {
		t.Errorf("defaults: t2 %s, t3 %s", t2, t3)
	}
	v, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.32.0.0/16")})
	must(t, err)
	s, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: v.Vpc.VpcId, CidrBlock: aws.String("10.32.1.0/24")})
	must(t, err)
	launch := func() string {
		t.Helper()
		r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: s.Subnet.SubnetId})
		must(t, err)
		return aws.ToString(r.Instances[0].InstanceId)
	}
	before := launch()
	m, err := e.ModifyDefaultCreditSpecification(ctx, &ec2.ModifyDefaultCreditSpecificationInput{InstanceFamily: ec2types.UnlimitedSupportedInstanceFamilyT3,
		CpuCredits: aws.String("standard")})
	must(t, err)
	if aws.ToString(m.InstanceFamilyCreditSpecification.CpuCredits) != "standard" {
		t.Errorf("modify answered %+v", m.InstanceFamilyCreditSpecification)
	}
	if got := get(ec2types.UnlimitedSupportedInstanceFamilyT3); got != "standard" {
		t.Errorf("t3 after the change: %s", got)
	}
	after := launch()
	d, err := e.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{before, after}})
	must(t, err)
	got := map[string]string{}
	for _, cs := range d.InstanceCreditSpecifications {
		got[aws.ToString(cs.InstanceId)] = aws.ToString(cs.CpuCredits)
	}
	if got[before] != "unlimited" || got[after] != "standard" {
		t.Errorf("credit specifications: before %s, after %s", got[before], got[after])
	}
	_, err = e.ModifyDefaultCreditSpecification(ctx, &ec2.ModifyDefaultCreditSpecificationInput{InstanceFamily: ec2types.UnlimitedSupportedInstanceFamilyT2,
		CpuCredits: aws.String("boosted")})
	wantAPIError(t, err, "InvalidParameterValue", "Value (boosted) for parameter cpuCredits is invalid. Valid values are standard, unlimited.")
}
