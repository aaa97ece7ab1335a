package engine

import (
	"regexp"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Amazon ECR pull through cache rules: a repository prefix of the
// account's private registry whose repositories cache an upstream
// registry (CreatePullThroughCacheRule, DescribePullThroughCacheRules,
// DeletePullThroughCacheRule).

// pullThroughPrefixRE is the API model's PullThroughCacheRuleRepositoryPrefix
// pattern (2 to 30 characters).
var pullThroughPrefixRE = regexp.MustCompile(`^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$`)

// UpstreamRegistryOf is the kind of upstream registry (the API model's
// UpstreamRegistry) a pull through cache rule's upstream registry URL
// names, "" for a registry ECR does not support (Amazon ECR User Guide,
// "Sync an upstream registry": public.ecr.aws, registry.k8s.io, quay.io,
// registry-1.docker.io, ghcr.io, *.azurecr.io, registry.gitlab.com,
// cgr.dev and another account's or region's ECR private registry).
func UpstreamRegistryOf(url string) string {
	host := strings.TrimSuffix(strings.TrimPrefix(url, "https://"), "/")
	switch {
	case host == "public.ecr.aws":
		return "ecr-public"
	case host == "registry.k8s.io":
		return "k8s"
	case host == "quay.io":
		return "quay"
	case host == "registry-1.docker.io":
		return "docker-hub"
	case host == "ghcr.io":
		return "github-container-registry"
	case strings.HasSuffix(host, ".azurecr.io"):
		return "azure-container-registry"
	case host == "registry.gitlab.com":
		return "gitlab-container-registry"
	case host == "cgr.dev":
		return "chainguard"
	case model.ECRRegistryRegion(host) != "":
		return "ecr"
	}
	return ""
}

// PullThroughCacheRuleNotFound is ECR's error for a prefix without a rule
// [probable: the exception is the API model's, the text ecsnet's].
func PullThroughCacheRuleNotFound(prefix, registry string) error {
	return apierr.Newf("PullThroughCacheRuleNotFoundException", "The pull through cache rule with prefix '%s' does not exist in the registry with id '%s'", prefix, registry)
}

// checkPullThroughPrefix applies the API model's constraints to a
// repository prefix.
func checkPullThroughPrefix(prefix string) error {
	if len(prefix) < 2 || len(prefix) > 30 || !pullThroughPrefixRE.MatchString(prefix) {
		return apierr.Newf("ValidationException", "1 validation error detected: Value '%s' at 'ecrRepositoryPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", prefix, pullThroughPrefixRE.String())
	}
	return nil
}

// CreatePullThroughCacheRule creates a rule of the account's registry.
// The upstream registry must be one ECR supports; Docker Hub, GitHub,
// Azure and GitLab need a credential (a Secrets Manager secret whose
// name begins with ecr-pullthroughcache/), another ECR registry a custom
// role; a prefix that has a rule answers
// PullThroughCacheRuleAlreadyExistsException.
func (e *Engine) CreatePullThroughCacheRule(registryID string, in model.PullThroughCacheRule) (model.PullThroughCacheRule, error) {
	if err := checkPullThroughPrefix(in.Prefix); err != nil {
		return in, err
	}
	if in.UpstreamRegistryURL == "" {
		return in, apierr.New("ValidationException", "1 validation error detected: Value null at 'upstreamRegistryUrl' failed to satisfy constraint: Member must not be null")
	}
	kind := UpstreamRegistryOf(in.UpstreamRegistryURL)
	if kind == "" {
		return in, apierr.New("UnsupportedUpstreamRegistryException", "This feature is disabled for the upstream registry that is specified.")
	}
	if in.UpstreamRegistry != "" && in.UpstreamRegistry != kind {
		return in, ecrInvalid("Invalid parameter at 'upstreamRegistry' failed to satisfy constraint: 'The upstream registry does not match the upstream registry URL'")
	}
	in.UpstreamRegistry = kind
	switch kind {
	case "docker-hub", "github-container-registry", "azure-container-registry", "gitlab-container-registry":
		if in.CredentialARN == "" {
			return in, ecrInvalid("Invalid parameter at 'credentialArn' failed to satisfy constraint: 'A credential ARN is required for the upstream registry %s'", in.UpstreamRegistryURL)
		}
	}
	if in.UpstreamPrefix == "" {
		in.UpstreamPrefix = model.PullThroughCacheRuleRoot
	} else if in.Prefix == model.PullThroughCacheRuleRoot && in.UpstreamPrefix != model.PullThroughCacheRuleRoot {
		return in, ecrInvalid("Invalid parameter at 'upstreamRepositoryPrefix' failed to satisfy constraint: 'The upstream repository prefix can only be set when the ECR repository prefix is not ROOT'")
	}
	reg := e.registry(registryID)
	if reg != e.cfg.Account {
		return in, apierr.Newf("InvalidParameterException", "Invalid parameter at 'registryId' failed to satisfy constraint: 'The registry id %s is not the caller's'", reg)
	}
	key := strings.TrimSuffix(in.Prefix, "/")
	in.Prefix = key
	err := e.write(func(t *txn) error {
		if t.st.PullThroughCacheRules[key] != nil {
			return apierr.New("PullThroughCacheRuleAlreadyExistsException", "A pull through cache rule with these settings already exists for the private registry.")
		}
		in.Created, in.Updated = t.now, t.now
		r := in
		put(t, model.KindPullThroughRule, t.st.PullThroughCacheRules, key, &r)
		return nil
	})
	return in, err
}

// DeletePullThroughCacheRule deletes the rule of a prefix and returns it.
func (e *Engine) DeletePullThroughCacheRule(registryID, prefix string) (model.PullThroughCacheRule, error) {
	var out model.PullThroughCacheRule
	if err := checkPullThroughPrefix(prefix); err != nil {
		return out, err
	}
	key := strings.TrimSuffix(prefix, "/")
	err := e.write(func(t *txn) error {
		r := t.st.PullThroughCacheRules[key]
		if r == nil || e.registry(registryID) != e.cfg.Account {
			return PullThroughCacheRuleNotFound(prefix, e.registry(registryID))
		}
		out = *r
		del(t, model.KindPullThroughRule, t.st.PullThroughCacheRules, key)
		return nil
	})
	return out, err
}

// PullThroughCacheRules returns the rules of the prefixes given (every
// rule when none is given), or the not-found error of the first prefix
// without a rule.
func (e *Engine) PullThroughCacheRules(registryID string, prefixes []string) ([]model.PullThroughCacheRule, error) {
	var out []model.PullThroughCacheRule
	var err error
	reg := e.registry(registryID)
	e.Read(func(st *model.State) {
		if len(prefixes) == 0 {
			if reg != e.cfg.Account {
				return
			}
			for _, r := range st.PullThroughCacheRules {
				out = append(out, *r)
			}
			return
		}
		for _, p := range prefixes {
			if err = checkPullThroughPrefix(p); err != nil {
				return
			}
			r := st.PullThroughCacheRules[strings.TrimSuffix(p, "/")]
			if r == nil || reg != e.cfg.Account {
				err = PullThroughCacheRuleNotFound(p, reg)
				return
			}
			out = append(out, *r)
		}
	})
	return out, err
}
