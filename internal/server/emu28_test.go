package server_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/server"
)

// apiErrorIs reports a mismatch of err against AWS's code and text.
func apiErrorIs(t *testing.T, what string, err error, code, text string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != text {
		t.Errorf("%s: got %v, want %s %q", what, err, code, text)
	}
}

// A health check path without its leading "/" is refused for what it is,
// not with the 1024-character length text; a Lambda target group's
// attributes are the one AWS lists for it, and the NLB-style ones are
// unknown keys there.
func TestTargetGroupPathAndLambdaAttributes(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: vpc.Vpc.VpcId, HealthCheckPath: aws.String("health")})
	apiErrorIs(t, "path without /", err, "ValidationError", "Health check path 'health' must begin with a '/' character")

	fn, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: elbtypes.TargetTypeEnumLambda})
	if err != nil {
		t.Fatal(err)
	}
	arn := fn.TargetGroups[0].TargetGroupArn
	attrs, err := c.elb.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	if len(attrs.Attributes) != 1 || aws.ToString(attrs.Attributes[0].Key) != "lambda.multi_value_headers.enabled" || aws.ToString(attrs.Attributes[0].Value) != "false" {
		t.Errorf("lambda attributes: %+v", attrs.Attributes)
	}
	set, err := c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: arn,
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("lambda.multi_value_headers.enabled"), Value: aws.String("true")}}})
	if err != nil || len(set.Attributes) != 1 || aws.ToString(set.Attributes[0].Value) != "true" {
		t.Errorf("set multi-value headers: %v %+v", err, set)
	}
	_, err = c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: arn,
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("proxy_protocol_v2.enabled"), Value: aws.String("true")}}})
	if err == nil {
		t.Error("proxy_protocol_v2.enabled on a Lambda target group: accepted")
	}
}

// DeleteAlias of an AWS managed key's alias is refused in the delete's
// words; CreateAlias of one keeps the create's.
func TestKMSDeleteReservedAlias(t *testing.T) {
	em := newEmulator(t, nil)
	k := kmsClient(em.URL)
	_, err := k.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String("alias/aws/ebs")})
	apiErrorIs(t, "delete alias/aws/ebs", err, "NotAuthorizedException", "Cannot delete alias with prefix 'alias/aws/'")
	key, err := k.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = k.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/aws/mine"), TargetKeyId: key.KeyMetadata.KeyId})
	apiErrorIs(t, "create alias/aws/mine", err, "NotAuthorizedException", "Cannot create alias with prefix 'alias/aws/'")
}

// In a China region the VPC endpoint services' names live under
// amazonaws.com.cn: an AWS service's private DNS name and base endpoint
// name, an account's endpoint service's base name, and an interface
// endpoint's DNS entries.
func TestEndpointDNSNamesInChina(t *testing.T) {
	em := newEmulatorWith(t, server.Options{Region: "cn-north-1"})
	cfg := sdkConfig()
	cfg.Region = "cn-north-1"
	c := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	out, err := c.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{})
	if err != nil {
		t.Fatal(err)
	}
	var ecr *ec2types.ServiceDetail
	for i, s := range out.ServiceDetails {
		if strings.HasSuffix(aws.ToString(s.ServiceName), ".ecr.api") {
			ecr = &out.ServiceDetails[i]
		}
		for _, n := range append(s.BaseEndpointDnsNames, aws.ToString(s.PrivateDnsName)) {
			if n != "" && !strings.HasSuffix(n, ".amazonaws.com.cn") {
				t.Errorf("%s: DNS name %s", aws.ToString(s.ServiceName), n)
			}
		}
	}
	if ecr == nil || aws.ToString(ecr.PrivateDnsName) != "api.ecr.cn-north-1.amazonaws.com.cn" ||
		len(ecr.BaseEndpointDnsNames) != 1 || ecr.BaseEndpointDnsNames[0] != "api.ecr.cn-north-1.vpce.amazonaws.com.cn" {
		t.Fatalf("ecr.api in cn-north-1: %+v", ecr)
	}

	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc.Vpc.VpcId, EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("cn-north-1a")})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, ServiceName: ecr.ServiceName,
		VpcEndpointType: ec2types.VpcEndpointTypeInterface, SubnetIds: []string{aws.ToString(sub.Subnet.SubnetId)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ep.VpcEndpoint.DnsEntries) != 2 {
		t.Fatalf("DnsEntries: %+v", ep.VpcEndpoint.DnsEntries)
	}
	for _, d := range ep.VpcEndpoint.DnsEntries {
		if !strings.HasSuffix(aws.ToString(d.DnsName), ".ecr.api.cn-north-1.vpce.amazonaws.com.cn") {
			t.Errorf("endpoint DNS entry %s", aws.ToString(d.DnsName))
		}
	}
}

// Route 53 refuses weighted records that do not go together, as AWS does:
// a Weight without a SetIdentifier and a SetIdentifier without a routing
// policy (InvalidInput, before the batch is looked at), a weighted record
// next to a plain one of its name and type and the reverse, and a 101st
// weighted record of one name and type (InvalidChangeBatch).
func TestRoute53WeightedRecordRules(t *testing.T) {
	em := newEmulator(t, nil)
	r := route53Client(em.URL)
	z, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.com"), CallerReference: aws.String("emu28")})
	if err != nil {
		t.Fatal(err)
	}
	zone := z.HostedZone.Id
	weighted := func(action r53types.ChangeAction, name, id string, weight *int64, value string) r53types.Change {
		c := change(action, name, r53types.RRTypeA, value)
		if id != "" {
			c.ResourceRecordSet.SetIdentifier = aws.String(id)
		}
		c.ResourceRecordSet.Weight = weight
		return c
	}
	err = changeRecords(r, zone, weighted(r53types.ChangeActionCreate, "w.example.com", "", aws.Int64(10), "10.0.0.1"))
	apiErrorIs(t, "weight without set identifier", err, "InvalidInput",
		"Invalid request: Missing field 'SetIdentifier' in Change with [Action=CREATE, Name=w.example.com., Type=A, SetIdentifier=null]")
	err = changeRecords(r, zone, weighted(r53types.ChangeActionUpsert, "w.example.com", "blue", nil, "10.0.0.1"))
	apiErrorIs(t, "set identifier without policy", err, "InvalidInput",
		"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in Change with [Action=UPSERT, Name=w.example.com., Type=A, SetIdentifier=blue]")

	// A plain record, then a weighted one of its name and type; and the reverse.
	if err := changeRecords(r, zone, change(r53types.ChangeActionCreate, "p.example.com", r53types.RRTypeA, "10.0.0.1")); err != nil {
		t.Fatal(err)
	}
	err = changeRecords(r, zone, weighted(r53types.ChangeActionCreate, "p.example.com", "blue", aws.Int64(1), "10.0.0.2"))
	apiErrorIs(t, "weighted next to plain", err, "InvalidChangeBatch",
		"[RRSet with DNS name p.example.com., type A, SetIdentifier blue cannot be created as a non-weighted set exists with the same name and type.]")
	if err := changeRecords(r, zone, weighted(r53types.ChangeActionCreate, "w.example.com", "blue", aws.Int64(1), "10.0.0.1")); err != nil {
		t.Fatal(err)
	}
	err = changeRecords(r, zone, change(r53types.ChangeActionCreate, "w.example.com", r53types.RRTypeA, "10.0.0.9"))
	apiErrorIs(t, "plain next to weighted", err, "InvalidChangeBatch",
		"[RRSet with DNS name w.example.com., type A cannot be created as other RRSets exist with the same name and type.]")

	// 100 weighted records of a name and type, and one more.
	var batch []r53types.Change
	for i := range 99 {
		batch = append(batch, weighted(r53types.ChangeActionCreate, "w.example.com", fmt.Sprintf("w%d", i), aws.Int64(1), "10.0.1.1"))
	}
	if err := changeRecords(r, zone, batch...); err != nil {
		t.Fatal(err)
	}
	err = changeRecords(r, zone, weighted(r53types.ChangeActionCreate, "w.example.com", "one-too-many", aws.Int64(1), "10.0.2.1"))
	apiErrorIs(t, "101st weighted record", err, "InvalidChangeBatch", "[Exceeded limit on number of weighted RRSets for w.example.com., type A in this zone.]")
	// Changing one of the 100 is not a new one.
	if err := changeRecords(r, zone, weighted(r53types.ChangeActionUpsert, "w.example.com", "w7", aws.Int64(5), "10.0.1.1")); err != nil {
		t.Errorf("UPSERT of the 100th's neighbour: %v", err)
	}
}

// The rule quota of a security group (60 a direction) holds for IPv4 and
// IPv6 rules apart, a prefix list weighing its MaxEntries in its own
// family; a resize of a referenced prefix list that would put a group
// over the quota fails (modify-failed, the group named, the size kept).
func TestPrefixListWeightByFamilyAndResize(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL).ec2
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	group := func(name string) *string {
		g, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name), VpcId: vpc.Vpc.VpcId})
		if err != nil {
			t.Fatal(err)
		}
		return g.GroupId
	}
	ranges := func(n int, v6 bool) ec2types.IpPermission {
		p := ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443)}
		for i := range n {
			if v6 {
				p.Ipv6Ranges = append(p.Ipv6Ranges, ec2types.Ipv6Range{CidrIpv6: aws.String(fmt.Sprintf("2001:db8:%x::/48", i))})
			} else {
				p.IpRanges = append(p.IpRanges, ec2types.IpRange{CidrIp: aws.String(fmt.Sprintf("10.1.%d.0/24", i))})
			}
		}
		return p
	}
	allow := func(g *string, perms ...ec2types.IpPermission) error {
		_, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: g, IpPermissions: perms})
		return err
	}
	list := func(name, family string, max int32) *string {
		p, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String(name), AddressFamily: aws.String(family), MaxEntries: aws.Int32(max)})
		if err != nil {
			t.Fatal(err)
		}
		return p.PrefixList.PrefixListId
	}
	viaList := func(id *string) ec2types.IpPermission {
		return ec2types.IpPermission{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
			PrefixListIds: []ec2types.PrefixListId{{PrefixListId: id}}}
	}

	// 40 IPv4 and 30 IPv6 rules: each family under 60.
	mixed := group("mixed")
	if err := allow(mixed, ranges(40, false), ranges(30, true)); err != nil {
		t.Errorf("40 IPv4 and 30 IPv6 rules: %v", err)
	}
	// An IPv6 list of 30 next to 40 IPv4 rules; an IPv4 list of 30 is one too many.
	v6 := list("v6", "IPv6", 30)
	withList := group("with-list")
	if err := allow(withList, ranges(40, false)); err != nil {
		t.Fatal(err)
	}
	if err := allow(withList, viaList(v6)); err != nil {
		t.Errorf("an IPv6 list of 30 next to 40 IPv4 rules: %v", err)
	}
	err = allow(withList, viaList(list("v4-30", "IPv4", 30)))
	apiErrorIs(t, "an IPv4 list of 30 next to 40 IPv4 rules", err, "RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.")

	// An IPv4 list of 10 next to those 40 (50), resized to 30 (70): the
	// call is taken, the resize fails; to 20 (60) it holds.
	v4 := list("v4", "IPv4", 10)
	if err := allow(withList, viaList(v4)); err != nil {
		t.Fatal(err)
	}
	describe := func() ec2types.ManagedPrefixList {
		out, err := c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{aws.ToString(v4)}})
		if err != nil || len(out.PrefixLists) != 1 {
			t.Fatalf("describe: %v", err)
		}
		return out.PrefixLists[0]
	}
	if _, err := c.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: v4, MaxEntries: aws.Int32(30)}); err != nil {
		t.Fatal(err)
	}
	if p := describe(); p.State != ec2types.PrefixListStateModifyFailed || aws.ToInt32(p.MaxEntries) != 10 ||
		aws.ToString(p.StateMessage) != "The following resources do not support the new maximum size: "+aws.ToString(withList)+"." {
		t.Errorf("resized to 30: %s %d %q", p.State, aws.ToInt32(p.MaxEntries), aws.ToString(p.StateMessage))
	}
	if _, err := c.ModifyManagedPrefixList(ctx, &ec2.ModifyManagedPrefixListInput{PrefixListId: v4, MaxEntries: aws.Int32(20)}); err != nil {
		t.Fatal(err)
	}
	if p := describe(); p.State == ec2types.PrefixListStateModifyFailed || aws.ToInt32(p.MaxEntries) != 20 {
		t.Errorf("resized to 20: %s %d", p.State, aws.ToInt32(p.MaxEntries))
	}
}
