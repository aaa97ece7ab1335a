package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Auto Scaling (Query protocol, API 2011-01-01). Errors are HTTP 400
// "Sender" faults; texts are AWS's as quoted in public issues unless marked
// UNVERIFIED (sources: docs/research/aws-facts.md §3).

const (
	maxASGTargetGroups = 50
	asgNameTag         = "aws:autoscaling:groupName"
	userShutdownReason = "Client.UserInitiatedShutdown: User initiated shutdown"
)

func errASGValidation(format string, args ...any) error {
	return apierr.Newf("ValidationError", format, args...)
}

// errASGNotFound is AWS's answer to most operations on a group that does
// not exist (UpdateAutoScalingGroup, SetDesiredCapacity, …): the name is
// not echoed. DeleteAutoScalingGroup names the group (errASGDeleteNotFound).
func errASGNotFound(string) error {
	return errASGValidation("AutoScalingGroup name not found - null")
}

func errASGDeleteNotFound(name string) error {
	return errASGValidation("AutoScalingGroup name not found - AutoScalingGroup '%s' not found", name)
}

func errLCNotFound(name string) error {
	return errASGValidation("Launch configuration name not found - Launch configuration %s not found", name)
}

func errLaunchTemplate(msg string) error {
	return errASGValidation("You must use a valid fully-formed launch template. %s", msg)
}

// CreateLaunchConfigurationInput is CreateLaunchConfiguration's input.
type CreateLaunchConfigurationInput struct {
	Name                     string
	ImageID                  string
	InstanceType             string
	SecurityGroups           []model.SecurityGroupID
	UserData                 string // base64, as on the wire
	AssociatePublicIPAddress *bool
	IAMProfile               string
	KeyName                  string
	SpotPrice                string
	InstanceMonitoring       *bool
	EbsOptimized             bool
	BlockDevices             []model.LCBlockDevice
	Metadata                 *model.LCMetadataOptions
	ClassicLinkVPCID         string
	ClassicLinkGroups        []string
	// InstanceID, when set, takes the AMI, instance type, key pair,
	// security groups and instance profile the request leaves out from that
	// instance.
	InstanceID model.InstanceID
}

// LaunchConfigurationsUnavailable is Auto Scaling's answer to
// CreateLaunchConfiguration in an account created after October 1, 2024
// (Config.NoLaunchConfigurations), an UnsupportedOperation.
const LaunchConfigurationsUnavailable = "The Launch Configuration creation operation is not available in your account. Use launch templates to create configuration templates for your Auto Scaling groups."

// CreateLaunchConfiguration creates a (legacy) launch configuration. Names
// are unique per account and region (AlreadyExists).
func (e *Engine) CreateLaunchConfiguration(in CreateLaunchConfigurationInput) (*model.LaunchConfiguration, error) {
	if in.Name == "" || len(in.Name) > 255 {
		return nil, errASGValidation("1 validation error detected: Value '%s' at 'launchConfigurationName' failed to satisfy constraint: Member must have length less than or equal to 255", in.Name)
	}
	if in.InstanceID == "" && (in.ImageID == "" || in.InstanceType == "") {
		// Probable text (no real-AWS quotation found).
		return nil, errASGValidation("Valid requests must contain either the InstanceID parameter or both the ImageId and InstanceType parameters.")
	}
	if e.cfg.NoLaunchConfigurations {
		return nil, apierr.New("UnsupportedOperation", LaunchConfigurationsUnavailable)
	}
	var out *model.LaunchConfiguration
	err := e.write(func(t *txn) error {
		var err error
		out, err = t.createLaunchConfiguration(in)
		return err
	})
	return out, err
}

// launchConfigurationGroupIDs checks the security groups of a launch
// configuration as CreateLaunchConfiguration does and answers their ids:
// the list gives ids or names, not both, and a name is that of a group of
// the region's default VPC (the launch configuration keeps the names as
// given; its launches use the groups they name). An id is checked at
// launch, as RunInstances checks it.
func (t *txn) launchConfigurationGroupIDs(groups []model.SecurityGroupID) ([]model.SecurityGroupID, error) {
	names := 0
	for _, g := range groups {
		if !strings.HasPrefix(string(g), "sg-") {
			names++
		}
	}
	if names == 0 {
		return slices.Clone(groups), nil
	}
	if names != len(groups) {
		return nil, errASGValidation("Must use either use group-id or group-name for all the security groups, not both at the same time")
	}
	vpc := t.defaultVpc()
	if vpc == nil {
		return nil, errASGValidation("No default VPC for this user")
	}
	ids := make([]model.SecurityGroupID, 0, len(groups))
	for _, name := range groups {
		id := model.SecurityGroupID("")
		for _, sg := range t.st.SecurityGroups {
			if sg.VpcID == vpc.ID && sg.Name == string(name) {
				id = sg.ID
				break
			}
		}
		if id == "" {
			return nil, errASGValidation("The security group '%s' does not exist in default VPC '%s'", name, vpc.ID)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// fromInstance fills what a launch configuration leaves out from the
// instance it is based on.
func (t *txn) fromInstance(in *CreateLaunchConfigurationInput) error {
	inst := t.st.Instances[in.InstanceID]
	if inst == nil || inst.State == model.InstanceTerminated {
		return errASGValidation("Instance [%s] is invalid.", in.InstanceID)
	}
	if in.ImageID == "" {
		in.ImageID = inst.ImageID
	}
	if in.InstanceType == "" {
		in.InstanceType = inst.Type
	}
	if in.KeyName == "" {
		in.KeyName = inst.KeyName
	}
	if in.IAMProfile == "" {
		in.IAMProfile = inst.IAMProfile
	}
	if len(in.SecurityGroups) == 0 {
		if eni := t.st.NetworkInterfaces[inst.PrimaryENI]; eni != nil {
			in.SecurityGroups = slices.Clone(eni.SecurityGroups)
		}
	}
	return nil
}

// checkLaunchConfigurationImage refuses an image CreateLaunchConfiguration
// cannot use, with Auto Scaling's text: an id that is no AMI id, or an
// image of the account's that is deregistered. A well-formed id ecsnet
// does not know is accepted only where RunInstances accepts it (an
// Config.KnownImagesOnly is off).
func (t *txn) checkLaunchConfigurationImage(id string) error {
	_, known := t.launchableImage(id)
	if wellFormedID(id, "ami") && (known || (t.st.Images[model.ImageID(id)] == nil && !t.e.cfg.KnownImagesOnly)) {
		return nil
	}
	return errASGValidation("AMI %s is invalid: The image id '[%s]' does not exist", id, id)
}

func (t *txn) createLaunchConfiguration(in CreateLaunchConfigurationInput) (*model.LaunchConfiguration, error) {
	if in.InstanceID != "" {
		if err := t.fromInstance(&in); err != nil {
			return nil, err
		}
	}
	if err := t.launchKeyPair(in.KeyName); err != nil {
		return nil, errASGValidation("%s", apierr.As(err).Message)
	}
	if err := t.checkLaunchConfigurationImage(in.ImageID); err != nil {
		return nil, err
	}
	// Launch configurations refuse the types released after 2022 as
	// they refuse an unknown type.
	if _, ok := model.LookupInstanceType(in.InstanceType); !ok || !model.LaunchConfigurationSupports(in.InstanceType) {
		return nil, errASGValidation("The specified instance type %s is not valid", in.InstanceType)
	}
	if in.InstanceID == "" {
		ids, err := t.launchConfigurationGroupIDs(in.SecurityGroups)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if t.st.SecurityGroups[id] == nil {
				return nil, errASGValidation("The security group '%s' does not exist", id)
			}
		}
	}
	if t.st.LaunchConfigurations[in.Name] != nil {
		return nil, apierr.Newf("AlreadyExists", "Launch Configuration by this name already exists - A launch configuration already exists with the name %s", in.Name)
	}
	out := &model.LaunchConfiguration{
		Name: in.Name,
		ARN: t.e.cfg.arn("autoscaling", fmt.Sprintf("launchConfiguration:%s:launchConfigurationName/%s",
			t.uuid(), in.Name)),
		ImageID:                  in.ImageID,
		InstanceType:             in.InstanceType,
		SecurityGroups:           slices.Clone(in.SecurityGroups),
		UserData:                 in.UserData,
		AssociatePublicIPAddress: in.AssociatePublicIPAddress,
		IAMProfile:               in.IAMProfile,
		KeyName:                  in.KeyName,
		CreatedAt:                t.now,
		SpotPrice:                in.SpotPrice,
		InstanceMonitoring:       in.InstanceMonitoring,
		EbsOptimized:             in.EbsOptimized,
		BlockDevices:             slices.Clone(in.BlockDevices),
		Metadata:                 in.Metadata,
		ClassicLinkVPCID:         in.ClassicLinkVPCID,
		ClassicLinkGroups:        slices.Clone(in.ClassicLinkGroups),
	}
	put(t, model.KindLaunchConfiguration, t.st.LaunchConfigurations, out.Name, out)
	return out, nil
}

// DeleteLaunchConfiguration deletes a launch configuration no Auto Scaling
// group uses (ResourceInUse otherwise).
func (e *Engine) DeleteLaunchConfiguration(name string) error {
	return e.write(func(t *txn) error {
		if t.st.LaunchConfigurations[name] == nil {
			return errLCNotFound(name)
		}
		for _, g := range sortedValues(t.st.AutoScalingGroups) {
			if g.LaunchConfiguration == name {
				return apierr.Newf("ResourceInUse", "Cannot delete launch configuration %s because it is attached to AutoScalingGroup %s", name, g.Name)
			}
		}
		del(t, model.KindLaunchConfiguration, t.st.LaunchConfigurations, name)
		return nil
	})
}

// CreateAutoScalingGroupInput is CreateAutoScalingGroup's input.
type CreateAutoScalingGroupInput struct {
	// InstanceID bases the group on an instance: a launch configuration
	// named after the group takes the instance's AMI, type, key pair,
	// security groups and profile, and the group its subnet unless given.
	InstanceID model.InstanceID
	Name       string
	// LaunchTemplate (by id or name, and version) or LaunchConfigurationName:
	// exactly one.
	LaunchTemplate          *model.LaunchTemplateRef
	LaunchConfigurationName string
	MinSize, MaxSize        int
	DesiredCapacity         *int // default MinSize
	// Subnets is VPCZoneIdentifier, split at the commas.
	Subnets []model.SubnetID
	// AvailabilityZones, without Subnets, launches into the default subnet
	// of each zone.
	AvailabilityZones      []string
	TargetGroupARNs        []string
	HealthCheckType        string // EC2 (default) or ELB
	HealthCheckGracePeriod int
	NewInstancesProtected  bool
	CapacityRebalance      bool
	Tags                   []model.ASGTag
	DefaultCooldown        *int
	TerminationPolicies    []string
	// MixedInstances replaces LaunchTemplate: its template is
	// MixedInstancesTemplate.
	MixedInstances         *model.MixedInstancesPolicy
	MixedInstancesTemplate *model.LaunchTemplateRef
	LifecycleHooks         []model.LifecycleHook
	// LoadBalancerNames are Classic Load Balancers the instances register
	// with.
	LoadBalancerNames []string
	// PlacementGroup is the placement group the instances launch into.
	PlacementGroup string
	// FixedPublicIPs is ecsnet's own: instance n of the group (in launch
	// order, from 1) gets public address FixedPublicIPs[n-1].
	FixedPublicIPs []netip.Addr
	// Options are the settings AWS stores and reports without ecsnet
	// acting on them (warm-up, lifetime, capacity unit, context).
	Options ASGOptions
	// IAM is the engine that holds IAM (us-east-1's): a launch template's
	// instance profile must exist there. Nil skips the check (sources
	// name profiles ecsnet never created).
	IAM *Engine
}

// ASGOptions are group settings that CreateAutoScalingGroup and
// UpdateAutoScalingGroup store (nil: not given).
type ASGOptions struct {
	DefaultInstanceWarmup *int
	MaxInstanceLifetime   *int
	DesiredCapacityType   *string
	Context               *string
	// PlacementGroup is the group's placement group by name ("" none).
	PlacementGroup     *string
	DeletionProtection *string
	// Maintenance is the instance maintenance policy's min and max healthy
	// percentages (nil: not given).
	Maintenance *[2]int
}

// apply checks the options and sets them on c.
func (o ASGOptions) apply(c *model.AutoScalingGroup) error {
	if o.MaxInstanceLifetime != nil {
		if v := *o.MaxInstanceLifetime; v != 0 && (v < 86400 || v > 31536000) {
			return errASGValidation("Maximum instance lifetime must be equal to 0 or between 86400 and 31536000 seconds (inclusive).")
		}
		c.MaxInstanceLifetime = *o.MaxInstanceLifetime
	}
	if o.DesiredCapacityType != nil {
		if v := *o.DesiredCapacityType; v != "units" && v != "vcpu" && v != "memory-mib" {
			return errASGValidation("1 validation error detected: Value '%s' at 'desiredCapacityType' failed to satisfy constraint: Member must satisfy enum value set: [units, vcpu, memory-mib]", v) // probable
		}
		c.DesiredCapacityType = *o.DesiredCapacityType
	}
	if o.DefaultInstanceWarmup != nil {
		if *o.DefaultInstanceWarmup < -1 {
			return errASGValidation("1 validation error detected: Value '%d' at 'defaultInstanceWarmup' failed to satisfy constraint: Member must have value greater than or equal to -1", *o.DefaultInstanceWarmup) // probable
		}
		v := *o.DefaultInstanceWarmup
		c.DefaultInstanceWarmup = &v
	}
	if o.Context != nil {
		c.Context = *o.Context
	}
	if o.PlacementGroup != nil {
		c.PlacementGroup = *o.PlacementGroup
	}
	if m := o.Maintenance; m != nil {
		lo, hi := m[0], m[1]
		if (lo != -1 || hi != -1) && (lo < 0 || lo > 100 || hi < 100 || hi > 200 || hi-lo > 100) {
			return errASGValidation("Invalid instance maintenance policy: MinHealthyPercentage must be between 0 and 100, MaxHealthyPercentage between 100 and 200, and their difference at most 100.") // probable
		}
		if lo == -1 && hi == -1 {
			c.MaintenanceMinHealthy, c.MaintenanceMaxHealthy = nil, nil
		} else {
			c.MaintenanceMinHealthy, c.MaintenanceMaxHealthy = &lo, &hi
		}
	}
	if o.DeletionProtection != nil {
		switch v := *o.DeletionProtection; v {
		case "none", "prevent-force-deletion", "prevent-all-deletion":
			c.DeletionProtection = v
			if v == "none" {
				c.DeletionProtection = ""
			}
		default:
			return errASGValidation("1 validation error detected: Value '%s' at 'deletionProtection' failed to satisfy constraint: Member must satisfy enum value set: [none, prevent-force-deletion, prevent-all-deletion]", v) // probable
		}
	}
	return nil
}

// CreateAutoScalingGroup creates an Auto Scaling group, as AWS does:
//   - a launch template (by id or name, with a version) or a launch
//     configuration, which must exist;
//   - MinSize <= DesiredCapacity (default MinSize) <= MaxSize;
//   - VPCZoneIdentifier subnets that exist and share one VPC (or zones whose
//     default subnets are used); the launch template's security groups must
//     be in that VPC;
//   - target groups that exist;
//   - a name not in use (AlreadyExists).
//
// The group starts empty: Step (reconcileAutoScalingGroups) launches its
// instances, as AWS's scaling activities do after the call returns.
func (e *Engine) CreateAutoScalingGroup(in CreateAutoScalingGroupInput) (*model.AutoScalingGroup, error) {
	if in.Name == "" || len(in.Name) > 255 || strings.Contains(in.Name, ":") {
		return nil, errASGValidation("1 validation error detected: Value '%s' at 'autoScalingGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*", in.Name)
	}
	if in.MixedInstances != nil {
		if in.LaunchTemplate != nil || in.LaunchConfigurationName != "" {
			return nil, errASGValidation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
		}
		if in.MixedInstancesTemplate == nil {
			return nil, errASGValidation("The specified MixedInstancesPolicy is invalid. A LaunchTemplateSpecification is required.") // probable
		}
		in.LaunchTemplate = in.MixedInstancesTemplate
	}
	sources := 0
	for _, given := range []bool{in.LaunchTemplate != nil, in.LaunchConfigurationName != "", in.InstanceID != ""} {
		if given {
			sources++
		}
	}
	if sources != 1 {
		return nil, errASGValidation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
	}
	cooldown := 300
	if in.DefaultCooldown != nil {
		cooldown = *in.DefaultCooldown
	}
	desired := in.MinSize
	if in.DesiredCapacity != nil {
		desired = *in.DesiredCapacity
	}
	if err := checkCapacity(in.MinSize, in.MaxSize, desired); err != nil {
		return nil, err
	}
	hc := in.HealthCheckType
	if hc == "" {
		hc = "EC2"
	}
	if err := checkHealthCheckType(hc); err != nil {
		return nil, err
	}
	hooks := slices.Clone(in.LifecycleHooks)
	for i := range hooks {
		if hooks[i].Transition == "" {
			return nil, errASGValidation("1 validation error detected: Value null at 'lifecycleTransition' failed to satisfy constraint: Member must not be null") // probable
		}
		if err := checkLifecycleHook(&hooks[i]); err != nil {
			return nil, err
		}
	}
	if len(in.TargetGroupARNs) > maxASGTargetGroups {
		return nil, errASGValidation("Too many Target Groups specified for this group. The limit is 50")
	}
	var out *model.AutoScalingGroup
	err := e.write(func(t *txn) error {
		if t.st.AutoScalingGroups[in.Name] != nil {
			return apierr.Newf("AlreadyExists", "AutoScalingGroup by this name already exists - A group with the name %s already exists", in.Name)
		}
		if in.InstanceID != "" {
			inst := t.st.Instances[in.InstanceID]
			if inst == nil || inst.State == model.InstanceTerminated {
				return errASGValidation("Instance [%s] is invalid.", in.InstanceID)
			}
			if len(in.Subnets) == 0 && len(in.AvailabilityZones) == 0 {
				in.Subnets = []model.SubnetID{inst.SubnetID}
			}
			if _, err := t.createLaunchConfiguration(CreateLaunchConfigurationInput{Name: in.Name, InstanceID: in.InstanceID}); err != nil {
				return err
			}
			in.LaunchConfigurationName = in.Name
		}
		subnets, vpc, err := t.asgSubnets(in.Subnets, in.AvailabilityZones)
		if err != nil {
			return err
		}
		ref, err := t.asgLaunchSource(in.LaunchTemplate, in.LaunchConfigurationName, vpc, in.IAM)
		if err != nil {
			return err
		}
		if err := t.asgTargetGroups(in.TargetGroupARNs); err != nil {
			return err
		}
		if err := t.asgOverrides(in.MixedInstances); err != nil {
			return err
		}
		if err := t.asgClassicLBs(in.LoadBalancerNames); err != nil {
			return err
		}
		g := &model.AutoScalingGroup{
			Name: in.Name,
			ARN: t.e.cfg.arn("autoscaling", fmt.Sprintf("autoScalingGroup:%s:autoScalingGroupName/%s",
				t.uuid(), in.Name)),
			LaunchTemplate:         ref,
			LaunchConfiguration:    in.LaunchConfigurationName,
			MinSize:                in.MinSize,
			MaxSize:                in.MaxSize,
			DesiredCapacity:        desired,
			Subnets:                subnets,
			TargetGroupARNs:        slices.Clone(in.TargetGroupARNs),
			HealthCheckType:        hc,
			HealthCheckGracePeriod: in.HealthCheckGracePeriod,
			NewInstancesProtected:  in.NewInstancesProtected,
			CapacityRebalance:      in.CapacityRebalance,
			CreatedAt:              t.now,
			Tags:                   slices.Clone(in.Tags),
			FixedPublicIPs:         slices.Clone(in.FixedPublicIPs),
			DefaultCooldown:        cooldown,
			TerminationPolicies:    slices.Clone(in.TerminationPolicies),
			MixedInstances:         cloneMixed(in.MixedInstances),
			LifecycleHooks:         hooks,
			LoadBalancerNames:      slices.Clone(in.LoadBalancerNames),
			PlacementGroup:         in.PlacementGroup,
		}
		g.ZonesOnly = len(in.Subnets) == 0
		if err := in.Options.apply(g); err != nil {
			return err
		}
		put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, g.Name, g)
		// The launch activity starts with the request: the instances are
		// pending in the answer's wake, not one scheduler pass later.
		t.scaleGroup(g)
		out = t.st.AutoScalingGroups[g.Name]
		return nil
	})
	return out, err
}

// checkCapacity applies AWS's MinSize/MaxSize/DesiredCapacity rules.
func checkCapacity(minSize, maxSize, desired int) error {
	for _, v := range []struct {
		n     int
		field string
	}{{minSize, "minSize"}, {maxSize, "maxSize"}, {desired, "desiredCapacity"}} {
		if v.n < 0 {
			return errASGValidation("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 0", v.n, v.field)
		}
	}
	if minSize > maxSize {
		return errASGValidation("Max bound, %d, must be greater than or equal to min bound, %d", maxSize, minSize)
	}
	if desired < minSize || desired > maxSize {
		return errASGValidation("Desired capacity:%d must be between the specified min size:%d and max size:%d", desired, minSize, maxSize)
	}
	return nil
}

// asgSubnets resolves a group's subnets (or zones) and their VPC.
func (t *txn) asgSubnets(ids []model.SubnetID, zones []string) ([]model.SubnetID, model.VpcID, error) {
	if len(ids) == 0 && len(zones) == 0 {
		return nil, "", errASGValidation("At least one Availability Zone or VPC Subnet is required.")
	}
	var out []model.SubnetID
	var vpc model.VpcID
	if len(ids) == 0 {
		for _, z := range zones {
			var def *model.Subnet
			for _, s := range sortedValues(t.st.Subnets) {
				if s.DefaultForAZ && s.AvailabilityZone == z && def == nil {
					def = s
				}
			}
			if def == nil {
				return nil, "", errASGValidation("No default subnet for availability zone: '%s'", z) // UNVERIFIED text
			}
			ids = append(ids, def.ID)
		}
	}
	for _, id := range ids {
		s := t.st.Subnets[id]
		if s == nil {
			return nil, "", errASGValidation("The subnet ID '%s' does not exist", id)
		}
		if vpc == "" {
			vpc = s.VpcID
		} else if s.VpcID != vpc {
			return nil, "", errASGValidation("The subnets specified in VPCZoneIdentifier must be in the same VPC") // UNVERIFIED text
		}
		if len(zones) > 0 && !slices.Contains(zones, s.AvailabilityZone) {
			return nil, "", errASGValidation("The subnet '%s' is not in one of the specified Availability Zones", id) // UNVERIFIED text
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, vpc, nil
}

// asgLaunchSource validates a group's launch template or launch
// configuration and returns the template reference to store. With iam, the
// template's instance profile must exist (AWS checks it at
// CreateAutoScalingGroup and UpdateAutoScalingGroup, not at
// CreateLaunchTemplate).
func (t *txn) asgLaunchSource(ref *model.LaunchTemplateRef, lcName string, vpc model.VpcID, iam *Engine) (*model.LaunchTemplateRef, error) {
	var groups []model.SecurityGroupID
	if ref != nil {
		if (ref.ID == "") == (ref.Name == "") {
			return nil, errASGValidation("Valid requests must contain either launchTemplateId or LaunchTemplateName")
		}
		lt, err := t.launchTemplate(*ref)
		if err != nil {
			return nil, errLaunchTemplate(apierr.As(err).Message)
		}
		v, ok := lt.Version(ref.Version)
		if !ok {
			return nil, errLaunchTemplate(fmt.Sprintf("Could not find the specified version %s for the launch template with ID %s.", ref.Version, lt.ID)) // probable
		}
		if d := v.Data; iam != nil && (d.IAMProfileARN != "" || d.IAMProfileName != "") {
			if _, err := t.resolveProfile(iam, ProfileRef{ARN: d.IAMProfileARN, Name: d.IAMProfileName}); err != nil {
				return nil, errLaunchTemplate(apierr.As(err).Message)
			}
		}
		if err := t.launchKeyPair(v.Data.KeyName); err != nil {
			return nil, errLaunchTemplate(apierr.As(err).Message)
		}
		groups = append(groups, v.Data.SecurityGroupIDs...)
		for _, ni := range v.Data.NetworkInterfaces {
			groups = append(groups, ni.Groups...)
		}
		for _, g := range groups {
			if sg := t.st.SecurityGroups[g]; sg == nil || sg.VpcID != vpc {
				return nil, errASGValidation("One or more security groups in the launch template are not linked to the VPCs configured in the Auto Scaling group")
			}
		}
		// The group names its template by id and name, whichever the
		// request gave; a version left out stays out (launches use the
		// default version).
		c := model.LaunchTemplateRef{ID: lt.ID, Name: lt.Name, Version: ref.Version}
		return &c, nil
	}
	if t.st.LaunchConfigurations[lcName] == nil {
		return nil, errLCNotFound(lcName)
	}
	return nil, nil
}

// asgTargetGroups checks that a group's target groups exist and register
// instances: Auto Scaling registers its instances by id, so a target group
// of target type ip (an awsvpc service's), lambda or alb is refused
// (CreateAutoScalingGroup, AttachLoadBalancerTargetGroups,
// AttachTrafficSources, a CloudFormation update of the group).
func (t *txn) asgTargetGroups(arns []string) error {
	for _, arn := range arns {
		tg := t.st.TargetGroups[arn]
		if tg == nil {
			return errASGValidation("Provided Target Groups may not be valid. Please ensure they exist and try again.")
		}
		if tg.TargetType != "" && tg.TargetType != "instance" {
			return errASGValidation("Provided Target Group '%s' has invalid target type. Please ensure all provided Target Groups have target type of instance.", arn)
		}
	}
	return nil
}

// asg returns the named group (ValidationError when there is none).
func (t *txn) asg(name string) (*model.AutoScalingGroup, error) {
	g := t.st.AutoScalingGroups[name]
	if g == nil {
		return nil, errASGNotFound(name)
	}
	return g, nil
}

func cloneASG(g *model.AutoScalingGroup) *model.AutoScalingGroup {
	c := *g
	if g.LaunchTemplate != nil {
		r := *g.LaunchTemplate
		c.LaunchTemplate = &r
	}
	c.Subnets = slices.Clone(g.Subnets)
	c.TargetGroupARNs = slices.Clone(g.TargetGroupARNs)
	c.Tags = slices.Clone(g.Tags)
	c.FixedPublicIPs = slices.Clone(g.FixedPublicIPs)
	c.TerminationPolicies = slices.Clone(g.TerminationPolicies)
	c.LoadBalancerNames = slices.Clone(g.LoadBalancerNames)
	c.Policies = slices.Clone(g.Policies)
	c.ScheduledActions = slices.Clone(g.ScheduledActions)
	c.SuspendedProcesses = slices.Clone(g.SuspendedProcesses)
	c.LifecycleHooks = slices.Clone(g.LifecycleHooks)
	c.MixedInstances = cloneMixed(g.MixedInstances)
	c.ProtectedInstances = slices.Clone(g.ProtectedInstances)
	c.Activities = slices.Clone(g.Activities)
	c.ASGExtra = cloneASGExtra(g.ASGExtra)
	return &c
}

func cloneMixed(m *model.MixedInstancesPolicy) *model.MixedInstancesPolicy {
	if m == nil {
		return nil
	}
	c := *m
	c.Overrides = slices.Clone(m.Overrides)
	return &c
}

// asgOverrides checks a mixed-instances policy's overrides: known
// instance types, and at most 40 of them (AWS's limit).
func (t *txn) asgOverrides(m *model.MixedInstancesPolicy) error {
	if m == nil {
		return nil
	}
	if len(m.Overrides) > 40 {
		return errASGValidation("The number of overrides must not exceed 40.") // probable
	}
	for _, o := range m.Overrides {
		if o.InstanceType == "" {
			continue
		}
		if _, ok := model.LookupInstanceType(o.InstanceType); !ok {
			return errASGValidation("Invalid instance type %s in the launch template overrides.", o.InstanceType) // probable
		}
	}
	if m.OnDemandPercentageAboveBase < 0 || m.OnDemandPercentageAboveBase > 100 {
		return errASGValidation("1 validation error detected: Value '%d' at 'mixedInstancesPolicy.instancesDistribution.onDemandPercentageAboveBaseCapacity' failed to satisfy constraint: Member must have value less than or equal to 100", m.OnDemandPercentageAboveBase)
	}
	return nil
}

// UpdateAutoScalingGroupInput changes a group; nil fields stay as they are.
type UpdateAutoScalingGroupInput struct {
	Name                    string
	LaunchTemplate          *model.LaunchTemplateRef
	LaunchConfigurationName *string
	MinSize                 *int
	MaxSize                 *int
	DesiredCapacity         *int
	Subnets                 []model.SubnetID
	// AvailabilityZones, without Subnets, moves the group to the default
	// subnets of these zones.
	AvailabilityZones      []string
	TargetGroupARNs        []string // ecsnet's shortcut for Attach/DetachLoadBalancerTargetGroups
	HealthCheckType        *string
	HealthCheckGracePeriod *int
	NewInstancesProtected  *bool
	CapacityRebalance      *bool
	DefaultCooldown        *int
	TerminationPolicies    []string
	MixedInstances         *model.MixedInstancesPolicy
	// MixedInstancesUpdate changes only the members it gives of the
	// group's policy (UpdateAutoScalingGroup's MixedInstancesPolicy);
	// MixedInstances, when set, replaces the policy whole.
	MixedInstancesUpdate   *MixedInstancesUpdate
	MixedInstancesTemplate *model.LaunchTemplateRef
	Options                ASGOptions
	IAM                    *Engine // as in CreateAutoScalingGroupInput
}

// MixedInstancesUpdate is a MixedInstancesPolicy as a request gives it: nil
// members are those the request leaves out.
type MixedInstancesUpdate struct {
	Overrides                                                            *[]model.LaunchTemplateOverride
	OnDemandAllocationStrategy, SpotAllocationStrategy                   *string
	SpotMaxPrice                                                         *string
	OnDemandBaseCapacity, OnDemandPercentageAboveBase, SpotInstancePools *int
}

// Apply returns old (nil: a new policy, with AWS's defaults) with the
// update's members.
func (u MixedInstancesUpdate) Apply(old *model.MixedInstancesPolicy) *model.MixedInstancesPolicy {
	out := cloneMixed(old)
	if out == nil {
		out = &model.MixedInstancesPolicy{OnDemandPercentageAboveBase: 100, OnDemandAllocationStrategy: "prioritized", SpotAllocationStrategy: "lowest-price", SpotInstancePools: 2}
	}
	if u.Overrides != nil {
		out.Overrides = slices.Clone(*u.Overrides)
	}
	set := func(to *string, v *string) {
		if v != nil {
			*to = *v
		}
	}
	seti := func(to *int, v *int) {
		if v != nil {
			*to = *v
		}
	}
	set(&out.OnDemandAllocationStrategy, u.OnDemandAllocationStrategy)
	set(&out.SpotAllocationStrategy, u.SpotAllocationStrategy)
	set(&out.SpotMaxPrice, u.SpotMaxPrice)
	seti(&out.OnDemandBaseCapacity, u.OnDemandBaseCapacity)
	seti(&out.OnDemandPercentageAboveBase, u.OnDemandPercentageAboveBase)
	seti(&out.SpotInstancePools, u.SpotInstancePools)
	return out
}

// UpdateAutoScalingGroup changes a group's launch source, sizes, subnets or
// target groups. As on AWS, a new MinSize above the desired capacity (or
// MaxSize below it), given without DesiredCapacity, moves the desired
// capacity to that bound. Instances already running keep their launch
// source; Step converges the group to the new settings.
func (e *Engine) UpdateAutoScalingGroup(in UpdateAutoScalingGroupInput) (*model.AutoScalingGroup, error) {
	if (in.MixedInstances != nil || in.MixedInstancesUpdate != nil) && in.MixedInstancesTemplate != nil {
		if in.LaunchTemplate != nil || in.LaunchConfigurationName != nil {
			return nil, errASGValidation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
		}
		in.LaunchTemplate = in.MixedInstancesTemplate
	}
	if in.LaunchTemplate != nil && in.LaunchConfigurationName != nil {
		return nil, errASGValidation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
	}
	if len(in.TargetGroupARNs) > maxASGTargetGroups {
		return nil, errASGValidation("Too many Target Groups specified for this group. The limit is 50")
	}
	var out *model.AutoScalingGroup
	err := e.write(func(t *txn) error {
		g, err := t.asg(in.Name)
		if err != nil {
			return err
		}
		c := cloneASG(g)
		if in.MixedInstancesUpdate != nil && in.MixedInstances == nil {
			in.MixedInstances = in.MixedInstancesUpdate.Apply(g.MixedInstances)
		}
		if in.MinSize != nil {
			c.MinSize = *in.MinSize
		}
		if in.MaxSize != nil {
			c.MaxSize = *in.MaxSize
		}
		if in.DesiredCapacity != nil {
			c.DesiredCapacity = *in.DesiredCapacity
		} else {
			if in.MinSize != nil && c.DesiredCapacity < c.MinSize {
				c.DesiredCapacity = c.MinSize
			}
			if in.MaxSize != nil && c.DesiredCapacity > c.MaxSize {
				c.DesiredCapacity = c.MaxSize
			}
		}
		if err := checkCapacity(c.MinSize, c.MaxSize, c.DesiredCapacity); err != nil {
			return err
		}
		vpc := model.VpcID("")
		if len(g.Subnets) > 0 {
			if s := t.st.Subnets[g.Subnets[0]]; s != nil {
				vpc = s.VpcID
			}
		}
		if in.Subnets != nil || in.AvailabilityZones != nil {
			if c.Subnets, vpc, err = t.asgSubnets(in.Subnets, in.AvailabilityZones); err != nil {
				return err
			}
			c.ZonesOnly = len(in.Subnets) == 0
		}
		switch {
		case in.LaunchTemplate != nil:
			if c.LaunchTemplate, err = t.asgLaunchSource(in.LaunchTemplate, "", vpc, in.IAM); err != nil {
				return err
			}
			c.LaunchConfiguration = ""
			if in.MixedInstances == nil {
				c.MixedInstances = nil
			}
		case in.LaunchConfigurationName != nil:
			if _, err = t.asgLaunchSource(nil, *in.LaunchConfigurationName, vpc, nil); err != nil {
				return err
			}
			c.LaunchTemplate, c.LaunchConfiguration, c.MixedInstances = nil, *in.LaunchConfigurationName, nil
		}
		if in.MixedInstances != nil {
			if c.LaunchTemplate == nil {
				return errASGValidation("The specified MixedInstancesPolicy is invalid. A LaunchTemplateSpecification is required.") // probable
			}
			if err := t.asgOverrides(in.MixedInstances); err != nil {
				return err
			}
			c.MixedInstances = cloneMixed(in.MixedInstances)
		}
		if in.DefaultCooldown != nil {
			c.DefaultCooldown = *in.DefaultCooldown
		}
		if in.TerminationPolicies != nil {
			c.TerminationPolicies = slices.Clone(in.TerminationPolicies)
		}
		if in.HealthCheckType != nil {
			if err := checkHealthCheckType(*in.HealthCheckType); err != nil {
				return err
			}
			c.HealthCheckType = *in.HealthCheckType
		}
		if in.HealthCheckGracePeriod != nil {
			c.HealthCheckGracePeriod = *in.HealthCheckGracePeriod
		}
		if in.NewInstancesProtected != nil {
			c.NewInstancesProtected = *in.NewInstancesProtected
		}
		if in.CapacityRebalance != nil {
			c.CapacityRebalance = *in.CapacityRebalance
		}
		if err := in.Options.apply(c); err != nil {
			return err
		}
		if in.TargetGroupARNs != nil {
			if err := t.asgTargetGroups(in.TargetGroupARNs); err != nil {
				return err
			}
			for _, old := range g.TargetGroupARNs {
				if !slices.Contains(in.TargetGroupARNs, old) {
					for _, inst := range t.asgInstances(g.Name) {
						t.drainInstanceTargets(old, inst.ID)
					}
				}
			}
			c.TargetGroupARNs = slices.Clone(in.TargetGroupARNs)
		}
		put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
		t.scaleGroup(c)
		out = t.st.AutoScalingGroups[c.Name]
		return nil
	})
	return out, err
}

// SetDesiredCapacity sets a group's desired capacity, which must lie
// between its MinSize and MaxSize. Step launches or terminates instances to
// match.
func (e *Engine) SetDesiredCapacity(name string, desired int) error {
	return e.write(func(t *txn) error {
		g, err := t.asg(name)
		if err != nil {
			return err
		}
		if desired > g.MaxSize {
			return errASGValidation("New SetDesiredCapacity value %d is above max value %d for the AutoScalingGroup.", desired, g.MaxSize)
		}
		if desired < g.MinSize {
			return errASGValidation("New SetDesiredCapacity value %d is below min value %d for the AutoScalingGroup.", desired, g.MinSize)
		}
		if desired == g.DesiredCapacity {
			return nil
		}
		c := cloneASG(g)
		c.DesiredCapacity = desired
		put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
		t.scaleGroup(c)
		return nil
	})
}

// DeleteAutoScalingGroup deletes a group. A group that still has instances
// can only be deleted with forceDelete, which terminates them (and
// deregisters them from the group's target groups); otherwise AWS answers
// ResourceInUse.
func (e *Engine) DeleteAutoScalingGroup(name string, forceDelete bool) error {
	return e.write(func(t *txn) error {
		g := t.st.AutoScalingGroups[name]
		if g == nil {
			return errASGDeleteNotFound(name)
		}
		switch {
		case g.DeletionProtection == "prevent-all-deletion":
			return errASGValidation("You cannot delete Auto Scaling group %s because its deletion protection is set to prevent-all-deletion.", name) // probable
		case g.DeletionProtection == "prevent-force-deletion" && forceDelete:
			return errASGValidation("You cannot force delete Auto Scaling group %s because its deletion protection is set to prevent-force-deletion.", name) // probable
		}
		var remaining []*model.Instance
		for _, inst := range t.asgInstances(name) {
			if inst.State != model.InstanceTerminated {
				remaining = append(remaining, inst)
			}
		}
		if len(remaining) > 0 && !forceDelete {
			return apierr.New("ResourceInUse", "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.")
		}
		for _, inst := range remaining {
			for _, tg := range g.TargetGroupARNs {
				t.deregisterInstance(tg, inst.ID)
			}
			for _, lb := range g.LoadBalancerNames {
				t.clbRegister(lb, inst.ID, false)
			}
			t.terminate(inst.ID, userShutdownReason)
		}
		del(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, name)
		return nil
	})
}

// asgInstances returns the instances a group launched, in id order.
func (t *txn) asgInstances(name string) []*model.Instance {
	ids := sortedKeys(t.e.idx.asgMembers[name])
	out := make([]*model.Instance, 0, len(ids))
	for _, id := range ids {
		out = append(out, t.st.Instances[id])
	}
	return out
}

// deregisterInstance removes every target of an instance from a target
// group.
func (t *txn) deregisterInstance(tgARN string, id model.InstanceID) {
	tg := t.st.TargetGroups[tgARN]
	if tg == nil {
		return
	}
	for _, port := range slices.Clone(t.targetIndex(tg).ports[string(id)]) {
		t.deregisterTarget(tgARN, string(id), port)
	}
}

// reconcileAutoScalingGroups brings every group to its desired capacity, as
// AWS's scaling activities do. For each group, in name order:
//   - too few live (pending or running) instances: launch one at a time, each
//     in the zone with the fewest live instances of the group (ties go to the
//     zone whose subnet comes first in VPCZoneIdentifier); a zone whose launch
//     fails is skipped for the next one. The instance gets the launch template
//     (or configuration), the tags that propagate at launch plus
//     aws:autoscaling:groupName, and a public IP as the template says, else as
//     the subnet maps them. A launch that fails everywhere leaves nothing
//     behind: the group's LastActivity records why and the group stays short
//     until a later Step;
//   - too many: terminate the newest instance of the zone with the most live
//     instances, instances outside the group's subnets first;
//   - register every running instance in the group's target groups (instance
//     target on the target group's port) and deregister instances that are
//     no longer live;
//   - before scaling, the EC2 health check marks instances stopped outside
//     Auto Scaling Unhealthy (markStoppedUnhealthy), and replaceUnhealthy
//     takes the Unhealthy ones out of service (autoscaling_health.go).
//
// It is deterministic for a given id source, and changes nothing when the
// groups have converged.
func (t *txn) reconcileAutoScalingGroups() error {
	for _, g := range sortedValues(t.st.AutoScalingGroups) {
		t.runScheduledActions(g)
		t.endDeregistrations(t.st.AutoScalingGroups[g.Name])
		t.endRemovals(t.st.AutoScalingGroups[g.Name])
		t.expireLifecycleActions(t.st.AutoScalingGroups[g.Name])
		t.pruneStandby(t.st.AutoScalingGroups[g.Name])
		t.markStoppedUnhealthy(t.st.AutoScalingGroups[g.Name])
		t.replaceUnhealthy(t.st.AutoScalingGroups[g.Name])
		t.stepInstanceRefresh(t.st.AutoScalingGroups[g.Name])
		t.scaleGroup(t.st.AutoScalingGroups[g.Name])
		t.fillWarmPool(t.st.AutoScalingGroups[g.Name])
		g = t.st.AutoScalingGroups[g.Name]
		addToLB := !g.Suspended("AddToLoadBalancer")
		for _, inst := range t.asgInstances(g.Name) {
			if g.InStandby(inst.ID) || g.InWarmPool(inst.ID) || (g.Waiting(inst.ID) && inst.Live()) {
				continue // a waiting instance joins the load balancers once its launch hooks let it go on
			}
			if g.IsDeregistering(inst.ID) && inst.Live() {
				continue // its load balancers drain it
			}
			if g.Leaving(inst.ID) && inst.Live() {
				for _, lb := range g.LoadBalancerNames {
					t.clbRegister(lb, inst.ID, false)
				}
				for _, tg := range g.TargetGroupARNs {
					t.deregisterInstance(tg, inst.ID)
				}
				continue
			}
			for _, lb := range g.LoadBalancerNames {
				switch {
				case inst.State == model.InstanceRunning && addToLB:
					t.clbRegister(lb, inst.ID, true)
				case !inst.Live():
					t.clbRegister(lb, inst.ID, false)
				}
			}
			for _, tg := range g.TargetGroupARNs {
				switch {
				case inst.State == model.InstanceRunning && addToLB:
					t.registerTarget(tg, model.Target{ID: string(inst.ID), AvailabilityZone: inst.AvailabilityZone})
				case !inst.Live():
					t.deregisterInstance(tg, inst.ID)
				}
			}
		}
	}
	return nil
}

// asgStoppedInService reports whether i, stopped or stopping outside Auto
// Scaling, is still InService in g: only while g's HealthCheck process is
// suspended (the EC2 health check would mark it Unhealthy) and until
// someone marks it so. It counts towards the capacity.
func asgStoppedInService(g *model.AutoScalingGroup, i *model.Instance) bool {
	return (i.State == model.InstanceStopped || i.State == model.InstanceStopping) && g.Suspended("HealthCheck") &&
		!g.InWarmPool(i.ID) && !g.Unhealthy(i.ID)
}

// asgZone is one zone of a group: its subnet and its live instances.
type asgZone struct {
	subnet *model.Subnet
	order  int // position in the group's subnets; outside ones come last
	live   []*model.Instance
}

// asgZones groups a group's live instances by zone.
func (t *txn) asgZones(g *model.AutoScalingGroup) []*asgZone {
	var zones []*asgZone
	byAZ := map[string]*asgZone{}
	for i, id := range g.Subnets {
		s := t.st.Subnets[id]
		if s == nil || byAZ[s.AvailabilityZone] != nil {
			continue
		}
		z := &asgZone{subnet: s, order: i}
		byAZ[s.AvailabilityZone] = z
		zones = append(zones, z)
	}
	for _, inst := range t.asgInstances(g.Name) {
		if !(inst.Live() || asgStoppedInService(g, inst)) || g.InStandby(inst.ID) || g.InWarmPool(inst.ID) || g.Leaving(inst.ID) {
			continue // standby, warm pool and leaving instances do not count towards capacity
		}
		z := byAZ[inst.AvailabilityZone]
		if z == nil || !slices.Contains(g.Subnets, inst.SubnetID) {
			// Outside the group's subnets now: its own pseudo-zone.
			z = &asgZone{order: len(g.Subnets) + len(zones)}
			zones = append(zones, z)
			if byAZ[inst.AvailabilityZone] == nil {
				byAZ[inst.AvailabilityZone] = z
			}
		}
		z.live = append(z.live, inst)
	}
	return zones
}

// asgScaleBatch bounds the instances one scaleGroup launches or
// terminates.
const asgScaleBatch = 50

// scaleGroup launches or terminates instances until the group has
// DesiredCapacity live instances.
//
// It launches or terminates at most asgScaleBatch instances per call, so a
// request or a step that sets a large capacity does bounded work; Step
// carries on with the rest, as Auto Scaling's activities move a large group
// to its capacity over several minutes.
func (t *txn) scaleGroup(g *model.AutoScalingGroup) {
	for range asgScaleBatch {
		g = t.st.AutoScalingGroups[g.Name]
		zones := t.asgZones(g)
		live := 0
		for _, z := range zones {
			for _, inst := range z.live {
				live += ASGWeight(g, inst.Type)
			}
		}
		switch {
		case live < g.DesiredCapacity:
			if g.Suspended("Launch") {
				return
			}
			if !t.takeFromWarmPool(g, zones, live) && !t.launchOne(g, zones, live) {
				return
			}
		case live > g.DesiredCapacity:
			if g.Suspended("Terminate") || !t.terminateOne(g, zones, live) {
				return
			}
		default:
			return
		}
	}
}

// launchOne launches one instance for g, trying zones from the least
// populated. It reports whether an instance was launched.
func (t *txn) launchOne(g *model.AutoScalingGroup, zones []*asgZone, live int) bool {
	var cands []*asgZone
	for _, z := range zones {
		if z.subnet != nil {
			cands = append(cands, z)
		}
	}
	slices.SortStableFunc(cands, func(a, b *asgZone) int {
		if len(a.live) != len(b.live) {
			return len(a.live) - len(b.live)
		}
		return a.order - b.order
	})
	var firstErr error
	for _, z := range cands {
		cp := t.asgCheckpoint()
		inst, err := t.asgLaunch(g, z.subnet)
		if err != nil {
			t.asgRewind(cp)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		c := cloneASG(g)
		c.LaunchCount++
		c.LastActivity = ""
		if g.NewInstancesProtected {
			c.ProtectedInstances = append(c.ProtectedInstances, inst.ID)
		}
		for _, h := range g.LifecycleHooks {
			if h.Transition == lifecycleLaunching {
				c.LifecycleActions = append(c.LifecycleActions, model.LifecycleAction{Instance: inst.ID, Hook: h.Name, Token: t.uuid(),
					Deadline: t.now.Add(time.Duration(h.HeartbeatTimeout) * time.Second)})
			}
		}
		t.addActivity(c, "Launching a new EC2 instance: "+string(inst.ID),
			fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.",
				t.now.UTC().Format("2006-01-02T15:04:05Z"), live, live+ASGWeight(g, inst.Type)))
		put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
		return true
	}
	if firstErr == nil {
		// Every subnet of the group is gone.
		missing := ""
		if len(g.Subnets) > 0 {
			missing = string(g.Subnets[0])
		}
		firstErr = errSubnetNotFound(model.SubnetID(missing))
	}
	msg := fmt.Sprintf("Launching a new EC2 instance. Status Reason: %s Launching EC2 instance failed.", apierr.As(firstErr).Message)
	if g.LastActivity != msg {
		c := cloneASG(g)
		c.LastActivity = msg
		// The failure is a scaling activity too (Terraform's capacity
		// waiter stops on it): recorded once per distinct failure.
		a := model.ScalingActivity{ID: t.uuid(), Description: "Launching a new EC2 instance.  Status Reason: " + apierr.As(firstErr).Message + " Launching EC2 instance failed.",
			Cause: fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.",
				t.now.UTC().Format("2006-01-02T15:04:05Z"), live, live+1),
			StartTime: t.now, EndTime: t.now, StatusCode: "Failed", StatusMsg: apierr.As(firstErr).Message}
		c.Activities = append([]model.ScalingActivity{a}, c.Activities...)
		if len(c.Activities) > maxASGActivities {
			c.Activities = c.Activities[:maxASGActivities]
		}
		put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
	}
	return false
}

// asgLaunch runs one instance of g in subnet s.
func (t *txn) asgLaunch(g *model.AutoScalingGroup, s *model.Subnet) (*model.Instance, error) {
	in := RunInstancesInput{MinCount: 1, MaxCount: 1, SubnetID: s.ID, AutoScalingGroup: g.Name, Tags: model.Tags{}}
	for _, tag := range g.Tags {
		if tag.PropagateAtLaunch {
			in.Tags[tag.Key] = tag.Value
		}
	}
	in.Tags[asgNameTag] = g.Name
	if g.LaunchCount < len(g.FixedPublicIPs) {
		in.FixedPublicIPs = []netip.Addr{g.FixedPublicIPs[g.LaunchCount]}
	}
	// The group's placement group, else its launch template's.
	in.PlacementGroup = g.PlacementGroup
	switch {
	case g.LaunchTemplate != nil:
		ref := *g.LaunchTemplate
		in.LaunchTemplate = &ref
		if t.asgSpotNext(g) {
			in.Spot = &model.SpotMarketOptions{Interruption: "terminate"}
		}
		if m := g.MixedInstances; m != nil && len(m.Overrides) > 0 {
			// The prioritized strategy (ecsnet knows no prices): the first
			// override; its own template, when it names one.
			o := m.Overrides[0]
			in.InstanceType = o.InstanceType
			if o.InstanceType == "" && o.Requirements != nil {
				// Attribute-based selection: the smallest known type
				// that has the attributes.
				in.InstanceType, _ = model.SelectInstanceType(*o.Requirements)
			}
			if o.LaunchTemplate != nil {
				r := *o.LaunchTemplate
				in.LaunchTemplate = &r
			}
		}
	default:
		lc := t.st.LaunchConfigurations[g.LaunchConfiguration]
		if lc == nil {
			return nil, errLCNotFound(g.LaunchConfiguration)
		}
		in.ImageID, in.InstanceType, in.UserData = lc.ImageID, lc.InstanceType, lc.UserData
		groups, err := t.launchConfigurationGroupIDs(lc.SecurityGroups)
		if err != nil {
			return nil, err
		}
		in.SecurityGroupIDs, in.AssociatePublicIP = groups, lc.AssociatePublicIPAddress
		in.IAMProfile, in.KeyName = lc.IAMProfile, lc.KeyName
		in.BlockDevices = launchBlockDevices(lc.BlockDevices)
		if lc.SpotPrice != "" {
			in.Spot = &model.SpotMarketOptions{Interruption: "terminate", MaxPrice: lc.SpotPrice}
		}
	}
	res, err := t.runInstances(in)
	if err != nil {
		return nil, err
	}
	if len(res.Instances) != 1 {
		return nil, apierr.New("InsufficientInstanceCapacity", "We currently do not have sufficient capacity in the Availability Zone you requested.")
	}
	return res.Instances[0], nil
}

// asgSpotNext reports whether the next instance a mixed-instances group
// launches is a Spot Instance. The instances distribution splits the
// desired capacity: OnDemandBaseCapacity On-Demand first, then
// OnDemandPercentageAboveBaseCapacity percent of the rest On-Demand (a
// fraction rounded up, in favour of On-Demand) and the remainder Spot.
// Each launch goes to the part furthest below its share (On-Demand on a
// tie), so the group fills its desired capacity as a whole (weighted
// instances overshoot it by less than one instance) with the split as near
// as whole instances allow.
func (t *txn) asgSpotNext(g *model.AutoScalingGroup) bool {
	m := g.MixedInstances
	if m == nil || m.OnDemandPercentageAboveBase >= 100 {
		return false
	}
	base := min(m.OnDemandBaseCapacity, g.DesiredCapacity)
	onDemand := base + (max(g.DesiredCapacity-base, 0)*m.OnDemandPercentageAboveBase+99)/100
	spot := g.DesiredCapacity - onDemand
	haveOD, haveSpot := 0, 0
	for _, z := range t.asgZones(g) {
		for _, inst := range z.live {
			if inst.Spot != nil {
				haveSpot += ASGWeight(g, inst.Type)
			} else {
				haveOD += ASGWeight(g, inst.Type)
			}
		}
	}
	if haveOD < base {
		return false // the base is launched first
	}
	return spot-haveSpot > onDemand-haveOD
}

// terminateOne terminates the newest instance of the most populated zone
// (instances outside the group's subnets go first). It reports whether it
// found one.
func (t *txn) terminateOne(g *model.AutoScalingGroup, zones []*asgZone, live int) bool {
	var pick *model.Instance
	pickOutside, pickCount := false, 0
	for _, z := range zones {
		var newest *model.Instance
		for _, inst := range z.live {
			if g.IsProtected(inst.ID) {
				continue // protected from scale in
			}
			if newest == nil || newerInstance(inst, newest) {
				newest = inst
			}
		}
		if newest == nil {
			continue
		}
		outside := z.subnet == nil
		better := pick == nil ||
			(outside && !pickOutside) ||
			(outside == pickOutside && len(z.live) > pickCount) ||
			(outside == pickOutside && len(z.live) == pickCount && newerInstance(newest, pick))
		if better {
			pick, pickOutside, pickCount = newest, outside, len(z.live)
		}
	}
	if pick == nil || live-ASGWeight(g, pick.Type) < g.DesiredCapacity {
		// Nothing to pick, or removing it would leave the group below
		// its desired capacity (weighted instances may overshoot it).
		return false
	}
	c := cloneASG(g)
	c.ProtectedInstances = slices.DeleteFunc(c.ProtectedInstances, func(x model.InstanceID) bool { return x == pick.ID })
	if w := g.WarmPool; w != nil && w.ReuseOnScaleIn != nil && *w.ReuseOnScaleIn {
		// The instance goes back to the warm pool (fillWarmPool stops it
		// unless the pool keeps its instances running).
		for _, tg := range g.TargetGroupARNs {
			t.deregisterInstance(tg, pick.ID)
		}
		for _, lb := range g.LoadBalancerNames {
			t.clbRegister(lb, pick.ID, false)
		}
		c.WarmInstances = append(c.WarmInstances, pick.ID)
		slices.Sort(c.WarmInstances)
		t.addActivity(c, "Moving EC2 instance to warm pool: "+string(pick.ID),
			fmt.Sprintf("At %s an instance was moved to the warm pool in response to a difference between desired and actual capacity, shrinking the capacity from %d to %d.",
				t.now.UTC().Format("2006-01-02T15:04:05Z"), live, live-ASGWeight(g, pick.Type)))
		put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
		return true
	}
	t.addActivity(c, "Terminating EC2 instance: "+string(pick.ID),
		fmt.Sprintf("At %s an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from %d to %d.",
			t.now.UTC().Format("2006-01-02T15:04:05Z"), live, live-ASGWeight(g, pick.Type)))
	t.takeOutOfService(c, pick.ID)
	put(t, model.KindAutoScalingGroup, t.st.AutoScalingGroups, c.Name, c)
	return true
}

// ASGWeight is the capacity units an instance of type typ counts for in
// g: its override's WeightedCapacity in a mixed-instances policy (the
// first override naming the type), else 1.
func ASGWeight(g *model.AutoScalingGroup, typ string) int {
	if g.MixedInstances == nil {
		return 1
	}
	for _, o := range g.MixedInstances.Overrides {
		if o.InstanceType == typ && o.WeightedCapacity != "" {
			n := 0
			if _, err := fmt.Sscanf(o.WeightedCapacity, "%d", &n); err == nil && n >= 1 {
				return n
			}
		}
	}
	return 1
}

// newerInstance reports whether a was launched after b (ties: higher id).
func newerInstance(a, b *model.Instance) bool {
	if !a.LaunchTime.Equal(b.LaunchTime) {
		return a.LaunchTime.After(b.LaunchTime)
	}
	return a.ID > b.ID
}

// asgCheckpoint marks the transaction so a failed launch can be undone
// without undoing the rest of the Step.
type asgCheckpoint struct{ undo, order int }

// asgCheckpoint returns the current checkpoint.
func (t *txn) asgCheckpoint() asgCheckpoint { return asgCheckpoint{len(t.undo), len(t.order)} }

// asgRewind undoes every change made since cp, and forgets them, so a
// failed launch neither shows in the state nor counts as a change.
func (t *txn) asgRewind(cp asgCheckpoint) {
	for i := len(t.undo) - 1; i >= cp.undo; i-- {
		t.undo[i]()
	}
	t.undo = t.undo[:cp.undo]
	for _, k := range t.order[cp.order:] {
		delete(t.changed, k)
	}
	t.order = t.order[:cp.order]
}

// checkHealthCheckType checks a group's HealthCheckType: "a comma-separated
// value string of one or more health check types", each EC2, EBS, ELB or
// VPC_LATTICE (EC2 is always on; the API's limit is 32 characters).
func checkHealthCheckType(hc string) error {
	if len(hc) > 32 {
		return errASGValidation("1 validation error detected: Value '%s' at 'healthCheckType' failed to satisfy constraint: Member must have length less than or equal to 32", hc)
	}
	for _, t := range strings.Split(hc, ",") {
		switch strings.TrimSpace(t) {
		case "EC2", "EBS", "ELB", "VPC_LATTICE":
		default:
			return errASGValidation("Health check type '%s' is not valid", hc) // UNVERIFIED text
		}
	}
	return nil
}
