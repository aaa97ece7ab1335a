package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
)

// The calls Terraform's AWS provider makes for its ELBv2 resources
// (internal/service/elbv2: load_balancer.go, target_group.go, listener.go,
// listener_rule.go, target_group_attachment.go, listener_certificate.go,
// trust_store.go, trust_store_revocation.go), in the provider's order, with
// the fields its Read functions and waiters look at.
func TestTerraformELBv2Resources(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	wantCode := func(err error, code string) {
		t.Helper()
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != code {
			t.Fatalf("want %s, got %v", code, err)
		}
	}

	// A dual-stack VPC with public subnets in two zones.
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), AmazonProvidedIpv6CidrBlock: aws.Bool(true)})
	must(err)
	vpcID := vpc.Vpc.VpcId
	v, err := c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{aws.ToString(vpcID)}})
	must(err)
	v6 := netip.MustParsePrefix(aws.ToString(v.Vpcs[0].Ipv6CidrBlockAssociationSet[0].Ipv6CidrBlock)) // a /56
	// sub64 is the VPC's nth /64.
	sub64 := func(n byte) string {
		b := v6.Addr().As16()
		b[7] = n
		return netip.PrefixFrom(netip.AddrFrom16(b), 64).String()
	}
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpcID, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)),
			AvailabilityZone: aws.String(az), Ipv6CidrBlock: aws.String(sub64(byte(i + 1)))})
		must(err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	igw, err := c.ec2.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
	must(err)
	_, err = c.ec2.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: igw.InternetGateway.InternetGatewayId, VpcId: vpcID})
	must(err)
	sg, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("lb"), Description: aws.String("lb"), VpcId: vpcID})
	must(err)
	sg2, err := c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("lb2"), Description: aws.String("lb2"), VpcId: vpcID})
	must(err)

	// aws_lb: create, wait active, set attributes, read.
	lbOut, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("tf-lb"), Subnets: subnets,
		SecurityGroups: []string{aws.ToString(sg.GroupId)}, Type: elbtypes.LoadBalancerTypeEnumApplication,
		IpAddressType: elbtypes.IpAddressTypeDualstack, Tags: []elbtypes.Tag{{Key: aws.String("Name"), Value: aws.String("tf")}}})
	must(err)
	lbARN := lbOut.LoadBalancers[0].LoadBalancerArn
	readLB := func() elbtypes.LoadBalancer {
		out, err := c.elb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lbARN)}})
		must(err)
		if len(out.LoadBalancers) != 1 {
			t.Fatalf("DescribeLoadBalancers: %d load balancers", len(out.LoadBalancers))
		}
		return out.LoadBalancers[0]
	}
	eventually(t, "load balancer active", func() bool { return readLB().State.Code == elbtypes.LoadBalancerStateEnumActive })
	_, err = c.elb.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lbARN, Attributes: []elbtypes.LoadBalancerAttribute{
		{Key: aws.String("access_logs.s3.enabled"), Value: aws.String("false")},
		{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("120")},
		{Key: aws.String("deletion_protection.enabled"), Value: aws.String("false")},
	}})
	must(err)
	lb := readLB()
	if lb.IpAddressType != elbtypes.IpAddressTypeDualstack || aws.ToString(lb.VpcId) != aws.ToString(vpcID) || len(lb.AvailabilityZones) != 2 ||
		aws.ToString(lb.CanonicalHostedZoneId) == "" || aws.ToString(lb.DNSName) == "" || lb.Scheme != elbtypes.LoadBalancerSchemeEnumInternetFacing ||
		len(lb.SecurityGroups) != 1 {
		t.Fatalf("load balancer: %+v", lb)
	}
	attrs, err := c.elb.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lbARN})
	must(err)
	if kv(attrs.Attributes)["idle_timeout.timeout_seconds"] != "120" {
		t.Fatalf("attributes: %v", kv(attrs.Attributes))
	}
	cr, err := c.elb.DescribeCapacityReservation(ctx, &elbv2.DescribeCapacityReservationInput{LoadBalancerArn: lbARN})
	must(err)
	if cr.MinimumLoadBalancerCapacity != nil || len(cr.CapacityReservationState) != 0 {
		t.Fatalf("a new load balancer has no capacity reservation: %+v", cr)
	}
	tags, err := c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{aws.ToString(lbARN)}})
	must(err)
	if len(tags.TagDescriptions) != 1 || len(tags.TagDescriptions[0].Tags) != 1 {
		t.Fatalf("tags: %+v", tags)
	}
	// Dual-stack nodes: every node ENI has an IPv6 address of its subnet.
	name := strings.SplitN(aws.ToString(lbARN), ":loadbalancer/", 2)[1]
	enis := func() []ec2types.NetworkInterface {
		out, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{
			{Name: aws.String("attachment.instance-owner-id"), Values: []string{"amazon-elb"}},
			{Name: aws.String("description"), Values: []string{"ELB " + name}}}})
		must(err)
		return out.NetworkInterfaces
	}
	nodes := enis()
	if len(nodes) != 2 {
		t.Fatalf("the provider finds the node ENIs by owner and description: %d", len(nodes))
	}
	for _, n := range nodes {
		if len(n.Ipv6Addresses) != 1 {
			t.Fatalf("dual-stack node without IPv6: %+v", n)
		}
	}

	// aws_lb update: security groups, IP address type, capacity.
	_, err = c.elb.SetSecurityGroups(ctx, &elbv2.SetSecurityGroupsInput{LoadBalancerArn: lbARN, SecurityGroups: []string{aws.ToString(sg.GroupId), aws.ToString(sg2.GroupId)}})
	must(err)
	_, err = c.elb.SetIpAddressType(ctx, &elbv2.SetIpAddressTypeInput{LoadBalancerArn: lbARN, IpAddressType: elbtypes.IpAddressTypeIpv4})
	must(err)
	for _, n := range enis() {
		if len(n.Ipv6Addresses) != 0 {
			t.Fatalf("ipv4 node keeps IPv6: %+v", n)
		}
	}
	_, err = c.elb.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{LoadBalancerArn: lbARN,
		MinimumLoadBalancerCapacity: &elbtypes.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(100)}, ResetCapacityReservation: aws.Bool(false)})
	must(err)
	eventually(t, "capacity provisioned", func() bool {
		cr, err := c.elb.DescribeCapacityReservation(ctx, &elbv2.DescribeCapacityReservationInput{LoadBalancerArn: lbARN})
		must(err)
		ok := cr.MinimumLoadBalancerCapacity != nil && aws.ToInt32(cr.MinimumLoadBalancerCapacity.CapacityUnits) == 100 && len(cr.CapacityReservationState) == 2
		for _, s := range cr.CapacityReservationState {
			ok = ok && s.State.Code == elbtypes.CapacityReservationStateEnumProvisioned
		}
		return ok
	})
	_, err = c.elb.ModifyCapacityReservation(ctx, &elbv2.ModifyCapacityReservationInput{LoadBalancerArn: lbARN, ResetCapacityReservation: aws.Bool(true)})
	must(err)
	_, err = c.elb.ModifyIpPools(ctx, &elbv2.ModifyIpPoolsInput{LoadBalancerArn: lbARN, RemoveIpamPools: []elbtypes.RemoveIpamPoolEnum{elbtypes.RemoveIpamPoolEnumIpv4}})
	must(err)

	// aws_lb_target_group: create, attributes, read.
	tgOut, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("tf-tg"), Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp,
		VpcId: vpcID, TargetType: elbtypes.TargetTypeEnumIp, HealthCheckPath: aws.String("/health")})
	must(err)
	tgARN := tgOut.TargetGroups[0].TargetGroupArn
	_, err = c.elb.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: tgARN, Attributes: []elbtypes.TargetGroupAttribute{
		{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
		{Key: aws.String("stickiness.enabled"), Value: aws.String("false")},
		{Key: aws.String("stickiness.type"), Value: aws.String("lb_cookie")},
	}})
	must(err)
	tgs, err := c.elb.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(tgARN)}})
	must(err)
	if tg := tgs.TargetGroups[0]; aws.ToString(tg.HealthCheckPath) != "/health" || aws.ToString(tg.VpcId) != aws.ToString(vpcID) {
		t.Fatalf("target group: %+v", tg)
	}
	tga, err := c.elb.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tgARN})
	must(err)
	if kv2(tga.Attributes)["deregistration_delay.timeout_seconds"] != "30" {
		t.Fatalf("target group attributes: %v", kv2(tga.Attributes))
	}

	// aws_lb_target_group_attachment: register, read the one target, deregister.
	target := elbtypes.TargetDescription{Id: aws.String("10.0.1.10"), Port: aws.Int32(80)}
	_, err = c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{target}})
	must(err)
	th, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{target}})
	must(err)
	if len(th.TargetHealthDescriptions) != 1 || aws.ToString(th.TargetHealthDescriptions[0].Target.Id) != "10.0.1.10" {
		t.Fatalf("target health: %+v", th)
	}

	// aws_lb_listener: create, read with attributes, modify attributes.
	lsOut, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(80), Protocol: elbtypes.ProtocolEnumHttp,
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tgARN}},
		Tags:           []elbtypes.Tag{{Key: aws.String("Name"), Value: aws.String("tf")}}})
	must(err)
	lsARN := lsOut.Listeners[0].ListenerArn
	ls, err := c.elb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{aws.ToString(lsARN)}})
	must(err)
	if l := ls.Listeners[0]; aws.ToInt32(l.Port) != 80 || aws.ToString(l.DefaultActions[0].TargetGroupArn) != aws.ToString(tgARN) {
		t.Fatalf("listener: %+v", l)
	}
	la, err := c.elb.DescribeListenerAttributes(ctx, &elbv2.DescribeListenerAttributesInput{ListenerArn: lsARN})
	must(err)
	if kv3(la.Attributes)["routing.http.response.server.enabled"] != "true" {
		t.Fatalf("listener attributes: %v", kv3(la.Attributes))
	}
	_, err = c.elb.ModifyListenerAttributes(ctx, &elbv2.ModifyListenerAttributesInput{ListenerArn: lsARN, Attributes: []elbtypes.ListenerAttribute{
		{Key: aws.String("routing.http.response.server.enabled"), Value: aws.String("false")},
		{Key: aws.String("routing.http.response.x_frame_options.header_value"), Value: aws.String("DENY")}}})
	must(err)
	la, err = c.elb.DescribeListenerAttributes(ctx, &elbv2.DescribeListenerAttributesInput{ListenerArn: lsARN})
	must(err)
	if m := kv3(la.Attributes); m["routing.http.response.server.enabled"] != "false" || m["routing.http.response.x_frame_options.header_value"] != "DENY" {
		t.Fatalf("listener attributes after modify: %v", m)
	}
	_, err = c.elb.ModifyListenerAttributes(ctx, &elbv2.ModifyListenerAttributesInput{ListenerArn: lsARN, Attributes: []elbtypes.ListenerAttribute{
		{Key: aws.String("tcp.idle_timeout.seconds"), Value: aws.String("400")}}})
	wantCode(err, "ValidationError") // an NLB attribute on an ALB listener

	// aws_lb_listener_rule: create, read, modify, reprioritize, delete.
	rOut, err := c.elb.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: lsARN, Priority: aws.Int32(10),
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{"/api/*"}}}},
		Actions:    []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tgARN}}})
	must(err)
	ruleARN := rOut.Rules[0].RuleArn
	rules, err := c.elb.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(ruleARN)}})
	must(err)
	if aws.ToString(rules.Rules[0].Priority) != "10" {
		t.Fatalf("rule: %+v", rules.Rules[0])
	}
	_, err = c.elb.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ruleARN,
		Conditions: []elbtypes.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &elbtypes.PathPatternConditionConfig{Values: []string{"/v2/*"}}}}})
	must(err)
	_, err = c.elb.SetRulePriorities(ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: []elbtypes.RulePriorityPair{{RuleArn: ruleARN, Priority: aws.Int32(20)}}})
	must(err)
	_, err = c.elb.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: ruleARN})
	must(err)

	// aws_lb_trust_store and aws_lb_trust_store_revocation, then an HTTPS
	// listener verifying client certificates (mutual_authentication), and
	// aws_lb_listener_certificate.
	tsOut, err := c.elb.CreateTrustStore(ctx, &elbv2.CreateTrustStoreInput{Name: aws.String("tf-ts"), CaCertificatesBundleS3Bucket: aws.String("bucket"),
		CaCertificatesBundleS3Key: aws.String("ca.pem"), Tags: []elbtypes.Tag{{Key: aws.String("Name"), Value: aws.String("tf")}}})
	must(err)
	tsARN := tsOut.TrustStores[0].TrustStoreArn
	eventually(t, "trust store active", func() bool {
		out, err := c.elb.DescribeTrustStores(ctx, &elbv2.DescribeTrustStoresInput{TrustStoreArns: []string{aws.ToString(tsARN)}})
		must(err)
		return out.TrustStores[0].Status == elbtypes.TrustStoreStatusActive
	})
	_, err = c.elb.CreateTrustStore(ctx, &elbv2.CreateTrustStoreInput{Name: aws.String("tf-ts"), CaCertificatesBundleS3Bucket: aws.String("b"), CaCertificatesBundleS3Key: aws.String("k")})
	wantCode(err, "DuplicateTrustStoreName")
	bundle, err := c.elb.GetTrustStoreCaCertificatesBundle(ctx, &elbv2.GetTrustStoreCaCertificatesBundleInput{TrustStoreArn: tsARN})
	must(err)
	if !strings.Contains(aws.ToString(bundle.Location), "bucket") {
		t.Fatalf("bundle location: %s", aws.ToString(bundle.Location))
	}
	_, err = c.elb.ModifyTrustStore(ctx, &elbv2.ModifyTrustStoreInput{TrustStoreArn: tsARN, CaCertificatesBundleS3Bucket: aws.String("bucket"), CaCertificatesBundleS3Key: aws.String("ca2.pem")})
	must(err)
	rev, err := c.elb.AddTrustStoreRevocations(ctx, &elbv2.AddTrustStoreRevocationsInput{TrustStoreArn: tsARN,
		RevocationContents: []elbtypes.RevocationContent{{S3Bucket: aws.String("bucket"), S3Key: aws.String("crl.pem")}}})
	must(err)
	revID := rev.TrustStoreRevocations[0].RevocationId
	revs, err := c.elb.DescribeTrustStoreRevocations(ctx, &elbv2.DescribeTrustStoreRevocationsInput{TrustStoreArn: tsARN, RevocationIds: []int64{aws.ToInt64(revID)}})
	must(err)
	if len(revs.TrustStoreRevocations) != 1 || revs.TrustStoreRevocations[0].RevocationType != elbtypes.RevocationTypeCrl {
		t.Fatalf("revocations: %+v", revs)
	}
	_, err = c.elb.GetResourcePolicy(ctx, &elbv2.GetResourcePolicyInput{ResourceArn: tsARN})
	must(err)
	// Listeners name certificates IAM (or ACM) holds.
	certARN := func(name string, n int) string {
		body, err := os.ReadFile(fmt.Sprintf("testdata/certs/cert%d.pem", n))
		must(err)
		key, err := os.ReadFile(fmt.Sprintf("testdata/certs/key%d.pem", n))
		must(err)
		out, err := iamClient(em.URL).UploadServerCertificate(ctx, &iam.UploadServerCertificateInput{ServerCertificateName: aws.String(name),
			CertificateBody: aws.String(string(body)), PrivateKey: aws.String(string(key))})
		must(err)
		return aws.ToString(out.ServerCertificateMetadata.Arn)
	}
	https, err := c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lbARN, Port: aws.Int32(443), Protocol: elbtypes.ProtocolEnumHttps,
		Certificates:         []elbtypes.Certificate{{CertificateArn: aws.String(certARN("a", 1))}},
		DefaultActions:       []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tgARN}},
		MutualAuthentication: &elbtypes.MutualAuthenticationAttributes{Mode: aws.String("verify"), TrustStoreArn: tsARN}})
	must(err)
	httpsARN := https.Listeners[0].ListenerArn
	if m := https.Listeners[0].MutualAuthentication; m == nil || aws.ToString(m.Mode) != "verify" || aws.ToString(m.TrustStoreArn) != aws.ToString(tsARN) {
		t.Fatalf("mutual authentication: %+v", https.Listeners[0].MutualAuthentication)
	}
	assoc, err := c.elb.DescribeTrustStoreAssociations(ctx, &elbv2.DescribeTrustStoreAssociationsInput{TrustStoreArn: tsARN})
	must(err)
	if len(assoc.TrustStoreAssociations) != 1 || aws.ToString(assoc.TrustStoreAssociations[0].ResourceArn) != aws.ToString(lbARN) {
		t.Fatalf("associations: %+v", assoc)
	}
	_, err = c.elb.DeleteTrustStore(ctx, &elbv2.DeleteTrustStoreInput{TrustStoreArn: tsARN})
	wantCode(err, "TrustStoreInUse")
	extra := certARN("b", 2)
	_, err = c.elb.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: httpsARN, Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(extra)}}})
	must(err)
	lc, err := c.elb.DescribeListenerCertificates(ctx, &elbv2.DescribeListenerCertificatesInput{ListenerArn: httpsARN})
	must(err)
	found := false
	for _, x := range lc.Certificates {
		found = found || (aws.ToString(x.CertificateArn) == extra && !aws.ToBool(x.IsDefault))
	}
	if !found {
		t.Fatalf("listener certificates: %+v", lc.Certificates)
	}
	_, err = c.elb.RemoveListenerCertificates(ctx, &elbv2.RemoveListenerCertificatesInput{ListenerArn: httpsARN, Certificates: []elbtypes.Certificate{{CertificateArn: aws.String(extra)}}})
	must(err)

	// Deletes, in Terraform's dependency order.
	for _, l := range []*string{httpsARN, lsARN} {
		_, err = c.elb.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: l})
		must(err)
	}
	_, err = c.elb.RemoveTrustStoreRevocations(ctx, &elbv2.RemoveTrustStoreRevocationsInput{TrustStoreArn: tsARN, RevocationIds: []int64{aws.ToInt64(revID)}})
	must(err)
	_, err = c.elb.DeleteTrustStore(ctx, &elbv2.DeleteTrustStoreInput{TrustStoreArn: tsARN})
	must(err)
	_, err = c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: tgARN, Targets: []elbtypes.TargetDescription{target}})
	must(err)
	_, err = c.elb.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: tgARN})
	must(err)
	_, err = c.elb.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lbARN})
	must(err)
	eventually(t, "node ENIs gone", func() bool { return len(enis()) == 0 })
}

// A dual-stack load balancer needs IPv6 blocks in its subnets, as AWS
// answers; dualstack-without-public-ipv4 is for internet-facing ALBs.
func TestDualStackLoadBalancerNeedsIPv6Subnets(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	ctx := context.Background()
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailabilityZone: aws.String(az)})
		if err != nil {
			t.Fatal(err)
		}
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	_, err = c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("v6"), Subnets: subnets,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, IpAddressType: elbtypes.IpAddressTypeDualstack})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" || ae.ErrorMessage() != "You must specify subnets with an associated IPv6 CIDR block." {
		t.Fatalf("dualstack without IPv6 subnets: %v", err)
	}
	_, err = c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("v6"), Subnets: subnets,
		Scheme: elbtypes.LoadBalancerSchemeEnumInternal, IpAddressType: elbtypes.IpAddressTypeDualstackWithoutPublicIpv4})
	if !errors.As(err, &ae) || ae.ErrorCode() != "ValidationError" {
		t.Fatalf("dualstack-without-public-ipv4 on an internal ALB: %v", err)
	}
}

func kv(a []elbtypes.LoadBalancerAttribute) map[string]string {
	m := map[string]string{}
	for _, x := range a {
		m[aws.ToString(x.Key)] = aws.ToString(x.Value)
	}
	return m
}

func kv2(a []elbtypes.TargetGroupAttribute) map[string]string {
	m := map[string]string{}
	for _, x := range a {
		m[aws.ToString(x.Key)] = aws.ToString(x.Value)
	}
	return m
}

func kv3(a []elbtypes.ListenerAttribute) map[string]string {
	m := map[string]string{}
	for _, x := range a {
		m[aws.ToString(x.Key)] = aws.ToString(x.Value)
	}
	return m
}
