package model

import (
	"cmp"
	"slices"
)

// ServiceConnectEndpoint is one resolved Service Connect endpoint:
// DNSName at Port (an alias port, or the container port when the
// service gives no client alias).
type ServiceConnectEndpoint struct {
	DNSName string
	Port    uint16
}

// ServiceConnectEndpoints lists the names and ports a Service Connect
// service's endpoint answers at. With client aliases, exactly each
// alias: its dnsName (default discoveryName.namespace, discoveryName
// defaulting to portName) at its port; "a task can't resolve the
// discovery names" (ECS API Reference, ServiceConnectServiceResource).
// Without an alias (which the API documents as required but does not
// refuse) the discovery name, short and discoveryName.namespace, at the
// container port [choice].
func ServiceConnectEndpoints(sc ServiceConnectService, nsName string, containerPort uint16) []ServiceConnectEndpoint {
	var out []ServiceConnectEndpoint
	add := func(name string, port uint16) {
		e := ServiceConnectEndpoint{DNSName: name, Port: port}
		if name != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	discovery := ServiceConnectDiscoveryName(sc)
	for _, a := range sc.ClientAliases {
		add(cmp.Or(a.DNSName, discovery+"."+nsName), a.Port)
	}
	if len(sc.ClientAliases) == 0 && discovery != "" {
		add(discovery, containerPort)
		add(discovery+"."+nsName, containerPort)
	}
	return out
}

// ServiceConnectDiscoveryName is the name of the Cloud Map service ECS
// creates for a Service Connect endpoint: discoveryName, else portName.
func ServiceConnectDiscoveryName(sc ServiceConnectService) string {
	return cmp.Or(sc.DiscoveryName, sc.PortName)
}

// ServiceConnectPort finds the port mapping a Service Connect portName
// names in a task definition.
func ServiceConnectPort(td *TaskDefinition, portName string) (ContainerDefinition, PortMapping, bool) {
	if td == nil {
		return ContainerDefinition{}, PortMapping{}, false
	}
	for _, c := range td.Containers {
		for _, pm := range c.PortMappings {
			if pm.Name == portName {
				return c, pm, true
			}
		}
	}
	return ContainerDefinition{}, PortMapping{}, false
}
