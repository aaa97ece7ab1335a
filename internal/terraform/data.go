package terraform

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// defaultAMI is what ECS-optimized AMI parameters (aws_ssm_parameter under
// /aws/service/ecs/optimized-ami/) and aws_ami data sources resolve to: the
// shape of an ECS-optimized Amazon Linux AMI id, the same placeholder
// scenario files and templates use.
const defaultAMI = "ami-0c1f2a3b4d5e6f708"

// dataHandlerFor returns the handler of a data source ecsnet answers.
func dataHandlerFor(typ string) (handler, bool) {
	switch typ {
	case "aws_route53_zone":
		return dataRoute53Zone, true
	case "aws_availability_zones":
		return dataAZs, true
	case "aws_region":
		return dataRegion, true
	case "aws_partition":
		return dataPartition, true
	case "aws_caller_identity":
		return dataCallerIdentity, true
	case "aws_vpc":
		return dataVPC, true
	case "aws_subnets":
		return dataSubnets, true
	case "aws_subnet_ids":
		return dataSubnets, true
	case "aws_subnet":
		return dataSubnet, true
	case "aws_security_group":
		return dataSecurityGroup, true
	case "aws_ssm_parameter":
		return dataSSMParameter, true
	case "aws_cloudwatch_log_group":
		return dataLogGroup, true
	case "aws_ami":
		return dataAMI, true
	case "aws_iam_policy_document":
		return dataPolicyDocument, true
	case "aws_ecs_cluster":
		return dataECSCluster, true
	case "aws_lb":
		return dataLB, true
	case "aws_alb":
		return dataLB, true
	case "aws_ecs_task_definition":
		return dataTaskDefinition, true
	case "template_file":
		return dataTemplateFile, true
	case "terraform_remote_state":
		return dataRemoteState, true
	case "aws_ec2_instance_type":
		return dataInstanceType, true
	case "aws_default_tags":
		return dataDefaultTags, true
	case "template_cloudinit_config", "cloudinit_config":
		return dataCloudInitConfig, true
	case "aws_vpcs":
		return dataVPCs, true
	case "aws_security_groups":
		return dataSecurityGroups, true
	case "aws_route_table":
		return dataRouteTable, true
	case "aws_route_tables":
		return dataRouteTables, true
	case "aws_ecr_repository":
		return dataRepository, true
	case "aws_internet_gateway":
		return dataInternetGateway, true
	case "aws_service_discovery_dns_namespace":
		return dataDNSNamespace, true
	case "aws_service_discovery_http_namespace":
		return dataHTTPNamespace, true
	case "aws_ec2_managed_prefix_list":
		return dataPrefixList(true), true
	case "aws_prefix_list":
		return dataPrefixList(false), true
	case "aws_network_interface":
		return dataNetworkInterface, true
	case "aws_network_interfaces":
		return dataNetworkInterfaces, true
	}
	return nil, false
}

func strList(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	l := make([]cty.Value, len(ss))
	for i, s := range ss {
		l[i] = cty.StringVal(s)
	}
	return cty.ListVal(l)
}

func dataAZs(c *rctx) error {
	exclude := map[string]bool{}
	for _, n := range c.o.strs("exclude_names") {
		exclude[n] = true
	}
	excludeIDs := map[string]bool{}
	for _, n := range c.o.strs("exclude_zone_ids") {
		excludeIDs[n] = true
	}
	// The zones of the provider's region (an aliased provider's, or v6's
	// region argument), not only of the region ecsnet models.
	region := c.regionName()
	if r := c.o.str("region"); r != "" {
		region = r
	}
	zones := c.e().AvailabilityZones()
	if region != c.l.region {
		zones = engine.RegionAvailabilityZones(region)
		c.otherPartitionWarning(region)
	}
	var names, ids []string
	for _, z := range zones {
		if exclude[z.Name] || excludeIDs[z.ID] {
			continue
		}
		names, ids = append(names, z.Name), append(ids, z.ID)
	}
	c.out["names"], c.out["zone_ids"] = strList(names), strList(ids)
	c.set("id", region)
	c.set("group_names", region)
	return nil
}

func (c *rctx) regionName() string {
	if c.prov.region != "" {
		return c.prov.region
	}
	c.e()
	return c.l.region
}

func dataRegion(c *rctx) error {
	// The provider's data_source_region: the region of the endpoint
	// given, else of the name given (v6 calls it region), else the
	// provider's, from the provider's own table of every partition's
	// regions (no AWS call).
	// Like every error the provider returns, Terraform points them at
	// the data block.
	fail := func(format string, args ...any) error {
		return &Error{File: c.r.rng.Filename, Line: c.r.rng.Start.Line, Address: c.addr, Msg: fmt.Sprintf(format, args...)}
	}
	var found providerRegion
	if ep := c.o.str("endpoint"); ep != "" {
		r, ok := regionByEndpoint(ep)
		if !ok {
			return fail("finding Region by endpoint (%s): couldn't find resource", ep)
		}
		found = r
	}
	for _, k := range []string{"name", "region"} {
		name := c.o.str(k)
		if name == "" {
			continue
		}
		r, ok := regionByName(name)
		if !ok {
			return fail("finding Region by name (%s): couldn't find resource", name)
		}
		if found.name != "" && found.name != r.name {
			return fail("multiple Regions matched: use additional constraints to reduce matches to a single Region")
		}
		found = r
	}
	if found.name == "" {
		name := c.regionName()
		r, ok := regionByName(name)
		if !ok {
			return fail("finding Region by name (%s): couldn't find resource (hashicorp/aws v5.100.0 does not know the region)", name)
		}
		found = r
	}
	r := found.name
	c.set("name", r)
	c.set("region", r)
	c.set("id", r)
	c.set("description", found.description)
	c.set("endpoint", "ec2."+r+"."+found.dnsSuffix)
	return nil
}

func dataPartition(c *rctx) error {
	// The partition of the provider's region (the provider's
	// data_source_partition: partition, DNS suffix, and the DNS suffix's
	// labels reversed).
	r := c.regionName()
	c.set("partition", model.Partition(r))
	c.set("id", model.Partition(r))
	c.set("dns_suffix", model.DNSSuffix(r))
	labels := strings.Split(model.DNSSuffix(r), ".")
	slices.Reverse(labels)
	c.set("reverse_dns_prefix", strings.Join(labels, "."))
	return nil
}

func dataCallerIdentity(c *rctx) error {
	c.e()
	c.set("account_id", c.l.account)
	c.set("id", c.l.account)
	c.set("arn", model.GlobalARN(c.regionName(), "iam", c.l.account, "user/ecsnet"))
	c.set("user_id", "AIDAECSNETEXAMPLE")
	return nil
}

// filters reads filter { name, values } blocks.
func filters(o obj) map[string][]string {
	out := map[string][]string{}
	for _, f := range o.blocks("filter") {
		out[f.str("name")] = append(out[f.str("name")], f.strs("values")...)
	}
	return out
}

func matchAny(v string, pats []string) bool {
	for _, p := range pats {
		if ok, _ := path.Match(p, v); ok || p == v {
			return true
		}
	}
	return false
}

// matches applies EC2's describe filters and a tags map to one resource's
// fields.
func matches(fields map[string]string, tags model.Tags, fs map[string][]string, want map[string]string) bool {
	for name, vals := range fs {
		var v string
		if k, ok := strings.CutPrefix(name, "tag:"); ok {
			v = tags[k]
			if _, has := tags[k]; !has {
				return false
			}
		} else if name == "tag-key" {
			found := false
			for k := range tags {
				found = found || matchAny(k, vals)
			}
			if !found {
				return false
			}
			continue
		} else {
			var ok bool
			if v, ok = fields[name]; !ok {
				continue // filters ecsnet does not know do not narrow
			}
		}
		if !matchAny(v, vals) {
			return false
		}
	}
	for k, v := range want {
		if tags[k] != v {
			return false
		}
	}
	return true
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func dataVPC(c *rctx) error {
	fs := filters(c.o)
	want := stringMap(c.o.get("tags"))
	id, cidr := c.o.str("id"), c.o.str("cidr_block")
	def, _ := c.o.boolean("default")
	if def != nil && *def || matchAny("true", fs["isDefault"]) || matchAny("true", fs["is-default"]) {
		c.defaultVPC()
	}
	var found []*model.VPC
	c.read(func(st *model.State) {
		for _, v := range st.VPCs {
			if id != "" && string(v.ID) != id || cidr != "" && v.CIDR.String() != cidr || def != nil && v.IsDefault != *def {
				continue
			}
			if matches(vpcFields(v, c.l.account), v.Tags, fs, want) {
				found = append(found, v)
			}
		}
	})
	if len(found) != 1 {
		return c.dataErr(len(found), "EC2 VPC")
	}
	v := found[0]
	c.set("id", string(v.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "vpc/"+string(v.ID)))
	c.set("cidr_block", v.CIDR.String())
	c.set("main_route_table_id", string(v.MainRouteTable))
	c.set("default_security_group_id", string(v.DefaultSecurityGroup))
	c.set("default_network_acl_id", string(v.DefaultNetworkACL))
	c.set("owner_id", c.l.account)
	c.out["default"] = cty.BoolVal(v.IsDefault)
	c.out["enable_dns_support"] = cty.BoolVal(v.EnableDNSSupport)
	c.out["enable_dns_hostnames"] = cty.BoolVal(v.EnableDNSHostnames)
	v6, v6assoc := "", ""
	if len(v.IPv6) > 0 {
		v6, v6assoc = v.IPv6[0].CIDR.String(), v.IPv6[0].AssociationID
	}
	c.out["ipv6_cidr_block"] = cty.StringVal(v6)
	c.out["ipv6_association_id"] = cty.StringVal(v6assoc)
	if tv := tagVals(v.Tags); len(tv) > 0 {
		c.out["tags"] = cty.MapVal(tv)
	} else {
		c.out["tags"] = cty.MapValEmpty(cty.String)
	}
	return nil
}

func tagVals(t model.Tags) map[string]cty.Value {
	m := map[string]cty.Value{}
	for k, v := range t {
		m[k] = cty.StringVal(v)
	}
	return m
}

// dataErr is the provider's error for a singular data source that
// matched none or several.
func (c *rctx) dataErr(n int, what string) error {
	base := "the system"
	if c.l.opts.Base == nil {
		base = "the system (give the existing infrastructure with --base)"
	}
	if n == 0 {
		return c.errf("", "no matching %s found in %s", what, base)
	}
	return c.errf("", "multiple %ss matched; use additional constraints to reduce matches to a single %s", what, what)
}

func subnetFields(s *model.Subnet) map[string]string {
	return map[string]string{"vpc-id": string(s.VpcID), "subnet-id": string(s.ID), "availability-zone": s.AvailabilityZone,
		"availability-zone-id": s.AvailabilityZoneID, "cidr-block": s.CIDR.String(), "cidr": s.CIDR.String(),
		"default-for-az": boolStr(s.DefaultForAZ), "defaultForAz": boolStr(s.DefaultForAZ), "state": "available",
		"map-public-ip-on-launch": boolStr(s.MapPublicIPOnLaunch)}
}

func dataSubnets(c *rctx) error {
	fs := filters(c.o)
	if v := c.o.str("vpc_id"); v != "" { // aws_subnet_ids
		fs["vpc-id"] = []string{v}
	}
	want := stringMap(c.o.get("tags"))
	var ids []string
	c.read(func(st *model.State) {
		for _, s := range st.Subnets {
			if matches(subnetFields(s), s.Tags, fs, want) {
				ids = append(ids, string(s.ID))
			}
		}
	})
	sort.Strings(ids)
	if c.typ == "aws_subnet_ids" {
		if len(ids) == 0 {
			return c.errf("", "no matching subnet found for vpc with id %s", c.o.str("vpc_id"))
		}
		vals := make([]cty.Value, len(ids))
		for i, s := range ids {
			vals[i] = cty.StringVal(s)
		}
		c.out["ids"] = cty.SetVal(vals)
	} else {
		if len(ids) == 0 && c.l.opts.Base == nil {
			// AWS answers an empty list, and what consumes it fails
			// (a load balancer, an Auto Scaling group): say the list is
			// empty because ecsnet does not know the account's subnets.
			c.l.warnf(c.r.rng, "%s matches no subnet: ecsnet knows only the subnets the configuration makes and the default VPC's (untagged), so the list is empty; on AWS it lists the account's subnets that match (give the real system with --base)", c.addr)
		}
		c.out["ids"] = strList(ids)
	}
	c.set("id", c.l.region)
	return nil
}

func dataSubnet(c *rctx) error {
	fs := filters(c.o)
	want := stringMap(c.o.get("tags"))
	for k, f := range map[string]string{"id": "subnet-id", "vpc_id": "vpc-id", "availability_zone": "availability-zone", "cidr_block": "cidr-block"} {
		if v := c.o.str(k); v != "" {
			fs[f] = []string{v}
		}
	}
	if b, _ := c.o.boolean("default_for_az"); b != nil {
		fs["default-for-az"] = []string{boolStr(*b)}
	}
	var found []*model.Subnet
	c.read(func(st *model.State) {
		for _, s := range st.Subnets {
			if matches(subnetFields(s), s.Tags, fs, want) {
				found = append(found, s)
			}
		}
	})
	if len(found) != 1 {
		return c.dataErr(len(found), "EC2 Subnet")
	}
	s := found[0]
	c.set("id", string(s.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "subnet/"+string(s.ID)))
	c.set("vpc_id", string(s.VpcID))
	c.set("cidr_block", subnetCIDR(s))
	c.set("availability_zone", s.AvailabilityZone)
	c.set("availability_zone_id", s.AvailabilityZoneID)
	c.out["map_public_ip_on_launch"] = cty.BoolVal(s.MapPublicIPOnLaunch)
	c.out["default_for_az"] = cty.BoolVal(s.DefaultForAZ)
	// The provider's IPv6 attributes: "" when the subnet has no IPv6 block.
	v6, v6assoc := "", ""
	if len(s.IPv6) > 0 {
		v6, v6assoc = s.IPv6[0].CIDR.String(), s.IPv6[0].AssociationID
	}
	c.out["ipv6_cidr_block"] = cty.StringVal(v6)
	c.out["ipv6_cidr_block_association_id"] = cty.StringVal(v6assoc)
	c.out["assign_ipv6_address_on_creation"] = cty.BoolVal(s.AssignIPv6AddressOnCreation)
	c.out["ipv6_native"] = cty.BoolVal(s.IPv6Native)
	c.out["enable_dns64"] = cty.BoolVal(s.EnableDNS64)
	if tv := tagVals(s.Tags); len(tv) > 0 {
		c.out["tags"] = cty.MapVal(tv)
	} else {
		c.out["tags"] = cty.MapValEmpty(cty.String)
	}
	return nil
}

func dataSecurityGroup(c *rctx) error {
	fs := filters(c.o)
	want := stringMap(c.o.get("tags"))
	for k, f := range map[string]string{"id": "group-id", "name": "group-name", "vpc_id": "vpc-id"} {
		if v := c.o.str(k); v != "" {
			fs[f] = []string{v}
		}
	}
	var found []*model.SecurityGroup
	c.read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			fields := map[string]string{"group-id": string(g.ID), "group-name": g.Name, "vpc-id": string(g.VpcID), "description": g.Description}
			if matches(fields, g.Tags, fs, want) {
				found = append(found, g)
			}
		}
	})
	if len(found) != 1 {
		return c.dataErr(len(found), "EC2 Security Group")
	}
	g := found[0]
	c.set("id", string(g.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "security-group/"+string(g.ID)))
	c.set("name", g.Name)
	c.set("vpc_id", string(g.VpcID))
	c.set("description", g.Description)
	return nil
}

// aws_ssm_parameter: the public ECS-optimized AMI parameters resolve to
// defaultAMI (the "…/recommended" parameter to its JSON document); other
// parameters are unknown to ecsnet and resolve to a placeholder, said in a
// warning.
func dataSSMParameter(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	// A parameter of the system (made by this configuration, or by a
	// --base one: aws_ssm_parameter) answers with its own value.
	var own *model.Parameter
	if !strings.HasPrefix(name, "/aws/") {
		c.read(func(st *model.State) {
			if p, err := c.e().GetParameter(st, name); err == nil {
				own = p
			}
		})
	}
	if own != nil {
		c.set("id", own.Name)
		c.set("name", own.Name)
		c.set("value", own.Value)
		c.set("insecure_value", own.Value)
		c.set("type", own.Type)
		c.set("arn", model.ARN(c.regionName(), "ssm", c.l.account, "parameter/"+strings.TrimPrefix(own.Name, "/")))
		c.out["version"] = cty.NumberIntVal(own.Version)
		return nil
	}
	val := ""
	switch {
	case strings.Contains(name, "arm64") && engine.PublicParameter(c.regionName(), name) != nil:
		// An arm64 image's parameter answers AWS's arm64 image (the
		// engine's catalogue), so that EC2 refuses it on an x86_64
		// instance type as it does on AWS; the others keep defaultAMI.
		val = engine.PublicParameter(c.regionName(), name).Value
	case strings.HasPrefix(name, "/aws/service/ecs/optimized-ami/") && strings.HasSuffix(name, "/recommended"):
		b, _ := json.Marshal(map[string]any{"image_id": defaultAMI, "image_name": "amzn2-ami-ecs-hvm-2.0.20260101-x86_64-ebs",
			"ecs_agent_version": "1.90.0", "ecs_runtime_version": "Docker version 25.0.8", "os": "Amazon Linux 2", "schema_version": 1})
		val = string(b)
	case strings.HasPrefix(name, "/aws/service/ecs/optimized-ami/") || strings.HasPrefix(name, "/aws/service/ami-amazon-linux-latest/") ||
		strings.HasPrefix(name, "/aws/service/bottlerocket/") || strings.HasSuffix(name, "image_id"):
		val = defaultAMI
	case engine.PublicParameter(c.regionName(), name) != nil:
		// Another public parameter AWS publishes under /aws/service/ (AWS
		// for Fluent Bit's image URIs, the regions): the engine's value.
		val = engine.PublicParameter(c.regionName(), name).Value
	default:
		c.l.warnf(c.r.rng, "%s: SSM parameter %s is not known to ecsnet; it resolves to the placeholder %q", c.addr, name, "ssm:"+name)
		val = "ssm:" + name
	}
	c.set("id", name)
	c.set("name", name)
	c.set("value", val)
	c.set("insecure_value", val)
	c.set("type", "String")
	c.set("arn", model.ARN(c.regionName(), "ssm", c.l.account, "parameter"+name))
	c.out["version"] = cty.NumberIntVal(1)
	return nil
}

func dataAMI(c *rctx) error {
	// The public images ecsnet's EC2 knows (the ECS-optimized and Amazon
	// Linux ones) are matched against the filters as DescribeImages
	// matches them, so that an arm64 image found by its name lands on
	// the instance with its architecture (and EC2 refuses it on an x86_64
	// type, as on AWS); a query none of them meets keeps the placeholder.
	if im, ok := c.publicAMI(); ok {
		c.set("id", im.ID)
		c.set("image_id", im.ID)
		c.set("arn", model.ARN(c.regionName(), "ec2", "", "image/"+im.ID))
		c.set("name", im.Name)
		c.set("description", im.Description)
		c.set("architecture", im.Architecture)
		c.set("root_device_name", im.RootDevice)
		c.set("owner_id", im.OwnerID)
		return nil
	}
	// A filter on image-id naming the stand-in is a query by the value an
	// ECS-optimized AMI parameter resolved to (data.aws_ssm_parameter's
	// value): on AWS that parameter names a public image the filter finds.
	if !c.filtersImageID(defaultAMI) {
		c.l.warnf(c.r.rng, "%s: no public image ecsnet knows meets its filters, so the analysis goes on with a stand-in ECS-optimized image (%s); terraform plan fails with \"Your query returned no results\" unless AWS has an image that meets them",
			c.addr, defaultAMI)
	}
	c.set("id", defaultAMI)
	c.set("image_id", defaultAMI)
	c.set("arn", model.ARN(c.regionName(), "ec2", "", "image/"+defaultAMI))
	c.set("name", "amzn2-ami-ecs-hvm-2.0.20260101-x86_64-ebs")
	c.set("architecture", "x86_64")
	c.set("root_device_name", "/dev/xvda")
	c.set("owner_id", "591542846629")
	return nil
}

// aws_iam_policy_document renders its statements as IAM JSON.
func dataPolicyDocument(c *rctx) error {
	doc := map[string]any{"Version": "2012-10-17"}
	if v := c.o.str("version"); v != "" {
		doc["Version"] = v
	}
	var stmts []any
	for _, s := range c.o.blocks("statement") {
		st := map[string]any{}
		if v := s.str("sid"); v != "" {
			st["Sid"] = v
		}
		eff := s.str("effect")
		if eff == "" {
			eff = "Allow"
		}
		st["Effect"] = eff
		for k, key := range map[string]string{"Action": "actions", "NotAction": "not_actions", "Resource": "resources", "NotResource": "not_resources"} {
			if vs := s.strs(key); len(vs) == 1 {
				st[k] = vs[0]
			} else if len(vs) > 1 {
				st[k] = vs
			}
		}
		for k, key := range map[string]string{"Principal": "principals", "NotPrincipal": "not_principals"} {
			ps := map[string]any{}
			for _, p := range s.blocks(key) {
				ids := p.strs("identifiers")
				if p.str("type") == "*" {
					st[k] = "*"
					continue
				}
				if len(ids) == 1 {
					ps[p.str("type")] = ids[0]
				} else {
					ps[p.str("type")] = ids
				}
			}
			if len(ps) > 0 {
				st[k] = ps
			}
		}
		conds := map[string]any{}
		for _, cd := range s.blocks("condition") {
			m, _ := conds[cd.str("test")].(map[string]any)
			if m == nil {
				m = map[string]any{}
				conds[cd.str("test")] = m
			}
			vs := cd.strs("values")
			if len(vs) == 1 {
				m[cd.str("variable")] = vs[0]
			} else {
				m[cd.str("variable")] = vs
			}
		}
		if len(conds) > 0 {
			st["Condition"] = conds
		}
		stmts = append(stmts, st)
	}
	doc["Statement"] = stmts
	b, _ := json.MarshalIndent(doc, "", "  ")
	c.set("json", string(b))
	c.set("minified_json", strings.Join(strings.Fields(string(b)), ""))
	c.set("id", fmt.Sprint(crc(string(b))))
	return nil
}

func dataECSCluster(c *rctx) error {
	name, err := c.req("cluster_name")
	if err != nil {
		return err
	}
	var cl *model.Cluster
	c.read(func(st *model.State) {
		for _, x := range st.Clusters {
			if x.Name == name {
				cl = x
			}
		}
	})
	if cl == nil {
		return c.dataErr(0, "ECS Cluster ("+name+")")
	}
	c.set("id", cl.ARN)
	c.set("arn", cl.ARN)
	c.set("status", "ACTIVE")
	return nil
}

// aws_service_discovery_dns_namespace: a Cloud Map DNS namespace by name
// and type (DNS_PRIVATE or DNS_PUBLIC, both required by the provider).
func dataDNSNamespace(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	return c.namespace(name, typ, "Service Discovery DNS Namespace")
}

// aws_service_discovery_http_namespace: a Cloud Map namespace by name (an
// HTTP namespace, or a DNS one, which is an HTTP namespace too).
func dataHTTPNamespace(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	return c.namespace(name, "", "Service Discovery HTTP Namespace")
}

func (c *rctx) namespace(name, typ, what string) error {
	var ns []*model.Namespace
	c.read(func(st *model.State) {
		for _, x := range st.Namespaces {
			if x.Name == name && (typ == "" || x.Type == typ) {
				ns = append(ns, x)
			}
		}
	})
	if len(ns) != 1 {
		return c.dataErr(len(ns), what)
	}
	c.set("id", ns[0].ID)
	c.set("arn", ns[0].ARN)
	c.set("description", ns[0].Description)
	c.set("hosted_zone", ns[0].HostedZoneID)
	c.set("http_name", ns[0].HTTPName)
	return nil
}

func dataLB(c *rctx) error {
	name, arn := c.o.str("name"), c.o.str("arn")
	var lb *model.LoadBalancer
	c.read(func(st *model.State) {
		for _, x := range st.LoadBalancers {
			if x.Name == name || x.ARN == arn {
				lb = x
			}
		}
	})
	if lb == nil {
		return c.dataErr(0, "ELBv2 Load Balancer")
	}
	c.set("id", lb.ARN)
	c.set("arn", lb.ARN)
	c.set("arn_suffix", arnSuffix(lb.ARN))
	c.set("name", lb.Name)
	c.set("dns_name", lb.DNSName)
	c.set("zone_id", lb.CanonicalHostedZoneID)
	c.set("vpc_id", string(lb.VpcID))
	return nil
}

// defaultVPC returns the region's default VPC. Every account has one in
// every region (unless deleted); without a base system ecsnet creates it
// as AWS does (172.31.0.0/16, a default subnet per zone), and says so.
func (c *rctx) defaultVPC() (*model.VPC, error) {
	if v := c.e().DefaultVpc(); v != nil {
		return v, nil
	}
	v, err := c.e().CreateDefaultVpc()
	if err != nil {
		return nil, c.fail("", err)
	}
	c.l.warnf(c.r.rng, "%s uses the default VPC: ecsnet assumes the one AWS creates in every region (%s, %s, a public default subnet per zone); give the real system with --base", c.addr, v.ID, v.CIDR)
	return v, nil
}

// data "aws_ecs_task_definition": the latest ACTIVE revision of a family
// (or the revision named).
func dataTaskDefinition(c *rctx) error {
	ref, err := c.req("task_definition")
	if err != nil {
		return err
	}
	td, err := c.e().TaskDefinition(ref)
	if err != nil {
		return c.fail("task_definition", err)
	}
	c.set("id", td.ARN)
	c.set("arn", td.ARN)
	c.set("arn_without_revision", td.ARN[:strings.LastIndex(td.ARN, ":")])
	c.set("family", td.Family)
	c.set("network_mode", string(td.NetworkMode))
	c.set("status", "ACTIVE")
	c.out["revision"] = cty.NumberIntVal(int64(td.Revision))
	return nil
}

// data "template_file" (the template provider, common in older
// configurations): template rendered with vars, as templatefile does.
func dataTemplateFile(c *rctx) error {
	tpl := c.o.str("template")
	fn := c.mi.funcs["templatefile"]
	dir, err := os.MkdirTemp("", "ecsnet-tpl")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template")
	if err := os.WriteFile(path, []byte(tpl), 0o600); err != nil {
		return err
	}
	vars := c.o.get("vars")
	if vars.IsNull() || !vars.IsKnown() {
		vars = cty.EmptyObjectVal
	}
	out, err := fn.Call([]cty.Value{cty.StringVal(path), vars})
	if err != nil {
		return c.errf("template", "template_file: %v", err)
	}
	c.set("rendered", asString(out))
	c.set("id", fmt.Sprint(crc(asString(out))))
	return nil
}

// data "cloudinit_config" (and the template provider's older
// "template_cloudinit_config"): the parts as a MIME multipart message, as
// cloud-init reads it; gzip and base64_encode default to true (gzip needs
// base64, as the provider says). Instances joining a cluster find
// ECS_CLUSTER in it.
func dataCloudInitConfig(c *rctx) error {
	boundary := c.o.str("boundary")
	if boundary == "" {
		boundary = "MIMEBOUNDARY"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\nMIME-Version: 1.0\r\n\r\n", boundary)
	for _, p := range c.o.blocks("part") {
		ct := p.str("content_type")
		if ct == "" {
			ct = "text/plain"
		}
		fmt.Fprintf(&b, "--%s\r\n", boundary)
		if f := p.str("filename"); f != "" {
			fmt.Fprintf(&b, "Content-Disposition: attachment; filename=\"%s\"\r\n", f)
		}
		fmt.Fprintf(&b, "Content-Transfer-Encoding: 7bit\r\nContent-Type: %s\r\nMime-Version: 1.0\r\n", ct)
		if m := p.str("merge_type"); m != "" {
			fmt.Fprintf(&b, "X-Merge-Type: %s\r\n", m)
		}
		fmt.Fprintf(&b, "\r\n%s\r\n", p.str("content"))
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	flag := func(k string) (bool, error) {
		v, err := c.o.boolean(k)
		if err != nil || v == nil {
			return true, err
		}
		return *v, nil
	}
	gz, err := flag("gzip")
	if err != nil {
		return err
	}
	b64, err := flag("base64_encode")
	if err != nil {
		return err
	}
	if gz && !b64 {
		return c.errf("gzip", "Expected base64_encode to be set to true when gzip is true")
	}
	out := []byte(b.String())
	if gz {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(out)
		w.Close()
		out = z.Bytes()
	}
	rendered := string(out)
	if b64 {
		rendered = base64.StdEncoding.EncodeToString(out)
	}
	c.set("rendered", rendered)
	c.set("id", fmt.Sprint(crc(rendered)))
	return nil
}

func vpcFields(v *model.VPC, account string) map[string]string {
	return map[string]string{"vpc-id": string(v.ID), "cidr": v.CIDR.String(), "cidr-block-association.cidr-block": v.CIDR.String(),
		"isDefault": boolStr(v.IsDefault), "is-default": boolStr(v.IsDefault), "state": "available", "owner-id": account}
}

// data "aws_vpcs": the ids of the VPCs that match.
func dataVPCs(c *rctx) error {
	fs, want := filters(c.o), stringMap(c.o.get("tags"))
	var ids []string
	c.read(func(st *model.State) {
		for _, v := range st.VPCs {
			if matches(vpcFields(v, c.l.account), v.Tags, fs, want) {
				ids = append(ids, string(v.ID))
			}
		}
	})
	sort.Strings(ids)
	c.out["ids"] = strList(ids)
	c.set("id", c.l.region)
	return nil
}

// data "aws_security_groups": ids, ARNs and VPC ids of the groups that match.
func dataSecurityGroups(c *rctx) error {
	fs, want := filters(c.o), stringMap(c.o.get("tags"))
	var groups []*model.SecurityGroup
	c.read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			fields := map[string]string{"group-id": string(g.ID), "group-name": g.Name, "vpc-id": string(g.VpcID), "description": g.Description}
			if matches(fields, g.Tags, fs, want) {
				groups = append(groups, g)
			}
		}
	})
	sort.Slice(groups, func(i, j int) bool { return groups[i].ID < groups[j].ID })
	var ids, arns, vpcs []string
	for _, g := range groups {
		ids = append(ids, string(g.ID))
		arns = append(arns, model.EC2ARN(c.l.region, c.l.account, "security-group/"+string(g.ID)))
		vpcs = append(vpcs, string(g.VpcID))
	}
	c.out["ids"], c.out["arns"], c.out["vpc_ids"] = strList(ids), strList(arns), strList(vpcs)
	c.set("id", c.l.region)
	return nil
}

// declares reports whether any module of the configuration declares a
// block of the mode ("resource" or "data") and type.
func (l *loader) declares(mode, typ string) bool {
	for _, m := range l.modules {
		for _, r := range m.resources {
			if r.mode == mode && r.typ == typ {
				return true
			}
		}
	}
	return false
}

// data "aws_ecr_repository": DescribeRepositories of the repository
// name in the account's registry (registry_id, when it names another
// account's, is not known here: its attributes are derived from the
// name). A repository that does not exist fails the read with ECR's
// RepositoryNotFoundException, as the provider reports it, when the
// configuration manages repositories or the real system is given
// (--base); else it is taken to exist, with a warning.
func dataRepository(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	e := c.e()
	cfg := e.Config()
	registry := c.o.str("registry_id")
	if registry == "" || registry == cfg.Account {
		registry = cfg.Account
		var r *model.Repository
		c.read(func(st *model.State) { r = st.Repositories[name] })
		if r == nil && c.l.opts.Base == nil && !c.l.declares("resource", "aws_ecr_repository") {
			// The configuration manages no repository: the one it reads
			// lives outside it, as its task images' repositories are
			// taken to (noteAssumedRepositories).
			c.l.warnf(c.r.rng, "%s: no ECR repository %s is in the system and the configuration manages none, so ecsnet takes it to exist in the account's registry (give the real system with --base)", c.addr, name)
			c.set("image_tag_mutability", "MUTABLE")
		} else if r == nil {
			return c.errf("name", "reading ECR Repository (%s): RepositoryNotFoundException: The repository with name '%s' does not exist in the registry with id '%s'", name, name, registry)
		}
		if r != nil {
			c.set("image_tag_mutability", r.TagMutability)
		}
	}
	c.set("id", name)
	c.set("name", name)
	c.set("registry_id", registry)
	c.set("arn", engine.RepositoryARN(cfg.Region, registry, name))
	c.set("repository_url", engine.RepositoryURI(cfg.Region, registry, name))
	return nil
}

// routeTableFields are the DescribeRouteTables filters a route table answers.
func routeTableFields(rt *model.RouteTable) map[string]string {
	fields := map[string]string{"route-table-id": string(rt.ID), "vpc-id": string(rt.VpcID)}
	main := false
	for _, a := range rt.Associations {
		main = main || a.Main
		if a.SubnetID != "" {
			fields["association.subnet-id"] = string(a.SubnetID)
		}
	}
	fields["association.main"] = boolStr(main)
	return fields
}

// data "aws_route_tables": the ids of the route tables of vpc_id (if
// given) that match the tags and filters, as DescribeRouteTables answers
// the provider's filters; none is an empty list ([choice]: not checked
// against every release).
func dataRouteTables(c *rctx) error {
	fs, want := filters(c.o), stringMap(c.o.get("tags"))
	vpc := c.o.str("vpc_id")
	var ids []string
	c.read(func(st *model.State) {
		for _, rt := range st.RouteTables {
			if vpc != "" && string(rt.VpcID) != vpc {
				continue
			}
			if matches(routeTableFields(rt), rt.Tags, fs, want) {
				ids = append(ids, string(rt.ID))
			}
		}
	})
	sort.Strings(ids)
	c.out["ids"] = strList(ids)
	c.set("id", c.l.region)
	return nil
}

// data "aws_route_table": by id, subnet, VPC, tags or filters (exactly one).
func dataRouteTable(c *rctx) error {
	fs, want := filters(c.o), stringMap(c.o.get("tags"))
	id, sub, vpc := c.o.str("route_table_id"), c.o.str("subnet_id"), c.o.str("vpc_id")
	var found []*model.RouteTable
	c.read(func(st *model.State) {
		if sub != "" {
			if rt := st.SubnetRouteTable(model.SubnetID(sub)); rt != nil {
				found = append(found, rt)
			}
			return
		}
		for _, rt := range st.RouteTables {
			fields := routeTableFields(rt)
			if id != "" && string(rt.ID) != id || vpc != "" && string(rt.VpcID) != vpc {
				continue
			}
			if matches(fields, rt.Tags, fs, want) {
				found = append(found, rt)
			}
		}
	})
	if len(found) != 1 {
		return c.dataErr(len(found), "EC2 Route Table")
	}
	rt := found[0]
	c.set("id", string(rt.ID))
	c.set("route_table_id", string(rt.ID))
	c.set("vpc_id", string(rt.VpcID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "route-table/"+string(rt.ID)))
	return nil
}

// data "aws_internet_gateway": by id, tags or filters (attachment.vpc-id).
func dataInternetGateway(c *rctx) error {
	fs, want := filters(c.o), stringMap(c.o.get("tags"))
	id := c.o.str("internet_gateway_id")
	var found []*model.InternetGateway
	c.read(func(st *model.State) {
		for _, g := range st.InternetGateways {
			fields := map[string]string{"internet-gateway-id": string(g.ID), "attachment.vpc-id": string(g.VpcID), "attachment.state": "available"}
			if id != "" && string(g.ID) != id {
				continue
			}
			if matches(fields, g.Tags, fs, want) {
				found = append(found, g)
			}
		}
	})
	if len(found) != 1 {
		return c.dataErr(len(found), "EC2 Internet Gateway")
	}
	g := found[0]
	c.set("id", string(g.ID))
	c.set("internet_gateway_id", string(g.ID))
	c.set("arn", model.EC2ARN(c.l.region, c.l.account, "internet-gateway/"+string(g.ID)))
	return nil
}

// dataPrefixList answers aws_ec2_managed_prefix_list (managed true) and
// the older aws_prefix_list from the system's prefix lists: AWS's own
// (com.amazonaws.<region>.s3, .dynamodb, com.amazonaws.global.cloudfront.origin-facing)
// and those the account manages. Arguments: id/prefix_list_id, name and
// filter blocks (prefix-list-id, prefix-list-name, owner-id).
func dataPrefixList(managed bool) handler {
	return func(c *rctx) error {
		fs := filters(c.o)
		id, name := c.o.str("id"), c.o.str("name")
		if !managed {
			id = c.o.str("prefix_list_id")
		}
		var found []*model.PrefixList
		c.read(func(st *model.State) {
			for _, p := range st.PrefixLists {
				owner := p.Owner
				if owner == "" {
					owner = "AWS"
				}
				fields := map[string]string{"prefix-list-id": string(p.ID), "prefix-list-name": p.Name, "owner-id": owner}
				if (id != "" && string(p.ID) != id) || (name != "" && p.Name != name) {
					continue
				}
				if matches(fields, p.Tags, fs, nil) {
					found = append(found, p)
				}
			}
		})
		if len(found) != 1 {
			return c.dataErr(len(found), "prefix list")
		}
		p := found[0]
		cidrs := make([]string, len(p.CIDRs))
		for i, cidr := range p.CIDRs {
			cidrs[i] = cidr.String()
		}
		c.set("id", string(p.ID))
		c.set("name", p.Name)
		c.out["cidr_blocks"] = strList(cidrs)
		if managed {
			owner := p.Owner
			if owner == "" {
				owner = "AWS"
			}
			c.set("arn", model.ARN(c.l.region, "ec2", owner, "prefix-list/"+string(p.ID)))
			c.set("owner_id", owner)
			af := p.AddressFamily
			if af == "" {
				af = "IPv4"
			}
			c.set("address_family", af)
			c.out["max_entries"] = cty.NumberIntVal(int64(max(p.MaxEntries, len(p.CIDRs))))
			c.out["version"] = cty.NumberIntVal(int64(max(p.Version, 1)))
			entries := make([]cty.Value, len(cidrs))
			for i, cidr := range cidrs {
				desc := ""
				if i < len(p.Descriptions) {
					desc = p.Descriptions[i]
				}
				entries[i] = cty.ObjectVal(map[string]cty.Value{"cidr": cty.StringVal(cidr), "description": cty.StringVal(desc)})
			}
			if len(entries) > 0 {
				c.out["entries"] = cty.ListVal(entries)
			}
		}
		return nil
	}
}

// data "terraform_remote_state": the root outputs of another
// configuration's state. With the local backend the state file is read
// (config.path, relative to the root module as Terraform's working
// directory; terraform.tfstate by default); another backend's state
// (s3, remote, …) is out of ecsnet's reach: its outputs are unknown, but
// for the defaults the configuration gives, and a warning says so.
func dataRemoteState(c *rctx) error {
	c.placeholders()
	backend := c.o.str("backend")
	outs := map[string]cty.Value{}
	if d := c.o.get("defaults"); !d.IsNull() && d.IsKnown() && d.CanIterateElements() {
		for it := d.ElementIterator(); it.Next(); {
			k, v := it.Element()
			outs[k.AsString()] = v
		}
	}
	if backend != "local" {
		c.l.warnf(c.r.rng, "%s reads the state of another configuration (backend %q), which ecsnet cannot read: its outputs are unknown%s; to read them, save that state (terraform state pull > network.tfstate) and point a backend \"local\" at it (config = { path = \"network.tfstate\" })",
			c.addr, backend, map[bool]string{true: " (but for its defaults)", false: ""}[len(outs) > 0])
		c.out["outputs"] = cty.DynamicVal
		c.l.unreadState = append(c.l.unreadState, fmt.Sprintf("%s (backend %q)", c.addr, backend))
		if len(outs) > 0 {
			c.out["outputs"] = cty.ObjectVal(outs)
		}
		return nil
	}
	file := "terraform.tfstate"
	if p := stringMap(c.o.get("config"))["path"]; p != "" {
		file = p
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(c.l.root, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return c.errf("config", "Unable to find remote state: No stored state was found for the given workspace in the given backend (%v)", err)
	}
	var st struct {
		Outputs map[string]struct {
			Value json.RawMessage `json:"value"`
			Type  json.RawMessage `json:"type"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return c.errf("config", "Error loading state: %v", err)
	}
	for name, o := range st.Outputs {
		ty, err := ctyjson.UnmarshalType(o.Type)
		if err != nil {
			return c.errf("config", "state output %q: %v", name, err)
		}
		v, err := ctyjson.Unmarshal(o.Value, ty)
		if err != nil {
			return c.errf("config", "state output %q: %v", name, err)
		}
		outs[name] = v
	}
	c.out["outputs"] = cty.ObjectVal(outs)
	return nil
}

// data "aws_ec2_instance_type": what DescribeInstanceTypes says of a type
// ecsnet knows (vCPUs, memory, network interfaces and addresses per
// interface, burstable, architecture); its other attributes are unknown.
func dataInstanceType(c *rctx) error {
	name, err := c.req("instance_type")
	if err != nil {
		return err
	}
	it, ok := model.LookupInstanceType(name)
	if !ok {
		return c.errf("instance_type", "reading EC2 Instance Type (%s): couldn't find resource (ecsnet knows %d instance types; this is not one)", name, len(model.InstanceTypes()))
	}
	c.set("id", name)
	c.set("instance_type", name)
	c.out["default_vcpus"] = cty.NumberIntVal(int64(it.VCPUs))
	c.out["memory_size"] = cty.NumberIntVal(int64(it.MemoryMiB))
	c.out["maximum_network_interfaces"] = cty.NumberIntVal(int64(it.MaxENIs))
	c.out["maximum_ipv4_addresses_per_interface"] = cty.NumberIntVal(int64(it.IPv4PerENI))
	fam, _, _ := strings.Cut(name, ".")
	c.out["burstable_performance_supported"] = cty.BoolVal(strings.HasPrefix(fam, "t"))
	arch := "x86_64"
	if strings.HasPrefix(fam, "a1") || strings.Contains(fam[1:], "g") {
		arch = "arm64" // Graviton: a1 and the families with g (c6g, m7g, t4g)
	}
	c.out["supported_architectures"] = cty.ListVal([]cty.Value{cty.StringVal(arch)})
	return nil
}

// data "aws_default_tags": the provider's default_tags (an empty map
// without them).
func dataDefaultTags(c *rctx) error {
	m := map[string]cty.Value{}
	for k, v := range c.prov.defaultTags {
		m[k] = cty.StringVal(v)
	}
	c.set("id", "aws")
	if len(m) == 0 {
		c.out["tags"] = cty.MapValEmpty(cty.String)
		return nil
	}
	c.out["tags"] = cty.MapVal(m)
	return nil
}

// publicAMI is the newest public image of ecsnet's catalogue that an
// aws_ami query's filters (name, description, architecture, with `*` and
// `?` wildcards) and name_regex select; false when none does, or when the
// query names owners none of them has (the account's own images, a
// vendor's).
func (c *rctx) publicAMI() (engine.Image, bool) {
	type filter struct {
		name   string
		values []string
	}
	var fs []filter
	known := false
	for _, b := range c.o.blocks("filter") {
		f := filter{b.str("name"), b.strs("values")}
		switch f.name {
		case "name", "description", "architecture", "image-id":
			known = known || f.name != "architecture"
		case "virtualization-type", "root-device-type", "state", "owner-alias", "image-type", "is-public":
			continue // every catalogue image is hvm, ebs, available, Amazon's
		default:
			return engine.Image{}, false
		}
		fs = append(fs, f)
	}
	re := c.o.str("name_regex")
	if !known && re == "" {
		return engine.Image{}, false
	}
	for _, o := range c.o.strs("owners") {
		if o != "amazon" && o != "591542846629" && o != "137112412989" && o != "801119661308" {
			return engine.Image{}, false
		}
	}
	var rx *regexp.Regexp
	if re != "" {
		var err error
		if rx, err = regexp.Compile(re); err != nil {
			return engine.Image{}, false
		}
	}
	var best engine.Image
	found := false
	for _, im := range engine.PublicImages(c.regionName()) {
		ok := rx == nil || rx.MatchString(im.Name)
		for _, f := range fs {
			field := map[string]string{"name": im.Name, "description": im.Description, "architecture": im.Architecture, "image-id": im.ID}[f.name]
			any := false
			for _, v := range f.values {
				any = any || globMatch(v, field)
			}
			ok = ok && any
		}
		if ok && (!found || im.Created.After(best.Created) || (im.Created.Equal(best.Created) && im.Name > best.Name)) {
			best, found = im, true
		}
	}
	return best, found
}

// filtersImageID reports whether one of an aws_ami's filters is image-id
// with id among its values.
func (c *rctx) filtersImageID(id string) bool {
	for _, b := range c.o.blocks("filter") {
		if b.str("name") == "image-id" && slices.Contains(b.strs("values"), id) {
			return true
		}
	}
	return false
}

// globMatch is EC2's filter match: `*` any run of characters, `?` one.
func globMatch(pattern, s string) bool {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	ok, _ := regexp.MatchString(b.String(), s)
	return ok
}
