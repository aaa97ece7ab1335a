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
