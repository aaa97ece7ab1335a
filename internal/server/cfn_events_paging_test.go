package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// paramsTemplate is a template of n SSM parameters, each of value v.
func paramsTemplate(n int, v string) string {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := range n {
		fmt.Fprintf(&b, "  P%03d:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: %s\n", i, v)
	}
	return b.String()
}

// TestDescribeStackEventsPagingWhileEventsArrive: DescribeStackEvents
// pages a stack's events newest first, 100 a page; events that happen
// between two pages come before the first page and are not in the next
// one, so following NextToken answers each event once. Until round
// thirty-six an event's token was its position in the list, and the events
// of an update made between pages pushed the second page back onto events
// the first had answered.
func TestDescribeStackEventsPagingWhileEventsArrive(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("many"), TemplateBody: aws.String(paramsTemplate(80, "a"))})
	must(t, err)
	id := aws.ToString(st.StackId)
	waitStack(t, cf, id, cfntypes.StackStatusCreateComplete)
	first, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId})
	must(t, err)
	if first.NextToken == nil || len(first.StackEvents) != 100 {
		t.Fatalf("the first page has %d events and token %v, want 100 and a token", len(first.StackEvents), first.NextToken)
	}
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: st.StackId, TemplateBody: aws.String(paramsTemplate(80, "b"))})
	must(t, err)
	waitStack(t, cf, id, cfntypes.StackStatusUpdateComplete)
	// The pages from the first on answer, in order, the events a reading
	// from scratch lists from the first page's first event on.
	var got []string
	for _, e := range first.StackEvents {
		got = append(got, aws.ToString(e.EventId))
	}
	for token := first.NextToken; token != nil; {
		out, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId, NextToken: token})
		must(t, err)
		for _, e := range out.StackEvents {
			got = append(got, aws.ToString(e.EventId))
		}
		token = out.NextToken
	}
	var all []string
	for token, page := (*string)(nil), 0; page == 0 || token != nil; page++ {
		out, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: st.StackId, NextToken: token})
		must(t, err)
		for _, e := range out.StackEvents {
			all = append(all, aws.ToString(e.EventId))
		}
		token = out.NextToken
	}
	i := slices.Index(all, got[0])
	if i <= 0 {
		t.Fatalf("the update's events are not before the creation's: the first page's first event is at %d of %d", i, len(all))
	}
	if want := all[i:]; !slices.Equal(got, want) {
		t.Fatalf("the pages answered %d events, want the creation's %d, each once, newest first", len(got), len(want))
	}
}
