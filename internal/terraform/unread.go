package terraform

import (
	"slices"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/suggest"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Terraform refuses an argument the provider's schema does not have
// ("Unsupported argument"); ecsnet has no schema (the provider cannot be
// installed here), so an argument it does not read was dropped unsaid: a
// misspelt cidr_block in an ingress block left the rule out, and the
// verdicts followed. warnUnread names, once the handler has run, the
// arguments and blocks of a resource it modelled that the handler never
// asked for: one close to an argument it did read (cidr_block for
// cidr_blocks) as a probable misspelling Terraform would refuse, the
// others in one line (arguments that do not change how packets flow, or
// that are not the resource type's).

// metaArgs are Terraform's own arguments and blocks, and arguments every
// resource has that ecsnet has no use for.
var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "provisioner": true, "connection": true, "timeouts": true, "tags_all": true}

func (c *rctx) warnUnread(body *hclsyntax.Body, reads map[string]bool) {
	if body == nil || c.r.mode == "data" || c.skip != "" || IsStandIn(c.r.rng.Filename) {
		return
	}
	if _, ok := handlerFor(c.r.typ); !ok {
		return
	}
	var typos, others []string
	unread(body, "", reads, func(path, name string, line int, near string) {
		if near != "" {
			c.l.warnf(c.r.rng, "%s: %s%s (line %d) is not an argument ecsnet reads; did you mean %s? Terraform refuses an unsupported argument, and ecsnet ignored it",
				c.addr, path, name, line, near)
			typos = append(typos, path+name)
			return
		}
		others = append(others, path+name)
	})
	if len(others) > 0 {
		sort.Strings(others)
		others = slices.Compact(others) // a block written several times is named once
		c.l.warnf(c.r.rng, "%s: ecsnet does not read %s (it models what changes how packets flow; an argument that is not %s's is refused by Terraform)",
			c.addr, strings.Join(others, ", "), c.r.typ)
	}
}

// unread calls f for each argument or block of body under path that
// reads does not hold, with the read argument of the same block it is
// closest to ("" when none is).
func unread(body *hclsyntax.Body, path string, reads map[string]bool, f func(path, name string, line int, near string)) {
	var read []string
	for k := range reads {
		if rest, ok := strings.CutPrefix(k, path); ok && !strings.Contains(rest, ".") {
			read = append(read, rest)
		}
	}
	sort.Strings(read)
	names := make([]string, 0, len(body.Attributes))
	for k := range body.Attributes {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if path == "" && metaArgs[k] || reads[path+k] {
			continue
		}
		near := nearest(k, read)
		if lit, ok := body.Attributes[k].Expr.(*hclsyntax.LiteralValueExpr); ok && lit.Val.IsNull() && near == "" {
			// name_prefix = null: Terraform takes a null argument as
			// one not set, so there is nothing ecsnet leaves unread.
			continue
		}
		f(path, k, body.Attributes[k].SrcRange.Start.Line, near)
	}
	for _, b := range body.Blocks {
		typ, inner := b.Type, b.Body
		if typ == "dynamic" && len(b.Labels) == 1 {
			typ = b.Labels[0]
			for _, cb := range b.Body.Blocks {
				if cb.Type == "content" {
					inner = cb.Body
				}
			}
		}
		if path == "" && metaArgs[typ] {
			continue
		}
		if !reads[path+typ] {
			f(path, typ, b.DefRange().Start.Line, nearest(typ, read))
			continue
		}
		if b.Type == "dynamic" && !readUnder(reads, path+typ+".") {
			// A dynamic block that made no block in this instance (an
			// empty for_each): its content was never there to read.
			continue
		}
		unread(inner, path+typ+".", reads, f)
	}
}

// readUnder reports whether the handler read anything under a path.
func readUnder(reads map[string]bool, prefix string) bool {
	for k := range reads {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// nearest is the read name within two edits of name (suggest.Distance:
// two letters swapped are one edit), "" when none is.
func nearest(name string, read []string) string {
	best, bd := "", 3
	for _, r := range read {
		if d := suggest.Distance(name, r); d < bd {
			best, bd = r, d
		}
	}
	return best
}
