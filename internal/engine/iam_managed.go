package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"github.com/ecsnet/ecsnet/internal/model"
	"strings"
	"time"
)

// AWS managed policies: AWS publishes over a thousand, and any of them can
// be attached. ecsnet accepts every ARN of the form
// arn:aws:iam::aws:policy/[path/]Name as an existing AWS managed policy and
// answers the documents of the ones ECS deployments attach most; the others
// answer a document that allows nothing, marked as ecsnet's stand-in.

// AWSPolicy is an AWS managed policy as ecsnet answers it.
type AWSPolicy struct {
	ARN, Name, Path, ID, Description, Document, Version string
	Created, Updated                                    time.Time
}

var awsPolicyEpoch = time.Date(2015, 2, 6, 18, 40, 0, 0, time.UTC)

// AWSManagedPolicy returns the AWS managed policy an ARN names.
func AWSManagedPolicy(arn string) (AWSPolicy, bool) {
	rest, _ := model.CutARN(arn, "iam") // "" for an ARN not IAM's
	rest, ok := strings.CutPrefix(rest, ":aws:policy/")
	if !ok || rest == "" || strings.HasSuffix(rest, "/") {
		return AWSPolicy{}, false
	}
	path, name := "/", rest
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		path, name = "/"+rest[:i+1], rest[i+1:]
	}
	if !iamNameRE.MatchString(name) {
		return AWSPolicy{}, false
	}
	p := AWSPolicy{ARN: arn, Name: name, Path: path, Version: "v1", Created: awsPolicyEpoch, Updated: awsPolicyEpoch,
		ID: "ANPA" + strings.ToUpper(stableHex(arn, 17))}
	if desc, doc, ok := model.AWSManagedPolicyDocument(rest); ok {
		p.Description, p.Document = desc, doc
	} else {
		p.Description = "An AWS managed policy (ecsnet stand-in: its document is not published in ecsnet)."
		p.Document = `{"Version":"2012-10-17","Statement":[]}`
	}
	return p, true
}

// stableHex is n hexadecimal digits derived from s.
func stableHex(s string, n int) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:n]
}
