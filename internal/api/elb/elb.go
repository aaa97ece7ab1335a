// Package elb serves Classic Elastic Load Balancing (AWS Query, API
// 2012-06-01): load balancers in a VPC, listeners, health checks,
// registered instances and their health, attributes and tags. Requests
// signed for elasticloadbalancing with Version=2012-06-01 come here, the
// others go to ELBv2.
package elb

import (
	"maps"
	"slices"
	"strconv"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Register adds the Classic ELB handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("elb", op, h) }
	add("CreateLoadBalancer", createLoadBalancer)
	add("DescribeLoadBalancers", describeLoadBalancers)
	add("DeleteLoadBalancer", func(c *api.Call) (map[string]any, error) {
		return nil, c.Engine.DeleteClassicLoadBalancer(c.In.String("LoadBalancerName"))
	})
	add("CreateLoadBalancerListeners", func(c *api.Call) (map[string]any, error) {
		ls := listenersIn(c.In)
		if err := checkCertificates(c, ls...); err != nil {
			return nil, err
		}
		return nil, c.Engine.CreateClassicListeners(c.In.String("LoadBalancerName"), ls)
	})
	add("DeleteLoadBalancerListeners", func(c *api.Call) (map[string]any, error) {
		var ports []int
		for _, p := range c.In.List("LoadBalancerPorts") {
			if n, ok := p.(int64); ok {
				ports = append(ports, int(n))
			}
		}
		return nil, c.Engine.DeleteClassicListeners(c.In.String("LoadBalancerName"), ports)
	})
	add("ConfigureHealthCheck", configureHealthCheck)
	add("RegisterInstancesWithLoadBalancer", func(c *api.Call) (map[string]any, error) { return registerInstances(c, false) })
	add("DeregisterInstancesFromLoadBalancer", func(c *api.Call) (map[string]any, error) { return registerInstances(c, true) })
	add("DescribeInstanceHealth", describeInstanceHealth)
	add("ApplySecurityGroupsToLoadBalancer", applySecurityGroups)
	add("AttachLoadBalancerToSubnets", func(c *api.Call) (map[string]any, error) { return subnets(c, false) })
	add("DetachLoadBalancerFromSubnets", func(c *api.Call) (map[string]any, error) { return subnets(c, true) })
	add("DescribeLoadBalancerAttributes", describeAttributes)
	add("ModifyLoadBalancerAttributes", modifyAttributes)
	add("AddTags", func(c *api.Call) (map[string]any, error) {
		names := c.In.Strings("LoadBalancerNames")
		if err := oneTaggedLoadBalancer(names); err != nil {
			return nil, err
		}
		tags, err := tagsIn(c.In)
		if err != nil {
			return nil, err
		}
		return nil, c.Engine.TagClassicLoadBalancers(names, engine.TagChange{Add: tags, Order: tagOrderIn(c.In)})
	})
	add("RemoveTags", func(c *api.Call) (map[string]any, error) {
		names := c.In.Strings("LoadBalancerNames")
		if err := oneTaggedLoadBalancer(names); err != nil {
			return nil, err
		}
		rm := map[string]*string{}
		for _, t := range c.In.Structs("Tags") {
			rm[t.String("Key")] = nil
		}
		return nil, c.Engine.TagClassicLoadBalancers(names, engine.TagChange{Remove: rm})
	})
	add("DescribeTags", describeTags)
	registerPolicies(add)
	add("DescribeAccountLimits", func(*api.Call) (map[string]any, error) {
		// AWS's default quotas (elasticloadbalancing/latest/classic/elb-limits.html).
		return map[string]any{"Limits": []any{
			map[string]any{"Name": "classic-load-balancers", "Max": "20"},
			map[string]any{"Name": "classic-listeners", "Max": "100"},
			map[string]any{"Name": "classic-registered-instances", "Max": "1000"},
		}}, nil
	})
}

// oneTaggedLoadBalancer refuses an AddTags or RemoveTags naming more than
// one load balancer ("You can specify one load balancer only", the API
// reference; DescribeTags takes up to 20).
func oneTaggedLoadBalancer(names []string) error {
	if len(names) > 1 {
		return apierr.New("ValidationError", "Exactly 1 LoadBalancerName can be specified")
	}
	return nil
}

// tagsIn reads a request's Tags; a key given twice is DuplicateTagKeys
// (the model's DuplicateTagKeysException text).
func tagsIn(in awsproto.Params) (model.Tags, error) {
	seen := map[string]bool{}
	for _, t := range in.Structs("Tags") {
		k := t.String("Key")
		if seen[k] {
			return nil, apierr.New("DuplicateTagKeys", "A tag key was specified more than once.")
		}
		seen[k] = true
	}
	return api.KeyValues(in.Structs("Tags"), "Key", "Value"), nil
}

// tagOrderIn is the keys of the request's Tags in the order given.
func tagOrderIn(in awsproto.Params) []string {
	var keys []string
	for _, t := range in.Structs("Tags") {
		keys = append(keys, t.String("Key"))
	}
	return keys
}

func listenersIn(in awsproto.Params) []model.ClassicListener {
	var out []model.ClassicListener
	for _, l := range in.Structs("Listeners") {
		out = append(out, model.ClassicListener{Protocol: l.String("Protocol"), LoadBalancerPort: int(l.Int("LoadBalancerPort")),
			InstanceProtocol: l.String("InstanceProtocol"), InstancePort: int(l.Int("InstancePort")), SSLCertificateID: l.String("SSLCertificateId")})
	}
	return out
}

// checkCertificates refuses a listener whose SSLCertificateId names no
// IAM server certificate (or ACM certificate, or one ACM has not issued),
// as Classic Load Balancing does (CertificateNotFound).
func checkCertificates(c *api.Call, ls ...model.ClassicListener) error {
	var arns []string
	for _, l := range ls {
		arns = append(arns, l.SSLCertificateID)
	}
	known, err := api.KnownCertificates(c, arns)
	if err != nil {
		return err
	}
	for _, a := range arns {
		if a != "" && !known[a] {
			return apierr.Newf("CertificateNotFound", "Server Certificate not found for the key: %s", a)
		}
	}
	// An ACM certificate not issued yet (PENDING_VALIDATION) is no valid
	// certificate for Classic Load Balancing either: CertificateNotFound,
	// the one certificate error of its model [choice of code and text;
	// ELBv2 answered CertificateNotFound too before UnsupportedCertificate:
	// aws/aws-cdk#6081].
	var unissued string
	c.Engine.Read(func(st *model.State) {
		for _, a := range arns {
			if x := st.Certificates[a]; x != nil && x.Status != "ISSUED" && unissued == "" {
				unissued = a
			}
		}
	})
	if unissued != "" {
		return apierr.Newf("CertificateNotFound", "Server Certificate not found for the key: %s", unissued)
	}
	return nil
}

func createLoadBalancer(c *api.Call) (map[string]any, error) {
	if err := checkCertificates(c, listenersIn(c.In)...); err != nil {
		return nil, err
	}
	tags, err := tagsIn(c.In)
	if err != nil {
		return nil, err
	}
	in := engine.CreateClassicLoadBalancerInput{Name: c.In.String("LoadBalancerName"), Listeners: listenersIn(c.In),
		AvailabilityZones: c.In.Strings("AvailabilityZones"), Scheme: c.In.String("Scheme"), Tags: tags, TagOrder: tagOrderIn(c.In)}
	for _, s := range c.In.Strings("Subnets") {
		in.Subnets = append(in.Subnets, model.SubnetID(s))
	}
	for _, g := range c.In.Strings("SecurityGroups") {
		in.SecurityGroups = append(in.SecurityGroups, model.SecurityGroupID(g))
	}
	lb, err := c.Engine.CreateClassicLoadBalancer(in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"DNSName": lb.DNSName}, nil
}

func lbOut(c *api.Call, st *model.State, lb *model.ClassicLoadBalancer) map[string]any {
	listeners := make([]any, len(lb.Listeners))
	for i, l := range lb.Listeners {
		x := map[string]any{"Protocol": l.Protocol, "LoadBalancerPort": l.LoadBalancerPort, "InstanceProtocol": l.InstanceProtocol,
			"InstancePort": l.InstancePort, "SSLCertificateId": api.Str(l.SSLCertificateID)}
		names := []string{}
		names = append(names, lb.ListenerPolicies[l.LoadBalancerPort]...)
		listeners[i] = map[string]any{"Listener": x, "PolicyNames": names}
	}
	appCookie, lbCookie, other := []any{}, []any{}, []string{}
	for _, p := range lb.Policies {
		switch p.TypeName {
		case "AppCookieStickinessPolicyType":
			appCookie = append(appCookie, map[string]any{"PolicyName": p.Name, "CookieName": p.CookieName})
		case "LBCookieStickinessPolicyType":
			x := map[string]any{"PolicyName": p.Name}
			if p.CookieExpirationPeriod > 0 {
				x["CookieExpirationPeriod"] = p.CookieExpirationPeriod
			}
			lbCookie = append(lbCookie, x)
		default:
			other = append(other, p.Name)
		}
	}
	backends := []any{}
	ports := slices.Sorted(maps.Keys(lb.BackendPolicies))
	for _, p := range ports {
		backends = append(backends, map[string]any{"InstancePort": p, "PolicyNames": lb.BackendPolicies[p]})
	}
	insts := make([]any, len(lb.Instances))
	for i, id := range lb.Instances {
		insts[i] = map[string]any{"InstanceId": id}
	}
	group := ""
	if len(lb.SecurityGroups) > 0 {
		if sg := st.SecurityGroups[lb.SecurityGroups[0]]; sg != nil {
			group = sg.Name
		}
	}
	hc := lb.HealthCheck
	return map[string]any{
		"LoadBalancerName": lb.Name, "DNSName": lb.DNSName, "CanonicalHostedZoneName": lb.DNSName,
		"CanonicalHostedZoneNameID": engine.ClassicHostedZone(c.Region), "ListenerDescriptions": listeners,
		"Policies":                  map[string]any{"AppCookieStickinessPolicies": appCookie, "LBCookieStickinessPolicies": lbCookie, "OtherPolicies": other},
		"BackendServerDescriptions": backends, "AvailabilityZones": lb.AvailabilityZones, "Subnets": api.Strs(lb.Subnets),
		"VPCId": lb.VpcID, "Instances": insts, "SecurityGroups": api.Strs(lb.SecurityGroups), "CreatedTime": api.Time(lb.CreatedAt),
		"Scheme": lb.Scheme, "SourceSecurityGroup": map[string]any{"OwnerAlias": c.Account, "GroupName": group},
		"HealthCheck": map[string]any{"Target": hc.Target, "Interval": hc.Interval, "Timeout": hc.Timeout,
			"UnhealthyThreshold": hc.UnhealthyThreshold, "HealthyThreshold": hc.HealthyThreshold},
	}
}

func describeLoadBalancers(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("LoadBalancerNames")
	var items []*model.ClassicLoadBalancer
	var err error
	c.Engine.Read(func(st *model.State) {
		if len(names) > 0 {
			for _, n := range names {
				lb := st.ClassicLoadBalancers[n]
				if lb == nil {
					// DescribeLoadBalancers' own text (zalando-stups/senza#399);
					// the other operations say "There is no ACTIVE Load Balancer named".
					err = apierr.Newf("LoadBalancerNotFound", "Cannot find Load Balancer %s", n)
					return
				}
				items = append(items, lb)
			}
			return
		}
		for _, lb := range st.ClassicLoadBalancers {
			items = append(items, lb)
		}
	})
	if err != nil {
		return nil, err
	}
	key := func(lb *model.ClassicLoadBalancer) string { return lb.Name }
	limit := 0
	if c.In.Has("PageSize") {
		limit = int(c.In.Int("PageSize"))
		if limit < 1 || limit > 400 {
			return nil, apierr.Newf("ValidationError", "1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400", limit)
		}
	}
	items, next, ok := api.Paginate(items, key, c.In.String("Marker"), limit)
	if !ok {
		return nil, apierr.New("ValidationError", "Invalid Marker")
	}
	out := make([]any, len(items))
	c.Engine.Read(func(st *model.State) {
		for i, lb := range items {
			out[i] = lbOut(c, st, lb)
		}
	})
	res := map[string]any{"LoadBalancerDescriptions": out}
	if next != "" {
		res["NextMarker"] = next
	}
	return res, nil
}

func configureHealthCheck(c *api.Call) (map[string]any, error) {
	h := c.In.Struct("HealthCheck")
	hc := model.ClassicHealthCheck{Target: h.String("Target"), Interval: int(h.Int("Interval")), Timeout: int(h.Int("Timeout")),
		UnhealthyThreshold: int(h.Int("UnhealthyThreshold")), HealthyThreshold: int(h.Int("HealthyThreshold"))}
	lb, err := c.Engine.ConfigureClassicHealthCheck(c.In.String("LoadBalancerName"), hc)
	if err != nil {
		return nil, err
	}
	x := lb.HealthCheck
	return map[string]any{"HealthCheck": map[string]any{"Target": x.Target, "Interval": x.Interval, "Timeout": x.Timeout,
		"UnhealthyThreshold": x.UnhealthyThreshold, "HealthyThreshold": x.HealthyThreshold}}, nil
}

func instancesIn(in awsproto.Params) []model.InstanceID {
	var out []model.InstanceID
	for _, i := range in.Structs("Instances") {
		out = append(out, model.InstanceID(i.String("InstanceId")))
	}
	return out
}

func registerInstances(c *api.Call, deregister bool) (map[string]any, error) {
	ids, err := c.Engine.RegisterClassicInstances(c.In.String("LoadBalancerName"), instancesIn(c.In), deregister)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"InstanceId": id}
	}
	return map[string]any{"Instances": out}, nil
}

func describeInstanceHealth(c *api.Call) (map[string]any, error) {
	name := c.In.String("LoadBalancerName")
	st, version := c.Engine.SharedSnapshot()
	lb := st.ClassicLoadBalancers[name]
	if lb == nil {
		return nil, apierr.Newf("LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", name)
	}
	// An instance deregistered with connection draining is listed, InService
	// "Instance deregistration currently in progress.", until its draining
	// ends; asked for by id after that it is OutOfService, not registered.
	ids := slices.Concat(lb.Instances, slices.Sorted(maps.Keys(lb.Deregistering)))
	if want := instancesIn(c.In); len(want) > 0 {
		for _, id := range want {
			if !slices.Contains(ids, id) && st.Instances[id] == nil {
				return nil, apierr.Newf("InvalidInstance", "Could not find EC2 instance %s.", id) // probable
			}
		}
		ids = want
	}
	// A running instance is InService once its health check passes: the
	// analyzer runs the check.
	checked := c.Analyzer.ClassicInstanceHealth(st, version, name)
	out := make([]any, len(ids)) // an empty list is answered, not left out
	for i, id := range ids {
		if _, draining := lb.Deregistering[id]; draining || !slices.Contains(lb.Instances, id) {
			// ReasonCode names the cause of OutOfService only (N/A else).
			state, reason, desc := "OutOfService", "ELB", engine.ClassicDescNotRegistered
			if draining {
				state, reason, desc = "InService", "N/A", engine.ClassicDescDeregistering
			}
			out[i] = map[string]any{"InstanceId": id, "State": state, "ReasonCode": reason, "Description": desc}
			continue
		}
		state, reason, desc := engine.ClassicInstanceHealth(st, id)
		checks := state == "InService" // a running instance is health checked
		if h, ok := checked[id]; ok && checks && h.State != "InService" {
			state, reason, desc = h.State, h.Reason, h.Description
			checks = h.Description == reach.ClassicFailedChecks
		}
		if checks {
			// OutOfService until its first checks settle.
			if r, d, initial := c.Engine.InitialClassicInstanceHealth(lb, id, state == "InService"); initial {
				state, reason, desc = "OutOfService", r, d
			}
		}
		out[i] = map[string]any{"InstanceId": id, "State": state, "ReasonCode": reason, "Description": desc}
	}
	return map[string]any{"InstanceStates": out}, nil
}

func applySecurityGroups(c *api.Call) (map[string]any, error) {
	var ids []model.SecurityGroupID
	for _, g := range c.In.Strings("SecurityGroups") {
		ids = append(ids, model.SecurityGroupID(g))
	}
	lb, err := c.Engine.SetClassicSecurityGroups(c.In.String("LoadBalancerName"), ids)
	if err != nil {
		return nil, err
	}
	return map[string]any{"SecurityGroups": api.Strs(lb.SecurityGroups)}, nil
}

func subnets(c *api.Call, detach bool) (map[string]any, error) {
	var ids []model.SubnetID
	for _, s := range c.In.Strings("Subnets") {
		ids = append(ids, model.SubnetID(s))
	}
	lb, err := c.Engine.SetClassicSubnets(c.In.String("LoadBalancerName"), ids, detach)
	if err != nil {
		return nil, err
	}
	return map[string]any{"Subnets": api.Strs(lb.Subnets)}, nil
}

// Attribute names as stored on the model, with AWS's defaults for a load
// balancer created through the API.
var attrDefaults = map[string]string{
	"CrossZoneLoadBalancing.Enabled": "false", "AccessLog.Enabled": "false", "AccessLog.S3BucketName": "",
	"AccessLog.S3BucketPrefix": "", "AccessLog.EmitInterval": "60", "ConnectionDraining.Enabled": "false",
	"ConnectionDraining.Timeout": "300", "ConnectionSettings.IdleTimeout": "60",
	desyncMode: "defensive",
}

// desyncMode is the one additional attribute Classic Load Balancers have
// (API_AdditionalAttribute: monitor, defensive or strictest, default
// defensive).
const desyncMode = "elb.http.desyncmitigationmode"

func attr(lb *model.ClassicLoadBalancer, k string) string {
	if v, ok := lb.Attributes[k]; ok {
		return v
	}
	return attrDefaults[k]
}

// attrsOut answers a load balancer's attributes: every one, or those
// named in only (ModifyLoadBalancerAttributes answers the attributes it
// was given, aws-cli examples/elb/modify-load-balancer-attributes.rst).
func attrsOut(lb *model.ClassicLoadBalancer, only map[string]bool) map[string]any {
	b := func(k string) bool { return attr(lb, k) == "true" }
	n := func(k string) int { v, _ := strconv.Atoi(attr(lb, k)); return v }
	access := map[string]any{"Enabled": b("AccessLog.Enabled")}
	if b("AccessLog.Enabled") {
		access["S3BucketName"], access["S3BucketPrefix"], access["EmitInterval"] = attr(lb, "AccessLog.S3BucketName"), attr(lb, "AccessLog.S3BucketPrefix"), n("AccessLog.EmitInterval")
	}
	out := map[string]any{
		"CrossZoneLoadBalancing": map[string]any{"Enabled": b("CrossZoneLoadBalancing.Enabled")},
		"AccessLog":              access,
		"ConnectionDraining":     map[string]any{"Enabled": b("ConnectionDraining.Enabled"), "Timeout": n("ConnectionDraining.Timeout")},
		"ConnectionSettings":     map[string]any{"IdleTimeout": n("ConnectionSettings.IdleTimeout")},
		"AdditionalAttributes":   []any{map[string]any{"Key": desyncMode, "Value": attr(lb, desyncMode)}},
	}
	if only != nil {
		maps.DeleteFunc(out, func(k string, _ any) bool { return !only[k] })
	}
	return out
}

func describeAttributes(c *api.Call) (map[string]any, error) {
	var lb *model.ClassicLoadBalancer
	name := c.In.String("LoadBalancerName")
	c.Engine.Read(func(st *model.State) { lb = st.ClassicLoadBalancers[name] })
	if lb == nil {
		return nil, apierr.Newf("LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", name)
	}
	return map[string]any{"LoadBalancerAttributes": attrsOut(lb, nil)}, nil
}

func modifyAttributes(c *api.Call) (map[string]any, error) {
	a := c.In.Struct("LoadBalancerAttributes")
	set := map[string]string{}
	given := map[string]bool{}
	for _, k := range []string{"CrossZoneLoadBalancing", "AccessLog", "ConnectionDraining", "ConnectionSettings", "AdditionalAttributes"} {
		given[k] = a.Has(k)
	}
	for _, x := range a.Structs("AdditionalAttributes") {
		k, v := x.String("Key"), x.String("Value")
		if k != desyncMode {
			return nil, apierr.New("LoadBalancerAttributeNotFound", "The specified load balancer attribute does not exist.")
		}
		if v != "monitor" && v != "defensive" && v != "strictest" {
			return nil, apierr.Newf("ValidationError", "Value '%s' for %s must be one of: monitor, defensive, strictest", v, k) // [choice]
		}
		set[k] = v
	}
	if x := a.Struct("CrossZoneLoadBalancing"); x != nil {
		set["CrossZoneLoadBalancing.Enabled"] = strconv.FormatBool(x.Bool("Enabled"))
	}
	if x := a.Struct("AccessLog"); x != nil {
		set["AccessLog.Enabled"] = strconv.FormatBool(x.Bool("Enabled"))
		if x.Bool("Enabled") && x.String("S3BucketName") == "" {
			return nil, apierr.New("InvalidConfigurationRequest", "S3BucketName is required when access logs are enabled.") // probable
		}
		set["AccessLog.S3BucketName"], set["AccessLog.S3BucketPrefix"] = x.String("S3BucketName"), x.String("S3BucketPrefix")
		if x.Has("EmitInterval") {
			if v := x.Int("EmitInterval"); v != 5 && v != 60 {
				return nil, apierr.New("ValidationError", "EmitInterval must be 5 or 60 minutes.") // probable
			}
			set["AccessLog.EmitInterval"] = strconv.FormatInt(x.Int("EmitInterval"), 10)
		}
	}
	if x := a.Struct("ConnectionDraining"); x != nil {
		set["ConnectionDraining.Enabled"] = strconv.FormatBool(x.Bool("Enabled"))
		if x.Has("Timeout") {
			if v := x.Int("Timeout"); v < 1 || v > 3600 {
				return nil, apierr.New("ValidationError", "ConnectionDraining Timeout must be between 1 and 3600 seconds.") // probable
			}
			set["ConnectionDraining.Timeout"] = strconv.FormatInt(x.Int("Timeout"), 10)
		}
	}
	if x := a.Struct("ConnectionSettings"); x != nil {
		if v := x.Int("IdleTimeout"); v < 1 || v > 4000 {
			return nil, apierr.New("ValidationError", "IdleTimeout must be between 1 and 4000 seconds.") // probable
		}
		set["ConnectionSettings.IdleTimeout"] = strconv.FormatInt(x.Int("IdleTimeout"), 10)
	}
	name := c.In.String("LoadBalancerName")
	lb, err := c.Engine.UpdateClassicLoadBalancer(name, func(lb *model.ClassicLoadBalancer) error {
		if lb.Attributes == nil {
			lb.Attributes = map[string]string{}
		}
		for k, v := range set {
			lb.Attributes[k] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"LoadBalancerName": name, "LoadBalancerAttributes": attrsOut(lb, given)}, nil
}

func describeTags(c *api.Call) (map[string]any, error) {
	names := c.In.Strings("LoadBalancerNames")
	if len(names) > 20 {
		return nil, apierr.New("ValidationError", "1 validation error detected: Value at 'loadBalancerNames' failed to satisfy constraint: Member must have length less than or equal to 20")
	}
	var out []any
	var err error
	c.Engine.Read(func(st *model.State) {
		for _, n := range names {
			lb := st.ClassicLoadBalancers[n]
			if lb == nil {
				err = apierr.Newf("LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", n)
				return
			}
			out = append(out, map[string]any{"LoadBalancerName": n, "Tags": api.OrderedTagList(lb.Tags, lb.TagOrder, "Key", "Value")})
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TagDescriptions": out}, nil
}

func validation(msg string) error { return apierr.New("ValidationError", msg) }
