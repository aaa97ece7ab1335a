package model

import "time"

// Namespace is an AWS Cloud Map namespace. ecsnet models private DNS
// namespaces (DNS_PRIVATE): a Route 53 private hosted zone associated with
// one VPC, so its names resolve only inside that VPC.
type Namespace struct {
	ID           string // ns-…
	ARN          string
	Name         string // the domain, e.g. "internal" or "corp.local"
	Type         string // "DNS_PRIVATE"
	VpcID        VpcID
	HostedZoneID string
	Description  string
	CreatedAt    time.Time
	Tags         Tags
}

// DNSRecord is one record a Cloud Map service creates for each instance.
type DNSRecord struct {
	Type string // "A", "AAAA", "SRV", "CNAME"
	TTL  int64
}

// DiscoveryService is a Cloud Map service: the name <Name>.<namespace>,
// whose instances ECS registers (one per RUNNING task of an ECS service
// that names it in its serviceRegistries).
type DiscoveryService struct {
	ID            string // srv-…
	ARN           string
	Name          string
	NamespaceID   string
	Description   string
	DNSRecords    []DNSRecord
	RoutingPolicy string // "MULTIVALUE" (default) or "WEIGHTED"
	CreatedAt     time.Time
	Tags          Tags
}

// HasRecord reports whether the service creates records of type typ.
func (s *DiscoveryService) HasRecord(typ string) bool {
	for _, r := range s.DNSRecords {
		if r.Type == typ {
			return true
		}
	}
	return false
}

// ServiceRegistry ties an ECS service to a Cloud Map service: its tasks
// are registered as instances (A records: the task's address; SRV: the
// address and the port).
type ServiceRegistry struct {
	RegistryARN   string
	Port          uint16
	ContainerName string
	ContainerPort uint16
}
