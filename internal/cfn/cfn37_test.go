package cfn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestRound37DeprecatedLambdaRuntime: a function of a runtime Lambda no
// longer creates fails the stack with Lambda's words, directly or through
// SAM's Globals; a current runtime, or one whose block date is not in the
// table, is a placeholder as before.
func TestRound37DeprecatedLambdaRuntime(t *testing.T) {
	for _, tc := range []struct {
		name, tpl, want string
	}{
		{"python3.7", `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.7, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: "def handler(e, c): pass"}}
`, "InvalidParameterValueException: The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. " +
			"We recommend you use the new runtime (python3.14) while creating or updating functions."},
		{"nodejs14.x from Globals", `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Runtime: nodejs14.x}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: index.handler, InlineCode: "exports.handler = async () => 1"}
`, "The runtime parameter of nodejs14.x is no longer supported"},
		{"nodejs22.x", `
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: nodejs22.x, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: {ZipFile: "exports.handler = 1"}}
`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := cfn.ParseTemplate("fn.yaml", []byte(tc.tpl))
			if err != nil {
				t.Fatal(err)
			}
			_, err = cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "fn"})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("deploy: %v", err)
				}
				return
			}
			var ce *cfn.Error
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if !errors.As(err, &ce) || ce.Resource != "Fn" {
				t.Errorf("err %#v, want the failure of resource Fn", err)
			}
		})
	}
}

// TestRound37IAMUser: with IAM to create it in, an AWS::IAM::User is a
// user of that IAM, with its inline policy and its access key; the
// analyzer (no IAM) skips it as before.
func TestRound37IAMUser(t *testing.T) {
	tmpl, err := cfn.ParseTemplate("user.yaml", []byte(`
Resources:
  User:
    Type: AWS::IAM::User
    Properties:
      UserName: deployer
      Policies:
        - PolicyName: ecs
          PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "ecs:*", Resource: "*"}]}
  Key:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: !Ref User}
Outputs:
  Arn: {Value: !GetAtt User.Arn}
  Key: {Value: !Ref Key}
`))
	if err != nil {
		t.Fatal(err)
	}
	e, global := cfn.NewEngine(), cfn.NewEngine()
	res, err := cfn.Deploy(e, tmpl, cfn.DeployOptions{StackName: "u", IAM: global})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range res.Outputs {
		out[o.Name] = o.Value
	}
	if out["Arn"] != "arn:aws:iam::123456789012:user/deployer" {
		t.Errorf("Arn output %q", out["Arn"])
	}
	var u *model.IAMUser
	global.Read(func(st *model.State) { u = st.IAMUsers["deployer"] })
	if u == nil || len(u.AccessKeys) != 1 || u.AccessKeys[0].ID != out["Key"] || u.InlinePolicies["ecs"] == "" {
		t.Fatalf("user %+v, outputs %v", u, out)
	}
	if err := cfn.DeleteResourcesWith(e, global, res.Resources); err != nil {
		t.Fatal(err)
	}
	global.Read(func(st *model.State) { u = st.IAMUsers["deployer"] })
	if u != nil {
		t.Errorf("user %+v outlived its stack", u)
	}

	res, err = cfn.Deploy(cfn.NewEngine(), tmpl, cfn.DeployOptions{StackName: "u"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 2 {
		t.Errorf("analyzer: skipped %+v, want the user and its key", res.Skipped)
	}
}
