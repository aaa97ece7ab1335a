package server_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// TestTargetsAfterRestart, through the AWS SDK for Go v2: a target group's
// targets, registered and partly deregistered, are the same in
// DescribeTargetHealth (ids, ports, zones, in order) after a restart on the
// state file (each target is a record of its own there).
func TestTargetsAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	c := sdkClients(url)
	vpc, err := c.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	must(t, err)
	_, err = c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, err)
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("web"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		VpcId: vpc.Vpc.VpcId, TargetType: elbtypes.TargetTypeEnumIp})
	must(t, err)
	arn := tg.TargetGroups[0].TargetGroupArn
	var ds []elbtypes.TargetDescription
	for i := range 40 {
		ds = append(ds, elbtypes.TargetDescription{Id: aws.String(fmt.Sprintf("10.0.1.%d", 10+i))})
	}
	ds = append(ds, elbtypes.TargetDescription{Id: aws.String("10.0.1.10"), Port: aws.Int32(8080)},
		elbtypes.TargetDescription{Id: aws.String("192.168.0.9"), AvailabilityZone: aws.String("all")})
	_, err = c.elb.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: arn, Targets: ds})
	must(t, err)
	_, err = c.elb.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: arn, Targets: []elbtypes.TargetDescription{
		{Id: aws.String("10.0.1.12")}, {Id: aws.String("10.0.1.30")}}})
	must(t, err)
	targets := func(c clients) []string {
		h, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: arn})
		must(t, err)
		var out []string
		for _, d := range h.TargetHealthDescriptions {
			out = append(out, fmt.Sprintf("%s:%d/%s", aws.ToString(d.Target.Id), aws.ToInt32(d.Target.Port), aws.ToString(d.Target.AvailabilityZone)))
		}
		return out
	}
	before := targets(c)
	if len(before) != 40 {
		t.Fatalf("%d targets before the restart, want 40: %v", len(before), before)
	}
	_, url = restartOn(t, srv, b, path, false)
	if after := targets(sdkClients(url)); !reflect.DeepEqual(after, before) {
		t.Errorf("after the restart:\n%v\nwant\n%v", after, before)
	}
}
