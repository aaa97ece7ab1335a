package cfn

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// samTransform is AWS SAM's transform. ecsnet runs the part of it that
// changes what a stack deploys: an AWS::Serverless::Application whose
// Location is a template (a path or a URL) becomes the
// AWS::CloudFormation::Stack SAM generates for it, so its Outputs are read
// as a nested stack's; an AWS::Serverless::Function becomes an
// AWS::Lambda::Function (with its role and some events:
// sam_function.go), Globals.Function merged into it. Other
// AWS::Serverless::* resources (APIs, tables) stay as they are and
// complete as placeholders, as the resources ecsnet does not model; an
// application from the Serverless Application Repository (Location:
// {ApplicationId, SemanticVersion}) is one too.
const samTransform = "AWS::Serverless-2016-10-31"

// readServerless reads a template that declares the SAM transform: the
// transformed root, without Transform and Globals, read as any other.
func readServerless(root *node) (*template, error) {
	plain := *root
	plain.fields = nil
	for _, f := range root.fields {
		switch f.key {
		case "Transform", "Globals":
			continue
		case "Resources":
			f.val = samResources(f.val, root.get("Globals").get("Function"))
		}
		plain.fields = append(plain.fields, f)
	}
	if aliases := samAliasRefs(plain.get("Resources")); len(aliases) > 0 {
		for i, f := range plain.fields {
			if f.key == "Resources" || f.key == "Outputs" {
				plain.fields[i].val = rewriteRefs(f.val, aliases)
			}
		}
	}
	t, err := readTemplateAs(&plain, true)
	if err == nil && t.transformErr == nil {
		t.transformErr = checkSAMFunctions(root)
	}
	return t, err
}

// samResources returns the Resources section with each
// AWS::Serverless::Application of a template Location replaced by its
// nested stack: TemplateURL is the Location; Parameters,
// NotificationARNs and TimeoutInMinutes are passed on, and the Tags map
// becomes the stack's Key/Value list, as SAM translates them. Each
// AWS::Serverless::Function becomes its AWS::Lambda::Function, role and
// events (sam_function.go), with Globals.Function (globals) merged in.
func samResources(res, globals *node) *node {
	if res == nil || res.kind != mapNode {
		return res
	}
	out := *res
	out.fields = nil
	for _, f := range res.fields {
		r := f.val
		if r.get("Type").scalar() == "AWS::Serverless::Function" && r.kind == mapNode {
			out.fields = append(out.fields, samFunctionResources(f.key, r, globals)...)
			continue
		}
		if r.get("Type").scalar() == "AWS::Serverless::Application" {
			if loc := r.get("Properties").get("Location"); loc != nil && loc.kind == scalarNode {
				f.val = samApplicationStack(r, loc)
			}
		}
		out.fields = append(out.fields, f)
	}
	out.fields = append(out.fields, samImplicitAPIs(res, globals, &out)...)
	samS3Notifications(res, globals, &out)
	return &out
}

// samS3Notifications adds to each bucket a function's S3 events name (by
// Ref, in the same template) what SAM's S3 event source adds
// (samtranslator/model/eventsources/push.py, S3): to its
// NotificationConfiguration.LambdaConfigurations, for each of the event's
// Events, {Function: the function's Arn, Filter, Event} (not again when
// the same one is there; under Fn::If of the function's Condition when it
// has one), and a DependsOn on the event's permission
// <fn><event>Permission, since S3 checks that it may invoke the function
// when the configuration is put (for a function with a Condition, the tag
// sam:ConditionalDependsOn:<permission>, a Ref under Fn::If, instead).
func samS3Notifications(res, globals, out *node) {
	for _, f := range res.fields {
		r := f.val
		if r.get("Type").scalar() != "AWS::Serverless::Function" {
			continue
		}
		ev := mergeGlobals(r.get("Properties"), globals).get("Events")
		if ev == nil || ev.kind != mapNode {
			continue
		}
		cond := r.get("Condition")
		for _, e := range ev.fields {
			p := e.val.get("Properties")
			if e.val.get("Type").scalar() != "S3" || p == nil {
				continue
			}
			bucketID := p.get("Bucket").get("Ref").scalar()
			i := slices.IndexFunc(out.fields, func(o field) bool { return o.key == bucketID })
			if bucketID == "" || i < 0 || out.fields[i].val.kind != mapNode {
				continue // refused by checkSAMFunctions
			}
			line := e.line
			var types []*node
			switch evs := p.get("Events"); {
			case evs == nil:
			case evs.kind == listNode:
				types = evs.items
			default:
				types = []*node{evs}
			}
			var mappings []*node
			for _, t := range types {
				m := mapOf(line, "Function", getAttAt(f.key, "Arn", line), "Filter", p.get("Filter"), "Event", t)
				if cond != nil {
					m = mapOf(line, "Fn::If", listAt([]*node{cond, m, mapOf(line, "Ref", "AWS::NoValue")}, line))
				}
				mappings = append(mappings, m)
			}
			perm := f.key + e.key + "Permission"
			out.fields[i].val = samBucketWithNotifications(out.fields[i].val, mappings, perm, cond, line)
		}
	}
}

// samBucketWithNotifications returns bucket b with the Lambda
// configurations added and its dependency on the permission.
func samBucketWithNotifications(b *node, mappings []*node, perm string, cond *node, line int) *node {
	props := b.get("Properties")
	if props == nil || props.kind != mapNode {
		props = &node{kind: mapNode, line: line}
	}
	nc := props.get("NotificationConfiguration")
	if nc == nil || nc.kind != mapNode {
		nc = &node{kind: mapNode, line: line}
	}
	lambdas := nc.get("LambdaConfigurations")
	var items []*node
	if lambdas != nil && lambdas.kind == listNode {
		items = slices.Clone(lambdas.items)
	}
	for _, m := range mappings {
		if !slices.ContainsFunc(items, func(it *node) bool { return propsJSON(it) == propsJSON(m) }) {
			items = append(items, m)
		}
	}
	nc = withField(nc, "LambdaConfigurations", listAt(items, line))
	if cond != nil {
		tag := mapOf(line, "Key", "sam:ConditionalDependsOn:"+perm,
			"Value", mapOf(line, "Fn::If", listAt([]*node{cond, mapOf(line, "Ref", perm), scalarAt("no dependency", line)}, line)))
		var tags []*node
		if t := props.get("Tags"); t != nil && t.kind == listNode {
			tags = slices.Clone(t.items)
		}
		props = withField(props, "Tags", listAt(append(tags, tag), line))
	}
	props = withField(props, "NotificationConfiguration", nc)
	out := withField(b, "Properties", props)
	if cond == nil {
		var deps []*node
		switch d := b.get("DependsOn"); {
		case d == nil:
		case d.kind == listNode:
			deps = slices.Clone(d.items)
		default:
			deps = []*node{d}
		}
		if !slices.ContainsFunc(deps, func(d *node) bool { return d.scalar() == perm }) {
			deps = append(deps, scalarAt(perm, line))
		}
		out = withField(out, "DependsOn", listAt(deps, line))
	}
	return out
}

// withField returns map n with key set to val (replaced in place, or
// added last).
func withField(n *node, key string, val *node) *node {
	out := *n
	out.fields = slices.Clone(n.fields)
	for i, f := range out.fields {
		if f.key == key {
			out.fields[i].val = val
			return &out
		}
	}
	out.fields = append(out.fields, field{key: key, line: val.line, val: val})
	return &out
}

// withProperty returns resource r with one more property, key.
func withProperty(r *node, key string, val *node) *node {
	out := *r
	out.fields = nil
	props := &node{kind: mapNode, line: r.line, col: r.col}
	found := false
	for _, f := range r.fields {
		if f.key == "Properties" {
			if f.val != nil && f.val.kind == mapNode {
				cp := *f.val
				cp.fields = append(slices.Clone(f.val.fields), field{key: key, line: val.line, val: val})
				f.val = &cp
			} else {
				props.fields = []field{{key: key, line: val.line, val: val}}
				f.val = props
			}
			found = true
		}
		out.fields = append(out.fields, f)
	}
	if !found {
		props.fields = []field{{key: key, line: val.line, val: val}}
		out.fields = append(out.fields, field{key: "Properties", line: r.line, val: props})
	}
	return &out
}

// samApplicationStack is the AWS::CloudFormation::Stack of application r.
func samApplicationStack(r, loc *node) *node {
	props := r.get("Properties")
	stackProps := &node{kind: mapNode, line: props.line, col: props.col}
	stackProps.fields = append(stackProps.fields, field{key: "TemplateURL", line: props.keyLine("Location"), val: loc})
	for _, pf := range props.fields {
		switch pf.key {
		case "Parameters", "NotificationARNs", "TimeoutInMinutes":
			stackProps.fields = append(stackProps.fields, pf)
		case "Tags":
			if pf.val.kind == mapNode {
				var items []*node
				for _, t := range pf.val.fields {
					items = append(items, &node{kind: mapNode, line: t.line, fields: []field{
						{key: "Key", line: t.line, val: scalarAt(t.key, t.line)},
						{key: "Value", line: t.line, val: t.val}}})
				}
				stackProps.fields = append(stackProps.fields, field{key: "Tags", line: pf.line, val: listAt(items, pf.line)})
			}
		}
	}
	out := *r
	out.fields = nil
	for _, f := range r.fields {
		switch f.key {
		case "Type":
			f.val = scalarAt("AWS::CloudFormation::Stack", f.val.line)
		case "Properties":
			f.val = stackProps
		}
		out.fields = append(out.fields, f)
	}
	return &out
}

// declaresSAM reports whether a template's Transform is SAM's, alone or
// in a list: only then is Globals a section of the template.
func declaresSAM(root *node) bool {
	tr := root.get("Transform")
	if tr == nil {
		return false
	}
	if tr.kind == scalarNode {
		return tr.str == samTransform
	}
	for _, it := range tr.items {
		if it.kind == scalarNode && it.str == samTransform {
			return true
		}
	}
	return false
}

// checkSAMFunctions refuses, as SAM's transform does, the
// AWS::Serverless::Function resources whose code it cannot place: none of
// InlineCode and CodeUri for a Zip function, no ImageUri for an Image one,
// and a CodeUri string that is not an S3 URI (a local path: the template
// was not packaged with sam package or aws cloudformation package). Each
// property may come from Globals.Function. CloudFormation fails the change
// set with the transform's words (aws-sam-translator,
// samtranslator/model/sam_resources.py and s3_utils/uri_parser.py):
// "Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless
// Application Specification document. Number of errors found: N.
// Resource with id [F] is invalid. …".
func checkSAMFunctions(root *node) error {
	globals := root.get("Globals").get("Function")
	var causes []string
	line := 0
	res := root.get("Resources")
	if res == nil || res.kind != mapNode {
		return nil
	}
	for _, f := range res.fields {
		r := f.val
		if r.get("Type").scalar() != "AWS::Serverless::Function" {
			continue
		}
		props := r.get("Properties")
		prop := func(key string) *node {
			if v := props.get(key); v != nil {
				return v
			}
			return globals.get(key)
		}
		packageType := "Zip"
		if pt := prop("PackageType"); pt != nil && pt.kind == scalarNode {
			packageType = pt.str
		}
		// SAM reads InlineCode and CodeUri for a Zip function, ImageUri
		// for an Image one, and ignores the others.
		inline, code, image := prop("InlineCode"), prop("CodeUri"), prop("ImageUri")
		var msg string
		switch {
		case packageType != "Zip" && packageType != "Image":
			msg = "invalid 'PackageType' : " + packageType
		case packageType == "Image" && image == nil:
			msg = "'ImageUri' must be set."
		case packageType == "Zip" && inline == nil && code == nil:
			msg = "Only one of 'InlineCode' or 'CodeUri' can be set."
		case packageType == "Zip" && inline == nil && code.kind == scalarNode && !isS3URI(code.str):
			msg = "'CodeUri' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter."
		default:
			msg = samS3EventError(props, globals, res)
			if msg == "" {
				continue
			}
		}
		if line == 0 {
			line = f.line
		}
		causes = append(causes, "Resource with id ["+f.key+"] is invalid. "+msg)
	}
	if len(causes) == 0 {
		return nil
	}
	return &templateError{line: line, msg: "Transform " + samTransform + " failed with: Invalid Serverless Application Specification document. Number of errors found: " +
		strconv.Itoa(len(causes)) + ". " + strings.Join(causes, " ")}
}

// isS3URI reports whether s is an S3 URI as SAM parses one:
// s3://bucket/key, with an optional versionId query parameter.
func isS3URI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "s3" && u.Host != "" && u.Path != ""
}

// samS3EventError is SAM's refusal of a function's S3 event whose Bucket
// is not a Ref to a resource of the template
// (samtranslator/model/eventsources/push.py, S3.resources_to_link), or "".
func samS3EventError(props, globals, res *node) string {
	ev := mergeGlobals(props, globals).get("Events")
	if ev == nil || ev.kind != mapNode {
		return ""
	}
	for _, e := range ev.fields {
		if e.val.get("Type").scalar() != "S3" {
			continue
		}
		if id := e.val.get("Properties").get("Bucket").get("Ref"); id != nil && id.kind == scalarNode && res.get(id.str) != nil {
			continue
		}
		return "Event with id [" + e.key + "] is invalid. S3 events must reference an S3 bucket in the same template."
	}
	return ""
}
