package engine

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon ECR: the private repositories of the account's registry in the
// engine's region, their policies, tags and the images PutImage records.
// Layers are not kept (docker push and pull are outside the API).

// repositoryNameRE is ECR's RepositoryName pattern (the botocore model's:
// path components of lowercase letters and digits joined by ".", "_", "__"
// or dashes, separated by "/").
var repositoryNameRE = regexp.MustCompile(`^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$`)

// imageTagFilterRE is an image tag mutability exclusion filter.
var imageTagFilterRE = regexp.MustCompile(`^[0-9a-zA-Z._*-]{1,128}$`)

func ecrInvalid(format string, args ...any) error {
	return apierr.Newf("InvalidParameterException", format, args...)
}

// CheckRepositoryName applies ECR's rules to a repository name, with
// ECR's texts (2 to 256 characters, the pattern; ECR's message quotes its
// older pattern).
func CheckRepositoryName(name string) error {
	switch {
	case len(name) < 2:
		return ecrInvalid("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'")
	case len(name) > 256:
		return ecrInvalid("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length less than or equal to 256'")
	case !repositoryNameRE.MatchString(name):
		return ecrInvalid("Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''")
	}
	return nil
}

// RepositoryARN is a repository's ARN.
func RepositoryARN(region, account, name string) string {
	return "arn:" + model.Partition(region) + ":ecr:" + region + ":" + account + ":repository/" + name
}

// RegistryHost is the host of an account's private registry in a region.
func RegistryHost(region, account string) string {
	return account + ".dkr.ecr." + region + "." + model.DNSSuffix(region)
}

// RepositoryURI is a repository's URI, what images name.
func RepositoryURI(region, account, name string) string {
	return RegistryHost(region, account) + "/" + name
}

// RepositoryOfARN returns the region, account and name of a repository
// ARN.
func RepositoryOfARN(arn string) (region, account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "ecr" {
		return "", "", "", false
	}
	name, ok = strings.CutPrefix(parts[5], "repository/")
	return parts[3], parts[4], name, ok && name != ""
}

// registry is the registry id a request names: the account's by default.
func (e *Engine) registry(id string) string {
	if id == "" {
		return e.cfg.Account
	}
	return id
}

func repositoryNotFound(name, registry string) error {
	return apierr.Newf("RepositoryNotFoundException", "The repository with name '%s' does not exist in the registry with id '%s'", name, registry)
}

// Repository returns the named repository of a registry (the account's
// when registryID is ""), or ECR's error.
func (e *Engine) Repository(st *model.State, registryID, name string) (*model.Repository, error) {
	if err := CheckRepositoryName(name); err != nil {
		return nil, err
	}
	reg := e.registry(registryID)
	r := st.Repositories[name]
	if r == nil || reg != e.cfg.Account {
		return nil, repositoryNotFound(name, reg)
	}
	return r, nil
}

// CreateRepositoryInput is CreateRepository's input.
type CreateRepositoryInput struct {
	RegistryID, Name     string
	TagMutability        string
	MutabilityExclusions []string
	ScanOnPush           bool
	EncryptionType       string
	KMSKey               string
	Tags                 model.Tags
}

func checkTagMutability(mut string, excl []string) error {
	switch mut {
	case "MUTABLE", "IMMUTABLE":
		if len(excl) > 0 {
			return ecrInvalid("Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'exclusion filters are only allowed when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'")
		}
	case "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION":
		if len(excl) == 0 {
			return ecrInvalid("Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'exclusion filters are required when imageTagMutability is %s'", mut)
		}
	default:
		return ecrInvalid("Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]'")
	}
	for _, f := range excl {
		if !imageTagFilterRE.MatchString(f) {
			return ecrInvalid("Invalid parameter at 'filter' failed to satisfy constraint: 'must satisfy regular expression '^[0-9a-zA-Z._*-]{1,128}$''")
		}
	}
	return nil
}

func checkECRTags(tags model.Tags) error {
	if len(tags) > MaxTagsPerResource {
		return apierr.New("TooManyTagsException", "Tag limit exceeded: a resource can have at most 50 tags.")
	}
	for k, v := range tags {
		if k == "" || len(k) > MaxTagKeyLen || len(v) > MaxTagValueLen {
			return apierr.New("InvalidTagParameterException", "Invalid tag: keys must be 1 to 128 characters long and values at most 256.")
		}
	}
	return nil
}

// CreateRepository creates a repository: MUTABLE tags, no scan on push
// and AES256 encryption unless asked otherwise.
func (e *Engine) CreateRepository(in CreateRepositoryInput) (*model.Repository, error) {
	if err := CheckRepositoryName(in.Name); err != nil {
		return nil, err
	}
	if in.RegistryID != "" && in.RegistryID != e.cfg.Account {
		return nil, ecrInvalid("Invalid parameter at 'registryId' failed to satisfy constraint: 'registry id must be the caller's account id'")
	}
	if in.TagMutability == "" {
		in.TagMutability = "MUTABLE"
	}
	if err := checkTagMutability(in.TagMutability, in.MutabilityExclusions); err != nil {
		return nil, err
	}
	switch in.EncryptionType {
	case "":
		in.EncryptionType = "AES256"
		fallthrough
	case "AES256":
		if in.KMSKey != "" {
			return nil, ecrInvalid("Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey can be specified only when encryptionType is KMS or KMS_DSSE'")
		}
	case "KMS", "KMS_DSSE":
		if in.KMSKey == "" {
			// The AWS managed key for ECR (alias aws/ecr), answered by
			// its key ARN as KMS resolves it.
			in.KMSKey = awsManagedKeyARN(e.cfg.Region, e.cfg.Account, "aws/ecr")
		}
	default:
		return nil, ecrInvalid("Invalid parameter at 'encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [AES256, KMS, KMS_DSSE]'")
	}
	if err := checkECRTags(in.Tags); err != nil {
		return nil, err
	}
	var out *model.Repository
	err := e.write(func(t *txn) error {
		if t.st.Repositories[in.Name] != nil {
			return apierr.Newf("RepositoryAlreadyExistsException", "The repository with name '%s' already exists in the registry with id '%s'", in.Name, e.cfg.Account)
		}
		out = &model.Repository{Name: in.Name, Created: t.now, TagMutability: in.TagMutability,
			MutabilityExclusions: slices.Clone(in.MutabilityExclusions), ScanOnPush: in.ScanOnPush,
			EncryptionType: in.EncryptionType, KMSKey: in.KMSKey, Tags: in.Tags.Clone()}
		put(t, model.KindRepository, t.st.Repositories, out.Name, out)
		return nil
	})
	return out, err
}

// DeleteRepository deletes a repository; one holding images only with
// force, which deletes them too.
func (e *Engine) DeleteRepository(registryID, name string, force bool) (*model.Repository, error) {
	var out *model.Repository
	err := e.write(func(t *txn) error {
		r, err := e.Repository(t.st, registryID, name)
		if err != nil {
			return err
		}
		if len(r.Images) > 0 && !force {
			return apierr.Newf("RepositoryNotEmptyException",
				"The repository with name '%s' in registry with id '%s' cannot be deleted because it still contains images", name, e.cfg.Account)
		}
		out = r
		del(t, model.KindRepository, t.st.Repositories, name)
		return nil
	})
	return out, err
}

// changeRepository applies fn to a copy of the named repository and
// stores it.
func (e *Engine) changeRepository(registryID, name string, fn func(r *model.Repository, now time.Time) error) error {
	return e.write(func(t *txn) error {
		old, err := e.Repository(t.st, registryID, name)
		if err != nil {
			return err
		}
		r := *old
		r.Tags = old.Tags.Clone()
		r.MutabilityExclusions = slices.Clone(old.MutabilityExclusions)
		r.Images = slices.Clone(old.Images)
		if err := fn(&r, t.now); err != nil {
			return err
		}
		put(t, model.KindRepository, t.st.Repositories, name, &r)
		return nil
	})
}

// PutImageTagMutability sets a repository's tag mutability.
func (e *Engine) PutImageTagMutability(registryID, name, mutability string, exclusions []string) error {
	if err := checkTagMutability(mutability, exclusions); err != nil {
		return err
	}
	return e.changeRepository(registryID, name, func(r *model.Repository, _ time.Time) error {
		r.TagMutability, r.MutabilityExclusions = mutability, slices.Clone(exclusions)
		return nil
	})
}

// PutImageScanningConfiguration sets a repository's scan on push.
func (e *Engine) PutImageScanningConfiguration(registryID, name string, scanOnPush bool) error {
	return e.changeRepository(registryID, name, func(r *model.Repository, _ time.Time) error {
		r.ScanOnPush = scanOnPush
		return nil
	})
}

// checkLifecyclePolicy checks a lifecycle policy's shape: a JSON object
// whose rules each have a rulePriority, a selection and an action.
func checkLifecyclePolicy(text string) error {
	var p struct {
		Rules []map[string]json.RawMessage `json:"rules"`
	}
	fail := func(why string) error {
		return ecrInvalid("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: %s'", why)
	}
	if err := json.Unmarshal([]byte(text), &p); err != nil {
		return fail("Could not map policyString into LifecyclePolicy.")
	}
	if len(p.Rules) == 0 {
		return fail("object has missing required properties ([\"rules\"])")
	}
	for _, r := range p.Rules {
		for _, k := range []string{"rulePriority", "selection", "action"} {
			if _, ok := r[k]; !ok {
				return fail(fmt.Sprintf("object has missing required properties ([\"%s\"])", k))
			}
		}
	}
	return nil
}

// PutLifecyclePolicy sets a repository's lifecycle policy. Its rules are
// kept, not applied.
func (e *Engine) PutLifecyclePolicy(registryID, name, text string) error {
	if err := checkLifecyclePolicy(text); err != nil {
		return err
	}
	return e.changeRepository(registryID, name, func(r *model.Repository, _ time.Time) error {
		r.LifecyclePolicy = text
		return nil
	})
}

// DeleteLifecyclePolicy removes a repository's lifecycle policy and
// returns it.
func (e *Engine) DeleteLifecyclePolicy(registryID, name string) (string, error) {
	var old string
	err := e.changeRepository(registryID, name, func(r *model.Repository, _ time.Time) error {
		if r.LifecyclePolicy == "" {
			return LifecyclePolicyNotFound(r.Name, e.cfg.Account)
		}
		old, r.LifecyclePolicy = r.LifecyclePolicy, ""
		return nil
	})
	return old, err
}

// LifecyclePolicyNotFound is ECR's error for a repository without a
// lifecycle policy.
func LifecyclePolicyNotFound(name, registry string) error {
	return apierr.Newf("LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for the repository with name '%s' in the registry with id '%s'", name, registry)
}

// RepositoryPolicyNotFound is ECR's error for a repository without a
// repository policy.
func RepositoryPolicyNotFound(name, registry string) error {
	return apierr.Newf("RepositoryPolicyNotFoundException", "Repository policy does not exist for the repository with name '%s' in the registry with id '%s'", name, registry)
}

// SetRepositoryPolicy sets a repository's policy, which must be a JSON
// policy document with statements.
func (e *Engine) SetRepositoryPolicy(registryID, name, text string) error {
	var doc struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil || len(doc.Statement) == 0 {
		return ecrInvalid("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'")
	}
	return e.changeRepository(registryID, name, func(r *model.Repository, _ time.Time) error {
		r.Policy = text
		return nil
	})
}

// DeleteRepositoryPolicy removes a repository's policy and returns it.
func (e *Engine) DeleteRepositoryPolicy(registryID, name string) (string, error) {
	var old string
	err := e.changeRepository(registryID, name, func(r *model.Repository, _ time.Time) error {
		if r.Policy == "" {
			return RepositoryPolicyNotFound(r.Name, e.cfg.Account)
		}
		old, r.Policy = r.Policy, ""
		return nil
	})
	return old, err
}

// TagRepository adds and removes the tags of the repository an ARN names.
func (e *Engine) TagRepository(arn string, add model.Tags, remove []string) error {
	region, account, name, ok := RepositoryOfARN(arn)
	if !ok {
		return ecrInvalid("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'")
	}
	if region != e.cfg.Region || account != e.cfg.Account {
		return repositoryNotFound(name, account)
	}
	return e.changeRepository("", name, func(r *model.Repository, _ time.Time) error {
		if r.Tags == nil {
			r.Tags = model.Tags{}
		}
		maps.Copy(r.Tags, add)
		for _, k := range remove {
			delete(r.Tags, k)
		}
		return checkECRTags(r.Tags)
	})
}

// RepositoryByARN returns the repository an ARN names, or ECR's error.
func (e *Engine) RepositoryByARN(st *model.State, arn string) (*model.Repository, error) {
	region, account, name, ok := RepositoryOfARN(arn)
	if !ok {
		return nil, ecrInvalid("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'")
	}
	if region != e.cfg.Region {
		return nil, repositoryNotFound(name, account)
	}
	return e.Repository(st, account, name)
}

// ImageID names an image by digest, tag or both.
type ImageID struct{ Digest, Tag string }

// ImageFailure is why an image of a batch request was not found or not
// deleted.
type ImageFailure struct {
	ID           ImageID
	Code, Reason string
}

// FindImage returns the index of the image an id names in a repository,
// or the failure.
func FindImage(r *model.Repository, id ImageID) (int, *ImageFailure) {
	if id.Digest == "" && id.Tag == "" {
		return -1, &ImageFailure{ID: id, Code: "MissingDigestAndTag", Reason: "Invalid request parameters: both tag and digest cannot be null"}
	}
	for i, im := range r.Images {
		if id.Digest != "" && im.Digest != id.Digest {
			continue
		}
		if id.Tag != "" && !slices.Contains(im.Tags, id.Tag) {
			if id.Digest != "" {
				return -1, &ImageFailure{ID: id, Code: "ImageTagDoesNotMatchDigest", Reason: "Invalid request parameters: image tag does not match digest"}
			}
			continue
		}
		return i, nil
	}
	if id.Digest != "" && !digestRE.MatchString(id.Digest) {
		return -1, &ImageFailure{ID: id, Code: "InvalidImageDigest", Reason: "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'"}
	}
	return -1, &ImageFailure{ID: id, Code: "ImageNotFound", Reason: "Requested image not found"}
}

var digestRE = regexp.MustCompile(`^[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+$`)

// ImageNotFound is DescribeImages' error for an image id that names no
// image.
func ImageNotFound(id ImageID, name, registry string) error {
	q := func(s string) string {
		if s == "" {
			return "null"
		}
		return "'" + s + "'"
	}
	return apierr.Newf("ImageNotFoundException", "The image with imageId {imageDigest:%s, imageTag:%s} does not exist within the repository with name '%s' in the registry with id '%s'",
		q(id.Digest), q(id.Tag), name, registry)
}

// PutImageInput is PutImage's input.
type PutImageInput struct {
	RegistryID, Name string
	Manifest         string
	MediaType        string
	Tag, Digest      string
}

// awsManagedKeyARN is the key ARN of an AWS managed KMS key (alias
// aws/<service>): one key per account and region, so its id is derived
// from them and stays the same for every resource that uses it.
func awsManagedKeyARN(region, account, alias string) string {
	sum := sha256.Sum256([]byte(account + "/" + region + "/alias/" + alias))
	h := hex.EncodeToString(sum[:16])
	id := h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
	return "arn:" + model.Partition(region) + ":kms:" + region + ":" + account + ":key/" + id
}

// manifestInfo reads what DescribeImages reports from a manifest: its
// media type, the config's media type and the config's and layers' sizes.
func manifestInfo(text string) (mediaType, artifact string, size int64, ok bool) {
	var m struct {
		MediaType string `json:"mediaType"`
		Config    struct {
			MediaType string `json:"mediaType"`
			Size      int64  `json:"size"`
		} `json:"config"`
		Layers []struct {
			Size int64 `json:"size"`
		} `json:"layers"`
		Manifests []json.RawMessage `json:"manifests"`
	}
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return "", "", 0, false
	}
	size = m.Config.Size
	for _, l := range m.Layers {
		size += l.Size
	}
	return m.MediaType, m.Config.MediaType, size, true
}

// tagImmutable reports whether a repository keeps a tag from being moved.
func tagImmutable(r *model.Repository, tag string) bool {
	matched := slices.ContainsFunc(r.MutabilityExclusions, func(f string) bool { ok, _ := path.Match(f, tag); return ok })
	switch r.TagMutability {
	case "IMMUTABLE":
		return true
	case "IMMUTABLE_WITH_EXCLUSION":
		return !matched
	case "MUTABLE_WITH_EXCLUSION":
		return matched
	}
	return false
}

// PutImage records an image (docker push's last step): its manifest by
// digest, with a tag. A tag on another image moves here unless the
// repository's tags are immutable.
func (e *Engine) PutImage(in PutImageInput) (model.RepositoryImage, error) {
	var out model.RepositoryImage
	mediaType, artifact, size, ok := manifestInfo(in.Manifest)
	if !ok {
		return out, ecrInvalid("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")
	}
	if in.MediaType != "" {
		if mediaType != "" && mediaType != in.MediaType {
			return out, ecrInvalid("Invalid parameter at 'imageManifestMediaType' failed to satisfy constraint: 'Manifest media type does not match the media type in the manifest'")
		}
		mediaType = in.MediaType
	}
	if mediaType == "" {
		// A manifest without mediaType needs imageManifestMediaType
		// (an OCI manifest may leave it out); ECR answers this text.
		return out, ecrInvalid("Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")
	}
	sum := sha256.Sum256([]byte(in.Manifest))
	digest := "sha256:" + hex.EncodeToString(sum[:])
	if in.Digest != "" && in.Digest != digest {
		return out, apierr.Newf("ImageDigestDoesNotMatchException", "Invalid parameter at 'imageDigest' failed to satisfy constraint: 'Image digest %s does not match the digest of the manifest %s'", in.Digest, digest)
	}
	err := e.changeRepository(in.RegistryID, in.Name, func(r *model.Repository, now time.Time) error {
		at := slices.IndexFunc(r.Images, func(im model.RepositoryImage) bool { return im.Digest == digest })
		if at >= 0 && (in.Tag == "" || slices.Contains(r.Images[at].Tags, in.Tag)) {
			tag := ""
			if in.Tag != "" {
				tag = " and tag '" + in.Tag + "'"
			}
			return apierr.Newf("ImageAlreadyExistsException", "Image with digest '%s'%s already exists in the repository with name '%s' in registry with id '%s'",
				digest, tag, r.Name, e.cfg.Account)
		}
		if in.Tag != "" {
			for i := range r.Images {
				if i == at || !slices.Contains(r.Images[i].Tags, in.Tag) {
					continue
				}
				if tagImmutable(r, in.Tag) {
					return apierr.Newf("ImageTagAlreadyExistsException", "The image tag '%s' already exists in the '%s' repository and cannot be overwritten because the tag is immutable.", in.Tag, r.Name)
				}
				im := r.Images[i]
				im.Tags = slices.DeleteFunc(slices.Clone(im.Tags), func(t string) bool { return t == in.Tag })
				r.Images[i] = im
			}
		}
		if at < 0 {
			r.Images = append(r.Images, model.RepositoryImage{Digest: digest, Manifest: in.Manifest, MediaType: mediaType,
				ArtifactMediaType: artifact, Size: size, Pushed: now})
			at = len(r.Images) - 1
		}
		im := r.Images[at]
		if in.Tag != "" {
			im.Tags = append(slices.Clone(im.Tags), in.Tag)
		}
		r.Images[at] = im
		out = im
		return nil
	})
	return out, err
}

// BatchDeleteImage deletes images: by digest an image and its tags, by
// tag the tag alone, and the image with its last tag. It returns the ids
// deleted and the failures.
func (e *Engine) BatchDeleteImage(registryID, name string, ids []ImageID) ([]ImageID, []ImageFailure, error) {
	var deleted []ImageID
	var failures []ImageFailure
	err := e.changeRepository(registryID, name, func(r *model.Repository, _ time.Time) error {
		deleted, failures = nil, nil
		for _, id := range ids {
			i, f := FindImage(r, id)
			if f != nil {
				failures = append(failures, *f)
				continue
			}
			im := r.Images[i]
			if id.Digest == "" && len(im.Tags) > 1 {
				im.Tags = slices.DeleteFunc(slices.Clone(im.Tags), func(t string) bool { return t == id.Tag })
				r.Images[i] = im
				deleted = append(deleted, ImageID{Digest: im.Digest, Tag: id.Tag})
				continue
			}
			if len(im.Tags) == 0 {
				deleted = append(deleted, ImageID{Digest: im.Digest})
			}
			for _, t := range im.Tags {
				deleted = append(deleted, ImageID{Digest: im.Digest, Tag: t})
			}
			r.Images = slices.Delete(r.Images, i, i+1)
		}
		return nil
	})
	return deleted, failures, err
}

// AuthorizationToken is GetAuthorizationToken's answer for one registry:
// a base64 "AWS:password" token valid for 12 hours.
// The password is random (crypto/rand): nothing checks it.
func (e *Engine) AuthorizationToken() (password string, expires time.Time) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b), e.Now().Add(12 * time.Hour)
}

var scanningFilterRE = regexp.MustCompile(`^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`)

// PutRegistryScanningConfiguration replaces the registry's scanning
// configuration; no scan type is BASIC. The members are checked against
// the API model (enums, at most two rules of at most 100 WILDCARD filters
// each) with ECR's ValidationException.
func (e *Engine) PutRegistryScanningConfiguration(in model.RegistryScanningConfiguration, filterTypes [][]string) (model.RegistryScanningConfiguration, error) {
	invalid := func(value, at, constraint string) error {
		return apierr.Newf("ValidationException", "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, at, constraint)
	}
	if in.ScanType == "" {
		in.ScanType = "BASIC"
	}
	if in.ScanType != "BASIC" && in.ScanType != "ENHANCED" {
		return in, invalid(in.ScanType, "scanType", "Member must satisfy enum value set: [BASIC, ENHANCED]")
	}
	if len(in.Rules) > 2 {
		return in, apierr.Newf("ValidationException", "1 validation error detected: Value at 'rules' failed to satisfy constraint: Member must have length less than or equal to 2")
	}
	for i, r := range in.Rules {
		switch r.ScanFrequency {
		case "SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL":
		default:
			return in, invalid(r.ScanFrequency, fmt.Sprintf("rules.%d.member.scanFrequency", i+1), "Member must satisfy enum value set: [SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL]")
		}
		if len(r.Filters) > 100 {
			return in, apierr.Newf("ValidationException", "1 validation error detected: Value at 'rules.%d.member.repositoryFilters' failed to satisfy constraint: Member must have length less than or equal to 100", i+1)
		}
		for j, f := range r.Filters {
			if len(f) < 1 || len(f) > 255 || !scanningFilterRE.MatchString(f) {
				return in, invalid(f, fmt.Sprintf("rules.%d.member.repositoryFilters.%d.member.filter", i+1, j+1), `Member must satisfy regular expression pattern: ^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$`)
			}
			if ft := filterTypes[i][j]; ft != "WILDCARD" {
				return in, invalid(ft, fmt.Sprintf("rules.%d.member.repositoryFilters.%d.member.filterType", i+1, j+1), "Member must satisfy enum value set: [WILDCARD]")
			}
		}
	}
	out := model.RegistryScanningConfiguration{ScanType: in.ScanType}
	for _, r := range in.Rules {
		out.Rules = append(out.Rules, model.RegistryScanningRule{ScanFrequency: r.ScanFrequency, Filters: slices.Clone(r.Filters)})
	}
	err := e.write(func(t *txn) error {
		c := out
		put(t, model.KindRegistryScanning, t.st.RegistryScanning, model.RegistryScanningKey, &c)
		return nil
	})
	return out, err
}

// RegistryScanningConfiguration is the registry's scanning configuration:
// BASIC with no rules until one is put.
func (e *Engine) RegistryScanningConfiguration() model.RegistryScanningConfiguration {
	out := model.RegistryScanningConfiguration{ScanType: "BASIC"}
	e.Read(func(st *model.State) {
		if c := st.RegistryScanning[model.RegistryScanningKey]; c != nil {
			out = *c
		}
	})
	return out
}
