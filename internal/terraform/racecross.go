package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// crossModuleRaceWarning warns, once the service exists, of the
// listeners and rules in other modules forwarding to its target groups
// (by ARN) that the service does not depend on, even through module
// inputs and outputs: ecsnet created them first, but Terraform orders a
// module's output after what its value refers to only, so it may create
// the service first, and ECS then refuses it ("does not have an
// associated load balancer"). raceWarning covers a listener of the
// service's own module.
func (c *rctx) crossModuleRaceWarning(arns []string) {
	found := c.forwardingListeners(arns, c.mi)
	if len(found) == 0 {
		return
	}
	d := &depWalk{seen: map[string]bool{}}
	d.resource(c.mi, c.r.key())
	var missing, deps []string
	for _, f := range found {
		if d.seen[f.mi.path+f.r.key()] {
			continue
		}
		name := f.mi.path + f.r.key()
		if IsStandIn(f.mi.mod.dir) {
			// A stand-in's resources are not the user's to name.
			name = "the listeners of " + strings.TrimSuffix(f.mi.path, ".")
		}
		if !slices.Contains(missing, name) {
			missing = append(missing, name)
		}
		dep := f.r.key()
		if f.mi.path != c.mi.path {
			dep = "module." + rootCall(f.mi.path)
		}
		if !slices.Contains(deps, dep) {
			deps = append(deps, dep)
		}
	}
	if len(missing) == 0 {
		return
	}
	where := "the service"
	if c.mi.path != "" {
		where = fmt.Sprintf("module %q", rootCall(c.mi.path))
	}
	c.l.warnf(c.r.rng, "%s does not depend on %s, which puts its target group behind the load balancer: a module's output waits only for what its value refers to, so Terraform may create the service first; ECS then refuses it (\"does not have an associated load balancer\") and the provider retries for about two minutes, which a new load balancer and its listener (or a listener waiting for its certificate's validation) can outlast; add depends_on = [%s] to %s",
		c.addr, strings.Join(missing, " and "), strings.Join(deps, ", "), where)
}

// depWalk follows a resource's references across modules (module inputs,
// outputs, depends_on on module calls) and records every resource it
// depends on, by module path and key.
type depWalk struct {
	seen map[string]bool
}

func (d *depWalk) resource(mi *modInst, key string) {
	for _, r := range mi.mod.resources {
		if r.key() != key {
			continue
		}
		refs := refsOf(r.body)
		refs = append(refs, exprRefs(r.count)...)
		refs = append(refs, exprRefs(r.forEach)...)
		refs = append(refs, r.dependsOn...)
		d.refs(mi, refs)
	}
	// A module's resources wait for its call's depends_on.
	if mi.parent != nil {
		if c := callOf(mi); c != nil {
			d.refs(mi.parent, c.dependsOn)
			d.refs(mi.parent, exprRefs(c.count))
			d.refs(mi.parent, exprRefs(c.forEach))
		}
	}
}

func (d *depWalk) refs(mi *modInst, refs []hcl.Traversal) {
	for _, t := range refs {
		d.ref(mi, t)
	}
}

func (d *depWalk) ref(mi *modInst, t hcl.Traversal) {
	name := t.RootName()
	attr := func(i int) string {
		if len(t) > i {
			if a, ok := t[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	switch name {
	case "var":
		v := attr(1)
		if d.mark(mi.path+"var."+v) || mi.parent == nil {
			return
		}
		if c := callOf(mi); c != nil {
			if a := c.inputs[v]; a != nil {
				d.refs(mi.parent, exprRefs(a.Expr))
			}
		}
	case "local":
		l := attr(1)
		if d.mark(mi.path + "local." + l) {
			return
		}
		if a := mi.mod.locals[l]; a != nil {
			d.refs(mi, exprRefs(a.Expr))
		}
	case "module":
		callName := attr(1)
		ci := mi.calls[callName]
		if ci == nil {
			return
		}
		out := ""
		for _, s := range t[2:] {
			if a, ok := s.(hcl.TraverseAttr); ok {
				out = a.Name
				break
			}
		}
		for _, inst := range ci.insts {
			if out == "" {
				// The whole module (depends_on = [module.x]): all of it.
				for _, r := range inst.mod.resources {
					if !d.mark(inst.path + r.key()) {
						d.resource(inst, r.key())
					}
				}
				continue
			}
			if d.mark(inst.path + "output." + out) {
				continue
			}
			for _, o := range inst.mod.outputs {
				if o.name == out {
					d.refs(inst, exprRefs(o.expr))
				}
			}
		}
	case "data":
		k := "data." + attr(1) + "." + attr(2)
		if !d.mark(mi.path + k) {
			d.resource(mi, k)
		}
	case "each", "count", "path", "self", "terraform":
	default:
		if k := resourceKey(t); k != "" && !d.mark(mi.path+k) {
			d.resource(mi, k)
		}
	}
}

// mark records a node, reporting whether it was already seen.
func (d *depWalk) mark(k string) bool {
	if d.seen[k] {
		return true
	}
	d.seen[k] = true
	return false
}

// callOf is the call in mi's parent that made mi.
func callOf(mi *modInst) *call {
	rest := strings.TrimPrefix(mi.path, mi.parent.path)
	rest = strings.TrimPrefix(rest, "module.")
	rest = strings.TrimSuffix(rest, ".")
	if i := strings.IndexByte(rest, '['); i >= 0 {
		rest = rest[:i]
	}
	if ci := mi.parent.calls[rest]; ci != nil {
		return ci.c
	}
	return nil
}
