package engine

import (
	"encoding/base64"
	"encoding/json"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// RunInstancesInput is RunInstances' input. Fields a launch template sets
// are taken from it unless given here.
type RunInstancesInput struct {
	ImageID            string
	InstanceType       string
	MinCount, MaxCount int
	SubnetID           model.SubnetID
	// AvailabilityZone is Placement.AvailabilityZone: without a subnet,
	// the launch uses that zone's default subnet.
	AvailabilityZone   string
	SecurityGroupIDs   []model.SecurityGroupID
	SecurityGroupNames []string
	UserData           string // base64, as on the wire
	// AssociatePublicIP is the primary interface's AssociatePublicIpAddress;
	// nil follows the subnet's MapPublicIpOnLaunch.
	AssociatePublicIP *bool
	// DeleteOnTermination is the primary interface's; nil means true.
	DeleteOnTermination *bool
	PrivateIP           string
	// SecondaryPrivateIPs and SecondaryPrivateIPCount are the primary
	// interface's secondary private IPv4 addresses: the non-primary
	// entries of its PrivateIpAddresses, and SecondaryPrivateIpAddressCount.
	SecondaryPrivateIPs     []string
	SecondaryPrivateIPCount int
	KeyName                 string
	IAMProfile              string
	// IAM is the engine that holds IAM's instance profiles: with it, a
	// profile (the request's or the launch template's) must exist there and
	// each instance gets an association; nil takes IAMProfile as given.
	IAM            *Engine
	LaunchTemplate *model.LaunchTemplateRef
	ClientToken    string
	Tags           model.Tags
	// FixedPublicIPs are given, in order, to the instances' public IPs
	// (scenario files pin the article's 203.0.113.2 this way).
	FixedPublicIPs []netip.Addr
	// AutoScalingGroup is set when an Auto Scaling group launches.
	AutoScalingGroup string
	// BlockDevices are the block device mappings (the root volume is made
	// whether or not one names it).
	BlockDevices []BlockDevice
	// MoreInterfaces are network interfaces created and attached at
	// launch besides the primary one (NetworkInterfaces with DeviceIndex
	// above 0, the request's or the launch template's).
	MoreInterfaces []LaunchInterface
	// ENITags are given to the primary network interface (the request's
	// network-interface tag specification over the launch template's).
	ENITags model.Tags
	// IPv6Count and IPv6 are Ipv6AddressCount and Ipv6Addresses of the
	// primary interface; neither: the subnet's AssignIpv6AddressOnCreation.
	IPv6Count int
	IPv6      []string
	// VolumeTags are given to every volume the launch creates (the
	// request's volume tag specification over the launch template's).
	VolumeTags model.Tags
	// EBSOptimized is RunInstances' EbsOptimized.
	EBSOptimized bool
	// Metadata is RunInstances' MetadataOptions (nil: the defaults).
	Metadata *MetadataOptionsInput
	// CPUCredits is CreditSpecification.CpuCredits ("": the type's default).
	CPUCredits string
	// Hibernation is HibernationOptions.Configured.
	Hibernation bool
	// CapacityReservationPreference ("open", "none") and AutoRecovery
	// ("default", "disabled"); "": the defaults.
	CapacityReservationPreference, AutoRecovery string
	// Spot makes Spot Instances (InstanceMarketOptions, market type spot).
	Spot *model.SpotMarketOptions
	// Monitoring is Monitoring.Enabled (detailed monitoring); nil: the
	// launch template's, else off.
	Monitoring *bool
	// DisableAPITermination and DisableAPIStop are the instances'
	// protections; nil: the launch template's, else off.
	DisableAPITermination, DisableAPIStop *bool
	// PlacementGroup and PartitionNumber are Placement.GroupName and
	// Placement.PartitionNumber (else the launch template's).
	PlacementGroup  string
	PartitionNumber int
	// HostID is Placement.HostId, a Dedicated Host; ecsnet has none, so
	// any is refused.
	HostID string
	// NetworkInterfaceID is an existing interface to launch with as the
	// primary one (NetworkInterfaces, device index 0): the instance takes
	// its subnet, groups and addresses. It must be available, and only one
	// instance can be launched with it.
	NetworkInterfaceID model.NetworkInterfaceID
	// ProvisionerCommands are what a Terraform configuration's remote-exec
	// provisioners run on each instance (model.Instance.ProvisionerCommands).
	ProvisionerCommands string
}

// Reservation is RunInstances' result.
type Reservation struct {
	ID        string
	Instances []*model.Instance
}

// RunInstances launches instances, each with a primary ENI at device index
// 0 in the subnet. The primary ENI gets a public IP when the launch asks for
// one or, when the launch says nothing, when the subnet maps public IPs on
// launch. Instances start "pending"; Step makes them "running".
func (e *Engine) RunInstances(in RunInstancesInput) (*Reservation, error) {
	var out *Reservation
	err := e.write(func(t *txn) error {
		var err error
		out, err = t.runInstances(in)
		return err
	})
	return out, err
}

func (t *txn) runInstances(in RunInstancesInput) (*Reservation, error) {
	if in.ClientToken != "" {
		var prior []*model.Instance
		for _, i := range sortedValues(t.st.Instances) {
			if i.ClientToken == in.ClientToken {
				prior = append(prior, i)
			}
		}
		if len(prior) > 0 {
			return &Reservation{ID: prior[0].ReservationID, Instances: prior}, nil
		}
	}
	if in.LaunchTemplate != nil {
		lt, err := t.launchTemplate(*in.LaunchTemplate)
		if err != nil {
			return nil, err
		}
		v, ok := lt.Version(in.LaunchTemplate.Version)
		if !ok {
			return nil, apierr.Newf("InvalidLaunchTemplateId.VersionNotFound", "Could not find the specified version %s for the launch template with ID %s.", in.LaunchTemplate.Version, lt.ID)
		}
		in = mergeLaunchTemplate(in, v.Data)
		in.LaunchTemplate = &model.LaunchTemplateRef{ID: lt.ID, Name: lt.Name, Version: in.LaunchTemplate.Version}
		// EC2 tags an instance launched from a template with the template
		// and the version it used (aws: tags, which users cannot change).
		in.Tags = in.Tags.Clone()
		if in.Tags == nil {
			in.Tags = model.Tags{}
		}
		in.Tags["aws:ec2launchtemplate:id"] = string(lt.ID)
		in.Tags["aws:ec2launchtemplate:version"] = strconv.Itoa(v.Number)
	}
	if in.ImageID == "" {
		return nil, errMissingParameter("ImageId")
	}
	var profile *resolvedProfile
	if in.IAMProfile != "" && in.IAM != nil {
		p, err := t.resolveProfile(in.IAM, profileRef(in.IAMProfile))
		if err != nil {
			return nil, err
		}
		in.IAMProfile, profile = p.ARN, &p
	}
	if !strings.HasPrefix(in.ImageID, "ami-") {
		return nil, apierr.Newf("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", in.ImageID)
	}
	if err := t.checkLaunchImage(in.ImageID); err != nil {
		return nil, err
	}
	if err := t.launchKeyPair(in.KeyName); err != nil {
		return nil, err
	}
	if in.HostID != "" {
		if err := checkID(in.HostID, "h", "InvalidHostId.Malformed"); err != nil {
			return nil, err
		}
		return nil, apierr.Newf("InvalidHostID.NotFound", "The host ID '%s' does not exist", in.HostID)
	}
	if in.InstanceType == "" {
		in.InstanceType = "m1.small"
	}
	itype, ok := model.LookupInstanceType(in.InstanceType)
	if !ok {
		return nil, errInvalidParameterValue("The instance type '%s' does not exist", in.InstanceType)
	}
	if err := t.checkImageArchitecture(in.ImageID, itype.Name); err != nil {
		return nil, err
	}
	if in.MinCount == 0 && in.MaxCount == 0 {
		in.MinCount, in.MaxCount = 1, 1
	}
	if in.MinCount < 1 || in.MaxCount < in.MinCount {
		return nil, errInvalidParameterValue("Value (%d) for parameter minCount is invalid. Expected a value between 1 and maxCount (%d).", in.MinCount, in.MaxCount)
	}
	var existing *model.NetworkInterface
	if in.NetworkInterfaceID != "" {
		n, err := t.eni(in.NetworkInterfaceID)
		if err != nil {
			return nil, err
		}
		if n.Attachment != nil || n.Status() == "in-use" {
			return nil, apierr.Newf("InvalidNetworkInterface.InUse", "Interface: [%s] in use.", n.ID)
		}
		if in.MaxCount > 1 {
			return nil, errInvalidParameterValue("Value (%d) for parameter maxCount is invalid. Only one instance can be launched with an existing network interface.", in.MaxCount)
		}
		existing, in.SubnetID = n, n.SubnetID
	}
	var subnet *model.Subnet
	if in.SubnetID != "" {
		s, err := t.subnet(in.SubnetID)
		if err != nil {
			return nil, err
		}
		subnet = s
	} else {
		s, err := t.defaultSubnet(in.AvailabilityZone, len(in.SecurityGroupNames) > 0)
		if err != nil {
			return nil, err
		}
		subnet = s
	}
	if in.AvailabilityZone != "" && subnet.AvailabilityZone != in.AvailabilityZone {
		return nil, errInvalidParameterValue("Value (%s) for parameter availabilityZone is invalid. Subnet %s is in availability zone %s.", in.AvailabilityZone, subnet.ID, subnet.AvailabilityZone)
	}
	if err := t.checkPlacement(in.PlacementGroup, in.PartitionNumber, in.MaxCount, subnet.AvailabilityZone); err != nil {
		return nil, err
	}
	groups := slices.Clone(in.SecurityGroupIDs)
	for _, name := range in.SecurityGroupNames {
		found := false
		for _, g := range t.st.SecurityGroups {
			if g.VpcID == subnet.VpcID && g.Name == name {
				groups, found = append(groups, g.ID), true
			}
		}
		if !found {
			return nil, apierr.Newf("InvalidGroup.NotFound", "The security group '%s' does not exist in VPC '%s'", name, subnet.VpcID)
		}
	}
	for _, g := range groups {
		if sg, err := t.securityGroup(g); err != nil {
			return nil, err // a malformed id first, as EC2 checks it
		} else if sg.VpcID != subnet.VpcID {
			return nil, apierr.Newf("InvalidParameter", "Security group %s and subnet %s belong to different networks.", g, subnet.ID)
		}
	}
	if err := checkBlockDevices(in.BlockDevices); err != nil {
		return nil, err
	}
	restored, err := t.restoreBlockDevices(t.imageBlockDevices(in.ImageID, in.BlockDevices))
	if err != nil {
		return nil, err
	}
	in.BlockDevices = restored
	userData := ""
	if in.UserData != "" {
		b, err := base64.StdEncoding.DecodeString(in.UserData)
		if err != nil {
			return nil, apierr.New("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.")
		}
		userData = string(b)
	}
	var metadata *model.InstanceMetadataOptions
	if in.Metadata != nil {
		m, err := applyMetadataOptions(model.DefaultMetadataOptions(), *in.Metadata)
		if err != nil {
			return nil, err
		}
		metadata = &m
	}
	if in.CPUCredits != "" {
		if in.CPUCredits != "standard" && in.CPUCredits != "unlimited" {
			return nil, errInvalidParameterValue("Value (%s) for parameter cpuCredits is invalid. Valid values are standard, unlimited.", in.CPUCredits)
		}
		if _, ok := BurstableCredits(itype.Name); !ok {
			return nil, apierr.New("InvalidParameterCombination", "The parameter CreditSpecification is not supported for this instance type.")
		}
	}
	var privateIP netip.Addr
	if in.PrivateIP != "" {
		a, err := netip.ParseAddr(in.PrivateIP)
		if err != nil {
			return nil, errInvalidParameterValue("Value (%s) for parameter privateIpAddress is invalid.", in.PrivateIP)
		}
		if in.MaxCount > 1 {
			return nil, errInvalidParameterValue("Value (%d) for parameter maxCount is invalid. Only one instance can be launched with a private IP address.", in.MaxCount)
		}
		privateIP = a
	}
	secondary, err := parsePrivateIPs(in.SecondaryPrivateIPs)
	if err != nil {
		return nil, err
	}
	switch {
	case len(secondary) > 0 && in.SecondaryPrivateIPCount > 0:
		return nil, apierr.New("InvalidParameterCombination", "Secondary private IP addresses and secondary private IP address count may not be specified on the same request")
	case in.SecondaryPrivateIPCount < 0:
		return nil, errInvalidParameterValue("Invalid value '%d' for secondaryPrivateIpAddressCount.", in.SecondaryPrivateIPCount)
	case len(secondary) > 0 && in.MaxCount > 1:
		return nil, errInvalidParameterValue("Value (%d) for parameter maxCount is invalid. Only one instance can be launched with a private IP address.", in.MaxCount)
	case 1+len(secondary)+in.SecondaryPrivateIPCount > maxPrivateIPsPerENI:
		return nil, apierr.New("PrivateIpAddressLimitExceeded", "Number of private addresses will exceed limit.")
	}
	v6, err := parseIPv6Addrs("ipv6Addresses", in.IPv6)
	if err != nil {
		return nil, err
	}
	if len(v6) > 0 && in.IPv6Count > 0 {
		return nil, apierr.New("InvalidParameterCombination", "IPv6 addresses and IPv6 address count may not be specified on the same request")
	}
	moreSubnets, moreGroups, err := t.checkMoreInterfaces(in, subnet, itype)
	if err != nil {
		return nil, err
	}
	wantPublic := subnet.MapPublicIPOnLaunch && len(in.MoreInterfaces) == 0
	if in.AssociatePublicIP != nil {
		wantPublic = *in.AssociatePublicIP
	}
	res := &Reservation{ID: t.newID("r")}
	// The instance's root device is its image's (RunInstances.html: the
	// AMI's block device mapping names the root device); an image ecsnet
	// does not hold leaves Amazon Linux's /dev/xvda.
	var rootDeviceName string
	if im, ok := t.launchableImage(in.ImageID); ok && im != nil && im.RootDevice != rootDevice {
		rootDeviceName = im.RootDevice
	}
	for n := 0; n < in.MaxCount; n++ {
		inst := &model.Instance{
			ID:                            model.InstanceID(t.newID("i")),
			Type:                          itype.Name,
			ImageID:                       in.ImageID,
			RootDevice:                    rootDeviceName,
			State:                         model.InstancePending,
			SubnetID:                      subnet.ID,
			VpcID:                         subnet.VpcID,
			AvailabilityZone:              subnet.AvailabilityZone,
			PlacementGroup:                in.PlacementGroup,
			PartitionNumber:               in.PartitionNumber,
			KeyName:                       in.KeyName,
			UserData:                      userData,
			ProvisionerCommands:           in.ProvisionerCommands,
			IAMProfile:                    in.IAMProfile,
			IAMDeclared:                   t.e.declaredIAM,
			LaunchTime:                    t.now,
			LaunchTemplate:                in.LaunchTemplate,
			AutoScalingGroup:              in.AutoScalingGroup,
			ReservationID:                 res.ID,
			LaunchIndex:                   n,
			EBSOptimized:                  in.EBSOptimized,
			Metadata:                      metadata,
			CPUCredits:                    t.launchCredits(in.CPUCredits, itype.Name),
			Hibernation:                   in.Hibernation,
			Monitoring:                    in.Monitoring != nil && *in.Monitoring,
			Spot:                          in.Spot,
			DisableAPITermination:         in.DisableAPITermination != nil && *in.DisableAPITermination,
			DisableAPIStop:                in.DisableAPIStop != nil && *in.DisableAPIStop,
			CapacityReservationPreference: in.CapacityReservationPreference,
			AutoRecovery:                  in.AutoRecovery,
			ClientToken:                   in.ClientToken,
			AutoPublicIP:                  wantPublic || n < len(in.FixedPublicIPs),
			Tags:                          in.Tags.Clone(),
		}
		if profile != nil {
			inst.IAMAssociation = &model.IAMProfileAssociation{ID: t.newID("iip-assoc"), ProfileID: profile.ID, Created: t.now}
		}
		var fixed netip.Addr
		if n < len(in.FixedPublicIPs) {
			fixed = in.FixedPublicIPs[n]
		}
		if existing != nil {
			c := cloneENI(existing)
			c.Attachment = &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceID: inst.ID,
				InstanceOwnerID: t.e.cfg.Account, DeviceIndex: 0, Status: "attached", DeleteOnTermination: in.DeleteOnTermination != nil && *in.DeleteOnTermination, AttachedAt: t.now}
			t.putENI(c)
			inst.PrimaryENI, inst.AutoPublicIP = c.ID, false
			t.launchVolumes(inst, in.BlockDevices, in.VolumeTags)
			put(t, model.KindInstance, t.st.Instances, inst.ID, inst)
			res.Instances = append(res.Instances, inst)
			break
		}
		eni, err := t.newENI(eniSpec{
			subnet: subnet, privateIP: privateIP, groups: groups, description: "",
			ownerKind: model.OwnedByInstance, managedBy: string(inst.ID),
			publicIP: wantPublic, fixedPublic: fixed, ipv6Count: in.IPv6Count, ipv6: v6, autoIPv6: true,
			attachment: &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceID: inst.ID,
				InstanceOwnerID: t.e.cfg.Account, DeviceIndex: 0, Status: "attached", DeleteOnTermination: in.DeleteOnTermination == nil || *in.DeleteOnTermination, AttachedAt: t.now},
		})
		if err != nil {
			if n >= in.MinCount {
				break
			}
			return nil, err
		}
		if len(secondary) > 0 || in.SecondaryPrivateIPCount > 0 {
			if eni, _, err = t.assignPrivateIPs(eni, subnet, secondary, in.SecondaryPrivateIPCount, false); err != nil {
				if n >= in.MinCount {
					break
				}
				return nil, err
			}
		}
		inst.PrimaryENI = eni.ID
		for k, li := range in.MoreInterfaces {
			if _, err := t.newENI(eniSpec{
				subnet: moreSubnets[k], groups: moreGroups[k], ownerKind: model.OwnedByInstance, managedBy: string(inst.ID), autoIPv6: true,
				attachment: &model.ENIAttachment{ID: model.ENIAttachmentID(t.newID("eni-attach")), InstanceID: inst.ID, InstanceOwnerID: t.e.cfg.Account,
					DeviceIndex: li.DeviceIndex, Status: "attached", DeleteOnTermination: li.DeleteOnTermination == nil || *li.DeleteOnTermination, AttachedAt: t.now},
			}); err != nil {
				return nil, err
			}
		}
		t.launchVolumes(inst, in.BlockDevices, in.VolumeTags)
		if len(in.ENITags) > 0 {
			c := cloneENI(eni)
			c.Tags = in.ENITags.Clone()
			t.putENI(c)
		}
		put(t, model.KindInstance, t.st.Instances, inst.ID, inst)
		res.Instances = append(res.Instances, inst)
	}
	return res, nil
}

// LaunchInterface is a network interface RunInstances creates and
// attaches at a device index above 0: in its subnet (the instance's zone),
// with its groups (none: the VPC's default group).
type LaunchInterface struct {
	DeviceIndex         int
	SubnetID            model.SubnetID
	Groups              []model.SecurityGroupID
	DeleteOnTermination *bool // nil: true, as for the primary one
}

// checkMoreInterfaces validates the interfaces a launch creates besides
// the primary one: each at its own device index, in a subnet of the
// instance's zone (none given: the primary interface's), within the instance type's interface limit; a launch
// with more than one interface gets no public IPv4 address, and asking
// for one is InvalidParameterCombination (EC2 assigns a public IPv4
// address only to an instance launched with one network interface). It
// returns each interface's subnet and groups.
func (t *txn) checkMoreInterfaces(in RunInstancesInput, subnet *model.Subnet, itype model.InstanceType) ([]*model.Subnet, [][]model.SecurityGroupID, error) {
	if len(in.MoreInterfaces) == 0 {
		return nil, nil, nil
	}
	if in.AssociatePublicIP != nil && *in.AssociatePublicIP {
		return nil, nil, apierr.New("InvalidParameterCombination", "The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.")
	}
	if 1+len(in.MoreInterfaces) > itype.MaxENIs {
		return nil, nil, apierr.Newf("InvalidParameterValue", "Interface count %d exceeds the limit for %s", 1+len(in.MoreInterfaces), itype.Name)
	}
	seen := map[int]bool{0: true}
	subnets := make([]*model.Subnet, len(in.MoreInterfaces))
	groups := make([][]model.SecurityGroupID, len(in.MoreInterfaces))
	for k, li := range in.MoreInterfaces {
		if li.DeviceIndex < 1 {
			return nil, nil, errInvalidParameterValue("Value (%d) for parameter deviceIndex is invalid.", li.DeviceIndex)
		}
		if seen[li.DeviceIndex] {
			return nil, nil, errInvalidParameterValue("Each network interface requires a unique device index (%d is given twice).", li.DeviceIndex)
		}
		seen[li.DeviceIndex] = true
		sn := subnet // no subnet: the primary interface's [choice]
		if li.SubnetID != "" {
			var err error
			if sn, err = t.subnet(li.SubnetID); err != nil {
				return nil, nil, err
			}
		}
		if sn.AvailabilityZone != subnet.AvailabilityZone {
			return nil, nil, apierr.New("InvalidParameterCombination", "You may not attach a network interface to an instance if they are not in the same availability zone")
		}
		var err error
		if groups[k], err = t.checkGroups(sn.VpcID, li.Groups); err != nil {
			return nil, nil, err
		}
		subnets[k] = sn
	}
	return subnets, groups, nil
}

// overTemplate is a launch template's tags with the request's over them.
func overTemplate(template, request model.Tags) model.Tags {
	if len(template) == 0 {
		return request
	}
	for k, v := range request {
		template[k] = v
	}
	return template
}

func mergeLaunchTemplate(in RunInstancesInput, d model.LaunchTemplateData) RunInstancesInput {
	if in.ImageID == "" {
		in.ImageID = d.ImageID
	}
	// The template's instance tags, under the request's own (the request
	// wins on a key both give).
	if tt := d.TemplateTags("instance"); len(tt) > 0 {
		for k, v := range in.Tags {
			tt[k] = v
		}
		in.Tags = tt
	}
	in.ENITags = overTemplate(d.TemplateTags("network-interface"), in.ENITags)
	in.VolumeTags = overTemplate(d.TemplateTags("volume"), in.VolumeTags)
	if in.InstanceType == "" {
		in.InstanceType = d.InstanceType
	}
	if in.Monitoring == nil {
		in.Monitoring = d.Monitoring
	}
	if in.DisableAPITermination == nil {
		in.DisableAPITermination = d.DisableAPITermination
	}
	if in.DisableAPIStop == nil {
		in.DisableAPIStop = d.DisableAPIStop
	}
	if in.Spot == nil && d.Spot != nil {
		s := *d.Spot
		in.Spot = &s
	}
	if in.Metadata == nil && d.Metadata != nil {
		m := MetadataOptionsInput{HTTPTokens: d.Metadata.HTTPTokens, HTTPEndpoint: d.Metadata.HTTPEndpoint,
			HTTPProtocolIPv6: d.Metadata.HTTPProtocolIPv6, InstanceMetadataTags: d.Metadata.InstanceMetadataTags}
		if d.Metadata.HopLimit != nil {
			m.HopLimit = *d.Metadata.HopLimit
		}
		in.Metadata = &m
	}
	if in.KeyName == "" {
		in.KeyName = d.KeyName
	}
	if in.PlacementGroup == "" && d.Placement != nil {
		in.PlacementGroup = d.Placement.GroupName
		if in.PartitionNumber == 0 {
			in.PartitionNumber = d.Placement.PartitionNumber
		}
	}
	if in.UserData == "" {
		in.UserData = d.UserData
	}
	if in.IAMProfile == "" {
		in.IAMProfile = d.IAMProfileName
		if in.IAMProfile == "" {
			in.IAMProfile = d.IAMProfileARN
		}
	}
	if len(in.SecurityGroupIDs) == 0 && len(in.SecurityGroupNames) == 0 {
		in.SecurityGroupIDs = d.SecurityGroupIDs
		in.SecurityGroupNames = slices.Clone(d.SecurityGroupNames)
	}
	in.BlockDevices = overBlockDevices(launchBlockDevices(d.BlockDevices), in.BlockDevices)
	templateMore := len(in.MoreInterfaces) == 0 // the request's interfaces replace the template's
	for _, ni := range d.NetworkInterfaces {
		if ni.DeviceIndex != 0 {
			if templateMore {
				in.MoreInterfaces = append(in.MoreInterfaces, LaunchInterface{DeviceIndex: ni.DeviceIndex, SubnetID: ni.SubnetID, Groups: slices.Clone(ni.Groups), DeleteOnTermination: ni.DeleteOnTermination})
			}
			continue
		}
		if in.AssociatePublicIP == nil {
			in.AssociatePublicIP = ni.AssociatePublicIPAddress
		}
		if in.DeleteOnTermination == nil {
			in.DeleteOnTermination = ni.DeleteOnTermination
		}
		if len(in.SecurityGroupIDs) == 0 && len(ni.Groups) > 0 {
			in.SecurityGroupIDs = ni.Groups
		}
		if in.SubnetID == "" {
			in.SubnetID = ni.SubnetID
		}
		if in.IPv6Count == 0 && len(in.IPv6) == 0 {
			in.IPv6Count = ni.IPv6AddressCount
			in.IPv6 = slices.Clone(ni.IPv6Addresses)
		}
		if primary, secondary := ni.FixedIPv4(); in.PrivateIP == "" && len(in.SecondaryPrivateIPs) == 0 && in.SecondaryPrivateIPCount == 0 {
			in.PrivateIP, in.SecondaryPrivateIPs = primary, secondary
			if len(secondary) == 0 {
				in.SecondaryPrivateIPCount = ni.SecondaryPrivateIPAddressCount
			}
		}
	}
	return in
}

func (t *txn) instance(id model.InstanceID) (*model.Instance, error) {
	if err := checkID(string(id), "i", "InvalidInstanceID.Malformed"); err != nil {
		return nil, err
	}
	i := t.st.Instances[id]
	if i == nil {
		return nil, errInstanceNotFound(id)
	}
	return i, nil
}

// InstanceStateChange is TerminateInstances' result for one instance.
type InstanceStateChange struct {
	ID       model.InstanceID
	Previous model.InstanceState
	Current  model.InstanceState
}

// TerminateInstances starts terminating instances; Step finishes the job
// (deletes the primary ENI, deregisters the container instance, stops its
// tasks).
func (e *Engine) TerminateInstances(ids []model.InstanceID) ([]InstanceStateChange, error) {
	var out []InstanceStateChange
	err := e.write(func(t *txn) error {
		var missing []string
		for _, id := range ids {
			if err := checkID(string(id), "i", "InvalidInstanceID.Malformed"); err != nil {
				return err
			}
			if t.st.Instances[id] == nil {
				missing = append(missing, string(id))
			}
		}
		if len(missing) > 0 {
			return errInstancesNotFound(missing)
		}
		for _, id := range ids {
			if t.st.Instances[id].DisableAPITermination {
				return apierr.Newf("OperationNotPermitted", "The instance '%s' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", id)
			}
		}
		for _, id := range ids {
			t.markTerminatedUnhealthy(t.st.Instances[id])
			out = append(out, t.terminate(id, "Client.UserInitiatedShutdown: User initiated shutdown"))
		}
		return nil
	})
	return out, err
}

func (t *txn) terminate(id model.InstanceID, reason string) InstanceStateChange {
	i := t.st.Instances[id]
	ch := InstanceStateChange{ID: id, Previous: i.State, Current: i.State}
	if i.State == model.InstanceTerminated || i.State == model.InstanceShuttingDown {
		return ch
	}
	c := *i
	c.State, c.StateReason = model.InstanceShuttingDown, reason
	put(t, model.KindInstance, t.st.Instances, id, &c)
	ch.Current = c.State
	if i.SpotRequest != "" {
		t.spotInstanceTerminated(i.SpotRequest)
	}
	return ch
}

// finishTermination moves a shutting-down instance to terminated: its ENIs
// that delete on termination go, the others are detached, and ECS loses the
// container instance and its tasks.
func (t *txn) finishTermination(i *model.Instance) {
	for _, n := range t.instanceENIs(i.ID) {
		if n.Attachment.DeleteOnTermination || n.OwnerKind == model.OwnedByECSTrunk {
			for _, p := range n.PrivateIPs {
				if p.PublicIP != nil && p.PublicIP.AllocationID != "" {
					t.unlinkAddress(p.PublicIP.AllocationID)
				}
			}
			t.deleteENI(n.ID)
		} else if n.OwnerKind != model.OwnedByECSTask {
			// The interface stays, detached and available; the public IPv4
			// address AWS assigned goes back to the pool.
			c := cloneENI(n)
			c.Attachment = nil
			if c.OwnerKind == model.OwnedByInstance {
				c.OwnerKind, c.ManagedBy = model.OwnedByUser, ""
			}
			for k, p := range c.PrivateIPs {
				if p.PublicIP != nil && p.PublicIP.AllocationID == "" {
					c.PrivateIPs[k].PublicIP = nil
				}
			}
			t.putENI(c)
		}
	}
	t.instanceGone(i.ID)
	t.instanceVolumesGone(i.ID)
	t.drainTerminatedTarget(i.ID)
	c := *t.st.Instances[i.ID]
	c.Volumes = nil
	c.State = model.InstanceTerminated
	put(t, model.KindInstance, t.st.Instances, i.ID, &c)
}

// ecsInstanceAttributes reads ECS_INSTANCE_ATTRIBUTES={"k":"v",…} from
// user data: the custom attributes the ECS agent registers the instance
// with (memberOf constraints such as attribute:purchase-option == spot
// select them). The JSON may be quoted, or have its quotes escaped as a
// shell echo writes them.
func ecsInstanceAttributes(userData string) []model.Attribute {
	m := ecsAttributesRE.FindStringSubmatch(model.CloudInitText(userData))
	if m == nil {
		return nil
	}
	var kv map[string]string
	if json.Unmarshal([]byte(strings.ReplaceAll(m[1], `\"`, `"`)), &kv) != nil {
		return nil
	}
	out := make([]model.Attribute, 0, len(kv))
	for k, v := range kv {
		out = append(out, model.Attribute{Name: k, Value: v})
	}
	slices.SortFunc(out, func(a, b model.Attribute) int { return strings.Compare(a.Name, b.Name) })
	return out
}

var ecsAttributesRE = regexp.MustCompile(`ECS_INSTANCE_ATTRIBUTES=['"]?(\{[^}\n]*\})`)

// CreateLaunchTemplateInput is CreateLaunchTemplate's input.
type CreateLaunchTemplateInput struct {
	Name        string
	Description string
	Data        model.LaunchTemplateData
	Tags        model.Tags
}

func (t *txn) checkLaunchTemplateData(d model.LaunchTemplateData) error {
	if d.InstanceType != "" {
		if _, ok := model.LookupInstanceType(d.InstanceType); !ok {
			return errInvalidParameterValue("The instance type '%s' does not exist", d.InstanceType)
		}
	}
	// Security groups are not checked here: "launch template parameters
	// are not fully validated when you create the launch template"; a
	// launch, or the Auto Scaling group that names the template, refuses
	// a group that does not exist.
	if d.UserData != "" {
		if _, err := base64.StdEncoding.DecodeString(d.UserData); err != nil {
			return apierr.New("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.")
		}
	}
	return nil
}

// validLaunchTemplateName reports whether name fits LaunchTemplateName's
// constraints: 3 to 128 of letters, digits and ( ) . - / _.
func validLaunchTemplateName(name string) bool {
	if len(name) < 3 || len(name) > 128 {
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("().-/_", r):
		default:
			return false
		}
	}
	return true
}

// CreateLaunchTemplate creates a launch template with version 1.
func (e *Engine) CreateLaunchTemplate(in CreateLaunchTemplateInput) (*model.LaunchTemplate, error) {
	if !validLaunchTemplateName(in.Name) {
		return nil, apierr.New("InvalidLaunchTemplateName.MalformedException",
			"Launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'")
	}
	var out *model.LaunchTemplate
	err := e.write(func(t *txn) error {
		for _, lt := range t.st.LaunchTemplates {
			if lt.Name == in.Name {
				return apierr.Newf("InvalidLaunchTemplateName.AlreadyExistsException", "Launch template name already in use.")
			}
		}
		if err := t.checkLaunchTemplateData(in.Data); err != nil {
			return err
		}
		out = &model.LaunchTemplate{ID: model.LaunchTemplateID(t.newID("lt")), Name: in.Name, DefaultVersion: 1,
			Versions:  []model.LaunchTemplateVersion{{Number: 1, Description: in.Description, Data: in.Data, CreatedAt: t.now}},
			CreatedAt: t.now, Tags: in.Tags.Clone()}
		put(t, model.KindLaunchTemplate, t.st.LaunchTemplates, out.ID, out)
		return nil
	})
	return out, err
}

func (t *txn) launchTemplate(ref model.LaunchTemplateRef) (*model.LaunchTemplate, error) {
	if ref.ID != "" {
		lt := t.st.LaunchTemplates[ref.ID]
		if lt == nil {
			return nil, errLaunchTemplateIDNotFound(ref.ID)
		}
		return lt, nil
	}
	for _, lt := range t.st.LaunchTemplates {
		if lt.Name == ref.Name {
			return lt, nil
		}
	}
	return nil, errLaunchTemplateNameNotFound(ref.Name)
}

// CreateLaunchTemplateVersion adds a version to a template. With a
// sourceVersion, the new version inherits every parameter of that version
// that d does not give, as AWS documents.
func (e *Engine) CreateLaunchTemplateVersion(ref model.LaunchTemplateRef, description, sourceVersion string, d model.LaunchTemplateData) (*model.LaunchTemplate, int, error) {
	var out *model.LaunchTemplate
	var num int
	err := e.write(func(t *txn) error {
		lt, err := t.launchTemplate(ref)
		if err != nil {
			return err
		}
		if sourceVersion != "" {
			src, ok := lt.Version(sourceVersion)
			if !ok {
				return apierr.Newf("InvalidLaunchTemplateId.VersionNotFound", "Could not find the specified version %s for the launch template with ID %s.", sourceVersion, lt.ID)
			}
			d = inheritTemplateData(src.Data, d)
		}
		if err := t.checkLaunchTemplateData(d); err != nil {
			return err
		}
		c := *lt
		num = max(lt.Versions[len(lt.Versions)-1].Number, lt.DeletedVersion) + 1
		c.Versions = append(slices.Clone(lt.Versions), model.LaunchTemplateVersion{Number: num, Description: description, Data: d, CreatedAt: t.now})
		put(t, model.KindLaunchTemplate, t.st.LaunchTemplates, c.ID, &c)
		out = &c
		return nil
	})
	return out, num, err
}

// ModifyLaunchTemplate sets the default version.
func (e *Engine) ModifyLaunchTemplate(ref model.LaunchTemplateRef, defaultVersion string) (*model.LaunchTemplate, error) {
	if ref.ID != "" && ref.Name != "" {
		return nil, apierr.New("InvalidParameterCombination", "Either provide launch template ID or launch template name to modify the template.")
	}
	if ref.ID == "" && ref.Name == "" {
		return nil, errMissingParameter("launch template ID or launch template name")
	}
	var out *model.LaunchTemplate
	err := e.write(func(t *txn) error {
		lt, err := t.launchTemplate(ref)
		if err != nil {
			return err
		}
		v, ok := lt.Version(defaultVersion)
		if !ok {
			return apierr.Newf("InvalidLaunchTemplateId.VersionNotFound", "The launch template version %s is not found for the specified launch template.", defaultVersion)
		}
		c := *lt
		c.DefaultVersion = v.Number
		put(t, model.KindLaunchTemplate, t.st.LaunchTemplates, c.ID, &c)
		out = &c
		return nil
	})
	return out, err
}

// DeleteLaunchTemplate deletes a template and all its versions.
func (e *Engine) DeleteLaunchTemplate(ref model.LaunchTemplateRef) (*model.LaunchTemplate, error) {
	if ref.ID == "" && ref.Name == "" {
		return nil, errMissingParameter("launch template ID or launch template name")
	}
	var out *model.LaunchTemplate
	err := e.write(func(t *txn) error {
		lt, err := t.launchTemplate(ref)
		if err != nil {
			return err
		}
		out = lt
		del(t, model.KindLaunchTemplate, t.st.LaunchTemplates, lt.ID)
		return nil
	})
	return out, err
}

// LaunchTemplateVersionResult is one version of a DeleteLaunchTemplateVersions
// answer: deleted, or the code and message EC2 gives for it.
type LaunchTemplateVersionResult struct {
	TemplateID   model.LaunchTemplateID
	TemplateName string
	Version      int
	Code         string // empty when deleted
	Message      string
}

// DeleteLaunchTemplateVersions deletes versions of a template, each on its
// own: a version that does not exist, or the default version, is reported
// unsuccessful and the others are deleted.
func (e *Engine) DeleteLaunchTemplateVersions(ref model.LaunchTemplateRef, versions []string) ([]LaunchTemplateVersionResult, error) {
	if ref.ID != "" && ref.Name != "" {
		return nil, apierr.New("InvalidParameterCombination", "Either provide launch template ID or launch template name to delete the launch template versions.")
	}
	if ref.ID == "" && ref.Name == "" {
		return nil, errMissingParameter("launch template ID or launch template name")
	}
	if len(versions) == 0 {
		return nil, errMissingParameter("LaunchTemplateVersion")
	}
	if len(versions) > 200 {
		return nil, apierr.New("InvalidParameterValue", "You can delete up to 200 launch template versions in a single request.")
	}
	var out []LaunchTemplateVersionResult
	err := e.write(func(t *txn) error {
		lt, err := t.launchTemplate(ref)
		if err != nil {
			// The template is reported for each version asked for.
			code, msg := "launchTemplateIdDoesNotExist", "The specified launch template ID does not exist."
			switch {
			case ref.ID != "" && !strings.HasPrefix(string(ref.ID), "lt-"):
				code, msg = "launchTemplateIdMalformed", "The specified launch template ID is malformed."
			case ref.ID == "":
				code, msg = "launchTemplateNameDoesNotExist", "The specified launch template name does not exist."
			}
			for _, v := range versions {
				n, _ := strconv.Atoi(v)
				out = append(out, LaunchTemplateVersionResult{TemplateID: ref.ID, TemplateName: ref.Name, Version: n, Code: code, Message: msg})
			}
			return nil
		}
		c := *lt
		c.Versions = slices.Clone(lt.Versions)
		for _, v := range versions {
			r := LaunchTemplateVersionResult{TemplateID: lt.ID, TemplateName: lt.Name}
			n, convErr := strconv.Atoi(v)
			i := slices.IndexFunc(c.Versions, func(ver model.LaunchTemplateVersion) bool { return ver.Number == n })
			switch {
			case convErr != nil || n < 1:
				r.Code, r.Message = "launchTemplateVersionDoesNotExist", "The specified launch template version does not exist."
			case i < 0:
				r.Version = n
				r.Code, r.Message = "launchTemplateVersionDoesNotExist", "The specified launch template version does not exist."
			case n == c.DefaultVersion:
				r.Version = n
				r.Code, r.Message = "unexpectedError", "Cannot delete the default version of a launch template. Set a different version as the default first, or delete the launch template."
			default:
				r.Version = n
				c.Versions = slices.Delete(c.Versions, i, i+1)
				c.DeletedVersion = max(c.DeletedVersion, n)
			}
			out = append(out, r)
		}
		put(t, model.KindLaunchTemplate, t.st.LaunchTemplates, c.ID, &c)
		return nil
	})
	return out, err
}

// inheritTemplateData returns d with every parameter it leaves unset taken
// from src (CreateLaunchTemplateVersion's SourceVersion).
func inheritTemplateData(src, d model.LaunchTemplateData) model.LaunchTemplateData {
	str := func(v *string, from string) {
		if *v == "" {
			*v = from
		}
	}
	str(&d.ImageID, src.ImageID)
	str(&d.InstanceType, src.InstanceType)
	str(&d.KeyName, src.KeyName)
	str(&d.UserData, src.UserData)
	if d.IAMProfileARN == "" && d.IAMProfileName == "" {
		d.IAMProfileARN, d.IAMProfileName = src.IAMProfileARN, src.IAMProfileName
	}
	if d.SecurityGroupIDs == nil && d.SecurityGroupNames == nil {
		d.SecurityGroupIDs = slices.Clone(src.SecurityGroupIDs)
		d.SecurityGroupNames = slices.Clone(src.SecurityGroupNames)
	}
	if d.NetworkInterfaces == nil {
		d.NetworkInterfaces = slices.Clone(src.NetworkInterfaces)
	}
	if d.TagSpecifications == nil {
		d.TagSpecifications = slices.Clone(src.TagSpecifications)
	}
	if d.BlockDevices == nil {
		d.BlockDevices = slices.Clone(src.BlockDevices)
	}
	if d.Monitoring == nil {
		d.Monitoring = src.Monitoring
	}
	if d.DisableAPITermination == nil {
		d.DisableAPITermination = src.DisableAPITermination
	}
	if d.DisableAPIStop == nil {
		d.DisableAPIStop = src.DisableAPIStop
	}
	if d.Spot == nil {
		d.Spot = src.Spot
	}
	if d.Metadata == nil {
		d.Metadata = src.Metadata
	}
	return d
}

// instancesFor checks a list of instance ids as the state-changing
// operations do: every id well-formed, every instance found (one error
// naming all that are missing).
func (t *txn) instancesFor(ids []model.InstanceID) error {
	if len(ids) == 0 {
		return errMissingParameter("InstanceId")
	}
	var missing []string
	for _, id := range ids {
		if err := checkID(string(id), "i", "InvalidInstanceID.Malformed"); err != nil {
			return err
		}
		if t.st.Instances[id] == nil {
			missing = append(missing, string(id))
		}
	}
	if len(missing) > 0 {
		return errInstancesNotFound(missing)
	}
	return nil
}

// StopInstances stops running instances (stopping, then stopped at the
// next Step). An instance that is already stopping or stopped stays as it
// is; one still pending, or terminated, is IncorrectInstanceState, and then
// nothing stops.
func (e *Engine) StopInstances(ids []model.InstanceID) ([]InstanceStateChange, error) {
	var out []InstanceStateChange
	err := e.write(func(t *txn) error {
		if err := t.instancesFor(ids); err != nil {
			return err
		}
		for _, id := range ids {
			i := t.st.Instances[id]
			switch i.State {
			case model.InstancePending:
				return apierr.Newf("IncorrectInstanceState", "Instance '%s' cannot be stopped as it has never reached the 'running' state.", id)
			case model.InstanceShuttingDown, model.InstanceTerminated:
				return apierr.Newf("IncorrectInstanceState", "This instance '%s' is not in a state from which it can be stopped.", id)
			}
			if i.DisableAPIStop {
				return apierr.Newf("OperationNotPermitted", "The instance '%s' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.", id)
			}
			if i.Spot != nil && !i.Spot.Persistent {
				return apierr.Newf("UnsupportedOperation", "You can't stop the Spot Instance '%s' because it is associated with a one-time Spot Instance request. You can only stop Spot Instances associated with persistent Spot Instance requests.", id)
			}
		}
		for _, id := range ids {
			i := t.st.Instances[id]
			ch := InstanceStateChange{ID: id, Previous: i.State, Current: i.State}
			if i.State == model.InstanceRunning {
				c := *i
				c.State, c.StateReason = model.InstanceStopping, "Client.UserInitiatedShutdown: User initiated shutdown"
				put(t, model.KindInstance, t.st.Instances, id, &c)
				t.instanceDown(&c)
				ch.Current = c.State
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}

// StartInstances starts stopped instances (pending, then running at the
// next Step). Running or pending instances stay as they are; one that is
// stopping, shutting down or terminated is IncorrectInstanceState.
func (e *Engine) StartInstances(ids []model.InstanceID) ([]InstanceStateChange, error) {
	var out []InstanceStateChange
	err := e.write(func(t *txn) error {
		if err := t.instancesFor(ids); err != nil {
			return err
		}
		for _, id := range ids {
			switch t.st.Instances[id].State {
			case model.InstanceStopping, model.InstanceShuttingDown, model.InstanceTerminated:
				return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be started.", id)
			}
		}
		for _, id := range ids {
			i := t.st.Instances[id]
			ch := InstanceStateChange{ID: id, Previous: i.State, Current: i.State}
			if i.State == model.InstanceStopped {
				c := *i
				// LaunchTime is the time of the last start, as AWS reports it.
				c.State, c.StateReason, c.LaunchTime = model.InstancePending, "", t.now
				put(t, model.KindInstance, t.st.Instances, id, &c)
				if err := t.instanceUp(&c); err != nil {
					return err
				}
				ch.Current = c.State
			}
			out = append(out, ch)
		}
		return nil
	})
	return out, err
}

// RebootInstances reboots running instances: they stay running. A stopped
// or terminated instance is IncorrectInstanceState.
func (e *Engine) RebootInstances(ids []model.InstanceID) error {
	return e.write(func(t *txn) error {
		if err := t.instancesFor(ids); err != nil {
			return err
		}
		for _, id := range ids {
			switch t.st.Instances[id].State {
			case model.InstancePending, model.InstanceRunning:
			default:
				return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be rebooted.", id)
			}
		}
		return nil
	})
}

// instanceDown is what stopping does beyond the state: the public IPv4
// address AWS assigned goes back to the pool (an Elastic IP stays), and
// the ECS agent disconnects, so the tasks on the instance stop.
func (t *txn) instanceDown(i *model.Instance) {
	for _, n := range t.instanceENIs(i.ID) {
		changed := false
		c := cloneENI(n)
		for k, p := range c.PrivateIPs {
			if p.PublicIP != nil && p.PublicIP.AllocationID == "" {
				c.PrivateIPs[k].PublicIP = nil
				changed = true
			}
		}
		if changed {
			t.putENI(c)
		}
	}
	for _, ci := range sortedValues(t.st.ContainerInstances) {
		if ci.EC2InstanceID != i.ID || ci.Status == "INACTIVE" {
			continue
		}
		for _, tk := range t.hostTasks(ci.ARN) {
			t.stopTask(tk, "TaskFailedToStart", "Host EC2 (instance "+string(i.ID)+") stopped.", true)
		}
		nc := *ci
		nc.AgentConnected = false
		nc.Version++
		put(t, model.KindContainerInstance, t.st.ContainerInstances, nc.ARN, &nc)
	}
}

// instanceUp gives a starting instance's primary interface a new public
// IPv4 address when it was launched with one that AWS assigned.
func (t *txn) instanceUp(i *model.Instance) error {
	if n := t.st.NetworkInterfaces[i.PrimaryENI]; n != nil && i.AutoPublicIP {
		if _, has := n.PublicIP(); !has {
			pub, err := t.allocPublicIP(netip.Addr{})
			if err != nil {
				return err
			}
			c := cloneENI(n)
			for k := range c.PrivateIPs {
				if c.PrivateIPs[k].Primary {
					c.PrivateIPs[k].PublicIP = &model.PublicIPAssociation{PublicIP: pub, IPOwnerID: "amazon"}
				}
			}
			t.putENI(c)
		}
	}
	return nil
}

// agentReconnect lets the ECS agent of an instance that is running again
// reconnect.
func (t *txn) agentReconnect(id model.InstanceID) {
	for _, ci := range sortedValues(t.st.ContainerInstances) {
		if ci.EC2InstanceID == id && ci.Status != "INACTIVE" && !ci.AgentConnected {
			if t.e.registerCheck != nil {
				if why, ok := t.e.registerCheck(t.st, t.st.Instances[id]); why != "" || !ok {
					continue // no path to ACS: it stays disconnected
				}
			}
			nc := *ci
			nc.AgentConnected = true
			nc.Version++
			put(t, model.KindContainerInstance, t.st.ContainerInstances, nc.ARN, &nc)
		}
	}
}

// ModifyInstanceAttributeInput is ModifyInstanceAttribute's input: one
// attribute per call, as AWS requires.
type ModifyInstanceAttributeInput struct {
	ID                    model.InstanceID
	InstanceType          *string
	UserData              *string // decoded
	Groups                []model.SecurityGroupID
	SourceDestCheck       *bool
	DisableAPITermination *bool
	DisableAPIStop        *bool
	EBSOptimized          *bool
	ShutdownBehavior      *string
	// DeleteOnTermination sets the flag of the volumes at these devices.
	DeleteOnTermination map[string]bool
}

// ModifyInstanceAttribute changes one attribute of an instance. The type
// and user data change only while it is stopped; groups and the
// source/destination check are those of its primary interface.
func (e *Engine) ModifyInstanceAttribute(in ModifyInstanceAttributeInput) error {
	n := 0
	for _, set := range []bool{in.InstanceType != nil, in.UserData != nil, in.Groups != nil, in.SourceDestCheck != nil,
		in.DisableAPITermination != nil, in.DisableAPIStop != nil, in.EBSOptimized != nil, in.ShutdownBehavior != nil, len(in.DeleteOnTermination) > 0} {
		if set {
			n++
		}
	}
	if n == 0 {
		return errMissingParameter("Attribute")
	}
	if n > 1 {
		return apierr.New("InvalidParameterCombination", "Fields for multiple attribute types specified")
	}
	return e.write(func(t *txn) error {
		i, err := t.instance(in.ID)
		if err != nil {
			return err
		}
		if i.State == model.InstanceTerminated || i.State == model.InstanceShuttingDown {
			return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be modified.", i.ID)
		}
		c := *i
		switch {
		case len(in.DeleteOnTermination) > 0:
			for _, dev := range sortedKeys(in.DeleteOnTermination) {
				if err := t.setDeleteOnTermination(i.ID, dev, in.DeleteOnTermination[dev]); err != nil {
					return err
				}
			}
			return nil
		case in.InstanceType != nil:
			if i.State != model.InstanceStopped {
				return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in the 'stopped' state.", i.ID)
			}
			it, ok := model.LookupInstanceType(*in.InstanceType)
			if !ok {
				return errInvalidParameterValue("The instance type '%s' does not exist", *in.InstanceType)
			}
			c.Type = it.Name
		case in.UserData != nil:
			if i.State != model.InstanceStopped {
				return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in the 'stopped' state.", i.ID)
			}
			c.UserData = *in.UserData
		case in.Groups != nil || in.SourceDestCheck != nil:
			eni := t.st.NetworkInterfaces[i.PrimaryENI]
			if eni == nil {
				return errInstanceNotFound(i.ID)
			}
			ne := cloneENI(eni)
			if in.Groups != nil {
				if len(in.Groups) == 0 {
					return errMissingParameter("groupId")
				}
				g, err := t.checkGroups(eni.VpcID, in.Groups)
				if err != nil {
					return err
				}
				ne.SecurityGroups = g
			} else {
				ne.SourceDestCheck = *in.SourceDestCheck
			}
			t.putENI(ne)
			return nil
		case in.DisableAPITermination != nil:
			c.DisableAPITermination = *in.DisableAPITermination
		case in.DisableAPIStop != nil:
			c.DisableAPIStop = *in.DisableAPIStop
		case in.EBSOptimized != nil:
			c.EBSOptimized = *in.EBSOptimized
		case in.ShutdownBehavior != nil:
			switch *in.ShutdownBehavior {
			case "stop", "terminate":
			default:
				return errInvalidParameterValue("Value (%s) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are 'stop' and 'terminate'.", *in.ShutdownBehavior)
			}
			c.ShutdownBehavior = *in.ShutdownBehavior
		}
		put(t, model.KindInstance, t.st.Instances, c.ID, &c)
		return nil
	})
}

// statusChecksInitializingSeconds is how long EC2's status checks of an
// instance stay "initializing" after it is launched or started: AWS runs
// them for a few minutes before the first result [choice: 2 minutes].
const statusChecksInitializingSeconds = 120

// StatusChecksInitializing reports whether the status checks of running
// instance i are still initializing: less than two minutes of EC2's time
// (scaled as ELB's, Config.ELBTimeScale; none when the engine scales no
// time) since its LaunchTime, its last start.
func (e *Engine) StatusChecksInitializing(i *model.Instance) bool {
	d := e.cfg.elbDuration(statusChecksInitializingSeconds)
	return d > 0 && e.Now().Before(i.LaunchTime.Add(d))
}
