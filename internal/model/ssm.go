package model

import "time"

// Parameter is an AWS Systems Manager Parameter Store parameter created
// in the account (the public /aws/service/... parameters are not state: the
// engine answers them).
type Parameter struct {
	Name             string
	Type             string // String, StringList or SecureString
	Value            string
	KeyID            string // SecureString only
	Description      string
	AllowedPattern   string
	Tier             string // Standard, Advanced, Intelligent-Tiering
	DataType         string // text, aws:ec2:image, aws:ssm:integration
	Version          int64
	LastModified     time.Time
	LastModifiedUser string
	Labels           []string // of the current version
	Tags             Tags
	// History holds the earlier versions, oldest first.
	History []ParameterVersion
}

// ParameterVersion is an earlier version of a parameter.
type ParameterVersion struct {
	Version          int64
	Type             string
	Value            string
	KeyID            string
	Description      string
	AllowedPattern   string
	Tier             string
	DataType         string
	LastModified     time.Time
	LastModifiedUser string
	Labels           []string
}
