package terraform

import (
	"github.com/ecsnet/ecsnet/internal/engine"
)

// aws_ecr_repository: an Amazon ECR repository (CreateRepository). Once a
// configuration manages repositories, a task whose image names another
// repository of the account's registry stops with CannotPullContainerError
// (internal/reach). id and name are the repository's name; arn,
// registry_id and repository_url are ECR's.
func createRepository(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	var excl []string
	for _, f := range c.o.blocks("image_tag_mutability_exclusion_filter") {
		excl = append(excl, f.str("filter"))
	}
	enc := c.o.block("encryption_configuration")
	in := engine.CreateRepositoryInput{Name: name, TagMutability: c.o.str("image_tag_mutability"), MutabilityExclusions: excl,
		ScanOnPush:     c.o.block("image_scanning_configuration").flag("scan_on_push"),
		EncryptionType: enc.str("encryption_type"), KMSKey: enc.str("kms_key"), Tags: c.plainTags()}
	_ = c.o.flag("force_delete") // read: it matters to terraform destroy only
	e := c.e()
	r, err := e.CreateRepository(in)
	if err != nil {
		return c.fail("name", err)
	}
	cfg := e.Config()
	c.created(r.Name, "")
	c.set("name", r.Name)
	c.set("arn", engine.RepositoryARN(cfg.Region, cfg.Account, r.Name))
	c.set("registry_id", cfg.Account)
	c.set("repository_url", engine.RepositoryURI(cfg.Region, cfg.Account, r.Name))
	c.set("image_tag_mutability", r.TagMutability)
	return nil
}

// aws_ecr_lifecycle_policy: a repository's lifecycle policy
// (PutLifecyclePolicy); id is the repository's name.
func createLifecyclePolicy(c *rctx) error {
	repo, err := c.req("repository")
	if err != nil {
		return err
	}
	policy, err := c.req("policy")
	if err != nil {
		return err
	}
	if err := c.e().PutLifecyclePolicy("", repo, policy); err != nil {
		return c.fail("policy", err)
	}
	c.created(repo, "")
	c.set("registry_id", c.l.account)
	return nil
}

// aws_ecr_repository_policy: a repository's policy (SetRepositoryPolicy);
// id is the repository's name.
func createRepositoryPolicy(c *rctx) error {
	repo, err := c.req("repository")
	if err != nil {
		return err
	}
	policy, err := c.req("policy")
	if err != nil {
		return err
	}
	if err := c.e().SetRepositoryPolicy("", repo, policy); err != nil {
		return c.fail("policy", err)
	}
	c.created(repo, "")
	c.set("registry_id", c.l.account)
	return nil
}
