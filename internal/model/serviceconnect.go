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
// service's endpoint answers at: each client alias (its dnsName, or
// discoveryName.namespace), and the discovery name itself ("Tasks that
// run in a namespace can use short names"): the short name and
// discoveryName.namespace at the alias ports, or at the container port
// when there is no alias [choice].
func ServiceConnectEndpoints(sc ServiceConnectService, nsName string, containerPort uint16) []ServiceConnectEndpoint {
	var out []ServiceConnectEndpoint
	add := func(name string, port uint16) {
		e := ServiceConnectEndpoint{DNSName: name, Port: port}
		if name != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	ports := []uint16{containerPort}
	if len(sc.ClientAliases) > 0 {
		ports = ports[:0]
		for _, a := range sc.ClientAliases {
			ports = append(ports, a.Port)
		}
	}
	for _, a := range sc.ClientAliases {
		add(cmp.Or(a.DNSName, sc.DiscoveryName+"."+nsName), a.Port)
	}
	for _, p := range ports {
		add(sc.DiscoveryName, p)
		add(sc.DiscoveryName+"."+nsName, p)
	}
	return out
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
