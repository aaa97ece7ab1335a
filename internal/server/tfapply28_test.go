package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// TestTFApply28UpperCaseProtocol: a port mapping's protocol written "TCP"
// or "Udp", as some configurations and templates write it, is read as tcp
// and udp, and DescribeTaskDefinition answers the lower-case value
// [choice: docs/aws-behavior.md, round twenty-eight]; "http" stays refused.
func TestTFApply28UpperCaseProtocol(t *testing.T) {
	t.Parallel()
	em := newEmulator(t, nil)
	c := sdkClients(em.URL)
	for p, want := range map[string]ecstypes.TransportProtocol{"TCP": ecstypes.TransportProtocolTcp, "Udp": ecstypes.TransportProtocolUdp} {
		out, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("dns"),
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("dns"), Image: aws.String("coredns"), Memory: aws.Int32(128),
				PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(53), Protocol: ecstypes.TransportProtocol(p)}}}}})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if got := out.TaskDefinition.ContainerDefinitions[0].PortMappings[0].Protocol; got != want {
			t.Errorf("%s: protocol %q, want %q", p, got, want)
		}
	}
	_, err := c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("dns"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("dns"), Image: aws.String("coredns"), Memory: aws.Int32(128),
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(80), Protocol: ecstypes.TransportProtocol("http")}}}}})
	if err == nil {
		t.Error("protocol http: accepted")
	}
}
