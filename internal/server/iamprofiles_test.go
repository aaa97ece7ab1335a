package server_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// TestLaunchRefusesUnknownProfile: RunInstances refuses a profile IAM does
// not hold, named by the request or by its launch template, with AWS's
// InvalidParameterValue texts; CreateLaunchTemplate itself accepts it.
func TestLaunchRefusesUnknownProfile(t *testing.T) {
	em := newAccount(t, nil)
	e := sdkClients(em.URL).ec2
	run := func(spec *ec2types.IamInstanceProfileSpecification, lt *ec2types.LaunchTemplateSpecification) error {
		in := &ec2.RunInstancesInput{MinCount: aws.Int32(1), MaxCount: aws.Int32(1), IamInstanceProfile: spec, LaunchTemplate: lt}
		if lt == nil {
			in.ImageId = aws.String(testAMI)
		}
		_, err := e.RunInstances(ctx, in)
		return err
	}
	wantLimitError(t, "unknown name", run(&ec2types.IamInstanceProfileSpecification{Name: aws.String("nope")}, nil),
		"InvalidParameterValue", "Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
	arn := "arn:aws:iam::123456789012:instance-profile/nope"
	wantLimitError(t, "unknown ARN", run(&ec2types.IamInstanceProfileSpecification{Arn: aws.String(arn)}, nil),
		"InvalidParameterValue", "Value ("+arn+") for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN")
	_, err := e.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String("web-lt"),
		LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI),
			IamInstanceProfile: &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: aws.String("ghost")}}})
	must(t, err)
	wantLimitError(t, "template's profile", run(nil, &ec2types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web-lt")}),
		"InvalidParameterValue", "Value (ghost) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
	out, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	must(t, err)
	if len(out.Reservations) != 0 {
		t.Errorf("refused launches left %d reservations", len(out.Reservations))
	}
	// Once IAM holds the profile, the template launches.
	_, err = iamClient(em.URL).CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ghost")})
	must(t, err)
	must(t, run(nil, &ec2types.LaunchTemplateSpecification{LaunchTemplateName: aws.String("web-lt")}))
}

// TestIAMProfileAssociations: associate, describe, replace and disassociate
// an instance's profile, as Terraform's aws_instance does, with a profile
// IAM (us-east-1) holds and an instance in another region.
func TestIAMProfileAssociations(t *testing.T) {
	em := newAccount(t, nil)
	cfg := sdkConfig()
	cfg.Region = "us-west-2"
	e := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	ic := iamClient(em.URL)
	a, err := ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("a"), Path: aws.String("/p/")})
	must(t, err)
	b, err := ic.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("b")})
	must(t, err)

	// A launch with a profile has an association.
	r, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMIIn(cfg.Region)), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Name: aws.String("a")}})
	must(t, err)
	withProfile := aws.ToString(r.Instances[0].InstanceId)
	if p := r.Instances[0].IamInstanceProfile; p == nil || aws.ToString(p.Arn) != aws.ToString(a.InstanceProfile.Arn) || aws.ToString(p.Id) != aws.ToString(a.InstanceProfile.InstanceProfileId) {
		t.Errorf("launched profile %+v", p)
	}
	r, err = e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMIIn(cfg.Region)), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	must(t, err)
	bare := aws.ToString(r.Instances[0].InstanceId)

	list := func(in *ec2.DescribeIamInstanceProfileAssociationsInput) []ec2types.IamInstanceProfileAssociation {
		t.Helper()
		out, err := e.DescribeIamInstanceProfileAssociations(ctx, in)
		must(t, err)
		return out.IamInstanceProfileAssociations
	}
	got := list(&ec2.DescribeIamInstanceProfileAssociationsInput{})
	if len(got) != 1 || aws.ToString(got[0].InstanceId) != withProfile || got[0].State != ec2types.IamInstanceProfileAssociationStateAssociated {
		t.Fatalf("associations after launch: %+v", got)
	}

	// A second profile on an instance that has one is refused.
	_, err = e.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String(withProfile),
		IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Name: aws.String("b")}})
	wantLimitError(t, "second association", err, "IncorrectState", "There is an existing association for instance "+withProfile)
	_, err = e.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String(bare),
		IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Name: aws.String("zzz")}})
	wantLimitError(t, "unknown profile", err, "InvalidParameterValue", "Invalid IAM Instance Profile name")

	as, err := e.AssociateIamInstanceProfile(ctx, &ec2.AssociateIamInstanceProfileInput{InstanceId: aws.String(bare),
		IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Arn: b.InstanceProfile.Arn}})
	must(t, err)
	assoc := as.IamInstanceProfileAssociation
	if assoc.State != ec2types.IamInstanceProfileAssociationStateAssociating || aws.ToString(assoc.IamInstanceProfile.Arn) != aws.ToString(b.InstanceProfile.Arn) {
		t.Errorf("associate answered %+v", assoc)
	}
	got = list(&ec2.DescribeIamInstanceProfileAssociationsInput{Filters: []ec2types.Filter{
		{Name: aws.String("instance-id"), Values: []string{bare}}, {Name: aws.String("state"), Values: []string{"associated"}}}})
	if len(got) != 1 || aws.ToString(got[0].AssociationId) != aws.ToString(assoc.AssociationId) {
		t.Fatalf("filtered associations: %+v", got)
	}

	// Replace gives a new association id.
	rp, err := e.ReplaceIamInstanceProfileAssociation(ctx, &ec2.ReplaceIamInstanceProfileAssociationInput{AssociationId: assoc.AssociationId,
		IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Name: aws.String("a")}})
	must(t, err)
	newID := aws.ToString(rp.IamInstanceProfileAssociation.AssociationId)
	if newID == aws.ToString(assoc.AssociationId) || rp.IamInstanceProfileAssociation.State != ec2types.IamInstanceProfileAssociationStateAssociating {
		t.Errorf("replace answered %+v", rp.IamInstanceProfileAssociation)
	}
	di, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{bare}})
	must(t, err)
	if p := di.Reservations[0].Instances[0].IamInstanceProfile; p == nil || aws.ToString(p.Arn) != aws.ToString(a.InstanceProfile.Arn) {
		t.Errorf("instance profile after replace: %+v", p)
	}
	_, err = e.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: assoc.AssociationId})
	wantLimitError(t, "replaced association", err, "InvalidAssociationID.NotFound", "does not exist")
	_, err = e.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: aws.String(bare)})
	wantLimitError(t, "instance id as association id", err, "InvalidParameterValue", "Invalid value for associationId.")

	d, err := e.DisassociateIamInstanceProfile(ctx, &ec2.DisassociateIamInstanceProfileInput{AssociationId: aws.String(newID)})
	must(t, err)
	if d.IamInstanceProfileAssociation.State != ec2types.IamInstanceProfileAssociationStateDisassociating {
		t.Errorf("disassociate answered %+v", d.IamInstanceProfileAssociation)
	}
	if got := list(&ec2.DescribeIamInstanceProfileAssociationsInput{}); len(got) != 1 || aws.ToString(got[0].InstanceId) != withProfile {
		t.Errorf("associations after disassociate: %+v", got)
	}
	di, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{bare}})
	must(t, err)
	if p := di.Reservations[0].Instances[0].IamInstanceProfile; p != nil {
		t.Errorf("instance profile after disassociate: %+v", p)
	}
}

// TestIAMIsGlobal: an IAM client configured for another region (as SDKs
// sign with an endpoint override) sees the same IAM, and EC2 in any region
// launches with the profile it made.
func TestIAMIsGlobal(t *testing.T) {
	em := newAccount(t, nil)
	cfg := sdkConfig()
	cfg.Region = "us-west-1"
	westIAM := iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(em.URL) })
	p, err := westIAM.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("global")})
	must(t, err)
	if _, err := iamClient(em.URL).GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("global")}); err != nil {
		t.Fatalf("us-east-1 client does not see the profile: %v", err)
	}
	west := ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(em.URL) })
	r, err := west.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(testAMIIn(cfg.Region)), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		IamInstanceProfile: &ec2types.IamInstanceProfileSpecification{Name: aws.String("global")}})
	must(t, err)
	if got := r.Instances[0].IamInstanceProfile; got == nil || aws.ToString(got.Id) != aws.ToString(p.InstanceProfile.InstanceProfileId) {
		t.Errorf("IamInstanceProfile %+v", got)
	}
}

// TestAutoScalingRefusesUnknownProfile: CreateAutoScalingGroup and
// UpdateAutoScalingGroup refuse a launch template whose instance profile IAM
// does not hold, with Auto Scaling's ValidationError around EC2's text.
func TestAutoScalingRefusesUnknownProfile(t *testing.T) {
	em := newAccount(t, nil)
	c := sdkClients(em.URL)
	template := func(name string, profile *ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest) {
		t.Helper()
		_, err := c.ec2.CreateLaunchTemplate(ctx, &ec2.CreateLaunchTemplateInput{LaunchTemplateName: aws.String(name),
			LaunchTemplateData: &ec2types.RequestLaunchTemplateData{ImageId: aws.String(testAMI), InstanceType: ec2types.InstanceTypeT3Micro,
				IamInstanceProfile: profile}})
		must(t, err)
	}
	template("by-name", &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: aws.String("ecs-node")})
	arn := "arn:aws:iam::123456789012:instance-profile/ecs-node"
	template("by-arn", &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Arn: aws.String(arn)})
	create := func(lt string) error {
		_, err := c.asg.CreateAutoScalingGroup(ctx, &autoscaling.CreateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web-" + lt),
			MinSize: aws.Int32(0), MaxSize: aws.Int32(1), AvailabilityZones: []string{"us-east-1a"},
			LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String(lt)}})
		return err
	}
	wantLimitError(t, "profile by name", create("by-name"), "ValidationError",
		"You must use a valid fully-formed launch template. Value (ecs-node) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
	wantLimitError(t, "profile by ARN", create("by-arn"), "ValidationError",
		"You must use a valid fully-formed launch template. Value ("+arn+") for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN")
	groups, err := c.asg.DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{})
	must(t, err)
	if len(groups.AutoScalingGroups) != 0 {
		t.Fatalf("refused groups were created: %d", len(groups.AutoScalingGroups))
	}

	// Once IAM holds the profile, both templates make groups; a group moved
	// to a template with an unknown profile is refused.
	_, err = iamClient(em.URL).CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("ecs-node")})
	must(t, err)
	must(t, create("by-name"))
	must(t, create("by-arn"))
	template("ghost", &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: aws.String("ghost")})
	_, err = c.asg.UpdateAutoScalingGroup(ctx, &autoscaling.UpdateAutoScalingGroupInput{AutoScalingGroupName: aws.String("web-by-name"),
		LaunchTemplate: &asgtypes.LaunchTemplateSpecification{LaunchTemplateName: aws.String("ghost")}})
	wantLimitError(t, "update to an unknown profile", err, "ValidationError",
		"You must use a valid fully-formed launch template. Value (ghost) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name")
}
