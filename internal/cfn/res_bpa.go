package cfn

import (
	"github.com/ecsnet/ecsnet/internal/model"
)

// CloudFormation's VPC Block Public Access resources
// (aws-resource-ec2-vpcblockpublicaccessoptions.html,
// aws-resource-ec2-vpcblockpublicaccessexclusion.html).
const (
	typeBPAOptions   = "AWS::EC2::VPCBlockPublicAccessOptions"
	typeBPAExclusion = "AWS::EC2::VPCBlockPublicAccessExclusion"
)

// AWS::EC2::VPCBlockPublicAccessOptions: the account's mode in the
// region. Ref: the account id; GetAtt AccountId, ExclusionsAllowed.
func createBPAOptions(c *rctx) error {
	mode, err := c.p.req("InternetGatewayBlockMode")
	if err != nil {
		return err
	}
	if _, err := c.e().ModifyVpcBlockPublicAccessOptions(mode); err != nil {
		return c.p.at("InternetGatewayBlockMode", err)
	}
	account := c.e().Config().Account
	c.setRef(account)
	c.set("AccountId", account)
	c.set("ExclusionsAllowed", "allowed")
	return nil
}

// AWS::EC2::VPCBlockPublicAccessExclusion: one VPC or one subnet. Ref:
// the exclusion id; GetAtt ExclusionId.
func createBPAExclusion(c *rctx) error {
	mode, err := c.p.req("InternetGatewayExclusionMode")
	if err != nil {
		return err
	}
	vpc, err := c.p.str("VpcId")
	if err != nil {
		return err
	}
	subnet, err := c.p.str("SubnetId")
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	x, err := c.e().CreateVpcBlockPublicAccessExclusion(model.VpcID(vpc), model.SubnetID(subnet), mode, tags)
	if err != nil {
		return c.p.at("InternetGatewayExclusionMode", err)
	}
	c.setRef(string(x.ID))
	c.set("ExclusionId", string(x.ID))
	return nil
}
