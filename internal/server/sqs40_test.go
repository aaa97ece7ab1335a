package server_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
)

func sqsClient(url string) *sqs.Client {
	return sqs.NewFromConfig(sdkConfig(), func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) })
}

// sqsCode is the code the SDK reports for err (the Query code of
// x-amzn-query-error, where SQS gives one).
func sqsCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestSQSQueuesAsAWS checks, through the Go SDK (JSON protocol), a queue's
// life as SQS answers it: AWS's attribute defaults, CreateQueue idempotent
// on the same attributes and QueueAlreadyExists on others, FIFO naming,
// QueueDoesNotExist in its Query form (AWS.SimpleQueueService.NonExistentQueue),
// tags, ListQueues by prefix and ListDeadLetterSourceQueues, and the 60
// seconds after DeleteQueue and PurgeQueue on the engine's clock.
func TestSQSQueuesAsAWS(t *testing.T) {
	t.Parallel()
	em, clk := newClockedEmulator(t)
	c := sqsClient(em.URL)
	dlq, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs-dlq")})
	must(t, err)
	if want := "https://sqs.us-east-1.amazonaws.com/"; !strings.HasPrefix(aws.ToString(dlq.QueueUrl), want) || !strings.HasSuffix(aws.ToString(dlq.QueueUrl), "/jobs-dlq") {
		t.Fatalf("QueueUrl %s", aws.ToString(dlq.QueueUrl))
	}
	attrs, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"All"}})
	must(t, err)
	for k, want := range map[string]string{"DelaySeconds": "0", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "345600",
		"ReceiveMessageWaitTimeSeconds": "0", "VisibilityTimeout": "30", "SqsManagedSseEnabled": "true", "ApproximateNumberOfMessages": "0"} {
		if attrs.Attributes[k] != want {
			t.Errorf("%s = %q, want %q", k, attrs.Attributes[k], want)
		}
	}
	dlqARN := attrs.Attributes["QueueArn"]
	if !strings.HasPrefix(dlqARN, "arn:aws:sqs:us-east-1:") || !strings.HasSuffix(dlqARN, ":jobs-dlq") {
		t.Errorf("QueueArn %s", dlqARN)
	}
	redrive := `{"deadLetterTargetArn":"` + dlqARN + `","maxReceiveCount":"2"}`
	jobs, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs"), Attributes: map[string]string{"VisibilityTimeout": "45", "RedrivePolicy": redrive},
		Tags: map[string]string{"team": "a"}})
	must(t, err)
	// The same attributes: the same queue; another value: QueueAlreadyExists.
	again, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs"), Attributes: map[string]string{"VisibilityTimeout": "45"}})
	must(t, err)
	if aws.ToString(again.QueueUrl) != aws.ToString(jobs.QueueUrl) {
		t.Errorf("CreateQueue again: %s, want %s", aws.ToString(again.QueueUrl), aws.ToString(jobs.QueueUrl))
	}
	_, err = c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs"), Attributes: map[string]string{"VisibilityTimeout": "50"}})
	if sqsCode(err) != "QueueAlreadyExists" {
		t.Errorf("CreateQueue with another VisibilityTimeout: %v, want QueueAlreadyExists", err)
	}
	_, err = c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("orders"), Attributes: map[string]string{"FifoQueue": "true"}})
	if sqsCode(err) != "InvalidParameterValue" {
		t.Errorf("a FIFO queue without .fifo: %v, want InvalidParameterValue", err)
	}
	fifo, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("orders.fifo"), Attributes: map[string]string{"FifoQueue": "true"}})
	must(t, err)
	fa, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: fifo.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"All"}})
	must(t, err)
	if fa.Attributes["ContentBasedDeduplication"] != "false" || fa.Attributes["DeduplicationScope"] != "queue" || fa.Attributes["FifoThroughputLimit"] != "perQueue" {
		t.Errorf("FIFO defaults: %v", fa.Attributes)
	}
	// A standard queue's dead-letter queue may not be FIFO.
	_, err = c.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: jobs.QueueUrl, Attributes: map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"` + fa.Attributes["QueueArn"] + `","maxReceiveCount":3}`}})
	if sqsCode(err) != "InvalidParameterValue" {
		t.Errorf("a FIFO dead-letter queue of a standard one: %v", err)
	}
	_, err = c.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("nope")})
	var missing *sqstypes.QueueDoesNotExist
	if !errors.As(err, &missing) || sqsCode(err) != "AWS.SimpleQueueService.NonExistentQueue" {
		t.Errorf("GetQueueUrl of no queue: %v, want QueueDoesNotExist as AWS.SimpleQueueService.NonExistentQueue", err)
	}
	src, err := c.ListDeadLetterSourceQueues(ctx, &sqs.ListDeadLetterSourceQueuesInput{QueueUrl: dlq.QueueUrl})
	must(t, err)
	if len(src.QueueUrls) != 1 || src.QueueUrls[0] != aws.ToString(jobs.QueueUrl) {
		t.Errorf("ListDeadLetterSourceQueues: %v", src.QueueUrls)
	}
	ja, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: jobs.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"RedrivePolicy"}})
	must(t, err)
	if want := `{"deadLetterTargetArn":"` + dlqARN + `","maxReceiveCount":2}`; ja.Attributes["RedrivePolicy"] != want {
		t.Errorf("RedrivePolicy %s, want %s", ja.Attributes["RedrivePolicy"], want)
	}
	_, err = c.TagQueue(ctx, &sqs.TagQueueInput{QueueUrl: jobs.QueueUrl, Tags: map[string]string{"env": "prod"}})
	must(t, err)
	_, err = c.UntagQueue(ctx, &sqs.UntagQueueInput{QueueUrl: jobs.QueueUrl, TagKeys: []string{"team"}})
	must(t, err)
	tags, err := c.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: jobs.QueueUrl})
	must(t, err)
	if len(tags.Tags) != 1 || tags.Tags["env"] != "prod" {
		t.Errorf("tags %v", tags.Tags)
	}
	list, err := c.ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String("jobs")})
	must(t, err)
	if len(list.QueueUrls) != 2 {
		t.Errorf("ListQueues jobs*: %v", list.QueueUrls)
	}
	// PurgeQueue: once in 60 seconds.
	_, err = c.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: jobs.QueueUrl})
	must(t, err)
	_, err = c.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: jobs.QueueUrl})
	if sqsCode(err) != "AWS.SimpleQueueService.PurgeQueueInProgress" {
		t.Errorf("a second purge: %v", err)
	}
	clk.Advance(61 * time.Second)
	_, err = c.PurgeQueue(ctx, &sqs.PurgeQueueInput{QueueUrl: jobs.QueueUrl})
	must(t, err)
	// DeleteQueue: the name waits 60 seconds.
	_, err = c.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: jobs.QueueUrl})
	must(t, err)
	_, err = c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs")})
	if sqsCode(err) != "AWS.SimpleQueueService.QueueDeletedRecently" {
		t.Errorf("CreateQueue right after DeleteQueue: %v", err)
	}
	clk.Advance(61 * time.Second)
	_, err = c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("jobs")})
	must(t, err)
}

// TestSQSMessagesAsAWS sends, receives and deletes messages through the
// Go SDK, whose client checks the MD5 digests of bodies and attributes
// SQS answers: visibility timeouts on the engine's clock, receipt handles
// (the latest deletes), ChangeMessageVisibility, batches and their
// per-entry failures, the 1 MiB limit, the redrive to a dead-letter
// queue after maxReceiveCount, and a FIFO queue's deduplication and
// ordering.
func TestSQSMessagesAsAWS(t *testing.T) {
	t.Parallel()
	em, clk := newClockedEmulator(t)
	c := sqsClient(em.URL)
	dlq, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("dead")})
	must(t, err)
	da, err := c.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"QueueArn"}})
	must(t, err)
	q, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("work"), Attributes: map[string]string{
		"RedrivePolicy": `{"deadLetterTargetArn":"` + da.Attributes["QueueArn"] + `","maxReceiveCount":2}`}})
	must(t, err)
	_, err = c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("hello"),
		MessageAttributes: map[string]sqstypes.MessageAttributeValue{"kind": {DataType: aws.String("String"), StringValue: aws.String("greeting")},
			"blob": {DataType: aws.String("Binary"), BinaryValue: []byte{1, 2, 3}}}})
	must(t, err) // the SDK checks MD5OfMessageBody and MD5OfMessageAttributes
	recv := func(vis int32) *sqs.ReceiveMessageOutput {
		t.Helper()
		out, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, VisibilityTimeout: vis, MaxNumberOfMessages: 10,
			MessageAttributeNames: []string{"All"}, MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"All"}})
		must(t, err)
		return out
	}
	first := recv(0 + 30)
	if len(first.Messages) != 1 || aws.ToString(first.Messages[0].Body) != "hello" || first.Messages[0].Attributes["ApproximateReceiveCount"] != "1" ||
		aws.ToString(first.Messages[0].MessageAttributes["kind"].StringValue) != "greeting" {
		t.Fatalf("first receive: %+v", first.Messages)
	}
	if again := recv(30); len(again.Messages) != 0 {
		t.Errorf("an in-flight message received again: %+v", again.Messages)
	}
	clk.Advance(31 * time.Second)
	second := recv(30)
	if len(second.Messages) != 1 || second.Messages[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("second receive: %+v", second.Messages)
	}
	// The first receipt handle is stale: the delete succeeds, deletes nothing.
	_, err = c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: first.Messages[0].ReceiptHandle})
	must(t, err)
	_, err = c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: aws.String("not-a-handle")})
	if sqsCode(err) != "ReceiptHandleIsInvalid" {
		t.Errorf("DeleteMessage of a bad handle: %v", err)
	}
	_, err = c.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: q.QueueUrl, ReceiptHandle: second.Messages[0].ReceiptHandle, VisibilityTimeout: 0})
	must(t, err)
	// Received twice (maxReceiveCount 2): the third receive moves it to the
	// dead-letter queue.
	if third := recv(30); len(third.Messages) != 0 {
		t.Errorf("a message past maxReceiveCount received: %+v", third.Messages)
	}
	dead, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: dlq.QueueUrl, MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"DeadLetterQueueSourceArn"}})
	must(t, err)
	if len(dead.Messages) != 1 || aws.ToString(dead.Messages[0].Body) != "hello" || !strings.HasSuffix(dead.Messages[0].Attributes["DeadLetterQueueSourceArn"], ":work") {
		t.Fatalf("dead-letter queue: %+v", dead.Messages)
	}
	_, err = c.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: q.QueueUrl, ReceiptHandle: second.Messages[0].ReceiptHandle, VisibilityTimeout: 10})
	if sqsCode(err) != "AWS.SimpleQueueService.MessageNotInflight" {
		t.Errorf("ChangeMessageVisibility of a moved message: %v", err)
	}
	// Batches: per-entry failures; 1 MiB.
	big := strings.Repeat("x", 1048577)
	batch, err := c.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: q.QueueUrl, Entries: []sqstypes.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String("one")}, {Id: aws.String("b"), MessageBody: aws.String("two"), DelaySeconds: 5}}})
	must(t, err)
	if len(batch.Successful) != 2 || len(batch.Failed) != 0 {
		t.Errorf("SendMessageBatch: %+v %+v", batch.Successful, batch.Failed)
	}
	_, err = c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String(big)})
	if sqsCode(err) != "InvalidParameterValue" {
		t.Errorf("a message of 1 MiB + 1: %v", err)
	}
	_, err = c.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: q.QueueUrl, Entries: []sqstypes.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String("one")}, {Id: aws.String("a"), MessageBody: aws.String("two")}}})
	if sqsCode(err) != "AWS.SimpleQueueService.BatchEntryIdsNotDistinct" {
		t.Errorf("a batch of one id twice: %v", err)
	}
	got := recv(30)
	if len(got.Messages) != 1 || aws.ToString(got.Messages[0].Body) != "one" {
		t.Errorf("before the delay: %+v", got.Messages)
	}
	del, err := c.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: q.QueueUrl, Entries: []sqstypes.DeleteMessageBatchRequestEntry{
		{Id: aws.String("ok"), ReceiptHandle: got.Messages[0].ReceiptHandle}, {Id: aws.String("bad"), ReceiptHandle: aws.String("junk")}}})
	must(t, err)
	if len(del.Successful) != 1 || len(del.Failed) != 1 || aws.ToString(del.Failed[0].Code) != "ReceiptHandleIsInvalid" {
		t.Errorf("DeleteMessageBatch: %+v %+v", del.Successful, del.Failed)
	}
	clk.Advance(6 * time.Second)
	if later := recv(30); len(later.Messages) != 1 || aws.ToString(later.Messages[0].Body) != "two" {
		t.Errorf("after the delay: %+v", later.Messages)
	}
	// FIFO: a deduplication id sent twice is one message; a group's
	// messages come in order, none while one is in flight.
	f, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("f.fifo"), Attributes: map[string]string{"FifoQueue": "true"}})
	must(t, err)
	_, err = c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: f.QueueUrl, MessageBody: aws.String("no group")})
	if sqsCode(err) != "MissingParameter" {
		t.Errorf("a FIFO message without a group: %v", err)
	}
	var seqs []string
	for i, body := range []string{"1", "1", "2"} {
		out, err := c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: f.QueueUrl, MessageBody: aws.String(body), MessageGroupId: aws.String("g"),
			MessageDeduplicationId: aws.String("d" + body)})
		must(t, err)
		if i != 1 && aws.ToString(out.SequenceNumber) == "" {
			t.Errorf("no SequenceNumber")
		}
		seqs = append(seqs, aws.ToString(out.SequenceNumber))
	}
	if seqs[0] != seqs[1] || seqs[1] >= seqs[2] {
		t.Errorf("sequence numbers %v: the duplicate should repeat the first", seqs)
	}
	fr, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: f.QueueUrl})
	must(t, err)
	if len(fr.Messages) != 1 || aws.ToString(fr.Messages[0].Body) != "1" {
		t.Fatalf("FIFO first: %+v", fr.Messages)
	}
	if blocked, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: f.QueueUrl}); err != nil || len(blocked.Messages) != 0 {
		t.Errorf("a group with a message in flight gave %+v (%v)", blocked, err)
	}
	_, err = c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: f.QueueUrl, ReceiptHandle: fr.Messages[0].ReceiptHandle})
	must(t, err)
	fr, err = c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: f.QueueUrl})
	must(t, err)
	if len(fr.Messages) != 1 || aws.ToString(fr.Messages[0].Body) != "2" {
		t.Errorf("FIFO second: %+v", fr.Messages)
	}
}
