package server_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/ecsnet/ecsnet/internal/engine"
)

// TestUpdateContainerAgent drives UpdateContainerAgent through the Go
// SDK. An instance registered with the agent one release behind the
// ECS-optimized AMIs' ecs_agent_version answers agentUpdateStatus PENDING,
// refuses a second update while it runs (UpdateInProgressException), walks
// STAGING, STAGED, UPDATING to UPDATED and then reports the new version;
// another update is NoUpdateAvailableException. An Arm (Graviton)
// instance and a Windows one are refused; a Bottlerocket instance (no
// ecs-init) accepts the request and fails it. An unknown cluster is
// ClusterNotFoundException, an unknown instance InvalidParameterException.
func TestUpdateContainerAgent(t *testing.T) {
	t.Parallel()
	// The clock runs 30 times as fast as the wall's while the instances
	// boot and register; then it stands still (stopped, its reading) and
	// moves only by the test's advances, so no status of an update (one
	// per 10 s phase) passes between two polls of a slow machine.
	start := time.Now()
	var stopped, advanced atomic.Int64
	clock := func() time.Time {
		if s := stopped.Load(); s != 0 {
			return time.Unix(0, s+advanced.Load())
		}
		return start.Add(30 * time.Since(start))
	}
	em := newEmulator(t, nil, engine.WithClock(clock))
	es := newEstateOn(t, em, "t3.micro", 1)
	c := es.c
	image := func(name string) string {
		out, err := c.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{Filters: []ec2types.Filter{{Name: aws.String("name"), Values: []string{name}}}})
		must(t, err)
		if len(out.Images) == 0 {
			t.Fatalf("no public image named %s", name)
		}
		return aws.ToString(out.Images[0].ImageId)
	}
	launch := func(ami string, typ ec2types.InstanceType, userData string) string {
		ud := base64.StdEncoding.EncodeToString([]byte(userData))
		out, err := c.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: &ami, InstanceType: typ, MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
			SubnetId: &es.subnets[0], SecurityGroupIds: []string{es.open}, UserData: &ud, IamInstanceProfile: ecsInstanceProfile(t, es.url)})
		must(t, err)
		return aws.ToString(out.Instances[0].InstanceId)
	}
	bash := "#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config\n"
	arm := launch(image("amzn2-ami-ecs-hvm-*-arm64-ebs"), "t4g.micro", bash)
	// ecsnet reads no PowerShell user data: the Windows agent registers
	// by its own call, with the instance identity document.
	windows := launch(image("Windows_Server-2022-English-Full-ECS_Optimized-*"), "t3.micro", "<powershell></powershell>")
	_, err := c.ecs.RegisterContainerInstance(ctx, &ecs.RegisterContainerInstanceInput{Cluster: aws.String("c"),
		InstanceIdentityDocument: aws.String(`{"instanceId":"` + windows + `","region":"us-east-1"}`)})
	must(t, err)
	bottlerocket := launch(image("bottlerocket-aws-ecs-2-x86_64-*"), "t3.micro", "[settings.ecs]\ncluster = \"c\"\n")
	byInstance := map[string]ecstypes.ContainerInstance{}
	instances := func() map[string]ecstypes.ContainerInstance {
		l, err := c.ecs.ListContainerInstances(ctx, &ecs.ListContainerInstancesInput{Cluster: aws.String("c")})
		must(t, err)
		if len(l.ContainerInstanceArns) == 0 {
			return nil
		}
		d, err := c.ecs.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{Cluster: aws.String("c"), ContainerInstances: l.ContainerInstanceArns})
		must(t, err)
		out := map[string]ecstypes.ContainerInstance{}
		for _, ci := range d.ContainerInstances {
			out[aws.ToString(ci.Ec2InstanceId)] = ci
		}
		return out
	}
	eventually(t, "the instances register", func() bool { byInstance = instances(); return len(byInstance) == 4 })
	var x86 ecstypes.ContainerInstance
	for id, ci := range byInstance {
		if id != arm && id != windows && id != bottlerocket {
			x86 = ci
		}
	}
	// The agent reports its operating system: Windows Server 2022 Full on
	// the Windows AMI, Linux on the others.
	for id, want := range map[string][2]string{windows: {"windows", "WINDOWS_SERVER_2022_FULL"}, arm: {"linux", "LINUX"}} {
		got := map[string]string{}
		for _, a := range byInstance[id].Attributes {
			got[aws.ToString(a.Name)] = aws.ToString(a.Value)
		}
		if got["ecs.os-type"] != want[0] || got["ecs.os-family"] != want[1] {
			t.Errorf("%s: ecs.os-type %q, ecs.os-family %q, want %q and %q", id, got["ecs.os-type"], got["ecs.os-family"], want[0], want[1])
		}
	}
	before := aws.ToString(x86.VersionInfo.AgentVersion)
	if x86.AgentUpdateStatus != "" {
		t.Errorf("agentUpdateStatus %q before any update, want none", x86.AgentUpdateStatus)
	}
	code := func(err error) (string, string) {
		var ae smithy.APIError
		if errors.As(err, &ae) {
			return ae.ErrorCode(), ae.ErrorMessage()
		}
		return "", ""
	}
	update := func(ci string) (*ecs.UpdateContainerAgentOutput, error) {
		return c.ecs.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentInput{Cluster: aws.String("c"), ContainerInstance: &ci})
	}
	stopped.Store(clock().UnixNano())
	phase := func() { advanced.Add(int64(11 * time.Second)) } // the engine's agentUpdatePhase, 10 s, and then some
	out, err := update(aws.ToString(x86.ContainerInstanceArn))
	must(t, err)
	if s := out.ContainerInstance.AgentUpdateStatus; s != ecstypes.AgentUpdateStatusPending {
		t.Errorf("UpdateContainerAgent answered agentUpdateStatus %q, want PENDING", s)
	}
	if _, err := update(aws.ToString(x86.ContainerInstanceArn)); func() bool { c, _ := code(err); return c != "UpdateInProgressException" }() {
		t.Errorf("a second UpdateContainerAgent while one runs: %v, want UpdateInProgressException", err)
	}
	seen := []ecstypes.AgentUpdateStatus{ecstypes.AgentUpdateStatusPending}
	for seen[len(seen)-1] != ecstypes.AgentUpdateStatusUpdated && len(seen) < 6 {
		phase()
		eventually(t, fmt.Sprintf("the update moves on from %v", seen), func() bool {
			if s := instances()[aws.ToString(x86.Ec2InstanceId)].AgentUpdateStatus; s != seen[len(seen)-1] {
				seen = append(seen, s)
				return true
			}
			return false
		})
	}
	want := []ecstypes.AgentUpdateStatus{"PENDING", "STAGING", "STAGED", "UPDATING", "UPDATED"}
	if strings.Join(statusStrings(seen), ",") != strings.Join(statusStrings(want), ",") {
		t.Errorf("agentUpdateStatus went %v, want %v", seen, want)
	}
	after := aws.ToString(instances()[aws.ToString(x86.Ec2InstanceId)].VersionInfo.AgentVersion)
	if after == before || after != "1.89.2" {
		t.Errorf("agent version %s before, %s after the update; want the ECS-optimized AMIs' 1.89.2", before, after)
	}
	if _, err := update(aws.ToString(x86.ContainerInstanceArn)); func() bool { c, _ := code(err); return c != "NoUpdateAvailableException" }() {
		t.Errorf("UpdateContainerAgent on the newest agent: %v, want NoUpdateAvailableException", err)
	}
	for name, id := range map[string]string{"arm": arm, "windows": windows} {
		_, err := update(aws.ToString(byInstance[id].ContainerInstanceArn))
		if c, msg := code(err); c != "InvalidParameterException" || !strings.Contains(msg, "not supported") {
			t.Errorf("%s: UpdateContainerAgent: %v, want InvalidParameterException (not supported)", name, err)
		}
	}
	br := aws.ToString(byInstance[bottlerocket].ContainerInstanceArn)
	_, err = update(br)
	must(t, err)
	phase()
	eventually(t, "the Bottlerocket agent's update fails", func() bool {
		return instances()[bottlerocket].AgentUpdateStatus == ecstypes.AgentUpdateStatusFailed
	})
	if _, err := c.ecs.UpdateContainerAgent(ctx, &ecs.UpdateContainerAgentInput{Cluster: aws.String("nosuch"), ContainerInstance: &br}); func() bool {
		c, _ := code(err)
		return c != "ClusterNotFoundException"
	}() {
		t.Errorf("UpdateContainerAgent in an unknown cluster: %v, want ClusterNotFoundException", err)
	}
	if _, err := update("0123456789abcdef0123456789abcdef"); func() bool { c, _ := code(err); return c != "InvalidParameterException" }() {
		t.Errorf("UpdateContainerAgent of an unknown instance: %v, want InvalidParameterException", err)
	}
}

func statusStrings(ss []ecstypes.AgentUpdateStatus) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}
