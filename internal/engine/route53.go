package engine

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CreateHostedZoneInput is CreateHostedZone's input: a private zone names
// its first VPC (HostedZoneConfig.PrivateZone with VPC).
type CreateHostedZoneInput struct {
	Name    string
	Private bool
	VPCs    []model.VpcID
	Comment string
	Tags    model.Tags
	// CallerReference makes the call idempotent (the API's; "" for
	// templates and scenarios).
	CallerReference string
}

// CreateHostedZone creates a Route 53 hosted zone (scenario files,
// templates and Terraform configurations use it). A private zone needs a
// VPC ("InvalidInput"); a public zone takes none (CreateHostedZone with a
// VPC creates a private zone, Route 53 API Reference, CreateHostedZone).
func (e *Engine) CreateHostedZone(in CreateHostedZoneInput) (*model.HostedZone, error) {
	var z *model.HostedZone
	err := e.write(func(t *txn) error {
		name := model.CanonicalDNSName(in.Name)
		if name == "" || len(name) > 253 || strings.ContainsAny(name, " /:") {
			return apierr.Newf("InvalidDomainName", "%s is not a valid domain name.", in.Name)
		}
		if in.Private && len(in.VPCs) == 0 {
			return apierr.New("InvalidInput", "A private hosted zone requires a VPC.")
		}
		if !in.Private && len(in.VPCs) > 0 {
			in.Private = true
		}
		for _, v := range in.VPCs {
			if t.st.VPCs[v] == nil {
				return apierr.New("InvalidVPCId", "The VPC ID is invalid.")
			}
		}
		for _, id := range sortedKeys(t.st.HostedZones) {
			x := t.st.HostedZones[id]
			if in.CallerReference != "" && x.CallerReference == in.CallerReference {
				return &apierr.Error{Code: "HostedZoneAlreadyExists", HTTPStatus: 409,
					Message: "A hosted zone has already been created with the specified caller reference."}
			}
			if in.Private && x.Private && x.Name == name {
				for _, v := range in.VPCs {
					if slices.Contains(x.VPCs, v) {
						return zoneVPCConflict(v, t.st.Region, x.ID)
					}
				}
			}
		}
		// A private DNS namespace of Cloud Map is a private hosted zone
		// too (its LinkedService), with the namespace's VPC and those
		// associated with its zone since.
		for _, id := range sortedKeys(t.st.Namespaces) {
			ns := t.st.Namespaces[id]
			if !in.Private || ns.Type != model.NamespaceDNSPrivate || model.CanonicalDNSName(ns.Name) != name {
				continue
			}
			for _, v := range in.VPCs {
				if v == ns.VpcID || slices.Contains(ns.ZoneVPCs, v) {
					return zoneVPCConflict(v, t.st.Region, ns.HostedZoneID)
				}
			}
		}
		z = &model.HostedZone{ID: "Z" + strings.ToUpper(t.e.ids.Hex(20)), Name: name, Private: in.Private,
			VPCs: slices.Clone(in.VPCs), Comment: in.Comment, Tags: in.Tags.Clone(), CallerReference: in.CallerReference}
		put(t, model.KindHostedZone, t.st.HostedZones, z.ID, z)
		return nil
	})
	return z, err
}

// zoneVPCConflict is CreateHostedZone's refusal of a private zone whose
// VPC is already associated with a private zone of the same name (the
// zone is the existing one), as AWS words it
// (confluentinc/terraform-provider-confluent#395).
func zoneVPCConflict(vpc model.VpcID, region, zone string) error {
	return apierr.Newf("ConflictingDomainExists", "The VPC %s in region %s has already been associated with the hosted zone %s with the same domain name.", vpc, region, zone)
}

// HostedZone finds a zone by id (with or without "/hostedzone/") or, when
// exactly one zone has it, by domain name ("NoSuchHostedZone").
func HostedZone(st *model.State, ref string) (*model.HostedZone, error) {
	if z := st.HostedZones[model.HostedZoneRef(ref)]; z != nil {
		return z, nil
	}
	name := model.CanonicalDNSName(ref)
	var found *model.HostedZone
	for _, id := range sortedKeys(st.HostedZones) {
		if z := st.HostedZones[id]; z.Name == name {
			if found != nil {
				return nil, apierr.Newf("InvalidInput", "More than one hosted zone is named %s; give its id.", name)
			}
			found = z
		}
	}
	if found == nil {
		return nil, apierr.Newf("NoSuchHostedZone", "No hosted zone found with ID: %s", ref)
	}
	return found, nil
}

// AssociateVPCWithHostedZone associates a VPC with a private hosted zone
// (Route 53 AssociateVPCWithHostedZone): the zone's names then resolve
// from the VPC. A public zone refuses ("PublicZoneVPCAssociation"); a VPC
// already associated is refused ("ConflictingDomainExists").
func (e *Engine) AssociateVPCWithHostedZone(ref string, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, ref)
		if err != nil {
			return err
		}
		if !z.Private {
			return apierr.Newf("PublicZoneVPCAssociation", "You're trying to associate a VPC with a public hosted zone. Amazon Route 53 doesn't support associating a VPC with a public hosted zone.")
		}
		if t.st.VPCs[vpc] == nil {
			return apierr.New("InvalidVPCId", "The VPC ID is invalid.")
		}
		if slices.Contains(z.VPCs, vpc) {
			return apierr.Newf("ConflictingDomainExists", "The VPC %s in %s region has already been associated with the hosted zone %s with the same domain name.", vpc, t.st.Region, z.ID)
		}
		c := *z
		c.VPCs = append(slices.Clone(z.VPCs), vpc)
		put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		return nil
	})
}

// RecordSetInput is one record set of ChangeResourceRecordSets (UPSERT):
// Values are the resource records as written.
type RecordSetInput struct {
	Name   string
	Type   string
	TTL    int64
	Values []string
	Alias  *model.AliasTarget
	// SetIdentifier and Weight: a weighted record set.
	SetIdentifier string
	Weight        *int64
	// OtherPolicies names the routing policies other than Weight the
	// request gave (Region, Failover, GeoLocation, MultiValueAnswer,
	// GeoProximityLocation, CidrRoutingConfig), which ecsnet does not
	// model but counts as Route 53 does: a SetIdentifier needs exactly
	// one policy.
	OtherPolicies []string
	// The values of those the model keeps, and the record's health check.
	Failover         string
	Region           string
	GeoLocation      *model.GeoLocation
	MultiValueAnswer *bool
	HealthCheckID    string
}

// maxWeightedRecords is the most weighted records of one name and type
// (Route 53 quotas: "Weighted records with the same name and type: 100").
const maxWeightedRecords = 100

// checkRoutingPolicy refuses a record whose SetIdentifier and routing
// policy do not go together, as Route 53 refuses the request before it
// looks at the batch (InvalidInput): a policy (Weight) without a
// SetIdentifier, a SetIdentifier with no policy or with several.
func checkRoutingPolicy(in RecordSetInput, action string) error {
	policies := slices.Clone(in.OtherPolicies)
	if in.Weight != nil {
		policies = append([]string{"Weight"}, policies...)
	}
	name := model.CanonicalDNSName(UnescapeRecordName(in.Name))
	typ := strings.ToUpper(in.Type)
	const expected = "Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found %s in Change with [Action=%s, Name=%s., Type=%s, SetIdentifier=%s]"
	switch {
	case in.SetIdentifier == "" && len(policies) > 0:
		return apierr.Newf("InvalidInput", "Invalid request: Missing field 'SetIdentifier' in Change with [Action=%s, Name=%s., Type=%s, SetIdentifier=null]", action, name, typ)
	case in.SetIdentifier != "" && len(policies) == 0:
		return apierr.Newf("InvalidInput", expected, "none", action, name, typ, in.SetIdentifier)
	case len(policies) > 1:
		return apierr.Newf("InvalidInput", expected, "more than one", action, name, typ, in.SetIdentifier)
	}
	return nil
}

// UpsertRecordSet creates or replaces a record set in a zone, checked as
// ChangeResourceRecordSets checks it ("InvalidChangeBatch", with Route
// 53's messages): the name lies in the zone; a CNAME is not at the apex
// and shares its name with no other record; A and AAAA values are
// addresses of their family; an alias to a load balancer names its
// CanonicalHostedZoneId. A record set is the one of its name, type and
// SetIdentifier, so each record of a weighted set stays its own.
func (e *Engine) UpsertRecordSet(zoneRef string, in RecordSetInput) error {
	if err := checkRoutingPolicy(in, "UPSERT"); err != nil {
		return err
	}
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, zoneRef)
		if err != nil {
			return err
		}
		r, err := recordSet(t.st, z, in)
		if err != nil {
			return err
		}
		c := *z
		c.Records = slices.Clone(z.Records)
		replaced := false
		for i, x := range c.Records {
			if sameRecordSet(x, r) {
				c.Records[i], replaced = r, true
			}
		}
		if !replaced {
			c.Records = append(c.Records, r)
		}
		put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		return nil
	})
}

// checkWeightedSet refuses r where the zone's other records of its name
// and type are of the other kind (weighted against plain), or where it
// would be one weighted record too many, with Route 53's texts.
func checkWeightedSet(z *model.HostedZone, r model.RecordSet) error {
	weighted := 0
	for _, x := range z.Records {
		if x.Name != r.Name || x.Type != r.Type || x.SetIdentifier == r.SetIdentifier && r.SetIdentifier != "" {
			continue
		}
		switch {
		case r.SetIdentifier != "" && x.SetIdentifier == "":
			return invalidChangeBatch("[RRSet with DNS name %s., type %s, SetIdentifier %s cannot be created as a non-weighted set exists with the same name and type.]", r.Name, r.Type, r.SetIdentifier)
		case r.SetIdentifier == "" && x.SetIdentifier != "":
			return invalidChangeBatch("[RRSet with DNS name %s., type %s cannot be created as other RRSets exist with the same name and type.]", r.Name, r.Type)
		case x.SetIdentifier != "":
			weighted++
		}
	}
	if r.SetIdentifier != "" && weighted >= maxWeightedRecords {
		return invalidChangeBatch("[Exceeded limit on number of weighted RRSets for %s., type %s in this zone.]", r.Name, r.Type)
	}
	return nil
}

func invalidChangeBatch(format string, args ...any) error {
	return apierr.Newf("InvalidChangeBatch", format, args...)
}

func recordSet(st *model.State, z *model.HostedZone, in RecordSetInput) (model.RecordSet, error) {
	return recordSetFor(st, z, in, "UPSERT")
}

func recordSetFor(st *model.State, z *model.HostedZone, in RecordSetInput, action string) (model.RecordSet, error) {
	r := model.RecordSet{Name: model.CanonicalDNSName(in.Name), Type: strings.ToUpper(in.Type), TTL: in.TTL,
		SetIdentifier: in.SetIdentifier, Weight: in.Weight, Failover: in.Failover, Region: in.Region, MultiValueAnswer: in.MultiValueAnswer,
		HealthCheckID: in.HealthCheckID}
	if in.GeoLocation != nil {
		g := *in.GeoLocation
		r.GeoLocation = &g
	}
	if r.Name == "" {
		return r, invalidChangeBatch("[Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=%s, Name=, Type=%s]]", action, r.Type)
	}
	if !z.Covers(r.Name) {
		return r, invalidChangeBatch("[RRSet with DNS name %s. is not permitted in zone %s.]", r.Name, z.Name)
	}
	if in.Alias == nil && len(in.Values) == 0 {
		return r, invalidChangeBatch("[Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=%s, Name=%s., Type=%s]]", action, r.Name, r.Type)
	}
	if err := checkRecordHealthCheck(st, r.HealthCheckID); err != nil {
		return r, err
	}
	if in.Alias != nil && len(in.Values) > 0 {
		return r, invalidChangeBatch("[Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with [Action=%s, Name=%s., Type=%s]]", action, r.Name, r.Type)
	}
	if r.Type == "CNAME" {
		if r.Name == z.Name {
			return r, invalidChangeBatch("[RRSet of type CNAME with DNS name %s. is not permitted at apex in zone %s.]", r.Name, z.Name)
		}
		for _, x := range z.Records {
			if x.Name == r.Name && x.Type != "CNAME" {
				return r, invalidChangeBatch("[RRSet of type CNAME with DNS name %s. is not permitted as it conflicts with other records with the same DNS name in zone %s.]", r.Name, z.Name)
			}
		}
	} else {
		for _, x := range z.Records {
			if x.Name == r.Name && x.Type == "CNAME" {
				return r, invalidChangeBatch("[RRSet of type %s with DNS name %s. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone %s.]", r.Type, r.Name, z.Name)
			}
		}
	}
	if action != "DELETE" {
		if err := checkWeightedSet(z, r); err != nil {
			return r, err
		}
	}
	if a := in.Alias; a != nil {
		t := *a
		t.DNSName = model.CanonicalDNSName(t.DNSName)
		t.HostedZoneID = model.HostedZoneRef(t.HostedZoneID)
		for _, lb := range st.LoadBalancers {
			if strings.EqualFold(strings.TrimPrefix(t.DNSName, "dualstack."), lb.DNSName) && lb.CanonicalHostedZoneID != "" && lb.CanonicalHostedZoneID != t.HostedZoneID {
				return r, invalidChangeBatch("[Tried to create an alias that targets %s., type %s in zone %s, but the alias target name does not lie within the target zone]", t.DNSName, r.Type, t.HostedZoneID)
			}
		}
		r.Alias, r.TTL = &t, 0
		return r, nil
	}
	for _, v := range in.Values {
		v = strings.TrimSpace(v)
		switch r.Type {
		case "A", "AAAA":
			a, err := netip.ParseAddr(v)
			if err != nil || a.Is4() != (r.Type == "A") || a.Zone() != "" {
				code, fam := "ARRDATAIllegalIPv4Address", "IPv4"
				if r.Type == "AAAA" {
					code, fam = "AAAARRDATAIllegalIPv6Address", "IPv6"
				}
				return r, invalidChangeBatch("[Invalid Resource Record: 'FATAL problem: %s (Value is not a valid %s address) encountered with '%s'']", code, fam, v)
			}
			r.Addrs = append(r.Addrs, a)
		case "CNAME":
			if len(in.Values) > 1 {
				return r, invalidChangeBatch("[RRSet of type CNAME with DNS name %s. has more than one resource record]", r.Name)
			}
			// The value stays as written (Route 53 answers it so; the
			// analyzer canonicalises it when it follows the chain).
		}
		r.Values = append(r.Values, v)
	}
	return r, nil
}

// DeleteHostedZone deletes a hosted zone; one that still has records of
// its own is refused ("HostedZoneNotEmpty"), as Route 53 refuses it.
func (e *Engine) DeleteHostedZone(ref string) error {
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, ref)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(z.Records, func(r model.RecordSet) bool { return !ApexRecord(z, r) }) {
			return apierr.Newf("HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted.")
		}
		del(t, model.KindHostedZone, t.st.HostedZones, z.ID)
		return nil
	})
}

// DeleteRecordSet deletes a zone's record set of a name and type when
// keep is nil or reports it as the one to delete (a record replaced since
// by another of the same name and type stays). A missing zone or record
// is no error.
func (e *Engine) DeleteRecordSet(zoneRef, name, typ string, keep func(model.RecordSet) bool) error {
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, zoneRef)
		if err != nil {
			return nil
		}
		name, typ = model.CanonicalDNSName(name), strings.ToUpper(typ)
		c := *z
		c.Records = slices.DeleteFunc(slices.Clone(z.Records), func(r model.RecordSet) bool {
			return r.Name == name && r.Type == typ && (keep == nil || keep(r))
		})
		if len(c.Records) != len(z.Records) {
			put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		}
		return nil
	})
}

// RecordSignature is a record set's SetIdentifier with its values or
// alias target, to tell the record a resource made from one that
// replaced it (or from another record of its weighted set).
func RecordSignature(r model.RecordSet) string {
	id := ""
	if r.SetIdentifier != "" {
		id = "set:" + r.SetIdentifier + "/"
	}
	if r.Alias != nil {
		return id + "alias:" + r.Alias.DNSName + "@" + r.Alias.HostedZoneID
	}
	return id + strings.Join(r.Values, ",")
}

// ApexRecord reports whether r is the zone's own SOA or NS record, which
// Route 53 creates with the zone and which do not keep it from being
// deleted.
func ApexRecord(z *model.HostedZone, r model.RecordSet) bool {
	return r.Name == z.Name && (r.Type == "SOA" || r.Type == "NS") && r.SetIdentifier == ""
}

// RecordChange is one change of a ChangeResourceRecordSets batch.
type RecordChange struct {
	Action string // CREATE, DELETE or UPSERT
	Record RecordSetInput
}

// recordLabel is how Route 53's InvalidChangeBatch messages name a
// record set.
func recordLabel(r model.RecordSet) string {
	l := "[name='" + EscapeRecordName(r.Name) + ".', type='" + r.Type + "'"
	if r.SetIdentifier != "" {
		l += ", set-identifier='" + r.SetIdentifier + "'"
	}
	return l + "]"
}

// EscapeRecordName writes a record name as Route 53 answers it: "*" as
// the octal escape "\052".
func EscapeRecordName(name string) string {
	return strings.ReplaceAll(name, "*", `\052`)
}

// UnescapeRecordName undoes Route 53's octal escapes in a record name
// ("\052" is "*").
func UnescapeRecordName(name string) string {
	if !strings.Contains(name, `\`) {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		if name[i] == '\\' && i+3 < len(name) && isOctal(name[i+1]) && isOctal(name[i+2]) && isOctal(name[i+3]) {
			b.WriteByte((name[i+1]-'0')<<6 | (name[i+2]-'0')<<3 | (name[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(name[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

func sameRecordSet(a, b model.RecordSet) bool {
	return a.Name == b.Name && a.Type == b.Type && a.SetIdentifier == b.SetIdentifier
}

func sameValues(a, b model.RecordSet) bool {
	if (a.Alias == nil) != (b.Alias == nil) {
		return false
	}
	if a.Alias != nil {
		return strings.TrimPrefix(a.Alias.DNSName, "dualstack.") == strings.TrimPrefix(b.Alias.DNSName, "dualstack.") &&
			a.Alias.HostedZoneID == b.Alias.HostedZoneID && a.Alias.EvaluateTargetHealth == b.Alias.EvaluateTargetHealth
	}
	if a.TTL != b.TTL || !slices.Equal(a.Values, b.Values) {
		return false
	}
	if (a.Weight == nil) != (b.Weight == nil) || a.Weight != nil && *a.Weight != *b.Weight {
		return false
	}
	return true
}

// ChangeRecordSets applies a ChangeResourceRecordSets batch to a zone,
// all or nothing (Route 53 API Reference: "the request is processed as a
// transaction"): CREATE of a record set that exists, DELETE of one that
// does not or whose values differ, and any invalid record refuse the
// whole batch with InvalidChangeBatch, Route 53's messages in brackets.
func (e *Engine) ChangeRecordSets(zoneRef string, changes []RecordChange) error {
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, zoneRef)
		if err != nil {
			return err
		}
		for _, ch := range changes {
			if err := checkRoutingPolicy(ch.Record, ch.Action); err != nil {
				return err
			}
			if err := checkRecordHealthCheck(t.st, ch.Record.HealthCheckID); err != nil {
				return err
			}
		}
		c := *z
		c.Records = ZoneRecords(z)
		var msgs []string
		for _, ch := range changes {
			probe := c
			if ch.Action == "UPSERT" || ch.Action == "DELETE" {
				// The record being replaced does not conflict with its
				// replacement.
				name := model.CanonicalDNSName(UnescapeRecordName(ch.Record.Name))
				probe.Records = slices.DeleteFunc(slices.Clone(c.Records), func(x model.RecordSet) bool {
					return x.Name == name && x.Type == strings.ToUpper(ch.Record.Type) && x.SetIdentifier == ch.Record.SetIdentifier
				})
			}
			ch.Record.Name = UnescapeRecordName(ch.Record.Name)
			r, err := recordSetFor(t.st, &probe, ch.Record, ch.Action)
			if err != nil {
				msgs = append(msgs, strings.TrimSuffix(strings.TrimPrefix(apierr.As(err).Message, "["), "]"))
				continue
			}
			i := slices.IndexFunc(c.Records, func(x model.RecordSet) bool { return sameRecordSet(x, r) })
			switch ch.Action {
			case "CREATE":
				if i >= 0 {
					msgs = append(msgs, "Tried to create resource record set "+recordLabel(r)+" but it already exists")
					continue
				}
				c.Records = append(c.Records, r)
			case "DELETE":
				switch {
				case i < 0:
					msgs = append(msgs, "Tried to delete resource record set "+recordLabel(r)+" but it was not found")
				case !sameValues(c.Records[i], r):
					msgs = append(msgs, "Tried to delete resource record set "+recordLabel(r)+" but the values provided do not match the current values")
				default:
					c.Records = slices.Delete(c.Records, i, i+1)
				}
			default:
				if i >= 0 {
					c.Records[i] = r
				} else {
					c.Records = append(c.Records, r)
				}
			}
		}
		if len(msgs) > 0 {
			return invalidChangeBatch("[%s]", strings.Join(msgs, ", "))
		}
		put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		return nil
	})
}

// UpdateHostedZoneComment sets a zone's comment.
func (e *Engine) UpdateHostedZoneComment(ref, comment string) (*model.HostedZone, error) {
	var out *model.HostedZone
	err := e.write(func(t *txn) error {
		z, err := HostedZone(t.st, ref)
		if err != nil {
			return err
		}
		c := *z
		c.Comment = comment
		put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		out = &c
		return nil
	})
	return out, err
}

// DisassociateVPCFromHostedZone removes a VPC from a private zone; the
// last VPC stays (LastVPCAssociation), a VPC not associated is
// VPCAssociationNotFound.
func (e *Engine) DisassociateVPCFromHostedZone(ref string, vpc model.VpcID) error {
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, ref)
		if err != nil {
			return err
		}
		if !slices.Contains(z.VPCs, vpc) {
			return &apierr.Error{Code: "VPCAssociationNotFound", HTTPStatus: 404,
				Message: "The specified VPC " + string(vpc) + " and hosted zone " + z.ID + " are not currently associated."}
		}
		if len(z.VPCs) == 1 {
			return apierr.New("LastVPCAssociation", "The VPC that you're trying to disassociate from the private hosted zone is the last VPC that is associated with the hosted zone. Amazon Route 53 doesn't support disassociating the last VPC from a hosted zone.")
		}
		c := *z
		c.VPCs = slices.DeleteFunc(slices.Clone(z.VPCs), func(v model.VpcID) bool { return v == vpc })
		put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		return nil
	})
}

// ChangeHostedZoneTags adds and removes a zone's tags.
func (e *Engine) ChangeHostedZoneTags(ref string, add model.Tags, remove []string) error {
	return e.write(func(t *txn) error {
		z, err := HostedZone(t.st, ref)
		if err != nil {
			return err
		}
		c := *z
		c.Tags = z.Tags.Changed(add, remove)
		put(t, model.KindHostedZone, t.st.HostedZones, c.ID, &c)
		return nil
	})
}

// ZoneRecords returns a zone's record sets with the SOA and NS records
// Route 53 creates with every zone (public and private): NS names the
// zone's four name servers, TTL 172800; SOA names the first of them and
// awsdns-hostmaster.amazon.com., TTL 900 (Route 53 Developer Guide, "NS
// and SOA records that Amazon Route 53 creates for a public hosted
// zone"). Zones made from templates and scenarios keep neither, so they
// are added here unless the zone holds its own.
func ZoneRecords(z *model.HostedZone) []model.RecordSet {
	out := slices.Clone(z.Records)
	ns := model.Route53NameServers(z.ID)
	if !slices.ContainsFunc(out, func(r model.RecordSet) bool { return ApexRecord(z, r) && r.Type == "NS" }) {
		vals := make([]string, len(ns))
		for i, n := range ns {
			vals[i] = n + "."
		}
		out = append(out, model.RecordSet{Name: z.Name, Type: "NS", TTL: 172800, Values: vals})
	}
	if !slices.ContainsFunc(out, func(r model.RecordSet) bool { return ApexRecord(z, r) && r.Type == "SOA" }) {
		out = append(out, model.RecordSet{Name: z.Name, Type: "SOA", TTL: 900,
			Values: []string{ns[0] + ". awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"}})
	}
	return out
}

// maxRoute53Changes bounds the changes kept for GetChange; the oldest
// goes first [choice: Route 53 documents no retention].
const maxRoute53Changes = 10000

// WithRoute53Change runs fn, a Route 53 operation on the Engine it is
// given, and keeps the change it answers with (id, comment) for GetChange
// in the same transaction: the operation and its change are stored
// together or not at all, so GetChange knows every change an operation
// answered, and an operation whose change cannot be kept fails.
func (e *Engine) WithRoute53Change(id, comment string, fn func(b *Engine) error) (*model.Route53Change, error) {
	var out *model.Route53Change
	err := e.composite("Route53Change", func(b *Engine) error {
		if err := fn(b); err != nil {
			return err
		}
		var err error
		out, err = b.recordRoute53Change(id, comment)
		return err
	})
	return out, err
}

// recordRoute53Change keeps the change Route 53 answered with id, for
// GetChange; WithRoute53Change keeps it with its operation.
func (e *Engine) recordRoute53Change(id, comment string) (*model.Route53Change, error) {
	var out *model.Route53Change
	err := e.write(func(t *txn) error {
		if len(t.st.Route53Changes) >= maxRoute53Changes {
			var oldest *model.Route53Change
			for _, c := range t.st.Route53Changes {
				if oldest == nil || c.SubmittedAt.Before(oldest.SubmittedAt) || c.SubmittedAt.Equal(oldest.SubmittedAt) && c.ID < oldest.ID {
					oldest = c
				}
			}
			del(t, model.KindRoute53Change, t.st.Route53Changes, oldest.ID)
		}
		out = &model.Route53Change{ID: id, Comment: comment, SubmittedAt: t.now}
		put(t, model.KindRoute53Change, t.st.Route53Changes, id, out)
		return nil
	})
	return out, err
}
