package cfn

import (
	"errors"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Cloud Map resource types ecsnet creates.
const (
	typePrivateDNSNamespace = "AWS::ServiceDiscovery::PrivateDnsNamespace"
	typePublicDNSNamespace  = "AWS::ServiceDiscovery::PublicDnsNamespace"
	typeHTTPNamespace       = "AWS::ServiceDiscovery::HttpNamespace"
	typeDiscoveryService    = "AWS::ServiceDiscovery::Service"
	typeDiscoveryInstance   = "AWS::ServiceDiscovery::Instance"
)

// createPrivateDNSNamespace: Ref is the namespace id; Id, Arn and
// HostedZoneId are its attributes (CloudFormation User Guide,
// AWS::ServiceDiscovery::PrivateDnsNamespace).
func createPrivateDNSNamespace(c *rctx) error {
	p := c.p
	name, err := p.req("Name")
	if err != nil {
		return err
	}
	vpc, err := p.req("Vpc")
	if err != nil {
		return err
	}
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	soa, err := soaTTL(p)
	if err != nil {
		return err
	}
	ns, op, err := c.e().CreateNamespace(engine.CreateNamespaceInput{Type: model.NamespaceDNSPrivate, Name: name, VpcID: model.VpcID(vpc),
		SOATTL: soa, Description: desc, Tags: tags})
	if err != nil && op != nil && op.Status == model.OperationFail {
		// The handler waits for the namespace's operation and fails the
		// resource with its message [choice: HandlerErrorCode
		// InvalidRequest, the conflict being the template's].
		var ae *apierr.Error
		if errors.As(err, &ae) {
			return p.at("Name", &handlerFailure{code: "InvalidRequest", err: ae})
		}
	}
	if err != nil {
		return p.at("Name", err)
	}
	c.setRef(ns.ID)
	c.set("Id", ns.ID)
	c.set("Arn", ns.ARN)
	c.set("HostedZoneId", ns.HostedZoneID)
	return nil
}

// soaTTL reads Properties.DnsProperties.SOA.TTL (0 when absent).
func soaTTL(p obj) (int64, error) {
	props, err := p.object("Properties")
	if err != nil || props.n == nil {
		return 0, err
	}
	dns, err := props.object("DnsProperties")
	if err != nil || dns.n == nil {
		return 0, err
	}
	soa, err := dns.object("SOA")
	if err != nil || soa.n == nil {
		return 0, err
	}
	ttl, err := soa.integer("TTL", 0)
	return int64(ttl), err
}

// createOtherNamespace: AWS::ServiceDiscovery::PublicDnsNamespace (Ref
// the id; Id, Arn, HostedZoneId) and ::HttpNamespace (Id, Arn).
func createOtherNamespace(c *rctx) error {
	p := c.p
	name, err := p.req("Name")
	if err != nil {
		return err
	}
	desc, err := p.str("Description")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	in := engine.CreateNamespaceInput{Type: model.NamespaceHTTP, Name: name, Description: desc, Tags: tags}
	if c.r.def.typ == typePublicDNSNamespace {
		in.Type = model.NamespaceDNSPublic
		if in.SOATTL, err = soaTTL(p); err != nil {
			return err
		}
	}
	ns, _, err := c.e().CreateNamespace(in)
	if err != nil {
		return p.at("Name", err)
	}
	c.setRef(ns.ID)
	c.set("Id", ns.ID)
	c.set("Arn", ns.ARN)
	if ns.HostedZoneID != "" {
		c.set("HostedZoneId", ns.HostedZoneID)
	}
	return nil
}

// createDiscoveryInstance: AWS::ServiceDiscovery::Instance registers an
// instance (Ref is its id).
func createDiscoveryInstance(c *rctx) error {
	p := c.p
	svc, err := p.req("ServiceId")
	if err != nil {
		return err
	}
	id, err := p.str("InstanceId")
	if err != nil {
		return err
	}
	if id == "" {
		id = c.r.def.name + "-" + c.s.l.suffix(12)
	}
	attrs := map[string]string{}
	if p.has("InstanceAttributes") {
		ao, err := p.object("InstanceAttributes")
		if err != nil {
			return err
		}
		for _, f := range ao.n.fields {
			k := f.key
			v, err := ao.str(k)
			if err != nil {
				return err
			}
			attrs[k] = v
		}
	}
	known := false
	c.read(func(st *model.State) { _, err := engine.SDService(st, svc); known = err == nil })
	if !known {
		return c.skipAs("its Cloud Map service " + svc + " is not in this system")
	}
	if _, err := c.e().RegisterInstance(engine.RegisterInstanceInput{ServiceRef: svc, InstanceID: id, Attributes: attrs}); err != nil {
		return p.at("InstanceAttributes", err)
	}
	c.setRef(id)
	c.keep("ServiceId", svc)
	return nil
}

// createDiscoveryService: Ref is the service id; Id, Arn and Name are its
// attributes (AWS::ServiceDiscovery::Service). The namespace comes from
// NamespaceId or DnsConfig.NamespaceId.
func createDiscoveryService(c *rctx) error {
	p := c.p
	// Cloud Map takes up to 127 characters in labels of at most 63; the
	// name CloudFormation generates when Name is not set is one label
	// (docs/aws-behavior.md).
	name, err := p.str("Name")
	if err == nil && name == "" {
		name, err = c.name("Name", 63)
	} else if err == nil {
		name, err = c.name("Name", 127)
	}
	if err != nil {
		return err
	}
	nsID, err := p.str("NamespaceId")
	if err != nil {
		return err
	}
	dc, err := p.object("DnsConfig")
	if err != nil {
		return err
	}
	in := engine.CreateDiscoveryServiceInput{Name: name, NoDNS: dc.n == nil}
	if in.Type, err = p.str("Type"); err != nil {
		return err
	}
	// HealthCheckCustomConfig's FailureThreshold (deprecated: Cloud Map
	// always uses 1) is kept as given, and a HealthCheckConfig is passed
	// on: Cloud Map refuses it outside a public DNS namespace.
	hcc, err := p.object("HealthCheckCustomConfig")
	if err != nil {
		return err
	}
	if hcc.n != nil {
		in.CustomHealth = true
		ft, err := hcc.integer("FailureThreshold", 0)
		if err != nil {
			return err
		}
		in.CustomThreshold = int64(ft)
	}
	hc, err := p.object("HealthCheckConfig")
	if err != nil {
		return err
	}
	if hc.n != nil {
		typ, err := hc.req("Type")
		if err != nil {
			return err
		}
		path, err := hc.str("ResourcePath")
		if err != nil {
			return err
		}
		ft, err := hc.integer("FailureThreshold", 1)
		if err != nil {
			return err
		}
		if path == "" && typ != "TCP" {
			path = "/"
		}
		in.HealthCheck = &model.DiscoveryHealthCheck{Type: typ, ResourcePath: path, FailureThreshold: int64(ft)}
	}
	if dc.n != nil {
		if id, err := dc.str("NamespaceId"); err != nil {
			return err
		} else if nsID == "" {
			nsID = id
		}
		if in.RoutingPolicy, err = dc.str("RoutingPolicy"); err != nil {
			return err
		}
		recs, err := dc.objects("DnsRecords")
		if err != nil {
			return err
		}
		for _, r := range recs {
			typ, err := r.req("Type")
			if err != nil {
				return err
			}
			ttl, err := r.integer("TTL", 60)
			if err != nil {
				return err
			}
			in.DNSRecords = append(in.DNSRecords, model.DNSRecord{Type: typ, TTL: int64(ttl)})
		}
	}
	in.NamespaceID = nsID
	known := false
	c.read(func(st *model.State) { known = st.Namespaces[nsID] != nil })
	if !known {
		// The namespace is made by a stack that is not given (an
		// Fn::ImportValue supplied with --import, as Copilot's service
		// stacks import their environment's) or by a resource that was
		// skipped: the service cannot be modelled without it.
		if nsID == "" {
			return c.skipAs("it names no namespace (NamespaceId or DnsConfig.NamespaceId); its names do not resolve")
		}
		return c.skipAs("its namespace " + nsID + " is not in this system (give the stack that creates it, or --base); names in it do not resolve")
	}
	if in.Description, err = p.str("Description"); err != nil {
		return err
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	s, err := c.e().CreateDiscoveryService(in)
	if err != nil {
		return p.at("NamespaceId", err)
	}
	c.setRef(s.ID)
	c.set("Id", s.ID)
	c.set("Arn", s.ARN)
	c.set("Name", s.Name)
	return nil
}

// serviceRegistries reads an ECS service's ServiceRegistries and notes a
// ServiceConnectConfiguration.
func serviceRegistries(c *rctx, p obj, in *engine.CreateServiceInput) error {
	regs, err := p.objects("ServiceRegistries")
	if err != nil {
		return err
	}
	for _, r := range regs {
		var x model.ServiceRegistry
		if x.RegistryARN, err = r.str("RegistryArn"); err != nil {
			return err
		}
		if x.ContainerName, err = r.str("ContainerName"); err != nil {
			return err
		}
		port, err := r.integer("Port", 0)
		if err != nil {
			return err
		}
		cport, err := r.integer("ContainerPort", 0)
		if err != nil {
			return err
		}
		x.Port, x.ContainerPort = uint16(port), uint16(cport)
		known := false
		c.read(func(st *model.State) {
			for _, d := range st.DiscoveryServices {
				if d.ARN == x.RegistryARN {
					known = true
				}
			}
		})
		if !known {
			c.s.warnf(r.line_("RegistryArn"), "%s: its Cloud Map registry %s is not in this system (not modelled, or made by a stack that is not given): its tasks register nowhere", c.r.def.name, x.RegistryARN)
			continue
		}
		in.ServiceRegistries = append(in.ServiceRegistries, x)
	}
	return serviceConnect(c, p, in)
}

// serviceConnect reads an ECS service's ServiceConnectConfiguration
// (Enabled, Namespace, Services with PortName, DiscoveryName,
// ClientAliases, IngressPortOverride and Timeout's
// PerRequestTimeoutSeconds, LogConfiguration). One whose
// namespace is not in the system is kept as recognised only, with a
// warning.
func serviceConnect(c *rctx, p obj, in *engine.CreateServiceInput) error {
	if !p.has("ServiceConnectConfiguration") {
		return nil
	}
	o, err := p.object("ServiceConnectConfiguration")
	if err != nil {
		return err
	}
	enabled, err := o.boolean("Enabled")
	if err != nil {
		return err
	}
	if enabled == nil {
		return o.missing("Enabled")
	}
	cfg := &model.ServiceConnectConfiguration{Enabled: *enabled}
	if cfg.Namespace, err = o.str("Namespace"); err != nil {
		return err
	}
	svcs, err := o.objects("Services")
	if err != nil {
		return err
	}
	for _, s := range svcs {
		var x model.ServiceConnectService
		if x.PortName, err = s.req("PortName"); err != nil {
			return err
		}
		if x.DiscoveryName, err = s.str("DiscoveryName"); err != nil {
			return err
		}
		port, err := s.integer("IngressPortOverride", 0)
		if err != nil {
			return err
		}
		x.IngressPortOverride = uint16(port)
		if s.has("Timeout") {
			to, err := s.object("Timeout")
			if err != nil {
				return err
			}
			if to.has("PerRequestTimeoutSeconds") {
				v, err := to.integer("PerRequestTimeoutSeconds", 0)
				if err != nil {
					return err
				}
				n := int64(v)
				x.PerRequestTimeoutSeconds = &n
			}
		}
		aliases, err := s.objects("ClientAliases")
		if err != nil {
			return err
		}
		for _, a := range aliases {
			port, err := a.integer("Port", 0)
			if err != nil {
				return err
			}
			dns, err := a.str("DnsName")
			if err != nil {
				return err
			}
			x.ClientAliases = append(x.ClientAliases, model.ServiceConnectClientAlias{Port: uint16(port), DNSName: dns})
		}
		cfg.Services = append(cfg.Services, x)
	}
	if l, err := o.object("LogConfiguration"); err == nil && l.has("LogDriver") {
		cfg.LogDriver, _ = l.str("LogDriver")
	}
	if !cfg.Enabled {
		in.ServiceConnectConfig = cfg
		return nil
	}
	var ns *model.Namespace
	c.read(func(st *model.State) { ns = engine.ServiceConnectNamespaceOf(st, in.Cluster, cfg.Namespace) })
	if ns == nil {
		c.s.warnf(o.line_("Namespace"), "%s: its Service Connect namespace %q is not in this system (not modelled, or made by a stack that is not given): its Service Connect names are not analysed", c.r.def.name, cfg.Namespace)
		in.ServiceConnect = true
		return nil
	}
	in.ServiceConnectConfig = cfg
	return nil
}
