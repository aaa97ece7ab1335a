package model

import (
	"strings"
	"time"
)

// Repository is an Amazon ECR private repository of the account's registry
// in the state's region. Task definitions name it in their images as
// ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME[:TAG].
type Repository struct {
	Name    string
	Created time.Time
	// TagMutability is MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION or
	// MUTABLE_WITH_EXCLUSION; MutabilityExclusions are the wildcard
	// filters of the last two.
	TagMutability        string
	MutabilityExclusions []string
	ScanOnPush           bool
	// EncryptionType is AES256, KMS or KMS_DSSE; KMSKey the key of the
	// last two.
	EncryptionType string
	KMSKey         string
	Tags           Tags
	// LifecyclePolicy and Policy are the JSON texts of the lifecycle
	// policy and the repository policy, "" when there is none.
	LifecyclePolicy string
	Policy          string
	// Images are the images recorded with PutImage (docker push is outside
	// the API), in the order they were pushed.
	Images []RepositoryImage
}

// RepositoryImage is one image of a repository: a manifest, by digest,
// and the tags that point at it.
type RepositoryImage struct {
	Digest    string // sha256:… of the manifest
	Tags      []string
	Manifest  string
	MediaType string // the manifest's media type
	// ArtifactMediaType is the config's media type, Size the config's and
	// layers' sizes the manifest lists.
	ArtifactMediaType string
	Size              int64
	Pushed            time.Time
}

// RegistryScanningKey is the key of the one RegistryScanningConfiguration
// of a State (State.RegistryScanning).
const RegistryScanningKey = "registry"

// RegistryScanningConfiguration is a private registry's scanning
// configuration (PutRegistryScanningConfiguration).
type RegistryScanningConfiguration struct {
	ScanType string // BASIC or ENHANCED
	Rules    []RegistryScanningRule
}

// RegistryScanningRule is one rule: how often the repositories its
// WILDCARD filters match are scanned.
type RegistryScanningRule struct {
	ScanFrequency string // SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL
	Filters       []string
}

// ECRRegistryRegion returns the region of an ECR private registry host,
// "" for other hosts: the IPv4-only name ACCOUNT.dkr.ecr.REGION.amazonaws.com
// (its FIPS form dkr.ecr-fips, ….amazonaws.com.cn in China) and the
// dual-stack name ACCOUNT.dkr-ecr.REGION.on.aws (dkr-ecr-fips, and
// ….on.amazonwebservices.com.cn in China), which name the same registry.
func ECRRegistryRegion(host string) string {
	region, _ := ecrRegistry(host)
	return region
}

// ECRDualStack reports whether host is an ECR private registry's
// dual-stack name (ACCOUNT.dkr-ecr.REGION.on.aws), which answers over IPv4
// and IPv6 (Amazon ECR User Guide, "Making requests to Amazon ECR
// registries": "For making requests from an IPv6 network, use a
// dual-stack endpoint").
func ECRDualStack(host string) bool {
	region, dual := ecrRegistry(host)
	return region != "" && dual
}

// ECRDualStackHost is the dual-stack name of an account's ECR private
// registry in a region: ACCOUNT.dkr-ecr.REGION.on.aws
// (on.amazonwebservices.com.cn in China, as the kubelet's ECR credential
// provider matches it: *.dkr-ecr.*.on.amazonwebservices.com.cn).
func ECRDualStackHost(account, region string) string {
	suffix := ".on.aws"
	if strings.HasPrefix(region, "cn-") {
		suffix = ".on.amazonwebservices.com.cn"
	}
	return account + ".dkr-ecr." + region + suffix
}

// ecrRegistry parses an ECR private registry host: its region ("" when
// host is none) and whether it is the dual-stack name.
func ecrRegistry(host string) (region string, dualStack bool) {
	for _, form := range [...]struct {
		infix    string
		suffixes []string
		dual     bool
	}{
		{".dkr.ecr.", []string{".amazonaws.com", ".amazonaws.com.cn"}, false},
		{".dkr.ecr-fips.", []string{".amazonaws.com"}, false},
		{".dkr-ecr.", []string{".on.aws", ".on.amazonwebservices.com.cn"}, true},
		{".dkr-ecr-fips.", []string{".on.aws"}, true},
	} {
		_, rest, ok := strings.Cut(host, form.infix)
		if !ok {
			continue
		}
		for _, suffix := range form.suffixes {
			if r, ok := strings.CutSuffix(rest, suffix); ok && r != "" && !strings.Contains(r, ".") {
				return r, form.dual
			}
		}
	}
	return "", false
}

// PullThroughCacheRule is a pull through cache rule of the account's
// private registry: the repositories whose names begin with Prefix and a
// "/" (every repository no other rule covers when Prefix is ROOT) are
// caches of an upstream registry. A pull of such a repository's image is
// an ECR pull: ECR creates the repository on the first pull and fetches
// the image from the upstream registry itself (Amazon ECR User Guide,
// "Sync an upstream registry with an Amazon ECR private registry").
type PullThroughCacheRule struct {
	Prefix string // the ECR repository prefix, or ROOT
	// UpstreamRegistryURL is the upstream registry (public.ecr.aws,
	// registry-1.docker.io, …); UpstreamRegistry its kind (ecr-public,
	// docker-hub, …); UpstreamPrefix the upstream repository prefix
	// (ROOT: every upstream repository).
	UpstreamRegistryURL string
	UpstreamRegistry    string
	UpstreamPrefix      string
	// CredentialARN is the Secrets Manager secret of the upstream
	// registry's credentials, CustomRoleARN the role of an ECR to ECR
	// rule; "" when there is none.
	CredentialARN string
	CustomRoleARN string
	Created       time.Time
	Updated       time.Time
}

// PullThroughCacheRuleRoot is the prefix of the rule that covers every
// repository no other rule covers.
const PullThroughCacheRuleRoot = "ROOT"

// PullThroughCacheRuleOf returns the rule that covers a repository name:
// the rule of the longest prefix the name begins with (followed by "/"),
// else the ROOT rule; nil when none does.
func (s *State) PullThroughCacheRuleOf(repository string) *PullThroughCacheRule {
	var best *PullThroughCacheRule
	for prefix, r := range s.PullThroughCacheRules {
		p := strings.TrimSuffix(prefix, "/")
		if prefix == PullThroughCacheRuleRoot || !strings.HasPrefix(repository, p+"/") {
			continue
		}
		if best == nil || len(p) > len(strings.TrimSuffix(best.Prefix, "/")) {
			best = r
		}
	}
	if best == nil {
		best = s.PullThroughCacheRules[PullThroughCacheRuleRoot]
	}
	return best
}
