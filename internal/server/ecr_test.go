package server_test

import (
	"encoding/base64"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

func ecrClient(url string) *ecr.Client {
	return ecr.NewFromConfig(sdkConfig(), func(o *ecr.Options) { o.BaseEndpoint = aws.String(url) })
}

func ecrTags(kv ...string) []ecrtypes.Tag {
	var out []ecrtypes.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, ecrtypes.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// tfReadRepository is the provider's resourceRepositoryRead:
// DescribeRepositories by name (retried while RepositoryNotFoundException
// for a new resource), then ListTagsForResource on the ARN.
func tfReadRepository(t *testing.T, c *ecr.Client, name string) (ecrtypes.Repository, map[string]string) {
	t.Helper()
	out, err := c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{name}})
	must(t, err)
	if len(out.Repositories) != 1 {
		t.Fatalf("%d repositories for %s", len(out.Repositories), name)
	}
	r := out.Repositories[0]
	tags, err := c.ListTagsForResource(ctx, &ecr.ListTagsForResourceInput{ResourceArn: r.RepositoryArn})
	must(t, err)
	m := map[string]string{}
	for _, tg := range tags.Tags {
		m[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return r, m
}

// TestECRTerraformRepository replays what Terraform's AWS provider
// (internal/service/ecr/repository.go) sends for aws_ecr_repository:
// create, read, update (image_tag_mutability, image_scanning_configuration,
// tags), delete and its wait for RepositoryNotFoundException.
func TestECRTerraformRepository(t *testing.T) {
	t.Parallel()
	c := ecrClient(newEmulator(t, nil).URL)
	cr, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("team/api"),
		ImageTagMutability: ecrtypes.ImageTagMutabilityMutable, Tags: ecrTags("env", "test"),
		ImageScanningConfiguration: &ecrtypes.ImageScanningConfiguration{ScanOnPush: true}})
	must(t, err)
	if got := aws.ToString(cr.Repository.RepositoryArn); got != "arn:aws:ecr:us-east-1:123456789012:repository/team/api" {
		t.Errorf("arn %s", got)
	}
	r, tags := tfReadRepository(t, c, "team/api")
	if aws.ToString(r.RepositoryUri) != "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api" || aws.ToString(r.RegistryId) != "123456789012" ||
		r.ImageTagMutability != ecrtypes.ImageTagMutabilityMutable || r.ImageScanningConfiguration == nil || !r.ImageScanningConfiguration.ScanOnPush ||
		r.EncryptionConfiguration == nil || r.EncryptionConfiguration.EncryptionType != ecrtypes.EncryptionTypeAes256 || r.CreatedAt == nil {
		t.Errorf("repository after create: %+v", r)
	}
	if tags["env"] != "test" || len(tags) != 1 {
		t.Errorf("tags %v", tags)
	}

	// Update: PutImageTagMutability, PutImageScanningConfiguration, and
	// UpdateTags (UntagResource, TagResource).
	_, err = c.PutImageTagMutability(ctx, &ecr.PutImageTagMutabilityInput{RepositoryName: aws.String("team/api"),
		RegistryId: r.RegistryId, ImageTagMutability: ecrtypes.ImageTagMutabilityImmutable})
	must(t, err)
	_, err = c.PutImageScanningConfiguration(ctx, &ecr.PutImageScanningConfigurationInput{RepositoryName: aws.String("team/api"),
		RegistryId: r.RegistryId, ImageScanningConfiguration: &ecrtypes.ImageScanningConfiguration{ScanOnPush: false}})
	must(t, err)
	_, err = c.UntagResource(ctx, &ecr.UntagResourceInput{ResourceArn: r.RepositoryArn, TagKeys: []string{"env"}})
	must(t, err)
	_, err = c.TagResource(ctx, &ecr.TagResourceInput{ResourceArn: r.RepositoryArn, Tags: ecrTags("team", "a")})
	must(t, err)
	r, tags = tfReadRepository(t, c, "team/api")
	if r.ImageTagMutability != ecrtypes.ImageTagMutabilityImmutable || r.ImageScanningConfiguration.ScanOnPush || len(tags) != 1 || tags["team"] != "a" {
		t.Errorf("after update: %s scan %v tags %v", r.ImageTagMutability, r.ImageScanningConfiguration.ScanOnPush, tags)
	}

	// Delete, then wait until DescribeRepositories answers
	// RepositoryNotFoundException.
	_, err = c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("team/api"), RegistryId: r.RegistryId, Force: false})
	must(t, err)
	_, err = c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"team/api"}})
	wantAPIError(t, err, "RepositoryNotFoundException", "The repository with name 'team/api' does not exist in the registry with id '123456789012'")
	// A second delete (already gone) is the provider's success.
	_, err = c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("team/api")})
	wantAPIError(t, err, "RepositoryNotFoundException", "The repository with name 'team/api' does not exist in the registry with id '123456789012'")
}

// Repository names, duplicates, policies and their errors, in ECR's words.
func TestECRRepositoryRules(t *testing.T) {
	t.Parallel()
	c := ecrClient(newEmulator(t, nil).URL)
	pattern := "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''"
	for name, msg := range map[string]string{
		"MyRepo": pattern, "a": "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'",
		"web/": pattern, "-web": pattern, "web..x": pattern,
	} {
		_, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(name)})
		wantAPIError(t, err, "InvalidParameterException", msg)
	}
	for _, name := range []string{"web", "team/web-api", "a__b", "a--b", "x.y_z/w"} {
		_, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(name)})
		must(t, err)
	}
	_, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("web")})
	wantAPIError(t, err, "RepositoryAlreadyExistsException", "The repository with name 'web' already exists in the registry with id '123456789012'")
	_, err = c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"web", "ghost"}})
	wantAPIError(t, err, "RepositoryNotFoundException", "The repository with name 'ghost' does not exist in the registry with id '123456789012'")
	all, err := c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{MaxResults: aws.Int32(2)})
	must(t, err)
	if len(all.Repositories) != 2 || all.NextToken == nil {
		t.Fatalf("first page: %d, next %v", len(all.Repositories), all.NextToken)
	}
	rest, err := c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{NextToken: all.NextToken, MaxResults: aws.Int32(10)})
	must(t, err)
	if len(rest.Repositories) != 3 || rest.NextToken != nil {
		t.Errorf("second page: %d, next %v", len(rest.Repositories), rest.NextToken)
	}

	// Lifecycle policy.
	_, err = c.GetLifecyclePolicy(ctx, &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("web")})
	wantAPIError(t, err, "LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for the repository with name 'web' in the registry with id '123456789012'")
	policy := `{"rules":[{"rulePriority":1,"description":"keep 10","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}`
	_, err = c.PutLifecyclePolicy(ctx, &ecr.PutLifecyclePolicyInput{RepositoryName: aws.String("web"), LifecyclePolicyText: aws.String(policy)})
	must(t, err)
	lp, err := c.GetLifecyclePolicy(ctx, &ecr.GetLifecyclePolicyInput{RepositoryName: aws.String("web")})
	must(t, err)
	if aws.ToString(lp.LifecyclePolicyText) != policy || aws.ToString(lp.RegistryId) != "123456789012" {
		t.Errorf("lifecycle policy %+v", lp)
	}
	_, err = c.DeleteLifecyclePolicy(ctx, &ecr.DeleteLifecyclePolicyInput{RepositoryName: aws.String("web")})
	must(t, err)
	_, err = c.DeleteLifecyclePolicy(ctx, &ecr.DeleteLifecyclePolicyInput{RepositoryName: aws.String("web")})
	wantAPIError(t, err, "LifecyclePolicyNotFoundException", "Lifecycle policy does not exist for the repository with name 'web' in the registry with id '123456789012'")

	// Repository policy.
	_, err = c.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("web")})
	wantAPIError(t, err, "RepositoryPolicyNotFoundException", "Repository policy does not exist for the repository with name 'web' in the registry with id '123456789012'")
	_, err = c.SetRepositoryPolicy(ctx, &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String("web"), PolicyText: aws.String("not json")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'")
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}`
	_, err = c.SetRepositoryPolicy(ctx, &ecr.SetRepositoryPolicyInput{RepositoryName: aws.String("web"), PolicyText: aws.String(doc)})
	must(t, err)
	rp, err := c.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: aws.String("web")})
	must(t, err)
	if aws.ToString(rp.PolicyText) != doc {
		t.Errorf("policy %q", aws.ToString(rp.PolicyText))
	}
	_, err = c.DeleteRepositoryPolicy(ctx, &ecr.DeleteRepositoryPolicyInput{RepositoryName: aws.String("web")})
	must(t, err)

	// Registry and authorization token.
	reg, err := c.DescribeRegistry(ctx, &ecr.DescribeRegistryInput{})
	must(t, err)
	if aws.ToString(reg.RegistryId) != "123456789012" {
		t.Errorf("registry %q", aws.ToString(reg.RegistryId))
	}
	tok, err := c.GetAuthorizationToken(ctx, &ecr.GetAuthorizationTokenInput{})
	must(t, err)
	if len(tok.AuthorizationData) != 1 {
		t.Fatalf("authorization data %+v", tok.AuthorizationData)
	}
	ad := tok.AuthorizationData[0]
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(ad.AuthorizationToken))
	must(t, err)
	if user, pass, ok := strings.Cut(string(raw), ":"); !ok || user != "AWS" || pass == "" {
		t.Errorf("token %q", raw)
	}
	if aws.ToString(ad.ProxyEndpoint) != "https://123456789012.dkr.ecr.us-east-1.amazonaws.com" || ad.ExpiresAt == nil || time.Until(*ad.ExpiresAt) < 11*time.Hour {
		t.Errorf("authorization data %+v", ad)
	}
}

const (
	manifestA = `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1000,"digest":"sha256:aaaa"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":2000,"digest":"sha256:bbbb"}]}`
	manifestB = `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":10,"digest":"sha256:cccc"},"layers":[]}`
)

// Images recorded with PutImage: tags move between images (unless
// immutable), describe, list, get and delete them, and a repository with
// images is deleted only with force.
func TestECRImages(t *testing.T) {
	t.Parallel()
	c := ecrClient(newEmulator(t, nil).URL)
	_, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("app")})
	must(t, err)
	put := func(manifest, tag string) (*ecr.PutImageOutput, error) {
		in := &ecr.PutImageInput{RepositoryName: aws.String("app"), ImageManifest: aws.String(manifest)}
		if tag != "" {
			in.ImageTag = aws.String(tag)
		}
		return c.PutImage(ctx, in)
	}
	a, err := put(manifestA, "v1")
	must(t, err)
	digestA := aws.ToString(a.Image.ImageId.ImageDigest)
	if !strings.HasPrefix(digestA, "sha256:") || len(digestA) != 71 {
		t.Errorf("digest %q", digestA)
	}
	_, err = put(manifestA, "v1")
	wantAPIError(t, err, "ImageAlreadyExistsException", "Image with digest '"+digestA+"' and tag 'v1' already exists in the repository with name 'app' in registry with id '123456789012'")
	_, err = put(manifestA, "latest")
	must(t, err)
	b, err := put(manifestB, "latest") // moves latest from A to B
	must(t, err)
	digestB := aws.ToString(b.Image.ImageId.ImageDigest)
	d, err := c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("app"), ImageIds: []ecrtypes.ImageIdentifier{{ImageDigest: aws.String(digestA)}}})
	must(t, err)
	if len(d.ImageDetails) != 1 || strings.Join(d.ImageDetails[0].ImageTags, ",") != "v1" || aws.ToInt64(d.ImageDetails[0].ImageSizeInBytes) != 3000 {
		t.Errorf("image A %+v", d.ImageDetails)
	}
	_, err = c.DescribeImages(ctx, &ecr.DescribeImagesInput{RepositoryName: aws.String("app"), ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String("nope")}}})
	wantAPIError(t, err, "ImageNotFoundException", "The image with imageId {imageDigest:null, imageTag:'nope'} does not exist within the repository with name 'app' in the registry with id '123456789012'")
	l, err := c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String("app")})
	must(t, err)
	if len(l.ImageIds) != 2 {
		t.Errorf("list %+v", l.ImageIds)
	}
	g, err := c.BatchGetImage(ctx, &ecr.BatchGetImageInput{RepositoryName: aws.String("app"),
		ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String("latest")}, {ImageTag: aws.String("gone")}}})
	must(t, err)
	if len(g.Images) != 1 || aws.ToString(g.Images[0].ImageManifest) != manifestB || len(g.Failures) != 1 ||
		g.Failures[0].FailureCode != ecrtypes.ImageFailureCodeImageNotFound || aws.ToString(g.Failures[0].FailureReason) != "Requested image not found" {
		t.Errorf("batch get %+v %+v", g.Images, g.Failures)
	}

	// Immutable tags are not moved.
	_, err = c.PutImageTagMutability(ctx, &ecr.PutImageTagMutabilityInput{RepositoryName: aws.String("app"), ImageTagMutability: ecrtypes.ImageTagMutabilityImmutable})
	must(t, err)
	_, err = put(manifestA, "latest")
	wantAPIError(t, err, "ImageTagAlreadyExistsException", "The image tag 'latest' already exists in the 'app' repository and cannot be overwritten because the tag is immutable.")

	_, err = c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("app")})
	wantAPIError(t, err, "RepositoryNotEmptyException", "The repository with name 'app' in registry with id '123456789012' cannot be deleted because it still contains images")

	// Deleting a tag deletes the image with its last tag.
	del, err := c.BatchDeleteImage(ctx, &ecr.BatchDeleteImageInput{RepositoryName: aws.String("app"),
		ImageIds: []ecrtypes.ImageIdentifier{{ImageTag: aws.String("v1")}, {ImageDigest: aws.String(digestB)}, {}}})
	must(t, err)
	if len(del.ImageIds) != 2 || len(del.Failures) != 1 || del.Failures[0].FailureCode != ecrtypes.ImageFailureCodeMissingDigestAndTag {
		t.Errorf("batch delete %+v %+v", del.ImageIds, del.Failures)
	}
	l, err = c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String("app")})
	must(t, err)
	if len(l.ImageIds) != 0 {
		t.Errorf("left %+v", l.ImageIds)
	}
	_, err = put(manifestA, "v2")
	must(t, err)
	_, err = c.DeleteRepository(ctx, &ecr.DeleteRepositoryInput{RepositoryName: aws.String("app"), Force: true})
	must(t, err)
}

// moto's test_ecr: a KMS repository without a key uses the AWS managed
// key aws/ecr, answered by its key ARN (the same key for every repository
// of the account and region); a manifest without mediaType is refused
// unless imageManifestMediaType gives it, with ECR's text.
func TestECRManagedKeyAndManifestMediaType(t *testing.T) {
	t.Parallel()
	c := ecrClient(newEmulator(t, nil).URL)
	var keys []string
	for _, name := range []string{"kms-a", "kms-b"} {
		out, err := c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(name),
			EncryptionConfiguration: &ecrtypes.EncryptionConfiguration{EncryptionType: ecrtypes.EncryptionTypeKms}})
		must(t, err)
		keys = append(keys, aws.ToString(out.Repository.EncryptionConfiguration.KmsKey))
	}
	if !regexp.MustCompile(`^arn:aws:kms:us-east-1:123456789012:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`).MatchString(keys[0]) || keys[0] != keys[1] {
		t.Errorf("managed keys %q", keys)
	}
	d, err := c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"kms-a"}})
	must(t, err)
	if got := aws.ToString(d.Repositories[0].EncryptionConfiguration.KmsKey); got != keys[0] {
		t.Errorf("described key %q, created %q", got, keys[0])
	}

	const noMediaType = `{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","size":151,"digest":"sha256:34cd"},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","size":4513,"digest":"sha256:777d"}]}`
	_, err = c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("kms-a"), ImageManifest: aws.String(noMediaType), ImageTag: aws.String("1.0.0")})
	wantAPIError(t, err, "InvalidParameterException", "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'")
	l, err := c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String("kms-a")})
	must(t, err)
	if len(l.ImageIds) != 0 {
		t.Errorf("a refused image was kept: %+v", l.ImageIds)
	}
	p, err := c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("kms-a"), ImageManifest: aws.String(noMediaType),
		ImageManifestMediaType: aws.String("application/vnd.oci.image.manifest.v1+json"), ImageTag: aws.String("1.0.0")})
	must(t, err)
	if got := aws.ToString(p.Image.ImageManifestMediaType); got != "application/vnd.oci.image.manifest.v1+json" {
		t.Errorf("media type %q", got)
	}
}

// A task whose image names a repository of the account that does not
// exist stops as on AWS once the account has repositories; one whose
// repository exists runs while the repository records no image (docker
// push is outside the API), and once it records images, only with a tag
// it holds.
func TestECRMissingRepositoryStopsTask(t *testing.T) {
	t.Parallel()
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	rc := ecrClient(em.URL)
	subs, err := c.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	must(t, err)
	subnet := aws.ToString(subs.Subnets[0].SubnetId)
	_, err = c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("c")})
	must(t, err)
	execRole := executionRole(t, em.URL)
	register := func(family, image string) {
		_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc,
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
			ExecutionRoleArn:     aws.String(execRole),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String(image)}}})
		must(t, err)
	}
	run := func(family string) ecstypes.Task {
		out, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{Cluster: aws.String("c"), TaskDefinition: aws.String(family), LaunchType: ecstypes.LaunchTypeFargate,
			NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{subnet}, AssignPublicIp: ecstypes.AssignPublicIpEnabled}}})
		must(t, err)
		arn := aws.ToString(out.Tasks[0].TaskArn)
		var tk ecstypes.Task
		eventually(t, "task "+arn+" settles", func() bool {
			out, err := c.ecs.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{arn}})
			must(t, err)
			tk = out.Tasks[0]
			s := aws.ToString(tk.LastStatus)
			return s == "RUNNING" || s == "STOPPED"
		})
		return tk
	}
	registry := "123456789012.dkr.ecr.us-east-1.amazonaws.com/"
	register("ghost", registry+"ghost:1")
	register("web", registry+"web:latest")
	register("other", "111122223333.dkr.ecr.us-east-1.amazonaws.com/ghost:1")
	// No repository in the account yet: ECR is not modelled, the image is
	// taken to exist.
	if tk := run("ghost"); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("before any repository: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
	_, err = rc.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("web")})
	must(t, err)
	tk := run("ghost")
	want := "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + registry + "ghost:1: " + registry + "ghost:1: not found"
	if aws.ToString(tk.LastStatus) != "STOPPED" || aws.ToString(tk.StoppedReason) != want || tk.StopCode != ecstypes.TaskStopCodeTaskFailedToStart {
		t.Errorf("missing repository: %s %s %q", aws.ToString(tk.LastStatus), tk.StopCode, aws.ToString(tk.StoppedReason))
	}
	if tk := run("web"); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("existing repository, no image recorded: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
	if tk := run("other"); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("another account's registry: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
	// Once the repository records images (PutImage), a tag it does not
	// hold is not found (ECS_IMAGE_TAG_NOT_FOUND); a tag it holds runs.
	_, err = rc.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("web"), ImageManifest: aws.String(manifestA), ImageTag: aws.String("v1")})
	must(t, err)
	tk = run("web")
	want = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref " + registry + "web:latest: " + registry + "web:latest: not found"
	if aws.ToString(tk.LastStatus) != "STOPPED" || aws.ToString(tk.StoppedReason) != want {
		t.Errorf("a tag the repository does not hold: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
	register("web-v1", registry+"web:v1")
	if tk := run("web-v1"); aws.ToString(tk.LastStatus) != "RUNNING" {
		t.Errorf("a tag the repository holds: %s %q", aws.ToString(tk.LastStatus), aws.ToString(tk.StoppedReason))
	}
}

// Repositories, their policies and images persist.
func TestECRPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, url := startOn(t, b, false)
	c := ecrClient(url)
	_, err = c.CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("keep"), Tags: ecrTags("k", "v"),
		ImageTagMutability: ecrtypes.ImageTagMutabilityImmutable})
	must(t, err)
	_, err = c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String("keep"), ImageManifest: aws.String(manifestB), ImageTag: aws.String("v1")})
	must(t, err)
	srv.Close()
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url = startOn(t, b2, false)
	c = ecrClient(url)
	r, tags := tfReadRepository(t, c, "keep")
	if r.ImageTagMutability != ecrtypes.ImageTagMutabilityImmutable || tags["k"] != "v" {
		t.Errorf("after restart: %s %v", r.ImageTagMutability, tags)
	}
	l, err := c.ListImages(ctx, &ecr.ListImagesInput{RepositoryName: aws.String("keep")})
	must(t, err)
	if len(l.ImageIds) != 1 || aws.ToString(l.ImageIds[0].ImageTag) != "v1" {
		t.Errorf("images after restart %+v", l.ImageIds)
	}
}

const ecrStackTemplate = `
Resources:
  Web:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: shop/web
      EmptyOnDelete: true
      ImageScanningConfiguration: {ScanOnPush: true}
      Tags: [{Key: team, Value: shop}]
  Cache:
    Type: AWS::ECR::Repository
Outputs:
  Name: {Value: !Ref Web}
  Arn: {Value: !GetAtt Web.Arn}
  Uri: {Value: !GetAtt Web.RepositoryUri}
  Cache: {Value: !Ref Cache}
`

// A stack of repositories through CloudFormation: created in ECR (a
// generated name lowercase), ImageTagMutability updated in place, and
// deleted with the stack; a repository with images and no EmptyOnDelete
// fails the delete, as on AWS.
func TestECRCloudFormationStack(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	cf, c := cfnClient(em.URL), ecrClient(em.URL)
	created, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("Repos"), TemplateBody: aws.String(ecrStackTemplate)})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	out := stackOutputs(t, cf, "Repos")
	if out["Name"] != "shop/web" || out["Arn"] != "arn:aws:ecr:us-east-1:123456789012:repository/shop/web" ||
		out["Uri"] != "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web" {
		t.Errorf("outputs %v", out)
	}
	cache := out["Cache"]
	if !strings.HasPrefix(cache, "repos-cache-") || cache != strings.ToLower(cache) {
		t.Errorf("generated name %q", cache)
	}
	r, tags := tfReadRepository(t, c, "shop/web")
	if !r.ImageScanningConfiguration.ScanOnPush || tags["team"] != "shop" {
		t.Errorf("repository %+v tags %v", r, tags)
	}
	updated := strings.Replace(ecrStackTemplate, "EmptyOnDelete: true", "EmptyOnDelete: true\n      ImageTagMutability: IMMUTABLE", 1)
	up, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String("Repos"), TemplateBody: aws.String(updated)})
	must(t, err)
	waitStack(t, cf, aws.ToString(up.StackId), cfntypes.StackStatusUpdateComplete)
	r, _ = tfReadRepository(t, c, "shop/web")
	if r.ImageTagMutability != ecrtypes.ImageTagMutabilityImmutable {
		t.Errorf("after update %s", r.ImageTagMutability)
	}
	for _, name := range []string{"shop/web", cache} {
		_, err = c.PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String(name), ImageManifest: aws.String(manifestB), ImageTag: aws.String("v1")})
		must(t, err)
	}
	_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String("Repos")})
	must(t, err)
	waitStack(t, cf, aws.ToString(up.StackId), cfntypes.StackStatusDeleteFailed)
	_, err = c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{"shop/web"}})
	if apiCode(err) != "RepositoryNotFoundException" {
		t.Errorf("shop/web after the stack's delete: %v", err)
	}
	if _, err = c.DescribeRepositories(ctx, &ecr.DescribeRepositoriesInput{RepositoryNames: []string{cache}}); err != nil {
		t.Errorf("%s (images, no EmptyOnDelete) after the stack's delete: %v", cache, err)
	}
}
