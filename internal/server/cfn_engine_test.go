package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// refusal is a template CloudFormation's validation refuses, with the
// parameters it is given, and the ValidationError's message.
type refusal struct {
	name, body string
	params     []types.Parameter
	msg        string
}

// templateRefusals are the templates TestCloudFormationTemplateRefusals
// and TestCloudFormationUpdateRefusals offer.
func templateRefusals() []refusal {
	const option = `Parameters:
  OptionParameter:
    Type: String
    AllowedValues: [option-a, option-b]
Conditions:
  ShouldCreateTopic: !Equals [!Ref OptionParameter, option-a]
`
	optionB := []types.Parameter{{ParameterKey: aws.String("OptionParameter"), ParameterValue: aws.String("option-b")}}
	mapping := func(m string) string {
		return `Parameters:
  Selector: {Type: String}
  Suffix: {Type: String, Default: x}
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !FindInMap [TopicSuffixMap, !Ref Selector, Suffix]
Mappings:
  TopicSuffixMap:
` + m
	}
	selector := func(v string) []types.Parameter {
		return []types.Parameter{{ParameterKey: aws.String("Selector"), ParameterValue: aws.String(v)}}
	}
	return []refusal{
		{"ref to nothing", `{"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Name": {"Ref": "InvalidRef"}}}}}`, nil,
			"Template format error: Unresolved resource dependencies [InvalidRef] in the Resources block of the template"},
		{"getatt to a resource its condition leaves out", option + `Resources:
  MyTopic:
    Type: AWS::SNS::Topic
    Condition: ShouldCreateTopic
  MySsmParam:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !GetAtt MyTopic.TopicName}
`, optionB, "Template format error: Unresolved resource dependencies [MyTopic] in the Resources block of the template"},
		{"ref to a resource its condition leaves out", option + `Resources:
  MyTopic:
    Type: AWS::SNS::Topic
    Condition: ShouldCreateTopic
  MySsmParam:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref MyTopic}
`, optionB, "Template format error: Unresolved resource dependencies [MyTopic] in the Resources block of the template"},
		{"output of a resource its condition leaves out", option + `Resources:
  MyTopic:
    Type: AWS::SNS::Topic
    Condition: ShouldCreateTopic
Outputs:
  TopicRef:
    Value: !Ref MyTopic
`, optionB, "Unresolved resource dependencies [MyTopic] in the Outputs block of the template"},
		{"missing mapping key", mapping("    A: {Suffix: a}\n"), selector("C"), "Template error: Unable to get mapping for TopicSuffixMap::C::Suffix"},
		{"missing mapping key, resource not modeled", `Parameters:
  Selector: {Type: String}
Resources:
  MyTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !FindInMap [TopicSuffixMap, !Ref Selector, Suffix]
Mappings:
  TopicSuffixMap:
    A: {Suffix: a}
`, selector("C"), "Template error: Unable to get mapping for TopicSuffixMap::C::Suffix"},
		{"mapping attribute is a Ref", mapping("    A: {Suffix: !Ref Suffix}\n    B: {Suffix: b}\n"), selector("C"),
			"Template format error: Every Mappings attribute must be a String or a List."},
		{"mapping three levels deep", mapping("    A:\n      Suffix: {SuffixValue: a}\n"), selector("A"),
			"Template format error: Every Mappings attribute must be a String or a List."},
		{"mapping one level deep", mapping("    A: suffix-a\n"), selector("A"), "Template format error: Every Mappings member A must be a map"},
		{"transform name from a Ref", `Parameters:
  MacroName: {Type: String}
Resources:
  Parameter:
    Type: AWS::SSM::Parameter
    Properties: {Value: x, Type: String}
Transform:
  - Name:
      Ref: MacroName
`, []types.Parameter{{ParameterKey: aws.String("MacroName"), ParameterValue: aws.String("NonExistent")}},
			"Key Name of transform definition must be a string."},
	}
}

// TestCloudFormationTemplateRefusals: what CloudFormation's validation of a
// template, with the stack's parameters and conditions, refuses before it
// creates anything: CreateChangeSet and CreateStack answer a
// ValidationError (LocalStack's engine tests, recorded against AWS:
// test_references, test_conditions, test_mappings, test_template_engine).
func TestCloudFormationTemplateRefusals(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	for _, tc := range templateRefusals() {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
				StackName: aws.String("refused"), ChangeSetName: aws.String("initial"), ChangeSetType: types.ChangeSetTypeCreate,
				TemplateBody: aws.String(tc.body), Parameters: tc.params,
			})
			wantAPIError(t, err, "ValidationError", tc.msg)
			_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{
				StackName: aws.String("refused"), TemplateBody: aws.String(tc.body), Parameters: tc.params,
			})
			wantAPIError(t, err, "ValidationError", tc.msg)
		})
	}
	// Nothing was created: the stack does not exist.
	_, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("refused")})
	wantAPIError(t, err, "ValidationError", "Stack with id refused does not exist")
}

// TestCloudFormationUpdateRefusals: UpdateStack and an UPDATE change set
// go through the same validation of the new template as CreateStack:
// CloudFormation refuses the request with the same ValidationError, and
// the stack is left as it was (no events, its template and resources
// kept, no change set). A failing Rules assertion likewise.
func TestCloudFormationUpdateRefusals(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	const base = `Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: base}
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("kept"), TemplateBody: aws.String(base)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, types.StackStatusCreateComplete)
	events := len(stackEventsOf(t, cf, id))
	cases := append(templateRefusals(), refusal{"rule assertion", `Parameters:
  Env: {Type: String}
Rules:
  ProdOnly:
    Assertions:
      - Assert: !Equals [!Ref Env, prod]
        AssertDescription: Env must be prod
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: !Ref Env}
`, []types.Parameter{{ParameterKey: aws.String("Env"), ParameterValue: aws.String("test")}}, "Env must be prod"},
		refusal{"depends on nothing", `Resources:
  Param:
    Type: AWS::SSM::Parameter
    DependsOn: Missing
    Properties: {Type: String, Value: base}
`, nil, "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{
				StackName: aws.String("kept"), TemplateBody: aws.String(tc.body), Parameters: tc.params,
			})
			wantAPIError(t, err, "ValidationError", tc.msg)
			_, err = cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
				StackName: aws.String("kept"), ChangeSetName: aws.String("refused"), ChangeSetType: types.ChangeSetTypeUpdate,
				TemplateBody: aws.String(tc.body), Parameters: tc.params,
			})
			wantAPIError(t, err, "ValidationError", tc.msg)
		})
	}
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(id)})
	must(t, err)
	if st := ds.Stacks[0].StackStatus; st != types.StackStatusCreateComplete {
		t.Errorf("stack %s after the refused updates, want CREATE_COMPLETE", st)
	}
	if got := stackEventsOf(t, cf, id); len(got) != events {
		t.Errorf("events after the refused updates: %v", got[events:])
	}
	tpl, err := cf.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(id)})
	must(t, err)
	if aws.ToString(tpl.TemplateBody) != base {
		t.Errorf("template after the refused updates: %s", aws.ToString(tpl.TemplateBody))
	}
	sets, err := cf.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: aws.String(id)})
	must(t, err)
	if len(sets.Summaries) != 0 {
		t.Errorf("change sets after the refused updates: %d", len(sets.Summaries))
	}
}

// TestCloudFormationConditionsLeaveOut: resources whose condition is false
// are neither in a CREATE change set's Changes nor created, and a
// reference to one in the Fn::If branch not taken is fine; a stack whose
// conditions leave out every resource is created with none
// (test_conditions' recordings: test_nested_conditions,
// test_dependency_in_non_evaluated_if_branch).
func TestCloudFormationConditionsLeaveOut(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	body := `Parameters:
  EnvType: {Type: String, AllowedValues: [prod, test]}
  Fallback: {Type: String, Default: "true"}
Conditions:
  IsProduction: !Equals [!Ref EnvType, prod]
  UseFallback: !Equals ["true", !Ref Fallback]
  NoFallback: !Not [Condition: UseFallback]
Resources:
  ProdParam:
    Type: AWS::SSM::Parameter
    Condition: IsProduction
    Properties: {Type: String, Value: prod}
  FallbackParam:
    Type: AWS::SSM::Parameter
    Condition: UseFallback
    Properties: {Type: String, Value: FallbackParamValue}
  DefaultParam:
    Type: AWS::SSM::Parameter
    Condition: NoFallback
    Properties: {Type: String, Value: DefaultParamValue}
  Dependent:
    Type: AWS::SSM::Parameter
    Condition: IsProduction
    Properties:
      Type: String
      Value: !If [UseFallback, !GetAtt FallbackParam.Value, !GetAtt DefaultParam.Value]
Outputs:
  Value:
    Condition: IsProduction
    Value: !GetAtt Dependent.Value
`
	run := func(name, env, fallback string) (*cloudformation.DescribeChangeSetOutput, *cloudformation.DescribeStacksOutput, []types.StackResource) {
		t.Helper()
		cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
			StackName: aws.String(name), ChangeSetName: aws.String("initial"), ChangeSetType: types.ChangeSetTypeCreate,
			TemplateBody: aws.String(body), Parameters: []types.Parameter{
				{ParameterKey: aws.String("EnvType"), ParameterValue: aws.String(env)},
				{ParameterKey: aws.String("Fallback"), ParameterValue: aws.String(fallback)}},
		})
		must(t, err)
		dcs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
		must(t, err)
		_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
		must(t, err)
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: cs.StackId})
		must(t, err)
		dr, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: cs.StackId})
		must(t, err)
		return dcs, ds, dr.StackResources
	}
	changed := func(dcs *cloudformation.DescribeChangeSetOutput) []string {
		var ids []string
		for _, c := range dcs.Changes {
			ids = append(ids, aws.ToString(c.ResourceChange.LogicalResourceId))
		}
		return ids
	}

	dcs, ds, res := run("nothing", "test", "true")
	if got := changed(dcs); len(got) != 1 || got[0] != "FallbackParam" {
		t.Errorf("test, fallback: changes %v, want [FallbackParam]", got)
	}
	if len(res) != 1 || ds.Stacks[0].StackStatus != types.StackStatusCreateComplete || len(ds.Stacks[0].Outputs) != 0 {
		t.Errorf("test, fallback: %s with %d resources and outputs %v", ds.Stacks[0].StackStatus, len(res), ds.Stacks[0].Outputs)
	}

	dcs, ds, res = run("prod", "prod", "false")
	if got := changed(dcs); len(got) != 3 || got[0] != "ProdParam" || got[1] != "DefaultParam" || got[2] != "Dependent" {
		t.Errorf("prod, no fallback: changes %v, want [ProdParam DefaultParam Dependent]", got)
	}
	if len(res) != 3 || len(ds.Stacks[0].Outputs) != 1 || aws.ToString(ds.Stacks[0].Outputs[0].OutputValue) != "DefaultParamValue" {
		t.Errorf("prod, no fallback: %d resources, outputs %v", len(res), ds.Stacks[0].Outputs)
	}

	// Every resource left out: the stack is created, with none.
	empty := `Parameters:
  BucketName: {Type: String, Default: ""}
Conditions:
  CreateParam: !Not [!Equals [!Ref BucketName, ""]]
Resources:
  Param:
    Type: AWS::SSM::Parameter
    Condition: CreateParam
    Properties: {Type: String, Value: !Ref BucketName}
`
	cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: aws.String("empty"), ChangeSetName: aws.String("initial"), ChangeSetType: types.ChangeSetTypeCreate,
		TemplateBody: aws.String(empty)})
	must(t, err)
	dcs, err = cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	if len(dcs.Changes) != 0 || dcs.Status != types.ChangeSetStatusCreateComplete {
		t.Errorf("empty: change set %s with changes %v, want CREATE_COMPLETE and none", dcs.Status, changed(dcs))
	}
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	ds, err = cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: cs.StackId})
	must(t, err)
	dr, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: cs.StackId})
	must(t, err)
	if ds.Stacks[0].StackStatus != types.StackStatusCreateComplete || len(dr.StackResources) != 0 {
		t.Errorf("empty: %s with %d resources, want CREATE_COMPLETE with none", ds.Stacks[0].StackStatus, len(dr.StackResources))
	}
}

// TestCloudFormationRetainPolicies: DeletionPolicy and UpdateReplacePolicy
// given by an Fn::If or a Ref to a parameter; Retain keeps the resource
// when the stack is deleted, or when an update replaces it, with a
// DELETE_SKIPPED event and no DELETE_IN_PROGRESS (LocalStack's
// test_deletion_policy and test_update_policy, recorded against AWS).
func TestCloudFormationRetainPolicies(t *testing.T) {
	em := newEmulator(t, nil)
	cf, sm := cfnClient(em.URL), ssmClient(em.URL)
	exists := func(name string) bool {
		t.Helper()
		_, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)})
		if err != nil && apiCode(err) != "ParameterNotFound" {
			t.Fatal(err)
		}
		return err == nil
	}
	events := func(stack string) []string {
		t.Helper()
		ev, err := cf.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stack)})
		must(t, err)
		var out []string
		for i := len(ev.StackEvents) - 1; i >= 0; i-- {
			if e := ev.StackEvents[i]; aws.ToString(e.LogicalResourceId) == "MyParameter" {
				out = append(out, string(e.ResourceStatus))
			}
		}
		return out
	}
	deletion := `Parameters:
  EnvType: {Type: String, AllowedValues: [dev, prod]}
Conditions:
  IsPermanentEnvironment: !Equals [!Ref EnvType, prod]
Resources:
  MyParameter:
    Type: AWS::SSM::Parameter
    DeletionPolicy: !If [IsPermanentEnvironment, Retain, Delete]
    Properties: {Name: !Sub "param-${EnvType}", Type: String, Value: x}
`
	for _, env := range []string{"prod", "dev"} {
		st, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("del-" + env), TemplateBody: aws.String(deletion),
			Parameters: []types.Parameter{{ParameterKey: aws.String("EnvType"), ParameterValue: aws.String(env)}}})
		must(t, err)
		_, err = cf.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: st.StackId})
		must(t, err)
		got := strings.Join(events(aws.ToString(st.StackId)), " ")
		if env == "prod" {
			if !exists("param-prod") || got != "CREATE_IN_PROGRESS CREATE_IN_PROGRESS CREATE_COMPLETE DELETE_SKIPPED" {
				t.Errorf("Retain: parameter kept %v, events %s", exists("param-prod"), got)
			}
		} else if exists("param-dev") || got != "CREATE_IN_PROGRESS CREATE_IN_PROGRESS CREATE_COMPLETE DELETE_IN_PROGRESS DELETE_COMPLETE" {
			t.Errorf("Delete: parameter kept %v, events %s", exists("param-dev"), got)
		}
	}

	replace := `Parameters:
  ParameterName: {Type: String}
  PolicyType: {Type: String}
Resources:
  MyParameter:
    Type: AWS::SSM::Parameter
    Properties: {Name: !Ref ParameterName, Type: String, Value: x}
    UpdateReplacePolicy: !Ref PolicyType
`
	params := func(name, policy string) []types.Parameter {
		return []types.Parameter{{ParameterKey: aws.String("ParameterName"), ParameterValue: aws.String(name)},
			{ParameterKey: aws.String("PolicyType"), ParameterValue: aws.String(policy)}}
	}
	for _, policy := range []string{"Retain", "Delete"} {
		stack := "replace-" + policy
		_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(replace),
			Parameters: params(stack+"-1", policy)})
		must(t, err)
		_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(stack), TemplateBody: aws.String(replace),
			Parameters: params(stack+"-2", policy)})
		must(t, err)
		ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
		must(t, err)
		if s := ds.Stacks[0].StackStatus; s != types.StackStatusUpdateComplete {
			t.Fatalf("%s: update %s (%s)", policy, s, aws.ToString(ds.Stacks[0].StackStatusReason))
		}
		last := events(stack)
		if !exists(stack+"-2") || exists(stack+"-1") != (policy == "Retain") {
			t.Errorf("%s: new parameter %v, old one kept %v", policy, exists(stack+"-2"), exists(stack+"-1"))
		}
		want := map[string]string{"Retain": "DELETE_SKIPPED", "Delete": "DELETE_COMPLETE"}[policy]
		if last[len(last)-1] != want {
			t.Errorf("%s: events %v, want the old one %s", policy, last, want)
		}
	}
}

// TestCloudFormationDynamicSSMReferences: {{resolve:ssm:name}} and
// {{resolve:ssm:name:version}} in a resource's properties read Parameter
// Store (the latest version, or the one given), also when an Fn::Join
// builds the reference (LocalStack's test_resolve_ssm and
// test_resolve_ssm_with_version, recorded against AWS, build it so).
func TestCloudFormationDynamicSSMReferences(t *testing.T) {
	em := newEmulator(t, nil)
	cf, sm := cfnClient(em.URL), ssmClient(em.URL)
	for _, v := range []string{"v1", "v2", "v3"} {
		_, err := sm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/src"), Value: aws.String(v), Type: "String", Overwrite: aws.Bool(true)})
		must(t, err)
	}
	body := `Parameters:
  Source: {Type: String}
Resources:
  Latest:
    Type: AWS::SSM::Parameter
    Properties: {Type: String, Value: "{{resolve:ssm:/app/src}}"}
  Second:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !Join ["", ["at ", "{{resolve:ssm:", !Ref Source, ":2}}", "!"]]
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Join ["", ["{{resolve:ssm:", !Ref Source, "}}"]]
Outputs:
  Latest: {Value: !GetAtt Latest.Value}
  Second: {Value: !GetAtt Second.Value}
  TopicName: {Value: !GetAtt Topic.TopicName}
`
	_, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("dyn"), TemplateBody: aws.String(body),
		Parameters: []types.Parameter{{ParameterKey: aws.String("Source"), ParameterValue: aws.String("/app/src")}}})
	must(t, err)
	ds, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("dyn")})
	must(t, err)
	out := map[string]string{}
	for _, o := range ds.Stacks[0].Outputs {
		out[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	// (An SNS topic is not modeled: its placeholder is named as
	// CloudFormation would name the topic.)
	if ds.Stacks[0].StackStatus != types.StackStatusCreateComplete || out["Latest"] != "v3" || out["Second"] != "at v2!" || out["TopicName"] != "v3" {
		t.Errorf("stack %s, outputs %v; want Latest v3, Second \"at v2!\", TopicName v3", ds.Stacks[0].StackStatus, out)
	}
	// A parameter Parameter Store does not hold fails the resource.
	_, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("missing"), TemplateBody: aws.String(
		"Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: \"{{resolve:ssm:/nope}}\"}\n")})
	must(t, err)
	ds, err = cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("missing")})
	must(t, err)
	if ds.Stacks[0].StackStatus != types.StackStatusRollbackComplete {
		t.Errorf("missing parameter: stack %s, want ROLLBACK_COMPLETE", ds.Stacks[0].StackStatus)
	}
}

// TestCloudFormationRollbackRetains: the rollback of a failed create or
// update keeps what the operation created with DeletionPolicy Retain (a
// single DELETE_SKIPPED event), deletes what has RetainExceptOnCreate or
// no policy; the operation's RetainExceptOnCreate deletes Retain ones too.
func TestCloudFormationRollbackRetains(t *testing.T) {
	em := newEmulator(t, nil)
	cf, sm := cfnClient(em.URL), ssmClient(em.URL)
	exists := func(name string) bool {
		t.Helper()
		_, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name)})
		if err != nil && apiCode(err) != "ParameterNotFound" {
			t.Fatal(err)
		}
		return err == nil
	}
	eventsOf := func(id, logical string) string {
		t.Helper()
		var out []string
		for _, e := range stackEventsOf(t, cf, id) {
			if rest, ok := strings.CutPrefix(e, logical+" "); ok {
				out = append(out, strings.TrimSpace(strings.Fields(rest)[0]))
			}
		}
		return strings.Join(out, " ")
	}
	// The three parameters are created, then the subnet fails (its VPC
	// does not exist) and the stack rolls back.
	body := func(prefix string) string {
		return `Resources:
  Kept:
    Type: AWS::SSM::Parameter
    DeletionPolicy: Retain
    Properties: {Name: ` + prefix + `-kept, Type: String, Value: x}
  ExceptOnCreate:
    Type: AWS::SSM::Parameter
    DeletionPolicy: RetainExceptOnCreate
    Properties: {Name: ` + prefix + `-except, Type: String, Value: x}
  Plain:
    Type: AWS::SSM::Parameter
    Properties: {Name: ` + prefix + `-plain, Type: String, Value: x}
  Bad:
    Type: AWS::EC2::Subnet
    DependsOn: [Kept, ExceptOnCreate, Plain]
    Properties: {VpcId: vpc-0123456789abcdef0, CidrBlock: 10.0.0.0/24}
`
	}
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rb-create"), TemplateBody: aws.String(body("c"))})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, types.StackStatusRollbackComplete)
	if !exists("c-kept") || exists("c-except") || exists("c-plain") {
		t.Errorf("create rollback: kept %v, except-on-create %v, plain %v; want only the Retain one", exists("c-kept"), exists("c-except"), exists("c-plain"))
	}
	if got := eventsOf(id, "Kept"); got != "CREATE_IN_PROGRESS CREATE_IN_PROGRESS CREATE_COMPLETE DELETE_SKIPPED" {
		t.Errorf("create rollback: Kept's events %s", got)
	}
	if got := eventsOf(id, "ExceptOnCreate"); got != "CREATE_IN_PROGRESS CREATE_IN_PROGRESS CREATE_COMPLETE DELETE_IN_PROGRESS DELETE_COMPLETE" {
		t.Errorf("create rollback: ExceptOnCreate's events %s", got)
	}
	res, err := cf.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{StackName: aws.String(id), LogicalResourceId: aws.String("Kept")})
	must(t, err)
	if st := res.StackResourceDetail.ResourceStatus; st != types.ResourceStatusDeleteSkipped {
		t.Errorf("create rollback: Kept is %s, want DELETE_SKIPPED", st)
	}

	// RetainExceptOnCreate on the request: nothing is kept.
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rb-except"), TemplateBody: aws.String(body("e")),
		RetainExceptOnCreate: aws.Bool(true)})
	must(t, err)
	waitStack(t, cf, aws.ToString(out.StackId), types.StackStatusRollbackComplete)
	if exists("e-kept") || exists("e-except") || exists("e-plain") {
		t.Errorf("create rollback with RetainExceptOnCreate: kept %v, except-on-create %v, plain %v; want none", exists("e-kept"), exists("e-except"), exists("e-plain"))
	}

	// An update that adds them and fails.
	out, err = cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("rb-update"), TemplateBody: aws.String(`Resources:
  Base:
    Type: AWS::SSM::Parameter
    Properties: {Name: u-base, Type: String, Value: x}
`)})
	must(t, err)
	id = aws.ToString(out.StackId)
	waitStack(t, cf, id, types.StackStatusCreateComplete)
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), TemplateBody: aws.String(body("u") + `  Base:
    Type: AWS::SSM::Parameter
    Properties: {Name: u-base, Type: String, Value: x}
`)})
	must(t, err)
	waitStack(t, cf, id, types.StackStatusUpdateRollbackComplete)
	if !exists("u-kept") || exists("u-except") || exists("u-plain") || !exists("u-base") {
		t.Errorf("update rollback: kept %v, except-on-create %v, plain %v, base %v; want the Retain one and the base", exists("u-kept"), exists("u-except"), exists("u-plain"), exists("u-base"))
	}
	if got := eventsOf(id, "Kept"); got != "CREATE_IN_PROGRESS CREATE_IN_PROGRESS CREATE_COMPLETE DELETE_SKIPPED" {
		t.Errorf("update rollback: Kept's events %s", got)
	}
	ids := stackPhysicalIDs(t, cf, id)
	if _, ok := ids["Kept"]; ok || len(ids) != 1 {
		t.Errorf("update rollback: the stack's resources %v, want Base only", ids)
	}
}

// TestCloudFormationUnsupportedAttribute: an Fn::GetAtt of an attribute
// the resource's type does not have is accepted (CreateChangeSet,
// CreateStack), then the stack fails before anything is created: no
// resource events, the stack's ROLLBACK_IN_PROGRESS "[Error]
// /Outputs/InvalidOutput/Value/Fn::GetAtt: Resource type
// AWS::SSM::Parameter does not support attribute {Invalid}. Rollback
// requested by user.", ROLLBACK_COMPLETE (test_attributes'
// test_invalid_getatt_fails, recorded against AWS). An update whose new
// template does so rolls back the same way, with the stack unchanged.
func TestCloudFormationUnsupportedAttribute(t *testing.T) {
	em := newEmulator(t, nil)
	cf, sm := cfnClient(em.URL), ssmClient(em.URL)
	const body = `Resources:
  MyResource:
    Type: AWS::SSM::Parameter
    DeletionPolicy: Retain
    Properties: {Name: getatt-invalid, Type: String, Value: unimportant}
Outputs:
  InvalidOutput:
    Value: !GetAtt MyResource.Invalid
`
	cs, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("getatt"), ChangeSetName: aws.String("initial"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateBody: aws.String(body)})
	must(t, err)
	_, err = cf.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	waitStack(t, cf, aws.ToString(cs.StackId), types.StackStatusRollbackComplete)
	want := []string{
		"getatt REVIEW_IN_PROGRESS User Initiated",
		"getatt CREATE_IN_PROGRESS User Initiated",
		"getatt ROLLBACK_IN_PROGRESS [Error] /Outputs/InvalidOutput/Value/Fn::GetAtt: Resource type AWS::SSM::Parameter does not support attribute {Invalid}. Rollback requested by user.",
		"getatt ROLLBACK_COMPLETE ",
	}
	if got := stackEventsOf(t, cf, aws.ToString(cs.StackId)); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := sm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("getatt-invalid")}); apiCode(err) != "ParameterNotFound" {
		t.Errorf("the parameter after the failed create: %v, want ParameterNotFound", err)
	}
	dcs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
	must(t, err)
	if dcs.ExecutionStatus != types.ExecutionStatusExecuteFailed {
		t.Errorf("change set %s, want EXECUTE_FAILED", dcs.ExecutionStatus)
	}

	// In a resource's properties, on update.
	const base = `Resources:
  A:
    Type: AWS::SSM::Parameter
    Properties: {Name: getatt-a, Type: String, Value: a}
`
	out, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("getatt-upd"), TemplateBody: aws.String(base)})
	must(t, err)
	id := aws.ToString(out.StackId)
	waitStack(t, cf, id, types.StackStatusCreateComplete)
	n := len(stackEventsOf(t, cf, id))
	_, err = cf.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(id), TemplateBody: aws.String(base + `  B:
    Type: AWS::SSM::Parameter
    Properties: {Name: getatt-b, Type: String, Value: !GetAtt A.Nope}
`)})
	must(t, err)
	waitStack(t, cf, id, types.StackStatusUpdateRollbackComplete)
	want = []string{
		"getatt-upd UPDATE_IN_PROGRESS User Initiated",
		"getatt-upd UPDATE_ROLLBACK_IN_PROGRESS [Error] /Resources/B/Properties/Value/Fn::GetAtt: Resource type AWS::SSM::Parameter does not support attribute {Nope}.",
		"getatt-upd UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS ",
		"getatt-upd UPDATE_ROLLBACK_COMPLETE ",
	}
	if got := eventsSince(t, cf, id, n); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("update events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ids := stackPhysicalIDs(t, cf, id); len(ids) != 1 {
		t.Errorf("resources after the rolled-back update: %v", ids)
	}
}
