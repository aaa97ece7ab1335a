package cfn

import (
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
)

// typeRepository is an Amazon ECR repository: created, because a task
// whose image names a repository of the account that does not exist fails
// to pull once the account has repositories (internal/reach). Ref is the
// repository's name; Fn::GetAtt gives Arn and RepositoryUri.
const typeRepository = "AWS::ECR::Repository"

// ecrExclusions reads ImageTagMutabilityExclusionFilters' values.
func ecrExclusions(p obj) ([]string, error) {
	list, err := p.objects("ImageTagMutabilityExclusionFilters")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range list {
		v, err := f.req("ImageTagMutabilityExclusionFilterValue")
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// ecrSettings are the properties CloudFormation updates in place.
type ecrSettings struct {
	mutability string
	exclusions []string
	scan       bool
	lifecycle  string
	policy     string
	empty      bool
}

func readECRSettings(p obj) (ecrSettings, error) {
	var s ecrSettings
	var err error
	if s.mutability, err = p.str("ImageTagMutability"); err != nil {
		return s, err
	}
	if s.mutability == "" {
		s.mutability = "MUTABLE"
	}
	if s.exclusions, err = ecrExclusions(p); err != nil {
		return s, err
	}
	scan, err := p.object("ImageScanningConfiguration")
	if err != nil {
		return s, err
	}
	if b, err := scan.boolean("ScanOnPush"); err != nil {
		return s, err
	} else if b != nil {
		s.scan = *b
	}
	lc, err := p.object("LifecyclePolicy")
	if err != nil {
		return s, err
	}
	if s.lifecycle, err = lc.str("LifecyclePolicyText"); err != nil {
		return s, err
	}
	if s.policy, err = p.policyDocument("RepositoryPolicyText", false); err != nil {
		return s, err
	}
	if b, err := p.boolean("EmptyOnDelete"); err != nil {
		return s, err
	} else if b != nil {
		s.empty = *b
	}
	return s, nil
}

func createRepository(c *rctx) error {
	p := c.p
	name, err := p.str("RepositoryName")
	if err != nil {
		return err
	}
	if name == "" {
		// Generated repository names are lowercase, as ECR requires.
		name = strings.ToLower(c.s.physicalName(c.r.def.name, 256))
	}
	set, err := readECRSettings(p)
	if err != nil {
		return err
	}
	enc, err := p.object("EncryptionConfiguration")
	if err != nil {
		return err
	}
	encType, err := enc.str("EncryptionType")
	if err != nil {
		return err
	}
	kms, err := enc.str("KmsKey")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	e := c.e()
	r, err := e.CreateRepository(engine.CreateRepositoryInput{Name: name, TagMutability: set.mutability, MutabilityExclusions: set.exclusions,
		ScanOnPush: set.scan, EncryptionType: encType, KMSKey: kms, Tags: tags})
	if err != nil {
		return p.at("RepositoryName", err)
	}
	undo := func(key string, err error) error {
		_, _ = e.DeleteRepository("", r.Name, true)
		return p.at(key, err)
	}
	if set.lifecycle != "" {
		if err := e.PutLifecyclePolicy("", name, set.lifecycle); err != nil {
			return undo("LifecyclePolicy", err)
		}
	}
	if set.policy != "" {
		if err := e.SetRepositoryPolicy("", name, set.policy); err != nil {
			return undo("RepositoryPolicyText", err)
		}
	}
	cfg := e.Config()
	c.setRef(name)
	c.set("Arn", engine.RepositoryARN(cfg.Region, cfg.Account, name))
	c.set("RepositoryUri", engine.RepositoryURI(cfg.Region, cfg.Account, name))
	c.keep("EmptyOnDelete", strconv.FormatBool(set.empty))
	return nil
}

// updateRepository applies the properties CloudFormation updates without
// replacement: tag mutability, scanning, lifecycle and repository
// policies, tags and EmptyOnDelete.
func updateRepository(c *rctx, old obj, _ []string) error {
	set, err := readECRSettings(c.p)
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	was, err := old.tags()
	if err != nil {
		return err
	}
	e, name := c.e(), c.r.physical
	if err := e.PutImageTagMutability("", name, set.mutability, set.exclusions); err != nil {
		return c.p.at("ImageTagMutability", err)
	}
	if err := e.PutImageScanningConfiguration("", name, set.scan); err != nil {
		return c.p.at("ImageScanningConfiguration", err)
	}
	if set.lifecycle != "" {
		err = e.PutLifecyclePolicy("", name, set.lifecycle)
	} else {
		_, err = e.DeleteLifecyclePolicy("", name)
		if apierr.HasCode(err, "LifecyclePolicyNotFoundException") {
			err = nil
		}
	}
	if err != nil {
		return c.p.at("LifecyclePolicy", err)
	}
	if set.policy != "" {
		err = e.SetRepositoryPolicy("", name, set.policy)
	} else {
		_, err = e.DeleteRepositoryPolicy("", name)
		if apierr.HasCode(err, "RepositoryPolicyNotFoundException") {
			err = nil
		}
	}
	if err != nil {
		return c.p.at("RepositoryPolicyText", err)
	}
	var remove []string
	for k := range was {
		if _, ok := tags[k]; !ok {
			remove = append(remove, k)
		}
	}
	cfg := e.Config()
	if err := e.TagRepository(engine.RepositoryARN(cfg.Region, cfg.Account, name), tags, remove); err != nil {
		return c.p.at("Tags", err)
	}
	c.keep("EmptyOnDelete", strconv.FormatBool(set.empty))
	return nil
}
