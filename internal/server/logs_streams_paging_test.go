package server_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
)

// TestDescribeLogStreamsPagingWhileStreamsCome: DescribeLogStreams pages
// a group's streams by name (ascending or descending); a stream created
// between two pages, ahead of the first page, leaves the next page where
// the last one stopped, so each stream is answered once. Until round
// thirty-six a stream's token was its place in the list, and the new
// stream pushed the next page back onto a stream already answered.
func TestDescribeLogStreamsPagingWhileStreamsCome(t *testing.T) {
	t.Parallel()
	c := logsClient(newEmulator(t, nil).URL)
	for _, desc := range []bool{false, true} {
		group := fmt.Sprintf("/paging/%v", desc)
		_, err := c.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
		must(t, err)
		want := []string{"s-b", "s-d", "s-f", "s-h", "s-j"}
		for _, s := range want {
			_, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(s)})
			must(t, err)
		}
		early := "s-a" // ahead of the first page
		if desc {
			slices.Reverse(want)
			early = "s-z"
		}
		var got []string
		for token, page := (*string)(nil), 0; page == 0 || token != nil; page++ {
			if page > 10 {
				t.Fatalf("descending %v: more than 10 pages", desc)
			}
			out, err := c.DescribeLogStreams(ctx, &cloudwatchlogs.DescribeLogStreamsInput{LogGroupName: aws.String(group), Limit: aws.Int32(2),
				Descending: aws.Bool(desc), NextToken: token})
			must(t, err)
			for _, s := range out.LogStreams {
				got = append(got, aws.ToString(s.LogStreamName))
			}
			token = out.NextToken
			if page == 0 {
				_, err := c.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(early)})
				must(t, err)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("descending %v: the pages answered %v, want %v", desc, got, want)
		}
	}
}
