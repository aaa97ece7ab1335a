package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// fileInfo is a file being read: its name for messages, its content, and
// where its lines start (computed when a warning first needs a position).
type fileInfo struct {
	name  string
	data  []byte
	lines lineIndex
}

func (f *fileInfo) position(off int) (line, col int) {
	if f.lines == nil {
		f.lines = newLineIndex(f.data)
	}
	return f.lines.position(off)
}

// pos is where a value starts in a file.
type pos struct {
	f   *fileInfo
	off int
}

func (p pos) warning(code Code, resource, msg string) Warning {
	w := Warning{Code: code, Resource: resource, Message: msg}
	if p.f != nil {
		w.File = p.f.name
		w.Line, w.Column = p.f.position(p.off)
	}
	return w
}

// item is a decoded describe-* element and where it came from.
type item[T any] struct {
	v  T
	at pos
}

// pendingHealth is a bare describe-target-health output: its target group
// is found from the file name once every target group is known.
type pendingHealth struct {
	file  string
	descs []item[elbTargetHealthDesc]
	at    pos
}

// regionData is everything read from one region's files, before it is
// tied together.
type regionData struct {
	vpcs           []item[ec2Vpc]
	vpcAttrs       []item[vpcAttribute]
	subnets        []item[ec2Subnet]
	routeTables    []item[ec2RouteTable]
	igws           []item[ec2InternetGateway]
	eigws          []item[ec2EgressOnlyIGW]
	bpaOptions     []item[ec2BPAOptions]
	bpaExclusions  []item[ec2BPAExclusion]
	nats           []item[ec2NatGateway]
	acls           []item[ec2NetworkACL]
	sgs            []item[ec2SecurityGroup]
	enis           []item[ec2NetworkInterface]
	instances      []item[ec2Instance]
	reservationOf  map[string]string // instance id → reservation id
	userData       []item[ec2UserData]
	addresses      []item[ec2Address]
	endpoints      []item[ec2VpcEndpoint]
	dhcpOptions    []item[ec2DhcpOptions]
	serviceConfigs []item[ec2ServiceConfiguration]
	prefixLists    []item[ec2PrefixList]
	plEntries      []item[ec2PrefixListEntries]
	svcPerms       []item[ec2ServicePermissions]
	epConns        []item[ec2EndpointConnection]
	clbAttrs       []item[elbClassicAttributes]
	clbPolicies    []item[elbClassicPolicies]
	ltemplates     []item[ec2LaunchTemplate]
	ltVersions     []item[ec2LaunchTemplateVersion]
	asgs           []item[asgGroup]
	launchConfigs  []item[asgLaunchConfig]
	clusters       []item[ecsCluster]
	cproviders     []item[ecsCapacityProvider]
	cinstances     []item[ecsContainerInstance]
	services       []item[ecsService]
	tasks          []item[ecsTask]
	taskDefs       []item[ecsTaskDefinition]
	daemonTaskDefs []item[ecsDaemonTaskDefinition]
	taskDefTags    map[string][]ecsTag
	lbs            []item[elbLoadBalancer]
	clbs           []item[elbClassic]
	listeners      []item[elbListener]
	rules          []item[elbRule]
	tgs            []item[elbTargetGroup]
	health         []item[elbTargetHealth]
	tgAttrs        []item[elbAttributes]
	lbAttrs        []item[elbAttributes]
	pendingHealths []pendingHealth
	namespaces     []item[sdNamespace]
	sdServices     []item[sdService]
	sdInstances    []item[sdServiceInstances]
	// Route 53 (route53.go).
	r53Zones    []item[r53Zone]
	r53ZoneVPCs []item[r53ZoneVPCs]
	r53Records  []item[r53ZoneRecords]
	// Route 53 health checks (healthchecks.go) and ECS account settings
	// (ecssettings.go).
	r53Checks   []item[r53HealthCheck]
	r53TagSets  []item[r53TagSet]
	ecsSettings []item[ecsAccountSetting]
	// The instance roles' own settings (ecssettings.go).
	ecsPrincipalSettings []item[ecsAccountSetting]
	// Amazon ECR (ecr.go) and AWS CodeDeploy (codedeploy.go).
	ecrRepos    []item[ecrRepository]
	ecrImages   []item[ecrImage]
	ecrPolicies []item[ecrPolicy]
	// ecrPullThrough are describe-pull-through-cache-rules' rules.
	ecrPullThrough []item[ecrPullThrough]
	cdApps         []item[cdApp]
	cdGroups       []item[cdGroup]
	// ECS task sets of describe-task-sets (tasksets.go).
	taskSets []item[ecsTaskSet]
	// Tags of rules, daemons and certificates (tags.go).
	tags []item[resourceTags]
	// Transit gateways (tgw.go), VPC peering connections (peering.go).
	tgw      tgwData
	peerings []item[ec2VpcPeering]
	// AWS Network Firewall (networkfirewall.go).
	nf nfData
	// ECS Managed Daemons (daemons.go).
	daemons daemonData
	// Amazon EFS (efs.go).
	efs efsData
	// ACM certificates (acm.go).
	acm acmData
	// EventBridge rules and targets (events.go).
	events eventsData

	// seen records the describe-* calls the files hold (by their key);
	// collected the calls the collector's manifest records as made
	// ("elbv2 describe-target-group-attributes"): a call made once per
	// resource whose files are all gone is still known to have been made.
	seen      map[string]bool
	collected map[string]bool
	// version says which calls the collector knew (format.go).
	version  collectorVersion
	warnings []Warning
}

func (rd *regionData) warn(w Warning) { rd.warnings = append(rd.warnings, w) }

// merge appends what another file held.
func (rd *regionData) merge(o *regionData) {
	rd.vpcs = append(rd.vpcs, o.vpcs...)
	rd.vpcAttrs = append(rd.vpcAttrs, o.vpcAttrs...)
	rd.subnets = append(rd.subnets, o.subnets...)
	rd.routeTables = append(rd.routeTables, o.routeTables...)
	rd.igws = append(rd.igws, o.igws...)
	rd.eigws = append(rd.eigws, o.eigws...)
	rd.bpaOptions = append(rd.bpaOptions, o.bpaOptions...)
	rd.bpaExclusions = append(rd.bpaExclusions, o.bpaExclusions...)
	rd.nats = append(rd.nats, o.nats...)
	rd.acls = append(rd.acls, o.acls...)
	rd.sgs = append(rd.sgs, o.sgs...)
	rd.enis = append(rd.enis, o.enis...)
	rd.instances = append(rd.instances, o.instances...)
	rd.userData = append(rd.userData, o.userData...)
	rd.addresses = append(rd.addresses, o.addresses...)
	rd.endpoints = append(rd.endpoints, o.endpoints...)
	rd.dhcpOptions = append(rd.dhcpOptions, o.dhcpOptions...)
	rd.serviceConfigs = append(rd.serviceConfigs, o.serviceConfigs...)
	rd.prefixLists = append(rd.prefixLists, o.prefixLists...)
	rd.plEntries = append(rd.plEntries, o.plEntries...)
	rd.svcPerms = append(rd.svcPerms, o.svcPerms...)
	rd.epConns = append(rd.epConns, o.epConns...)
	rd.clbAttrs = append(rd.clbAttrs, o.clbAttrs...)
	rd.clbPolicies = append(rd.clbPolicies, o.clbPolicies...)
	rd.ltemplates = append(rd.ltemplates, o.ltemplates...)
	rd.ltVersions = append(rd.ltVersions, o.ltVersions...)
	rd.asgs = append(rd.asgs, o.asgs...)
	rd.launchConfigs = append(rd.launchConfigs, o.launchConfigs...)
	rd.clusters = append(rd.clusters, o.clusters...)
	rd.cproviders = append(rd.cproviders, o.cproviders...)
	rd.cinstances = append(rd.cinstances, o.cinstances...)
	rd.services = append(rd.services, o.services...)
	rd.tasks = append(rd.tasks, o.tasks...)
	rd.taskDefs = append(rd.taskDefs, o.taskDefs...)
	rd.daemonTaskDefs = append(rd.daemonTaskDefs, o.daemonTaskDefs...)
	rd.lbs = append(rd.lbs, o.lbs...)
	rd.clbs = append(rd.clbs, o.clbs...)
	rd.listeners = append(rd.listeners, o.listeners...)
	rd.rules = append(rd.rules, o.rules...)
	rd.tgs = append(rd.tgs, o.tgs...)
	rd.health = append(rd.health, o.health...)
	rd.tgAttrs = append(rd.tgAttrs, o.tgAttrs...)
	rd.lbAttrs = append(rd.lbAttrs, o.lbAttrs...)
	rd.pendingHealths = append(rd.pendingHealths, o.pendingHealths...)
	rd.namespaces = append(rd.namespaces, o.namespaces...)
	rd.sdServices = append(rd.sdServices, o.sdServices...)
	rd.sdInstances = append(rd.sdInstances, o.sdInstances...)
	rd.r53Zones = append(rd.r53Zones, o.r53Zones...)
	rd.r53ZoneVPCs = append(rd.r53ZoneVPCs, o.r53ZoneVPCs...)
	rd.r53Records = append(rd.r53Records, o.r53Records...)
	rd.r53Checks = append(rd.r53Checks, o.r53Checks...)
	rd.r53TagSets = append(rd.r53TagSets, o.r53TagSets...)
	rd.ecsSettings = append(rd.ecsSettings, o.ecsSettings...)
	rd.ecsPrincipalSettings = append(rd.ecsPrincipalSettings, o.ecsPrincipalSettings...)
	rd.ecrRepos = append(rd.ecrRepos, o.ecrRepos...)
	rd.ecrImages = append(rd.ecrImages, o.ecrImages...)
	rd.ecrPolicies = append(rd.ecrPolicies, o.ecrPolicies...)
	rd.ecrPullThrough = append(rd.ecrPullThrough, o.ecrPullThrough...)
	rd.cdApps = append(rd.cdApps, o.cdApps...)
	rd.cdGroups = append(rd.cdGroups, o.cdGroups...)
	rd.taskSets = append(rd.taskSets, o.taskSets...)
	rd.tags = append(rd.tags, o.tags...)
	rd.tgw.merge(&o.tgw)
	rd.daemons.merge(&o.daemons)
	rd.efs.merge(&o.efs)
	rd.acm.merge(&o.acm)
	rd.events.merge(&o.events)
	rd.peerings = append(rd.peerings, o.peerings...)
	rd.nf.merge(&o.nf)
	rd.warnings = append(rd.warnings, o.warnings...)
	if rd.seen == nil {
		rd.seen = map[string]bool{}
	}
	for k := range o.seen {
		rd.seen[k] = true
	}
	for k, v := range o.reservationOf {
		if rd.reservationOf == nil {
			rd.reservationOf = map[string]string{}
		}
		rd.reservationOf[k] = v
	}
	for k, v := range o.taskDefTags {
		if rd.taskDefTags == nil {
			rd.taskDefTags = map[string][]ecsTag{}
		}
		rd.taskDefTags[k] = v
	}
}

// notModelled returns what a top-level key holds when it is the output of
// a describe-* call (most of them read by Batfish) that ecsnet knows but
// does not model, else "".
func notModelled(key string) string {
	switch key {
	case "CustomerGateways":
		return "customer gateways"
	case "DBInstances":
		return "RDS instances"
	case "DomainStatusList":
		return "OpenSearch domains"
	case "VpnConnections":
		return "VPN connections"
	case "VpnGateways":
		return "VPN gateways"
	case "CarrierGateways":
		return "carrier gateways"
	}
	return ""
}

// ignoredKey reports whether a top-level key carries nothing ecsnet needs
// (paging and request bookkeeping, lists of ARNs, and what Batfish ignores:
// AvailabilityZones … Tags); it is skipped without a warning.
func ignoredKey(key string) bool {
	switch key {
	case "AvailabilityZones", "Regions", "InstanceStatuses", "PlacementGroups", "ServiceNames", "Tags",
		"NextToken", "nextToken", "Marker", "NextMarker", "ResponseMetadata", "failures", "clusterArns", "serviceArns",
		"taskArns", "containerInstanceArns", "taskDefinitionArns", "families", "ServiceDetails", "TargetGroupArn",
		"PrefixListId", "tags", "ServiceId", "LoadBalancerArn", "LoadBalancerName", "ResourceOwner", "InstanceId",
		"HostedZone", "HostedZoneId", "DelegationSet", "IsTruncated", "MaxItems", "NextRecordName", "NextRecordType", "NextRecordIdentifier",
		"TransitGatewayRouteTableId", "AdditionalRoutesAvailable", "VpcId", "CertificateChain", "Rule", "EventBusName",
		"ResourceARN", "resourceArn", "CertificateArn":
		return true
	}
	return false
}

// readFile reads one file and files away what it holds.
func (rd *regionData) readFile(base, path string, maxSize int64) error {
	data, err := readRegular(path, maxSize)
	if err != nil {
		return fmt.Errorf("%s: %w", rel(base, path), err)
	}
	return rd.readData(rel(base, path), data)
}

// readData reads one file's content; name is how messages name the file.
// The file is not validated up front: the scanner checks the structure
// around the lists it splits, encoding/json checks every element it
// decodes, and json.Valid the values it skips. Only when one of them finds
// invalid JSON is the whole file parsed again, for the exact error.
func (rd *regionData) readData(name string, data []byte) error {
	f := &fileInfo{name: name, data: data}
	if rd.seen == nil {
		rd.seen = map[string]bool{}
	}
	start := skipSpace(data, 0)
	if start >= len(data) {
		return invalid(name, data)
	}
	if data[start] != '{' {
		if !json.Valid(data) {
			return invalid(name, data)
		}
		what := jsonKind(data[start])
		hint := ""
		if data[start] == '[' {
			hint = " (was it written with --query? keep the call's whole output, e.g. {\"SecurityGroups\": [...]})"
		}
		rd.warn(pos{f, start}.warning(CodeNotAnObject, "", "file skipped: its top-level JSON is "+what+", not an object of describe-* output"+hint))
		return nil
	}
	members, ok := objectMembers(data, start)
	if !ok || skipSpace(data, members.end) != len(data) {
		return invalid(name, data)
	}
	byKey := map[string]span{}
	for _, m := range members.list {
		byKey[m.key] = m.val
	}
	// Warnings of one file are kept apart until the file proves valid.
	keep := rd.warnings
	rd.warnings = nil
	for _, m := range members.list {
		if !rd.dispatch(f, data, m, byKey) {
			rd.warnings = keep
			return invalid(name, data)
		}
	}
	rd.warnings = append(keep, rd.warnings...)
	return nil
}

// invalid returns the SyntaxError of a file found to be invalid JSON.
func invalid(name string, data []byte) error {
	var v json.RawMessage
	err := json.Unmarshal(data, &v)
	if err == nil {
		err = errors.New("invalid JSON")
	}
	return syntaxError(name, data, err)
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '{':
		return "an object"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// dispatch files one top-level member away by its key.
// It reports false when the value turns out not to be valid JSON.
func (rd *regionData) dispatch(f *fileInfo, data []byte, m member, all map[string]span) bool {
	at := pos{f, m.val.start}
	ok := true
	switch m.key {
	case "Vpcs":
		ok = decodeList(rd, f, data, m, &rd.vpcs)
	case "Subnets":
		ok = decodeList(rd, f, data, m, &rd.subnets)
	case "RouteTables":
		ok = decodeList(rd, f, data, m, &rd.routeTables)
	case "InternetGateways":
		ok = decodeList(rd, f, data, m, &rd.igws)
	case "EgressOnlyInternetGateways":
		ok = decodeList(rd, f, data, m, &rd.eigws)
	case "VpcBlockPublicAccessOptions":
		var v ec2BPAOptions
		if err := json.Unmarshal(data[m.val.start:m.val.end], &v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return false
			}
			rd.warn(at.warning(CodeBadValue, "", "VpcBlockPublicAccessOptions skipped: "+cleanJSONError(err)))
		} else {
			rd.bpaOptions = append(rd.bpaOptions, item[ec2BPAOptions]{v, at})
		}
	case "VpcBlockPublicAccessExclusions":
		ok = decodeList(rd, f, data, m, &rd.bpaExclusions)
	case "NatGateways":
		ok = decodeList(rd, f, data, m, &rd.nats)
	case "NetworkAcls":
		ok = decodeList(rd, f, data, m, &rd.acls)
	case "SecurityGroups":
		ok = decodeList(rd, f, data, m, &rd.sgs)
	case "NetworkInterfaces":
		ok = decodeList(rd, f, data, m, &rd.enis)
	case "Reservations":
		var rs []item[ec2Reservation]
		ok = decodeList(rd, f, data, m, &rs)
		for _, r := range rs {
			for _, in := range r.v.Instances {
				rd.addInstance(in, r.v.ReservationID, r.at)
			}
		}
	case "Instances":
		if sid, found := all["ServiceId"]; found {
			// Cloud Map list-instances output with its service's id
			// beside it (ServiceInstancesFileName).
			var id string
			var its []item[sdInstance]
			if ok = decodeList(rd, f, data, m, &its); ok && json.Unmarshal(data[sid.start:sid.end], &id) == nil && id != "" {
				x := sdServiceInstances{ServiceID: id}
				for _, it := range its {
					x.Instances = append(x.Instances, it.v)
				}
				rd.sdInstances = append(rd.sdInstances, item[sdServiceInstances]{x, at})
			}
			break
		}
		var is []item[ec2Instance]
		ok = decodeList(rd, f, data, m, &is)
		for _, in := range is {
			rd.addInstance(in.v, "", in.at)
		}
	case "UserData":
		// describe-instance-attribute --attribute userData: the
		// instance's id beside it (UserDataFileName).
		var v ec2UserData
		decoded, valid := decodeOne(rd, f, data, m, &v.UserData)
		if !valid {
			return false
		}
		if id, found := all["InstanceId"]; found && decoded && json.Unmarshal(data[id.start:id.end], &v.InstanceID) == nil && v.InstanceID != "" {
			rd.userData = append(rd.userData, item[ec2UserData]{v, at})
		}
	case "Addresses":
		ok = decodeList(rd, f, data, m, &rd.addresses)
	case "VpcEndpoints":
		ok = decodeList(rd, f, data, m, &rd.endpoints)
	case "DhcpOptions":
		ok = decodeList(rd, f, data, m, &rd.dhcpOptions)
	case "ServiceConfigurations":
		ok = decodeList(rd, f, data, m, &rd.serviceConfigs)
	case "PrefixLists":
		ok = decodeList(rd, f, data, m, &rd.prefixLists)
	case "Entries":
		// get-managed-prefix-list-entries, the list's id beside it
		// (ManagedPrefixListEntriesFileName).
		var es []item[ec2PrefixListEntry]
		if ok = decodeList(rd, f, data, m, &es); !ok {
			break
		}
		x := ec2PrefixListEntries{Entries: []ec2PrefixListEntry{}}
		for _, e := range es {
			x.Entries = append(x.Entries, e.v)
		}
		if id, found := all["PrefixListId"]; found && json.Unmarshal(data[id.start:id.end], &x.PrefixListID) == nil && x.PrefixListID != "" {
			rd.plEntries = append(rd.plEntries, item[ec2PrefixListEntries]{x, at})
			break
		}
		rd.warn(at.warning(CodeBadValue, "", "Entries skipped: the file does not say which prefix list they belong to; "+
			"put its id beside them ({\"PrefixListId\": …, \"Entries\": […]})"))
	case "AllowedPrincipals":
		// describe-vpc-endpoint-service-permissions, the service's id
		// beside it (EndpointServicePermissionsFileName); each principal
		// names its service too.
		var ps []item[ec2AllowedPrincipal]
		if ok = decodeList(rd, f, data, m, &ps); !ok {
			break
		}
		x := ec2ServicePermissions{Principals: []ec2AllowedPrincipal{}}
		for _, p := range ps {
			x.Principals = append(x.Principals, p.v)
		}
		if id, found := all["ServiceId"]; found {
			_ = json.Unmarshal(data[id.start:id.end], &x.ServiceID)
		}
		if x.ServiceID == "" && len(x.Principals) > 0 {
			x.ServiceID = x.Principals[0].ServiceID
		}
		if x.ServiceID == "" {
			rd.warn(at.warning(CodeBadValue, "", "AllowedPrincipals skipped: the file does not say which endpoint service they belong to; "+
				"put its id beside them ({\"ServiceId\": …, \"AllowedPrincipals\": […]})"))
			break
		}
		rd.svcPerms = append(rd.svcPerms, item[ec2ServicePermissions]{x, at})
	case "VpcEndpointConnections":
		ok = decodeList(rd, f, data, m, &rd.epConns)
	case "VpcPeeringConnections":
		ok = decodeList(rd, f, data, m, &rd.peerings)
	case "LoadBalancerAttributes":
		// elb describe-load-balancer-attributes, the Classic Load
		// Balancer's name beside it (ClassicAttributesFileName).
		var x elbClassicAttributes
		decoded, valid := decodeOne(rd, f, data, m, &x.LoadBalancerAttributes)
		if !valid {
			return false
		}
		if !decoded {
			break
		}
		if n, found := all["LoadBalancerName"]; found && json.Unmarshal(data[n.start:n.end], &x.LoadBalancerName) == nil && x.LoadBalancerName != "" {
			rd.clbAttrs = append(rd.clbAttrs, item[elbClassicAttributes]{x, at})
			break
		}
		rd.warn(at.warning(CodeBadValue, "", "LoadBalancerAttributes skipped: the file does not say which Classic Load Balancer they belong to; "+
			"put its name beside them ({\"LoadBalancerName\": …, \"LoadBalancerAttributes\": {…}})"))
	case "PolicyDescriptions":
		// elb describe-load-balancer-policies, the Classic Load
		// Balancer's name beside it (ClassicPoliciesFileName).
		var ps []item[elbPolicyDescription]
		if ok = decodeList(rd, f, data, m, &ps); !ok {
			break
		}
		x := elbClassicPolicies{PolicyDescriptions: []elbPolicyDescription{}}
		for _, p := range ps {
			x.PolicyDescriptions = append(x.PolicyDescriptions, p.v)
		}
		if n, found := all["LoadBalancerName"]; found && json.Unmarshal(data[n.start:n.end], &x.LoadBalancerName) == nil && x.LoadBalancerName != "" {
			rd.clbPolicies = append(rd.clbPolicies, item[elbClassicPolicies]{x, at})
			break
		}
		rd.warn(at.warning(CodeBadValue, "", "PolicyDescriptions skipped: the file does not say which Classic Load Balancer they belong to; "+
			"put its name beside them ({\"LoadBalancerName\": …, \"PolicyDescriptions\": […]})"))
	case "LaunchTemplates":
		ok = decodeList(rd, f, data, m, &rd.ltemplates)
	case "LaunchTemplateVersions":
		ok = decodeList(rd, f, data, m, &rd.ltVersions)
	case "AutoScalingGroups":
		ok = decodeList(rd, f, data, m, &rd.asgs)
	case "LaunchConfigurations":
		ok = decodeList(rd, f, data, m, &rd.launchConfigs)
	case "clusters":
		ok = decodeList(rd, f, data, m, &rd.clusters)
	case "capacityProviders":
		ok = decodeList(rd, f, data, m, &rd.cproviders)
	case "containerInstances":
		ok = decodeList(rd, f, data, m, &rd.cinstances)
	case "services":
		ok = decodeList(rd, f, data, m, &rd.services)
	case "taskSets":
		ok = decodeList(rd, f, data, m, &rd.taskSets)
	case "tasks":
		ok = decodeList(rd, f, data, m, &rd.tasks)
	case "taskDefinitions":
		if first := data[m.val.start]; first == '[' && isStringList(data, m.val) {
			// A list of ARNs (as list-task-definitions prints under
			// another key): nothing to read.
			return json.Valid(data[m.val.start:m.val.end])
		}
		ok = decodeList(rd, f, data, m, &rd.taskDefs)
		m.key = "taskDefinition"
	case "daemonTaskDefinitions":
		ok = decodeList(rd, f, data, m, &rd.daemonTaskDefs)
	case "daemonTaskDefinition":
		if decoded, valid := appendOne(rd, f, data, m, &rd.daemonTaskDefs, at); !decoded {
			return valid
		}
	case "taskDefinition":
		if decoded, valid := appendOne(rd, f, data, m, &rd.taskDefs, at); !decoded {
			return valid
		}
		if tags, ok := all["tags"]; ok {
			var ts []ecsTag
			if json.Unmarshal(data[tags.start:tags.end], &ts) == nil && len(ts) > 0 {
				if rd.taskDefTags == nil {
					rd.taskDefTags = map[string][]ecsTag{}
				}
				rd.taskDefTags[rd.taskDefs[len(rd.taskDefs)-1].v.TaskDefinitionArn] = ts
			}
		}
	case "LoadBalancers":
		ok = decodeList(rd, f, data, m, &rd.lbs)
	case "LoadBalancerDescriptions":
		ok = decodeList(rd, f, data, m, &rd.clbs)
	case "Listeners":
		ok = decodeList(rd, f, data, m, &rd.listeners)
	case "LoadBalancerListeners":
		var sets []item[elbListenerSet]
		ok = decodeList(rd, f, data, m, &sets)
		for _, s := range sets {
			for _, l := range s.v.Listeners {
				if l.LoadBalancerArn == "" {
					l.LoadBalancerArn = s.v.LoadBalancerArn
				}
				rd.listeners = append(rd.listeners, item[elbListener]{l, s.at})
			}
		}
		m.key = "Listeners"
	case "Rules":
		// elbv2 describe-rules or events list-rules (events.go).
		ok, m.key = rd.dispatchRules(f, data, m)
	case "TargetGroups":
		ok = decodeList(rd, f, data, m, &rd.tgs)
	case "TargetHealthDescriptions":
		var descs []item[elbTargetHealthDesc]
		ok = decodeList(rd, f, data, m, &descs)
		if arn, found := all["TargetGroupArn"]; found && ok {
			var s string
			if json.Unmarshal(data[arn.start:arn.end], &s) == nil && s != "" {
				th := elbTargetHealth{TargetGroupArn: s}
				for _, d := range descs {
					th.TargetHealthDescriptions = append(th.TargetHealthDescriptions, d.v)
				}
				rd.health = append(rd.health, item[elbTargetHealth]{th, at})
				break
			}
		}
		rd.pendingHealths = append(rd.pendingHealths, pendingHealth{file: filepath.Base(f.name), descs: descs, at: at})
	case "Namespaces":
		ok = decodeList(rd, f, data, m, &rd.namespaces)
	case "Namespace":
		if decoded, valid := appendOne(rd, f, data, m, &rd.namespaces, at); !decoded {
			return valid
		}
		m.key = "Namespaces"
	case "Services":
		ok = decodeList(rd, f, data, m, &rd.sdServices)
	case "Service":
		if decoded, valid := appendOne(rd, f, data, m, &rd.sdServices, at); !decoded {
			return valid
		}
		m.key = "Services"
	case "Attributes":
		// elbv2 describe-target-group-attributes or
		// describe-load-balancer-attributes, the ARN beside it
		// (TargetGroupAttributesFileName, LoadBalancerAttributesFileName).
		var attrs []item[elbAttribute]
		if ok = decodeList(rd, f, data, m, &attrs); !ok {
			break
		}
		var x elbAttributes
		for _, a := range attrs {
			x.Attributes = append(x.Attributes, a.v)
		}
		if arn, found := all["TargetGroupArn"]; found && json.Unmarshal(data[arn.start:arn.end], &x.TargetGroupArn) == nil && x.TargetGroupArn != "" {
			rd.tgAttrs = append(rd.tgAttrs, item[elbAttributes]{x, at})
			rd.seen[seenTargetGroupAttributes] = true
			break
		}
		if arn, found := all["LoadBalancerArn"]; found && json.Unmarshal(data[arn.start:arn.end], &x.LoadBalancerArn) == nil && x.LoadBalancerArn != "" {
			rd.lbAttrs = append(rd.lbAttrs, item[elbAttributes]{x, at})
			rd.seen[seenLoadBalancerAttributes] = true
			break
		}
		rd.warn(at.warning(CodeBadValue, "", "Attributes skipped: the file does not say which target group or load balancer they belong to; "+
			"put its ARN beside them ({\"TargetGroupArn\": …, \"Attributes\": […]} or {\"LoadBalancerArn\": …, \"Attributes\": […]})"))
	case "LoadBalancerTargetHealth":
		ok = decodeList(rd, f, data, m, &rd.health)
		m.key = "TargetHealthDescriptions"
	default:
		if kOK, handled := rd.dispatchKinds(f, data, m, all); handled {
			ok = kOK
			break
		}
		if !json.Valid(data[m.val.start:m.val.end]) {
			return false
		}
		if ignoredKey(m.key) {
			return true
		}
		if what := notModelled(m.key); what != "" {
			rd.warn(at.warning(CodeNotModelled, "", m.key+" skipped: ecsnet does not model "+what))
			return true
		}
		rd.warn(at.warning(CodeUnknownKey, "", "unknown key "+quote(m.key)+" skipped: not the output of a describe-* call ecsnet reads"))
		return true
	}
	rd.seen[m.key] = true
	return ok
}

// dispatchKinds offers m to the readers of the kinds that have a file of
// their own (route53.go, tgw.go, daemons.go, ...), in turn; handled says
// whether one took it.
func (rd *regionData) dispatchKinds(f *fileInfo, data []byte, m member, all map[string]span) (ok, handled bool) {
	if ok, handled = rd.dispatchRoute53(f, data, m, all); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchTGW(f, data, m, all); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchDaemons(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchEFS(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchEventTargets(f, data, m, all); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchACM(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchVPCAttribute(f, data, m, all); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchHealthChecks(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchECSSettings(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchECSPrincipalSettings(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchECR(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchCodeDeploy(f, data, m); handled {
		return ok, true
	}
	if ok, handled = rd.dispatchNetworkFirewall(f, data, m, all); handled {
		return ok, true
	}
	return rd.dispatchResourceTags(f, data, m, all)
}

// The seen keys of the two elbv2 attribute outputs, which share the key
// Attributes.
const (
	seenTargetGroupAttributes  = "Attributes/TargetGroupArn"
	seenLoadBalancerAttributes = "Attributes/LoadBalancerArn"
)

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (rd *regionData) addInstance(in ec2Instance, reservation string, at pos) {
	rd.instances = append(rd.instances, item[ec2Instance]{in, at})
	if reservation != "" {
		if rd.reservationOf == nil {
			rd.reservationOf = map[string]string{}
		}
		rd.reservationOf[in.InstanceID] = reservation
	}
}

// decodeList decodes a top-level list element by element: an element that
// does not decode is skipped with a warning at its own location. It
// reports false when the list is not valid JSON.
func decodeList[T any](rd *regionData, f *fileInfo, data []byte, m member, dst *[]item[T]) bool {
	first := data[m.val.start]
	if first != '[' {
		if !json.Valid(data[m.val.start:m.val.end]) {
			return false
		}
		if first != 'n' {
			rd.warn(pos{f, m.val.start}.warning(CodeBadValue, "", m.key+" skipped: expected a list, found "+jsonKind(first)))
		}
		return true
	}
	elems, ok := arrayElems(data, m.val.start)
	if !ok {
		return false
	}
	for _, e := range elems {
		var v T
		if err := json.Unmarshal(data[e.start:e.end], &v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return false
			}
			off := e.start + errorOffset(data[e.start:e.end], err)
			rd.warn(pos{f, off}.warning(CodeBadValue, "", "an element of "+m.key+" skipped: "+cleanJSONError(err)))
			continue
		}
		*dst = append(*dst, item[T]{v, pos{f, e.start}})
	}
	return true
}

// appendOne decodes one object as decodeOne does and appends it to list.
func appendOne[T any](rd *regionData, f *fileInfo, data []byte, m member, list *[]item[T], at pos) (decoded, valid bool) {
	var v T
	if decoded, valid = decodeOne(rd, f, data, m, &v); decoded {
		*list = append(*list, item[T]{v, at})
	}
	return decoded, valid
}

// decodeOne decodes a top-level object value. It reports whether it did,
// and whether the value is valid JSON.
func decodeOne[T any](rd *regionData, f *fileInfo, data []byte, m member, dst *T) (decoded, valid bool) {
	if data[m.val.start] != '{' {
		if !json.Valid(data[m.val.start:m.val.end]) {
			return false, false
		}
		rd.warn(pos{f, m.val.start}.warning(CodeBadValue, "", m.key+" skipped: expected an object, found "+jsonKind(data[m.val.start])))
		return false, true
	}
	if err := json.Unmarshal(data[m.val.start:m.val.end], dst); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return false, false
		}
		rd.warn(pos{f, m.val.start + errorOffset(data[m.val.start:m.val.end], err)}.warning(CodeBadValue, "", m.key+" skipped: "+cleanJSONError(err)))
		return false, true
	}
	return true, true
}

// errorOffset locates a decoding error within value: the key of the field
// whose value has the wrong type, else the byte the decoder stopped at.
func errorOffset(value []byte, err error) int {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Offset <= 0 {
		return 0
	}
	end := min(int(te.Offset), len(value))
	if te.Field != "" {
		name := te.Field[strings.LastIndexByte(te.Field, '.')+1:]
		if i := bytes.LastIndex(value[:end], []byte(`"`+name+`"`)); i >= 0 {
			return i
		}
	}
	return end - 1
}

func cleanJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		what := te.Value
		field := te.Field
		if field == "" {
			return what + " where another type belongs"
		}
		return "field " + field + ": " + what + " where another type belongs"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func isStringList(data []byte, s span) bool {
	elems, ok := arrayElems(data, s.start)
	return ok && len(elems) > 0 && data[elems[0].start] == '"'
}

// ---- a scanner that splits objects and arrays into their values ----
//
// It checks the structure it walks (quotes, colons, commas, brackets) and
// reports false on anything else; the values it returns are checked by
// whoever decodes them.

type span struct{ start, end int }

type member struct {
	key string
	val span
}

type members struct {
	list []member
	end  int // just past the closing brace
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// valueEnd returns the index just past the value starting at i, or -1 when
// the value is cut short.
func valueEnd(data []byte, i int) int {
	if i >= len(data) {
		return -1
	}
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				e := stringEnd(data, j)
				if e < 0 {
					return -1
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(data) {
		switch data[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			if j == i {
				return -1
			}
			return j
		}
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// stringEnd returns the index just past the string starting at i, or -1.
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// objectMembers returns the members of the object starting at i.
func objectMembers(data []byte, i int) (members, bool) {
	var out members
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		out.end = i + 1
		return out, true
	}
	for i < len(data) {
		if data[i] != '"' {
			return out, false
		}
		ke := stringEnd(data, i)
		if ke < 0 {
			return out, false
		}
		var key string
		if json.Unmarshal(data[i:ke], &key) != nil {
			return out, false
		}
		i = skipSpace(data, ke)
		if i >= len(data) || data[i] != ':' {
			return out, false
		}
		i = skipSpace(data, i+1)
		ve := valueEnd(data, i)
		if ve < 0 {
			return out, false
		}
		out.list = append(out.list, member{key, span{i, ve}})
		i = skipSpace(data, ve)
		if i >= len(data) {
			return out, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			out.end = i + 1
			return out, true
		default:
			return out, false
		}
	}
	return out, false
}

// arrayElems returns the elements of the array starting at i.
func arrayElems(data []byte, i int) ([]span, bool) {
	var out []span
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return out, true
	}
	for i < len(data) {
		e := valueEnd(data, i)
		if e < 0 {
			return out, false
		}
		out = append(out, span{i, e})
		i = skipSpace(data, e)
		if i >= len(data) {
			return out, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return out, true
		default:
			return out, false
		}
	}
	return out, false
}
