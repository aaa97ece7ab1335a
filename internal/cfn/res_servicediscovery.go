package cfn

import (
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Cloud Map resource types ecsnet creates.
const (
	typePrivateDNSNamespace = "AWS::ServiceDiscovery::PrivateDnsNamespace"
	typeDiscoveryService    = "AWS::ServiceDiscovery::Service"
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
	ns, err := c.e().CreatePrivateDNSNamespace(engine.CreatePrivateDNSNamespaceInput{Name: name, VpcID: model.VpcID(vpc), Description: desc, Tags: tags})
	if err != nil {
		return p.at("Name", err)
	}
	c.setRef(ns.ID)
	c.set("Id", ns.ID)
	c.set("Arn", ns.ARN)
	c.set("HostedZoneId", ns.HostedZoneID)
	return nil
}

// createDiscoveryService: Ref is the service id; Id, Arn and Name are its
// attributes (AWS::ServiceDiscovery::Service). The namespace comes from
// NamespaceId or DnsConfig.NamespaceId.
func createDiscoveryService(c *rctx) error {
	p := c.p
	name, err := c.name("Name", 127)
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
	in := engine.CreateDiscoveryServiceInput{Name: name}
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
	in.ServiceConnect = p.has("ServiceConnectConfiguration")
	return nil
}
