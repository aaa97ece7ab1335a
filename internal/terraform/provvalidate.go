package terraform

import (
	"fmt"
	"math/big"
	"net"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// The provider's own checks of argument values (its ValidateFuncs), which
// terraform validate and plan run on every known value before anything is
// created, each with the provider's text, every one of them listed. The
// texts are hashicorp/aws 5.100.0's, as terraform 1.11.4 prints them
// (docs/aws-behavior.md, "Round thirty-one: Terraform").

// valueCheck is one ValidateFunc: the argument's path (nested blocks and
// the argument, dot-separated; each element of a list or set is checked)
// and the function, given the key the provider names the value by
// ("health_check.0.timeout", "requires_compatibilities.1") and the value.
type valueCheck struct {
	path  string
	check func(key string, v cty.Value) []string
}

// named is check with the value named by its argument's name alone, as a
// ValidateDiagFunc names it (enum.Validate: default_action's "type", not
// "default_action.0.type").
func named(name string, check func(string, cty.Value) []string) func(string, cty.Value) []string {
	return func(_ string, v cty.Value) []string { return check(name, v) }
}

// providerValueChecks are the checks of the types ECS, load balancer, Auto
// Scaling and VPC configurations write, by resource type.
var providerValueChecks = map[string][]valueCheck{
	"aws_vpc": {
		{"cidr_block", cidrNetwork(16, 28)},
		{"instance_tenancy", oneOf("default", "dedicated")},
	},
	"aws_subnet":                     {{"cidr_block", cidrBlock(false)}},
	"aws_security_group_rule":        {{"type", oneOf("egress", "ingress")}, {"cidr_blocks", cidrBlock(false)}, {"ipv6_cidr_blocks", cidrBlock(true)}},
	"aws_lb":                         lbChecks,
	"aws_alb":                        lbChecks,
	"aws_lb_target_group":            targetGroupChecks,
	"aws_alb_target_group":           targetGroupChecks,
	"aws_lb_listener":                listenerChecks,
	"aws_alb_listener":               listenerChecks,
	"aws_launch_template":            {{"name", launchTemplateName}, {"name_prefix", launchTemplateName}, {"iam_instance_profile.arn", validARN}},
	"aws_lb_listener_rule":           listenerRuleChecks,
	"aws_alb_listener_rule":          listenerRuleChecks,
	"aws_lb_listener_certificate":    {{"listener_arn", validARN}, {"certificate_arn", validARN}},
	"aws_iam_role_policy_attachment": {{"policy_arn", validARN}},
	"aws_ecs_capacity_provider":      {{"auto_scaling_group_provider.auto_scaling_group_arn", validARN}},
	"aws_placement_group": {
		{"strategy", oneOf("cluster", "spread", "partition")},
		{"partition_count", intBetween(0, 7)},
		{"spread_level", oneOf("host", "rack")},
	},
	"aws_ecs_service": {
		{"launch_type", oneOf("EC2", "FARGATE", "EXTERNAL")},
		{"scheduling_strategy", oneOf("REPLICA", "DAEMON")},
		{"propagate_tags", oneOf("TASK_DEFINITION", "SERVICE", "NONE")},
		{"deployment_controller.type", named("type", oneOf("ECS", "CODE_DEPLOY", "EXTERNAL"))},
		{"health_check_grace_period_seconds", intBetween(0, 2147483647)},
		{"load_balancer.target_group_arn", validARN},
		{"service_registries.registry_arn", validARN},
	},
	"aws_ecs_task_definition": {
		{"network_mode", oneOf("bridge", "host", "awsvpc", "none")},
		{"requires_compatibilities", oneOf("EC2", "FARGATE", "EXTERNAL")},
		{"execution_role_arn", validARN},
		{"task_role_arn", validARN},
		// Fargate's task storage: 21 to 200 GiB (20 is the default, given
		// by leaving the block out).
		{"ephemeral_storage.size_in_gib", intBetween(21, 200)},
	},
}

// exactlyOneOf are the provider's ExactlyOneOf argument sets (each sorted,
// as the SDK sorts them): a configuration that gives none of a set, or more
// than one, is refused once per argument of it (exactlyOneOfErrors).
var exactlyOneOf = map[string][][]string{
	"aws_lb":                {{"subnet_mapping", "subnets"}},
	"aws_alb":               {{"subnet_mapping", "subnets"}},
	"aws_autoscaling_group": {{"launch_configuration", "launch_template", "mixed_instances_policy"}},
}

// exactlyOneOfErrors are the plugin SDK's errors for one ExactlyOneOf set
// (keys sorted, as the SDK sorts them), said once per key of the set.
// None given (an unknown value may be any, so it silences this) is "one of
// … must be specified", at the resource block. More than one given is
// "only one of … can be specified, but … were specified." (the SDK's
// trailing period), at a key's argument when it is written as one, else
// at the resource block (a block, or a key not given). The SDK counts
// only values it knows: terraform validate those it knows (constants,
// local values of them), plan those known before apply; with a value known
// only after apply counted out, AWS's API refuses the call instead.
func (c *rctx) exactlyOneOfErrors(keys []string) Errors {
	given := map[string]bool{}
	for _, k := range keys {
		if argGiven(c.o.v, k) {
			given[k] = true
		}
	}
	var el Errors
	say := func(phase error, msg func(k string) string, atArg bool) {
		for _, k := range keys {
			line := c.r.rng.Start.Line
			if atArg && c.o.body != nil && c.o.body.Attributes[k] != nil {
				line = c.o.body.Attributes[k].SrcRange.Start.Line
			}
			el = append(el, &Error{File: c.r.rng.Filename, Line: line, Address: c.addr, Err: phase, Msg: msg(k)})
		}
	}
	if len(given) == 0 {
		say(errValidate, func(k string) string {
			return fmt.Sprintf("Invalid combination of arguments: %q: one of `%s` must be specified", k, strings.Join(keys, ","))
		}, false)
		return el
	}
	var atValidate, atPlan []string
	for _, k := range keys {
		if !given[k] || !c.o.v.GetAttr(k).IsKnown() {
			continue
		}
		a := (*hclsyntax.Attribute)(nil)
		if c.o.body != nil {
			a = c.o.body.Attributes[k]
		}
		if a == nil || c.knownAtValidate(a.Expr, 0) {
			atValidate = append(atValidate, k)
		}
		if a == nil || c.knownAtPlan(k) {
			atPlan = append(atPlan, k)
		}
	}
	several := func(specified []string) func(string) string {
		return func(k string) string {
			return fmt.Sprintf("Invalid combination of arguments: %q: only one of `%s` can be specified, but `%s` were specified.", k, strings.Join(keys, ","), strings.Join(specified, ","))
		}
	}
	switch {
	case len(atValidate) > 1:
		say(errValidate, several(atValidate), true)
	case len(atPlan) > 1:
		say(nil, several(atPlan), true)
	}
	return el
}

// argGiven reports whether the configuration gives argument (or block) k:
// a value that is not null (unknown counts), a block at least once.
func argGiven(v cty.Value, k string) bool {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(k) {
		return v != cty.NilVal && !v.IsKnown()
	}
	a := v.GetAttr(k)
	if a.IsNull() {
		return false
	}
	if !a.IsKnown() {
		return true
	}
	if (a.Type().IsListType() || a.Type().IsSetType() || a.Type().IsTupleType()) && a.LengthInt() == 0 {
		// An empty list of blocks; an empty list argument is given.
		return !a.Type().IsTupleType() && !a.Type().ElementType().IsObjectType()
	}
	return true
}

var lbChecks = []valueCheck{
	{"name", lbName},
	{"load_balancer_type", oneOf("application", "network", "gateway")},
}

// elbProtocols are ELBv2's protocols (ProtocolEnum).
var elbProtocols = []string{"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"}

var targetGroupChecks = []valueCheck{
	{"name", targetGroupName},
	{"port", intBetween(1, 65535)},
	// Case matters for a target group's protocol, not for a listener's.
	{"protocol", oneOf(elbProtocols...)},
	{"target_type", oneOf("instance", "ip", "lambda", "alb")},
	{"health_check.interval", intBetween(5, 300)},
	{"health_check.healthy_threshold", intBetween(2, 10)},
	{"health_check.timeout", intBetween(2, 120)},
	{"health_check.unhealthy_threshold", intBetween(2, 10)},
	{"health_check.protocol", oneOfFold("HTTP", "HTTPS", "TCP")},
	{"health_check.port", healthCheckPort},
	{"deregistration_delay", nullableIntBetween(0, 3600)},
	// slow_start is 0 or 30 to 900: validation.Any of two ranges says both.
	{"slow_start", anyOf(intBetween(0, 0), intBetween(30, 900))},
}

var listenerChecks = []valueCheck{
	{"load_balancer_arn", validARN},
	{"port", portNumber},
	{"protocol", oneOfFold(elbProtocols...)},
	{"certificate_arn", validARN},
	{"default_action.type", named("type", oneOf("forward", "authenticate-oidc", "authenticate-cognito", "redirect", "fixed-response"))},
	{"default_action.target_group_arn", validARN},
	{"default_action.forward.target_group.arn", validARN},
}

var listenerRuleChecks = []valueCheck{
	{"listener_arn", validARN},
	{"action.target_group_arn", validARN},
	{"action.forward.target_group.arn", validARN},
}

var (
	arnPartition = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	// [choice] 5.100.0 names no pattern for the region; eu-central-12 is taken.
	arnRegion    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)
	arnAccountID = regexp.MustCompile(`^(aws|aws-managed|third-party|aws-marketplace|\d{12}|cw.{10})$`)
)

// validARN is the provider's verify.ValidARN (the SDK's arn.Parse, then
// each section): every broken section its own error, an empty value none.
func validARN(k string, v cty.Value) []string {
	s, ok := ctyString(v)
	if !ok || s == "" {
		return nil
	}
	bad := func(why string) string { return fmt.Sprintf("%q (%s) is an invalid ARN: %s", k, s, why) }
	if !strings.HasPrefix(s, "arn:") {
		return []string{bad("arn: invalid prefix")}
	}
	sec := strings.SplitN(s, ":", 6)
	if len(sec) != 6 {
		return []string{bad("arn: not enough sections")}
	}
	partition, region, account, resource := sec[1], sec[3], sec[4], sec[5]
	var out []string
	if partition == "" {
		out = append(out, bad("missing partition value"))
	} else if !arnPartition.MatchString(partition) {
		out = append(out, bad("invalid partition value (expecting to match regular expression: "+arnPartition.String()+")"))
	}
	if region != "" && !arnRegion.MatchString(region) {
		out = append(out, bad("invalid region value"))
	}
	if account != "" && !arnAccountID.MatchString(account) {
		out = append(out, bad("invalid account ID value (expecting to match regular expression: "+arnAccountID.String()+")"))
	}
	if resource == "" {
		out = append(out, bad("missing resource value"))
	}
	return out
}

// quoted is a list as Go's %q prints a []string: ["a" "b"].
func quoted(vals []string) string { return fmt.Sprintf("%q", vals) }

// oneOf is validation.StringInSlice(vals, false).
func oneOf(vals ...string) func(string, cty.Value) []string {
	return func(k string, v cty.Value) []string {
		s, ok := ctyString(v)
		if !ok {
			return nil
		}
		for _, x := range vals {
			if s == x {
				return nil
			}
		}
		return []string{fmt.Sprintf("expected %s to be one of %s, got %s", k, quoted(vals), s)}
	}
}

// oneOfFold is validation.StringInSlice(vals, true): case does not matter.
func oneOfFold(vals ...string) func(string, cty.Value) []string {
	return func(k string, v cty.Value) []string {
		s, ok := ctyString(v)
		if !ok {
			return nil
		}
		for _, x := range vals {
			if strings.EqualFold(s, x) {
				return nil
			}
		}
		return []string{fmt.Sprintf("expected %s to be one of %s, got %s", k, quoted(vals), s)}
	}
}

// intBetween is validation.IntBetween.
func intBetween(lo, hi int64) func(string, cty.Value) []string {
	return func(k string, v cty.Value) []string {
		n, ok := ctyInt(v)
		if !ok || (n >= lo && n <= hi) {
			return nil
		}
		return []string{fmt.Sprintf("expected %s to be in the range (%d - %d), got %d", k, lo, hi, n)}
	}
}

// anyOf is validation.Any: no error when one check passes, else all of
// theirs.
func anyOf(checks ...func(string, cty.Value) []string) func(string, cty.Value) []string {
	return func(k string, v cty.Value) []string {
		var out []string
		for _, c := range checks {
			msgs := c(k, v)
			if len(msgs) == 0 {
				return nil
			}
			out = append(out, msgs...)
		}
		return out
	}
}

// nullableIntBetween is the provider's nullable
// ValidateTypeStringNullableIntBetween (a number kept as a string).
func nullableIntBetween(lo, hi int64) func(string, cty.Value) []string {
	return func(k string, v cty.Value) []string {
		n, ok := ctyInt(v)
		if !ok || (n >= lo && n <= hi) {
			return nil
		}
		return []string{fmt.Sprintf("expected %s to be at between (%d) and (%d), got %d", k, lo, hi, n)}
	}
}

// healthCheckPort is the provider's check of a target group's health
// check port: "traffic-port" or a number from 1 to 65536 (its text). A
// value that is no number is refused twice by terraform 1.11.4; ecsnet
// leaves it to the API [choice].
func healthCheckPort(k string, v cty.Value) []string {
	s, ok := ctyString(v)
	if !ok || s == "traffic-port" {
		return nil
	}
	n, ok := ctyInt(v)
	if !ok || (n >= 1 && n <= 65536) {
		return nil
	}
	return []string{fmt.Sprintf("%q must be a valid port number (1-65536) or \"traffic-port\"", k)}
}

// portNumber is validation.IsPortNumber.
func portNumber(k string, v cty.Value) []string {
	n, ok := ctyInt(v)
	if !ok || (n >= 1 && n <= 65535) {
		return nil
	}
	return []string{fmt.Sprintf("expected %q to be a valid port number, got: %d", k, n)}
}

// cidrNetwork is validation.IsCIDRNetwork(min, max) (an aws_vpc's
// cidr_block).
func cidrNetwork(minBits, maxBits int) func(string, cty.Value) []string {
	return func(k string, v cty.Value) []string {
		s, ok := ctyString(v)
		if !ok {
			return nil
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return []string{fmt.Sprintf("expected %s to contain a valid Value, got: %s with err: %s", k, s, err)}
		}
		var out []string
		if n.String() != s {
			out = append(out, fmt.Sprintf("expected %s to contain a valid network Value, expected %s, got %s", k, n, s))
		}
		if bits, _ := n.Mask.Size(); bits < minBits || bits > maxBits {
			out = append(out, fmt.Sprintf("expected %q to contain a network Value with between %d and %d significant bits, got: %d", k, minBits, maxBits, bits))
		}
		return out
	}
}

// cidrBlock is the provider's verify.ValidIPv4CIDRNetworkAddress (or
// ValidIPv6CIDRNetworkAddress): a CIDR block of the family whose address
// is its network's.
func cidrBlock(v6 bool) func(string, cty.Value) []string {
	family := "IPv4"
	if v6 {
		family = "IPv6"
	}
	return func(_ string, v cty.Value) []string {
		s, ok := ctyString(v)
		if !ok {
			return nil
		}
		ip, n, err := net.ParseCIDR(s)
		if err != nil {
			return []string{fmt.Sprintf("%q is not a valid CIDR block: %s", s, err)}
		}
		if (ip.To4() != nil) == v6 {
			return []string{fmt.Sprintf("%q is not a valid %s CIDR block", s, family)}
		}
		if n.String() != s {
			return []string{fmt.Sprintf("%q is not a valid %s CIDR block; did you mean %q?", s, family, n.String())}
		}
		return nil
	}
}

var (
	lbNameChars = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
	ltNameChars = regexp.MustCompile(`^[0-9A-Za-z()./_-]+$`)
)

// lbName is the provider's elbv2 validName (an aws_lb's name).
func lbName(k string, v cty.Value) []string {
	s, ok := ctyString(v)
	if !ok || s == "" {
		return nil
	}
	var out []string
	if len(s) > 32 {
		out = append(out, fmt.Sprintf("%q cannot be longer than 32 characters: %q", k, s))
	}
	if !lbNameChars.MatchString(s) {
		out = append(out, fmt.Sprintf("only alphanumeric characters and hyphens allowed in %q: %q", k, s))
	}
	if strings.HasPrefix(s, "-") {
		out = append(out, fmt.Sprintf("%q cannot begin with a hyphen: %q", k, s))
	}
	if strings.HasSuffix(s, "-") {
		out = append(out, fmt.Sprintf("%q cannot end with a hyphen: %q", k, s))
	}
	if strings.HasPrefix(s, "internal-") {
		out = append(out, fmt.Sprintf("%q cannot begin with \"internal-\": %q", k, s))
	}
	return out
}

// targetGroupName is the provider's validTargetGroupName: the load
// balancer's rules without the value in the message.
func targetGroupName(k string, v cty.Value) []string {
	s, ok := ctyString(v)
	if !ok || s == "" {
		return nil
	}
	var out []string
	if len(s) > 32 {
		out = append(out, fmt.Sprintf("%q cannot be longer than 32 characters", k))
	}
	if !lbNameChars.MatchString(s) {
		out = append(out, fmt.Sprintf("only alphanumeric characters and hyphens allowed in %q", k))
	}
	if strings.HasPrefix(s, "-") {
		out = append(out, fmt.Sprintf("%q cannot begin with a hyphen", k))
	}
	if strings.HasSuffix(s, "-") {
		out = append(out, fmt.Sprintf("%q cannot end with a hyphen", k))
	}
	return out
}

// launchTemplateName is the provider's validLaunchTemplateName (name and
// name_prefix): one error, the first rule broken.
func launchTemplateName(k string, v cty.Value) []string {
	s, ok := ctyString(v)
	if !ok {
		return nil
	}
	prefix := strings.HasSuffix(k, "prefix")
	switch {
	case len(s) < 3:
		return []string{fmt.Sprintf("%q cannot be less than 3 characters", k)}
	case prefix && len(s) > 99:
		return []string{fmt.Sprintf("%q cannot be longer than 99 characters, name is limited to 125", k)}
	case !prefix && len(s) > 125:
		return []string{fmt.Sprintf("%q cannot be longer than 125 characters", k)}
	case !ltNameChars.MatchString(s):
		return []string{fmt.Sprintf("%q can only alphanumeric characters and ()./_- symbols", k)}
	}
	return nil
}

func ctyString(v cty.Value) (string, bool) {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return "", false
	}
	if v.Type() == cty.Number {
		return v.AsBigFloat().Text('f', -1), true
	}
	if v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

func ctyInt(v cty.Value) (int64, bool) {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return 0, false
	}
	if v.Type() == cty.String {
		f, _, err := big.ParseFloat(v.AsString(), 10, 64, big.ToNearestEven)
		if err != nil {
			return 0, false
		}
		n, acc := f.Int64()
		return n, acc == big.Exact
	}
	if v.Type() != cty.Number {
		return 0, false
	}
	n, acc := v.AsBigFloat().Int64()
	return n, acc == big.Exact
}

// providerValueErrors are the provider's errors for one resource
// instance's known argument values, in the order of its checks.
func (c *rctx) providerValueErrors() error {
	if c.l.fromJSON {
		return nil
	}
	// The checks are one release's: another major changed them (v6 takes
	// MANAGED_INSTANCES in requires_compatibilities).
	if c.l.valueChecks == 0 {
		c.l.valueChecks = -1
		if major, _ := c.l.awsProviderMajor(); major == schemaMajor() {
			c.l.valueChecks = 1
		}
	}
	if c.l.valueChecks < 0 || c.mi.schemaRefused[c.r.key()] {
		return nil
	}
	var el Errors
	for _, vc := range providerValueChecks[c.typ] {
		c.valueCheck(c.o.v, c.o.body, c.o.rng, false, strings.Split(vc.path, "."), "", vc.check, &el)
	}
	for _, keys := range exactlyOneOf[c.typ] {
		el = append(el, c.exactlyOneOfErrors(keys)...)
	}
	if len(el) == 0 {
		return nil
	}
	return el
}

// valueCheck walks path from v (the body it was written in, when known),
// key being the provider's name of the value so far. An error is said at
// its argument's line, or at rng when pinned: terraform places one in an
// element of a set block of the resource's own (an ECS service's
// load_balancer) at the resource block's header, one in a nested set at
// the block holding it (at the element's block when it is alone), and
// numbers a set's elements in cty's order of the set (setOrder).
func (c *rctx) valueCheck(v cty.Value, body *hclsyntax.Body, rng hcl.Range, pinned bool, path []string, key string, check func(string, cty.Value) []string, el *Errors) {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(path[0]) {
		return
	}
	a := v.GetAttr(path[0])
	if a.IsNull() || !a.IsKnown() {
		return
	}
	key += path[0]
	if len(path) == 1 {
		line := rng
		// A value terraform validate knows (constants, local values of
		// them) is checked by validate, and listed with its other errors;
		// one from a variable or a resource only by plan.
		var phase error
		if body != nil && body.Attributes[path[0]] != nil {
			if !pinned {
				line = body.Attributes[path[0]].SrcRange
			}
			if c.knownAtValidate(body.Attributes[path[0]].Expr, 0) {
				phase = errValidate
			}
		}
		add := func(k string, x cty.Value) {
			for _, msg := range check(k, x) {
				*el = append(*el, &Error{File: line.Filename, Line: line.Start.Line, Address: c.addr, Err: phase, Msg: msg})
			}
		}
		if a.Type().IsListType() || a.Type().IsSetType() || a.Type().IsTupleType() {
			i := 0
			for it := a.ElementIterator(); it.Next(); i++ {
				_, x := it.Element()
				add(fmt.Sprintf("%s.%d", key, i), x)
			}
			return
		}
		add(key, a)
		return
	}
	// A nested block: each element, at its own block when written as one.
	var written []*hclsyntax.Block
	if body != nil {
		for _, b := range body.Blocks {
			if b.Type == path[0] {
				written = append(written, b)
			}
		}
	}
	if !(a.Type().IsListType() || a.Type().IsSetType() || a.Type().IsTupleType()) {
		c.valueCheck(a, nil, rng, pinned, path[1:], key+".0.", check, el)
		return
	}
	var elems []cty.Value
	for it := a.ElementIterator(); it.Next(); {
		_, x := it.Element()
		elems = append(elems, x)
	}
	order := make([]int, len(elems))
	for i := range order {
		order[i] = i
	}
	if nested, ok := nestedSchemas[c.typ+"."+blockPath(key)]; ok && nested.set {
		if key == path[0] {
			// A set of the resource's own: said at the resource block.
			pinned = true
		} else if !pinned {
			// Several elements of a nested set: said at the block that
			// holds them; one at its own block.
			if len(elems) == 1 && len(written) == 1 {
				rng = written[0].DefRange()
			}
			pinned = true
		}
		order = setOrder(elems, nested)
	}
	for i, w := range order {
		x := elems[w]
		var inner *hclsyntax.Body
		at := rng
		if w < len(written) {
			inner = written[w].Body
			if !pinned {
				at = written[w].DefRange()
			}
		}
		c.valueCheck(x, inner, at, pinned, path[1:], fmt.Sprintf("%s.%d.", key, i), check, el)
	}
}

// blockPath is a value's key without its element numbers
// (action.0.forward.0.target_group → action.forward.target_group), the
// key of nestedSchemas under the resource type.
func blockPath(key string) string {
	var parts []string
	for _, p := range strings.Split(key, ".") {
		if p == "" {
			continue
		}
		if _, err := strconv.Atoi(p); err == nil {
			continue
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ".")
}

// setOrder is the order terraform numbers a set of blocks' elements in:
// cty's order of the set of the objects as the provider's schema types
// them (every argument, null when not given), the written element each
// place holds. A block with blocks of its own, or an element that is not
// an object, keeps the written order [choice].
func setOrder(elems []cty.Value, nested resourceSchema) []int {
	written := make([]int, len(elems))
	for i := range written {
		written[i] = i
	}
	if nested.blocks != "" || len(elems) < 2 {
		return written
	}
	names := strings.Fields(nested.args)
	for i := range names {
		names[i] = strings.TrimSuffix(names[i], "!")
	}
	// Each argument's type, from an element that gives it.
	types := map[string]cty.Type{}
	for _, x := range elems {
		if !x.Type().IsObjectType() || !x.IsWhollyKnown() {
			return written
		}
		for _, name := range names {
			if x.Type().HasAttribute(name) && !x.GetAttr(name).IsNull() {
				types[name] = x.GetAttr(name).Type()
			}
		}
	}
	full := make([]cty.Value, len(elems))
	for i, x := range elems {
		attrs := map[string]cty.Value{}
		for _, name := range names {
			t, ok := types[name]
			if !ok {
				t = cty.String
			}
			attrs[name] = cty.NullVal(t)
			if x.Type().HasAttribute(name) && !x.GetAttr(name).IsNull() {
				if x.GetAttr(name).Type() != t {
					return written
				}
				attrs[name] = x.GetAttr(name)
			}
		}
		full[i] = cty.ObjectVal(attrs)
	}
	taken := map[int]bool{}
	var order []int
	for it := cty.SetVal(full).ElementIterator(); it.Next(); {
		_, v := it.Element()
		for i, f := range full {
			if !taken[i] && f.RawEquals(v) {
				taken[i] = true
				order = append(order, i)
				break
			}
		}
	}
	if len(order) != len(elems) {
		return written
	}
	return order
}
