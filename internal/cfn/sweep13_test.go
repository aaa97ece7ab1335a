package cfn_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

// TestSweepServerless: a template with AWS SAM's transform is read, its
// Globals accepted and its AWS::Serverless::Application deployed as the
// nested stack SAM makes of it, so Fn::GetAtt App.Outputs.X reads the
// nested template's outputs; the function completes as a placeholder.
func TestSweepServerless(t *testing.T) {
	s, st, err := deploySweep(t, "sam/app.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	vpc := model.VpcID(output(t, s, "VpcId"))
	if st.VPCs[vpc] == nil || st.VPCs[vpc].CIDR.String() != "10.9.0.0/16" {
		t.Fatalf("Net.Outputs.VpcId = %q: not the nested stack's VPC 10.9.0.0/16 (the application's Parameters passed on)", vpc)
	}
	sub := st.Subnets[model.SubnetID(output(t, s, "SubnetId"))]
	if sub == nil || sub.CIDR.String() != "10.9.0.0/24" {
		t.Errorf("Net.Outputs.SubnetId: %+v, want the nested stack's 10.9.0.0/24", sub)
	}
	var inVPC bool
	for _, g := range st.SecurityGroups {
		if g.Description == "in the application's VPC" {
			inVPC = g.VpcID == vpc
		}
	}
	if !inVPC {
		t.Error("the group naming Net.Outputs.VpcId is not in the nested stack's VPC")
	}
	var nested bool
	for _, n := range s.Nested {
		nested = nested || n.LogicalID == "Net"
	}
	if !nested {
		t.Errorf("no nested stack Net: %+v", s.Nested)
	}
}

// TestSweepGlobalsNeedSAM: Globals is a section only under SAM's
// transform; without it CloudFormation refuses the template.
func TestSweepGlobalsNeedSAM(t *testing.T) {
	_, err := cfn.ParseTemplate("t.yaml", []byte("Globals:\n  Function: {Timeout: 3}\nResources:\n  T: {Type: AWS::SNS::Topic}\n"))
	if err == nil || !strings.Contains(err.Error(), "Invalid template property or properties [Globals]") {
		t.Fatalf("err = %v, want Invalid template property or properties [Globals]", err)
	}
}

// TestSweepECRRepositoryName: a repository without RepositoryName gets a
// generated name in lowercase, as ECR requires, so an image named after
// its RepositoryUri is a valid reference.
func TestSweepECRRepositoryName(t *testing.T) {
	s, _, err := deploySweep(t, "sam/app.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	name := output(t, s, "RepoName")
	if !regexp.MustCompile(`^sweep-repo-[a-z0-9]+$`).MatchString(name) {
		t.Errorf("Ref of the repository = %q, want a lowercase generated name", name)
	}
	if uri := output(t, s, "RepoUri"); uri != "123456789012.dkr.ecr.us-east-1.amazonaws.com/"+name {
		t.Errorf("RepositoryUri = %q", uri)
	}
}
