package server_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// The EC2 calls Terraform's AWS provider makes for data.aws_ami,
// aws_key_pair, aws_launch_template, aws_instance, aws_ebs_volume and
// aws_volume_attachment (internal/service/ec2: ec2_ami_data_source.go,
// ec2_key_pair.go, ec2_launch_template.go, ec2_instance.go,
// ebs_volume.go, ec2_volume_attachment.go), in the order the provider makes
// them, with the fields it reads.

func sshEd25519PublicKey(t *testing.T) string {
	t.Helper()
	pk, _, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	str := func(b []byte) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...) }
	wire := append(str([]byte("ssh-ed25519")), str(pk)...)
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(wire) + " tf@example"
}

func ec2TagMap(tags []ec2types.Tag) map[string]string {
	out := map[string]string{}
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

func TestTerraformInstanceResources(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2

	// data "aws_ami": DescribeImages with owners and a name pattern,
	// most_recent picks the newest CreationDate.
	imgs, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"},
		Filters: []ec2types.Filter{{Name: aws.String("name"), Values: []string{"al2023-ami-2023.*-x86_64"}},
			{Name: aws.String("architecture"), Values: []string{"x86_64"}}}})
	must(t, err)
	if len(imgs.Images) == 0 {
		t.Fatal("data.aws_ami: no Amazon Linux 2023 image")
	}
	newest := slices.MaxFunc(imgs.Images, func(a, b ec2types.Image) int {
		return strings.Compare(aws.ToString(a.CreationDate), aws.ToString(b.CreationDate))
	})
	ami := aws.ToString(newest.ImageId)
	if aws.ToString(newest.RootDeviceName) != "/dev/xvda" || len(newest.BlockDeviceMappings) != 1 || newest.State != ec2types.ImageStateAvailable ||
		aws.ToString(newest.ImageOwnerAlias) != "amazon" || !strings.HasSuffix(aws.ToString(newest.Name), "kernel-6.1-x86_64") {
		t.Errorf("data.aws_ami: %+v", newest)
	}
	_, err = e.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-0123456789abcdef0"}})
	wantAPIError(t, err, "InvalidAMIID.NotFound", "The image id '[ami-0123456789abcdef0]' does not exist")

	// aws_key_pair: ImportKeyPair, then DescribeKeyPairs by name with the
	// public key; delete by name.
	pub := sshEd25519PublicKey(t)
	kp, err := e.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: aws.String("deployer"), PublicKeyMaterial: []byte(pub),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeKeyPair, Tags: []ec2types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}}}})
	must(t, err)
	kps, err := e.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"deployer"}, IncludePublicKey: aws.Bool(true)})
	must(t, err)
	k := kps.KeyPairs[0]
	if aws.ToString(k.KeyPairId) != aws.ToString(kp.KeyPairId) || k.KeyType != ec2types.KeyTypeEd25519 || aws.ToString(k.KeyFingerprint) != aws.ToString(kp.KeyFingerprint) ||
		!strings.HasPrefix(aws.ToString(k.PublicKey), strings.Join(strings.Fields(pub)[:2], " ")) || ec2TagMap(k.Tags)["env"] != "test" {
		t.Errorf("aws_key_pair read: %+v", k)
	}
	_, err = e.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: aws.String("deployer"), PublicKeyMaterial: []byte(pub)})
	wantAPIError(t, err, "InvalidKeyPair.Duplicate", "The keypair 'deployer' already exists.")

	// aws_launch_template: create, read (DescribeLaunchTemplates and the
	// latest version), update (a new version made the default).
	lt, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: &ami, InstanceType: ec2types.InstanceTypeT3Micro, KeyName: aws.String("deployer"),
			TagSpecifications: []ec2types.LaunchTemplateTagSpecificationRequest{{ResourceType: ec2types.ResourceTypeInstance, Tags: []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}}},
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeLaunchTemplate, Tags: []ec2types.Tag{{Key: aws.String("tf"), Value: aws.String("yes")}}}}})
	must(t, err)
	ltID := aws.ToString(lt.LaunchTemplate.LaunchTemplateId)
	_, err = e.CreateLaunchTemplateVersion(ctx, &ec2.CreateLaunchTemplateVersionInput{LaunchTemplateId: &ltID, SourceVersion: aws.String("1"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{InstanceType: ec2types.InstanceTypeT3Small}})
	must(t, err)
	_, err = e.ModifyLaunchTemplate(ctx, &ec2.ModifyLaunchTemplateInput{LaunchTemplateId: &ltID, DefaultVersion: aws.String("2")})
	must(t, err)
	lts, err := e.DescribeLaunchTemplates(ctx, &ec2.DescribeLaunchTemplatesInput{LaunchTemplateIds: []string{ltID}})
	must(t, err)
	if l := lts.LaunchTemplates[0]; aws.ToInt64(l.DefaultVersionNumber) != 2 || aws.ToInt64(l.LatestVersionNumber) != 2 || ec2TagMap(l.Tags)["tf"] != "yes" {
		t.Errorf("aws_launch_template read: %+v", l)
	}
	def, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: &ltID,
		Filters: []ec2types.Filter{{Name: aws.String("is-default-version"), Values: []string{"true"}}}})
	must(t, err)
	if len(def.LaunchTemplateVersions) != 1 || aws.ToInt64(def.LaunchTemplateVersions[0].VersionNumber) != 2 ||
		def.LaunchTemplateVersions[0].LaunchTemplateData.InstanceType != ec2types.InstanceTypeT3Small ||
		aws.ToString(def.LaunchTemplateVersions[0].LaunchTemplateData.ImageId) != ami {
		t.Errorf("is-default-version: %+v", def.LaunchTemplateVersions)
	}

	// aws_instance: RunInstances from the template ($Default) with the
	// metadata and credit options, then wait until running.
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		LaunchTemplate:      &ec2types.LaunchTemplateSpecification{LaunchTemplateId: &ltID, Version: aws.String("$Default")},
		MetadataOptions:     &ec2types.InstanceMetadataOptionsRequest{HttpTokens: ec2types.HttpTokensStateOptional, HttpPutResponseHopLimit: aws.Int32(1)},
		CreditSpecification: &ec2types.CreditSpecificationRequest{CpuCredits: aws.String("standard")},
		UserData:            aws.String(base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hi"))),
		TagSpecifications:   []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVolume, Tags: []ec2types.Tag{{Key: aws.String("vol"), Value: aws.String("root")}}}}})
	must(t, err)
	id := aws.ToString(run.Instances[0].InstanceId)
	inst := waitState(t, e, id, ec2types.InstanceStateNameRunning)
	if inst.InstanceType != ec2types.InstanceTypeT3Small || aws.ToString(inst.KeyName) != "deployer" || aws.ToString(inst.ImageId) != ami ||
		inst.MetadataOptions.HttpTokens != ec2types.HttpTokensStateOptional || aws.ToInt32(inst.MetadataOptions.HttpPutResponseHopLimit) != 1 {
		t.Errorf("aws_instance read: type %s key %s image %s metadata %+v", inst.InstanceType, aws.ToString(inst.KeyName), aws.ToString(inst.ImageId), inst.MetadataOptions)
	}
	// Read: the instance type's burstable flag decides the credit read.
	its, err := e.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []ec2types.InstanceType{inst.InstanceType}})
	must(t, err)
	if !aws.ToBool(its.InstanceTypes[0].BurstablePerformanceSupported) {
		t.Errorf("t3.small is burstable")
	}
	// Read: the launch template through the instance's aws: tags.
	for key, want := range map[string]string{"aws:ec2launchtemplate:id": ltID, "aws:ec2launchtemplate:version": "2"} {
		tags, err := e.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{id}},
			{Name: aws.String("key"), Values: []string{key}}}})
		must(t, err)
		if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != want {
			t.Errorf("DescribeTags %s: %+v, want %s", key, tags.Tags, want)
		}
	}
	if ec2TagMap(inst.Tags)["Name"] != "web" {
		t.Errorf("template tags not on the instance: %v", ec2TagMap(inst.Tags))
	}
	ver, err := e.DescribeLaunchTemplateVersions(ctx, &ec2.DescribeLaunchTemplateVersionsInput{LaunchTemplateId: &ltID, Versions: []string{"2"}})
	must(t, err)
	if len(ver.LaunchTemplateVersions) != 1 {
		t.Errorf("version 2: %+v", ver.LaunchTemplateVersions)
	}
	// Read: the root volume of the block device mappings.
	var rootVol string
	for _, m := range inst.BlockDeviceMappings {
		if aws.ToString(m.DeviceName) == aws.ToString(inst.RootDeviceName) {
			rootVol = aws.ToString(m.Ebs.VolumeId)
		}
	}
	vols, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{rootVol}})
	must(t, err)
	if v := vols.Volumes[0]; aws.ToInt32(v.Size) != 8 || ec2TagMap(v.Tags)["vol"] != "root" {
		t.Errorf("root volume: %+v", v)
	}
	// Read: the attributes the provider asks for one by one.
	for attr, check := range map[ec2types.InstanceAttributeName]func(*ec2.DescribeInstanceAttributeOutput) bool{
		ec2types.InstanceAttributeNameInstanceInitiatedShutdownBehavior: func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return aws.ToString(o.InstanceInitiatedShutdownBehavior.Value) == "stop"
		},
		ec2types.InstanceAttributeNameDisableApiStop: func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return o.DisableApiStop != nil && !aws.ToBool(o.DisableApiStop.Value)
		},
		ec2types.InstanceAttributeNameDisableApiTermination: func(o *ec2.DescribeInstanceAttributeOutput) bool {
			return o.DisableApiTermination != nil && !aws.ToBool(o.DisableApiTermination.Value)
		},
		ec2types.InstanceAttributeNameUserData: func(o *ec2.DescribeInstanceAttributeOutput) bool {
			b, _ := base64.StdEncoding.DecodeString(aws.ToString(o.UserData.Value))
			return string(b) == "#!/bin/sh\necho hi"
		},
	} {
		o, err := e.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: &id, Attribute: attr})
		must(t, err)
		if !check(o) {
			t.Errorf("DescribeInstanceAttribute %s: %+v", attr, o)
		}
	}
	cs, err := e.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{id}})
	must(t, err)
	if len(cs.InstanceCreditSpecifications) != 1 || aws.ToString(cs.InstanceCreditSpecifications[0].CpuCredits) != "standard" {
		t.Errorf("credit specification: %+v", cs.InstanceCreditSpecifications)
	}

	// Update: metadata options, credits, termination protection, root
	// volume size.
	mo, err := e.ModifyInstanceMetadataOptions(ctx, &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: &id, HttpTokens: ec2types.HttpTokensStateRequired,
		HttpPutResponseHopLimit: aws.Int32(2)})
	must(t, err)
	if mo.InstanceMetadataOptions.State != ec2types.InstanceMetadataOptionsStatePending {
		t.Errorf("ModifyInstanceMetadataOptions state %s", mo.InstanceMetadataOptions.State)
	}
	mc, err := e.ModifyInstanceCreditSpecification(ctx, &ec2.ModifyInstanceCreditSpecificationInput{
		InstanceCreditSpecifications: []ec2types.InstanceCreditSpecificationRequest{{InstanceId: &id, CpuCredits: aws.String("unlimited")}}})
	must(t, err)
	if len(mc.SuccessfulInstanceCreditSpecifications) != 1 || len(mc.UnsuccessfulInstanceCreditSpecifications) != 0 {
		t.Errorf("ModifyInstanceCreditSpecification: %+v", mc)
	}
	_, err = e.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: &id, DisableApiTermination: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(t, err)
	mv, err := e.ModifyVolume(ctx, &ec2.ModifyVolumeInput{VolumeId: &rootVol, Size: aws.Int32(20)})
	must(t, err)
	if aws.ToInt32(mv.VolumeModification.OriginalSize) != 8 || aws.ToInt32(mv.VolumeModification.TargetSize) != 20 {
		t.Errorf("ModifyVolume: %+v", mv.VolumeModification)
	}
	_, err = e.ModifyVolume(ctx, &ec2.ModifyVolumeInput{VolumeId: &rootVol, Size: aws.Int32(10)})
	wantAPIError(t, err, "InvalidParameterValue", "New size cannot be smaller than existing size")
	mods, err := e.DescribeVolumesModifications(ctx, &ec2.DescribeVolumesModificationsInput{VolumeIds: []string{rootVol}})
	must(t, err)
	if len(mods.VolumesModifications) != 1 || mods.VolumesModifications[0].ModificationState != ec2types.VolumeModificationStateCompleted {
		t.Errorf("DescribeVolumesModifications: %+v", mods.VolumesModifications)
	}
	inst = waitState(t, e, id, ec2types.InstanceStateNameRunning)
	cs, err = e.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{id}})
	must(t, err)
	if inst.MetadataOptions.HttpTokens != ec2types.HttpTokensStateRequired || aws.ToString(cs.InstanceCreditSpecifications[0].CpuCredits) != "unlimited" {
		t.Errorf("after update: metadata %+v credits %+v", inst.MetadataOptions, cs.InstanceCreditSpecifications)
	}

	// aws_ebs_volume and aws_volume_attachment: create, wait available,
	// attach, wait attached (DescribeVolumes by attachment filters), detach,
	// delete.
	vol, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: inst.Placement.AvailabilityZone, Size: aws.Int32(10), VolumeType: ec2types.VolumeTypeGp3})
	must(t, err)
	volID := aws.ToString(vol.VolumeId)
	eventually(t, "volume available", func() bool {
		d, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{volID}})
		return err == nil && d.Volumes[0].State == ec2types.VolumeStateAvailable
	})
	_, err = e.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: &volID, InstanceId: &id, Device: aws.String("/dev/sdh")})
	must(t, err)
	eventually(t, "volume attached", func() bool {
		d, err := e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{Filters: []ec2types.Filter{
			{Name: aws.String("attachment.device"), Values: []string{"/dev/sdh"}},
			{Name: aws.String("attachment.instance-id"), Values: []string{id}},
			{Name: aws.String("volume-id"), Values: []string{volID}}}})
		return err == nil && len(d.Volumes) == 1 && d.Volumes[0].Attachments[0].State == ec2types.VolumeAttachmentStateAttached
	})
	_, err = e.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: &volID, InstanceId: &id, Device: aws.String("/dev/sdf")})
	wantAPIError(t, err, "InvalidAttachment.NotFound", "The volume "+volID+" is not attached to instance "+id+" as device /dev/sdf")
	_, err = e.DetachVolume(ctx, &ec2.DetachVolumeInput{VolumeId: &volID, InstanceId: &id, Device: aws.String("/dev/sdh")})
	must(t, err)
	_, err = e.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: &volID})
	must(t, err)
	_, err = e.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{volID}})
	wantAPIError(t, err, "InvalidVolume.NotFound", "The volume '"+volID+"' does not exist.")

	// Delete: termination protection first, then terminate and wait.
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	if err == nil {
		t.Error("a protected instance terminated")
	}
	_, err = e.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: &id, DisableApiTermination: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}})
	must(t, err)
	_, err = e.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}})
	must(t, err)
	waitState(t, e, id, ec2types.InstanceStateNameTerminated)
	_, err = e.DeleteLaunchTemplate(ctx, &ec2.DeleteLaunchTemplateInput{LaunchTemplateId: &ltID})
	must(t, err)
	_, err = e.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String("deployer")})
	must(t, err)
	_, err = e.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"deployer"}})
	wantAPIError(t, err, "InvalidKeyPair.NotFound", "The key pair 'deployer' does not exist")
}

// CreateKeyPair returns a private key once; the pair has EC2's
// fingerprint forms (SHA-1 of the PKCS#8 key for RSA, base64 SHA-256 for
// ED25519).
func TestCreateKeyPair(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	rsaKP, err := e.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("r")})
	must(t, err)
	if !strings.HasPrefix(aws.ToString(rsaKP.KeyMaterial), "-----BEGIN RSA PRIVATE KEY-----") || len(strings.Split(aws.ToString(rsaKP.KeyFingerprint), ":")) != 20 {
		t.Errorf("rsa: fingerprint %s", aws.ToString(rsaKP.KeyFingerprint))
	}
	edKP, err := e.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("e"), KeyType: ec2types.KeyTypeEd25519})
	must(t, err)
	if !strings.HasPrefix(aws.ToString(edKP.KeyMaterial), "-----BEGIN OPENSSH PRIVATE KEY-----") || !strings.HasSuffix(aws.ToString(edKP.KeyFingerprint), "=") {
		t.Errorf("ed25519: fingerprint %s", aws.ToString(edKP.KeyFingerprint))
	}
	d, err := e.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{Filters: []ec2types.Filter{{Name: aws.String("key-type"), Values: []string{"ed25519"}}}})
	must(t, err)
	if len(d.KeyPairs) != 1 || aws.ToString(d.KeyPairs[0].KeyName) != "e" {
		t.Errorf("key-type filter: %+v", d.KeyPairs)
	}
	_, err = e.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{KeyName: aws.String("bad"), PublicKeyMaterial: []byte("garbage")})
	wantAPIError(t, err, "InvalidKeyPair.Format", "Key is not in valid OpenSSH public key format")
	// A name that names no pair: DeleteKeyPair still succeeds.
	_, err = e.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String("nope")})
	must(t, err)
}
