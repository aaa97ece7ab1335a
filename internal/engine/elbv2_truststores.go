package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Trust stores: the CA bundles that verify-mode (mutual TLS) HTTPS
// listeners check client certificates against. ecsnet has no S3: it takes
// the bundle's and the revocation lists' S3 locations as given and cannot
// count their certificates or entries (docs/aws-behavior.md).

// maxTrustStores is AWS's default quota of trust stores per account
// (elasticloadbalancing/latest/application/load-balancer-limits.html).
const maxTrustStores = 100

func errTrustStoreNotFound() error {
	return apierr.New("TrustStoreNotFound", "One or more trust stores not found") // probable, like its siblings
}

// TrustStoreBundle is a CA bundle's S3 location.
type TrustStoreBundle struct {
	Bucket, Key, Version string
}

func (b TrustStoreBundle) check() error {
	if b.Bucket == "" {
		return errELBValidation("1 validation error detected: Value null at 'caCertificatesBundleS3Bucket' failed to satisfy constraint: Member must not be null")
	}
	if b.Key == "" {
		return errELBValidation("1 validation error detected: Value null at 'caCertificatesBundleS3Key' failed to satisfy constraint: Member must not be null")
	}
	return nil
}

// CreateTrustStore creates a trust store from a CA bundle in S3. The name
// follows load balancer names' rules (32 alphanumerics or hyphens); a
// second trust store of the same name is DuplicateTrustStoreName.
func (e *Engine) CreateTrustStore(name string, b TrustStoreBundle, tags model.Tags) (*model.TrustStore, error) {
	if name == "" {
		return nil, errELBValidation("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
	}
	if len(name) > 32 || !alnumHyphen(name) || strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-") {
		return nil, errELBValidation("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-zA-Z0-9]+-)*[a-zA-Z0-9]+$", name)
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	var out *model.TrustStore
	err := e.write(func(t *txn) error {
		for _, ts := range t.st.TrustStores {
			if ts.Name == name {
				return apierr.Newf("DuplicateTrustStoreName", "A trust store with the name '%s' already exists", name) // probable
			}
		}
		if len(t.st.TrustStores) >= maxTrustStores {
			return apierr.New("TooManyTrustStores", "You've reached the limit on the number of trust stores for your AWS account") // probable
		}
		ts := &model.TrustStore{
			ARN:  t.e.cfg.arn("elasticloadbalancing", fmt.Sprintf("truststore/%s/%s", name, t.e.ids.Hex(16))),
			Name: name, Status: "ACTIVE", BundleBucket: b.Bucket, BundleKey: b.Key, BundleVersion: b.Version,
			NumberOfCaCertificates: 1, NextRevocationID: 1, CreatedAt: t.now, Tags: tags.Clone(),
		}
		put(t, model.KindTrustStore, t.st.TrustStores, ts.ARN, ts)
		out = ts
		return nil
	})
	return out, err
}

func (t *txn) trustStore(arn string) (*model.TrustStore, error) {
	if ts := t.st.TrustStores[arn]; ts != nil {
		return ts, nil
	}
	if _, ok := model.CutARN(arn, "elasticloadbalancing"); !ok || !strings.Contains(arn, ":truststore/") {
		return nil, errBadARN(arn, "trust store")
	}
	return nil, errTrustStoreNotFound()
}

func cloneTrustStore(ts *model.TrustStore) *model.TrustStore {
	c := *ts
	c.Revocations = slices.Clone(ts.Revocations)
	c.Tags = ts.Tags.Clone()
	return &c
}

// ModifyTrustStore replaces a trust store's CA bundle.
func (e *Engine) ModifyTrustStore(arn string, b TrustStoreBundle) (*model.TrustStore, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	var out *model.TrustStore
	err := e.write(func(t *txn) error {
		ts, err := t.trustStore(arn)
		if err != nil {
			return err
		}
		c := cloneTrustStore(ts)
		c.BundleBucket, c.BundleKey, c.BundleVersion = b.Bucket, b.Key, b.Version
		put(t, model.KindTrustStore, t.st.TrustStores, c.ARN, c)
		out = c
		return nil
	})
	return out, err
}

// TrustStoreListeners returns the listeners that verify client
// certificates against a trust store, sorted.
func TrustStoreListeners(st *model.State, arn string) []string {
	var out []string
	for _, l := range st.Listeners {
		if l.MutualAuth != nil && l.MutualAuth.TrustStoreARN == arn {
			out = append(out, l.ARN)
		}
	}
	slices.Sort(out)
	return out
}

// DeleteTrustStore deletes a trust store no listener uses.
func (e *Engine) DeleteTrustStore(arn string) error {
	return e.write(func(t *txn) error {
		if _, err := t.trustStore(arn); err != nil {
			return err
		}
		if len(TrustStoreListeners(t.st, arn)) > 0 {
			return apierr.Newf("TrustStoreInUse", "Trust store '%s' is currently in use", arn) // probable
		}
		del(t, model.KindTrustStore, t.st.TrustStores, arn)
		return nil
	})
}

// RevocationContent is one revocation list to add (a CRL in S3).
type RevocationContent struct {
	Bucket, Key, Version, Type string
}

// AddTrustStoreRevocations adds revocation lists to a trust store; each
// gets the next revocation id. ecsnet cannot read the lists, so each counts
// no revoked entries.
func (e *Engine) AddTrustStoreRevocations(arn string, contents []RevocationContent) ([]model.TrustStoreRevocation, error) {
	var out []model.TrustStoreRevocation
	err := e.write(func(t *txn) error {
		ts, err := t.trustStore(arn)
		if err != nil {
			return err
		}
		c := cloneTrustStore(ts)
		for _, r := range contents {
			typ := r.Type
			if typ == "" {
				typ = "CRL"
			}
			if typ != "CRL" {
				return errELBEnum(r.Type, "revocationContents.member.revocationType", "CRL")
			}
			if r.Bucket == "" || r.Key == "" {
				return apierr.New("InvalidRevocationContent", "The S3 bucket and key of the revocation content must be specified") // probable
			}
			rev := model.TrustStoreRevocation{ID: c.NextRevocationID, Type: typ, S3Bucket: r.Bucket, S3Key: r.Key, S3Version: r.Version}
			c.NextRevocationID++
			c.Revocations = append(c.Revocations, rev)
			out = append(out, rev)
		}
		put(t, model.KindTrustStore, t.st.TrustStores, c.ARN, c)
		return nil
	})
	return out, err
}

// RemoveTrustStoreRevocations removes revocation lists by id; every id
// must exist.
func (e *Engine) RemoveTrustStoreRevocations(arn string, ids []int64) error {
	return e.write(func(t *txn) error {
		ts, err := t.trustStore(arn)
		if err != nil {
			return err
		}
		c := cloneTrustStore(ts)
		for _, id := range ids {
			i := slices.IndexFunc(c.Revocations, func(r model.TrustStoreRevocation) bool { return r.ID == id })
			if i < 0 {
				return errRevocationNotFound(id)
			}
			c.Revocations = slices.Delete(c.Revocations, i, i+1)
		}
		put(t, model.KindTrustStore, t.st.TrustStores, c.ARN, c)
		return nil
	})
}

func errRevocationNotFound(id int64) error {
	return apierr.Newf("RevocationIdNotFound", "Revocation ID '%d' not found", id) // probable
}

// TrustStoreRevocations returns a trust store's revocation lists (the
// given ids, or all).
func (e *Engine) TrustStoreRevocations(arn string, ids []int64) ([]model.TrustStoreRevocation, error) {
	var out []model.TrustStoreRevocation
	var err error
	e.Read(func(st *model.State) {
		ts := st.TrustStores[arn]
		if ts == nil {
			err = errTrustStoreNotFound()
			return
		}
		if len(ids) == 0 {
			out = slices.Clone(ts.Revocations)
			return
		}
		for _, id := range ids {
			i := slices.IndexFunc(ts.Revocations, func(r model.TrustStoreRevocation) bool { return r.ID == id })
			if i < 0 {
				err = errRevocationNotFound(id)
				return
			}
			out = append(out, ts.Revocations[i])
		}
	})
	return out, err
}
