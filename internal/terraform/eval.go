package terraform

import (
	"cmp"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// modInst is one instance of a module being evaluated.
type modInst struct {
	l         *loader
	mod       *module
	parent    *modInst
	path      string // "" for the root, else "module.a." or `module.a["x"].module.b.`
	key       string // the manifest key: "a.b"
	vars      map[string]cty.Value
	locals    map[string]cty.Value
	res       map[string]cty.Value // resource or data key → value
	mods      map[string]cty.Value
	outputs   map[string]cty.Value
	providers map[string]providerCfg
	funcs     map[string]function.Function
	attrRefs  map[string]map[string]bool // resource key → attributes referenced
	// attrSubs are the attributes referenced inside a nested block's
	// first element (resource key → block → attributes: endpoint[0].address).
	attrSubs map[string]map[string]map[string]bool
	// looseAttrs are attributes read through splats, for expressions and
	// iterators (aws_subnet.public[*].ipv6_cidr_block, s.arn): every
	// resource value has them, unknown when not set.
	looseAttrs map[string]bool
	// pending are the instance's nodes in dependency order and done those
	// evaluated: a child module is evaluated as its inputs arrive, as in
	// Terraform's graph, where a module's variables and outputs are nodes
	// of their own (module A may read module B's output while B reads
	// one of A's).
	pending []*node
	done    map[string]bool
	// failed are the nodes that failed, or that need one that did.
	failed map[string]bool
	// schemaRefused are the resources with arguments the provider's schema
	// refuses (schemaLater): terraform does not ask the provider to
	// validate their values.
	schemaRefused map[string]bool
	// calls are the instances of this module's module calls.
	calls map[string]*callInsts
	// call and callKey are the module call that made this instance and
	// its instance (nil for the root module).
	call    *call
	callKey instance
	// plan and resInfo are the plan view (planview.go).
	plan    *planView
	resInfo map[string]*resPlanInfo
}

// callInsts are the child instances of one module call.
type callInsts struct {
	c     *call
	ins   []instance
	insts []*modInst
	dir   string
}

// providerCfg is an aws provider configuration.
type providerCfg struct {
	region      string
	defaultTags map[string]string
	// profile and configFiles are the provider's profile and
	// shared_config_files arguments, where it looks for a region it
	// is not given.
	profile     string
	configFiles []string
}

func (l *loader) newInst(m *module, parent *modInst, path, key string, vars map[string]cty.Value) *modInst {
	return &modInst{l: l, mod: m, parent: parent, path: path, key: key, vars: vars, locals: map[string]cty.Value{},
		res: map[string]cty.Value{}, mods: map[string]cty.Value{}, outputs: map[string]cty.Value{}, funcs: functions(l.cwd()),
		done: map[string]bool{}, failed: map[string]bool{}, calls: map[string]*callInsts{}}
}

// cwd is where file() and templatefile() resolve relative paths: the
// root module's directory, where terraform runs.
func (l *loader) cwd() string { return l.root }

// node is one thing to evaluate in a module.
type node struct {
	key  string
	deps []string
	refs []hcl.Traversal
	rng  hcl.Range
}

// refsOf lists the references in a body, its nested blocks included.
func refsOf(body hcl.Body) []hcl.Traversal {
	if body == nil {
		return nil
	}
	if sb, ok := body.(*hclsyntax.Body); ok {
		var out []hcl.Traversal
		for _, a := range sb.Attributes {
			out = append(out, exprRefs(a.Expr)...)
		}
		for _, b := range sb.Blocks {
			out = append(out, refsOf(b.Body)...)
		}
		return out
	}
	attrs, _ := body.JustAttributes()
	var out []hcl.Traversal
	for _, a := range attrs {
		out = append(out, a.Expr.Variables()...)
	}
	return out
}

func exprRefs(e hcl.Expression) []hcl.Traversal {
	if e == nil {
		return nil
	}
	refs := e.Variables()
	// A reference with a computed index (aws_ecr_repository.x[each.key].
	// repository_url) is a traversal that stops before the index: the
	// attribute read after it is added as its own traversal, with an
	// unknown index, so that the attributes a resource gives are known.
	if n, ok := e.(hclsyntax.Node); ok {
		hclsyntax.VisitAll(n, func(x hclsyntax.Node) hcl.Diagnostics {
			rel, ok := x.(*hclsyntax.RelativeTraversalExpr)
			if !ok {
				return nil
			}
			ix, ok := rel.Source.(*hclsyntax.IndexExpr)
			if !ok {
				return nil
			}
			st, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
			if !ok || len(rel.Traversal) == 0 {
				return nil
			}
			tr := append(append(hcl.Traversal{}, st.Traversal...), hcl.TraverseIndex{Key: cty.DynamicVal, SrcRange: ix.SrcRange})
			refs = append(refs, append(tr, rel.Traversal...))
			return nil
		})
	}
	return refs
}

// refKey maps a reference to the node it needs, or "".
func (mi *modInst) refKey(tr hcl.Traversal) string {
	root := tr.RootName()
	attr := func(i int) string {
		if len(tr) > i {
			if a, ok := tr[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	switch root {
	case "var", "local", "module":
		if n := attr(1); n != "" {
			return root + "." + n
		}
	case "data":
		if t, n := attr(1), attr(2); t != "" && n != "" {
			return "data." + t + "." + n
		}
	case "count", "each", "self", "path", "terraform":
		return ""
	default:
		if n := attr(1); n != "" {
			return root + "." + n
		}
	}
	return ""
}

// callArgErrors are Terraform's errors for a local module call (./ or
// ../) whose arguments do not match the module's variables: "Unsupported
// argument" for each argument the module does not declare (with the
// variable within two edits of it), "Missing required argument" for each
// variable without a default that the call does not give.
func (mi *modInst) callArgErrors(c *call) []*Error {
	if !strings.HasPrefix(c.source, "./") && !strings.HasPrefix(c.source, "../") {
		return nil
	}
	dir, err := mi.l.moduleDir(mi, c)
	if err != nil || IsStandIn(dir) || !IsConfigDir(dir) {
		return nil
	}
	child, err := mi.l.parseModule(dir)
	if err != nil || child == nil {
		return nil
	}
	var out []*Error
	for _, n := range missingArgs(c, child) {
		out = append(out, &Error{File: c.rng.Filename, Line: c.rng.Start.Line, Msg: missingArgMsg(n)})
	}
	names := sortedKeys(child.vars)
	for _, n := range sortedKeys(c.inputs) {
		if _, ok := child.vars[n]; ok {
			continue
		}
		a := c.inputs[n]
		msg := fmt.Sprintf("Unsupported argument: An argument named %q is not expected here.", n)
		if near := nearest(n, names); near != "" {
			msg += fmt.Sprintf(" Did you mean %q?", near)
		}
		out = append(out, &Error{File: a.NameRange.Filename, Line: a.NameRange.Start.Line, Msg: msg})
	}
	return out
}

// missingArgs are the variables of child, by name, that have no default
// and that the call does not give.
func missingArgs(c *call, child *module) []string {
	var out []string
	for _, n := range sortedKeys(child.vars) {
		if _, ok := c.inputs[n]; !ok && child.vars[n].def == nil {
			out = append(out, n)
		}
	}
	return out
}

// missingArgMsg is Terraform's error for a required module argument the
// call does not give.
func missingArgMsg(name string) string {
	return fmt.Sprintf("Missing required argument: The argument %q is required, but no definition was found.", name)
}

// bareRefs lists the references in a resource's body (its lifecycle
// and provisioner blocks aside) that are a single name Terraform does
// not reserve (count, each, var, local, …) and no dynamic block's
// iterator in scope: Terraform's addrs.ParseRef reads such a name as a
// resource type, which needs a name after it.
func bareRefs(body *hclsyntax.Body, iterators map[string]bool) []hcl.Traversal {
	var out []hcl.Traversal
	for _, name := range sortedKeys(body.Attributes) {
		for _, tr := range body.Attributes[name].Expr.Variables() {
			if len(tr) != 1 || iterators[tr.RootName()] {
				continue
			}
			switch tr.RootName() {
			case "count", "each", "data", "ephemeral", "local", "module", "path", "self", "terraform", "var", "resource":
				continue
			}
			out = append(out, tr)
		}
	}
	for _, b := range body.Blocks {
		switch b.Type {
		case "lifecycle", "provisioner", "connection":
			continue
		case "dynamic":
			in := map[string]bool{}
			for k := range iterators {
				in[k] = true
			}
			if len(b.Labels) == 1 {
				in[b.Labels[0]] = true
			}
			if a := b.Body.Attributes["iterator"]; a != nil {
				if t := hcl.ExprAsKeyword(a.Expr); t != "" {
					in[t] = true
				}
			}
			out = append(out, bareRefs(b.Body, in)...)
			continue
		}
		out = append(out, bareRefs(b.Body, iterators)...)
	}
	return out
}

// resourceRefWithoutName reports a reference to a resource type (an
// aws_ root) or a data source type that is not followed by the
// resource's name: "resource type" or "data source" ("" when the
// reference is not such).
func resourceRefWithoutName(tr hcl.Traversal) string {
	at := 1
	what := "resource type"
	if root := tr.RootName(); root == "data" {
		if len(tr) < 2 {
			return ""
		}
		if _, ok := tr[1].(hcl.TraverseAttr); !ok {
			return ""
		}
		at, what = 2, "data source"
	} else if !strings.HasPrefix(root, "aws_") {
		return ""
	}
	if len(tr) > at {
		if _, ok := tr[at].(hcl.TraverseAttr); ok {
			return ""
		}
	}
	return what
}

// missingInstanceKey reports whether a reference to the resource k
// goes on to an attribute without an instance key first
// (aws_lb_target_group.app.arn, not aws_lb_target_group.app[0].arn or
// the whole aws_lb_target_group.app), which Terraform refuses when the
// resource has count or for_each.
// noteAttrRef records a reference to a resource's or data source's
// attribute (aws_vpc.main.id, data.aws_region.current.region[0]…), for
// checkAttrRefs; a stand-in's own references are ecsnet's.
func (mi *modInst) noteAttrRef(tr hcl.Traversal, k string) {
	if IsStandIn(mi.mod.dir) || !strings.HasPrefix(strings.TrimPrefix(k, "data."), "aws_") {
		return
	}
	n := 2
	if strings.HasPrefix(k, "data.") {
		n = 3
	}
	if len(tr) > n {
		if _, ok := tr[n].(hcl.TraverseIndex); ok {
			n++
		}
	}
	if len(tr) <= n {
		return
	}
	a, ok := tr[n].(hcl.TraverseAttr)
	if !ok {
		return
	}
	r := tr.SourceRange()
	mi.l.attrRefs = append(mi.l.attrRefs, attrRef{file: r.Filename, line: r.Start.Line, key: k, attr: a.Name})
}

func missingInstanceKey(tr hcl.Traversal, k string) bool {
	n := 2
	if strings.HasPrefix(k, "data.") {
		n = 3
	}
	if len(tr) <= n {
		return false
	}
	_, ok := tr[n].(hcl.TraverseAttr)
	return ok
}

// afterRootProvider makes every resource and data source of the root
// module wait for its default aws provider, whatever its own provider
// (terraform_remote_state, random_id, …): the first one evaluated creates
// the engine, in the region that provider names, so a resource of another
// provider evaluated first would put the whole configuration in the
// default region. One the provider block itself reads stays before it.
func (mi *modInst) afterRootProvider(nodes map[string]*node) {
	const pk = "provider.aws"
	if mi.parent != nil || nodes[pk] == nil {
		return
	}
	before := map[string]bool{}
	var walk func(k string)
	walk = func(k string) {
		if before[k] || nodes[k] == nil {
			return
		}
		before[k] = true
		for _, d := range nodes[k].deps {
			walk(d)
		}
	}
	walk(pk)
	for _, r := range mi.mod.resources {
		n := nodes[r.key()]
		if n == nil || before[n.key] || slices.Contains(n.deps, pk) {
			continue
		}
		n.deps = append(n.deps, pk)
	}
}

// graph builds the module's nodes and orders them so that every node
// comes after what it references; ties keep declaration order.
func (mi *modInst) graph() ([]*node, error) {
	m := mi.mod
	nodes := map[string]*node{}
	add := func(key string, rng hcl.Range, refs []hcl.Traversal) {
		nodes[key] = &node{key: key, rng: rng, refs: refs}
	}
	for name, v := range m.vars {
		var refs []hcl.Traversal
		for _, c := range v.checks {
			refs = append(refs, exprRefs(c.cond)...)
			refs = append(refs, exprRefs(c.msg)...)
		}
		add("var."+name, v.rng, refs)
	}
	for name, a := range m.locals {
		add("local."+name, a.Range, exprRefs(a.Expr))
	}
	for _, p := range m.providers {
		add(p.key(), p.rng, refsOf(p.body))
	}
	mi.attrRefs = map[string]map[string]bool{}
	mi.attrSubs = map[string]map[string]map[string]bool{}
	mi.looseAttrs = mi.collectLoose()
	for _, r := range m.resources {
		refs := refsOf(r.body)
		refs = append(refs, exprRefs(r.count)...)
		refs = append(refs, exprRefs(r.forEach)...)
		refs = append(refs, r.dependsOn...)
		for _, pc := range r.preconds {
			refs = append(refs, exprRefs(pc.cond)...)
			refs = append(refs, exprRefs(pc.msg)...)
		}
		add(r.key(), r.rng, refs)
		pk := "provider." + r.provider
		if _, ok := nodes[pk]; !ok {
			for _, p := range m.providers {
				if p.key() == pk {
					nodes[r.key()].deps = append(nodes[r.key()].deps, pk)
				}
			}
		} else {
			nodes[r.key()].deps = append(nodes[r.key()].deps, pk)
		}
	}
	// The outputs of each local module call, by call: a reference to
	// one the module does not declare is refused (below).
	localOuts := map[string]map[string][]string{}
	for _, c := range m.calls {
		// A call is several nodes, as in Terraform: its expansion (count,
		// for_each, depends_on), one node per input, one per output (after
		// the inputs that output depends on inside the module), and its
		// completion.
		mk := "module." + c.name
		var refs []hcl.Traversal
		refs = append(refs, exprRefs(c.count)...)
		refs = append(refs, exprRefs(c.forEach)...)
		refs = append(refs, c.dependsOn...)
		add(mk, c.rng, refs)
		// A child module's resources use this module's providers.
		for _, p := range m.providers {
			nodes[mk].deps = append(nodes[mk].deps, p.key())
		}
		done := mk + ".done"
		add(done, c.rng, nil)
		nodes[done].deps = append(nodes[done].deps, mk)
		outs, known := mi.childOutDeps(c)
		if known && (strings.HasPrefix(c.source, "./") || strings.HasPrefix(c.source, "../")) {
			localOuts[c.name] = outs
		}
		for name, a := range c.inputs {
			in := mk + ".in." + name
			add(in, a.Range, exprRefs(a.Expr))
			nodes[in].deps = append(nodes[in].deps, mk)
			if known {
				nodes[done].deps = append(nodes[done].deps, in)
			}
		}
		// A module that cannot be read (not installed) fails at its
		// expansion, before anything waits for its inputs.
		if known {
			for o, vars := range outs {
				ok := mk + ".out." + o
				add(ok, c.rng, nil)
				nodes[ok].deps = append(nodes[ok].deps, mk)
				for _, v := range vars {
					if _, given := c.inputs[v]; given {
						nodes[ok].deps = append(nodes[ok].deps, mk+".in."+v)
					}
				}
				nodes[done].deps = append(nodes[done].deps, ok)
			}
		}
	}
	for _, o := range m.outputs {
		add("output."+o.name, o.rng, exprRefs(o.expr))
	}
	// Terraform refuses, before anything is planned, a reference to an
	// attribute of a resource that has count or for_each set without an
	// instance key (aws_lb_target_group.app.arn): the first in file order,
	// with the undeclared references below.
	expanded := map[string]string{}
	for _, r := range m.resources {
		if r.count != nil {
			expanded[r.key()] = "count"
		} else if r.forEach != nil {
			expanded[r.key()] = "for_each"
		}
	}
	// Terraform lists every such reference, with the other errors of its
	// validation: the node is not evaluated, the others are. Its walk
	// validates a node only when every node it depends on was valid, and
	// a node's references before its body: a node with an invalid
	// reference (static) says only those; one without says the errors
	// of decoding its body (an output a module does not have, the
	// provider schema's refusals); one that depends on a failed node says
	// nothing (terraform validate, 1.11.4).
	var undeclared errorList
	static, decode := map[string][]*Error{}, map[string][]*Error{}
	for _, n := range nodes {
		first := func(e *Error) {
			static[n.key] = append(static[n.key], e)
		}
		for _, tr := range n.refs {
			k := mi.refKey(tr)
			if k == "" {
				if what := resourceRefWithoutName(tr); what != "" {
					// Terraform's addrs.ParseRef: aws_kms_key[0].this
					// or data.aws_iam_role[0].x name no resource.
					r := tr.SourceRange()
					first(&Error{File: r.Filename, Line: r.Start.Line, Msg: fmt.Sprintf("Invalid reference: A reference to a %s must be followed by at least one attribute access, specifying the resource name.", what)})
				}
				continue
			}
			if k == n.key {
				continue
			}
			if strings.HasPrefix(k, "module.") {
				if name := undeclaredOutput(tr, localOuts[k[len("module."):]]); name != "" {
					// Terraform's validation: the call's value is an
					// object of the module's outputs.
					r := tr.SourceRange()
					decode[n.key] = append(decode[n.key], &Error{File: r.Filename, Line: r.Start.Line, Msg: fmt.Sprintf("Unsupported attribute: This object does not have an attribute named %q.", name)})
					continue
				}
				if d := moduleDep(tr, k, nodes); d != n.key {
					n.deps = append(n.deps, d)
				}
				continue
			}
			if _, ok := nodes[k]; ok {
				n.deps = append(n.deps, k)
				mi.noteAttrRef(tr, k)
				if meta := expanded[k]; meta != "" && missingInstanceKey(tr, k) {
					key := "count.index"
					if meta == "for_each" {
						key = "each.key"
					}
					r := tr.SourceRange()
					first(&Error{File: r.Filename, Line: r.Start.Line, Msg: fmt.Sprintf("Missing resource instance key: Because %s has %q set, its attributes must be accessed on specific instances.\n\nFor example, to correlate with indices of a referring resource, use:\n    %s[%s]", k, meta, k, key)})
				}
			} else if kind, name, _ := strings.Cut(k, "."); kind == "var" || kind == "local" || kind == "data" || strings.HasPrefix(kind, "aws_") {
				// Terraform refuses a reference to a variable, local value
				// or resource the module does not declare (the first in
				// file order).
				r := tr.SourceRange()
				var msg string
				switch kind {
				case "var":
					msg = fmt.Sprintf("Reference to undeclared input variable: An input variable with the name %q has not been declared. This variable can be declared with a variable %q {} block.", name, name)
				case "local":
					msg = fmt.Sprintf("Reference to undeclared local value: A local value with the name %q has not been declared.", name)
				case "data":
					typ, n, _ := strings.Cut(name, ".")
					msg = fmt.Sprintf("Reference to undeclared resource: A data resource %q %q has not been declared in %s.", typ, n, mi.moduleLabel())
				default:
					msg = fmt.Sprintf("Reference to undeclared resource: A managed resource %q %q has not been declared in %s.", kind, name, mi.moduleLabel())
				}
				first(&Error{File: r.Filename, Line: r.Start.Line, Msg: msg})
			}
			// attributes referenced, so that every one exists
			if len(tr) >= 2 {
				rk, rest := k, tr[2:]
				if strings.HasPrefix(k, "data.") {
					rest = tr[3:]
				}
				if len(rest) > 0 {
					if _, isIdx := rest[0].(hcl.TraverseIndex); isIdx {
						rest = rest[1:]
					}
				}
				if len(rest) > 0 {
					if a, ok := rest[0].(hcl.TraverseAttr); ok {
						if mi.attrRefs[rk] == nil {
							mi.attrRefs[rk] = map[string]bool{}
						}
						mi.attrRefs[rk][a.Name] = true
						if len(rest) >= 3 {
							idx, isIdx := rest[1].(hcl.TraverseIndex)
							sub, isAttr := rest[2].(hcl.TraverseAttr)
							if isIdx && isAttr && idx.Key.Type() == cty.Number {
								if mi.attrSubs[rk] == nil {
									mi.attrSubs[rk] = map[string]map[string]bool{}
								}
								if mi.attrSubs[rk][a.Name] == nil {
									mi.attrSubs[rk][a.Name] = map[string]bool{}
								}
								mi.attrSubs[rk][a.Name][sub.Name] = true
							}
						}
					}
				}
			}
		}
	}
	// Terraform 0.11's tags blocks are refused by the provider's schema,
	// when the block is decoded. The arguments the provider's release no
	// longer has are refused whatever else fails.
	laterOf, unreadOf := map[string][]*Error{}, map[string][]hcl.Range{}
	for _, r := range m.resources {
		// Arguments a provider major removed are refused by its schema,
		// whatever else fails (checkRemovedArgs, once the release is known).
		mi.l.noteRemoved(r, mi.path+r.key())
		mi.l.noteDeprecated(r)
		sb, ok := r.body.(*hclsyntax.Body)
		if !ok || r.mode != "resource" || !strings.HasPrefix(r.typ, "aws_") {
			continue
		}
		// A bare name that is not one of Terraform's (a forgotten quote:
		// name = ecs-cluster-name) is a resource type without its name.
		for _, tr := range bareRefs(sb, nil) {
			rg := tr.SourceRange()
			static[r.key()] = append(static[r.key()], &Error{File: rg.Filename, Line: rg.Start.Line,
				Msg: "Invalid reference: A reference to a resource type must be followed by at least one attribute access, specifying the resource name."})
		}
		// Every argument and block the provider's schema refuses, and
		// every required one missing, as terraform validate lists them.
		now, later, unread := schemaErrors(r, sb, configPath(mi.path)+r.key(), mi.l.root)
		decode[r.key()] = append(decode[r.key()], now...)
		laterOf[r.key()], unreadOf[r.key()] = later, unread
		for _, b := range sb.Blocks {
			if b.Type == "tags" {
				decode[r.key()] = append(decode[r.key()], &Error{File: b.DefRange().Filename, Line: b.DefRange().Start.Line, Address: mi.path + r.key(),
					Msg: `Unsupported block type: Blocks of type "tags" are not expected here. Did you mean to define argument "tags"? If so, use the equals sign to assign it a value.`})
			}
		}
	}
	// What each node says, in the walk's terms.
	blocked := map[string]bool{}
	var isBlocked func(k string, seen map[string]bool) bool
	isBlocked = func(k string, seen map[string]bool) bool {
		if b, ok := blocked[k]; ok {
			return b
		}
		if seen[k] {
			return false // a cycle: reported elsewhere
		}
		seen[k] = true
		b := false
		if n := nodes[k]; n != nil {
			for _, d := range mi.walkDeps(n, nodes, unreadOf[k]) {
				if d != k && (len(static[d]) > 0 || len(decode[d]) > 0 || isBlocked(d, seen)) {
					b = true
					break
				}
			}
		}
		blocked[k] = b
		return b
	}
	for _, k := range sortedKeys(nodes) {
		switch {
		case isBlocked(k, map[string]bool{}):
			if len(static[k]) > 0 || len(decode[k]) > 0 {
				mi.failed[k] = true
			}
		case len(static[k]) > 0:
			for _, e := range static[k] {
				undeclared.add(e)
			}
			mi.failed[k] = true
		default:
			for _, e := range decode[k] {
				undeclared.add(e)
				mi.failed[k] = true
			}
			mi.l.schemaLater = append(mi.l.schemaLater, laterOf[k]...)
			if len(laterOf[k]) > 0 {
				if mi.schemaRefused == nil {
					mi.schemaRefused = map[string]bool{}
				}
				mi.schemaRefused[k] = true
			}
		}
	}
	// A local module call's arguments are checked against the module's
	// variables when the configuration is loaded, before any reference:
	// Terraform lists every argument the module does not declare and
	// every required variable the call does not give.
	for _, c := range m.calls {
		for _, e := range mi.callArgErrors(c) {
			undeclared.add(e)
			mi.failed["module."+c.name] = true
		}
	}
	for _, e := range undeclared.errs {
		if e.Err == nil {
			e.Err = errValidate
		}
		mi.l.errs.add(e)
	}
	mi.afterRootProvider(nodes)
	// Kahn's algorithm, in declaration order.
	pos := map[string]int{}
	for i, k := range m.order {
		pos[k] = i
	}
	for k := range nodes {
		if strings.HasPrefix(k, "module.") {
			name, _, _ := strings.Cut(k[len("module."):], ".")
			pos[k] = pos["module."+name]
		}
	}
	indeg := map[string]int{}
	users := map[string][]string{}
	for _, n := range nodes {
		seen := map[string]bool{}
		for _, d := range n.deps {
			if !seen[d] {
				seen[d] = true
				indeg[n.key]++
				users[d] = append(users[d], n.key)
			}
		}
	}
	var ready []string
	for k := range nodes {
		if indeg[k] == 0 {
			ready = append(ready, k)
		}
	}
	// Terraform walks the graph in parallel: whatever is ready starts at
	// once, so what is fewer steps from the roots exists first (an
	// internet gateway, one step after its VPC, before a load balancer two
	// steps after it, whichever is declared first). Nodes are taken by
	// depth, then in declaration order.
	depth := map[string]int{}
	var depthOf func(k string, seen map[string]bool) int
	depthOf = func(k string, seen map[string]bool) int {
		if d, ok := depth[k]; ok {
			return d
		}
		if seen[k] {
			return 0 // a cycle, reported below
		}
		seen[k] = true
		d := 0
		for _, dep := range nodes[k].deps {
			if _, ok := nodes[dep]; ok {
				d = max(d, depthOf(dep, seen)+1)
			}
		}
		depth[k] = d
		return d
	}
	for k := range nodes {
		depthOf(k, map[string]bool{})
	}
	// An ECS service waits for what else is ready at its depth: when
	// CreateService says its target group "does not have an associated
	// load balancer", the provider retries for two minutes, time for a
	// listener created beside it (not depending on it) to exist.
	late := func(k string) bool { return strings.HasPrefix(k, "aws_ecs_service.") }
	byPos := func(s []string) {
		sort.Slice(s, func(i, j int) bool {
			if depth[s[i]] != depth[s[j]] {
				return depth[s[i]] < depth[s[j]]
			}
			if late(s[i]) != late(s[j]) {
				return !late(s[i])
			}
			if pos[s[i]] != pos[s[j]] {
				return pos[s[i]] < pos[s[j]]
			}
			return s[i] < s[j]
		})
	}
	var out []*node
	for len(ready) > 0 {
		byPos(ready)
		k := ready[0]
		ready = ready[1:]
		out = append(out, nodes[k])
		for _, u := range users[k] {
			indeg[u]--
			if indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(out) < len(nodes) {
		var cyc []string
		var first *node
		for k, n := range nodes {
			if indeg[k] > 0 {
				cyc = append(cyc, k)
				if first == nil || pos[k] < pos[first.key] {
					first = n
				}
			}
		}
		for i, k := range cyc {
			cyc[i] = nodeName(k)
		}
		sort.Strings(cyc)
		cyc = slices.Compact(cyc)
		return nil, &Error{File: first.rng.Filename, Line: first.rng.Start.Line, Msg: "Cycle: " + strings.Join(cyc, ", ")}
	}
	return out, nil
}

// eval evaluates every node of the module instance in order.
func (mi *modInst) eval() error {
	if err := mi.prepare(); err != nil {
		return err
	}
	if err := mi.advance(); err != nil {
		return err
	}
	return mi.finished()
}

// prepare orders the instance's nodes.
func (mi *modInst) prepare() error {
	nodes, err := mi.graph()
	if err != nil {
		return err
	}
	mi.pending = nodes
	return nil
}

// advance evaluates, in order, every node whose dependencies are done: a
// child module's variable is ready once its parent gave its value. A node
// that fails is recorded (loader.errs) and what depends on it is not
// evaluated, as Terraform's walk goes on past an error with every node
// that does not depend on it, and reports every error at the end.
func (mi *modInst) advance() error {
	for _, n := range mi.pending {
		if mi.done[n.key] || mi.failed[n.key] {
			continue
		}
		ready, blocked := true, false
		for _, d := range n.deps {
			if mi.failed[d] {
				blocked = true
				break
			}
			if !mi.done[d] {
				ready = false
				break
			}
		}
		if blocked {
			mi.failed[n.key] = true
			continue
		}
		if kind, name, _ := strings.Cut(n.key, "."); kind == "var" {
			if _, ok := mi.vars[name]; !ok {
				ready = false
			}
		}
		if !ready {
			continue
		}
		if err := mi.evalNode(n); err != nil {
			mi.failed[n.key] = true
			if err == errBlocked {
				continue
			}
			// An error without an address (an expression's) is the
			// module instance's: atCall (in Load) places one raised in a
			// stand-in at the call that led to it.
			if e, ok := err.(*Error); ok && e.Address == "" && mi.path != "" {
				out := *e
				out.Address = strings.TrimSuffix(mi.path, ".")
				err = &out
			}
			mi.l.errs.add(err)
			continue
		}
		mi.done[n.key] = true
	}
	return nil
}

// errBlocked is a node not evaluated because a value it needs failed:
// the failure is already reported.
var errBlocked = errors.New("blocked by an earlier error")

// finished fails when a node could not be evaluated (and no earlier
// error explains it).
func (mi *modInst) finished() error {
	for _, n := range mi.pending {
		if !mi.done[n.key] {
			if len(mi.l.errs.errs) > 0 {
				return errBlocked
			}
			return &Error{File: n.rng.Filename, Line: n.rng.Start.Line, Address: strings.TrimSuffix(mi.path, "."),
				Msg: "ecsnet could not evaluate " + nodeName(n.key) + ": a value it needs never arrived"}
		}
	}
	return nil
}

// moduleDep is the node a reference into module k (module.x, module.x.out,
// module.x[0].out) depends on: that output's node when the module's
// outputs are known, else the call's completion.
func moduleDep(tr hcl.Traversal, k string, nodes map[string]*node) string {
	rest := tr[2:]
	if len(rest) > 0 {
		if _, isIdx := rest[0].(hcl.TraverseIndex); isIdx {
			rest = rest[1:]
		}
	}
	if len(rest) > 0 {
		if a, ok := rest[0].(hcl.TraverseAttr); ok {
			if _, ok := nodes[k+".out."+a.Name]; ok {
				return k + ".out." + a.Name
			}
		}
	}
	return k + ".done"
}

// walkDeps are the nodes a node waits for in Terraform's validate walk:
// its deps, less the nodes it refers to only from arguments and blocks
// the schema refused (unread), which Terraform does not read.
func (mi *modInst) walkDeps(n *node, nodes map[string]*node, unread []hcl.Range) []string {
	if len(unread) == 0 {
		return n.deps
	}
	inUnread := func(r hcl.Range) bool {
		for _, u := range unread {
			if u.Filename == r.Filename && u.ContainsOffset(r.Start.Byte) {
				return true
			}
		}
		return false
	}
	refused := map[string]bool{}
	read := map[string]bool{}
	for _, tr := range n.refs {
		k := mi.refKey(tr)
		if strings.HasPrefix(k, "module.") {
			k = moduleDep(tr, k, nodes)
		}
		if inUnread(tr.SourceRange()) {
			refused[k] = true
		} else {
			read[k] = true
		}
	}
	var out []string
	for _, d := range n.deps {
		if !refused[d] || read[d] {
			out = append(out, d)
		}
	}
	return out
}

// undeclaredOutput is the attribute a reference into a module call
// (module.x.NAME, module.x[0].NAME) names that is not among the module's
// outputs, "" when it is one, names none, or outs is nil (not a local
// module read).
func undeclaredOutput(tr hcl.Traversal, outs map[string][]string) string {
	if outs == nil || len(tr) < 3 {
		return ""
	}
	rest := tr[2:]
	if _, isIdx := rest[0].(hcl.TraverseIndex); isIdx {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return ""
	}
	if a, ok := rest[0].(hcl.TraverseAttr); ok {
		if _, declared := outs[a.Name]; !declared {
			return a.Name
		}
	}
	return ""
}

// nodeName names a node as Terraform's messages do.
func nodeName(k string) string {
	if !strings.HasPrefix(k, "module.") {
		return k
	}
	name, rest, _ := strings.Cut(k[len("module."):], ".")
	switch {
	case strings.HasPrefix(rest, "in."):
		return "module." + name + ".var." + rest[3:]
	case strings.HasPrefix(rest, "out."):
		return "module." + name + ".output." + rest[4:]
	}
	return "module." + name
}

// childOutDeps says, for each output of a call's module, which of the
// module's variables it depends on (through its locals, resources and
// nested modules). It is false when the module cannot be read yet (not
// installed): the call's evaluation reports that.
func (mi *modInst) childOutDeps(c *call) (map[string][]string, bool) {
	depth := 0
	for p := mi; p != nil; p = p.parent {
		depth++
	}
	if depth > maxModuleDepth {
		return nil, false
	}
	dir, err := mi.l.moduleDir(mi, c)
	if err != nil {
		return nil, false
	}
	for p := mi; p != nil; p = p.parent {
		if same(p.mod.dir, dir) {
			return nil, false
		}
	}
	key := c.name
	if mi.key != "" {
		key = mi.key + "." + c.name
	}
	if mi.l.outDeps == nil {
		mi.l.outDeps = map[string]map[string][]string{}
	}
	if d, ok := mi.l.outDeps[key]; ok {
		return d, d != nil
	}
	mi.l.outDeps[key] = nil
	child, err := mi.l.parseModule(dir)
	if err != nil {
		return nil, false
	}
	tmp := mi.l.newInst(child, mi, mi.path+"module."+c.name+".", key, nil)
	nodes, err := tmp.graph()
	if err != nil {
		return nil, false
	}
	byKey := map[string]*node{}
	for _, n := range nodes {
		byKey[n.key] = n
	}
	out := map[string][]string{}
	for _, o := range child.outputs {
		seen := map[string]bool{}
		var vars []string
		var walk func(k string)
		walk = func(k string) {
			if seen[k] {
				return
			}
			seen[k] = true
			if strings.HasPrefix(k, "var.") {
				vars = append(vars, k[4:])
			}
			if n := byKey[k]; n != nil {
				for _, d := range n.deps {
					walk(d)
				}
			}
		}
		walk("output." + o.name)
		sort.Strings(vars)
		out[o.name] = vars
	}
	mi.l.outDeps[key] = out
	return out, true
}

func (mi *modInst) evalNode(n *node) error {
	kind, name, _ := strings.Cut(n.key, ".")
	switch kind {
	case "var":
		return mi.validate(mi.mod.vars[name])
	case "local":
		v, err := mi.value(mi.mod.locals[name].Expr, nil)
		if err != nil {
			return err
		}
		mi.locals[name] = v
	case "provider":
		for _, p := range mi.mod.providers {
			if p.key() == n.key {
				return mi.evalProvider(p)
			}
		}
	case "module":
		name, rest, _ := strings.Cut(name, ".")
		for _, c := range mi.mod.calls {
			if c.name != name {
				continue
			}
			switch {
			case rest == "":
				return mi.expandCall(c)
			case strings.HasPrefix(rest, "in."):
				return mi.callInput(c, rest[3:])
			case rest == "done":
				return mi.callDone(c)
			}
			mi.setModValue(c)
			// An output a failed node kept from being evaluated.
			if o, ok := strings.CutPrefix(rest, "out."); ok && len(mi.l.errs.errs) > 0 && mi.calls[c.name] != nil {
				for _, inst := range mi.calls[c.name].insts {
					if _, ok := inst.outputs[o]; !ok {
						return errBlocked
					}
				}
			}
			return nil
		}
	case "output":
		for _, o := range mi.mod.outputs {
			if o.name == name {
				if mi.path == "" && !o.sensitive {
					if ref := sensitiveRef(o.expr, mi); ref != "" {
						return &Error{File: o.rng.Filename, Line: o.rng.Start.Line, Address: "output." + o.name,
							Msg: fmt.Sprintf("Output refers to sensitive values: To reduce the risk of accidentally exporting sensitive data that was intended to be only internal, Terraform requires that any root module output containing sensitive data be explicitly marked as sensitive, to confirm your intent. If you do intend to export this data, annotate the output value as sensitive by adding the following argument: sensitive = true (%s is sensitive)", ref)}
					}
				}
				v, err := mi.value(o.expr, nil)
				if err != nil {
					return err
				}
				mi.outputs[name] = v
			}
		}
	default:
		for _, r := range mi.mod.resources {
			if r.key() == n.key {
				return mi.evalResource(r)
			}
		}
	}
	return nil
}

// ctx builds the evaluation context for expressions with these
// references: only the values they name, so that building it costs what
// the expression uses.
func (mi *modInst) ctx(refs []hcl.Traversal, extra map[string]cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{}
	group := map[string]map[string]cty.Value{}
	data := map[string]map[string]cty.Value{}
	put := func(root, name string, v cty.Value) {
		if group[root] == nil {
			group[root] = map[string]cty.Value{}
		}
		group[root][name] = v
	}
	for _, tr := range refs {
		root := tr.RootName()
		k := mi.refKey(tr)
		switch root {
		case "path":
			rel, _ := filepath.Rel(mi.l.root, mi.mod.dir)
			cwd, _ := filepath.Abs(mi.l.root)
			vars["path"] = cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(filepath.ToSlash(rel)),
				"root": cty.StringVal("."), "cwd": cty.StringVal(filepath.ToSlash(cwd))})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "var":
			if v, ok := mi.vars[strings.TrimPrefix(k, "var.")]; ok && k != "" {
				put("var", k[4:], v)
			}
		case "local":
			if v, ok := mi.locals[strings.TrimPrefix(k, "local.")]; ok && k != "" {
				put("local", k[6:], v)
			}
		case "module":
			if v, ok := mi.mods[strings.TrimPrefix(k, "module.")]; ok && k != "" {
				put("module", k[7:], v)
			}
		case "data":
			if v, ok := mi.res[k]; ok {
				parts := strings.SplitN(k, ".", 3)
				if data[parts[1]] == nil {
					data[parts[1]] = map[string]cty.Value{}
				}
				data[parts[1]][parts[2]] = v
			}
		case "count", "each", "self":
		default:
			if v, ok := mi.res[k]; ok {
				put(root, k[len(root)+1:], v)
			}
		}
	}
	for root, m := range group {
		vars[root] = cty.ObjectVal(m)
	}
	if len(data) > 0 {
		dm := map[string]cty.Value{}
		for t, m := range data {
			dm[t] = cty.ObjectVal(m)
		}
		vars["data"] = cty.ObjectVal(dm)
	}
	for k, v := range extra {
		vars[k] = v
	}
	return &hcl.EvalContext{Variables: vars, Functions: mi.funcs}
}

// value evaluates one expression.
func (mi *modInst) value(e hcl.Expression, extra map[string]cty.Value) (cty.Value, error) {
	v, diags := e.Value(mi.ctx(e.Variables(), extra))
	if diags.HasErrors() {
		return cty.NilVal, diagError(diags)
	}
	return v, nil
}

func (mi *modInst) validate(v *variable) error {
	return mi.checks(v.checks, nil, mi.path+"var."+v.name, "Invalid value for variable", "validation rule")
}

// checks evaluates validation rules or preconditions: the first that
// fails is an error at its condition, with its error_message.
func (mi *modInst) checks(cs []check, extra map[string]cty.Value, addr, summary, what string) error {
	for _, c := range cs {
		ok, err := mi.value(c.cond, extra)
		if err != nil {
			return err
		}
		if !ok.IsKnown() || ok.IsNull() || ok.Type() != cty.Bool {
			continue
		}
		if ok.False() {
			msg, err := mi.value(c.msg, extra)
			text := summary
			if err == nil && msg.Type() == cty.String && msg.IsKnown() && !msg.IsNull() {
				text = msg.AsString()
			}
			return &Error{File: c.rng.Filename, Line: c.rng.Start.Line, Address: addr,
				Msg: summary + ": " + text + " (" + what + ")"}
		}
	}
	return nil
}

func (mi *modInst) evalProvider(p *provider) error {
	if p.name != "aws" {
		return nil
	}
	mi.l.noteRemovedProviderArgs(p)
	content, _, diags := p.body.PartialContent(&hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "region"}, {Name: "skip_region_validation"}, {Name: "profile"}, {Name: "shared_config_files"}, {Name: "shared_credentials_files"},
			{Name: "allowed_account_ids"}, {Name: "forbidden_account_ids"}},
		Blocks: []hcl.BlockHeaderSchema{{Type: "default_tags"}},
	})
	if diags.HasErrors() {
		return diagError(diags)
	}
	cfg := providerCfg{}
	if a := content.Attributes["region"]; a != nil {
		v, err := mi.value(a.Expr, nil)
		if err != nil {
			return err
		}
		if v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			cfg.region = v.AsString()
		}
	}
	if a := content.Attributes["profile"]; a != nil {
		if v, err := mi.value(a.Expr, nil); err == nil && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			cfg.profile = v.AsString()
		}
	}
	if a := content.Attributes["shared_config_files"]; a != nil {
		if v, err := mi.value(a.Expr, nil); err == nil && v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
			for it := v.ElementIterator(); it.Next(); {
				if _, f := it.Element(); f.Type() == cty.String && f.IsKnown() && !f.IsNull() {
					cfg.configFiles = append(cfg.configFiles, f.AsString())
				}
			}
		}
	}
	// The provider checks the name against its SDK's list of regions,
	// unless skip_region_validation is set.
	skip := false
	if a := content.Attributes["skip_region_validation"]; a != nil {
		if v, err := mi.value(a.Expr, nil); err == nil && v.IsKnown() && !v.IsNull() {
			if b, err := convert.Convert(v, cty.Bool); err == nil {
				skip = b.True()
			}
		}
	}
	if cfg.region != "" && !skip && !engine.IsAWSRegion(cfg.region) {
		return &Error{File: p.rng.Filename, Line: p.rng.Start.Line, Msg: "Invalid AWS Region: " + cfg.region}
	}
	for _, b := range content.Blocks {
		bc, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "tags"}}})
		if a := bc.Attributes["tags"]; a != nil {
			v, err := mi.value(a.Expr, nil)
			if err != nil {
				return err
			}
			cfg.defaultTags = stringMap(v)
		}
	}
	if err := mi.checkAccount(p, content); err != nil {
		return err
	}
	name := "aws"
	if p.alias != "" {
		name += "." + p.alias
	}
	if mi.providers == nil {
		mi.providers = map[string]providerCfg{}
	}
	mi.providers[name] = cfg
	if mi.parent == nil && p.alias == "" {
		if mi.l.e == nil {
			if cfg.region == "" {
				cfg.region = mi.l.defaultRegion(p.rng, cfg)
			}
			mi.l.region = cfg.region
		}
	}
	if a := content.Attributes["profile"]; a != nil && cfg.profile != "" && !profileExists(cfg.profile, cfg.configFiles, mi.credentialFiles(content)) {
		// The provider loads the named profile before anything else,
		// static credentials given or not, and stops without it.
		mi.l.warnf(a.Range, `provider "aws" names profile %q, which no shared config or credentials file here holds (AWS_CONFIG_FILE or ~/.aws/config, AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, or the block's shared_config_files and shared_credentials_files): Terraform stops before planning with "failed to get shared config profile, %s"`, cfg.profile, cfg.profile)
	}
	return nil
}

// credentialFiles reads a provider block's shared_credentials_files.
func (mi *modInst) credentialFiles(content *hcl.BodyContent) []string {
	a := content.Attributes["shared_credentials_files"]
	if a == nil {
		return nil
	}
	var out []string
	if v, err := mi.value(a.Expr, nil); err == nil && v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
		for it := v.ElementIterator(); it.Next(); {
			if _, f := it.Element(); f.Type() == cty.String && f.IsKnown() && !f.IsNull() {
				out = append(out, f.AsString())
			}
		}
	}
	return out
}

// profileExists reports whether a shared config file ([profile NAME], or
// [NAME]) or a shared credentials file ([NAME]) holds the profile: the
// files given, else AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else
// ~/.aws/config and ~/.aws/credentials. A file that cannot be read holds
// none.
func profileExists(profile string, configFiles, credFiles []string) bool {
	home, _ := os.UserHomeDir()
	if len(configFiles) == 0 {
		configFiles = []string{cmp.Or(os.Getenv("AWS_CONFIG_FILE"), filepath.Join(home, ".aws", "config"))}
	}
	if len(credFiles) == 0 {
		credFiles = []string{cmp.Or(os.Getenv("AWS_SHARED_CREDENTIALS_FILE"), filepath.Join(home, ".aws", "credentials"))}
	}
	for _, f := range append(configFiles, credFiles...) {
		if rest, ok := strings.CutPrefix(f, "~/"); ok && home != "" {
			f = filepath.Join(home, rest)
		}
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
				name := strings.Join(strings.Fields(line[1:len(line)-1]), " ")
				if name == profile || name == "profile "+profile {
					return true
				}
			}
		}
	}
	return false
}

// checkAccount reads a provider block's allowed_account_ids and
// forbidden_account_ids. The provider refuses to start, at plan, when the
// credentials' account is not among the allowed or is among the forbidden:
// "AWS account ID not allowed: <account>". The account ecsnet emulates is
// the base's (--base); without a base, the default provider's first
// allowed account is taken as the one the configuration is applied in.
func (mi *modInst) checkAccount(p *provider, content *hcl.BodyContent) error {
	list := func(name string) ([]string, error) {
		a := content.Attributes[name]
		if a == nil {
			return nil, nil
		}
		v, err := mi.value(a.Expr, nil)
		if err != nil || !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
			return nil, err
		}
		var ids []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if s, err := convert.Convert(e, cty.String); err == nil && s.IsKnown() && !s.IsNull() {
				ids = append(ids, s.AsString())
			}
		}
		return ids, nil
	}
	allowed, err := list("allowed_account_ids")
	if err != nil {
		return err
	}
	forbidden, err := list("forbidden_account_ids")
	if err != nil {
		return err
	}
	if len(allowed) > 0 && len(forbidden) > 0 {
		return &Error{File: p.rng.Filename, Line: p.rng.Start.Line,
			Msg: `Conflicting configuration arguments: "allowed_account_ids": conflicts with forbidden_account_ids`}
	}
	l := mi.l
	if l.e == nil && l.account == "" && l.opts.Base != nil {
		l.account = l.opts.Base.Config().Account
	}
	if l.e == nil && l.account == "" && mi.parent == nil && p.alias == "" && len(allowed) > 0 {
		l.account = allowed[0]
	}
	acct := l.account
	if acct == "" {
		acct = engine.DefaultAccount
	}
	refused := len(allowed) > 0 && !slices.Contains(allowed, acct) || slices.Contains(forbidden, acct)
	if refused {
		return &Error{File: p.rng.Filename, Line: p.rng.Start.Line, Msg: "AWS account ID not allowed: " + acct}
	}
	return nil
}

// defaultRegion is the region of a default aws provider block that sets
// none: the provider takes it from the AWS_REGION or AWS_DEFAULT_REGION
// environment variable, else the region of its profile (the profile
// argument, else AWS_PROFILE, else "default") in the shared config files
// (the shared_config_files argument, else AWS_CONFIG_FILE, else
// ~/.aws/config), and without one refuses to start ("Invalid AWS Region:
// ", with an empty name). ecsnet reads the same, and else reads the
// configuration in us-east-1 and says so.
func (l *loader) defaultRegion(rng hcl.Range, cfg providerCfg) string {
	if r := regionFromEnv(); r != "" {
		return r
	}
	if r := regionFromProfile(cfg.profile, cfg.configFiles); r != "" {
		return r
	}
	l.warnf(rng, `provider "aws" sets no region: Terraform takes it from AWS_REGION, AWS_DEFAULT_REGION or the profile's region in ~/.aws/config, and without one stops with "Invalid AWS Region: "; ecsnet reads the configuration in us-east-1 (set AWS_REGION, or the region argument, for another)`)
	w := l.res.Warnings[len(l.res.Warnings)-1]
	l.noRegion = &w
	return "us-east-1"
}

// regionFromEnv is the region the AWS provider takes from the environment
// (AWS_REGION, else AWS_DEFAULT_REGION), "" without one.
func regionFromEnv() string {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if r := os.Getenv(k); r != "" {
			return r
		}
	}
	return ""
}

// regionFromProfile is the region a profile of the shared config files
// sets ("" when none does): profile "" is AWS_PROFILE's, else "default";
// files nil are AWS_CONFIG_FILE, else ~/.aws/config. A file's section is
// [default] or [profile NAME] ([NAME] is the credentials file's form,
// which the SDK also takes for default only).
func regionFromProfile(profile string, files []string) string {
	profile = cmp.Or(profile, os.Getenv("AWS_PROFILE"), "default")
	if len(files) == 0 {
		if f := os.Getenv("AWS_CONFIG_FILE"); f != "" {
			files = []string{f}
		} else if home, err := os.UserHomeDir(); err == nil {
			files = []string{filepath.Join(home, ".aws", "config")}
		}
	}
	for _, f := range files {
		if rest, ok := strings.CutPrefix(f, "~/"); ok {
			if home, err := os.UserHomeDir(); err == nil {
				f = filepath.Join(home, rest)
			}
		}
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if r := iniValue(string(data), profile, "region"); r != "" {
			return r
		}
	}
	return ""
}

// iniValue is key's value in a shared config file's section of profile
// ("" when absent): comments start with # or ;, and a later section of the
// same name adds to it.
func iniValue(data, profile, key string) string {
	in, value := false, ""
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			name := strings.Join(strings.Fields(line[1:len(line)-1]), " ")
			in = name == "profile "+profile || (name == profile && profile == "default")
			continue
		}
		if k, v, ok := strings.Cut(line, "="); ok && in && strings.TrimSpace(k) == key {
			value = strings.TrimSpace(v)
		}
	}
	return value
}

// provider returns the configuration a resource uses.
func (mi *modInst) provider(name string) (providerCfg, bool) {
	if c, ok := mi.providers[name]; ok {
		return c, true
	}
	if name == "aws" {
		return providerCfg{}, true
	}
	return providerCfg{}, false
}

// instances expands count or for_each into instance keys and, for
// for_each, each.value.
type instance struct {
	key   cty.Value // NilVal (no count), a number, or a string
	value cty.Value // each.value
}

// unreadStateNote is what an error on an unknown count or for_each adds
// when the configuration reads remote states ecsnet cannot: Terraform
// reads them at plan, so the value may be known to it.
func (l *loader) unreadStateNote() string {
	if len(l.unreadState) == 0 {
		return ""
	}
	return fmt.Sprintf(", or on the outputs of %s, which Terraform reads at plan but ecsnet cannot (it reads a state file only with backend \"local\"): save that state (terraform state pull > remote.tfstate) and point a backend \"local\" at it (config = { path = \"remote.tfstate\" })",
		strings.Join(l.unreadState, ", "))
}

func (mi *modInst) expand(count, forEach hcl.Expression, what string) ([]instance, error) {
	ins, err := mi.expandApplied(count, forEach, what)
	if err != nil || count == nil && forEach == nil {
		return ins, err
	}
	// Known to the reader, which created what it depends on, but maybe
	// not to terraform plan.
	if err := mi.unknownAtPlan(count, forEach, what); err != nil {
		return nil, err
	}
	return ins, nil
}

// expandApplied is expand with the reader's values.
func (mi *modInst) expandApplied(count, forEach hcl.Expression, what string) ([]instance, error) {
	switch {
	case count != nil:
		v, err := mi.value(count, nil)
		if err != nil {
			return nil, err
		}
		rng := count.Range()
		if !v.IsKnown() {
			return nil, &Error{File: rng.Filename, Line: rng.Start.Line, Address: what, Msg: `Invalid count argument: the "count" value depends on resource attributes that cannot be determined until apply (ecsnet models them as unknown)` + mi.l.unreadStateNote()}
		}
		nv, err := convertTo(v, cty.Number)
		if err != nil || nv.IsNull() {
			return nil, &Error{File: rng.Filename, Line: rng.Start.Line, Address: what, Msg: "Invalid count argument: the given \"count\" argument value is unsuitable: a number is required"}
		}
		n, acc := nv.AsBigFloat().Int64()
		if acc != big.Exact || n < 0 {
			return nil, &Error{File: rng.Filename, Line: rng.Start.Line, Address: what, Msg: "Invalid count argument: must be a whole number, zero or more"}
		}
		if n > maxInstances {
			return nil, &Error{File: rng.Filename, Line: rng.Start.Line, Address: what, Msg: fmt.Sprintf("count = %d: ecsnet expands at most %d instances of one resource", n, maxInstances)}
		}
		out := make([]instance, n)
		for i := range out {
			out[i] = instance{key: cty.NumberIntVal(int64(i))}
		}
		return out, nil
	case forEach != nil:
		v, err := mi.value(forEach, nil)
		if err != nil {
			return nil, err
		}
		rng := forEach.Range()
		fail := func(msg string) error {
			return &Error{File: rng.Filename, Line: rng.Start.Line, Address: what, Msg: "Invalid for_each argument: " + msg}
		}
		if !v.IsKnown() || v.Type().IsSetType() && !v.IsWhollyKnown() {
			return nil, fail("the \"for_each\" value depends on resource attributes that cannot be determined until apply (ecsnet models them as unknown)" + mi.l.unreadStateNote())
		}
		if v.IsNull() {
			return nil, fail("the given \"for_each\" argument value is null. A map, or set of strings is allowed.")
		}
		ty := v.Type()
		var out []instance
		switch {
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				out = append(out, instance{key: k, value: e})
			}
		case ty.IsSetType():
			if !ty.ElementType().Equals(cty.String) {
				if sv, err := convertTo(v, cty.Set(cty.String)); err == nil {
					v = sv
				} else {
					return nil, fail("the given \"for_each\" argument value is unsuitable: \"for_each\" supports maps and sets of strings, but you have provided a set containing type " + ty.ElementType().FriendlyName() + ".")
				}
			}
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if e.IsNull() {
					return nil, fail("a set containing null is not allowed")
				}
				out = append(out, instance{key: e, value: e})
			}
		default:
			return nil, fail("the given \"for_each\" argument value is unsuitable: the \"for_each\" argument must be a map, or set of strings, and you have provided a value of type " + ty.FriendlyName() + ".")
		}
		sort.Slice(out, func(i, j int) bool { return out[i].key.AsString() < out[j].key.AsString() })
		return out, nil
	}
	return []instance{{}}, nil
}

// maxInstances bounds count (a typo of a few digits would otherwise make
// millions of resources).
const maxInstances = 10000

// suffix is an instance's address suffix: "", "[0]" or `["a"]`.
func (in instance) suffix() string {
	switch {
	case in.key == cty.NilVal:
		return ""
	case in.key.Type() == cty.Number:
		return "[" + in.key.AsBigFloat().String() + "]"
	}
	return fmt.Sprintf("[%q]", in.key.AsString())
}

// extra is the count or each object of an instance.
func (in instance) extra() map[string]cty.Value {
	switch {
	case in.key == cty.NilVal:
		return nil
	case in.key.Type() == cty.Number:
		return map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": in.key})}
	}
	return map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": in.key, "value": in.value})}
}

// collect assembles instance values the way references see them: one
// object, a tuple (count) or an object keyed by each.key (for_each).
func collect(count, forEach hcl.Expression, ins []instance, vals []cty.Value) cty.Value {
	switch {
	case count != nil:
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case forEach != nil:
		m := map[string]cty.Value{}
		for i, in := range ins {
			m[in.key.AsString()] = vals[i]
		}
		return cty.ObjectVal(m)
	}
	if len(vals) == 0 {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return vals[0]
}

// expandCall starts a module call: its instances (count, for_each) are
// child module instances, with the defaults of the variables the call does
// not set; the inputs come as their nodes are evaluated.
func (mi *modInst) expandCall(c *call) error {
	addr := mi.path + "module." + c.name
	ins, err := mi.expand(c.count, c.forEach, addr)
	if err != nil {
		return err
	}
	dir, err := mi.l.moduleDir(mi, c)
	if err != nil {
		return err
	}
	depth := 0
	for p := mi; p != nil; p = p.parent {
		depth++
		if same(p.mod.dir, dir) || depth > maxModuleDepth {
			return &Error{File: c.srcRange.Filename, Line: c.srcRange.Start.Line, Address: addr,
				Msg: fmt.Sprintf("module %q calls %s, which is already being evaluated: modules cannot call themselves", c.name, dir)}
		}
	}
	child, err := mi.l.parseModule(dir)
	if child != nil && !IsStandIn(dir) {
		if verr := mi.l.checkCoreVersion(child, addr, c.source); verr != nil {
			return verr
		}
	}
	if err != nil {
		if !IsConfigDir(dir) {
			if local := strings.HasPrefix(c.source, "./") || strings.HasPrefix(c.source, "../"); local && len(c.inputs) > 0 {
				// Terraform reads a local directory without .tf files
				// as a module with no variables: each argument of the
				// call is refused (the first, by line, said here).
				var first *hcl.Attribute
				for _, a := range c.inputs {
					if first == nil || a.NameRange.Start.Line < first.NameRange.Start.Line {
						first = a
					}
				}
				return &Error{File: first.NameRange.Filename, Line: first.NameRange.Start.Line, Address: addr,
					Msg: fmt.Sprintf("Unsupported argument: An argument named %q is not expected here (module %q's directory %s holds no Terraform configuration, so the module declares no variables)", first.Name, c.name, c.source)}
			}
			return &Error{File: c.srcRange.Filename, Line: c.srcRange.Start.Line, Address: addr,
				Msg: fmt.Sprintf("module %q: %s has no Terraform configuration; is it installed? run `terraform init`", c.name, dir)}
		}
		return err
	}
	if err := mi.checkNewest(c, dir, addr); err != nil {
		return err
	}
	if err := mi.checkPinned(c, dir, addr); err != nil {
		return err
	}
	var ignored []string
	for name, a := range c.inputs {
		if _, ok := child.vars[name]; !ok {
			if strings.HasPrefix(dir, standinPrefix) {
				ignored = append(ignored, name)
				continue
			}
			return &Error{File: a.NameRange.Filename, Line: a.NameRange.Start.Line, Address: addr,
				Msg: fmt.Sprintf("Unsupported argument: an argument named %q is not expected here (module %s declares no such variable)", name, dir)}
		}
	}
	if len(ignored) > 0 {
		sort.Strings(ignored)
		mi.l.warnf(c.rng, "module %q: ecsnet's stand-in ignores %s", c.name, strings.Join(ignored, ", "))
	}
	if missing := missingArgs(c, child); len(missing) > 0 {
		return &Error{File: c.rng.Filename, Line: c.rng.Start.Line, Address: addr, Msg: missingArgMsg(missing[0])}
	}
	key := c.name
	if mi.key != "" {
		key = mi.key + "." + c.name
	}
	providers, err := mi.childProviders(c)
	if err != nil {
		return err
	}
	ci := &callInsts{c: c, ins: ins, dir: dir}
	for _, in := range ins {
		vars := map[string]cty.Value{}
		for name, v := range child.vars {
			if _, ok := c.inputs[name]; !ok {
				vars[name] = *v.def
			}
		}
		mi.l.noteStandinAWS(c, dir)
		if _, ok := child.vars[moduleMajorVar]; ok && strings.HasPrefix(dir, standinPrefix) {
			if m := versionMajor(c.version); m > 0 {
				vars[moduleMajorVar] = cty.NumberIntVal(int64(m))
			} else if r, ok := standinNewest[strings.TrimPrefix(dir, standinPrefix)]; ok && c.unpinned() {
				vars[moduleMajorVar] = cty.NumberIntVal(int64(r.major))
			}
		}
		inst := mi.l.newInst(child, mi, addr+in.suffix()+".", key, vars)
		inst.call, inst.callKey = c, in
		inst.providers = providers
		if err := inst.prepare(); err != nil {
			return err
		}
		ci.insts = append(ci.insts, inst)
	}
	mi.calls[c.name] = ci
	for _, inst := range ci.insts {
		if err := inst.advance(); err != nil {
			return err
		}
	}
	mi.setModValue(c)
	return nil
}

// callInput gives every instance of a call the value of one input.
func (mi *modInst) callInput(c *call, name string) error {
	ci := mi.calls[c.name]
	addr := mi.path + "module." + c.name
	a := c.inputs[name]
	for i, in := range ci.ins {
		inst := ci.insts[i]
		v := inst.mod.vars[name]
		if v == nil { // an argument a stand-in ignores
			continue
		}
		val, err := mi.value(a.Expr, in.extra())
		if err != nil {
			return err
		}
		// The container definition modules' arguments are a container's
		// values, which go to ECS whole.
		if i == 0 && strings.HasPrefix(ci.dir, standinPrefix) && ci.dir != standinPrefix+"cloudposse-container-definition" && ci.dir != standinPrefix+"ecs-container-definition" {
			mi.warnNestedKeys(c, name, a, val, standinReads(ci.dir))
			if m, ok := inst.vars[moduleMajorVar]; ok {
				mi.warnContainerSpelling(c, ci.dir, name, a, val, &m)
			}
		}
		if val.IsNull() && !v.nullable && v.def != nil {
			inst.vars[name] = *v.def
		} else {
			cv, err := v.convert(val)
			if err != nil {
				return &Error{File: a.Expr.Range().Filename, Line: a.Expr.Range().Start.Line, Address: addr + "." + name,
					Msg: "Invalid value for input variable: " + err.Error()}
			}
			inst.vars[name] = cv
		}
		if err := inst.advance(); err != nil {
			return err
		}
	}
	mi.setModValue(c)
	return nil
}

// callDone finishes a call: every node of every instance evaluated.
func (mi *modInst) callDone(c *call) error {
	ci := mi.calls[c.name]
	for _, inst := range ci.insts {
		if err := inst.advance(); err != nil {
			return err
		}
		if err := inst.finished(); err != nil {
			return err
		}
	}
	mi.setModValue(c)
	return nil
}

// setModValue is module.NAME as references see it: the outputs evaluated
// so far (others unknown).
func (mi *modInst) setModValue(c *call) {
	ci := mi.calls[c.name]
	if ci == nil {
		return
	}
	var vals []cty.Value
	for _, inst := range ci.insts {
		outs := map[string]cty.Value{}
		for _, o := range inst.mod.outputs {
			if v, ok := inst.outputs[o.name]; ok {
				outs[o.name] = v
			} else {
				outs[o.name] = cty.DynamicVal
			}
		}
		vals = append(vals, cty.ObjectVal(outs))
	}
	mi.mods[c.name] = collect(c.count, c.forEach, ci.ins, vals)
}

// childProviders passes providers to a child module: the defaults are
// inherited, a providers = { aws = aws.west } map replaces them.
func (mi *modInst) childProviders(c *call) (map[string]providerCfg, error) {
	out := map[string]providerCfg{}
	if p, ok := mi.providers["aws"]; ok {
		out["aws"] = p
	}
	if c.providers == nil {
		return out, nil
	}
	pairs, diags := hcl.ExprMap(c.providers)
	if diags.HasErrors() {
		return nil, diagError(diags)
	}
	for _, kv := range pairs {
		k, d1 := hcl.AbsTraversalForExpr(kv.Key)
		v, d2 := hcl.AbsTraversalForExpr(kv.Value)
		if d1.HasErrors() || d2.HasErrors() {
			continue
		}
		if cfg, ok := mi.providers[traversalString(v)]; ok {
			out[traversalString(k)] = cfg
		}
	}
	return out, nil
}

// namespaces are the roots a module's references start from.
func (mi *modInst) isNamespace(root string) bool {
	switch root {
	case "var", "local", "module", "data", "count", "each", "self", "path", "terraform":
		return true
	}
	for _, r := range mi.mod.resources {
		if r.typ == root {
			return true
		}
	}
	return false
}

// collectLoose finds the attributes read other than by a direct reference.
func (mi *modInst) collectLoose() map[string]bool {
	out := map[string]bool{}
	visit := func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.RelativeTraversalExpr:
			for _, st := range e.Traversal {
				if a, ok := st.(hcl.TraverseAttr); ok {
					out[a.Name] = true
					break
				}
			}
		case *hclsyntax.ScopeTraversalExpr:
			if len(e.Traversal) > 1 && !mi.isNamespace(e.Traversal.RootName()) {
				if a, ok := e.Traversal[1].(hcl.TraverseAttr); ok {
					out[a.Name] = true
				}
			}
		}
		return nil
	}
	walk := func(x any) {
		if n, ok := x.(hclsyntax.Node); ok {
			hclsyntax.VisitAll(n, visit)
		}
	}
	for _, a := range mi.mod.locals {
		walk(a.Expr)
	}
	for _, o := range mi.mod.outputs {
		walk(o.expr)
	}
	for _, r := range mi.mod.resources {
		walk(r.body)
		if r.forEach != nil {
			walk(r.forEach)
		}
	}
	for _, c := range mi.mod.calls {
		for _, a := range c.inputs {
			walk(a.Expr)
		}
	}
	return out
}

// maxModuleDepth bounds module nesting.
const maxModuleDepth = 64

// same reports whether two paths name the same directory.
func same(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}

// moduleLabel names a module instance as Terraform's messages do: "the
// root module", or "module.network" (its path without instance keys).
func (mi *modInst) moduleLabel() string {
	if mi.parent == nil {
		return "the root module"
	}
	return strings.TrimSuffix(instKeyRE.ReplaceAllString(mi.path, ""), ".")
}

var instKeyRE = regexp.MustCompile(`\[[^\]]*\]`)
