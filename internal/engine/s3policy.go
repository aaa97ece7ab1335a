package engine

import (
	"encoding/json"
	"path"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// BucketPolicy is the part of an S3 bucket policy ecsnet reads: who may
// do what on which resources (conditions are kept only to tell a
// statement is conditional).
type BucketPolicy struct {
	Statement []PolicyStatement
}

// PolicyStatement is one statement; single values are read as lists.
type PolicyStatement struct {
	Effect    string
	Principal map[string][]string // "*" is {"AWS": ["*"]}
	Action    []string
	Resource  []string
	Condition bool
}

func malformedPolicy(msg string) error { return apierr.New("MalformedPolicy", msg) }

func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		return []string{x}, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// ParseBucketPolicy reads a bucket policy document, with S3's
// MalformedPolicy answers for what it refuses.
func ParseBucketPolicy(doc string) (*BucketPolicy, error) {
	var raw struct {
		Statement any
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil || !strings.HasPrefix(strings.TrimSpace(doc), "{") {
		return nil, malformedPolicy("Policies must be valid JSON and the first byte must be '{'")
	}
	var stmts []any
	switch s := raw.Statement.(type) {
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	default:
		return nil, malformedPolicy("Missing required field Statement")
	}
	p := &BucketPolicy{}
	for _, x := range stmts {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, malformedPolicy("Statement is not an object")
		}
		var s PolicyStatement
		s.Effect, _ = m["Effect"].(string)
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return nil, malformedPolicy("Invalid effect: " + s.Effect)
		}
		switch pr := m["Principal"].(type) {
		case nil:
			return nil, malformedPolicy("Missing required field Principal")
		case string:
			if pr != "*" {
				return nil, malformedPolicy("Invalid principal in policy")
			}
			s.Principal = map[string][]string{"AWS": {"*"}}
		case map[string]any:
			s.Principal = map[string][]string{}
			for k, v := range pr {
				l, ok := stringList(v)
				if !ok {
					return nil, malformedPolicy("Invalid principal in policy")
				}
				s.Principal[k] = l
			}
		default:
			return nil, malformedPolicy("Invalid principal in policy")
		}
		if s.Action, ok = stringList(m["Action"]); !ok || len(s.Action) == 0 {
			return nil, malformedPolicy("Missing required field Action")
		}
		if s.Resource, ok = stringList(m["Resource"]); !ok || len(s.Resource) == 0 {
			return nil, malformedPolicy("Missing required field Resource")
		}
		for _, a := range s.Action {
			if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
				return nil, malformedPolicy("Policy has invalid action")
			}
		}
		_, s.Condition = m["Condition"]
		p.Statement = append(p.Statement, s)
	}
	return p, nil
}

// CheckResources refuses a statement whose resources are not the bucket
// or its objects ("Policy has invalid resource").
func (s PolicyStatement) CheckResources(bucket string) error {
	for _, r := range s.Resource {
		rest, ok := strings.CutPrefix(r, "arn:aws:s3:::")
		b, _, _ := strings.Cut(rest, "/")
		if m, _ := path.Match(b, bucket); !ok || !m {
			return malformedPolicy("Policy has invalid resource")
		}
	}
	return nil
}

// Public reports whether the policy allows everyone without a condition
// ("The meaning of public", Amazon S3 User Guide).
func (p *BucketPolicy) Public() bool {
	for _, s := range p.Statement {
		if s.Effect == "Allow" && !s.Condition && (slices.Contains(s.Principal["AWS"], "*") || slices.Contains(s.Principal["*"], "*")) {
			return true
		}
	}
	return false
}

// Allows reports whether the policy lets principal (an account's root
// ARN, or a service principal) call action on resource: an Allow
// statement that names it and no Deny that does. Conditions are not
// evaluated: a conditional statement counts as matching.
func (p *BucketPolicy) Allows(principals map[string][]string, action, resource string) bool {
	allowed := false
	for _, s := range p.Statement {
		named := false
		for kind, ids := range principals {
			for _, id := range ids {
				for _, x := range s.Principal[kind] {
					if x == "*" || x == id || kind == "AWS" && "arn:aws:iam::"+x+":root" == id {
						named = true
					}
				}
			}
		}
		if !named {
			continue
		}
		act := false
		for _, a := range s.Action {
			if model.WildcardMatch(a, action, true) {
				act = true
			}
		}
		res := false
		for _, r := range s.Resource {
			if model.WildcardMatch(r, resource, false) {
				res = true
			}
		}
		if !act || !res {
			continue
		}
		if s.Effect == "Deny" {
			return false
		}
		allowed = true
	}
	return allowed
}

// elbAccounts are Elastic Load Balancing's accounts by region, which a
// bucket policy names to let load balancers write their access logs
// ("Enable access logs for your Application Load Balancer", Elastic Load
// Balancing User Guide: Regions available before August 2022). Newer
// regions use the service principal
// logdelivery.elasticloadbalancing.amazonaws.com, which every region also
// accepts.
var elbAccounts = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
	"af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-southeast-3": "589379963580", "ap-south-1": "718504428378",
	"ap-northeast-3": "383597477331", "ap-northeast-2": "600734575887", "ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266", "ap-northeast-1": "582318560864", "ca-central-1": "985666609251",
	"eu-central-1": "054676820928", "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-south-1": "635631232127",
	"eu-west-3": "009996457667", "eu-north-1": "897822967062", "me-south-1": "076674570225", "sa-east-1": "507241528517",
}

// ELBLogDelivery is the service principal that delivers access logs.
const ELBLogDelivery = "logdelivery.elasticloadbalancing.amazonaws.com"

// CheckAccessLogBucket is Elastic Load Balancing's check of an access log
// bucket when access_logs.s3.enabled turns true: it writes a test object
// (PREFIX/AWSLogs/ACCOUNT/ELBAccessLogTestFile), so the bucket must exist
// and its policy must let the region's ELB account or the log delivery
// service principal put it; otherwise InvalidConfigurationRequest "Access
// Denied for bucket: NAME. Please check S3bucket permission". st is the
// state holding the buckets (the global region's).
func CheckAccessLogBucket(st *model.State, bucket, prefix, region, account string) error {
	denied := apierr.Newf("InvalidConfigurationRequest", "Access Denied for bucket: %s. Please check S3bucket permission", bucket)
	b := st.Buckets[bucket]
	if b == nil || b.Policy == "" {
		return denied
	}
	p, err := ParseBucketPolicy(b.Policy)
	if err != nil {
		return denied
	}
	key := "AWSLogs/" + account + "/ELBAccessLogTestFile"
	if prefix != "" {
		key = prefix + "/" + key
	}
	principals := map[string][]string{"Service": {ELBLogDelivery}}
	if id := elbAccounts[region]; id != "" {
		principals["AWS"] = []string{"arn:aws:iam::" + id + ":root"}
	}
	if !p.Allows(principals, "s3:PutObject", "arn:aws:s3:::"+bucket+"/"+key) {
		return denied
	}
	return nil
}
