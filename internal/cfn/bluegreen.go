package cfn

import "strings"

// blueGreenTransform is the transform of ECS blue/green deployments
// through CodeDeploy: the template's Hooks section holds one
// AWS::CodeDeploy::BlueGreen hook naming the service, its blue and green
// task definitions and task sets, the production (and test) listener and
// the two target groups. When a stack is created CloudFormation creates
// the blue resources, which are the template's own, so ecsnet reads the
// template as written once the hook has been checked as the transform
// checks it; the green deployment a later update starts is not modelled.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/blue-green.html
const blueGreenTransform = "AWS::CodeDeployBlueGreen"

// blueGreenHookType is the type of the hook the transform reads.
const blueGreenHookType = "AWS::CodeDeploy::BlueGreen"

// blueGreenFailed is how CloudFormation reports a template the transform
// refuses: "Transform AWS::CodeDeployBlueGreen failed with: Failed to
// transform template. …" (aws-cloudformation/cloudformation-coverage-roadmap#821, #1479).
func blueGreenFailed(line int, reason string) error {
	return &templateError{line: line, msg: "Transform " + blueGreenTransform + " failed with: Failed to transform template. " + reason}
}

// blueGreenSchemaErr is the transform's answer to a Hooks section not of
// the hook's schema (cloudformation-coverage-roadmap#821).
func blueGreenSchemaErr(line int) error {
	return blueGreenFailed(line, `Failed to parse the "Hooks" section for the provided template. Please ensure the AWS::CodeDeploy::BlueGreen Hook matches the expected schema.`)
}

// checkBlueGreen checks a template that declares the blue/green
// transform: its Hooks section, the resources the hook names, and the
// sections such a template may not have (Outputs, Fn::ImportValue).
func checkBlueGreen(root *node) error {
	hooks := root.get("Hooks")
	if hooks == nil || hooks.kind != mapNode || len(hooks.fields) == 0 {
		return blueGreenSchemaErr(root.keyLine("Transform"))
	}
	resources := root.get("Resources")
	typeOf := func(logical string) string {
		return resources.get(logical).get("Type").scalar()
	}
	if len(hooks.fields) != 1 {
		// One service is the deployment's target: one hook.
		return blueGreenSchemaErr(hooks.fields[1].line)
	}
	hook := hooks.fields[0]
	if !alnum(hook.key) || hook.val == nil || hook.val.kind != mapNode {
		return blueGreenSchemaErr(hook.line)
	}
	for _, f := range hook.val.fields {
		if f.key != "Type" && f.key != "Properties" {
			return blueGreenSchemaErr(f.line)
		}
	}
	if hook.val.get("Type").scalar() != blueGreenHookType {
		return blueGreenSchemaErr(hook.val.keyLine("Type"))
	}
	props := hook.val.get("Properties")
	if props == nil || props.kind != mapNode {
		return blueGreenSchemaErr(hook.line)
	}
	if err := onlyKeys(props, "TrafficRoutingConfig", "AdditionalOptions", "LifecycleEventHooks", "ServiceRole", "Applications"); err != nil {
		return err
	}
	if trc := props.get("TrafficRoutingConfig"); trc != nil {
		if err := onlyKeys(trc, "Type", "TimeBasedCanary", "TimeBasedLinear"); err != nil {
			return err
		}
		switch trc.get("Type").scalar() {
		case "AllAtOnce", "TimeBasedCanary", "TimeBasedLinear":
		default:
			return blueGreenSchemaErr(trc.keyLine("Type"))
		}
	}
	apps := props.get("Applications")
	if apps == nil || apps.kind != listNode || len(apps.items) != 1 {
		return blueGreenSchemaErr(props.keyLine("Applications"))
	}
	app := apps.items[0]
	if err := onlyKeys(app, "Target", "ECSAttributes"); err != nil {
		return err
	}
	target, attrs := app.get("Target"), app.get("ECSAttributes")
	if target == nil || attrs == nil {
		return blueGreenSchemaErr(app.line)
	}
	if err := onlyKeys(target, "Type", "LogicalID"); err != nil {
		return err
	}
	if err := onlyKeys(attrs, "TaskDefinitions", "TaskSets", "TrafficRouting"); err != nil {
		return err
	}
	routing := attrs.get("TrafficRouting")
	if routing == nil {
		return blueGreenSchemaErr(attrs.line)
	}
	if err := onlyKeys(routing, "ProdTrafficRoute", "TestTrafficRoute", "TargetGroups"); err != nil {
		return err
	}
	// Each name the hook gives must be a resource of the template of
	// the type its place says.
	type named struct {
		n    *node
		typ  string
		what string
	}
	refs := []named{{target.get("LogicalID"), "AWS::ECS::Service", "Target"}}
	if target.get("Type").scalar() != "AWS::ECS::Service" {
		return blueGreenSchemaErr(target.keyLine("Type"))
	}
	pair := func(key string, in *node) (*node, error) {
		l := in.get(key)
		if l == nil || l.kind != listNode || len(l.items) != 2 {
			return nil, blueGreenSchemaErr(in.keyLine(key))
		}
		for _, it := range l.items {
			if it.kind != scalarNode || it.str == "" {
				return nil, blueGreenSchemaErr(it.line)
			}
		}
		return l, nil
	}
	tds, err := pair("TaskDefinitions", attrs)
	if err != nil {
		return err
	}
	tss, err := pair("TaskSets", attrs)
	if err != nil {
		return err
	}
	tgs, err := pair("TargetGroups", routing)
	if err != nil {
		return err
	}
	// The green task definition and task set are made by the transform
	// on an update; the blue ones and both target groups are the
	// template's.
	refs = append(refs, named{tds.items[0], "AWS::ECS::TaskDefinition", "TaskDefinitions"},
		named{tss.items[0], "AWS::ECS::TaskSet", "TaskSets"},
		named{tgs.items[0], "AWS::ElasticLoadBalancingV2::TargetGroup", "TargetGroups"},
		named{tgs.items[1], "AWS::ElasticLoadBalancingV2::TargetGroup", "TargetGroups"})
	for _, key := range []string{"ProdTrafficRoute", "TestTrafficRoute"} {
		route := routing.get(key)
		if route == nil {
			if key == "ProdTrafficRoute" {
				return blueGreenSchemaErr(routing.line)
			}
			continue
		}
		if err := onlyKeys(route, "Type", "LogicalID"); err != nil {
			return err
		}
		if route.get("Type").scalar() != "AWS::ElasticLoadBalancingV2::Listener" {
			return blueGreenSchemaErr(route.keyLine("Type"))
		}
		refs = append(refs, named{route.get("LogicalID"), "AWS::ElasticLoadBalancingV2::Listener", key})
	}
	for _, r := range refs {
		if r.n == nil || r.n.kind != scalarNode || r.n.str == "" {
			return blueGreenSchemaErr(hook.line)
		}
		if got := typeOf(r.n.str); got != r.typ {
			return blueGreenFailed(r.n.line, "The "+r.what+" logical ID ["+r.n.str+"] of hook "+hook.key+
				" is not a resource of type "+r.typ+" in the Resources section.")
		}
	}
	if out := root.get("Outputs"); out != nil {
		return blueGreenFailed(root.keyLine("Outputs"), "Outputs are not supported in a template with the "+blueGreenHookType+" hook.")
	}
	if line := importValueLine(root.get("Resources")); line != 0 {
		return blueGreenFailed(line, "Fn::ImportValue is not supported in a template with the "+blueGreenHookType+" hook.")
	}
	for _, f := range resources.fields {
		if typeOf(f.key) == "AWS::CloudFormation::Stack" {
			return blueGreenFailed(f.line, "Nested stacks are not supported in a template with the "+blueGreenHookType+" hook.")
		}
	}
	return nil
}

// onlyKeys refuses, with the transform's schema error, a map with a key
// other than those listed, or a value that is not a map.
func onlyKeys(n *node, keys ...string) error {
	if n == nil || n.kind != mapNode {
		line := 0
		if n != nil {
			line = n.line
		}
		return blueGreenSchemaErr(line)
	}
	for _, f := range n.fields {
		if !contains(keys, f.key) {
			return blueGreenSchemaErr(f.line)
		}
	}
	return nil
}

// importValueLine is the line of the first Fn::ImportValue in n, 0 when
// there is none.
func importValueLine(n *node) int {
	if n == nil {
		return 0
	}
	switch n.kind {
	case mapNode:
		for _, f := range n.fields {
			if f.key == "Fn::ImportValue" {
				return f.line
			}
			if l := importValueLine(f.val); l != 0 {
				return l
			}
		}
	case listNode:
		for _, it := range n.items {
			if l := importValueLine(it); l != 0 {
				return l
			}
		}
	}
	return 0
}

// withoutTransform returns root with the transform name dropped from its
// Transform section (the section removed when it was the only one).
func withoutTransform(root *node, name string) *node {
	plain := *root
	plain.fields = nil
	for _, f := range root.fields {
		if f.key == "Hooks" {
			continue
		}
		if f.key == "Transform" {
			tr := f.val
			if tr.kind != listNode {
				continue
			}
			var rest []*node
			for _, it := range tr.items {
				if strings.TrimSpace(it.scalar()) != name {
					rest = append(rest, it)
				}
			}
			if len(rest) == 0 {
				continue
			}
			f.val = listAt(rest, tr.line)
		}
		plain.fields = append(plain.fields, f)
	}
	return &plain
}
