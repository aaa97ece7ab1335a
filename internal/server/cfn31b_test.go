package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
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
