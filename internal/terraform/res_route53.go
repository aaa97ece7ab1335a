package terraform

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/zclconf/go-cty/cty"
)

// aws_route53_zone: a hosted zone; vpc blocks make it private. id and
// zone_id are the zone's id; a public zone has four name_servers.
func createRoute53Zone(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	comment := "Managed by Terraform" // the provider's default
	if c.o.has("comment") {
		comment = c.o.str("comment")
	}
	in := engine.CreateHostedZoneInput{Name: name, Comment: comment, Tags: c.plainTags()}
	var foreign []string
	for _, v := range c.o.blocks("vpc") {
		id := v.str("vpc_id")
		if id == "" {
			return c.errf("vpc", "vpc: vpc_id is required")
		}
		if region := vpcRegion(c, v); region != c.l.region {
			foreign = append(foreign, id+" ("+region+")")
			continue
		}
		in.VPCs = append(in.VPCs, model.VpcID(id))
	}
	if len(foreign) > 0 {
		c.l.warnf(c.r.rng, "%s: the zone's VPCs %s are of another region; ecsnet models one region, %s: they are not associated here", c.addr, strings.Join(foreign, ", "), c.l.region)
		if len(in.VPCs) == 0 {
			// A private zone of other regions' VPCs only: Route 53
			// answers it in none of this region's VPCs.
			c.skipped("a private zone of VPCs of other regions only: " + strings.Join(foreign, ", "))
			return nil
		}
	}
	in.Private = len(in.VPCs) > 0
	z, err := c.e().CreateHostedZone(in)
	if err != nil {
		return c.fail("name", err)
	}
	c.created(z.ID, "")
	zoneOut(c, z)
	return nil
}

func zoneOut(c *rctx, z *model.HostedZone) {
	c.set("zone_id", z.ID)
	c.set("name", z.Name)
	c.set("arn", model.GlobalARN(c.l.region, "route53", "", "hostedzone/"+z.ID))
	c.set("comment", z.Comment)
	var ns []string
	if !z.Private {
		ns = model.Route53NameServers(z.ID)
	}
	c.setList("name_servers", ns)
	if len(ns) > 0 {
		c.set("primary_name_server", ns[0])
	} else {
		c.set("primary_name_server", "")
	}
	c.out["private_zone"] = cty.BoolVal(z.Private)
}

// route53Global reports whether a resource type is Route 53's, which is
// global: whatever the provider's region, a zone, its records and its
// associations are the account's, and the provider's region only gives
// vpc_region its default.
func route53Global(typ string) bool {
	return typ == "aws_route53_zone" || typ == "aws_route53_record" || typ == "aws_route53_zone_association" || typ == "aws_route53_health_check"
}

// vpcRegion is the vpc_region of o (a zone's vpc block, an
// association): the VPC's region, by default the provider's
// (terraform-provider-aws: "vpc_region - (Optional) Region of the VPC to
// associate. Defaults to AWS provider region.").
func vpcRegion(c *rctx, o obj) string {
	if r := o.str("vpc_region"); r != "" {
		return r
	}
	return c.regionName()
}

// aws_route53_record: a record set (records and ttl, or an alias block).
// A name that does not end with the zone's domain is relative to it, as
// the provider expands it; fqdn is the full name. id is
// ZONEID_NAME_TYPE, as the provider writes it.
func createRoute53Record(c *rctx) error {
	zone, err := c.req("zone_id")
	if err != nil {
		return err
	}
	name, err := c.req("name")
	if err != nil {
		return err
	}
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	var zname string
	c.read(func(st *model.State) {
		if z := st.HostedZones[model.HostedZoneRef(zone)]; z != nil {
			zname = z.Name
		}
	})
	if zname == "" {
		// A zone made outside the configuration (a variable's id): the
		// record is not created, as for a resource ecsnet does not model.
		c.skipped("the hosted zone " + zone + " is not in the system (give it with --base)")
		c.set("fqdn", model.CanonicalDNSName(name))
		return nil
	}
	fqdn := model.CanonicalDNSName(name)
	if zname != "" && fqdn != zname && !strings.HasSuffix(fqdn, "."+zname) {
		fqdn += "." + zname
	}
	ttl, err := c.o.integer("ttl", 0)
	if err != nil {
		return err
	}
	in := engine.RecordSetInput{Name: fqdn, Type: typ, TTL: int64(ttl), Values: c.o.strs("records")}
	if a := c.o.block("alias"); a.v != cty.NilVal {
		eval, err := a.boolean("evaluate_target_health")
		if err != nil {
			return err
		}
		in.Alias = &model.AliasTarget{DNSName: a.str("name"), HostedZoneID: a.str("zone_id"), EvaluateTargetHealth: eval != nil && *eval}
	}
	// set_identifier and weighted_routing_policy: one record of a
	// weighted set, its id ZONEID_NAME_TYPE_SETIDENTIFIER as the
	// provider writes it.
	in.SetIdentifier = c.o.str("set_identifier")
	if w := c.o.block("weighted_routing_policy"); w.v != cty.NilVal {
		n, err := w.integer("weight", 0)
		if err != nil {
			return err
		}
		n64 := int64(n)
		in.Weight = &n64
	}
	if err := recordPolicies(c, &in); err != nil {
		return err
	}
	if err := c.e().UpsertRecordSet(zone, in); err != nil {
		return c.fail("name", err)
	}
	id := model.HostedZoneRef(zone) + "_" + fqdn + "_" + strings.ToUpper(typ)
	if in.SetIdentifier != "" {
		id += "_" + in.SetIdentifier
	}
	c.created(id, fqdn) // --to aws_route53_record.www:443 means the record's name
	c.set("fqdn", fqdn)
	c.set("name", fqdn)
	return nil
}

// aws_route53_zone_association: a VPC associated with a private zone
// (AssociateVPCWithHostedZone); id is ZONEID:VPCID.
func createRoute53ZoneAssociation(c *rctx) error {
	zone, err := c.req("zone_id")
	if err != nil {
		return err
	}
	vpc, err := c.req("vpc_id")
	if err != nil {
		return err
	}
	region := vpcRegion(c, c.o)
	if region != c.l.region {
		c.set("vpc_region", region)
		c.skipped("the VPC " + vpc + " is of region " + region + "; ecsnet models one region, " + c.l.region)
		return nil
	}
	known := false
	c.read(func(st *model.State) { known = st.HostedZones[model.HostedZoneRef(zone)] != nil })
	if !known {
		c.skipped("the hosted zone " + zone + " is not in the system (give it with --base)")
		return nil
	}
	if err := c.e().AssociateVPCWithHostedZone(zone, model.VpcID(vpc)); err != nil {
		return c.fail("vpc_id", err)
	}
	c.created(model.HostedZoneRef(zone)+":"+vpc, "")
	c.set("vpc_region", region)
	c.set("owning_account", c.e().Config().Account)
	return nil
}

// data "aws_route53_zone": a zone by zone_id, or by name with
// private_zone (false by default) and, for a private zone, vpc_id.
func dataRoute53Zone(c *rctx) error {
	id, name := c.o.str("zone_id"), model.CanonicalDNSName(c.o.str("name"))
	private := c.o.flag("private_zone")
	vpc := model.VpcID(c.o.str("vpc_id"))
	if vpc != "" {
		private = true
	}
	var found []*model.HostedZone
	c.read(func(st *model.State) {
		for _, z := range st.HostedZones {
			switch {
			case id != "":
				if z.ID == model.HostedZoneRef(id) {
					found = append(found, z)
				}
			case z.Name == name && z.Private == private && (vpc == "" || z.AssociatedWith(vpc)):
				found = append(found, z)
			}
		}
	})
	if len(found) == 0 && id == "" && name != "" {
		// A zone the configuration reads but does not make is usually the
		// domain's zone made long ago (ACM validation records, aliases):
		// without it in the system ecsnet stands one in, as it stands in
		// the default VPC, and says so [choice].
		in := engine.CreateHostedZoneInput{Name: name, Private: private, Comment: "stand-in for data." + c.addr}
		if vpc != "" {
			in.VPCs = []model.VpcID{vpc}
		}
		if private && vpc == "" {
			in.Private = false // a private zone needs a VPC: a public stand-in
		}
		z, err := c.e().CreateHostedZone(in)
		if err != nil {
			return c.fail("name", err)
		}
		c.l.warnf(c.r.rng, "%s: no hosted zone %s is in the system; ecsnet stands in a %s zone %s (give the real system with --base)",
			c.addr, name, map[bool]string{true: "private", false: "public"}[z.Private], z.ID)
		found = append(found, z)
	}
	if len(found) != 1 {
		return c.dataErr(len(found), "Route53 Hosted Zone")
	}
	z := found[0]
	c.set("id", z.ID)
	zoneOut(c, z)
	return nil
}

// recordPolicies reads aws_route53_record's other routing policies (each
// the API's member: failover_routing_policy's Failover,
// latency_routing_policy's Region, geolocation_routing_policy's
// GeoLocation, multivalue_answer_routing_policy's MultiValueAnswer when
// true, as the provider sends it, geoproximity_routing_policy and
// cidr_routing_policy counted only) and health_check_id. A health check
// the system does not hold (an id from outside the configuration) is
// left out of the record, with a warning: it resolves as without one
// [choice].
func recordPolicies(c *rctx, in *engine.RecordSetInput) error {
	if b := c.o.block("failover_routing_policy"); b.v != cty.NilVal {
		in.Failover = b.str("type")
		in.OtherPolicies = append(in.OtherPolicies, "Failover")
	}
	if b := c.o.block("latency_routing_policy"); b.v != cty.NilVal {
		in.Region = b.str("region")
		in.OtherPolicies = append(in.OtherPolicies, "Region")
	}
	if b := c.o.block("geolocation_routing_policy"); b.v != cty.NilVal {
		in.GeoLocation = &model.GeoLocation{ContinentCode: b.str("continent"), CountryCode: b.str("country"), SubdivisionCode: b.str("subdivision")}
		in.OtherPolicies = append(in.OtherPolicies, "GeoLocation")
	}
	mv, err := c.o.boolean("multivalue_answer_routing_policy")
	if err != nil {
		return err
	}
	if mv != nil && *mv {
		in.MultiValueAnswer = mv
		in.OtherPolicies = append(in.OtherPolicies, "MultiValueAnswer")
	}
	if b := c.o.block("geoproximity_routing_policy"); b.v != cty.NilVal {
		in.OtherPolicies = append(in.OtherPolicies, "GeoProximityLocation")
	}
	if b := c.o.block("cidr_routing_policy"); b.v != cty.NilVal {
		in.OtherPolicies = append(in.OtherPolicies, "CidrRoutingConfig")
	}
	if id := c.o.str("health_check_id"); id != "" {
		known := false
		c.read(func(st *model.State) { known = st.HealthChecks[id] != nil })
		if known {
			in.HealthCheckID = id
		} else {
			c.l.warnf(c.r.rng, "%s: the health check %s is not in the system; the record is read without it (healthy) (give the real system with --base)", c.addr, id)
		}
	}
	return nil
}

// aws_route53_health_check: a Route 53 health check (its arguments are
// HealthCheckConfig's; the provider's defaults: request_interval 30,
// failure_threshold 3 for a check of an endpoint). id is the check's id.
func createRoute53HealthCheck(c *rctx) error {
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	o := c.o
	num := func(k string) (int, error) { return o.integer(k, 0) }
	cfg := model.Route53HealthCheckConfig{Type: typ, IPAddress: o.str("ip_address"), FQDN: o.str("fqdn"),
		ResourcePath: o.str("resource_path"), SearchString: o.str("search_string"),
		MeasureLatency: o.flag("measure_latency"), Inverted: o.flag("invert_healthcheck"), Disabled: o.flag("disabled"),
		EnableSNI: o.flag("enable_sni"), Regions: o.strs("regions"), ChildHealthChecks: o.strs("child_healthchecks"),
		AlarmName: o.str("cloudwatch_alarm_name"), AlarmRegion: o.str("cloudwatch_alarm_region"),
		InsufficientDataHealthStatus: o.str("insufficient_data_health_status"), RoutingControlArn: o.str("routing_control_arn")}
	for k, dst := range map[string]*int{"port": &cfg.Port, "request_interval": &cfg.RequestInterval,
		"failure_threshold": &cfg.FailureThreshold, "child_health_threshold": &cfg.HealthThreshold} {
		if *dst, err = num(k); err != nil {
			return err
		}
	}
	// The provider's CallerReference is reference_name and a timestamp
	// (the resource's address stands in for the timestamp).
	h, _, err := c.e().CreateHealthCheck(o.str("reference_name")+c.addr, cfg)
	if err != nil {
		return c.fail("type", err)
	}
	if tags := c.plainTags(); len(tags) > 0 {
		if err := c.e().ChangeHealthCheckTags(h.ID, tags, nil); err != nil {
			return c.fail("tags", err)
		}
	}
	c.created(h.ID, "")
	c.set("arn", model.GlobalARN(c.l.region, "route53", "", "healthcheck/"+h.ID))
	return nil
}
