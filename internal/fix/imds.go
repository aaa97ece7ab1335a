package fix

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// imdsHopLimit: an IMDSv2 token response dies before it reaches a
// container (ECS_IMDS_HOP_LIMIT). A hop limit of 2, AWS's recommendation
// in a container environment (EC2 User Guide, "Instance metadata access
// considerations"), takes effect on a running instance at once
// (ModifyInstanceMetadataOptions); an instance of an Auto Scaling group
// gets it in a new default version of the group's launch template too,
// so the instances the group launches later keep it. Offered for a group
// that launches the template's default or latest version.
func (f *finder) imdsHopLimit(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "instance" {
		return nil
	}
	inst := f.st.Instances[model.InstanceID(x.Component.ID)]
	if inst == nil || inst.State != model.InstanceRunning {
		return nil
	}
	const hops = 2
	name := cmp.Or(inst.Tags.Name(), string(inst.ID))
	detail := "A container of a bridge mode task is one hop further from the instance metadata service than the instance: the token response needs a hop limit of 2. " +
		"The change takes effect at once. A task role is the other way: the task's containers then get their credentials from the ECS agent (169.254.170.2), not from the instance's role."
	if inst.AutoScalingGroup == "" {
		id := inst.ID
		return []Fix{{
			score: 30, Kind: "instance",
			Title:    fmt.Sprintf("Set the instance metadata hop limit to %d on %s (HttpPutResponseHopLimit)", hops, name),
			Detail:   detail,
			Commands: []string{fmt.Sprintf("aws ec2 modify-instance-metadata-options --instance-id %s --http-put-response-hop-limit %d", id, hops)},
			Scenario: fmt.Sprintf("instances:\n  %s:\n    metadata_options: {hop_limit: %d}", name, hops),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyInstanceMetadataOptions(id, engine.MetadataOptionsInput{HopLimit: hops})
				return err
			},
		}}
	}
	g := f.st.AutoScalingGroups[inst.AutoScalingGroup]
	if g == nil || g.LaunchTemplate == nil {
		return nil
	}
	source := "$Default"
	switch strings.ToLower(g.LaunchTemplate.Version) {
	case "", "$default":
	case "$latest":
		source = "$Latest"
	default:
		return nil
	}
	var lt *model.LaunchTemplate
	for _, t := range f.st.LaunchTemplates {
		if t.ID == g.LaunchTemplate.ID || (g.LaunchTemplate.ID == "" && t.Name == g.LaunchTemplate.Name) {
			lt = t
		}
	}
	if lt == nil {
		return nil
	}
	v, ok := lt.Version(g.LaunchTemplate.Version)
	if !ok {
		return nil
	}
	// The new version keeps the template's other metadata options.
	md := model.LaunchTemplateMetadataOptions{}
	if v.Data.Metadata != nil {
		md = *v.Data.Metadata
	}
	md.HopLimit = intp(hops)
	var ids []model.InstanceID
	for _, i := range f.st.Instances {
		if i.AutoScalingGroup == g.Name && i.State == model.InstanceRunning {
			ids = append(ids, i.ID)
		}
	}
	slices.Sort(ids)
	ref := model.LaunchTemplateRef{ID: lt.ID}
	cmds := []string{
		fmt.Sprintf("aws ec2 create-launch-template-version --launch-template-id %s --source-version '%s' --launch-template-data '{\"MetadataOptions\":%s}'    # → VersionNumber", lt.ID, source, metadataJSON(md)),
		fmt.Sprintf("aws ec2 modify-launch-template --launch-template-id %s --default-version <VersionNumber>", lt.ID),
	}
	for _, id := range ids {
		cmds = append(cmds, fmt.Sprintf("aws ec2 modify-instance-metadata-options --instance-id %s --http-put-response-hop-limit %d", id, hops))
	}
	return []Fix{{
		score: 30, Kind: "instance",
		Title: fmt.Sprintf("Set the instance metadata hop limit to %d on the instances of %s and in a new default version of launch template %s (HttpPutResponseHopLimit)",
			hops, g.Name, lt.Name),
		Detail:   detail + " The group launches its instances from the launch template: its new version keeps the hop limit on the instances launched later.",
		Commands: cmds,
		Scenario: fmt.Sprintf("launch_templates:\n  %s:\n    metadata_options: {hop_limit: %d}", lt.Name, hops),
		apply: func(e *engine.Engine) error {
			_, num, err := e.CreateLaunchTemplateVersion(ref, "", source, model.LaunchTemplateData{Metadata: &md})
			if err != nil {
				return err
			}
			if _, err := e.ModifyLaunchTemplate(ref, strconv.Itoa(num)); err != nil {
				return err
			}
			for _, id := range ids {
				if _, err := e.ModifyInstanceMetadataOptions(id, engine.MetadataOptionsInput{HopLimit: hops}); err != nil {
					return err
				}
			}
			return nil
		},
	}}
}

// metadataJSON is a launch template's MetadataOptions as the CLI takes
// them.
func metadataJSON(m model.LaunchTemplateMetadataOptions) string {
	var parts []string
	if m.HTTPTokens != "" {
		parts = append(parts, `"HttpTokens":"`+m.HTTPTokens+`"`)
	}
	if m.HopLimit != nil {
		parts = append(parts, `"HttpPutResponseHopLimit":`+strconv.Itoa(*m.HopLimit))
	}
	if m.HTTPEndpoint != "" {
		parts = append(parts, `"HttpEndpoint":"`+m.HTTPEndpoint+`"`)
	}
	return "{" + strings.Join(parts, ",") + "}"
}
