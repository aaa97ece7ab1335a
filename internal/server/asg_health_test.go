package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestAutoScalingELBHealthReplacement checks Auto Scaling's ELB health
// check through the Go SDK: three groups behind one target group whose
// instances have nothing listening on its port (the ALB's health checks
// are refused, DescribeTargetHealth says unhealthy). After the grace
// period and the two failed checks the target group needs, the group with health check type ELB takes its instance out of
// service ("… in response to a ELB system health check failure."), even
// though it is protected from scale in, and launches another; the ELB
// group whose ReplaceUnhealthy process is suspended marks its instance
// Unhealthy and keeps it; the EC2 group keeps its instance Healthy.
func TestAutoScalingELBHealthReplacement(t *testing.T) {
	t.Parallel()
	// The engines' clock runs 30 times faster than the wall clock: the
	// target group needs two failed checks 5 s apart (10 s) to find a
	// target unhealthy.
	start := time.Now()
	fast := engine.WithClock(func() time.Time { return start.Add(30 * time.Since(start)) })
	es := newEstateOn(t, newEmulator(t, nil, fast), ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	lb, err := c.elb.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("hc"), Subnets: es.subnets,
		SecurityGroups: []string{es.open}, Scheme: elbtypes.LoadBalancerSchemeEnumInternal})
	must(t, err)
	tg, err := c.elb.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("hc"), Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumInstance,
		HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2)})
	must(t, err)
	tgARN := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
	_, err = c.elb.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn, Protocol: elbtypes.ProtocolEnumHttp,
		Port: aws.Int32(80), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: &tgARN}}})
	must(t, err)
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("hc-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
			SecurityGroupIds: []string{es.open}}})
	must(t, err)
	create := func(name, hcType string, protect bool) {
		_, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(1), MaxSize: aws.Int32(2), DesiredCapacity: aws.Int32(1), VPCZoneIdentifier: aws.String(es.subnets[0]),
			TargetGroupARNs: []string{tgARN}, HealthCheckType: aws.String(hcType), HealthCheckGracePeriod: aws.Int32(1),
			NewInstancesProtectedFromScaleIn: aws.Bool(protect)})
		must(t, err)
	}
	create("hc-elb", "ELB", true)
	create("hc-held", "ELB", false)
	_, err = c.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: aws.String("hc-held"), ScalingProcesses: []string{"ReplaceUnhealthy"}})
	must(t, err)
	create("hc-ec2", "EC2", false)
	first := map[string]string{}
	for _, name := range []string{"hc-elb", "hc-held", "hc-ec2"} {
		eventually(t, name+" launches its instance", func() bool { return len(tfGroup(t, c, name).Instances) == 1 })
		first[name] = aws.ToString(tfGroup(t, c, name).Instances[0].InstanceId)
	}
	eventually(t, "the target group sees the instances unhealthy", func() bool {
		out, err := c.elb.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: &tgARN})
		must(t, err)
		n := 0
		for _, d := range out.TargetHealthDescriptions {
			if slices.Contains([]string{first["hc-elb"], first["hc-held"], first["hc-ec2"]}, aws.ToString(d.Target.Id)) &&
				d.TargetHealth.State == elbtypes.TargetHealthStateEnumUnhealthy {
				n++
			}
		}
		return n >= 2 // hc-elb's may already be gone
	})

	var cause string
	eventually(t, "hc-elb replaces its unhealthy instance", func() bool {
		acts, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("hc-elb")})
		must(t, err)
		for _, a := range acts.Activities {
			if aws.ToString(a.Description) == "Terminating EC2 instance: "+first["hc-elb"] {
				cause = aws.ToString(a.Cause)
			}
		}
		g := tfGroup(t, c, "hc-elb")
		return cause != "" && len(g.Instances) > 0 && slices.ContainsFunc(g.Instances, func(i asgtypes.Instance) bool {
			return aws.ToString(i.InstanceId) != first["hc-elb"]
		})
	})
	if !strings.HasPrefix(cause, "At ") || !strings.HasSuffix(cause, " an instance was taken out of service in response to a ELB system health check failure.") {
		t.Errorf("cause of the termination: %q", cause)
	}
	// The replaced instance drains from the target group first (its
	// deregistration delay), then terminates.
	eventually(t, "the replaced instance terminates", func() bool {
		out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{first["hc-elb"]}})
		must(t, err)
		st := out.Reservations[0].Instances[0].State.Name
		return st == ec2types.InstanceStateNameShuttingDown || st == ec2types.InstanceStateNameTerminated
	})

	eventually(t, "hc-held marks its instance Unhealthy", func() bool {
		g := tfGroup(t, c, "hc-held")
		return len(g.Instances) == 1 && aws.ToString(g.Instances[0].HealthStatus) == "Unhealthy"
	})
	time.Sleep(300 * time.Millisecond) // steps go by: nothing replaces it
	for name, health := range map[string]string{"hc-held": "Unhealthy", "hc-ec2": "Healthy"} {
		g := tfGroup(t, c, name)
		if len(g.Instances) != 1 || aws.ToString(g.Instances[0].InstanceId) != first[name] || aws.ToString(g.Instances[0].HealthStatus) != health {
			t.Errorf("%s: instances %+v, want %s alone, %s", name, g.Instances, first[name], health)
		}
		acts, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String(name)})
		must(t, err)
		for _, a := range acts.Activities {
			if strings.HasPrefix(aws.ToString(a.Description), "Terminating") {
				t.Errorf("%s: activity %q", name, aws.ToString(a.Description))
			}
		}
	}

	// Resuming ReplaceUnhealthy replaces the Unhealthy instance.
	_, err = c.asg.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: aws.String("hc-held"), ScalingProcesses: []string{"ReplaceUnhealthy"}})
	must(t, err)
	eventually(t, "hc-held replaces its instance once ReplaceUnhealthy resumes", func() bool {
		return slices.ContainsFunc(tfGroup(t, c, "hc-held").Instances, func(i asgtypes.Instance) bool { return aws.ToString(i.InstanceId) != first["hc-held"] })
	})
}

// TestAutoScalingEC2HealthReplacement checks the EC2 health check through
// the Go SDK: an instance of a group stopped outside Auto Scaling is
// terminated and replaced, and so is one terminated outside it, each with
// a "Terminating EC2 instance" activity whose cause is the EC2 health
// check; with HealthCheck suspended a stopped instance stays.
func TestAutoScalingEC2HealthReplacement(t *testing.T) {
	t.Parallel()
	es := newEstate(t, ec2types.InstanceTypeT3Micro, 0)
	c := es.c
	lt, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("eh-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro}})
	must(t, err)
	for _, name := range []string{"eh", "eh-off"} {
		_, err = c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String(name),
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateId: lt.LaunchTemplate.LaunchTemplateId},
			MinSize:        aws.Int32(0), MaxSize: aws.Int32(3), DesiredCapacity: aws.Int32(2), VPCZoneIdentifier: aws.String(es.subnets[0]),
			HealthCheckGracePeriod: aws.Int32(300)})
		must(t, err)
	}
	_, err = c.asg.SuspendProcesses(ctx, &autoscaling.SuspendProcessesInput{AutoScalingGroupName: aws.String("eh-off"), ScalingProcesses: []string{"HealthCheck"}})
	must(t, err)
	running := func(name string) []string {
		var ids []string
		for _, i := range tfGroup(t, c, name).Instances {
			if i.LifecycleState == asgtypes.LifecycleStateInService {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		return ids
	}
	for _, name := range []string{"eh", "eh-off"} {
		eventually(t, name+" has two instances in service", func() bool { return len(running(name)) == 2 })
	}
	ids := running("eh")
	stopped, terminated := ids[0], ids[1]
	_, err = c.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{stopped}})
	must(t, err)
	_, err = c.ec2.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{terminated}})
	must(t, err)
	offStopped := running("eh-off")[0]
	_, err = c.ec2.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{offStopped}})
	must(t, err)

	causes := map[string]string{}
	eventually(t, "eh replaces both instances", func() bool {
		acts, err := c.asg.DescribeScalingActivities(ctx, &autoscaling.DescribeScalingActivitiesInput{AutoScalingGroupName: aws.String("eh")})
		must(t, err)
		for _, a := range acts.Activities {
			if id, ok := strings.CutPrefix(aws.ToString(a.Description), "Terminating EC2 instance: "); ok {
				causes[id] = aws.ToString(a.Cause)
			}
		}
		now := running("eh")
		return len(causes) == 2 && len(now) == 2 && !slices.Contains(now, stopped) && !slices.Contains(now, terminated)
	})
	for _, id := range []string{stopped, terminated} {
		if !strings.HasSuffix(causes[id], " an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.") {
			t.Errorf("cause of %s's termination: %q", id, causes[id])
		}
	}
	out, err := c.ec2.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{stopped}})
	must(t, err)
	if st := out.Reservations[0].Instances[0].State.Name; st != ec2types.InstanceStateNameShuttingDown && st != ec2types.InstanceStateNameTerminated {
		t.Errorf("the stopped instance is %s after its replacement, want terminated", st)
	}
	// HealthCheck suspended: the stopped instance stays in the group,
	// InService and Healthy, and counts towards the capacity (nothing
	// replaces it); resuming HealthCheck replaces it.
	g := tfGroup(t, c, "eh-off")
	if len(g.Instances) != 2 || !slices.ContainsFunc(g.Instances, func(i asgtypes.Instance) bool {
		return aws.ToString(i.InstanceId) == offStopped && aws.ToString(i.HealthStatus) == "Healthy" && i.LifecycleState == asgtypes.LifecycleStateInService
	}) {
		t.Errorf("eh-off with HealthCheck suspended: %+v, want its stopped instance %s InService, Healthy, and no replacement", g.Instances, offStopped)
	}
	_, err = c.asg.ResumeProcesses(ctx, &autoscaling.ResumeProcessesInput{AutoScalingGroupName: aws.String("eh-off"), ScalingProcesses: []string{"HealthCheck"}})
	must(t, err)
	eventually(t, "eh-off replaces its stopped instance once HealthCheck resumes", func() bool {
		now := running("eh-off")
		return len(now) == 2 && !slices.Contains(now, offStopped)
	})
}
