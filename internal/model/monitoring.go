package model

import "time"

// MetricAlarm is a CloudWatch alarm (metric or composite), by name.
// Config holds the PutMetricAlarm (or PutCompositeAlarm) input's members
// as given, less AlarmName and Tags: DescribeAlarms answers them back.
type MetricAlarm struct {
	Name, ARN      string
	Composite      bool
	Config         map[string]any
	ActionsEnabled bool
	// StateValue is OK, ALARM or INSUFFICIENT_DATA (a new alarm's).
	StateValue, StateReason string
	StateUpdated            time.Time
	ConfigUpdated           time.Time
	Tags                    Tags
}

// Actions returns every action ARN of the alarm (alarm, OK and
// insufficient data actions).
func (a *MetricAlarm) Actions() []string {
	var out []string
	for _, k := range []string{"AlarmActions", "OKActions", "InsufficientDataActions"} {
		if l, ok := a.Config[k].([]any); ok {
			for _, v := range l {
				if s, ok := v.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// SecretVersion is one version of a Secrets Manager secret.
type SecretVersion struct {
	ID           string
	String       string
	Binary       []byte
	HasString    bool
	Stages       []string
	Created      time.Time
	LastAccessed time.Time
}

// Secret is a Secrets Manager secret, by ARN.
type Secret struct {
	Name, ARN, Description, KmsKeyID string
	Created, Changed                 time.Time
	LastAccessed                     time.Time
	// Deleted is when DeleteSecret scheduled the deletion (zero: not
	// scheduled); DeletionDate when it happens.
	Deleted, DeletionDate time.Time
	Versions              map[string]*SecretVersion // by version id
	Policy                string
	Tags                  Tags
	// TagOrder keeps the tags in the order they were given (AWS lists
	// them so).
	TagOrder []string
}

// CurrentVersion returns the version labelled AWSCURRENT, or nil.
func (s *Secret) CurrentVersion() *SecretVersion {
	return s.VersionWithStage("AWSCURRENT")
}

// VersionWithStage returns the version carrying stage, or nil.
func (s *Secret) VersionWithStage(stage string) *SecretVersion {
	for _, v := range s.Versions {
		for _, st := range v.Stages {
			if st == stage {
				return v
			}
		}
	}
	return nil
}

// KMSKey is an AWS KMS key, by key id.
type KMSKey struct {
	ID, ARN, Description, Policy string
	Usage, Spec, Origin          string
	State                        string // Enabled, Disabled, PendingDeletion
	Created                      time.Time
	DeletionDate                 time.Time
	PendingWindowDays            int
	Rotation                     bool
	RotationPeriodDays           int
	MultiRegion                  bool
	Tags                         Tags
	// AWSManaged marks an AWS managed key (KeyManager AWS, alias/aws/...),
	// which a service creates on first use, not the account.
	AWSManaged bool
}

// KMSAlias is an AWS KMS alias (alias/...), by name.
type KMSAlias struct {
	Name, ARN, TargetKeyID string
	Created, Updated       time.Time
}

// SecretByID returns the secret id names: its name, its ARN, or its
// partial ARN (the ARN without the 6-character random suffix), or nil, as
// Secrets Manager's SecretId finds it.
func (s *State) SecretByID(id string) *Secret {
	if x := s.Secrets[id]; x != nil {
		return x
	}
	arn := len(id) > 4 && id[:4] == "arn:"
	for _, x := range s.Secrets {
		switch {
		case !arn && x.Name == id:
			return x
		case arn && len(x.ARN) == len(id)+7 && x.ARN[:len(id)+1] == id+"-":
			return x
		}
	}
	return nil
}
