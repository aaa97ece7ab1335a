package terraform

import (
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_network_interface_permission: network_interface_id, aws_account_id
// and permission; id and permission_id are the permission's id.
func createENIPermission(c *rctx) error {
	eni, err := c.req("network_interface_id")
	if err != nil {
		return err
	}
	account, err := c.req("aws_account_id")
	if err != nil {
		return err
	}
	perm, err := c.req("permission")
	if err != nil {
		return err
	}
	p, err := c.e().CreateNetworkInterfacePermission(model.NetworkInterfaceID(eni), account, "", perm)
	if err != nil {
		return c.fail("network_interface_id", err)
	}
	c.created(p.ID, p.ID)
	c.set("permission_id", p.ID)
	return nil
}
