// Package kms serves AWS KMS (AWS JSON 1.1) as far as ECS configurations
// manage keys: keys (their policy, rotation, state, scheduled deletion and
// tags) and aliases, as Terraform's aws_kms_key and aws_kms_alias and
// CloudFormation's AWS::KMS::Key and AWS::KMS::Alias drive them. No
// cryptographic operation is served.
package kms

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/api/sts"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the KMS handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("kms", op, h) }
	add("CreateKey", createKey)
	add("DescribeKey", describeKey)
	add("ListKeys", listKeys)
	add("EnableKey", func(c *api.Call) (map[string]any, error) { return setEnabled(c, true) })
	add("DisableKey", func(c *api.Call) (map[string]any, error) { return setEnabled(c, false) })
	add("UpdateKeyDescription", updateKeyDescription)
	add("GetKeyPolicy", getKeyPolicy)
	add("PutKeyPolicy", putKeyPolicy)
	add("ListKeyPolicies", listKeyPolicies)
	add("GetKeyRotationStatus", getKeyRotationStatus)
	add("EnableKeyRotation", func(c *api.Call) (map[string]any, error) { return setRotation(c, true) })
	add("DisableKeyRotation", func(c *api.Call) (map[string]any, error) { return setRotation(c, false) })
	add("ScheduleKeyDeletion", scheduleKeyDeletion)
	add("CancelKeyDeletion", cancelKeyDeletion)
	add("CreateAlias", func(c *api.Call) (map[string]any, error) { return putAlias(c, true) })
	add("UpdateAlias", func(c *api.Call) (map[string]any, error) { return putAlias(c, false) })
	add("DeleteAlias", deleteAlias)
	add("ListAliases", listAliases)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListResourceTags", listResourceTags)
}

func prefix(c *api.Call) string {
	return "arn:" + model.Partition(c.Region) + ":kms:" + c.Region + ":" + c.Account + ":"
}

// defaultPolicy is the key policy KMS gives a key created without one.
func defaultPolicy(root string) string {
	return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "` + root + `"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`
}

func checkPolicy(doc string) error {
	var v map[string]any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return apierr.New("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.")
	}
	return nil
}

func createKey(c *api.Call) (map[string]any, error) {
	in := c.In
	if err := checkTags(in.Structs("Tags")); err != nil {
		return nil, err
	}
	k := model.KMSKey{Description: in.String("Description"), Usage: in.String("KeyUsage"), Spec: in.String("KeySpec"),
		Origin: in.String("Origin"), Policy: in.String("Policy"), State: "Enabled", MultiRegion: in.Bool("MultiRegion"),
		Tags: api.KeyValues(in.Structs("Tags"), "TagKey", "TagValue")}
	if k.Spec == "" {
		k.Spec = in.String("CustomerMasterKeySpec")
	}
	if k.Spec == "" {
		k.Spec = "SYMMETRIC_DEFAULT"
	}
	if err := checkKeySpecUsage(k.Spec, k.Usage); err != nil {
		return nil, err
	}
	if k.Usage == "" {
		k.Usage = "ENCRYPT_DECRYPT"
	}
	if k.Origin == "" {
		k.Origin = "AWS_KMS"
	}
	if k.Policy == "" {
		k.Policy = defaultPolicy(model.GlobalARN(c.Region, "iam", c.Account, "root"))
	} else if err := checkPolicy(k.Policy); err != nil {
		return nil, err
	}
	out, err := c.Engine.CreateKMSKey(k, prefix(c)+"key/")
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyMetadata": metadata(c, out)}, nil
}

// checkKeySpecUsage validates CreateKey's KeySpec and KeyUsage (usage ""
// when not given) as KMS does: each from its enum, and a KeyUsage for
// every key but a symmetric encryption key. The enums are listed in the
// order KMS's message lists them (LocalStack's
// test_hmac_create_key_invalid_operations recording, 2023), then the
// values KMS added since, in the model's order.
func checkKeySpecUsage(spec, usage string) error {
	keyUsages := []string{"ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"}
	keySpecs := []string{"RSA_2048", "ECC_NIST_P384", "ECC_NIST_P256", "ECC_NIST_P521", "HMAC_384", "RSA_3072",
		"ECC_SECG_P256K1", "RSA_4096", "SYMMETRIC_DEFAULT", "HMAC_256", "HMAC_224", "HMAC_512",
		"SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519"}
	enum := func(member, value string, set []string) error {
		return apierr.Newf("ValidationException", "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
			value, member, strings.Join(set, ", "))
	}
	if !slices.Contains(keySpecs, spec) {
		return enum("keySpec", spec, keySpecs)
	}
	if usage != "" && !slices.Contains(keyUsages, usage) {
		return enum("keyUsage", usage, keyUsages)
	}
	if usage == "" && spec != "SYMMETRIC_DEFAULT" {
		return apierr.New("ValidationException", "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")
	}
	return nil
}

// algorithms returns the DescribeKey member that lists what a key of spec
// and usage does, and its values: EncryptionAlgorithms, SigningAlgorithms,
// MacAlgorithms or KeyAgreementAlgorithms (AWS KMS Developer Guide, "Key
// spec reference").
func algorithms(spec, usage string) (string, []any) {
	switch {
	case spec == "SYMMETRIC_DEFAULT":
		return "EncryptionAlgorithms", []any{"SYMMETRIC_DEFAULT"}
	case strings.HasPrefix(spec, "HMAC_"):
		return "MacAlgorithms", []any{"HMAC_SHA_" + strings.TrimPrefix(spec, "HMAC_")}
	case usage == "KEY_AGREEMENT":
		return "KeyAgreementAlgorithms", []any{"ECDH"}
	case strings.HasPrefix(spec, "RSA_") && usage == "ENCRYPT_DECRYPT":
		return "EncryptionAlgorithms", []any{"RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"}
	case strings.HasPrefix(spec, "RSA_"):
		return "SigningAlgorithms", []any{"RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
			"RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512"}
	case spec == "ECC_NIST_P384":
		return "SigningAlgorithms", []any{"ECDSA_SHA_384"}
	case spec == "ECC_NIST_P521":
		return "SigningAlgorithms", []any{"ECDSA_SHA_512"}
	case strings.HasPrefix(spec, "ECC_NIST_P") || spec == "ECC_SECG_P256K1":
		return "SigningAlgorithms", []any{"ECDSA_SHA_256"}
	case spec == "ECC_NIST_EDWARDS25519":
		return "SigningAlgorithms", []any{"ED25519_SHA_512", "ED25519_PH_SHA_512"}
	case strings.HasPrefix(spec, "ML_DSA_"):
		return "SigningAlgorithms", []any{"ML_DSA_SHAKE_256"}
	case spec == "SM2" && usage == "ENCRYPT_DECRYPT":
		return "EncryptionAlgorithms", []any{"SM2PKE"}
	case spec == "SM2":
		return "SigningAlgorithms", []any{"SM2DSA"}
	}
	return "EncryptionAlgorithms", []any{}
}

func metadata(c *api.Call, k *model.KMSKey) map[string]any {
	m := map[string]any{
		"AWSAccountId": c.Account, "KeyId": k.ID, "Arn": k.ARN, "CreationDate": k.Created.UTC(),
		"Enabled": k.State == "Enabled", "Description": k.Description, "KeyUsage": k.Usage, "KeyState": k.State,
		"Origin": k.Origin, "KeyManager": "CUSTOMER", "CustomerMasterKeySpec": k.Spec, "KeySpec": k.Spec,
		"MultiRegion": k.MultiRegion, "DeletionDate": api.Time(k.DeletionDate),
	}
	member, algs := algorithms(k.Spec, k.Usage)
	m[member] = algs
	if k.MultiRegion {
		m["MultiRegionConfiguration"] = multiRegionConfiguration(k)
	}
	if k.AWSManaged {
		m["KeyManager"] = "AWS"
	}
	if k.State == "PendingDeletion" {
		m["PendingDeletionWindowInDays"] = k.PendingWindowDays
	}
	return m
}

// multiRegionConfiguration is a multi-Region key's DescribeKey member: the
// key is its own primary, in its ARN's region, with no replica (ecsnet
// serves no ReplicateKey) (LocalStack's test_create_multi_region_key
// recording: ReplicaKeys [] until a replica is made).
func multiRegionConfiguration(k *model.KMSKey) map[string]any {
	region := ""
	if p := strings.SplitN(k.ARN, ":", 5); len(p) == 5 {
		region = p[3]
	}
	return map[string]any{"MultiRegionKeyType": "PRIMARY", "PrimaryKey": map[string]any{"Arn": k.ARN, "Region": region}, "ReplicaKeys": []any{}}
}

func read(c *api.Call, id string) (*model.KMSKey, error) {
	var k *model.KMSKey
	c.Engine.Read(func(st *model.State) { k = engine.FindKMSKey(st, id) })
	if k == nil {
		return nil, engine.KMSKeyNotFound(c.Region, c.Account, id)
	}
	return k, nil
}

func describeKey(c *api.Call) (map[string]any, error) {
	id := c.In.String("KeyId")
	k, err := read(c, id)
	if err != nil && engine.IsAWSManagedKMSAlias(aliasOf(id)) {
		// A predefined AWS alias: KMS creates its AWS managed key.
		if err := c.Engine.EnsureAWSManagedKMSKey(aliasOf(id)); err != nil {
			return nil, err
		}
		k, err = read(c, id)
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyMetadata": metadata(c, k)}, nil
}

// aliasOf is the alias name (alias/...) id names: the alias itself or the
// name in an alias ARN; "" for a key id or key ARN.
func aliasOf(id string) string {
	if i := strings.Index(id, ":alias/"); i >= 0 && strings.HasPrefix(id, "arn:") {
		return id[i+1:]
	}
	if strings.HasPrefix(id, "alias/") {
		return id
	}
	return ""
}

func listKeys(c *api.Call) (map[string]any, error) {
	var keys []*model.KMSKey
	c.Engine.Read(func(st *model.State) {
		for _, k := range st.KMSKeys {
			keys = append(keys, k)
		}
	})
	sort.Slice(keys, func(i, j int) bool { return keys[i].ID < keys[j].ID })
	page, next, ok := api.Paginate(keys, func(k *model.KMSKey) string { return k.ID }, c.In.String("Marker"), int(c.In.IntOr("Limit", 100)))
	if !ok {
		return nil, apierr.New("InvalidMarkerException", "Invalid marker")
	}
	out := make([]any, len(page))
	for i, k := range page {
		out[i] = map[string]any{"KeyId": k.ID, "KeyArn": k.ARN}
	}
	res := map[string]any{"Keys": out, "Truncated": next != ""}
	if next != "" {
		res["NextMarker"] = next
	}
	return res, nil
}

// change applies fn to the key KeyId names, refusing it while the key is
// pending deletion (KMSInvalidStateException) unless anyState. An AWS
// managed key takes no change from the account: its key policy allows the
// account only to use it through its service and to read it (Describe*,
// Get*, List*), so every change is AccessDeniedException, for the root
// user too, in IAM's words.
func change(c *api.Call, anyState bool, fn func(k *model.KMSKey, now time.Time) error) (*model.KMSKey, error) {
	return c.Engine.ChangeKMSKey(c.In.String("KeyId"), func(k *model.KMSKey, now time.Time) error {
		if k.AWSManaged {
			return accessDenied(c, k)
		}
		if !anyState && k.State == "PendingDeletion" {
			return apierr.Newf("KMSInvalidStateException", "%s is pending deletion.", k.ARN)
		}
		return fn(k, now)
	})
}

// accessDenied is KMS's refusal of the call's action on an AWS managed
// key, in IAM's words: the key policy allows the account no change.
func accessDenied(c *api.Call, k *model.KMSKey) error {
	action := "kms:" + c.Op.Name
	return apierr.Newf("AccessDeniedException", "User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action",
		sts.CallerARN(c), action, k.ARN, action)
}

// setEnabled is EnableKey and DisableKey. A key waiting for its imported
// key material (PendingImport) can be neither ("Key states of AWS KMS
// keys"); KMS words the refusal as it words Encrypt's on such a key,
// "ARN is pending import." (LocalStack's test_import_key_symmetric
// recording) [probable].
func setEnabled(c *api.Call, on bool) (map[string]any, error) {
	_, err := change(c, false, func(k *model.KMSKey, _ time.Time) error {
		if k.State == "PendingImport" {
			return apierr.Newf("KMSInvalidStateException", "%s is pending import.", k.ARN)
		}
		k.State = "Disabled"
		if on {
			k.State = "Enabled"
		}
		return nil
	})
	return nil, err
}

func updateKeyDescription(c *api.Call) (map[string]any, error) {
	_, err := change(c, false, func(k *model.KMSKey, _ time.Time) error {
		k.Description = c.In.String("Description")
		return nil
	})
	return nil, err
}

func getKeyPolicy(c *api.Call) (map[string]any, error) {
	k, err := read(c, c.In.String("KeyId"))
	if err != nil {
		return nil, err
	}
	if n := c.In.String("PolicyName"); n != "" && n != "default" {
		return nil, apierr.New("NotFoundException", "No such policy exists")
	}
	return map[string]any{"Policy": k.Policy, "PolicyName": "default"}, nil
}

func putKeyPolicy(c *api.Call) (map[string]any, error) {
	doc := c.In.String("Policy")
	if err := checkPolicy(doc); err != nil {
		return nil, err
	}
	_, err := change(c, false, func(k *model.KMSKey, _ time.Time) error {
		k.Policy = doc
		return nil
	})
	return nil, err
}

func listKeyPolicies(c *api.Call) (map[string]any, error) {
	if _, err := read(c, c.In.String("KeyId")); err != nil {
		return nil, err
	}
	return map[string]any{"PolicyNames": []any{"default"}, "Truncated": false}, nil
}

func getKeyRotationStatus(c *api.Call) (map[string]any, error) {
	k, err := read(c, c.In.String("KeyId"))
	if err != nil {
		return nil, err
	}
	out := map[string]any{"KeyRotationEnabled": k.Rotation, "KeyId": k.ARN}
	if k.Rotation {
		out["RotationPeriodInDays"] = k.RotationPeriodDays
	}
	return out, nil
}

func setRotation(c *api.Call, on bool) (map[string]any, error) {
	days := c.In.IntOr("RotationPeriodInDays", 365)
	if on && (days < 90 || days > 2560) {
		return nil, apierr.Newf("ValidationException", "1 validation error detected: Value '%d' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value between 90 and 2560", days)
	}
	_, err := change(c, false, func(k *model.KMSKey, _ time.Time) error {
		if k.Spec != "SYMMETRIC_DEFAULT" {
			return apierr.Newf("UnsupportedOperationException", "%s key usage or key spec does not support automatic key rotation.", k.ARN)
		}
		if k.State == "Disabled" {
			return apierr.Newf("DisabledException", "%s is disabled.", k.ARN)
		}
		k.Rotation, k.RotationPeriodDays = on, 0
		if on {
			k.RotationPeriodDays = int(days)
		}
		return nil
	})
	return nil, err
}

func scheduleKeyDeletion(c *api.Call) (map[string]any, error) {
	days := c.In.IntOr("PendingWindowInDays", 30)
	if days < 7 || days > 30 {
		return nil, apierr.Newf("ValidationException", "1 validation error detected: Value '%d' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between 7 and 30", days)
	}
	k, err := change(c, false, func(k *model.KMSKey, now time.Time) error {
		k.State, k.PendingWindowDays, k.DeletionDate = "PendingDeletion", int(days), now.AddDate(0, 0, int(days))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyId": k.ARN, "DeletionDate": k.DeletionDate.UTC(), "KeyState": k.State, "PendingWindowInDays": k.PendingWindowDays}, nil
}

func cancelKeyDeletion(c *api.Call) (map[string]any, error) {
	k, err := change(c, true, func(k *model.KMSKey, _ time.Time) error {
		if k.State != "PendingDeletion" {
			return apierr.Newf("KMSInvalidStateException", "%s is not pending deletion.", k.ARN)
		}
		// A canceled deletion leaves the key disabled (AWS: "the key
		// state is Disabled").
		k.State, k.PendingWindowDays, k.DeletionDate = "Disabled", 0, time.Time{}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"KeyId": k.ARN}, nil
}

func aliasName(c *api.Call) (string, string, error) {
	name := c.In.String("AliasName")
	if err := engine.CheckKMSAliasName(name); err != nil {
		return "", "", err
	}
	return name, prefix(c) + name, nil
}

func putAlias(c *api.Call, create bool) (map[string]any, error) {
	name, arn, err := aliasName(c)
	if err != nil {
		return nil, err
	}
	target := c.In.String("TargetKeyId")
	// An AWS managed key's policy allows the account no kms:CreateAlias
	// or kms:UpdateAlias: an alias can name only a customer managed key.
	if k, err := read(c, target); err == nil && k.AWSManaged {
		return nil, accessDenied(c, k)
	}
	return nil, c.Engine.PutKMSAlias(name, arn, target, create)
}

func deleteAlias(c *api.Call) (map[string]any, error) {
	name := c.In.String("AliasName") // the engine checks it, in the delete's words
	return nil, c.Engine.DeleteKMSAlias(name, prefix(c)+name)
}

func listAliases(c *api.Call) (map[string]any, error) {
	var key string
	if id := c.In.String("KeyId"); id != "" {
		k, err := read(c, id)
		if err != nil {
			return nil, err
		}
		key = k.ID
	}
	var aliases []*model.KMSAlias
	c.Engine.Read(func(st *model.State) {
		for _, a := range st.KMSAliases {
			if key == "" || a.TargetKeyID == key {
				aliases = append(aliases, a)
			}
		}
	})
	sort.Slice(aliases, func(i, j int) bool { return aliases[i].Name < aliases[j].Name })
	page, next, ok := api.Paginate(aliases, func(a *model.KMSAlias) string { return a.Name }, c.In.String("Marker"), int(c.In.IntOr("Limit", 100)))
	if !ok {
		return nil, apierr.New("InvalidMarkerException", "Invalid marker")
	}
	out := make([]any, len(page))
	for i, a := range page {
		out[i] = map[string]any{"AliasName": a.Name, "AliasArn": a.ARN, "TargetKeyId": a.TargetKeyID,
			"CreationDate": a.Created.UTC(), "LastUpdatedDate": a.Updated.UTC()}
	}
	res := map[string]any{"Aliases": out, "Truncated": next != ""}
	if next != "" {
		res["NextMarker"] = next
	}
	return res, nil
}

// checkTags validates the Tags of CreateKey and TagResource as KMS does
// (engine.CheckKMSTags, which CloudFormation's AWS::KMS::Key shares).
func checkTags(tags []awsproto.Params) error {
	kv := make([]model.KeyValue, len(tags))
	for i, t := range tags {
		kv[i] = model.KeyValue{Name: t.String("TagKey"), Value: t.String("TagValue")}
	}
	return engine.CheckKMSTags(kv)
}

func tagResource(c *api.Call) (map[string]any, error) {
	if err := checkTags(c.In.Structs("Tags")); err != nil {
		return nil, err
	}
	add := api.KeyValues(c.In.Structs("Tags"), "TagKey", "TagValue")
	_, err := change(c, false, func(k *model.KMSKey, _ time.Time) error {
		if k.Tags == nil {
			k.Tags = model.Tags{}
		}
		for key, v := range add {
			k.Tags[key] = v
		}
		if len(k.Tags) > engine.MaxKMSKeyTags {
			return apierr.New("TagException", "Too many tags")
		}
		return nil
	})
	return nil, err
}

func untagResource(c *api.Call) (map[string]any, error) {
	keys := c.In.Strings("TagKeys")
	_, err := change(c, false, func(k *model.KMSKey, _ time.Time) error {
		for _, key := range keys {
			delete(k.Tags, key)
		}
		return nil
	})
	return nil, err
}

func listResourceTags(c *api.Call) (map[string]any, error) {
	k, err := read(c, c.In.String("KeyId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Tags": api.TagList(k.Tags, "TagKey", "TagValue"), "Truncated": false}, nil
}
