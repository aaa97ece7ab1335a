package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IsShowJSON reports whether data is `terraform show -json` output (a plan
// or a state): a JSON object with format_version and terraform_version.
func IsShowJSON(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	var head struct {
		FormatVersion    *string `json:"format_version"`
		TerraformVersion *string `json:"terraform_version"`
	}
	if json.Unmarshal(data, &head) != nil {
		return false
	}
	return head.FormatVersion != nil && head.TerraformVersion != nil
}

// jsonResource is one resource instance of a plan or state.
type jsonResource struct {
	addr, typ, name, module string
	values                  map[string]any
	exprs                   map[string]*tfjson.Expression
}

// typeRanks orders resources so that what others refer to by id comes
// first (a state has the ids, not the references).
func typeRanks() map[string]int {
	order := []string{"aws_vpc", "aws_default_vpc", "aws_subnet", "aws_default_subnet", "aws_internet_gateway", "aws_internet_gateway_attachment",
		"aws_vpn_gateway", "aws_vpn_gateway_attachment", "aws_customer_gateway", "aws_vpn_connection", "aws_vpn_connection_route",
		"aws_egress_only_internet_gateway", "aws_eip", "aws_nat_gateway", "aws_security_group", "aws_default_security_group", "aws_security_group_rule",
		"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_network_acl", "aws_default_network_acl",
		"aws_network_acl_rule", "aws_network_acl_association", "aws_route_table", "aws_default_route_table", "aws_vpn_gateway_route_propagation", "aws_main_route_table_association",
		"aws_route_table_association", "aws_vpc_endpoint", "aws_networkfirewall_rule_group", "aws_networkfirewall_firewall_policy",
		"aws_networkfirewall_firewall", "aws_ec2_transit_gateway", "aws_ec2_transit_gateway_vpc_attachment",
		"aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation",
		"aws_ec2_transit_gateway_route", "aws_route", "aws_placement_group", "aws_launch_template", "aws_launch_configuration", "aws_ecs_cluster",
		"aws_lb", "aws_alb", "aws_lb_target_group", "aws_alb_target_group", "aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule",
		"aws_alb_listener_rule", "aws_instance", "aws_spot_fleet_request", "aws_ec2_fleet", "aws_eip_association", "aws_lb_target_group_attachment", "aws_alb_target_group_attachment",
		"aws_autoscaling_group", "aws_autoscaling_attachment", "aws_autoscaling_lifecycle_hook", "aws_ecs_capacity_provider", "aws_ecs_cluster_capacity_providers",
		"aws_ecs_task_definition", "aws_ecs_service", "aws_ecs_express_gateway_service"}
	m := map[string]int{}
	for i, t := range order {
		m[t] = i + 1
	}
	return m
}

// LoadJSON reads `terraform show -json` output, a plan (planned_values) or
// a state (values), with hashicorp/terraform-json, and creates its
// resources through a new engine. Ids in the file are replaced by the ids
// the engine gives; in a plan, values known only after apply are taken
// from the configuration's references.
func LoadJSON(path string, opts Options) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%s: internal error reading the file: %v", path, r)
		}
	}()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, &Error{File: path, Msg: "not JSON: " + err.Error()}
	}
	var root *tfjson.StateModule
	var cfg *tfjson.ConfigModule
	kind := "state"
	if _, isPlan := probe["planned_values"]; isPlan {
		var p tfjson.Plan
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, &Error{File: path, Msg: "not a Terraform plan: " + err.Error()}
		}
		kind = "plan"
		if p.PlannedValues != nil {
			root = p.PlannedValues.RootModule
		}
		if p.Config != nil {
			cfg = p.Config.RootModule
		}
	} else {
		var s tfjson.State
		if err := json.Unmarshal(data, &s); err != nil {
			return nil, &Error{File: path, Msg: "not a Terraform state: " + err.Error()}
		}
		if s.Values != nil {
			root = s.Values.RootModule
		}
	}
	l := &loader{opts: opts, root: path, modules: map[string]*module{}, fromJSON: true,
		res: &Result{Dir: path, Outputs: map[string]string{}, Names: map[string]string{}}}
	var list []*jsonResource
	var defaults []*tfjson.StateResource // data sources that read the default VPC
	var walk func(m *tfjson.StateModule)
	walk = func(m *tfjson.StateModule) {
		if m == nil {
			return
		}
		for _, r := range m.Resources {
			if r.Mode != tfjson.ManagedResourceMode {
				if r.Mode == tfjson.DataResourceMode && readsDefaultVPC(r) {
					defaults = append(defaults, r)
				}
				continue
			}
			mod := strings.TrimSuffix(strings.TrimSuffix(r.Address, r.Type+"."+r.Name+indexSuffix(r.Index)), ".")
			list = append(list, &jsonResource{addr: r.Address, typ: r.Type, name: r.Name, module: mod, values: r.AttributeValues,
				exprs: configExprs(cfg, mod, r.Type, r.Name)})
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(root)
	if len(list) == 0 {
		l.res.Warnings = append(l.res.Warnings, Warning{File: path, Msg: "the " + kind + " has no managed resources"})
	}
	typeRank := typeRanks()
	sort.SliceStable(list, func(i, j int) bool {
		ri, rj := typeRank[list[i].typ], typeRank[list[j].typ]
		if ri == 0 {
			ri = 1000
		}
		if rj == 0 {
			rj = 1000
		}
		return ri < rj
	})
	l.engine()
	ids := map[string]string{} // id or ARN in the file → the engine's
	if err := l.mapDefaultVPC(defaults, ids); err != nil {
		return nil, err
	}
	outs := map[string]map[string]cty.Value{} // address → computed attributes
	mi := &modInst{l: l, attrRefs: map[string]map[string]bool{}}
	for _, jr := range list {
		if jr.typ != "aws_security_group" && jr.typ != "aws_default_security_group" {
			for _, fn := range l.deferred {
				if err := fn(); err != nil {
					return nil, err
				}
			}
			l.deferred = nil
		}
		if kind == "plan" {
			refs{cfg: cfg, outs: outs}.fill(jr.values, jr.exprs, jr.module)
		}
		val, err := jsonValue(jr.values, ids)
		if err != nil {
			return nil, &Error{File: path, Address: jr.addr, Msg: err.Error()}
		}
		r := &resource{mode: "resource", typ: jr.typ, name: jr.name, rng: hcl.Range{Filename: path}}
		c := &rctx{mi: mi, l: l, r: r, typ: jr.typ, addr: jr.addr, o: obj{v: val, rng: r.rng}, out: map[string]cty.Value{}}
		c.refresh = func() error {
			v, err := jsonValue(jr.values, ids)
			if err != nil {
				return &Error{File: path, Address: jr.addr, Msg: err.Error()}
			}
			c.o.v = v
			return nil
		}
		if err := c.run(); err != nil {
			if adopted(jr.typ, err) {
				continue
			}
			return nil, err
		}
		outs[jr.addr] = c.out
		for _, k := range []string{"id", "arn"} {
			old, _ := jr.values[k].(string)
			if nv, ok := c.out[k]; ok && old != "" && nv.Type() == cty.String && nv.IsKnown() && !nv.IsNull() && nv.AsString() != old {
				ids[old] = nv.AsString()
			}
		}
		if jr.typ == "aws_networkfirewall_firewall" {
			firewallEndpointIDs(jr.values, c.out["firewall_status"], ids)
		}
	}
	for _, fn := range append(l.deferred, l.final...) {
		if err := fn(); err != nil {
			return nil, err
		}
	}
	if err := l.finish(); err != nil {
		return nil, err
	}
	return l.res, nil
}

// adopted reports whether an error only says that a rule, route or
// association exists already: a state lists rules both inline (on the
// group, table or ACL) and as their own resources.
func adopted(typ string, err error) bool {
	switch typ {
	case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_route",
		"aws_network_acl_rule", "aws_network_acl_association", "aws_route_table_association":
	default:
		return false
	}
	for _, code := range []string{"InvalidPermission.Duplicate", "RouteAlreadyExists", "NetworkAclEntryAlreadyExists", "Resource.AlreadyAssociated"} {
		if apierr.HasCode(err, code) {
			return true
		}
	}
	return strings.Contains(err.Error(), "already exists") || strings.Contains(err.Error(), "already associated")
}

func indexSuffix(idx any) string {
	switch v := idx.(type) {
	case nil:
		return ""
	case string:
		return fmt.Sprintf("[%q]", v)
	case float64:
		return fmt.Sprintf("[%d]", int(v))
	case json.Number:
		return "[" + v.String() + "]"
	}
	return fmt.Sprintf("[%v]", idx)
}

// configExprs finds a resource's expressions in a plan's configuration.
func configExprs(cfg *tfjson.ConfigModule, module, typ, name string) map[string]*tfjson.Expression {
	m := cfg
	if module != "" {
		for _, part := range strings.Split(module, ".module.") {
			part = strings.TrimPrefix(part, "module.")
			if i := strings.IndexByte(part, '['); i >= 0 {
				part = part[:i]
			}
			if m == nil || m.ModuleCalls[part] == nil {
				return nil
			}
			m = m.ModuleCalls[part].Module
		}
	}
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r.Mode == tfjson.ManagedResourceMode && r.Type == typ && r.Name == name {
			return r.Expressions
		}
	}
	return nil
}

var refRE = regexp.MustCompile(`^((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]+\])?(?:\.([a-z0-9_]+))?`)

// refs resolves a plan's references to the values of what is created.
type refs struct {
	cfg  *tfjson.ConfigModule
	outs map[string]map[string]cty.Value
}

// module returns the configuration of a module path ("module.a.module.b").
func (rs refs) module(path string) *tfjson.ConfigModule {
	m := rs.cfg
	if path == "" {
		return m
	}
	for _, part := range strings.Split(path, ".module.") {
		part = strings.TrimPrefix(part, "module.")
		if i := strings.IndexByte(part, '['); i >= 0 {
			part = part[:i]
		}
		if m == nil || m.ModuleCalls[part] == nil {
			return nil
		}
		m = m.ModuleCalls[part].Module
	}
	return m
}

// resolve returns the value of one reference made in module path.
func (rs refs) resolve(path, ref string) (any, bool) {
	prefix := ""
	if path != "" {
		prefix = path + "."
	}
	m := refRE.FindStringSubmatch(ref)
	if m == nil {
		return nil, false
	}
	for _, p := range []string{"var.", "local.", "each.", "count.", "path.", "terraform."} {
		if strings.HasPrefix(ref, p) {
			return nil, false
		}
	}
	if name, ok := strings.CutPrefix(m[1], "module."); ok {
		// module.NAME.OUTPUT: the output's own references, in the module.
		if m[3] == "" {
			return nil, false
		}
		child := prefix + "module." + name
		cm := rs.module(child)
		if cm == nil || cm.Outputs[m[3]] == nil || cm.Outputs[m[3]].Expression == nil {
			return nil, false
		}
		for _, r := range cm.Outputs[m[3]].Expression.References {
			if v, ok := rs.resolve(child, r); ok {
				return v, true
			}
		}
		return nil, false
	}
	attr := m[3]
	if attr == "" {
		attr = "id"
	}
	base := prefix + m[1]
	if m[2] != "" {
		if o, ok := rs.outs[base+m[2]]; ok {
			return goValue(o[attr]), true
		}
		return nil, false
	}
	if o, ok := rs.outs[base]; ok {
		return goValue(o[attr]), true
	}
	var list []any
	for i := 0; ; i++ {
		o, ok := rs.outs[fmt.Sprintf("%s[%d]", base, i)]
		if !ok {
			break
		}
		list = append(list, goValue(o[attr]))
	}
	return list, len(list) > 0
}

// fill fills a plan's values that are unknown until apply from the
// references of their expressions.
func (rs refs) fill(values map[string]any, exprs map[string]*tfjson.Expression, path string) {
	for k, e := range exprs {
		if e == nil {
			continue
		}
		if len(e.NestedBlocks) > 0 {
			blocks, _ := values[k].([]any)
			for i, nb := range e.NestedBlocks {
				if i < len(blocks) {
					if bm, ok := blocks[i].(map[string]any); ok {
						rs.fill(bm, nb, path)
					}
				}
			}
			continue
		}
		if values[k] != nil {
			continue
		}
		for _, ref := range e.References {
			if v, ok := rs.resolve(path, ref); ok {
				if l, isList := v.([]any); isList && (strings.HasSuffix(k, "_id") || k == "cluster" || k == "task_definition") && len(l) > 0 {
					v = l[0]
				} else if !isList && (strings.HasSuffix(k, "s") || strings.HasSuffix(k, "_ids")) && k != "ingress" {
					v = []any{v}
				}
				values[k] = v
				break
			}
		}
	}
}

// remapIDs replaces the file's ids and ARNs by the engine's.
func remapIDs(v map[string]any, ids map[string]string) {
	for k, x := range v {
		v[k] = remap(x, ids)
	}
}

func remap(x any, ids map[string]string) any {
	switch t := x.(type) {
	case string:
		if n, ok := ids[t]; ok && looksLikeID(t) {
			return n
		}
		if strings.HasPrefix(t, "[") || strings.HasPrefix(t, "{") {
			// JSON text (container definitions, policies): ids inside too
			for old, n := range ids {
				if looksLikeID(old) && strings.Contains(t, old) {
					t = strings.ReplaceAll(t, old, n)
				}
			}
		}
		return t
	case []any:
		for i := range t {
			t[i] = remap(t[i], ids)
		}
		return t
	case map[string]any:
		remapIDs(t, ids)
		return t
	}
	return x
}

var idRE = regexp.MustCompile(`^(arn:|[a-z]+-[0-9a-f]{8,}$)`)

// looksLikeID reports whether a value is an AWS id or ARN (names are not
// remapped).
func looksLikeID(s string) bool { return idRE.MatchString(s) }

// readsDefaultVPC reports whether a data source of a state read the
// default VPC or its subnets.
func readsDefaultVPC(r *tfjson.StateResource) bool {
	switch r.Type {
	case "aws_vpc":
		d, _ := r.AttributeValues["default"].(bool)
		return d
	case "aws_subnet":
		d, _ := r.AttributeValues["default_for_az"].(bool)
		return d
	}
	return false
}

// mapDefaultVPC maps the ids a state read from the account's default VPC
// (data sources) to the default VPC ecsnet assumes, as AWS creates it: the
// VPC by id, a default subnet by its zone.
func (l *loader) mapDefaultVPC(defaults []*tfjson.StateResource, ids map[string]string) error {
	if len(defaults) == 0 {
		return nil
	}
	e := l.engine()
	vpc := e.DefaultVpc()
	if vpc == nil {
		var err error
		if vpc, err = e.CreateDefaultVpc(); err != nil {
			return err
		}
		l.res.Warnings = append(l.res.Warnings, Warning{File: l.root, Msg: fmt.Sprintf("the file reads the account's default VPC (%s): ecsnet assumes the one AWS creates in every region (%s, %s, a default subnet per zone); give the real system with --base",
			defaults[0].Address, vpc.ID, vpc.CIDR)})
	}
	var subnets []*model.Subnet
	e.Read(func(st *model.State) {
		for _, s := range st.Subnets {
			if s.VpcID == vpc.ID && s.DefaultForAZ {
				subnets = append(subnets, s)
			}
		}
	})
	for _, r := range defaults {
		id, _ := r.AttributeValues["id"].(string)
		switch r.Type {
		case "aws_vpc":
			ids[id] = string(vpc.ID)
		case "aws_subnet":
			az, _ := r.AttributeValues["availability_zone"].(string)
			for _, s := range subnets {
				if s.AvailabilityZone == az {
					ids[id] = string(s.ID)
				}
			}
		}
	}
	return nil
}

// jsonValue is a resource's values from the file, with the ids mapped so
// far, as a value the handlers read.
func jsonValue(values map[string]any, ids map[string]string) (cty.Value, error) {
	remapIDs(values, ids)
	raw, err := json.Marshal(values)
	if err != nil {
		return cty.NilVal, err
	}
	ty, err := ctyjson.ImpliedType(raw)
	if err != nil {
		return cty.NilVal, err
	}
	return ctyjson.Unmarshal(raw, ty)
}
