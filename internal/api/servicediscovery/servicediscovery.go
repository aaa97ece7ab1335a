// Package servicediscovery serves AWS Cloud Map (servicediscovery, AWS
// JSON 1.1): namespaces (private DNS, public DNS, HTTP), services,
// instances, their health, the asynchronous operations that create and
// change them, and tags. ECS registers the tasks of services with
// serviceRegistries itself (internal/engine); the analyzer resolves
// <service>.<namespace> names from the same state.
//
// DiscoverInstances and DiscoverInstancesRevision are served on AWS's
// data endpoint (botocore's hostPrefix "data-"): ecsnet answers them on
// its one port, whatever the Host, and its Host check accepts the
// "data-" form of an allowed host.
package servicediscovery

import (
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Cloud Map handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("servicediscovery", op, h) }
	add("CreatePrivateDnsNamespace", createNamespace(model.NamespaceDNSPrivate))
	add("CreatePublicDnsNamespace", createNamespace(model.NamespaceDNSPublic))
	add("CreateHttpNamespace", createNamespace(model.NamespaceHTTP))
	add("GetNamespace", getNamespace)
	add("ListNamespaces", listNamespaces)
	add("DeleteNamespace", deleteNamespace)
	add("UpdatePrivateDnsNamespace", updateNamespace(model.NamespaceDNSPrivate))
	add("UpdatePublicDnsNamespace", updateNamespace(model.NamespaceDNSPublic))
	add("UpdateHttpNamespace", updateNamespace(model.NamespaceHTTP))
	add("CreateService", createService)
	add("GetService", getService)
	add("ListServices", listServices)
	add("UpdateService", updateService)
	add("DeleteService", deleteService)
	add("GetServiceAttributes", getServiceAttributes)
	add("UpdateServiceAttributes", updateServiceAttributes)
	add("DeleteServiceAttributes", deleteServiceAttributes)
	add("RegisterInstance", registerInstance)
	add("DeregisterInstance", deregisterInstance)
	add("GetInstance", getInstance)
	add("ListInstances", listInstances)
	add("GetInstancesHealthStatus", getInstancesHealthStatus)
	add("UpdateInstanceCustomHealthStatus", updateInstanceCustomHealthStatus)
	add("DiscoverInstances", discoverInstances)
	add("DiscoverInstancesRevision", discoverInstancesRevision)
	add("GetOperation", getOperation)
	add("ListOperations", listOperations)
	add("TagResource", tagResource)
	add("UntagResource", untagResource)
	add("ListTagsForResource", listTagsForResource)
}

func invalid(format string, args ...any) error { return apierr.Newf("InvalidInput", format, args...) }

// tagsIn returns the request's tags; keys starting with "aws:" are
// reserved for AWS's own tags.
func tagsIn(c *api.Call) (model.Tags, error) {
	tags := api.KeyValues(c.In.Structs("Tags"), "Key", "Value")
	for k := range tags {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return nil, invalid("Tag keys starting with 'aws:' are reserved for internal use.")
		}
	}
	return tags, nil
}

func opOut(op *model.DiscoveryOperation) map[string]any {
	return map[string]any{"OperationId": op.ID}
}

func httpName(ns *model.Namespace) string {
	if ns.HTTPName != "" {
		return ns.HTTPName
	}
	return ns.Name
}

func namespaceOut(st *model.State, ns *model.Namespace, full bool) map[string]any {
	props := map[string]any{"HttpProperties": map[string]any{"HttpName": httpName(ns)}}
	if ns.Type != model.NamespaceHTTP {
		props["DnsProperties"] = map[string]any{"HostedZoneId": ns.HostedZoneID, "SOA": map[string]any{"TTL": ns.SOATTL}}
	}
	out := map[string]any{"Id": ns.ID, "Arn": ns.ARN, "ResourceOwner": st.Account, "Name": ns.Name, "Type": ns.Type,
		"ServiceCount": engine.SDServiceCount(st, ns.ID), "Properties": props, "CreateDate": api.Time(ns.CreatedAt)}
	if ns.Description != "" {
		out["Description"] = ns.Description
	}
	if full && ns.CreatorRequestID != "" {
		out["CreatorRequestId"] = ns.CreatorRequestID
	}
	return out
}

func createNamespace(typ string) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		tags, err := tagsIn(c)
		if err != nil {
			return nil, err
		}
		in := engine.CreateNamespaceInput{Type: typ, Name: c.In.String("Name"), VpcID: model.VpcID(c.In.String("Vpc")),
			Description: c.In.String("Description"), CreatorRequestID: c.In.String("CreatorRequestId"), Tags: tags}
		if dp := c.In.Struct("Properties").Struct("DnsProperties"); dp != nil {
			in.SOATTL = dp.Struct("SOA").Int("TTL")
		}
		_, op, err := c.Engine.CreateNamespace(in)
		if err != nil && op != nil && op.Status == model.OperationFail {
			// Taken; its operation failed (GetOperation says why).
			return opOut(op), nil
		}
		if err != nil {
			return nil, err
		}
		return opOut(op), nil
	}
}

func getNamespace(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var ns *model.Namespace
		if ns, err = engine.SDNamespace(st, c.In.String("Id")); err == nil {
			out = map[string]any{"Namespace": namespaceOut(st, ns, true)}
		}
	})
	return out, err
}

// condition returns a filter's condition (EQ when absent) after checking
// it is one of allowed.
func condition(f awsproto.Params, allowed ...string) (string, error) {
	cond := f.String("Condition")
	if cond == "" {
		cond = "EQ"
	}
	for _, a := range allowed {
		if a == cond {
			if cond == "EQ" && len(f.Strings("Values")) != 1 {
				return "", invalid("The %s filter with the EQ condition takes exactly one value.", f.String("Name"))
			}
			return cond, nil
		}
	}
	return "", invalid("The %s condition is not supported for the %s filter.", cond, f.String("Name"))
}

// match applies an EQ, IN or BEGINS_WITH condition.
func match(cond string, values []string, v string) bool {
	for _, x := range values {
		if cond == "BEGINS_WITH" && strings.HasPrefix(v, x) || cond != "BEGINS_WITH" && v == x {
			return true
		}
	}
	return false
}

func pageOf[T any](c *api.Call, items []T, key func(T) string) ([]T, any, error) {
	limit := c.In.IntOr("MaxResults", 100)
	out, next, ok := api.Paginate(items, key, c.In.String("NextToken"), int(limit))
	if !ok {
		return nil, nil, invalid("The NextToken is invalid.")
	}
	if next == "" {
		return out, nil, nil
	}
	return out, next, nil
}

// listPage sorts items by key, cuts the page MaxResults and NextToken
// ask for, and renders it: the List operations' answer and its NextToken.
func listPage[T any](c *api.Call, items []T, key func(T) string, render func(T) any) ([]any, any, error) {
	page, next, err := pageOf(c, items, key)
	if err != nil {
		return nil, nil, err
	}
	out := make([]any, 0, len(page))
	for _, it := range page {
		out = append(out, render(it))
	}
	return out, next, nil
}

func listNamespaces(c *api.Call) (map[string]any, error) {
	type cond struct {
		name, cond string
		values     []string
	}
	var conds []cond
	for _, f := range c.In.Structs("Filters") {
		var allowed []string
		switch f.String("Name") {
		case "TYPE":
			allowed = []string{"EQ", "IN"}
		case "NAME", "HTTP_NAME":
			allowed = []string{"EQ", "BEGINS_WITH"}
		case "RESOURCE_OWNER":
			allowed = []string{"EQ"}
		default:
			return nil, invalid("The filter %s is invalid.", f.String("Name"))
		}
		cd, err := condition(f, allowed...)
		if err != nil {
			return nil, err
		}
		conds = append(conds, cond{f.String("Name"), cd, f.Strings("Values")})
	}
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var nss []*model.Namespace
		for _, ns := range st.Namespaces {
			ok := true
			for _, f := range conds {
				switch f.name {
				case "TYPE":
					ok = ok && match(f.cond, f.values, ns.Type)
				case "NAME":
					ok = ok && match(f.cond, f.values, ns.Name)
				case "HTTP_NAME":
					ok = ok && match(f.cond, f.values, httpName(ns))
				case "RESOURCE_OWNER":
					ok = ok && match(f.cond, f.values, "SELF")
				}
			}
			if ok {
				nss = append(nss, ns)
			}
		}
		out, next, err = listPage(c, nss, func(n *model.Namespace) string { return n.ID },
			func(ns *model.Namespace) any { return namespaceOut(st, ns, false) })
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Namespaces": out, "NextToken": next}, nil
}

func deleteNamespace(c *api.Call) (map[string]any, error) {
	op, err := c.Engine.DeleteNamespace(c.In.String("Id"))
	if err != nil {
		return nil, err
	}
	return opOut(op), nil
}

func updateNamespace(typ string) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		ch := c.In.Struct("Namespace")
		in := engine.UpdateNamespaceInput{Ref: c.In.String("Id"), Type: typ}
		if ch.Has("Description") {
			d := ch.String("Description")
			in.Description = &d
		}
		if soa := ch.Struct("Properties").Struct("DnsProperties").Struct("SOA"); soa.Has("TTL") {
			in.SOATTL = soa.Int("TTL")
		}
		op, err := c.Engine.UpdateNamespace(in)
		if err != nil {
			return nil, err
		}
		return opOut(op), nil
	}
}

func recordsIn(list []awsproto.Params) []model.DNSRecord {
	out := []model.DNSRecord{}
	for _, r := range list {
		out = append(out, model.DNSRecord{Type: r.String("Type"), TTL: r.Int("TTL")})
	}
	return out
}

func healthCheckIn(p awsproto.Params) *model.DiscoveryHealthCheck {
	if p == nil {
		return nil
	}
	hc := &model.DiscoveryHealthCheck{Type: p.String("Type"), ResourcePath: p.String("ResourcePath"), FailureThreshold: p.IntOr("FailureThreshold", 1)}
	if hc.Type != "TCP" && hc.ResourcePath == "" {
		hc.ResourcePath = "/"
	}
	return hc
}

func serviceOut(st *model.State, s *model.DiscoveryService, full bool) map[string]any {
	out := map[string]any{"Id": s.ID, "Arn": s.ARN, "ResourceOwner": st.Account, "CreatedByAccount": st.Account, "Name": s.Name,
		"Type": s.Type, "InstanceCount": len(engine.SDInstances(st, s.ID)), "CreateDate": api.Time(s.CreatedAt)}
	if full {
		out["NamespaceId"] = s.NamespaceID
		if s.CreatorRequestID != "" {
			out["CreatorRequestId"] = s.CreatorRequestID
		}
	}
	if s.Description != "" {
		out["Description"] = s.Description
	}
	if len(s.DNSRecords) > 0 {
		recs := []any{}
		for _, r := range s.DNSRecords {
			recs = append(recs, map[string]any{"Type": r.Type, "TTL": r.TTL})
		}
		dc := map[string]any{"RoutingPolicy": s.RoutingPolicy, "DnsRecords": recs}
		if full {
			dc["NamespaceId"] = s.NamespaceID
		}
		out["DnsConfig"] = dc
	}
	if hc := s.HealthCheck; hc != nil {
		h := map[string]any{"Type": hc.Type, "FailureThreshold": hc.FailureThreshold}
		if hc.ResourcePath != "" {
			h["ResourcePath"] = hc.ResourcePath
		}
		out["HealthCheckConfig"] = h
	}
	if s.CustomHealth {
		h := map[string]any{}
		if s.CustomThreshold != 0 {
			h["FailureThreshold"] = s.CustomThreshold
		}
		out["HealthCheckCustomConfig"] = h
	}
	return out
}

func createService(c *api.Call) (map[string]any, error) {
	tags, err := tagsIn(c)
	if err != nil {
		return nil, err
	}
	in := engine.CreateDiscoveryServiceInput{Name: c.In.String("Name"), NamespaceID: c.In.String("NamespaceId"),
		Description: c.In.String("Description"), Type: c.In.String("Type"), CreatorRequestID: c.In.String("CreatorRequestId"),
		HealthCheck: healthCheckIn(c.In.Struct("HealthCheckConfig")), Tags: tags}
	if dc := c.In.Struct("DnsConfig"); dc != nil {
		if in.NamespaceID == "" {
			in.NamespaceID = dc.String("NamespaceId")
		} else if id := dc.String("NamespaceId"); id != "" && id != in.NamespaceID {
			return nil, invalid("NamespaceId and DnsConfig.NamespaceId name different namespaces.")
		}
		in.DNSRecords, in.RoutingPolicy = recordsIn(dc.Structs("DnsRecords")), dc.String("RoutingPolicy")
		if len(in.DNSRecords) == 0 {
			return nil, invalid("DnsConfig must contain at least one DnsRecord.")
		}
	} else {
		in.NoDNS = true
	}
	if in.NamespaceID == "" {
		return nil, invalid("NamespaceId is required.")
	}
	if hc := c.In.Struct("HealthCheckCustomConfig"); hc != nil {
		in.CustomHealth, in.CustomThreshold = true, hc.Int("FailureThreshold")
	}
	s, err := c.Engine.CreateDiscoveryService(in)
	if err != nil {
		return nil, err
	}
	return c.View(func(st *model.State) map[string]any {
		return map[string]any{"Service": serviceOut(st, s, true)}
	}), nil
}

func getService(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var s *model.DiscoveryService
		if s, err = engine.SDService(st, c.In.String("Id")); err == nil {
			out = map[string]any{"Service": serviceOut(st, s, true)}
		}
	})
	return out, err
}

func listServices(c *api.Call) (map[string]any, error) {
	var nsIDs []string
	nsFilter := false
	for _, f := range c.In.Structs("Filters") {
		switch f.String("Name") {
		case "NAMESPACE_ID":
			if _, err := condition(f, "EQ", "IN"); err != nil {
				return nil, err
			}
			nsFilter, nsIDs = true, append(nsIDs, f.Strings("Values")...)
		case "RESOURCE_OWNER":
			if _, err := condition(f, "EQ"); err != nil {
				return nil, err
			}
		default:
			return nil, invalid("The filter %s is invalid.", f.String("Name"))
		}
	}
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		want := map[string]bool{}
		for _, ref := range nsIDs {
			if ns, err := engine.SDNamespace(st, ref); err == nil {
				want[ns.ID] = true
			}
		}
		var ss []*model.DiscoveryService
		for _, s := range st.DiscoveryServices {
			if !nsFilter || want[s.NamespaceID] {
				ss = append(ss, s)
			}
		}
		out, next, err = listPage(c, ss, func(s *model.DiscoveryService) string { return s.ID },
			func(s *model.DiscoveryService) any { return serviceOut(st, s, false) })
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Services": out, "NextToken": next}, nil
}

func updateService(c *api.Call) (map[string]any, error) {
	ch := c.In.Struct("Service")
	in := engine.UpdateDiscoveryServiceInput{Ref: c.In.String("Id"), HealthCheck: healthCheckIn(ch.Struct("HealthCheckConfig"))}
	if ch.Has("Description") {
		d := ch.String("Description")
		in.Description = &d
	}
	if dc := ch.Struct("DnsConfig"); dc != nil {
		in.DNSRecords = recordsIn(dc.Structs("DnsRecords"))
	}
	op, err := c.Engine.UpdateDiscoveryService(in)
	if err != nil {
		return nil, err
	}
	return opOut(op), nil
}

func deleteService(c *api.Call) (map[string]any, error) {
	if err := c.Engine.DeleteDiscoveryService(c.In.String("Id")); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func getServiceAttributes(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var s *model.DiscoveryService
		if s, err = engine.SDService(st, c.In.String("ServiceId")); err == nil {
			attrs := map[string]any{}
			for k, v := range s.Attributes {
				attrs[k] = v
			}
			out = map[string]any{"ServiceAttributes": map[string]any{"ServiceArn": s.ARN, "ResourceOwner": st.Account, "Attributes": attrs}}
		}
	})
	return out, err
}

func updateServiceAttributes(c *api.Call) (map[string]any, error) {
	if err := c.Engine.UpdateServiceAttributes(c.In.String("ServiceId"), c.In.StringMap("Attributes"), nil); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func deleteServiceAttributes(c *api.Call) (map[string]any, error) {
	if err := c.Engine.UpdateServiceAttributes(c.In.String("ServiceId"), nil, c.In.Strings("Attributes")); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func registerInstance(c *api.Call) (map[string]any, error) {
	op, err := c.Engine.RegisterInstance(engine.RegisterInstanceInput{ServiceRef: c.In.String("ServiceId"), InstanceID: c.In.String("InstanceId"),
		CreatorRequestID: c.In.String("CreatorRequestId"), Attributes: c.In.StringMap("Attributes")})
	if err != nil {
		return nil, err
	}
	return opOut(op), nil
}

func deregisterInstance(c *api.Call) (map[string]any, error) {
	op, err := c.Engine.DeregisterInstance(c.In.String("ServiceId"), c.In.String("InstanceId"))
	if err != nil {
		return nil, err
	}
	return opOut(op), nil
}

func attrsOut(m map[string]string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func getInstance(c *api.Call) (map[string]any, error) {
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		var s *model.DiscoveryService
		if s, err = engine.SDService(st, c.In.String("ServiceId")); err != nil {
			return
		}
		id := c.In.String("InstanceId")
		in := st.DiscoveryInstances[model.DiscoveryInstanceKey(s.ID, id)]
		if in == nil {
			err = apierr.Newf("InstanceNotFound", "No instance exists with ID: %s", id)
			return
		}
		inst := map[string]any{"Id": in.ID, "Attributes": attrsOut(in.Attributes), "CreatedByAccount": st.Account}
		if in.CreatorRequestID != "" {
			inst["CreatorRequestId"] = in.CreatorRequestID
		}
		out = map[string]any{"ResourceOwner": st.Account, "Instance": inst}
	})
	return out, err
}

func listInstances(c *api.Call) (map[string]any, error) {
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var s *model.DiscoveryService
		if s, err = engine.SDService(st, c.In.String("ServiceId")); err != nil {
			return
		}
		out, next, err = listPage(c, engine.SDInstances(st, s.ID), func(i *model.DiscoveryInstance) string { return i.ID },
			func(in *model.DiscoveryInstance) any {
				return map[string]any{"Id": in.ID, "Attributes": attrsOut(in.Attributes), "CreatedByAccount": st.Account}
			})
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ResourceOwner": c.Account, "Instances": out, "NextToken": next}, nil
}

func getInstancesHealthStatus(c *api.Call) (map[string]any, error) {
	var status map[string]any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var s *model.DiscoveryService
		if s, err = engine.SDService(st, c.In.String("ServiceId")); err != nil {
			return
		}
		all := engine.SDInstances(st, s.ID)
		if ids := c.In.Strings("Instances"); len(ids) > 0 {
			all = all[:0:0]
			for _, id := range ids {
				in := st.DiscoveryInstances[model.DiscoveryInstanceKey(s.ID, id)]
				if in == nil {
					err = apierr.Newf("InstanceNotFound", "No instance exists with ID: %s", id)
					return
				}
				all = append(all, in)
			}
			api.SortBy(all, func(i *model.DiscoveryInstance) string { return i.ID })
		}
		var page []*model.DiscoveryInstance
		if page, next, err = pageOf(c, all, func(i *model.DiscoveryInstance) string { return i.ID }); err != nil {
			return
		}
		status = map[string]any{}
		for _, in := range page {
			status[in.ID] = engine.InstanceHealth(s, in)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Status": status, "NextToken": next}, nil
}

func updateInstanceCustomHealthStatus(c *api.Call) (map[string]any, error) {
	if err := c.Engine.UpdateInstanceCustomHealthStatus(c.In.String("ServiceId"), c.In.String("InstanceId"), c.In.String("Status")); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

// discovered finds the service DiscoverInstances names: the namespace by
// its HTTP name, the service by name in it.
func discovered(c *api.Call, st *model.State) (*model.Namespace, *model.DiscoveryService, error) {
	if o := c.In.String("OwnerAccount"); o != "" && o != st.Account {
		return nil, nil, apierr.Newf("NamespaceNotFound", "No namespace exists with name: %s", c.In.String("NamespaceName"))
	}
	name := c.In.String("NamespaceName")
	var ns *model.Namespace
	for _, x := range st.Namespaces {
		if strings.EqualFold(httpName(x), name) {
			ns = x
		}
	}
	if ns == nil {
		return nil, nil, apierr.Newf("NamespaceNotFound", "No namespace exists with name: %s", name)
	}
	svc := strings.ToLower(c.In.String("ServiceName"))
	for _, s := range st.DiscoveryServices {
		if s.NamespaceID == ns.ID && s.Name == svc {
			return ns, s, nil
		}
	}
	return nil, nil, apierr.Newf("ServiceNotFound", "No service exists with name: %s", c.In.String("ServiceName"))
}

func discoverInstances(c *api.Call) (map[string]any, error) {
	filter := c.In.String("HealthStatus")
	if filter == "" {
		filter = "HEALTHY"
	}
	limit := int(c.In.IntOr("MaxResults", 100))
	query, optional := c.In.StringMap("QueryParameters"), c.In.StringMap("OptionalParameters")
	var out []any
	var rev int64
	var err error
	c.Engine.Read(func(st *model.State) {
		var ns *model.Namespace
		var s *model.DiscoveryService
		if ns, s, err = discovered(c, st); err != nil {
			return
		}
		rev = s.InstancesRevision
		type hit struct {
			in     *model.DiscoveryInstance
			health string
		}
		var matched []hit
		for _, in := range engine.SDInstances(st, s.ID) {
			ok := true
			for k, v := range query {
				ok = ok && in.Attributes[k] == v
			}
			if ok {
				matched = append(matched, hit{in, engine.InstanceHealth(s, in)})
			}
		}
		// OptionalParameters narrow the result only when some instance
		// matches them all.
		if len(optional) > 0 {
			var narrowed []hit
			for _, h := range matched {
				ok := true
				for k, v := range optional {
					ok = ok && h.in.Attributes[k] == v
				}
				if ok {
					narrowed = append(narrowed, h)
				}
			}
			if len(narrowed) > 0 {
				matched = narrowed
			}
		}
		checked := s.CustomHealth || s.HealthCheck != nil
		if checked && filter != "ALL" {
			var kept []hit
			for _, h := range matched {
				if filter == "UNHEALTHY" && h.health == "UNHEALTHY" || filter != "UNHEALTHY" && h.health == "HEALTHY" {
					kept = append(kept, h)
				}
			}
			if len(kept) == 0 && filter == "HEALTHY_OR_ELSE_ALL" {
				kept = matched
			}
			matched = kept
		}
		if len(matched) > limit {
			matched = matched[:limit]
		}
		out = []any{}
		for _, h := range matched {
			out = append(out, map[string]any{"InstanceId": h.in.ID, "NamespaceName": httpName(ns), "ServiceName": s.Name,
				"HealthStatus": h.health, "Attributes": attrsOut(h.in.Attributes)})
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Instances": out, "InstancesRevision": rev}, nil
}

func discoverInstancesRevision(c *api.Call) (map[string]any, error) {
	var rev int64
	var err error
	c.Engine.Read(func(st *model.State) {
		var s *model.DiscoveryService
		if _, s, err = discovered(c, st); err == nil {
			rev = s.InstancesRevision
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstancesRevision": rev}, nil
}

func operationOut(st *model.State, op *model.DiscoveryOperation) map[string]any {
	targets := map[string]any{}
	for _, k := range []string{"NAMESPACE", "SERVICE", "INSTANCE"} {
		if v, ok := op.Targets[k]; ok {
			targets[k] = v
		}
	}
	out := map[string]any{"Id": op.ID, "OwnerAccount": st.Account, "Type": op.Type, "Status": op.Status,
		"CreateDate": api.Time(op.CreatedAt), "UpdateDate": api.Time(op.UpdatedAt), "Targets": targets}
	if op.ErrorCode != "" {
		out["ErrorCode"], out["ErrorMessage"] = op.ErrorCode, op.ErrorMessage
	}
	return out
}

func getOperation(c *api.Call) (map[string]any, error) {
	var out map[string]any
	c.Engine.Read(func(st *model.State) {
		if op := st.DiscoveryOperations[c.In.String("OperationId")]; op != nil {
			out = map[string]any{"Operation": operationOut(st, op)}
		}
	})
	if out == nil {
		return nil, apierr.Newf("OperationNotFound", "No operation found with ID: %s", c.In.String("OperationId"))
	}
	return out, nil
}

func listOperations(c *api.Call) (map[string]any, error) {
	type cond struct {
		name, cond string
		values     []string
	}
	var conds []cond
	for _, f := range c.In.Structs("Filters") {
		var allowed []string
		switch f.String("Name") {
		case "NAMESPACE_ID", "SERVICE_ID":
			allowed = []string{"EQ"}
		case "STATUS", "TYPE":
			allowed = []string{"EQ", "IN"}
		case "UPDATE_DATE":
			allowed = []string{"BETWEEN"}
		default:
			return nil, invalid("The filter %s is invalid.", f.String("Name"))
		}
		cd, err := condition(f, allowed...)
		if err != nil {
			return nil, err
		}
		if cd == "BETWEEN" && len(f.Strings("Values")) != 2 {
			return nil, invalid("The UPDATE_DATE filter with the BETWEEN condition takes two values.")
		}
		conds = append(conds, cond{f.String("Name"), cd, f.Strings("Values")})
	}
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var ops []*model.DiscoveryOperation
		for _, op := range st.DiscoveryOperations {
			ok := true
			for _, f := range conds {
				switch f.name {
				case "NAMESPACE_ID":
					ok = ok && match(f.cond, f.values, op.Targets["NAMESPACE"])
				case "SERVICE_ID":
					ok = ok && match(f.cond, f.values, op.Targets["SERVICE"])
				case "STATUS":
					ok = ok && match(f.cond, f.values, op.Status)
				case "TYPE":
					ok = ok && match(f.cond, f.values, op.Type)
				case "UPDATE_DATE":
					ok = ok && between(f.values, op.UpdatedAt)
				}
			}
			if ok {
				ops = append(ops, op)
			}
		}
		out, next, err = listPage(c, ops, func(op *model.DiscoveryOperation) string { return op.ID },
			func(op *model.DiscoveryOperation) any { return map[string]any{"Id": op.ID, "Status": op.Status} })
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Operations": out, "NextToken": next}, nil
}

// between reports whether t is within the two values, epoch seconds.
func between(values []string, t time.Time) bool {
	lo, err1 := strconv.ParseFloat(values[0], 64)
	hi, err2 := strconv.ParseFloat(values[1], 64)
	if err1 != nil || err2 != nil {
		return false
	}
	s := float64(t.UnixMilli()) / 1000
	return s >= lo && s <= hi
}

func tagResource(c *api.Call) (map[string]any, error) {
	tags, err := tagsIn(c)
	if err != nil {
		return nil, err
	}
	if err := c.Engine.TagSDResource(c.In.String("ResourceARN"), engine.TagChange{Add: tags}); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func untagResource(c *api.Call) (map[string]any, error) {
	rm := map[string]*string{}
	for _, k := range c.In.Strings("TagKeys") {
		rm[k] = nil
	}
	if err := c.Engine.TagSDResource(c.In.String("ResourceARN"), engine.TagChange{Remove: rm}); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	arn := c.In.String("ResourceARN")
	var tags model.Tags
	found := false
	c.Engine.Read(func(st *model.State) {
		if !strings.HasPrefix(arn, "arn:") {
			return
		}
		if ns, err := engine.SDNamespace(st, arn); err == nil {
			tags, found = ns.Tags, true
		} else if s, err := engine.SDService(st, arn); err == nil {
			tags, found = s.Tags, true
		}
	})
	if !found {
		return nil, engine.ErrSDResourceNotFound(arn)
	}
	return map[string]any{"Tags": api.TagList(tags, "Key", "Value")}, nil
}
