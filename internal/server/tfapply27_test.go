package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// TestTFApply27PortMappingProtocol: a port mapping's protocol is the
// transport, tcp or udp; "http" (an appProtocol, written where the
// protocol goes, as the Terraform provider passes it on) is refused with
// ClientException in the words of the ECS console, naming the container,
// and nothing is registered. ecsnet said "Invalid protocol http. Valid
// values are: tcp, udp.", a text of its own.
func TestTFApply27PortMappingProtocol(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("api"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("api"), Image: aws.String("httpd"), Memory: aws.Int32(256),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080), Protocol: ecstypes.TransportProtocol("http")}}}}})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "ClientException" ||
		ae.ErrorMessage() != "Valid values for portMapping protocol are tcp and udp. Please fix it for the containerDefinition=api" {
		t.Fatalf("err = %v", err)
	}
	list, err := c.ecs.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{})
	if err != nil || len(list.TaskDefinitionArns) != 0 {
		t.Errorf("registered: %v %v", list, err)
	}
	// appProtocol http beside protocol tcp is what was meant.
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("api"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("api"), Image: aws.String("httpd"), Memory: aws.Int32(256),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080), Protocol: ecstypes.TransportProtocolTcp,
				AppProtocol: ecstypes.ApplicationProtocolHttp, Name: aws.String("api")}}}}})
	if err != nil {
		t.Fatal(err)
	}
}
