package cfn

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CloudWatch alarms, Secrets Manager secrets and KMS keys and aliases:
// created, so a task's secrets and a scaling policy's alarms are as on AWS
// (a task whose secret does not exist stops; DescribeScalingPolicies lists
// the alarms whose actions name a policy).
const (
	typeAlarm = "AWS::CloudWatch::Alarm"
	// typeCompositeAlarm is PutCompositeAlarm's alarm: Ref its name,
	// GetAtt Arn its ARN.
	typeCompositeAlarm = "AWS::CloudWatch::CompositeAlarm"
	typeSecret         = "AWS::SecretsManager::Secret"
	typeKMSKey         = "AWS::KMS::Key"
	typeKMSAlias       = "AWS::KMS::Alias"
	// typeSecretPolicy attaches a resource policy to a secret
	// (PutResourcePolicy); Ref is the secret's ARN, as AWS answers
	// (LocalStack's recording of test_cfn_secret_policy).
	typeSecretPolicy = "AWS::SecretsManager::ResourcePolicy"
)

// createAlarm creates the alarm (PutMetricAlarm). Ref is its name; GetAtt
// Arn its ARN. Metrics (metric math) is kept as written.
func createAlarm(c *rctx) error {
	name, err := c.name("AlarmName", 255)
	if err != nil {
		return err
	}
	return putAlarm(c, name)
}

// updateAlarm puts the alarm's new configuration in place
// (PutMetricAlarm overwrites it; the state stays).
func updateAlarm(c *rctx, _ obj, _ []string) error {
	return putAlarm(c, c.r.physical)
}

func putAlarm(c *rctx, name string) error {
	p := c.p
	cfg := map[string]any{}
	for _, k := range []string{"AlarmDescription", "ComparisonOperator", "MetricName", "Namespace", "Statistic",
		"ExtendedStatistic", "Unit", "TreatMissingData", "EvaluateLowSampleCountPercentile", "ThresholdMetricId"} {
		v, err := p.str(k)
		if err != nil {
			return err
		}
		if v != "" {
			cfg[k] = v
		}
	}
	if _, err := p.req("ComparisonOperator"); err != nil {
		return err
	}
	for _, k := range []string{"EvaluationPeriods", "DatapointsToAlarm", "Period"} {
		if !p.has(k) {
			continue
		}
		n, err := p.integer(k, 0)
		if err != nil {
			return err
		}
		cfg[k] = int64(n)
	}
	if p.has("Threshold") {
		f, err := p.number("Threshold")
		if err != nil {
			return err
		}
		cfg["Threshold"] = f
	}
	for _, k := range []string{"AlarmActions", "OKActions", "InsufficientDataActions"} {
		l, err := p.strs(k)
		if err != nil {
			return err
		}
		if len(l) > 0 {
			list := make([]any, len(l))
			for i, s := range l {
				list[i] = s
			}
			cfg[k] = list
		}
	}
	dims, err := p.objects("Dimensions")
	if err != nil {
		return err
	}
	if len(dims) > 0 {
		list := make([]any, len(dims))
		for i, d := range dims {
			n, err := d.req("Name")
			if err != nil {
				return err
			}
			v, err := d.req("Value")
			if err != nil {
				return err
			}
			list[i] = map[string]any{"Name": n, "Value": v}
		}
		cfg["Dimensions"] = list
	}
	enabled := true
	if b, err := p.boolean("ActionsEnabled"); err != nil {
		return err
	} else if b != nil {
		enabled = *b
	}
	tags, err := p.tagList()
	if err != nil {
		return err
	}
	e := c.e()
	cfgE := e.Config()
	arn := engine.AlarmARN(cfgE.Region, cfgE.Account, name)
	if err := e.PutMetricAlarm(model.MetricAlarm{Name: name, ARN: arn, Config: cfg, ActionsEnabled: enabled, Tags: tags}); err != nil {
		return p.at("AlarmName", err)
	}
	c.setRef(name)
	c.set("Arn", arn)
	return nil
}

// createCompositeAlarm creates the composite alarm (PutCompositeAlarm).
func createCompositeAlarm(c *rctx) error {
	name, err := c.name("AlarmName", 255)
	if err != nil {
		return err
	}
	return putCompositeAlarm(c, name)
}

// updateCompositeAlarm puts the alarm's new configuration in place.
func updateCompositeAlarm(c *rctx, _ obj, _ []string) error {
	return putCompositeAlarm(c, c.r.physical)
}

func putCompositeAlarm(c *rctx, name string) error {
	p := c.p
	if _, err := p.req("AlarmRule"); err != nil {
		return err
	}
	cfg := map[string]any{}
	for _, k := range []string{"AlarmDescription", "AlarmRule", "ActionsSuppressor"} {
		v, err := p.str(k)
		if err != nil {
			return err
		}
		if v != "" {
			cfg[k] = v
		}
	}
	for _, k := range []string{"ActionsSuppressorExtensionPeriod", "ActionsSuppressorWaitPeriod"} {
		if !p.has(k) {
			continue
		}
		n, err := p.integer(k, 0)
		if err != nil {
			return err
		}
		cfg[k] = int64(n)
	}
	for _, k := range []string{"AlarmActions", "OKActions", "InsufficientDataActions"} {
		l, err := p.strs(k)
		if err != nil {
			return err
		}
		if len(l) > 0 {
			list := make([]any, len(l))
			for i, s := range l {
				list[i] = s
			}
			cfg[k] = list
		}
	}
	enabled := true
	if b, err := p.boolean("ActionsEnabled"); err != nil {
		return err
	} else if b != nil {
		enabled = *b
	}
	tags, err := p.tagList()
	if err != nil {
		return err
	}
	e := c.e()
	cfgE := e.Config()
	arn := engine.AlarmARN(cfgE.Region, cfgE.Account, name)
	if err := e.PutMetricAlarm(model.MetricAlarm{Name: name, ARN: arn, Composite: true, Config: cfg, ActionsEnabled: enabled, Tags: tags}); err != nil {
		return p.at("AlarmName", err)
	}
	c.setRef(name)
	c.set("Arn", arn)
	return nil
}

// createSecret creates the secret with its SecretString, or a generated
// one (GenerateSecretString: a password of PasswordLength, 32 by default,
// under GenerateStringKey in SecretStringTemplate when given). Ref and
// GetAtt Id are its ARN.
func createSecret(c *rctx) error {
	p := c.p
	name, err := c.name("Name", 256)
	if err != nil {
		return err
	}
	s := model.Secret{Name: name}
	if s.Description, err = p.str("Description"); err != nil {
		return err
	}
	if s.KmsKeyID, err = p.str("KmsKeyId"); err != nil {
		return err
	}
	if s.Tags, err = p.tagList(); err != nil {
		return err
	}
	// CloudFormation tags the secret with its stack (LocalStack's
	// recordings: test_aws_secretsmanager_secret.py, 2026-02-23, and
	// cloudformation/resources/test_secretsmanager.py, 2024-07-03).
	c.stackTags(s.Tags)
	value, err := p.str("SecretString")
	if err != nil {
		return err
	}
	has := p.has("SecretString")
	if gen, err := p.object("GenerateSecretString"); err != nil {
		return err
	} else if gen.n != nil {
		if has {
			return p.invalid("GenerateSecretString", "You can't specify both SecretString and GenerateSecretString")
		}
		n, err := gen.integer("PasswordLength", 32)
		if err != nil {
			return err
		}
		pw := make([]byte, n)
		const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
		for i := range pw {
			pw[i] = alphabet[(i*7+int(c.s.l.names.Uint64()%uint64(len(alphabet))))%len(alphabet)]
		}
		value, has = string(pw), true
		tmpl, err := gen.str("SecretStringTemplate")
		if err != nil {
			return err
		}
		key, err := gen.str("GenerateStringKey")
		if err != nil {
			return err
		}
		if tmpl != "" && key != "" {
			value = jsonWithKey(tmpl, key, value)
		}
	}
	if has {
		s.Versions = map[string]*model.SecretVersion{"": {String: value, HasString: true, Stages: []string{"AWSCURRENT"}}}
	}
	cfg := c.e().Config()
	out, err := c.e().CreateSecret(s, "arn:"+model.Partition(cfg.Region)+":secretsmanager:"+cfg.Region+":"+cfg.Account+":secret:")
	if err != nil {
		return p.at("Name", err)
	}
	c.setRef(out.ARN)
	c.set("Id", out.ARN)
	return nil
}

// updateSecret applies a secret's new Description, KmsKeyId, Tags and
// SecretString in place (AWS::SecretsManager::Secret: "Update requires: No
// interruption"; a changed SecretString becomes a new AWSCURRENT version).
// A Description removed from the template stays on the secret, as AWS
// keeps it; removed tags go (LocalStack's recordings of
// test_aws_secretsmanager_secret.py, 2026-02-23).
func updateSecret(c *rctx, old obj, _ []string) error {
	p := c.p
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	kms, err := p.str("KmsKeyId")
	if err != nil {
		return err
	}
	tags, err := p.tagList()
	if err != nil {
		return err
	}
	c.stackTags(tags)
	value, err := p.str("SecretString")
	if err != nil {
		return err
	}
	oldValue, _ := old.str("SecretString")
	newValue := p.has("SecretString") && value != oldValue
	_, err = c.e().ChangeSecret(c.r.physical, func(s *model.Secret, now time.Time, uuid func() string) (bool, error) {
		if desc != "" {
			s.Description = desc
		}
		if kms != "" {
			s.KmsKeyID = kms
		}
		s.Tags = tags
		if newValue {
			engine.AddSecretVersion(s, &model.SecretVersion{ID: uuid(), String: value, HasString: true,
				Stages: []string{"AWSCURRENT"}, Created: now})
		}
		s.Changed = now
		return false, nil
	})
	return err
}

// createSecretPolicy puts ResourcePolicy on the secret SecretId (its ARN
// or name). Ref is the secret's ARN. BlockPublicPolicy is accepted: ecsnet
// does not judge whether a policy grants public access.
func createSecretPolicy(c *rctx) error {
	p := c.p
	id, err := p.req("SecretId")
	if err != nil {
		return err
	}
	doc, err := p.policyDocument("ResourcePolicy", true)
	if err != nil {
		return err
	}
	if _, err := p.boolean("BlockPublicPolicy"); err != nil {
		return err
	}
	s, err := c.e().ChangeSecret(id, func(s *model.Secret, _ time.Time, _ func() string) (bool, error) {
		s.Policy = doc
		return false, nil
	})
	if err != nil {
		return p.at("SecretId", err)
	}
	c.setRef(s.ARN)
	c.set("Id", s.ARN)
	return nil
}

// updateSecretPolicy puts the new policy in place (the secret stays).
func updateSecretPolicy(c *rctx, _ obj, _ []string) error {
	return createSecretPolicy(c)
}

// createKMSKey creates the key with its KeyPolicy, rotation and state.
// Ref is its key id; GetAtt Arn and KeyId.
func createKMSKey(c *rctx) error {
	p := c.p
	k := model.KMSKey{State: "Enabled", Usage: "ENCRYPT_DECRYPT", Spec: "SYMMETRIC_DEFAULT", Origin: "AWS_KMS"}
	var err error
	if k.Description, err = p.str("Description"); err != nil {
		return err
	}
	for key, dst := range map[string]*string{"KeyUsage": &k.Usage, "KeySpec": &k.Spec, "Origin": &k.Origin} {
		v, err := p.str(key)
		if err != nil {
			return err
		}
		if v != "" {
			*dst = v
		}
	}
	if k.Policy, err = p.policyDocument("KeyPolicy", false); err != nil {
		return err
	}
	cfg := c.e().Config()
	if k.Policy == "" {
		k.Policy = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"` +
			model.GlobalARN(cfg.Region, "iam", cfg.Account, "root") + `"},"Action":"kms:*","Resource":"*"}]}`
	}
	if b, err := p.boolean("EnableKeyRotation"); err != nil {
		return err
	} else if b != nil && *b {
		days, err := p.integer("RotationPeriodInDays", 365)
		if err != nil {
			return err
		}
		k.Rotation, k.RotationPeriodDays = true, days
	}
	if b, err := p.boolean("Enabled"); err != nil {
		return err
	} else if b != nil && !*b {
		k.State = "Disabled"
	}
	if b, err := p.boolean("MultiRegion"); err != nil {
		return err
	} else if b != nil {
		k.MultiRegion = *b
	}
	if k.Tags, err = kmsKeyTags(p); err != nil {
		return err
	}
	window, err := p.integer("PendingWindowInDays", 30)
	if err != nil {
		return err
	}
	out, err := c.e().CreateKMSKey(k, "arn:"+model.Partition(cfg.Region)+":kms:"+cfg.Region+":"+cfg.Account+":key/")
	if err != nil {
		return err
	}
	c.setRef(out.ID)
	c.set("Arn", out.ARN)
	c.set("KeyId", out.ID)
	c.keep("PendingWindowInDays", strconv.Itoa(window))
	return nil
}

// kmsKeyTags reads an AWS::KMS::Key's Tags as CloudFormation and KMS
// check them: the resource schema's lengths first (Key 1–128 characters,
// Value 0–256: "Properties validation failed for resource X with
// message: #/Tags/0/Key: expected maxLength: 128, actual: 129"), then the
// handler's CreateKey or TagResource, which refuses what KMS refuses
// (engine.CheckKMSTags: duplicate keys, more than 50 tags, the aws:
// prefix) in KMS's words.
func kmsKeyTags(p obj) (model.Tags, error) {
	list, err := p.objects("Tags")
	if err != nil {
		return nil, err
	}
	var kv []model.KeyValue
	for _, t := range list {
		k, err := t.req("Key")
		if err != nil {
			return nil, err
		}
		v, err := t.str("Value")
		if err != nil {
			return nil, err
		}
		if n := utf8.RuneCountInString(k); n < 1 {
			return nil, t.invalid("Key", "expected minLength: 1, actual: %d", n)
		} else if n > 128 {
			return nil, t.invalid("Key", "expected maxLength: 128, actual: %d", n)
		}
		if n := utf8.RuneCountInString(v); n > 256 {
			return nil, t.invalid("Value", "expected maxLength: 256, actual: %d", n)
		}
		kv = append(kv, model.KeyValue{Name: k, Value: v})
	}
	if err := engine.CheckKMSTags(kv); err != nil {
		return nil, &lineErr{line: p.line_("Tags"), err: err}
	}
	out := model.Tags{}
	for _, t := range kv {
		out[t.Name] = t.Value
	}
	return out, nil
}

// updateKMSKey applies a key's new Description, KeyPolicy, Enabled,
// rotation and Tags in place (AWS::KMS::Key: "Update requires: No
// interruption"); a property removed from the template goes back to its
// default: no description, rotation off, no tags (LocalStack's recordings
// of test_aws_kms_key.py, 2026-02-23).
func updateKMSKey(c *rctx, _ obj, _ []string) error {
	p := c.p
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	policy, err := p.policyDocument("KeyPolicy", false)
	if err != nil {
		return err
	}
	enabled, err := p.boolean("Enabled")
	if err != nil {
		return err
	}
	rotate, err := p.boolean("EnableKeyRotation")
	if err != nil {
		return err
	}
	days, err := p.integer("RotationPeriodInDays", 365)
	if err != nil {
		return err
	}
	tags, err := kmsKeyTags(p)
	if err != nil {
		return err
	}
	window, err := p.integer("PendingWindowInDays", 30)
	if err != nil {
		return err
	}
	_, err = c.e().ChangeKMSKey(c.r.physical, func(k *model.KMSKey, _ time.Time) error {
		k.Description, k.Tags = desc, tags
		if policy != "" {
			k.Policy = policy
		}
		if k.State != "PendingDeletion" {
			k.State = "Enabled"
			if enabled != nil && !*enabled {
				k.State = "Disabled"
			}
		}
		k.Rotation = rotate != nil && *rotate
		k.RotationPeriodDays = 0
		if k.Rotation {
			k.RotationPeriodDays = days
		}
		return nil
	})
	if err != nil {
		return err
	}
	c.keep("PendingWindowInDays", strconv.Itoa(window))
	return nil
}

// updateKMSAlias points the alias at its new TargetKeyId (UpdateAlias;
// AWS::KMS::Alias TargetKeyId: "Update requires: No interruption").
func updateKMSAlias(c *rctx, _ obj, _ []string) error {
	target, err := c.p.req("TargetKeyId")
	if err != nil {
		return err
	}
	arn := c.r.keys["AliasArn"]
	if arn == "" {
		arn = c.kmsAliasARN(c.r.physical)
	}
	if err := c.e().PutKMSAlias(c.r.physical, arn, target, false); err != nil {
		return c.p.at("TargetKeyId", err)
	}
	c.keep("AliasArn", arn)
	return nil
}

// createKMSAlias creates the alias. Ref is its name (alias/...).
func createKMSAlias(c *rctx) error {
	p := c.p
	name, err := p.req("AliasName")
	if err != nil {
		return err
	}
	target, err := p.req("TargetKeyId")
	if err != nil {
		return err
	}
	arn := c.kmsAliasARN(name)
	if err := c.e().PutKMSAlias(name, arn, target, true); err != nil {
		return p.at("AliasName", err)
	}
	c.setRef(name)
	c.keep("AliasArn", arn)
	return nil
}

// kmsAliasARN is the ARN of the alias name (alias/...).
func (c *rctx) kmsAliasARN(name string) string {
	cfg := c.e().Config()
	return "arn:" + model.Partition(cfg.Region) + ":kms:" + cfg.Region + ":" + cfg.Account + ":" + name
}

// jsonWithKey returns the JSON object tmpl with key set to value
// (GenerateSecretString's SecretStringTemplate and GenerateStringKey); a
// template that is not an object gives the value alone.
func jsonWithKey(tmpl, key, value string) string {
	var m map[string]any
	if json.Unmarshal([]byte(tmpl), &m) != nil || m == nil {
		return value
	}
	m[key] = value
	b, _ := json.Marshal(m)
	return string(b)
}

// deleteMonitoring deletes an alarm, a secret (at once, without a recovery
// window), a KMS key (scheduled for deletion after its
// PendingWindowInDays, as CloudFormation does) or an alias. One already
// gone is not an error.
func deleteMonitoring(e *engine.Engine, r Resource, id string) error {
	var err error
	switch r.Type {
	case typeAlarm, typeCompositeAlarm:
		err = e.DeleteAlarms([]string{id})
	case typeSecret:
		_, err = e.ChangeSecret(id, func(*model.Secret, time.Time, func() string) (bool, error) { return true, nil })
	case typeKMSKey:
		days, _ := strconv.Atoi(r.Keys["PendingWindowInDays"])
		if days == 0 {
			days = 30
		}
		_, err = e.ChangeKMSKey(id, func(k *model.KMSKey, now time.Time) error {
			if k.State != "PendingDeletion" {
				k.State, k.PendingWindowDays, k.DeletionDate = "PendingDeletion", days, now.AddDate(0, 0, days)
			}
			return nil
		})
	case typeKMSAlias:
		err = e.DeleteKMSAlias(id, r.Keys["AliasArn"])
	case typeSecretPolicy:
		_, err = e.ChangeSecret(id, func(s *model.Secret, _ time.Time, _ func() string) (bool, error) {
			s.Policy = ""
			return false, nil
		})
	}
	if apierr.HasCode(err, "ResourceNotFound") || apierr.HasCode(err, "ResourceNotFoundException") || apierr.HasCode(err, "NotFoundException") {
		return nil
	}
	return err
}
