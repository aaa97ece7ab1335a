package server_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// TestServiceConnectThroughSDK: CreateService keeps a Service Connect
// configuration (the namespace defaulting to the cluster's
// serviceConnectDefaults), creates one Cloud Map service per endpoint,
// answers both in the deployment, and refuses what ECS refuses; a
// client-only service joins the namespace through UpdateService.
func TestServiceConnectThroughSDK(t *testing.T) {
	em := newEmulator(t, nil)
	a := buildArticle(t, em.URL)
	c := sdClient(em.URL)
	s := a.c.ecs

	cr, err := c.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("shop")})
	must(t, err)
	op := waitOperation(t, c, cr.OperationId)
	nsID := op.Targets["NAMESPACE"]
	_, err = s.UpdateCluster(ctx, &ecs.UpdateClusterInput{Cluster: aws.String("demo"),
		ServiceConnectDefaults: &ecstypes.ClusterServiceConnectDefaultsRequest{Namespace: aws.String("shop")}})
	must(t, err)

	_, err = s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("api"), NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("api"), Image: aws.String("public.ecr.aws/docker/library/node:20"),
			Memory: aws.Int32(256), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(3000), Name: aws.String("api-http"), AppProtocol: ecstypes.ApplicationProtocolHttp}}}},
	})
	must(t, err)
	create := func(name, td string, cfg *ecstypes.ServiceConnectConfiguration) (*ecs.CreateServiceOutput, error) {
		return s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String(name), TaskDefinition: aws.String(td),
			DesiredCount: aws.Int32(0), LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: a.network(false), ServiceConnectConfiguration: cfg})
	}

	// A port name the task definition does not have.
	_, err = create("bad", "api", &ecstypes.ServiceConnectConfiguration{Enabled: true,
		Services: []ecstypes.ServiceConnectService{{PortName: aws.String("grpc")}}})
	wantCode(t, err, "InvalidParameterException")
	if !strings.Contains(err.Error(), "grpc") {
		t.Fatalf("error %v does not name the port", err)
	}
	// A namespace that does not exist.
	_, err = create("bad", "api", &ecstypes.ServiceConnectConfiguration{Enabled: true, Namespace: aws.String("nowhere")})
	wantCode(t, err, "NamespaceNotFoundException")

	// The server: namespace from the cluster's defaults, one endpoint
	// with a client alias and an ingress port override.
	out, err := create("api", "api", &ecstypes.ServiceConnectConfiguration{Enabled: true,
		Services: []ecstypes.ServiceConnectService{{PortName: aws.String("api-http"), DiscoveryName: aws.String("api"),
			IngressPortOverride: aws.Int32(15000), ClientAliases: []ecstypes.ServiceConnectClientAlias{{Port: aws.Int32(80), DnsName: aws.String("api.shop")}},
			Timeout: &ecstypes.TimeoutConfiguration{IdleTimeoutSeconds: aws.Int32(120), PerRequestTimeoutSeconds: aws.Int32(30)}}},
		LogConfiguration: &ecstypes.LogConfiguration{LogDriver: ecstypes.LogDriverAwslogs, Options: map[string]string{"awslogs-group": "sc"}}})
	must(t, err)
	d := out.Service.Deployments[0]
	scc := d.ServiceConnectConfiguration
	// Timeouts (and TLS), which ecsnet does not model, are answered back.
	if scc != nil && len(scc.Services) == 1 {
		if to := scc.Services[0].Timeout; to == nil || aws.ToInt32(to.IdleTimeoutSeconds) != 120 || aws.ToInt32(to.PerRequestTimeoutSeconds) != 30 {
			t.Errorf("the Service Connect timeout answered: %+v, want idle 120 and per request 30", to)
		}
	}
	// The namespace defaults to the cluster's serviceConnectDefaults,
	// which ECS records as the namespace's ARN.
	gn, err := c.GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String(nsID)})
	must(t, err)
	if scc == nil || !scc.Enabled || aws.ToString(scc.Namespace) != aws.ToString(gn.Namespace.Arn) || len(scc.Services) != 1 ||
		aws.ToString(scc.Services[0].DiscoveryName) != "api" || aws.ToInt32(scc.Services[0].IngressPortOverride) != 15000 ||
		len(scc.Services[0].ClientAliases) != 1 || aws.ToInt32(scc.Services[0].ClientAliases[0].Port) != 80 ||
		scc.LogConfiguration == nil || scc.LogConfiguration.Options["awslogs-group"] != "sc" {
		t.Fatalf("deployment's serviceConnectConfiguration: %+v", scc)
	}
	if len(d.ServiceConnectResources) != 1 || aws.ToString(d.ServiceConnectResources[0].DiscoveryName) != "api" ||
		!strings.Contains(aws.ToString(d.ServiceConnectResources[0].DiscoveryArn), ":servicediscovery:") {
		t.Fatalf("serviceConnectResources: %+v", d.ServiceConnectResources)
	}
	// The Cloud Map service ECS created, in the namespace.
	ls, err := c.ListServices(ctx, &sd.ListServicesInput{})
	must(t, err)
	found := false
	for _, x := range ls.Services {
		found = found || aws.ToString(x.Arn) == aws.ToString(d.ServiceConnectResources[0].DiscoveryArn) && aws.ToString(x.Name) == "api"
	}
	if !found {
		t.Fatalf("no Cloud Map service %s: %+v", aws.ToString(d.ServiceConnectResources[0].DiscoveryArn), ls.Services)
	}

	// A running task registers with the endpoint's Cloud Map service, at
	// the ingress port override.
	_, err = s.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("api"), DesiredCount: aws.Int32(1)})
	must(t, err)
	srvID := aws.ToString(d.ServiceConnectResources[0].DiscoveryArn)
	srvID = srvID[strings.LastIndexByte(srvID, '/')+1:]
	eventually(t, "the api task registers with Cloud Map", func() bool {
		li, err := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: &srvID})
		return err == nil && len(li.Instances) == 1 && li.Instances[0].Attributes["AWS_INSTANCE_PORT"] == "15000" &&
			li.Instances[0].Attributes["AWS_INSTANCE_IPV4"] != ""
	})

	// The discovery name is taken in the namespace now.
	_, err = create("api2", "api", &ecstypes.ServiceConnectConfiguration{Enabled: true,
		Services: []ecstypes.ServiceConnectService{{PortName: aws.String("api-http"), DiscoveryName: aws.String("api")}}})
	wantCode(t, err, "InvalidParameterException")

	// Host network mode is refused.
	_, err = s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("hostapi"), NetworkMode: ecstypes.NetworkModeHost, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityEc2},
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("api"), Image: aws.String("public.ecr.aws/docker/library/node:20"),
			Memory: aws.Int32(256), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(3001), Name: aws.String("api-http")}}}},
	})
	must(t, err)
	_, err = s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("hostapi"), TaskDefinition: aws.String("hostapi"),
		DesiredCount: aws.Int32(0), LaunchType: ecstypes.LaunchTypeEc2, ServiceConnectConfiguration: &ecstypes.ServiceConnectConfiguration{Enabled: true}})
	wantCode(t, err, "InvalidParameterException")
	if !strings.Contains(err.Error(), "host network mode") {
		t.Fatalf("error %v", err)
	}

	// The existing web service becomes a client: a new deployment with
	// the configuration, no resources.
	up, err := s.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"),
		ServiceConnectConfiguration: &ecstypes.ServiceConnectConfiguration{Enabled: true, Namespace: aws.String(nsID)}})
	must(t, err)
	if len(up.Service.Deployments) < 2 || up.Service.Deployments[0].ServiceConnectConfiguration == nil ||
		len(up.Service.Deployments[0].ServiceConnectResources) != 0 || up.Service.Deployments[1].ServiceConnectConfiguration != nil {
		t.Fatalf("deployments after UpdateService: %+v", up.Service.Deployments)
	}
	byNS, err := s.ListServicesByNamespace(ctx, &ecs.ListServicesByNamespaceInput{Namespace: aws.String("shop")})
	must(t, err)
	if len(byNS.ServiceArns) != 2 {
		t.Fatalf("services of the namespace: %v", byNS.ServiceArns)
	}
	ds, err := s.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"api"}})
	must(t, err)
	if ds.Services[0].Deployments[0].ServiceConnectConfiguration == nil {
		t.Fatal("DescribeServices: no serviceConnectConfiguration")
	}
}

// TestClusterServiceConnectDefaultsNamespace checks through the Go SDK
// that a cluster's serviceConnectDefaults is recorded as the namespace's
// ARN, that a new name creates an HTTP namespace of that name (as ECS
// documents), and that an unknown namespace ARN is refused.
func TestClusterServiceConnectDefaultsNamespace(t *testing.T) {
	em := newEmulator(t, nil)
	s := sdkClients(em.URL).ecs
	c := sdClient(em.URL)

	out, err := s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("a"),
		ServiceConnectDefaults: &ecstypes.ClusterServiceConnectDefaultsRequest{Namespace: aws.String("fresh")}})
	must(t, err)
	arn := aws.ToString(out.Cluster.ServiceConnectDefaults.Namespace)
	if !strings.HasPrefix(arn, "arn:aws:servicediscovery:us-east-1:") || !strings.Contains(arn, ":namespace/ns-") {
		t.Fatalf("serviceConnectDefaults.namespace = %q, want the namespace's ARN", arn)
	}
	ns, err := c.ListNamespaces(ctx, &sd.ListNamespacesInput{})
	must(t, err)
	if len(ns.Namespaces) != 1 || aws.ToString(ns.Namespaces[0].Name) != "fresh" || aws.ToString(ns.Namespaces[0].Arn) != arn ||
		ns.Namespaces[0].Type != "HTTP" {
		t.Fatalf("namespaces after CreateCluster: %+v, want one HTTP namespace fresh with ARN %s", ns.Namespaces, arn)
	}

	// The same name again is the same namespace, not a second one.
	up, err := s.UpdateCluster(ctx, &ecs.UpdateClusterInput{Cluster: aws.String("a"),
		ServiceConnectDefaults: &ecstypes.ClusterServiceConnectDefaultsRequest{Namespace: aws.String("fresh")}})
	must(t, err)
	if got := aws.ToString(up.Cluster.ServiceConnectDefaults.Namespace); got != arn {
		t.Errorf("UpdateCluster with the same name: %q, want %q", got, arn)
	}
	ns, err = c.ListNamespaces(ctx, &sd.ListNamespacesInput{})
	must(t, err)
	if len(ns.Namespaces) != 1 {
		t.Errorf("%d namespaces after naming fresh again, want 1", len(ns.Namespaces))
	}

	_, err = s.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("b"),
		ServiceConnectDefaults: &ecstypes.ClusterServiceConnectDefaultsRequest{Namespace: aws.String("arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-0000000000000000")}})
	wantCode(t, err, "NamespaceNotFoundException")
}
