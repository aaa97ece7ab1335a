package ec2

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerSecurity(r *api.Registry) {
	add(r, "CreateSecurityGroup", createSecurityGroup)
	add(r, "DeleteSecurityGroup", deleteSecurityGroup)
	add(r, "DescribeSecurityGroups", describeSecurityGroups)
	add(r, "GetSecurityGroupsForVpc", getSecurityGroupsForVpc)
	add(r, "DescribeSecurityGroupReferences", describeSecurityGroupReferences)
	add(r, "DescribeSecurityGroupRules", describeSecurityGroupRules)
	add(r, "ModifySecurityGroupRules", modifySecurityGroupRules)
	add(r, "AuthorizeSecurityGroupIngress", authorize(false))
	add(r, "AuthorizeSecurityGroupEgress", authorize(true))
	add(r, "RevokeSecurityGroupIngress", revoke(false))
	add(r, "UpdateSecurityGroupRuleDescriptionsIngress", updateRuleDescriptions(false))
	add(r, "UpdateSecurityGroupRuleDescriptionsEgress", updateRuleDescriptions(true))
	add(r, "RevokeSecurityGroupEgress", revoke(true))
	add(r, "CreateNetworkAcl", createNetworkACL)
	add(r, "DeleteNetworkAcl", deleteNetworkACL)
	add(r, "DescribeNetworkAcls", describeNetworkACLs)
	add(r, "CreateNetworkAclEntry", networkACLEntry(false))
	add(r, "ReplaceNetworkAclEntry", networkACLEntry(true))
	add(r, "DeleteNetworkAclEntry", deleteNetworkACLEntry)
	add(r, "ReplaceNetworkAclAssociation", replaceNetworkACLAssociation)
}

// wirePorts returns a rule's FromPort and ToPort as EC2 reports them: the
// port range for TCP and UDP, type and code (-1 for any) for ICMP, none for
// other protocols.
func wirePorts(p model.Protocol, r model.PortRange) (from, to any) {
	switch {
	case p.HasPorts():
		return int(r.First), int(r.Last)
	case p == model.ICMP || p == model.ICMPv6:
		f, t := int(r.First), int(r.Last)
		if r.First == engine.ICMPAny {
			f = -1
		}
		if r.Last == engine.ICMPAny {
			t = -1
		}
		return f, t
	}
	return nil, nil
}

// ipPermissions groups rules by protocol and ports, as EC2 lists them. A
// referenced group carries its VpcId only when it is in another VPC than
// the group's own (a peered VPC).
func ipPermissions(st *model.State, account string, own model.VpcID, rules []model.SecurityGroupRule) []any {
	type key struct {
		p     model.Protocol
		ports model.PortRange
	}
	var order []key
	perms := map[key]map[string]any{}
	for _, r := range rules {
		k := key{r.Protocol, r.Ports}
		p := perms[k]
		if p == nil {
			from, to := wirePorts(r.Protocol, r.Ports)
			p = map[string]any{"IpProtocol": r.Protocol.String(), "FromPort": from, "ToPort": to,
				"IpRanges": []any{}, "Ipv6Ranges": []any{}, "PrefixListIds": []any{}, "UserIdGroupPairs": []any{}}
			perms[k] = p
			order = append(order, k)
		}
		switch {
		case r.Group != "":
			pair := map[string]any{"GroupId": r.Group, "UserId": account, "Description": api.Str(r.Description)}
			if g := st.SecurityGroups[r.Group]; g != nil && g.VpcID != own {
				pair["VpcId"] = g.VpcID
			}
			p["UserIdGroupPairs"] = append(p["UserIdGroupPairs"].([]any), pair)
		case r.PrefixList != "":
			p["PrefixListIds"] = append(p["PrefixListIds"].([]any), map[string]any{"PrefixListId": r.PrefixList, "Description": api.Str(r.Description)})
		case r.CIDR.Addr().Is6():
			p["Ipv6Ranges"] = append(p["Ipv6Ranges"].([]any), map[string]any{"CidrIpv6": r.CIDR, "Description": api.Str(r.Description)})
		default:
			p["IpRanges"] = append(p["IpRanges"].([]any), map[string]any{"CidrIp": r.CIDR, "Description": api.Str(r.Description)})
		}
	}
	out := make([]any, len(order))
	for i, k := range order {
		out[i] = perms[k]
	}
	return out
}

func sgOut(c *api.Call, st *model.State, g *model.SecurityGroup) map[string]any {
	return map[string]any{
		"GroupId": g.ID, "GroupName": g.Name, "Description": g.Description, "VpcId": g.VpcID, "OwnerId": c.Account,
		"SecurityGroupArn":    arn(c.Region, c.Account, "security-group", string(g.ID)),
		"IpPermissions":       ipPermissions(st, c.Account, g.VpcID, g.Ingress),
		"IpPermissionsEgress": ipPermissions(st, c.Account, g.VpcID, g.Egress),
		"Tags":                api.EC2Tags(g.Tags),
	}
}

func ruleOut(c *api.Call, g *model.SecurityGroup, r model.SecurityGroupRule) map[string]any {
	from, to := wirePorts(r.Protocol, r.Ports)
	if from == nil {
		from, to = -1, -1
	}
	out := map[string]any{
		"SecurityGroupRuleId": r.ID, "GroupId": g.ID, "GroupOwnerId": c.Account, "IsEgress": r.Egress,
		"IpProtocol": r.Protocol.String(), "FromPort": from, "ToPort": to, "Description": api.Str(r.Description),
		"SecurityGroupRuleArn": arn(c.Region, c.Account, "security-group-rule", string(r.ID)), "Tags": api.EC2Tags(r.Tags),
	}
	switch {
	case r.Group != "":
		out["ReferencedGroupInfo"] = map[string]any{"GroupId": r.Group, "UserId": c.Account}
	case r.PrefixList != "":
		out["PrefixListId"] = r.PrefixList
	case r.CIDR.Addr().Is6():
		out["CidrIpv6"] = r.CIDR
	default:
		out["CidrIpv4"] = r.CIDR
	}
	return out
}

func createSecurityGroup(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "security-group")
	if err != nil {
		return nil, err
	}
	g, err := c.Engine.CreateSecurityGroup(engine.CreateSecurityGroupInput{
		VpcID: model.VpcID(c.In.String("VpcId")), Name: c.In.String("GroupName"), Description: c.In.String("Description"), Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"GroupId": g.ID, "Tags": api.EC2Tags(g.Tags), "SecurityGroupArn": arn(c.Region, c.Account, "security-group", string(g.ID))}, nil
}

// groupID returns the request's GroupId, or the id of GroupName in the
// default VPC.
func groupID(c *api.Call) (model.SecurityGroupID, error) {
	if id := c.In.String("GroupId"); id != "" {
		return model.SecurityGroupID(id), nil
	}
	name := c.In.String("GroupName")
	if name == "" && c.In.Has("GroupId") {
		// An empty GroupId is a malformed id, not a missing one
		// (systeminit/si#3042: AuthorizeSecurityGroupIngress with "").
		return "", apierr.New("InvalidGroupId.Malformed", "The security-group ID '' is malformed")
	}
	if name == "" {
		return "", apierr.New("MissingParameter", "The request must contain the parameter groupName or groupId")
	}
	v := c.Engine.DefaultVpc()
	if v == nil {
		return "", errNoDefaultVpcForName()
	}
	g, ok := c.Engine.SecurityGroupByName(v.ID, name)
	if !ok {
		return "", apierr.Newf("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", name, v.ID)
	}
	return g.ID, nil
}

// errNoDefaultVpcForName is AWS's answer to a group named without a default
// VPC to look it up in (gruntwork-io/kubergrunt#106: DeleteSecurityGroup's
// "No default VPC for this user. GroupName is only supported for EC2-Classic
// and default VPC.").
func errNoDefaultVpcForName() error {
	return apierr.New("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.")
}

func deleteSecurityGroup(c *api.Call) (map[string]any, error) {
	id, err := groupID(c)
	if err != nil {
		return nil, err
	}
	if err := c.Engine.DeleteSecurityGroup(id); err != nil {
		return nil, err
	}
	return map[string]any{"Return": true, "GroupId": id}, nil
}

func sgFilters(c *api.Call) api.FilterSet[*model.SecurityGroup] {
	rules := func(egress bool, f func(model.SecurityGroupRule) []string) func(*model.SecurityGroup) []string {
		return func(g *model.SecurityGroup) []string {
			list := g.Ingress
			if egress {
				list = g.Egress
			}
			var out []string
			for _, r := range list {
				out = append(out, f(r)...)
			}
			return out
		}
	}
	// ip-permission.cidr is a rule's IPv4 range, ip-permission.ipv6-cidr
	// its IPv6 range.
	cidr := func(r model.SecurityGroupRule) []string {
		if r.CIDR.IsValid() && r.CIDR.Addr().Is4() {
			return []string{r.CIDR.String()}
		}
		return nil
	}
	cidr6 := func(r model.SecurityGroupRule) []string {
		if r.CIDR.IsValid() && r.CIDR.Addr().Is6() {
			return []string{r.CIDR.String()}
		}
		return nil
	}
	group := func(r model.SecurityGroupRule) []string { return api.One(r.Group) }
	proto := func(r model.SecurityGroupRule) []string { return []string{r.Protocol.String()} }
	from := func(r model.SecurityGroupRule) []string {
		f, _ := wirePorts(r.Protocol, r.Ports)
		if f == nil {
			return nil
		}
		return []string{strconv.Itoa(f.(int))}
	}
	to := func(r model.SecurityGroupRule) []string {
		_, t := wirePorts(r.Protocol, r.Ports)
		if t == nil {
			return nil
		}
		return []string{strconv.Itoa(t.(int))}
	}
	pl := func(r model.SecurityGroupRule) []string { return api.One(r.PrefixList) }
	// A VPC rule names its group by id: the group-name filters find no rule
	// made that way (AWS answers none), user-id is the referenced group's owner.
	groupName := func(model.SecurityGroupRule) []string { return nil }
	userID := func(r model.SecurityGroupRule) []string {
		if r.Group == "" {
			return nil
		}
		return []string{c.Account}
	}
	return api.FilterSet[*model.SecurityGroup]{
		Tags: func(g *model.SecurityGroup) model.Tags { return g.Tags },
		Attrs: map[string]func(*model.SecurityGroup) []string{
			"group-id":                            func(g *model.SecurityGroup) []string { return api.One(g.ID) },
			"group-name":                          func(g *model.SecurityGroup) []string { return api.One(g.Name) },
			"description":                         func(g *model.SecurityGroup) []string { return api.One(g.Description) },
			"vpc-id":                              func(g *model.SecurityGroup) []string { return api.One(g.VpcID) },
			"owner-id":                            func(*model.SecurityGroup) []string { return []string{c.Account} },
			"ip-permission.cidr":                  rules(false, cidr),
			"ip-permission.ipv6-cidr":             rules(false, cidr6),
			"egress.ip-permission.ipv6-cidr":      rules(true, cidr6),
			"ip-permission.group-id":              rules(false, group),
			"ip-permission.protocol":              rules(false, proto),
			"ip-permission.from-port":             rules(false, from),
			"ip-permission.to-port":               rules(false, to),
			"ip-permission.prefix-list-id":        rules(false, pl),
			"egress.ip-permission.cidr":           rules(true, cidr),
			"egress.ip-permission.group-id":       rules(true, group),
			"egress.ip-permission.protocol":       rules(true, proto),
			"egress.ip-permission.from-port":      rules(true, from),
			"egress.ip-permission.to-port":        rules(true, to),
			"egress.ip-permission.prefix-list-id": rules(true, pl),
			"ip-permission.group-name":            rules(false, groupName),
			"egress.ip-permission.group-name":     rules(true, groupName),
			"ip-permission.user-id":               rules(false, userID),
			"egress.ip-permission.user-id":        rules(true, userID),
		},
	}
}

func describeSecurityGroups(c *api.Call) (map[string]any, error) {
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.SecurityGroup
		for _, id := range c.In.Strings("GroupIds") {
			if err = checkGroupIDForm(id); err != nil {
				return
			}
		}
		items, err = byIDs(st.SecurityGroups, c.In.Strings("GroupIds"), func(id string) error {
			return apierr.Newf("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
		})
		if err != nil {
			return
		}
		if names := c.In.Strings("GroupNames"); len(names) > 0 {
			// Names are of the default VPC's groups only (GroupNames:
			// "[Default VPC]"); the error names that VPC, as AWS's does.
			var def *model.VPC
			for _, v := range st.VPCs {
				if v.IsDefault {
					def = v
				}
			}
			if def == nil {
				err = errNoDefaultVpcForName()
				return
			}
			var keep []*model.SecurityGroup
			for _, n := range names {
				found := false
				for _, g := range items {
					if g.Name == n && g.VpcID == def.ID {
						keep, found = append(keep, g), true
					}
				}
				if !found {
					err = apierr.Newf("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", n, def.ID)
					return
				}
			}
			items = keep
		}
		if items, err = sgFilters(c).Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		key := func(g *model.SecurityGroup) string { return string(g.ID) }
		if items, next, err = page(c.In, items, key, 5, 1000); err != nil {
			return
		}
		out = make([]any, len(items))
		for i, g := range items {
			out[i] = sgOut(c, st, g)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"SecurityGroups": out, "NextToken": next}, nil
}

type sgRuleRef struct {
	g *model.SecurityGroup
	r model.SecurityGroupRule
}

func describeSecurityGroupRules(c *api.Call) (map[string]any, error) {
	var refs []sgRuleRef
	c.Engine.Read(func(st *model.State) {
		for _, g := range st.SecurityGroups {
			for _, r := range g.Ingress {
				refs = append(refs, sgRuleRef{g, r})
			}
			for _, r := range g.Egress {
				refs = append(refs, sgRuleRef{g, r})
			}
		}
	})
	if want := c.In.Strings("SecurityGroupRuleIds"); len(want) > 0 {
		var keep []sgRuleRef
		for _, id := range want {
			found := false
			for _, x := range refs {
				if string(x.r.ID) == id {
					keep, found = append(keep, x), true
				}
			}
			if !found {
				return nil, apierr.Newf("InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '%s' does not exist", id)
			}
		}
		refs = keep
	}
	filters := api.Filters(c.In)
	for _, f := range filters {
		if f.Name != "group-id" {
			continue
		}
		for _, v := range f.Values {
			if !wellFormedID(v, "sg") {
				// AWS's text here differs from its other InvalidGroupId.Malformed errors.
				return nil, apierr.Newf("InvalidGroupId.Malformed", "The security group ID '%s' is malformed", v)
			}
		}
	}
	fs := api.FilterSet[sgRuleRef]{
		Tags: func(x sgRuleRef) model.Tags { return x.r.Tags },
		Attrs: map[string]func(sgRuleRef) []string{
			"group-id":               func(x sgRuleRef) []string { return api.One(x.g.ID) },
			"security-group-rule-id": func(x sgRuleRef) []string { return api.One(x.r.ID) },
		},
	}
	refs, err := fs.Apply(refs, filters)
	if err != nil {
		return nil, err
	}
	key := func(x sgRuleRef) string { return string(x.r.ID) }
	refs, next, err := page(c.In, refs, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(refs))
	for i, x := range refs {
		out[i] = ruleOut(c, x.g, x.r)
	}
	return map[string]any{"SecurityGroupRules": out, "NextToken": next}, nil
}

// permissions reads IpPermissions, or the legacy top-level form (IpProtocol,
// FromPort, ToPort, CidrIp, SourceSecurityGroupName). A UserIdGroupPairs
// GroupId that is not sg-… is InvalidGroupId.Malformed (a name goes in
// GroupName).
func permissions(in awsproto.Params) ([]engine.IPPermission, error) {
	var out []engine.IPPermission
	for _, p := range in.Structs("IpPermissions") {
		perm := engine.IPPermission{Protocol: p.String("IpProtocol"), FromPort: ptrInt(p, "FromPort"), ToPort: ptrInt(p, "ToPort")}
		for _, r := range p.Structs("IpRanges") {
			perm.CIDRs = append(perm.CIDRs, engine.RuleSource{Value: r.String("CidrIp"), Description: r.String("Description")})
		}
		for _, r := range p.Structs("Ipv6Ranges") {
			perm.IPv6CIDRs = append(perm.IPv6CIDRs, engine.RuleSource{Value: r.String("CidrIpv6"), Description: r.String("Description")})
		}
		for _, g := range p.Structs("UserIdGroupPairs") {
			v := g.String("GroupId")
			if v != "" {
				if err := checkGroupIDForm(v); err != nil {
					return nil, err
				}
			} else {
				v = g.String("GroupName")
			}
			perm.Groups = append(perm.Groups, engine.RuleSource{Value: v, Description: g.String("Description")})
		}
		for _, pl := range p.Structs("PrefixListIds") {
			perm.PrefixLists = append(perm.PrefixLists, engine.RuleSource{Value: pl.String("PrefixListId"), Description: pl.String("Description")})
		}
		out = append(out, perm)
	}
	if in.Has("IpProtocol") || in.Has("CidrIp") || in.Has("SourceSecurityGroupName") {
		perm := engine.IPPermission{Protocol: in.String("IpProtocol"), FromPort: ptrInt(in, "FromPort"), ToPort: ptrInt(in, "ToPort")}
		if perm.Protocol == "" {
			perm.Protocol = "-1"
		}
		if s := in.String("CidrIp"); s != "" {
			perm.CIDRs = []engine.RuleSource{{Value: s}}
		}
		if s := in.String("SourceSecurityGroupName"); s != "" {
			perm.Groups = []engine.RuleSource{{Value: s}}
		}
		out = append(out, perm)
	}
	return out, nil
}

// checkGroupIDForm refuses a security group id that is not sg-… as EC2
// does, before any lookup: InvalidGroupId.Malformed "Invalid id: "x"
// (expecting "sg-...")" (the engine's rule for the ids it looks up).
func checkGroupIDForm(id string) error {
	if !strings.HasPrefix(id, "sg-") || len(id) == len("sg-") {
		return apierr.Newf("InvalidGroupId.Malformed", "Invalid id: \"%s\" (expecting \"sg-...\")", id)
	}
	return nil
}

func authorize(egress bool) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		id, err := groupID(c)
		if err != nil {
			return nil, err
		}
		tags, err := api.TagSpecs(c.In, "security-group-rule")
		if err != nil {
			return nil, err
		}
		perms, err := permissions(c.In)
		if err != nil {
			return nil, err
		}
		rules, err := c.Engine.AuthorizeSecurityGroupTagged(id, egress, perms, tags)
		if err != nil {
			return nil, err
		}
		var g *model.SecurityGroup
		c.Engine.Read(func(st *model.State) { g = st.SecurityGroups[id] })
		out := make([]any, len(rules))
		for i, r := range rules {
			out[i] = ruleOut(c, g, r)
		}
		return map[string]any{"Return": true, "SecurityGroupRules": out}, nil
	}
}

// updateRuleDescriptions serves UpdateSecurityGroupRuleDescriptionsIngress
// and ...Egress: descriptions by IpPermissions or by rule id.
func updateRuleDescriptions(egress bool) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		id, err := groupID(c)
		if err != nil {
			return nil, err
		}
		byID := map[model.SecurityGroupRuleID]string{}
		for _, d := range c.In.Structs("SecurityGroupRuleDescriptions") {
			byID[model.SecurityGroupRuleID(d.String("SecurityGroupRuleId"))] = d.String("Description")
		}
		perms, err := permissions(c.In)
		if err != nil {
			return nil, err
		}
		if err := c.Engine.UpdateSecurityGroupRuleDescriptions(id, egress, perms, byID); err != nil {
			return nil, err
		}
		return map[string]any{"Return": true}, nil
	}
}

func revoke(egress bool) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		id, err := groupID(c)
		if err != nil {
			return nil, err
		}
		var before *model.SecurityGroup
		c.Engine.Read(func(st *model.State) { before = st.SecurityGroups[id] })
		perms, err := permissions(c.In)
		if err != nil {
			return nil, err
		}
		unknown, err := c.Engine.RevokeSecurityGroup(id, egress, perms, ids[model.SecurityGroupRuleID](c.In, "SecurityGroupRuleIds"))
		if err != nil {
			return nil, err
		}
		var after *model.SecurityGroup
		c.Engine.Read(func(st *model.State) { after = st.SecurityGroups[id] })
		revoked := []any{}
		if before != nil && after != nil {
			list, left := before.Ingress, after.Ingress
			if egress {
				list, left = before.Egress, after.Egress
			}
			for _, r := range list {
				gone := true
				for _, l := range left {
					gone = gone && l.ID != r.ID
				}
				if gone {
					from, to := wirePorts(r.Protocol, r.Ports)
					x := map[string]any{"SecurityGroupRuleId": r.ID, "GroupId": id, "IsEgress": egress, "IpProtocol": r.Protocol.String(),
						"FromPort": from, "ToPort": to, "Description": api.Str(r.Description), "ReferencedGroupId": api.Str(r.Group),
						"PrefixListId": api.Str(r.PrefixList)}
					if r.CIDR.IsValid() && r.Group == "" && r.PrefixList == "" {
						x["CidrIpv4"] = r.CIDR
					}
					revoked = append(revoked, x)
				}
			}
		}
		out := map[string]any{"Return": true, "RevokedSecurityGroupRules": revoked}
		if len(unknown) > 0 && after != nil {
			var perms []any
			c.Engine.Read(func(st *model.State) { perms = ipPermissions(st, c.Engine.Config().Account, after.VpcID, unknown) })
			out["UnknownIpPermissions"] = perms
		}
		return out, nil
	}
}

// aclICMP is an ICMP or ICMPv6 entry's type and code as the API gives them
// (-1: any).
func aclICMP(e model.ACLEntry) (typ, code int, ok bool) {
	if e.Protocol != model.ICMP && e.Protocol != model.ICMPv6 {
		return 0, 0, false
	}
	f, t := wirePorts(e.Protocol, e.Ports)
	return f.(int), t.(int), true
}

func aclOut(account string, a *model.NetworkACL) map[string]any {
	entries := make([]any, len(a.Entries))
	for i, e := range a.Entries {
		x := map[string]any{"RuleNumber": e.RuleNumber, "Egress": e.Egress, "RuleAction": e.Action.String(),
			"Protocol": strconv.Itoa(int(e.Protocol))}
		if e.CIDR.Addr().Is6() {
			x["Ipv6CidrBlock"] = e.CIDR
		} else {
			x["CidrBlock"] = e.CIDR
		}
		if e.Protocol.HasPorts() {
			x["PortRange"] = map[string]any{"From": int(e.Ports.First), "To": int(e.Ports.Last)}
		}
		if typ, code, ok := aclICMP(e); ok {
			x["IcmpTypeCode"] = map[string]any{"Type": typ, "Code": code}
		}
		entries[i] = x
	}
	assocs := make([]any, len(a.Associations))
	for i, as := range a.Associations {
		assocs[i] = map[string]any{"NetworkAclAssociationId": as.ID, "NetworkAclId": a.ID, "SubnetId": as.SubnetID}
	}
	// A network ACL always carries its tagSet, empty when untagged (the
	// AWS CLI reference's describe-network-acls output shows "Tags": []).
	tags := any(api.EC2Tags(a.Tags))
	if len(a.Tags) == 0 {
		tags = []any{}
	}
	return map[string]any{"NetworkAclId": a.ID, "VpcId": a.VpcID, "IsDefault": a.IsDefault, "OwnerId": account,
		"Entries": entries, "Associations": assocs, "Tags": tags}
}

func createNetworkACL(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "network-acl")
	if err != nil {
		return nil, err
	}
	a, err := c.Engine.CreateNetworkACL(model.VpcID(c.In.String("VpcId")), tags)
	if err != nil {
		return nil, err
	}
	return map[string]any{"NetworkAcl": aclOut(c.Account, a), "ClientToken": api.Str(c.In.String("ClientToken"))}, nil
}

func deleteNetworkACL(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteNetworkACL(model.NetworkACLID(c.In.String("NetworkAclId")))
}

func describeNetworkACLs(c *api.Call) (map[string]any, error) {
	var items []*model.NetworkACL
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.NetworkACLs, c.In.Strings("NetworkAclIds"), notFound("InvalidNetworkAclID.NotFound", "networkAcl"))
	})
	if err != nil {
		return nil, err
	}
	// entries gives each entry's value; an entry without one ("") gives none.
	entries := func(f func(model.ACLEntry) string) func(*model.NetworkACL) []string {
		return func(a *model.NetworkACL) []string {
			var out []string
			for _, e := range a.Entries {
				if v := f(e); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	family := func(v6 bool) func(model.ACLEntry) string {
		return func(e model.ACLEntry) string {
			if e.CIDR.Addr().Is6() != v6 {
				return ""
			}
			return e.CIDR.String()
		}
	}
	portBound := func(e model.ACLEntry, port uint16) string {
		if !e.Protocol.HasPorts() {
			return ""
		}
		return strconv.Itoa(int(port))
	}
	fs := api.FilterSet[*model.NetworkACL]{
		Tags: func(a *model.NetworkACL) model.Tags { return a.Tags },
		Attrs: map[string]func(*model.NetworkACL) []string{
			"network-acl-id": func(a *model.NetworkACL) []string { return api.One(a.ID) },
			"vpc-id":         func(a *model.NetworkACL) []string { return api.One(a.VpcID) },
			"default":        func(a *model.NetworkACL) []string { return api.Bool(a.IsDefault) },
			"owner-id":       func(*model.NetworkACL) []string { return []string{c.Account} },
			"association.association-id": func(a *model.NetworkACL) []string {
				var out []string
				for _, as := range a.Associations {
					out = append(out, string(as.ID))
				}
				return out
			},
			"association.network-acl-id": func(a *model.NetworkACL) []string { return api.One(a.ID) },
			"association.subnet-id": func(a *model.NetworkACL) []string {
				var out []string
				for _, as := range a.Associations {
					out = append(out, string(as.SubnetID))
				}
				return out
			},
			"entry.cidr":            entries(family(false)),
			"entry.ipv6-cidr":       entries(family(true)),
			"entry.port-range.from": entries(func(e model.ACLEntry) string { return portBound(e, e.Ports.First) }),
			"entry.port-range.to":   entries(func(e model.ACLEntry) string { return portBound(e, e.Ports.Last) }),
			"entry.icmp.type": entries(func(e model.ACLEntry) string {
				if typ, _, ok := aclICMP(e); ok {
					return strconv.Itoa(typ)
				}
				return ""
			}),
			"entry.icmp.code": entries(func(e model.ACLEntry) string {
				if _, code, ok := aclICMP(e); ok {
					return strconv.Itoa(code)
				}
				return ""
			}),
			"entry.egress":      entries(func(e model.ACLEntry) string { return strconv.FormatBool(e.Egress) }),
			"entry.protocol":    entries(func(e model.ACLEntry) string { return strconv.Itoa(int(e.Protocol)) }),
			"entry.rule-action": entries(func(e model.ACLEntry) string { return e.Action.String() }),
			"entry.rule-number": entries(func(e model.ACLEntry) string { return strconv.Itoa(e.RuleNumber) }),
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	key := func(a *model.NetworkACL) string { return string(a.ID) }
	items, next, err := page(c.In, items, key, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, a := range items {
		out[i] = aclOut(c.Account, a)
	}
	return map[string]any{"NetworkAcls": out, "NextToken": next}, nil
}

func networkACLEntry(replace bool) api.Handler {
	return func(c *api.Call) (map[string]any, error) {
		in := engine.ACLEntryInput{
			ACLID: model.NetworkACLID(c.In.String("NetworkAclId")), RuleNumber: int(c.In.Int("RuleNumber")), Egress: c.In.Bool("Egress"),
			Action: c.In.String("RuleAction"), Protocol: c.In.String("Protocol"), CIDR: c.In.String("CidrBlock"),
		}
		if pr := c.In.Struct("PortRange"); pr != nil {
			in.FromPort, in.ToPort = ptrInt(pr, "From"), ptrInt(pr, "To")
		}
		if tc := c.In.Struct("IcmpTypeCode"); tc != nil {
			in.ICMPType, in.ICMPCode = ptrInt(tc, "Type"), ptrInt(tc, "Code")
		}
		if v6 := c.In.String("Ipv6CidrBlock"); v6 != "" {
			if in.CIDR != "" {
				return nil, apierr.New("InvalidParameterCombination", "Only one of cidrBlock and ipv6CidrBlock may be specified.")
			}
			in.CIDR = v6
		}
		if in.CIDR == "" {
			return nil, apierr.New("MissingParameter", "The request must contain the parameter cidrBlock or ipv6CidrBlock")
		}
		if replace {
			return nil, c.Engine.ReplaceNetworkACLEntry(in)
		}
		return nil, c.Engine.CreateNetworkACLEntry(in)
	}
}

func deleteNetworkACLEntry(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteNetworkACLEntry(model.NetworkACLID(c.In.String("NetworkAclId")), int(c.In.Int("RuleNumber")), c.In.Bool("Egress"))
}

func replaceNetworkACLAssociation(c *api.Call) (map[string]any, error) {
	id, err := c.Engine.ReplaceNetworkACLAssociation(model.NetworkACLAssocID(c.In.String("AssociationId")), model.NetworkACLID(c.In.String("NetworkAclId")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"NewAssociationId": id}, nil
}

// wellFormedID reports whether id is prefix, a dash and hexadecimal digits,
// the form of every EC2 id.
func wellFormedID(id, prefix string) bool {
	hex, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || hex == "" {
		return false
	}
	for _, c := range hex {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func modifySecurityGroupRules(c *api.Call) (map[string]any, error) {
	var updates []engine.RuleUpdate
	for _, x := range c.In.Structs("SecurityGroupRules") {
		r := x.Struct("SecurityGroupRule")
		p := engine.IPPermission{Protocol: r.String("IpProtocol"), FromPort: ptrInt(r, "FromPort"), ToPort: ptrInt(r, "ToPort")}
		desc := r.String("Description")
		if v := r.String("CidrIpv4"); v != "" {
			p.CIDRs = append(p.CIDRs, engine.RuleSource{Value: v, Description: desc})
		}
		if v := r.String("CidrIpv6"); v != "" {
			p.IPv6CIDRs = append(p.IPv6CIDRs, engine.RuleSource{Value: v, Description: desc})
		}
		if v := r.String("PrefixListId"); v != "" {
			p.PrefixLists = append(p.PrefixLists, engine.RuleSource{Value: v, Description: desc})
		}
		if v := r.String("ReferencedGroupId"); v != "" {
			if err := checkGroupIDForm(v); err != nil {
				return nil, err
			}
			p.Groups = append(p.Groups, engine.RuleSource{Value: v, Description: desc})
		}
		updates = append(updates, engine.RuleUpdate{ID: model.SecurityGroupRuleID(x.String("SecurityGroupRuleId")), Rule: p})
	}
	id, err := groupID(c)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Return": true}, c.Engine.ModifySecurityGroupRules(id, updates)
}

// getSecurityGroupsForVpc lists the groups the account can give network
// interfaces in a VPC: the VPC's own (ecsnet models no security group VPC
// associations, so no group of another VPC).
func getSecurityGroupsForVpc(c *api.Call) (map[string]any, error) {
	vpc := model.VpcID(c.In.String("VpcId"))
	var items []*model.SecurityGroup
	found := false
	c.Engine.Read(func(st *model.State) {
		if found = st.VPCs[vpc] != nil; !found {
			return
		}
		for _, g := range st.SecurityGroups {
			if g.VpcID == vpc {
				items = append(items, g)
			}
		}
	})
	if !found {
		return nil, notFound("InvalidVpcID.NotFound", "vpc")(string(vpc))
	}
	type G = *model.SecurityGroup
	fs := api.FilterSet[G]{
		Tags: func(g G) model.Tags { return g.Tags },
		Attrs: map[string]func(G) []string{
			"group-id":       func(g G) []string { return api.One(g.ID) },
			"group-name":     func(g G) []string { return api.One(g.Name) },
			"description":    func(g G) []string { return []string{g.Description} },
			"owner-id":       func(G) []string { return []string{c.Account} },
			"primary-vpc-id": func(g G) []string { return api.One(g.VpcID) },
		},
	}
	key := func(g G) string { return string(g.ID) }
	return describePage(c, items, fs, key, "SecurityGroupForVpcs", func(g G) any {
		return map[string]any{"GroupId": g.ID, "GroupName": g.Name, "Description": g.Description, "OwnerId": c.Account,
			"PrimaryVpcId": g.VpcID, "Tags": api.EC2Tags(g.Tags)}
	})
}

// describeSecurityGroupReferences lists, for each group named, the other
// VPCs whose security groups reference it in a rule, with the active
// peering connection between the two VPCs (ecsnet lets a rule name a
// group of a peered VPC only).
func describeSecurityGroupReferences(c *api.Call) (map[string]any, error) {
	out := []any{}
	var err error
	c.Engine.Read(func(st *model.State) {
		var groups []*model.SecurityGroup
		groups, err = byIDs(st.SecurityGroups, c.In.Strings("GroupId"), func(id string) error {
			return apierr.Newf("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
		})
		if err != nil {
			return
		}
		byID := func(g *model.SecurityGroup) string { return string(g.ID) }
		all := api.SortBy(slices.Collect(maps.Values(st.SecurityGroups)), byID)
		for _, g := range api.SortBy(groups, byID) {
			seen := map[model.VpcID]bool{}
			for _, h := range all {
				if h.VpcID == g.VpcID || seen[h.VpcID] ||
					!slices.ContainsFunc(slices.Concat(h.Ingress, h.Egress), func(r model.SecurityGroupRule) bool { return r.Group == g.ID }) {
					continue
				}
				seen[h.VpcID] = true
				ref := map[string]any{"GroupId": g.ID, "ReferencingVpcId": h.VpcID}
				for _, p := range st.VpcPeerings {
					if p.Status == "active" && (p.RequesterVpc == g.VpcID && p.AccepterVpc == h.VpcID || p.RequesterVpc == h.VpcID && p.AccepterVpc == g.VpcID) {
						ref["VpcPeeringConnectionId"] = p.ID
					}
				}
				out = append(out, ref)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"SecurityGroupReferenceSet": out}, nil
}
