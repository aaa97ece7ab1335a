package terraform

import (
	"fmt"
	"strconv"
	"strings"

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

// terraformMeta are the arguments and blocks Terraform itself reads in a
// resource block: no provider schema declares them.
var terraformMeta = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true}

// lifecycleArgs are the arguments of Terraform's lifecycle block: written
// in the resource's body, no release of the provider has them.
var lifecycleArgs = map[string]bool{"create_before_destroy": true, "prevent_destroy": true, "ignore_changes": true,
	"replace_triggered_by": true}

// schemaErrors are Terraform's errors for a resource block's top-level
// arguments and blocks against the provider's schema, every one of them
// as `terraform validate` lists them: "Unsupported argument" (with the
// name within two edits of it, or the block of that name), "Unsupported
// block type", "Value for unconfigurable attribute" (a computed-only
// attribute), "Missing required argument" at the block's opening brace,
// "Insufficient … blocks" (a dynamic block of the type may make them).
// A type resourceArgs lists is known in every release: its unsupported
// names are in now. Otherwise the schema is providerSchemas' (one v5
// release): a name it does not know, near none it knows, may be one a
// later release added, so it is in later, refused only when the
// configuration gets v5 (checkSchemaLater). Arguments a major
// removed are left to noteRemoved.
func schemaErrors(r *resource, body *hclsyntax.Body, addr string) (now, later []*Error) {
	sch, ok := providerSchemas[r.typ]
	if !ok || body == nil || r.mode != "resource" || IsStandIn(r.rng.Filename) {
		return nil, nil
	}
	args, required, computed, blocks, mins := map[string]bool{}, []string{}, map[string]bool{}, map[string]bool{}, map[string]int{}
	var argNames, blockNames []string
	for _, a := range strings.Fields(sch.args) {
		if n, ok := strings.CutSuffix(a, "!"); ok {
			required = append(required, n)
			a = n
		}
		args[a] = true
		argNames = append(argNames, a)
	}
	for _, a := range strings.Fields(sch.computed) {
		computed[a] = true
	}
	for _, b := range strings.Fields(sch.blocks) {
		n, m, _ := strings.Cut(b, ":")
		blocks[n] = true
		blockNames = append(blockNames, n)
		if m != "" {
			mins[n], _ = strconv.Atoi(m)
		}
	}
	gone := map[string]bool{}
	for _, g := range removedArgs[r.typ] {
		gone[g.name] = true
	}
	_, allReleases := resourceArgs[r.typ]
	for _, a := range resourceArgs[r.typ] {
		args[a] = true
	}
	// A computed attribute set is refused once the block decodes, so
	// only when nothing else in it is refused.
	var unconfigurable []*Error
	at := func(line int, msg string) *Error {
		return &Error{File: r.rng.Filename, Line: line, Address: addr, Msg: msg}
	}
	for _, name := range sortedKeys(body.Attributes) {
		a := body.Attributes[name]
		if args[name] || terraformMeta[name] || gone[name] {
			continue
		}
		line := a.NameRange.Start.Line
		switch {
		case computed[name]:
			unconfigurable = append(unconfigurable, at(line, fmt.Sprintf("Value for unconfigurable attribute: Can't configure a value for %q: its value will be decided automatically based on the result of applying this configuration.", name)))
		case blocks[name]:
			now = append(now, at(line, fmt.Sprintf("Unsupported argument: An argument named %q is not expected here. Did you mean to define a block of type %q?", name, name)))
		default:
			msg := fmt.Sprintf("Unsupported argument: An argument named %q is not expected here.", name)
			if near := nearest(name, argNames); near != "" {
				now = append(now, at(line, msg+fmt.Sprintf(" Did you mean %q?", near)))
			} else if allReleases || lifecycleArgs[name] {
				now = append(now, at(line, msg))
			} else {
				later = append(later, at(line, msg))
			}
		}
	}
	count := map[string]int{}
	dynamic := map[string]bool{}
	for _, b := range body.Blocks {
		typ := b.Type
		if typ == "dynamic" && len(b.Labels) == 1 {
			typ = b.Labels[0]
			dynamic[typ] = true
		}
		count[typ]++
		if blocks[typ] || terraformMeta[typ] || gone[typ] || typ == "tags" { // a tags block: the graph's own error
			continue
		}
		line := b.DefRange().Start.Line
		msg := fmt.Sprintf("Unsupported block type: Blocks of type %q are not expected here.", typ)
		switch near := nearest(typ, blockNames); {
		case args[typ] || computed[typ]:
			now = append(now, at(line, msg+fmt.Sprintf(" Did you mean to define argument %q? If so, use the equals sign to assign it a value.", typ)))
		case near != "":
			now = append(now, at(line, msg+fmt.Sprintf(" Did you mean %q?", near)))
		case allReleases:
			now = append(now, at(line, msg))
		default:
			later = append(later, at(line, msg))
		}
	}
	open := body.SrcRange.Start.Line
	for _, n := range required {
		if _, ok := body.Attributes[n]; !ok {
			now = append(now, at(open, fmt.Sprintf("Missing required argument: The argument %q is required, but no definition was found.", n)))
		}
	}
	for _, n := range blockNames {
		if m := mins[n]; m > 0 && count[n] < m && !dynamic[n] {
			now = append(now, at(open, fmt.Sprintf("Insufficient %s blocks: At least %d %q blocks are required.", n, m, n)))
		}
	}
	if len(now) == 0 && len(later) == 0 {
		now = unconfigurable
	}
	return now, later
}

// checkSchemaLater refuses the names of resource blocks that the provider
// schema ecsnet holds (providerSchemaVersion) does not have when the
// configuration gets that major: a newer major may have added them, an
// older one may have had them (v4's EC2-Classic arguments, …).
func (l *loader) checkSchemaLater() error {
	if len(l.schemaLater) == 0 || l.fromJSON {
		return nil
	}
	if major, _ := l.awsProviderMajor(); major != schemaMajor() {
		return nil
	}
	var el errorList
	for _, e := range l.schemaLater {
		e.Err = errValidate
		el.add(e)
	}
	return el.err()
}

// configPath is a module instance's path without its instance keys
// (module.svc[0]. → module.svc.): terraform validate checks a module's
// configuration once, whatever its count or for_each.
func configPath(path string) string {
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// schemaMajor is providerSchemaVersion's major release.
func schemaMajor() int {
	m, _, _ := strings.Cut(providerSchemaVersion, ".")
	n, _ := strconv.Atoi(m)
	return n
}

// resourceSchema is a resource type's top-level schema in one release of
// the provider (schema_data.go): space-separated names.
type resourceSchema struct {
	args, computed, blocks string
}
