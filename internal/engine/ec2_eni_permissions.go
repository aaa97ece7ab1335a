package engine

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ENI permissions (CreateNetworkInterfacePermission and its Describe and
// Delete) live on their network interface (model.NetworkInterface's
// Permissions): deleting the interface deletes them. ecsnet models one
// account, so a grant is recorded and described, and gates nothing.

// errENIPermissionNotFound is the answer for an unknown permission id; the
// code is the one terraform-provider-aws matches
// (docs/aws-behavior.md), the text is ecsnet's.
func errENIPermissionNotFound(id string) error {
	return apierr.Newf("InvalidNetworkInterfacePermissionID.NotFound", "The network interface permission ID '%s' does not exist", id)
}

// CreateNetworkInterfacePermission grants account the permission
// (INSTANCE-ATTACH or EIP-ASSOCIATE) on the interface id. AwsService is
// documented as not supported: service must be empty.
func (e *Engine) CreateNetworkInterfacePermission(id model.NetworkInterfaceID, account, service, permission string) (model.ENIPermission, error) {
	var out model.ENIPermission
	err := e.write(func(t *txn) error {
		switch permission {
		case "INSTANCE-ATTACH", "EIP-ASSOCIATE":
		case "":
			return errMissingParameter("permission")
		default:
			return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter permission is invalid. Valid values: INSTANCE-ATTACH, EIP-ASSOCIATE", permission)
		}
		if service != "" {
			return apierr.New("InvalidParameterValue", "The parameter awsService is not supported. Grant the permission to an account (awsAccountId).")
		}
		if account == "" {
			return errMissingParameter("awsAccountId")
		}
		if !accountID.MatchString(account) {
			return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter awsAccountId is invalid. It must be a 12-digit account ID.", account)
		}
		n, err := t.eni(id)
		if err != nil {
			return err
		}
		out = model.ENIPermission{ID: t.newID("eni-perm"), AccountID: account, Permission: permission, State: "granted"}
		c := cloneENI(n)
		c.Permissions = append(c.Permissions, out)
		t.putENI(c)
		return nil
	})
	return out, err
}

// DeleteNetworkInterfacePermission removes a permission. Without force it
// refuses while the interface is attached to an instance of the account
// the permission was granted to (the API's Force: "remove the permission
// even if the network interface is attached to an instance").
func (e *Engine) DeleteNetworkInterfacePermission(id string, force bool) error {
	return e.write(func(t *txn) error {
		for _, n := range t.st.NetworkInterfaces {
			i := slices.IndexFunc(n.Permissions, func(p model.ENIPermission) bool { return p.ID == id })
			if i < 0 {
				continue
			}
			p := n.Permissions[i]
			if !force && p.Permission == "INSTANCE-ATTACH" && n.Attachment != nil && n.Attachment.InstanceOwnerID == p.AccountID {
				return apierr.Newf("IncorrectState", "The network interface %s is attached to an instance of account %s. Specify force to remove the permission.", n.ID, p.AccountID)
			}
			c := cloneENI(n)
			c.Permissions = slices.Delete(c.Permissions, i, i+1)
			if len(c.Permissions) == 0 {
				c.Permissions = nil
			}
			t.putENI(c)
			return nil
		}
		return errENIPermissionNotFound(id)
	})
}
