package cfn

import (
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeENIPermission is CloudFormation's network interface permission
// (aws-resource-ec2-networkinterfacepermission.html): AwsAccountId,
// NetworkInterfaceId and Permission, all required. Ref: the permission id;
// GetAtt Id.
const typeENIPermission = "AWS::EC2::NetworkInterfacePermission"

func createENIPermission(c *rctx) error {
	account, err := c.p.req("AwsAccountId")
	if err != nil {
		return err
	}
	eni, err := c.p.req("NetworkInterfaceId")
	if err != nil {
		return err
	}
	perm, err := c.p.req("Permission")
	if err != nil {
		return err
	}
	p, err := c.e().CreateNetworkInterfacePermission(model.NetworkInterfaceID(eni), account, "", perm)
	if err != nil {
		return c.p.at("NetworkInterfaceId", err)
	}
	c.setRef(p.ID)
	c.set("Id", p.ID)
	return nil
}
