package terraform

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// A plan's dynamic blocks. `terraform show -json` of a plan expands a
// `dynamic` block in planned_values (one element per for_each element,
// its known arguments), leaves out an argument known only after apply
// (resource_changes[].change.after_unknown marks it true) and keeps no
// expression for the block in its configuration: the references that
// would name the argument's resource are lost. An argument whose name
// says what it refers to (a load_balancer's target_group_arn, an
// ingress's security_groups) is taken from the plan's only resource of
// that kind, the resource itself excepted (a group cannot name itself
// through its own id) [probable]; with none or several, the block is
// left out, with a warning.

// dynamicRef says which resources an argument of a dynamic block names.
type dynamicRef struct {
	types []string
	attr  string // the attribute of theirs it takes
	list  bool   // the argument is a list of them
}

// dynamicRefs are the arguments read this way, by name.
var dynamicRefs = map[string]dynamicRef{
	"target_group_arn":         {types: []string{"aws_lb_target_group", "aws_alb_target_group"}, attr: "arn"},
	"target_group_arns":        {types: []string{"aws_lb_target_group", "aws_alb_target_group"}, attr: "arn", list: true},
	"registry_arn":             {types: []string{"aws_service_discovery_service"}, attr: "arn"},
	"security_groups":          {types: []string{"aws_security_group"}, attr: "id", list: true},
	"source_security_group_id": {types: []string{"aws_security_group"}, attr: "id"},
	"subnet_id":                {types: []string{"aws_subnet"}, attr: "id"},
	"subnets":                  {types: []string{"aws_subnet"}, attr: "id", list: true},
	"allocation_id":            {types: []string{"aws_eip"}, attr: "id"},
	"certificate_arn":          {types: []string{"aws_acm_certificate"}, attr: "arn"},
	"file_system_id":           {types: []string{"aws_efs_file_system"}, attr: "id"},
	"access_point_id":          {types: []string{"aws_efs_access_point"}, attr: "id"},
	"auto_scaling_group_arn":   {types: []string{"aws_autoscaling_group"}, attr: "arn"},
	"prefix_list_ids":          {types: []string{"aws_ec2_managed_prefix_list"}, attr: "id", list: true},
}

// fillDynamicBlocks fills the arguments of a plan's dynamic blocks that
// are known only after apply (unknown is the instance's after_unknown),
// from the plan's only resource of the kind they name; a block element
// with such an argument it cannot fill is left out, with a warning.
// byType lists the plan's managed instances by type. Until final (a
// security group's rules wait for every group), it only fills.
func (rs refs) fillDynamicBlocks(l *loader, jr *jsonResource, byType map[string][]string, final bool) {
	unknown := jr.unknown
	if jr.dynamicDone || unknown == nil {
		return
	}
	jr.dynamicDone = final
	keys := make([]string, 0, len(unknown))
	for k := range unknown {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		blocks, ok := jr.values[k].([]any)
		if !ok || len(blocks) == 0 {
			continue
		}
		if e := jr.exprs[k]; e != nil && len(e.NestedBlocks) > 0 {
			continue // a written block: its references are in the configuration
		}
		marks, _ := unknown[k].([]any)
		var kept []any
		for i, b := range blocks {
			bm, ok := b.(map[string]any)
			if !ok || i >= len(marks) {
				kept = append(kept, b)
				continue
			}
			um, _ := marks[i].(map[string]any)
			if missing := rs.fillDynamicBlock(jr, bm, um, byType); missing != "" && final {
				l.res.Warnings = append(l.res.Warnings, Warning{File: l.root, Msg: fmt.Sprintf(
					"%s: %s block %d is left out: its %s is known only after apply and the plan keeps no reference for a dynamic block's arguments (the plan holds %s); read the configuration's directory instead",
					jr.addr, k, i+1, missing, rs.candidatesText(dynamicRefs[missing], jr, byType))})
				continue
			}
			kept = append(kept, bm)
		}
		jr.values[k] = kept
	}
}

// fillDynamicBlock fills one block element's unknown arguments; it
// returns the name of one it could not fill ("" when none).
func (rs refs) fillDynamicBlock(jr *jsonResource, block, marks map[string]any, byType map[string][]string) string {
	names := make([]string, 0, len(marks))
	for k := range marks {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if marks[k] != true || block[k] != nil {
			continue
		}
		ref, ok := dynamicRefs[k]
		if !ok {
			continue
		}
		addr := rs.onlyOther(ref.types, jr, byType)
		o := rs.outs[addr]
		if addr == "" || o == nil {
			return k
		}
		v, ok := ctyString(o[ref.attr])
		if !ok || v == "" {
			return k
		}
		if ref.list {
			block[k] = []any{v}
		} else {
			block[k] = v
		}
	}
	return ""
}

// onlyOther is the address of the plan's only instance of types other
// than jr itself, "" when there is none or more than one.
func (rs refs) onlyOther(types []string, jr *jsonResource, byType map[string][]string) string {
	var found []string
	for _, t := range types {
		for _, a := range byType[t] {
			if a != jr.addr {
				found = append(found, a)
			}
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

// candidatesText says what the plan holds of a reference's types.
func (rs refs) candidatesText(ref dynamicRef, jr *jsonResource, byType map[string][]string) string {
	var found []string
	for _, t := range ref.types {
		for _, a := range byType[t] {
			if a != jr.addr {
				found = append(found, a)
			}
		}
	}
	if len(found) == 0 {
		return "no " + strings.Join(ref.types, " or ")
	}
	slices.Sort(found)
	return strings.Join(found, ", ")
}

// afterUnknown maps a plan's managed instance addresses to their
// change's after_unknown object.
func afterUnknown(p *tfjson.Plan) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, rc := range p.ResourceChanges {
		if rc == nil || rc.Change == nil || rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if m, ok := rc.Change.AfterUnknown.(map[string]any); ok {
			out[rc.Address] = m
		}
	}
	return out
}
