package model

import (
	"strings"
	"time"
)

// Role is an IAM role. IAM is global: the account's roles live in the
// state of the region IAM requests are signed for (us-east-1).
type Role struct {
	Name                     string
	Path                     string
	ID                       string // AROA…
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       int64
	PermissionsBoundary      string
	Created                  time.Time
	Tags                     Tags
	// InlinePolicies are the role's embedded policies by name.
	InlinePolicies map[string]string
	// AttachedPolicies are the ARNs of the managed policies attached.
	AttachedPolicies []string
	// ServiceLinked names the service of a service-linked role.
	ServiceLinked string
}

// IAMUser is an IAM user, with its access keys (IAM is global; see Role).
type IAMUser struct {
	Name    string
	Path    string
	ID      string // AIDA…
	Created time.Time
	Tags    Tags
	// AccessKeys are the user's access keys (at most two), oldest first.
	AccessKeys []AccessKey
	// InlinePolicies are the user's inline policies (name to JSON
	// document); AttachedPolicies the ARNs of its managed policies, in
	// the order attached.
	InlinePolicies   map[string]string
	AttachedPolicies []string
}

// IAMGroup is an IAM group: its users, and the inline and managed
// policies they take from it (IAM is global; see Role).
type IAMGroup struct {
	Name    string
	Path    string
	ID      string // AGPA…
	Created time.Time
	// Users are the names of the group's users, in the order added.
	Users []string
	// InlinePolicies are the group's inline policies (name to JSON
	// document); AttachedPolicies the ARNs of its managed policies, in
	// the order attached.
	InlinePolicies   map[string]string
	AttachedPolicies []string
}

// AccessKey is an IAM user's access key.
type AccessKey struct {
	ID      string // AKIA…
	Secret  string
	Status  string // Active or Inactive
	Created time.Time
}

// ManagedPolicy is a customer managed IAM policy.
type ManagedPolicy struct {
	ARN         string
	Name        string
	Path        string
	ID          string // ANPA…
	Description string
	Created     time.Time
	Updated     time.Time
	Tags        Tags
	// Versions holds at most five versions; DefaultVersion names one.
	Versions       []PolicyVersion
	DefaultVersion string
	NextVersion    int
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	ID       string // v1, v2, …
	Document string
	Created  time.Time
}

// InstanceProfile is an IAM instance profile: at most one role.
type InstanceProfile struct {
	Name    string
	Path    string
	ID      string // AIPA…
	Created time.Time
	Roles   []string // role names
	Tags    Tags
}

// ServerCertificate is an IAM server certificate: a PEM certificate (and
// chain) that Classic and v2 load balancer listeners name by ARN. IAM
// never returns the private key, so the model does not keep it.
type ServerCertificate struct {
	Name       string
	Path       string
	ID         string // ASCA…
	Body       string // PEM certificate
	Chain      string // PEM certificates, may be empty
	Uploaded   time.Time
	Expiration time.Time // the certificate's NotAfter
	Tags       Tags
}

// RoleName is the name of the role ref names: the last part of its ARN
// (after its path), or ref itself.
func RoleName(ref string) string { return LastSegment(ref) }

// LastSegment is what follows the last slash of an ARN or path (a
// cluster's or service's name, a task's id, a role's name), or s itself
// when it has none.
func LastSegment(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }
