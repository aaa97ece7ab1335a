package engine

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS KMS: keys and aliases as configurations create them (no
// cryptography).

// KMSKeyNotFound is KMS's NotFoundException for a KeyId that names no key
// of the account in region, worded as KMS words it for each form of KeyId:
// a key id (a UUID, or mrk- and 32 hex digits for a multi-Region key) or
// a key ARN of the region, "Key 'arn:aws:kms:R:A:key/ID' does not exist";
// a key ARN of another region, "Invalid arn REGION"; an alias name or
// alias ARN, "Alias arn:aws:kms:R:A:alias/NAME is not found."; anything
// else, "Invalid keyId 'ID'".
func KMSKeyNotFound(region, account, id string) error {
	nf := func(format string, args ...any) error { return apierr.Newf("NotFoundException", format, args...) }
	prefix := "arn:" + model.Partition(region) + ":kms:" + region + ":" + account + ":"
	switch {
	case strings.HasPrefix(id, "alias/"):
		return nf("Alias %s%s is not found.", prefix, id)
	case strings.HasPrefix(id, "arn:"):
		p := strings.SplitN(id, ":", 6)
		if len(p) == 6 && p[3] != region {
			return nf("Invalid arn %s", p[3])
		}
		if len(p) == 6 && strings.HasPrefix(p[5], "alias/") {
			return nf("Alias %s is not found.", id)
		}
		return nf("Key '%s' does not exist", id)
	case kmsKeyIDRE.MatchString(id):
		return nf("Key '%skey/%s' does not exist", prefix, id)
	}
	return nf("Invalid keyId '%s'", id)
}

// kmsKeyIDRE matches what KMS takes for a key id: a UUID, or a
// multi-Region key's mrk- and 32 hex digits.
var kmsKeyIDRE = regexp.MustCompile(`^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})$`)

// FindKMSKey returns the key id names: its id, its ARN, an alias name
// (alias/...) or an alias ARN; nil when none.
func FindKMSKey(st *model.State, id string) *model.KMSKey {
	if k := st.KMSKeys[id]; k != nil {
		return k
	}
	if i := strings.Index(id, ":key/"); i >= 0 && strings.HasPrefix(id, "arn:") {
		return st.KMSKeys[id[i+len(":key/"):]]
	}
	name := id
	if i := strings.Index(id, ":alias/"); i >= 0 && strings.HasPrefix(id, "arn:") {
		name = id[i+1:]
	}
	if a := st.KMSAliases[name]; a != nil {
		return st.KMSKeys[a.TargetKeyID]
	}
	return nil
}

// CreateKMSKey stores a new key; arnPrefix is arn:P:kms:R:A:key/ and the
// key's id a UUID, or for a multi-Region key mrk- and the UUID's 32 hex
// digits ("Multi-Region keys have a distinctive key ID that begins with
// mrk-", AWS KMS Developer Guide, "Multi-Region key IDs"). A key of
// imported key material (Origin EXTERNAL) is created PendingImport, not
// Enabled ("Keys with imported key material are created in the
// PendingImport state", "Key states of AWS KMS keys"; LocalStack's
// test_import_key_symmetric recording).
func (e *Engine) CreateKMSKey(k model.KMSKey, arnPrefix string) (*model.KMSKey, error) {
	var out *model.KMSKey
	err := e.write(func(t *txn) error {
		k.ID = t.uuid()
		if k.MultiRegion {
			k.ID = "mrk-" + strings.ReplaceAll(k.ID, "-", "")
		}
		if k.Origin == "EXTERNAL" && k.State == "Enabled" {
			k.State = "PendingImport"
		}
		k.ARN = arnPrefix + k.ID
		k.Created = t.now
		k.Tags = k.Tags.Clone()
		put(t, model.KindKMSKey, t.st.KMSKeys, k.ID, &k)
		out = &k
		return nil
	})
	return out, err
}

// ChangeKMSKey applies fn to a copy of the key id names and stores it.
func (e *Engine) ChangeKMSKey(id string, fn func(k *model.KMSKey, now time.Time) error) (*model.KMSKey, error) {
	var out *model.KMSKey
	err := e.write(func(t *txn) error {
		old := FindKMSKey(t.st, id)
		if old == nil {
			return KMSKeyNotFound(t.st.Region, t.st.Account, id)
		}
		k := *old
		k.Tags = old.Tags.Clone()
		if err := fn(&k, t.now); err != nil {
			return err
		}
		put(t, model.KindKMSKey, t.st.KMSKeys, k.ID, &k)
		out = &k
		return nil
	})
	return out, err
}

// awsManagedKey describes a predefined AWS alias (aws/NAME) KMS knows: the
// service that uses its key (the key policy's kms:ViaService) and what the
// key's description says it protects.
func awsManagedKey(alias string) (via, protects string, ok bool) {
	switch alias {
	case "aws/ebs":
		return "ec2", "EBS volumes", true
	case "aws/ecr":
		return "ecr", "ECR repositories", true
	case "aws/s3":
		return "s3", "S3 objects", true
	case "aws/secretsmanager":
		return "secretsmanager", "Secrets Manager secrets", true
	case "aws/ssm":
		return "ssm", "SSM parameters", true
	case "aws/logs":
		return "logs", "CloudWatch Logs log groups", true
	case "aws/elasticfilesystem":
		return "elasticfilesystem", "EFS file systems", true
	}
	return "", "", false
}

// IsAWSManagedKMSAlias reports whether name (alias/aws/...) is a
// predefined AWS alias.
func IsAWSManagedKMSAlias(name string) bool {
	_, _, ok := awsManagedKey(strings.TrimPrefix(name, "alias/"))
	return ok && strings.HasPrefix(name, "alias/aws/")
}

// EnsureAWSManagedKMSKey creates the AWS managed key a predefined AWS
// alias (alias/aws/...) names, and the alias, unless they exist, as KMS's
// DescribeKey does when asked for such an alias.
func (e *Engine) EnsureAWSManagedKMSKey(name string) error {
	return e.write(func(t *txn) error {
		if !IsAWSManagedKMSAlias(name) {
			return KMSKeyNotFound(t.st.Region, t.st.Account, name)
		}
		t.awsManagedKMSKey(strings.TrimPrefix(name, "alias/"))
		return nil
	})
}

// awsManagedKMSKey returns the ARN of the account's AWS managed key of a
// service (alias is aws/ebs, ...), creating the key and its alias/aws/...
// alias on first use, as the service does on AWS.
func (t *txn) awsManagedKMSKey(alias string) string {
	arn := awsManagedKeyARN(t.e.cfg.Region, t.e.cfg.Account, alias)
	id := arn[strings.LastIndex(arn, "/")+1:]
	via, protects, _ := awsManagedKey(alias)
	if t.st.KMSKeys[id] == nil {
		k := &model.KMSKey{ID: id, ARN: arn, Description: "Default master key that protects my " + protects + " when no other key is defined",
			Usage: "ENCRYPT_DECRYPT", Spec: "SYMMETRIC_DEFAULT", Origin: "AWS_KMS", State: "Enabled", Created: t.now,
			Rotation: true, RotationPeriodDays: 365, AWSManaged: true, Policy: awsManagedKeyPolicy(t.e.cfg.Account, via, t.e.cfg.Region)}
		put(t, model.KindKMSKey, t.st.KMSKeys, id, k)
	}
	name := "alias/" + alias
	if t.st.KMSAliases[name] == nil {
		a := &model.KMSAlias{Name: name, ARN: "arn:" + model.Partition(t.e.cfg.Region) + ":kms:" + t.e.cfg.Region + ":" + t.e.cfg.Account + ":" + name,
			TargetKeyID: id, Created: t.now, Updated: t.now}
		put(t, model.KindKMSAlias, t.st.KMSAliases, name, a)
	}
	return arn
}

// awsManagedKeyPolicy is the policy of an AWS managed key: the account's
// principals may use it through the service (kms:ViaService).
func awsManagedKeyPolicy(account, via, region string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "auto-` + via + `-1",
  "Statement" : [ {
    "Sid" : "Allow access through the service for all principals in the account that are authorized to use it",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "` + account + `",
        "kms:ViaService" : "` + via + `.` + region + `.` + model.DNSSuffix(region) + `"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "` + model.GlobalARN(region, "iam", account, "root") + `"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`
}

// CheckKMSAliasName refuses an alias name KMS does not let an account
// create, update or delete, with KMS's texts: one without the alias/
// prefix (ValidationException) and one of AWS's reserved alias/aws/
// prefix (NotAuthorizedException, "Cannot create alias with prefix
// 'alias/aws/'"). The API and CloudFormation's AWS::KMS::Alias both
// reach it through PutKMSAlias and DeleteKMSAlias.
func CheckKMSAliasName(name string) error {
	switch {
	case !strings.HasPrefix(name, "alias/"):
		return apierr.New("ValidationException", `Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html`)
	case strings.HasPrefix(name, "alias/aws/"):
		return apierr.New("NotAuthorizedException", "Cannot create alias with prefix 'alias/aws/'")
	}
	return nil
}

// PutKMSAlias creates (create) or repoints an alias to the key target
// names; arn is the alias's ARN. The name must pass CheckKMSAliasName.
func (e *Engine) PutKMSAlias(name, arn, target string, create bool) error {
	if err := CheckKMSAliasName(name); err != nil {
		return err
	}
	return e.write(func(t *txn) error {
		k := FindKMSKey(t.st, target)
		if k == nil || strings.HasPrefix(target, "alias/") {
			return KMSKeyNotFound(t.st.Region, t.st.Account, target)
		}
		old := t.st.KMSAliases[name]
		switch {
		case create && old != nil:
			return apierr.Newf("AlreadyExistsException", "An alias with the name %s already exists", arn)
		case !create && old == nil:
			return apierr.Newf("NotFoundException", "Alias %s is not found.", arn)
		}
		if k.State == "PendingDeletion" {
			return apierr.Newf("KMSInvalidStateException", "%s is pending deletion.", k.ARN)
		}
		a := &model.KMSAlias{Name: name, ARN: arn, TargetKeyID: k.ID, Created: t.now, Updated: t.now}
		if old != nil {
			a.Created = old.Created
		}
		put(t, model.KindKMSAlias, t.st.KMSAliases, name, a)
		return nil
	})
}

// DeleteKMSAlias deletes an alias; the name must pass CheckKMSAliasName,
// and an AWS managed key's alias (alias/aws/...) is refused in the
// delete's own words ("Cannot delete alias with prefix 'alias/aws/'"),
// not the create's.
func (e *Engine) DeleteKMSAlias(name, arn string) error {
	if strings.HasPrefix(name, "alias/aws/") {
		return apierr.New("NotAuthorizedException", "Cannot delete alias with prefix 'alias/aws/'")
	}
	if err := CheckKMSAliasName(name); err != nil {
		return err
	}
	return e.write(func(t *txn) error {
		if t.st.KMSAliases[name] == nil {
			return apierr.Newf("NotFoundException", "Alias %s is not found.", arn)
		}
		del(t, model.KindKMSAlias, t.st.KMSAliases, name)
		return nil
	})
}

// MaxKMSKeyTags is the most tags a KMS key holds (KMS quotas: 50 per key).
const MaxKMSKeyTags = 50

// CheckKMSTags validates a KMS key's tags (in the order given) as KMS
// does, for CreateKey and TagResource and for CloudFormation's
// AWS::KMS::Key alike: first the model's length constraints (TagKey 1–128
// characters, TagValue 0–256), every failing member in one
// ValidationException ("N validation error(s) detected: …", the members
// numbered from 1 as tags.N.member.tagKey), then TagException "Duplicate
// tag keys" (keys compared as given: KMS tag keys are case sensitive),
// "Too many tags" over MaxKMSKeyTags, and "Tags beginning with aws: are
// reserved" for a key with the aws: prefix in any case.
func CheckKMSTags(tags []model.KeyValue) error {
	var msgs []string
	for i, t := range tags {
		switch n := utf8.RuneCountInString(t.Name); {
		case n < 1:
			msgs = append(msgs, fmt.Sprintf("Value '%s' at 'tags.%d.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1", t.Name, i+1))
		case n > 128:
			msgs = append(msgs, fmt.Sprintf("Value '%s' at 'tags.%d.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128", t.Name, i+1))
		}
		if utf8.RuneCountInString(t.Value) > 256 {
			msgs = append(msgs, fmt.Sprintf("Value '%s' at 'tags.%d.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256", t.Value, i+1))
		}
	}
	switch len(msgs) {
	case 0:
	case 1:
		return apierr.New("ValidationException", "1 validation error detected: "+msgs[0])
	default:
		return apierr.Newf("ValidationException", "%d validation errors detected: %s", len(msgs), strings.Join(msgs, "; "))
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if seen[t.Name] {
			return apierr.New("TagException", "Duplicate tag keys")
		}
		seen[t.Name] = true
	}
	if len(tags) > MaxKMSKeyTags {
		return apierr.New("TagException", "Too many tags")
	}
	for _, t := range tags {
		if strings.HasPrefix(strings.ToLower(t.Name), "aws:") {
			return apierr.New("TagException", "Tags beginning with aws: are reserved")
		}
	}
	return nil
}
