package cfn

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeEndpointServicePermissions is the principals allowed to find and
// connect to a VPC endpoint service (ModifyVpcEndpointServicePermissions).
const typeEndpointServicePermissions = "AWS::EC2::VPCEndpointServicePermissions"

// keyPrincipals keeps the principals a permissions resource added, one a
// line, for its deletion.
const keyPrincipals = "AllowedPrincipals"

// createEndpointServicePermissions adds an
// AWS::EC2::VPCEndpointServicePermissions' AllowedPrincipals to its
// service's permissions (ModifyVpcEndpointServicePermissions). Its Ref and
// physical id are the service's id (the schema's primary identifier is
// ServiceId).
func createEndpointServicePermissions(c *rctx) error {
	p := c.p
	id, err := p.req("ServiceId")
	if err != nil {
		return err
	}
	principals, err := p.strs("AllowedPrincipals")
	if err != nil {
		return err
	}
	if _, err := c.e().ModifyEndpointServicePermissions(model.EndpointServiceID(id), principals, nil); err != nil {
		return p.at("AllowedPrincipals", err)
	}
	c.setRef(id)
	c.keep(keyPrincipals, strings.Join(principals, "\n"))
	return nil
}

// updateEndpointServicePermissions changes AllowedPrincipals in place:
// the principals gone from the list are removed, the new ones added.
func updateEndpointServicePermissions(c *rctx, old obj, _ []string) error {
	was, err := old.strs("AllowedPrincipals")
	if err != nil {
		return err
	}
	now, err := c.p.strs("AllowedPrincipals")
	if err != nil {
		return err
	}
	var add, remove []string
	for _, a := range now {
		if !slices.Contains(was, a) {
			add = append(add, a)
		}
	}
	for _, r := range was {
		if !slices.Contains(now, r) {
			remove = append(remove, r)
		}
	}
	if _, err := c.e().ModifyEndpointServicePermissions(model.EndpointServiceID(c.r.physical), add, remove); err != nil {
		return c.p.at("AllowedPrincipals", err)
	}
	c.keep(keyPrincipals, strings.Join(now, "\n"))
	return nil
}

// deleteEndpointServicePermissions removes the principals the resource
// added; a service already deleted has none left to remove.
func deleteEndpointServicePermissions(e *engine.Engine, r Resource) error {
	var remove []string
	if v := r.Keys[keyPrincipals]; v != "" {
		remove = strings.Split(v, "\n")
	}
	if len(remove) == 0 {
		return nil
	}
	_, err := e.ModifyEndpointServicePermissions(model.EndpointServiceID(r.PhysicalID), nil, remove)
	if notFound(err) {
		return nil
	}
	return err
}
