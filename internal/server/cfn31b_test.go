package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// TestRound31bPlacementGroupWithoutStrategy: Strategy is optional in
// CreatePlacementGroup (botocore) and in AWS::EC2::PlacementGroup; a group
// made without one is a cluster group. Before this round the engine
// refused it (MissingParameter strategy).
func TestRound31bPlacementGroupWithoutStrategy(t *testing.T) {
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	out, err := c.ec2.CreatePlacementGroup(ctx, &ec2.CreatePlacementGroupInput{GroupName: aws.String("plain")})
	must(t, err)
	if out.PlacementGroup.Strategy != ec2types.PlacementStrategyCluster {
		t.Errorf("strategy %q, want cluster", out.PlacementGroup.Strategy)
	}
	cf := cfnClient(em.URL)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("pg"), TemplateBody: aws.String(`
Resources:
  Group:
    Type: AWS::EC2::PlacementGroup
Outputs:
  Name:
    Value: !Ref Group
`)})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	name := stackOutputs(t, cf, "pg")["Name"]
	d, err := c.ec2.DescribePlacementGroups(ctx, &ec2.DescribePlacementGroupsInput{GroupNames: []string{name}})
	must(t, err)
	if len(d.PlacementGroups) != 1 || d.PlacementGroups[0].Strategy != ec2types.PlacementStrategyCluster {
		t.Errorf("stack's group: %+v, want one cluster group", d.PlacementGroups)
	}
}

// round31bPlacementTemplate is an Auto Scaling group launching into the
// placement group named by the parameter Into (First or Second).
const round31bPlacementTemplate = `
Parameters:
  Into: {Type: String, AllowedValues: [First, Second]}
Conditions:
  First: !Equals [!Ref Into, First]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.34.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.34.1.0/24}
  First:
    Type: AWS::EC2::PlacementGroup
    Properties: {Strategy: cluster}
  Second:
    Type: AWS::EC2::PlacementGroup
    Properties: {Strategy: spread}
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties: {ImageId: ami-0123456789abcdef0, InstanceType: c5.large}
  Hosts:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      LaunchConfigurationName: !Ref Config
      VPCZoneIdentifier: [!Ref Subnet]
      PlacementGroup: !If [First, !Ref First, !Ref Second]
      MinSize: 1
      MaxSize: 1
Outputs:
  Hosts: {Value: !Ref Hosts}
  Second: {Value: !Ref Second}
`

// TestRound31bUpdateAutoScalingGroupPlacementGroup: a stack update that
// changes an Auto Scaling group's PlacementGroup updates the group in
// place (the property's "Update requires: No interruption"): the group
// keeps its name and answers the new placement group. Before this round
// the change replaced the group.
func TestRound31bUpdateAutoScalingGroupPlacementGroup(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	param := func(v string) []cfntypes.Parameter {
		return []cfntypes.Parameter{{ParameterKey: aws.String("Into"), ParameterValue: aws.String(v)}}
	}
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("hosts"),
		TemplateBody: aws.String(round31bPlacementTemplate), Parameters: param("First")})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	before := stackOutputs(t, cf, "hosts")
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("hosts"),
		TemplateBody: aws.String(round31bPlacementTemplate), Parameters: param("Second")})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusUpdateComplete)
	after := stackOutputs(t, cf, "hosts")
	if after["Hosts"] != before["Hosts"] {
		t.Errorf("group %s replaced by %s, want it updated in place", before["Hosts"], after["Hosts"])
	}
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{after["Hosts"]}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 || aws.ToString(g.AutoScalingGroups[0].PlacementGroup) != after["Second"] {
		t.Errorf("group after the update: %+v, want PlacementGroup %s", g.AutoScalingGroups, after["Second"])
	}
}

// TestRound31bGroupWhoseLaunchesFail: an AWS::AutoScaling::AutoScalingGroup
// whose launches fail (its placement group does not exist) fails the
// stack, as CloudFormation's handler gives up on a group that does not
// stabilize, with the failed scaling activity's reason; the stack rolls
// back and the group is gone. Before this round the group was
// CREATE_COMPLETE with no instances.
func TestRound31bGroupWhoseLaunchesFail(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	body := strings.Replace(round31bPlacementTemplate, "PlacementGroup: !If [First, !Ref First, !Ref Second]", "PlacementGroup: no-such-group", 1)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("broken"), TemplateBody: aws.String(body),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("Into"), ParameterValue: aws.String("First")}}})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusRollbackComplete)
	ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId})
	must(t, err)
	reason := ""
	for _, e := range ev.StackEvents {
		if aws.ToString(e.LogicalResourceId) == "Hosts" && e.ResourceStatus == cfntypes.ResourceStatusCreateFailed {
			reason = aws.ToString(e.ResourceStatusReason)
		}
	}
	want := "Group did not stabilize. {current/minSize/maxSize} group size = {0/1/1}. Failed Scaling Activity: Launching a new EC2 instance.  Status Reason: The Placement Group 'no-such-group' is unknown. Launching EC2 instance failed."
	if reason != want {
		t.Errorf("Hosts CREATE_FAILED reason %q, want %q", reason, want)
	}
	g, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
	must(t, err)
	if len(g.AutoScalingGroups) != 0 {
		t.Errorf("groups after the rollback: %d, want none", len(g.AutoScalingGroups))
	}
}

// TestRound31bRoute53HealthChecks: CreateHealthCheck with its defaults
// (RequestInterval 30, FailureThreshold 3, port 80), CallerReference
// idempotency (the same configuration answers the same check, another
// one HealthCheckAlreadyExists), GetHealthCheck, ListHealthChecks in
// pages, GetHealthCheckCount, UpdateHealthCheck with HealthCheckVersion,
// GetHealthCheckStatus, tags, a record set naming an unknown health check
// (NoSuchHealthCheck), and DeleteHealthCheck of a check a record set
// still names (Route 53 does not prevent it). Before this round every
// health check operation was NotImplemented.
func TestRound31bRoute53HealthChecks(t *testing.T) {
	em := newEmulator(t, nil)
	r := route53Client(em.URL)
	web := &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeHttp, IPAddress: aws.String("192.0.2.44"), ResourcePath: aws.String("/health")}
	a, err := r.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("web-1"), HealthCheckConfig: web})
	must(t, err)
	id := aws.ToString(a.HealthCheck.Id)
	cfg := a.HealthCheck.HealthCheckConfig
	if aws.ToInt32(cfg.RequestInterval) != 30 || aws.ToInt32(cfg.FailureThreshold) != 3 || aws.ToInt32(cfg.Port) != 80 ||
		aws.ToInt64(a.HealthCheck.HealthCheckVersion) != 1 || aws.ToString(a.Location) != "https://route53.amazonaws.com/2013-04-01/healthcheck/"+id {
		t.Errorf("created: %+v %+v", a.HealthCheck, cfg)
	}
	again, err := r.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("web-1"), HealthCheckConfig: web})
	must(t, err)
	if aws.ToString(again.HealthCheck.Id) != id {
		t.Errorf("same CallerReference and configuration: %s, want %s", aws.ToString(again.HealthCheck.Id), id)
	}
	_, err = r.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("web-1"),
		HealthCheckConfig: &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeTcp, IPAddress: aws.String("192.0.2.44"), Port: aws.Int32(22)}})
	var exists *r53types.HealthCheckAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("another configuration under the same CallerReference: %v, want HealthCheckAlreadyExists", err)
	}
	_, err = r.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String("tcp"),
		HealthCheckConfig: &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeTcp, IPAddress: aws.String("192.0.2.44")}})
	var invalid *r53types.InvalidInput
	if !errors.As(err, &invalid) {
		t.Errorf("TCP without a port: %v, want InvalidInput", err)
	}
	for i, ref := range []string{"calc", "alarm"} {
		hc := &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeCalculated, HealthThreshold: aws.Int32(1), ChildHealthChecks: []string{id}}
		if i == 1 {
			hc = &r53types.HealthCheckConfig{Type: r53types.HealthCheckTypeCloudwatchMetric,
				AlarmIdentifier: &r53types.AlarmIdentifier{Name: aws.String("cpu"), Region: r53types.CloudWatchRegionUsEast1}}
		}
		_, err = r.CreateHealthCheck(ctx, &route53.CreateHealthCheckInput{CallerReference: aws.String(ref), HealthCheckConfig: hc})
		must(t, err)
	}
	n, err := r.GetHealthCheckCount(ctx, &route53.GetHealthCheckCountInput{})
	must(t, err)
	if aws.ToInt64(n.HealthCheckCount) != 3 {
		t.Errorf("count %d, want 3", aws.ToInt64(n.HealthCheckCount))
	}
	seen := 0
	p := route53.NewListHealthChecksPaginator(r, &route53.ListHealthChecksInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		must(t, err)
		seen += len(page.HealthChecks)
	}
	if seen != 3 {
		t.Errorf("listed %d health checks in pages of 2, want 3", seen)
	}
	u, err := r.UpdateHealthCheck(ctx, &route53.UpdateHealthCheckInput{HealthCheckId: aws.String(id), HealthCheckVersion: aws.Int64(1), FailureThreshold: aws.Int32(5)})
	must(t, err)
	if aws.ToInt64(u.HealthCheck.HealthCheckVersion) != 2 || aws.ToInt32(u.HealthCheck.HealthCheckConfig.FailureThreshold) != 5 {
		t.Errorf("updated: %+v", u.HealthCheck)
	}
	_, err = r.UpdateHealthCheck(ctx, &route53.UpdateHealthCheckInput{HealthCheckId: aws.String(id), HealthCheckVersion: aws.Int64(1), FailureThreshold: aws.Int32(2)})
	var mismatch *r53types.HealthCheckVersionMismatch
	if !errors.As(err, &mismatch) {
		t.Errorf("stale version: %v, want HealthCheckVersionMismatch", err)
	}
	st, err := r.GetHealthCheckStatus(ctx, &route53.GetHealthCheckStatusInput{HealthCheckId: aws.String(id)})
	must(t, err)
	if len(st.HealthCheckObservations) != 8 {
		t.Errorf("observations: %d, want one per checker region (8)", len(st.HealthCheckObservations))
	}
	_, err = r.ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceType: r53types.TagResourceTypeHealthcheck, ResourceId: aws.String(id),
		AddTags: []r53types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}})
	must(t, err)
	tags, err := r.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceType: r53types.TagResourceTypeHealthcheck, ResourceId: aws.String(id)})
	must(t, err)
	if len(tags.ResourceTagSet.Tags) != 1 || aws.ToString(tags.ResourceTagSet.Tags[0].Value) != "web" {
		t.Errorf("tags: %+v", tags.ResourceTagSet)
	}

	z, err := r.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("checks.example"), CallerReference: aws.String("z")})
	must(t, err)
	rec := func(hc string) error {
		_, err := r.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{HostedZoneId: z.HostedZone.Id, ChangeBatch: &r53types.ChangeBatch{
			Changes: []r53types.Change{{Action: r53types.ChangeActionUpsert, ResourceRecordSet: &r53types.ResourceRecordSet{
				Name: aws.String("www.checks.example"), Type: r53types.RRTypeA, TTL: aws.Int64(60), SetIdentifier: aws.String("a"),
				Failover: r53types.ResourceRecordSetFailoverPrimary, HealthCheckId: aws.String(hc),
				ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("192.0.2.44")}}}}}}})
		return err
	}
	var none *r53types.NoSuchHealthCheck
	if err := rec("00000000-0000-0000-0000-000000000000"); !errors.As(err, &none) {
		t.Errorf("record set naming an unknown health check: %v, want NoSuchHealthCheck", err)
	}
	must(t, rec(id))
	_, err = r.DeleteHealthCheck(ctx, &route53.DeleteHealthCheckInput{HealthCheckId: aws.String(id)})
	must(t, err)
	_, err = r.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: aws.String(id)})
	if !errors.As(err, &none) {
		t.Errorf("get after delete: %v, want NoSuchHealthCheck", err)
	}
}

// TestRound31bHealthCheckResource: AWS::Route53::HealthCheck makes a health
// check (Ref and HealthCheckId its id) that a failover record set of the
// same stack names; deleting the stack deletes it. Before, the type was
// skipped, and the record set then failed with NoSuchHealthCheck.
func TestRound31bHealthCheckResource(t *testing.T) {
	em := newEmulator(t, nil)
	r := route53Client(em.URL)
	cf := cfnClient(em.URL)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("hc"), TemplateBody: aws.String(`
Resources:
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: failover.example}
  Check:
    Type: AWS::Route53::HealthCheck
    Properties:
      HealthCheckConfig:
        Type: HTTPS
        FullyQualifiedDomainName: primary.failover.example
        ResourcePath: /healthz
        FailureThreshold: 2
      HealthCheckTags:
        - {Key: Name, Value: primary}
  Primary:
    Type: AWS::Route53::RecordSet
    Properties:
      HostedZoneId: !Ref Zone
      Name: www.failover.example
      Type: A
      TTL: "60"
      SetIdentifier: primary
      Failover: PRIMARY
      HealthCheckId: !Ref Check
      ResourceRecords: [192.0.2.10]
Outputs:
  Ref:
    Value: !Ref Check
  Id:
    Value: !GetAtt Check.HealthCheckId
`)})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "hc")
	id := out["Ref"]
	if id == "" || out["Id"] != id {
		t.Fatalf("outputs %v: Ref and HealthCheckId should be the check's id", out)
	}
	h, err := r.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: aws.String(id)})
	must(t, err)
	cfg := h.HealthCheck.HealthCheckConfig
	if cfg.Type != r53types.HealthCheckTypeHttps || aws.ToInt32(cfg.Port) != 443 || aws.ToInt32(cfg.FailureThreshold) != 2 ||
		aws.ToString(cfg.ResourcePath) != "/healthz" || !aws.ToBool(cfg.EnableSNI) {
		t.Errorf("health check config %+v", cfg)
	}
	tags, err := r.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceType: r53types.TagResourceTypeHealthcheck, ResourceId: aws.String(id)})
	must(t, err)
	if len(tags.ResourceTagSet.Tags) != 1 || aws.ToString(tags.ResourceTagSet.Tags[0].Value) != "primary" {
		t.Errorf("tags %+v, want Name=primary", tags.ResourceTagSet.Tags)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("hc")})
	must(t, err)
	waitStack(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusDeleteComplete)
	var none *r53types.NoSuchHealthCheck
	if _, err := r.GetHealthCheck(ctx, &route53.GetHealthCheckInput{HealthCheckId: aws.String(id)}); !errors.As(err, &none) {
		t.Errorf("after the stack's deletion: %v, want NoSuchHealthCheck", err)
	}
}
