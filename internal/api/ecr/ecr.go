// Package ecr serves Amazon Elastic Container Registry (AWS JSON 1.1) as far
// as ECS configurations use it: repositories (tag mutability, scanning,
// lifecycle and repository policies, tags), registry auth tokens, the
// images PutImage records, and pull through cache rules. A task whose image names a repository of the
// account's registry that does not exist stops with CannotPullContainerError
// once the region has any repository (internal/reach's start check).
package ecr

import (
	"encoding/base64"
	"slices"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the ECR handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("ecr", op, h) }
	add("CreateRepository", createRepository)
	add("DescribeRepositories", describeRepositories)
	add("DeleteRepository", deleteRepository)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
	add("PutImageTagMutability", putImageTagMutability)
	add("PutImageScanningConfiguration", putImageScanningConfiguration)
	add("PutLifecyclePolicy", putLifecyclePolicy)
	add("GetLifecyclePolicy", getLifecyclePolicy)
	add("DeleteLifecyclePolicy", deleteLifecyclePolicy)
	add("SetRepositoryPolicy", setRepositoryPolicy)
	add("GetRepositoryPolicy", getRepositoryPolicy)
	add("DeleteRepositoryPolicy", deleteRepositoryPolicy)
	add("GetAuthorizationToken", getAuthorizationToken)
	add("DescribeImages", describeImages)
	add("ListImages", listImages)
	add("BatchGetImage", batchGetImage)
	add("PutImage", putImage)
	add("BatchDeleteImage", batchDeleteImage)
	add("DescribeRegistry", describeRegistry)
	add("PutRegistryScanningConfiguration", putRegistryScanningConfiguration)
	add("GetRegistryScanningConfiguration", getRegistryScanningConfiguration)
	add("CreatePullThroughCacheRule", createPullThroughCacheRule)
	add("DescribePullThroughCacheRules", describePullThroughCacheRules)
	add("DeletePullThroughCacheRule", deletePullThroughCacheRule)
}

func registryID(c *api.Call) string {
	if id := c.In.String("registryId"); id != "" {
		return id
	}
	return c.Account
}

func repoOut(c *api.Call, r *model.Repository) map[string]any {
	enc := map[string]any{"encryptionType": r.EncryptionType}
	if r.KMSKey != "" {
		enc["kmsKey"] = r.KMSKey
	}
	out := map[string]any{
		"repositoryArn": engine.RepositoryARN(c.Region, c.Account, r.Name), "registryId": c.Account,
		"repositoryName": r.Name, "repositoryUri": engine.RepositoryURI(c.Region, c.Account, r.Name),
		"createdAt": r.Created, "imageTagMutability": r.TagMutability,
		"imageScanningConfiguration": map[string]any{"scanOnPush": r.ScanOnPush}, "encryptionConfiguration": enc,
	}
	if len(r.MutabilityExclusions) > 0 {
		out["imageTagMutabilityExclusionFilters"] = exclusionsOut(r.MutabilityExclusions)
	}
	return out
}

func exclusionsOut(filters []string) []map[string]any {
	out := make([]map[string]any, len(filters))
	for i, f := range filters {
		out[i] = map[string]any{"filterType": "WILDCARD", "filter": f}
	}
	return out
}

func exclusionsIn(c *api.Call) []string {
	var out []string
	for _, f := range c.In.Structs("imageTagMutabilityExclusionFilters") {
		out = append(out, f.String("filter"))
	}
	return out
}

func createRepository(c *api.Call) (map[string]any, error) {
	enc := c.In.Struct("encryptionConfiguration")
	r, err := c.Engine.CreateRepository(engine.CreateRepositoryInput{
		RegistryID: c.In.String("registryId"), Name: c.In.String("repositoryName"),
		TagMutability: c.In.String("imageTagMutability"), MutabilityExclusions: exclusionsIn(c),
		ScanOnPush:     c.In.Struct("imageScanningConfiguration").Bool("scanOnPush"),
		EncryptionType: enc.String("encryptionType"), KMSKey: enc.String("kmsKey"),
		Tags: api.KeyValues(c.In.Structs("tags"), "Key", "Value"),
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"repository": repoOut(c, r)}, nil
}

// read returns the repository a request names.
func read(c *api.Call) (*model.Repository, error) {
	var r *model.Repository
	var err error
	c.Engine.Read(func(st *model.State) {
		r, err = c.Engine.Repository(st, c.In.String("registryId"), c.In.String("repositoryName"))
	})
	return r, err
}

// maxResults reads a page size between 1 and 1000 (default 100: "If this
// parameter is not used, then … returns up to 100 results and a nextToken
// value, if applicable").
func maxResults(c *api.Call) (int, error) {
	if !c.In.Has("maxResults") {
		return 100, nil
	}
	n := c.In.Int("maxResults")
	if n < 1 || n > 1000 {
		return 0, apierr.Newf("InvalidParameterException", "Invalid parameter at 'maxResults' failed to satisfy constraint: 'must be less than or equal to 1000 and greater than or equal to 1'")
	}
	return int(n), nil
}

func invalidToken() error {
	return apierr.New("InvalidParameterException", "Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid pagination token'")
}

func describeRepositories(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("repositoryNames")
	if len(names) > 0 && (c.In.Has("maxResults") || c.In.Has("nextToken")) {
		return nil, apierr.New("InvalidParameterException", "Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'The maxResults and nextToken parameters cannot be used with repositoryNames'")
	}
	n, err := maxResults(c)
	if err != nil {
		return nil, err
	}
	var repos []*model.Repository
	c.Engine.Read(func(st *model.State) {
		if len(names) == 0 {
			if reg := registryID(c); reg != c.Account {
				return
			}
			for _, r := range st.Repositories {
				repos = append(repos, r)
			}
			return
		}
		for _, name := range names {
			r, e := c.Engine.Repository(st, c.In.String("registryId"), name)
			if e != nil {
				err = e
				return
			}
			repos = append(repos, r)
		}
	})
	if err != nil {
		return nil, err
	}
	res := map[string]any{}
	if len(names) == 0 {
		page, next, ok := api.Paginate(repos, func(r *model.Repository) string { return r.Name }, c.In.String("nextToken"), n)
		if !ok {
			return nil, invalidToken()
		}
		repos = page
		if next != "" {
			res["nextToken"] = next
		}
	}
	out := make([]map[string]any, len(repos))
	for i, r := range repos {
		out[i] = repoOut(c, r)
	}
	res["repositories"] = out
	return res, nil
}

func deleteRepository(c *api.Call) (map[string]any, error) {
	r, err := c.Engine.DeleteRepository(c.In.String("registryId"), c.In.String("repositoryName"), c.In.Bool("force"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"repository": repoOut(c, r)}, nil
}

func tagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagRepository(c.In.String("resourceArn"), api.KeyValues(c.In.Structs("tags"), "Key", "Value"), nil)
}

func untagResource(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.TagRepository(c.In.String("resourceArn"), nil, c.In.Strings("tagKeys"))
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	var r *model.Repository
	var err error
	c.Engine.Read(func(st *model.State) { r, err = c.Engine.RepositoryByARN(st, c.In.String("resourceArn")) })
	if err != nil {
		return nil, err
	}
	return map[string]any{"tags": api.TagList(r.Tags, "Key", "Value")}, nil
}

// named is the registryId and repositoryName most answers carry.
func named(c *api.Call) map[string]any {
	return map[string]any{"registryId": c.Account, "repositoryName": c.In.String("repositoryName")}
}

func putImageTagMutability(c *api.Call) (map[string]any, error) {
	mut, excl := c.In.String("imageTagMutability"), exclusionsIn(c)
	if err := c.Engine.PutImageTagMutability(c.In.String("registryId"), c.In.String("repositoryName"), mut, excl); err != nil {
		return nil, err
	}
	out := named(c)
	out["imageTagMutability"] = mut
	if len(excl) > 0 {
		out["imageTagMutabilityExclusionFilters"] = exclusionsOut(excl)
	}
	return out, nil
}

func putImageScanningConfiguration(c *api.Call) (map[string]any, error) {
	scan := c.In.Struct("imageScanningConfiguration").Bool("scanOnPush")
	if err := c.Engine.PutImageScanningConfiguration(c.In.String("registryId"), c.In.String("repositoryName"), scan); err != nil {
		return nil, err
	}
	out := named(c)
	out["imageScanningConfiguration"] = map[string]any{"scanOnPush": scan}
	return out, nil
}

func putLifecyclePolicy(c *api.Call) (map[string]any, error) {
	text := c.In.String("lifecyclePolicyText")
	if err := c.Engine.PutLifecyclePolicy(c.In.String("registryId"), c.In.String("repositoryName"), text); err != nil {
		return nil, err
	}
	out := named(c)
	out["lifecyclePolicyText"] = text
	return out, nil
}

func getLifecyclePolicy(c *api.Call) (map[string]any, error) {
	r, err := read(c)
	if err != nil {
		return nil, err
	}
	if r.LifecyclePolicy == "" {
		return nil, engine.LifecyclePolicyNotFound(r.Name, c.Account)
	}
	out := named(c)
	out["lifecyclePolicyText"] = r.LifecyclePolicy
	return out, nil
}

func deleteLifecyclePolicy(c *api.Call) (map[string]any, error) {
	text, err := c.Engine.DeleteLifecyclePolicy(c.In.String("registryId"), c.In.String("repositoryName"))
	if err != nil {
		return nil, err
	}
	out := named(c)
	out["lifecyclePolicyText"] = text
	return out, nil
}

func setRepositoryPolicy(c *api.Call) (map[string]any, error) {
	text := c.In.String("policyText")
	if err := c.Engine.SetRepositoryPolicy(c.In.String("registryId"), c.In.String("repositoryName"), text); err != nil {
		return nil, err
	}
	out := named(c)
	out["policyText"] = text
	return out, nil
}

func getRepositoryPolicy(c *api.Call) (map[string]any, error) {
	r, err := read(c)
	if err != nil {
		return nil, err
	}
	if r.Policy == "" {
		return nil, engine.RepositoryPolicyNotFound(r.Name, c.Account)
	}
	out := named(c)
	out["policyText"] = r.Policy
	return out, nil
}

func deleteRepositoryPolicy(c *api.Call) (map[string]any, error) {
	text, err := c.Engine.DeleteRepositoryPolicy(c.In.String("registryId"), c.In.String("repositoryName"))
	if err != nil {
		return nil, err
	}
	out := named(c)
	out["policyText"] = text
	return out, nil
}

// getAuthorizationToken answers one token for the account's registry (the
// registryIds parameter is deprecated: each id gets its registry's
// endpoint, with the same token).
func getAuthorizationToken(c *api.Call) (map[string]any, error) {
	ids := c.In.Strings("registryIds")
	if len(ids) == 0 {
		ids = []string{c.Account}
	}
	password, expires := c.Engine.AuthorizationToken()
	token := base64.StdEncoding.EncodeToString([]byte("AWS:" + password))
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"authorizationToken": token, "expiresAt": expires,
			"proxyEndpoint": "https://" + engine.RegistryHost(c.Region, id)}
	}
	return map[string]any{"authorizationData": out}, nil
}

func imageIDsIn(c *api.Call) []engine.ImageID {
	var ids []engine.ImageID
	for _, p := range c.In.Structs("imageIds") {
		ids = append(ids, engine.ImageID{Digest: p.String("imageDigest"), Tag: p.String("imageTag")})
	}
	return ids
}

func imageIDOut(id engine.ImageID) map[string]any {
	out := map[string]any{}
	if id.Digest != "" {
		out["imageDigest"] = id.Digest
	}
	if id.Tag != "" {
		out["imageTag"] = id.Tag
	}
	return out
}

func failuresOut(fs []engine.ImageFailure) []map[string]any {
	out := make([]map[string]any, len(fs))
	for i, f := range fs {
		out[i] = map[string]any{"imageId": imageIDOut(f.ID), "failureCode": f.Code, "failureReason": f.Reason}
	}
	return out
}

// tagStatus reads a filter's tagStatus (TAGGED, UNTAGGED, ANY).
func tagStatus(c *api.Call) string {
	if s := c.In.Struct("filter").String("tagStatus"); s != "" {
		return s
	}
	return "ANY"
}

func keep(status string, im model.RepositoryImage) bool {
	switch status {
	case "TAGGED":
		return len(im.Tags) > 0
	case "UNTAGGED":
		return len(im.Tags) == 0
	}
	return true
}

func imageDetail(c *api.Call, r *model.Repository, im model.RepositoryImage) map[string]any {
	out := map[string]any{"registryId": c.Account, "repositoryName": r.Name, "imageDigest": im.Digest,
		"imageSizeInBytes": im.Size, "imagePushedAt": im.Pushed, "imageManifestMediaType": im.MediaType,
		"imageStatus": "ACTIVE"}
	if len(im.Tags) > 0 {
		out["imageTags"] = slices.Clone(im.Tags)
	}
	if im.ArtifactMediaType != "" {
		out["artifactMediaType"] = im.ArtifactMediaType
	}
	return out
}

func describeImages(c *api.Call) (map[string]any, error) {
	r, err := read(c)
	if err != nil {
		return nil, err
	}
	ids := imageIDsIn(c)
	if len(ids) > 0 {
		if c.In.Has("maxResults") || c.In.Has("nextToken") || c.In.Has("filter") {
			return nil, apierr.New("InvalidParameterException", "Invalid parameter at 'imageIds' failed to satisfy constraint: 'The maxResults, nextToken and filter parameters cannot be used with imageIds'")
		}
		out := make([]map[string]any, 0, len(ids))
		for _, id := range ids {
			i, f := engine.FindImage(r, id)
			if f != nil {
				if f.Code == "ImageNotFound" {
					return nil, engine.ImageNotFound(id, r.Name, c.Account)
				}
				return nil, apierr.New("InvalidParameterException", f.Reason)
			}
			out = append(out, imageDetail(c, r, r.Images[i]))
		}
		return map[string]any{"imageDetails": out}, nil
	}
	n, err := maxResults(c)
	if err != nil {
		return nil, err
	}
	status := tagStatus(c)
	var images []model.RepositoryImage
	for _, im := range r.Images {
		if keep(status, im) {
			images = append(images, im)
		}
	}
	page, next, ok := api.Paginate(images, func(im model.RepositoryImage) string { return im.Digest }, c.In.String("nextToken"), n)
	if !ok {
		return nil, invalidToken()
	}
	out := make([]map[string]any, len(page))
	for i, im := range page {
		out[i] = imageDetail(c, r, im)
	}
	res := map[string]any{"imageDetails": out}
	if next != "" {
		res["nextToken"] = next
	}
	return res, nil
}

// listImages lists image ids: one per tag, and the digest alone for an
// untagged image.
func listImages(c *api.Call) (map[string]any, error) {
	r, err := read(c)
	if err != nil {
		return nil, err
	}
	n, err := maxResults(c)
	if err != nil {
		return nil, err
	}
	status := tagStatus(c)
	var ids []engine.ImageID
	for _, im := range r.Images {
		if !keep(status, im) {
			continue
		}
		if len(im.Tags) == 0 {
			ids = append(ids, engine.ImageID{Digest: im.Digest})
		}
		for _, t := range im.Tags {
			ids = append(ids, engine.ImageID{Digest: im.Digest, Tag: t})
		}
	}
	page, next, ok := api.Paginate(ids, func(id engine.ImageID) string { return id.Digest + "|" + id.Tag }, c.In.String("nextToken"), n)
	if !ok {
		return nil, invalidToken()
	}
	out := make([]map[string]any, len(page))
	for i, id := range page {
		out[i] = imageIDOut(id)
	}
	res := map[string]any{"imageIds": out}
	if next != "" {
		res["nextToken"] = next
	}
	return res, nil
}

func batchGetImage(c *api.Call) (map[string]any, error) {
	r, err := read(c)
	if err != nil {
		return nil, err
	}
	accepted := c.In.Strings("acceptedMediaTypes")
	images := []map[string]any{}
	var failures []engine.ImageFailure
	for _, id := range imageIDsIn(c) {
		i, f := engine.FindImage(r, id)
		if f != nil {
			failures = append(failures, *f)
			continue
		}
		im := r.Images[i]
		if len(accepted) > 0 && !slices.Contains(accepted, im.MediaType) {
			failures = append(failures, engine.ImageFailure{ID: id, Code: "UnsupportedImageType",
				Reason: "Image with digest '" + im.Digest + "' has media type '" + im.MediaType + "' which is not accepted"})
			continue
		}
		tag := id.Tag
		out := imageIDOut(engine.ImageID{Digest: im.Digest, Tag: tag})
		images = append(images, map[string]any{"registryId": c.Account, "repositoryName": r.Name, "imageId": out,
			"imageManifest": im.Manifest, "imageManifestMediaType": im.MediaType})
	}
	return map[string]any{"images": images, "failures": failuresOut(failures)}, nil
}

func putImage(c *api.Call) (map[string]any, error) {
	tag := c.In.String("imageTag")
	im, err := c.Engine.PutImage(engine.PutImageInput{RegistryID: c.In.String("registryId"), Name: c.In.String("repositoryName"),
		Manifest: c.In.String("imageManifest"), MediaType: c.In.String("imageManifestMediaType"),
		Tag: tag, Digest: c.In.String("imageDigest")})
	if err != nil {
		return nil, err
	}
	return map[string]any{"image": map[string]any{"registryId": c.Account, "repositoryName": c.In.String("repositoryName"),
		"imageId": imageIDOut(engine.ImageID{Digest: im.Digest, Tag: tag}), "imageManifest": im.Manifest,
		"imageManifestMediaType": im.MediaType}}, nil
}

func batchDeleteImage(c *api.Call) (map[string]any, error) {
	deleted, failures, err := c.Engine.BatchDeleteImage(c.In.String("registryId"), c.In.String("repositoryName"), imageIDsIn(c))
	if err != nil {
		return nil, err
	}
	ids := make([]map[string]any, len(deleted))
	for i, id := range deleted {
		ids[i] = imageIDOut(id)
	}
	return map[string]any{"imageIds": ids, "failures": failuresOut(failures)}, nil
}

func describeRegistry(c *api.Call) (map[string]any, error) {
	return map[string]any{"registryId": c.Account, "replicationConfiguration": map[string]any{"rules": []any{}}}, nil
}

// putRegistryScanningConfiguration sets the registry's scanning
// configuration (Terraform's aws_ecr_registry_scanning_configuration; its
// delete puts BASIC with no rules).
func putRegistryScanningConfiguration(c *api.Call) (map[string]any, error) {
	in := model.RegistryScanningConfiguration{ScanType: c.In.String("scanType")}
	var types [][]string
	for _, r := range c.In.Structs("rules") {
		rule := model.RegistryScanningRule{ScanFrequency: r.String("scanFrequency")}
		var ft []string
		for _, f := range r.Structs("repositoryFilters") {
			rule.Filters = append(rule.Filters, f.String("filter"))
			ft = append(ft, f.String("filterType"))
		}
		in.Rules = append(in.Rules, rule)
		types = append(types, ft)
	}
	out, err := c.Engine.PutRegistryScanningConfiguration(in, types)
	if err != nil {
		return nil, err
	}
	return map[string]any{"registryScanningConfiguration": scanningOut(out)}, nil
}

func getRegistryScanningConfiguration(c *api.Call) (map[string]any, error) {
	return map[string]any{"registryId": c.Account, "scanningConfiguration": scanningOut(c.Engine.RegistryScanningConfiguration())}, nil
}

func scanningOut(s model.RegistryScanningConfiguration) map[string]any {
	rules := []any{}
	for _, r := range s.Rules {
		filters := make([]any, len(r.Filters))
		for i, f := range r.Filters {
			filters[i] = map[string]any{"filter": f, "filterType": "WILDCARD"}
		}
		rules = append(rules, map[string]any{"scanFrequency": r.ScanFrequency, "repositoryFilters": filters})
	}
	return map[string]any{"scanType": s.ScanType, "rules": rules}
}

// pullThroughOut is a pull through cache rule as the API answers it.
func pullThroughOut(c *api.Call, r model.PullThroughCacheRule) map[string]any {
	out := map[string]any{"ecrRepositoryPrefix": r.Prefix, "upstreamRegistryUrl": r.UpstreamRegistryURL, "createdAt": r.Created,
		"registryId": c.Account, "upstreamRegistry": r.UpstreamRegistry, "upstreamRepositoryPrefix": r.UpstreamPrefix, "updatedAt": r.Updated}
	if r.CredentialARN != "" {
		out["credentialArn"] = r.CredentialARN
	}
	if r.CustomRoleARN != "" {
		out["customRoleArn"] = r.CustomRoleARN
	}
	return out
}

func createPullThroughCacheRule(c *api.Call) (map[string]any, error) {
	r, err := c.Engine.CreatePullThroughCacheRule(c.In.String("registryId"), model.PullThroughCacheRule{Prefix: c.In.String("ecrRepositoryPrefix"),
		UpstreamRegistryURL: c.In.String("upstreamRegistryUrl"), UpstreamRegistry: c.In.String("upstreamRegistry"),
		UpstreamPrefix: c.In.String("upstreamRepositoryPrefix"), CredentialARN: c.In.String("credentialArn"), CustomRoleARN: c.In.String("customRoleArn")})
	if err != nil {
		return nil, err
	}
	out := pullThroughOut(c, r)
	delete(out, "updatedAt")
	return out, nil
}

func describePullThroughCacheRules(c *api.Call) (map[string]any, error) {
	n, err := maxResults(c)
	if err != nil {
		return nil, err
	}
	rules, err := c.Engine.PullThroughCacheRules(c.In.String("registryId"), c.In.Strings("ecrRepositoryPrefixes"))
	if err != nil {
		return nil, err
	}
	page, next, ok := api.Paginate(rules, func(r model.PullThroughCacheRule) string { return r.Prefix }, c.In.String("nextToken"), n)
	if !ok {
		return nil, invalidToken()
	}
	list := make([]any, len(page))
	for i, r := range page {
		list[i] = pullThroughOut(c, r)
	}
	res := map[string]any{"pullThroughCacheRules": list}
	if next != "" {
		res["nextToken"] = next
	}
	return res, nil
}

func deletePullThroughCacheRule(c *api.Call) (map[string]any, error) {
	r, err := c.Engine.DeletePullThroughCacheRule(c.In.String("registryId"), c.In.String("ecrRepositoryPrefix"))
	if err != nil {
		return nil, err
	}
	// DeletePullThroughCacheRule's output has neither upstreamRegistry
	// nor updatedAt (the API model).
	out := pullThroughOut(c, r)
	delete(out, "upstreamRegistry")
	delete(out, "updatedAt")
	return out, nil
}
