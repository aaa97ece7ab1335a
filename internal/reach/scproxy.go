package reach

import "github.com/ecsnet/ecsnet/internal/model"

// serviceConnectProxySockets adds to an awsvpc task of a Service Connect
// service the sockets of its Service Connect proxy where a service sets
// ingressPortOverride: "The port number for the Service Connect proxy to
// listen on. Use the value of this field to bypass the proxy for traffic
// on the port number specified in the named portMapping ..., and then use
// it in your VPC security groups to allow traffic into the proxy" (ECS API
// Reference, ServiceConnectService). The proxy hands each connection to
// the application on the named port mapping's container port, so the
// socket stands for the application behind it (its bind address, its
// application ports, its start). Without the override the proxy listens
// on the container port itself, which the container's socket already is.
// Bridge mode's proxy listens on an ephemeral port of its own [choice: not
// modelled; the endpoints' target stays the container port].
func (n *Network) serviceConnectProxySockets(x *taskNode, add func(kind string, proto model.Protocol, ports model.PortRange, container string, cport uint16)) {
	if x.service == nil || x.tk.NetworkMode != model.NetworkModeAwsvpc {
		return
	}
	svc := x.service.svc
	cfg := svc.ServiceConnectConfig
	if !svc.ServiceConnect || cfg == nil || !cfg.Enabled {
		return
	}
	for _, sc := range cfg.Services {
		if sc.IngressPortOverride == 0 {
			continue
		}
		c, pm, ok := model.ServiceConnectPort(x.def, sc.PortName)
		if !ok || pm.ContainerPort == sc.IngressPortOverride {
			continue
		}
		if taken(x.sockets, sc.IngressPortOverride) {
			continue
		}
		add("service-connect-proxy", model.TCP, model.Port(sc.IngressPortOverride), c.Name, pm.ContainerPort)
	}
}

// taken reports whether a TCP socket of list (not yet sorted) listens on
// port: a container port mapping there is the container's, not the proxy's.
func taken(list []*socket, port uint16) bool {
	for _, s := range list {
		if s.proto == model.TCP && port >= s.port && port <= max(s.port, s.last) {
			return true
		}
	}
	return false
}
