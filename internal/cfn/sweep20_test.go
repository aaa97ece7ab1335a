package cfn_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

func sweep20(file string) string { return repoFile("internal/cfn/testdata/sweep20/" + file) }

// load20 deploys a round-twenty template, edited by the replacements
// old, new, ... (the fixes a user makes after each refusal), as `ecsnet
// check` does.
func load20(t *testing.T, eng *engine.Engine, file string, params map[string]string, edits ...string) (*cfn.Result, error) {
	t.Helper()
	body, err := os.ReadFile(sweep20(file))
	if err != nil {
		t.Fatal(err)
	}
	text := string(body)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("%s has no %q", file, edits[i])
		}
		text = strings.ReplaceAll(text, edits[i], edits[i+1])
	}
	tpl, err := cfn.ParseTemplate(sweep20(file), []byte(text))
	if err != nil {
		return nil, err
	}
	return cfn.LoadStacks([]cfn.StackInput{{Template: tpl, Name: "td", Parameters: params}},
		cfn.LoadOptions{Engine: eng, EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
}

// TestSweep20TaskDefinitionAcrossLaunchTypes follows a user through
// nathanpeck/ecs-patterns-vitepress's task-definition-across-ec2-and-fargate
// template, which AWS refuses four times: its parameters are under
// "Properties", their type is "string", its Fargate task has 128 MiB (ECS
// names the pair it refuses: before round twenty the sentence ended at
// "values."), and its EC2 service asks for a public IP.
func TestSweep20TaskDefinitionAcrossLaunchTypes(t *testing.T) {
	_, err := load20(t, nil, "td-across.yml", nil)
	if err == nil || !strings.Contains(err.Error(), "Template format error: Invalid template property or properties [Properties]") {
		t.Fatalf("as published: %v", err)
	}
	_, err = load20(t, nil, "td-across.yml", nil, "\nProperties:", "\nParameters:")
	if err == nil || !strings.Contains(err.Error(), "Template format error: Unrecognized parameter type: string") {
		t.Fatalf("Parameters: %v", err)
	}
	// on the chat's cluster and its public subnets
	base, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep20("sio-cluster.yml"), Name: "production"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"Cluster": base.Outputs["ClusterName"], "ServiceName": "nginx", "VpcId": base.Outputs["VPCId"],
		"SubnetOne": base.Outputs["PublicSubnetOne"], "SubnetTwo": base.Outputs["PublicSubnetTwo"]}
	_, err = load20(t, base.Engine, "td-across.yml", params, "\nProperties:", "\nParameters:", "Type: string", "Type: String")
	want := "ClientException: No Fargate configuration exists for given values: 256 CPU, 128 memory. See the Amazon ECS documentation for the valid values."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("String parameters: %v\nwant %s", err, want)
	}
	_, err = load20(t, base.Engine, "td-across.yml", params, "\nProperties:", "\nParameters:", "Type: string", "Type: String", "Memory: 128", "Memory: 512")
	if err == nil || !strings.Contains(err.Error(), "InvalidParameterException: Assign public IP is not supported for this launch type.") {
		t.Fatalf("512 MiB: %v", err)
	}
}

// TestSweep20SkippedResourceShapes: the socket.io chat's resources stack
// (nathanpeck/socket.io-chat-fargate) exports what ElastiCache, DynamoDB
// and OpenSearch Serverless resources return, which ecsnet does not model:
// Ref of a table is its TableName (before: a generated name), its
// StreamArn ends in "/stream/LABEL", a collection's Ref is its ID and its
// endpoint a URL (before: its Name for both), a Redis node's address a
// host name (before: the cluster's name).
func TestSweep20SkippedResourceShapes(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep20("sio-cluster.yml"), Name: "production"},
		{Path: sweep20("sio-resources.yml"), Name: "sio-resources"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	exports := map[string]string{}
	for _, st := range res.Stacks {
		for _, x := range st.Exports {
			exports[x.Name] = x.Value
		}
	}
	for name, want := range map[string]string{
		"production:UsersTable":                 `^production_Users$`,
		"production:MessagesTable":              `^production_Messages$`,
		"production:MessagesTableStreamArn":     `^arn:aws:dynamodb:us-east-1:\d{12}:table/production_Messages/stream/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$`,
		"production:MessagesCollectionEndpoint": `^https://[a-z0-9]{20}\.us-east-1\.aoss\.amazonaws\.com$`,
		"production:RedisEndpoint":              `^[a-z0-9-]+\.[a-z0-9]{6}\.0001\.use1\.cache\.amazonaws\.com$`,
	} {
		if !regexp.MustCompile(want).MatchString(exports[name]) {
			t.Errorf("%s = %q, want %s", name, exports[name], want)
		}
	}
}

// TestSweep20ChatService: the chat service on its cluster and resources
// loads; its target group's matcher wants 301 where the stand-in
// application answers 200, so its targets are unhealthy (the verdict the
// emulator's service events give too).
func TestSweep20ChatService(t *testing.T) {
	res, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep20("sio-cluster.yml"), Name: "production"},
		{Path: sweep20("sio-resources.yml"), Name: "sio-resources"}, {Path: sweep20("sio-chat-service.yml"), Name: "sio-chat"}},
		cfn.LoadOptions{EngineOptions: []engine.Option{engine.WithStartCheck(reach.StartCheck)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := errorFindings(res); !slices.Equal(got, []string{"ECS_TARGET_UNHEALTHY"}) {
		t.Errorf("findings = %v, want ECS_TARGET_UNHEALTHY", got)
	}
}

// TestSweep20WorkerParent: aws-samples/container-patterns' worker pattern,
// a SAM parent of three local applications, is refused where AWS refuses
// it: its capacity provider enables managed termination protection on a
// group whose new instances are not protected from scale-in. With the
// protection on, it loads without an error finding.
func TestSweep20WorkerParent(t *testing.T) {
	_, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep20("worker/parent.yml")}}, cfn.LoadOptions{})
	want := "The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled."
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("as published: %v", err)
	}
}

// TestSweep20DefaultActionExposure: laser's refarch service adds a rule
// "path-pattern /" at priority 2 to the chat cluster's listener, whose
// default action forwards to an empty target group. GET / matches the
// rule, so the default action is reached only by another path, and
// answers 503; exposure listed it as HTTP 200, having sent GET / (before
// round twenty). The template as published is refused first: its
// Command is a string, not a list.
func TestSweep20DefaultActionExposure(t *testing.T) {
	base, err := cfn.LoadStacks([]cfn.StackInput{{Path: sweep20("sio-cluster.yml"), Name: "production"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]string{"VPC": base.Outputs["VPCId"], "Listener": base.Outputs["HTTPListener"], "EnvironmentName": "demo",
		"Subnets": base.Outputs["PublicSubnetOne"] + "," + base.Outputs["PublicSubnetTwo"], "SecurityGroup": base.Outputs["FargateContainerSecurityGroup"],
		"DBURL": "postgres://db/app"}
	_, err = load20(t, base.Engine, "laser-service.yml", params)
	if err == nil || !strings.Contains(err.Error(), "#/ContainerDefinitions/0/Command: expected type: JSONArray, found: String") {
		t.Fatalf("as published: %v", err)
	}
	// a new base: the refused load left what it created in the engine
	base, err = cfn.LoadStacks([]cfn.StackInput{{Path: sweep20("sio-cluster.yml"), Name: "production"}}, cfn.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := load20(t, base.Engine, "laser-service.yml", params, "Command: server", "Command: [server]")
	if err != nil {
		t.Fatal(err)
	}
	st, _ := res.Engine.Snapshot()
	got := map[string]string{}
	for _, e := range reach.Exposure(reach.Compile(st)).Entries {
		if e.Kind == "load-balancer" {
			got[e.Rule] = string(e.Verdict) + " " + e.Request
		}
	}
	def, rule := got["the default action"], got["rule 2 [path-pattern /]"]
	if !strings.HasPrefix(def, "http 503 GET ") || strings.HasSuffix(def, ".com/") {
		t.Errorf("the default action: %q, want HTTP 503 for a path no rule matches (entries %q)", def, got)
	}
	if !strings.HasPrefix(rule, "http 200 GET ") || !strings.HasSuffix(rule, "/") {
		t.Errorf("rule 2: %q, want HTTP 200 for GET / (entries %q)", rule, got)
	}
}
