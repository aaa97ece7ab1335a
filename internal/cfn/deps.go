package cfn

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ref is one reference found in a value: a Ref (getAtt false), or an
// Fn::GetAtt or an Fn::Sub variable "${X.Attr}" (getAtt true) with the
// attribute when it is written out ("" when it is computed); arg is the
// function's argument and line where it was written.
type ref struct {
	name, attr string
	getAtt     bool
	line       int
	arg        *node
}

// refVisit is called for every reference found in a value.
type refVisit func(r ref) error

// walkRefs finds the references in a value the way CloudFormation builds
// its dependency graph: Ref, Fn::GetAtt and the variables of Fn::Sub. Only
// the branch of an Fn::If that its condition selects is walked, so a
// reference to a resource that is not created is fine in the other one.
func (s *stack) walkRefs(n *node, visit refVisit, depth int) error {
	if n == nil {
		return nil
	}
	if depth > maxDepth {
		return evalErr(n.line, "values nest more than %d levels deep", maxDepth)
	}
	switch n.kind {
	case listNode:
		for _, it := range n.items {
			if err := s.walkRefs(it, visit, depth+1); err != nil {
				return err
			}
		}
		return nil
	case mapNode:
	default:
		return nil
	}
	name, arg, ok := n.fn()
	if !ok || name == "Condition" {
		for _, f := range n.fields {
			if err := s.walkRefs(f.val, visit, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	switch name {
	case "Ref":
		if arg == nil || arg.kind != scalarNode {
			return formatErr(n.line, "Every Ref object must have a single String value.")
		}
		return visit(ref{name: arg.str, line: n.line, arg: arg})
	case "Fn::GetAtt":
		switch {
		case arg != nil && arg.kind == scalarNode:
			res, attr, _ := strings.Cut(arg.str, ".")
			return visit(ref{name: res, attr: attr, getAtt: true, line: n.line, arg: arg})
		case arg != nil && arg.kind == listNode && len(arg.items) == 2 && arg.items[0].kind == scalarNode:
			attr := ""
			if arg.items[1].kind == scalarNode {
				attr = arg.items[1].str
			}
			if err := visit(ref{name: arg.items[0].str, attr: attr, getAtt: true, line: n.line, arg: arg}); err != nil {
				return err
			}
			return s.walkRefs(arg.items[1], visit, depth+1)
		}
		return evalErr(n.line, "every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute")
	case "Fn::Sub":
		var tmpl *node
		local := map[string]bool{}
		switch {
		case arg != nil && arg.kind == scalarNode:
			tmpl = arg
		case arg != nil && arg.kind == listNode && len(arg.items) == 2 && arg.items[0].kind == scalarNode && arg.items[1].kind == mapNode:
			tmpl = arg.items[0]
			for _, f := range arg.items[1].fields {
				local[f.key] = true
				if err := s.walkRefs(f.val, visit, depth+1); err != nil {
					return err
				}
			}
		default:
			return evalErr(n.line, "One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string")
		}
		for _, p := range subParts(tmpl.str) {
			if !p.variable || local[p.text] {
				continue
			}
			res, attr, dotted := strings.Cut(p.text, ".")
			var err error
			if dotted && !strings.HasPrefix(p.text, "AWS::") {
				err = visit(ref{name: res, attr: attr, getAtt: true, line: tmpl.line, arg: arg})
			} else {
				err = visit(ref{name: p.text, line: tmpl.line, arg: arg})
			}
			if err != nil {
				return err
			}
		}
		return nil
	case "Fn::If":
		if arg == nil || arg.kind != listNode || len(arg.items) != 3 || arg.items[0].kind != scalarNode {
			return evalErr(n.line, "every Fn::If object requires three parameters: a condition name, the value when it is true and the value when it is false")
		}
		if s == nil { // no stack to evaluate the condition in: both
			if err := s.walkRefs(arg.items[1], visit, depth+1); err != nil {
				return err
			}
			return s.walkRefs(arg.items[2], visit, depth+1)
		}
		ok, err := s.condition(arg.items[0].str, arg.items[0].line)
		if err != nil {
			return err
		}
		if ok {
			return s.walkRefs(arg.items[1], visit, depth+1)
		}
		return s.walkRefs(arg.items[2], visit, depth+1)
	}
	return s.walkRefs(arg, visit, depth+1)
}

// References returns what a template value refers to, found as
// walkRefs finds what orders resources (both branches of each Fn::If):
// refs the names of its Refs and Fn::Sub variables (parameters,
// resources, pseudo parameters), attrs the "resource.attribute" of its
// Fn::GetAtts and dotted Fn::Sub variables ("resource." when the
// attribute is computed). A malformed part ends the walk: what was found
// before it is returned.
func References(value *yaml.Node) (refs, attrs []string) {
	if value == nil {
		return nil, nil
	}
	n, err := fromYAML(value, 0, &[]parseWarning{})
	if err != nil {
		return nil, nil
	}
	var s *stack
	_ = s.walkRefs(n, func(r ref) error {
		if r.getAtt {
			attrs = append(attrs, r.name+"."+r.attr)
		} else {
			refs = append(refs, r.name)
		}
		return nil
	}, 0)
	return refs, attrs
}

// edge is one dependency of a resource: on another, first written at a line.
type edge struct {
	to   *resource
	line int
}

// plan checks every reference of the template and orders the resources
// that will be created so that each comes after what it refers to (Ref,
// Fn::GetAtt, Fn::Sub, DependsOn). A cycle is one error naming the
// resources in it.
func (s *stack) plan() ([]*resource, error) {
	deps := map[*resource][]edge{}
	var active []*resource
	for _, d := range s.tpl.resources {
		r := s.res[d.name]
		if !r.active {
			continue
		}
		active = append(active, r)
		seen := map[*resource]bool{}
		add := func(x ref) error {
			name, getAtt, line := x.name, x.getAtt, x.line
			if strings.HasPrefix(name, "AWS::") && !getAtt {
				if !contains(pseudoParams(), name) {
					return unresolved(line, name, blockResources)
				}
				return nil
			}
			if _, isParam := s.params[name]; isParam && !getAtt {
				return nil
			}
			to := s.res[name]
			if to == nil && getAtt {
				return evalErr(line, "instance of Fn::GetAtt references undefined resource %s", name)
			}
			if to == nil || !to.active {
				// A resource whose condition is false is not there
				// either, for a Ref as for an Fn::GetAtt.
				return unresolved(line, name, blockResources)
			}
			if !seen[to] {
				seen[to] = true
				deps[r] = append(deps[r], edge{to, line})
			}
			return nil
		}
		// CloudFormation checks the references when it validates the
		// template with the stack's parameters and conditions: an error
		// here refuses the request (Error.Static).
		for _, part := range []*node{d.props, d.metadata} {
			if err := s.walkRefs(part, add, 0); err != nil {
				return nil, s.resourceErr(r, static(err))
			}
		}
		for _, on := range d.dependsOn {
			to := s.res[on.name]
			if to == nil || !to.active {
				return nil, s.resourceErr(r, static(unresolved(on.line, on.name, blockResources)))
			}
			if !seen[to] {
				seen[to] = true
				deps[r] = append(deps[r], edge{to, on.line})
			}
		}
	}
	for _, o := range s.tpl.outputs {
		if o.condition != "" {
			ok, err := s.condition(o.condition, o.condLine)
			if err != nil {
				return nil, s.templateErr(err)
			}
			if !ok {
				continue
			}
		}
		err := s.walkRefs(o.value, func(x ref) error {
			name, getAtt, line := x.name, x.getAtt, x.line
			if strings.HasPrefix(name, "AWS::") && !getAtt {
				if !contains(pseudoParams(), name) {
					return unresolved(line, name, blockOutputs)
				}
				return nil
			}
			if _, isParam := s.params[name]; isParam && !getAtt {
				return nil
			}
			to := s.res[name]
			switch {
			case to == nil && getAtt:
				return evalErr(line, "instance of Fn::GetAtt references undefined resource %s", name)
			case to == nil:
				return unresolved(line, name, blockOutputs)
			case !to.active:
				// A resource whose condition is false: CloudFormation
				// words it without "Template format error:".
				return &templateError{line: line, msg: fmt.Sprintf("Unresolved resource dependencies [%s] in the %s block of the template", name, blockOutputs)}
			}
			return nil
		}, 0)
		if err != nil {
			return nil, s.templateErr(static(err))
		}
	}
	if err := s.checkGetAtts(); err != nil {
		return nil, err
	}
	s.warnListenerRace(active, deps)
	s.deps = deps
	if order, err := s.order(active, s.natGatewaysAfterAttachments(active, deps)); err == nil {
		return order, nil
	}
	return s.order(active, deps)
}

// natGatewaysAfterAttachments returns deps with each public NAT gateway
// (and internet-facing load balancer: see below) also waiting for the
// template's internet gateway attachments that do not depend on it. CloudFormation creates independent resources in parallel:
// an attachment takes seconds, while a NAT gateway stays pending for a
// minute or more and only then fails if its VPC has no internet gateway
// attached (Gateway.NotAttached), so a template without DependsOn on the
// attachment (AWS Proton's fargate-env, for one) gets its NAT gateways.
// ecsnet creates one resource at a time and waits for each NAT gateway to
// be available: without this wait a NAT gateway written before the
// internet gateway would fail.
func (s *stack) natGatewaysAfterAttachments(active []*resource, deps map[*resource][]edge) map[*resource][]edge {
	var nats, attachments []*resource
	for _, r := range active {
		switch {
		case r.def.typ == typeNatGateway && r.def.props.get("ConnectivityType").scalar() != "private":
			nats = append(nats, r)
		case (r.def.typ == typeLoadBalancer || r.def.typ == typeClassicLB) && r.def.props.get("Scheme").scalar() != "internal" &&
			r.def.props.get("Type").scalar() != "gateway":
			// An internet-facing load balancer is refused at once in a
			// VPC without an attached internet gateway ("VPC … has no
			// internet gateway"), but it needs its subnets first, which
			// need the VPC: an attachment, which needs only the VPC and
			// the gateway, is done before it in CloudFormation's parallel
			// creation (aws-samples/amazon-ecs-mythicalmysfits-workshop's
			// core.yml has no DependsOn on it) [probable].
			nats = append(nats, r)
		case r.def.typ == typeGatewayAttachment && r.def.props.get("InternetGatewayId") != nil:
			attachments = append(attachments, r)
		}
	}
	if len(nats) == 0 || len(attachments) == 0 {
		return deps
	}
	dependsOn := func(from, on *resource) bool {
		seen := map[*resource]bool{}
		stack := []*resource{from}
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, e := range deps[x] {
				if e.to == on {
					return true
				}
				if !seen[e.to] {
					seen[e.to] = true
					stack = append(stack, e.to)
				}
			}
		}
		return false
	}
	out := make(map[*resource][]edge, len(deps))
	for r, es := range deps {
		out[r] = es
	}
	for _, n := range nats {
		for _, a := range attachments {
			if !dependsOn(a, n) && !dependsOn(n, a) {
				out[n] = append(slices.Clone(out[n]), edge{a, n.def.line})
			}
		}
	}
	return out
}

// warnListenerRace warns of an ECS service whose target group a listener
// or listener rule of the template puts behind its load balancer, when
// the service depends on none of them: CloudFormation may create the
// service first (it creates independent resources in parallel), and ECS
// then refuses it (aws-samples/ecs-refarch-cloudformation#5,
// aws/aws-cdk#1160). ecsnet creates them in template order and goes on.
func (s *stack) warnListenerRace(active []*resource, deps map[*resource][]edge) {
	refsOf := func(n *node) []string {
		var out []string
		_ = s.walkRefs(n, func(x ref) error {
			out = append(out, x.name)
			return nil
		}, 0)
		return out
	}
	// What each listener and listener rule refers to, read once.
	type forwarder struct {
		name string
		refs []string
	}
	var fwds []forwarder
	for _, f := range active {
		if f.def.typ == typeListener || f.def.typ == typeListenerRule {
			fwds = append(fwds, forwarder{f.def.name, refsOf(f.def.props)})
		}
	}
	for _, r := range active {
		if r.def.typ != typeService || r.def.props == nil {
			continue
		}
		groups := map[string]bool{}
		for _, name := range refsOf(r.def.props.get("LoadBalancers")) {
			if g := s.res[name]; g != nil && g.active && g.def.typ == typeTargetGroup {
				groups[name] = true
			}
		}
		if len(groups) == 0 {
			continue
		}
		var forwarders []string
		for _, f := range fwds {
			if slices.ContainsFunc(f.refs, func(name string) bool { return groups[name] }) {
				forwarders = append(forwarders, f.name)
			}
		}
		if len(forwarders) == 0 {
			continue
		}
		seen := map[*resource]bool{}
		var walk func(x *resource)
		walk = func(x *resource) {
			for _, e := range deps[x] {
				if !seen[e.to] {
					seen[e.to] = true
					walk(e.to)
				}
			}
		}
		walk(r)
		ok := false
		for _, f := range forwarders {
			ok = ok || seen[s.res[f]]
		}
		if !ok {
			s.warnf(r.def.line, "%s (AWS::ECS::Service) does not depend on %s, which puts its target group behind the load balancer: CloudFormation may create the service first, and ECS then refuses it (\"The target group with targetGroupArn … does not have an associated load balancer.\"); add DependsOn: %s",
				r.def.name, strings.Join(forwarders, " or "), forwarders[0])
		}
	}
}

// order sorts resources topologically; among resources that are ready at
// the same time, template order decides, so ids come out the same on
// every run, except that a ready log group comes first: CloudFormation
// creates independent resources in parallel, and a log group exists
// within a second, long before a task of a service created beside it
// starts its awslogs driver (the emulator fails a task whose log group
// does not exist, engine.WithLogGroupCheck).
func (s *stack) order(active []*resource, deps map[*resource][]edge) ([]*resource, error) {
	index := map[*resource]int{}
	for i, r := range active {
		index[r] = i
	}
	waiting := map[*resource]int{}
	users := map[*resource][]*resource{}
	for _, r := range active {
		waiting[r] = len(deps[r])
		for _, e := range deps[r] {
			users[e.to] = append(users[e.to], r)
		}
	}
	done := make([]bool, len(active))
	var out []*resource
	for len(out) < len(active) {
		next := -1
		for i, r := range active {
			if !done[i] && waiting[r] == 0 && (next < 0 || r.def.typ == typeLogGroup) {
				next = i
				if r.def.typ == typeLogGroup {
					break
				}
			}
		}
		if next < 0 {
			return nil, s.cycleErr(active, done, deps)
		}
		done[next] = true
		r := active[next]
		out = append(out, r)
		for _, u := range users[r] {
			waiting[u]--
		}
	}
	return out, nil
}

// cycleErr finds one cycle among the resources not yet ordered and
// reports it with where each resource refers to the next.
func (s *stack) cycleErr(active []*resource, done []bool, deps map[*resource][]edge) error {
	left := map[*resource]bool{}
	var start *resource
	for i, r := range active {
		if !done[i] {
			left[r] = true
			if start == nil {
				start = r
			}
		}
	}
	// Walk dependencies among the remaining resources until one repeats:
	// every remaining resource depends on at least one other remaining one.
	pos := map[*resource]int{}
	var path []*resource
	var lines []int
	r := start
	for {
		if i, seen := pos[r]; seen {
			path, lines = path[i:], lines[i:]
			break
		}
		pos[r] = len(path)
		path = append(path, r)
		var next edge
		for _, e := range deps[r] {
			if left[e.to] {
				next = e
				break
			}
		}
		if next.to == nil { // cannot happen: a waiting resource waits on another
			break
		}
		lines = append(lines, next.line)
		r = next.to
	}
	if len(lines) < len(path) {
		lines = append(lines, path[len(path)-1].def.line)
	}
	names := make([]string, len(path))
	var how []string
	for i, r := range path {
		names[i] = r.def.name
		to := path[(i+1)%len(path)]
		how = append(how, fmt.Sprintf("%s (line %d) refers to %s at line %d", r.def.name, r.def.line, to.def.name, lines[i]))
	}
	return s.templateErr(formatErr(path[0].def.line, "Circular dependency between resources: [%s]: %s",
		strings.Join(names, ", "), strings.Join(how, "; ")))
}
