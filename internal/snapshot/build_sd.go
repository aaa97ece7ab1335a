package snapshot

import (
	"cmp"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// cloudMap reads Cloud Map's namespaces, services and instances
// (servicediscovery list-namespaces, get-service, list-instances), after
// the ECS services, whose serviceRegistries name the Cloud Map services.
func (b *builder) cloudMap() {
	for _, it := range b.rd.namespaces {
		n := it.v
		if n.ID == "" {
			continue
		}
		ns := &model.Namespace{ID: n.ID, ARN: n.Arn, Name: n.Name, Type: n.Type, Description: n.Description,
			CreatorRequestID: n.CreatorRequestID, CreatedAt: n.CreateDate.Time}
		if d := n.Properties.DNSProperties; d != nil && ns.Type != model.NamespaceHTTP {
			ns.HostedZoneID = d.HostedZoneID
			if d.SOA != nil {
				ns.SOATTL = d.SOA.TTL.V
			}
		}
		if h := n.Properties.HTTPProperties; h != nil {
			ns.HTTPName = h.HTTPName
		}
		b.st.Namespaces[ns.ID] = ns
	}
	for _, it := range b.rd.sdServices {
		s := it.v
		if s.ID == "" {
			continue
		}
		ds := &model.DiscoveryService{ID: s.ID, ARN: s.Arn, Name: s.Name, NamespaceID: s.NamespaceID, Description: s.Description,
			Type: s.Type, CreatorRequestID: s.CreatorRequestID, CreatedAt: s.CreateDate.Time}
		if dc := s.DNSConfig; dc != nil {
			ds.NamespaceID = cmp.Or(ds.NamespaceID, dc.NamespaceID)
			ds.RoutingPolicy = dc.RoutingPolicy
			for _, r := range dc.DNSRecords {
				ds.DNSRecords = append(ds.DNSRecords, model.DNSRecord{Type: r.Type, TTL: r.TTL.V})
			}
		}
		if ds.Type == "" {
			ds.Type = "HTTP"
			if len(ds.DNSRecords) > 0 {
				ds.Type = "DNS_HTTP"
			}
		}
		if h := s.HealthCheckConfig; h != nil {
			ds.HealthCheck = &model.DiscoveryHealthCheck{Type: h.Type, ResourcePath: h.ResourcePath, FailureThreshold: h.FailureThreshold.V}
		}
		if h := s.HealthCheckCustomConfig; h != nil {
			ds.CustomHealth = true
			if h.FailureThreshold != nil {
				ds.CustomThreshold = h.FailureThreshold.V
			}
		}
		if ds.NamespaceID == "" {
			b.rd.warn(it.at.warning(CodeBadValue, ds.ID, "Cloud Map service "+ds.Name+" ("+ds.ID+") names no namespace (list-services does not; use get-service's output): its DNS name is unknown"))
		} else if len(b.rd.namespaces) > 0 && b.st.Namespaces[ds.NamespaceID] == nil {
			b.note("dangling-sd-ns", "Cloud Map services whose namespace is not in the snapshot", it.at.warning(CodeDangling, ds.ID,
				"Cloud Map service "+ds.Name+" is in namespace "+ds.NamespaceID+", which is not in the snapshot"))
		}
		b.st.DiscoveryServices[ds.ID] = ds
	}
	taskByID := map[string]string{}
	for arn := range b.st.Tasks {
		taskByID[arn[strings.LastIndexByte(arn, '/')+1:]] = arn
	}
	for _, it := range b.rd.sdInstances {
		ds := b.st.DiscoveryServices[it.v.ServiceID]
		if ds == nil {
			b.note("dangling-sd-instances", "Cloud Map instances whose service is not in the snapshot", it.at.warning(CodeDangling, it.v.ServiceID,
				"Cloud Map instances of "+it.v.ServiceID+" skipped: the service is not in the snapshot"))
			continue
		}
		for _, in := range it.v.Instances {
			if in.ID == "" {
				continue
			}
			x := &model.DiscoveryInstance{ServiceID: ds.ID, ID: in.ID, Attributes: in.Attributes, Healthy: true}
			if arn := taskByID[in.ID]; arn != "" && in.Attributes["ECS_SERVICE_NAME"] != "" {
				// ECS registers a task under its id.
				x.TaskARN = arn
			}
			b.st.DiscoveryInstances[model.DiscoveryInstanceKey(ds.ID, in.ID)] = x
		}
	}
	b.serviceRegistries()
	b.namespaceVPCs()
}

// serviceRegistries checks the ECS services' Cloud Map registries against
// the Cloud Map services read.
func (b *builder) serviceRegistries() {
	byARN := map[string]bool{}
	for _, ds := range b.st.DiscoveryServices {
		byARN[ds.ARN] = true
	}
	for _, arn := range sortedKeys(b.st.Services) {
		svc := b.st.Services[arn]
		for _, r := range svc.ServiceRegistries {
			switch {
			case len(b.rd.sdServices) == 0 && len(b.rd.namespaces) == 0:
				b.note("no-cloud-map", "ECS services that register with Cloud Map, without Cloud Map's output", Warning{Code: CodeMissing, Resource: svc.ARN,
					Message: "service " + svc.Name + " registers with Cloud Map (" + r.RegistryARN + "), but the snapshot has no servicediscovery output: its DNS name does not resolve"})
			case !byARN[r.RegistryARN]:
				b.note("dangling-svc-registry", "ECS services whose Cloud Map service is not in the snapshot", Warning{Code: CodeDangling, Resource: svc.ARN,
					Message: "service " + svc.Name + " registers with " + r.RegistryARN + ", which is not in the snapshot"})
			}
		}
	}
}

// namespaceVPCs finds the VPC of each private DNS namespace. Cloud Map's
// answers do not name it (it is the VPC of the namespace's Route 53
// private hosted zone), so it is the VPC its instances live in: the VPC
// of the ENIs holding their AWS_INSTANCE_IPV4 addresses and of the tasks
// and awsvpc subnets of the ECS services that register with it. A
// namespace whose instances are in no known VPC, or in several, is left
// without one, with a warning.
func (b *builder) namespaceVPCs() {
	vpcs := map[string]map[model.VpcID]bool{} // namespace id → VPCs
	add := func(nsID string, v model.VpcID) {
		if v == "" {
			return
		}
		if vpcs[nsID] == nil {
			vpcs[nsID] = map[model.VpcID]bool{}
		}
		vpcs[nsID][v] = true
	}
	for _, in := range b.st.DiscoveryInstances {
		ds := b.st.DiscoveryServices[in.ServiceID]
		a, err := netip.ParseAddr(in.Attributes["AWS_INSTANCE_IPV4"])
		if err != nil || ds == nil {
			continue
		}
		// An address says which VPC only when one VPC holds it: VPCs
		// may share a CIDR (every template's 10.0.0.0/16).
		var at model.VpcID
		unique := true
		for _, n := range b.st.NetworkInterfaces {
			if n.HasAddr(a) && n.VpcID != "" {
				if at != "" && at != n.VpcID {
					unique = false
				}
				at = n.VpcID
			}
		}
		if unique {
			add(ds.NamespaceID, at)
		}
	}
	byARN := map[string]*model.DiscoveryService{}
	for _, ds := range b.st.DiscoveryServices {
		byARN[ds.ARN] = ds
	}
	for _, svc := range b.st.Services {
		// A Service Connect service's tasks are in its namespace's VPC
		// too (their Cloud Map services are API-only: no address says it
		// when every stack uses the same CIDR).
		for _, d := range svc.Deployments {
			if d.ServiceConnect == nil || d.ServiceConnect.Namespace == "" || svc.Network == nil {
				continue
			}
			for _, ns := range b.st.Namespaces {
				if ref := d.ServiceConnect.Namespace; ns.ARN == ref || ns.Name == ref || ns.ID == ref {
					for _, sn := range svc.Network.Subnets {
						if s := b.st.Subnets[sn]; s != nil {
							add(ns.ID, s.VpcID)
						}
					}
				}
			}
		}
		for _, r := range svc.ServiceRegistries {
			ds := byARN[r.RegistryARN]
			if ds == nil {
				continue
			}
			if svc.Network != nil {
				for _, sn := range svc.Network.Subnets {
					if s := b.st.Subnets[sn]; s != nil {
						add(ds.NamespaceID, s.VpcID)
					}
				}
			}
			for _, tk := range b.st.Tasks {
				if tk.ServiceName != svc.Name || tk.ClusterARN != svc.ClusterARN {
					continue
				}
				for _, at := range tk.Attachments {
					if n := b.st.NetworkInterfaces[at.ENI]; n != nil {
						add(ds.NamespaceID, n.VpcID)
					}
				}
				// a bridge or host task: its container instance's VPC
				if ci := b.st.ContainerInstances[tk.ContainerInstanceARN]; ci != nil && len(tk.Attachments) == 0 {
					if i := b.st.Instances[ci.EC2InstanceID]; i != nil {
						add(ds.NamespaceID, i.VpcID)
					}
				}
			}
		}
	}
	for _, id := range sortedKeys(b.st.Namespaces) {
		ns := b.st.Namespaces[id]
		if ns.Type != model.NamespaceDNSPrivate {
			continue
		}
		var found []model.VpcID
		for v := range vpcs[id] {
			found = append(found, v)
		}
		slices.Sort(found)
		switch len(found) {
		case 1:
			ns.VpcID = found[0]
		case 0:
			if slices.ContainsFunc(slices.Collect(maps.Values(b.st.DiscoveryServices)), func(ds *model.DiscoveryService) bool { return ds.NamespaceID == id }) {
				b.rd.warn(Warning{Code: CodeMissing, Resource: ns.ARN, Message: "the VPC of private DNS namespace " + ns.Name + " (" + id +
					") is unknown: Cloud Map does not show it and none of its instances is in a known VPC; its names resolve nowhere"})
			}
		default:
			b.rd.warn(Warning{Code: CodeInconsistent, Resource: ns.ARN, Message: "the instances of private DNS namespace " + ns.Name + " (" + id +
				") are in several VPCs (" + strings.Join(strs(found), ", ") + "); Cloud Map does not show which one the namespace answers in, so its names resolve nowhere"})
		}
	}
}
