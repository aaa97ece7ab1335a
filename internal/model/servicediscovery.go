package model

import (
	"slices"
	"time"
)

// Cloud Map namespace types.
const (
	NamespaceDNSPrivate = "DNS_PRIVATE"
	NamespaceDNSPublic  = "DNS_PUBLIC"
	NamespaceHTTP       = "HTTP"
)

// Namespace is an AWS Cloud Map namespace: a private DNS namespace (a
// Route 53 private hosted zone associated with one VPC, so its names
// resolve only inside that VPC), a public DNS namespace (a public hosted
// zone) or an HTTP namespace (API discovery only, no DNS).
type Namespace struct {
	ID   string // ns-…
	ARN  string
	Name string // the domain, e.g. "internal" or "corp.local"
	// HTTPName is the name DiscoverInstances finds the namespace by: its
	// name, with a suffix when another namespace already has that name.
	HTTPName     string
	Type         string // "DNS_PRIVATE", "DNS_PUBLIC" or "HTTP"
	VpcID        VpcID  // DNS_PRIVATE only
	HostedZoneID string // DNS namespaces only
	// ZoneVPCs are the other VPCs the private namespace's hosted zone is
	// associated with (Route 53 AssociateVPCWithHostedZone): its names
	// resolve there too.
	ZoneVPCs []VpcID
	// SOATTL is the TTL of the hosted zone's SOA record (DNS namespaces;
	// 15 when not given).
	SOATTL      int64
	Description string
	// CreatorRequestID is the idempotency token the namespace was created
	// with; OperationID the CREATE_NAMESPACE operation that created it.
	CreatorRequestID string
	OperationID      string
	CreatedAt        time.Time
	Tags             Tags
}

// DNSRecord is one record a Cloud Map service creates for each instance.
type DNSRecord struct {
	Type string // "A", "AAAA", "SRV", "CNAME"
	TTL  int64
}

// DiscoveryHealthCheck is a Cloud Map service's Route 53 health check
// (public DNS namespaces only).
type DiscoveryHealthCheck struct {
	Type             string // HTTP, HTTPS, TCP
	ResourcePath     string
	FailureThreshold int64
}

// DiscoveryService is a Cloud Map service: the name <Name>.<namespace>,
// whose instances ECS registers (one per RUNNING task of an ECS service
// that names it in its serviceRegistries).
type DiscoveryService struct {
	ID          string // srv-…
	ARN         string
	Name        string
	NamespaceID string
	Description string
	// Type is DNS_HTTP for a service with DNS records, HTTP for one
	// created with Type HTTP or in an HTTP namespace.
	Type          string
	DNSRecords    []DNSRecord
	RoutingPolicy string // "MULTIVALUE" (default) or "WEIGHTED"; "" without DNS
	HealthCheck   *DiscoveryHealthCheck
	// CustomHealth is set when the service has a HealthCheckCustomConfig:
	// its instances' health is what UpdateInstanceCustomHealthStatus says.
	CustomHealth     bool
	CustomThreshold  int64 // the config's deprecated FailureThreshold, 0 when not given
	CreatorRequestID string
	// InstancesRevision moves on with every change to the service's
	// instances (DiscoverInstancesRevision).
	InstancesRevision int64
	// Attributes are the service attributes (UpdateServiceAttributes).
	Attributes map[string]string
	CreatedAt  time.Time
	Tags       Tags
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

// DiscoveryInstance is an instance registered with a Cloud Map service,
// keyed in the state by DiscoveryInstanceKey.
type DiscoveryInstance struct {
	ServiceID        string
	ID               string
	Attributes       map[string]string
	CreatorRequestID string
	// Healthy is the instance's custom health status (services with a
	// HealthCheckCustomConfig); it starts as AWS_INIT_HEALTH_STATUS says.
	Healthy bool
	// TaskARN is the ECS task that registered the instance, "" for one
	// registered through the API.
	TaskARN      string
	RegisteredAt time.Time
}

// DiscoveryInstanceKey is the state key of a Cloud Map instance.
func DiscoveryInstanceKey(serviceID, instanceID string) string {
	return serviceID + "/" + instanceID
}

// Cloud Map operation statuses.
const (
	OperationSubmitted = "SUBMITTED"
	OperationPending   = "PENDING"
	OperationSuccess   = "SUCCESS"
	OperationFail      = "FAIL"
)

// DiscoveryOperation is a Cloud Map asynchronous operation (namespace
// creation, update and deletion, service update, instance registration and
// deregistration): it is SUBMITTED when the request returns and SUCCESS
// once the change is applied.
type DiscoveryOperation struct {
	ID           string
	Type         string // CREATE_NAMESPACE, DELETE_NAMESPACE, UPDATE_NAMESPACE, UPDATE_SERVICE, REGISTER_INSTANCE, DEREGISTER_INSTANCE
	Status       string
	ErrorCode    string
	ErrorMessage string
	// Targets maps NAMESPACE, SERVICE and INSTANCE to the ids the
	// operation acts on.
	Targets   map[string]string
	CreatedAt time.Time
	UpdatedAt time.Time
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

// ResolvesIn reports whether the namespace's names resolve from a VPC: a
// public namespace's everywhere, a private one's in its VPC and the VPCs
// its hosted zone is associated with; an HTTP namespace has no DNS names.
func (ns *Namespace) ResolvesIn(vpc VpcID) bool {
	switch ns.Type {
	case NamespaceDNSPublic:
		return true
	case NamespaceHTTP:
		return false
	}
	if vpc == "" {
		return false
	}
	return vpc == ns.VpcID || slices.Contains(ns.ZoneVPCs, vpc)
}
