package terraform

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// resourceArgs are, for the resource types whose schema ecsnet knows in
// full, the top-level arguments and blocks of every hashicorp/aws release
// from v3 on (their union: a name none of them declares is refused
// whichever release is installed). Terraform refuses any other name at
// validate, before anything is created: "Unsupported argument: An argument
// named "name" is not expected here." A type not listed is not checked
// (warnUnread names what ecsnet leaves unread).
var resourceArgs = map[string][]string{
	// [doc] registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint
	"aws_vpc_endpoint": {"auto_accept", "dns_options", "ip_address_type", "policy", "private_dns_enabled", "region",
		"resource_configuration_arn", "route_table_ids", "security_group_ids", "service_name", "service_network_arn",
		"service_region", "subnet_configuration", "subnet_ids", "tags", "vpc_endpoint_type", "vpc_id"},
	// An endpoint service (PrivateLink, in front of an NLB or a GWLB) is
	// not an endpoint: configurations that write one for ecr.dkr or s3
	// give it the endpoint's arguments. hashicorp/aws 5.100.0's schema
	// (`terraform providers schema -json`), v6's region; service_name is
	// computed, and terraform validate does not refuse it.
	// [doc] registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint_service
	"aws_vpc_endpoint_service": {"acceptance_required", "allowed_principals", "gateway_load_balancer_arns", "id",
		"network_load_balancer_arns", "private_dns_name", "region", "service_name", "supported_ip_address_types",
		"supported_regions", "tags", "tags_all", "timeouts"},
}

// checkSchema refuses a top-level argument or block of a resource whose
// type resourceArgs lists that the type's schema does not have.
func (c *rctx) checkSchema(body *hclsyntax.Body) error {
	args, ok := resourceArgs[c.r.typ]
	if !ok || body == nil || c.r.mode == "data" {
		return nil
	}
	known := map[string]bool{}
	for _, a := range args {
		known[a] = true
	}
	type bad struct {
		name, kind string
		line       int
	}
	var bads []bad
	for name, a := range body.Attributes {
		if !known[name] && !metaArgs[name] {
			bads = append(bads, bad{name, "An argument", a.SrcRange.Start.Line})
		}
	}
	for _, b := range body.Blocks {
		typ := b.Type
		if typ == "dynamic" && len(b.Labels) == 1 {
			typ = b.Labels[0]
		}
		if !known[typ] && !metaArgs[typ] {
			bads = append(bads, bad{typ, "Blocks of type", b.DefRange().Start.Line})
		}
	}
	if len(bads) == 0 {
		return nil
	}
	sort.Slice(bads, func(i, j int) bool { return bads[i].line < bads[j].line })
	b := bads[0]
	msg := fmt.Sprintf("Unsupported argument: An argument named %q is not expected here.", b.name)
	if b.kind != "An argument" {
		msg = fmt.Sprintf("Unsupported block type: Blocks of type %q are not expected here.", b.name)
	}
	return &Error{File: c.r.rng.Filename, Line: b.line, Address: c.addr, Msg: msg}
}
