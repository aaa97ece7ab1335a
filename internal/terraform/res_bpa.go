package terraform

import "github.com/ecsnet/ecsnet/internal/model"

// aws_vpc_block_public_access_options: the account's VPC Block Public
// Access mode in the region; id is the region (as the provider's).
func createBPAOptions(c *rctx) error {
	mode, err := c.req("internet_gateway_block_mode")
	if err != nil {
		return err
	}
	if _, err := c.e().ModifyVpcBlockPublicAccessOptions(mode); err != nil {
		return c.fail("internet_gateway_block_mode", err)
	}
	cfg := c.e().Config()
	c.created(cfg.Region, "")
	c.set("aws_account_id", cfg.Account)
	c.set("aws_region", cfg.Region)
	return nil
}

// aws_vpc_block_public_access_exclusion: exactly one of vpc_id and
// subnet_id; id is the exclusion id.
func createBPAExclusion(c *rctx) error {
	mode, err := c.req("internet_gateway_exclusion_mode")
	if err != nil {
		return err
	}
	vpc, err := c.opt("vpc_id")
	if err != nil {
		return err
	}
	subnet, err := c.opt("subnet_id")
	if err != nil {
		return err
	}
	x, err := c.e().CreateVpcBlockPublicAccessExclusion(model.VpcID(vpc), model.SubnetID(subnet), mode, c.tags())
	if err != nil {
		return c.fail("internet_gateway_exclusion_mode", err)
	}
	c.created(string(x.ID), string(x.ID))
	c.set("resource_arn", x.ResourceARN)
	return nil
}
