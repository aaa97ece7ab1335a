package cfn_test

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// Load deploys a template; references to resources ecsnet does not model
// (IAM, logs) resolve to placeholders and are listed as skipped.
func ExampleLoad() {
	res, err := cfn.Load("../../examples/cfn/article.yaml", map[string]string{"InstanceType": "c5.large"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.StackName, res.PhysicalIDs["Cluster"], res.Outputs["ServiceArn"])
	for _, s := range res.Skipped {
		fmt.Printf("skipped %s (%s) at line %d\n", s.LogicalID, s.Type, s.Line)
	}
	_, err = cfn.Load("../../examples/cfn/article.yaml", map[string]string{"InstanceType": "t2.nano"})
	fmt.Println(err)
	// Output:
	// article demo arn:aws:ecs:us-east-1:123456789012:service/demo/web
	// skipped InstanceRole (AWS::IAM::Role) at line 123
	// skipped InstanceProfile (AWS::IAM::InstanceProfile) at line 134
	// ../../examples/cfn/article.yaml:15: Parameter 'InstanceType' must be one of AllowedValues
}
