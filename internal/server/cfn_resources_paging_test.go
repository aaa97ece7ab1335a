package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestListStackResourcesPagingWhileResourcesGo: a resource the stack
// deletes between two pages of ListStackResources skips none of the
// others. Until round thirty-seven a NextToken was a place in the list,
// and a resource deleted from the first page moved every later one a
// place back: the second page began one resource late.
func TestListStackResourcesPagingWhileResourcesGo(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	template := func(from, to int) string {
		var b strings.Builder
		b.WriteString("Resources:\n")
		for i := from; i < to; i++ {
			fmt.Fprintf(&b, "  Handle%03d:\n    Type: AWS::CloudFormation::WaitConditionHandle\n", i)
		}
		return b.String()
	}
	// 105 resources: a page of 100 (ListStackResources has no page size)
	// and one of 5.
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("many"), TemplateBody: aws.String(template(0, 105))})
	must(t, err)
	waitStackFor(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusCreateComplete, 30*time.Second)

	pages := cloudformation.NewListStackResourcesPaginator(cf, &cloudformation.ListStackResourcesInput{StackName: aws.String("many")})
	first, err := pages.NextPage(ctx)
	must(t, err)
	if len(first.StackResourceSummaries) != 100 || !pages.HasMorePages() {
		t.Fatalf("the first page has %d resources (more pages: %v), want 100 and more", len(first.StackResourceSummaries), pages.HasMorePages())
	}
	var got []string
	for _, r := range first.StackResourceSummaries {
		got = append(got, aws.ToString(r.LogicalResourceId))
	}
	// The update deletes the first page's first resource.
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("many"), TemplateBody: aws.String(template(1, 105))})
	must(t, err)
	waitStackFor(t, cf, aws.ToString(st.StackId), cfntypes.StackStatusUpdateComplete, 30*time.Second)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		must(t, err)
		for _, r := range out.StackResourceSummaries {
			got = append(got, aws.ToString(r.LogicalResourceId))
		}
	}
	var want []string
	for i := range 105 {
		want = append(want, fmt.Sprintf("Handle%03d", i))
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the pages answered %d resources, want each of the %d once (%d of the first page's and the rest)", len(got), len(want), len(first.StackResourceSummaries))
	}
}
