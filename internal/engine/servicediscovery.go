package engine

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CreatePrivateDNSNamespaceInput is CreatePrivateDnsNamespace's input.
type CreatePrivateDNSNamespaceInput struct {
	Name        string
	VpcID       model.VpcID
	Description string
	Tags        model.Tags
}

// CreatePrivateDNSNamespace creates a Cloud Map private DNS namespace
// associated with a VPC (AWS creates it asynchronously through an
// operation; the engine completes it at once). A namespace name is unique
// per VPC.
func (e *Engine) CreatePrivateDNSNamespace(in CreatePrivateDNSNamespaceInput) (*model.Namespace, error) {
	var out *model.Namespace
	err := e.write(func(t *txn) error {
		if in.Name == "" || len(in.Name) > 253 || strings.ContainsAny(in.Name, " /_") {
			return apierr.New("InvalidInput", "Namespace name is invalid: "+in.Name)
		}
		if _, err := t.vpc(in.VpcID); err != nil {
			return apierr.New("InvalidInput", "Vpc "+string(in.VpcID)+" does not exist.")
		}
		for _, ns := range t.st.Namespaces {
			if ns.VpcID == in.VpcID && strings.EqualFold(ns.Name, in.Name) {
				return apierr.New("NamespaceAlreadyExists", "Namespace with name "+in.Name+" already exists.")
			}
		}
		id := "ns-" + t.e.ids.Hex(16)
		ns := &model.Namespace{ID: id, ARN: "arn:aws:servicediscovery:" + t.e.cfg.Region + ":" + t.e.cfg.Account + ":namespace/" + id,
			Name: strings.ToLower(in.Name), Type: "DNS_PRIVATE", VpcID: in.VpcID, HostedZoneID: "Z" + strings.ToUpper(t.e.ids.Hex(20)),
			Description: in.Description, CreatedAt: t.now, Tags: in.Tags.Clone()}
		put(t, model.KindNamespace, t.st.Namespaces, id, ns)
		out = ns
		return nil
	})
	return out, err
}

// CreateDiscoveryServiceInput is Cloud Map CreateService's input.
type CreateDiscoveryServiceInput struct {
	Name          string
	NamespaceID   string
	Description   string
	DNSRecords    []model.DNSRecord // default one A record, TTL 60
	RoutingPolicy string
	Tags          model.Tags
}

// CreateDiscoveryService creates a Cloud Map service in a namespace.
func (e *Engine) CreateDiscoveryService(in CreateDiscoveryServiceInput) (*model.DiscoveryService, error) {
	var out *model.DiscoveryService
	err := e.write(func(t *txn) error {
		ns := t.st.Namespaces[in.NamespaceID]
		if ns == nil {
			return apierr.New("NamespaceNotFound", "Namespace not found.")
		}
		if in.Name == "" || len(in.Name) > 127 || strings.ContainsAny(in.Name, " /") {
			return apierr.New("InvalidInput", "Service name is invalid: "+in.Name)
		}
		for _, s := range t.st.DiscoveryServices {
			if s.NamespaceID == ns.ID && strings.EqualFold(s.Name, in.Name) {
				return apierr.New("ServiceAlreadyExists", "Service with name "+in.Name+" already exists.")
			}
		}
		recs := slices.Clone(in.DNSRecords)
		if len(recs) == 0 {
			recs = []model.DNSRecord{{Type: "A", TTL: 60}}
		}
		for _, r := range recs {
			switch r.Type {
			case "A", "AAAA", "SRV", "CNAME":
			default:
				return apierr.New("InvalidInput", "DnsRecord type "+r.Type+" is invalid.")
			}
		}
		policy := in.RoutingPolicy
		if policy == "" {
			policy = "MULTIVALUE"
		}
		id := "srv-" + t.e.ids.Hex(16)
		s := &model.DiscoveryService{ID: id, ARN: "arn:aws:servicediscovery:" + t.e.cfg.Region + ":" + t.e.cfg.Account + ":service/" + id,
			Name: strings.ToLower(in.Name), NamespaceID: ns.ID, Description: in.Description, DNSRecords: recs, RoutingPolicy: policy, CreatedAt: t.now, Tags: in.Tags.Clone()}
		put(t, model.KindDiscoveryService, t.st.DiscoveryServices, id, s)
		out = s
		return nil
	})
	return out, err
}

// discoveryServiceByARN finds a Cloud Map service by ARN.
func (t *txn) discoveryServiceByARN(arn string) *model.DiscoveryService {
	for _, s := range t.st.DiscoveryServices {
		if s.ARN == arn {
			return s
		}
	}
	return nil
}

// checkServiceRegistries validates an ECS service's serviceRegistries
// (ECS allows one; SRV records need a port: for bridge and host network
// modes the container name and port; the texts are UNVERIFIED).
func (t *txn) checkServiceRegistries(regs []model.ServiceRegistry, td *model.TaskDefinition) error {
	if len(regs) > 1 {
		return errECSInvalid("Only one service registry is supported for a service.")
	}
	for _, r := range regs {
		s := t.discoveryServiceByARN(r.RegistryARN)
		if s == nil {
			return errECSInvalid("The service registry %s does not exist.", r.RegistryARN)
		}
		if r.ContainerName != "" {
			if _, ok := td.Container(r.ContainerName); !ok {
				return errECSInvalid("The container %s does not exist in the task definition.", r.ContainerName)
			}
		}
		if s.HasRecord("SRV") && r.Port == 0 && r.ContainerPort == 0 {
			return errECSInvalid("The service registry %s uses SRV records: give containerName and containerPort (or port for awsvpc).", r.RegistryARN)
		}
		if td.NetworkMode != model.NetworkModeAwsvpc && s.HasRecord("A") && !s.HasRecord("SRV") {
			return errECSInvalid("Service discovery with A records requires the awsvpc network mode; use SRV records for the %s network mode.", td.NetworkMode)
		}
	}
	return nil
}
