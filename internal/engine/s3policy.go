package engine

import (
	"encoding/json"
	"fmt"
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
	// Conditions are the statement's Condition block: operator, then
	// condition key (lower case), then the values (any may match).
	Conditions map[string]map[string][]string
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
		if cond, ok := m["Condition"]; ok {
			s.Condition = true
			cm, ok := cond.(map[string]any)
			if !ok {
				return nil, malformedPolicy("Invalid Condition block")
			}
			s.Conditions = map[string]map[string][]string{}
			for op, kv := range cm {
				km, ok := kv.(map[string]any)
				if !ok {
					return nil, malformedPolicy("Invalid Condition block")
				}
				s.Conditions[op] = map[string][]string{}
				for k, v := range km {
					var l []string
					switch x := v.(type) {
					case bool:
						l = []string{fmt.Sprint(x)}
					case float64:
						l = []string{fmt.Sprint(x)}
					default:
						if l, ok = stringList(v); !ok {
							return nil, malformedPolicy("Invalid Condition block")
						}
					}
					s.Conditions[op][strings.ToLower(k)] = l
				}
			}
		}
		p.Statement = append(p.Statement, s)
	}
	return p, nil
}

// accountRoot reports whether id is the root ARN of account
// (arn:PARTITION:iam::ACCOUNT:root, any partition).
func accountRoot(account, id string) bool {
	rest, ok := model.CutARN(id, "iam")
	return ok && rest == ":"+account+":root"
}

// CheckResources refuses a statement whose resources are not the bucket
// or its objects ("Policy has invalid resource").
func (s PolicyStatement) CheckResources(bucket string) error {
	for _, r := range s.Resource {
		rest, ok := model.CutS3ARN(r)
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

// Allows reports whether the policy lets a principal (kind "AWS" with an
// account's root ARN, or "Service" with a service principal) call action
// on resource, the request's condition keys being ctx (lower-case names):
// an Allow statement that names it and whose conditions hold, and no such
// Deny.
func (p *BucketPolicy) Allows(kind, id, action, resource string, ctx map[string]string) bool {
	allowed := false
	for _, s := range p.Statement {
		named := false
		for _, x := range s.Principal[kind] {
			if x == "*" || x == id || kind == "AWS" && accountRoot(x, id) {
				named = true
			}
		}
		// Principal "*" (read as {"AWS": ["*"]}) is everyone, services too.
		named = named || slices.Contains(s.Principal["AWS"], "*")
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
		if !act || !res || !conditionsHold(s.Conditions, ctx) {
			continue
		}
		if s.Effect == "Deny" {
			return false
		}
		allowed = true
	}
	return allowed
}

// conditionsHold evaluates a Condition block against a request's keys
// ("IAM JSON policy elements: Condition operators", IAM User Guide): every
// operator and key must hold, any of a key's values may match; a key the
// request lacks fails a positive operator and satisfies a negated one (and
// any …IfExists). An operator ecsnet does not evaluate does not hold.
func conditionsHold(conds map[string]map[string][]string, ctx map[string]string) bool {
	for op, keys := range conds {
		base, ifExists := strings.CutSuffix(op, "IfExists")
		for k, vals := range keys {
			v, present := ctx[k]
			if base == "Null" {
				want := len(vals) > 0 && strings.EqualFold(vals[0], "true")
				if present == want {
					return false
				}
				continue
			}
			negated := strings.Contains(base, "Not")
			if !present {
				if negated || ifExists {
					continue
				}
				return false
			}
			match := false
			for _, w := range vals {
				switch base {
				case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals":
					match = match || v == w
				case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
					match = match || strings.EqualFold(v, w)
				case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike":
					match = match || model.WildcardMatch(w, v, false)
				default:
					return false
				}
			}
			if match == negated {
				return false
			}
		}
	}
	return true
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
// state holding the buckets (the global region's); lbARN is the load
// balancer's. The policy's conditions are evaluated on the keys the
// write carries: through the service principal aws:SourceAccount (the
// account) and aws:SourceArn (the load balancer), as services that write
// for a resource's owner send them; through the ELB account neither
// [choice]; both with s3:x-amz-acl bucket-owner-full-control, the canned
// ACL log deliveries write with [choice].
func CheckAccessLogBucket(st *model.State, bucket, prefix, region, account, lbARN string) error {
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
	partition := model.Partition(region)
	res := "arn:" + partition + ":s3:::" + bucket + "/" + key
	acl := map[string]string{"s3:x-amz-acl": "bucket-owner-full-control"}
	if id := elbAccounts[region]; id != "" && p.Allows("AWS", "arn:"+partition+":iam::"+id+":root", "s3:PutObject", res, acl) {
		return nil
	}
	svc := map[string]string{"s3:x-amz-acl": "bucket-owner-full-control", "aws:sourceaccount": account, "aws:sourcearn": lbARN}
	if p.Allows("Service", ELBLogDelivery, "s3:PutObject", res, svc) {
		return nil
	}
	return denied
}

// BlocksPublic reports whether a bucket's public access block sets
// setting ("BlockPublicPolicy", …) to true.
func BlocksPublic(b *model.Bucket, setting string) bool {
	return strings.Contains(b.Configs["publicAccessBlock"], "<"+setting+">true</"+setting+">")
}

// PutBucketPolicy sets a bucket's policy as S3's PutBucketPolicy does:
// the document must parse (MalformedPolicy), name only the bucket and its
// objects, and not be public while BlockPublicPolicy is on (AccessDenied,
// 403, "… because public policies are blocked by the BlockPublicPolicy
// block public access setting.").
func (e *Engine) PutBucketPolicy(bucket, doc, account string) error {
	doc = strings.TrimSpace(doc)
	var probe map[string]any
	if !strings.HasPrefix(doc, "{") || json.Unmarshal([]byte(doc), &probe) != nil {
		return malformedPolicy("Policies must be valid JSON and the first byte must be '{'")
	}
	p, err := ParseBucketPolicy(doc)
	if err != nil {
		return err
	}
	partition := model.Partition(e.cfg.Region)
	_, err = e.ChangeBucket(bucket, func(b *model.Bucket) error {
		for _, s := range p.Statement {
			if err := s.CheckResources(b.Name); err != nil {
				return err
			}
		}
		if p.Public() && BlocksPublic(b, "BlockPublicPolicy") {
			return &apierr.Error{Code: "AccessDenied", HTTPStatus: 403,
				Message: "User: arn:" + partition + ":iam::" + account + ":root is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:" + partition + ":s3:::" + b.Name + "\" because public policies are blocked by the BlockPublicPolicy block public access setting."}
		}
		b.Policy = doc
		return nil
	})
	return err
}
