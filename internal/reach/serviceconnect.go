package reach

import (
	"fmt"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// serviceConnectClient says why the source of a probe cannot resolve a
// Service Connect endpoint name of namespace ns ("" when it can): only
// tasks that an ECS service with Service Connect enabled in ns started
// run the Service Connect proxy that answers the names ("Only the tasks
// that Amazon ECS services create are supported with Service Connect";
// tasks "configured in other namespaces" or "that aren't configured for
// Service Connect" and "other applications outside of Amazon ECS" can't
// resolve them, ECS developer guide, "Service Connect concepts"). It
// also returns the source's service when the source is one's task. The
// analyzer reads the service's current configuration; in AWS tasks
// started before a change keep the proxy they started with [choice].
func (n *Network) serviceConnectClient(from Endpoint, ns *model.Namespace) (string, *model.Service) {
	tk := from.task
	if tk == nil {
		switch {
		case from.instance != nil:
			return "the EC2 instance " + from.instance.name + " is not a task of an ECS service and runs no Service Connect proxy", nil
		case from.lb != nil:
			return "the load balancer " + from.lb.lb.Name + " runs no Service Connect proxy", nil
		case from.Kind == KindInternet:
			return "the internet runs no Service Connect proxy", nil
		}
		return from.Spec + " is not a task of an ECS service and runs no Service Connect proxy", nil
	}
	if tk.service == nil {
		return "the task " + tk.name + " is a standalone task (RunTask): ECS adds the Service Connect proxy only to the tasks of services", nil
	}
	svc := tk.service.svc
	cfg := svc.ServiceConnectConfig
	switch {
	case !svc.ServiceConnect || cfg == nil || !cfg.Enabled:
		return "the task " + tk.name + " belongs to the service " + svc.Name + ", which has no Service Connect configuration, so its tasks run no Service Connect proxy", svc
	case cfg.NamespaceID != ns.ID:
		other := cfg.Namespace
		if x := n.st.Namespaces[cfg.NamespaceID]; x != nil {
			other = x.Name
		}
		return "the task " + tk.name + " belongs to the service " + svc.Name + ", whose Service Connect joins the namespace " + other + ", not " + ns.Name, svc
	}
	return "", svc
}

// serviceConnectMiss blocks a query whose destination is a Service
// Connect endpoint name its source cannot resolve: the lookup fails and
// no packet leaves.
func (t *tracer) serviceConnectMiss(fs *flowState, q *Query) {
	d := q.To.scn
	comp := &Component{Type: "cloud-map-namespace", ID: d.ns.ID, ARN: d.ns.ARN, Name: d.ns.Name}
	standalone := q.scClient == nil && q.From.task != nil && q.From.task.service == nil
	if q.scClient != nil {
		if s := t.n.services[q.scClient.ARN]; s != nil {
			comp = s.comp
		}
	} else if standalone && q.From.task.comp != nil {
		// RunTask takes no Service Connect configuration: the task
		// itself is what cannot ask the name.
		comp = q.From.task.comp
	}
	t.block(fs, NXDomain, func() Explanation {
		m := d.name + " does not resolve: it is a Service Connect endpoint of the service " + d.server.svc.Name + " in the namespace " + d.ns.Name +
			", which only the Service Connect proxy of the namespace's Service Connect services answers; " + q.scWhy
		if q.scClient != nil {
			m += "; enable Service Connect on " + q.scClient.Name + " in " + d.ns.Name + " (a client needs no services[])"
		} else {
			// A client outside ECS (an instance, a Lambda function's
			// ENI) can run no proxy: Service Connect creates no DNS
			// records, its instances are found with DiscoverInstances.
			name, port := d.sc.DiscoveryName, "the container port"
			if name == "" {
				name = d.sc.PortName
			}
			if d.sc.IngressPortOverride == 0 {
				port += fmt.Sprintf(" %d", d.target)
			}
			who := "a client outside ECS"
			if standalone {
				who = "RunTask takes no Service Connect configuration (only services join a namespace): a standalone task"
			}
			m += "; " + who + " finds the tasks with Cloud Map's DiscoverInstances (namespace " + d.ns.Name + ", service " + name +
				") and calls their addresses on " + port + ", or the service also registers in a Cloud Map DNS namespace (serviceRegistries) for a name of its own"
			if standalone {
				m += ", or the work runs as a service with Service Connect in " + d.ns.Name
			}
		}
		return Explanation{Code: CodeServiceConnectNoProxy, Path: "forward", Component: comp, Message: m, clause: m}
	})
}

// serviceConnectDiscovery blocks a query whose destination is a Service
// Connect endpoint's discovery name where the endpoint's client aliases
// give it other names: "A task can resolve the dnsName for each of the
// clientAliases of a service. However a task can't resolve the discovery
// names" (ECS API Reference, ServiceConnectServiceResource). The
// discovery name is the Cloud Map service's, for DiscoverInstances.
func (t *tracer) serviceConnectDiscovery(fs *flowState, q *Query) {
	d := q.To.scn
	comp := d.server.comp
	t.block(fs, NXDomain, func() Explanation {
		aliases := make([]string, len(d.aliases))
		for i, a := range d.aliases {
			aliases[i] = fmt.Sprintf("%s:%d", a.DNSName, a.Port)
		}
		m := d.name + " does not resolve: it is the discovery name of the Service Connect endpoint " + d.sc.PortName + " of the service " + d.server.svc.Name +
			" (the Cloud Map service " + model.ServiceConnectDiscoveryName(d.sc) + " in the namespace " + d.ns.Name + ", which Cloud Map's DiscoverInstances answers), not a name clients resolve: " +
			"the Service Connect proxy answers only the endpoint's client aliases, " + strings.Join(aliases, ", ") + "; call " + aliases[0] +
			", or give the client alias the dnsName " + d.name
		if q.scWhy != "" {
			m += "; besides, " + q.scWhy
		}
		return Explanation{Code: CodeServiceConnectDiscoveryName, Path: "forward", Component: comp, Message: m, clause: m}
	})
}
