package model

import "time"

// LogGroup is a CloudWatch Logs log group: what the awslogs log driver of a
// task writes to. ecsnet keeps the group and its streams, not the events.
type LogGroup struct {
	Name               string
	Created            time.Time
	RetentionInDays    int64 // 0: never expire
	KmsKeyID           string
	Class              string // STANDARD, INFREQUENT_ACCESS, DELIVERY
	DeletionProtection bool
	Tags               Tags
	// Streams are the group's log streams by name, with their creation time.
	Streams map[string]time.Time
}
