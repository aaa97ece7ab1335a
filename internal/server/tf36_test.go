package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// TestTF36ServiceConnectPerRequestTimeoutTCP: a Service Connect endpoint
// on a port mapping without appProtocol (TCP) takes an idle timeout but
// no per-request timeout, not even 0, which the Terraform provider sends
// with every timeout block ("perRequestTimeout can only be set if Service
// Connect appProtocol isn't TCP", TimeoutConfiguration; ECS's text as
// pulumi/pulumi-aws#4265 quotes it); an http port takes both.
func TestTF36ServiceConnectPerRequestTimeoutTCP(t *testing.T) {
	em := newEmulator(t, nil)
	a := buildArticle(t, em.URL)
	s := a.c.ecs
	cr, err := sdClient(em.URL).CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("tcpns")})
	must(t, err)
	waitOperation(t, sdClient(em.URL), cr.OperationId)

	register := func(family string, proto ecstypes.ApplicationProtocol) {
		_, err := s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
			Family: aws.String(family), NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("public.ecr.aws/docker/library/redis:7"),
				Memory: aws.Int32(256), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(6379), Name: aws.String("port"), AppProtocol: proto}}}},
		})
		must(t, err)
	}
	register("tcpapp", "")
	register("httpapp", ecstypes.ApplicationProtocolHttp)
	create := func(name, td string, to *ecstypes.TimeoutConfiguration) error {
		_, err := s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String(name), TaskDefinition: aws.String(td),
			DesiredCount: aws.Int32(0), LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: a.network(false),
			ServiceConnectConfiguration: &ecstypes.ServiceConnectConfiguration{Enabled: true, Namespace: aws.String("tcpns"),
				Services: []ecstypes.ServiceConnectService{{PortName: aws.String("port"), DiscoveryName: aws.String(name), Timeout: to}}}})
		return err
	}

	for _, per := range []int32{0, 30} {
		err := create("tcp-refused", "tcpapp", &ecstypes.TimeoutConfiguration{IdleTimeoutSeconds: aws.Int32(3600), PerRequestTimeoutSeconds: aws.Int32(per)})
		wantCode(t, err, "InvalidParameterException")
		if want := "Per request timeout " + map[int32]string{0: "0", 30: "30"}[per] + " can't be set for tcp application."; !strings.Contains(err.Error(), want) {
			t.Errorf("per-request timeout %d on a TCP port: %v, want %q", per, err, want)
		}
	}
	must(t, create("tcp-idle", "tcpapp", &ecstypes.TimeoutConfiguration{IdleTimeoutSeconds: aws.Int32(3600)}))
	must(t, create("http-both", "httpapp", &ecstypes.TimeoutConfiguration{IdleTimeoutSeconds: aws.Int32(300), PerRequestTimeoutSeconds: aws.Int32(30)}))
}
