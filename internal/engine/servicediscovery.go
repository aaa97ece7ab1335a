package engine

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// AWS Cloud Map (servicediscovery): namespaces, services, instances and
// the asynchronous operations that create and change them. Messages marked
// probable in docs/aws-behavior.md ("AWS Cloud Map") are not verified.

func sdInvalid(format string, args ...any) error { return apierr.Newf("InvalidInput", format, args...) }

func errNamespaceNotFound(id string) error {
	return apierr.Newf("NamespaceNotFound", "No namespace exists with ID: %s", id)
}

func errSDServiceNotFound(id string) error {
	return apierr.Newf("ServiceNotFound", "No service exists with ID: %s", id)
}

func errSDInstanceNotFound(id string) error {
	return apierr.Newf("InstanceNotFound", "No instance exists with ID: %s", id)
}

// DefaultSOATTL is the TTL of a DNS namespace's SOA record when the
// request gives none.
const DefaultSOATTL = 15

// CreatePrivateDNSNamespaceInput is CreatePrivateDnsNamespace's input.
type CreatePrivateDNSNamespaceInput struct {
	Name        string
	VpcID       model.VpcID
	Description string
	Tags        model.Tags
}

// CreatePrivateDNSNamespace creates a Cloud Map private DNS namespace
// associated with a VPC (scenario files, templates and Terraform
// configurations use it; the API uses CreateNamespace).
func (e *Engine) CreatePrivateDNSNamespace(in CreatePrivateDNSNamespaceInput) (*model.Namespace, error) {
	ns, _, err := e.CreateNamespace(CreateNamespaceInput{Type: model.NamespaceDNSPrivate, Name: in.Name, VpcID: in.VpcID,
		Description: in.Description, Tags: in.Tags})
	return ns, err
}

// CreateNamespaceInput is the input of CreatePrivateDnsNamespace,
// CreatePublicDnsNamespace and CreateHttpNamespace.
type CreateNamespaceInput struct {
	Type             string // model.NamespaceDNSPrivate, NamespaceDNSPublic or NamespaceHTTP
	Name             string
	VpcID            model.VpcID // DNS_PRIVATE only
	SOATTL           int64       // 0: DefaultSOATTL
	Description      string
	CreatorRequestID string
	Tags             model.Tags
}

var publicNamespaceRE = regexp.MustCompile(`^([a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$`)

// CreateNamespace creates a Cloud Map namespace. AWS creates it
// asynchronously: the request returns a CREATE_NAMESPACE operation, and
// the namespace exists once the operation succeeds. The engine creates the
// namespace at once; its operation is SUBMITTED until the next Step.
//
// A private DNS namespace's name is unique per VPC; a name reused in
// another VPC (or for another public namespace) gets an HTTP name with a
// suffix, as AWS does, because DiscoverInstances finds namespaces by HTTP
// name. Retrying a creation with the same CreatorRequestId returns the
// first request's operation.
func (e *Engine) CreateNamespace(in CreateNamespaceInput) (*model.Namespace, *model.DiscoveryOperation, error) {
	var ns *model.Namespace
	var op *model.DiscoveryOperation
	err := e.write(func(t *txn) error {
		var err error
		ns, op, err = t.createNamespace(in)
		return err
	})
	if err == nil && ns == nil && op != nil && op.Status == model.OperationFail {
		// The request was taken; its operation failed (GetOperation).
		return nil, op, apierr.New(op.ErrorCode, op.ErrorMessage)
	}
	return ns, op, err
}

// privateZoneConflict is the Route 53 refusal of the private hosted zone
// Cloud Map creates for a private DNS namespace name in vpc when a private
// zone of that name is already associated with the VPC; "" when there is
// none.
func (t *txn) privateZoneConflict(name string, vpc model.VpcID) string {
	cn := model.CanonicalDNSName(name)
	for _, id := range sortedKeys(t.st.HostedZones) {
		z := t.st.HostedZones[id]
		if z.Private && z.Name == cn && slices.Contains(z.VPCs, vpc) {
			return fmt.Sprintf("The VPC %s in %s region has already been associated with the hosted zone %s with the same domain name.", vpc, t.st.Region, z.ID)
		}
	}
	return ""
}

func (t *txn) createNamespace(in CreateNamespaceInput) (*model.Namespace, *model.DiscoveryOperation, error) {
	name := strings.TrimSuffix(in.Name, ".")
	switch in.Type {
	case model.NamespaceDNSPrivate, model.NamespaceHTTP:
		if name == "" || len(name) > 253 || strings.HasPrefix(name, "arn:") || strings.ContainsFunc(name, func(r rune) bool { return r < '!' || r > '~' }) {
			return nil, nil, sdInvalid("Namespace name is invalid: %s", in.Name)
		}
	case model.NamespaceDNSPublic:
		if !publicNamespaceRE.MatchString(name) {
			return nil, nil, sdInvalid("Namespace name is invalid: %s", in.Name)
		}
	default:
		return nil, nil, sdInvalid("Namespace type %s is invalid.", in.Type)
	}
	if in.Type != model.NamespaceHTTP {
		name = strings.ToLower(name)
	}
	if in.Type == model.NamespaceDNSPrivate {
		if in.VpcID == "" {
			return nil, nil, sdInvalid("Vpc is required for a private DNS namespace.")
		}
		if _, err := t.vpc(in.VpcID); err != nil {
			return nil, nil, sdInvalid("Vpc %s does not exist.", in.VpcID)
		}
	}
	if in.SOATTL < 0 || in.SOATTL > 2147483647 {
		return nil, nil, sdInvalid("SOA TTL %d is invalid.", in.SOATTL)
	}
	if err := checkSDTags(in.Tags); err != nil {
		return nil, nil, err
	}
	httpName := name
	taken := false
	for _, id := range sortedKeys(t.st.Namespaces) {
		x := t.st.Namespaces[id]
		if in.CreatorRequestID != "" && x.CreatorRequestID == in.CreatorRequestID {
			if x.Name == name && x.Type == in.Type && x.VpcID == in.VpcID && x.Description == in.Description {
				// A retry of a request that got through.
				if op := t.st.DiscoveryOperations[x.OperationID]; op != nil {
					return x, op, nil
				}
			}
			return nil, nil, errNamespaceExists(x)
		}
		same := strings.EqualFold(x.Name, name)
		if same && x.Type == in.Type && (in.Type != model.NamespaceDNSPrivate || x.VpcID == in.VpcID) ||
			in.Type == model.NamespaceHTTP && strings.EqualFold(x.HTTPName, name) {
			return nil, nil, errNamespaceExists(x)
		}
		taken = taken || strings.EqualFold(x.HTTPName, name)
	}
	id := "ns-" + t.e.ids.Hex(16)
	if taken {
		httpName = name + "-" + t.e.ids.Hex(8)
	}
	ns := &model.Namespace{ID: id, ARN: t.sdARN("namespace", id), Name: name, HTTPName: httpName, Type: in.Type, VpcID: in.VpcID,
		Description: in.Description, CreatorRequestID: in.CreatorRequestID, CreatedAt: t.now, Tags: in.Tags.Clone()}
	if in.Type != model.NamespaceHTTP {
		ns.HostedZoneID = "Z" + strings.ToUpper(t.e.ids.Hex(20))
		ns.SOATTL = in.SOATTL
		if ns.SOATTL == 0 {
			ns.SOATTL = DefaultSOATTL
		}
	}
	if in.Type != model.NamespaceDNSPrivate {
		ns.VpcID = ""
	}
	op := t.newSDOperation("CREATE_NAMESPACE", map[string]string{"NAMESPACE": id})
	if in.Type == model.NamespaceDNSPrivate {
		if why := t.privateZoneConflict(name, in.VpcID); why != "" {
			// Cloud Map's private hosted zone cannot be created beside
			// one of the same name in the VPC (Route 53's
			// ConflictingDomainExists): the operation fails and no
			// namespace is left.
			c := *op
			c.Status, c.ErrorCode, c.ErrorMessage = model.OperationFail, "CANNOT_CREATE_HOSTED_ZONE", why
			put(t, model.KindDiscoveryOperation, t.st.DiscoveryOperations, c.ID, &c)
			return nil, &c, nil
		}
	}
	ns.OperationID = op.ID
	put(t, model.KindNamespace, t.st.Namespaces, id, ns)
	return ns, op, nil
}

func errNamespaceExists(x *model.Namespace) error {
	return &apierr.Error{Code: "NamespaceAlreadyExists", Message: "Namespace with name " + x.Name + " already exists.",
		Fields: map[string]string{"CreatorRequestId": x.CreatorRequestID, "NamespaceId": x.ID}}
}

func (t *txn) sdARN(kind, id string) string {
	return t.e.cfg.arn("servicediscovery", kind+"/"+id)
}

// newSDOperation records a SUBMITTED operation; the next Step completes it.
func (t *txn) newSDOperation(typ string, targets map[string]string) *model.DiscoveryOperation {
	op := &model.DiscoveryOperation{ID: t.e.ids.Hex(32) + "-" + t.e.ids.Hex(8), Type: typ, Status: model.OperationSubmitted,
		Targets: targets, CreatedAt: t.now, UpdatedAt: t.now}
	put(t, model.KindDiscoveryOperation, t.st.DiscoveryOperations, op.ID, op)
	return op
}

// stepSDOperations completes the submitted Cloud Map operations.
func (t *txn) stepSDOperations() {
	for _, id := range sortedKeys(t.e.idx.pendingOps) {
		if op := t.st.DiscoveryOperations[id]; op != nil && op.Status == model.OperationSubmitted {
			c := *op
			c.Status, c.UpdatedAt = model.OperationSuccess, t.now
			put(t, model.KindDiscoveryOperation, t.st.DiscoveryOperations, id, &c)
		}
	}
}

// pendingSDOperation returns the operation of type typ on target that has
// not completed yet, or nil.
func (t *txn) pendingSDOperation(typ, targetType, target string) *model.DiscoveryOperation {
	for _, id := range sortedKeys(t.e.idx.pendingOps) {
		if op := t.st.DiscoveryOperations[id]; op != nil && op.Type == typ && op.Targets[targetType] == target {
			return op
		}
	}
	return nil
}

func errDuplicateRequest(op *model.DiscoveryOperation) error {
	return &apierr.Error{Code: "DuplicateRequest", Message: "Another operation of type " + op.Type + " and id " + op.ID + " is in progress",
		Fields: map[string]string{"DuplicateOperationId": op.ID}}
}

// checkSDTags checks the number and size of tags (the API refuses the
// reserved "aws:" prefix; CloudFormation sets such tags itself).
func checkSDTags(tags model.Tags) error {
	if len(tags) > MaxTagsPerResource {
		return apierr.New("TooManyTagsException", "The resource can have a maximum of 50 tags.")
	}
	for _, k := range sortedKeys(tags) {
		if k == "" || len(k) > MaxTagKeyLen || len(tags[k]) > MaxTagValueLen {
			return sdInvalid("Tag %q is invalid.", k)
		}
	}
	return nil
}

// SDNamespace finds a namespace by id or ARN.
func SDNamespace(st *model.State, ref string) (*model.Namespace, error) {
	if ns := st.Namespaces[ref]; ns != nil {
		return ns, nil
	}
	if strings.HasPrefix(ref, "arn:") {
		if i := strings.LastIndexByte(ref, '/'); i >= 0 {
			if ns := st.Namespaces[ref[i+1:]]; ns != nil && ns.ARN == ref {
				return ns, nil
			}
		}
	}
	return nil, errNamespaceNotFound(ref)
}

// SDService finds a Cloud Map service by id or ARN.
func SDService(st *model.State, ref string) (*model.DiscoveryService, error) {
	if s := st.DiscoveryServices[ref]; s != nil {
		return s, nil
	}
	if strings.HasPrefix(ref, "arn:") {
		if i := strings.LastIndexByte(ref, '/'); i >= 0 {
			if s := st.DiscoveryServices[ref[i+1:]]; s != nil && s.ARN == ref {
				return s, nil
			}
		}
	}
	return nil, errSDServiceNotFound(ref)
}

// SDServiceCount returns how many services a namespace holds.
func SDServiceCount(st *model.State, nsID string) int {
	n := 0
	for _, s := range st.DiscoveryServices {
		if s.NamespaceID == nsID {
			n++
		}
	}
	return n
}

// SDInstances returns a service's instances, ordered by id.
func SDInstances(st *model.State, serviceID string) []*model.DiscoveryInstance {
	var out []*model.DiscoveryInstance
	for _, in := range st.DiscoveryInstances {
		if in.ServiceID == serviceID {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(a, b *model.DiscoveryInstance) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// UpdateNamespaceInput changes a namespace's description and SOA TTL.
type UpdateNamespaceInput struct {
	Ref         string
	Type        string // the namespace type the operation is for
	Description *string
	SOATTL      int64 // 0: unchanged
}

// UpdateNamespace applies UpdatePrivateDnsNamespace,
// UpdatePublicDnsNamespace or UpdateHttpNamespace and returns its
// UPDATE_NAMESPACE operation.
func (e *Engine) UpdateNamespace(in UpdateNamespaceInput) (*model.DiscoveryOperation, error) {
	var op *model.DiscoveryOperation
	err := e.write(func(t *txn) error {
		ns, err := SDNamespace(t.st, in.Ref)
		if err != nil {
			return err
		}
		if ns.Type != in.Type {
			return sdInvalid("Namespace %s is a %s namespace, not %s.", ns.ID, ns.Type, in.Type)
		}
		if p := t.pendingSDOperation("UPDATE_NAMESPACE", "NAMESPACE", ns.ID); p != nil {
			return errDuplicateRequest(p)
		}
		if in.SOATTL < 0 || in.SOATTL > 2147483647 {
			return sdInvalid("SOA TTL %d is invalid.", in.SOATTL)
		}
		c := *ns
		if in.Description != nil {
			c.Description = *in.Description
		}
		if in.SOATTL > 0 {
			c.SOATTL = in.SOATTL
		}
		put(t, model.KindNamespace, t.st.Namespaces, c.ID, &c)
		op = t.newSDOperation("UPDATE_NAMESPACE", map[string]string{"NAMESPACE": ns.ID})
		return nil
	})
	return op, err
}

// DeleteNamespace deletes a namespace that holds no services and returns
// its DELETE_NAMESPACE operation.
func (e *Engine) DeleteNamespace(ref string) (*model.DiscoveryOperation, error) {
	var op *model.DiscoveryOperation
	err := e.write(func(t *txn) error {
		ns, err := SDNamespace(t.st, ref)
		if err != nil {
			return err
		}
		if SDServiceCount(t.st, ns.ID) > 0 {
			return apierr.New("ResourceInUse", "Namespace has associated services; delete the services before deleting the namespace")
		}
		del(t, model.KindNamespace, t.st.Namespaces, ns.ID)
		op = t.newSDOperation("DELETE_NAMESPACE", map[string]string{"NAMESPACE": ns.ID})
		return nil
	})
	return op, err
}

// CreateDiscoveryServiceInput is Cloud Map CreateService's input.
type CreateDiscoveryServiceInput struct {
	Name        string
	NamespaceID string // an id or ARN
	Description string
	// Type "HTTP" makes a service without DNS records. Otherwise a service
	// in a DNS namespace gets DNSRecords (default one A record, TTL 60,
	// unless NoDNS: a request without DnsConfig).
	Type             string
	NoDNS            bool
	DNSRecords       []model.DNSRecord
	RoutingPolicy    string
	HealthCheck      *model.DiscoveryHealthCheck
	CustomHealth     bool
	CustomThreshold  int64
	CreatorRequestID string
	Tags             model.Tags
}

var sdServiceNameRE = regexp.MustCompile(`^(([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*|\.)$`)

// CreateDiscoveryService creates a Cloud Map service in a namespace.
func (e *Engine) CreateDiscoveryService(in CreateDiscoveryServiceInput) (*model.DiscoveryService, error) {
	var out *model.DiscoveryService
	err := e.write(func(t *txn) error {
		ns, err := SDNamespace(t.st, in.NamespaceID)
		if err != nil {
			return err
		}
		if in.Name == "" || len(in.Name) > 127 || !sdServiceNameRE.MatchString(in.Name) {
			return sdInvalid("Service name is invalid: %s", in.Name)
		}
		if in.Type != "" && in.Type != "HTTP" {
			return sdInvalid("Service type %s is invalid.", in.Type)
		}
		if in.HealthCheck != nil && in.CustomHealth {
			return sdInvalid("You can specify either HealthCheckConfig or HealthCheckCustomConfig, but not both.")
		}
		if in.HealthCheck != nil && !routeHealthCheckNamespace(ns.Type) {
			return sdInvalid(errHealthCheckNamespace)
		}
		if err := checkSDTags(in.Tags); err != nil {
			return err
		}
		name := strings.ToLower(in.Name)
		for _, id := range sortedKeys(t.st.DiscoveryServices) {
			s := t.st.DiscoveryServices[id]
			if s.NamespaceID == ns.ID && strings.EqualFold(s.Name, name) {
				if in.CreatorRequestID != "" && s.CreatorRequestID == in.CreatorRequestID {
					out = s // a retry of a request that got through
					return nil
				}
				return &apierr.Error{Code: "ServiceAlreadyExists", Message: "Service already exists.",
					Fields: map[string]string{"CreatorRequestId": s.CreatorRequestID, "ServiceId": s.ID, "ServiceArn": s.ARN}}
			}
		}
		s := &model.DiscoveryService{Name: name, NamespaceID: ns.ID, Description: in.Description, CreatorRequestID: in.CreatorRequestID,
			HealthCheck: in.HealthCheck, CustomHealth: in.CustomHealth, CustomThreshold: in.CustomThreshold, CreatedAt: t.now, Tags: in.Tags.Clone()}
		hasDNS := len(in.DNSRecords) > 0 || in.RoutingPolicy != ""
		switch {
		case ns.Type == model.NamespaceHTTP:
			if hasDNS {
				return sdInvalid("When you specify an HTTP service, you can't include a DnsConfig element.")
			}
			s.Type = "HTTP"
		case in.Type == "HTTP" || in.NoDNS && !hasDNS:
			if hasDNS {
				return sdInvalid("When you specify an HTTP service, you can't include a DnsConfig element.")
			}
			s.Type = "HTTP"
		default:
			s.Type = "DNS_HTTP"
			recs := slices.Clone(in.DNSRecords)
			if len(recs) == 0 {
				recs = []model.DNSRecord{{Type: "A", TTL: 60}}
			}
			if err := checkDNSRecords(recs); err != nil {
				return err
			}
			s.DNSRecords = recs
			s.RoutingPolicy = in.RoutingPolicy
			if s.RoutingPolicy == "" {
				s.RoutingPolicy = "MULTIVALUE"
			}
			if s.RoutingPolicy != "MULTIVALUE" && s.RoutingPolicy != "WEIGHTED" {
				return sdInvalid("RoutingPolicy %s is invalid.", s.RoutingPolicy)
			}
			if s.HasRecord("CNAME") && s.RoutingPolicy != "WEIGHTED" {
				return sdInvalid("CNAME records require the WEIGHTED routing policy.")
			}
		}
		s.ID = "srv-" + t.e.ids.Hex(16)
		s.ARN = t.sdARN("service", s.ID)
		put(t, model.KindDiscoveryService, t.st.DiscoveryServices, s.ID, s)
		out = s
		return nil
	})
	return out, err
}

// errHealthCheckNamespace is Cloud Map's refusal of a Route 53 health
// check (HealthCheckConfig) for a service of a private DNS namespace.
const errHealthCheckNamespace = "HealthCheckConfig is only supported for services in public DNS namespaces and HTTP namespaces."

// routeHealthCheckNamespace reports whether a service of a namespace of
// type typ may have a Route 53 health check: "Public DNS and HTTP
// namespaces only" (CreateService's HealthCheckConfig); the CDK's
// service-with-http-namespace integration test deploys one.
func routeHealthCheckNamespace(typ string) bool {
	return typ == model.NamespaceDNSPublic || typ == model.NamespaceHTTP
}

// checkDNSRecords applies Cloud Map's combinations: one record of each
// type, any of A, AAAA and SRV together (ECS: "any combination of A or SRV
// records", and AAAA beside them on dual-stack subnets), or CNAME alone.
func checkDNSRecords(recs []model.DNSRecord) error {
	seen := map[string]bool{}
	for _, r := range recs {
		switch r.Type {
		case "A", "AAAA", "SRV", "CNAME":
		default:
			return sdInvalid("DnsRecord type %s is invalid.", r.Type)
		}
		if seen[r.Type] {
			return sdInvalid("DnsRecords can contain only one record of each type: %s.", r.Type)
		}
		if r.TTL < 0 || r.TTL > 2147483647 {
			return sdInvalid("TTL %d is invalid.", r.TTL)
		}
		seen[r.Type] = true
	}
	if seen["CNAME"] && len(recs) > 1 {
		return sdInvalid("The DnsRecords combination is invalid: a CNAME record cannot be combined with other record types.")
	}
	return nil
}

// UpdateDiscoveryServiceInput is Cloud Map UpdateService's input.
type UpdateDiscoveryServiceInput struct {
	Ref         string
	Description *string
	DNSRecords  []model.DNSRecord // nil: unchanged
	HealthCheck *model.DiscoveryHealthCheck
}

// UpdateDiscoveryService changes a service's description, record TTLs or
// Route 53 health check and returns its UPDATE_SERVICE operation.
func (e *Engine) UpdateDiscoveryService(in UpdateDiscoveryServiceInput) (*model.DiscoveryOperation, error) {
	var op *model.DiscoveryOperation
	err := e.write(func(t *txn) error {
		s, err := SDService(t.st, in.Ref)
		if err != nil {
			return err
		}
		if p := t.pendingSDOperation("UPDATE_SERVICE", "SERVICE", s.ID); p != nil {
			return errDuplicateRequest(p)
		}
		c := *s
		if in.Description != nil {
			c.Description = *in.Description
		}
		if in.DNSRecords != nil {
			if s.Type == "HTTP" {
				return sdInvalid("When you specify an HTTP service, you can't include a DnsConfig element.")
			}
			if err := checkDNSRecords(in.DNSRecords); err != nil {
				return err
			}
			c.DNSRecords = slices.Clone(in.DNSRecords)
		}
		if in.HealthCheck != nil {
			if s.CustomHealth {
				return sdInvalid("You can specify either HealthCheckConfig or HealthCheckCustomConfig, but not both.")
			}
			if ns := t.st.Namespaces[s.NamespaceID]; ns == nil || !routeHealthCheckNamespace(ns.Type) {
				return sdInvalid(errHealthCheckNamespace)
			}
			hc := *in.HealthCheck
			c.HealthCheck = &hc
		}
		put(t, model.KindDiscoveryService, t.st.DiscoveryServices, c.ID, &c)
		op = t.newSDOperation("UPDATE_SERVICE", map[string]string{"SERVICE": s.ID})
		return nil
	})
	return op, err
}

// DeleteDiscoveryService deletes a service that has no instances.
func (e *Engine) DeleteDiscoveryService(ref string) error {
	return e.write(func(t *txn) error {
		s, err := SDService(t.st, ref)
		if err != nil {
			return err
		}
		if len(SDInstances(t.st, s.ID)) > 0 {
			return apierr.New("ResourceInUse", "Service contains registered instances; delete the instances before deleting the service")
		}
		for _, svc := range t.st.Services {
			if svc.Status == "INACTIVE" || svc.Status == "DRAINING" {
				// Deleted (DRAINING while its tasks stop): it no
				// longer holds the registry; its instances, while it
				// has any, do (the check above).
				continue
			}
			for _, r := range svc.ServiceRegistries {
				if r.RegistryARN == s.ARN {
					return apierr.New("ResourceInUse", "Service is associated with the ECS service "+svc.ARN+"; delete the ECS service first")
				}
			}
		}
		del(t, model.KindDiscoveryService, t.st.DiscoveryServices, s.ID)
		return nil
	})
}

// UpdateServiceAttributes sets (set) or removes (remove) service attributes.
func (e *Engine) UpdateServiceAttributes(ref string, set map[string]string, remove []string) error {
	return e.write(func(t *txn) error {
		s, err := SDService(t.st, ref)
		if err != nil {
			return err
		}
		c := *s
		c.Attributes = maps.Clone(s.Attributes)
		if c.Attributes == nil {
			c.Attributes = map[string]string{}
		}
		maps.Copy(c.Attributes, set)
		for _, k := range remove {
			delete(c.Attributes, k)
		}
		if len(c.Attributes) > 30 {
			return apierr.New("ServiceAttributesLimitExceededException", "The attribute can't be added to the service because you've exceeded the quota for the number of attributes you can add to a service.")
		}
		put(t, model.KindDiscoveryService, t.st.DiscoveryServices, c.ID, &c)
		return nil
	})
}

// RegisterInstanceInput is RegisterInstance's input.
type RegisterInstanceInput struct {
	ServiceRef       string
	InstanceID       string
	CreatorRequestID string
	Attributes       map[string]string
}

var instanceIDRE = regexp.MustCompile(`^[0-9a-zA-Z_/:.@-]+$`)

// RegisterInstance registers (or updates) an instance of a service and
// returns its REGISTER_INSTANCE operation.
func (e *Engine) RegisterInstance(in RegisterInstanceInput) (*model.DiscoveryOperation, error) {
	var op *model.DiscoveryOperation
	err := e.write(func(t *txn) error {
		s, err := SDService(t.st, in.ServiceRef)
		if err != nil {
			return err
		}
		if in.InstanceID == "" || len(in.InstanceID) > 64 || !instanceIDRE.MatchString(in.InstanceID) {
			return sdInvalid("Instance ID %s is invalid.", in.InstanceID)
		}
		if p := t.pendingSDOperation("REGISTER_INSTANCE", "INSTANCE", in.InstanceID); p != nil && in.CreatorRequestID != "" &&
			p.Targets["SERVICE"] == s.ID && p.Targets["CREATOR_REQUEST_ID"] == in.CreatorRequestID {
			op = p // a retry of a request that got through
			return nil
		}
		if err := checkInstanceAttributes(s, in.Attributes); err != nil {
			return err
		}
		if old := t.st.DiscoveryInstances[model.DiscoveryInstanceKey(s.ID, in.InstanceID)]; old != nil && old.TaskARN != "" {
			return apierr.New("ResourceInUse", "Instance "+in.InstanceID+" was registered by Amazon ECS; ECS manages it.")
		}
		t.putSDInstance(s, &model.DiscoveryInstance{ServiceID: s.ID, ID: in.InstanceID, Attributes: maps.Clone(in.Attributes),
			CreatorRequestID: in.CreatorRequestID, Healthy: in.Attributes["AWS_INIT_HEALTH_STATUS"] != "UNHEALTHY", RegisteredAt: t.now})
		targets := map[string]string{"SERVICE": s.ID, "INSTANCE": in.InstanceID}
		if in.CreatorRequestID != "" {
			// Kept to recognise a retry; not one of the wire's targets.
			targets["CREATOR_REQUEST_ID"] = in.CreatorRequestID
		}
		op = t.newSDOperation("REGISTER_INSTANCE", targets)
		return nil
	})
	return op, err
}

// checkInstanceAttributes applies Cloud Map's rules on the AWS_ attributes
// an instance needs for its service's DNS records.
func checkInstanceAttributes(s *model.DiscoveryService, attrs map[string]string) error {
	if len(attrs) == 0 {
		return sdInvalid("Attributes must not be empty.")
	}
	if len(attrs) > 30 {
		return sdInvalid("An instance can have at most 30 attributes.")
	}
	for _, k := range sortedKeys(attrs) {
		if len(k) > 255 || len(attrs[k]) > 1024 {
			return sdInvalid("Attribute %s is too long.", k)
		}
	}
	if v, ok := attrs["AWS_INIT_HEALTH_STATUS"]; ok && v != "HEALTHY" && v != "UNHEALTHY" {
		return sdInvalid("AWS_INIT_HEALTH_STATUS must be HEALTHY or UNHEALTHY.")
	}
	if v, ok := attrs["AWS_INSTANCE_PORT"]; ok {
		if p, err := strconv.Atoi(v); err != nil || p < 1 || p > 65535 {
			return sdInvalid("AWS_INSTANCE_PORT %s is not a port between 1 and 65535.", v)
		}
	}
	if _, alias := attrs["AWS_ALIAS_DNS_NAME"]; alias {
		return nil
	}
	need := func(rec, attr string) error {
		if s.HasRecord(rec) && attrs[attr] == "" {
			return sdInvalid("The service has %s records: the instance needs the %s attribute.", rec, attr)
		}
		return nil
	}
	if s.HasRecord("A") && s.HasRecord("AAAA") {
		if attrs["AWS_INSTANCE_IPV4"] == "" && attrs["AWS_INSTANCE_IPV6"] == "" {
			return sdInvalid("The service has A and AAAA records: the instance needs AWS_INSTANCE_IPV4 or AWS_INSTANCE_IPV6.")
		}
	} else {
		for _, x := range [][2]string{{"A", "AWS_INSTANCE_IPV4"}, {"AAAA", "AWS_INSTANCE_IPV6"}} {
			if err := need(x[0], x[1]); err != nil {
				return err
			}
		}
	}
	if err := need("SRV", "AWS_INSTANCE_PORT"); err != nil {
		return err
	}
	return need("CNAME", "AWS_INSTANCE_CNAME")
}

// putSDInstance stores an instance and moves its service's revision on.
func (t *txn) putSDInstance(s *model.DiscoveryService, in *model.DiscoveryInstance) {
	put(t, model.KindDiscoveryInstance, t.st.DiscoveryInstances, model.DiscoveryInstanceKey(s.ID, in.ID), in)
	t.bumpRevision(s.ID)
}

func (t *txn) bumpRevision(serviceID string) {
	if s := t.st.DiscoveryServices[serviceID]; s != nil {
		c := *s
		c.InstancesRevision++
		put(t, model.KindDiscoveryService, t.st.DiscoveryServices, c.ID, &c)
	}
}

// DeregisterInstance removes an instance and returns its
// DEREGISTER_INSTANCE operation.
func (e *Engine) DeregisterInstance(serviceRef, instanceID string) (*model.DiscoveryOperation, error) {
	var op *model.DiscoveryOperation
	err := e.write(func(t *txn) error {
		s, err := SDService(t.st, serviceRef)
		if err != nil {
			return err
		}
		key := model.DiscoveryInstanceKey(s.ID, instanceID)
		if t.st.DiscoveryInstances[key] == nil {
			return errSDInstanceNotFound(instanceID)
		}
		del(t, model.KindDiscoveryInstance, t.st.DiscoveryInstances, key)
		t.bumpRevision(s.ID)
		op = t.newSDOperation("DEREGISTER_INSTANCE", map[string]string{"SERVICE": s.ID, "INSTANCE": instanceID})
		return nil
	})
	return op, err
}

// UpdateInstanceCustomHealthStatus sets the health of an instance of a
// service with a custom health check.
func (e *Engine) UpdateInstanceCustomHealthStatus(serviceRef, instanceID, status string) error {
	return e.write(func(t *txn) error {
		s, err := SDService(t.st, serviceRef)
		if err != nil {
			return err
		}
		in := t.st.DiscoveryInstances[model.DiscoveryInstanceKey(s.ID, instanceID)]
		if in == nil {
			return errSDInstanceNotFound(instanceID)
		}
		if !s.CustomHealth {
			return apierr.New("CustomHealthNotFound", "No custom health check is configured for service "+s.ID+".")
		}
		if status != "HEALTHY" && status != "UNHEALTHY" {
			return sdInvalid("Status %s is invalid.", status)
		}
		if in.Healthy == (status == "HEALTHY") {
			return nil
		}
		c := *in
		c.Healthy = status == "HEALTHY"
		t.putSDInstance(s, &c)
		return nil
	})
}

// InstanceHealth is an instance's health as Cloud Map reports it: the
// custom status for a service with HealthCheckCustomConfig, HEALTHY for a
// Route 53 health check (ecsnet runs none), UNKNOWN without health checks.
func InstanceHealth(s *model.DiscoveryService, in *model.DiscoveryInstance) string {
	switch {
	case s.CustomHealth && in.Healthy:
		return "HEALTHY"
	case s.CustomHealth:
		return "UNHEALTHY"
	case s.HealthCheck != nil:
		return "HEALTHY"
	}
	return "UNKNOWN"
}

// TagSDResource tags or untags a namespace or service by ARN.
func (e *Engine) TagSDResource(arn string, c TagChange) error {
	return e.write(func(t *txn) error {
		if err := checkSDTags(c.Add); err != nil {
			return err
		}
		if ns, err := SDNamespace(t.st, arn); err == nil && strings.HasPrefix(arn, "arn:") {
			cp := *ns
			cp.Tags = c.apply(ns.Tags)
			if len(cp.Tags) > MaxTagsPerResource {
				return apierr.New("TooManyTagsException", "The resource can have a maximum of 50 tags.")
			}
			put(t, model.KindNamespace, t.st.Namespaces, cp.ID, &cp)
			return nil
		}
		if s, err := SDService(t.st, arn); err == nil && strings.HasPrefix(arn, "arn:") {
			cp := *s
			cp.Tags = c.apply(s.Tags)
			if len(cp.Tags) > MaxTagsPerResource {
				return apierr.New("TooManyTagsException", "The resource can have a maximum of 50 tags.")
			}
			put(t, model.KindDiscoveryService, t.st.DiscoveryServices, cp.ID, &cp)
			return nil
		}
		return ErrSDResourceNotFound(arn)
	})
}

// ErrSDResourceNotFound is the tagging operations' error for an ARN that
// names no namespace or service.
func ErrSDResourceNotFound(arn string) error {
	return apierr.New("ResourceNotFoundException", "The operation can't be completed because the resource was not found: "+arn)
}

// discoveryServiceByARN finds a Cloud Map service by ARN.
func (t *txn) discoveryServiceByARN(arn string) *model.DiscoveryService {
	if s, err := SDService(t.st, arn); err == nil && s.ARN == arn {
		return s
	}
	for _, s := range t.st.DiscoveryServices {
		if s.ARN == arn {
			return s
		}
	}
	return nil
}

// checkServiceRegistries validates an ECS service's serviceRegistries
// (ECS allows one; SRV records need a port: for bridge and host network
// modes the container name and port; the texts are UNVERIFIED but for
// the two AWS texts below).
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
		// AWS's texts, as public Terraform issues quote them
		// (techservicesillinois/terraform-aws-ecs-service#16,
		// umotif-public/terraform-aws-ecs-fargate#25).
		if td.NetworkMode != model.NetworkModeAwsvpc && (r.ContainerName == "" || r.ContainerPort == 0) {
			return errECSInvalid("When specifying 'host' or 'bridge' for networkMode, values for 'containerName' and 'containerPort' must be specified from the task definition. Registry: %s", r.RegistryARN)
		}
		if td.NetworkMode == model.NetworkModeAwsvpc && !s.HasRecord("SRV") && r.ContainerPort != 0 {
			return errECSInvalid("The values specified for serviceRegistries do not require a value for 'containerPort'. Remove the value and retry.")
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

// registerTaskInstances registers a RUNNING service task with its Cloud
// Map services, as ECS does: the instance id is the task id; awsvpc tasks
// register their ENI's address, bridge and host tasks their instance's
// address and the host port (SRV).
func (t *txn) registerTaskInstances(tk *model.Task) {
	svc := t.serviceOf(tk)
	if svc == nil {
		return
	}
	t.registerServiceConnectInstances(svc, tk)
	if len(svc.ServiceRegistries) == 0 {
		return
	}
	td := t.st.TaskDefinitions[tk.TaskDefinitionARN]
	for _, r := range svc.ServiceRegistries {
		s := t.discoveryServiceByARN(r.RegistryARN)
		if s == nil {
			continue
		}
		attrs, hostPort, ok := t.taskInstanceAttributes(svc, tk, r.ContainerName, r.ContainerPort)
		if !ok {
			continue
		}
		if td != nil {
			attrs["ECS_TASK_DEFINITION_FAMILY"] = td.Family
		}
		port := r.Port
		switch {
		case tk.NetworkMode == model.NetworkModeAwsvpc:
			if port == 0 {
				port = r.ContainerPort
			}
		case r.ContainerPort != 0:
			port = hostPort
		}
		if port != 0 && (s.HasRecord("SRV") || r.Port != 0 || r.ContainerPort != 0) {
			attrs["AWS_INSTANCE_PORT"] = strconv.Itoa(int(port))
		}
		id := model.LastSegment(tk.ARN)
		t.putSDInstance(s, &model.DiscoveryInstance{ServiceID: s.ID, ID: id, Attributes: attrs, Healthy: true, TaskARN: tk.ARN, RegisteredAt: t.now})
	}
}

// taskInstanceAttributes are the attributes ECS gives a running service
// task's Cloud Map instance: its zone, Region, service and cluster, and
// AWS_INSTANCE_IPV4, the task ENI's address (awsvpc) or its instance's
// (bridge, host; with EC2_INSTANCE_ID). hostPort is the host port bound
// to the container's port (bridge, host; 0 if none). ok is false while
// the task has no address yet.
func (t *txn) taskInstanceAttributes(svc *model.Service, tk *model.Task, container string, containerPort uint16) (attrs map[string]string, hostPort uint16, ok bool) {
	attrs = map[string]string{"AWS_INIT_HEALTH_STATUS": "HEALTHY", "AVAILABILITY_ZONE": tk.AvailabilityZone,
		"REGION": t.e.cfg.Region, "ECS_SERVICE_NAME": svc.Name}
	if cl := t.st.Clusters[tk.ClusterARN]; cl != nil {
		attrs["ECS_CLUSTER_NAME"] = cl.Name
	}
	if tk.NetworkMode == model.NetworkModeAwsvpc {
		if len(tk.Attachments) == 0 {
			return nil, 0, false
		}
		attrs["AWS_INSTANCE_IPV4"] = tk.Attachments[0].PrivateIP.String()
		return attrs, 0, true
	}
	ci := t.st.ContainerInstances[tk.ContainerInstanceARN]
	if ci == nil {
		return nil, 0, false
	}
	inst := t.st.Instances[ci.EC2InstanceID]
	if inst == nil {
		return nil, 0, false
	}
	if eni := t.st.NetworkInterfaces[inst.PrimaryENI]; eni != nil {
		attrs["AWS_INSTANCE_IPV4"] = eni.PrimaryIP().String()
	}
	attrs["EC2_INSTANCE_ID"] = string(inst.ID)
	for _, c := range tk.Containers {
		for _, b := range c.NetworkBindings {
			if c.Name == container && b.ContainerPort == containerPort {
				hostPort = b.HostPort
			}
		}
	}
	return attrs, hostPort, true
}

// deregisterTaskInstances removes a stopping task's Cloud Map instances,
// wherever it registered them (the service's registries may have changed
// since).
func (t *txn) deregisterTaskInstances(tk *model.Task) {
	if tk.ServiceName == "" || len(t.st.DiscoveryInstances) == 0 {
		return
	}
	id := model.LastSegment(tk.ARN)
	for _, sid := range sortedKeys(t.st.DiscoveryServices) {
		key := model.DiscoveryInstanceKey(sid, id)
		if in := t.st.DiscoveryInstances[key]; in != nil && in.TaskARN == tk.ARN {
			del(t, model.KindDiscoveryInstance, t.st.DiscoveryInstances, key)
			t.bumpRevision(sid)
		}
	}
}

// AssociateNamespaceVPC associates a private DNS namespace's hosted zone
// with another VPC, as Route 53's AssociateVPCWithHostedZone does on the
// zone Cloud Map created: the namespace's names then resolve there too
// (Cloud Map developer guide, "Private DNS namespaces"). The VPC must
// exist (InvalidVPCId); associating the namespace's own VPC or one
// already associated is refused (ConflictingDomainExists, text [choice]).
func (e *Engine) AssociateNamespaceVPC(ref string, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		ns, err := SDNamespace(t.st, ref)
		if err != nil {
			return err
		}
		if ns.Type != model.NamespaceDNSPrivate {
			return sdInvalid("Namespace %s is a %s namespace: only a private DNS namespace's hosted zone is associated with VPCs.", ns.ID, ns.Type)
		}
		if t.st.VPCs[vpc] == nil {
			return apierr.Newf("InvalidVPCId", "The VPC ID '%s' is not valid.", vpc)
		}
		if vpc == ns.VpcID || slices.Contains(ns.ZoneVPCs, vpc) {
			return apierr.Newf("ConflictingDomainExists", "The VPC %s is already associated with the hosted zone %s.", vpc, ns.HostedZoneID)
		}
		c := *ns
		c.ZoneVPCs = append(slices.Clone(ns.ZoneVPCs), vpc)
		put(t, model.KindNamespace, t.st.Namespaces, c.ID, &c)
		return nil
	})
}
