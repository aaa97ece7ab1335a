package ec2

import (
	"cmp"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

func registerInstances(r *api.Registry) {
	add(r, "RunInstances", runInstances)
	add(r, "DescribeInstances", describeInstances)
	add(r, "TerminateInstances", terminateInstances)
	add(r, "StopInstances", stopInstances)
	add(r, "StartInstances", startInstances)
	add(r, "RebootInstances", rebootInstances)
	add(r, "MonitorInstances", monitorInstances(true))
	add(r, "UnmonitorInstances", monitorInstances(false))
	add(r, "ModifyInstanceAttribute", modifyInstanceAttribute)
	add(r, "ModifyInstanceMetadataOptions", modifyInstanceMetadataOptions)
	add(r, "DescribeInstanceStatus", describeInstanceStatus)
	add(r, "DescribeInstanceAttribute", describeInstanceAttribute)
	add(r, "DescribeInstanceTypes", describeInstanceTypes)
	add(r, "DescribeInstanceTypeOfferings", describeInstanceTypeOfferings)
	add(r, "CreateLaunchTemplate", createLaunchTemplate)
	add(r, "CreateLaunchTemplateVersion", createLaunchTemplateVersion)
	add(r, "ModifyLaunchTemplate", modifyLaunchTemplate)
	add(r, "DeleteLaunchTemplate", deleteLaunchTemplate)
	add(r, "DeleteLaunchTemplateVersions", deleteLaunchTemplateVersions)
	add(r, "DescribeLaunchTemplates", describeLaunchTemplates)
	add(r, "DescribeLaunchTemplateVersions", describeLaunchTemplateVersions)
	add(r, "GetLaunchTemplateData", getLaunchTemplateData)
	add(r, "GetConsoleOutput", getConsoleOutput)
	add(r, "GetPasswordData", getPasswordData)
	add(r, "GetInstanceUefiData", getInstanceUefiData)
	registerIAMProfiles(r)
}

// instanceENIOut returns an ENI as DescribeInstances lists it under an
// instance.
func instanceENIOut(st *model.State, n *model.NetworkInterface) map[string]any {
	vpc := st.VPCs[n.VpcID]
	ips := make([]any, len(n.PrivateIPs))
	for i, p := range n.PrivateIPs {
		x := map[string]any{"Primary": p.Primary, "PrivateIpAddress": p.Addr, "PrivateDnsName": model.PrivateDNSName(st.Region, p.Addr)}
		if p.PublicIP != nil {
			x["Association"] = instanceAssoc(st, vpc, p.PublicIP)
		}
		ips[i] = x
	}
	out := map[string]any{
		"NetworkInterfaceId": n.ID, "SubnetId": n.SubnetID, "VpcId": n.VpcID, "Description": n.Description,
		"MacAddress": n.MAC, "OwnerId": n.OwnerID, "PrivateIpAddress": n.PrimaryIP(),
		"PrivateDnsName": model.PrivateDNSName(st.Region, n.PrimaryIP()), "PrivateIpAddresses": ips,
		"Groups": groupsOut(st, n.SecurityGroups), "SourceDestCheck": n.SourceDestCheck, "Status": n.Status(),
		"InterfaceType": string(n.Type), "Ipv6Addresses": ipv6AddrsOut(n),
	}
	for _, p := range n.PrivateIPs {
		if p.Primary && p.PublicIP != nil {
			out["Association"] = instanceAssoc(st, vpc, p.PublicIP)
		}
	}
	if a := n.Attachment; a != nil {
		out["Attachment"] = map[string]any{"AttachmentId": a.ID, "DeviceIndex": a.DeviceIndex, "Status": a.Status,
			"DeleteOnTermination": a.DeleteOnTermination, "AttachTime": api.Time(a.AttachedAt), "NetworkCardIndex": 0}
	}
	return out
}

func instanceAssoc(st *model.State, vpc *model.VPC, p *model.PublicIPAssociation) map[string]any {
	out := map[string]any{"PublicIp": p.PublicIP, "IpOwnerId": p.IPOwnerID, "PublicDnsName": ""}
	if vpc != nil && vpc.EnableDNSHostnames {
		out["PublicDnsName"] = model.PublicDNSName(st.Region, p.PublicIP)
	}
	return out
}

// monitoringState is an instance's Monitoring.State: detailed monitoring
// asked for at launch is enabled at once ([choice]).
func monitoringState(i *model.Instance) string {
	if i.Monitoring {
		return "enabled"
	}
	return "disabled"
}

func instanceOut(c *api.Call, st *model.State, i *model.Instance, launchIndex int) map[string]any {
	enis := st.InstanceENIs(i.ID)
	nis := make([]any, len(enis))
	for k, n := range enis {
		nis[k] = instanceENIOut(st, n)
	}
	out := map[string]any{
		"InstanceId": i.ID, "ImageId": i.ImageID, "InstanceType": i.Type, "KeyName": api.Str(i.KeyName),
		"State":      map[string]any{"Code": i.State.StateCode(), "Name": string(i.State)},
		"LaunchTime": api.Time(i.LaunchTime),
		"Placement":  instancePlacementOut(st, i),
		"Monitoring": map[string]any{"State": monitoringState(i)},
		"SubnetId":   api.Str(i.SubnetID), "VpcId": api.Str(i.VpcID),
		"Architecture": instanceArch(i.Type), "Hypervisor": "xen", "VirtualizationType": "hvm", "RootDeviceType": "ebs",
		"RootDeviceName": i.RootDeviceName(), "EbsOptimized": i.EBSOptimized, "EnaSupport": true, "AmiLaunchIndex": launchIndex,
		"ClientToken": i.ClientToken, "NetworkInterfaces": nis, "BlockDeviceMappings": blockDeviceMappingsOut(st, i), "ProductCodes": []any{},
		"StateTransitionReason": "", "PrivateDnsName": "", "PublicDnsName": "", "Tags": api.EC2Tags(i.Tags),
		"PlatformDetails": "Linux/UNIX", "UsageOperation": "RunInstances", "BootMode": "uefi-preferred",
		"MetadataOptions":       metadataOptionsOut(i, "applied"),
		"HibernationOptions":    map[string]any{"Configured": i.Hibernation},
		"PrivateDnsNameOptions": map[string]any{"HostnameType": "ip-name", "EnableResourceNameDnsARecord": false, "EnableResourceNameDnsAAAARecord": false},
	}
	// Every instance answers its Capacity Reservation preference, enclave
	// and maintenance options and when its usage operation was set (at
	// launch) (awscli/examples/ec2/describe-instances.rst, example 1;
	// run-instances.rst, example 1).
	out["CapacityReservationSpecification"] = map[string]any{"CapacityReservationPreference": cmp.Or(i.CapacityReservationPreference, "open")}
	out["EnclaveOptions"] = map[string]any{"Enabled": false}
	out["MaintenanceOptions"] = map[string]any{"AutoRecovery": cmp.Or(i.AutoRecovery, "default")}
	out["UsageOperationUpdateTime"] = api.Time(i.LaunchTime)
	if s := st.Subnets[i.SubnetID]; s != nil {
		out["Placement"].(map[string]any)["AvailabilityZoneId"] = s.AvailabilityZoneID
	}
	if len(enis) > 0 {
		if a, ok := enis[0].PrimaryIPv6(); ok {
			out["Ipv6Address"] = a.String()
		}
	}
	if it, ok := model.LookupInstanceType(i.Type); ok {
		cores, threads := it.VCPUs, 1
		if it.VCPUs > 1 {
			cores, threads = it.VCPUs/2, 2
		}
		out["CpuOptions"] = map[string]any{"CoreCount": cores, "ThreadsPerCore": threads}
	}
	if i.IAMProfile != "" {
		out["IamInstanceProfile"] = instanceProfileOut(c, st, i)
	}
	if i.Spot != nil {
		out["InstanceLifecycle"] = "spot"
	}
	if i.SpotRequest != "" {
		out["SpotInstanceRequestId"] = i.SpotRequest
	}
	if i.StateReason != "" {
		code, _, _ := strings.Cut(i.StateReason, ":")
		out["StateReason"] = map[string]any{"Code": code, "Message": i.StateReason}
		if i.State == model.InstanceShuttingDown || i.State == model.InstanceTerminated || i.State == model.InstanceStopping || i.State == model.InstanceStopped {
			out["StateTransitionReason"] = "User initiated (" + i.LaunchTime.UTC().Format("2006-01-02 15:04:05 GMT") + ")"
		}
	}
	if n := st.NetworkInterfaces[i.PrimaryENI]; n != nil && i.State != model.InstanceTerminated {
		out["PrivateIpAddress"] = n.PrimaryIP()
		out["PrivateDnsName"] = model.PrivateDNSName(st.Region, n.PrimaryIP())
		out["SecurityGroups"] = groupsOut(st, n.SecurityGroups)
		out["SourceDestCheck"] = n.SourceDestCheck
		if pub, ok := n.PublicIP(); ok {
			out["PublicIpAddress"] = pub
			if v := st.VPCs[n.VpcID]; v != nil && v.EnableDNSHostnames {
				out["PublicDnsName"] = model.PublicDNSName(st.Region, pub)
			}
		}
	} else {
		out["SecurityGroups"] = []any{}
	}
	return out
}

// launchOptionsIn reads RunInstances' CapacityReservationSpecification
// (ecsnet models no Capacity Reservations: an instance is "open" to any,
// or "none") and MaintenanceOptions.
func launchOptionsIn(in awsproto.Params) (pref, recovery string, err error) {
	crs := in.Struct("CapacityReservationSpecification")
	if crs.Has("CapacityReservationTarget") {
		return "", "", apierr.New("InvalidParameterValue", "ecsnet models no Capacity Reservations: CapacityReservationTarget cannot be used.")
	}
	switch pref = crs.String("CapacityReservationPreference"); pref {
	case "", "open", "none":
	case "capacity-reservations-only":
		return "", "", apierr.New("InvalidParameterValue", "ecsnet models no Capacity Reservations: the preference capacity-reservations-only cannot be used.")
	default:
		return "", "", apierr.Newf("InvalidParameterValue", "Value (%s) for parameter CapacityReservationPreference is invalid. Valid values are: open, none, capacity-reservations-only.", pref) // probable text
	}
	switch recovery = in.Struct("MaintenanceOptions").String("AutoRecovery"); recovery {
	case "", "default", "disabled":
	default:
		return "", "", apierr.Newf("InvalidParameterValue", "Value (%s) for parameter AutoRecovery is invalid. Valid values are: disabled, default.", recovery) // probable text
	}
	return pref, recovery, nil
}

// spotMarketOptions reads RunInstances' InstanceMarketOptions: nil for
// On-Demand. A one-time request (the default) ends with its instance, so
// it takes no end date and its instance is terminated when interrupted;
// a persistent one is stopped or hibernated.
func spotMarketOptions(m awsproto.Params) (*model.SpotMarketOptions, error) {
	if m == nil {
		return nil, nil
	}
	switch t := m.String("MarketType"); t {
	case "spot":
	case "capacity-block":
		return nil, apierr.New("InvalidParameterCombination", "The market type capacity-block requires a Capacity Block reservation in CapacityReservationSpecification.")
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter MarketType is invalid. Valid values are: spot, capacity-block.", t)
	}
	o := m.Struct("SpotOptions")
	typ := o.String("SpotInstanceType")
	if typ == "" {
		typ = "one-time"
	}
	s := &model.SpotMarketOptions{Persistent: typ == "persistent", Interruption: o.String("InstanceInterruptionBehavior"), MaxPrice: o.String("MaxPrice")}
	switch {
	case typ != "one-time" && typ != "persistent":
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter SpotInstanceType is invalid. Valid values are: one-time, persistent.", typ)
	case s.Interruption == "":
		s.Interruption = "terminate"
	case s.Interruption != "terminate" && s.Interruption != "stop" && s.Interruption != "hibernate":
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter InstanceInterruptionBehavior is invalid. Valid values are: hibernate, stop, terminate.", s.Interruption)
	}
	if !s.Persistent && s.Interruption != "terminate" {
		return nil, apierr.Newf("InvalidParameterCombination", "The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to '%s'.", o.String("InstanceInterruptionBehavior"))
	}
	if !s.Persistent && o.Has("ValidUntil") {
		return nil, apierr.New("InvalidParameterCombination", "The parameter validUntil cannot be specified when the SpotRequestType is set to 'one-time.")
	}
	return s, nil
}

func runInstances(c *api.Call) (map[string]any, error) {
	in := c.In
	if in.Has("SecurityGroups") && in.Has("SubnetId") {
		// Group names are for launches without a subnet (the default
		// VPC); in a subnet the groups are named by id.
		return nil, apierr.New("InvalidParameterCombination", "The parameter groupName cannot be used with the parameter subnet")
	}
	tags, err := api.TagSpecs(in, "instance", "volume", "network-interface")
	if err != nil {
		return nil, err
	}
	ri := engine.RunInstancesInput{
		ImageID: in.String("ImageId"), InstanceType: in.String("InstanceType"),
		MinCount: int(in.Int("MinCount")), MaxCount: int(in.Int("MaxCount")),
		SubnetID: model.SubnetID(in.String("SubnetId")), SecurityGroupIDs: ids[model.SecurityGroupID](in, "SecurityGroupIds"),
		SecurityGroupNames: in.Strings("SecurityGroups"), UserData: in.String("UserData"), PrivateIP: in.String("PrivateIpAddress"),
		KeyName: in.String("KeyName"), ClientToken: in.String("ClientToken"), Tags: tags, EBSOptimized: in.Bool("EbsOptimized"),
	}
	if ri.BlockDevices, err = blockDevices(in); err != nil {
		return nil, err
	}
	if m := in.Struct("MetadataOptions"); m != nil {
		ri.Metadata = metadataInput(m)
	}
	if ri.Spot, err = spotMarketOptions(in.Struct("InstanceMarketOptions")); err != nil {
		return nil, err
	}
	ri.CPUCredits = in.Struct("CreditSpecification").String("CpuCredits")
	ri.Hibernation = in.Struct("HibernationOptions").Bool("Configured")
	if ri.CapacityReservationPreference, ri.AutoRecovery, err = launchOptionsIn(in); err != nil {
		return nil, err
	}
	ri.Monitoring = boolParam(in.Struct("Monitoring"), "Enabled")
	ri.DisableAPITermination, ri.DisableAPIStop = boolParam(in, "DisableApiTermination"), boolParam(in, "DisableApiStop")
	// Volume and network-interface tag specifications tag those resources,
	// not the instance.
	if ri.VolumeTags, err = api.TagSpecs(in, "volume", "instance", "network-interface"); err != nil {
		return nil, err
	}
	if ri.ENITags, err = api.TagSpecs(in, "network-interface", "instance", "volume"); err != nil {
		return nil, err
	}
	if p := in.Struct("IamInstanceProfile"); p != nil {
		ri.IAMProfile = p.String("Arn")
		if ri.IAMProfile == "" {
			ri.IAMProfile = p.String("Name")
		}
	}
	if ri.IAM, err = c.IAM(); err != nil {
		return nil, err
	}
	if lt := in.Struct("LaunchTemplate"); lt != nil {
		ri.LaunchTemplate = &model.LaunchTemplateRef{ID: model.LaunchTemplateID(lt.String("LaunchTemplateId")), Name: lt.String("LaunchTemplateName"), Version: lt.String("Version")}
	}
	ri.AvailabilityZone = in.Struct("Placement").String("AvailabilityZone")
	ri.HostID = in.Struct("Placement").String("HostId")
	ri.PlacementGroup = in.Struct("Placement").String("GroupName")
	ri.PartitionNumber = int(in.Struct("Placement").Int("PartitionNumber"))
	ri.IPv6Count, ri.IPv6 = ipv6Request(in)
	for _, ni := range in.Structs("NetworkInterfaces") {
		if ni.Has("Ipv6AddressCount") || ni.Has("Ipv6Addresses") {
			ri.IPv6Count, ri.IPv6 = ipv6Request(ni)
		}
		if ni.Int("DeviceIndex") != 0 {
			// A new interface at another device index, created and
			// attached at launch (an existing one: AttachNetworkInterface).
			if ni.String("NetworkInterfaceId") != "" {
				return nil, apierr.New("UnsupportedOperation", "ecsnet attaches existing network interfaces at launch only at device index 0; attach others with AttachNetworkInterface.")
			}
			if ni.Bool("AssociatePublicIpAddress") {
				return nil, apierr.New("InvalidParameterCombination", "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.")
			}
			li := engine.LaunchInterface{DeviceIndex: int(ni.Int("DeviceIndex")), SubnetID: model.SubnetID(ni.String("SubnetId")), Groups: ids[model.SecurityGroupID](ni, "Groups")}
			if ni.Has("DeleteOnTermination") {
				v := ni.Bool("DeleteOnTermination")
				li.DeleteOnTermination = &v
			}
			ri.MoreInterfaces = append(ri.MoreInterfaces, li)
			continue
		}
		if id := ni.String("NetworkInterfaceId"); id != "" {
			// An existing interface brings its own subnet, groups and
			// addresses; a public IPv4 address and DeleteOnTermination true
			// are for a new interface only.
			if ni.String("SubnetId") != "" || len(ni.Strings("Groups")) > 0 || ni.String("PrivateIpAddress") != "" || len(ni.Structs("PrivateIpAddresses")) > 0 || ni.Has("SecondaryPrivateIpAddressCount") {
				return nil, apierr.New("InvalidParameterCombination", "A network interface ID may not be specified with a subnet ID, security groups or private IP addresses for the same network interface.")
			}
			if ni.Bool("AssociatePublicIpAddress") {
				return nil, apierr.New("InvalidParameterCombination", "The associatePublicIPAddress parameter cannot be specified when launching with an existing network interface.")
			}
			if ni.Bool("DeleteOnTermination") {
				return nil, apierr.New("InvalidParameterCombination", "The deleteOnTermination parameter can be true only for a network interface created at launch.")
			}
			ri.NetworkInterfaceID = model.NetworkInterfaceID(id)
		}
		if ni.Has("AssociatePublicIpAddress") {
			v := ni.Bool("AssociatePublicIpAddress")
			ri.AssociatePublicIP = &v
		}
		if ni.Has("DeleteOnTermination") {
			v := ni.Bool("DeleteOnTermination")
			ri.DeleteOnTermination = &v
		}
		if s := ni.String("SubnetId"); s != "" {
			ri.SubnetID = model.SubnetID(s)
		}
		if g := ni.Strings("Groups"); len(g) > 0 {
			ri.SecurityGroupIDs = ids[model.SecurityGroupID](ni, "Groups")
		}
		// PrivateIpAddresses lists the interface's addresses, as
		// CreateNetworkInterface takes them: the one marked primary (or
		// PrivateIpAddress) is its primary address, the others secondary ones.
		primary, secondary, err := privateIPSpecs(ni.String("PrivateIpAddress"), ni.Structs("PrivateIpAddresses"))
		if err != nil {
			return nil, err
		}
		if primary != "" {
			ri.PrivateIP = primary
		}
		ri.SecondaryPrivateIPs = secondary
		ri.SecondaryPrivateIPCount = int(ni.Int("SecondaryPrivateIpAddressCount"))
		if in.String("SubnetId") != "" {
			return nil, apierr.New("InvalidParameterCombination", "Network interfaces and an instance-level subnet ID may not be specified on the same request")
		}
		if len(in.Strings("SecurityGroupIds")) > 0 || len(in.Strings("SecurityGroups")) > 0 {
			return nil, apierr.New("InvalidParameterCombination", "Network interfaces and an instance-level security groups may not be specified on the same request")
		}
	}
	res, err := c.Engine.RunInstances(ri)
	if err != nil {
		return nil, err
	}
	insts := make([]any, len(res.Instances))
	var groups []any
	c.Engine.Read(func(st *model.State) {
		for k, i := range res.Instances {
			insts[k] = launchingOut(instanceOut(c, st, i, k), i)
		}
		if len(res.Instances) > 0 {
			if n := st.NetworkInterfaces[res.Instances[0].PrimaryENI]; n != nil {
				groups = groupsOut(st, n.SecurityGroups)
			}
		}
	})
	return map[string]any{"ReservationId": res.ID, "OwnerId": c.Account, "Groups": groups, "Instances": insts}, nil
}

// launchingOut is RunInstances' answer for an instance it launched: a
// pending instance answers the reason "pending", its metadata options
// "pending" and its network interfaces "attaching"; DescribeInstances then
// shows them applied and attached (awscli/examples/ec2/run-instances.rst,
// example 1).
func launchingOut(out map[string]any, i *model.Instance) map[string]any {
	if i.State != model.InstancePending {
		return out
	}
	if _, ok := out["StateReason"]; !ok {
		out["StateReason"] = map[string]any{"Code": "pending", "Message": "pending"}
	}
	if m, ok := out["MetadataOptions"].(map[string]any); ok {
		m["State"] = "pending"
	}
	for _, n := range out["NetworkInterfaces"].([]any) {
		if a, ok := n.(map[string]any)["Attachment"].(map[string]any); ok && a["Status"] == "attached" {
			a["Status"] = "attaching"
		}
	}
	return out
}

func instanceFilters(c *api.Call, st *model.State) api.FilterSet[*model.Instance] {
	enis := func(f func(*model.NetworkInterface) []string) func(*model.Instance) []string {
		return func(i *model.Instance) []string {
			var out []string
			for _, n := range st.InstanceENIs(i.ID) {
				out = append(out, f(n)...)
			}
			return out
		}
	}
	primary := func(f func(*model.NetworkInterface) []string) func(*model.Instance) []string {
		return func(i *model.Instance) []string {
			if n := st.NetworkInterfaces[i.PrimaryENI]; n != nil && i.State != model.InstanceTerminated {
				return f(n)
			}
			return nil
		}
	}
	privateIPs := func(n *model.NetworkInterface) []string {
		var out []string
		for _, p := range n.PrivateIPs {
			out = append(out, p.Addr.String())
		}
		return out
	}
	publicIP := func(n *model.NetworkInterface) []string {
		if a, ok := n.PublicIP(); ok {
			return []string{a.String()}
		}
		return nil
	}
	groupIDs := func(n *model.NetworkInterface) []string { return api.Strs(n.SecurityGroups) }
	volumes := func(f func(*model.Volume) string) func(*model.Instance) []string {
		return func(i *model.Instance) []string {
			if i.State == model.InstanceTerminated {
				return nil
			}
			var out []string
			for _, id := range i.Volumes {
				if v := st.Volumes[id]; v != nil && v.Attachment != nil {
					out = append(out, f(v))
				}
			}
			return out
		}
	}
	primaryAssoc := func(n *model.NetworkInterface) *model.PublicIPAssociation {
		for _, p := range n.PrivateIPs {
			if p.Primary {
				return p.PublicIP
			}
		}
		return nil
	}
	groupNames := func(n *model.NetworkInterface) []string {
		var out []string
		for _, g := range n.SecurityGroups {
			if sg := st.SecurityGroups[g]; sg != nil {
				out = append(out, sg.Name)
			}
		}
		return out
	}
	metadata := func(f func(model.InstanceMetadataOptions) string) func(*model.Instance) []string {
		return func(i *model.Instance) []string {
			m := model.DefaultMetadataOptions()
			if i.Metadata != nil {
				m = *i.Metadata
			}
			return []string{f(m)}
		}
	}
	return api.FilterSet[*model.Instance]{
		Tags: func(i *model.Instance) model.Tags { return i.Tags },
		Attrs: map[string]func(*model.Instance) []string{
			"instance-id":              func(i *model.Instance) []string { return api.One(i.ID) },
			"instance-state-name":      func(i *model.Instance) []string { return api.One(i.State) },
			"instance-state-code":      func(i *model.Instance) []string { return []string{strconv.Itoa(i.State.StateCode())} },
			"instance-type":            func(i *model.Instance) []string { return api.One(i.Type) },
			"monitoring-state":         func(i *model.Instance) []string { return api.One(monitoringState(i)) },
			"spot-instance-request-id": func(i *model.Instance) []string { return api.One(i.SpotRequest) },
			"instance-lifecycle": func(i *model.Instance) []string {
				if i.Spot != nil {
					return []string{"spot"}
				}
				return nil
			},
			"image-id":          func(i *model.Instance) []string { return api.One(i.ImageID) },
			"key-name":          func(i *model.Instance) []string { return api.One(i.KeyName) },
			"reservation-id":    func(i *model.Instance) []string { return api.One(i.ReservationID) },
			"client-token":      func(i *model.Instance) []string { return api.One(i.ClientToken) },
			"subnet-id":         func(i *model.Instance) []string { return api.One(i.SubnetID) },
			"vpc-id":            func(i *model.Instance) []string { return api.One(i.VpcID) },
			"availability-zone": func(i *model.Instance) []string { return api.One(i.AvailabilityZone) },
			"architecture":      func(i *model.Instance) []string { return []string{instanceArch(i.Type)} },
			// No instance is in a placement group: the filter is valid and matches none.
			"placement-group-name":         func(*model.Instance) []string { return nil },
			"placement-partition-number":   func(*model.Instance) []string { return nil },
			"metadata-options.http-tokens": metadata(func(m model.InstanceMetadataOptions) string { return m.HTTPTokens }),
			"metadata-options.http-put-response-hop-limit": metadata(func(m model.InstanceMetadataOptions) string {
				return strconv.Itoa(m.HopLimit)
			}),
			"metadata-options.http-endpoint":          metadata(func(m model.InstanceMetadataOptions) string { return m.HTTPEndpoint }),
			"metadata-options.http-protocol-ipv6":     metadata(func(m model.InstanceMetadataOptions) string { return m.HTTPProtocolIPv6 }),
			"metadata-options.instance-metadata-tags": metadata(func(m model.InstanceMetadataOptions) string { return m.InstanceMetadataTags }),
			"owner-id": func(*model.Instance) []string { return []string{c.Account} },
			"tenancy":  func(*model.Instance) []string { return []string{"default"} },
			"state-reason-code": func(i *model.Instance) []string {
				code, _, _ := strings.Cut(i.StateReason, ":")
				return []string{code} // "" for an instance without a state reason
			},
			"state-reason-message": func(i *model.Instance) []string { return []string{i.StateReason} },
			"source-dest-check":    primary(func(n *model.NetworkInterface) []string { return api.Bool(n.SourceDestCheck) }),
			"private-ip-address":   primary(privateIPs),
			"ip-address":           primary(publicIP),
			"private-dns-name": primary(func(n *model.NetworkInterface) []string {
				return []string{model.PrivateDNSName(st.Region, n.PrimaryIP())}
			}),
			"instance.group-id":                              primary(groupIDs),
			"instance.group-name":                            primary(groupNames),
			"group-id":                                       primary(groupIDs),
			"group-name":                                     primary(groupNames),
			"iam-instance-profile.arn":                       func(i *model.Instance) []string { return api.One(i.IAMProfile) },
			"network-interface.network-interface-id":         enis(func(n *model.NetworkInterface) []string { return api.One(n.ID) }),
			"network-interface.subnet-id":                    enis(func(n *model.NetworkInterface) []string { return api.One(n.SubnetID) }),
			"network-interface.vpc-id":                       enis(func(n *model.NetworkInterface) []string { return api.One(n.VpcID) }),
			"network-interface.group-id":                     enis(groupIDs),
			"network-interface.addresses.private-ip-address": enis(privateIPs),
			"network-interface.ipv6-addresses.ipv6-address":  enis(func(n *model.NetworkInterface) []string { return addrStrings(n.IPv6) }),
			"ipv6-address":                                   primary(func(n *model.NetworkInterface) []string { return addrStrings(n.IPv6) }),
			"network-interface.association.public-ip":        enis(publicIP),
			"network-interface.attachment.device-index": enis(func(n *model.NetworkInterface) []string {
				return []string{strconv.Itoa(n.Attachment.DeviceIndex)}
			}),
			"network-interface.requester-managed": enis(func(n *model.NetworkInterface) []string { return api.Bool(n.RequesterManaged) }),
			"network-interface.private-dns-name": enis(func(n *model.NetworkInterface) []string {
				return []string{model.PrivateDNSName(st.Region, n.PrimaryIP())}
			}),
			"network-interface.addresses.primary": enis(func(n *model.NetworkInterface) []string {
				var out []string
				for _, p := range n.PrivateIPs {
					out = append(out, strconv.FormatBool(p.Primary))
				}
				return out
			}),
			"network-interface.availability-zone": enis(func(n *model.NetworkInterface) []string { return api.One(n.AvailabilityZone) }),
			"network-interface.description":       enis(func(n *model.NetworkInterface) []string { return api.One(n.Description) }),
			"network-interface.group-name":        enis(groupNames),
			"network-interface.mac-address":       enis(func(n *model.NetworkInterface) []string { return api.One(n.MAC) }),
			"network-interface.owner-id":          enis(func(n *model.NetworkInterface) []string { return api.One(n.OwnerID) }),
			"network-interface.requester-id":      enis(func(n *model.NetworkInterface) []string { return api.One(n.RequesterID) }),
			"network-interface.source-dest-check": enis(func(n *model.NetworkInterface) []string { return api.Bool(n.SourceDestCheck) }),
			"network-interface.status":            enis(func(n *model.NetworkInterface) []string { return []string{n.Status()} }),
			"network-interface.attachment.attachment-id": enis(func(n *model.NetworkInterface) []string {
				return []string{string(n.Attachment.ID)}
			}),
			"network-interface.attachment.instance-id": enis(func(n *model.NetworkInterface) []string {
				return []string{string(n.Attachment.InstanceID)}
			}),
			"network-interface.attachment.status": enis(func(n *model.NetworkInterface) []string { return []string{n.Attachment.Status} }),
			"network-interface.attachment.delete-on-termination": enis(func(n *model.NetworkInterface) []string {
				return api.Bool(n.Attachment.DeleteOnTermination)
			}),
			"dns-name": primary(func(n *model.NetworkInterface) []string {
				if a, ok := n.PublicIP(); ok {
					return []string{model.PublicDNSName(st.Region, a)}
				}
				return nil
			}),
			// Attributes every instance answers the same way (instanceOut).
			"hypervisor":                             func(*model.Instance) []string { return []string{"xen"} },
			"virtualization-type":                    func(*model.Instance) []string { return []string{"hvm"} },
			"root-device-type":                       func(*model.Instance) []string { return []string{"ebs"} },
			"root-device-name":                       func(i *model.Instance) []string { return []string{i.RootDeviceName()} },
			"platform-details":                       func(*model.Instance) []string { return []string{"Linux/UNIX"} },
			"usage-operation":                        func(*model.Instance) []string { return []string{"RunInstances"} },
			"boot-mode":                              func(*model.Instance) []string { return []string{"uefi-preferred"} },
			"ena-support":                            func(*model.Instance) []string { return []string{"true"} },
			"enclave-options.enabled":                func(*model.Instance) []string { return []string{"false"} },
			"metadata-options.state":                 func(*model.Instance) []string { return []string{"applied"} },
			"private-dns-name-options.hostname-type": func(*model.Instance) []string { return []string{"ip-name"} },
			"private-dns-name-options.enable-resource-name-dns-a-record":    func(*model.Instance) []string { return []string{"false"} },
			"private-dns-name-options.enable-resource-name-dns-aaaa-record": func(*model.Instance) []string { return []string{"false"} },
			// Attributes no instance has (Windows, kernels and ramdisks,
			// product codes, Dedicated Hosts, Outposts, Capacity Reservations,
			// NitroTPM): valid filters that match none.
			"platform":                       func(*model.Instance) []string { return nil },
			"kernel-id":                      func(*model.Instance) []string { return nil },
			"ramdisk-id":                     func(*model.Instance) []string { return nil },
			"product-code":                   func(*model.Instance) []string { return nil },
			"product-code.type":              func(*model.Instance) []string { return nil },
			"host-id":                        func(*model.Instance) []string { return nil },
			"affinity":                       func(*model.Instance) []string { return nil },
			"outpost-arn":                    func(*model.Instance) []string { return nil },
			"requester-id":                   func(*model.Instance) []string { return nil },
			"capacity-reservation-id":        func(*model.Instance) []string { return nil },
			"tpm-support":                    func(*model.Instance) []string { return nil },
			"ebs-optimized":                  func(i *model.Instance) []string { return api.Bool(i.EBSOptimized) },
			"hibernation-options.configured": func(i *model.Instance) []string { return api.Bool(i.Hibernation) },
			"capacity-reservation-specification.capacity-reservation-preference": func(i *model.Instance) []string {
				return []string{cmp.Or(i.CapacityReservationPreference, "open")}
			},
			"maintenance-options.auto-recovery": func(i *model.Instance) []string { return []string{cmp.Or(i.AutoRecovery, "default")} },
			"availability-zone-id":              func(i *model.Instance) []string { return subnetZoneID(st, i.SubnetID) },
			"block-device-mapping.device-name":  volumes(func(v *model.Volume) string { return v.Attachment.Device }),
			"block-device-mapping.volume-id":    volumes(func(v *model.Volume) string { return string(v.ID) }),
			"block-device-mapping.status":       volumes(func(*model.Volume) string { return "attached" }),
			"block-device-mapping.delete-on-termination": volumes(func(v *model.Volume) string {
				return strconv.FormatBool(v.Attachment.DeleteOnTermination)
			}),
			"network-interface.association.ip-owner-id": enis(func(n *model.NetworkInterface) []string {
				if p := primaryAssoc(n); p != nil {
					return api.One(p.IPOwnerID)
				}
				return nil
			}),
			"network-interface.addresses.association.public-ip": enis(func(n *model.NetworkInterface) []string {
				var out []string
				for _, p := range n.PrivateIPs {
					if p.PublicIP != nil {
						out = append(out, p.PublicIP.PublicIP.String())
					}
				}
				return out
			}),
			"network-interface.addresses.association.ip-owner-id": enis(func(n *model.NetworkInterface) []string {
				var out []string
				for _, p := range n.PrivateIPs {
					if p.PublicIP != nil {
						out = append(out, p.PublicIP.IPOwnerID)
					}
				}
				return out
			}),
			"network-interface.attachment.instance-owner-id": enis(func(n *model.NetworkInterface) []string {
				return api.One(n.Attachment.InstanceOwnerID)
			}),
			"network-interface.tag-key":   enis(func(n *model.NetworkInterface) []string { return slices.Collect(maps.Keys(n.Tags)) }),
			"network-interface.tag-value": enis(func(n *model.NetworkInterface) []string { return slices.Collect(maps.Values(n.Tags)) }),
			// The filters the model's documentation lists that the
			// attributes above do not cover (round thirty-five).
			"launch-index": func(i *model.Instance) []string { return []string{strconv.Itoa(i.LaunchIndex)} },
			"launch-time":  func(i *model.Instance) []string { return []string{isoMillis(i.LaunchTime)} },
			"reason": func(i *model.Instance) []string {
				if i.StateReason != "" && (i.State == model.InstanceShuttingDown || i.State == model.InstanceTerminated ||
					i.State == model.InstanceStopping || i.State == model.InstanceStopped) {
					return []string{"User initiated (" + i.LaunchTime.UTC().Format("2006-01-02 15:04:05 GMT") + ")"}
				}
				return nil
			},
			"iam-instance-profile.id": func(i *model.Instance) []string {
				if i.IAMProfile == "" {
					return nil
				}
				id, _ := instanceProfileOut(c, st, i)["Id"].(string)
				return api.One(id)
			},
			"metadata-options.http-protocol-ipv4": func(*model.Instance) []string { return []string{"enabled"} },
			"block-device-mapping.attach-time": volumes(func(v *model.Volume) string {
				return ebsTimeFilter(v.Attachment.AttachedAt)
			}),
			"network-interface.private-ip-address": enis(func(n *model.NetworkInterface) []string {
				return []string{n.PrimaryIP().String()}
			}),
			"network-interface.addresses.private-dns-name": enis(func(n *model.NetworkInterface) []string {
				var out []string
				for _, p := range n.PrivateIPs {
					out = append(out, model.PrivateDNSName(st.Region, p.Addr))
				}
				return out
			}),
			"network-interface.public-dns-name": enis(func(n *model.NetworkInterface) []string {
				if p := primaryAssoc(n); p != nil {
					return []string{model.PublicDNSName(st.Region, p.PublicIP)}
				}
				return nil
			}),
			"network-interface.association.public-dns-name": enis(func(n *model.NetworkInterface) []string {
				if p := primaryAssoc(n); p != nil {
					return []string{model.PublicDNSName(st.Region, p.PublicIP)}
				}
				return nil
			}),
			"network-interface.association.allocation-id": enis(func(n *model.NetworkInterface) []string {
				if p := primaryAssoc(n); p != nil {
					return api.One(p.AllocationID)
				}
				return nil
			}),
			"network-interface.association.association-id": enis(func(n *model.NetworkInterface) []string {
				if p := primaryAssoc(n); p != nil {
					return api.One(p.AssociationID)
				}
				return nil
			}),
			"network-interface.addresses.association.public-dns-name": enis(func(n *model.NetworkInterface) []string {
				var out []string
				for _, p := range n.PrivateIPs {
					if p.PublicIP != nil {
						out = append(out, model.PublicDNSName(st.Region, p.PublicIP.PublicIP))
					}
				}
				return out
			}),
			"network-interface.addresses.association.allocation-id": enis(func(n *model.NetworkInterface) []string {
				var out []string
				for _, p := range n.PrivateIPs {
					if p.PublicIP != nil && p.PublicIP.AllocationID != "" {
						out = append(out, string(p.PublicIP.AllocationID))
					}
				}
				return out
			}),
			"network-interface.addresses.association.association-id": enis(func(n *model.NetworkInterface) []string {
				var out []string
				for _, p := range n.PrivateIPs {
					if p.PublicIP != nil && p.PublicIP.AssociationID != "" {
						out = append(out, string(p.PublicIP.AssociationID))
					}
				}
				return out
			}),
			"network-interface.attachment.attach-time": enis(func(n *model.NetworkInterface) []string {
				return []string{isoMillis(n.Attachment.AttachedAt)}
			}),
			"network-interface.attachment.network-card-index": enis(func(*model.NetworkInterface) []string { return []string{"0"} }),
			"network-interface.ipv6-address":                  enis(func(n *model.NetworkInterface) []string { return addrStrings(n.IPv6) }),
			// Carrier and customer-owned addresses, prefixes delegated to an
			// interface, primary IPv6 addresses, IPv6-only interfaces,
			// Outposts, managed (operator) instances, Capacity Reservations,
			// bandwidth weighting and boot-mode switches are not modelled:
			// valid filters that match none.
			"network-interface.addresses.association.carrier-ip":                                     func(*model.Instance) []string { return nil },
			"network-interface.addresses.association.customer-owned-ip":                              func(*model.Instance) []string { return nil },
			"network-interface.association.carrier-ip":                                               func(*model.Instance) []string { return nil },
			"network-interface.association.customer-owned-ip":                                        func(*model.Instance) []string { return nil },
			"network-interface.deny-all-igw-traffic":                                                 func(*model.Instance) []string { return nil },
			"network-interface.ipv4-prefixes.ipv4-prefix":                                            func(*model.Instance) []string { return nil },
			"network-interface.ipv6-prefixes.ipv6-prefix":                                            func(*model.Instance) []string { return nil },
			"network-interface.ipv6-addresses.is-primary-ipv6":                                       func(*model.Instance) []string { return nil },
			"network-interface.ipv6-native":                                                          func(*model.Instance) []string { return nil },
			"network-interface.operator.managed":                                                     func(*model.Instance) []string { return nil },
			"network-interface.operator.principal":                                                   func(*model.Instance) []string { return nil },
			"network-interface.outpost-arn":                                                          func(*model.Instance) []string { return nil },
			"operator.managed":                                                                       func(*model.Instance) []string { return nil },
			"operator.principal":                                                                     func(*model.Instance) []string { return nil },
			"network-performance-options.bandwidth-weighting":                                        func(*model.Instance) []string { return nil },
			"current-instance-boot-mode":                                                             func(*model.Instance) []string { return nil },
			"usage-operation-update-time":                                                            func(*model.Instance) []string { return nil },
			"capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id": func(*model.Instance) []string { return nil },
			"capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn": func(*model.Instance) []string { return nil },
			"launch-template.launch-template-id": func(i *model.Instance) []string {
				if i.LaunchTemplate == nil {
					return nil
				}
				return api.One(i.LaunchTemplate.ID)
			},
		},
	}
}

func describeInstances(c *api.Call) (map[string]any, error) {
	if err := noIDsWithMax(c.In, "InstanceIds", "instancesSet"); err != nil {
		return nil, err
	}
	// An id that is not i-… is malformed before any is looked up, with
	// DescribeInstances' own text, which names no expected form
	// (ClusterLabs/cluster-glue#29: Invalid id: "ma1"; mbailey/bash-my-aws#149:
	// Invalid id: "AWS::EC2::Instance").
	for _, id := range c.In.Strings("InstanceIds") {
		if !strings.HasPrefix(id, "i-") || len(id) <= len("i-") {
			return nil, apierr.Newf("InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
		}
	}
	var out []any
	var next any
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.Instance
		if want := c.In.Strings("InstanceIds"); len(want) > 0 {
			var missing []string
			for _, id := range want {
				if i := st.Instances[model.InstanceID(id)]; i != nil {
					items = append(items, i)
				} else {
					missing = append(missing, id)
				}
			}
			if len(missing) == 1 {
				err = errInstanceNotFound(missing[0])
				return
			} else if len(missing) > 1 {
				err = apierr.Newf("InvalidInstanceID.NotFound", "The instance IDs '%s' do not exist", strings.Join(missing, ", "))
				return
			}
		} else {
			for _, i := range st.Instances {
				items = append(items, i)
			}
		}
		if items, err = instanceFilters(c, st).Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		key := func(i *model.Instance) string { return string(i.ID) }
		if items, next, err = page(c.In, items, key, 5, 1000); err != nil {
			return
		}
		// One reservation per RunInstances call, in launch order.
		slices.SortStableFunc(items, func(a, b *model.Instance) int {
			if c := a.LaunchTime.Compare(b.LaunchTime); c != 0 {
				return c
			}
			if c := strings.Compare(a.ReservationID, b.ReservationID); c != 0 {
				return c
			}
			return a.LaunchIndex - b.LaunchIndex
		})
		byRes := map[string]map[string]any{}
		for _, i := range items {
			r := byRes[i.ReservationID]
			if r == nil {
				r = map[string]any{"ReservationId": i.ReservationID, "OwnerId": c.Account, "Groups": []any{}, "Instances": []any{}}
				byRes[i.ReservationID] = r
				out = append(out, r)
			}
			r["Instances"] = append(r["Instances"].([]any), instanceOut(c, st, i, len(r["Instances"].([]any))))
		}
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []any{}
	}
	return map[string]any{"Reservations": out, "NextToken": next}, nil
}

func terminateInstances(c *api.Call) (map[string]any, error) {
	changes, err := c.Engine.TerminateInstances(ids[model.InstanceID](c.In, "InstanceIds"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"TerminatingInstances": stateChangesOut(changes)}, nil
}

func stateChangesOut(changes []engine.InstanceStateChange) []any {
	out := make([]any, len(changes))
	for i, ch := range changes {
		out[i] = map[string]any{"InstanceId": ch.ID,
			"PreviousState": map[string]any{"Code": ch.Previous.StateCode(), "Name": string(ch.Previous)},
			"CurrentState":  map[string]any{"Code": ch.Current.StateCode(), "Name": string(ch.Current)}}
	}
	return out
}

func stopInstances(c *api.Call) (map[string]any, error) {
	changes, err := c.Engine.StopInstances(ids[model.InstanceID](c.In, "InstanceIds"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"StoppingInstances": stateChangesOut(changes)}, nil
}

func startInstances(c *api.Call) (map[string]any, error) {
	changes, err := c.Engine.StartInstances(ids[model.InstanceID](c.In, "InstanceIds"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"StartingInstances": stateChangesOut(changes)}, nil
}

func rebootInstances(c *api.Call) (map[string]any, error) {
	return nil, c.Engine.RebootInstances(ids[model.InstanceID](c.In, "InstanceIds"))
}

// monitorInstances is MonitorInstances (on) or UnmonitorInstances: the
// answer's state is the transition's, "pending" or "disabling", as AWS
// answers.
func monitorInstances(on bool) func(c *api.Call) (map[string]any, error) {
	return func(c *api.Call) (map[string]any, error) {
		list := ids[model.InstanceID](c.In, "InstanceIds")
		if err := c.Engine.MonitorInstances(list, on); err != nil {
			return nil, err
		}
		state := "disabling"
		if on {
			state = "pending"
		}
		out := make([]any, len(list))
		for k, id := range list {
			out[k] = map[string]any{"InstanceId": id, "Monitoring": map[string]any{"State": state}}
		}
		return map[string]any{"InstanceMonitorings": out}, nil
	}
}

func modifyInstanceAttribute(c *api.Call) (map[string]any, error) {
	in := c.In
	m := engine.ModifyInstanceAttributeInput{ID: model.InstanceID(in.String("InstanceId"))}
	str := func(name string) *string {
		if !in.Has(name) {
			return nil
		}
		v := in.Struct(name).String("Value")
		return &v
	}
	m.InstanceType, m.ShutdownBehavior = str("InstanceType"), str("InstanceInitiatedShutdownBehavior")
	if in.Has("UserData") {
		ud := string(in.Struct("UserData").Blob("Value"))
		m.UserData = &ud
	}
	m.SourceDestCheck, m.DisableAPITermination, m.DisableAPIStop, m.EBSOptimized =
		optBool(in, "SourceDestCheck"), optBool(in, "DisableApiTermination"), optBool(in, "DisableApiStop"), optBool(in, "EbsOptimized")
	if in.Has("Groups") {
		m.Groups = ids[model.SecurityGroupID](in, "Groups")
		if m.Groups == nil {
			m.Groups = []model.SecurityGroupID{}
		}
	}
	for _, b := range in.Structs("BlockDeviceMappings") {
		if e := b.Struct("Ebs"); e != nil && e.Has("DeleteOnTermination") {
			if m.DeleteOnTermination == nil {
				m.DeleteOnTermination = map[string]bool{}
			}
			m.DeleteOnTermination[b.String("DeviceName")] = e.Bool("DeleteOnTermination")
		}
	}
	// The older form: Attribute=instanceType&Value=m5.large.
	if a := in.String("Attribute"); a != "" {
		v := in.String("Value")
		b, berr := strconv.ParseBool(v)
		boolean := func(p **bool) error {
			if berr != nil {
				return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter value is invalid. Expected: 'true' or 'false'.", v)
			}
			*p = &b
			return nil
		}
		var err error
		switch a {
		case "instanceType":
			m.InstanceType = &v
		case "userData":
			// The value is base64 here too; one that is not is taken as it is.
			ud := v
			if b, err := base64.StdEncoding.DecodeString(v); err == nil {
				ud = string(b)
			}
			m.UserData = &ud
		case "instanceInitiatedShutdownBehavior":
			m.ShutdownBehavior = &v
		case "sourceDestCheck":
			err = boolean(&m.SourceDestCheck)
		case "disableApiTermination":
			err = boolean(&m.DisableAPITermination)
		case "disableApiStop":
			err = boolean(&m.DisableAPIStop)
		case "ebsOptimized":
			err = boolean(&m.EBSOptimized)
		case "groupSet":
			m.Groups = []model.SecurityGroupID{model.SecurityGroupID(v)}
		default:
			err = apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid.", a)
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, c.Engine.ModifyInstanceAttribute(m)
}

// instanceChecks is what DescribeInstanceStatus answers for an
// instance's status checks (instance, system and attached EBS alike): the
// summary status and the reachability check's status, "" for none.
type instanceChecks struct{ status, reachability string }

// statusChecks are the checks of instance i: EC2 runs them on a running
// instance only, so a pending one is "initializing" (its checks in
// progress) and a stopping, stopped, shutting-down or terminated one
// "not-applicable" with no check listed; a running one is "initializing"
// for the first minutes after its launch or start
// (engine.StatusChecksInitializing), then passes them, for nothing
// impairs ecsnet's instances.
func statusChecks(e *engine.Engine, i *model.Instance) instanceChecks {
	switch {
	case i.State == model.InstanceRunning && !e.StatusChecksInitializing(i):
		return instanceChecks{"ok", "passed"}
	case i.State == model.InstanceRunning, i.State == model.InstancePending:
		return instanceChecks{"initializing", "initializing"}
	}
	return instanceChecks{"not-applicable", ""}
}

func describeInstanceStatus(c *api.Call) (map[string]any, error) {
	// An empty set is sent as <instanceStatusSet/>, as AWS sends it.
	out := []any{}
	var err error
	c.Engine.Read(func(st *model.State) {
		var items []*model.Instance
		if items, err = byIDs(st.Instances, c.In.Strings("InstanceIds"), func(id string) error {
			return errInstanceNotFound(id)
		}); err != nil {
			return
		}
		all := c.In.Bool("IncludeAllInstances")
		checkStatus := func(i *model.Instance) []string { return []string{statusChecks(c.Engine, i).status} }
		reachability := func(i *model.Instance) []string { return api.One(statusChecks(c.Engine, i).reachability) }
		none := func(*model.Instance) []string { return nil }
		fs := api.FilterSet[*model.Instance]{Attrs: map[string]func(*model.Instance) []string{
			"availability-zone":            func(i *model.Instance) []string { return api.One(i.AvailabilityZone) },
			"instance-state-name":          func(i *model.Instance) []string { return api.One(i.State) },
			"instance-state-code":          func(i *model.Instance) []string { return []string{strconv.Itoa(i.State.StateCode())} },
			"availability-zone-id":         func(i *model.Instance) []string { return subnetZoneID(st, i.SubnetID) },
			"instance-status.status":       checkStatus,
			"system-status.status":         checkStatus,
			"instance-status.reachability": reachability,
			"system-status.reachability":   reachability,
			"attached-ebs-status.status":   checkStatus,
			"event.code":                   none,
			"event.description":            none,
			"event.instance-event-id":      none,
			"event.not-after":              none,
			"event.not-before":             none,
			"event.not-before-deadline":    none,
			"operator.managed":             none,
			"operator.principal":           none,
		}}
		if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
			return
		}
		items = api.SortBy(items, func(i *model.Instance) string { return string(i.ID) })
		for _, i := range items {
			if i.State != model.InstanceRunning && !all {
				continue
			}
			chk := statusChecks(c.Engine, i)
			summary := map[string]any{"Status": chk.status}
			if chk.reachability != "" {
				summary["Details"] = []any{map[string]any{"Name": "reachability", "Status": chk.reachability}}
			}
			out = append(out, map[string]any{
				"InstanceId": i.ID, "AvailabilityZone": i.AvailabilityZone,
				"InstanceState":  map[string]any{"Code": i.State.StateCode(), "Name": string(i.State)},
				"InstanceStatus": summary, "SystemStatus": summary, "AttachedEbsStatus": summary,
			})
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstanceStatuses": out}, nil
}

func describeInstanceAttribute(c *api.Call) (map[string]any, error) {
	id := c.In.String("InstanceId")
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		i := st.Instances[model.InstanceID(id)]
		if i == nil {
			err = errInstanceNotFound(id)
			return
		}
		out = map[string]any{"InstanceId": id}
		switch a := c.In.String("Attribute"); a {
		case "instanceType":
			out["InstanceType"] = map[string]any{"Value": i.Type}
		case "userData":
			v := map[string]any{}
			if i.UserData != "" {
				v["Value"] = base64.StdEncoding.EncodeToString([]byte(i.UserData))
			}
			out["UserData"] = v
		case "groupSet":
			if n := st.NetworkInterfaces[i.PrimaryENI]; n != nil {
				out["Groups"] = groupsOut(st, n.SecurityGroups)
			}
		case "sourceDestCheck":
			v := true
			if n := st.NetworkInterfaces[i.PrimaryENI]; n != nil {
				v = n.SourceDestCheck
			}
			out["SourceDestCheck"] = boolAttr(v)
		case "disableApiTermination", "disableApiStop", "ebsOptimized", "enaSupport", "enclaveOptions":
			switch a {
			case "disableApiTermination":
				out["DisableApiTermination"] = boolAttr(i.DisableAPITermination)
			case "disableApiStop":
				out["DisableApiStop"] = boolAttr(i.DisableAPIStop)
			case "ebsOptimized":
				out["EbsOptimized"] = boolAttr(i.EBSOptimized)
			case "enaSupport":
				out["EnaSupport"] = boolAttr(true)
			case "enclaveOptions":
				out["EnclaveOptions"] = map[string]any{"Enabled": false}
			}
		case "instanceInitiatedShutdownBehavior":
			v := i.ShutdownBehavior
			if v == "" {
				v = "stop"
			}
			out["InstanceInitiatedShutdownBehavior"] = map[string]any{"Value": v}
		case "rootDeviceName":
			out["RootDeviceName"] = map[string]any{"Value": i.RootDeviceName()}
		case "kernel":
			out["KernelId"] = map[string]any{}
		case "ramdisk":
			out["RamdiskId"] = map[string]any{}
		case "blockDeviceMapping":
			out["BlockDeviceMappings"] = blockDeviceMappingsOut(st, i)
		case "productCodes":
			out["ProductCodes"] = []any{}
		case "sriovNetSupport":
			out["SriovNetSupport"] = map[string]any{"Value": "simple"}
		default:
			err = apierr.Newf("InvalidParameterValue", "Value (%s) for parameter attribute is invalid. Unknown attribute.", a)
		}
	})
	return out, err
}

// instanceTypeFacts are what DescribeInstanceTypes derives from a type's
// name and the catalogue (hypervisor, bare metal): Graviton families
// (model.InstanceArchitecture: a1, t4g, c6g, …) are arm64 with one thread
// per core; the previous generation is model.CurrentGeneration's; T2, T3, T3a and T4g are burstable
// (t1 is not); t1, t2 and
// m1 take no CPU options (no valid cores or threads per core).
type instanceTypeFacts struct {
	family            string
	arch              string
	cores, threads    int
	current, burst    bool
	metal, cpuOptions bool
	validThreads      []int
	hypervisor        string
	gpus, neuron      map[string]any
	totalGPUMemoryMiB int
	ipv6              bool
}

func typeFacts(it model.InstanceType) instanceTypeFacts {
	family, _, _ := strings.Cut(it.Name, ".")
	f := instanceTypeFacts{family: family, cores: it.VCPUs, threads: 1, current: model.CurrentGeneration(it.Name),
		burst: family == "t2" || family == "t3" || family == "t3a" || family == "t4g", metal: it.BareMetal, hypervisor: it.Hypervisor}
	switch f.arch = model.InstanceArchitecture(it.Name); {
	case f.arch == "arm64" || f.arch == "arm64_mac":
	case it.VCPUs > 1:
		f.cores, f.threads = it.VCPUs/2, 2
	}
	f.cpuOptions = family != "t1" && family != "t2" && family != "m1"
	// "IPv6 is supported on all current generation instance types and the
	// C3, R3, and I2 previous generation instance types."
	f.ipv6 = f.current || family == "c3" || family == "r3" || family == "i2"
	if f.cpuOptions {
		f.validThreads = []int{1}
		if f.threads == 2 {
			f.validThreads = []int{1, 2}
		}
	}
	f.gpus, f.neuron = accelerators(it.Name)
	return f
}

// accelerators are DescribeInstanceTypes' GpuInfo and NeuronInfo of the
// accelerated types ecsnet knows them for (EC2 User Guide, "Accelerated
// computing instance specifications"): NVIDIA GPUs (V100, T4, A10G, L4,
// L40S, A100, H100), an AMD Radeon Pro V520, and AWS Inferentia2 and
// Trainium devices (NeuronInfo: 2 cores of version 2, 32 GiB each). GPU
// memory is the GPU's nominal size [choice].
func accelerators(name string) (gpus, neuron map[string]any) {
	family, size, _ := strings.Cut(name, ".")
	gpu := func(model, maker string, count, memMiB int) map[string]any {
		return map[string]any{"Gpus": []any{map[string]any{"Name": model, "Manufacturer": maker, "Count": count,
			"MemoryInfo": map[string]any{"SizeInMiB": memMiB}}}, "TotalGpuMemoryInMiB": count * memMiB}
	}
	device := func(model string, count int) map[string]any {
		return map[string]any{"NeuronDevices": []any{map[string]any{"Name": model, "Count": count,
			"CoreInfo":   map[string]any{"Count": 2, "Version": 2},
			"MemoryInfo": map[string]any{"SizeInMiB": 32768}}}, "TotalNeuronDeviceMemoryInMiB": count * 32768}
	}
	// many is the GPU count of the sizes with more than one.
	many := func(counts map[string]int) int {
		if n, ok := counts[size]; ok {
			return n
		}
		return 1
	}
	switch family {
	case "p3":
		if size == "2xlarge" {
			return gpu("V100", "NVIDIA", 1, 16384), nil
		}
	case "g4ad":
		if size == "8xlarge" {
			return gpu("Radeon Pro V520", "AMD", 2, 8192), nil
		}
	case "g4dn":
		return gpu("T4", "NVIDIA", many(map[string]int{"12xlarge": 4, "metal": 8}), 16384), nil
	case "g5":
		return gpu("A10G", "NVIDIA", many(map[string]int{"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}), 24576), nil
	case "g6", "gr6":
		return gpu("L4", "NVIDIA", many(map[string]int{"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}), 24576), nil
	case "g6e":
		return gpu("L40S", "NVIDIA", many(map[string]int{"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}), 49152), nil
	case "p4d":
		return gpu("A100", "NVIDIA", 8, 40960), nil
	case "p4de":
		return gpu("A100", "NVIDIA", 8, 81920), nil
	case "p5":
		return gpu("H100", "NVIDIA", many(map[string]int{"48xlarge": 8}), 81920), nil
	case "inf2":
		return nil, device("Inferentia2", many(map[string]int{"24xlarge": 6, "48xlarge": 12}))
	case "trn1", "trn1n":
		return nil, device("Trainium", many(map[string]int{"32xlarge": 16}))
	}
	return nil, nil
}

// instanceArch is an instance's architecture: its type's
// (model.InstanceArchitecture).
func instanceArch(typ string) string { return model.InstanceArchitecture(typ) }

func instanceTypeOut(it model.InstanceType) map[string]any {
	f := typeFacts(it)
	vcpu := map[string]any{"DefaultVCpus": it.VCPUs, "DefaultCores": f.cores, "DefaultThreadsPerCore": f.threads}
	if f.cpuOptions {
		cores := make([]int, 0, f.cores)
		for c := 1; c <= f.cores; c++ {
			cores = append(cores, c)
		}
		vcpu["ValidCores"], vcpu["ValidThreadsPerCore"] = cores, f.validThreads
	}
	// A type of several network cards lists each (p5.48xlarge: 32 cards of
	// 2 interfaces, 64 in all); IPv6 addresses per interface are as many as
	// IPv4 where the type supports IPv6.
	cards := []any{map[string]any{"NetworkCardIndex": 0, "MaximumNetworkInterfaces": it.MaxENIs}}
	if it.NetworkCards != nil {
		cards = make([]any, len(it.NetworkCards))
		for i, n := range it.NetworkCards {
			cards[i] = map[string]any{"NetworkCardIndex": i, "MaximumNetworkInterfaces": n}
		}
	}
	ipv6PerENI := 0
	if f.ipv6 {
		ipv6PerENI = it.IPv4PerENI
	}
	out := map[string]any{
		"InstanceType": it.Name, "CurrentGeneration": f.current, "FreeTierEligible": it.Name == "t2.micro" || it.Name == "t3.micro",
		"SupportedUsageClasses": []string{"on-demand", "spot"}, "SupportedRootDeviceTypes": []string{"ebs"},
		"SupportedVirtualizationTypes": []string{"hvm"}, "BareMetal": f.metal, "BurstablePerformanceSupported": f.burst,
		"ProcessorInfo":            map[string]any{"SupportedArchitectures": []string{f.arch}},
		"VCpuInfo":                 vcpu,
		"MemoryInfo":               map[string]any{"SizeInMiB": it.MemoryMiB},
		"InstanceStorageSupported": false,
		"NetworkInfo": map[string]any{
			"MaximumNetworkInterfaces": it.MaxNetworkInterfaces(), "Ipv4AddressesPerInterface": it.IPv4PerENI, "Ipv6AddressesPerInterface": ipv6PerENI,
			"Ipv6Supported": f.ipv6, "EnaSupport": "required", "MaximumNetworkCards": len(cards), "DefaultNetworkCardIndex": 0,
			"NetworkCards":       cards,
			"NetworkPerformance": "Up to 10 Gigabit", "EfaSupported": false, "EncryptionInTransitSupported": false,
		},
		"HibernationSupported": !f.metal, "DedicatedHostsSupported": !f.burst, "AutoRecoverySupported": true,
		"SupportedBootModes": []string{"legacy-bios", "uefi"}, "SupportedInRegion": true,
	}
	if f.arch == "arm64" {
		out["SupportedBootModes"] = []string{"uefi"}
	}
	if !f.metal {
		out["Hypervisor"] = f.hypervisor
	}
	if f.gpus != nil {
		out["GpuInfo"] = f.gpus
	}
	if f.neuron != nil {
		out["NeuronInfo"] = f.neuron
	}
	return out
}

func describeInstanceTypes(c *api.Call) (map[string]any, error) {
	all := model.InstanceTypes()
	items := all
	if want := c.In.Strings("InstanceTypes"); len(want) > 0 {
		items = nil
		var missing []string
		for _, w := range want {
			it, ok := model.LookupInstanceType(w)
			if !ok {
				missing = append(missing, w)
				continue
			}
			items = append(items, it)
		}
		if len(missing) > 0 {
			return nil, apierr.Newf("InvalidInstanceType", "The following supplied instance types do not exist: [%s]", strings.Join(missing, ", "))
		}
	}
	num := func(f func(model.InstanceType) int) func(model.InstanceType) []string {
		return func(it model.InstanceType) []string { return []string{strconv.Itoa(f(it))} }
	}
	fs := api.FilterSet[model.InstanceType]{Attrs: map[string]func(model.InstanceType) []string{
		"instance-type":                             func(it model.InstanceType) []string { return []string{it.Name} },
		"vcpu-info.default-vcpus":                   num(func(it model.InstanceType) int { return it.VCPUs }),
		"memory-info.size-in-mib":                   num(func(it model.InstanceType) int { return it.MemoryMiB }),
		"network-info.maximum-network-interfaces":   num(func(it model.InstanceType) int { return it.MaxNetworkInterfaces() }),
		"network-info.ipv4-addresses-per-interface": num(func(it model.InstanceType) int { return it.IPv4PerENI }),
		"processor-info.supported-architecture":     func(it model.InstanceType) []string { return []string{typeFacts(it).arch} },
		"current-generation":                        func(it model.InstanceType) []string { return api.Bool(typeFacts(it).current) },
		"bare-metal":                                func(it model.InstanceType) []string { return api.Bool(typeFacts(it).metal) },
		"burstable-performance-supported":           func(it model.InstanceType) []string { return api.Bool(typeFacts(it).burst) },
		"vcpu-info.default-cores":                   num(func(it model.InstanceType) int { return typeFacts(it).cores }),
		"vcpu-info.default-threads-per-core":        num(func(it model.InstanceType) int { return typeFacts(it).threads }),
		"vcpu-info.valid-threads-per-core": func(it model.InstanceType) []string {
			var out []string
			for _, n := range typeFacts(it).validThreads {
				out = append(out, strconv.Itoa(n))
			}
			return out
		},
		"hypervisor":                    func(it model.InstanceType) []string { return []string{typeFacts(it).hypervisor} },
		"free-tier-eligible":            func(it model.InstanceType) []string { return api.Bool(it.Name == "t2.micro" || it.Name == "t3.micro") },
		"supported-usage-class":         func(model.InstanceType) []string { return []string{"on-demand", "spot"} },
		"supported-root-device-type":    func(model.InstanceType) []string { return []string{"ebs"} },
		"supported-virtualization-type": func(model.InstanceType) []string { return []string{"hvm"} },
	}}
	// The other names the reference lists compare the answered fields
	// (instanceTypeOut); a field ecsnet does not answer (EBS and instance
	// store details, EFA, Nitro Enclaves and NitroTPM, …) matches none.
	for _, name := range documentedInstanceTypeFilters {
		if fs.Attrs[name] == nil {
			fs.Attrs[name] = func(it model.InstanceType) []string { return answeredValues(instanceTypeOut(it), name) }
		}
	}
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	// EC2 pages this answer even without MaxResults: at most 100 types a
	// page (the model's maximum), so a client that reads one answer misses
	// most of the catalogue, as on AWS.
	key := func(it model.InstanceType) string { return it.Name }
	items, next, err := pageDefault(c.In, items, key, 5, 100, 100)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = instanceTypeOut(it)
	}
	return map[string]any{"InstanceTypes": out, "NextToken": next}, nil
}

// launchTemplateData reads a RequestLaunchTemplateData.
func launchTemplateData(d awsproto.Params) (model.LaunchTemplateData, error) {
	out := model.LaunchTemplateData{
		ImageID: d.String("ImageId"), InstanceType: d.String("InstanceType"), KeyName: d.String("KeyName"),
		SecurityGroupIDs: ids[model.SecurityGroupID](d, "SecurityGroupIds"), SecurityGroupNames: d.Strings("SecurityGroups"),
		UserData: d.String("UserData"), KernelID: d.String("KernelId"), RAMDiskID: d.String("RamDiskId"),
	}
	if p := d.Struct("IamInstanceProfile"); p != nil {
		out.IAMProfileARN, out.IAMProfileName = p.String("Arn"), p.String("Name")
	}
	out.Monitoring = boolParam(d.Struct("Monitoring"), "Enabled")
	out.DisableAPITermination, out.DisableAPIStop = boolParam(d, "DisableApiTermination"), boolParam(d, "DisableApiStop")
	out.EbsOptimized = boolParam(d, "EbsOptimized")
	if p := d.Struct("Placement"); p.String("GroupName") != "" || p.Int("PartitionNumber") != 0 || p.String("AvailabilityZone") != "" {
		out.Placement = &model.LaunchTemplatePlacement{GroupName: p.String("GroupName"), PartitionNumber: int(p.Int("PartitionNumber")),
			AvailabilityZone: p.String("AvailabilityZone")}
	}
	out.InstanceInitiatedShutdownBehavior = d.String("InstanceInitiatedShutdownBehavior")
	if o := d.Struct("CpuOptions"); o != nil {
		out.CPUCoreCount, out.CPUThreadsPerCore = o.OptInt("CoreCount"), o.OptInt("ThreadsPerCore")
	}
	out.Hibernation = boolParam(d.Struct("HibernationOptions"), "Configured")
	out.Enclave = boolParam(d.Struct("EnclaveOptions"), "Enabled")
	if o := d.Struct("CapacityReservationSpecification"); o != nil {
		out.CapacityReservationPreference = o.String("CapacityReservationPreference")
	}
	if cs := d.Struct("CreditSpecification"); cs != nil {
		out.CPUCredits = cs.String("CpuCredits")
	}
	if p := d.Struct("PrivateDnsNameOptions"); p != nil {
		out.PrivateDNSName = &model.LaunchTemplatePrivateDNSNameOptions{HostnameType: p.String("HostnameType"),
			EnableResourceNameA: boolParam(p, "EnableResourceNameDnsARecord"), EnableResourceNameAAAA: boolParam(p, "EnableResourceNameDnsAAAARecord")}
	}
	spot, err := spotMarketOptions(d.Struct("InstanceMarketOptions"))
	if err != nil {
		return out, err
	}
	if so := d.Struct("InstanceMarketOptions").Struct("SpotOptions"); spot != nil && so == nil {
		spot.OptionsOmitted = true
	} else if spot != nil && !so.Has("InstanceInterruptionBehavior") {
		spot.InterruptionOmitted = true
	}
	out.Spot = spot
	if m := d.Struct("MetadataOptions"); m != nil {
		out.Metadata = &model.LaunchTemplateMetadataOptions{HTTPTokens: m.String("HttpTokens"), HTTPEndpoint: m.String("HttpEndpoint"),
			HTTPProtocolIPv6: m.String("HttpProtocolIpv6"), InstanceMetadataTags: m.String("InstanceMetadataTags"), HopLimit: m.OptInt("HttpPutResponseHopLimit")}
	}
	for _, ni := range d.Structs("NetworkInterfaces") {
		x := model.LaunchTemplateNetworkInterface{DeviceIndex: int(ni.Int("DeviceIndex")), SubnetID: model.SubnetID(ni.String("SubnetId")),
			Groups: ids[model.SecurityGroupID](ni, "Groups"), IPv6AddressCount: int(ni.Int("Ipv6AddressCount")),
			NetworkInterfaceID: model.NetworkInterfaceID(ni.String("NetworkInterfaceId")), InterfaceType: ni.String("InterfaceType"),
			SecondaryPrivateIPAddressCount: int(ni.Int("SecondaryPrivateIpAddressCount"))}
		if _, _, err := privateIPSpecs(ni.String("PrivateIpAddress"), ni.Structs("PrivateIpAddresses")); err != nil {
			return out, err
		}
		x.PrivateIPAddress = ni.String("PrivateIpAddress")
		for _, p := range ni.Structs("PrivateIpAddresses") {
			x.PrivateIPAddresses = append(x.PrivateIPAddresses, model.LaunchTemplatePrivateIP{Address: p.String("PrivateIpAddress"), Primary: p.Bool("Primary")})
		}
		for _, a := range ni.Structs("Ipv6Addresses") {
			x.IPv6Addresses = append(x.IPv6Addresses, a.String("Ipv6Address"))
		}
		if len(x.IPv6Addresses) > 0 && x.IPv6AddressCount > 0 {
			return out, apierr.New("InvalidParameterCombination", "IPv6 addresses and IPv6 address count may not be specified on the same request")
		}
		if ni.Has("AssociatePublicIpAddress") {
			v := ni.Bool("AssociatePublicIpAddress")
			x.AssociatePublicIPAddress = &v
		}
		if ni.Has("DeleteOnTermination") {
			v := ni.Bool("DeleteOnTermination")
			x.DeleteOnTermination = &v
		}
		out.NetworkInterfaces = append(out.NetworkInterfaces, x)
	}
	for _, ts := range d.Structs("TagSpecifications") {
		rt := ts.String("ResourceType")
		switch rt {
		case "instance", "volume", "network-interface", "spot-instances-request":
		default:
			return out, apierr.Newf("InvalidParameterValue", "'%s' is not a valid taggable resource type for this operation.", rt)
		}
		out.TagSpecifications = append(out.TagSpecifications, model.LaunchTemplateTagSpec{ResourceType: rt, Tags: api.KeyValues(ts.Structs("Tags"), "Key", "Value")})
	}
	out.BlockDevices = lcBlockDevices(d.Structs("BlockDeviceMappings"))
	return out, nil
}

func launchTemplateDataOut(d model.LaunchTemplateData) map[string]any {
	out := map[string]any{"ImageId": api.Str(d.ImageID), "InstanceType": api.Str(d.InstanceType), "KeyName": api.Str(d.KeyName),
		"UserData": api.Str(d.UserData), "KernelId": api.Str(d.KernelID), "RamDiskId": api.Str(d.RAMDiskID)}
	if d.Placement != nil {
		out["Placement"] = launchTemplatePlacementOut(d.Placement)
	}
	if len(d.SecurityGroupIDs) > 0 {
		out["SecurityGroupIds"] = api.Strs(d.SecurityGroupIDs)
	}
	if len(d.SecurityGroupNames) > 0 {
		out["SecurityGroups"] = d.SecurityGroupNames
	}
	if d.Monitoring != nil {
		out["Monitoring"] = map[string]any{"Enabled": *d.Monitoring}
	}
	if d.DisableAPITermination != nil {
		out["DisableApiTermination"] = *d.DisableAPITermination
	}
	if d.DisableAPIStop != nil {
		out["DisableApiStop"] = *d.DisableAPIStop
	}
	if d.EbsOptimized != nil {
		out["EbsOptimized"] = *d.EbsOptimized
	}
	if d.InstanceInitiatedShutdownBehavior != "" {
		out["InstanceInitiatedShutdownBehavior"] = d.InstanceInitiatedShutdownBehavior
	}
	if d.CPUCredits != "" {
		out["CreditSpecification"] = map[string]any{"CpuCredits": d.CPUCredits}
	}
	if d.CPUCoreCount != nil || d.CPUThreadsPerCore != nil {
		co := map[string]any{}
		if d.CPUCoreCount != nil {
			co["CoreCount"] = *d.CPUCoreCount
		}
		if d.CPUThreadsPerCore != nil {
			co["ThreadsPerCore"] = *d.CPUThreadsPerCore
		}
		out["CpuOptions"] = co
	}
	if d.Hibernation != nil {
		out["HibernationOptions"] = map[string]any{"Configured": *d.Hibernation}
	}
	if d.Enclave != nil {
		out["EnclaveOptions"] = map[string]any{"Enabled": *d.Enclave}
	}
	if d.CapacityReservationPreference != "" {
		out["CapacityReservationSpecification"] = map[string]any{"CapacityReservationPreference": d.CapacityReservationPreference}
	}
	if p := d.PrivateDNSName; p != nil {
		po := map[string]any{"HostnameType": api.Str(p.HostnameType)}
		if p.EnableResourceNameA != nil {
			po["EnableResourceNameDnsARecord"] = *p.EnableResourceNameA
		}
		if p.EnableResourceNameAAAA != nil {
			po["EnableResourceNameDnsAAAARecord"] = *p.EnableResourceNameAAAA
		}
		out["PrivateDnsNameOptions"] = po
	}
	if d.Spot != nil && d.Spot.OptionsOmitted {
		out["InstanceMarketOptions"] = map[string]any{"MarketType": "spot"}
	} else if d.Spot != nil {
		typ := "one-time"
		if d.Spot.Persistent {
			typ = "persistent"
		}
		so := map[string]any{"SpotInstanceType": typ}
		if !d.Spot.InterruptionOmitted {
			so["InstanceInterruptionBehavior"] = d.Spot.Interruption
		}
		if d.Spot.MaxPrice != "" {
			so["MaxPrice"] = d.Spot.MaxPrice
		}
		out["InstanceMarketOptions"] = map[string]any{"MarketType": "spot", "SpotOptions": so}
	}
	if m := d.Metadata; m != nil {
		// The options as given, no defaults filled in (LaunchTemplateInstanceMetadataOptions).
		mo := map[string]any{"HttpTokens": api.Str(m.HTTPTokens), "HttpEndpoint": api.Str(m.HTTPEndpoint),
			"HttpProtocolIpv6": api.Str(m.HTTPProtocolIPv6), "InstanceMetadataTags": api.Str(m.InstanceMetadataTags)}
		if m.HopLimit != nil {
			mo["HttpPutResponseHopLimit"] = *m.HopLimit
		}
		out["MetadataOptions"] = mo
	}
	if d.IAMProfileARN != "" || d.IAMProfileName != "" {
		out["IamInstanceProfile"] = map[string]any{"Arn": api.Str(d.IAMProfileARN), "Name": api.Str(d.IAMProfileName)}
	}
	if len(d.NetworkInterfaces) > 0 {
		nis := make([]any, len(d.NetworkInterfaces))
		for i, ni := range d.NetworkInterfaces {
			x := map[string]any{"DeviceIndex": ni.DeviceIndex, "SubnetId": api.Str(ni.SubnetID), "AssociatePublicIpAddress": ni.AssociatePublicIPAddress,
				"DeleteOnTermination": ni.DeleteOnTermination}
			if len(ni.Groups) > 0 {
				x["Groups"] = api.Strs(ni.Groups)
			}
			if ni.IPv6AddressCount > 0 {
				x["Ipv6AddressCount"] = ni.IPv6AddressCount
			}
			if ni.SecondaryPrivateIPAddressCount > 0 {
				x["SecondaryPrivateIpAddressCount"] = ni.SecondaryPrivateIPAddressCount
			}
			if ni.NetworkInterfaceID != "" {
				x["NetworkInterfaceId"] = string(ni.NetworkInterfaceID)
			}
			if ni.InterfaceType != "" {
				x["InterfaceType"] = ni.InterfaceType
			}
			if ni.PrivateIPAddress != "" {
				x["PrivateIpAddress"] = ni.PrivateIPAddress
			}
			if len(ni.PrivateIPAddresses) > 0 {
				ps := make([]any, len(ni.PrivateIPAddresses))
				for j, p := range ni.PrivateIPAddresses {
					ps[j] = map[string]any{"PrivateIpAddress": p.Address, "Primary": p.Primary}
				}
				x["PrivateIpAddresses"] = ps
			}
			if len(ni.IPv6Addresses) > 0 {
				as := make([]any, len(ni.IPv6Addresses))
				for j, a := range ni.IPv6Addresses {
					as[j] = map[string]any{"Ipv6Address": a}
				}
				x["Ipv6Addresses"] = as
			}
			nis[i] = x
		}
		out["NetworkInterfaces"] = nis
	}
	if len(d.BlockDevices) > 0 {
		out["BlockDeviceMappings"] = lcBlockDevicesOut(d.BlockDevices)
	}
	if len(d.TagSpecifications) > 0 {
		specs := make([]any, len(d.TagSpecifications))
		for i, ts := range d.TagSpecifications {
			specs[i] = map[string]any{"ResourceType": ts.ResourceType, "Tags": api.EC2Tags(ts.Tags)}
		}
		out["TagSpecifications"] = specs
	}
	return out
}

// rootARN is the ARN of the caller's account root, in its region's
// partition: who created a launch template and its versions.
func rootARN(c *api.Call) string { return model.GlobalARN(c.Region, "iam", c.Account, "root") }

func launchTemplateOut(root string, lt *model.LaunchTemplate) map[string]any {
	return map[string]any{
		"LaunchTemplateId": lt.ID, "LaunchTemplateName": lt.Name, "CreateTime": api.Time(lt.CreatedAt),
		"CreatedBy": root, "DefaultVersionNumber": lt.DefaultVersion,
		"LatestVersionNumber": lt.Versions[len(lt.Versions)-1].Number, "Tags": api.EC2Tags(lt.Tags),
	}
}

func versionOut(root string, lt *model.LaunchTemplate, v model.LaunchTemplateVersion) map[string]any {
	return map[string]any{
		"LaunchTemplateId": lt.ID, "LaunchTemplateName": lt.Name, "VersionNumber": v.Number, "VersionDescription": api.Str(v.Description),
		"CreateTime": api.Time(v.CreatedAt), "CreatedBy": root, "DefaultVersion": v.Number == lt.DefaultVersion,
		"LaunchTemplateData": launchTemplateDataOut(v.Data),
	}
}

func templateRef(in awsproto.Params) model.LaunchTemplateRef {
	return model.LaunchTemplateRef{ID: model.LaunchTemplateID(in.String("LaunchTemplateId")), Name: in.String("LaunchTemplateName")}
}

func createLaunchTemplate(c *api.Call) (map[string]any, error) {
	tags, err := api.TagSpecs(c.In, "launch-template")
	if err != nil {
		return nil, err
	}
	d, err := launchTemplateData(c.In.Struct("LaunchTemplateData"))
	if err != nil {
		return nil, err
	}
	lt, err := c.Engine.CreateLaunchTemplate(engine.CreateLaunchTemplateInput{Name: c.In.String("LaunchTemplateName"),
		Description: c.In.String("VersionDescription"), Data: d, Tags: tags})
	if err != nil {
		return nil, err
	}
	return map[string]any{"LaunchTemplate": launchTemplateOut(rootARN(c), lt)}, nil
}

func createLaunchTemplateVersion(c *api.Call) (map[string]any, error) {
	ref := templateRef(c.In)
	if ref.ID == "" && ref.Name == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter launchTemplateName or launchTemplateId")
	}
	d, err := launchTemplateData(c.In.Struct("LaunchTemplateData"))
	if err != nil {
		return nil, err
	}
	lt, num, err := c.Engine.CreateLaunchTemplateVersion(ref, c.In.String("VersionDescription"), c.In.String("SourceVersion"), d)
	if err != nil {
		return nil, err
	}
	for _, v := range lt.Versions {
		if v.Number == num {
			return map[string]any{"LaunchTemplateVersion": versionOut(rootARN(c), lt, v)}, nil
		}
	}
	return nil, apierr.Internal()
}

func modifyLaunchTemplate(c *api.Call) (map[string]any, error) {
	ref := templateRef(c.In)
	lt, err := c.Engine.ModifyLaunchTemplate(ref, c.In.String("DefaultVersion"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"LaunchTemplate": launchTemplateOut(rootARN(c), lt)}, nil
}

func deleteLaunchTemplate(c *api.Call) (map[string]any, error) {
	lt, err := c.Engine.DeleteLaunchTemplate(templateRef(c.In))
	if err != nil {
		return nil, err
	}
	return map[string]any{"LaunchTemplate": launchTemplateOut(rootARN(c), lt)}, nil
}

func deleteLaunchTemplateVersions(c *api.Call) (map[string]any, error) {
	results, err := c.Engine.DeleteLaunchTemplateVersions(templateRef(c.In), c.In.Strings("Versions"))
	if err != nil {
		return nil, err
	}
	deleted, failed := []any{}, []any{}
	for _, r := range results {
		item := map[string]any{"LaunchTemplateId": api.Str(string(r.TemplateID)), "LaunchTemplateName": api.Str(r.TemplateName),
			"VersionNumber": r.Version}
		if r.Code == "" {
			deleted = append(deleted, item)
			continue
		}
		item["ResponseError"] = map[string]any{"Code": r.Code, "Message": r.Message}
		failed = append(failed, item)
	}
	return map[string]any{"SuccessfullyDeletedLaunchTemplateVersions": deleted, "UnsuccessfullyDeletedLaunchTemplateVersions": failed}, nil
}

func describeLaunchTemplates(c *api.Call) (map[string]any, error) {
	var items []*model.LaunchTemplate
	var err error
	c.Engine.Read(func(st *model.State) {
		items, err = byIDs(st.LaunchTemplates, c.In.Strings("LaunchTemplateIds"), func(id string) error {
			return apierr.Newf("InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID %s, does not exist.", id)
		})
		if err != nil {
			return
		}
		if names := c.In.Strings("LaunchTemplateNames"); len(names) > 0 {
			var keep []*model.LaunchTemplate
			for _, n := range names {
				found := false
				for _, lt := range items {
					if lt.Name == n {
						keep, found = append(keep, lt), true
					}
				}
				if !found {
					err = apierr.New("InvalidLaunchTemplateName.NotFoundException", "At least one of the launch templates specified in the request does not exist.")
					return
				}
			}
			items = keep
		}
	})
	if err != nil {
		return nil, err
	}
	fs := api.FilterSet[*model.LaunchTemplate]{
		Tags: func(lt *model.LaunchTemplate) model.Tags { return lt.Tags },
		Attrs: map[string]func(*model.LaunchTemplate) []string{
			"launch-template-name": func(lt *model.LaunchTemplate) []string { return []string{lt.Name} },
			"create-time": func(lt *model.LaunchTemplate) []string {
				return []string{lt.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")}
			},
		},
	}
	if items, err = fs.Apply(items, api.Filters(c.In)); err != nil {
		return nil, err
	}
	var next any
	named := len(c.In.Strings("LaunchTemplateIds")) > 0 || len(c.In.Strings("LaunchTemplateNames")) > 0
	if !named || c.In.Has("MaxResults") || c.In.Has("NextToken") {
		// In creation order, ties by id ([choice]: AWS documents no order).
		key := func(lt *model.LaunchTemplate) string {
			return fmt.Sprintf("%020d-%s", lt.CreatedAt.UnixNano(), lt.ID)
		}
		if items, next, err = page(c.In, items, key, 1, 200); err != nil {
			return nil, err
		}
	}
	// Templates asked for by id or name come in the order asked.
	out := make([]any, len(items))
	for i, lt := range items {
		out[i] = launchTemplateOut(rootARN(c), lt)
	}
	return map[string]any{"LaunchTemplates": out, "NextToken": next}, nil
}

// errAllTemplatesVersions is EC2's answer to a DescribeLaunchTemplateVersions
// that names no template and asks for more than $Latest and $Default.
const errAllTemplatesVersions = "To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘$Latest’, ‘$Default’, or both, and omit ‘--launch-template-id’, ‘--launch-template-name’, and version numbers. To describe the launch template data for a specific launch template, specify ‘--launch-template-id’ or ‘--launch-template-name’, and for ‘--versions’ specify one or more of the following values: ‘$Latest’, ‘$Default’, or one or more version numbers."

// allTemplatesVersions answers DescribeLaunchTemplateVersions without a
// template: the $Latest and/or $Default version of every template.
func allTemplatesVersions(c *api.Call) (map[string]any, error) {
	want := c.In.Strings("Versions")
	if len(want) == 0 {
		return nil, apierr.New("MissingParameter", errAllTemplatesVersions)
	}
	latest, dflt := false, false
	for _, w := range want {
		switch strings.ToLower(w) {
		case "$latest":
			latest = true
		case "$default":
			dflt = true
		default:
			return nil, apierr.New("InvalidParameterValue", errAllTemplatesVersions)
		}
	}
	type version struct {
		lt *model.LaunchTemplate
		v  model.LaunchTemplateVersion
	}
	var versions []version
	c.Engine.Read(func(st *model.State) {
		for _, lt := range api.SortBy(slices.Collect(maps.Values(st.LaunchTemplates)), func(lt *model.LaunchTemplate) string { return string(lt.ID) }) {
			last := lt.Versions[len(lt.Versions)-1]
			for _, v := range lt.Versions {
				if (latest && v.Number == last.Number) || (dflt && v.Number == lt.DefaultVersion) {
					versions = append(versions, version{lt, v})
				}
			}
		}
	})
	// Paged as a template's versions are (MaxResults 1–200), in
	// template id, then version, order.
	key := func(x version) string { return string(x.lt.ID) + "/" + strconv.Itoa(1e9+x.v.Number) }
	versions, next, err := page(c.In, versions, key, 1, 200)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(versions))
	for i, x := range versions {
		out[i] = versionOut(rootARN(c), x.lt, x.v)
	}
	return map[string]any{"LaunchTemplateVersions": out, "NextToken": next}, nil
}

func describeLaunchTemplateVersions(c *api.Call) (map[string]any, error) {
	ref := templateRef(c.In)
	if ref.ID == "" && ref.Name == "" {
		return allTemplatesVersions(c)
	}
	var lt *model.LaunchTemplate
	c.Engine.Read(func(st *model.State) {
		for _, x := range st.LaunchTemplates {
			if (ref.ID != "" && x.ID == ref.ID) || (ref.ID == "" && x.Name == ref.Name) {
				lt = x
			}
		}
	})
	if lt == nil {
		if ref.ID == "" && ref.Name == "" {
			return nil, apierr.New("MissingParameter", "The request must contain the parameter launchTemplateName or launchTemplateId")
		}
		if ref.ID != "" {
			return nil, apierr.Newf("InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID %s, does not exist.", ref.ID)
		}
		return nil, apierr.Newf("InvalidLaunchTemplateName.NotFoundException", "The specified launch template, with template name %s, does not exist.", ref.Name)
	}
	versions := lt.Versions
	if want := c.In.Strings("Versions"); len(want) > 0 {
		versions = nil
		for _, w := range want {
			v, ok := lt.Version(w)
			if !ok {
				return nil, apierr.Newf("InvalidLaunchTemplateId.VersionNotFound", "Could not find the specified version %s for the launch template with ID %s.", w, lt.ID)
			}
			versions = append(versions, v)
		}
	}
	if s := c.In.String("MinVersion"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			versions = slices.DeleteFunc(slices.Clone(versions), func(v model.LaunchTemplateVersion) bool { return v.Number < n })
		}
	}
	if s := c.In.String("MaxVersion"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			versions = slices.DeleteFunc(slices.Clone(versions), func(v model.LaunchTemplateVersion) bool { return v.Number > n })
		}
	}
	type LV = model.LaunchTemplateVersion
	vfs := api.FilterSet[LV]{Attrs: map[string]func(LV) []string{
		"is-default-version": func(v LV) []string { return api.Bool(v.Number == lt.DefaultVersion) },
		"image-id":           func(v LV) []string { return []string{v.Data.ImageID} },
		"instance-type":      func(v LV) []string { return []string{v.Data.InstanceType} },
		"key-name":           func(v LV) []string { return []string{v.Data.KeyName} },
		"create-time":        func(v LV) []string { return []string{v.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")} },
	}}
	versions, err := vfs.Apply(versions, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(v model.LaunchTemplateVersion) string { return strconv.Itoa(1e9 + v.Number) }
	versions, next, err := page(c.In, versions, key, 1, 200)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(versions))
	for i, v := range versions {
		out[i] = versionOut(rootARN(c), lt, v)
	}
	return map[string]any{"LaunchTemplateVersions": out, "NextToken": next}, nil
}

// blockDeviceMappingsOut lists the volumes attached to an instance.
func blockDeviceMappingsOut(st *model.State, i *model.Instance) []any {
	out := []any{}
	if i.State == model.InstanceTerminated {
		return out
	}
	for _, id := range i.Volumes {
		v := st.Volumes[id]
		if v == nil || v.Attachment == nil {
			continue
		}
		out = append(out, map[string]any{"DeviceName": v.Attachment.Device, "Ebs": map[string]any{"VolumeId": v.ID, "Status": "attached",
			"AttachTime": api.Time(ebsTime(v.Attachment.AttachedAt)), "DeleteOnTermination": v.Attachment.DeleteOnTermination}})
	}
	return out
}

// describeInstanceTypeOfferings lists where each instance type is offered:
// ecsnet offers every type it knows in the region and in each of its
// zones.
func describeInstanceTypeOfferings(c *api.Call) (map[string]any, error) {
	type offering struct{ typ, loc, locType string }
	locType := c.In.String("LocationType")
	if locType == "" {
		locType = "region"
	}
	var locs []string
	switch locType {
	case "region":
		locs = []string{c.Region}
	case "availability-zone", "availability-zone-id":
		for _, z := range c.Engine.AvailabilityZones() {
			if locType == "availability-zone" {
				locs = append(locs, z.Name)
			} else {
				locs = append(locs, z.ID)
			}
		}
	default:
		return nil, apierr.Newf("InvalidParameterValue", "Value (%s) for parameter locationType is invalid. Valid values are region, availability-zone, availability-zone-id, outpost.", locType)
	}
	var items []offering
	for _, it := range model.InstanceTypes() {
		for _, l := range locs {
			items = append(items, offering{it.Name, l, locType})
		}
	}
	fs := api.FilterSet[offering]{Attrs: map[string]func(offering) []string{
		"instance-type": func(o offering) []string { return []string{o.typ} },
		"location":      func(o offering) []string { return []string{o.loc} },
	}}
	items, err := fs.Apply(items, api.Filters(c.In))
	if err != nil {
		return nil, err
	}
	key := func(o offering) string { return o.loc + "\x00" + o.typ }
	items, next, err := pageDefault(c.In, items, key, 5, 1000, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(items))
	for i, o := range items {
		out[i] = map[string]any{"InstanceType": o.typ, "Location": o.loc, "LocationType": o.locType}
	}
	return map[string]any{"InstanceTypeOfferings": out, "NextToken": next}, nil
}

// getLaunchTemplateData returns launch template data that launches an
// instance like the one given: its image, type, key, groups, user data,
// profile, primary interface and its tags (without the aws: ones, which a
// template cannot carry).
func getLaunchTemplateData(c *api.Call) (map[string]any, error) {
	id := model.InstanceID(c.In.String("InstanceId"))
	if id == "" {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter InstanceId")
	}
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		i := st.Instances[id]
		if i == nil {
			err = errInstanceNotFound(id)
			return
		}
		d := model.LaunchTemplateData{ImageID: i.ImageID, InstanceType: i.Type, KeyName: i.KeyName}
		if i.UserData != "" {
			d.UserData = base64.StdEncoding.EncodeToString([]byte(i.UserData))
		}
		if strings.HasPrefix(i.IAMProfile, "arn:") {
			d.IAMProfileARN = i.IAMProfile
		} else {
			d.IAMProfileName = i.IAMProfile
		}
		if n := st.NetworkInterfaces[i.PrimaryENI]; n != nil {
			ni := model.LaunchTemplateNetworkInterface{DeviceIndex: 0, SubnetID: n.SubnetID, Groups: slices.Clone(n.SecurityGroups)}
			_, pub := n.PublicIP()
			ni.AssociatePublicIPAddress = &pub
			if n.Attachment != nil {
				dot := n.Attachment.DeleteOnTermination
				ni.DeleteOnTermination = &dot
			}
			d.NetworkInterfaces = []model.LaunchTemplateNetworkInterface{ni}
		}
		tags := model.Tags{}
		for k, v := range i.Tags {
			if !strings.HasPrefix(k, "aws:") {
				tags[k] = v
			}
		}
		if len(tags) > 0 {
			d.TagSpecifications = []model.LaunchTemplateTagSpec{{ResourceType: "instance", Tags: tags}}
		}
		data := launchTemplateDataOut(d)
		if data["TagSpecifications"] == nil {
			data["TagSpecifications"] = []any{}
		}
		data["EbsOptimized"] = i.EBSOptimized
		data["Placement"] = map[string]any{"AvailabilityZone": i.AvailabilityZone, "GroupName": i.PlacementGroup, "Tenancy": "default"}
		data["Monitoring"] = map[string]any{"Enabled": i.Monitoring}
		data["DisableApiTermination"] = i.DisableAPITermination
		data["DisableApiStop"] = i.DisableAPIStop
		shutdown := i.ShutdownBehavior
		if shutdown == "" {
			shutdown = "stop"
		}
		data["InstanceInitiatedShutdownBehavior"] = shutdown
		out = map[string]any{"LaunchTemplateData": data}
	})
	return out, err
}

func metadataInput(m awsproto.Params) *engine.MetadataOptionsInput {
	return &engine.MetadataOptionsInput{HTTPTokens: m.String("HttpTokens"), HTTPEndpoint: m.String("HttpEndpoint"),
		HTTPProtocolIPv6: m.String("HttpProtocolIpv6"), InstanceMetadataTags: m.String("InstanceMetadataTags"), HopLimit: int(m.Int("HttpPutResponseHopLimit"))}
}

func metadataOptionsOut(i *model.Instance, state string) map[string]any {
	m := model.DefaultMetadataOptions()
	if i.Metadata != nil {
		m = *i.Metadata
	}
	return map[string]any{"State": state, "HttpTokens": m.HTTPTokens, "HttpPutResponseHopLimit": m.HopLimit, "HttpEndpoint": m.HTTPEndpoint,
		"HttpProtocolIpv6": m.HTTPProtocolIPv6, "InstanceMetadataTags": m.InstanceMetadataTags}
}

// modifyInstanceMetadataOptions answers with the options "pending": EC2
// applies them shortly after (DescribeInstances shows "applied").
func modifyInstanceMetadataOptions(c *api.Call) (map[string]any, error) {
	id := model.InstanceID(c.In.String("InstanceId"))
	m, err := c.Engine.ModifyInstanceMetadataOptions(id, *metadataInput(c.In))
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstanceId": id, "InstanceMetadataOptions": metadataOptionsOut(&model.Instance{Metadata: &m}, "pending")}, nil
}

// instanceProfileOut is an instance's IamInstanceProfile: the profile's ARN
// (with its path) and id when IAM in this region's state holds it, else the
// ARN the name makes (templates and scenarios name profiles ecsnet does not
// create).
func instanceProfileOut(c *api.Call, st *model.State, i *model.Instance) map[string]any {
	ref := i.IAMProfile
	if i.IAMAssociation != nil && i.IAMAssociation.ProfileID != "" {
		return map[string]any{"Arn": ref, "Id": i.IAMAssociation.ProfileID}
	}
	name := ref
	if strings.HasPrefix(ref, "arn:") {
		name = ref[strings.LastIndexByte(ref, '/')+1:]
	}
	if p := st.InstanceProfiles[name]; p != nil {
		return map[string]any{"Arn": c.Engine.InstanceProfileARN(p), "Id": p.ID}
	}
	if !strings.HasPrefix(ref, "arn:") {
		ref = model.GlobalARN(c.Region, "iam", c.Account, "instance-profile/"+ref)
	}
	return map[string]any{"Arn": ref}
}

// getConsoleOutput answers an instance's console output. ecsnet boots no
// operating system: an instance that has run answers a one-line console
// (base64, as AWS sends it) saying so; a pending one has no output yet.
func getConsoleOutput(c *api.Call) (map[string]any, error) {
	id := c.In.String("InstanceId")
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		i := st.Instances[model.InstanceID(id)]
		if i == nil {
			err = errInstanceNotFound(id)
			return
		}
		out = map[string]any{"InstanceId": id, "Timestamp": c.Engine.Now()}
		if i.State != model.InstancePending {
			line := fmt.Sprintf("ecsnet: %s (%s, %s) is emulated; no operating system writes to its console.\n", i.ID, i.Type, i.ImageID)
			out["Output"] = base64.StdEncoding.EncodeToString([]byte(line))
		}
	})
	return out, err
}

// getPasswordData answers with an empty PasswordData, as AWS does for an
// instance whose Windows administrator password is not (yet) available and
// for every Linux instance: no emulated instance runs EC2Launch to encrypt
// one with its key pair. The PasswordDataAvailable waiter
// (`aws ec2 wait password-data-available`) so polls on, as it does on AWS for
// a Linux instance (docs/aws-behavior.md).
func getPasswordData(c *api.Call) (map[string]any, error) {
	id := c.In.String("InstanceId")
	var out map[string]any
	var err error
	c.Engine.Read(func(st *model.State) {
		if st.Instances[model.InstanceID(id)] == nil {
			err = errInstanceNotFound(id)
			return
		}
		out = map[string]any{"InstanceId": id, "Timestamp": c.Engine.Now(), "PasswordData": ""}
	})
	return out, err
}

// getInstanceUefiData answers an instance's id without UefiData: no
// emulated instance boots from a UEFI variable store. An id that is not an
// instance's is InvalidInstanceID.Malformed, which is what the Terraform
// provider's aws_ami data source gets when it asks with the image's id (it
// ignores the error; docs/aws-behavior.md).
func getInstanceUefiData(c *api.Call) (map[string]any, error) {
	id := c.In.String("InstanceId")
	if !strings.HasPrefix(id, "i-") || len(id) <= 2 {
		return nil, apierr.Newf("InvalidInstanceID.Malformed", "Invalid id: \"%s\" (expecting \"i-...\")", id)
	}
	var err error
	c.Engine.Read(func(st *model.State) {
		if st.Instances[model.InstanceID(id)] == nil {
			err = errInstanceNotFound(id)
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"InstanceId": id}, nil
}

// errInstanceNotFound is EC2's answer for an instance id it does not hold.
func errInstanceNotFound[S ~string](id S) error {
	return apierr.Newf("InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
}

// lcBlockDevices reads block device mappings as given (a launch
// template's, a Spot Fleet launch specification's).
func lcBlockDevices(in []awsproto.Params) []model.LCBlockDevice {
	var out []model.LCBlockDevice
	for _, b := range in {
		x := model.LCBlockDevice{DeviceName: b.String("DeviceName"), VirtualName: b.String("VirtualName"), NoDevice: b.Has("NoDevice")}
		if e := b.Struct("Ebs"); e != nil {
			opt := func(k string) *int {
				if !e.Has(k) {
					return nil
				}
				v := int(e.Int(k))
				return &v
			}
			optBool := func(k string) *bool {
				if !e.Has(k) {
					return nil
				}
				v := e.Bool(k)
				return &v
			}
			x.Ebs = &model.LCEbs{SnapshotID: e.String("SnapshotId"), VolumeType: e.String("VolumeType"), VolumeSize: opt("VolumeSize"),
				Iops: opt("Iops"), Throughput: opt("Throughput"), DeleteOnTermination: optBool("DeleteOnTermination"), Encrypted: optBool("Encrypted")}
		}
		out = append(out, x)
	}
	return out
}

// lcBlockDevicesOut answers block device mappings as given.
func lcBlockDevicesOut(in []model.LCBlockDevice) []any {
	bds := make([]any, len(in))
	for i, b := range in {
		x := map[string]any{"DeviceName": api.Str(b.DeviceName), "VirtualName": api.Str(b.VirtualName)}
		if b.NoDevice {
			x["NoDevice"] = ""
		}
		if e := b.Ebs; e != nil {
			x["Ebs"] = map[string]any{"SnapshotId": api.Str(e.SnapshotID), "VolumeType": api.Str(e.VolumeType), "VolumeSize": e.VolumeSize,
				"Iops": e.Iops, "Throughput": e.Throughput, "DeleteOnTermination": e.DeleteOnTermination, "Encrypted": e.Encrypted}
		}
		bds[i] = x
	}
	return bds
}

// isoMillis is a time as EC2's time filters compare it: ISO 8601 in UTC
// with milliseconds (launch-time: "2021-09-29T11:04:43.305Z").
func isoMillis(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// documentedInstanceTypeFilters are the DescribeInstanceTypes filter names
// the EC2 API reference lists (the botocore model's Filters documentation).
var documentedInstanceTypeFilters = []string{
	"auto-recovery-supported", "bare-metal", "burstable-performance-supported", "current-generation",
	"dedicated-hosts-supported", "ebs-info.attachment-limit-type", "ebs-info.maximum-ebs-attachments",
	"ebs-info.ebs-optimized-info.baseline-bandwidth-in-mbps", "ebs-info.ebs-optimized-info.baseline-iops",
	"ebs-info.ebs-optimized-info.baseline-throughput-in-mbps", "ebs-info.ebs-optimized-info.maximum-bandwidth-in-mbps",
	"ebs-info.ebs-optimized-info.maximum-iops", "ebs-info.ebs-optimized-info.maximum-throughput-in-mbps",
	"ebs-info.ebs-optimized-support", "ebs-info.encryption-support", "ebs-info.nvme-support", "free-tier-eligible",
	"hibernation-supported", "hypervisor", "instance-storage-info.disk.count", "instance-storage-info.disk.size-in-gb",
	"instance-storage-info.disk.type", "instance-storage-info.encryption-support", "instance-storage-info.nvme-support",
	"instance-storage-info.total-size-in-gb", "instance-storage-supported", "instance-type", "memory-info.size-in-mib",
	"network-info.bandwidth-weightings", "network-info.efa-info.maximum-efa-interfaces", "network-info.efa-supported",
	"network-info.ena-support", "network-info.flexible-ena-queues-support", "network-info.encryption-in-transit-supported",
	"network-info.ipv4-addresses-per-interface", "network-info.ipv6-addresses-per-interface", "network-info.ipv6-supported",
	"network-info.maximum-network-cards", "network-info.maximum-network-interfaces", "network-info.network-performance",
	"nitro-enclaves-support", "nitro-tpm-support", "nitro-tpm-info.supported-versions",
	"processor-info.supported-architecture", "processor-info.sustained-clock-speed-in-ghz",
	"processor-info.supported-features", "reboot-migration-support", "supported-boot-mode", "supported-root-device-type",
	"supported-usage-class", "supported-virtualization-type", "vcpu-info.default-cores", "vcpu-info.default-threads-per-core",
	"vcpu-info.default-vcpus", "vcpu-info.valid-cores", "vcpu-info.valid-threads-per-core",
}
