package server_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// TestTFApply28UpperCaseProtocol: TransportProtocol's values are "tcp" and
// "udp" (botocore's enum): "TCP", as some configurations write it, is
// refused as "http" is, with ClientException naming the container, and
// nothing is registered. ecsnet took it as tcp.
func TestTFApply28UpperCaseProtocol(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	for _, p := range []string{"TCP", "Udp"} {
		_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("dns"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("dns"), Image: aws.String("coredns"), Memory: aws.Int32(128),
				PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(53), Protocol: ecstypes.TransportProtocol(p)}}}}})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ClientException" ||
			ae.ErrorMessage() != "Valid values for portMapping protocol are tcp and udp. Please fix it for the containerDefinition=dns" {
			t.Fatalf("%s: err = %v", p, err)
		}
	}
	list, err := c.ecs.ListTaskDefinitions(ctx, &ecs.ListTaskDefinitionsInput{})
	if err != nil || len(list.TaskDefinitionArns) != 0 {
		t.Errorf("registered: %v %v", list, err)
	}
	_, err = c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("dns"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("dns"), Image: aws.String("coredns"), Memory: aws.Int32(128),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(53), Protocol: ecstypes.TransportProtocolUdp}}}}})
	if err != nil {
		t.Fatal(err)
	}
}
