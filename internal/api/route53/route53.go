// Package route53 serves Amazon Route 53 (REST-XML) as far as hosted
// zones and record sets go: public and private zones (with their VPCs),
// record sets (simple, weighted and aliases to load balancers), changes
// (answered INSYNC at once) and tags. The zones live in the same model
// the analyzer reads (model.HostedZone), so Network Insights and target
// health resolve the names they hold.
package route53

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the Route 53 handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("route53", op, withStatus(h)) }
	add("CreateHostedZone", createHostedZone)
	add("GetHostedZone", getHostedZone)
	add("ListHostedZones", listHostedZones)
	add("ListHostedZonesByName", listHostedZonesByName)
	add("ListHostedZonesByVPC", listHostedZonesByVPC)
	add("GetHostedZoneCount", getHostedZoneCount)
	add("UpdateHostedZoneComment", updateHostedZoneComment)
	add("DeleteHostedZone", deleteHostedZone)
	add("ChangeResourceRecordSets", changeResourceRecordSets)
	add("ListResourceRecordSets", listResourceRecordSets)
	add("GetChange", getChange)
	add("AssociateVPCWithHostedZone", associateVPC)
	add("DisassociateVPCFromHostedZone", disassociateVPC)
	add("ChangeTagsForResource", changeTagsForResource)
	add("ListTagsForResource", listTagsForResource)
	add("ListTagsForResources", listTagsForResources)
	add("GetDNSSEC", getDNSSEC)
	registerHealthChecks(add)
}

// statuses are the HTTP statuses of Route 53's errors that are not 400
// (botocore's route53 model, each error shape's httpStatusCode).
var statuses = map[string]int{
	"NoSuchHostedZone": 404, "NoSuchChange": 404, "NoSuchHealthCheck": 404, "VPCAssociationNotFound": 404,
	"HostedZoneAlreadyExists": 409, "HealthCheckAlreadyExists": 409, "HealthCheckVersionMismatch": 409, "HostedZoneNotEmpty": 400, "PriorRequestNotComplete": 400,
}

// withStatus gives an error from the engine its Route 53 HTTP status.
func withStatus(h api.Handler) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		out, err := h(c)
		var e *apierr.Error
		if errors.As(err, &e) && e.HTTPStatus == 0 {
			if s, ok := statuses[e.Code]; ok {
				c := *e
				c.HTTPStatus = s
				return nil, &c
			}
		}
		return out, err
	}
}

func invalidInput(msg string) error { return apierr.New("InvalidInput", msg) }

// zoneID reads a zone id member, with or without "/hostedzone/".
func zoneID(c *api.Call, name string) string { return model.HostedZoneRef(c.In.String(name)) }

func zoneByID(st *model.State, id string) (*model.HostedZone, error) {
	if z := st.HostedZones[model.HostedZoneRef(id)]; z != nil {
		return z, nil
	}
	if ns := linkedNamespace(st, model.HostedZoneRef(id)); ns != nil {
		return namespaceZone(ns), nil
	}
	return nil, apierr.Newf("NoSuchHostedZone", "No hosted zone found with ID: %s", model.HostedZoneRef(id))
}

func fqdn(name string) string { return name + "." }

// withChange runs fn, the call's operation, and keeps the change the
// call answers with (its id from the request id, comment) in the same
// transaction; it returns the ChangeInfo. An operation whose change
// cannot be kept fails: GetChange never denies a change an operation
// answered.
func withChange(c *api.Call, e *engine.Engine, comment string, fn func(e *engine.Engine) error) (map[string]any, error) {
	id := strings.ToUpper(strings.ReplaceAll(c.RequestID, "-", ""))
	if len(id) > 20 {
		id = id[:20]
	}
	ch, err := e.WithRoute53Change("C"+id, comment, fn)
	if err != nil {
		return nil, err
	}
	return changeOut(ch), nil
}

// changeOut is a ChangeInfo: every change applies when it is made, so it
// is INSYNC at once [choice: Route 53 answers PENDING for up to a minute].
func changeOut(ch *model.Route53Change) map[string]any {
	out := map[string]any{"Id": "/change/" + ch.ID, "Status": "INSYNC", "SubmittedAt": ch.SubmittedAt}
	if ch.Comment != "" {
		out["Comment"] = ch.Comment
	}
	return out
}

func zoneOut(st *model.State, z *model.HostedZone) map[string]any {
	cfg := map[string]any{"PrivateZone": z.Private}
	if z.Comment != "" {
		cfg["Comment"] = z.Comment
	}
	out := map[string]any{
		"Id": "/hostedzone/" + z.ID, "Name": fqdn(z.Name), "CallerReference": cmp.Or(z.CallerReference, z.ID),
		"Config": cfg, "ResourceRecordSetCount": len(engine.ZoneRecords(z)),
	}
	if ns := linkedNamespace(st, z.ID); ns != nil {
		out["LinkedService"] = map[string]any{"ServicePrincipal": "servicediscovery.amazonaws.com", "Description": ns.ARN}
	}
	return out
}

// linkedNamespace is the Cloud Map DNS namespace whose hosted zone id is
// id, or nil. Cloud Map creates a Route 53 hosted zone for each DNS
// namespace, which ListHostedZones shows with LinkedService
// servicediscovery.amazonaws.com.
func linkedNamespace(st *model.State, id string) *model.Namespace {
	if id == "" {
		return nil
	}
	for _, ns := range st.Namespaces {
		if ns.HostedZoneID == id && ns.Type != model.NamespaceHTTP {
			return ns
		}
	}
	return nil
}

// namespaceZone is the hosted zone a DNS namespace stands for: private
// with the namespace's VPC and those associated since, or public.
func namespaceZone(ns *model.Namespace) *model.HostedZone {
	z := &model.HostedZone{ID: ns.HostedZoneID, Name: model.CanonicalDNSName(ns.Name), Private: ns.Type == model.NamespaceDNSPrivate,
		Comment: ns.Description, CallerReference: cmp.Or(ns.CreatorRequestID, ns.ID)}
	if z.Private {
		z.VPCs = append([]model.VpcID{ns.VpcID}, ns.ZoneVPCs...)
	}
	return z
}

// refuseLinked refuses a change to a zone Cloud Map manages, other than
// associating a VPC [choice]: ecsnet changes such a zone through its
// namespace only.
func refuseLinked(c *api.Call, id string) error {
	var ns *model.Namespace
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			if st.HostedZones[id] == nil && ns == nil {
				ns = linkedNamespace(st, id)
			}
		})
	}
	if ns == nil {
		return nil
	}
	return invalidInput("The hosted zone " + id + " is managed by AWS Cloud Map (namespace " + ns.ID + "): change it through the namespace.")
}

// changeableZone returns the zone's copies (regions.go), or why the zone
// id cannot be changed through the Route 53 API: it does not exist
// (NoSuchHostedZone), or Cloud Map manages it.
func changeableZone(c *api.Call, id string) ([]zoneCopy, error) {
	copies, err := zoneCopies(c, id)
	if err != nil {
		return nil, err
	}
	return copies, refuseLinked(c, id)
}

func delegationSet(z *model.HostedZone) map[string]any {
	return map[string]any{"NameServers": model.Route53NameServers(z.ID)}
}

func vpcsOut(st *model.State, z *model.HostedZone) []any {
	out := []any{}
	for _, v := range z.VPCs {
		out = append(out, map[string]any{"VPCRegion": st.Region, "VPCId": string(v)})
	}
	return out
}

// vpcRegion is a VPC member's VPCRegion, the signing region when it
// gives none [choice].
func vpcRegion(c *api.Call, vpc map[string]any) string {
	if r, _ := vpc["VPCRegion"].(string); r != "" {
		return r
	}
	return c.Region
}

// callerReferenceUsed refuses a CallerReference a zone of any region was
// created with.
func callerReferenceUsed(c *api.Call, ref string) error {
	if ref == "" {
		return nil
	}
	used := false
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			for _, z := range st.HostedZones {
				used = used || z.CallerReference == ref
			}
		})
	}
	if used {
		return &apierr.Error{Code: "HostedZoneAlreadyExists", HTTPStatus: 409,
			Message: "A hosted zone has already been created with the specified caller reference."}
	}
	return nil
}

func createHostedZone(c *api.Call) (map[string]any, error) {
	in := engine.CreateHostedZoneInput{Name: c.In.String("Name"), CallerReference: c.In.String("CallerReference"),
		Comment: c.In.Struct("HostedZoneConfig").String("Comment")}
	if c.In.String("DelegationSetId") != "" {
		return nil, &apierr.Error{Code: "NoSuchDelegationSet", HTTPStatus: 400, Message: "A reusable delegation set with the specified ID does not exist: " + c.In.String("DelegationSetId")}
	}
	home := c.Engine
	if vpc := c.In.Struct("VPC"); vpc.String("VPCId") != "" {
		e, err := regionEngine(c, vpcRegion(c, vpc))
		if err != nil {
			return nil, err
		}
		home = e.e
		in.Private, in.VPCs = true, []model.VpcID{model.VpcID(vpc.String("VPCId"))}
	} else if c.In.Struct("HostedZoneConfig").Bool("PrivateZone") {
		return nil, invalidInput("When you're creating a private hosted zone (when you specify true for PrivateZone), you must also specify values for VPCId and VPCRegion.")
	}
	if err := callerReferenceUsed(c, in.CallerReference); err != nil {
		return nil, err
	}
	var z *model.HostedZone
	change, err := withChange(c, home, "", func(e *engine.Engine) (err error) { // a write: not inside the view's read
		z, err = e.CreateHostedZone(in)
		return err
	})
	if err != nil {
		return nil, err
	}
	var out map[string]any
	home.Read(func(st *model.State) {
		out = map[string]any{"HostedZone": zoneOut(st, z), "ChangeInfo": change,
			"Location": "https://route53.amazonaws.com/2013-04-01/hostedzone/" + z.ID}
		if z.Private {
			out["VPC"] = vpcsOut(st, z)[0]
		} else {
			out["DelegationSet"] = delegationSet(z)
		}
	})
	return out, nil
}

func getHostedZone(c *api.Call) (map[string]any, error) {
	copies, err := zoneCopies(c, zoneID(c, "Id"))
	if err != nil {
		return nil, err
	}
	var out map[string]any
	vpcs := []any{}
	for i, cp := range copies {
		cp.e.Read(func(st *model.State) {
			if i == 0 {
				out = map[string]any{"HostedZone": zoneOut(st, cp.z)}
			}
			vpcs = append(vpcs, vpcsOut(st, cp.z)...)
		})
	}
	if copies[0].z.Private {
		out["VPCs"] = vpcs
	} else {
		out["DelegationSet"] = delegationSet(copies[0].z)
	}
	return out, nil
}

// maxItems reads a MaxItems string (Route 53 sends and takes it as text).
func maxItems(c *api.Call, def int) (int, error) {
	s := c.In.String("MaxItems")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, invalidInput("1 validation error detected: Value '" + s + "' at 'maxItems' failed to satisfy constraint: Member must be a positive integer")
	}
	return min(n, def), nil
}

// zonesOf lists the hosted zones, Cloud Map's among them, by id.
func zonesOf(st *model.State) []*model.HostedZone {
	out := make([]*model.HostedZone, 0, len(st.HostedZones))
	for _, z := range st.HostedZones {
		out = append(out, z)
	}
	for _, ns := range st.Namespaces {
		if ns.HostedZoneID != "" && ns.Type != model.NamespaceHTTP && st.HostedZones[ns.HostedZoneID] == nil {
			out = append(out, namespaceZone(ns))
		}
	}
	slices.SortFunc(out, func(a, b *model.HostedZone) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// listedZone is a zone as the lists show it, from the first region that
// holds it.
type listedZone struct {
	z   *model.HostedZone
	out map[string]any
	// owner is ListHostedZonesByVPC's Owner.
	owner map[string]any
}

// allZones lists the zones of every region, each once, by id.
func allZones(c *api.Call) []listedZone {
	seen := map[string]bool{}
	var out []listedZone
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			for _, z := range zonesOf(st) {
				if seen[z.ID] {
					continue
				}
				seen[z.ID] = true
				out = append(out, listedZone{z: z, out: zoneOut(st, z)})
			}
		})
	}
	slices.SortFunc(out, func(a, b listedZone) int { return cmp.Compare(a.z.ID, b.z.ID) })
	return out
}

// listHostedZones lists zones in the order of their ids [choice]; the
// Marker is the id of the first zone of the next page.
func listHostedZones(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, 100)
	if err != nil {
		return nil, err
	}
	typ := c.In.String("HostedZoneType")
	marker := model.HostedZoneRef(c.In.String("Marker"))
	out := map[string]any{"MaxItems": strconv.Itoa(limit), "IsTruncated": false}
	if c.In.Has("Marker") {
		out["Marker"] = c.In.String("Marker")
	}
	list := []any{}
	for _, lz := range allZones(c) {
		z := lz.z
		if typ == "PrivateHostedZone" && !z.Private || marker != "" && z.ID < marker {
			continue
		}
		if len(list) == limit {
			out["IsTruncated"], out["NextMarker"] = true, z.ID
			break
		}
		list = append(list, lz.out)
	}
	out["HostedZones"] = list
	return out, nil
}

// reversedName orders DNS names as Route 53 lists them: by the labels
// from the right ("com.example.www"), with the trailing dot.
func reversedName(name string) string {
	labels := strings.Split(name, ".")
	slices.Reverse(labels)
	return strings.Join(labels, ".") + "."
}

func listHostedZonesByName(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, 100)
	if err != nil {
		return nil, err
	}
	dnsName, startID := c.In.String("DNSName"), zoneID(c, "HostedZoneId")
	if startID != "" && dnsName == "" {
		return nil, apierr.New("InvalidInput", "If you specify HostedZoneId, you must also specify DNSName.")
	}
	out := map[string]any{"MaxItems": strconv.Itoa(limit), "IsTruncated": false}
	if dnsName != "" {
		out["DNSName"] = dnsName
	}
	if startID != "" {
		out["HostedZoneId"] = startID
	}
	start := reversedName(model.CanonicalDNSName(dnsName))
	list := []any{}
	zones := allZones(c)
	slices.SortStableFunc(zones, func(a, b listedZone) int {
		return cmp.Or(cmp.Compare(reversedName(a.z.Name), reversedName(b.z.Name)), cmp.Compare(a.z.ID, b.z.ID))
	})
	for _, lz := range zones {
		z := lz.z
		if dnsName != "" {
			k := reversedName(z.Name)
			if k < start || k == start && startID != "" && z.ID < startID {
				continue
			}
		}
		if len(list) == limit {
			out["IsTruncated"], out["NextDNSName"], out["NextHostedZoneId"] = true, fqdn(z.Name), z.ID
			break
		}
		list = append(list, lz.out)
	}
	out["HostedZones"] = list
	return out, nil
}

func listHostedZonesByVPC(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, 100)
	if err != nil {
		return nil, err
	}
	vpc := model.VpcID(c.In.String("VPCId"))
	r, err := regionEngine(c, c.In.String("VPCRegion"))
	if err != nil {
		return map[string]any{"HostedZoneSummaries": []any{}, "MaxItems": strconv.Itoa(limit)}, nil
	}
	e := r.e
	token := c.In.String("NextToken")
	out := map[string]any{"MaxItems": strconv.Itoa(limit)}
	list := []any{}
	e.Read(func(st *model.State) {
		for _, z := range zonesOf(st) {
			if !z.AssociatedWith(vpc) || token != "" && z.ID < token {
				continue
			}
			if len(list) == limit {
				out["NextToken"] = z.ID
				break
			}
			owner := map[string]any{"OwningAccount": c.Account}
			if linkedNamespace(st, z.ID) != nil && st.HostedZones[z.ID] == nil {
				owner = map[string]any{"OwningService": "servicediscovery.amazonaws.com"}
			}
			list = append(list, map[string]any{"HostedZoneId": z.ID, "Name": fqdn(z.Name), "Owner": owner})
		}
	})
	out["HostedZoneSummaries"] = list
	return out, nil
}

func getHostedZoneCount(c *api.Call) (map[string]any, error) {
	return map[string]any{"HostedZoneCount": len(allZones(c))}, nil
}

func updateHostedZoneComment(c *api.Call) (map[string]any, error) {
	id := zoneID(c, "Id")
	copies, err := changeableZone(c, id)
	if err != nil {
		return nil, err
	}
	if _, err := writeAll(c, zoneWrites(copies, id, nil, func(e *engine.Engine) error {
		_, err := e.UpdateHostedZoneComment(id, c.In.String("Comment"))
		return err
	}), nil); err != nil {
		return nil, err
	}
	var out map[string]any
	copies[0].e.Read(func(st *model.State) {
		if z := st.HostedZones[id]; z != nil {
			out = map[string]any{"HostedZone": zoneOut(st, z)}
		}
	})
	if out == nil {
		return nil, apierr.Newf("NoSuchHostedZone", "No hosted zone found with ID: %s", id)
	}
	return out, nil
}

func deleteHostedZone(c *api.Call) (map[string]any, error) {
	id := zoneID(c, "Id")
	copies, err := changeableZone(c, id)
	if err != nil {
		return nil, err
	}
	noComment := ""
	change, err := writeAll(c, zoneWrites(copies, id, nil, func(e *engine.Engine) error { return e.DeleteHostedZone(id) }), &noComment)
	if err != nil {
		return nil, err
	}
	return map[string]any{"ChangeInfo": change}, nil
}

func changeResourceRecordSets(c *api.Call) (map[string]any, error) {
	id := zoneID(c, "HostedZoneId")
	copies, err := changeableZone(c, id)
	if err != nil {
		return nil, err
	}
	batch := c.In.Struct("ChangeBatch")
	var changes []engine.RecordChange
	for _, ch := range batch.Structs("Changes") {
		rrs := ch.Struct("ResourceRecordSet")
		in := engine.RecordSetInput{Name: rrs.String("Name"), Type: rrs.String("Type"), TTL: rrs.Int("TTL"),
			SetIdentifier: rrs.String("SetIdentifier")}
		if rrs.Has("Weight") {
			w := rrs.Int("Weight")
			in.Weight = &w
		}
		for _, p := range []string{"Region", "Failover", "GeoLocation", "MultiValueAnswer", "GeoProximityLocation", "CidrRoutingConfig"} {
			if rrs.Has(p) {
				in.OtherPolicies = append(in.OtherPolicies, p)
			}
		}
		in.Failover, in.Region, in.HealthCheckID = rrs.String("Failover"), rrs.String("Region"), rrs.String("HealthCheckId")
		if rrs.Has("MultiValueAnswer") {
			v := rrs.Bool("MultiValueAnswer")
			in.MultiValueAnswer = &v
		}
		if g := rrs.Struct("GeoLocation"); g != nil {
			in.GeoLocation = &model.GeoLocation{ContinentCode: g.String("ContinentCode"), CountryCode: g.String("CountryCode"), SubdivisionCode: g.String("SubdivisionCode")}
		}
		for _, r := range rrs.Structs("ResourceRecords") {
			in.Values = append(in.Values, r.String("Value"))
		}
		if a := rrs.Struct("AliasTarget"); a != nil {
			in.Alias = &model.AliasTarget{DNSName: a.String("DNSName"), HostedZoneID: a.String("HostedZoneId"), EvaluateTargetHealth: a.Bool("EvaluateTargetHealth")}
		}
		changes = append(changes, engine.RecordChange{Action: ch.String("Action"), Record: in})
	}
	var named []string
	for _, ch := range changes {
		named = append(named, ch.Record.HealthCheckID)
	}
	comment := batch.String("Comment")
	change, err := writeAll(c, zoneWrites(copies, id, healthChecksNamed(c, named), func(e *engine.Engine) error { return e.ChangeRecordSets(id, changes) }), &comment)
	if err != nil {
		return nil, err
	}
	return map[string]any{"ChangeInfo": change}, nil
}

func recordOut(r model.RecordSet) map[string]any {
	out := map[string]any{"Name": fqdn(engine.EscapeRecordName(r.Name)), "Type": r.Type}
	if r.SetIdentifier != "" {
		out["SetIdentifier"] = r.SetIdentifier
	}
	if r.Weight != nil {
		out["Weight"] = *r.Weight
	}
	if r.Failover != "" {
		out["Failover"] = r.Failover
	}
	if r.Region != "" {
		out["Region"] = r.Region
	}
	if r.MultiValueAnswer != nil {
		out["MultiValueAnswer"] = *r.MultiValueAnswer
	}
	if g := r.GeoLocation; g != nil {
		loc := map[string]any{}
		for k, v := range map[string]string{"ContinentCode": g.ContinentCode, "CountryCode": g.CountryCode, "SubdivisionCode": g.SubdivisionCode} {
			if v != "" {
				loc[k] = v
			}
		}
		out["GeoLocation"] = loc
	}
	if r.HealthCheckID != "" {
		out["HealthCheckId"] = r.HealthCheckID
	}
	if a := r.Alias; a != nil {
		out["AliasTarget"] = map[string]any{"HostedZoneId": a.HostedZoneID, "DNSName": fqdn(a.DNSName), "EvaluateTargetHealth": a.EvaluateTargetHealth}
		return out
	}
	out["TTL"] = r.TTL
	vals := make([]any, len(r.Values))
	for i, v := range r.Values {
		vals[i] = map[string]any{"Value": v}
	}
	out["ResourceRecords"] = vals
	return out
}

// recordKey orders record sets as ListResourceRecordSets lists them: by
// name with its labels reversed, then type, then set identifier (Route 53
// API Reference, ListResourceRecordSets, "Sort order").
func recordKey(r model.RecordSet) (string, string, string) {
	return reversedName(r.Name), r.Type, r.SetIdentifier
}

func listResourceRecordSets(c *api.Call) (map[string]any, error) {
	limit, err := maxItems(c, 300)
	if err != nil {
		return nil, err
	}
	startName, startType, startID := c.In.String("StartRecordName"), strings.ToUpper(c.In.String("StartRecordType")), c.In.String("StartRecordIdentifier")
	if startType != "" && startName == "" {
		return nil, invalidInput("The input is not valid: StartRecordType requires StartRecordName.")
	}
	out := map[string]any{"MaxItems": strconv.Itoa(limit), "IsTruncated": false}
	list := []any{}
	copies, err := zoneCopies(c, zoneID(c, "HostedZoneId"))
	if err != nil {
		return nil, err
	}
	copies[0].e.Read(func(st *model.State) {
		z := copies[0].z
		recs := engine.ZoneRecords(z)
		slices.SortStableFunc(recs, func(a, b model.RecordSet) int {
			an, at, ai := recordKey(a)
			bn, bt, bi := recordKey(b)
			return cmp.Or(cmp.Compare(an, bn), cmp.Compare(at, bt), cmp.Compare(ai, bi))
		})
		sn := reversedName(model.CanonicalDNSName(engine.UnescapeRecordName(startName)))
		for _, r := range recs {
			n, t, i := recordKey(r)
			if startName != "" && cmp.Or(cmp.Compare(n, sn), cmp.Compare(t, startType), cmp.Compare(i, startID)) < 0 {
				continue
			}
			if len(list) == limit {
				out["IsTruncated"], out["NextRecordName"], out["NextRecordType"] = true, fqdn(engine.EscapeRecordName(r.Name)), r.Type
				if r.SetIdentifier != "" {
					out["NextRecordIdentifier"] = r.SetIdentifier
				}
				break
			}
			list = append(list, recordOut(r))
		}
	})
	if err != nil {
		return nil, err
	}
	out["ResourceRecordSets"] = list
	return out, nil
}

// getChange answers a change this server issued (changeInfo), and
// NoSuchChange for any other id.
func getChange(c *api.Call) (map[string]any, error) {
	id := strings.TrimPrefix(strings.TrimPrefix(c.In.String("Id"), "/change/"), "change/")
	var ch *model.Route53Change
	for _, r := range regionEngines(c) {
		r.e.Read(func(st *model.State) {
			if ch == nil {
				ch = st.Route53Changes[id]
			}
		})
	}
	if ch == nil {
		return nil, apierr.Newf("NoSuchChange", "A change with the specified change ID does not exist.")
	}
	return map[string]any{"ChangeInfo": changeOut(ch)}, nil
}

// associateVPC associates a VPC of any region: with the zone's copy in
// the VPC's region, or a new copy there (regions.go).
func associateVPC(c *api.Call) (map[string]any, error) {
	vpc := c.In.Struct("VPC")
	vpcID := model.VpcID(vpc.String("VPCId"))
	target, err := regionEngine(c, vpcRegion(c, vpc))
	if err != nil {
		return nil, err
	}
	id := zoneID(c, "HostedZoneId")
	copies, err := zoneCopies(c, id)
	if err != nil {
		return nil, err
	}
	here := copyIn(copies, target.region)
	var ns *model.Namespace
	src := copies[0]
	if here != nil {
		src = *here
	}
	src.e.Read(func(st *model.State) {
		if st.HostedZones[id] == nil {
			ns = linkedNamespace(st, id)
		}
	})
	if ns != nil && here == nil {
		return nil, invalidInput("The hosted zone " + id + " is managed by AWS Cloud Map (namespace " + ns.ID + "): ecsnet associates it only with VPCs of the namespace's region.")
	}
	// A new copy's records name the zone's health checks, which it
	// brings (found before the write: it holds the region's lock).
	var checks map[string]*model.Route53HealthCheck
	if here == nil && ns == nil {
		var named []string
		for _, r := range src.z.Records {
			named = append(named, r.HealthCheckID)
		}
		checks = healthChecksNamed(c, named)
	}
	change, err := withChange(c, target.e, c.In.String("Comment"), func(e *engine.Engine) error {
		switch {
		case ns != nil:
			// A Cloud Map namespace's zone: the namespace keeps its VPCs.
			return e.AssociateNamespaceVPC(ns.ID, vpcID)
		case here == nil:
			if err := addHealthChecks(e, checks); err != nil {
				return err
			}
			return e.AddHostedZoneRegion(src.z, vpcID)
		}
		return e.AssociateVPCWithHostedZone(id, vpcID)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ChangeInfo": change}, nil
}

// disassociateVPC removes a VPC from the zone's copy in its region, and
// the copy with its last VPC while other regions keep VPCs of the zone.
func disassociateVPC(c *api.Call) (map[string]any, error) {
	vpc := c.In.Struct("VPC")
	vpcID := model.VpcID(vpc.String("VPCId"))
	target, err := regionEngine(c, vpcRegion(c, vpc))
	if err != nil {
		return nil, err
	}
	id := zoneID(c, "HostedZoneId")
	copies, err := changeableZone(c, id)
	if err != nil {
		return nil, err
	}
	here := copyIn(copies, target.region)
	if here == nil || !slices.Contains(here.z.VPCs, vpcID) {
		return nil, &apierr.Error{Code: "VPCAssociationNotFound", HTTPStatus: 404,
			Message: "The specified VPC " + string(vpcID) + " and hosted zone " + id + " are not currently associated."}
	}
	change, err := withChange(c, target.e, c.In.String("Comment"), func(e *engine.Engine) error {
		if len(here.z.VPCs) == 1 && vpcCount(copies) > 1 {
			return e.RemoveHostedZoneRegion(id, vpcID)
		}
		return e.DisassociateVPCFromHostedZone(id, vpcID)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"ChangeInfo": change}, nil
}

func tagResource(c *api.Call) error {
	switch c.In.String("ResourceType") {
	case "hostedzone":
		return nil
	case "healthcheck":
		return apierr.Newf("NoSuchHealthCheck", "No health check exists with the specified ID %s", c.In.String("ResourceId"))
	}
	return invalidInput("The input is not valid: ResourceType must be hostedzone or healthcheck.")
}

func changeTagsForResource(c *api.Call) (map[string]any, error) {
	add := model.Tags{}
	for _, t := range c.In.Structs("AddTags") {
		add[t.String("Key")] = t.String("Value")
	}
	remove := c.In.Strings("RemoveTagKeys")
	if c.In.String("ResourceType") == "healthcheck" {
		id := c.In.String("ResourceId")
		copies, err := checkCopies(c, id)
		if err != nil {
			return nil, err
		}
		if _, err := writeAll(c, checkWrites(copies, func(e *engine.Engine) error { return e.ChangeHealthCheckTags(id, add, remove) }), nil); err != nil {
			return nil, err
		}
		return map[string]any{}, nil
	}
	if err := tagResource(c); err != nil {
		return nil, err
	}
	id := zoneID(c, "ResourceId")
	copies, err := changeableZone(c, id)
	if err != nil {
		return nil, err
	}
	if _, err := writeAll(c, zoneWrites(copies, id, nil, func(e *engine.Engine) error { return e.ChangeHostedZoneTags(id, add, remove) }), nil); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func tagSet(st *model.State, id string) (map[string]any, error) {
	z, err := zoneByID(st, id)
	if err != nil {
		return nil, err
	}
	tags := api.TagList(z.Tags, "Key", "Value")
	list := make([]any, len(tags))
	for i, t := range tags {
		list[i] = t
	}
	return map[string]any{"ResourceType": "hostedzone", "ResourceId": z.ID, "Tags": list}, nil
}

// zoneTagSet is a zone's tag set, from the first region that holds it.
func zoneTagSet(c *api.Call, id string) (map[string]any, error) {
	copies, err := zoneCopies(c, id)
	if err != nil {
		return nil, err
	}
	var set map[string]any
	copies[0].e.Read(func(st *model.State) { set, err = tagSet(st, id) })
	return set, err
}

func listTagsForResource(c *api.Call) (map[string]any, error) {
	health := c.In.String("ResourceType") == "healthcheck"
	if err := tagResource(c); err != nil && !health {
		return nil, err
	}
	var set map[string]any
	var err error
	if health {
		set, err = healthCheckTags(c, c.In.String("ResourceId"))
	} else {
		set, err = zoneTagSet(c, zoneID(c, "ResourceId"))
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"ResourceTagSet": set}, nil
}

func listTagsForResources(c *api.Call) (map[string]any, error) {
	health := c.In.String("ResourceType") == "healthcheck"
	if err := tagResource(c); err != nil && !health {
		return nil, err
	}
	sets := []any{}
	for _, id := range c.In.Strings("ResourceIds") {
		var set map[string]any
		var err error
		if health {
			set, err = healthCheckTags(c, id)
		} else {
			set, err = zoneTagSet(c, model.HostedZoneRef(id))
		}
		if err != nil {
			return nil, err
		}
		sets = append(sets, set)
	}
	return map[string]any{"ResourceTagSets": sets}, nil
}

// getDNSSEC answers a zone's DNSSEC status: ecsnet signs no zone.
func getDNSSEC(c *api.Call) (map[string]any, error) {
	if _, err := zoneCopies(c, zoneID(c, "HostedZoneId")); err != nil {
		return nil, err
	}
	return map[string]any{"Status": map[string]any{"ServeSignature": "NOT_SIGNING"}, "KeySigningKeys": []any{}}, nil
}

// healthCheckTags is a health check's tag set, from the first region
// that holds it.
func healthCheckTags(c *api.Call, id string) (map[string]any, error) {
	copies, err := checkCopies(c, id)
	if err != nil {
		return nil, err
	}
	h := copies[0].h
	list := []any{}
	for _, t := range api.TagList(h.Tags, "Key", "Value") {
		list = append(list, t)
	}
	return map[string]any{"ResourceType": "healthcheck", "ResourceId": h.ID, "Tags": list}, nil
}
