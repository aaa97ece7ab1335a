// Package secretsmanager serves AWS Secrets Manager (AWS JSON 1.1) as far
// as ECS configurations use it: secrets, their values and versions
// (staging labels AWSCURRENT and AWSPREVIOUS), scheduled deletion and
// restore, tags and resource policies. A task whose container secrets
// name a secret that does not exist stops as on AWS (internal/engine).
package secretsmanager

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Secrets Manager handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("secretsmanager", op, checkSecretID(h)) }
	add("CreateSecret", createSecret)
	add("DescribeSecret", describeSecret)
	add("GetSecretValue", getSecretValue)
	add("BatchGetSecretValue", batchGetSecretValue)
	add("PutSecretValue", putSecretValue)
	add("UpdateSecret", updateSecret)
	add("UpdateSecretVersionStage", updateSecretVersionStage)
	add("DeleteSecret", deleteSecret)
	add("RestoreSecret", restoreSecret)
	add("ListSecrets", listSecrets)
	add("ListSecretVersionIds", listSecretVersionIds)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("GetResourcePolicy", getResourcePolicy)
	add("PutResourcePolicy", putResourcePolicy)
	add("DeleteResourcePolicy", deleteResourcePolicy)
	add("ValidateResourcePolicy", validateResourcePolicy)
	add("GetRandomPassword", getRandomPassword)
}

// errInvalidName is Secrets Manager's answer to a name it cannot hold.
func errInvalidName() error {
	return apierr.New("ValidationException", "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
}

// checkSecretID wraps h to refuse, before anything else, a SecretId that
// is neither an ARN nor a name a secret could have: every operation that
// takes a SecretId answers such a name as CreateSecret does, with
// ValidationException "Invalid name. …", not ResourceNotFoundException
// (LocalStack's test_invalid_secret_name recording, ten operations).
func checkSecretID(h api.Handler) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		if id, ok := c.In.Lookup("SecretId"); ok {
			if s, _ := id.(string); !strings.HasPrefix(s, "arn:") && !nameRE.MatchString(s) {
				return nil, errInvalidName()
			}
		}
		return h(c)
	}
}

// requireToken refuses a request that carries a secret value without a
// ClientRequestToken, the new version's id. The AWS CLI and SDKs fill the
// token in themselves; a raw HTTP request must send one ("If you generate
// a raw HTTP request to the Secrets Manager service endpoint, then you
// must generate a ClientRequestToken and include it in the request", the
// CreateSecret, UpdateSecret and PutSecretValue API references). AWS
// refuses before it looks the secret up (LocalStack's AWS-validated
// test_no_client_request_token recordings); a request without a value
// makes no version and is taken without a token [probable].
func requireToken(c *api.Call) error {
	_, hasStr := c.In.Lookup("SecretString")
	_, hasBin := c.In.Lookup("SecretBinary")
	if (hasStr || hasBin) && c.In.String("ClientRequestToken") == "" {
		return apierr.New("InvalidRequestException", "You must provide a ClientRequestToken value. We recommend a UUID-type value.")
	}
	return nil
}

func invalidParam(format string, args ...any) error {
	return apierr.Newf("InvalidParameterException", format, args...)
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]{1,512}$`)

// value reads SecretString or SecretBinary into v; both is refused as AWS
// refuses it. It reports whether the request carried a value.
func value(c *api.Call, v *model.SecretVersion) (bool, error) {
	str, hasStr := c.In.Lookup("SecretString")
	_, hasBin := c.In.Lookup("SecretBinary")
	if hasStr && hasBin {
		return false, invalidParam("You can't specify both a binary secret value and a string secret value in the same secret.")
	}
	switch {
	case hasStr:
		v.String, _ = str.(string)
		v.HasString = true
	case hasBin:
		v.Binary = c.In.Blob("SecretBinary")
	default:
		return false, nil
	}
	return true, nil
}

func arnPrefix(c *api.Call) string {
	return "arn:" + model.Partition(c.Region) + ":secretsmanager:" + c.Region + ":" + c.Account + ":secret:"
}

func createSecret(c *api.Call) (map[string]any, error) {
	name := c.In.String("Name")
	if !nameRE.MatchString(name) {
		return nil, errInvalidName()
	}
	if err := requireToken(c); err != nil {
		return nil, err
	}
	s := model.Secret{Name: name, Description: c.In.String("Description"), KmsKeyID: c.In.String("KmsKeyId"),
		Tags: api.KeyValues(c.In.Structs("Tags"), "Key", "Value")}
	v := &model.SecretVersion{ID: c.In.String("ClientRequestToken"), Stages: []string{"AWSCURRENT"}}
	has, err := value(c, v)
	if err != nil {
		return nil, err
	}
	if has {
		s.Versions = map[string]*model.SecretVersion{v.ID: v}
	}
	out, err := c.Engine.CreateSecret(s, arnPrefix(c))
	if err != nil {
		return nil, err
	}
	res := map[string]any{"ARN": out.ARN, "Name": out.Name}
	if cur := out.CurrentVersion(); cur != nil {
		res["VersionId"] = cur.ID
	}
	return res, nil
}

// read returns a copy-free view of the secret id names, or
// ResourceNotFoundException.
func read(c *api.Call, id string) (*model.Secret, error) {
	var s *model.Secret
	c.Engine.Read(func(st *model.State) { s = engine.FindSecret(st, id) })
	if s == nil {
		return nil, engine.SecretNotFound()
	}
	return s, nil
}

// stagesOf is DescribeSecret's VersionIdsToStages (ListSecrets'
// SecretVersionsToStages): the versions with staging labels; a deprecated
// version (none) is not among them.
func stagesOf(s *model.Secret) map[string]any {
	out := map[string]any{}
	for id, v := range s.Versions {
		if len(v.Stages) > 0 {
			out[id] = sortedStages(v)
		}
	}
	return out
}

// sortedStages returns a version's staging labels as AWS lists them: sorted
// (["AWSCURRENT", "AWSPENDING", "PUT1"], ["one", "three", "two"]).
func sortedStages(v *model.SecretVersion) []string {
	return slices.Sorted(slices.Values(v.Stages))
}

// accessDay is the LastAccessedDate a read at now records: AWS keeps the
// day only.
func accessDay(now time.Time) time.Time {
	return now.UTC().Truncate(24 * time.Hour)
}

func describeOut(s *model.Secret) map[string]any {
	out := map[string]any{
		"ARN": s.ARN, "Name": s.Name, "Description": api.Str(s.Description), "KmsKeyId": api.Str(s.KmsKeyID),
		"LastChangedDate": s.Changed.UTC(), "CreatedDate": s.Created.UTC(), "DeletedDate": api.Time(s.Deleted),
		"LastAccessedDate": api.Time(s.LastAccessed),
	}
	// A secret never tagged has no Tags; one whose tags were all removed
	// answers Tags [] (LocalStack's AWS-validated test_secret_tags
	// recording, describe_secret and describe_secret_4).
	if s.Tags != nil {
		out["Tags"] = api.TagList(s.Tags, "Key", "Value")
	}
	if stages := stagesOf(s); len(stages) > 0 {
		out["VersionIdsToStages"] = stages
	}
	return out
}

func describeSecret(c *api.Call) (map[string]any, error) {
	s, err := read(c, c.In.String("SecretId"))
	if err != nil {
		return nil, err
	}
	return describeOut(s), nil
}

func versionOut(s *model.Secret, v *model.SecretVersion) map[string]any {
	out := map[string]any{"ARN": s.ARN, "Name": s.Name, "VersionId": v.ID, "CreatedDate": v.Created.UTC()}
	if len(v.Stages) > 0 {
		out["VersionStages"] = sortedStages(v) // none for a deprecated version [probable]
	}
	if v.HasString {
		out["SecretString"] = v.String
	} else {
		out["SecretBinary"] = v.Binary
	}
	return out
}

// pick returns the version a GetSecretValue asks for: VersionId and/or
// VersionStage (default AWSCURRENT).
func pick(s *model.Secret, id, stage string) (*model.SecretVersion, error) {
	if !s.Deleted.IsZero() {
		return nil, engine.SecretMarkedForDeletion()
	}
	if id != "" {
		v := s.Versions[id]
		if v == nil {
			return nil, apierr.New("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: "+id)
		}
		if stage != "" && !slices.Contains(v.Stages, stage) {
			return nil, apierr.New("InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId.")
		}
		return v, nil
	}
	if stage == "" {
		stage = "AWSCURRENT"
	}
	v := s.VersionWithStage(stage)
	if v == nil {
		return nil, apierr.New("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: "+stage)
	}
	return v, nil
}

func getSecretValue(c *api.Call) (map[string]any, error) {
	s, v, err := access(c, c.In.String("SecretId"), c.In.String("VersionId"), c.In.String("VersionStage"))
	if err != nil {
		return nil, err
	}
	return versionOut(s, v), nil
}

// access returns the version of secret id a read asks for (see pick) and
// records the read: the day becomes the secret's and the version's
// LastAccessedDate, which DescribeSecret and ListSecretVersionIds answer.
func access(c *api.Call, id, versionID, stage string) (*model.Secret, *model.SecretVersion, error) {
	var v *model.SecretVersion
	s, err := c.Engine.ChangeSecret(id, func(s *model.Secret, now time.Time, _ func() string) (bool, error) {
		var err error
		if v, err = pick(s, versionID, stage); err != nil {
			return false, err
		}
		s.LastAccessed, v.LastAccessed = accessDay(now), accessDay(now)
		return false, nil
	})
	return s, v, err
}

func batchGetSecretValue(c *api.Call) (map[string]any, error) {
	ids := c.In.Strings("SecretIdList")
	if len(ids) > 0 && c.In.Has("Filters") {
		return nil, invalidParam("Either 'SecretIdList' or 'Filters' must be provided, but not both.")
	}
	values, errs := []any{}, []any{}
	for _, id := range ids {
		s, v, err := access(c, id, "", "")
		if err == nil {
			values = append(values, versionOut(s, v))
			continue
		}
		e := apierr.As(err)
		errs = append(errs, map[string]any{"SecretId": id, "ErrorCode": e.Code, "Message": e.Message})
	}
	return map[string]any{"SecretValues": values, "Errors": errs}, nil
}

// change runs fn on the secret SecretId names, refusing it while the
// secret is scheduled for deletion.
func change(c *api.Call, fn func(s *model.Secret, now time.Time, uuid func() string) error) (*model.Secret, error) {
	return c.Engine.ChangeSecret(c.In.String("SecretId"), func(s *model.Secret, now time.Time, uuid func() string) (bool, error) {
		if !s.Deleted.IsZero() {
			return false, engine.SecretMarkedForDeletion()
		}
		return false, fn(s, now, uuid)
	})
}

// newVersion adds the request's value as a new version with stages (the
// client token its id) and reports the version, or nil without a value.
// A token that names an existing version with the same value changes
// nothing; with another value it is refused, as AWS refuses it.
func newVersion(c *api.Call, s *model.Secret, now time.Time, uuid func() string, stages []string) (*model.SecretVersion, error) {
	v := &model.SecretVersion{ID: c.In.String("ClientRequestToken"), Stages: stages, Created: now}
	has, err := value(c, v)
	if err != nil || !has {
		return nil, err
	}
	if v.ID == "" {
		v.ID = uuid()
	}
	if old := s.Versions[v.ID]; old != nil {
		if old.HasString == v.HasString && old.String == v.String && string(old.Binary) == string(v.Binary) {
			return old, nil
		}
		return nil, apierr.New("ResourceExistsException", "You can't modify an existing version, you can only create a new version.")
	}
	engine.AddSecretVersion(s, v)
	s.Changed = now
	return v, nil
}

func putSecretValue(c *api.Call) (map[string]any, error) {
	if err := requireToken(c); err != nil {
		return nil, err
	}
	stages := c.In.Strings("VersionStages")
	if len(stages) == 0 {
		stages = []string{"AWSCURRENT"}
	}
	var v *model.SecretVersion
	s, err := change(c, func(s *model.Secret, now time.Time, uuid func() string) error {
		var err error
		if v, err = newVersion(c, s, now, uuid, stages); err == nil && v == nil {
			err = invalidParam("You must provide either SecretString or SecretBinary.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name, "VersionId": v.ID, "VersionStages": sortedStages(v)}, nil
}

func updateSecret(c *api.Call) (map[string]any, error) {
	if err := requireToken(c); err != nil {
		return nil, err
	}
	var v *model.SecretVersion
	s, err := change(c, func(s *model.Secret, now time.Time, uuid func() string) error {
		if d, ok := c.In.Lookup("Description"); ok {
			s.Description, _ = d.(string)
			s.Changed = now
		}
		if k, ok := c.In.Lookup("KmsKeyId"); ok {
			s.KmsKeyID, _ = k.(string)
			s.Changed = now
		}
		var err error
		v, err = newVersion(c, s, now, uuid, []string{"AWSCURRENT"})
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]any{"ARN": s.ARN, "Name": s.Name}
	if v != nil {
		out["VersionId"] = v.ID
	}
	return out, nil
}

func updateSecretVersionStage(c *api.Call) (map[string]any, error) {
	stage, move, from := c.In.String("VersionStage"), c.In.String("MoveToVersionId"), c.In.String("RemoveFromVersionId")
	s, err := change(c, func(s *model.Secret, now time.Time, _ func() string) error {
		holder := s.VersionWithStage(stage)
		if holder != nil && holder.ID != from && move != "" && holder.ID != move {
			return invalidParam("The staging label %s is currently attached to version %s. You must specify this version in RemoveFromVersionId.", stage, holder.ID)
		}
		var target *model.SecretVersion
		if move != "" {
			if target = s.Versions[move]; target == nil {
				return apierr.New("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: "+move)
			}
		}
		if from != "" {
			if v := s.Versions[from]; v != nil {
				v.Stages = slices.DeleteFunc(v.Stages, func(st string) bool { return st == stage })
			}
		}
		if target != nil && !slices.Contains(target.Stages, stage) {
			for _, o := range s.Versions {
				o.Stages = slices.DeleteFunc(o.Stages, func(st string) bool { return st == stage })
			}
			target.Stages = append(target.Stages, stage)
			if stage == "AWSCURRENT" && holder != nil && holder.ID != target.ID {
				engine.MoveSecretPrevious(s, holder)
			}
		}
		engine.PruneDeprecatedSecretVersions(s, now)
		s.Changed = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

func deleteSecret(c *api.Call) (map[string]any, error) {
	force := c.In.Bool("ForceDeleteWithoutRecovery")
	window, hasWindow := c.In.Lookup("RecoveryWindowInDays")
	if force && hasWindow {
		return nil, invalidParam("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	}
	days := int64(30)
	if hasWindow {
		days, _ = window.(int64)
		if days < 7 || days > 30 {
			return nil, invalidParam("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
		}
	}
	s, err := c.Engine.ChangeSecret(c.In.String("SecretId"), func(s *model.Secret, now time.Time, _ func() string) (bool, error) {
		if force {
			s.DeletionDate = now
			return true, nil
		}
		if !s.Deleted.IsZero() {
			return false, engine.SecretMarkedForDeletion()
		}
		s.Deleted, s.DeletionDate = now, now.AddDate(0, 0, int(days))
		return false, nil
	})
	if force && apierr.HasCode(err, "ResourceNotFoundException") {
		s, err = c.Engine.ForceDeletedAbsentSecret(c.In.String("SecretId"), arnPrefix(c))
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name, "DeletionDate": s.DeletionDate.UTC()}, nil
}

func restoreSecret(c *api.Call) (map[string]any, error) {
	s, err := c.Engine.ChangeSecret(c.In.String("SecretId"), func(s *model.Secret, now time.Time, _ func() string) (bool, error) {
		s.Deleted, s.DeletionDate = time.Time{}, time.Time{}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

// filterMatch is ListSecrets' filter (the Filter data type; "Find secrets
// in AWS Secrets Manager"): name, tag-key and tag-value match the start of
// the field, case-sensitively; description matches words: each word of the
// value must start a word of the description, not case-sensitively, in any
// order ("My Description" matches "Description of my secret"); all breaks
// the value into words and matches a secret with any of them at the start
// of a word of its name, description, tag keys or tag values, not
// case-sensitively. A value starting with ! negates it. A secret matches
// the filter when one of its values matches.
func filterMatch(key string, values []string, s *model.Secret) bool {
	// fields are the strings a value must start; words the words of the
	// fields that description and all search, broken once for every value.
	var fields, words []string
	switch key {
	case "name":
		fields = []string{s.Name}
	case "description":
		words = searchWords(s.Description)
	case "tag-key":
		fields = slices.Collect(maps.Keys(s.Tags))
	case "tag-value":
		fields = slices.Collect(maps.Values(s.Tags))
	case "all":
		words = append(searchWords(s.Name), searchWords(s.Description)...)
		for k, v := range s.Tags {
			words = append(words, searchWords(k)...)
			words = append(words, searchWords(v)...)
		}
	}
	for _, want := range values {
		neg := strings.HasPrefix(want, "!")
		want = strings.TrimPrefix(want, "!")
		var hit bool
		switch key {
		case "description":
			hit = allWordsStart(searchWords(want), words)
		case "all":
			hit = slices.ContainsFunc(searchWords(want), func(w string) bool { return allWordsStart([]string{w}, words) })
		default:
			hit = slices.ContainsFunc(fields, func(f string) bool { return strings.HasPrefix(f, want) })
		}
		if hit != neg {
			return true
		}
	}
	return false
}

// allWordsStart reports whether each of want starts one of words.
func allWordsStart(want, words []string) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		if !slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) }) {
			return false
		}
	}
	return true
}

// searchWords breaks s into the words Secrets Manager searches, lower-cased:
// runs of letters and digits, split where upper case follows lower case and
// between letters and digits ("credsDatabase#892" is creds, database, 892).
func searchWords(s string) []string {
	var out []string
	var cur []rune
	kind := func(r rune) int {
		switch {
		case unicode.IsUpper(r):
			return 1
		case unicode.IsLetter(r):
			return 2
		case unicode.IsDigit(r):
			return 3
		}
		return 0
	}
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prev := 0
	for _, r := range s {
		k := kind(r)
		switch {
		case k == 0:
			flush()
		case prev != 0 && (prev == 3) != (k == 3):
			flush() // letter to digit or digit to letter
		case prev == 2 && k == 1:
			flush() // lower case to upper case
		}
		if k != 0 {
			cur = append(cur, r)
		}
		prev = k
	}
	flush()
	return out
}

func listSecrets(c *api.Call) (map[string]any, error) {
	n := c.In.IntOr("MaxResults", 100)
	if n < 1 || n > 100 {
		return nil, apierr.Newf("ValidationException", "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100", n)
	}
	filters := c.In.Structs("Filters")
	for _, f := range filters {
		switch f.String("Key") {
		case "description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all":
		default:
			return nil, apierr.Newf("ValidationException", "1 validation error detected: Value '%s' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [all, name, tag-key, description, tag-value, primary-region, owning-service]", f.String("Key"))
		}
	}
	planned := c.In.Bool("IncludePlannedDeletion")
	var secrets []*model.Secret
	c.Engine.Read(func(st *model.State) {
		for _, s := range st.Secrets {
			if !s.Deleted.IsZero() && !planned {
				continue
			}
			ok := true
			for _, f := range filters {
				if !filterMatch(f.String("Key"), f.Strings("Values"), s) {
					ok = false
				}
			}
			if ok {
				secrets = append(secrets, s)
			}
		}
	})
	// Pages by creation (SortOrder asc, the default, or desc); the key
	// keeps pages stable while secrets come and go.
	desc := c.In.String("SortOrder") == "desc"
	key := func(s *model.Secret) string {
		n := s.Created.UnixNano()
		if desc {
			n = math.MaxInt64 - n
		}
		return fmt.Sprintf("%020d", n) + s.ARN
	}
	page, next, ok := api.Paginate(secrets, key, c.In.String("NextToken"), int(n))
	if !ok {
		return nil, apierr.New("InvalidNextTokenException", "The NextToken value is invalid.")
	}
	list := make([]any, len(page))
	for i, s := range page {
		out := describeOut(s)
		if stages, ok := out["VersionIdsToStages"]; ok {
			out["SecretVersionsToStages"] = stages
		}
		delete(out, "VersionIdsToStages")
		list[i] = out
	}
	res := map[string]any{"SecretList": list}
	if next != "" {
		res["NextToken"] = next
	}
	return res, nil
}

func listSecretVersionIds(c *api.Call) (map[string]any, error) {
	s, err := read(c, c.In.String("SecretId"))
	if err != nil {
		return nil, err
	}
	// Oldest first, as AWS lists them; each version names the key that
	// encrypts it, "DefaultEncryptionKey" for the account's
	// aws/secretsmanager key.
	vs := slices.SortedFunc(maps.Values(s.Versions), func(a, b *model.SecretVersion) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	// A deprecated version (no staging labels) is listed only with
	// IncludeDeprecated, and then without VersionStages (LocalStack's
	// AWS-validated test_deprecated_secret_version_stage recording).
	key := cmp.Or(s.KmsKeyID, "DefaultEncryptionKey")
	deprecated := c.In.Bool("IncludeDeprecated")
	versions := []any{}
	for _, v := range vs {
		if len(v.Stages) == 0 && !deprecated {
			continue
		}
		out := map[string]any{"VersionId": v.ID, "CreatedDate": v.Created.UTC(), "KmsKeyIds": []string{key}, "LastAccessedDate": api.Time(v.LastAccessed)}
		if len(v.Stages) > 0 {
			out["VersionStages"] = sortedStages(v)
		}
		versions = append(versions, out)
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name, "Versions": versions}, nil
}

func tagResource(c *api.Call) (map[string]any, error) {
	add := api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
	_, err := change(c, func(s *model.Secret, _ time.Time, _ func() string) error {
		if s.Tags == nil {
			s.Tags = model.Tags{}
		}
		for k, v := range add {
			s.Tags[k] = v
		}
		if len(s.Tags) > 50 {
			return invalidParam("The number of tags on the secret exceeds the maximum allowed (50).")
		}
		return nil
	})
	return nil, err
}

func untagResource(c *api.Call) (map[string]any, error) {
	keys := c.In.Strings("TagKeys")
	_, err := change(c, func(s *model.Secret, _ time.Time, _ func() string) error {
		for _, k := range keys {
			delete(s.Tags, k)
		}
		return nil
	})
	return nil, err
}

func getResourcePolicy(c *api.Call) (map[string]any, error) {
	s, err := read(c, c.In.String("SecretId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name, "ResourcePolicy": api.Str(s.Policy)}, nil
}

func checkPolicy(doc string) error {
	var v map[string]any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return apierr.New("MalformedPolicyDocumentException", "This resource policy contains a syntax error.")
	}
	return nil
}

func putResourcePolicy(c *api.Call) (map[string]any, error) {
	doc := c.In.String("ResourcePolicy")
	if err := checkPolicy(doc); err != nil {
		return nil, err
	}
	s, err := change(c, func(s *model.Secret, _ time.Time, _ func() string) error {
		s.Policy = doc
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

func deleteResourcePolicy(c *api.Call) (map[string]any, error) {
	s, err := change(c, func(s *model.Secret, _ time.Time, _ func() string) error {
		s.Policy = ""
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ARN": s.ARN, "Name": s.Name}, nil
}

func validateResourcePolicy(c *api.Call) (map[string]any, error) {
	if err := checkPolicy(c.In.String("ResourcePolicy")); err != nil {
		return nil, err
	}
	return map[string]any{"PolicyValidationPassed": true, "ValidationErrors": []any{}}, nil
}

// getRandomPassword answers a password of the requested length (default
// 32) from the allowed characters. It is not random: ecsnet's answers are
// reproducible; a test needs a value of the right shape, not secrecy.
func getRandomPassword(c *api.Call) (map[string]any, error) {
	n := c.In.IntOr("PasswordLength", 32)
	if n < 1 || n > 4096 {
		return nil, invalidParam("Password length must be between 1 and 4096.")
	}
	var alphabet []byte
	add := func(skip bool, chars string) {
		if !skip {
			for _, ch := range []byte(chars) {
				if !strings.ContainsRune(c.In.String("ExcludeCharacters"), rune(ch)) {
					alphabet = append(alphabet, ch)
				}
			}
		}
	}
	add(c.In.Bool("ExcludeLowercase"), "abcdefghijklmnopqrstuvwxyz")
	add(c.In.Bool("ExcludeUppercase"), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	add(c.In.Bool("ExcludeNumbers"), "0123456789")
	add(c.In.Bool("ExcludePunctuation"), "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
	add(!c.In.Bool("IncludeSpace"), " ")
	if len(alphabet) == 0 {
		return nil, invalidParam("The password must contain at least one character.")
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[(i*7+3)%len(alphabet)]
	}
	return map[string]any{"RandomPassword": string(b)}, nil
}
