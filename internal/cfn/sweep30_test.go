package cfn_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
	"github.com/ecsnet/ecsnet/internal/model"
)

func sweep30(name string) string { return filepath.Join("testdata", "sweep30", name) }

// TestSweep30InstanceGroupNamesWithSubnet: an AWS::EC2::Instance with a
// SubnetId and its groups under SecurityGroups fails as RunInstances
// fails it (InvalidParameterCombination "The parameter groupName cannot
// be used with the parameter subnet"; aws-cloudformation-templates#450,
// aws/aws-cli#5679), at the SecurityGroups line, and the rollback leaves
// nothing. Before round thirty ecsnet launched the instance with the
// group.
func TestSweep30InstanceGroupNamesWithSubnet(t *testing.T) {
	_, err := cfn.Load(sweep30("instance-group-names.yaml"), nil)
	if err == nil {
		t.Fatal("the template deployed; want RunInstances' InvalidParameterCombination")
	}
	for _, want := range []string{"instance-group-names.yaml:25:", "Bastion", "InvalidParameterCombination", "The parameter groupName cannot be used with the parameter subnet"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	tpl, err := cfn.ReadTemplate(sweep30("instance-group-names.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e := cfn.NewEngine()
	if _, err := cfn.Deploy(e, tpl, cfn.DeployOptions{}); err == nil {
		t.Fatal("Deploy: no error")
	}
	e.Read(func(st *model.State) {
		if len(st.Instances) != 0 || len(st.SecurityGroups) != 0 {
			t.Errorf("after the rollback: %d instances, %d security groups", len(st.Instances), len(st.SecurityGroups))
		}
	})
}

// TestSweep30NamespaceOverPrivateZone: a Cloud Map private DNS namespace
// named as a private hosted zone already associated with its VPC fails:
// Cloud Map cannot create its own zone beside it (Route 53's
// ConflictingDomainExists: "The VPC … has already been associated with the
// hosted zone … with the same domain name.", the operation's
// CANNOT_CREATE_HOSTED_ZONE), at the namespace's Name. Before round thirty
// ecsnet created the namespace, two private zones of one name in one VPC.
func TestSweep30NamespaceOverPrivateZone(t *testing.T) {
	_, err := cfn.Load(sweep30("namespace-over-zone.yaml"), nil)
	if err == nil {
		t.Fatal("the template deployed; want the namespace's operation to fail")
	}
	for _, want := range []string{"namespace-over-zone.yaml:28:", "Discovery", "has already been associated with the hosted zone", "with the same domain name."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
