package fix

import (
	"fmt"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// serviceConnectClient: a Service Connect endpoint name resolves only in
// the tasks of services with Service Connect enabled in its namespace.
// Enabling it on the client's service, without services[] (a client
// only: "Client services must add a serviceConnectConfiguration to
// configure the namespace to join", ECS developer guide, "Service Connect
// configuration overview"), gives its tasks the proxy that answers the
// name; the verification probe then walks the connection to the server
// task's port. A standalone task or an instance gets no fix: only
// service tasks run the proxy.
func (f *finder) serviceConnectClient(reach.Explanation) []Fix {
	client, ns, ok := f.q.ServiceConnectMiss()
	if !ok || client == nil || ns == nil {
		return nil
	}
	cluster := client.ClusterARN
	if c := f.st.Clusters[cluster]; c != nil {
		cluster = c.Name
	}
	name := client.Name
	return []Fix{{
		score: 10, Kind: "service-connect",
		Title: fmt.Sprintf("Enable Service Connect on the service %s in the namespace %s", name, ns.Name),
		Detail: "Service Connect names are answered by the Service Connect proxy that ECS adds to the tasks of services with Service Connect enabled in the namespace; other tasks cannot resolve them. " +
			"A client service needs only enabled and the namespace (no services[]); ECS starts a new deployment whose tasks run the proxy. The server task's security group must still admit the client on the server's port.",
		Commands: []string{fmt.Sprintf("aws ecs update-service --cluster %s --service %s --service-connect-configuration 'enabled=true,namespace=%s'", cluster, name, ns.ARN)},
		Scenario: fmt.Sprintf("services:\n  %s:\n    service_connect: {namespace: %s}\n", name, ns.Name),
		apply: func(e *engine.Engine) error {
			_, err := e.UpdateService(engine.UpdateServiceInput{Cluster: cluster, Service: name,
				ServiceConnectConfig: &model.ServiceConnectConfiguration{Enabled: true, Namespace: ns.ARN}})
			return err
		},
	}}
}
