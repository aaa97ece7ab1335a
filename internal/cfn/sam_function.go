package cfn

import (
	"crypto/sha1"
	"encoding/hex"
	"net/url"
	"strings"
)

// SAM's AWS::Serverless::Function, transformed as aws-sam-translator
// transforms it (samtranslator/model/sam_resources.py, SamFunction): an
// AWS::Lambda::Function of the same logical id, an AWS::IAM::Role
// "<id>Role" when the function names no Role (trusting
// lambda.amazonaws.com, with AWSLambdaBasicExecutionRole, and
// AWSLambdaVPCAccessExecutionRole for a function in a VPC,
// AWSXrayWriteOnlyAccess for one traced, and the function's Policies,
// policy templates expanded: sam_policies.go), and, for its Schedule and
// EventBridgeRule (CloudWatchEvent) events, an AWS::Events::Rule
// "<id><event>" targeting it with its AWS::Lambda::Permission
// "<id><event>Permission"; for its pull events (SQS, Kinesis, DynamoDB,
// MSK, …) an AWS::Lambda::EventSourceMapping "<id><event>" and the
// source's managed policy on the role; for SNS an AWS::SNS::Subscription
// "<id><event>" and its permission; for S3 and an HttpApi on an ApiId the
// permission "<id><event>Permission" (an S3 event's bucket notification:
// samS3Notifications). An Api event on a RestApiId is not transformed
// [choice].

// samFunctionProps are the properties SAM passes to the
// AWS::Lambda::Function unchanged.
var samFunctionProps = map[string]bool{
	"Handler": true, "Runtime": true, "Description": true, "MemorySize": true, "Timeout": true, "Environment": true,
	"VpcConfig": true, "FunctionName": true, "Layers": true, "Architectures": true, "PackageType": true,
	"EphemeralStorage": true, "ReservedConcurrentExecutions": true, "KmsKeyArn": true, "FileSystemConfigs": true,
	"ImageConfig": true, "LoggingConfig": true, "RuntimeManagementConfig": true, "CodeSigningConfigArn": true,
	"RecursiveLoop": true, "Role": true,
}

// mergeGlobals returns a function's properties with Globals.Function
// merged in as SAM merges them: a property the function does not set is
// the global one; maps are merged key by key (the function's value wins);
// lists are the global items then the function's; a scalar of the
// function replaces the global one.
func mergeGlobals(props, globals *node) *node {
	if globals == nil || globals.kind != mapNode {
		return props
	}
	if props == nil || props.kind != mapNode {
		return globals
	}
	return mergeSAM(globals, props)
}

func mergeSAM(global, local *node) *node {
	switch {
	case global == nil:
		return local
	case local == nil:
		return global
	case global.kind == mapNode && local.kind == mapNode && !isIntrinsic(global) && !isIntrinsic(local):
		out := &node{kind: mapNode, line: local.line, col: local.col}
		for _, g := range global.fields {
			if l := local.get(g.key); l != nil {
				out.fields = append(out.fields, field{key: g.key, line: g.line, val: mergeSAM(g.val, l)})
			} else {
				out.fields = append(out.fields, g)
			}
		}
		for _, l := range local.fields {
			if global.get(l.key) == nil {
				out.fields = append(out.fields, l)
			}
		}
		return out
	case global.kind == listNode && local.kind == listNode:
		items := append(append([]*node{}, global.items...), local.items...)
		return listAt(items, local.line)
	}
	return local
}

// isIntrinsic reports whether n is an intrinsic function (a map of one
// Ref or Fn:: key).
func isIntrinsic(n *node) bool {
	return n != nil && n.kind == mapNode && len(n.fields) == 1 && (n.fields[0].key == "Ref" || strings.HasPrefix(n.fields[0].key, "Fn::"))
}

func mapOf(line int, kv ...any) *node {
	n := &node{kind: mapNode, line: line}
	for i := 0; i+1 < len(kv); i += 2 {
		var v *node
		switch x := kv[i+1].(type) {
		case *node:
			v = x
		case string:
			v = scalarAt(x, line)
		}
		if v != nil {
			n.fields = append(n.fields, field{key: kv[i].(string), line: line, val: v})
		}
	}
	return n
}

func subAt(s string, line int) *node { return mapOf(line, "Fn::Sub", s) }

func getAttAt(res, attr string, line int) *node {
	return mapOf(line, "Fn::GetAtt", listAt([]*node{scalarAt(res, line), scalarAt(attr, line)}, line))
}

// samFunctionResources returns the resources SAM makes of function id
// (its properties merged with Globals.Function), in the order SAM lists
// them: the function, its role, its events' rules and permissions.
func samFunctionResources(id string, r, globals *node) []field {
	line := r.line
	props := mergeGlobals(r.get("Properties"), globals)
	fn := &node{kind: mapNode, line: props.line}
	add := func(key string, v *node) { fn.fields = append(fn.fields, field{key: key, line: v.line, val: v}) }
	var tags []*node
	tags = append(tags, mapOf(line, "Key", "lambda:createdBy", "Value", "SAM"))
	// SAM reads InlineCode and CodeUri for a Zip function, ImageUri for
	// an Image one (checkSAMFunctions).
	image := props.get("PackageType").scalar() == "Image"
	for _, f := range props.fields {
		switch {
		case samFunctionProps[f.key]:
			add(f.key, f.val)
		case f.key == "InlineCode" && !image:
			add("Code", mapOf(f.line, "ZipFile", f.val))
		case f.key == "CodeUri" && !image && props.get("InlineCode") == nil:
			add("Code", samCodeURI(f.val))
		case f.key == "ImageUri" && image:
			add("Code", mapOf(f.line, "ImageUri", f.val))
		case f.key == "Tracing":
			add("TracingConfig", mapOf(f.line, "Mode", f.val))
		case f.key == "DeadLetterQueue":
			add("DeadLetterConfig", mapOf(f.line, "TargetArn", f.val.get("TargetArn")))
		case f.key == "SnapStart":
			add("SnapStartConfig", f.val)
		case f.key == "Tags" && f.val.kind == mapNode:
			for _, t := range f.val.fields {
				tags = append(tags, mapOf(t.line, "Key", t.key, "Value", t.val))
			}
		}
	}
	roleID := id + "Role"
	if props.get("Role") == nil {
		add("Role", getAttAt(roleID, "Arn", line))
	}
	add("Tags", listAt(tags, line))
	out := []field{{key: id, line: line, val: samResource(r, "AWS::Lambda::Function", fn)}}
	if props.get("Role") == nil {
		out = append(out, field{key: roleID, line: line, val: samResource(r, "AWS::IAM::Role", samRole(id, props, line))})
	}
	if alias := props.get("AutoPublishAlias"); alias != nil && alias.kind == scalarNode && alias.str != "" {
		// AutoPublishAlias: a version of the function's code and
		// configuration, retained on replacement, and the alias naming it.
		version := id + "Version" + stableID(propsJSON(fn))
		v := samResource(r, "AWS::Lambda::Version", mapOf(line, "FunctionName", mapOf(line, "Ref", id)))
		v.fields = append(v.fields, field{key: "DeletionPolicy", line: line, val: scalarAt("Retain", line)})
		out = append(out,
			field{key: version, line: line, val: v},
			field{key: samAliasID(id, alias.str), line: line, val: samResource(r, "AWS::Lambda::Alias", mapOf(line,
				"Name", alias, "FunctionName", mapOf(line, "Ref", id), "FunctionVersion", getAttAt(version, "Version", line)))})
	}
	if ev := props.get("Events"); ev != nil && ev.kind == mapNode {
		for _, e := range ev.fields {
			out = append(out, samEvent(id, e, r)...)
		}
	}
	return out
}

// samResource is a resource of type typ and properties props that keeps
// r's Condition, DependsOn and deletion policies, as SAM's do.
func samResource(r *node, typ string, props *node) *node {
	out := &node{kind: mapNode, line: r.line, col: r.col}
	out.fields = append(out.fields, field{key: "Type", line: r.line, val: scalarAt(typ, r.line)})
	for _, f := range r.fields {
		switch f.key {
		case "Condition", "DependsOn", "DeletionPolicy", "UpdateReplacePolicy", "Metadata":
			out.fields = append(out.fields, f)
		}
	}
	out.fields = append(out.fields, field{key: "Properties", line: props.line, val: props})
	return out
}

// samCodeURI is the Code of a CodeUri: an S3 URI
// (s3://bucket/key?versionId=v) or a {Bucket, Key, Version} map.
func samCodeURI(v *node) *node {
	line := v.line
	if v.kind == mapNode && !isIntrinsic(v) {
		return mapOf(line, "S3Bucket", v.get("Bucket"), "S3Key", v.get("Key"), "S3ObjectVersion", v.get("Version"))
	}
	if v.kind == scalarNode {
		if u, err := url.Parse(v.str); err == nil && u.Scheme == "s3" {
			code := mapOf(line, "S3Bucket", u.Host, "S3Key", strings.TrimPrefix(u.Path, "/"))
			if ver := u.Query().Get("versionId"); ver != "" {
				code.fields = append(code.fields, field{key: "S3ObjectVersion", line: line, val: scalarAt(ver, line)})
			}
			return code
		}
	}
	// A local path (refused by checkSAMFunctions) or an intrinsic: the
	// object as given [choice].
	return mapOf(line, "S3Bucket", "local", "S3Key", v)
}

// samRole is the execution role SAM makes for a function without Role.
func samRole(id string, props *node, line int) *node {
	managed := []*node{subAt("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", line)}
	if props.get("Tracing") != nil {
		managed = append(managed, subAt("arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess", line))
	}
	if props.get("VpcConfig") != nil {
		managed = append(managed, subAt("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", line))
	}
	var inline []*node
	pol := props.get("Policies")
	var policies []*node
	switch {
	case pol == nil:
	case pol.kind == listNode:
		policies = pol.items
	default:
		policies = []*node{pol}
	}
	templates := samPolicyTemplates()
	for i, p := range policies {
		switch {
		case p.kind == scalarNode && strings.HasPrefix(p.str, "arn:"):
			managed = append(managed, p)
		case p.kind == scalarNode:
			// A managed policy's name: AWS's.
			managed = append(managed, subAt("arn:${AWS::Partition}:iam::aws:policy/"+p.str, p.line))
		case isIntrinsic(p):
			managed = append(managed, p)
		case p.kind == mapNode && p.get("Statement") != nil:
			inline = append(inline, mapOf(p.line, "PolicyName", samPolicyName(id, i), "PolicyDocument", p))
		default:
			// A policy template ({SQSPollerPolicy: {QueueName: …}}).
			if doc := samPolicyTemplateDoc(p, templates); doc != nil {
				inline = append(inline, mapOf(p.line, "PolicyName", samPolicyName(id, i), "PolicyDocument", doc))
			}
		}
	}
	// A pull event source's managed policy (SAM's PullEventSource
	// policy_arn), after the function's policies.
	if ev := props.get("Events"); ev != nil && ev.kind == mapNode {
		seen := map[string]bool{}
		for _, e := range ev.fields {
			if name := samPullPolicy(e.val.get("Type").scalar()); name != "" && !seen[name] {
				seen[name] = true
				managed = append(managed, subAt("arn:${AWS::Partition}:iam::aws:policy/service-role/"+name, e.line))
			}
		}
	}
	trust := mapOf(line, "Version", "2012-10-17", "Statement", listAt([]*node{mapOf(line,
		"Action", listAt([]*node{scalarAt("sts:AssumeRole", line)}, line),
		"Effect", "Allow",
		"Principal", mapOf(line, "Service", listAt([]*node{scalarAt("lambda.amazonaws.com", line)}, line)))}, line))
	role := mapOf(line, "AssumeRolePolicyDocument", trust, "ManagedPolicyArns", listAt(managed, line))
	if len(inline) > 0 {
		role.fields = append(role.fields, field{key: "Policies", line: line, val: listAt(inline, line)})
	}
	if pb := props.get("PermissionsBoundary"); pb != nil {
		role.fields = append(role.fields, field{key: "PermissionsBoundary", line: pb.line, val: pb})
	}
	if rp := props.get("RolePath"); rp != nil {
		role.fields = append(role.fields, field{key: "Path", line: rp.line, val: rp})
	}
	role.fields = append(role.fields, field{key: "Tags", line: line, val: listAt([]*node{mapOf(line, "Key", "lambda:createdBy", "Value", "SAM")}, line)})
	return role
}

// samEvent returns the resources of one of a function's events: a
// Schedule's or an EventBridgeRule's rule and its permission.
func samEvent(id string, e field, r *node) []field {
	ev := e.val
	typ := ev.get("Type").scalar()
	p := ev.get("Properties")
	line := e.line
	cond := &node{kind: mapNode, line: r.line}
	for _, f := range r.fields {
		if f.key == "Condition" {
			cond.fields = append(cond.fields, f)
		}
	}
	switch typ {
	case "Schedule", "EventBridgeRule", "CloudWatchEvent":
	case "SQS", "Kinesis", "DynamoDB", "MSK", "MQ", "SelfManagedKafka", "DocumentDB":
		return []field{{key: id + e.key, line: line, val: samResource(cond, "AWS::Lambda::EventSourceMapping", samEventSourceMapping(id, typ, p, line))}}
	case "SNS":
		sub := mapOf(line, "Protocol", "lambda", "Endpoint", getAttAt(id, "Arn", line), "TopicArn", p.get("Topic"),
			"FilterPolicy", p.get("FilterPolicy"), "FilterPolicyScope", p.get("FilterPolicyScope"), "Region", p.get("Region"))
		return []field{
			{key: id + e.key, line: line, val: samResource(cond, "AWS::SNS::Subscription", sub)},
			{key: id + e.key + "Permission", line: line, val: samResource(cond, "AWS::Lambda::Permission", mapOf(line,
				"Action", "lambda:InvokeFunction", "FunctionName", mapOf(line, "Ref", id), "Principal", "sns.amazonaws.com",
				"SourceArn", p.get("Topic")))},
		}
	case "S3":
		// The bucket's notification configuration: samS3Notifications.
		return []field{{key: id + e.key + "Permission", line: line, val: samResource(cond, "AWS::Lambda::Permission", mapOf(line,
			"Action", "lambda:InvokeFunction", "FunctionName", mapOf(line, "Ref", id), "Principal", "s3.amazonaws.com",
			"SourceAccount", mapOf(line, "Ref", "AWS::AccountId")))}}
	case "HttpApi":
		if api := p.get("ApiId"); api != nil {
			a := samAPIEvent{fn: id, event: e.key, line: line}
			perm := samAPIPermission(a, api)
			return []field{{key: id + e.key + "Permission", line: line, val: samResource(cond, "AWS::Lambda::Permission", perm)}}
		}
		return nil
	default:
		return nil
	}
	ruleID := id + e.key
	target := mapOf(line, "Arn", getAttAt(id, "Arn", line), "Id", ruleID+"LambdaTarget")
	if in := p.get("Input"); in != nil {
		target.fields = append(target.fields, field{key: "Input", line: in.line, val: in})
	}
	rule := &node{kind: mapNode, line: line}
	for _, f := range p.fields {
		switch f.key {
		case "Schedule":
			rule.fields = append(rule.fields, field{key: "ScheduleExpression", line: f.line, val: f.val})
		case "Pattern":
			rule.fields = append(rule.fields, field{key: "EventPattern", line: f.line, val: f.val})
		case "EventBusName", "Description", "Name", "State":
			rule.fields = append(rule.fields, f)
		case "Enabled":
			state := "ENABLED"
			if f.val.scalar() == "false" {
				state = "DISABLED"
			}
			rule.fields = append(rule.fields, field{key: "State", line: f.line, val: scalarAt(state, f.line)})
		}
	}
	rule.fields = append(rule.fields, field{key: "Targets", line: line, val: listAt([]*node{target}, line)})
	perm := mapOf(line, "Action", "lambda:InvokeFunction", "FunctionName", mapOf(line, "Ref", id),
		"Principal", "events.amazonaws.com", "SourceArn", getAttAt(ruleID, "Arn", line))
	return []field{
		{key: ruleID, line: line, val: samResource(cond, "AWS::Events::Rule", rule)},
		{key: ruleID + "Permission", line: line, val: samResource(cond, "AWS::Lambda::Permission", perm)},
	}
}

// samAPIEvent is a function's Api or HttpApi event on SAM's implicit API.
type samAPIEvent struct {
	fn, event, path, method string
	line                    int
}

// samImplicitAPIs returns the implicit APIs SAM makes for the functions'
// Api events without RestApiId (ServerlessRestApi: an
// AWS::ApiGateway::RestApi whose Body is the events' paths, its
// deployment ServerlessRestApiDeployment<hash> and its stage
// ServerlessRestApiProdStage, "Prod") and HttpApi events without ApiId
// (ServerlessHttpApi, an AWS::ApiGatewayV2::Api, and its $default stage
// ServerlessHttpApiApiGatewayDefaultStage), each event with its
// AWS::Lambda::Permission for apigateway.amazonaws.com
// (<fn><event>PermissionProd, <fn><event>Permission). Templates read
// them (!Sub "https://${ServerlessRestApi}.execute-api…/Prod/hello/").
// API Gateway is not modeled: they are placeholders. A template that
// declares a resource of that name keeps its own.
func samImplicitAPIs(res, globals, out *node) []field {
	var rest, httpAPIs []samAPIEvent
	for _, f := range res.fields {
		r := f.val
		if r.get("Type").scalar() != "AWS::Serverless::Function" {
			continue
		}
		ev := mergeGlobals(r.get("Properties"), globals).get("Events")
		if ev == nil || ev.kind != mapNode {
			continue
		}
		for _, e := range ev.fields {
			p := e.val.get("Properties")
			a := samAPIEvent{fn: f.key, event: e.key, path: p.get("Path").scalar(), method: strings.ToLower(p.get("Method").scalar()), line: e.line}
			switch e.val.get("Type").scalar() {
			case "Api":
				if p.get("RestApiId") == nil {
					rest = append(rest, a)
				}
			case "HttpApi":
				if p == nil || p.get("ApiId") == nil {
					httpAPIs = append(httpAPIs, a)
				}
			}
		}
	}
	var fields []field
	line := res.line
	if len(rest) > 0 && out.get("ServerlessRestApi") == nil {
		paths := &node{kind: mapNode, line: line}
		var sig strings.Builder
		for _, a := range rest {
			method := a.method
			if method == "any" {
				method = "x-amazon-apigateway-any-method"
			}
			uri := subAt("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${"+a.fn+".Arn}/invocations", a.line)
			op := mapOf(a.line, method, mapOf(a.line, "x-amazon-apigateway-integration",
				mapOf(a.line, "httpMethod", "POST", "type", "aws_proxy", "uri", uri), "responses", mapOf(a.line)))
			if p := paths.get(a.path); p != nil {
				p.fields = append(p.fields, op.fields...)
			} else {
				paths.fields = append(paths.fields, field{key: a.path, line: a.line, val: op})
			}
			sig.WriteString(a.fn + a.path + method)
		}
		body := mapOf(line, "swagger", "2.0", "info", mapOf(line, "version", "1.0", "title", mapOf(line, "Ref", "AWS::StackName")), "paths", paths)
		deployment := "ServerlessRestApiDeployment" + stableID(sig.String())
		fields = append(fields,
			field{key: "ServerlessRestApi", line: line, val: samTyped("AWS::ApiGateway::RestApi", mapOf(line, "Body", body), line)},
			field{key: deployment, line: line, val: samTyped("AWS::ApiGateway::Deployment",
				mapOf(line, "Description", "RestApi deployment", "RestApiId", mapOf(line, "Ref", "ServerlessRestApi"), "StageName", "Stage"), line)},
			field{key: "ServerlessRestApiProdStage", line: line, val: samTyped("AWS::ApiGateway::Stage",
				mapOf(line, "DeploymentId", mapOf(line, "Ref", deployment), "RestApiId", mapOf(line, "Ref", "ServerlessRestApi"), "StageName", "Prod"), line)})
		for _, a := range rest {
			fields = append(fields, field{key: a.fn + a.event + "PermissionProd", line: a.line, val: samTyped("AWS::Lambda::Permission",
				samAPIPermission(a, mapOf(a.line, "Ref", "ServerlessRestApi")), a.line)})
		}
	}
	if len(httpAPIs) > 0 && out.get("ServerlessHttpApi") == nil {
		body := mapOf(line, "openapi", "3.0.1", "info", mapOf(line, "version", "1.0", "title", mapOf(line, "Ref", "AWS::StackName")), "paths", mapOf(line))
		fields = append(fields,
			field{key: "ServerlessHttpApi", line: line, val: samTyped("AWS::ApiGatewayV2::Api", mapOf(line, "Body", body), line)},
			field{key: "ServerlessHttpApiApiGatewayDefaultStage", line: line, val: samTyped("AWS::ApiGatewayV2::Stage",
				mapOf(line, "ApiId", mapOf(line, "Ref", "ServerlessHttpApi"), "StageName", "$default", "AutoDeploy", "true"), line)})
		for _, a := range httpAPIs {
			fields = append(fields, field{key: a.fn + a.event + "Permission", line: a.line, val: samTyped("AWS::Lambda::Permission",
				samAPIPermission(a, mapOf(a.line, "Ref", "ServerlessHttpApi")), a.line)})
		}
	}
	return fields
}

// samAPIPermission lets API Gateway invoke an event's function.
func samAPIPermission(a samAPIEvent, api *node) *node {
	return mapOf(a.line, "Action", "lambda:InvokeFunction", "FunctionName", mapOf(a.line, "Ref", a.fn),
		"Principal", "apigateway.amazonaws.com",
		"SourceArn", mapOf(a.line, "Fn::Sub", listAt([]*node{
			scalarAt("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/*", a.line),
			mapOf(a.line, "__ApiId__", api, "__Stage__", "*")}, a.line)))
}

// samTyped is a resource of type typ with properties props.
func samTyped(typ string, props *node, line int) *node {
	return mapOf(line, "Type", typ, "Properties", props)
}

// stableID is ten hexadecimal digits of s's SHA-1, as SAM names a
// deployment by its API's definition [probable: SAM hashes the whole
// swagger document].
func stableID(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])[:10]
}

// samAliasID is the logical id of a function's AutoPublishAlias alias:
// the function's id, "Alias" and the alias's name without its
// non-alphanumeric characters.
func samAliasID(fn, alias string) string {
	var b strings.Builder
	for _, r := range alias {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return fn + "Alias" + b.String()
}

// samAliasRefs returns, for each function with an AutoPublishAlias in
// the transformed resources, what SAM's "<fn>.Alias" and "<fn>.Version"
// references name: the alias and the version it made.
func samAliasRefs(res *node) map[string]string {
	out := map[string]string{}
	if res == nil || res.kind != mapNode {
		return out
	}
	for _, f := range res.fields {
		switch f.val.get("Type").scalar() {
		case "AWS::Lambda::Alias":
			fn := f.val.get("Properties").get("FunctionName").get("Ref").scalar()
			if fn != "" && strings.HasPrefix(f.key, fn+"Alias") {
				out[fn+".Alias"] = f.key
			}
		case "AWS::Lambda::Version":
			fn := f.val.get("Properties").get("FunctionName").get("Ref").scalar()
			if fn != "" && strings.HasPrefix(f.key, fn+"Version") {
				out[fn+".Version"] = f.key
			}
		}
	}
	return out
}

// rewriteRefs returns n with each Ref to a name of refs (and each
// ${name} of an Fn::Sub string) turned to the resource refs names.
func rewriteRefs(n *node, refs map[string]string) *node {
	if n == nil {
		return nil
	}
	switch n.kind {
	case mapNode:
		out := *n
		out.fields = make([]field, len(n.fields))
		for i, f := range n.fields {
			switch {
			case f.key == "Ref" && f.val != nil && f.val.kind == scalarNode && refs[f.val.str] != "":
				f.val = scalarAt(refs[f.val.str], f.val.line)
			case f.key == "Fn::Sub" && f.val != nil && f.val.kind == scalarNode:
				f.val = scalarAt(subRefs(f.val.str, refs), f.val.line)
			case f.key == "Fn::Sub" && f.val != nil && f.val.kind == listNode && len(f.val.items) > 0 && f.val.items[0].kind == scalarNode:
				items := append([]*node{scalarAt(subRefs(f.val.items[0].str, refs), f.val.items[0].line)}, f.val.items[1:]...)
				f.val = listAt(items, f.val.line)
			default:
				f.val = rewriteRefs(f.val, refs)
			}
			out.fields[i] = f
		}
		return &out
	case listNode:
		out := *n
		out.items = make([]*node, len(n.items))
		for i, it := range n.items {
			out.items[i] = rewriteRefs(it, refs)
		}
		return &out
	}
	return n
}

func subRefs(s string, refs map[string]string) string {
	for from, to := range refs {
		s = strings.ReplaceAll(s, "${"+from+"}", "${"+to+"}")
	}
	return s
}

// samPullPolicy is the managed policy (under service-role/) SAM adds to a
// function's role for a pull event source of type typ ("" for none).
func samPullPolicy(typ string) string {
	switch typ {
	case "SQS":
		return "AWSLambdaSQSQueueExecutionRole"
	case "Kinesis":
		return "AWSLambdaKinesisExecutionRole"
	case "DynamoDB":
		return "AWSLambdaDynamoDBExecutionRole"
	case "MSK":
		return "AWSLambdaMSKExecutionRole"
	}
	return ""
}

// samEventSourceMapping is the AWS::Lambda::EventSourceMapping SAM makes
// of a pull event (SQS's Queue, Kinesis's and DynamoDB's Stream, MSK's
// Stream, …), its other properties passed as they are.
func samEventSourceMapping(fn, typ string, p *node, line int) *node {
	esm := mapOf(line, "FunctionName", mapOf(line, "Ref", fn))
	if p == nil || p.kind != mapNode {
		return esm
	}
	for _, f := range p.fields {
		switch f.key {
		case "Queue", "Stream", "Broker", "Cluster":
			esm.fields = append(esm.fields, field{key: "EventSourceArn", line: f.line, val: f.val})
		case "BatchSize", "Enabled", "StartingPosition", "StartingPositionTimestamp", "MaximumBatchingWindowInSeconds",
			"FilterCriteria", "FunctionResponseTypes", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds",
			"BisectBatchOnFunctionError", "ParallelizationFactor", "TumblingWindowInSeconds", "DestinationConfig",
			"ScalingConfig", "Topics", "Queues", "SourceAccessConfigurations", "KmsKeyArn", "MetricsConfig":
			esm.fields = append(esm.fields, f)
		}
	}
	return esm
}
