package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// TestCloudFormationTaskDefinitionPlacementConstraints: a stack's
// AWS::ECS::TaskDefinition PlacementConstraints come back from
// DescribeTaskDefinition as placementConstraints, through the Go SDK.
func TestCloudFormationTaskDefinitionPlacementConstraints(t *testing.T) {
	em := newEmulator(t, nil)
	cf := cfnClient(em.URL)
	c := sdkClients(em.URL)
	created, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String("tdpc"), TemplateBody: aws.String(`
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: tdpc
      PlacementConstraints:
        - {Type: memberOf, Expression: "attribute:ecs.instance-type =~ t3.*"}
      ContainerDefinitions: [{Name: web, Image: nginx, Memory: 128}]
`)})
	must(t, err)
	waitStack(t, cf, aws.ToString(created.StackId), cfntypes.StackStatusCreateComplete)
	out, err := c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("tdpc")})
	must(t, err)
	pc := out.TaskDefinition.PlacementConstraints
	if len(pc) != 1 || pc[0].Type != "memberOf" || aws.ToString(pc[0].Expression) != "attribute:ecs.instance-type =~ t3.*" {
		t.Errorf("placementConstraints = %+v, want the template's memberOf", pc)
	}
}
