package server_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestDescribeCapacityProvidersPaging: DescribeCapacityProviders without
// names pages FARGATE, FARGATE_SPOT and the account's providers in one
// order, so that following nextToken answers each provider once. Until
// round thirty-six the account's providers came in the state map's order,
// new each call, and a page after the first skipped some and repeated
// others (internal/collect's TestCollectUnpaginatedListsFromServe missed
// one or two providers now and then).
func TestDescribeCapacityProvidersPaging(t *testing.T) {
	t.Parallel()
	es := newEstateOn(t, newEmulator(t, nil), "t3.micro", 0)
	c := es.c
	role, profile := infrastructureRole(t, es.url, "ecsInfrastructureRole", "ecs.amazonaws.com"), "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole"
	var want []string
	for i := range 12 {
		name := fmt.Sprintf("mi-%02d", i)
		_, err := c.ecs.CreateCapacityProvider(ctx, &ecs.CreateCapacityProviderInput{Name: aws.String(name), Cluster: aws.String("c"),
			ManagedInstancesProvider: &ecstypes.CreateManagedInstancesProviderConfiguration{InfrastructureRoleArn: aws.String(role),
				InstanceLaunchTemplate: &ecstypes.InstanceLaunchTemplate{Ec2InstanceProfileArn: aws.String(profile),
					NetworkConfiguration: &ecstypes.ManagedInstancesNetworkConfiguration{Subnets: es.subnets[:1], SecurityGroups: []string{es.open}}}}})
		must(t, err)
		want = append(want, name)
	}
	want = append(want, "FARGATE", "FARGATE_SPOT")
	slices.Sort(want)
	for round := range 10 {
		var got []string
		var token *string
		for page := 0; page == 0 || token != nil; page++ {
			if page > 10 {
				t.Fatalf("round %d: more than 10 pages", round)
			}
			out, err := c.ecs.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{MaxResults: aws.Int32(3), NextToken: token})
			must(t, err)
			for _, cp := range out.CapacityProviders {
				got = append(got, aws.ToString(cp.Name))
			}
			token = out.NextToken
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: the pages answered %v, want each of %v once", round, got, want)
		}
	}
}
