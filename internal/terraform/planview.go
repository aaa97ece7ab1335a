package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The plan view: values as `terraform plan` sees them before a first
// apply. The reader creates every resource as it goes, so a resource's id,
// ARN and the other attributes AWS assigns are known to it; Terraform
// knows them only after apply ("(known after apply)"), and refuses a
// count or for_each that depends on them at plan: "Invalid count
// argument", "Invalid for_each argument". The plan view is computed on
// demand, for count and for_each only: a managed resource's attributes are
// its configuration's arguments (as the plan view evaluates them) and
// unknown for everything the reader learned by creating it; a data source
// is read at plan when its configuration is wholly known and nothing in
// depends_on (its own or a module call's) is pending, else every attribute
// it does not configure is unknown; local values, module variables and
// outputs follow their expressions.

// planView holds one module instance's plan-view values, computed once.
type planView struct {
	locals  map[string]cty.Value
	vars    map[string]cty.Value
	outputs map[string]cty.Value
	res     map[string]cty.Value
	busy    map[string]bool // being computed: a reference cycle reads the applied value
}

// resPlanInfo is what the plan view of an evaluated resource needs: its
// instances, the reader's value of each and the attributes the reader
// learned by creating it (set by its handler, not configured).
type resPlanInfo struct {
	r       *resource
	ins     []instance
	vals    []cty.Value
	learned []map[string]bool
}

func (mi *modInst) pv() *planView {
	if mi.plan == nil {
		mi.plan = &planView{locals: map[string]cty.Value{}, vars: map[string]cty.Value{}, outputs: map[string]cty.Value{},
			res: map[string]cty.Value{}, busy: map[string]bool{}}
	}
	return mi.plan
}

// notePlanInfo records an evaluated resource for the plan view.
func (mi *modInst) notePlanInfo(r *resource, ins []instance, vals []cty.Value, learned []map[string]bool) {
	if mi.l.fromJSON {
		return
	}
	if mi.resInfo == nil {
		mi.resInfo = map[string]*resPlanInfo{}
	}
	mi.resInfo[r.key()] = &resPlanInfo{r: r, ins: ins, vals: vals, learned: learned}
}

// planValue evaluates e in the plan view; false when it fails there (the
// caller keeps the applied value: the plan view only adds refusals
// Terraform makes, never others).
func (mi *modInst) planValue(e hcl.Expression, extra map[string]cty.Value) (cty.Value, bool) {
	v, diags := e.Value(mi.planCtx(e.Variables(), extra))
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	return v, true
}

// planCtx is ctx with the plan view's values.
func (mi *modInst) planCtx(refs []hcl.Traversal, extra map[string]cty.Value) *hcl.EvalContext {
	ctx := mi.ctx(refs, extra)
	vars := ctx.Variables
	replace := func(root, name string, v cty.Value) {
		if v == cty.NilVal {
			return
		}
		switch root {
		case "data":
			typ, n, _ := strings.Cut(name, ".")
			byType := vars["data"].AsValueMap()
			m := byType[typ].AsValueMap()
			m[n] = v
			byType[typ] = cty.ObjectVal(m)
			vars["data"] = cty.ObjectVal(byType)
		default:
			m := vars[root].AsValueMap()
			m[name] = v
			vars[root] = cty.ObjectVal(m)
		}
	}
	for _, tr := range refs {
		root := tr.RootName()
		k := mi.refKey(tr)
		if k == "" {
			continue
		}
		switch root {
		case "path", "terraform", "count", "each", "self":
		case "var":
			if _, ok := mi.vars[k[4:]]; ok {
				replace("var", k[4:], mi.planVar(k[4:]))
			}
		case "local":
			if _, ok := mi.locals[k[6:]]; ok {
				replace("local", k[6:], mi.planLocal(k[6:]))
			}
		case "module":
			if _, ok := mi.mods[k[7:]]; ok {
				replace("module", k[7:], mi.planMod(k[7:]))
			}
		case "data":
			if _, ok := mi.res[k]; ok {
				replace("data", strings.TrimPrefix(k, "data."), mi.planRes(k))
			}
		default:
			if _, ok := mi.res[k]; ok {
				replace(root, k[len(root)+1:], mi.planRes(k))
			}
		}
	}
	for k, v := range extra {
		vars[k] = v
	}
	return ctx
}

// planLocal is local.name in the plan view.
func (mi *modInst) planLocal(name string) cty.Value {
	p := mi.pv()
	if v, ok := p.locals[name]; ok {
		return v
	}
	def := mi.mod.locals[name]
	if def == nil || p.busy["local."+name] {
		return mi.locals[name]
	}
	p.busy["local."+name] = true
	defer delete(p.busy, "local."+name)
	v, ok := mi.planValue(def.Expr, nil)
	if !ok {
		v = mi.locals[name]
	}
	p.locals[name] = v
	return v
}

// planVar is var.name in the plan view: the root module's variables are
// known, a child's are its call's argument in the caller's plan view.
func (mi *modInst) planVar(name string) cty.Value {
	if mi.parent == nil || mi.call == nil {
		return mi.vars[name]
	}
	p := mi.pv()
	if v, ok := p.vars[name]; ok {
		return v
	}
	a := mi.call.inputs[name]
	decl := mi.mod.vars[name]
	if a == nil || decl == nil || p.busy["var."+name] {
		return mi.vars[name]
	}
	p.busy["var."+name] = true
	defer delete(p.busy, "var."+name)
	v, ok := mi.parent.planValue(a.Expr, mi.parent.planExtra(mi.call.forEach, mi.callKey))
	switch {
	case !ok:
		v = mi.vars[name]
	case v.IsKnown() && v.IsNull() && !decl.nullable && decl.def != nil:
		v = *decl.def
	default:
		cv, err := decl.convert(v)
		if err != nil {
			cv = mi.vars[name]
		}
		v = cv
	}
	p.vars[name] = v
	return v
}

// priorState maps the instance addresses of the root module's local
// state (an earlier apply of the configuration) to their attributes, read
// once: the default local backend's terraform.tfstate, or its workspace's
// (terraform.tfstate.d/<name>/ when .terraform/environment names one), or
// backend "local"'s path. Another backend's state is out of reach (empty).
func (l *loader) priorState() map[string]map[string]any {
	if l.prior != nil {
		return l.prior
	}
	l.prior = map[string]map[string]any{}
	m := l.rootMod
	if m == nil || m.backend != "" && m.backend != "local" {
		return l.prior
	}
	file := filepath.Join(l.root, "terraform.tfstate")
	if ws, err := os.ReadFile(filepath.Join(l.root, ".terraform", "environment")); err == nil {
		if name := strings.TrimSpace(string(ws)); name != "" && name != "default" {
			file = filepath.Join(l.root, "terraform.tfstate.d", name, "terraform.tfstate")
		}
	}
	if m.statePath != "" {
		file = m.statePath
		if !filepath.IsAbs(file) {
			file = filepath.Join(l.root, file)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return l.prior
	}
	var st struct {
		Resources []struct {
			Module    string `json:"module"`
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if json.Unmarshal(b, &st) != nil {
		return l.prior
	}
	for _, r := range st.Resources {
		addr := r.Type + "." + r.Name
		if r.Mode == "data" {
			addr = "data." + addr
		}
		if r.Module != "" {
			addr = r.Module + "." + addr
		}
		for _, in := range r.Instances {
			attrs := in.Attributes
			if attrs == nil {
				attrs = map[string]any{}
			}
			switch k := in.IndexKey.(type) {
			case nil:
				l.prior[addr] = attrs
			case float64:
				l.prior[fmt.Sprintf("%s[%d]", addr, int64(k))] = attrs
			case string:
				l.prior[fmt.Sprintf("%s[%q]", addr, k)] = attrs
			}
		}
	}
	return l.prior
}

// priorAttributes are an instance's attributes in the prior state (nil
// when the state does not hold it).
func (l *loader) priorAttributes(addr string) map[string]any { return l.priorState()[addr] }

// forcesReplacement are, by type, the arguments hashicorp/aws marks
// ForceNew (a change replaces the resource, whose id and other computed
// attributes are then known only after apply) that ecsnet compares with
// the prior state: identifiers, names, CIDR blocks and numbers, whose
// state value is the configuration's (a task definition's container
// definitions, normalised by the provider, are not compared: a missed
// replacement, never a false one).
// [src] hashicorp/terraform-provider-aws internal/service/{ec2,elbv2,ecs,servicediscovery,logs,iam,ecr,autoscaling,efs} schemas (ForceNew)
var forcesReplacement = map[string][]string{
	"aws_vpc":                                     {"cidr_block"},
	"aws_subnet":                                  {"vpc_id", "cidr_block", "availability_zone", "availability_zone_id"},
	"aws_security_group":                          {"name", "vpc_id", "description"},
	"aws_security_group_rule":                     {"security_group_id", "type", "from_port", "to_port", "protocol", "source_security_group_id"},
	"aws_vpc_security_group_ingress_rule":         {"security_group_id"},
	"aws_vpc_security_group_egress_rule":          {"security_group_id"},
	"aws_route_table":                             {"vpc_id"},
	"aws_route":                                   {"route_table_id", "destination_cidr_block"},
	"aws_route_table_association":                 {"subnet_id"},
	"aws_network_acl":                             {"vpc_id"},
	"aws_nat_gateway":                             {"subnet_id", "allocation_id", "connectivity_type"},
	"aws_vpc_endpoint":                            {"vpc_id", "service_name", "vpc_endpoint_type"},
	"aws_instance":                                {"ami", "subnet_id", "availability_zone"},
	"aws_lb":                                      {"name", "internal", "load_balancer_type"},
	"aws_alb":                                     {"name", "internal", "load_balancer_type"},
	"aws_lb_target_group":                         {"name", "port", "protocol", "vpc_id", "target_type"},
	"aws_alb_target_group":                        {"name", "port", "protocol", "vpc_id", "target_type"},
	"aws_lb_listener":                             {"load_balancer_arn"},
	"aws_alb_listener":                            {"load_balancer_arn"},
	"aws_lb_target_group_attachment":              {"target_group_arn", "target_id", "port"},
	"aws_ecs_cluster":                             {"name"},
	"aws_ecs_service":                             {"name", "cluster"},
	"aws_ecs_task_definition":                     {"family", "network_mode", "cpu", "memory", "task_role_arn", "execution_role_arn", "requires_compatibilities"},
	"aws_ecs_capacity_provider":                   {"name"},
	"aws_service_discovery_private_dns_namespace": {"name", "vpc"},
	"aws_service_discovery_service":               {"name", "namespace_id"},
	"aws_cloudwatch_log_group":                    {"name"},
	"aws_iam_role":                                {"name"},
	"aws_ecr_repository":                          {"name"},
	"aws_launch_template":                         {"name"},
	"aws_autoscaling_group":                       {"name"},
	"aws_efs_file_system":                         {"creation_token"},
	"aws_efs_mount_target":                        {"file_system_id", "subnet_id"},
}

// replacedAtPlan reports whether terraform plan replaces an instance the
// prior state holds: an argument that forces replacement is unknown in
// the plan view (its own resource replaced or created) or differs from
// the state's value.
func (mi *modInst) replacedAtPlan(r *resource, sb *hclsyntax.Body, extra map[string]cty.Value, state map[string]any) bool {
	if r.mode != "resource" {
		return false
	}
	for _, k := range forcesReplacement[r.typ] {
		var e hcl.Expression
		if sb != nil {
			if a := sb.Attributes[k]; a != nil {
				e = a.Expr
			}
		} else if attrs, diags := r.body.JustAttributes(); !diags.HasErrors() && attrs[k] != nil {
			e = attrs[k].Expr
		}
		if e == nil {
			continue
		}
		v, ok := mi.planValue(e, extra)
		if !ok || v.IsKnown() && v.IsNull() {
			continue
		}
		if !v.IsWhollyKnown() {
			return true
		}
		sv, held := state[k]
		if !held || holdsAWSIdentifier(sv) {
			// An id or ARN in the state is AWS's, the reader's is its
			// engine's: only an unknown one (its resource replaced or
			// created) says anything.
			continue
		}
		if !strings.EqualFold(canonicalCty(v), canonicalAny(sv)) {
			return true
		}
	}
	return false
}

// awsIdentifier matches an EC2-style resource id (vpc-0123…, sg-…,
// subnet-…, ami-…).
var awsIdentifier = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*-[0-9a-f]{8,17}$`)

// holdsAWSIdentifier reports whether a state value is (or holds) an id
// or ARN AWS assigned.
func holdsAWSIdentifier(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.HasPrefix(x, "arn:") || awsIdentifier.MatchString(x)
	case []any:
		for _, e := range x {
			if holdsAWSIdentifier(e) {
				return true
			}
		}
	}
	return false
}

// canonicalCty writes a known value for comparison with a state's:
// numbers as decimals, collections as their sorted elements.
func canonicalCty(v cty.Value) string {
	if v.IsNull() {
		return ""
	}
	switch ty := v.Type(); {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		return strconv.FormatBool(v.True())
	case v.CanIterateElements():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			parts = append(parts, canonicalCty(e))
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, "\x00") + "]"
	}
	return v.GoString()
}

// canonicalAny is canonicalCty of a state's JSON value.
func canonicalAny(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		var parts []string
		for _, e := range x {
			parts = append(parts, canonicalAny(e))
		}
		sort.Strings(parts)
		return "[" + strings.Join(parts, "\x00") + "]"
	}
	return fmt.Sprint(v)
}

// planExtra is an instance's each object in the plan view: each.value is
// the element of the for_each value as terraform plan sees it, so a map
// keyed statically whose values are ids passes them on unknown (its keys,
// each.key, are known). count.index is the reader's.
func (mi *modInst) planExtra(forEach hcl.Expression, in instance) map[string]cty.Value {
	extra := in.extra()
	if forEach == nil || in.key == cty.NilVal || in.key.Type() != cty.String || in.value == cty.NilVal {
		return extra
	}
	v, ok := mi.planValue(forEach, nil)
	if !ok || v.IsNull() {
		return extra
	}
	val := cty.UnknownVal(in.value.Type())
	switch ty := v.Type(); {
	case !v.IsKnown():
	case ty.IsObjectType():
		if !ty.HasAttribute(in.key.AsString()) {
			return extra
		}
		val = v.GetAttr(in.key.AsString())
	case ty.IsMapType():
		if !v.HasIndex(in.key).True() {
			return extra
		}
		val = v.Index(in.key)
	case ty.IsSetType():
		val = in.key // a set of strings: each.value is each.key
	default:
		return extra
	}
	return map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": in.key, "value": val})}
}

// planOutput is output name of a module instance in the plan view (NilVal
// before the output is evaluated).
func (mi *modInst) planOutput(name string) cty.Value {
	p := mi.pv()
	if v, ok := p.outputs[name]; ok {
		return v
	}
	applied, ok := mi.outputs[name]
	if !ok {
		return cty.NilVal
	}
	if p.busy["output."+name] {
		return applied
	}
	for _, o := range mi.mod.outputs {
		if o.name != name {
			continue
		}
		p.busy["output."+name] = true
		v, ok := mi.planValue(o.expr, nil)
		delete(p.busy, "output."+name)
		if !ok {
			v = applied
		}
		p.outputs[name] = v
		return v
	}
	return applied
}

// planMod is module.name in the plan view, as setModValue builds it.
func (mi *modInst) planMod(name string) cty.Value {
	ci := mi.calls[name]
	if ci == nil {
		return cty.NilVal
	}
	var vals []cty.Value
	for _, inst := range ci.insts {
		outs := map[string]cty.Value{}
		for _, o := range inst.mod.outputs {
			if v := inst.planOutput(o.name); v != cty.NilVal {
				outs[o.name] = v
			} else {
				outs[o.name] = cty.DynamicVal
			}
		}
		vals = append(vals, cty.ObjectVal(outs))
	}
	return collect(ci.c.count, ci.c.forEach, ci.ins, vals)
}

// planRes is a resource's or data source's value in the plan view.
func (mi *modInst) planRes(key string) cty.Value {
	info := mi.resInfo[key]
	if info == nil {
		return mi.res[key]
	}
	p := mi.pv()
	if v, ok := p.res[key]; ok {
		return v
	}
	if p.busy[key] {
		return mi.res[key]
	}
	p.busy[key] = true
	defer delete(p.busy, key)
	vals := make([]cty.Value, len(info.vals))
	for i, applied := range info.vals {
		vals[i] = mi.planInstance(info, i, applied)
	}
	v := collect(info.r.count, info.r.forEach, info.ins, vals)
	p.res[key] = v
	return v
}

// planInstance is one instance's plan-view value.
func (mi *modInst) planInstance(info *resPlanInfo, i int, applied cty.Value) cty.Value {
	if applied == cty.NilVal || !applied.IsKnown() || applied.IsNull() || !applied.Type().IsObjectType() {
		return applied
	}
	r := info.r
	extra := mi.planExtra(r.forEach, info.ins[i])
	sb, _ := r.body.(*hclsyntax.Body)
	if state := mi.l.priorAttributes(mi.path + r.key() + info.ins[i].suffix()); state != nil && !mi.replacedAtPlan(r, sb, extra, state) {
		// In the state of an earlier apply and not replaced: plan
		// knows it (the reader takes it to be otherwise unchanged).
		return applied
	}
	m := applied.AsValueMap()
	if m == nil {
		return applied
	}
	unknown := func(k string) {
		m[k] = cty.UnknownVal(m[k].Type())
	}
	if r.mode == "data" {
		if !mi.dataDeferred(r, sb, extra) {
			return applied
		}
		// Read at apply: what the configuration gives is its value,
		// the rest unknown.
		for k := range m {
			if sb == nil || sb.Attributes[k] == nil {
				unknown(k)
				continue
			}
			if v, ok := mi.planValue(sb.Attributes[k].Expr, extra); ok {
				m[k] = v
			} else {
				unknown(k)
			}
		}
		return cty.ObjectVal(m)
	}
	for k := range info.learned[i] {
		if _, ok := m[k]; !ok {
			continue
		}
		if known, ok := knownAtPlan[r.typ+"."+k]; ok {
			m[k] = known(m[k])
			continue
		}
		if notNullAtPlan[r.typ+"."+k] && m[k].Type() == cty.String {
			m[k] = cty.UnknownVal(cty.String).RefineNotNull()
			continue
		}
		unknown(k)
	}
	if sb != nil {
		for k, a := range sb.Attributes {
			if _, ok := m[k]; !ok || metaNames[k] {
				continue
			}
			if v, ok := mi.planValue(a.Expr, extra); ok {
				m[k] = v
			} else {
				unknown(k)
			}
		}
	} else if attrs, diags := r.body.JustAttributes(); !diags.HasErrors() {
		for k, a := range attrs {
			if _, ok := m[k]; !ok || metaNames[k] {
				continue
			}
			if v, ok := mi.planValue(a.Expr, extra); ok {
				m[k] = v
			} else {
				unknown(k)
			}
		}
	}
	return cty.ObjectVal(m)
}

// knownAtPlan are the computed attributes a provider fills in at plan
// (its CustomizeDiff), by type and attribute: their plan-view value from
// the reader's.
var knownAtPlan = map[string]func(cty.Value) cty.Value{
	// hashicorp/aws sets one domain_validation_options element per name
	// at plan, with its domain_name: the usual DNS validation records'
	// for_each keyed by dvo.domain_name is known at plan (the provider's
	// documentation's own example); the records are known after apply.
	// [src] hashicorp/terraform-provider-aws internal/service/acm/certificate.go (resourceCertificateCustomizeDiff)
	"aws_acm_certificate.domain_validation_options": func(v cty.Value) cty.Value {
		if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() || v.LengthInt() == 0 {
			return v
		}
		var out []cty.Value
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if !e.Type().IsObjectType() {
				return cty.UnknownVal(v.Type())
			}
			m := e.AsValueMap()
			for k, a := range m {
				if k != "domain_name" {
					m[k] = cty.UnknownVal(a.Type())
				}
			}
			out = append(out, cty.ObjectVal(m))
		}
		if v.Type().IsSetType() {
			return cty.SetVal(out)
		}
		return cty.TupleVal(out)
	},
}

// notNullAtPlan are the computed attributes whose unknown value at plan
// the provider refines as not null: Terraform's built-in terraform_data
// id (terraform 1.11.4 plans `count = terraform_data.a.id == null ? 0 : 1`;
// hashicorp/aws's ids are plain unknowns, and the same count on an
// aws_vpc's id is refused).
var notNullAtPlan = map[string]bool{"terraform_data.id": true}

// dataDeferred reports whether terraform plan leaves a data source to be
// read at apply: its configuration holds a value known only after apply,
// or it (or a module call above it) has depends_on, whose resources all
// have changes pending in a first plan.
func (mi *modInst) dataDeferred(r *resource, sb *hclsyntax.Body, extra map[string]cty.Value) bool {
	if len(r.dependsOn) > 0 {
		return true
	}
	for m := mi; m != nil; m = m.parent {
		if m.call != nil && len(m.call.dependsOn) > 0 {
			return true
		}
	}
	if sb == nil {
		return false
	}
	v, diags := mi.syntaxBodyValue(sb, mi.planCtx(refsOf(sb), extra), true)
	return diags.HasErrors() || !v.IsWhollyKnown()
}

// Terraform's texts (terraform 1.11.4, `terraform plan`).
const (
	unknownCountDetail = `The "count" value depends on resource attributes that cannot be determined until apply, so Terraform cannot predict how many instances will be created. To work around this, use the -target argument to first apply only the resources that the count depends on.`
	unknownForEachMap  = `The "for_each" map includes keys derived from resource attributes that cannot be determined until apply, and so Terraform cannot determine the full set of keys that will identify the instances of this resource. When working with unknown values in for_each, it's better to define the map keys statically in your configuration and place apply-time results only in the map values. Alternatively, you could use the -target planning option to first apply only the resources that the for_each value depends on, and then apply a second time to fully converge.`
	unknownForEachSet  = `The "for_each" set includes values derived from resource attributes that cannot be determined until apply, and so Terraform cannot determine the full set of keys that will identify the instances of this resource. When working with unknown values in for_each, it's better to use a map value where the keys are defined statically in your configuration and where only the values contain apply-time results. Alternatively, you could use the -target planning option to first apply only the resources that the for_each value depends on, and then apply a second time to fully converge.`
)

// unknownAtPlan is Terraform's refusal of a count (or for_each) whose
// value the reader knows but terraform plan does not; nil when plan knows
// it too.
func (mi *modInst) unknownAtPlan(count, forEach hcl.Expression, what string) error {
	if mi.l.fromJSON {
		return nil
	}
	if IsStandIn(mi.mod.dir) {
		return mi.standinUnknownAtPlan(what)
	}
	e := count
	if e == nil {
		e = forEach
	}
	v, ok := mi.planValue(e, nil)
	if !ok {
		return nil
	}
	msg := unknownText(v, count != nil)
	if msg == "" {
		return nil
	}
	rng := e.Range()
	if names := mi.knownAfterApply(e); len(names) > 0 {
		msg += fmt.Sprintf(" (known only after apply: %s)", strings.Join(names, ", "))
	}
	return &Error{File: rng.Filename, Line: rng.Start.Line, Address: what, Msg: msg}
}

// unknownText is Terraform's refusal of a count (isCount) or for_each
// value at plan, "" when plan knows it.
func unknownText(v cty.Value, isCount bool) string {
	switch {
	case isCount:
		if v.IsKnown() {
			return ""
		}
		return "Invalid count argument: " + unknownCountDetail
	case v.IsKnown() && !(v.Type().IsSetType() && !v.IsWhollyKnown()):
		return ""
	case v.Type().IsSetType():
		return "Invalid for_each argument: " + unknownForEachSet
	}
	return "Invalid for_each argument: " + unknownForEachMap
}

// standinPlanLocal is the local value by which a stand-in gives the
// registry module's own count (or for_each) of one of its resources or
// module calls, for the plan view: "plan_count_" (or "plan_for_each_")
// and the address with dots as underscores
// (plan_count_aws_route53_record_validation).
func standinPlanLocal(kind, what string) string {
	return "plan_" + kind + "_" + strings.NewReplacer(".", "_", "[", "_", "]", "_", `"`, "_").Replace(what)
}

// standinUnknownAtPlan is unknownAtPlan inside a stand-in. A stand-in is
// ecsnet's reading of a registry module, not the module's own code: only
// a count or for_each the stand-in transcribes from the module (its
// standinPlanLocal, which reads the module's variables as the module
// does) is checked, with the module call's inputs as the caller's plan
// view gives them; the error is at the call in the configuration.
func (mi *modInst) standinUnknownAtPlan(what string) error {
	what = strings.TrimPrefix(what, mi.path)
	kind := "count"
	def := mi.mod.locals[standinPlanLocal(kind, what)]
	if def == nil {
		kind = "for_each"
		def = mi.mod.locals[standinPlanLocal(kind, what)]
	}
	if def == nil {
		return nil
	}
	v, ok := mi.planValue(def.Expr, nil)
	if !ok {
		return nil
	}
	msg := unknownText(v, kind == "count")
	if msg == "" {
		return nil
	}
	// The call in the configuration: the outermost stand-in's.
	top := mi
	for top.parent != nil && IsStandIn(top.parent.mod.dir) {
		top = top.parent
	}
	if top.call == nil {
		return nil
	}
	var unknown []string
	if top == mi {
		for _, tr := range def.Expr.Variables() {
			name := refString(tr)
			if tr.RootName() != "var" || len(tr) < 2 {
				continue
			}
			name = strings.SplitN(strings.TrimPrefix(name, "var."), ".", 2)[0]
			if v := mi.planVar(name); v != cty.NilVal && !v.IsWhollyKnown() {
				unknown = append(unknown, name)
			}
		}
		sort.Strings(unknown)
		unknown = slices.Compact(unknown)
	}
	msg += fmt.Sprintf(" (the %s of %s in the registry module's code", kind, what)
	switch len(unknown) {
	case 0:
	case 1:
		msg += "; its input " + unknown[0] + " is known only after apply"
	default:
		msg += "; its inputs " + strings.Join(unknown, ", ") + " are known only after apply"
	}
	msg += ")"
	rng := top.call.rng
	return &Error{File: rng.Filename, Line: rng.Start.Line, Address: strings.TrimSuffix(top.path, "."), Msg: msg}
}

// knownAfterApply names the references of e that are not wholly known in
// the plan view.
func (mi *modInst) knownAfterApply(e hcl.Expression) []string {
	seen := map[string]bool{}
	var out []string
	for _, tr := range e.Variables() {
		switch tr.RootName() {
		case "count", "each", "path", "terraform", "self":
			continue
		}
		v, diags := tr.TraverseAbs(mi.planCtx([]hcl.Traversal{tr}, nil))
		if diags.HasErrors() || v.IsWhollyKnown() {
			continue
		}
		if name := refString(tr); !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// refString writes a reference as the configuration does, its index steps
// included (aws_subnet.private[0].id).
func refString(tr hcl.Traversal) string {
	var b strings.Builder
	for _, s := range tr {
		switch s := s.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type() == cty.String {
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			} else if s.Key.Type() == cty.Number {
				b.WriteString("[" + s.Key.AsBigFloat().String() + "]")
			}
		case hcl.TraverseSplat:
			b.WriteString("[*]")
		}
	}
	return b.String()
}
