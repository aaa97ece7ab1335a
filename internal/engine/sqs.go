package engine

import (
	"cmp"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon SQS: queues, their attributes, tags and messages, with the
// visibility timeouts, delays, retention and redrive on the engine's clock.
// Error codes are the JSON protocol's shape names, with their Query codes
// (QueryCode) where SQS gives them another.

// SQS's limits (Amazon SQS Developer Guide, "Amazon SQS quotas").
const (
	SQSMaxMessageBytes  = 1048576 // 1 MiB, a message's and a batch's (raised from 256 KiB in 2025; the botocore model's text)
	sqsMaxBatchEntries  = 10
	sqsDeleteWait       = 60 * time.Second // DeleteQueue: a name waits before it is created again
	sqsPurgeWait        = 60 * time.Second // PurgeQueue: one per queue in 60 seconds
	sqsDedupInterval    = 5 * time.Minute  // FIFO deduplication interval
	sqsMaxQueueNameLen  = 80
	sqsMaxTagsPerQueue  = 50
	sqsMaxReceiveCount  = 1000
	sqsMaxRedriveSource = 10
)

var sqsQueueName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)
var sqsBatchID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)

// sqsError is an SQS error: its JSON shape name and, where SQS's Query
// code differs, that code (the query-protocol model's error traits).
func sqsError(shape, query, format string, args ...any) *apierr.Error {
	e := apierr.Newf(shape, format, args...)
	e.QueryCode = query
	return e
}

// ErrSQSQueueMissing is QueueDoesNotExist
// (AWS.SimpleQueueService.NonExistentQueue in the Query protocol).
func ErrSQSQueueMissing() *apierr.Error {
	return sqsError("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
}

func sqsInvalidValue(format string, args ...any) *apierr.Error {
	return apierr.Newf("InvalidParameterValue", format, args...)
}

func sqsInvalidAttributeValue(name string) *apierr.Error {
	return apierr.Newf("InvalidAttributeValue", "Invalid value for the parameter %s.", name) // [probable]
}

// sqsAttributeDefaults are a queue's attributes when CreateQueue does not
// set them (CreateQueue, Amazon SQS API Reference). SqsManagedSseEnabled
// is true for queues created since October 2022 without a KMS key.
var sqsAttributeDefaults = map[string]string{
	"DelaySeconds": "0", "MaximumMessageSize": strconv.Itoa(SQSMaxMessageBytes), "MessageRetentionPeriod": "345600",
	"ReceiveMessageWaitTimeSeconds": "0", "VisibilityTimeout": "30",
}

// sqsIntAttributes are the integer attributes and their valid ranges.
var sqsIntAttributes = map[string][2]int{
	"DelaySeconds": {0, 900}, "MaximumMessageSize": {1024, SQSMaxMessageBytes}, "MessageRetentionPeriod": {60, 1209600},
	"ReceiveMessageWaitTimeSeconds": {0, 20}, "VisibilityTimeout": {0, 43200}, "KmsDataKeyReusePeriodSeconds": {60, 86400},
}

// sqsSettable are the attributes CreateQueue and SetQueueAttributes take.
var sqsSettable = []string{"DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "Policy", "ReceiveMessageWaitTimeSeconds",
	"VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
	"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"}

// sqsFIFOOnly are the attributes only a FIFO queue has.
var sqsFIFOOnly = []string{"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"}

// SQSQueueURL is a queue's URL: https://sqs.REGION.amazonaws.com/ACCOUNT/NAME.
func (e *Engine) SQSQueueURL(name string) string {
	return "https://sqs." + e.cfg.Region + "." + model.DNSSuffix(e.cfg.Region) + "/" + e.cfg.Account + "/" + name
}

// SQSQueueARN is a queue's ARN.
func (e *Engine) SQSQueueARN(name string) string { return e.cfg.arn("sqs", name) }

// SQSQueueNameOf returns the name of the queue a QueueUrl names: its last
// path segment, after the account's; any host is taken (an endpoint's own
// URL, as clients of an emulator write them) [choice]. "" when the URL
// names no queue of this account.
func (e *Engine) SQSQueueNameOf(queueURL string) string {
	path := queueURL
	if u, err := url.Parse(queueURL); err == nil && u.Scheme != "" {
		path = u.Path
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || parts[len(parts)-2] != e.cfg.Account {
		return ""
	}
	return parts[len(parts)-1]
}

// SQSQueue returns the queue a QueueUrl names, or QueueDoesNotExist.
func (e *Engine) SQSQueue(st *model.State, queueURL string) (*model.SQSQueue, error) {
	q := st.SQSQueues[e.SQSQueueNameOf(queueURL)]
	if q == nil {
		return nil, ErrSQSQueueMissing()
	}
	return q, nil
}

func sqsIsFIFO(q *model.SQSQueue) bool { return q.Attributes["FifoQueue"] == "true" }

func sqsInt(q *model.SQSQueue, name string) int {
	n, _ := strconv.Atoi(cmp.Or(q.Attributes[name], sqsAttributeDefaults[name]))
	return n
}

// checkSQSAttributes checks attributes a queue is created or changed with;
// fifo says whether the queue is FIFO, creating whether this is CreateQueue.
func (t *txn) checkSQSAttributes(name string, attrs map[string]string, fifo, creating bool) error {
	for _, k := range sortedKeys(attrs) {
		v := attrs[k]
		if !slices.Contains(sqsSettable, k) {
			return apierr.Newf("InvalidAttributeName", "Unknown Attribute %s.", k) // [probable]
		}
		if slices.Contains(sqsFIFOOnly, k) && !fifo {
			if k == "FifoQueue" && v == "false" && creating {
				continue
			}
			return apierr.Newf("InvalidAttributeName", "Unknown Attribute %s.", k) // [probable]
		}
		if r, ok := sqsIntAttributes[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < r[0] || n > r[1] {
				return sqsInvalidAttributeValue(k)
			}
		}
		switch k {
		case "FifoQueue":
			if !creating {
				return sqsInvalidAttributeValue(k) // a queue's type does not change [probable]
			}
		case "ContentBasedDeduplication", "SqsManagedSseEnabled":
			if v != "true" && v != "false" {
				return sqsInvalidAttributeValue(k)
			}
		case "DeduplicationScope":
			if v != "messageGroup" && v != "queue" {
				return sqsInvalidAttributeValue(k)
			}
		case "FifoThroughputLimit":
			if v != "perQueue" && v != "perMessageGroupId" {
				return sqsInvalidAttributeValue(k)
			}
		case "Policy":
			if v != "" && !json.Valid([]byte(v)) {
				return sqsInvalidAttributeValue(k)
			}
		case "RedrivePolicy":
			if v == "" {
				continue
			}
			if _, err := t.sqsRedrivePolicy(name, v, fifo); err != nil {
				return err
			}
		case "RedriveAllowPolicy":
			if v == "" {
				continue
			}
			if _, err := sqsRedriveAllow(v); err != nil {
				return err
			}
		}
	}
	if attrs["FifoThroughputLimit"] == "perMessageGroupId" && attrs["DeduplicationScope"] == "queue" {
		return sqsInvalidValue("Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId is allowed only when DeduplicationScope is messageGroup.") // [probable]
	}
	return nil
}

// SQSRedrivePolicy is a queue's RedrivePolicy.
type SQSRedrivePolicy struct {
	DeadLetterTargetARN string
	MaxReceiveCount     int
}

// sqsRedrivePolicy reads and checks a RedrivePolicy: its dead-letter queue
// must exist, be of the source's type and allow it as a source.
func (t *txn) sqsRedrivePolicy(source, v string, fifo bool) (SQSRedrivePolicy, error) {
	invalid := func(reason string) error {
		return sqsInvalidValue("Value %s for parameter RedrivePolicy is invalid. Reason: %s", v, reason)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return SQSRedrivePolicy{}, invalid("Redrive policy is not a valid JSON map.")
	}
	p, ok := sqsParseRedrive(raw)
	if !ok {
		return p, invalid("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
	}
	if p.MaxReceiveCount < 1 || p.MaxReceiveCount > sqsMaxReceiveCount {
		return p, invalid("Invalid value for maxReceiveCount: " + fmt.Sprint(raw["maxReceiveCount"]) + ", valid values are from 1 to 1000 both inclusive.")
	}
	dlq := t.st.SQSQueues[sqsNameOfARN(p.DeadLetterTargetARN)]
	if dlq == nil || t.e.SQSQueueARN(dlq.Name) != p.DeadLetterTargetARN {
		return p, invalid("Dead letter target does not exist.")
	}
	if sqsIsFIFO(dlq) != fifo {
		return p, invalid("Dead-letter queue must be same type of queue as the source.")
	}
	if allow, err := sqsRedriveAllow(dlq.Attributes["RedriveAllowPolicy"]); err == nil {
		switch allow.permission {
		case "denyAll":
			return p, invalid("Queue " + p.DeadLetterTargetARN + " does not allow this queue to use it as a dead-letter queue.") // [probable]
		case "byQueue":
			if !slices.Contains(allow.sources, t.e.SQSQueueARN(source)) {
				return p, invalid("Queue " + p.DeadLetterTargetARN + " does not allow this queue to use it as a dead-letter queue.") // [probable]
			}
		}
	}
	return p, nil
}

func sqsParseRedrive(raw map[string]any) (SQSRedrivePolicy, bool) {
	var p SQSRedrivePolicy
	p.DeadLetterTargetARN, _ = raw["deadLetterTargetArn"].(string)
	switch n := raw["maxReceiveCount"].(type) {
	case float64:
		p.MaxReceiveCount = int(n)
	case string:
		p.MaxReceiveCount, _ = strconv.Atoi(n)
	}
	return p, p.DeadLetterTargetARN != ""
}

// SQSQueueRedrive returns a queue's redrive policy (ok false: none).
func SQSQueueRedrive(q *model.SQSQueue) (SQSRedrivePolicy, bool) {
	var raw map[string]any
	if json.Unmarshal([]byte(q.Attributes["RedrivePolicy"]), &raw) != nil {
		return SQSRedrivePolicy{}, false
	}
	return sqsParseRedrive(raw)
}

type sqsAllow struct {
	permission string
	sources    []string
}

func sqsRedriveAllow(v string) (sqsAllow, error) {
	var a sqsAllow
	if v == "" {
		return sqsAllow{permission: "allowAll"}, nil
	}
	var raw struct {
		RedrivePermission string   `json:"redrivePermission"`
		SourceQueueArns   []string `json:"sourceQueueArns"`
	}
	invalid := func(reason string) error {
		return sqsInvalidValue("Value %s for parameter RedriveAllowPolicy is invalid. Reason: %s", v, reason) // [probable]
	}
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		return a, invalid("Invalid JSON.")
	}
	switch raw.RedrivePermission {
	case "allowAll", "denyAll":
		if len(raw.SourceQueueArns) > 0 {
			return a, invalid("Only byQueue redrivePermission allows sourceQueueArns.")
		}
	case "byQueue":
		if len(raw.SourceQueueArns) == 0 || len(raw.SourceQueueArns) > sqsMaxRedriveSource {
			return a, invalid("byQueue redrivePermission requires 1 to 10 sourceQueueArns.")
		}
	default:
		return a, invalid("Invalid value for redrivePermission.")
	}
	return sqsAllow{permission: raw.RedrivePermission, sources: raw.SourceQueueArns}, nil
}

// sqsNameOfARN is the queue name of an SQS ARN.
func sqsNameOfARN(arn string) string {
	i := strings.LastIndexByte(arn, ':')
	if i < 0 || !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	return arn[i+1:]
}

// normalizeSQSAttributes writes the JSON attributes as SQS gives them back
// (RedrivePolicy's maxReceiveCount a number).
func normalizeSQSAttributes(attrs map[string]string) {
	if v := attrs["RedrivePolicy"]; v != "" {
		var raw map[string]any
		if json.Unmarshal([]byte(v), &raw) == nil {
			if p, ok := sqsParseRedrive(raw); ok {
				b, _ := json.Marshal(struct {
					DeadLetterTargetARN string `json:"deadLetterTargetArn"`
					MaxReceiveCount     int    `json:"maxReceiveCount"`
				}{p.DeadLetterTargetARN, p.MaxReceiveCount})
				attrs["RedrivePolicy"] = string(b)
			}
		}
	}
}

// CreateSQSQueue creates a queue, or returns the existing one of the name
// when every attribute given has its value (QueueAlreadyExists otherwise).
func (e *Engine) CreateSQSQueue(name string, attrs map[string]string, tags model.Tags) (*model.SQSQueue, error) {
	var out *model.SQSQueue
	err := e.write(func(t *txn) error {
		fifo := attrs["FifoQueue"] == "true"
		base, isFIFOName := strings.CutSuffix(name, ".fifo")
		switch {
		case fifo && (!isFIFOName || !sqsQueueName.MatchString(base) || len(name) > sqsMaxQueueNameLen):
			return sqsInvalidValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.")
		case !fifo && !sqsQueueName.MatchString(name):
			return sqsInvalidValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
		}
		if err := t.checkSQSAttributes(name, attrs, fifo, true); err != nil {
			return err
		}
		given := maps.Clone(attrs)
		normalizeSQSAttributes(given)
		if q := t.st.SQSQueues[name]; q != nil {
			var differ []string
			for _, k := range sortedKeys(given) {
				if cur := cmp.Or(q.Attributes[k], sqsAttributeDefaults[k]); cur != given[k] && !(k == "FifoQueue" && given[k] == "false" && !sqsIsFIFO(q)) {
					differ = append(differ, k)
				}
			}
			if len(differ) > 0 {
				return sqsError("QueueNameExists", "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute %s", strings.Join(differ, ", ")) // [probable]
			}
			out = q
			return nil
		}
		if d := t.st.SQSDeletedQueues[name]; d != nil && t.now.Sub(d.Deleted) < sqsDeleteWait {
			return sqsError("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
		}
		del(t, model.KindSQSDeletedQueue, t.st.SQSDeletedQueues, name)
		if len(tags) > sqsMaxTagsPerQueue {
			return sqsInvalidValue("Too many tags added for queue %s.", name) // [probable]
		}
		q := &model.SQSQueue{Name: name, Attributes: maps.Clone(sqsAttributeDefaults), Tags: tags.Clone(), Created: t.now, Modified: t.now}
		maps.Copy(q.Attributes, given)
		if fifo {
			q.Attributes["FifoQueue"] = "true"
			for k, v := range map[string]string{"ContentBasedDeduplication": "false", "DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"} {
				if q.Attributes[k] == "" {
					q.Attributes[k] = v
				}
			}
		} else {
			delete(q.Attributes, "FifoQueue")
		}
		sqsEncryptionDefaults(q.Attributes, given)
		put(t, model.KindSQSQueue, t.st.SQSQueues, name, q)
		out = q
		return nil
	})
	return out, err
}

// sqsEncryptionDefaults fills in SSE: a KMS key's data key reuse period,
// else SQS-managed SSE (on by default).
func sqsEncryptionDefaults(attrs, given map[string]string) {
	if attrs["KmsMasterKeyId"] != "" {
		if attrs["KmsDataKeyReusePeriodSeconds"] == "" {
			attrs["KmsDataKeyReusePeriodSeconds"] = "300"
		}
		if given["SqsManagedSseEnabled"] == "" {
			attrs["SqsManagedSseEnabled"] = "false"
		}
	} else if attrs["SqsManagedSseEnabled"] == "" {
		attrs["SqsManagedSseEnabled"] = "true"
	}
}

// updateSQSQueue changes a copy of the queue a URL names and stores it.
func (e *Engine) updateSQSQueue(queueURL string, f func(t *txn, q *model.SQSQueue) error) (*model.SQSQueue, error) {
	var out *model.SQSQueue
	err := e.write(func(t *txn) error {
		old, err := e.SQSQueue(t.st, queueURL)
		if err != nil {
			return err
		}
		q := cloneSQSQueue(old)
		if err := f(t, q); err != nil {
			return err
		}
		put(t, model.KindSQSQueue, t.st.SQSQueues, q.Name, q)
		out = q
		return nil
	})
	return out, err
}

func cloneSQSQueue(q *model.SQSQueue) *model.SQSQueue {
	c := *q
	c.Attributes = maps.Clone(q.Attributes)
	c.Tags = q.Tags.Clone()
	c.Messages = slices.Clone(q.Messages)
	c.Dedup = maps.Clone(q.Dedup)
	return &c
}

// SetSQSQueueAttributes changes a queue's attributes; an empty value of
// RedrivePolicy, RedriveAllowPolicy, Policy or KmsMasterKeyId removes it.
func (e *Engine) SetSQSQueueAttributes(queueURL string, attrs map[string]string) error {
	_, err := e.updateSQSQueue(queueURL, func(t *txn, q *model.SQSQueue) error {
		if err := t.checkSQSAttributes(q.Name, attrs, sqsIsFIFO(q), false); err != nil {
			return err
		}
		given := maps.Clone(attrs)
		normalizeSQSAttributes(given)
		for k, v := range given {
			if v == "" && (k == "RedrivePolicy" || k == "RedriveAllowPolicy" || k == "Policy" || k == "KmsMasterKeyId") {
				delete(q.Attributes, k)
				continue
			}
			q.Attributes[k] = v
		}
		if given["KmsMasterKeyId"] != "" && given["SqsManagedSseEnabled"] == "" {
			q.Attributes["SqsManagedSseEnabled"] = "false"
		}
		if given["SqsManagedSseEnabled"] == "true" && given["KmsMasterKeyId"] == "" {
			delete(q.Attributes, "KmsMasterKeyId")
			delete(q.Attributes, "KmsDataKeyReusePeriodSeconds")
		}
		sqsEncryptionDefaults(q.Attributes, given)
		q.Modified = t.now
		return nil
	})
	return err
}

// SQSQueueAttributes returns every attribute of a queue as
// GetQueueAttributes "All" answers them, the counts as of now.
func (e *Engine) SQSQueueAttributes(q *model.SQSQueue) map[string]string {
	now := e.Now()
	out := maps.Clone(q.Attributes)
	visible, inFlight, delayed := 0, 0, 0
	for _, m := range e.sqsLive(q, now) {
		switch {
		case m.ReceiveCount == 0 && m.VisibleAt.After(now):
			delayed++
		case m.VisibleAt.After(now):
			inFlight++
		default:
			visible++
		}
	}
	out["ApproximateNumberOfMessages"] = strconv.Itoa(visible)
	out["ApproximateNumberOfMessagesNotVisible"] = strconv.Itoa(inFlight)
	out["ApproximateNumberOfMessagesDelayed"] = strconv.Itoa(delayed)
	out["CreatedTimestamp"] = strconv.FormatInt(q.Created.Unix(), 10)
	out["LastModifiedTimestamp"] = strconv.FormatInt(q.Modified.Unix(), 10)
	out["QueueArn"] = e.SQSQueueARN(q.Name)
	return out
}

// sqsLive are a queue's messages within its retention period.
func (e *Engine) sqsLive(q *model.SQSQueue, now time.Time) []model.SQSMessage {
	keep := time.Duration(sqsInt(q, "MessageRetentionPeriod")) * time.Second
	var out []model.SQSMessage
	for _, m := range q.Messages {
		if now.Sub(m.Sent) < keep {
			out = append(out, m)
		}
	}
	return out
}

// DeleteSQSQueue deletes a queue and its messages; its name may not be
// used again for 60 seconds.
func (e *Engine) DeleteSQSQueue(queueURL string) error {
	return e.write(func(t *txn) error {
		q, err := e.SQSQueue(t.st, queueURL)
		if err != nil {
			return err
		}
		del(t, model.KindSQSQueue, t.st.SQSQueues, q.Name)
		put(t, model.KindSQSDeletedQueue, t.st.SQSDeletedQueues, q.Name, &model.SQSDeletedQueue{Name: q.Name, Deleted: t.now})
		return nil
	})
}

// PurgeSQSQueue deletes a queue's messages; a second purge within 60
// seconds is PurgeQueueInProgress.
func (e *Engine) PurgeSQSQueue(queueURL string) error {
	_, err := e.updateSQSQueue(queueURL, func(t *txn, q *model.SQSQueue) error {
		if !q.PurgedAt.IsZero() && t.now.Sub(q.PurgedAt) < sqsPurgeWait {
			e := sqsError("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", "Only one PurgeQueue operation on %s is allowed every 60 seconds.", q.Name)
			e.HTTPStatus = 403
			return e
		}
		q.Messages, q.PurgedAt = nil, t.now
		return nil
	})
	return err
}

// TagSQSQueue adds tags to (untag: removes keys from) a queue.
func (e *Engine) TagSQSQueue(queueURL string, add model.Tags, remove []string) error {
	_, err := e.updateSQSQueue(queueURL, func(t *txn, q *model.SQSQueue) error {
		if q.Tags == nil {
			q.Tags = model.Tags{}
		}
		maps.Copy(q.Tags, add)
		for _, k := range remove {
			delete(q.Tags, k)
		}
		if len(q.Tags) > sqsMaxTagsPerQueue {
			return sqsInvalidValue("Too many tags added for queue %s.", q.Name) // [probable]
		}
		return nil
	})
	return err
}

// SQSDeadLetterSources are the names of the queues whose redrive policy
// names the queue as their dead-letter queue, sorted.
func (e *Engine) SQSDeadLetterSources(st *model.State, q *model.SQSQueue) []string {
	arn := e.SQSQueueARN(q.Name)
	var out []string
	for _, name := range sortedKeys(st.SQSQueues) {
		if p, ok := SQSQueueRedrive(st.SQSQueues[name]); ok && p.DeadLetterTargetARN == arn {
			out = append(out, name)
		}
	}
	return out
}

// SQSSendEntry is one message to send.
type SQSSendEntry struct {
	ID                string // a batch entry's id
	Body              string
	DelaySeconds      *int
	MessageAttributes map[string]model.SQSMessageAttribute
	SystemAttributes  map[string]model.SQSMessageAttribute
	GroupID           string
	DeduplicationID   string
}

// SQSSent is a message accepted: its id, the MD5 digests SQS answers and a
// FIFO message's sequence number; Err is a batch entry's failure.
type SQSSent struct {
	ID                  string
	MessageID           string
	MD5Body             string
	MD5Attributes       string
	MD5SystemAttributes string
	SequenceNumber      string
	Err                 *apierr.Error
}

// SendSQSMessages sends messages to a queue; one entry's failure fails
// only it (a batch's Failed), the others are sent. sender is the SenderId.
func (e *Engine) SendSQSMessages(queueURL, sender string, entries []SQSSendEntry) ([]SQSSent, error) {
	out := make([]SQSSent, len(entries))
	_, err := e.updateSQSQueue(queueURL, func(t *txn, q *model.SQSQueue) error {
		for i, in := range entries {
			out[i] = t.sendSQSMessage(q, sender, in, "")
			out[i].ID = in.ID
		}
		return nil
	})
	return out, err
}

// sqsBodyValid reports whether s has only the characters SQS takes: #x9,
// #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD, #x10000 to #x10FFFF.
func sqsBodyValid(s string) bool {
	for _, r := range s {
		switch {
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return true
}

// SQSMessageSize is a message's size as SQS counts it against
// MaximumMessageSize: its body and its attributes' names, types and values.
func SQSMessageSize(body string, attrs map[string]model.SQSMessageAttribute) int {
	n := len(body)
	for k, a := range attrs {
		n += len(k) + len(a.DataType) + len(a.StringValue) + len(a.BinaryValue)
	}
	return n
}

func (t *txn) sendSQSMessage(q *model.SQSQueue, sender string, in SQSSendEntry, dlSource string) SQSSent {
	fifo := sqsIsFIFO(q)
	fail := func(err *apierr.Error) SQSSent { return SQSSent{Err: err} }
	if in.Body == "" {
		return fail(apierr.New("MissingParameter", "The request must contain the parameter MessageBody."))
	}
	if !sqsBodyValid(in.Body) {
		return fail(apierr.New("InvalidMessageContents", "Invalid binary character was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")) // [probable]
	}
	if max := sqsInt(q, "MaximumMessageSize"); SQSMessageSize(in.Body, in.MessageAttributes) > max {
		return fail(sqsInvalidValue("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", max))
	}
	if len(in.MessageAttributes) > 10 {
		return fail(sqsInvalidValue("Number of message attributes [%d] exceeds the allowed maximum [10].", len(in.MessageAttributes)))
	}
	for _, k := range sortedKeys(in.MessageAttributes) {
		a := in.MessageAttributes[k]
		base, _, _ := strings.Cut(a.DataType, ".")
		switch {
		case base != "String" && base != "Number" && base != "Binary":
			return fail(sqsInvalidValue("The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", k))
		case base == "Binary" && len(a.BinaryValue) == 0, base != "Binary" && a.StringValue == "":
			return fail(sqsInvalidValue("Message (user) attribute '%s' must contain a non-empty value of type '%s'.", k, base))
		}
	}
	delay := sqsInt(q, "DelaySeconds")
	if in.DelaySeconds != nil {
		if *in.DelaySeconds < 0 || *in.DelaySeconds > 900 {
			return fail(sqsInvalidValue("Value %d for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.", *in.DelaySeconds))
		}
		if fifo && dlSource == "" {
			return fail(sqsInvalidValue("Value %d for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.", *in.DelaySeconds))
		}
		delay = *in.DelaySeconds
	}
	m := model.SQSMessage{ID: t.uuid(), Body: in.Body, MessageAttributes: in.MessageAttributes, SystemAttributes: in.SystemAttributes,
		SenderID: sender, Sent: t.now, VisibleAt: t.now.Add(time.Duration(delay) * time.Second), DeadLetterSource: dlSource}
	res := SQSSent{MessageID: m.ID, MD5Body: SQSBodyMD5(in.Body), MD5Attributes: SQSAttributesMD5(in.MessageAttributes), MD5SystemAttributes: SQSAttributesMD5(in.SystemAttributes)}
	if fifo {
		if in.GroupID == "" {
			return fail(apierr.New("MissingParameter", "The request must contain the parameter MessageGroupId."))
		}
		dedup := in.DeduplicationID
		if dedup == "" {
			if q.Attributes["ContentBasedDeduplication"] != "true" {
				return fail(sqsInvalidValue("The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"))
			}
			sum := sha256.Sum256([]byte(in.Body))
			dedup = hex.EncodeToString(sum[:])
		}
		key := dedup
		if q.Attributes["DeduplicationScope"] == "messageGroup" {
			key = in.GroupID + "\x00" + dedup
		}
		if d, ok := q.Dedup[key]; ok && t.now.Sub(d.Sent) < sqsDedupInterval {
			// A duplicate is accepted and not delivered again.
			res.MessageID, res.SequenceNumber = d.MessageID, d.Sequence
			return res
		}
		q.Sequence++
		m.GroupID, m.DeduplicationID = in.GroupID, in.DeduplicationID
		m.SequenceNumber = fmt.Sprintf("%020d", uint64(18_000_000_000_000_000_000)+q.Sequence)
		if q.Dedup == nil {
			q.Dedup = map[string]model.SQSDedup{}
		}
		for k, d := range q.Dedup {
			if t.now.Sub(d.Sent) >= sqsDedupInterval {
				delete(q.Dedup, k)
			}
		}
		q.Dedup[key] = model.SQSDedup{MessageID: m.ID, Sequence: m.SequenceNumber, Sent: t.now}
		res.SequenceNumber = m.SequenceNumber
	} else if in.DeduplicationID != "" {
		return fail(sqsInvalidValue("The request include parameter MessageDeduplicationId that is not valid for this queue type")) // [probable]
	} else {
		m.GroupID = in.GroupID // standard queues take a message group (fair queues)
	}
	q.Messages = append(q.Messages, m)
	return res
}

// SQSBodyMD5 is the MD5 digest of a message body, in hex, as SQS answers
// it (MD5OfMessageBody, MD5OfBody).
func SQSBodyMD5(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// SQSAttributesMD5 is the MD5 digest of message attributes that SQS
// answers and the SDKs check: each attribute, by name, as its name, data
// type and value, each preceded by its 4-byte big-endian length, with a
// transport byte (1 string, 2 binary) before the value. "" for none.
func SQSAttributesMD5(attrs map[string]model.SQSMessageAttribute) string {
	if len(attrs) == 0 {
		return ""
	}
	h := md5.New()
	field := func(b []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	names := make([]string, 0, len(attrs))
	for k := range attrs {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		a := attrs[k]
		field([]byte(k))
		field([]byte(a.DataType))
		if strings.HasPrefix(a.DataType, "Binary") {
			h.Write([]byte{2})
			field(a.BinaryValue)
		} else {
			h.Write([]byte{1})
			field([]byte(a.StringValue))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SQSReceived is a received message and its receipt handle.
type SQSReceived struct {
	Message       model.SQSMessage
	ReceiptHandle string
}

// ReceiveSQSMessages receives up to max visible messages, making each
// invisible for the visibility timeout (the queue's unless visibility is
// set). A message received more often than the redrive policy's
// maxReceiveCount is moved to the dead-letter queue instead. A FIFO queue
// gives a group's messages in order, none of a group with one in flight.
func (e *Engine) ReceiveSQSMessages(queueURL string, max int, visibility *int) ([]SQSReceived, error) {
	var out []SQSReceived
	_, err := e.updateSQSQueue(queueURL, func(t *txn, q *model.SQSQueue) error {
		out = nil
		vis := sqsInt(q, "VisibilityTimeout")
		if visibility != nil {
			vis = *visibility
		}
		q.Messages = e.sqsLive(q, t.now)
		redrive, hasRedrive := SQSQueueRedrive(q)
		var dlq *model.SQSQueue
		if hasRedrive {
			if d := t.st.SQSQueues[sqsNameOfARN(redrive.DeadLetterTargetARN)]; d != nil {
				dlq = cloneSQSQueue(d)
			}
		}
		blocked := map[string]bool{} // FIFO groups with a message in flight
		fifo := sqsIsFIFO(q)
		if fifo {
			for _, m := range q.Messages {
				if m.ReceiveCount > 0 && m.VisibleAt.After(t.now) {
					blocked[m.GroupID] = true
				}
			}
		}
		var kept []model.SQSMessage
		for _, m := range q.Messages {
			if len(out) >= max || m.VisibleAt.After(t.now) || fifo && blocked[m.GroupID] {
				if fifo && m.VisibleAt.After(t.now) {
					blocked[m.GroupID] = true
				}
				kept = append(kept, m)
				continue
			}
			if dlq != nil && m.ReceiveCount >= redrive.MaxReceiveCount {
				moved := m
				moved.ReceiveCount, moved.FirstReceived, moved.ReceiptHandle = 0, time.Time{}, ""
				moved.VisibleAt, moved.DeadLetterSource = t.now, e.SQSQueueARN(q.Name)
				dlq.Messages = append(dlq.Messages, moved)
				continue
			}
			m.ReceiveCount++
			if m.FirstReceived.IsZero() {
				m.FirstReceived = t.now
			}
			m.VisibleAt = t.now.Add(time.Duration(vis) * time.Second)
			m.ReceiptHandle = sqsReceiptHandle(q.Name, m.ID, t.e.ids.Hex(32))
			out = append(out, SQSReceived{Message: m, ReceiptHandle: m.ReceiptHandle})
			kept = append(kept, m)
		}
		q.Messages = kept
		if dlq != nil {
			put(t, model.KindSQSQueue, t.st.SQSQueues, dlq.Name, dlq)
		}
		return nil
	})
	return out, err
}

// sqsReceiptHandle makes a receipt handle: opaque to clients, it names the
// queue and message it was issued for.
func sqsReceiptHandle(queue, id, nonce string) string {
	return base64.StdEncoding.EncodeToString([]byte(queue + " " + id + " " + nonce))
}

// sqsParseHandle reads a receipt handle back (ok false: not one of ours).
func sqsParseHandle(h string) (queue, id string, ok bool) {
	b, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return "", "", false
	}
	parts := strings.Split(string(b), " ")
	if len(parts) != 3 {
		return "", "", false
	}
	return parts[0], parts[1], true
}

func sqsInvalidHandle(h string) *apierr.Error {
	return apierr.Newf("ReceiptHandleIsInvalid", "The input receipt handle \"%s\" is not a valid receipt handle.", h)
}

// DeleteSQSMessages deletes the messages the receipt handles name, each
// entry's failure its own (nil: deleted). A handle of a message received
// again since, or already deleted, succeeds and deletes nothing (the
// latest handle deletes: Amazon SQS API Reference, DeleteMessage).
func (e *Engine) DeleteSQSMessages(queueURL string, handles []string) ([]*apierr.Error, error) {
	out := make([]*apierr.Error, len(handles))
	_, err := e.updateSQSQueue(queueURL, func(t *txn, q *model.SQSQueue) error {
		for i, h := range handles {
			qn, id, ok := sqsParseHandle(h)
			if !ok || qn != q.Name {
				out[i] = sqsInvalidHandle(h)
				continue
			}
			q.Messages = slices.DeleteFunc(q.Messages, func(m model.SQSMessage) bool { return m.ID == id && m.ReceiptHandle == h })
		}
		return nil
	})
	return out, err
}

// ChangeSQSMessageVisibility sets in-flight messages' visibility timeouts
// from now, each entry's failure its own.
func (e *Engine) ChangeSQSMessageVisibility(queueURL string, handles []string, timeouts []int) ([]*apierr.Error, error) {
	out := make([]*apierr.Error, len(handles))
	_, err := e.updateSQSQueue(queueURL, func(t *txn, q *model.SQSQueue) error {
		for i, h := range handles {
			if timeouts[i] < 0 || timeouts[i] > 43200 {
				out[i] = sqsInvalidValue("Value %d for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.", timeouts[i])
				continue
			}
			qn, id, ok := sqsParseHandle(h)
			if !ok || qn != q.Name {
				out[i] = sqsInvalidHandle(h)
				continue
			}
			j := slices.IndexFunc(q.Messages, func(m model.SQSMessage) bool { return m.ID == id && m.ReceiptHandle == h })
			if j < 0 || !q.Messages[j].VisibleAt.After(t.now) {
				out[i] = sqsError("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", "Message does not exist or is not available for visibility timeout change.")
				continue
			}
			q.Messages[j].VisibleAt = t.now.Add(time.Duration(timeouts[i]) * time.Second)
		}
		return nil
	})
	return out, err
}

// SQSBatchCheck checks a batch's entry ids: at least one entry, at most
// ten, each id of the allowed characters and distinct.
func SQSBatchCheck(entry string, ids []string) error {
	switch {
	case len(ids) == 0:
		return sqsError("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", "There should be at least one %s in the request.", entry)
	case len(ids) > sqsMaxBatchEntries:
		return sqsError("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent %d.", len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !sqsBatchID.MatchString(id) {
			return sqsError("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
		}
		if seen[id] {
			return sqsError("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id %s repeated.", id)
		}
		seen[id] = true
	}
	return nil
}

// ErrSQSBatchTooLong is BatchRequestTooLong for a batch of n bytes.
func ErrSQSBatchTooLong(n int) error {
	return sqsError("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", "Batch requests cannot be longer than %d bytes. You have sent %d bytes.", SQSMaxMessageBytes, n)
}
