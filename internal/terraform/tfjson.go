package terraform

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// IsShowJSON reports whether data is `terraform show -json` output (a plan
// or a state: a JSON object with format_version and terraform_version) or
// a state file as Terraform writes it (terraform.tfstate, `terraform state
// pull`: version 4, terraform_version and resources).
func IsShowJSON(data []byte) bool {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return false
	}
	var head struct {
		FormatVersion    *string         `json:"format_version"`
		TerraformVersion *string         `json:"terraform_version"`
		Version          *int            `json:"version"`
		Resources        json.RawMessage `json:"resources"`
	}
	if json.Unmarshal(data, &head) != nil || head.TerraformVersion == nil {
		return false
	}
	return head.FormatVersion != nil || head.Version != nil && *head.Version == 4 && len(head.Resources) > 0
}

// rawState reads a state file as Terraform writes it (format version 4)
// into the shape of `terraform show -json` of a state: each resource's
// instances, their addresses (module path, type, name, index key) and
// attributes, which are the same JSON in both.
func rawState(data []byte) (*tfjson.StateModule, error) {
	var st struct {
		Version   int `json:"version"`
		Resources []struct {
			Module    string `json:"module"`
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Provider  string `json:"provider"`
			Instances []struct {
				IndexKey   any            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, err
	}
	if st.Version != 4 {
		return nil, fmt.Errorf("state format version %d (Terraform 0.12 and later write version 4)", st.Version)
	}
	root := &tfjson.StateModule{}
	for _, r := range st.Resources {
		mode := tfjson.ManagedResourceMode
		prefix := ""
		if r.Mode == "data" {
			mode = tfjson.DataResourceMode
			prefix = "data."
		}
		if r.Module != "" {
			prefix = r.Module + "." + prefix
		}
		for _, in := range r.Instances {
			root.Resources = append(root.Resources, &tfjson.StateResource{
				Address: prefix + r.Type + "." + r.Name + indexSuffix(in.IndexKey), Mode: mode, Type: r.Type, Name: r.Name,
				Index: in.IndexKey, ProviderName: r.Provider, AttributeValues: in.Attributes,
			})
		}
	}
	return root, nil
}

// jsonResource is one resource instance of a plan or state.
type jsonResource struct {
	addr, typ, name, module string
	values                  map[string]any
	exprs                   map[string]*tfjson.Expression
	// unknown is a plan's after_unknown of the instance; dynamicDone is
	// set once its dynamic blocks are filled for good (plandynamic.go).
	unknown     map[string]any
	dynamicDone bool
}

// index is the instance's count.index, -1 when it has none.
func (jr *jsonResource) index() int {
	if i := strings.LastIndexByte(jr.addr, '['); i >= 0 && strings.HasSuffix(jr.addr, "]") {
		if n, err := strconv.Atoi(jr.addr[i+1 : len(jr.addr)-1]); err == nil {
			return n
		}
	}
	return -1
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
	var unknowns map[string]map[string]any // a plan's after_unknown by address
	kind := "state"
	if _, isPlan := probe["planned_values"]; isPlan {
		var p tfjson.Plan
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, &Error{File: path, Msg: "not a Terraform plan: " + err.Error()}
		}
		kind = "plan"
		unknowns = afterUnknown(&p)
		if p.PlannedValues != nil {
			root = p.PlannedValues.RootModule
		}
		if p.Config != nil {
			cfg = p.Config.RootModule
		}
	} else if _, isShow := probe["format_version"]; !isShow {
		r, err := rawState(data)
		if err != nil {
			return nil, &Error{File: path, Msg: "not a Terraform state: " + err.Error()}
		}
		root = r
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
				exprs: configExprs(cfg, mod, r.Type, r.Name), unknown: unknowns[r.Address]})
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(root)
	if len(list) == 0 {
		l.res.Warnings = append(l.res.Warnings, Warning{File: path, Msg: "the " + kind + " has no managed resources"})
	}
	byType := map[string][]string{} // the managed instances by type
	for _, jr := range list {
		byType[jr.typ] = append(byType[jr.typ], jr.addr)
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
			rs := refs{cfg: cfg, outs: outs, index: jr.index()}
			rs.fill(jr.values, jr.exprs, jr.module)
			isGroup := jr.typ == "aws_security_group" || jr.typ == "aws_default_security_group"
			rs.fillDynamicBlocks(l, jr, byType, !isGroup)
		}
		val, err := jsonValue(jr.values, ids)
		if err != nil {
			return nil, &Error{File: path, Address: jr.addr, Msg: err.Error()}
		}
		r := &resource{mode: "resource", typ: jr.typ, name: jr.name, rng: hcl.Range{Filename: path}}
		c := &rctx{mi: mi, l: l, r: r, typ: jr.typ, addr: jr.addr, o: obj{v: val, rng: r.rng}, out: map[string]cty.Value{}}
		c.refresh = func() error {
			if kind == "plan" {
				rs := refs{cfg: cfg, outs: outs, index: jr.index()}
				rs.fill(jr.values, jr.exprs, jr.module)
				rs.fillDynamicBlocks(l, jr, byType, true)
				rs.fillRouteTargets(l, jr)
			}
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
	// index is the instance's count.index (-1 for none): a reference to
	// a counted resource with count.index beside it is to that element.
	index int
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
					if rs.index > 0 && rs.index < len(l) && slices.Contains(e.References, "count.index") {
						v = l[rs.index]
					}
				} else if !isList && (strings.HasSuffix(k, "s") || strings.HasSuffix(k, "_ids")) && k != "ingress" {
					v = []any{v}
				}
				values[k] = v
				break
			}
		}
	}
}

// routeTargetTypes are, by inline route target, the resource types whose
// id (or attribute) a route names there.
var routeTargetTypes = map[string][]string{
	"gateway_id":                {"aws_internet_gateway", "aws_vpn_gateway"},
	"nat_gateway_id":            {"aws_nat_gateway"},
	"egress_only_gateway_id":    {"aws_egress_only_internet_gateway"},
	"transit_gateway_id":        {"aws_ec2_transit_gateway"},
	"vpc_peering_connection_id": {"aws_vpc_peering_connection"},
	"network_interface_id":      {"aws_network_interface", "aws_instance"},
	"vpc_endpoint_id":           {"aws_vpc_endpoint", "aws_networkfirewall_firewall"},
}

// fillRouteTargets fills, in a plan, the targets of a route table's inline
// routes that are known only after apply: a plan's planned route leaves
// out the unknown target, and its configuration holds only the route
// argument's references, from which the first created resource of the
// target's type is taken (of a count, the table's own index; a Network
// Firewall's endpoint in the zone of the table's subnets, or of the
// subnet holding the route's destination, as an ingress route table's
// routes to each zone's endpoint are).
func (rs refs) fillRouteTargets(l *loader, jr *jsonResource) {
	if jr.typ != "aws_route_table" && jr.typ != "aws_default_route_table" {
		return
	}
	routes, _ := jr.values["route"].([]any)
	if len(routes) == 0 {
		return
	}
	var refsOfRoute []string // none for a dynamic block: the JSON holds no expression for it
	if e := jr.exprs["route"]; e != nil {
		refsOfRoute = e.References
	}
	idx := jr.index()
	prefix := ""
	if jr.module != "" {
		prefix = jr.module + "."
	}
	// The created instances a reference names.
	instancesOf := func(ref string) []map[string]cty.Value {
		base := ref
		if i := strings.IndexByte(base, '['); i >= 0 {
			if o, ok := rs.outs[prefix+base[:strings.IndexByte(base, ']')+1]]; ok {
				return []map[string]cty.Value{o}
			}
			base = base[:i]
		}
		parts := strings.Split(base, ".")
		if len(parts) < 2 {
			return nil
		}
		base = prefix + parts[0] + "." + parts[1]
		if o, ok := rs.outs[base]; ok {
			return []map[string]cty.Value{o}
		}
		var list []map[string]cty.Value
		for i := 0; ; i++ {
			o, ok := rs.outs[fmt.Sprintf("%s[%d]", base, i)]
			if !ok {
				break
			}
			list = append(list, o)
		}
		if idx >= 0 && idx < len(list) {
			return list[idx : idx+1]
		}
		return list
	}
	for _, x := range routes {
		route, ok := x.(map[string]any)
		if !ok {
			continue
		}
		for key, types := range routeTargetTypes {
			if v, present := route[key]; present && v != nil {
				continue
			}
			for _, ref := range refsOfRoute {
				typ, _, _ := strings.Cut(ref, ".")
				if !slices.Contains(types, typ) {
					continue
				}
				ins := instancesOf(ref)
				if len(ins) == 0 {
					continue
				}
				id := ""
				switch typ {
				case "aws_networkfirewall_firewall":
					id = rs.firewallEndpoint(l, jr, route, ins[0])
				case "aws_instance":
					id, _ = ctyString(ins[0]["primary_network_interface_id"])
				default:
					id, _ = ctyString(ins[0]["id"])
				}
				if id != "" {
					route[key] = id
					break
				}
			}
			if v, present := route[key]; present && v != nil {
				continue
			}
			// Through a local value or a dynamic block (the JSON keeps no
			// references of either): the plan's only resource of the
			// target's types [probable].
			if typ, only := rs.onlyInstance(types); only != nil {
				id := ""
				switch typ {
				case "aws_networkfirewall_firewall":
					id = rs.firewallEndpoint(l, jr, route, only)
				case "aws_instance":
					id, _ = ctyString(only["primary_network_interface_id"])
				default:
					id, _ = ctyString(only["id"])
				}
				if id != "" {
					route[key] = id
				}
			}
		}
	}
}

// planAddrType is the resource type of a plan's address
// (module.a.aws_nat_gateway.main[0]: aws_nat_gateway).
var planAddrType = regexp.MustCompile(`(?:^|\.)(aws_[a-z0-9_]+)\.[^.]+$`)

// onlyInstance is the created instance of one of types when the plan
// holds exactly one instance of them all, with its type.
func (rs refs) onlyInstance(types []string) (string, map[string]cty.Value) {
	var typ string
	var found map[string]cty.Value
	n := 0
	for addr, o := range rs.outs {
		m := planAddrType.FindStringSubmatch(addr)
		if m == nil || !slices.Contains(types, m[1]) || strings.Contains(addr, "data.") {
			continue
		}
		n++
		typ, found = m[1], o
	}
	if n != 1 {
		return "", nil
	}
	return typ, found
}

// firewallEndpoint is the endpoint of a firewall (its created
// firewall_status) that a route of table jr names: in the zone of the
// table's subnets, else of the subnet that holds the route's destination,
// else the firewall's first zone's.
func (rs refs) firewallEndpoint(l *loader, jr *jsonResource, route map[string]any, fw map[string]cty.Value) string {
	byZone := map[string]string{}
	var zones []string
	if st := fw["firewall_status"]; st.IsKnown() && !st.IsNull() && st.LengthInt() > 0 {
		ss := st.Index(cty.NumberIntVal(0)).GetAttr("sync_states")
		for it := ss.ElementIterator(); it.Next(); {
			_, s := it.Element()
			z := s.GetAttr("availability_zone").AsString()
			byZone[z] = s.GetAttr("attachment").Index(cty.NumberIntVal(0)).GetAttr("endpoint_id").AsString()
			zones = append(zones, z)
		}
	}
	if len(zones) == 0 {
		return ""
	}
	sort.Strings(zones)
	rt, _ := ctyString(rs.outs[jr.addr]["id"])
	dest, _ := route["cidr_block"].(string)
	zone := ""
	l.engine().Read(func(st *model.State) {
		if t := st.RouteTables[model.RouteTableID(rt)]; t != nil {
			for _, a := range t.Associations {
				if sn := st.Subnets[a.SubnetID]; sn != nil && byZone[sn.AvailabilityZone] != "" {
					zone = sn.AvailabilityZone
					return
				}
			}
		}
		if p, err := netip.ParsePrefix(dest); err == nil {
			for _, sn := range st.Subnets {
				if sn.CIDR.IsValid() && sn.CIDR.Overlaps(p) && byZone[sn.AvailabilityZone] != "" {
					zone = sn.AvailabilityZone
					return
				}
			}
		}
	})
	return byZone[cmp.Or(zone, zones[0])]
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
