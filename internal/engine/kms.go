package engine

import (
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS KMS: keys and aliases as configurations create them (no
// cryptography).

// KMSKeyNotFound is KMS's NotFoundException for a key id or ARN.
func KMSKeyNotFound(id string) error {
	return apierr.Newf("NotFoundException", "Key '%s' does not exist", id)
}

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
// key's id a UUID.
func (e *Engine) CreateKMSKey(k model.KMSKey, arnPrefix string) (*model.KMSKey, error) {
	var out *model.KMSKey
	err := e.write(func(t *txn) error {
		k.ID = t.uuid()
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
			return KMSKeyNotFound(id)
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

// PutKMSAlias creates (create) or repoints an alias to the key target
// names; arn is the alias's ARN.
func (e *Engine) PutKMSAlias(name, arn, target string, create bool) error {
	return e.write(func(t *txn) error {
		k := FindKMSKey(t.st, target)
		if k == nil || strings.HasPrefix(target, "alias/") {
			return KMSKeyNotFound(target)
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

// DeleteKMSAlias deletes an alias.
func (e *Engine) DeleteKMSAlias(name, arn string) error {
	return e.write(func(t *txn) error {
		if t.st.KMSAliases[name] == nil {
			return apierr.Newf("NotFoundException", "Alias %s is not found.", arn)
		}
		del(t, model.KindKMSAlias, t.st.KMSAliases, name)
		return nil
	})
}
