package engine

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Secrets Manager: secrets, their versions and staging labels, scheduled
// deletion. ECS reads them when a task starts (a container's secrets).

// SecretNotFound is Secrets Manager's answer for a secret it does not have.
func SecretNotFound() error {
	return apierr.New("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
}

// SecretMarkedForDeletion is the answer to a change of (or a read of the
// value of) a secret scheduled for deletion.
func SecretMarkedForDeletion() error {
	return apierr.New("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
}

// FindSecret returns the secret id names (model.State.SecretByID).
func FindSecret(st *model.State, id string) *model.Secret { return st.SecretByID(id) }

const suffixAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// CreateSecret creates a secret; arnPrefix is
// arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret: and the ARN ends in
// the name, a dash and 6 random characters, as AWS's do (s.ARN, when it is
// such an ARN of the prefix and name, is kept). A name in use is
// ResourceExistsException, or InvalidRequestException while the secret of
// that name is scheduled for deletion.
func (e *Engine) CreateSecret(s model.Secret, arnPrefix string) (*model.Secret, error) {
	var out *model.Secret
	err := e.write(func(t *txn) error {
		for _, o := range t.st.Secrets {
			if o.Name != s.Name {
				continue
			}
			if !o.Deleted.IsZero() {
				return apierr.New("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.")
			}
			return apierr.Newf("ResourceExistsException", "The operation failed because the secret %s already exists.", s.Name)
		}
		suffix := make([]byte, 6)
		for i := range suffix {
			suffix[i] = suffixAlphabet[t.e.ids.Uint64()%uint64(len(suffixAlphabet))]
		}
		if s.ARN == "" || !validSecretARN(s.ARN, arnPrefix+s.Name) {
			s.ARN = arnPrefix + s.Name + "-" + string(suffix)
		}
		s.Created, s.Changed = t.now, t.now
		versions := s.Versions
		s.Versions = nil
		for _, v := range versions {
			v.Created = t.now
			if v.ID == "" {
				v.ID = t.uuid()
			}
			AddSecretVersion(&s, v)
		}
		s.Tags = s.Tags.Clone()
		put(t, model.KindSecret, t.st.Secrets, s.ARN, &s)
		out = &s
		return nil
	})
	return out, err
}

// validSecretARN reports whether arn is the name ARN base ends in (its
// prefix and name) followed by a dash and 6 of Secrets Manager's suffix
// characters: a secret a scenario names by its full ARN is created under
// that ARN.
func validSecretARN(arn, base string) bool {
	if len(arn) != len(base)+7 || arn[:len(base)] != base || arn[len(base)] != '-' {
		return false
	}
	for _, c := range arn[len(base)+1:] {
		if !strings.ContainsRune(suffixAlphabet, c) {
			return false
		}
	}
	return true
}

// ChangeSecret applies fn to a copy of the secret id names (its versions
// copied too) and stores it; deleting reports fn's wish to remove the
// secret now (ForceDeleteWithoutRecovery). It returns the stored secret.
//
// uuid gives fn a new version id.
func (e *Engine) ChangeSecret(id string, fn func(s *model.Secret, now time.Time, uuid func() string) (remove bool, err error)) (*model.Secret, error) {
	var out *model.Secret
	err := e.write(func(t *txn) error {
		old := FindSecret(t.st, id)
		if old == nil {
			return SecretNotFound()
		}
		s := *old
		s.Tags = old.Tags.Clone()
		s.TagOrder = slices.Clone(old.TagOrder)
		s.Versions = make(map[string]*model.SecretVersion, len(old.Versions))
		for k, v := range old.Versions {
			c := *v
			c.Stages = slices.Clone(v.Stages)
			s.Versions[k] = &c
		}
		remove, err := fn(&s, t.now, t.uuid)
		if err != nil {
			return err
		}
		out = &s
		if remove {
			del(t, model.KindSecret, t.st.Secrets, s.ARN)
			return nil
		}
		put(t, model.KindSecret, t.st.Secrets, s.ARN, &s)
		return nil
	})
	return out, err
}

// AddSecretVersion adds v to s and moves its staging labels to it: the
// version that was AWSCURRENT becomes AWSPREVIOUS when v takes
// AWSCURRENT (see MoveSecretPrevious); a version left without labels is
// kept, deprecated (see PruneDeprecatedSecretVersions).
func AddSecretVersion(s *model.Secret, v *model.SecretVersion) {
	prev := s.CurrentVersion()
	for _, o := range s.Versions {
		o.Stages = slices.DeleteFunc(o.Stages, func(st string) bool { return slices.Contains(v.Stages, st) })
	}
	if s.Versions == nil {
		s.Versions = map[string]*model.SecretVersion{}
	}
	s.Versions[v.ID] = v
	if slices.Contains(v.Stages, "AWSCURRENT") && prev != nil && prev.ID != v.ID {
		MoveSecretPrevious(s, prev)
	}
	PruneDeprecatedSecretVersions(s, v.Created)
}

// MoveSecretPrevious labels prev, the version AWSCURRENT just left,
// AWSPREVIOUS (taking the label from any other version), and takes
// AWSPENDING off it: AWS answers a version that was AWSCURRENT and
// AWSPENDING as AWSPREVIOUS alone once AWSCURRENT moves on (LocalStack's
// test_update_secret_version_stages_current_pending recording).
func MoveSecretPrevious(s *model.Secret, prev *model.SecretVersion) {
	for _, o := range s.Versions {
		o.Stages = slices.DeleteFunc(o.Stages, func(st string) bool { return st == "AWSPREVIOUS" })
	}
	prev.Stages = slices.DeleteFunc(prev.Stages, func(st string) bool { return st == "AWSPENDING" })
	prev.Stages = append(prev.Stages, "AWSPREVIOUS")
	s.Versions[prev.ID] = prev
}

// maxSecretVersions is how many versions Secrets Manager keeps of a
// secret before it removes deprecated ones.
const maxSecretVersions = 100

// PruneDeprecatedSecretVersions removes what Secrets Manager removes of a
// secret's deprecated versions (those without staging labels) at now: "Secrets
// Manager removes outdated versions when there are more than 100, but it
// does not remove versions created less than 24 hours ago" (the
// PutSecretValue API reference), oldest first. Until then a deprecated
// version stays: ListSecretVersionIds lists it with IncludeDeprecated,
// without VersionStages, and GetSecretValue reads it by VersionId
// (LocalStack's test_deprecated_secret_version_stage recording).
func PruneDeprecatedSecretVersions(s *model.Secret, now time.Time) {
	if len(s.Versions) <= maxSecretVersions {
		return
	}
	var old []*model.SecretVersion
	for _, v := range s.Versions {
		if len(v.Stages) == 0 && !v.Created.After(now.Add(-24*time.Hour)) {
			old = append(old, v)
		}
	}
	slices.SortFunc(old, func(a, b *model.SecretVersion) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	for _, v := range old {
		if len(s.Versions) <= maxSecretVersions {
			return
		}
		delete(s.Versions, v.ID)
	}
}

// ForceDeletedAbsentSecret is what DeleteSecret with ForceDeleteWithoutRecovery
// answers for a secret id names that does not exist: AWS answers as if it
// had deleted it, with the name asked for, an ARN and the deletion date
// (LocalStack's AWS-validated
// test_delete_non_existent_secret_returns_as_if_secret_exists). The ARN is
// the one asked for, or the name's with a new six-character suffix
// [probable]; arnPrefix is arn:P:secretsmanager:R:A:secret:.
func (e *Engine) ForceDeletedAbsentSecret(id, arnPrefix string) (*model.Secret, error) {
	var out *model.Secret
	err := e.write(func(t *txn) error {
		s := model.Secret{Name: id, ARN: id, DeletionDate: t.now}
		if rest, ok := strings.CutPrefix(id, arnPrefix); ok {
			s.Name = rest
			if i := len(rest) - 7; i > 0 && validSecretARN(id, arnPrefix+rest[:i]) {
				s.Name = rest[:i]
			}
		} else {
			suffix := make([]byte, 6)
			for i := range suffix {
				suffix[i] = suffixAlphabet[t.e.ids.Uint64()%uint64(len(suffixAlphabet))]
			}
			s.ARN = arnPrefix + id + "-" + string(suffix)
		}
		out = &s
		return nil
	})
	return out, err
}
