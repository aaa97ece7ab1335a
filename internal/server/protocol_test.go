package server_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/scenario"
)

func TestPagination(t *testing.T) {
	t.Parallel()
	c := sdkClients(newEmulator(t, nil).URL)
	var want []string
	for i := range 12 {
		v, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", i))})
		must(t, err)
		want = append(want, aws.ToString(v.Vpc.VpcId))
		_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(fmt.Sprintf("c%02d", i))})
		must(t, err)
	}
	var got []string
	p := ec2.NewDescribeVpcsPaginator(c.ec2, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(5)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		must(t, err)
		pages++
		for _, v := range out.Vpcs {
			got = append(got, aws.ToString(v.VpcId))
		}
	}
	slices.Sort(want)
	if pages != 3 || !slices.Equal(got, want) {
		t.Errorf("DescribeVpcs pages %d: %v, want 3 pages of %v", pages, got, want)
	}
	var clusters []string
	cp := ecs.NewListClustersPaginator(c.ecs, &ecs.ListClustersInput{MaxResults: aws.Int32(5)})
	for cp.HasMorePages() {
		out, err := cp.NextPage(ctx)
		must(t, err)
		clusters = append(clusters, out.ClusterArns...)
	}
	if len(clusters) != 12 {
		t.Errorf("ListClusters paginated: %d clusters, want 12", len(clusters))
	}
}

func TestIdempotency(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeM54xlarge, 1)
	run := func(token, typ string) (*ec2.RunInstancesOutput, error) {
		return es.c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceType(typ),
			MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: &es.subnets[0], ClientToken: aws.String(token)})
	}
	a, err := run("tok-1", "t3.micro")
	must(t, err)
	b, err := run("tok-1", "t3.micro")
	must(t, err)
	if aws.ToString(a.Instances[0].InstanceId) != aws.ToString(b.Instances[0].InstanceId) {
		t.Errorf("RunInstances with the same ClientToken launched %s and %s", aws.ToString(a.Instances[0].InstanceId), aws.ToString(b.Instances[0].InstanceId))
	}
	_, err = run("tok-1", "t3.small")
	wantAPIError(t, err, "IdempotentParameterMismatch", "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")

	es.taskDef(t, "web", ecstypes.NetworkModeAwsvpc, 0)
	rt := func() *ecs.RunTaskOutput {
		out, err := es.c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String("web"),
			NetworkConfiguration: es.awsvpc(es.open), ClientToken: aws.String("run-once")})
		must(t, err)
		return out
	}
	x, y := rt(), rt()
	if aws.ToString(x.Tasks[0].TaskArn) != aws.ToString(y.Tasks[0].TaskArn) {
		t.Errorf("RunTask with the same clientToken started two tasks")
	}
	l, err := es.c.ecs.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c")})
	must(t, err)
	if len(l.TaskArns) != 1 {
		t.Errorf("%d tasks after two RunTask calls with one clientToken", len(l.TaskArns))
	}
}

func TestDryRunAndTags(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeM5Large, 0)
	_, err := es.c.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("dry"), Description: aws.String("d"), VpcId: &es.vpc, DryRun: aws.Bool(true)})
	wantAPIError(t, err, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
	g, err := es.c.ec2.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{{Name: aws.String("group-name"), Values: []string{"dry"}}}})
	must(t, err)
	if len(g.SecurityGroups) != 0 {
		t.Errorf("a DryRun created a security group")
	}

	_, err = es.c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{es.vpc, es.subnets[0]}, Tags: []ec2types.Tag{{Key: aws.String("team"), Value: aws.String("net")}}})
	must(t, err)
	tags, err := es.c.ec2.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []ec2types.Filter{{Name: aws.String("key"), Values: []string{"team"}}}})
	must(t, err)
	if len(tags.Tags) != 2 {
		t.Errorf("DescribeTags: %+v", tags.Tags)
	}
	v, err := es.c.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:team"), Values: []string{"n*"}}}})
	must(t, err)
	if len(v.Vpcs) != 1 {
		t.Errorf("DescribeVpcs tag:team=n*: %d VPCs", len(v.Vpcs))
	}
	_, err = es.c.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{es.vpc}, Tags: []ec2types.Tag{{Key: aws.String("team")}}})
	must(t, err)
	_, err = es.c.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"vpc-0123456789abcdef0"}, Tags: []ec2types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
	wantAPIError(t, err, "InvalidVpcID.NotFound", "The vpc ID 'vpc-0123456789abcdef0' does not exist")

	cl, err := es.c.ecs.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{"c"}})
	must(t, err)
	arn := cl.Clusters[0].ClusterArn
	_, err = es.c.ecs.TagResource(ctx, &ecs.TagResourceInput{ResourceArn: arn, Tags: []ecstypes.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	must(t, err)
	lt, err := es.c.ecs.ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: arn})
	must(t, err)
	if len(lt.Tags) != 1 || aws.ToString(lt.Tags[0].Value) != "test" {
		t.Errorf("ListTagsForResource: %+v", lt.Tags)
	}
	_, err = es.c.ecs.UntagResource(ctx, &ecs.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env"}})
	must(t, err)

	tg, err := es.c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: &es.vpc,
		Tags: []elbtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}}})
	must(t, err)
	_, err = es.c.elb.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{aws.ToString(tg.TargetGroups[0].TargetGroupArn)}, Tags: []elbtypes.Tag{{Key: aws.String("b"), Value: aws.String("2")}}})
	must(t, err)
	dt, err := es.c.elb.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{aws.ToString(tg.TargetGroups[0].TargetGroupArn)}})
	must(t, err)
	if len(dt.TagDescriptions) != 1 || len(dt.TagDescriptions[0].Tags) != 2 {
		t.Errorf("ELBv2 DescribeTags: %+v", dt.TagDescriptions)
	}
	attrs, err := es.c.elb.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroups[0].TargetGroupArn})
	must(t, err)
	if !slices.ContainsFunc(attrs.Attributes, func(a elbtypes.TargetGroupAttribute) bool {
		return aws.ToString(a.Key) == "deregistration_delay.timeout_seconds" && aws.ToString(a.Value) == "300"
	}) {
		t.Errorf("target group attributes lack AWS's default deregistration delay: %+v", attrs.Attributes)
	}
}

// TestAutoScalingArticle builds the article's instances the way the article
// does, with an Auto Scaling group and a launch template, and checks the
// group converges and its instances join the cluster.
func TestAutoScalingArticle(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeM5Large, 0)
	ud := "IyEvYmluL2Jhc2gKZWNobyBFQ1NfQ0xVU1RFUj1jID4+IC9ldGMvZWNzL2Vjcy5jb25maWcK" // echo ECS_CLUSTER=c >> /etc/ecs/ecs.config
	lt, err := es.c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("ecs-node"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeM5Large,
			SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsTemplateProfile(t, es.url)}})
	must(t, err)
	_, err = es.c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("ecs-asg"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
		MinSize:        aws.Int32(2), MaxSize: aws.Int32(4), DesiredCapacity: aws.Int32(2), VPCZoneIdentifier: aws.String(es.subnets[0] + "," + es.subnets[1])})
	must(t, err)
	eventually(t, "the group's 2 instances join the cluster", func() bool {
		l, err := es.c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
		return err == nil && len(l.ContainerInstanceArns) == 2
	})
	g, err := es.c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: []string{"ecs-asg"}})
	must(t, err)
	if len(g.AutoScalingGroups) != 1 || len(g.AutoScalingGroups[0].Instances) != 2 || len(g.AutoScalingGroups[0].AvailabilityZones) != 2 {
		t.Fatalf("group: %+v", g.AutoScalingGroups)
	}
	_, err = es.c.asg.SetDesiredCapacity(ctx, &autoscaling.SetDesiredCapacityInput{AutoScalingGroupName: aws.String("ecs-asg"), DesiredCapacity: aws.Int32(3)})
	must(t, err)
	eventually(t, "the group scales to 3", func() bool {
		i, err := es.c.asg.DescribeAutoScalingInstances(ctx, &autoscaling.DescribeAutoScalingInstancesInput{})
		return err == nil && len(i.AutoScalingInstances) == 3
	})
	_, err = es.c.asg.DeleteAutoScalingGroup(ctx, &autoscaling.DeleteAutoScalingGroupInput{AutoScalingGroupName: aws.String("ecs-asg"), ForceDelete: aws.Bool(true)})
	must(t, err)
	eventually(t, "the group's instances terminate", func() bool {
		d, err := es.c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("instance-state-name"), Values: []string{"running", "pending"}}}})
		return err == nil && len(d.Reservations) == 0
	})
}

// TestReadCache checks that identical reads are answered from the cache
// only while nothing changes, each with its own request id.
func TestReadCache(t *testing.T) {
	t.Parallel()
	h := newHandler(t)
	body := ec2Form("Action=DescribeVpcs")
	first := rawReq{auth: ec2Auth, contentType: "application/x-www-form-urlencoded", body: body}.do(h)
	second := rawReq{auth: ec2Auth, contentType: "application/x-www-form-urlencoded", body: body}.do(h)
	id := func(b string) string {
		i := strings.Index(b, "<requestId>")
		return b[i+11 : i+47]
	}
	if first.Code != 200 || second.Code != 200 || id(first.Body.String()) == id(second.Body.String()) ||
		strings.Replace(first.Body.String(), id(first.Body.String()), "", 1) != strings.Replace(second.Body.String(), id(second.Body.String()), "", 1) {
		t.Fatalf("two identical reads:\n%s\n%s", first.Body, second.Body)
	}
	if second.Header().Get("X-Amzn-Requestid") != id(second.Body.String()) || second.Header().Get("Content-Length") != strconv.Itoa(second.Body.Len()) {
		t.Errorf("cached response headers %v", second.Header())
	}
	call(t, h, "ec2", "", ec2Form("Action=CreateVpc&CidrBlock=10.0.0.0/16"))
	third := rawReq{auth: ec2Auth, contentType: "application/x-www-form-urlencoded", body: body}.do(h)
	if !strings.Contains(third.Body.String(), "<vpcId>vpc-") {
		t.Errorf("a read after a write got the stale response:\n%s", third.Body)
	}
}

// TestEveryReadOnRichState calls every implemented operation with an empty
// request over the seed scenarios' systems (ALB, NAT, endpoints, Auto
// Scaling, Fargate, …): whatever the validation says, no answer may be a
// 5xx, so every Describe/List output fits its model.
func TestEveryReadOnRichState(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../examples/seed/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed scenarios: %v", err)
	}
	reg := services.Registry()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			h := newHandler(t)
			sc, err := scenario.Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := h.LoadScenario(sc); err != nil {
				t.Fatal(err)
			}
			ok200 := 0
			defer func() { t.Logf("%d operations answered 200", ok200) }()
			for _, svc := range []struct{ name, scope, prefix, version string }{
				{"ec2", "ec2", "", "2016-11-15"}, {"ecs", "ecs", "AmazonEC2ContainerServiceV20141113.", ""},
				{"elbv2", "elasticloadbalancing", "", "2015-12-01"}, {"autoscaling", "autoscaling", "", "2011-01-01"},
				{"cloudformation", "cloudformation", "", "2010-05-15"}, {"ssm", "ssm", "AmazonSSM.", ""}, {"sts", "sts", "", "2011-06-15"},
				{"servicediscovery", "servicediscovery", "Route53AutoNaming_v20170314.", ""},
			} {
				for _, op := range reg.Operations(svc.name) {
					r := rawReq{auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/" + sc.Region + "/" + svc.scope + "/aws4_request, SignedHeaders=host, Signature=0"}
					if svc.prefix != "" {
						r.target, r.contentType, r.body = svc.prefix+op, "application/x-amz-json-1.1", []byte("{}")
					} else {
						r.contentType, r.body = "application/x-www-form-urlencoded", []byte("Action="+op+"&Version="+svc.version)
					}
					w := r.do(h)
					if w.Code == 200 {
						ok200++
					}
					if w.Code >= 500 {
						t.Errorf("%s.%s: HTTP %d %s", svc.name, op, w.Code, truncate(w.Body.String()))
					}
				}
			}
		})
	}
}
