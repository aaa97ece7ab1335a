package terraform

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
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

// schemaErrors are Terraform's errors for a resource block's arguments
// and blocks against the provider's schema, at every depth of nested
// blocks, every one of them as `terraform validate` lists them:
// "Unsupported argument" (with the name within two edits of it, or the
// block of that name), "Unsupported block type", "Value for
// unconfigurable attribute" (a computed-only top-level attribute),
// "Missing required argument" at the block's opening brace, "Insufficient
// … blocks" and "Too many … blocks" (a dynamic block of the type may make
// them), "Duplicate … block" (a block Terraform takes one of), and
// "Incorrect attribute value type" for a list of objects written as an
// argument that leaves out some of the objects' attributes.
// A type resourceArgs lists is known in every release: its unsupported
// top-level names are in now. Otherwise the schema is providerSchemas'
// (one v5 release): a name it does not know, near none it knows, may be
// one a later release added, so it is in later, refused only when the
// configuration gets v5 (checkSchemaLater); a type of providerNames has
// only its top level checked. Arguments a major removed are
// left to noteRemoved. unread are the places of the arguments and blocks
// refused: Terraform reads a body through the schema, so the references
// in them are not edges of its graph.
func schemaErrors(r *resource, body *hclsyntax.Body, addr, root string) (now, later []*Error, unread []hcl.Range) {
	sch, ok := providerSchemas[r.typ]
	namesOnly := false
	if !ok {
		// A type ecsnet does not read: its top level alone (a web
		// ACL's rule block where the type has rules).
		sch, ok = providerNames[r.typ]
		namesOnly = ok
	}
	if !ok || body == nil || r.mode != "resource" || IsStandIn(r.rng.Filename) {
		return nil, nil, nil
	}
	c := &schemaCheck{r: r, addr: addr, root: root}
	c.block(r.typ, sch, body, true, "")
	if namesOnly {
		// No table of the names earlier majors removed is kept for
		// these types: each error is of the schema's major alone.
		c.later = append(c.now, c.later...)
		c.now = nil
	}
	if len(c.now) == 0 && len(c.later) == 0 {
		c.now = c.unconfigurable
	}
	return c.now, c.later, c.unread
}

// schemaCheck gathers one resource block's schema errors.
type schemaCheck struct {
	r     *resource
	addr  string
	root  string // the root module's directory, which Terraform names files from
	now   []*Error
	later []*Error
	// A computed attribute set is refused once the block decodes, so
	// only when nothing else in it is refused.
	unconfigurable []*Error
	unread         []hcl.Range // the arguments and blocks refused
}

func (c *schemaCheck) at(line int, msg string) *Error {
	return &Error{File: c.r.rng.Filename, Line: line, Address: c.addr, Msg: msg}
}

// block checks one body against its schema (path is the resource type,
// then each nested block's type, dot-separated) and every nested block
// against nestedSchemas; top is the resource's own body, where
// Terraform's meta-arguments are; at is Terraform's name of a nested
// block ("root_block_device.0."), "" when it has none that ecsnet knows
// (a dynamic block's content).
func (c *schemaCheck) block(path string, sch resourceSchema, body *hclsyntax.Body, top bool, at string) {
	args, required, computed, blocks, single := map[string]bool{}, []string{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	mins, maxes := map[string]int{}, map[string]int{}
	laterBefore := len(c.later)
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
		parts := strings.Split(b, ":")
		n := parts[0]
		blocks[n] = true
		blockNames = append(blockNames, n)
		if len(parts) > 1 {
			mins[n], _ = strconv.Atoi(parts[1])
		}
		if len(parts) > 2 {
			maxes[n], _ = strconv.Atoi(parts[2])
		}
	}
	for _, n := range strings.Fields(sch.single) {
		blocks[n], single[n] = true, true
		blockNames = append(blockNames, n)
	}
	// Arguments a major removed are left to noteRemoved (a nested one is
	// named by its path: route.instance_id).
	gone := map[string]bool{}
	rel := strings.TrimPrefix(strings.TrimPrefix(path, c.r.typ), ".")
	for _, g := range removedArgs[c.r.typ] {
		if top && !strings.Contains(g.name, ".") {
			gone[g.name] = true
		} else if i := strings.LastIndex(g.name, "."); i > 0 && g.name[:i] == rel {
			gone[g.name[i+1:]] = true
		}
	}
	allReleases := false
	if top {
		_, allReleases = resourceArgs[c.r.typ]
		for _, a := range resourceArgs[c.r.typ] {
			args[a] = true
		}
	}
	meta := func(name string) bool { return top && terraformMeta[name] }
	// A nested block's schema may differ in another major (v6's
	// regex_values made host_header's values optional): its errors are
	// refused only when the configuration gets the schema's major.
	refuse := func(e *Error) {
		if top {
			c.now = append(c.now, e)
		} else {
			c.later = append(c.later, e)
		}
	}
	for _, name := range sortedKeys(body.Attributes) {
		a := body.Attributes[name]
		if args[name] && blocks[name] {
			// A list of objects written as an argument: each object
			// must give every attribute (extra ones are dropped).
			// A security group's rule object is the same in every
			// release from v3; another type's (a route table's route)
			// changed between majors.
			if e := c.objectListError(path+"."+name, name, a); e != nil && sameObjectEveryRelease[path+"."+name] {
				c.now = append(c.now, e)
			} else if e != nil {
				c.later = append(c.later, e)
			}
		}
		if args[name] || meta(name) || gone[name] || (!top && computed[name] && at == "") {
			continue
		}
		line := a.NameRange.Start.Line
		if !computed[name] {
			c.unread = append(c.unread, a.SrcRange)
		}
		switch {
		case computed[name]:
			// A nested block's computed attribute (root_block_device's
			// volume_id) is named by its path; an element of a set
			// has no place in the file, so Terraform says it at the
			// resource block's header.
			if sch.set {
				line = c.r.rng.Start.Line
			}
			c.unconfigurable = append(c.unconfigurable, c.at(line, fmt.Sprintf("Value for unconfigurable attribute: Can't configure a value for %q: its value will be decided automatically based on the result of applying this configuration.", at+name)))
		case blocks[name]:
			refuse(c.at(line, fmt.Sprintf("Unsupported argument: An argument named %q is not expected here. Did you mean to define a block of type %q?", name, name)))
		default:
			msg := fmt.Sprintf("Unsupported argument: An argument named %q is not expected here.", name)
			if near := nearest(name, argNames); near != "" {
				refuse(c.at(line, msg+fmt.Sprintf(" Did you mean %q?", near)))
			} else if allReleases || (top && lifecycleArgs[name]) {
				refuse(c.at(line, msg))
			} else {
				c.later = append(c.later, c.at(line, msg))
			}
		}
	}
	count := map[string]int{}
	first := map[string]*hclsyntax.Block{}
	dynamic, anyDynamic := map[string]bool{}, map[string]bool{}
	for _, b := range body.Blocks {
		if b.Type == "dynamic" && len(b.Labels) == 1 {
			anyDynamic[b.Labels[0]] = true
		} else if nested, ok := nestedSchemas[path+"."+b.Type]; ok && nested.set && refersToAny(b.Body) {
			// A set with an element whose value is unknown at validate
			// (a variable's, a resource's) is unknown as a whole: the
			// provider checks none of its elements.
			anyDynamic[b.Type] = true
		}
	}
	for _, b := range body.Blocks {
		typ, inner := b.Type, b.Body
		if typ == "dynamic" && len(b.Labels) == 1 {
			typ = b.Labels[0]
			dynamic[typ] = true
			inner = nil
			for _, cb := range b.Body.Blocks {
				if cb.Type == "content" {
					inner = cb.Body
				}
			}
		}
		count[typ]++
		line := b.DefRange().Start.Line
		if blocks[typ] && !dynamic[typ] {
			switch {
			case single[typ] && count[typ] == 2:
				refuse(c.at(line, fmt.Sprintf("Duplicate %s block: Only one block of type %q is allowed. Previous definition was at %s.", typ, typ, c.rangeString(first[typ].DefRange()))))
			case maxes[typ] > 0 && count[typ] == maxes[typ]+1:
				refuse(c.at(line, fmt.Sprintf("Too many %s blocks: No more than %d %q blocks are allowed", typ, maxes[typ], typ)))
			}
		}
		if first[typ] == nil {
			first[typ] = b
		}
		if blocks[typ] {
			if nested, ok := nestedSchemas[path+"."+typ]; ok && inner != nil {
				// The block's index among its type's blocks, when no
				// dynamic block of the type makes it unknown here (a
				// set's elements numbered as written: [choice]).
				where := ""
				if !anyDynamic[typ] && (top || at != "") {
					where = fmt.Sprintf("%s%s.%d.", at, typ, count[typ]-1)
				}
				c.block(path+"."+typ, nested, inner, false, where)
			}
			continue
		}
		if top && typ == "tags" {
			c.unread = append(c.unread, b.Range())
		}
		if meta(typ) || gone[typ] || (top && typ == "tags") { // a tags block: the graph's own error
			continue
		}
		c.unread = append(c.unread, b.Range())
		msg := fmt.Sprintf("Unsupported block type: Blocks of type %q are not expected here.", typ)
		switch near := nearest(typ, blockNames); {
		case args[typ] || computed[typ]:
			refuse(c.at(line, msg+fmt.Sprintf(" Did you mean to define argument %q? If so, use the equals sign to assign it a value.", typ)))
		case near != "":
			refuse(c.at(line, msg+fmt.Sprintf(" Did you mean %q?", near)))
		case allReleases:
			refuse(c.at(line, msg))
		default:
			c.later = append(c.later, c.at(line, msg))
		}
	}
	open := body.SrcRange.Start.Line
	for _, n := range required {
		if _, ok := body.Attributes[n]; !ok {
			msg := c.at(open, fmt.Sprintf("Missing required argument: The argument %q is required, but no definition was found.", n))
			if len(c.later) > laterBefore {
				// The block has arguments of a later release, which may
				// no longer require it (aws_nat_gateway's subnet_id with
				// availability_mode regional, hashicorp/aws v6).
				c.later = append(c.later, msg)
				continue
			}
			refuse(msg)
		}
	}
	for _, n := range blockNames {
		if m := mins[n]; m > 0 && count[n] < m && !dynamic[n] {
			refuse(c.at(open, fmt.Sprintf("Insufficient %s blocks: At least %d %q blocks are required.", n, m, n)))
		}
	}
}

// refersToAny reports whether an argument of a body, or of a block in
// it, refers to anything (a variable, a local, a resource's attribute).
func refersToAny(body *hclsyntax.Body) bool {
	for _, a := range body.Attributes {
		if len(a.Expr.Variables()) > 0 {
			return true
		}
	}
	for _, b := range body.Blocks {
		if refersToAny(b.Body) {
			return true
		}
	}
	return false
}

// rangeString is a range as Terraform writes it in a message
// ("main.tf:110,3-11"), its file named from the root module's directory.
func (c *schemaCheck) rangeString(rg hcl.Range) string {
	if rel, err := filepath.Rel(c.root, rg.Filename); err == nil && !strings.HasPrefix(rel, "..") {
		rg.Filename = rel
	}
	return rg.String()
}

// objectListError is Terraform's error for a list of objects written as
// an argument (ingress = [{ … }]) whose first object that leaves out some
// of the attributes (every one is required when it is not written as
// blocks) is that element: "element 1: attributes "description" and
// "self" are required" (cty's conversion message). Only a list of object
// constructors with constant keys is read; anything else is left to the
// value's evaluation.
func (c *schemaCheck) objectListError(path, name string, a *hclsyntax.Attribute) *Error {
	list, ok := a.Expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	nested, ok := nestedSchemas[path]
	if !ok {
		return nil
	}
	want := strings.Fields(nested.args)
	for i, item := range list.Exprs {
		obj, ok := item.(*hclsyntax.ObjectConsExpr)
		if !ok {
			return nil
		}
		have := map[string]bool{}
		for _, kv := range obj.Items {
			k, ok := constantKey(kv.KeyExpr)
			if !ok {
				return nil
			}
			have[k] = true
		}
		var missing []string
		for _, w := range want {
			if !have[w] {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 {
			continue
		}
		var what string
		switch len(missing) {
		case 1:
			what = fmt.Sprintf("attribute %q is", missing[0])
		case 2:
			what = fmt.Sprintf("attributes %q and %q are", missing[0], missing[1])
		default:
			var b strings.Builder
			for _, m := range missing[:len(missing)-1] {
				fmt.Fprintf(&b, "%q, ", m)
			}
			fmt.Fprintf(&b, "and %q", missing[len(missing)-1])
			what = "attributes " + b.String() + " are"
		}
		return c.at(a.Expr.Range().Start.Line, fmt.Sprintf("Incorrect attribute value type: Inappropriate value for attribute %q: element %d: %s required.", name, i, what))
	}
	return nil
}

// sameObjectEveryRelease are the lists of objects whose object type is
// the same in every release of the provider from v3 on (description,
// from_port, to_port, protocol, cidr_blocks, ipv6_cidr_blocks,
// prefix_list_ids, security_groups, self).
var sameObjectEveryRelease = map[string]bool{"aws_security_group.ingress": true, "aws_security_group.egress": true,
	"aws_default_security_group.ingress": true, "aws_default_security_group.egress": true}

// constantKey is an object constructor's key when it is a bare name or a
// constant string.
func constantKey(e hclsyntax.Expression) (string, bool) {
	if k := hcl.ExprAsKeyword(e); k != "" {
		return k, true
	}
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
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

// resourceSchema is a resource type's top-level schema, or a nested
// block's, in one release of the provider (schema_data.go): space-separated
// names; a block of blocks is name[:min[:max]], single are the blocks of
// which Terraform takes one (timeouts).
type resourceSchema struct {
	args, computed, blocks, single string
	set                            bool // a nested block of the set nesting mode
}
