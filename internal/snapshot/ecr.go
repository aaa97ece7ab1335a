package snapshot

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon ECR in a snapshot (format thirty-six; both collectors):
//
//	ecr-describe-repositories.json   aws ecr describe-repositories (every page)
//	ecr-describe-images.json         aws ecr describe-images, every repository's
//	                                 (every page), merged under "imageDetails"
//
// An image of the account's own registry in the snapshot's region is
// pulled from a repository of the state's (reach: a state that holds
// repositories and none of the image's name answers 404, name unknown;
// a repository that records images and none with the image's tag answers
// 404, manifest unknown). Without the files the state holds no repository
// and every image of the registry is taken to exist, as before. Each
// image detail names its repository (repositoryName), so the images of
// every repository share one file. Pull-through cache rules and
// replication are not modelled; a repository's tags and lifecycle policy
// are not read (the analyzer's pull does not use them).
//
//	ecr-get-repository-policy.json   aws ecr get-repository-policy, every
//	                                 repository's (those without a policy
//	                                 answer RepositoryPolicyNotFoundException
//	                                 and are left out), merged under
//	                                 "repositoryPolicies"
//
// A repository's policy is kept as its text (model.Repository.Policy); a
// snapshot without the file holds repositories without policies.
//
//	ecr-describe-pull-through-cache-rules.json   aws ecr describe-pull-through-cache-rules
//	                                             (every page; format thirty-eight)
//
// A pull through cache rule makes the repositories under its prefix
// (every repository no other rule covers, for ROOT) caches of an upstream
// registry: an image of such a repository is an ECR pull whose repository
// and tag need not exist yet (ECR creates the one and fetches the other
// on the first pull). A snapshot without the file holds no rule.

// ECRRepositoriesFileName and ECRImagesFileName are the files of
// describe-repositories' and every repository's describe-images output.
const (
	ECRRepositoriesFileName = "ecr-describe-repositories.json"
	ECRImagesFileName       = "ecr-describe-images.json"
	// ECRPoliciesFileName is the repositories' get-repository-policy
	// output, merged.
	ECRPoliciesFileName = "ecr-get-repository-policy.json"
	// ECRPullThroughFileName is describe-pull-through-cache-rules'
	// output.
	ECRPullThroughFileName = "ecr-describe-pull-through-cache-rules.json"
)

// ecrPolicy is get-repository-policy's output.
type ecrPolicy struct {
	RegistryId     string `json:"registryId,omitempty"`
	RepositoryName string `json:"repositoryName"`
	PolicyText     string `json:"policyText"`
}

// ecrPullThrough is describe-pull-through-cache-rules' PullThroughCacheRule.
type ecrPullThrough struct {
	EcrRepositoryPrefix      string  `json:"ecrRepositoryPrefix"`
	UpstreamRegistryUrl      string  `json:"upstreamRegistryUrl"`
	CreatedAt                awsTime `json:"createdAt"`
	UpdatedAt                awsTime `json:"updatedAt"`
	RegistryId               string  `json:"registryId,omitempty"`
	CredentialArn            string  `json:"credentialArn,omitempty"`
	CustomRoleArn            string  `json:"customRoleArn,omitempty"`
	UpstreamRepositoryPrefix string  `json:"upstreamRepositoryPrefix,omitempty"`
	UpstreamRegistry         string  `json:"upstreamRegistry,omitempty"`
}

// ecrRepository is describe-repositories' Repository.
type ecrRepository struct {
	RepositoryArn                      string  `json:"repositoryArn,omitempty"`
	RegistryId                         string  `json:"registryId,omitempty"`
	RepositoryName                     string  `json:"repositoryName"`
	RepositoryUri                      string  `json:"repositoryUri,omitempty"`
	CreatedAt                          awsTime `json:"createdAt"`
	ImageTagMutability                 string  `json:"imageTagMutability,omitempty"`
	ImageTagMutabilityExclusionFilters []struct {
		FilterType string `json:"filterType"`
		Filter     string `json:"filter"`
	} `json:"imageTagMutabilityExclusionFilters,omitempty"`
	ImageScanningConfiguration *struct {
		ScanOnPush bool `json:"scanOnPush"`
	} `json:"imageScanningConfiguration,omitempty"`
	EncryptionConfiguration *struct {
		EncryptionType string `json:"encryptionType"`
		KmsKey         string `json:"kmsKey,omitempty"`
	} `json:"encryptionConfiguration,omitempty"`
}

// ecrImage is describe-images' ImageDetail.
type ecrImage struct {
	RegistryId             string   `json:"registryId,omitempty"`
	RepositoryName         string   `json:"repositoryName"`
	ImageDigest            string   `json:"imageDigest"`
	ImageTags              []string `json:"imageTags,omitempty"`
	ImageSizeInBytes       flexInt  `json:"imageSizeInBytes"`
	ImagePushedAt          awsTime  `json:"imagePushedAt"`
	ImageManifestMediaType string   `json:"imageManifestMediaType,omitempty"`
	ArtifactMediaType      string   `json:"artifactMediaType,omitempty"`
}

// dispatchECR reads describe-repositories' repositories and
// describe-images' imageDetails.
func (rd *regionData) dispatchECR(f *fileInfo, data []byte, m member) (ok, handled bool) {
	switch m.key {
	case "repositories":
		return decodeList(rd, f, data, m, &rd.ecrRepos), true
	case "imageDetails":
		return decodeList(rd, f, data, m, &rd.ecrImages), true
	case "repositoryPolicies":
		return decodeList(rd, f, data, m, &rd.ecrPolicies), true
	case "pullThroughCacheRules":
		return decodeList(rd, f, data, m, &rd.ecrPullThrough), true
	}
	return true, false
}

// ecr puts the repositories and their images into the state.
func (b *builder) ecr() {
	for _, it := range b.rd.ecrRepos {
		x := it.v
		if x.RepositoryName == "" {
			b.rd.warn(it.at.warning(CodeBadValue, x.RepositoryArn, "a repository without a repositoryName skipped"))
			continue
		}
		if x.RegistryId != "" && b.st.Account != "" && x.RegistryId != b.st.Account {
			continue // another account's registry: not the one the state's images name as its own
		}
		r := &model.Repository{Name: x.RepositoryName, Created: x.CreatedAt.Time, TagMutability: cmp.Or(x.ImageTagMutability, "MUTABLE"), EncryptionType: "AES256"}
		for _, f := range x.ImageTagMutabilityExclusionFilters {
			r.MutabilityExclusions = append(r.MutabilityExclusions, f.Filter)
		}
		if s := x.ImageScanningConfiguration; s != nil {
			r.ScanOnPush = s.ScanOnPush
		}
		if e := x.EncryptionConfiguration; e != nil {
			r.EncryptionType, r.KMSKey = cmp.Or(e.EncryptionType, "AES256"), e.KmsKey
		}
		b.st.Repositories[r.Name] = r
	}
	for _, it := range b.rd.ecrImages {
		x := it.v
		r := b.st.Repositories[x.RepositoryName]
		if r == nil || x.ImageDigest == "" {
			continue
		}
		r.Images = append(r.Images, model.RepositoryImage{Digest: x.ImageDigest, Tags: slices.Clone(x.ImageTags), MediaType: x.ImageManifestMediaType,
			ArtifactMediaType: x.ArtifactMediaType, Size: x.ImageSizeInBytes.V, Pushed: x.ImagePushedAt.Time})
	}
	for _, it := range b.rd.ecrPolicies {
		if r := b.st.Repositories[it.v.RepositoryName]; r != nil {
			r.Policy = it.v.PolicyText
		}
	}
	for _, it := range b.rd.ecrPullThrough {
		x := it.v
		if x.EcrRepositoryPrefix == "" {
			b.rd.warn(it.at.warning(CodeBadValue, x.UpstreamRegistryUrl, "a pull through cache rule without an ecrRepositoryPrefix skipped"))
			continue
		}
		if x.RegistryId != "" && b.st.Account != "" && x.RegistryId != b.st.Account {
			continue
		}
		// ECR takes a prefix with or without its trailing "/" alike.
		prefix := strings.TrimSuffix(x.EcrRepositoryPrefix, "/")
		b.st.PullThroughCacheRules[prefix] = &model.PullThroughCacheRule{Prefix: prefix, UpstreamRegistryURL: x.UpstreamRegistryUrl,
			UpstreamRegistry: x.UpstreamRegistry, UpstreamPrefix: cmp.Or(x.UpstreamRepositoryPrefix, model.PullThroughCacheRuleRoot),
			CredentialARN: x.CredentialArn, CustomRoleARN: x.CustomRoleArn, Created: x.CreatedAt.Time, Updated: x.UpdatedAt.Time}
	}
	for _, r := range b.st.Repositories {
		// describe-images answers in no set order: the images in the
		// order they were pushed, as the repository records them.
		slices.SortStableFunc(r.Images, func(a, b model.RepositoryImage) int { return a.Pushed.Compare(b.Pushed) })
	}
}

// ecrFiles writes the state's repositories and their images as
// describe-repositories and describe-images print them (empty lists for a
// state without any: the snapshot says it has none, as a collector's
// does).
func (w *writer) ecrFiles(files map[string]any) {
	repos, images := []any{}, []any{}
	for _, r := range sortedValues(w.st.Repositories) {
		x := map[string]any{"repositoryArn": engine.RepositoryARN(w.st.Region, w.st.Account, r.Name), "registryId": w.st.Account,
			"repositoryName": r.Name, "repositoryUri": engine.RepositoryURI(w.st.Region, w.st.Account, r.Name),
			"createdAt": awsTime{r.Created}, "imageTagMutability": r.TagMutability,
			"imageScanningConfiguration": map[string]any{"scanOnPush": r.ScanOnPush}}
		enc := map[string]any{"encryptionType": r.EncryptionType}
		if r.KMSKey != "" {
			enc["kmsKey"] = r.KMSKey
		}
		x["encryptionConfiguration"] = enc
		if len(r.MutabilityExclusions) > 0 {
			var fs []any
			for _, f := range r.MutabilityExclusions {
				fs = append(fs, map[string]any{"filterType": "WILDCARD", "filter": f})
			}
			x["imageTagMutabilityExclusionFilters"] = fs
		}
		repos = append(repos, x)
		for _, im := range r.Images {
			d := map[string]any{"registryId": w.st.Account, "repositoryName": r.Name, "imageDigest": im.Digest, "imageSizeInBytes": im.Size,
				"imagePushedAt": awsTime{im.Pushed}, "imageManifestMediaType": im.MediaType}
			if len(im.Tags) > 0 {
				d["imageTags"] = im.Tags
			}
			if im.ArtifactMediaType != "" {
				d["artifactMediaType"] = im.ArtifactMediaType
			}
			images = append(images, d)
		}
	}
	policies := []any{}
	for _, r := range sortedValues(w.st.Repositories) {
		if r.Policy != "" {
			policies = append(policies, ecrPolicy{RegistryId: w.st.Account, RepositoryName: r.Name, PolicyText: r.Policy})
		}
	}
	files[ECRPoliciesFileName] = map[string]any{"repositoryPolicies": policies}
	rules := []any{}
	for _, r := range sortedValues(w.st.PullThroughCacheRules) {
		rules = append(rules, ecrPullThrough{EcrRepositoryPrefix: r.Prefix, UpstreamRegistryUrl: r.UpstreamRegistryURL, CreatedAt: awsTime{r.Created},
			UpdatedAt: awsTime{r.Updated}, RegistryId: w.st.Account, CredentialArn: r.CredentialARN, CustomRoleArn: r.CustomRoleARN,
			UpstreamRepositoryPrefix: r.UpstreamPrefix, UpstreamRegistry: r.UpstreamRegistry})
	}
	files[ECRPullThroughFileName] = map[string]any{"pullThroughCacheRules": rules}
	files[ECRRepositoriesFileName] = map[string]any{"repositories": repos}
	files[ECRImagesFileName] = map[string]any{"imageDetails": images}
}
