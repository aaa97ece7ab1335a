package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// dynamicUnconfigurable is Terraform's "Value for unconfigurable
// attribute" for a computed-only attribute given in a dynamic block's
// content (root_block_device's volume_id): once per block the dynamic
// block makes, named by the block's index among the resource's blocks of
// its type ("ebs_block_device.1.volume_id"), every one at the resource
// block's header (a generated block has no place in the file). A dynamic
// block whose for_each is unknown at validate (it refers to a variable, a
// resource, count or each, directly or through local values) makes
// nothing terraform validate can check: none is said. Only the resource's
// own dynamic blocks (not those nested in another block) are checked; the
// index of a set's element is as written [choice].
func (c *rctx) dynamicUnconfigurable() error {
	body, ok := c.r.body.(*hclsyntax.Body)
	if !ok || c.l.fromJSON || IsStandIn(c.r.rng.Filename) {
		return nil
	}
	if _, ok := providerSchemas[c.typ]; !ok {
		return nil
	}
	var el Errors
	static := map[string]int{}
	for _, b := range body.Blocks {
		if b.Type != "dynamic" {
			static[b.Type]++
			continue
		}
		if len(b.Labels) != 1 {
			continue
		}
		typ := b.Labels[0]
		nested, ok := nestedSchemas[c.typ+"."+typ]
		if !ok {
			continue
		}
		var content *hclsyntax.Body
		for _, cb := range b.Body.Blocks {
			if cb.Type == "content" {
				content = cb.Body
			}
		}
		fe := b.Body.Attributes["for_each"]
		if content == nil || fe == nil || !c.knownAtValidate(fe.Expr, 0) {
			continue
		}
		computed := strings.Fields(nested.computed)
		var given []string
		for name := range content.Attributes {
			if slices.Contains(computed, name) {
				given = append(given, name)
			}
		}
		if len(given) == 0 {
			continue
		}
		slices.Sort(given)
		// The dynamic block's elements follow the static blocks of its
		// type written before it.
		all := len(c.o.blocks(typ))
		n := all - static[typ]
		for i := 0; i < n; i++ {
			for _, name := range given {
				el = append(el, &Error{File: c.r.rng.Filename, Line: c.r.rng.Start.Line, Address: c.addr, Err: errValidate,
					Msg: fmt.Sprintf("Value for unconfigurable attribute: Can't configure a value for %q: its value will be decided automatically based on the result of applying this configuration.",
						fmt.Sprintf("%s.%d.%s", typ, static[typ]+i, name))})
			}
		}
		static[typ] += n
	}
	if len(el) == 0 {
		return nil
	}
	return el
}

// knownAtValidate reports whether an expression's value is known when
// terraform validate evaluates it: it refers to nothing but local values
// that are themselves known (variables, resources, count and each are
// unknown at validate).
func (c *rctx) knownAtValidate(e hcl.Expression, depth int) bool {
	if depth > 8 {
		return false
	}
	for _, tr := range e.Variables() {
		switch tr.RootName() {
		case "path", "terraform":
			continue
		case "local":
			if len(tr) < 2 {
				return false
			}
			attr, ok := tr[1].(hcl.TraverseAttr)
			if !ok {
				return false
			}
			def := c.mi.mod.locals[attr.Name]
			if def == nil || !c.knownAtValidate(def.Expr, depth+1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
