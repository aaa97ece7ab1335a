package model

import "time"

// SQSQueue is an Amazon SQS queue and the messages it holds. Attributes
// are the queue's settable attributes (DelaySeconds, VisibilityTimeout,
// Policy, RedrivePolicy, FifoQueue, …) with AWS's defaults filled in, as
// GetQueueAttributes answers them; the computed ones (counts, ARN,
// timestamps) are derived when read.
type SQSQueue struct {
	Name       string
	Attributes map[string]string
	Tags       Tags
	Created    time.Time
	Modified   time.Time
	// Messages are the queue's messages in the order they were sent.
	Messages []SQSMessage
	// PurgedAt is the last PurgeQueue's time (zero: never purged).
	PurgedAt time.Time
	// Sequence is a FIFO queue's last sequence number.
	Sequence uint64
	// Dedup are a FIFO queue's deduplication ids (by message group when
	// DeduplicationScope is messageGroup: "group\x00id") and when each
	// was sent: a message with one of them sent within five minutes is
	// accepted and not delivered.
	Dedup map[string]SQSDedup
}

// SQSDedup is a FIFO queue's accepted deduplication id: the message it
// was accepted for (its id and sequence number) and when.
type SQSDedup struct {
	MessageID string
	Sequence  string
	Sent      time.Time
}

// SQSMessage is one message of a queue.
type SQSMessage struct {
	ID   string
	Body string
	// MessageAttributes are the sender's attributes by name.
	MessageAttributes map[string]SQSMessageAttribute `json:",omitempty"`
	// SystemAttributes are the sender's message system attributes
	// (AWSTraceHeader).
	SystemAttributes map[string]SQSMessageAttribute `json:",omitempty"`
	SenderID         string
	Sent             time.Time
	// VisibleAt is when the message can be received: after its delay, or
	// after the visibility timeout of its last receive.
	VisibleAt time.Time
	// ReceiveCount counts receives; FirstReceived is the first one's time.
	ReceiveCount  int
	FirstReceived time.Time
	// ReceiptHandle is the handle of the last receive ("" before one);
	// a message deleted or made visible again by it keeps it.
	ReceiptHandle string
	// FIFO queues: the message group, deduplication id and sequence number.
	GroupID         string `json:",omitempty"`
	DeduplicationID string `json:",omitempty"`
	SequenceNumber  string `json:",omitempty"`
	// DeadLetterSource is the ARN of the queue a message was moved from
	// to this dead-letter queue ("" for one sent to it).
	DeadLetterSource string `json:",omitempty"`
}

// SQSMessageAttribute is a message attribute: its data type (String,
// Number, Binary, with an optional ".custom" suffix) and value.
type SQSMessageAttribute struct {
	DataType    string
	StringValue string `json:",omitempty"`
	BinaryValue []byte `json:",omitempty"`
}

// SQSDeletedQueue remembers a deleted queue's name for the 60 seconds in
// which a queue of the same name may not be created.
type SQSDeletedQueue struct {
	Name    string
	Deleted time.Time
}
