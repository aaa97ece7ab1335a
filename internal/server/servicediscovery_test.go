package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/sdkhttp"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store/bolt"
)

// sdClient is a Cloud Map client. The SDK sends DiscoverInstances to the
// "data-" form of the endpoint's host (data-127.0.0.1:port); its transport
// dials that name as the endpoint's address, so the request reaches
// ecsnet's one port with that Host, as it would through a DNS name.
func sdClient(url string) *sd.Client {
	cfg := sdkConfig()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, strings.TrimPrefix(addr, "data-"))
	}
	cfg.HTTPClient = sdkhttp.Wrap(&http.Client{Transport: tr})
	return sd.NewFromConfig(cfg, func(o *sd.Options) { o.BaseEndpoint = aws.String(url) })
}

// waitOperation polls GetOperation until the operation succeeds, as
// Terraform's provider does, and returns it.
func waitOperation(t *testing.T, c *sd.Client, id *string) *sdtypes.Operation {
	t.Helper()
	var op *sdtypes.Operation
	eventually(t, "operation "+aws.ToString(id)+" succeeds", func() bool {
		out, err := c.GetOperation(ctx, &sd.GetOperationInput{OperationId: id})
		must(t, err)
		op = out.Operation
		if op.Status == sdtypes.OperationStatusFail {
			t.Fatalf("operation failed: %s %s", aws.ToString(op.ErrorCode), aws.ToString(op.ErrorMessage))
		}
		return op.Status == sdtypes.OperationStatusSuccess
	})
	return op
}

func TestCloudMapNamespacesServicesInstances(t *testing.T) {
	em := newEmulator(t, nil)
	a := buildArticle(t, em.URL)
	c := sdClient(em.URL)

	// A private DNS namespace: an operation, then the namespace it names.
	cr, err := c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("corp.local"), Vpc: &a.vpc,
		CreatorRequestId: aws.String("req-1"), Tags: []sdtypes.Tag{{Key: aws.String("team"), Value: aws.String("net")}}})
	must(t, err)
	op := waitOperation(t, c, cr.OperationId)
	if op.Type != sdtypes.OperationTypeCreateNamespace || op.UpdateDate == nil || op.CreateDate == nil {
		t.Fatalf("operation %+v", op)
	}
	nsID := op.Targets["NAMESPACE"]
	ns, err := c.GetNamespace(ctx, &sd.GetNamespaceInput{Id: &nsID})
	must(t, err)
	if ns.Namespace.Type != sdtypes.NamespaceTypeDnsPrivate || aws.ToString(ns.Namespace.Name) != "corp.local" ||
		aws.ToString(ns.Namespace.CreatorRequestId) != "req-1" || !strings.HasPrefix(aws.ToString(ns.Namespace.Properties.DnsProperties.HostedZoneId), "Z") ||
		aws.ToString(ns.Namespace.Properties.HttpProperties.HttpName) != "corp.local" || aws.ToInt64(ns.Namespace.Properties.DnsProperties.SOA.TTL) != 15 {
		t.Fatalf("namespace %+v", ns.Namespace)
	}
	// A retry with the same CreatorRequestId returns the first operation;
	// the same name in the same VPC from another request is refused with
	// the existing namespace's id and request id.
	again, err := c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("corp.local"), Vpc: &a.vpc,
		CreatorRequestId: aws.String("req-1"), Tags: []sdtypes.Tag{{Key: aws.String("team"), Value: aws.String("net")}}})
	must(t, err)
	if aws.ToString(again.OperationId) != aws.ToString(cr.OperationId) {
		t.Errorf("retry answered operation %s, want %s", aws.ToString(again.OperationId), aws.ToString(cr.OperationId))
	}
	_, err = c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("corp.local"), Vpc: &a.vpc, CreatorRequestId: aws.String("req-2")})
	var exists *sdtypes.NamespaceAlreadyExists
	if !errors.As(err, &exists) || aws.ToString(exists.NamespaceId) != nsID || aws.ToString(exists.CreatorRequestId) != "req-1" {
		t.Fatalf("duplicate namespace: %v", err)
	}
	// The same request id for another namespace names the first.
	_, err = c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("other.local"), Vpc: &a.vpc, CreatorRequestId: aws.String("req-1")})
	if !errors.As(err, &exists) || aws.ToString(exists.NamespaceId) != nsID {
		t.Fatalf("reused request id: %v", err)
	}
	_, err = c.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("x.local"), Vpc: aws.String("vpc-0000000000000000a")})
	if apiCode(err) != "InvalidInput" {
		t.Fatalf("namespace in a missing VPC: %v", err)
	}
	h, err := c.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("apis")})
	must(t, err)
	httpNS := waitOperation(t, c, h.OperationId).Targets["NAMESPACE"]
	list, err := c.ListNamespaces(ctx, &sd.ListNamespacesInput{Filters: []sdtypes.NamespaceFilter{{Name: sdtypes.NamespaceFilterNameType, Values: []string{"HTTP"}}}})
	must(t, err)
	if len(list.Namespaces) != 1 || aws.ToString(list.Namespaces[0].Id) != httpNS || list.Namespaces[0].Properties.DnsProperties != nil {
		t.Fatalf("HTTP namespaces %+v", list.Namespaces)
	}
	_, err = c.GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String("ns-0000000000000000")})
	var nf *sdtypes.NamespaceNotFound
	if !errors.As(err, &nf) {
		t.Fatalf("missing namespace: %v", err)
	}
	up, err := c.UpdatePrivateDnsNamespace(ctx, &sd.UpdatePrivateDnsNamespaceInput{Id: &nsID, Namespace: &sdtypes.PrivateDnsNamespaceChange{
		Description: aws.String("internal names"), Properties: &sdtypes.PrivateDnsNamespacePropertiesChange{DnsProperties: &sdtypes.PrivateDnsPropertiesMutableChange{SOA: &sdtypes.SOAChange{TTL: aws.Int64(60)}}}}})
	must(t, err)
	waitOperation(t, c, up.OperationId)
	ns, err = c.GetNamespace(ctx, &sd.GetNamespaceInput{Id: &nsID})
	must(t, err)
	if aws.ToString(ns.Namespace.Description) != "internal names" || aws.ToInt64(ns.Namespace.Properties.DnsProperties.SOA.TTL) != 60 {
		t.Fatalf("updated namespace %+v", ns.Namespace)
	}

	// Services: one with A records for an awsvpc ECS service, one with SRV
	// records for a bridge one, and an HTTP one with custom health.
	svcA, err := c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("api"), NamespaceId: &nsID,
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}}})
	must(t, err)
	if svcA.Service.Type != sdtypes.ServiceTypeDnsHttp || svcA.Service.DnsConfig.RoutingPolicy != sdtypes.RoutingPolicyMultivalue {
		t.Fatalf("service %+v", svcA.Service)
	}
	_, err = c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("api"), NamespaceId: &nsID})
	var sae *sdtypes.ServiceAlreadyExists
	if !errors.As(err, &sae) || aws.ToString(sae.ServiceId) != aws.ToString(svcA.Service.Id) {
		t.Fatalf("duplicate service: %v", err)
	}
	_, err = c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("x"), NamespaceId: &httpNS,
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}}})
	wantAPIError(t, err, "InvalidInput", "When you specify an HTTP service, you can't include a DnsConfig element.")
	svcSRV, err := c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("cache"), NamespaceId: &nsID,
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeSrv, TTL: aws.Int64(10)}}}})
	must(t, err)
	svcHTTP, err := c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("billing"), NamespaceId: &httpNS,
		HealthCheckCustomConfig: &sdtypes.HealthCheckCustomConfig{}})
	must(t, err)
	if svcHTTP.Service.Type != sdtypes.ServiceTypeHttp || svcHTTP.Service.DnsConfig != nil || svcHTTP.Service.HealthCheckCustomConfig == nil {
		t.Fatalf("HTTP service %+v", svcHTTP.Service)
	}
	ls, err := c.ListServices(ctx, &sd.ListServicesInput{Filters: []sdtypes.ServiceFilter{{Name: sdtypes.ServiceFilterNameNamespaceId, Values: []string{nsID}}}})
	must(t, err)
	if len(ls.Services) != 2 {
		t.Fatalf("services in %s: %d", nsID, len(ls.Services))
	}
	_, err = c.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: &nsID})
	if apiCode(err) != "ResourceInUse" {
		t.Fatalf("deleting a namespace with services: %v", err)
	}

	// ECS registers an awsvpc service's tasks: their ENI's address.
	s := a.c.ecs
	_, err = s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("api"), TaskDefinition: aws.String("web"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2, NetworkConfiguration: a.network(false),
		ServiceRegistries: []ecstypes.ServiceRegistry{{RegistryArn: svcA.Service.Arn}}})
	must(t, err)
	var task ecstypes.Task
	eventually(t, "the api task runs", func() bool {
		l, err := s.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("demo"), ServiceName: aws.String("api")})
		if err != nil || len(l.TaskArns) != 1 {
			return false
		}
		d, err := s.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: l.TaskArns})
		if err != nil || len(d.Tasks) != 1 || aws.ToString(d.Tasks[0].LastStatus) != "RUNNING" {
			return false
		}
		task = d.Tasks[0]
		return true
	})
	_, ip, _ := taskENI(task)
	taskID := aws.ToString(task.TaskArn)[strings.LastIndexByte(aws.ToString(task.TaskArn), '/')+1:]
	li, err := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svcA.Service.Id})
	must(t, err)
	if len(li.Instances) != 1 || aws.ToString(li.Instances[0].Id) != taskID || li.Instances[0].Attributes["AWS_INSTANCE_IPV4"] != ip ||
		li.Instances[0].Attributes["ECS_SERVICE_NAME"] != "api" || li.Instances[0].Attributes["ECS_CLUSTER_NAME"] != "demo" ||
		li.Instances[0].Attributes["ECS_TASK_DEFINITION_FAMILY"] != "web" || li.Instances[0].Attributes["AVAILABILITY_ZONE"] != "us-east-1a" {
		t.Fatalf("registered instances %+v (task %s, ip %s)", li.Instances, taskID, ip)
	}
	disc, err := c.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("corp.local"), ServiceName: aws.String("api")})
	must(t, err)
	if len(disc.Instances) != 1 || disc.Instances[0].HealthStatus != sdtypes.HealthStatusUnknown || disc.Instances[0].Attributes["AWS_INSTANCE_IPV4"] != ip {
		t.Fatalf("discovered %+v", disc.Instances)
	}
	rev := aws.ToInt64(disc.InstancesRevision)
	_, err = c.DeleteService(ctx, &sd.DeleteServiceInput{Id: svcA.Service.Id})
	wantAPIError(t, err, "ResourceInUse", "Service contains registered instances; delete the instances before deleting the service")
	// Scaled in, the task stops and ECS deregisters it.
	_, err = s.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("api"), DesiredCount: aws.Int32(0)})
	must(t, err)
	eventually(t, "the stopped task is deregistered", func() bool {
		li, err := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svcA.Service.Id})
		return err == nil && len(li.Instances) == 0
	})
	r, err := c.DiscoverInstancesRevision(ctx, &sd.DiscoverInstancesRevisionInput{NamespaceName: aws.String("corp.local"), ServiceName: aws.String("api")})
	must(t, err)
	if aws.ToInt64(r.InstancesRevision) <= rev {
		t.Errorf("revision %d after deregistration, was %d", aws.ToInt64(r.InstancesRevision), rev)
	}

	// A bridge service registers SRV records: the instance's address and
	// the dynamic host port.
	_, err = s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("cache"), NetworkMode: ecstypes.NetworkModeBridge,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("redis"), Image: aws.String("public.ecr.aws/docker/library/redis:7"),
			Memory: aws.Int32(256), PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(6379), HostPort: aws.Int32(0)}}}}})
	must(t, err)
	// Without the container name and port, ECS refuses a bridge service's
	// registry (AWS's text, as Terraform issues quote it).
	_, err = s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("cache"), TaskDefinition: aws.String("cache"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2,
		ServiceRegistries: []ecstypes.ServiceRegistry{{RegistryArn: svcSRV.Service.Arn}}})
	wantAPIError(t, err, "InvalidParameterException", "When specifying 'host' or 'bridge' for networkMode, values for 'containerName' and 'containerPort' must be specified from the task definition. Registry: "+aws.ToString(svcSRV.Service.Arn))
	_, err = s.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("cache"), TaskDefinition: aws.String("cache"),
		DesiredCount: aws.Int32(1), LaunchType: ecstypes.LaunchTypeEc2,
		ServiceRegistries: []ecstypes.ServiceRegistry{{RegistryArn: svcSRV.Service.Arn, ContainerName: aws.String("redis"), ContainerPort: aws.Int32(6379)}}})
	must(t, err)
	var srv sdtypes.InstanceSummary
	eventually(t, "the cache task registers", func() bool {
		li, err := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svcSRV.Service.Id})
		if err != nil || len(li.Instances) != 1 {
			return false
		}
		srv = li.Instances[0]
		return true
	})
	l, err := s.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("demo"), ServiceName: aws.String("cache")})
	must(t, err)
	d, err := s.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: l.TaskArns})
	must(t, err)
	hostPort := aws.ToInt32(d.Tasks[0].Containers[0].NetworkBindings[0].HostPort)
	if srv.Attributes["AWS_INSTANCE_PORT"] != itoa(int(hostPort)) || srv.Attributes["EC2_INSTANCE_ID"] != a.instance || srv.Attributes["AWS_INSTANCE_IPV4"] == "" {
		t.Fatalf("SRV instance %+v, host port %d", srv.Attributes, hostPort)
	}

	// Changing an ECS service's registries is a new deployment: the new
	// task registers in the new Cloud Map service, the old one leaves the
	// old service as it stops.
	svcSRV2, err := c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("cache2"), NamespaceId: &nsID,
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeSrv, TTL: aws.Int64(10)}}}})
	must(t, err)
	_, err = s.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("cache"),
		ServiceRegistries: []ecstypes.ServiceRegistry{{RegistryArn: svcSRV2.Service.Arn, ContainerName: aws.String("redis"), ContainerPort: aws.Int32(6379)}}})
	must(t, err)
	eventually(t, "the cache task moves to cache2", func() bool {
		old, err1 := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svcSRV.Service.Id})
		now, err2 := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svcSRV2.Service.Id})
		return err1 == nil && err2 == nil && len(old.Instances) == 0 && len(now.Instances) == 1 && aws.ToString(now.Instances[0].Id) != aws.ToString(srv.Id)
	})
	ds, err := s.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"cache"}})
	must(t, err)
	if regs := ds.Services[0].ServiceRegistries; len(regs) != 1 || aws.ToString(regs[0].RegistryArn) != aws.ToString(svcSRV2.Service.Arn) {
		t.Fatalf("cache's registries %+v", regs)
	}

	// Instances registered through the API, with custom health.
	reg, err := c.RegisterInstance(ctx, &sd.RegisterInstanceInput{ServiceId: svcHTTP.Service.Id, InstanceId: aws.String("b-1"),
		Attributes: map[string]string{"url": "http://b1", "stage": "prod"}})
	must(t, err)
	if op := waitOperation(t, c, reg.OperationId); op.Type != sdtypes.OperationTypeRegisterInstance || op.Targets["INSTANCE"] != "b-1" {
		t.Fatalf("register operation %+v", op)
	}
	_, err = c.RegisterInstance(ctx, &sd.RegisterInstanceInput{ServiceId: svcHTTP.Service.Id, InstanceId: aws.String("b-2"),
		Attributes: map[string]string{"url": "http://b2", "stage": "beta", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY"}})
	must(t, err)
	_, err = c.RegisterInstance(ctx, &sd.RegisterInstanceInput{ServiceId: svcSRV.Service.Id, InstanceId: aws.String("x"), Attributes: map[string]string{"AWS_INSTANCE_IPV4": "10.0.1.9"}})
	if apiCode(err) != "InvalidInput" {
		t.Fatalf("an SRV instance without a port: %v", err)
	}
	hs, err := c.GetInstancesHealthStatus(ctx, &sd.GetInstancesHealthStatusInput{ServiceId: svcHTTP.Service.Id})
	must(t, err)
	if hs.Status["b-1"] != sdtypes.HealthStatusHealthy || hs.Status["b-2"] != sdtypes.HealthStatusUnhealthy {
		t.Fatalf("health %v", hs.Status)
	}
	found := func(in *sd.DiscoverInstancesInput) []string {
		in.NamespaceName, in.ServiceName = aws.String("apis"), aws.String("billing")
		out, err := c.DiscoverInstances(ctx, in)
		must(t, err)
		var ids []string
		for _, i := range out.Instances {
			ids = append(ids, aws.ToString(i.InstanceId))
		}
		slices.Sort(ids)
		return ids
	}
	if got := found(&sd.DiscoverInstancesInput{}); !slices.Equal(got, []string{"b-1"}) {
		t.Errorf("healthy instances %v", got)
	}
	if got := found(&sd.DiscoverInstancesInput{HealthStatus: sdtypes.HealthStatusFilterAll}); !slices.Equal(got, []string{"b-1", "b-2"}) {
		t.Errorf("all instances %v", got)
	}
	if got := found(&sd.DiscoverInstancesInput{HealthStatus: sdtypes.HealthStatusFilterAll, QueryParameters: map[string]string{"stage": "beta"}}); !slices.Equal(got, []string{"b-2"}) {
		t.Errorf("stage=beta %v", got)
	}
	if got := found(&sd.DiscoverInstancesInput{HealthStatus: sdtypes.HealthStatusFilterAll, OptionalParameters: map[string]string{"stage": "none"}}); len(got) != 2 {
		t.Errorf("an optional parameter nothing matches narrows nothing: %v", got)
	}
	_, err = c.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: svcHTTP.Service.Id, InstanceId: aws.String("b-1"), Status: sdtypes.CustomHealthStatusUnhealthy})
	must(t, err)
	if got := found(&sd.DiscoverInstancesInput{HealthStatus: sdtypes.HealthStatusFilterHealthyOrElseAll}); len(got) != 2 {
		t.Errorf("HEALTHY_OR_ELSE_ALL with none healthy: %v", got)
	}
	moved, err := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svcSRV2.Service.Id})
	must(t, err)
	_, err = c.RegisterInstance(ctx, &sd.RegisterInstanceInput{ServiceId: svcSRV2.Service.Id, InstanceId: moved.Instances[0].Id,
		Attributes: map[string]string{"AWS_INSTANCE_IPV4": "10.0.1.99", "AWS_INSTANCE_PORT": "1"}})
	if apiCode(err) != "ResourceInUse" {
		t.Fatalf("overwriting an instance ECS registered: %v", err)
	}
	_, err = c.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: svcSRV2.Service.Id, InstanceId: moved.Instances[0].Id, Status: sdtypes.CustomHealthStatusHealthy})
	var chnf *sdtypes.CustomHealthNotFound
	if !errors.As(err, &chnf) {
		t.Fatalf("custom health on a service without it: %v", err)
	}
	gi, err := c.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: svcHTTP.Service.Id, InstanceId: aws.String("b-2")})
	must(t, err)
	if gi.Instance.Attributes["stage"] != "beta" {
		t.Fatalf("instance %+v", gi.Instance)
	}
	_, err = c.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: svcHTTP.Service.Id, InstanceId: aws.String("nope")})
	var inf *sdtypes.InstanceNotFound
	if !errors.As(err, &inf) {
		t.Fatalf("missing instance: %v", err)
	}
	_, err = c.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("apis"), ServiceName: aws.String("nope")})
	var snf *sdtypes.ServiceNotFound
	if !errors.As(err, &snf) {
		t.Fatalf("discovering a missing service: %v", err)
	}
	for _, id := range []string{"b-1", "b-2"} {
		dr, err := c.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: svcHTTP.Service.Id, InstanceId: aws.String(id)})
		must(t, err)
		waitOperation(t, c, dr.OperationId)
	}

	// Service updates are operations too; a second one while the first is
	// in progress is a DuplicateRequest naming it.
	us, err := c.UpdateService(ctx, &sd.UpdateServiceInput{Id: svcHTTP.Service.Id, Service: &sdtypes.ServiceChange{Description: aws.String("billing API")}})
	must(t, err)
	_, err = c.UpdateService(ctx, &sd.UpdateServiceInput{Id: svcHTTP.Service.Id, Service: &sdtypes.ServiceChange{Description: aws.String("again")}})
	var dup *sdtypes.DuplicateRequest
	if err != nil && (!errors.As(err, &dup) || aws.ToString(dup.DuplicateOperationId) != aws.ToString(us.OperationId)) {
		t.Fatalf("second update: %v", err)
	}
	waitOperation(t, c, us.OperationId)
	ops, err := c.ListOperations(ctx, &sd.ListOperationsInput{Filters: []sdtypes.OperationFilter{{Name: sdtypes.OperationFilterNameServiceId, Values: []string{aws.ToString(svcHTTP.Service.Id)}},
		{Name: sdtypes.OperationFilterNameType, Condition: sdtypes.FilterConditionIn, Values: []string{"REGISTER_INSTANCE", "DEREGISTER_INSTANCE"}}}})
	must(t, err)
	if len(ops.Operations) != 4 {
		t.Errorf("register and deregister operations of %s: %d, want 4", aws.ToString(svcHTTP.Service.Id), len(ops.Operations))
	}

	// Tags.
	_, err = c.TagResource(ctx, &sd.TagResourceInput{ResourceARN: svcHTTP.Service.Arn, Tags: []sdtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}})
	must(t, err)
	_, err = c.UntagResource(ctx, &sd.UntagResourceInput{ResourceARN: svcHTTP.Service.Arn, TagKeys: []string{"a"}})
	must(t, err)
	tags, err := c.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: svcHTTP.Service.Arn})
	must(t, err)
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "b" {
		t.Fatalf("tags %+v", tags.Tags)
	}
	nsTags, err := c.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: ns.Namespace.Arn})
	must(t, err)
	if len(nsTags.Tags) != 1 || aws.ToString(nsTags.Tags[0].Value) != "net" {
		t.Fatalf("namespace tags %+v", nsTags.Tags)
	}
	_, err = c.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: aws.String("arn:aws:servicediscovery:us-east-1:123456789012:service/srv-0000000000000000")})
	if apiCode(err) != "ResourceNotFoundException" {
		t.Fatalf("tags of a missing resource: %v", err)
	}

	// Cleanup in dependency order.
	_, err = c.DeleteService(ctx, &sd.DeleteServiceInput{Id: svcHTTP.Service.Id})
	must(t, err)
	del, err := c.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: &httpNS})
	must(t, err)
	if op := waitOperation(t, c, del.OperationId); op.Type != sdtypes.OperationTypeDeleteNamespace {
		t.Fatalf("delete operation %+v", op)
	}
	if _, err := c.GetNamespace(ctx, &sd.GetNamespaceInput{Id: &httpNS}); !errors.As(err, &nf) {
		t.Fatalf("deleted namespace: %v", err)
	}
	_, err = c.GetOperation(ctx, &sd.GetOperationInput{OperationId: aws.String("nope")})
	var onf *sdtypes.OperationNotFound
	if !errors.As(err, &onf) {
		t.Fatalf("missing operation: %v", err)
	}
	_, err = c.GetService(ctx, &sd.GetServiceInput{})
	if apiCode(err) != "InvalidInput" && !strings.Contains(err.Error(), "Id") {
		t.Fatalf("GetService without Id: %v", err)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// Every Cloud Map operation, with every member of its input set to a
// value of the right type but no meaning, answers an AWS error or a
// result: never HTTP 5xx, and never a half-applied change.
func TestCloudMapOddInput(t *testing.T) {
	h := newHandler(t)
	svc := testModels.Service("servicediscovery")
	var fill func(s *awsproto.Shape, depth int) any
	fill = func(s *awsproto.Shape, depth int) any {
		switch s.Type {
		case awsproto.TypeStructure:
			m := map[string]any{}
			if depth < 4 {
				for _, mem := range s.Members {
					m[mem.Name] = fill(mem.Shape, depth+1)
				}
			}
			return m
		case awsproto.TypeList:
			return []any{fill(s.Member.Shape, depth+1)}
		case awsproto.TypeMap:
			return map[string]any{"AWS_INSTANCE_IPV4": "x"}
		case awsproto.TypeInteger, awsproto.TypeLong:
			return 1
		case awsproto.TypeBoolean:
			return true
		case awsproto.TypeTimestamp:
			return 0
		}
		if len(s.Enum) > 0 {
			return s.Enum[0]
		}
		return "x"
	}
	for _, op := range svc.OperationNames() {
		for _, body := range []any{map[string]any{}, fill(svc.Operation(op).Input, 0)} {
			b, err := json.Marshal(body)
			must(t, err)
			w := rawReq{auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/servicediscovery/aws4_request, SignedHeaders=host, Signature=0",
				target: "Route53AutoNaming_v20170314." + op, contentType: "application/x-amz-json-1.1", body: b}.do(h)
			if w.Code >= 500 {
				t.Errorf("%s %s: HTTP %d %s", op, b, w.Code, truncate(w.Body.String()))
			}
		}
	}
	w := rawReq{auth: "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/servicediscovery/aws4_request, SignedHeaders=host, Signature=0",
		target: "Route53AutoNaming_v20170314.ListNamespaces", contentType: "application/x-amz-json-1.1", body: []byte("{}")}.do(h)
	// Only the HTTP namespace "x" can have been created (there is no VPC
	// x, and x is no public domain name).
	if w.Code != 200 || strings.Count(w.Body.String(), `"Id"`) != 1 || !strings.Contains(w.Body.String(), `"Type":"HTTP"`) {
		t.Errorf("namespaces after odd requests: %s", truncate(w.Body.String()))
	}
}

// Namespaces, services, instances and operations persist; an operation
// still SUBMITTED when the server stopped completes after the restart.
func TestCloudMapPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	b, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	srv, err := server.New(server.Options{Registry: services.Registry(), Analyzer: services.Analyzer(), EngineOptions: services.EngineOptions(),
		Store: b, StepInterval: 10 * time.Millisecond, Models: testModels})
	must(t, err)
	hs := httptest.NewServer(srv) // no step loop: operations stay SUBMITTED
	c := sdClient(hs.URL)
	h, err := c.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("apis")})
	must(t, err)
	op, err := c.GetOperation(ctx, &sd.GetOperationInput{OperationId: h.OperationId})
	must(t, err)
	if op.Operation.Status != sdtypes.OperationStatusSubmitted {
		t.Fatalf("before a step: %s", op.Operation.Status)
	}
	nsID := op.Operation.Targets["NAMESPACE"]
	s, err := c.CreateService(ctx, &sd.CreateServiceInput{Name: aws.String("billing"), NamespaceId: &nsID})
	must(t, err)
	_, err = c.RegisterInstance(ctx, &sd.RegisterInstanceInput{ServiceId: s.Service.Id, InstanceId: aws.String("b-1"), Attributes: map[string]string{"url": "http://b1"}})
	must(t, err)
	hs.Close()
	must(t, srv.Close())
	must(t, b.Close())

	b2, err := bolt.Open(path, bolt.Options{})
	must(t, err)
	t.Cleanup(func() { b2.Close() })
	_, url := startOn(t, b2, false)
	c = sdClient(url)
	waitOperation(t, c, h.OperationId)
	li, err := c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: s.Service.Id})
	must(t, err)
	if len(li.Instances) != 1 || li.Instances[0].Attributes["url"] != "http://b1" {
		t.Fatalf("instances after restart: %+v", li.Instances)
	}
	// The other way to reach the data endpoint from Go: keep the
	// endpoint's host as it is (docs/aws-behavior.md).
	plain := sd.NewFromConfig(sdkConfig(), func(o *sd.Options) {
		o.BaseEndpoint = aws.String(url)
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("NoHostPrefix", func(ctx context.Context, in middleware.InitializeInput,
				next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
		})
	})
	d, err := plain.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("apis"), ServiceName: aws.String("billing")})
	must(t, err)
	if len(d.Instances) != 1 {
		t.Fatalf("discovered after restart: %+v", d.Instances)
	}
}
