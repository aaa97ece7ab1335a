// Package elbv2 serves Elastic Load Balancing v2 (AWS Query): load
// balancers, target groups, listeners, rules, targets and their health (from
// the reachability analyzer), attributes and tags.
package elbv2

import (
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Register adds the ELBv2 handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) {
		r.Add("elbv2", op, func(c *api.Call) (map[string]any, error) {
			if c.In.Has("Tags") { // AWS's limits on tags, before anything else
				if err := engine.CheckTags(engine.TagsELBv2, tagsIn(c.In)); err != nil {
					return nil, err
				}
			}
			return h(c)
		})
	}
	add("CreateLoadBalancer", createLoadBalancer)
	add("DescribeLoadBalancers", describeLoadBalancers)
	add("DeleteLoadBalancer", deleteLoadBalancer)
	add("SetSecurityGroups", setSecurityGroups)
	add("SetSubnets", setSubnets)
	add("DescribeLoadBalancerAttributes", describeLoadBalancerAttributes)
	add("ModifyLoadBalancerAttributes", modifyLoadBalancerAttributes)
	add("CreateTargetGroup", createTargetGroup)
	add("DescribeTargetGroups", describeTargetGroups)
	add("ModifyTargetGroup", modifyTargetGroup)
	add("DeleteTargetGroup", deleteTargetGroup)
	add("DescribeTargetGroupAttributes", describeTargetGroupAttributes)
	add("ModifyTargetGroupAttributes", modifyTargetGroupAttributes)
	add("CreateListener", createListener)
	add("DescribeListeners", describeListeners)
	add("ModifyListener", modifyListener)
	add("DeleteListener", deleteListener)
	add("CreateRule", createRule)
	add("DescribeRules", describeRules)
	add("DeleteRule", deleteRule)
	add("RegisterTargets", registerTargets)
	add("DeregisterTargets", deregisterTargets)
	add("DescribeTargetHealth", describeTargetHealth)
	add("AddTags", addTags)
	add("RemoveTags", removeTags)
	add("DescribeTags", describeTags)
	registerOps(add)
}

func validation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}

// page cuts one page (PageSize 1-400, Marker/NextMarker).
func page[T any](in awsproto.Params, items []T, key func(T) string) ([]T, any, error) {
	limit := 0
	if in.Has("PageSize") {
		limit = int(in.Int("PageSize"))
		if limit < 1 || limit > 400 {
			rel, bound := "greater than or equal to", 1
			if limit > 400 {
				rel, bound = "less than or equal to", 400
			}
			return nil, nil, validation("1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value %s %d", limit, rel, bound)
		}
	}
	out, next, ok := api.Paginate(items, key, in.String("Marker"), limit)
	if !ok {
		return nil, nil, validation("Invalid Marker")
	}
	if next == "" {
		return out, nil, nil
	}
	return out, next, nil
}

func tagsIn(in awsproto.Params) model.Tags { return api.KeyValues(in.Structs("Tags"), "Key", "Value") }

// tagOrderIn is the keys of the request's Tags in the order given.
func tagOrderIn(in awsproto.Params) []string {
	var keys []string
	for _, t := range in.Structs("Tags") {
		keys = append(keys, t.String("Key"))
	}
	return keys
}

func lbOut(st *model.State, lb *model.LoadBalancer) map[string]any {
	zones := make([]any, len(lb.Nodes))
	for i, n := range lb.Nodes {
		z := map[string]any{"ZoneName": n.AvailabilityZone, "SubnetId": n.SubnetID, "LoadBalancerAddresses": []any{}}
		if lb.Type == "network" {
			// The addresses the subnet mapping gave, not those ELB picked:
			// the provider reads PrivateIPv4Address and IPv6Address back
			// into subnet_mapping, where an unasked-for one is a diff.
			addr := map[string]any{}
			if eni := st.NetworkInterfaces[n.ENI]; eni != nil && lb.Scheme != "internal" {
				if pub, ok := eni.PublicIP(); ok {
					addr["IpAddress"] = pub
				}
			}
			if n.FixedPrivateIPv4.IsValid() {
				addr["PrivateIPv4Address"] = n.FixedPrivateIPv4.String()
			}
			if n.AllocationID != "" {
				addr["AllocationId"] = n.AllocationID
			}
			if n.FixedIPv6.IsValid() {
				addr["IPv6Address"] = n.FixedIPv6.String()
			}
			if len(addr) > 0 {
				z["LoadBalancerAddresses"] = []any{addr}
			}
		}
		zones[i] = z
	}
	out := map[string]any{
		"LoadBalancerArn": lb.ARN, "DNSName": lb.DNSName, "CanonicalHostedZoneId": lb.CanonicalHostedZoneID,
		"CreatedTime": api.Time(lb.CreatedAt), "LoadBalancerName": lb.Name, "Scheme": lb.Scheme, "VpcId": lb.VpcID,
		"State": map[string]any{"Code": lb.State}, "Type": lb.Type, "AvailabilityZones": zones, "IpAddressType": lb.IPAddressType,
	}
	if lb.Type == "application" || len(lb.SecurityGroups) > 0 {
		out["SecurityGroups"] = api.Strs(lb.SecurityGroups)
	}
	if lb.Type == "network" && len(lb.SecurityGroups) > 0 {
		out["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = privateLinkInbound(lb)
	}
	if lb.IsGWLB() {
		// No DNS name, hosted zone or scheme (awscli's create-load-balancer
		// example 4).
		delete(out, "DNSName")
		delete(out, "CanonicalHostedZoneId")
		delete(out, "Scheme")
	}
	return out
}

func subnetMappings(in awsproto.Params) []engine.SubnetMapping {
	var out []engine.SubnetMapping
	for _, m := range in.Structs("SubnetMappings") {
		out = append(out, engine.SubnetMapping{SubnetID: model.SubnetID(m.String("SubnetId")),
			AllocationID: model.AllocationID(m.String("AllocationId")), PrivateIPv4: m.String("PrivateIPv4Address"),
			IPv6Address: m.String("IPv6Address")})
	}
	return out
}

func sgIDs(in awsproto.Params, name string) []model.SecurityGroupID {
	var out []model.SecurityGroupID
	for _, s := range in.Strings(name) {
		out = append(out, model.SecurityGroupID(s))
	}
	return out
}

func createLoadBalancer(c *api.Call) (map[string]any, error) {
	var subnets []model.SubnetID
	for _, s := range c.In.Strings("Subnets") {
		subnets = append(subnets, model.SubnetID(s))
	}
	if c.In.Has("CustomerOwnedIpv4Pool") || c.In.Has("IpamPools") {
		return nil, validation("ecsnet does not model customer-owned or IPAM address pools.")
	}
	typ := c.In.String("Type")
	lb, err := c.Engine.CreateLoadBalancer(engine.CreateLoadBalancerInput{
		Name: c.In.String("Name"), Type: typ, Scheme: c.In.String("Scheme"), Subnets: subnets, SubnetMappings: subnetMappings(c.In),
		SecurityGroups: sgIDs(c.In, "SecurityGroups"), IPAddressType: c.In.String("IpAddressType"), Tags: tagsIn(c.In), TagOrder: tagOrderIn(c.In),
	})
	if err != nil {
		return nil, err
	}
	var out map[string]any
	c.Engine.Read(func(st *model.State) { out = lbOut(st, lb) })
	out["State"] = map[string]any{"Code": "provisioning"}
	return map[string]any{"LoadBalancers": []any{out}}, nil
}

func describeLoadBalancers(c *api.Call) (map[string]any, error) {
	arns, names := c.In.Strings("LoadBalancerArns"), c.In.Strings("Names")
	if len(arns) > 0 && len(names) > 0 {
		return nil, validation("Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.LoadBalancer
		if items, err = byARNOrName(st.LoadBalancers, arns, names, func(lb *model.LoadBalancer) string { return lb.Name },
			"LoadBalancerNotFound", "One or more load balancers not found", "Load balancers"); err != nil {
			return
		}
		key := func(lb *model.LoadBalancer) string { return lb.ARN }
		if items, next, err = page(c.In, items, key); err != nil {
			return
		}
		out = make([]any, len(items))
		for i, lb := range items {
			out[i] = lbOut(st, lb)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"LoadBalancers": out, "NextMarker": next}, nil
}

// byARNOrName is what a Describe names by ARN or by name, or everything
// when it names nothing. An unknown ARN is code with arnMsg; unknown names
// are code with "<noun> '[a, b]' not found", naming each.
func byARNOrName[T any](all map[string]*T, arns, names []string, name func(*T) string, code, arnMsg, noun string) ([]*T, error) {
	var items []*T
	switch {
	case len(arns) > 0:
		for _, a := range arns {
			x := all[a]
			if x == nil {
				return nil, apierr.New(code, arnMsg)
			}
			items = append(items, x)
		}
	case len(names) > 0:
		var missing []string
		for _, n := range names {
			found := false
			for _, x := range all {
				if name(x) == n {
					items, found = append(items, x), true
				}
			}
			if !found {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return nil, apierr.Newf(code, "%s '[%s]' not found", noun, strings.Join(missing, ", "))
		}
	default:
		for _, x := range all {
			items = append(items, x)
		}
	}
	return items, nil
}

func deleteLoadBalancer(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteLoadBalancer(c.In.String("LoadBalancerArn"))
}

func setSecurityGroups(c *api.Call) (map[string]any, error) {
	arn := c.In.String("LoadBalancerArn")
	groups, err := c.Engine.SetSecurityGroups(arn, sgIDs(c.In, "SecurityGroups"), c.In.String("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"))
	if err != nil {
		return nil, err
	}
	out := map[string]any{"SecurityGroupIds": api.Strs(groups)}
	c.Engine.Read(func(st *model.State) {
		if lb := st.LoadBalancers[arn]; lb != nil && lb.Type == "network" && len(lb.SecurityGroups) > 0 {
			out["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"] = privateLinkInbound(lb)
		}
	})
	return out, nil
}

// privateLinkInbound is an NLB's
// EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic.
func privateLinkInbound(lb *model.LoadBalancer) string {
	if lb.PrivateLinkInboundOff {
		return "off"
	}
	return "on"
}

func setSubnets(c *api.Call) (map[string]any, error) {
	var subnets []model.SubnetID
	for _, s := range c.In.Strings("Subnets") {
		subnets = append(subnets, model.SubnetID(s))
	}
	if t := c.In.String("IpAddressType"); t != "" && t != "ipv4" {
		return nil, apierr.Newf("InvalidConfigurationRequest", "IP address type '%s' is not supported", t)
	}
	lb, err := c.Engine.SetSubnets(c.In.String("LoadBalancerArn"), subnets, subnetMappings(c.In))
	if err != nil {
		return nil, err
	}
	return map[string]any{"AvailabilityZones": c.View(func(st *model.State) map[string]any { return lbOut(st, lb) })["AvailabilityZones"], "IpAddressType": lb.IPAddressType}, nil
}

func attrs(kv [][2]string) []any {
	out := make([]any, len(kv))
	for i, x := range kv {
		out[i] = map[string]any{"Key": x[0], "Value": x[1]}
	}
	return out
}

// describeLoadBalancerAttributes answers the load balancer's attributes:
// AWS's defaults, with what ModifyLoadBalancerAttributes set.
func describeLoadBalancerAttributes(c *api.Call) (map[string]any, error) {
	kv, err := c.Engine.LoadBalancerAttributes(c.In.String("LoadBalancerArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Attributes": attrs(kv)}, nil
}

func modifyLoadBalancerAttributes(c *api.Call) (map[string]any, error) {
	in := attrsIn(c.In.Structs("Attributes"))
	if err := checkAccessLogs(c, in); err != nil {
		return nil, err
	}
	kv, err := c.Engine.ModifyLoadBalancerAttributes(c.In.String("LoadBalancerArn"), in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Attributes": attrs(kv)}, nil
}

func attrsIn(list []awsproto.Params) [][2]string {
	out := make([][2]string, 0, len(list))
	for _, x := range list {
		out = append(out, [2]string{x.String("Key"), x.String("Value")})
	}
	return out
}

func tgOut(st *model.State, tg *model.TargetGroup) map[string]any {
	lbs := []string{}
	for _, l := range st.Listeners {
		if forwardsTo(l.DefaultActions, tg.ARN) && !slices.Contains(lbs, l.LoadBalancerARN) {
			lbs = append(lbs, l.LoadBalancerARN)
		}
	}
	for _, r := range st.ListenerRules {
		if l := st.Listeners[r.ListenerARN]; l != nil && forwardsTo(r.Actions, tg.ARN) && !slices.Contains(lbs, l.LoadBalancerARN) {
			lbs = append(lbs, l.LoadBalancerARN)
		}
	}
	sort.Strings(lbs)
	hc := tg.HealthCheck
	out := map[string]any{
		"TargetGroupArn": tg.ARN, "TargetGroupName": tg.Name, "TargetType": tg.TargetType, "LoadBalancerArns": lbs,
		"HealthCheckEnabled": hc.Enabled, "HealthCheckIntervalSeconds": hc.IntervalSeconds, "HealthCheckTimeoutSeconds": hc.TimeoutSeconds,
		"HealthyThresholdCount": hc.HealthyThreshold, "UnhealthyThresholdCount": hc.UnhealthyThreshold,
		"HealthCheckProtocol": api.Str(hc.Protocol), "HealthCheckPort": api.Str(hc.Port), "HealthCheckPath": api.Str(hc.Path),
		"Protocol": api.Str(tg.Protocol), "ProtocolVersion": api.Str(tg.ProtocolVersion), "VpcId": api.Str(tg.VpcID),
		"IpAddressType": api.Str(tg.IPAddressType),
	}
	if tg.Port != 0 {
		out["Port"] = int(tg.Port)
	}
	if hc.Matcher != "" {
		if tg.ProtocolVersion == "GRPC" {
			out["Matcher"] = map[string]any{"GrpcCode": hc.Matcher}
		} else {
			out["Matcher"] = map[string]any{"HttpCode": hc.Matcher}
		}
	}
	return out
}

func forwardsTo(actions []model.ListenerAction, tg string) bool {
	for _, a := range actions {
		for _, x := range a.ForwardTargetGroups() {
			if x == tg {
				return true
			}
		}
	}
	return false
}

func optInt(in awsproto.Params, name string) int {
	if !in.Has(name) {
		return 0
	}
	return int(in.Int(name))
}

func createTargetGroup(c *api.Call) (map[string]any, error) {
	if c.In.Has("TargetControlPort") {
		return nil, validation("ecsnet does not model target control ports.")
	}
	in := engine.CreateTargetGroupInput{
		Name: c.In.String("Name"), Protocol: c.In.String("Protocol"), ProtocolVersion: c.In.String("ProtocolVersion"),
		Port: uint16(c.In.Int("Port")), VpcID: model.VpcID(c.In.String("VpcId")), TargetType: c.In.String("TargetType"),
		IPAddressType: c.In.String("IpAddressType"), HealthCheckProtocol: c.In.String("HealthCheckProtocol"),
		HealthCheckPort: c.In.String("HealthCheckPort"), HealthCheckPath: c.In.String("HealthCheckPath"),
		HealthCheckIntervalSeconds: optInt(c.In, "HealthCheckIntervalSeconds"), HealthCheckTimeoutSeconds: optInt(c.In, "HealthCheckTimeoutSeconds"),
		HealthyThresholdCount: optInt(c.In, "HealthyThresholdCount"), UnhealthyThresholdCount: optInt(c.In, "UnhealthyThresholdCount"),
		Tags: tagsIn(c.In), TagOrder: tagOrderIn(c.In),
	}
	if c.In.Int("Port") < 0 || c.In.Int("Port") > 65535 {
		return nil, validation("1 validation error detected: Value '%d' at 'port' failed to satisfy constraint: Member must have value less than or equal to 65535", c.In.Int("Port"))
	}
	// A Lambda target group takes no port, protocol or VPC: the API refuses
	// them rather than ignoring them (Port named first when all three are
	// given). Checked here, at the API; CloudFormation and Terraform
	// resources call the engine, which ignores them (not refused there).
	if in.TargetType == "lambda" {
		for _, f := range []struct{ param, noun string }{{"Port", "Port"}, {"Protocol", "Protocol"}, {"VpcId", "VPC ID"}} {
			if c.In.Has(f.param) {
				return nil, validation("%s cannot be specified for target groups with target type 'lambda'", f.noun)
			}
		}
	}
	if c.In.Has("HealthCheckEnabled") {
		v := c.In.Bool("HealthCheckEnabled")
		in.HealthCheckEnabled = &v
	}
	if m := c.In.Struct("Matcher"); m != nil {
		in.Matcher = m.String("HttpCode")
		if in.Matcher == "" {
			in.Matcher = m.String("GrpcCode")
		}
	}
	tg, err := c.Engine.CreateTargetGroup(in)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	c.Engine.Read(func(st *model.State) { out = tgOut(st, tg) })
	return map[string]any{"TargetGroups": []any{out}}, nil
}

func describeTargetGroups(c *api.Call) (map[string]any, error) {
	lbARN, arns, names := c.In.String("LoadBalancerArn"), c.In.Strings("TargetGroupArns"), c.In.Strings("Names")
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.TargetGroup
		if items, err = byARNOrName(st.TargetGroups, arns, names, func(tg *model.TargetGroup) string { return tg.Name },
			"TargetGroupNotFound", "One or more target groups not found", "Target groups"); err != nil {
			return
		}
		if lbARN != "" {
			if st.LoadBalancers[lbARN] == nil {
				err = apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
				return
			}
			var keep []*model.TargetGroup
			for _, tg := range items {
				if slices.Contains(tgOut(st, tg)["LoadBalancerArns"].([]string), lbARN) {
					keep = append(keep, tg)
				}
			}
			items = keep
		}
		key := func(tg *model.TargetGroup) string { return tg.ARN }
		if items, next, err = page(c.In, items, key); err != nil {
			return
		}
		out = make([]any, len(items))
		for i, tg := range items {
			out[i] = tgOut(st, tg)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TargetGroups": out, "NextMarker": next}, nil
}

func modifyTargetGroup(c *api.Call) (map[string]any, error) {
	in := engine.ModifyTargetGroupInput{TargetGroupARN: c.In.String("TargetGroupArn")}
	str := func(name string) *string {
		if !c.In.Has(name) {
			return nil
		}
		v := c.In.String(name)
		return &v
	}
	num := func(name string) *int {
		if !c.In.Has(name) {
			return nil
		}
		v := int(c.In.Int(name))
		return &v
	}
	if c.In.Has("HealthCheckEnabled") {
		v := c.In.Bool("HealthCheckEnabled")
		in.HealthCheckEnabled = &v
	}
	in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckPath = str("HealthCheckProtocol"), str("HealthCheckPort"), str("HealthCheckPath")
	in.Interval, in.Timeout = num("HealthCheckIntervalSeconds"), num("HealthCheckTimeoutSeconds")
	in.Healthy, in.Unhealthy = num("HealthyThresholdCount"), num("UnhealthyThresholdCount")
	if m := c.In.Struct("Matcher"); m != nil {
		v := m.String("HttpCode")
		if v == "" {
			v = m.String("GrpcCode")
		}
		in.Matcher = &v
	}
	tg, err := c.Engine.ModifyTargetGroup(in)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	c.Engine.Read(func(st *model.State) { out = tgOut(st, tg) })
	return map[string]any{"TargetGroups": []any{out}}, nil
}

func deleteTargetGroup(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteTargetGroup(c.In.String("TargetGroupArn"))
}

// describeTargetGroupAttributes answers the target group's attributes:
// AWS's defaults for its type and protocol, with what
// ModifyTargetGroupAttributes set.
func describeTargetGroupAttributes(c *api.Call) (map[string]any, error) {
	kv, err := c.Engine.TargetGroupAttributes(c.In.String("TargetGroupArn"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Attributes": attrs(kv)}, nil
}

func modifyTargetGroupAttributes(c *api.Call) (map[string]any, error) {
	kv, err := c.Engine.ModifyTargetGroupAttributes(c.In.String("TargetGroupArn"), attrsIn(c.In.Structs("Attributes")))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Attributes": attrs(kv)}, nil
}

// actionsIn reads listener or rule actions.
func actionsIn(list []awsproto.Params) []model.ListenerAction {
	out := make([]model.ListenerAction, 0, len(list))
	for _, a := range list {
		x := model.ListenerAction{Type: a.String("Type"), Order: int(a.Int("Order")), TargetGroupARN: a.String("TargetGroupArn")}
		if fc := a.Struct("ForwardConfig"); fc != nil {
			for _, tg := range fc.Structs("TargetGroups") {
				w := 1
				if tg.Has("Weight") {
					w = int(tg.Int("Weight"))
				}
				x.TargetGroups = append(x.TargetGroups, model.WeightedTargetGroup{ARN: tg.String("TargetGroupArn"), Weight: w})
			}
			if st := fc.Struct("TargetGroupStickinessConfig"); st != nil && st.Bool("Enabled") {
				x.Stickiness = &model.ForwardStickiness{Enabled: true, DurationSeconds: int(st.Int("DurationSeconds"))}
			}
		}
		if fr := a.Struct("FixedResponseConfig"); fr != nil {
			x.FixedResponse = &model.FixedResponse{StatusCode: fr.String("StatusCode"), ContentType: fr.String("ContentType"), MessageBody: fr.String("MessageBody")}
		}
		if oc := a.Struct("AuthenticateOidcConfig"); oc != nil && x.Type == "authenticate-oidc" {
			x.Authenticate = authIn(oc)
			x.Authenticate.Issuer, x.Authenticate.AuthorizationEndpoint = oc.String("Issuer"), oc.String("AuthorizationEndpoint")
			x.Authenticate.TokenEndpoint, x.Authenticate.UserInfoEndpoint = oc.String("TokenEndpoint"), oc.String("UserInfoEndpoint")
			x.Authenticate.ClientID = oc.String("ClientId")
			x.Authenticate.ClientSecretSet = oc.String("ClientSecret") != "" || oc.Bool("UseExistingClientSecret")
		}
		if jc := a.Struct("JwtValidationConfig"); jc != nil && x.Type == "jwt-validation" {
			x.JwtValidation = &model.JwtValidationConfig{Issuer: jc.String("Issuer"), JwksEndpoint: jc.String("JwksEndpoint")}
		}
		if cc := a.Struct("AuthenticateCognitoConfig"); cc != nil && x.Type == "authenticate-cognito" {
			x.Authenticate = authIn(cc)
			x.Authenticate.UserPoolARN, x.Authenticate.UserPoolClientID = cc.String("UserPoolArn"), cc.String("UserPoolClientId")
			x.Authenticate.UserPoolDomain = cc.String("UserPoolDomain")
		}
		if rc := a.Struct("RedirectConfig"); rc != nil {
			x.Redirect = map[string]string{}
			for _, k := range []string{"Protocol", "Port", "Host", "Path", "Query", "StatusCode"} {
				if rc.Has(k) {
					x.Redirect[k] = rc.String(k)
				}
			}
		}
		out = append(out, x)
	}
	return out
}

// checkClientSecrets refuses an authenticate-oidc action that both gives a
// client secret and asks to keep the existing one, as AWS does.
func checkClientSecrets(list []awsproto.Params) error {
	for _, a := range list {
		if oc := a.Struct("AuthenticateOidcConfig"); oc != nil && oc.String("ClientSecret") != "" && oc.Bool("UseExistingClientSecret") {
			return apierr.New("InvalidLoadBalancerAction", "You cannot both specify a client secret and set UseExistingClientSecret to true")
		}
	}
	return nil
}

// authIn reads the members authenticate-oidc and authenticate-cognito
// configurations share.
func authIn(p awsproto.Params) *model.AuthenticateConfig {
	return &model.AuthenticateConfig{SessionCookieName: p.String("SessionCookieName"), Scope: p.String("Scope"),
		SessionTimeout: p.Int("SessionTimeout"), OnUnauthenticatedRequest: p.String("OnUnauthenticatedRequest"),
		ExtraParams: p.StringMap("AuthenticationRequestExtraParams")}
}

// authOut answers an authenticate action's configuration; the client
// secret is never answered.
func authOut(a model.ListenerAction) (string, map[string]any) {
	c := a.Authenticate
	out := map[string]any{"SessionCookieName": c.SessionCookieName, "Scope": c.Scope, "SessionTimeout": c.SessionTimeout,
		"OnUnauthenticatedRequest": c.OnUnauthenticatedRequest}
	if len(c.ExtraParams) > 0 {
		out["AuthenticationRequestExtraParams"] = c.ExtraParams
	}
	if a.Type == "authenticate-cognito" {
		out["UserPoolArn"], out["UserPoolClientId"], out["UserPoolDomain"] = c.UserPoolARN, c.UserPoolClientID, c.UserPoolDomain
		return "AuthenticateCognitoConfig", out
	}
	out["Issuer"], out["AuthorizationEndpoint"], out["TokenEndpoint"] = c.Issuer, c.AuthorizationEndpoint, c.TokenEndpoint
	out["UserInfoEndpoint"], out["ClientId"] = c.UserInfoEndpoint, c.ClientID
	return "AuthenticateOidcConfig", out
}

func actionsOut(actions []model.ListenerAction) []any {
	out := make([]any, len(actions))
	for i, a := range actions {
		// Order only when the request gave one: AWS answers a single
		// forward without it (getmoto/moto#4716, AWS's output quoted).
		x := map[string]any{"Type": a.Type}
		if a.Order != 0 {
			x["Order"] = a.Order
		}
		switch a.Type {
		case "forward":
			tgs := a.TargetGroups
			if len(tgs) == 0 && a.TargetGroupARN != "" {
				tgs = []model.WeightedTargetGroup{{ARN: a.TargetGroupARN, Weight: 1}}
			}
			list := make([]any, len(tgs))
			for k, t := range tgs {
				list[k] = map[string]any{"TargetGroupArn": t.ARN, "Weight": t.Weight}
			}
			if a.TargetGroupARN != "" || len(tgs) == 1 {
				arn := a.TargetGroupARN
				if arn == "" {
					arn = tgs[0].ARN
				}
				x["TargetGroupArn"] = arn
			}
			sticky := map[string]any{"Enabled": false}
			if a.Stickiness != nil {
				sticky = map[string]any{"Enabled": true, "DurationSeconds": a.Stickiness.DurationSeconds}
			}
			x["ForwardConfig"] = map[string]any{"TargetGroups": list, "TargetGroupStickinessConfig": sticky}
		case "fixed-response":
			if fr := a.FixedResponse; fr != nil {
				x["FixedResponseConfig"] = map[string]any{"StatusCode": fr.StatusCode, "ContentType": api.Str(fr.ContentType), "MessageBody": api.Str(fr.MessageBody)}
			}
		case "redirect":
			rc := map[string]any{}
			defaults := map[string]string{"Protocol": "#{protocol}", "Port": "#{port}", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}"}
			for k, d := range defaults {
				rc[k] = d
			}
			for k, v := range a.Redirect {
				rc[k] = v
			}
			x["RedirectConfig"] = rc
		case "authenticate-oidc", "authenticate-cognito":
			if a.Authenticate != nil {
				k, v := authOut(a)
				x[k] = v
			}
		case "jwt-validation":
			if a.JwtValidation != nil {
				x["JwtValidationConfig"] = map[string]any{"Issuer": a.JwtValidation.Issuer, "JwksEndpoint": a.JwtValidation.JwksEndpoint}
			}
		}
		out[i] = x
	}
	return out
}

func listenerOut(l *model.Listener) map[string]any {
	// Only the default certificate: the others are listed by
	// DescribeListenerCertificates.
	var certs []any
	if len(l.Certificates) > 0 {
		certs = []any{map[string]any{"CertificateArn": l.Certificates[0]}}
	}
	out := map[string]any{"ListenerArn": l.ARN, "LoadBalancerArn": l.LoadBalancerARN, "Port": int(l.Port), "Protocol": l.Protocol,
		"DefaultActions": actionsOut(l.DefaultActions), "SslPolicy": api.Str(l.SSLPolicy)}
	if l.Protocol == "" {
		// A Gateway Load Balancer's listener has neither (awscli's
		// create-listener example 6).
		delete(out, "Port")
		delete(out, "Protocol")
	}
	if len(certs) > 0 {
		out["Certificates"] = certs
	}
	if l.AlpnPolicy != "" {
		out["AlpnPolicy"] = []string{l.AlpnPolicy}
	}
	if l.MutualAuth != nil {
		out["MutualAuthentication"] = mutualAuthOut(l.MutualAuth)
	}
	return out
}

func certsIn(in awsproto.Params) []string {
	var out []string
	for _, c := range in.Structs("Certificates") {
		out = append(out, c.String("CertificateArn"))
	}
	return out
}

func portIn(in awsproto.Params) (uint16, error) {
	p := in.Int("Port")
	if in.Has("Port") && (p < 1 || p > 65535) {
		return 0, validation("1 validation error detected: Value '%d' at 'port' failed to satisfy constraint: Member must have value between 1 and 65535", p)
	}
	return uint16(p), nil
}

// certsKnown reads which certificates exist (see api.KnownCertificates).
func certsKnown(c *api.Call, certs []string) (func(string) bool, error) {
	known, err := api.KnownCertificates(c, certs)
	if err != nil {
		return nil, err
	}
	return func(arn string) bool { return known[arn] }, nil
}

func createListener(c *api.Call) (map[string]any, error) {
	port, err := portIn(c.In)
	if err != nil {
		return nil, err
	}
	if err := checkClientSecrets(c.In.Structs("DefaultActions")); err != nil {
		return nil, err
	}
	certs := certsIn(c.In)
	known, err := certsKnown(c, certs)
	if err != nil {
		return nil, err
	}
	l, err := c.Engine.CreateListener(engine.CreateListenerInput{
		LoadBalancerARN: c.In.String("LoadBalancerArn"), Protocol: c.In.String("Protocol"), Port: port,
		DefaultActions: actionsIn(c.In.Structs("DefaultActions")), Certificates: certs, SSLPolicy: c.In.String("SslPolicy"),
		MutualAuth: mutualAuthIn(c.In), AlpnPolicy: c.In.Strings("AlpnPolicy"), Tags: tagsIn(c.In), TagOrder: tagOrderIn(c.In), CertificateKnown: known,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Listeners": []any{listenerOut(l)}}, nil
}

func describeListeners(c *api.Call) (map[string]any, error) {
	lbARN, arns := c.In.String("LoadBalancerArn"), c.In.Strings("ListenerArns")
	if lbARN == "" && len(arns) == 0 {
		return nil, validation("You must specify either listener ARNs or a load balancer ARN")
	}
	var items []*model.Listener
	var err error
	c.Engine.Read(func(st *model.State) {
		if len(arns) > 0 {
			for _, a := range arns {
				l := st.Listeners[a]
				if l == nil {
					err = apierr.New("ListenerNotFound", "One or more listeners not found")
					return
				}
				items = append(items, l)
			}
			return
		}
		if st.LoadBalancers[lbARN] == nil {
			err = apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
			return
		}
		for _, l := range st.Listeners {
			if l.LoadBalancerARN == lbARN {
				items = append(items, l)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	key := func(l *model.Listener) string { return l.ARN }
	items, next, err := page(c.In, items, key)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, l := range items {
		out[i] = listenerOut(l)
	}
	return map[string]any{"Listeners": out, "NextMarker": next}, nil
}

func modifyListener(c *api.Call) (map[string]any, error) {
	port, err := portIn(c.In)
	if err != nil {
		return nil, err
	}
	if err := checkClientSecrets(c.In.Structs("DefaultActions")); err != nil {
		return nil, err
	}
	certs := certsIn(c.In)
	known, err := certsKnown(c, certs)
	if err != nil {
		return nil, err
	}
	in := engine.ModifyListenerInput{ListenerARN: c.In.String("ListenerArn"), Protocol: c.In.String("Protocol"), Port: port,
		Certificates: certs, SSLPolicy: c.In.String("SslPolicy"), MutualAuth: mutualAuthIn(c.In), AlpnPolicy: c.In.Strings("AlpnPolicy"),
		CertificateKnown: known}
	if c.In.Has("DefaultActions") {
		in.DefaultActions = actionsIn(c.In.Structs("DefaultActions"))
	}
	l, err := c.Engine.ModifyListener(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Listeners": []any{listenerOut(l)}}, nil
}

func deleteListener(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteListener(c.In.String("ListenerArn"))
}

// Condition limits (ALB User Guide, listener rules: condition types).
const (
	maxConditionValueLen = 128 // a host name, path pattern, header value, query key or value
	maxHeaderNameLen     = 40
	maxMethodLen         = 40
)

// checkConditionShapes refuses conditions whose shape AWS refuses before
// looking at the listener, with AWS's texts: a value too long, more than one
// value in the legacy Values of host-header and path-pattern, a header name
// or method too long, a method outside A-Z, '-' and '_', and a field without
// its required *Config or values.
func checkConditionShapes(list []awsproto.Params) error {
	tooLong := func(what string, limit int) error {
		return validation("The '%s' value is too long; the limit is '%d'", what, limit)
	}
	long := func(what string, vs []string) error {
		for _, v := range vs {
			if len(v) > maxConditionValueLen {
				return tooLong(what, maxConditionValueLen)
			}
		}
		return nil
	}
	for _, c := range list {
		field := c.String("Field")
		legacy := c.Strings("Values")
		switch field {
		case "host-header", "path-pattern":
			cfg := "HostHeaderConfig"
			if field == "path-pattern" {
				cfg = "PathPatternConfig"
			}
			if err := long(field, legacy); err != nil {
				return err
			}
			if err := long(field, c.Struct(cfg).Strings("Values")); err != nil {
				return err
			}
			if len(legacy) > 1 {
				return validation("The '%s' field contains too many values; the limit is '1'", field)
			}
		case "http-header":
			h := c.Struct("HttpHeaderConfig")
			if len(h.String("HttpHeaderName")) > maxHeaderNameLen {
				return tooLong("HttpHeaderName", maxHeaderNameLen)
			}
			if err := long(field, h.Strings("Values")); err != nil {
				return err
			}
		case "http-request-method":
			if !c.Has("HttpRequestMethodConfig") {
				return validation("A 'HttpRequestMethodConfig' must be specified with 'http-request-method'")
			}
			for _, m := range c.Struct("HttpRequestMethodConfig").Strings("Values") {
				if len(m) > maxMethodLen {
					return tooLong(field, maxMethodLen)
				}
				if strings.Trim(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != "" {
					return validation("The 'http-request-method' value is invalid; the allowed characters are A-Z, hyphen and underscore")
				}
			}
		case "query-string":
			for _, kv := range c.Struct("QueryStringConfig").Structs("Values") {
				if len(kv.String("Key")) > maxConditionValueLen {
					return tooLong("Key", maxConditionValueLen)
				}
				if !kv.Has("Value") {
					return validation("A 'Value' must be specified in 'QueryStringKeyValuePair'")
				}
				if len(kv.String("Value")) > maxConditionValueLen {
					return tooLong("Value", maxConditionValueLen)
				}
			}
		case "source-ip":
			if !c.Has("SourceIpConfig") {
				return validation("A 'SourceIpConfig' must be specified with 'source-ip'")
			}
			if len(c.Struct("SourceIpConfig").Strings("Values")) == 0 {
				return validation("A 'source-ip' value must be specified")
			}
		}
	}
	return nil
}

func conditionsIn(list []awsproto.Params) []model.RuleCondition {
	out := make([]model.RuleCondition, 0, len(list))
	for _, c := range list {
		x := model.RuleCondition{Field: c.String("Field"), Values: c.Strings("Values"), RegexValues: c.Strings("RegexValues")}
		// RegexValues in the field's config, or (for the three fields
		// that take them) beside Field, as Values may be.
		for _, cfg := range []string{"HostHeaderConfig", "PathPatternConfig", "HttpHeaderConfig"} {
			if v := c.Struct(cfg).Strings("RegexValues"); len(v) > 0 && len(x.RegexValues) == 0 {
				x.RegexValues = v
			}
		}
		for _, cfg := range []string{"HostHeaderConfig", "PathPatternConfig", "HttpRequestMethodConfig", "SourceIpConfig"} {
			if v := c.Struct(cfg).Strings("Values"); len(v) > 0 && len(x.Values) == 0 {
				x.Values = v
			}
		}
		if h := c.Struct("HttpHeaderConfig"); h != nil {
			x.HeaderName = h.String("HttpHeaderName")
			if len(x.Values) == 0 {
				x.Values = h.Strings("Values")
			}
		}
		if q := c.Struct("QueryStringConfig"); q != nil && len(x.Values) == 0 {
			// Stored as key=value; an empty key (any key) as =value.
			for _, kv := range q.Structs("Values") {
				x.Values = append(x.Values, kv.String("Key")+"="+kv.String("Value"))
			}
		}
		out = append(out, x)
	}
	return out
}

// conditionsOut answers conditions as AWS does: the field's *Config, and the
// legacy Values too for the two fields that take them (host-header and
// path-pattern; http-request-method and source-ip have their config only).
func conditionsOut(conds []model.RuleCondition) []any {
	out := make([]any, len(conds))
	for i, c := range conds {
		x := map[string]any{"Field": c.Field}
		if len(c.RegexValues) > 0 {
			// [choice] A regex condition answers its expressions in the
			// field's config, as the request gives them there.
			switch c.Field {
			case "host-header":
				x["HostHeaderConfig"] = map[string]any{"RegexValues": c.RegexValues}
			case "path-pattern":
				x["PathPatternConfig"] = map[string]any{"RegexValues": c.RegexValues}
			case "http-header":
				x["HttpHeaderConfig"] = map[string]any{"HttpHeaderName": c.HeaderName, "RegexValues": c.RegexValues}
			}
			out[i] = x
			continue
		}
		switch c.Field {
		case "host-header":
			x["Values"], x["HostHeaderConfig"] = c.Values, map[string]any{"Values": c.Values}
		case "path-pattern":
			x["Values"], x["PathPatternConfig"] = c.Values, map[string]any{"Values": c.Values}
		case "http-request-method":
			x["HttpRequestMethodConfig"] = map[string]any{"Values": c.Values}
		case "source-ip":
			x["SourceIpConfig"] = map[string]any{"Values": c.Values}
		case "http-header":
			x["HttpHeaderConfig"] = map[string]any{"HttpHeaderName": c.HeaderName, "Values": c.Values}
		case "query-string":
			kvs := make([]any, len(c.Values))
			for j, v := range c.Values {
				k, val, _ := strings.Cut(v, "=")
				kv := map[string]any{"Value": val}
				if k != "" {
					kv["Key"] = k
				}
				kvs[j] = kv
			}
			x["QueryStringConfig"] = map[string]any{"Values": kvs}
		}
		out[i] = x
	}
	return out
}

func ruleOut(r *model.ListenerRule) map[string]any {
	out := map[string]any{"RuleArn": r.ARN, "Priority": strconv.Itoa(r.Priority), "Conditions": conditionsOut(r.Conditions),
		"Actions": actionsOut(r.Actions), "IsDefault": false}
	if len(r.Transforms) > 0 {
		out["Transforms"] = transformsOut(r.Transforms)
	}
	return out
}

// defaultRuleARN derives the ARN of a listener's default rule.
func defaultRuleARN(listenerARN string) string { return engine.DefaultRuleARN(listenerARN) }

func createRule(c *api.Call) (map[string]any, error) {
	transforms, err := transformsIn(c.In.Structs("Transforms"))
	if err != nil {
		return nil, err
	}
	if err := checkConditionShapes(c.In.Structs("Conditions")); err != nil {
		return nil, err
	}
	if err := checkClientSecrets(c.In.Structs("Actions")); err != nil {
		return nil, err
	}
	r, err := c.Engine.CreateRule(engine.CreateRuleInput{ListenerARN: c.In.String("ListenerArn"), Priority: int(c.In.Int("Priority")),
		Conditions: conditionsIn(c.In.Structs("Conditions")), Actions: actionsIn(c.In.Structs("Actions")), Transforms: transforms, Tags: tagsIn(c.In), TagOrder: tagOrderIn(c.In)})
	if err != nil {
		return nil, err
	}
	return map[string]any{"Rules": []any{ruleOut(r)}}, nil
}

func describeRules(c *api.Call) (map[string]any, error) {
	lARN, arns := c.In.String("ListenerArn"), c.In.Strings("RuleArns")
	if lARN == "" && len(arns) == 0 {
		return nil, validation("You must specify either listener rule ARNs or a listener ARN")
	}
	if lARN != "" && len(arns) > 0 {
		// "You must specify either a listener or rules" (DescribeRules); the
		// text follows DescribeLoadBalancers' names-and-ARNs one [choice].
		return nil, validation("Listener rule ARNs and a listener ARN cannot be specified at the same time")
	}
	// A rule with the key it is paged by: its priority, zero-padded to sort
	// as a number, or "default", which sorts after every one.
	type keyedRule struct {
		key  string
		rule map[string]any
	}
	var out []keyedRule
	var err error
	c.Engine.Read(func(st *model.State) {
		if len(arns) > 0 {
			for _, a := range arns {
				if r := st.ListenerRules[a]; r != nil {
					out = append(out, keyedRule{rule: ruleOut(r)})
					continue
				}
				found := false
				for _, l := range st.Listeners {
					if defaultRuleARN(l.ARN) == a {
						out, found = append(out, keyedRule{rule: defaultRuleOut(l)}), true
					}
				}
				if !found {
					err = apierr.New("RuleNotFound", "One or more rules not found")
					return
				}
			}
			return
		}
		l := st.Listeners[lARN]
		if l == nil {
			err = apierr.New("ListenerNotFound", "One or more listeners not found")
			return
		}
		var rules []*model.ListenerRule
		for _, r := range st.ListenerRules {
			if r.ListenerARN == lARN {
				rules = append(rules, r)
			}
		}
		sort.Slice(rules, func(i, j int) bool { return rules[i].Priority < rules[j].Priority })
		for _, r := range rules {
			out = append(out, keyedRule{strconv.Itoa(1_000_000 + r.Priority), ruleOut(r)})
		}
		out = append(out, keyedRule{"default", defaultRuleOut(l)})
	})
	if err != nil {
		return nil, err
	}
	resp := map[string]any{}
	if len(arns) == 0 {
		// A listener's rules come in pages (PageSize, Marker) in priority
		// order, the default rule last; the marker is the key of the next
		// page's first rule.
		var next any
		if out, next, err = page(c.In, out, func(k keyedRule) string { return k.key }); err != nil {
			return nil, err
		}
		if next != nil {
			resp["NextMarker"] = next
		}
	}
	list := make([]any, len(out))
	for i, k := range out {
		list[i] = k.rule
	}
	resp["Rules"] = list
	return resp, nil
}

func defaultRuleOut(l *model.Listener) map[string]any {
	return map[string]any{"RuleArn": defaultRuleARN(l.ARN), "Priority": "default", "Conditions": []any{},
		"Actions": actionsOut(l.DefaultActions), "IsDefault": true}
}

func deleteRule(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeleteRule(c.In.String("RuleArn"))
}

func targetsIn(in awsproto.Params) []engine.TargetDescription {
	var out []engine.TargetDescription
	for _, t := range in.Structs("Targets") {
		out = append(out, engine.TargetDescription{ID: t.String("Id"), Port: uint16(t.Int("Port")), AvailabilityZone: t.String("AvailabilityZone")})
	}
	return out
}

func registerTargets(c *api.Call) (map[string]any, error) {
	for _, t := range c.In.Structs("Targets") {
		if p := t.Int("Port"); t.Has("Port") && (p < 1 || p > 65535) {
			return nil, validation("1 validation error detected: Value '%d' at 'targets.member.port' failed to satisfy constraint: Member must have value between 1 and 65535", p)
		}
	}
	return nil, c.Engine.RegisterTargets(c.In.String("TargetGroupArn"), targetsIn(c.In))
}

func deregisterTargets(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.DeregisterTargets(c.In.String("TargetGroupArn"), targetsIn(c.In))
}

// describeTargetHealth reports each target's health as the reachability
// analyzer computes it: the load balancer's health checks, evaluated on the
// model (healthy, or unhealthy with Target.Timeout when a check is dropped
// and Target.FailedHealthChecks when it is refused).
func describeTargetHealth(c *api.Call) (map[string]any, error) {
	arn := c.In.String("TargetGroupArn")
	st, version := c.Engine.SharedSnapshot()
	tg := st.TargetGroups[arn]
	if tg == nil {
		return nil, apierr.New("TargetGroupNotFound", "One or more target groups not found")
	}
	health := map[api.TargetKey]api.TargetHealth{}
	for k, v := range c.Analyzer.TargetHealth(st, version, arn) {
		health[k] = v
	}
	// A terminated instance left the list when it was deregistered; asked
	// for by id, it is still draining. A target deregistered with
	// DeregisterTargets is listed, draining, until its delay ends.
	var targets []model.Target
	for _, t := range tg.Targets.All() {
		if !t.Draining || !t.DrainUntil.IsZero() {
			targets = append(targets, t)
		}
	}
	if want := targetsIn(c.In); len(want) > 0 {
		targets = nil
		for _, w := range want {
			port := w.Port
			if port == 0 {
				port = tg.Port
			}
			found := false
			for _, t := range tg.Targets.All() {
				if t.ID == w.ID && t.Port == port {
					targets, found = append(targets, t), true
				}
			}
			if !found {
				if _, err := netip.ParseAddr(w.ID); err != nil && !strings.HasPrefix(w.ID, "i-") {
					return nil, apierr.Newf("InvalidTarget", "The following targets are not valid: '%s'", w.ID)
				}
				targets = append(targets, model.Target{ID: w.ID, Port: port})
				health[api.TargetKey{ID: w.ID, Port: port}] = api.TargetHealth{State: "unused", Reason: "Target.NotRegistered",
					Description: "Target is not registered to the target group"}
			}
		}
	}
	initial := c.Engine.InitialTargetHealth(st, tg)
	out := make([]any, len(targets))
	for i, t := range targets {
		h, ok := health[api.TargetKey{ID: t.ID, Port: t.Port}]
		if !ok {
			h = api.TargetHealth{State: "initial", Reason: engine.ReasonRegistrationInProgress, Description: engine.DescRegistrationInProgress}
		}
		if h.State == "healthy" || h.State == "unhealthy" {
			// The state the checks settle on, once the new target has
			// had the checks it needs.
			if reason, desc, ok := initial(t, h.State == "healthy"); ok {
				h = api.TargetHealth{State: "initial", Reason: reason, Description: desc}
			}
		}
		target := map[string]any{"Id": t.ID, "Port": int(t.Port)}
		if t.AvailabilityZone != "" && tg.TargetType == "ip" {
			target["AvailabilityZone"] = t.AvailabilityZone
		}
		hcPort := tg.HealthCheck.Port
		if hcPort == "" || hcPort == "traffic-port" {
			hcPort = strconv.Itoa(int(t.Port))
		}
		th := map[string]any{"State": h.State, "Reason": api.Str(h.Reason), "Description": api.Str(h.Description)}
		out[i] = map[string]any{"Target": target, "HealthCheckPort": hcPort, "TargetHealth": th}
	}
	return map[string]any{"TargetHealthDescriptions": out}, nil
}

func addTags(c *api.Call) (map[string]any, error) {
	arns := c.In.Strings("ResourceArns")
	if err := oneTaggedResource(arns); err != nil {
		return nil, err
	}
	return nil, c.Engine.TagLoadBalancingResources(arns, engine.TagChange{Add: tagsIn(c.In), Order: tagOrderIn(c.In)})
}

func removeTags(c *api.Call) (map[string]any, error) {
	arns := c.In.Strings("ResourceArns")
	if err := oneTaggedResource(arns); err != nil {
		return nil, err
	}
	rm := map[string]*string{}
	for _, k := range c.In.Strings("TagKeys") {
		rm[k] = nil
	}
	return nil, c.Engine.TagLoadBalancingResources(arns, engine.TagChange{Remove: rm})
}

// oneTaggedResource refuses an AddTags or RemoveTags naming more than one
// resource: the list is the API's shape, but ELBv2 tags one resource a
// request (DescribeTags takes up to 20).
func oneTaggedResource(arns []string) error {
	if len(arns) > 1 {
		return apierr.New("ValidationError", "Only one resource can be tagged at a time")
	}
	return nil
}

func describeTags(c *api.Call) (map[string]any, error) {
	var out []any
	var err error
	c.Engine.Read(func(st *model.State) {
		for _, arn := range c.In.Strings("ResourceArns") {
			var tags model.Tags
			var order []string // the order the tags were added in
			switch {
			case st.LoadBalancers[arn] != nil:
				tags, order = st.LoadBalancers[arn].Tags, st.LoadBalancers[arn].TagOrder
			case st.TargetGroups[arn] != nil:
				tags, order = st.TargetGroups[arn].Tags, st.TargetGroups[arn].TagOrder
			case st.Listeners[arn] != nil:
				tags, order = st.Listeners[arn].Tags, st.Listeners[arn].TagOrder
			case st.ListenerRules[arn] != nil:
				tags, order = st.ListenerRules[arn].Tags, st.ListenerRules[arn].TagOrder
			case st.TrustStores[arn] != nil:
				tags = st.TrustStores[arn].Tags
			case strings.Contains(arn, ":truststore/"):
				err = apierr.New("TrustStoreNotFound", "One or more trust stores not found")
				return
			case strings.Contains(arn, ":listener-rule/"):
				err = apierr.New("RuleNotFound", "One or more rules not found")
				return
			case strings.Contains(arn, ":targetgroup/"):
				err = apierr.Newf("TargetGroupNotFound", "Target groups '%s' not found", arn) // as AddTags ([choice] for DescribeTags)
				return
			case strings.Contains(arn, ":listener/"):
				err = apierr.New("ListenerNotFound", "One or more listeners not found")
				return
			default:
				err = apierr.New("LoadBalancerNotFound", "One or more load balancers not found")
				return
			}
			out = append(out, map[string]any{"ResourceArn": arn, "Tags": api.OrderedTagList(tags, order, "Key", "Value")})
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TagDescriptions": out}, nil
}

// checkAccessLogs checks the bucket of access logs being turned on
// (engine.CheckAccessLogBucket) in the state that holds the buckets (the
// global region's, as S3's names are global).
func checkAccessLogs(c *api.Call, in [][2]string) error {
	set := map[string]string{}
	for _, kv := range in {
		set[kv[0]] = kv[1]
	}
	if set["access_logs.s3.enabled"] != "true" {
		return nil
	}
	bucket, prefix := set["access_logs.s3.bucket"], set["access_logs.s3.prefix"]
	if bucket == "" || prefix == "" {
		// Not in this request: the load balancer's current values.
		kv, err := c.Engine.LoadBalancerAttributes(c.In.String("LoadBalancerArn"))
		if err != nil {
			return err
		}
		for _, x := range kv {
			if x[0] == "access_logs.s3.bucket" && bucket == "" {
				bucket = x[1]
			}
			if x[0] == "access_logs.s3.prefix" && prefix == "" {
				if _, given := set["access_logs.s3.prefix"]; !given {
					prefix = x[1]
				}
			}
		}
	}
	if bucket == "" {
		return apierr.New("ValidationError", "The value of 'access_logs.s3.bucket' cannot be empty when access logs are enabled")
	}
	global, err := c.IAM()
	if err != nil {
		return err
	}
	global.Read(func(st *model.State) {
		err = engine.CheckAccessLogBucket(st, bucket, prefix, c.Region, c.Account, c.In.String("LoadBalancerArn"))
	})
	return err
}
