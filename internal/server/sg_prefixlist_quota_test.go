package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// A rule that references a prefix list counts the list's weight against
// the group's 60-rule quota: CloudFront's origin-facing list 55, a
// customer-managed list its MaxEntries ("AWS-managed prefix list weight",
// Amazon VPC User Guide). CloudFront's list on 80 and on 443 is refused;
// on one rule it fits, and five more rules then fill the quota.
func TestSecurityGroupPrefixListWeight(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL).ec2
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("alb-sg"), Description: aws.String("alb"), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{Filters: []ec2types.Filter{{Name: aws.String("prefix-list-name"), Values: []string{"com.amazonaws.global.cloudfront.origin-facing"}}}})
	if err != nil || len(pl.PrefixLists) != 1 {
		t.Fatalf("CloudFront's prefix list: %v %+v", err, pl)
	}
	cloudfront := pl.PrefixLists[0].PrefixListId
	perm := func(port int32, src ec2types.IpPermission) ec2types.IpPermission {
		src.IpProtocol, src.FromPort, src.ToPort = aws.String("tcp"), aws.Int32(port), aws.Int32(port)
		return src
	}
	fromCloudFront := ec2types.IpPermission{PrefixListIds: []ec2types.PrefixListId{{PrefixListId: cloudfront}}}
	quota := func(err error) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "RulesPerSecurityGroupLimitExceeded" || ae.ErrorMessage() != "The maximum number of rules per security group has been reached." {
			t.Fatalf("want RulesPerSecurityGroupLimitExceeded, got %v", err)
		}
	}
	// 80 and 443 from CloudFront: 110 rules' worth, refused whole.
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId,
		IpPermissions: []ec2types.IpPermission{perm(80, fromCloudFront), perm(443, fromCloudFront)}})
	quota(err)
	got, err := c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{Filters: []ec2types.Filter{{Name: aws.String("group-id"), Values: []string{*sg.GroupId}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range got.SecurityGroupRules {
		if !aws.ToBool(r.IsEgress) {
			t.Fatalf("the refused call left a rule: %+v", r)
		}
	}
	// One rule (80-443) fits: 55; five more CIDR rules make 60; the sixth is refused.
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId,
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(443), PrefixListIds: fromCloudFront.PrefixListIds}}}); err != nil {
		t.Fatal(err)
	}
	office := []string{"198.51.100.1/32", "198.51.100.2/32", "198.51.100.3/32", "198.51.100.4/32", "198.51.100.5/32", "198.51.100.6/32"}
	for i, cidr := range office {
		_, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId,
			IpPermissions: []ec2types.IpPermission{perm(22, ec2types.IpPermission{IpRanges: []ec2types.IpRange{{CidrIp: aws.String(cidr)}}})}})
		if i < 5 && err != nil {
			t.Fatalf("rule %d: %v", 56+i, err)
		}
		if i == 5 {
			quota(err)
		}
	}
	// ModifySecurityGroupRules counts the same: of seven CIDR rules, the
	// first changed to CloudFront's list would make 6 + 55 = 61: refused,
	// and the rule stays as it was.
	sg3, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web-sg"), Description: aws.String("web"), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	var ranges []ec2types.IpRange
	for _, cidr := range append(office, "198.51.100.7/32") {
		ranges = append(ranges, ec2types.IpRange{CidrIp: aws.String(cidr)})
	}
	added, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg3.GroupId,
		IpPermissions: []ec2types.IpPermission{perm(22, ec2types.IpPermission{IpRanges: ranges})}})
	if err != nil || len(added.SecurityGroupRules) != 7 {
		t.Fatalf("seven rules: %v %+v", err, added)
	}
	first := added.SecurityGroupRules[0].SecurityGroupRuleId
	_, err = c.ModifySecurityGroupRules(ctx, &ec2.ModifySecurityGroupRulesInput{GroupId: sg3.GroupId, SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{
		SecurityGroupRuleId: first,
		SecurityGroupRule:   &ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), PrefixListId: cloudfront},
	}}})
	quota(err)
	rule, err := c.DescribeSecurityGroupRules(ctx, &ec2.DescribeSecurityGroupRulesInput{SecurityGroupRuleIds: []string{*first}})
	if err != nil || len(rule.SecurityGroupRules) != 1 || aws.ToString(rule.SecurityGroupRules[0].CidrIpv4) != office[0] {
		t.Fatalf("the refused change left the rule changed: %v %+v", err, rule)
	}

	// A customer-managed list counts its MaxEntries, not its entries.
	mine, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("partners"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(59),
		Entries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("203.0.113.0/24")}}})
	if err != nil {
		t.Fatal(err)
	}
	sg2, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("api-sg"), Description: aws.String("api"), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	fromPartners := ec2types.IpPermission{PrefixListIds: []ec2types.PrefixListId{{PrefixListId: mine.PrefixList.PrefixListId}}}
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg2.GroupId,
		IpPermissions: []ec2types.IpPermission{perm(443, fromPartners), perm(80, ec2types.IpPermission{IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}})}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg2.GroupId,
		IpPermissions: []ec2types.IpPermission{perm(8080, ec2types.IpPermission{IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}})}})
	quota(err)
}
