package terraform

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sort"
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
	// extra are the instance's count.index or each.key and each.value.
	extra map[string]cty.Value
	// refresh, for a plan or state, reads the arguments again with the ids
	// mapped since (for work deferred until other resources exist).
	refresh func() error
}

// later runs fn once the resources it refers to exist: at once for a
// configuration (its references order the work), after the other groups
// for a plan or state.
func (c *rctx) later(fn func() error) error {
	if !c.l.fromJSON {
		return fn()
	}
	c.l.deferred = append(c.l.deferred, func() error {
		if c.refresh != nil {
			if err := c.refresh(); err != nil {
				return err
			}
		}
		return fn()
	})
	return nil
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
	msg := err.Error()
	if strings.Contains(msg, "does not exist") && c.l.opts.Base == nil && !notOfAccount(msg) {
		msg += " (an id this configuration does not create exists only in the account it was written for: give that system with --base)"
	}
	return &Error{File: r.Filename, Line: r.Start.Line, Address: c.addr, Msg: msg, Err: err}
}

// notOfAccount reports an AWS "does not exist" that names no resource of
// an account, so another system (--base) cannot supply it: a container
// missing from the task definition, an instance type or platform version
// AWS does not have, an AWS service's endpoint name the region lacks.
func notOfAccount(msg string) bool {
	for _, s := range []string{"does not exist in the task", "The instance type '", "platform version does not exist", "The Vpc Endpoint Service 'com.amazonaws."} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// needCollection refuses, as Terraform does when it converts the
// configuration to the provider's schema, a single string given for
// arguments of o that are sets or lists of strings (network_configuration's
// subnets = var.subnet_id): "Inappropriate value for attribute".
func (c *rctx) needCollection(o obj, kind string, keys ...string) error {
	for _, k := range keys {
		if v := o.get(k); v != cty.NilVal && !v.IsNull() && v.IsKnown() && v.Type() == cty.String {
			r := o.at(k)
			return &Error{File: r.Filename, Line: r.Start.Line, Address: c.addr,
				Msg: fmt.Sprintf("Inappropriate value for attribute %q: %s of string required.", k, kind)}
		}
	}
	return nil
}

func (c *rctx) errf(k, format string, args ...any) error {
	r := c.o.at(k)
	return &Error{File: r.Filename, Line: r.Start.Line, Address: c.addr, Msg: fmt.Sprintf(format, args...)}
}

// unknownWhy says which references of argument k ecsnet could not know:
// an attribute of a type it models that it does not set (or that the type
// does not have: Terraform would refuse the reference), or anything of a
// type (or data source) it does not model. Only references whose value is
// unknown are named, followed through local values.
func (c *rctx) unknownWhy(k string) string { return c.unknownWhyIn(c.o, k) }

// unknownWhyIn is unknownWhy for argument k of o (the resource or one of
// its nested blocks).
func (c *rctx) unknownWhyIn(o obj, k string) string {
	if o.body == nil || o.body.Attributes[k] == nil {
		return "a resource it does not model"
	}
	var modelled, other, data, inputs []string
	seen := map[string]bool{}
	var walk func(e hcl.Expression, depth int)
	walk = func(e hcl.Expression, depth int) {
		for _, t := range e.Variables() {
			if v, err := c.mi.value(&hclsyntax.ScopeTraversalExpr{Traversal: t, SrcRange: t.SourceRange()}, c.extra); err == nil && v.IsWhollyKnown() {
				continue // known: not why
			}
			if t.RootName() == "local" && len(t) > 1 && depth < 8 {
				if a, ok := t[1].(hcl.TraverseAttr); ok && c.mi.mod.locals[a.Name] != nil {
					walk(c.mi.mod.locals[a.Name].Expr, depth+1)
					continue
				}
			}
			ref := traversalString(t)
			if key := resourceKey(t); key != "" {
				ref = key
				if len(t) > 2 {
					if at, ok := t[2].(hcl.TraverseAttr); ok {
						ref += "." + at.Name
					}
				}
			} else if t.RootName() == "data" && len(t) > 2 {
				ref = traversalString(t[:min(len(t), 4)])
			}
			if seen[ref] {
				continue
			}
			seen[ref] = true
			switch key := resourceKey(t); {
			case t.RootName() == "data":
				data = append(data, ref)
			case t.RootName() == "var":
				inputs = append(inputs, ref)
			case key == "":
				other = append(other, ref)
			default:
				if _, ok := handlerFor(strings.SplitN(key, ".", 2)[0]); ok && len(t) > 2 {
					modelled = append(modelled, ref)
				} else {
					other = append(other, ref)
				}
			}
		}
	}
	walk(o.body.Attributes[k].Expr, 0)
	switch {
	case len(modelled) > 0:
		return strings.Join(modelled, ", ") + ": an attribute ecsnet does not set, or one its type does not have"
	case len(data) > 0:
		// A remote state ecsnet cannot read is the likelier cause: say
		// how to give it (its warning is not shown with an error).
		return strings.Join(data, ", ") + ": a data source it does not answer" + c.l.unreadStateNote()
	case len(other) > 0:
		return strings.Join(other, ", ") + ": a resource it does not model"
	case len(inputs) > 0:
		return strings.Join(inputs, ", ") + ": a module input that depends on such a value" + c.l.unreadStateNote()
	}
	return "a resource it does not model"
}

// unknownSource reports the first of a rule's source (or destination)
// arguments, keys of o, that is given a value ecsnet does not know (an
// element of it, for a list), and why: such a rule is not taken as one
// without a source, which AWS would refuse or leave out, but skipped.
func (c *rctx) unknownSource(o obj, keys ...string) string {
	for _, k := range keys {
		if v := o.get(k); !v.IsNull() && !v.IsWhollyKnown() {
			return fmt.Sprintf("%s depends on a value ecsnet does not know (%s)", k, c.unknownWhyIn(o, k))
		}
	}
	return ""
}

// opt returns an optional string argument, "" when it is not given; one
// given a value ecsnet does not know is an error, not taken as absent.
func (c *rctx) opt(k string) (string, error) {
	if v := c.o.get(k); !v.IsKnown() {
		return "", c.errf(k, "%s depends on a value ecsnet does not know (%s)", k, c.unknownWhy(k))
	}
	if err := c.notString(k); err != nil {
		return "", err
	}
	return c.o.str(k), nil
}

// notString refuses a string argument given a collection or an object,
// as Terraform refuses it against the provider's schema: a whole resource
// (`subnet_id = aws_subnet.a`, the `.id` forgotten) is an object, and
// read as a string it was taken as absent ("Missing required argument").
func (c *rctx) notString(k string) error {
	v := c.o.get(k)
	if v.IsNull() || !v.IsKnown() || v.Type().IsPrimitiveType() || v.Type() == cty.DynamicPseudoType {
		return nil
	}
	return c.errf(k, "Incorrect attribute value type: Inappropriate value for attribute %q: string required.", k)
}

// req returns a required string argument.
func (c *rctx) req(k string) (string, error) {
	if err := c.notString(k); err != nil {
		return "", err
	}
	v := c.o.str(k)
	if v == "" {
		if !c.o.get(k).IsKnown() {
			return "", c.errf(k, "%s depends on a value ecsnet does not know (%s)", k, c.unknownWhy(k))
		}
		return "", c.errf(k, "Missing required argument: The argument %q is required, but no definition was found.", k)
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
func (c *rctx) name(limit int) string { return c.nameOr(limit, "terraform-") }

// nameOr is name with the provider's default prefix of the resource type
// (aws_lb's is "tf-lb-", aws_lb_target_group's "tf-"; most types'
// "terraform-").
func (c *rctx) nameOr(limit int, def string) string {
	if n := c.o.str("name"); n != "" {
		return n
	}
	prefix := c.o.str("name_prefix")
	if prefix == "" {
		prefix = def
	}
	// The provider's unique id: a timestamp and a counter (the clock is
	// ecsnet's fixed epoch).
	c.l.nameSeq++
	unique := fmt.Sprintf("202601010000000000%08x", c.l.nameSeq)
	if limit > 0 && len(prefix)+len(unique) > limit {
		unique = unique[len(unique)-max(limit-len(prefix), 1):]
	}
	return prefix + unique
}

// created records a created resource and the name the analyzer knows it by.
func (c *rctx) created(id, name string) {
	inline := len(c.o.blocks("ingress"))+len(c.o.blocks("egress"))+len(c.o.blocks("route")) > 0
	r := Resource{Address: c.addr, Type: c.typ, ID: id, File: c.r.rng.Filename, Line: c.r.rng.Start.Line, InlineRules: inline}
	if IsStandIn(r.File) && c.mi != nil {
		top := c.mi
		for top.parent != nil && IsStandIn(top.parent.mod.dir) {
			top = top.parent
		}
		if top.call != nil {
			r.CallFile, r.CallLine = top.call.rng.Filename, top.call.rng.Start.Line
		}
	}
	c.l.res.Resources = append(c.l.res.Resources, r)
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
	learned := make([]map[string]bool, 0, len(ins))
	refs := refsOf(r.body) // once for every instance
	for i, in := range ins {
		addr := base + in.suffix()
		if err := mi.checks(r.preconds, in.extra(), addr, "Resource precondition failed", "precondition"); err != nil {
			return err
		}
		v, diags := mi.bodyValue(r.body, refs, in.extra(), true)
		if diags.HasErrors() {
			return diagError(diags)
		}
		sb, _ := r.body.(*hclsyntax.Body)
		reads := map[string]bool{}
		c := &rctx{mi: mi, l: mi.l, r: r, typ: r.typ, addr: addr, o: obj{v: v, rng: r.rng, body: sb, reads: reads}, prov: prov, out: map[string]cty.Value{}, extra: in.extra()}
		if err := c.run(); err != nil {
			return err
		}
		// A resource of another region is not created: its arguments
		// were not read, and saying so would mislead.
		if i == 0 && (c.prov.region == "" || c.prov.region == c.l.region) {
			c.warnUnread(sb, reads)
		}
		vals = append(vals, c.value(v))
		learned = append(learned, c.learned(v))
	}
	mi.res[r.key()] = collect(r.count, r.forEach, ins, vals)
	mi.notePlanInfo(r, ins, vals, learned)
	return nil
}

// nestedLists refuses a tags block, and an argument that is a list of
// lists, as Terraform
// does against the provider's schema (no argument of the resources ecsnet
// models takes one): Terraform 0.11's ["${aws_subnet.x.*.id}"] is such a
// list, and read as strings its inner list was silently dropped.
func (c *rctx) nestedLists() error {
	if c.o.body == nil || !c.o.v.Type().IsObjectType() {
		return nil
	}
	return c.nestedListsIn(c.o.body, c.o.v, 0)
}

// nestedListsIn checks one block's arguments and, in turn, its nested
// blocks (a launch_specification's vpc_security_group_ids as much as the
// resource's own).
func (c *rctx) nestedListsIn(body *hclsyntax.Body, v cty.Value, depth int) error {
	// Every such argument is said, as Terraform's validation says each.
	var el errorList
	for _, b := range body.Blocks {
		// Terraform 0.11 wrote tags as a block; 0.12 and later refuse it.
		if b.Type == "tags" {
			el.add(&Error{File: b.DefRange().Filename, Line: b.DefRange().Start.Line, Address: c.addr,
				Msg: `Unsupported block type: Blocks of type "tags" are not expected here. Did you mean to define argument "tags"? If so, use the equals sign to assign it a value.`})
		}
	}
	names := make([]string, 0, len(body.Attributes))
	for k := range body.Attributes {
		names = append(names, k)
	}
	sort.Strings(names)
	o := obj{v: v, body: body}
	for _, k := range names {
		v := o.get(k) // a look at every argument, not a read
		if v.IsNull() || !v.IsKnown() || !(v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType()) {
			continue
		}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			if t := e.Type(); t.IsListType() || t.IsTupleType() || t.IsSetType() {
				r := body.Attributes[k].SrcRange
				el.add(&Error{File: r.Filename, Line: r.Start.Line, Address: c.addr,
					Msg: fmt.Sprintf("Incorrect attribute value type: Inappropriate value for attribute %q: element %d: string required.", k, i)})
				break
			}
		}
	}
	if depth > 4 {
		return el.err()
	}
	seen := map[string]bool{}
	for _, b := range body.Blocks {
		if b.Type == "dynamic" || seen[b.Type] {
			continue
		}
		seen[b.Type] = true
		for _, nb := range o.blocks(b.Type) {
			if nb.body == nil || !nb.v.Type().IsObjectType() {
				continue
			}
			el.add(c.nestedListsIn(nb.body, nb.v, depth+1))
		}
	}
	return el.err()
}

// run creates the instance, or records why it is skipped.
func (c *rctx) run() error {
	r := c.r
	if r.mode == "data" {
		h, ok := dataHandlerFor(r.typ)
		if !ok {
			c.l.warnf(r.rng, "%s: data source %s is not modeled by ecsnet; its id, arn and name (and URL or host-name attributes) are placeholders of AWS's shape, its other attributes unknown", c.addr, r.typ)
			c.placeholders()
			return nil
		}
		return h(c)
	}
	if !strings.HasPrefix(r.typ, "aws_") {
		if h, ok := utilityHandlerFor(r.typ); ok {
			return h(c)
		}
		c.skipped("not an AWS resource")
		return nil
	}
	c.e()
	if c.prov.region != "" && c.prov.region != c.l.region && !route53Global(r.typ) {
		c.l.warnf(r.rng, "%s is in region %s (provider %s); ecsnet models one region, %s: it is not created, and paths through it are not analyzed", c.addr, c.prov.region, r.provider, c.l.region)
		if r.typ == "aws_acm_certificate" {
			// A CloudFront certificate (us-east-1): its ARN and validation
			// options are known, as its DNS validation records need.
			foreignCertificate(c, c.prov.region)
		}
		c.skipped("in region " + c.prov.region)
		return nil
	}
	// The provider checks every type's values, those ecsnet does not
	// create too.
	if err := c.providerValueErrors(); err != nil {
		return err
	}
	h, ok := handlerFor(r.typ)
	if !ok {
		reason := skipReason(r.typ)
		if strings.Contains(reason, "not analyzed") {
			// It could change a verdict: say so on its own line.
			c.l.warnf(r.rng, "%s (%s) is %s", c.addr, r.typ, reason)
		}
		c.skipped(reason)
		switch r.typ {
		case "aws_iam_role":
			c.trustOnly()
		case "aws_iam_service_linked_role":
			c.serviceLinkedRoleWarning()
		}
		return nil
	}
	if err := c.nestedLists(); err != nil {
		return err
	}
	if err := c.dynamicUnconfigurable(); err != nil {
		return err
	}
	if err := h(c); err != nil {
		return err
	}
	if c.skip != "" {
		c.skipped(c.skip)
	}
	return nil
}

// autoLinkedRoles are the service-linked roles their service creates
// itself, with its first cluster, service, load balancer, group or
// scalable target ("You don't need to manually create a service-linked
// role"), by service principal.
var autoLinkedRoles = map[string]string{
	"ecs.amazonaws.com":                         "AWSServiceRoleForECS",
	"elasticloadbalancing.amazonaws.com":        "AWSServiceRoleForElasticLoadBalancing",
	"autoscaling.amazonaws.com":                 "AWSServiceRoleForAutoScaling",
	"ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
}

// serviceLinkedRoleWarning warns of an aws_iam_service_linked_role of a
// service that creates its role itself: in an account that has used the
// service, IAM refuses it (InvalidInput "Service role name … has been
// taken in this account"), and in a new one the service may create it
// first, from the configuration's own resources.
func (c *rctx) serviceLinkedRoleWarning() {
	svc := c.o.str("aws_service_name")
	name, ok := autoLinkedRoles[svc]
	if !ok || c.o.str("custom_suffix") != "" {
		return
	}
	c.l.warnf(c.r.rng, "%s: %s creates its service-linked role %s itself (with the account's first cluster, service, load balancer, group or scalable target), so in an account that has used it terraform apply fails: \"InvalidInput: Service role name %s has been taken in this account, please try a different suffix.\"; read it with data \"aws_iam_role\" (name %q), or create it outside the configuration",
		c.addr, svc, name, name, name)
}

// skipped records an instance ecsnet does not create; its attributes
// resolve to placeholders.
func (c *rctx) skipped(reason string) {
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
		if strings.Contains(c.addr, "[") {
			// One of a count's or for_each's instances (or in a module
			// called with them): AWS gives each its own id and name, so
			// a map keyed by them has a key per instance; the suffix is
			// the address's, stable from one reading to the next.
			h := fnv.New32a()
			h.Write([]byte(c.addr))
			name = fmt.Sprintf("%s-%08x", name, h.Sum32())
		}
	}
	if _, ok := c.out["id"]; !ok {
		c.out["id"] = cty.StringVal(name)
	}
	if _, ok := c.out["arn"]; !ok {
		svc := strings.SplitN(strings.TrimPrefix(c.typ, "aws_"), "_", 2)[0]
		c.out["arn"] = cty.StringVal(model.ARN(c.l.region, svc, c.l.account, strings.TrimPrefix(c.typ, "aws_")+"/"+name))
		switch c.typ {
		case "aws_s3_bucket": // bucket ARNs have no region or account
			if b := c.o.str("bucket"); b != "" {
				name = b
			}
			c.out["arn"] = cty.StringVal(model.GlobalARN(c.l.region, "s3", "", name))
		case "aws_iam_role", "aws_iam_policy", "aws_iam_instance_profile", "aws_iam_user", "aws_iam_group":
			// IAM ARNs name no region: arn:<partition>:iam::<account>:role/<name>.
			kind := map[string]string{"aws_iam_role": "role", "aws_iam_policy": "policy", "aws_iam_instance_profile": "instance-profile",
				"aws_iam_user": "user", "aws_iam_group": "group"}[c.typ]
			c.out["arn"] = cty.StringVal(model.GlobalARN(c.l.region, "iam", c.l.account, kind+"/"+name))
		case "aws_cloudwatch_log_group":
			c.out["arn"] = cty.StringVal(model.ARN(c.l.region, "logs", c.l.account, "log-group:"+name))
		case "aws_ecr_repository":
			// arn:aws:ecr:<region>:<account>:repository/<name>, which a
			// container definition's image must not be (the task stops
			// with CannotPullContainerError: its repository_url is).
			c.out["arn"] = cty.StringVal(model.ARN(c.l.region, "ecr", c.l.account, "repository/"+name))
		}
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
		// An argument the configuration gives is what the attribute
		// reads (a database's db_name, a cache's port): no placeholder.
		if v := c.o.get(a); v.IsKnown() && !v.IsNull() {
			continue
		}
		// A nested block's attributes (endpoint[0].address): a list of
		// one block whose referenced attributes take the same shapes.
		if subs := c.mi.attrSubs[c.r.key()][a]; len(subs) > 0 {
			m := map[string]cty.Value{}
			for sub := range subs {
				if v, ok := c.placeholderAttr(sub, name); ok {
					m[sub] = v
				} else {
					m[sub] = cty.DynamicVal
				}
			}
			c.out[a] = cty.TupleVal([]cty.Value{cty.ObjectVal(m)})
			continue
		}
		if v, ok := c.placeholderAttr(a, name); ok {
			c.out[a] = v
		}
	}
}

// placeholderAttr is the placeholder of an unmodeled resource's attribute
// a (named name): false when ecsnet leaves it unknown.
func (c *rctx) placeholderAttr(a, name string) (cty.Value, bool) {
	switch {
	case strings.HasSuffix(a, "arn"):
		return c.out["arn"], true
	case strings.HasSuffix(a, "_id") || strings.HasSuffix(a, "_name"):
		return cty.StringVal(name + "-" + strings.TrimSuffix(strings.TrimSuffix(a, "_id"), "_name")), true
	case c.typ == "aws_ecr_repository" && a == "repository_url":
		// <registry>.dkr.ecr.<region>.amazonaws.com/<name>: container
		// definitions name their image with it.
		return cty.StringVal(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", c.l.account, c.l.region, name)), true
	case a == "url" || strings.HasSuffix(a, "_url"):
		return cty.StringVal("https://" + name + "." + strings.TrimPrefix(c.typ, "aws_") + "." + c.l.region + ".amazonaws.com"), true
	case a == "port":
		// A database's or cache's port, when the configuration gives
		// none: the engine's default, which AWS gives it (container
		// definitions pass it in their environment with the address).
		if p := defaultEnginePort(c.typ, c.o.str("engine")); p != 0 {
			return cty.NumberIntVal(int64(p)), true
		}
	case a == "endpoint" || a == "address" || a == "dns_name" || a == "fqdn" || strings.HasSuffix(a, "_endpoint") || strings.HasSuffix(a, "_address") || strings.HasSuffix(a, "_endpoint_address"):
		// Host names of databases, caches and file systems, which
		// container definitions pass in their environment: a host
		// name of the right shape, so the definition stays known.
		return cty.StringVal(name + "." + strings.TrimPrefix(c.typ, "aws_") + "." + c.l.region + ".amazonaws.com"), true
	}
	return cty.NilVal, false
}

// defaultEnginePort is the port AWS gives a database or cache of the
// resource type and engine when none is given (RDS "DB instance
// connection", Aurora, ElastiCache, DocumentDB, Neptune and Redshift
// defaults); 0 when ecsnet does not know it.
func defaultEnginePort(typ, engine string) int {
	switch typ {
	case "aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance":
		switch {
		case strings.Contains(engine, "postgres"):
			return 5432
		case engine == "" && typ == "aws_rds_cluster", strings.HasPrefix(engine, "aurora"), engine == "mysql", engine == "mariadb":
			return 3306
		case strings.HasPrefix(engine, "oracle"):
			return 1521
		case strings.HasPrefix(engine, "sqlserver"):
			return 1433
		case strings.HasPrefix(engine, "db2"):
			return 50000
		}
	case "aws_elasticache_cluster", "aws_elasticache_replication_group", "aws_elasticache_serverless_cache":
		if engine == "memcached" {
			return 11211
		}
		return 6379
	case "aws_docdb_cluster", "aws_docdb_cluster_instance":
		return 27017
	case "aws_neptune_cluster", "aws_neptune_cluster_instance":
		return 8182
	case "aws_redshift_cluster":
		return 5439
	}
	return 0
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

// learned are the attributes the handler set that the configuration does
// not give (an id, an ARN, a generated name): known to the reader, which
// created the resource, and to Terraform only after apply.
func (c *rctx) learned(config cty.Value) map[string]bool {
	out := map[string]bool{}
	for k := range c.out {
		if !config.Type().IsObjectType() || !config.Type().HasAttribute(k) {
			out[k] = true
		}
	}
	return out
}

// skipReason explains why a resource type is not created.
func skipReason(typ string) string {
	switch typ {
	case "aws_ec2_managed_prefix_list", "aws_vpc_ipv4_cidr_block_association",
		"aws_route_table_propagation", "aws_dx_gateway_association",
		"aws_appmesh_mesh", "aws_globalaccelerator_accelerator", "aws_wafv2_web_acl_association",
		"aws_lb_trust_store", "aws_ec2_instance_connect_endpoint", "aws_vpclattice_service_network":
		return "not modeled by ecsnet; traffic through it is not analyzed"
	}
	return "not modeled by ecsnet (it does not change how packets flow)"
}

// handlerFor returns the handler of a resource type ecsnet creates.
func handlerFor(typ string) (handler, bool) {
	if h, ok := tgwHandler(typ); ok {
		return h, true
	}
	if h, ok := vpnHandler(typ); ok {
		return h, true
	}
	switch typ {
	case "aws_acm_certificate":
		return createACMCertificate, true
	case "aws_acm_certificate_validation":
		return createACMValidation, true
	case "aws_vpc":
		return createVPC, true
	case "aws_default_vpc":
		return adoptDefaultVPC, true
	case "aws_subnet":
		return createSubnet, true
	case "aws_default_subnet":
		return adoptDefaultSubnet, true
	case "aws_internet_gateway":
		return createIGW, true
	case "aws_internet_gateway_attachment":
		return attachIGW, true
	case "aws_egress_only_internet_gateway":
		return createEgressOnlyIGW, true
	case "aws_vpc_block_public_access_options":
		return createBPAOptions, true
	case "aws_vpc_block_public_access_exclusion":
		return createBPAExclusion, true
	case "aws_network_interface_permission":
		return createENIPermission, true
	case "aws_flow_log":
		return createFlowLog, true
	case "aws_vpc_endpoint_service":
		return createEndpointService, true
	case "aws_eip":
		return createEIP, true
	case "aws_eip_association":
		return createEIPAssociation, true
	case "aws_nat_gateway":
		return createNatGateway, true
	case "aws_route_table":
		return createRouteTable, true
	case "aws_default_route_table":
		return adoptDefaultRouteTable, true
	case "aws_route":
		return createRoute, true
	case "aws_vpc_peering_connection":
		return createVPCPeering, true
	case "aws_vpc_peering_connection_accepter":
		return acceptVPCPeering, true
	case "aws_vpc_peering_connection_options":
		return peeringConnectionOptions, true
	case "aws_route_table_association":
		return createRTAssociation, true
	case "aws_main_route_table_association":
		return createMainRTAssociation, true
	case "aws_security_group":
		return createSecurityGroup, true
	case "aws_default_security_group":
		return adoptDefaultSecurityGroup, true
	case "aws_security_group_rule":
		return createSGRule, true
	case "aws_vpc_security_group_ingress_rule":
		return func(c *rctx) error { return createVPCSGRule(c, false) }, true
	case "aws_vpc_security_group_egress_rule":
		return func(c *rctx) error { return createVPCSGRule(c, true) }, true
	case "aws_network_acl":
		return createNetworkACL, true
	case "aws_default_network_acl":
		return adoptDefaultNetworkACL, true
	case "aws_network_acl_rule":
		return createNetworkACLRule, true
	case "aws_network_acl_association":
		return createNetworkACLAssociation, true
	case "aws_vpc_endpoint":
		return createVPCEndpoint, true
	case "aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_subnet_association", "aws_vpc_endpoint_security_group_association":
		return createVPCEndpointAssociation, true
	case "aws_instance":
		return createInstance, true
	case "aws_spot_fleet_request":
		return createSpotFleet, true
	case "aws_ec2_fleet":
		return createEC2Fleet, true
	case "aws_launch_template":
		return createLaunchTemplate, true
	case "aws_placement_group":
		return createPlacementGroup, true
	case "aws_launch_configuration":
		return createLaunchConfiguration, true
	case "aws_autoscaling_group":
		return createASG, true
	case "aws_ecs_cluster":
		return createCluster, true
	case "aws_ecs_account_setting_default":
		return createAccountSettingDefault, true
	case "aws_ssm_parameter":
		return createSSMParameter, true
	case "aws_cloudwatch_log_group":
		return createLogGroup, true
	case "aws_ecr_repository":
		return createRepository, true
	case "aws_ecr_lifecycle_policy":
		return createLifecyclePolicy, true
	case "aws_ecr_repository_policy":
		return createRepositoryPolicy, true
	case "aws_efs_file_system":
		return createFileSystem, true
	case "aws_efs_mount_target":
		return createMountTarget, true
	case "aws_efs_access_point":
		return createAccessPoint, true
	case "aws_efs_file_system_policy":
		return createFileSystemPolicy, true
	case "aws_efs_backup_policy":
		return createBackupPolicy, true
	case "aws_ecs_capacity_provider":
		return createCapacityProvider, true
	case "aws_ecs_cluster_capacity_providers":
		return createClusterCapacityProviders, true
	case "aws_ecs_task_definition":
		return createTaskDefinition, true
	case "aws_ecs_service":
		return createService, true
	case "aws_ecs_express_gateway_service":
		return createExpressGatewayService, true
	case "aws_cloudwatch_event_rule":
		return createEventRule, true
	case "aws_cloudwatch_event_target":
		return createEventTarget, true
	case "aws_codedeploy_app":
		return createCodeDeployApp, true
	case "aws_codedeploy_deployment_group":
		return createCodeDeployGroup, true
	case "aws_codedeploy_deployment_config":
		return createCodeDeployConfig, true
	case "aws_appautoscaling_target":
		return createAppScalingTarget, true
	case "aws_appautoscaling_policy":
		return createAppScalingPolicy, true
	case "aws_appautoscaling_scheduled_action":
		return createAppScheduledAction, true
	case "aws_elb":
		return createClassicLoadBalancer, true
	case "aws_lb":
		return createLoadBalancer, true
	case "aws_alb":
		return createLoadBalancer, true
	case "aws_lb_target_group":
		return createTargetGroup, true
	case "aws_alb_target_group":
		return createTargetGroup, true
	case "aws_lb_listener":
		return createListener, true
	case "aws_alb_listener":
		return createListener, true
	case "aws_lb_listener_rule":
		return createListenerRule, true
	case "aws_alb_listener_rule":
		return createListenerRule, true
	case "aws_lb_target_group_attachment":
		return createTGAttachment, true
	case "aws_alb_target_group_attachment":
		return createTGAttachment, true
	case "aws_autoscaling_attachment":
		return createASGAttachment, true
	case "aws_autoscaling_lifecycle_hook":
		return createLifecycleHook, true
	case "aws_network_interface":
		return createNetworkInterface, true
	case "aws_network_interface_attachment":
		return createENIAttachment, true
	case "aws_network_interface_sg_attachment":
		return createENISGAttachment, true
	case "aws_service_discovery_private_dns_namespace":
		return createNamespace, true
	case "aws_service_discovery_public_dns_namespace", "aws_service_discovery_http_namespace":
		return createOtherNamespace, true
	case "aws_service_discovery_service":
		return createDiscoveryService, true
	case "aws_route53_zone":
		return createRoute53Zone, true
	case "aws_route53_record":
		return createRoute53Record, true
	case "aws_route53_zone_association":
		return createRoute53ZoneAssociation, true
	case "aws_route53_health_check":
		return createRoute53HealthCheck, true
	case "aws_networkfirewall_rule_group":
		return createFirewallRuleGroup, true
	case "aws_networkfirewall_firewall_policy":
		return createFirewallPolicy, true
	case "aws_networkfirewall_firewall":
		return createNetworkFirewall, true
	}
	return nil, false
}

// handledTypes lists them.
func handledTypes() []string {
	return []string{"aws_vpc", "aws_default_vpc", "aws_subnet", "aws_default_subnet", "aws_internet_gateway", "aws_internet_gateway_attachment", "aws_egress_only_internet_gateway", "aws_flow_log", "aws_eip", "aws_eip_association", "aws_nat_gateway", "aws_route_table", "aws_default_route_table", "aws_route", "aws_route_table_association", "aws_main_route_table_association", "aws_security_group", "aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule", "aws_network_acl_association", "aws_vpc_endpoint", "aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_subnet_association", "aws_vpc_endpoint_security_group_association", "aws_vpc_endpoint_service", "aws_instance", "aws_spot_fleet_request", "aws_ec2_fleet", "aws_placement_group", "aws_launch_template", "aws_launch_configuration", "aws_autoscaling_group", "aws_ecs_cluster", "aws_ecs_account_setting_default", "aws_ecs_capacity_provider", "aws_ecs_cluster_capacity_providers", "aws_ecs_task_definition", "aws_ecs_service", "aws_ecs_express_gateway_service", "aws_elb", "aws_lb", "aws_alb", "aws_lb_target_group", "aws_alb_target_group", "aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_alb_listener_rule", "aws_lb_target_group_attachment", "aws_alb_target_group_attachment", "aws_autoscaling_attachment", "aws_autoscaling_lifecycle_hook", "aws_service_discovery_private_dns_namespace", "aws_service_discovery_public_dns_namespace", "aws_service_discovery_http_namespace", "aws_service_discovery_service", "aws_network_interface", "aws_network_interface_attachment", "aws_network_interface_sg_attachment",
		"aws_ec2_transit_gateway", "aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_route",
		"aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation",
		"aws_vpc_block_public_access_options", "aws_vpc_block_public_access_exclusion", "aws_network_interface_permission",
		"aws_route53_zone", "aws_route53_record", "aws_route53_zone_association", "aws_route53_health_check", "aws_cloudwatch_log_group",
		"aws_cloudwatch_event_rule", "aws_cloudwatch_event_target",
		"aws_codedeploy_app", "aws_codedeploy_deployment_group", "aws_codedeploy_deployment_config",
		"aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_options",
		"aws_networkfirewall_rule_group", "aws_networkfirewall_firewall_policy", "aws_networkfirewall_firewall"}
}

// SupportedTypes returns the resource types ecsnet creates.
func SupportedTypes() []string { return append(handledTypes(), vpnTypes()...) }

// aws_service_discovery_private_dns_namespace: a Cloud Map namespace in a
// VPC.
func createNamespace(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	vpc, err := c.req("vpc")
	if err != nil {
		return err
	}
	ns, err := c.e().CreatePrivateDNSNamespace(engine.CreatePrivateDNSNamespaceInput{Name: name, VpcID: model.VpcID(vpc),
		Description: c.o.str("description"), Tags: c.plainTags()})
	if err != nil {
		return c.fail("name", err)
	}
	c.created(ns.ID, "")
	c.set("arn", ns.ARN)
	c.set("name", ns.Name)
	c.set("hosted_zone", ns.HostedZoneID)
	return nil
}

// aws_service_discovery_public_dns_namespace and
// aws_service_discovery_http_namespace: Cloud Map namespaces without a
// VPC (an HTTP namespace's names resolve through the API only).
func createOtherNamespace(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	typ := model.NamespaceHTTP
	if c.r.typ == "aws_service_discovery_public_dns_namespace" {
		typ = model.NamespaceDNSPublic
	}
	ns, _, err := c.e().CreateNamespace(engine.CreateNamespaceInput{Type: typ, Name: name, Description: c.o.str("description"), Tags: c.plainTags()})
	if err != nil {
		return c.fail("name", err)
	}
	c.created(ns.ID, "")
	c.set("arn", ns.ARN)
	c.set("name", ns.Name)
	if typ == model.NamespaceHTTP {
		c.set("http_name", ns.HTTPName)
	} else {
		c.set("hosted_zone", ns.HostedZoneID)
	}
	return nil
}

// aws_service_discovery_service: a Cloud Map service; dns_config names
// its namespace and records.
func createDiscoveryService(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	in := engine.CreateDiscoveryServiceInput{Name: name, NamespaceID: c.o.str("namespace_id"), Description: c.o.str("description"), Tags: c.plainTags()}
	if dc := c.o.block("dns_config"); dc.v != cty.NilVal {
		if in.NamespaceID == "" {
			in.NamespaceID = dc.str("namespace_id")
		}
		in.RoutingPolicy = dc.str("routing_policy")
		for _, r := range dc.blocks("dns_records") {
			ttl, err := r.integer("ttl", 60)
			if err != nil {
				return err
			}
			in.DNSRecords = append(in.DNSRecords, model.DNSRecord{Type: r.str("type"), TTL: int64(ttl)})
		}
	}
	// health_check_custom_config: the instances' health is what ECS (or
	// UpdateInstanceCustomHealthStatus) says; its failure_threshold is
	// deprecated (Cloud Map always uses 1) and kept as given.
	// health_check_config: Route 53 checks, which Cloud Map refuses
	// outside a public DNS namespace.
	if hcc := c.o.block("health_check_custom_config"); hcc.v != cty.NilVal {
		ft, err := hcc.integer("failure_threshold", 0)
		if err != nil {
			return err
		}
		in.CustomHealth, in.CustomThreshold = true, int64(ft)
	}
	if hc := c.o.block("health_check_config"); hc.v != cty.NilVal {
		ft, err := hc.integer("failure_threshold", 1)
		if err != nil {
			return err
		}
		typ, path := hc.str("type"), hc.str("resource_path")
		if path == "" && typ != "TCP" {
			path = "/"
		}
		in.HealthCheck = &model.DiscoveryHealthCheck{Type: typ, ResourcePath: path, FailureThreshold: int64(ft)}
	}
	if in.NamespaceID == "" {
		c.skip = "an HTTP namespace's service (no namespace_id) has no DNS names"
		return nil
	}
	s, err := c.e().CreateDiscoveryService(in)
	if err != nil {
		return c.fail("dns_config", err)
	}
	c.created(s.ID, "")
	c.set("arn", s.ARN)
	c.set("name", s.Name)
	return nil
}

// trustOnly records a role ecsnet skips by its name and trust policy
// (assume_role_policy) alone, so that the engine can tell whether ECS may
// assume it as a task's role; its policies stay unread. A trust policy
// that is not known JSON leaves the role unknown (taken to work).
func (c *rctx) trustOnly() {
	doc := c.o.str("assume_role_policy")
	name, ok := c.out["name"]
	if !ok || !name.IsKnown() || name.IsNull() || !name.Type().Equals(cty.String) || doc == "" || !json.Valid([]byte(doc)) {
		return
	}
	_, _ = c.e().CreateRole(engine.RoleInput{Name: name.AsString(), Path: "/", AssumeRolePolicyDocument: doc}) // a name taken: that role stands
}
