// Package sqs serves Amazon SQS (AWS JSON 1.0, query-compatible: errors
// carry their Query codes in x-amzn-query-error): queues, their attributes
// and tags, and messages (send, receive with visibility timeouts and long
// polling, delete, change visibility, purge, dead-letter queues). The rules
// are internal/engine's sqs.go.
package sqs

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the SQS handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("sqs", op, h) }
	add("CreateQueue", createQueue)
	add("GetQueueUrl", getQueueURL)
	add("GetQueueAttributes", getQueueAttributes)
	add("SetQueueAttributes", setQueueAttributes)
	add("ListQueues", listQueues)
	add("DeleteQueue", deleteQueue)
	add("PurgeQueue", purgeQueue)
	add("TagQueue", tagQueue)
	add("UntagQueue", untagQueue)
	add("ListQueueTags", listQueueTags)
	add("ListDeadLetterSourceQueues", listDeadLetterSourceQueues)
	add("SendMessage", sendMessage)
	add("SendMessageBatch", sendMessageBatch)
	add("ReceiveMessage", receiveMessage)
	add("DeleteMessage", deleteMessage)
	add("DeleteMessageBatch", deleteMessageBatch)
	add("ChangeMessageVisibility", changeMessageVisibility)
	add("ChangeMessageVisibilityBatch", changeMessageVisibilityBatch)
}

func queueURL(c *api.Call) string { return c.In.String("QueueUrl") }

func createQueue(c *api.Call) (map[string]any, error) {
	q, err := c.Engine.CreateSQSQueue(c.In.String("QueueName"), c.In.StringMap("Attributes"), model.Tags(c.In.StringMap("tags")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"QueueUrl": c.Engine.SQSQueueURL(q.Name)}, nil
}

func getQueueURL(c *api.Call) (map[string]any, error) {
	name := c.In.String("QueueName")
	var found bool
	c.Engine.Read(func(st *model.State) { found = st.SQSQueues[name] != nil })
	if owner := c.In.String("QueueOwnerAWSAccountId"); !found || owner != "" && owner != c.Account {
		return nil, engine.ErrSQSQueueMissing()
	}
	return map[string]any{"QueueUrl": c.Engine.SQSQueueURL(name)}, nil
}

// sqsAttributeNames are GetQueueAttributes' names ("All" is every one).
var sqsAttributeNames = []string{"Policy", "VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod", "ApproximateNumberOfMessages",
	"ApproximateNumberOfMessagesNotVisible", "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn", "ApproximateNumberOfMessagesDelayed",
	"DelaySeconds", "ReceiveMessageWaitTimeSeconds", "RedrivePolicy", "FifoQueue", "ContentBasedDeduplication", "KmsMasterKeyId",
	"KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit", "RedriveAllowPolicy", "SqsManagedSseEnabled"}

func getQueueAttributes(c *api.Call) (map[string]any, error) {
	var attrs map[string]string
	var err error
	c.Engine.Read(func(st *model.State) {
		var q *model.SQSQueue
		if q, err = c.Engine.SQSQueue(st, queueURL(c)); err == nil {
			attrs = c.Engine.SQSQueueAttributes(q)
		}
	})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, n := range c.In.Strings("AttributeNames") {
		switch {
		case n == "All":
			maps.Copy(out, attrs)
		case slices.Contains(sqsAttributeNames, n):
			if v, ok := attrs[n]; ok {
				out[n] = v
			}
		default:
			return nil, apierr.Newf("InvalidAttributeName", "Unknown Attribute %s.", n) // [probable]
		}
	}
	if len(out) == 0 {
		return map[string]any{}, nil
	}
	return map[string]any{"Attributes": out}, nil
}

// millis is a message timestamp: epoch milliseconds ("" for none).
func millis(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return strconv.FormatInt(t.UnixMilli(), 10)
}

func itoa(n int) string { return strconv.Itoa(n) }

func setQueueAttributes(c *api.Call) (map[string]any, error) {
	return map[string]any{}, c.Engine.SetSQSQueueAttributes(queueURL(c), c.In.StringMap("Attributes"))
}

func listQueues(c *api.Call) (map[string]any, error) {
	prefix := c.In.String("QueueNamePrefix")
	var names []string
	c.Engine.Read(func(st *model.State) {
		for name := range st.SQSQueues {
			if strings.HasPrefix(name, prefix) {
				names = append(names, name)
			}
		}
	})
	slices.Sort(names)
	limit := 1000
	if n := c.In.OptInt("MaxResults"); n != nil {
		if *n < 1 || *n > 1000 {
			return nil, apierr.Newf("InvalidParameterValue", "Value %d for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.", *n) // [probable]
		}
		limit = *n
	}
	start := 0
	if tok := c.In.String("NextToken"); tok != "" {
		for start < len(names) && names[start] <= tok {
			start++
		}
	}
	end := min(len(names), start+limit)
	out := map[string]any{}
	var urls []string
	for _, n := range names[start:end] {
		urls = append(urls, c.Engine.SQSQueueURL(n))
	}
	if len(urls) > 0 {
		out["QueueUrls"] = urls
	}
	if c.In.Has("MaxResults") && end < len(names) {
		out["NextToken"] = names[end-1]
	}
	return out, nil
}

func deleteQueue(c *api.Call) (map[string]any, error) {
	return map[string]any{}, c.Engine.DeleteSQSQueue(queueURL(c))
}

func purgeQueue(c *api.Call) (map[string]any, error) {
	return map[string]any{}, c.Engine.PurgeSQSQueue(queueURL(c))
}

func tagQueue(c *api.Call) (map[string]any, error) {
	return map[string]any{}, c.Engine.TagSQSQueue(queueURL(c), model.Tags(c.In.StringMap("Tags")), nil)
}

func untagQueue(c *api.Call) (map[string]any, error) {
	return map[string]any{}, c.Engine.TagSQSQueue(queueURL(c), nil, c.In.Strings("TagKeys"))
}

func listQueueTags(c *api.Call) (map[string]any, error) {
	var tags model.Tags
	var err error
	c.Engine.Read(func(st *model.State) {
		var q *model.SQSQueue
		if q, err = c.Engine.SQSQueue(st, queueURL(c)); err == nil {
			tags = q.Tags.Clone()
		}
	})
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return map[string]any{}, nil
	}
	return map[string]any{"Tags": map[string]string(tags)}, nil
}

func listDeadLetterSourceQueues(c *api.Call) (map[string]any, error) {
	var names []string
	var err error
	c.Engine.Read(func(st *model.State) {
		var q *model.SQSQueue
		if q, err = c.Engine.SQSQueue(st, queueURL(c)); err == nil {
			names = c.Engine.SQSDeadLetterSources(st, q)
		}
	})
	if err != nil {
		return nil, err
	}
	urls := []string{}
	for _, n := range names {
		urls = append(urls, c.Engine.SQSQueueURL(n))
	}
	return map[string]any{"queueUrls": urls}, nil
}

// ---- messages

// messageAttributes reads a map of MessageAttributeValue (or of
// MessageSystemAttributeValue).
func messageAttributes(v any) map[string]model.SQSMessageAttribute {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		if p, ok := v.(awsproto.Params); ok {
			m = map[string]any(p)
		}
	}
	if len(m) == 0 {
		return nil
	}
	out := map[string]model.SQSMessageAttribute{}
	for k, raw := range m {
		var p awsproto.Params
		switch x := raw.(type) {
		case awsproto.Params:
			p = x
		case map[string]any:
			p = awsproto.Params(x)
		}
		out[k] = model.SQSMessageAttribute{DataType: p.String("DataType"), StringValue: p.String("StringValue"), BinaryValue: p.Blob("BinaryValue")}
	}
	return out
}

func sendEntry(p awsproto.Params) engine.SQSSendEntry {
	return engine.SQSSendEntry{ID: p.String("Id"), Body: p.String("MessageBody"), DelaySeconds: p.OptInt("DelaySeconds"),
		MessageAttributes: messageAttributes(p["MessageAttributes"]), SystemAttributes: messageAttributes(p["MessageSystemAttributes"]),
		GroupID: p.String("MessageGroupId"), DeduplicationID: p.String("MessageDeduplicationId")}
}

func sender(c *api.Call) string {
	if c.AccessKeyID != "" {
		return c.AccessKeyID
	}
	return c.Account
}

func sentOutput(s engine.SQSSent) map[string]any {
	out := map[string]any{"MessageId": s.MessageID, "MD5OfMessageBody": s.MD5Body}
	if s.MD5Attributes != "" {
		out["MD5OfMessageAttributes"] = s.MD5Attributes
	}
	if s.MD5SystemAttributes != "" {
		out["MD5OfMessageSystemAttributes"] = s.MD5SystemAttributes
	}
	if s.SequenceNumber != "" {
		out["SequenceNumber"] = s.SequenceNumber
	}
	return out
}

func sendMessage(c *api.Call) (map[string]any, error) {
	res, err := c.Engine.SendSQSMessages(queueURL(c), sender(c), []engine.SQSSendEntry{sendEntry(c.In)})
	if err != nil {
		return nil, err
	}
	if res[0].Err != nil {
		return nil, res[0].Err
	}
	return sentOutput(res[0]), nil
}

func batchFailure(id string, e *apierr.Error) map[string]any {
	return map[string]any{"Id": id, "SenderFault": e.Status() < 500, "Code": e.Code, "Message": e.Message}
}

func sendMessageBatch(c *api.Call) (map[string]any, error) {
	entries := c.In.Structs("Entries")
	ids := make([]string, len(entries))
	in := make([]engine.SQSSendEntry, len(entries))
	size := 0
	for i, p := range entries {
		ids[i], in[i] = p.String("Id"), sendEntry(p)
		size += engine.SQSMessageSize(in[i].Body, in[i].MessageAttributes)
	}
	if err := engine.SQSBatchCheck("SendMessageBatchRequestEntry", ids); err != nil {
		return nil, err
	}
	if size > engine.SQSMaxMessageBytes {
		return nil, engine.ErrSQSBatchTooLong(size)
	}
	res, err := c.Engine.SendSQSMessages(queueURL(c), sender(c), in)
	if err != nil {
		return nil, err
	}
	ok, failed := []map[string]any{}, []map[string]any{}
	for _, r := range res {
		if r.Err != nil {
			failed = append(failed, batchFailure(r.ID, r.Err))
			continue
		}
		o := sentOutput(r)
		o["Id"] = r.ID
		ok = append(ok, o)
	}
	return map[string]any{"Successful": ok, "Failed": failed}, nil
}

// longPollInterval is how often a long poll looks for messages again.
const longPollInterval = 100 * time.Millisecond

func receiveMessage(c *api.Call) (map[string]any, error) {
	max := 1
	if n := c.In.OptInt("MaxNumberOfMessages"); n != nil {
		if *n < 1 || *n > 10 {
			return nil, apierr.Newf("InvalidParameterValue", "Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.", *n)
		}
		max = *n
	}
	vis := c.In.OptInt("VisibilityTimeout")
	if vis != nil && (*vis < 0 || *vis > 43200) {
		return nil, apierr.Newf("InvalidParameterValue", "Value %d for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.", *vis)
	}
	var wait time.Duration
	var err error
	c.Engine.Read(func(st *model.State) {
		var q *model.SQSQueue
		if q, err = c.Engine.SQSQueue(st, queueURL(c)); err == nil {
			w := q.Attributes["ReceiveMessageWaitTimeSeconds"]
			for _, ch := range w {
				wait = wait*10 + time.Duration(ch-'0')
			}
			wait *= time.Second
		}
	})
	if err != nil {
		return nil, err
	}
	if w := c.In.OptInt("WaitTimeSeconds"); w != nil {
		if *w < 0 || *w > 20 {
			return nil, apierr.Newf("InvalidParameterValue", "Value %d for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.", *w)
		}
		wait = time.Duration(*w) * time.Second
	}
	// A long poll waits, in real time, until a message is visible or the
	// wait ends (or the client goes away).
	deadline := time.Now().Add(wait)
	var got []engine.SQSReceived
	for {
		if got, err = c.Engine.ReceiveSQSMessages(queueURL(c), max, vis); err != nil || len(got) > 0 || !time.Now().Before(deadline) {
			break
		}
		select {
		case <-c.Ctx.Done():
			return map[string]any{}, nil
		case <-time.After(longPollInterval):
		}
	}
	if err != nil {
		return nil, err
	}
	names := append(c.In.Strings("AttributeNames"), c.In.Strings("MessageSystemAttributeNames")...)
	attrNames := c.In.Strings("MessageAttributeNames")
	msgs := make([]map[string]any, 0, len(got))
	for _, r := range got {
		msgs = append(msgs, messageOutput(r, names, attrNames))
	}
	if len(msgs) == 0 {
		return map[string]any{}, nil
	}
	return map[string]any{"Messages": msgs}, nil
}

func messageOutput(r engine.SQSReceived, names, attrNames []string) map[string]any {
	m := r.Message
	out := map[string]any{"MessageId": m.ID, "ReceiptHandle": r.ReceiptHandle, "Body": m.Body, "MD5OfBody": engine.SQSBodyMD5(m.Body)}
	sys := map[string]string{
		"SenderId": m.SenderID, "SentTimestamp": millis(m.Sent), "ApproximateReceiveCount": itoa(m.ReceiveCount),
		"ApproximateFirstReceiveTimestamp": millis(m.FirstReceived),
	}
	if m.SequenceNumber != "" {
		sys["SequenceNumber"], sys["MessageGroupId"] = m.SequenceNumber, m.GroupID
		if m.DeduplicationID != "" {
			sys["MessageDeduplicationId"] = m.DeduplicationID
		}
	}
	if a, ok := m.SystemAttributes["AWSTraceHeader"]; ok {
		sys["AWSTraceHeader"] = a.StringValue
	}
	if m.DeadLetterSource != "" {
		sys["DeadLetterQueueSourceArn"] = m.DeadLetterSource
	}
	attrs := map[string]string{}
	for _, n := range names {
		if n == "All" {
			maps.Copy(attrs, sys)
		} else if v, ok := sys[n]; ok {
			attrs[n] = v
		}
	}
	if len(attrs) > 0 {
		out["Attributes"] = attrs
	}
	picked := map[string]model.SQSMessageAttribute{}
	for k, a := range m.MessageAttributes {
		for _, n := range attrNames {
			if n == "All" || n == ".*" || n == k || strings.HasSuffix(n, ".*") && strings.HasPrefix(k, strings.TrimSuffix(n, "*")) {
				picked[k] = a
			}
		}
	}
	if len(picked) > 0 {
		ma := map[string]any{}
		for k, a := range picked {
			v := map[string]any{"DataType": a.DataType}
			if a.BinaryValue != nil {
				v["BinaryValue"] = a.BinaryValue
			} else {
				v["StringValue"] = a.StringValue
			}
			ma[k] = v
		}
		out["MessageAttributes"] = ma
		out["MD5OfMessageAttributes"] = engine.SQSAttributesMD5(picked)
	}
	return out
}

func deleteMessage(c *api.Call) (map[string]any, error) {
	res, err := c.Engine.DeleteSQSMessages(queueURL(c), []string{c.In.String("ReceiptHandle")})
	if err != nil {
		return nil, err
	}
	if res[0] != nil {
		return nil, res[0]
	}
	return map[string]any{}, nil
}

func deleteMessageBatch(c *api.Call) (map[string]any, error) {
	entries := c.In.Structs("Entries")
	ids, handles := make([]string, len(entries)), make([]string, len(entries))
	for i, p := range entries {
		ids[i], handles[i] = p.String("Id"), p.String("ReceiptHandle")
	}
	if err := engine.SQSBatchCheck("DeleteMessageBatchRequestEntry", ids); err != nil {
		return nil, err
	}
	res, err := c.Engine.DeleteSQSMessages(queueURL(c), handles)
	if err != nil {
		return nil, err
	}
	return batchResult(ids, res), nil
}

func batchResult(ids []string, res []*apierr.Error) map[string]any {
	ok, failed := []map[string]any{}, []map[string]any{}
	for i, e := range res {
		if e != nil {
			failed = append(failed, batchFailure(ids[i], e))
		} else {
			ok = append(ok, map[string]any{"Id": ids[i]})
		}
	}
	return map[string]any{"Successful": ok, "Failed": failed}
}

func changeMessageVisibility(c *api.Call) (map[string]any, error) {
	res, err := c.Engine.ChangeSQSMessageVisibility(queueURL(c), []string{c.In.String("ReceiptHandle")}, []int{int(c.In.Int("VisibilityTimeout"))})
	if err != nil {
		return nil, err
	}
	if res[0] != nil {
		return nil, res[0]
	}
	return map[string]any{}, nil
}

func changeMessageVisibilityBatch(c *api.Call) (map[string]any, error) {
	entries := c.In.Structs("Entries")
	ids, handles, timeouts := make([]string, len(entries)), make([]string, len(entries)), make([]int, len(entries))
	for i, p := range entries {
		ids[i], handles[i], timeouts[i] = p.String("Id"), p.String("ReceiptHandle"), int(p.Int("VisibilityTimeout"))
	}
	if err := engine.SQSBatchCheck("ChangeMessageVisibilityBatchRequestEntry", ids); err != nil {
		return nil, err
	}
	res, err := c.Engine.ChangeSQSMessageVisibility(queueURL(c), handles, timeouts)
	if err != nil {
		return nil, err
	}
	return batchResult(ids, res), nil
}
