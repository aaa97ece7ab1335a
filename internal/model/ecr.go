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

// ECRRegistryRegion returns the region of an ECR private registry host
// (ACCOUNT.dkr.ecr.REGION.amazonaws.com, its FIPS form dkr.ecr-fips, or
// ….amazonaws.com.cn), "" for other hosts.
func ECRRegistryRegion(host string) string {
	_, rest, ok := strings.Cut(host, ".dkr.ecr.")
	if !ok {
		if _, rest, ok = strings.Cut(host, ".dkr.ecr-fips."); !ok {
			return ""
		}
	}
	for _, suffix := range [...]string{".amazonaws.com", ".amazonaws.com.cn"} {
		if r, ok := strings.CutSuffix(rest, suffix); ok && r != "" && !strings.Contains(r, ".") {
			return r
		}
	}
	return ""
}
