package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Route 53 resource types ecsnet creates.
const (
	typeHostedZone     = "AWS::Route53::HostedZone"
	typeRecordSet      = "AWS::Route53::RecordSet"
	typeRecordSetGroup = "AWS::Route53::RecordSetGroup"
)

// route53Props are the Route 53 types' properties (CloudFormation User
// Guide, AWS::Route53::HostedZone, ::RecordSet, ::RecordSetGroup).
func route53Props(typ string) []string {
	switch typ {
	case typeHostedZone:
		return []string{"HostedZoneConfig", "HostedZoneFeatures", "HostedZoneTags", "Name", "QueryLoggingConfig", "VPCs"}
	case typeRecordSet:
		return append(recordSetProps(), "Comment", "HostedZoneId", "HostedZoneName")
	case typeRecordSetGroup:
		return []string{"Comment", "HostedZoneId", "HostedZoneName", "RecordSets"}
	case typeHealthCheck:
		return []string{"HealthCheckConfig", "HealthCheckTags"}
	}
	return nil
}

func recordSetProps() []string {
	return []string{"AliasTarget", "CidrRoutingConfig", "Failover", "GeoLocation", "GeoProximityLocation", "HealthCheckId",
		"MultiValueAnswer", "Name", "Region", "ResourceRecords", "SetIdentifier", "TTL", "Type", "Weight"}
}

// createHostedZone: AWS::Route53::HostedZone. VPCs make it private. Ref
// is the zone id ("Z23ABC4XYZL05B"); Id and NameServers are its
// attributes (NameServers empty for a private zone, as CloudFormation
// answers).
func createHostedZone(c *rctx) error {
	p := c.p
	name, err := p.req("Name")
	if err != nil {
		return err
	}
	cfg, err := p.object("HostedZoneConfig")
	if err != nil {
		return err
	}
	comment, err := cfg.str("Comment")
	if err != nil {
		return err
	}
	tags, err := p.tagListOf("HostedZoneTags")
	if err != nil {
		return err
	}
	vpcs, err := p.objects("VPCs")
	if err != nil {
		return err
	}
	in := engine.CreateHostedZoneInput{Name: name, Comment: comment, Tags: tags, Private: len(vpcs) > 0}
	here := c.e().Config().Region
	var foreign []string
	for _, v := range vpcs {
		id, err := v.req("VPCId")
		if err != nil {
			return err
		}
		region, err := v.req("VPCRegion")
		if err != nil {
			return err
		}
		if region != here {
			// Route 53 is global: the zone answers in that region's
			// VPC, which this region's state does not hold [choice:
			// the VPC is left out of this region's zone, and said].
			foreign = append(foreign, id+" ("+region+")")
			continue
		}
		in.VPCs = append(in.VPCs, model.VpcID(id))
	}
	if len(foreign) > 0 {
		c.s.warnf(c.r.def.line, "%s (AWS::Route53::HostedZone): the zone's VPCs %s are of another region; ecsnet models the stack's region, %s: they are not associated here",
			c.displayName(), strings.Join(foreign, ", "), here)
		if len(in.VPCs) == 0 {
			return c.skipAs("a private zone of VPCs of other regions only: " + strings.Join(foreign, ", "))
		}
	}
	z, err := c.e().CreateHostedZone(in)
	if err != nil {
		return p.at("Name", err)
	}
	c.setRef(z.ID)
	c.set("Id", z.ID)
	var ns []string
	if !z.Private {
		ns = model.Route53NameServers(z.ID)
	}
	c.setList("NameServers", ns)
	return nil
}

// zoneOf reads HostedZoneId or HostedZoneName (exactly one; a name must
// name one zone). A zone the template does not make and the system lacks
// (the domain's zone, made long ago) is "": by name ecsnet stands in a
// public zone of that name and warns [choice]; by id the caller skips the
// record.
func zoneOf(c *rctx, p obj) (string, error) {
	id, err := p.str("HostedZoneId")
	if err != nil {
		return "", err
	}
	name, err := p.str("HostedZoneName")
	if err != nil {
		return "", err
	}
	switch {
	case id != "" && name != "":
		return "", p.invalid("HostedZoneName", "Exactly one of HostedZoneId and HostedZoneName must be specified")
	case id != "":
		known := false
		c.read(func(st *model.State) { known = st.HostedZones[model.HostedZoneRef(id)] != nil })
		if !known {
			return "", nil
		}
		return id, nil
	case name != "":
		var ref string
		var ferr error
		c.read(func(st *model.State) {
			z, err := engine.HostedZone(st, name)
			if err == nil {
				ref = z.ID
			}
			ferr = err
		})
		if apierr.HasCode(ferr, "NoSuchHostedZone") {
			z, err := c.e().CreateHostedZone(engine.CreateHostedZoneInput{Name: name, Comment: "stand-in for " + c.r.def.name})
			if err != nil {
				return "", p.at("HostedZoneName", err)
			}
			c.s.warnf(p.line_("HostedZoneName"), "%s: no hosted zone %s is in the template or the system; ecsnet stands in a public zone %s (give the real system with --base)", c.r.def.name, name, z.ID)
			return z.ID, nil
		}
		if ferr != nil {
			return "", p.at("HostedZoneName", ferr)
		}
		return ref, nil
	}
	return "", p.invalid("HostedZoneId", "Exactly one of HostedZoneId and HostedZoneName must be specified")
}

// recordSetInput reads one record set's properties.
func recordSetInput(p obj) (engine.RecordSetInput, error) {
	var in engine.RecordSetInput
	var err error
	if in.Name, err = p.req("Name"); err != nil {
		return in, err
	}
	if in.Type, err = p.req("Type"); err != nil {
		return in, err
	}
	ttl, err := p.integer("TTL", 0)
	if err != nil {
		return in, err
	}
	in.TTL = int64(ttl)
	if in.Values, err = p.strs("ResourceRecords"); err != nil {
		return in, err
	}
	// SetIdentifier and Weight: one record of a weighted set (a record
	// set is its name, type and SetIdentifier).
	if in.SetIdentifier, err = p.str("SetIdentifier"); err != nil {
		return in, err
	}
	if p.has("Weight") {
		w, err := p.integer("Weight", 0)
		if err != nil {
			return in, err
		}
		w64 := int64(w)
		in.Weight = &w64
	}
	// The other routing policies, as ChangeResourceRecordSets reads
	// them: a SetIdentifier takes exactly one policy.
	for _, k := range []string{"Region", "Failover", "GeoLocation", "MultiValueAnswer", "GeoProximityLocation", "CidrRoutingConfig"} {
		if p.has(k) {
			in.OtherPolicies = append(in.OtherPolicies, k)
		}
	}
	if in.Failover, err = p.str("Failover"); err != nil {
		return in, err
	}
	if in.Region, err = p.str("Region"); err != nil {
		return in, err
	}
	if in.HealthCheckID, err = p.str("HealthCheckId"); err != nil {
		return in, err
	}
	if in.MultiValueAnswer, err = p.boolean("MultiValueAnswer"); err != nil {
		return in, err
	}
	if p.has("GeoLocation") {
		g, err := p.object("GeoLocation")
		if err != nil {
			return in, err
		}
		in.GeoLocation = &model.GeoLocation{}
		for _, f := range []struct {
			key string
			dst *string
		}{{"ContinentCode", &in.GeoLocation.ContinentCode}, {"CountryCode", &in.GeoLocation.CountryCode}, {"SubdivisionCode", &in.GeoLocation.SubdivisionCode}} {
			if *f.dst, err = g.str(f.key); err != nil {
				return in, err
			}
		}
	}
	if p.has("AliasTarget") {
		a, err := p.object("AliasTarget")
		if err != nil {
			return in, err
		}
		dns, err := a.req("DNSName")
		if err != nil {
			return in, err
		}
		zone, err := a.req("HostedZoneId")
		if err != nil {
			return in, err
		}
		eval, err := a.boolean("EvaluateTargetHealth")
		if err != nil {
			return in, err
		}
		in.Alias = &model.AliasTarget{DNSName: dns, HostedZoneID: zone, EvaluateTargetHealth: eval != nil && *eval}
	}
	return in, nil
}

// createRecordSet: AWS::Route53::RecordSet. Ref is the record's name
// (CloudFormation User Guide: "Ref returns the value of the domain
// name of the record").
func createRecordSet(c *rctx) error {
	zone, err := zoneOf(c, c.p)
	if err != nil {
		return err
	}
	if zone == "" {
		return c.skipAs("its hosted zone is not in the template or the system (give it with --base)")
	}
	in, err := recordSetInput(c.p)
	if err != nil {
		return err
	}
	if err := c.e().UpsertRecordSet(zone, in); err != nil {
		return c.p.at("Name", err)
	}
	c.keepRecords(zone, []engine.RecordSetInput{in})
	c.setRef(model.CanonicalDNSName(in.Name))
	return nil
}

// keepRecords keeps what deleting the resource removes: the zone and
// each record's name, type and signature (a record replaced since by
// another of the same name and type stays).
func (c *rctx) keepRecords(zone string, ins []engine.RecordSetInput) {
	c.keep("HostedZoneId", zone)
	var lines []string
	c.read(func(st *model.State) {
		z := st.HostedZones[model.HostedZoneRef(zone)]
		if z == nil {
			return
		}
		for _, in := range ins {
			for _, r := range z.Records {
				if r.Name == model.CanonicalDNSName(in.Name) && r.Type == strings.ToUpper(in.Type) && r.SetIdentifier == in.SetIdentifier {
					lines = append(lines, r.Name+"|"+r.Type+"|"+engine.RecordSignature(r))
				}
			}
		}
	})
	c.keep("Records", strings.Join(lines, "\n"))
}

// deleteRecords deletes the records a RecordSet or RecordSetGroup made.
func deleteRecords(e *engine.Engine, keys map[string]string) error {
	for _, line := range strings.Split(keys["Records"], "\n") {
		f := strings.SplitN(line, "|", 3)
		if len(f) != 3 {
			continue
		}
		sig := f[2]
		if err := e.DeleteRecordSet(keys["HostedZoneId"], f[0], f[1], func(r model.RecordSet) bool { return engine.RecordSignature(r) == sig }); err != nil {
			return err
		}
	}
	return nil
}

// createRecordSetGroup: AWS::Route53::RecordSetGroup, its RecordSets in
// one change batch (each checked before any is made). Ref is the
// group's name, the logical id with a suffix [choice].
func createRecordSetGroup(c *rctx) error {
	zone, err := zoneOf(c, c.p)
	if err != nil {
		return err
	}
	if zone == "" {
		return c.skipAs("its hosted zone is not in the template or the system (give it with --base)")
	}
	sets, err := c.p.objects("RecordSets")
	if err != nil {
		return err
	}
	ins := make([]engine.RecordSetInput, 0, len(sets))
	for _, s := range sets {
		in, err := recordSetInput(s)
		if err != nil {
			return err
		}
		ins = append(ins, in)
	}
	for i, in := range ins {
		if err := c.e().UpsertRecordSet(zone, in); err != nil {
			return sets[i].at("Name", err)
		}
	}
	c.keepRecords(zone, ins)
	c.setRef(strings.ToLower(c.s.physicalName(c.r.def.name, 64)))
	return nil
}
