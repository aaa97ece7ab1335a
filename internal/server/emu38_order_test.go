package server_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

// TestDescribeByNameAnswersInOrderAsked: DescribeCapacityProviders and
// ELBv2's DescribeSSLPolicies given names answer in the order the names
// were given, page after page; DescribeSSLPolicies without names lists
// the catalogue in AWS's order (the AWS CLI's describe-ssl-policies
// example), not by name. Until round thirty-eight both sorted their
// answer by key.
func TestDescribeByNameAnswersInOrderAsked(t *testing.T) {
	t.Parallel()
	c := sdkClients(newEmulator(t, nil).URL)

	asked := []string{"FARGATE_SPOT", "FARGATE"}
	var got []string
	var token *string
	for page := 0; page == 0 || token != nil; page++ {
		if page > 3 {
			t.Fatal("DescribeCapacityProviders: more than 3 pages")
		}
		out, err := c.ecs.DescribeCapacityProviders(ctx, &ecs.DescribeCapacityProvidersInput{CapacityProviders: asked, MaxResults: aws.Int32(1), NextToken: token})
		must(t, err)
		for _, cp := range out.CapacityProviders {
			got = append(got, aws.ToString(cp.Name))
		}
		token = out.NextToken
	}
	if !slices.Equal(got, asked) {
		t.Errorf("DescribeCapacityProviders %v answered %v, want the order asked", asked, got)
	}

	names := []string{"ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-2015-05", "ELBSecurityPolicy-2016-08"}
	got = nil
	token = nil
	for page := 0; page == 0 || token != nil; page++ {
		if page > 4 {
			t.Fatal("DescribeSSLPolicies: more than 4 pages")
		}
		out, err := c.elb.DescribeSSLPolicies(ctx, &elasticloadbalancingv2.DescribeSSLPoliciesInput{Names: names, PageSize: aws.Int32(1), Marker: token})
		must(t, err)
		for _, p := range out.SslPolicies {
			got = append(got, aws.ToString(p.Name))
		}
		token = out.NextMarker
	}
	if !slices.Equal(got, names) {
		t.Errorf("DescribeSSLPolicies %v answered %v, want the order asked", names, got)
	}

	all, err := c.elb.DescribeSSLPolicies(ctx, &elasticloadbalancingv2.DescribeSSLPoliciesInput{})
	must(t, err)
	var listed []string
	for _, p := range all.SslPolicies {
		listed = append(listed, aws.ToString(p.Name))
	}
	if len(listed) < 3 || listed[0] != "ELBSecurityPolicy-2016-08" || listed[1] != "ELBSecurityPolicy-TLS13-1-2-2021-06" ||
		listed[2] != "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" {
		t.Errorf("DescribeSSLPolicies lists %v, want AWS's order (2016-08, TLS13-1-2-2021-06, TLS13-1-2-Res-2021-06, …)", listed)
	}
}
