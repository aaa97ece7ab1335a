package terraform

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func ctyJSON(v cty.Value) ([]byte, error) { return ctyjson.Marshal(v, v.Type()) }

// metaNames are a resource's meta-arguments, not part of its value.
var metaNames = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "connection": true, "provisioner": true}

// bodyValue evaluates a resource body without a provider schema: every
// attribute, and every nested block as a list of objects (dynamic blocks
// expanded); refs are the body's references (refsOf). Nested blocks of JSON bodies are objects or arrays of
// objects, which the accessors accept too.
func (mi *modInst) bodyValue(body hcl.Body, refs []hcl.Traversal, extra map[string]cty.Value, top bool) (cty.Value, hcl.Diagnostics) {
	if sb, ok := body.(*hclsyntax.Body); ok {
		return mi.syntaxBodyValue(sb, mi.ctx(refs, extra), top)
	}
	attrs, diags := body.JustAttributes()
	out := map[string]cty.Value{}
	for name, a := range attrs {
		if top && metaNames[name] {
			continue
		}
		v, d := a.Expr.Value(mi.ctx(a.Expr.Variables(), extra))
		diags = append(diags, d...)
		out[name] = v
	}
	return cty.ObjectVal(out), diags
}

func (mi *modInst) syntaxBodyValue(sb *hclsyntax.Body, ctx *hcl.EvalContext, top bool) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	out := map[string]cty.Value{}
	for name, a := range sb.Attributes {
		if top && metaNames[name] {
			continue
		}
		v, d := a.Expr.Value(ctx)
		diags = append(diags, d...)
		if d.HasErrors() {
			v = cty.DynamicVal
		}
		out[name] = v
	}
	blocks := map[string][]cty.Value{}
	var order []string
	addBlock := func(typ string, v cty.Value) {
		if _, ok := blocks[typ]; !ok {
			order = append(order, typ)
		}
		blocks[typ] = append(blocks[typ], v)
	}
	for _, b := range sb.Blocks {
		if top && metaNames[b.Type] {
			continue
		}
		if b.Type != "dynamic" {
			v, d := mi.syntaxBodyValue(b.Body, ctx, false)
			diags = append(diags, d...)
			addBlock(b.Type, v)
			continue
		}
		if len(b.Labels) != 1 {
			continue
		}
		typ := b.Labels[0]
		iter := typ
		var forEach hcl.Expression
		var content *hclsyntax.Body
		for n, a := range b.Body.Attributes {
			switch n {
			case "for_each":
				forEach = a.Expr
			case "iterator":
				if tr, d := hcl.AbsTraversalForExpr(a.Expr); !d.HasErrors() {
					iter = tr.RootName()
				}
			}
		}
		for _, cb := range b.Body.Blocks {
			if cb.Type == "content" {
				content = cb.Body
			}
		}
		if forEach == nil || content == nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid dynamic block",
				Detail: "A dynamic block needs for_each and a content block.", Subject: b.DefRange().Ptr()})
			continue
		}
		coll, d := forEach.Value(ctx)
		diags = append(diags, d...)
		if d.HasErrors() || coll.IsNull() || !coll.IsKnown() {
			continue
		}
		if !coll.CanIterateElements() {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid dynamic for_each value",
				Detail: "Cannot use a " + coll.Type().FriendlyName() + " value in for_each. An iterable collection is required.", Subject: forEach.Range().Ptr()})
			continue
		}
		for it := coll.ElementIterator(); it.Next(); {
			k, e := it.Element()
			child := ctx.NewChild()
			child.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})}
			v, d := mi.syntaxBodyValue(content, child, false)
			diags = append(diags, d...)
			addBlock(typ, v)
		}
	}
	for _, typ := range order {
		if _, clash := out[typ]; clash {
			continue
		}
		out[typ] = cty.TupleVal(blocks[typ])
	}
	return cty.ObjectVal(out), diags
}

// obj reads a resource's (or a nested block's) evaluated arguments.
type obj struct {
	v    cty.Value
	rng  hcl.Range
	body *hclsyntax.Body // for attribute positions, when known
	// path is the block path of a nested block ("ingress."), and reads
	// the arguments the resource's handler asked for, by path, so that
	// those it never read can be named (unread.go).
	path  string
	reads map[string]bool
}

func (o obj) get(k string) cty.Value {
	if o.reads != nil {
		o.reads[o.path+k] = true
	}
	if o.v == cty.NilVal || o.v.IsNull() || !o.v.IsKnown() || !o.v.Type().IsObjectType() || !o.v.Type().HasAttribute(k) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return o.v.GetAttr(k)
}

func (o obj) has(k string) bool {
	v := o.get(k)
	return !v.IsNull()
}

// line is the position of an argument (or of the block).
func (o obj) at(k string) hcl.Range {
	if o.body != nil {
		if a, ok := o.body.Attributes[k]; ok {
			return a.SrcRange
		}
		for _, b := range o.body.Blocks {
			if b.Type == k || b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == k {
				return b.DefRange()
			}
		}
	}
	return o.rng
}

func (o obj) err(k, format string, args ...any) error {
	r := o.at(k)
	return &Error{File: r.Filename, Line: r.Start.Line, Msg: fmt.Sprintf(format, args...)}
}

// str returns a string argument ("" when unset or unknown). Numbers and
// bools are converted as Terraform converts them.
func (o obj) str(k string) string { return asString(o.get(k)) }

func asString(v cty.Value) string {
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	}
	return ""
}

// boolean returns a bool argument, nil when unset.
func (o obj) boolean(k string) (*bool, error) {
	v := o.get(k)
	if v.IsNull() || !v.IsKnown() {
		return nil, nil
	}
	bv, err := convertTo(v, cty.Bool)
	if err != nil || bv.IsNull() {
		return nil, o.err(k, "Incorrect attribute value type: %s: a bool is required", k)
	}
	b := bv.True()
	return &b, nil
}

func (o obj) flag(k string) bool {
	b, _ := o.boolean(k)
	return b != nil && *b
}

// integer returns a number argument, def when unset.
func (o obj) integer(k string, def int) (int, error) {
	v := o.get(k)
	if v.IsNull() || !v.IsKnown() {
		return def, nil
	}
	nv, err := convertTo(v, cty.Number)
	if err != nil || nv.IsNull() {
		return 0, o.err(k, "Incorrect attribute value type: %s: a number is required", k)
	}
	n, acc := nv.AsBigFloat().Int64()
	if acc != big.Exact {
		return 0, o.err(k, "%s: a whole number is required", k)
	}
	return int(n), nil
}

// strs returns a list or set of strings (nil when unset).
func (o obj) strs(k string) []string { return asStrings(o.get(k)) }

// strSet is strs for an argument the provider's schema types as a set: a
// value given twice is one element (a list of each instance's zone names
// one zone once).
func (o obj) strSet(k string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range o.strs(k) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func asStrings(v cty.Value) []string { return stringsOf(v, false) }

// strsKeepEmpty is strs keeping empty strings, for arguments whose empty
// elements the provider sends to AWS as they are.
func (o obj) strsKeepEmpty(k string) []string { return stringsOf(o.get(k), true) }

// stringsOf is a string, or a list or set's known strings, empty ones
// only if keepEmpty (nil when unset, or a map or object).
func stringsOf(v cty.Value, keepEmpty bool) []string {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	if v.Type() == cty.String {
		return []string{v.AsString()}
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		switch s := asString(e); {
		case s != "":
			out = append(out, s)
		case keepEmpty && e.IsKnown() && !e.IsNull():
			out = append(out, s)
		}
	}
	return out
}

// blocks returns nested blocks (or objects) under k.
func (o obj) blocks(k string) []obj {
	v := o.get(k)
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	var body *hclsyntax.Body
	if o.body != nil {
		for _, b := range o.body.Blocks {
			if b.Type == k {
				body = b.Body
				break
			}
		}
	}
	rng := o.at(k)
	if v.Type().IsObjectType() || v.Type().IsMapType() {
		return []obj{{v: v, rng: rng, body: body, path: o.path + k + ".", reads: o.reads}}
	}
	if !v.CanIterateElements() {
		return nil
	}
	var out []obj
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			continue
		}
		out = append(out, obj{v: e, rng: rng, body: body, path: o.path + k + ".", reads: o.reads})
	}
	return out
}

// block returns the first nested block under k (an empty obj when none).
func (o obj) block(k string) obj {
	if bs := o.blocks(k); len(bs) > 0 {
		return bs[0]
	}
	return obj{rng: o.at(k), path: o.path + k + ".", reads: o.reads}
}

// stringMap converts a map or object of strings.
func stringMap(v cty.Value) map[string]string {
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsMapType() || v.Type().IsObjectType()) {
		return nil
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		out[k.AsString()] = asString(e)
	}
	return out
}

// goValue converts a value to JSON-shaped Go values (for jsonencode'd
// content and raw fields).
func goValue(v cty.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		f, _ := v.AsBigFloat().Float64()
		return f
	case ty == cty.Bool:
		return v.True()
	case ty.IsObjectType() || ty.IsMapType():
		m := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			m[k.AsString()] = goValue(e)
		}
		return m
	case v.CanIterateElements():
		var l []any
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			l = append(l, goValue(e))
		}
		return l
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
