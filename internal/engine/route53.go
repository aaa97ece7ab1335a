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
				return apierr.Newf("InvalidVPCId", "The VPC ID '%s' is not valid.", v)
			}
		}
		z = &model.HostedZone{ID: "Z" + strings.ToUpper(t.e.ids.Hex(20)), Name: name, Private: in.Private,
			VPCs: slices.Clone(in.VPCs), Comment: in.Comment, Tags: in.Tags.Clone()}
		put(t, model.KindHostedZone, t.st.HostedZones, z.ID, z)
		return nil
	})
	return z, err
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
			return apierr.Newf("InvalidVPCId", "The VPC ID '%s' is not valid.", vpc)
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
}

// UpsertRecordSet creates or replaces a record set in a zone, checked as
// ChangeResourceRecordSets checks it ("InvalidChangeBatch", with Route
// 53's messages): the name lies in the zone; a CNAME is not at the apex
// and shares its name with no other record; A and AAAA values are
// addresses of their family; an alias to a load balancer names its
// CanonicalHostedZoneId.
func (e *Engine) UpsertRecordSet(zoneRef string, in RecordSetInput) error {
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
			if x.Name == r.Name && x.Type == r.Type {
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

func invalidChangeBatch(format string, args ...any) error {
	return apierr.Newf("InvalidChangeBatch", format, args...)
}

func recordSet(st *model.State, z *model.HostedZone, in RecordSetInput) (model.RecordSet, error) {
	r := model.RecordSet{Name: model.CanonicalDNSName(in.Name), Type: strings.ToUpper(in.Type), TTL: in.TTL}
	if r.Name == "" {
		return r, invalidChangeBatch("[Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=UPSERT, Name=, Type=%s]]", r.Type)
	}
	if !z.Covers(r.Name) {
		return r, invalidChangeBatch("[RRSet with DNS name %s. is not permitted in zone %s.]", r.Name, z.Name)
	}
	if in.Alias == nil && len(in.Values) == 0 {
		return r, invalidChangeBatch("[Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=UPSERT, Name=%s., Type=%s]]", r.Name, r.Type)
	}
	if in.Alias != nil && len(in.Values) > 0 {
		return r, invalidChangeBatch("[Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in Change with [Action=UPSERT, Name=%s., Type=%s]]", r.Name, r.Type)
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
			v = model.CanonicalDNSName(v)
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
		if len(z.Records) > 0 {
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

// RecordSignature is a record set's values or alias target, to tell the
// record a resource made from one that replaced it.
func RecordSignature(r model.RecordSet) string {
	if r.Alias != nil {
		return "alias:" + r.Alias.DNSName + "@" + r.Alias.HostedZoneID
	}
	return strings.Join(r.Values, ",")
}
