package engine

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Service Connect (ECS developer guide, "Service Connect" and "Service
// Connect concepts"; API reference ServiceConnectConfiguration,
// ServiceConnectService, ServiceConnectClientAlias). A service with an
// enabled configuration joins a Cloud Map namespace; each of its
// services[] becomes an endpoint that ECS registers as a Cloud Map
// service named discoveryName, reached by the tasks of every Service
// Connect service of the namespace at its client aliases.

// discoveryNameRE: "up to 64 characters … lowercase letters, numbers,
// underscores (_), and hyphens (-). The name can't start with a hyphen."
var discoveryNameRE = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,63}$`)

// dnsAliasRE: "up to 127 characters … lowercase letters, numbers,
// underscores (_), hyphens (-), and periods (.). The name can't start
// with a hyphen."
var dnsAliasRE = regexp.MustCompile(`^[a-z0-9_.][a-z0-9_.-]{0,126}$`)

// ServiceConnectNamespace finds a Cloud Map namespace by name, id or ARN,
// as ECS's serviceConnectConfiguration.namespace and a cluster's
// serviceConnectDefaults take it (nil when none matches). A name is
// first the namespace's HTTP name, which is unique in the account and is
// what API discovery (Service Connect's) finds a namespace by, then its
// name: so when a private DNS namespace reuses the name of the HTTP
// namespace ECS made for a cluster's default (its HTTP name then gets a
// suffix), the name still means the HTTP namespace ([choice]).
func ServiceConnectNamespace(st *model.State, ref string) *model.Namespace {
	if ref == "" {
		return nil
	}
	if ns, err := SDNamespace(st, ref); err == nil {
		return ns
	}
	ids := sortedKeys(st.Namespaces)
	for _, id := range ids {
		if ns := st.Namespaces[id]; ns.HTTPName == ref {
			return ns
		}
	}
	for _, id := range ids {
		if ns := st.Namespaces[id]; ns.Name == ref {
			return ns
		}
	}
	return nil
}

// NamespaceRefUnknown reports whether ref names a Cloud Map namespace by
// ARN or id that st does not hold (a cluster's serviceConnectDefaults
// would be refused; a new name is created instead). Importers reading
// one part of a system use it to keep such a default out, with a warning.
func NamespaceRefUnknown(st *model.State, ref string) bool {
	return (strings.HasPrefix(ref, "arn:") || strings.HasPrefix(ref, "ns-")) && ServiceConnectNamespace(st, ref) == nil
}

// serviceConnectDefaults resolves a cluster's serviceConnectDefaults
// namespace to the namespace's ARN, as ECS records it: an existing
// namespace by name, id or ARN; a new name creates an HTTP namespace of
// that name ("If you enter a new name, a Cloud Map namespace will be
// created. Amazon ECS creates a Cloud Map namespace with the 'API calls'
// method of instance discovery only", ClusterServiceConnectDefaultsRequest);
// "" clears the default. An unknown ARN or id is
// NamespaceNotFoundException.
func (t *txn) serviceConnectDefaults(ref string) (string, error) {
	if ref == "" {
		return "", nil
	}
	if ns := ServiceConnectNamespace(t.st, ref); ns != nil {
		return ns.ARN, nil
	}
	if NamespaceRefUnknown(t.st, ref) {
		return "", apierr.New("NamespaceNotFoundException", "The specified namespace wasn't found.") // [choice] CreateService's text
	}
	ns, _, err := t.createNamespace(CreateNamespaceInput{Type: model.NamespaceHTTP, Name: ref})
	if err != nil {
		return "", err
	}
	return ns.ARN, nil
}

// applyServiceConnect validates a serviceConnectConfiguration for the
// service s (of cluster c, running td) and stores it, creating the Cloud
// Map service of each endpoint that does not have one yet. in nil leaves
// the service as it is.
func (t *txn) applyServiceConnect(s *model.Service, c *model.Cluster, td *model.TaskDefinition, in *model.ServiceConnectConfiguration) error {
	if in == nil {
		return nil
	}
	cfg := *in
	cfg.Services = slices.Clone(in.Services)
	cfg.LogOptions = maps.Clone(in.LogOptions)
	if !cfg.Enabled {
		// Disabled: kept as given, nothing is validated or created [choice].
		s.ServiceConnect, s.ServiceConnectConfig = false, &cfg
		return nil
	}
	if td.NetworkMode == model.NetworkModeHost {
		// "Service Connect supports the awsvpc and bridge network modes"
		// (developer guide, Service Connect considerations); text [choice].
		return errECSInvalid("Service Connect is not supported for tasks that use the host network mode. Use the awsvpc or bridge network mode.")
	}
	ref := cfg.Namespace
	if ref == "" {
		ref = c.ServiceConnectNamespace
	}
	if ref == "" {
		// [choice] text: AWS requires a namespace here or in the cluster's
		// serviceConnectDefaults.
		return errECSInvalid("Service Connect requires a namespace: set serviceConnectConfiguration.namespace or the cluster's serviceConnectDefaults.")
	}
	ns := ServiceConnectNamespace(t.st, ref)
	if ns == nil {
		// CreateService's documented NamespaceNotFoundException.
		return apierr.New("NamespaceNotFoundException", "The specified namespace wasn't found.")
	}
	cfg.Namespace, cfg.NamespaceID = ref, ns.ID
	seenDiscovery := map[string]bool{}
	for i := range cfg.Services {
		sc := &cfg.Services[i]
		sc.ClientAliases = slices.Clone(sc.ClientAliases)
		if sc.PortName == "" {
			return errECSInvalid("portName must be specified for each Service Connect service.") // [choice]
		}
		_, pm, ok := model.ServiceConnectPort(td, sc.PortName)
		if !ok {
			// "The portName must match the name of one of the portMappings
			// from all the containers in the task definition"; text [choice].
			return errECSInvalid("The portName %s does not match the name of a port mapping in the task definition %s.", sc.PortName, td.ARN)
		}
		if pm.IsRange() {
			// Service Connect's proxy listens on one port per service and
			// forwards to one container port; a range has none ([choice]).
			return errECSInvalid("The portName %s names a port mapping with a containerPortRange; Service Connect needs a port mapping with a containerPort.", sc.PortName)
		}
		if sc.PerRequestTimeoutSeconds != nil && pm.AppProtocol == "" {
			// "perRequestTimeout can only be set if Service Connect
			// appProtocol isn't TCP" (TimeoutConfiguration); a port
			// mapping without appProtocol is TCP. The text is ECS's as
			// pulumi/pulumi-aws#4265 quotes it (0 included, which the
			// Terraform provider sends with any timeout block).
			return errECSInvalid("Per request timeout %d can't be set for tcp application.", *sc.PerRequestTimeoutSeconds)
		}
		if sc.DiscoveryName == "" {
			sc.DiscoveryName = sc.PortName // "If the discoveryName isn't specified, the port mapping name … is used"
		}
		if !discoveryNameRE.MatchString(sc.DiscoveryName) {
			return errECSInvalid("The discoveryName %s is invalid: it can contain up to 64 lowercase letters, numbers, underscores and hyphens, and can't start with a hyphen.", sc.DiscoveryName) // [choice]
		}
		if seenDiscovery[sc.DiscoveryName] {
			return errECSInvalid("The discoveryName %s is used by more than one Service Connect service.", sc.DiscoveryName) // [choice]
		}
		seenDiscovery[sc.DiscoveryName] = true
		if len(sc.ClientAliases) > 1 {
			return errECSInvalid("The maximum number of client aliases for a Service Connect service is 1.") // documented limit, text [choice]
		}
		for _, a := range sc.ClientAliases {
			if a.Port == 0 {
				return errECSInvalid("The client alias port must be between 1 and 65535.") // [choice]
			}
			if a.DNSName != "" && !dnsAliasRE.MatchString(a.DNSName) {
				return errECSInvalid("The client alias dnsName %s is invalid: it can contain up to 127 lowercase letters, numbers, underscores, hyphens and periods, and can't start with a hyphen.", a.DNSName) // [choice]
			}
		}
		if err := t.checkServiceConnectUnique(s, ns, sc); err != nil {
			return err
		}
	}
	for i := range cfg.Services {
		sc := &cfg.Services[i]
		ds, err := t.serviceConnectDiscoveryService(s, ns, sc.DiscoveryName)
		if err != nil {
			return err
		}
		sc.DiscoveryARN = ds.ARN
	}
	s.ServiceConnect, s.ServiceConnectConfig = true, &cfg
	return nil
}

// checkServiceConnectUnique: "This must be unique within the Cloud Map
// namespace" (discoveryName) and "Each name and port mapping must be
// unique within the namespace" (client aliases), against the other
// active Service Connect services of the namespace.
func (t *txn) checkServiceConnectUnique(s *model.Service, ns *model.Namespace, sc *model.ServiceConnectService) error {
	for _, arn := range sortedKeys(t.st.Services) {
		o := t.st.Services[arn]
		if o.ARN == s.ARN || o.Status == "INACTIVE" || o.ServiceConnectConfig == nil || !o.ServiceConnectConfig.Enabled || o.ServiceConnectConfig.NamespaceID != ns.ID {
			continue
		}
		for _, x := range o.ServiceConnectConfig.Services {
			if x.DiscoveryName == sc.DiscoveryName {
				return errECSInvalid("The discoveryName %s is already used by the service %s in the namespace %s.", sc.DiscoveryName, o.Name, ns.Name) // [choice]
			}
			for _, a := range sc.ClientAliases {
				for _, b := range x.ClientAliases {
					an, bn := cmp.Or(a.DNSName, sc.DiscoveryName+"."+ns.Name), cmp.Or(b.DNSName, x.DiscoveryName+"."+ns.Name)
					if an == bn && a.Port == b.Port {
						return errECSInvalid("The client alias %s:%d is already used by the service %s in the namespace %s.", an, a.Port, o.Name, ns.Name) // [choice]
					}
				}
			}
		}
	}
	return nil
}

// serviceConnectDiscoveryService returns the Cloud Map service ECS keeps
// for a Service Connect endpoint: the one it created before for this ECS
// service, else a new one ("The discoveryName is the name of the new
// Cloud Map service that Amazon ECS creates"). Service Connect uses no
// DNS records ("doesn't use or create DNS hosted zones"), so the service
// is API-only (HTTP) in any namespace type. A Cloud Map service of that
// name that ECS did not create for this service is a conflict [choice].
func (t *txn) serviceConnectDiscoveryService(s *model.Service, ns *model.Namespace, name string) (*model.DiscoveryService, error) {
	for _, id := range sortedKeys(t.st.DiscoveryServices) {
		ds := t.st.DiscoveryServices[id]
		if ds.NamespaceID != ns.ID || !strings.EqualFold(ds.Name, name) {
			continue
		}
		if ds.Tags["AmazonECSManaged"] == "true" && ds.CreatorRequestID == s.ARN {
			return ds, nil
		}
		return nil, errECSInvalid("The discoveryName %s is already used by the Cloud Map service %s in the namespace %s.", name, ds.ID, ns.Name) // [choice]
	}
	id := "srv-" + t.e.ids.Hex(16)
	ds := &model.DiscoveryService{ID: id, ARN: t.sdARN("service", id), Name: name, NamespaceID: ns.ID, Type: "HTTP",
		CreatorRequestID: s.ARN, CreatedAt: t.now, Tags: model.Tags{"AmazonECSManaged": "true"}}
	put(t, model.KindDiscoveryService, t.st.DiscoveryServices, id, ds)
	return ds, nil
}

// deleteServiceConnectDiscoveryServices deletes, once a deleted ECS
// service is INACTIVE, the Cloud Map services ECS created for its Service
// Connect endpoints (tagged AmazonECSManaged, created for this service)
// that no instance is registered with any longer, so that the namespace
// they are in can be deleted after it: a stack holding a namespace and a
// Service Connect service in it deletes on AWS (the CDK's
// cluster-existing-namespace integration test) [choice].
func (t *txn) deleteServiceConnectDiscoveryServices(s *model.Service) {
	for _, id := range sortedKeys(t.st.DiscoveryServices) {
		ds := t.st.DiscoveryServices[id]
		if ds.Tags["AmazonECSManaged"] != "true" || ds.CreatorRequestID != s.ARN || len(SDInstances(t.st, ds.ID)) > 0 {
			continue
		}
		del(t, model.KindDiscoveryService, t.st.DiscoveryServices, id)
	}
}

// ServiceConnectNamespaceOf resolves the namespace a service's Service
// Connect configuration joins: ref, or else the serviceConnectDefaults
// of the cluster (by name or ARN); nil when it names none ecsnet knows.
// Importers use it to keep a configuration whose namespace is elsewhere
// as recognised only.
func ServiceConnectNamespaceOf(st *model.State, cluster, ref string) *model.Namespace {
	if ref == "" {
		for _, arn := range sortedKeys(st.Clusters) {
			if c := st.Clusters[arn]; c.ARN == cluster || c.Name == cmp.Or(cluster, "default") {
				ref = c.ServiceConnectNamespace
			}
		}
	}
	return ServiceConnectNamespace(st, ref)
}

// registerServiceConnectInstances registers a RUNNING task of a Service
// Connect service with the Cloud Map service of each of its endpoints,
// as ECS does ("creates the Service Connect endpoints in AWS Cloud
// Map"): the instance id is the task id, AWS_INSTANCE_IPV4 the task's
// address (awsvpc; the instance's for bridge, with EC2_INSTANCE_ID) and AWS_INSTANCE_PORT the
// port the connection goes to (ingressPortOverride, else the container
// port; for bridge the host port bound to it). The attribute set beyond
// those is [choice].
func (t *txn) registerServiceConnectInstances(svc *model.Service, tk *model.Task) {
	cfg := svc.ServiceConnectConfig
	if !svc.ServiceConnect || cfg == nil || !cfg.Enabled {
		return
	}
	td := t.st.TaskDefinitions[tk.TaskDefinitionARN]
	for _, sc := range cfg.Services {
		ds := t.discoveryServiceByARN(sc.DiscoveryARN)
		c, pm, ok := model.ServiceConnectPort(td, sc.PortName)
		if ds == nil || !ok {
			continue
		}
		attrs, hostPort, ok := t.taskInstanceAttributes(svc, tk, c.Name, pm.ContainerPort)
		if !ok {
			continue
		}
		port := cmp.Or(hostPort, pm.ContainerPort)
		if sc.IngressPortOverride != 0 {
			port = sc.IngressPortOverride
		}
		attrs["AWS_INSTANCE_PORT"] = strconv.Itoa(int(port))
		t.putSDInstance(ds, &model.DiscoveryInstance{ServiceID: ds.ID, ID: model.LastSegment(tk.ARN), Attributes: attrs, Healthy: true, TaskARN: tk.ARN, RegisteredAt: t.now})
	}
}
