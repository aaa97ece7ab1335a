package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// rctx is one resource instance being created (or one data source being
// read).
type rctx struct {
	mi   *modInst
	l    *loader
	r    *resource
	typ  string
	addr string
	o    obj
	prov providerCfg
	out  map[string]cty.Value // computed attributes
	skip string               // set by a handler that skips the instance
}

// handler creates one resource type's instance through the engine.
type handler func(c *rctx) error

func (c *rctx) e() *engine.Engine { return c.l.engine() }

func (c *rctx) set(k, v string) { c.out[k] = cty.StringVal(v) }

func (c *rctx) setList(k string, vs []string) {
	if len(vs) == 0 {
		c.out[k] = cty.ListValEmpty(cty.String)
		return
	}
	l := make([]cty.Value, len(vs))
	for i, v := range vs {
		l[i] = cty.StringVal(v)
	}
	c.out[k] = cty.ListVal(l)
}

// fail reports an engine (AWS) error at an argument's line.
func (c *rctx) fail(k string, err error) error {
	r := c.o.at(k)
	return &Error{File: r.Filename, Line: r.Start.Line, Address: c.addr, Msg: err.Error(), Err: err}
}

func (c *rctx) errf(k, format string, args ...any) error {
	r := c.o.at(k)
	return &Error{File: r.Filename, Line: r.Start.Line, Address: c.addr, Msg: fmt.Sprintf(format, args...)}
}

// req returns a required string argument.
func (c *rctx) req(k string) (string, error) {
	v := c.o.str(k)
	if v == "" {
		if !c.o.get(k).IsKnown() {
			return "", c.errf(k, "%s depends on a value ecsnet does not know (a resource it does not model)", k)
		}
		return "", c.errf(k, "Missing required argument: the argument %q is required, but no definition was found", k)
	}
	return v, nil
}

// tags returns the resource's tags: the provider's default_tags, then
// tags, and a Name tag naming the address when neither gives one, so that
// ecsnet's output and --from/--to can name the resource.
func (c *rctx) tags() model.Tags {
	t := model.Tags{}
	for k, v := range c.prov.defaultTags {
		t[k] = v
	}
	for k, v := range stringMap(c.o.get("tags")) {
		t[k] = v
	}
	delete(t, publicIPsTag)
	if _, ok := t["Name"]; !ok {
		t["Name"] = c.addr
	}
	return t
}

// plainTags is tags without the Name ecsnet adds (for resources whose
// name is their own).
func (c *rctx) plainTags() model.Tags {
	t := model.Tags{}
	for k, v := range c.prov.defaultTags {
		t[k] = v
	}
	for k, v := range stringMap(c.o.get("tags")) {
		t[k] = v
	}
	delete(t, publicIPsTag)
	if len(t) == 0 {
		return nil
	}
	return t
}

// name returns the name argument, or the name Terraform generates from
// name_prefix (or from nothing): the prefix and a 26-digit suffix.
func (c *rctx) name(max int) string {
	if n := c.o.str("name"); n != "" {
		return n
	}
	prefix := c.o.str("name_prefix")
	if prefix == "" {
		prefix = "terraform-"
	}
	n := prefix + "2026010100000000000000000" + fmt.Sprint(len(c.l.res.Resources)%10)
	if max > 0 && len(n) > max {
		n = n[:max]
	}
	return n
}

// created records a created resource and the name the analyzer knows it by.
func (c *rctx) created(id, name string) {
	c.l.res.Resources = append(c.l.res.Resources, Resource{Address: c.addr, Type: c.typ, ID: id, File: c.r.rng.Filename, Line: c.r.rng.Start.Line})
	if name != "" {
		c.l.res.Names[c.addr] = name
	}
	c.out["id"] = cty.StringVal(id)
}

func (c *rctx) read(fn func(st *model.State)) { c.e().Read(fn) }

// evalResource evaluates a resource or data block: each instance's
// arguments, then its creation through the engine.
func (mi *modInst) evalResource(r *resource) error {
	base := mi.path + r.key()
	ins, err := mi.expand(r.count, r.forEach, base)
	if err != nil {
		return err
	}
	prov, ok := mi.provider(r.provider)
	if !ok && strings.HasPrefix(r.typ, "aws_") {
		return &Error{File: r.rng.Filename, Line: r.rng.Start.Line, Address: base,
			Msg: fmt.Sprintf("Provider configuration not present: %s is not declared in this module (a provider block with alias, or the module call's providers map)", r.provider)}
	}
	vals := make([]cty.Value, 0, len(ins))
	for _, in := range ins {
		addr := base + in.suffix()
		v, diags := mi.bodyValue(r.body, in.extra(), true)
		if diags.HasErrors() {
			return diagError(diags)
		}
		sb, _ := r.body.(*hclsyntax.Body)
		c := &rctx{mi: mi, l: mi.l, r: r, typ: r.typ, addr: addr, o: obj{v: v, rng: r.rng, body: sb}, prov: prov, out: map[string]cty.Value{}}
		if err := c.run(); err != nil {
			return err
		}
		vals = append(vals, c.value(v))
	}
	mi.res[r.key()] = collect(r.count, r.forEach, ins, vals)
	return nil
}

// run creates the instance, or records why it is skipped.
func (c *rctx) run() error {
	r := c.r
	if r.mode == "data" {
		h, ok := dataHandlers[r.typ]
		if !ok {
			c.l.warnf(r.rng, "%s: data source %s is not modeled by ecsnet; its id, arn and name are placeholders and its other attributes unknown", c.addr, r.typ)
			c.placeholders()
			return nil
		}
		return h(c)
	}
	if !strings.HasPrefix(r.typ, "aws_") {
		if h, ok := utilityHandlers[r.typ]; ok {
			return h(c)
		}
		c.skipped("not an AWS resource")
		return nil
	}
	c.e()
	if c.prov.region != "" && c.prov.region != c.l.region {
		c.l.warnf(r.rng, "%s is in region %s (provider %s); ecsnet models one region, %s: it is not created, and paths through it are not analyzed", c.addr, c.prov.region, r.provider, c.l.region)
		c.skipped("in region " + c.prov.region)
		return nil
	}
	h, ok := handlers[r.typ]
	if !ok {
		reason := skipReason(r.typ)
		if strings.Contains(reason, "not analyzed") {
			// It could change a verdict: say so on its own line.
			c.l.warnf(r.rng, "%s (%s) is %s", c.addr, r.typ, reason)
		}
		c.skipped(reason)
		return nil
	}
	if err := h(c); err != nil {
		return err
	}
	if c.skip != "" {
		c.skipped(c.skip)
	}
	return nil
}

// skipped records an instance ecsnet does not create; its attributes
// resolve to placeholders.
func (c *rctx) skipped(reason string) {
	c.l.skipped[c.typ]++
	c.l.res.Skipped = append(c.l.res.Skipped, Resource{Address: c.addr, Type: c.typ, File: c.r.rng.Filename, Line: c.r.rng.Start.Line, Reason: reason})
	c.placeholders()
}

// placeholders gives an unmodeled resource an id, an ARN and a name of the
// right shape.
func (c *rctx) placeholders() {
	c.e()
	name := c.o.str("name")
	if name == "" {
		name = c.r.name
	}
	if _, ok := c.out["id"]; !ok {
		c.out["id"] = cty.StringVal(name)
	}
	if _, ok := c.out["arn"]; !ok {
		svc := strings.SplitN(strings.TrimPrefix(c.typ, "aws_"), "_", 2)[0]
		c.out["arn"] = cty.StringVal(fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", svc, c.l.region, c.l.account, strings.TrimPrefix(c.typ, "aws_"), name))
	}
	if _, ok := c.out["name"]; !ok {
		c.out["name"] = cty.StringVal(name)
	}
	// Referenced ARNs and ids keep their shape (a certificate_arn passed to
	// an HTTPS listener, a role's unique_id); other attributes are unknown.
	for a := range c.mi.attrRefs[c.r.key()] {
		if _, ok := c.out[a]; ok {
			continue
		}
		switch {
		case strings.HasSuffix(a, "arn"):
			c.out[a] = c.out["arn"]
		case strings.HasSuffix(a, "_id") || strings.HasSuffix(a, "_name"):
			c.out[a] = cty.StringVal(name + "-" + strings.TrimSuffix(strings.TrimSuffix(a, "_id"), "_name"))
		}
	}
}

// value is what references to the instance see: its arguments, the
// computed attributes, and every other attribute the module references
// as unknown.
func (c *rctx) value(config cty.Value) cty.Value {
	m := map[string]cty.Value{}
	if config.Type().IsObjectType() {
		for k, v := range config.AsValueMap() {
			m[k] = v
		}
	}
	for k, v := range c.out {
		m[k] = v
	}
	for a := range c.mi.attrRefs[c.r.key()] {
		if _, ok := m[a]; !ok {
			m[a] = cty.DynamicVal
		}
	}
	for a := range c.mi.looseAttrs {
		if _, ok := m[a]; !ok {
			m[a] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(m)
}

// skipReason explains why a resource type is not created.
func skipReason(typ string) string {
	switch typ {
	case "aws_vpc_peering_connection", "aws_ec2_transit_gateway", "aws_ec2_transit_gateway_vpc_attachment",
		"aws_vpn_gateway", "aws_egress_only_internet_gateway", "aws_network_interface", "aws_network_interface_attachment",
		"aws_ec2_managed_prefix_list", "aws_vpc_ipv4_cidr_block_association", "aws_elb", "aws_networkfirewall_firewall",
		"aws_ec2_transit_gateway_route", "aws_vpn_connection", "aws_customer_gateway", "aws_vpc_peering_connection_accepter",
		"aws_route_table_propagation", "aws_vpn_gateway_route_propagation", "aws_vpn_gateway_attachment", "aws_dx_gateway_association",
		"aws_service_discovery_http_namespace", "aws_appmesh_mesh", "aws_globalaccelerator_accelerator", "aws_wafv2_web_acl_association",
		"aws_lb_trust_store", "aws_ec2_instance_connect_endpoint", "aws_vpclattice_service_network":
		return "not modeled by ecsnet; traffic through it is not analyzed"
	}
	return "not modeled by ecsnet (it does not change how packets flow)"
}

// handlers are the resource types ecsnet creates.
var handlers = map[string]handler{
	"aws_vpc":                                     createVPC,
	"aws_default_vpc":                             adoptDefaultVPC,
	"aws_subnet":                                  createSubnet,
	"aws_default_subnet":                          adoptDefaultSubnet,
	"aws_internet_gateway":                        createIGW,
	"aws_internet_gateway_attachment":             attachIGW,
	"aws_eip":                                     createEIP,
	"aws_eip_association":                         createEIPAssociation,
	"aws_nat_gateway":                             createNatGateway,
	"aws_route_table":                             createRouteTable,
	"aws_default_route_table":                     adoptDefaultRouteTable,
	"aws_route":                                   createRoute,
	"aws_route_table_association":                 createRTAssociation,
	"aws_main_route_table_association":            createMainRTAssociation,
	"aws_security_group":                          createSecurityGroup,
	"aws_default_security_group":                  adoptDefaultSecurityGroup,
	"aws_security_group_rule":                     createSGRule,
	"aws_vpc_security_group_ingress_rule":         func(c *rctx) error { return createVPCSGRule(c, false) },
	"aws_vpc_security_group_egress_rule":          func(c *rctx) error { return createVPCSGRule(c, true) },
	"aws_network_acl":                             createNetworkACL,
	"aws_default_network_acl":                     adoptDefaultNetworkACL,
	"aws_network_acl_rule":                        createNetworkACLRule,
	"aws_network_acl_association":                 createNetworkACLAssociation,
	"aws_vpc_endpoint":                            createVPCEndpoint,
	"aws_instance":                                createInstance,
	"aws_launch_template":                         createLaunchTemplate,
	"aws_launch_configuration":                    createLaunchConfiguration,
	"aws_autoscaling_group":                       createASG,
	"aws_ecs_cluster":                             createCluster,
	"aws_ecs_capacity_provider":                   createCapacityProvider,
	"aws_ecs_cluster_capacity_providers":          createClusterCapacityProviders,
	"aws_ecs_task_definition":                     createTaskDefinition,
	"aws_ecs_service":                             createService,
	"aws_lb":                                      createLoadBalancer,
	"aws_alb":                                     createLoadBalancer,
	"aws_lb_target_group":                         createTargetGroup,
	"aws_alb_target_group":                        createTargetGroup,
	"aws_lb_listener":                             createListener,
	"aws_alb_listener":                            createListener,
	"aws_lb_listener_rule":                        createListenerRule,
	"aws_alb_listener_rule":                       createListenerRule,
	"aws_lb_target_group_attachment":              createTGAttachment,
	"aws_alb_target_group_attachment":             createTGAttachment,
	"aws_autoscaling_attachment":                  createASGAttachment,
	"aws_service_discovery_private_dns_namespace": skipCloudMap,
	"aws_service_discovery_service":               skipCloudMap,
}

// SupportedTypes returns the resource types ecsnet creates.
func SupportedTypes() []string { return sortedKeys(handlers) }

// skipCloudMap: the engine has no Cloud Map; say so plainly.
func skipCloudMap(c *rctx) error {
	c.l.warnf(c.r.rng, "%s: AWS Cloud Map (service discovery) is not modeled by ecsnet; names it would resolve are not analyzed", c.addr)
	c.skip = "Cloud Map is not modeled"
	c.set("arn", fmt.Sprintf("arn:aws:servicediscovery:%s:%s:service/srv-%s", c.l.region, c.l.account, c.r.name))
	c.set("id", "ns-"+c.r.name)
	c.set("hosted_zone", "Z0"+strings.ToUpper(c.r.name))
	return nil
}

var _ = hcl.Range{}
