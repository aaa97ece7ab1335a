package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// TestRound39InactiveClusterListed: a cluster a stack made, after the
// stack is deleted, is INACTIVE and stays discoverable as AWS documents
// (DeleteCluster: "Clusters with an INACTIVE status might remain
// discoverable in your account for a period of time"): ListClusters
// still lists it (callers filter by DescribeClusters' status, as
// gruntwork-io/cloud-nuke#146 had to), DescribeClusters answers it
// INACTIVE, and CreateCluster of the name makes it ACTIVE again under the
// same ARN, listed once.
func TestRound39InactiveClusterListed(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	ecsc := ecs.NewFromConfig(sdkConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(em.URL) })
	body := `
Resources:
  Cluster:
    Type: AWS::ECS::Cluster
    Properties: {ClusterName: gone-round39}
Outputs:
  Arn: {Value: !GetAtt Cluster.Arn}
`
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("cluster-round39"), TemplateBody: aws.String(body)})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	arn := aws.ToString(ds.Stacks[0].Outputs[0].OutputValue)

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusDeleteComplete)

	listed := func() int {
		l, err := ecsc.ListClusters(ctx, &ecs.ListClustersInput{})
		must(t, err)
		n := 0
		for _, a := range l.ClusterArns {
			if a == arn {
				n++
			}
		}
		return n
	}
	if n := listed(); n != 1 {
		t.Fatalf("ListClusters lists %s %d times after the stack's delete, want once (INACTIVE clusters stay discoverable)", arn, n)
	}
	d, err := ecsc.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{arn}})
	must(t, err)
	if len(d.Clusters) != 1 || aws.ToString(d.Clusters[0].Status) != "INACTIVE" {
		t.Fatalf("DescribeClusters %+v (failures %+v), want the cluster INACTIVE", d.Clusters, d.Failures)
	}

	c, err := ecsc.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("gone-round39")})
	must(t, err)
	if aws.ToString(c.Cluster.ClusterArn) != arn || aws.ToString(c.Cluster.Status) != "ACTIVE" {
		t.Errorf("CreateCluster again: %s %s, want %s ACTIVE", aws.ToString(c.Cluster.ClusterArn), aws.ToString(c.Cluster.Status), arn)
	}
	if n := listed(); n != 1 {
		t.Errorf("ListClusters lists %s %d times after it is made again, want once", arn, n)
	}
}

// TestRound39CopilotControllerDeleteWaits: a Copilot service's stack
// deleted while its environment stack's own update is in progress: the
// environment controller's Delete waits for that update to end and then
// takes the service out of the environment (env-controller.js runs
// controlEnv on Delete too), so the service's stack stays
// DELETE_IN_PROGRESS meanwhile and ends DELETE_COMPLETE, and the
// environment no longer lists the service. Before, the controller failed
// at once and the stack ended DELETE_FAILED.
func TestRound39CopilotControllerDeleteWaits(t *testing.T) {
	em, clk := newClockedEmulator(t)
	cf := cfnClient(em.URL)
	caps, env, _, envID, svcID := copilotEnvWithService(t, cf)
	var err error
	advanceUntil := func(id string, want cfntypes.StackStatus, rounds int) {
		t.Helper()
		advanceStackUntil(t, cf, clk, id, want, rounds)
	}
	advanceUntil(svcID, cfntypes.StackStatusCreateComplete, 30)
	envParam := func(key string) string {
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(envID)})
		must(t, err)
		for _, p := range ds.Stacks[0].Parameters {
			if aws.ToString(p.ParameterKey) == key {
				return aws.ToString(p.ParameterValue)
			}
		}
		return ""
	}
	advanceUntil(envID, cfntypes.StackStatusUpdateComplete, 10)
	if got := envParam("ALBWorkloads"); got != "fe" {
		t.Fatalf("ALBWorkloads %q after the service's create", got)
	}

	// The environment's own update, monitored for three minutes.
	env["ALBWorkloads"], env["EFSWorkloads"] = "fe", "legacy"
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(envID), UsePreviousTemplate: aws.Bool(true),
		Parameters: cfn37Params(env), Capabilities: caps,
		RollbackConfiguration: &cfntypes.RollbackConfiguration{MonitoringTimeInMinutes: aws.Int32(3)}})
	must(t, err)
	if got := stackStatus(t, cf, envID); got != cfntypes.StackStatusUpdateInProgress {
		t.Fatalf("environment %s during its monitoring period, want UPDATE_IN_PROGRESS", got)
	}

	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(svcID)})
	must(t, err)
	if got := stackStatus(t, cf, svcID); got != cfntypes.StackStatusDeleteInProgress {
		logStackEvents(t, cf, svcID)
		t.Fatalf("service %s while the environment updates, want DELETE_IN_PROGRESS", got)
	}
	advanceUntil(svcID, cfntypes.StackStatusDeleteComplete, 10)
	advanceUntil(envID, cfntypes.StackStatusUpdateComplete, 10)
	if got := envParam("ALBWorkloads"); got != "" {
		t.Errorf("ALBWorkloads %q after the service's delete, want empty", got)
		logStackEvents(t, cf, envID)
	}
	if got := envParam("EFSWorkloads"); got != "legacy" {
		t.Errorf("EFSWorkloads %q, want the environment's own update kept", got)
	}
}
