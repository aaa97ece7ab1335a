package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// module is one Terraform module directory, parsed.
type module struct {
	dir       string
	vars      map[string]*variable
	locals    map[string]*hcl.Attribute
	resources []*resource // managed and data, in declaration order
	calls     []*call
	outputs   []*output
	providers []*provider
	order     []string // node keys in declaration order
	// awsVersions are the module's version constraints on the AWS
	// provider (required_providers, or a provider block's version).
	awsVersions []versionConstraint
	// coreVersions are its terraform blocks' required_version.
	coreVersions []versionConstraint
	// otherVersions are its constraints on the HashiCorp utility
	// providers (random, tls…).
	otherVersions []providerConstraint
	// backend is its terraform block's backend type ("cloud" for a cloud
	// block, "" for none: the local backend) and statePath the local
	// backend's path argument.
	backend, statePath string
}

type variable struct {
	name      string
	rng       hcl.Range
	typ       cty.Type
	defaults  *typeexpr.Defaults
	def       *cty.Value // nil: required
	nullable  bool
	sensitive bool // sensitive = true
	checks    []check
	hasType   bool
	typeRange hcl.Range
	// hclValues: -var values are HCL expressions (a type constraint that is
	// not a primitive type), else literal strings, as Terraform decides.
	hclValues bool
}

type check struct {
	cond, msg hcl.Expression
	rng       hcl.Range
}

type resource struct {
	mode      string // "resource" or "data"
	typ, name string
	rng       hcl.Range
	body      hcl.Body // without meta-arguments
	count     hcl.Expression
	forEach   hcl.Expression
	provider  string // "aws" or "aws.west"
	dependsOn []hcl.Traversal
	preconds  []check // lifecycle { precondition { … } }
	// ignores are the top-level attributes lifecycle { ignore_changes }
	// names ("all" for all of them).
	ignores []string
}

func (r *resource) key() string {
	if r.mode == "data" {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

type call struct {
	name      string
	rng       hcl.Range
	source    string
	srcRange  hcl.Range
	version   string
	count     hcl.Expression
	forEach   hcl.Expression
	inputs    hcl.Attributes
	dependsOn []hcl.Traversal
	providers hcl.Expression
}

type output struct {
	name      string
	expr      hcl.Expression
	rng       hcl.Range
	sensitive bool // sensitive = true
}

type provider struct {
	name, alias string
	rng         hcl.Range
	body        hcl.Body
}

func (p *provider) key() string {
	if p.alias != "" {
		return "provider." + p.name + "." + p.alias
	}
	return "provider." + p.name
}

var rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "terraform"},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	{Type: "moved"}, {Type: "import"}, {Type: "removed"},
	{Type: "check", LabelNames: []string{"name"}},
}}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "condition", Required: true}, {Name: "error_message", Required: true}}}

var resourceMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}, {Name: "provider"}, {Name: "depends_on"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "lifecycle"}, {Type: "connection"}, {Type: "provisioner", LabelNames: []string{"type"}}},
}

var moduleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "source", Required: true}, {Name: "version"}, {Name: "count"}, {Name: "for_each"}, {Name: "providers"}, {Name: "depends_on"}},
}

var outputSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "value", Required: true}, {Name: "description"}, {Name: "sensitive"}, {Name: "depends_on"}, {Name: "ephemeral"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "precondition"}},
}

var providerSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "alias"}, {Name: "version"}}}

// configFiles lists a module directory's configuration files, as Terraform
// reads them: *.tf and *.tf.json, in lexical order; override files
// (*_override.tf, override.tf) are reported separately.
func configFiles(dir string) (files, overrides []string, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "#") || strings.HasSuffix(n, "~") {
			continue
		}
		if !strings.HasSuffix(n, ".tf") && !strings.HasSuffix(n, ".tf.json") {
			continue
		}
		base := strings.TrimSuffix(strings.TrimSuffix(n, ".json"), ".tf")
		if base == "override" || strings.HasSuffix(base, "_override") {
			overrides = append(overrides, filepath.Join(dir, n))
			continue
		}
		files = append(files, filepath.Join(dir, n))
	}
	sort.Strings(files)
	return files, overrides, nil
}

// IsConfigDir reports whether dir holds Terraform configuration files.
func IsConfigDir(dir string) bool {
	files, overrides, err := configFiles(dir)
	return err == nil && len(files)+len(overrides) > 0
}

// parseModule reads every configuration file of a module directory.
func (l *loader) parseModule(dir string) (*module, error) {
	if m, ok := l.modules[dir]; ok {
		return m, nil
	}
	files, overrides, err := configFiles(dir)
	sfiles, sread, standin := standinFiles(dir)
	if standin {
		files, overrides, err = sfiles, nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no Terraform configuration files (*.tf, *.tf.json)", dir)
	}
	m := &module{dir: dir, vars: map[string]*variable{}, locals: map[string]*hcl.Attribute{}}
	var diags hcl.Diagnostics
	for _, o := range overrides {
		// Not merged, but Terraform parses an override file as any
		// other: its syntax errors are the configuration's.
		var d hcl.Diagnostics
		if strings.HasSuffix(o, ".json") {
			_, d = l.parser.ParseJSONFile(o)
		} else {
			_, d = l.parser.ParseHCLFile(o)
		}
		diags = append(diags, d...)
		if !d.HasErrors() {
			l.warnf(hcl.Range{Filename: o}, "override files are not merged by ecsnet; %s is ignored", filepath.Base(o))
		}
	}
	for _, path := range files {
		var f *hcl.File
		var d hcl.Diagnostics
		if standin {
			src, err := sread(path)
			if err != nil {
				return nil, err
			}
			f, d = l.parser.ParseHCL(src, path)
		} else if strings.HasSuffix(path, ".json") {
			f, d = l.parser.ParseJSONFile(path)
		} else {
			f, d = l.parser.ParseHCLFile(path)
		}
		diags = append(diags, d...)
		if f == nil || d.HasErrors() {
			continue
		}
		if sb, ok := f.Body.(*hclsyntax.Body); ok {
			diags = append(diags, unaliasResourceRefs(sb)...)
		}
		diags = append(diags, m.addFile(f)...)
	}
	if diags.HasErrors() {
		// The module read so far: its required_version is checked
		// before these errors are reported.
		return m, diagError(diags)
	}
	for _, d := range diags {
		if d.Summary == providerVersionDeprecated && l.terraformVersion().LessThan(providerVersionDeprecatedIn) {
			continue
		}
		if d.Severity == hcl.DiagWarning && d.Subject != nil {
			l.warnf(*d.Subject, "%s: %s", d.Summary, d.Detail)
		}
	}
	l.modules[dir] = m
	return m, nil
}

func (m *module) addFile(f *hcl.File) hcl.Diagnostics {
	content, diags := f.Body.Content(rootSchema)
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			v, d := parseVariable(b)
			diags = append(diags, d...)
			if v != nil {
				if _, ok := m.vars[v.name]; ok {
					diags = append(diags, dupDiag("variable", v.name, b.DefRange))
					continue
				}
				m.vars[v.name] = v
				m.order = append(m.order, "var."+v.name)
			}
		case "locals":
			attrs, d := b.Body.JustAttributes()
			diags = append(diags, d...)
			names := make([]string, 0, len(attrs))
			for n := range attrs {
				names = append(names, n)
			}
			sort.Slice(names, func(i, j int) bool { return attrs[names[i]].Range.Start.Byte < attrs[names[j]].Range.Start.Byte })
			for _, n := range names {
				if _, ok := m.locals[n]; ok {
					diags = append(diags, dupDiag("local value", n, attrs[n].Range))
					continue
				}
				m.locals[n] = attrs[n]
				m.order = append(m.order, "local."+n)
			}
		case "resource", "data":
			r, d := parseResource(b)
			diags = append(diags, d...)
			if r == nil {
				continue
			}
			for _, x := range m.resources {
				if x.key() == r.key() {
					diags = append(diags, dupDiag(b.Type, r.key(), b.DefRange))
					r = nil
					break
				}
			}
			if r != nil {
				m.resources = append(m.resources, r)
				m.order = append(m.order, r.key())
			}
		case "module":
			c, d := parseCall(b)
			diags = append(diags, d...)
			if c != nil {
				m.calls = append(m.calls, c)
				m.order = append(m.order, "module."+c.name)
			}
		case "output":
			c, d := b.Body.Content(outputSchema)
			diags = append(diags, d...)
			if a := c.Attributes["value"]; a != nil {
				m.outputs = append(m.outputs, &output{name: b.Labels[0], expr: a.Expr, rng: b.DefRange, sensitive: literalTrue(c.Attributes["sensitive"])})
				m.order = append(m.order, "output."+b.Labels[0])
			}
		case "provider":
			c, _, d := b.Body.PartialContent(providerSchema)
			diags = append(diags, d...)
			p := &provider{name: b.Labels[0], rng: b.DefRange, body: b.Body}
			if a := c.Attributes["alias"]; a != nil {
				v, d := a.Expr.Value(nil)
				diags = append(diags, d...)
				if !d.HasErrors() && v.Type() == cty.String && !v.IsNull() {
					p.alias = v.AsString()
				}
			}
			if a := c.Attributes["version"]; a != nil {
				// Still a constraint `terraform init` meets, with a
				// warning at the value (Terraform's configs.decodeProviderBlock).
				rng := a.Expr.Range()
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: providerVersionDeprecated,
					Detail:  "Terraform 0.13 and earlier allowed provider version constraints inside the provider configuration block, but that is now deprecated and will be removed in a future version of Terraform. To silence this warning, move the provider version constraint into the required_providers block.",
					Subject: &rng})
				if p.name == "aws" {
					// Terraform 0.12's provider "aws" { version = "~> 2.0" }.
					if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && !v.IsNull() {
						m.awsVersions = append(m.awsVersions, versionConstraint{expr: v.AsString(), rng: rng})
					}
				}
			}
			m.providers = append(m.providers, p)
			m.order = append(m.order, p.key())
		case "terraform":
			m.awsVersions = append(m.awsVersions, requiredAWS(b.Body)...)
			m.otherVersions = append(m.otherVersions, requiredOthers(b.Body)...)
			cv, d := readCoreVersion(b.Body)
			diags = append(diags, d...)
			m.coreVersions = append(m.coreVersions, cv...)
			m.readBackend(b.Body)
		}
	}
	return diags
}

// readBackend notes a terraform block's backend (or cloud) block.
func (m *module) readBackend(body hcl.Body) {
	c, _, _ := body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "backend", LabelNames: []string{"type"}}, {Type: "cloud"}}})
	if c == nil {
		return
	}
	for _, b := range c.Blocks {
		if b.Type == "cloud" {
			m.backend = "cloud"
			continue
		}
		m.backend = b.Labels[0]
		attrs, _ := b.Body.JustAttributes()
		if a := attrs["path"]; a != nil {
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				m.statePath = v.AsString()
			}
		}
	}
}

func dupDiag(what, name string, rng hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate " + what,
		Detail: fmt.Sprintf("A %s named %q was already declared in this module.", what, name), Subject: rng.Ptr()}
}

// reservedVariableNames are the names a variable may not have: a module
// block's own arguments and blocks (terraform validate: "Invalid variable
// name").
var reservedVariableNames = map[string]bool{"source": true, "version": true, "count": true, "for_each": true,
	"depends_on": true, "providers": true, "provider": true, "lifecycle": true, "locals": true}

func parseVariable(b *hcl.Block) (*variable, hcl.Diagnostics) {
	c, diags := b.Body.Content(variableSchema)
	if reservedVariableNames[b.Labels[0]] {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid variable name",
			Detail: fmt.Sprintf("The variable name %q is reserved due to its special meaning inside module blocks.", b.Labels[0]), Subject: b.LabelRanges[0].Ptr()})
	}
	v := &variable{name: b.Labels[0], rng: b.DefRange, typ: cty.DynamicPseudoType, nullable: true}
	if a := c.Attributes["type"]; a != nil {
		ty, defs, d := variableType(a.Expr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			v.typ, v.defaults, v.hasType, v.typeRange = ty, defs, true, a.Range
			v.hclValues = !ty.IsPrimitiveType()
		}
	}
	v.sensitive = literalTrue(c.Attributes["sensitive"])
	if a := c.Attributes["nullable"]; a != nil {
		val, d := a.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() && val.Type() == cty.Bool && !val.IsNull() {
			v.nullable = val.True()
		}
	}
	if a := c.Attributes["default"]; a != nil {
		val, d := a.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() {
			cv, err := v.convert(val)
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid default value for variable",
					Detail: fmt.Sprintf("This default value is not compatible with the variable's type constraint: %s.", err), Subject: a.Expr.Range().Ptr()})
			} else {
				v.def = &cv
			}
		}
	}
	for _, vb := range c.Blocks {
		vc, d := vb.Body.Content(validationSchema)
		diags = append(diags, d...)
		if vc.Attributes["condition"] != nil && vc.Attributes["error_message"] != nil {
			v.checks = append(v.checks, check{cond: vc.Attributes["condition"].Expr, msg: vc.Attributes["error_message"].Expr, rng: vc.Attributes["condition"].Range})
		}
	}
	return v, diags
}

// variableType reads a type constraint, with the bare keywords list and
// map that Terraform still accepts for compatibility (list(any) and
// map(any)). Terraform 0.11's quoted keywords ("list") are refused with
// Terraform's error.
func variableType(expr hcl.Expression) (cty.Type, *typeexpr.Defaults, hcl.Diagnostics) {
	kw := hcl.ExprAsKeyword(expr)
	if _, native := expr.(*hclsyntax.TemplateExpr); kw == "" && !native {
		// The JSON syntax gives every type as a string.
		if v, d := expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && !v.IsNull() {
			kw = v.AsString()
		}
	}
	if kw == "" {
		if v, d := expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && !v.IsNull() {
			const old = "Terraform 0.11 and earlier required type constraints to be given in quotes, but that form is now deprecated and will be removed in a future version of Terraform. "
			diag := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid quoted type constraints", Subject: expr.Range().Ptr()}
			switch q := v.AsString(); q {
			case "string":
				diag.Detail = old + `Remove the quotes around "string".`
			case "list", "map":
				diag.Detail = old + fmt.Sprintf("Remove the quotes around %q and write %s(string) instead to explicitly indicate that the %s elements are strings.", q, q, q)
			default:
				diag.Summary, diag.Detail = "Invalid legacy variable type hint", "To provide a full type expression, remove the surrounding quotes and give the type expression directly."
			}
			return cty.DynamicPseudoType, nil, hcl.Diagnostics{diag}
		}
	}
	switch kw {
	case "list":
		return cty.List(cty.DynamicPseudoType), nil, nil
	case "map":
		return cty.Map(cty.DynamicPseudoType), nil, nil
	case "string":
		return cty.String, nil, nil
	}
	return typeexpr.TypeConstraintWithDefaults(expr)
}

// convert converts a value to the variable's type, applying the defaults
// of optional object attributes.
func (v *variable) convert(val cty.Value) (cty.Value, error) {
	if v.defaults != nil {
		val = v.defaults.Apply(val)
	}
	return convertTo(val, v.typ)
}

func parseResource(b *hcl.Block) (*resource, hcl.Diagnostics) {
	c, remain, diags := b.Body.PartialContent(resourceMetaSchema)
	r := &resource{mode: b.Type, typ: b.Labels[0], name: b.Labels[1], rng: b.DefRange, body: remain, provider: providerOf(b.Labels[0])}
	if a := c.Attributes["count"]; a != nil {
		r.count = a.Expr
	}
	if a := c.Attributes["for_each"]; a != nil {
		r.forEach = a.Expr
	}
	if r.count != nil && r.forEach != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: `Invalid combination of "count" and "for_each"`,
			Detail: `The "count" and "for_each" meta-arguments are mutually-exclusive, only one should be used.`, Subject: b.DefRange.Ptr()})
	}
	if a := c.Attributes["provider"]; a != nil {
		tr, d := hcl.AbsTraversalForExpr(a.Expr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			r.provider = traversalString(tr)
		}
	}
	if a := c.Attributes["depends_on"]; a != nil {
		r.dependsOn, diags = traversals(a.Expr, diags)
	}
	for _, b := range c.Blocks {
		if b.Type != "lifecycle" {
			continue
		}
		lc, _, d := b.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "precondition"}},
			Attributes: []hcl.AttributeSchema{{Name: "ignore_changes"}}})
		diags = append(diags, d...)
		// ignore_changes names attributes as references; quoted names
		// (Terraform 0.11's form) are taken with Terraform's warning.
		if a := lc.Attributes["ignore_changes"]; a != nil {
			if kw := hcl.ExprAsKeyword(a.Expr); kw == "all" {
				r.ignores = append(r.ignores, "all")
			}
			if exprs, d := hcl.ExprList(a.Expr); !d.HasErrors() {
				for _, e := range exprs {
					if tr, d := hcl.RelTraversalForExpr(e); !d.HasErrors() && len(tr) > 0 {
						if root, ok := tr[0].(hcl.TraverseAttr); ok {
							r.ignores = append(r.ignores, root.Name)
						}
					} else if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
						if lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
							r.ignores = append(r.ignores, strings.SplitN(lit.Val.AsString(), ".", 2)[0])
						}
					}
					if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
						if lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
							rng := e.Range()
							diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Quoted references are deprecated",
								Detail:  "In this context, references are expected literally rather than in quotes. Terraform 0.11 and earlier required quotes, but quoted references are now deprecated and will be removed in a future version of Terraform. Remove the quotes surrounding this reference to silence this warning.",
								Subject: &rng})
						}
					}
				}
			}
		}
		for _, pb := range lc.Blocks {
			pc, d := pb.Body.Content(validationSchema)
			diags = append(diags, d...)
			if pc.Attributes["condition"] != nil && pc.Attributes["error_message"] != nil {
				r.preconds = append(r.preconds, check{cond: pc.Attributes["condition"].Expr, msg: pc.Attributes["error_message"].Expr, rng: pc.Attributes["condition"].Range})
			}
		}
	}
	return r, diags
}

func parseCall(b *hcl.Block) (*call, hcl.Diagnostics) {
	c, remain, diags := b.Body.PartialContent(moduleSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	mc := &call{name: b.Labels[0], rng: b.DefRange}
	src, d := c.Attributes["source"].Expr.Value(nil)
	diags = append(diags, d...)
	if d.HasErrors() || src.Type() != cty.String || src.IsNull() {
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid module source address",
			Detail: "The module source address must be a literal string.", Subject: c.Attributes["source"].Range.Ptr()})
	}
	mc.source, mc.srcRange = src.AsString(), c.Attributes["source"].Range
	if a := c.Attributes["version"]; a != nil {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && !v.IsNull() {
			mc.version = v.AsString()
		}
	}
	if a := c.Attributes["count"]; a != nil {
		mc.count = a.Expr
	}
	if a := c.Attributes["for_each"]; a != nil {
		mc.forEach = a.Expr
	}
	if a := c.Attributes["depends_on"]; a != nil {
		mc.dependsOn, diags = traversals(a.Expr, diags)
	}
	if a := c.Attributes["providers"]; a != nil {
		mc.providers = a.Expr
	}
	attrs, d := remain.JustAttributes()
	diags = append(diags, d...)
	mc.inputs = attrs
	return mc, diags
}

// traversals reads a list of references (depends_on). A quoted reference
// ("aws_vpc.main", Terraform 0.11's form) is still taken, with Terraform's
// warning.
func traversals(expr hcl.Expression, diags hcl.Diagnostics) ([]hcl.Traversal, hcl.Diagnostics) {
	exprs, d := hcl.ExprList(expr)
	diags = append(diags, d...)
	var out []hcl.Traversal
	for _, e := range exprs {
		if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
			if lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
				rng := e.Range()
				tr, d := hclsyntax.ParseTraversalAbs([]byte(lit.Val.AsString()), rng.Filename, rng.Start)
				if !d.HasErrors() {
					diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Quoted references are deprecated",
						Detail:  "In this context, references are expected literally rather than in quotes. Terraform 0.11 and earlier required quotes, but quoted references are now deprecated and will be removed in a future version of Terraform. Remove the quotes surrounding this reference to silence this warning.",
						Subject: &rng})
					out = append(out, tr)
					continue
				}
			}
		}
		tr, d := hcl.AbsTraversalForExpr(e)
		diags = append(diags, d...)
		if !d.HasErrors() {
			out = append(out, tr)
		}
	}
	return out, diags
}

func traversalString(tr hcl.Traversal) string {
	var parts []string
	for _, s := range tr {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			parts = append(parts, s.Name)
		case hcl.TraverseAttr:
			parts = append(parts, s.Name)
		}
	}
	return strings.Join(parts, ".")
}

// providerOf is a resource type's default provider: its prefix (aws_vpc → aws).
func providerOf(typ string) string {
	p, _, _ := strings.Cut(typ, "_")
	return p
}

// unaliasResourceRefs rewrites resource.TYPE.NAME… references to
// TYPE.NAME…, which they stand for: Terraform takes the "resource" prefix
// as an alias for a managed resource (its addrs.parseRef), and refuses
// one not followed by a type and a name with its own text.
func unaliasResourceRefs(body *hclsyntax.Body) hcl.Diagnostics {
	var diags hcl.Diagnostics
	hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		e, ok := n.(*hclsyntax.ScopeTraversalExpr)
		if !ok || e.Traversal.RootName() != "resource" {
			return nil
		}
		tr := e.Traversal
		var typ, name hcl.TraverseAttr
		ok = len(tr) >= 3
		if ok {
			typ, ok = tr[1].(hcl.TraverseAttr)
		}
		if ok {
			name, ok = tr[2].(hcl.TraverseAttr)
		}
		if !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid reference",
				Detail:  `The "resource" object must be followed by two attribute names: the resource type and the resource name.`,
				Subject: tr.SourceRange().Ptr()})
			return nil
		}
		out := hcl.Traversal{hcl.TraverseRoot{Name: typ.Name, SrcRange: hcl.RangeBetween(tr[0].SourceRange(), typ.SrcRange)}, name}
		e.Traversal = append(out, tr[3:]...)
		return nil
	})
	return diags
}

// literalTrue reports whether an attribute is given as the literal true
// (sensitive = true).
func literalTrue(a *hcl.Attribute) bool {
	if a == nil {
		return false
	}
	v, d := a.Expr.Value(nil)
	return !d.HasErrors() && v.Type() == cty.Bool && v.IsKnown() && !v.IsNull() && v.True()
}
