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

// metadataChange is a change of instances' metadata options: what it
// sets, in words, in ModifyInstanceMetadataOptions' terms and as a
// launch template's MetadataOptions.
type metadataChange struct {
	what string // "Set the instance metadata hop limit to 2"
	prep string // "on": what comes before the instances

	param    string // "HttpPutResponseHopLimit"
	cli      string // "--http-put-response-hop-limit 2"
	scenario string // "{hop_limit: 2}"
	in       engine.MetadataOptionsInput
	detail   string
}

// onTemplate applies the change to a launch template's MetadataOptions.
func (c metadataChange) onTemplate(md model.LaunchTemplateMetadataOptions) model.LaunchTemplateMetadataOptions {
	if c.in.HopLimit != 0 {
		md.HopLimit = intp(c.in.HopLimit)
	}
	if c.in.HTTPEndpoint != "" {
		md.HTTPEndpoint = c.in.HTTPEndpoint
	}
	if c.in.HTTPTokens != "" {
		md.HTTPTokens = c.in.HTTPTokens
	}
	return md
}

// imdsHopLimit: an IMDSv2 token response dies before it reaches a
// container (ECS_IMDS_HOP_LIMIT). A hop limit of 2 is AWS's
// recommendation in a container environment (EC2 User Guide, "Instance
// metadata access considerations").
func (f *finder) imdsHopLimit(x reach.Explanation) []Fix {
	if x.Component == nil || x.Component.Type != "instance" {
		return nil
	}
	const hops = 2
	return f.metadataFix(model.InstanceID(x.Component.ID), metadataChange{
		what: "Set the instance metadata hop limit to 2", prep: "on", param: "HttpPutResponseHopLimit", cli: "--http-put-response-hop-limit 2",
		scenario: "{hop_limit: 2}", in: engine.MetadataOptionsInput{HopLimit: hops},
		detail: "A container of a bridge mode task is one hop further from the instance metadata service than the instance: the token response needs a hop limit of 2. " +
			"The change takes effect at once. A task role is the other way: the task's containers then get their credentials from the ECS agent (169.254.170.2), not from the instance's role.",
	})
}

// metadataServiceOn: the ECS agent of an instance whose metadata service
// is turned off gets no credentials and never registers
// (ECS_AGENT_NO_CREDENTIALS); HttpEndpoint enabled gives them back.
func (f *finder) metadataServiceOn(id model.InstanceID) []Fix {
	return f.metadataFix(id, metadataChange{
		what: "Turn the instance metadata service back on", prep: "for", param: "HttpEndpoint", cli: "--http-endpoint enabled",
		scenario: "{http_endpoint: enabled}", in: engine.MetadataOptionsInput{HTTPEndpoint: "enabled"},
		detail: "The ECS agent reads the instance's identity document and its role's credentials from the instance metadata service. " +
			"The change takes effect at once; the agent registers on its next start (ecs-init restarts it). Requiring IMDSv2 (HttpTokens required) keeps the service locked down and the agent working.",
	})
}

// metadataFix makes a metadata change on a running instance at once
// (ModifyInstanceMetadataOptions); an instance of an Auto Scaling group
// gets it on every running instance of the group and in a new default
// version of the group's launch template, so the instances the group
// launches later keep it. Offered for a group that launches the
// template's default or latest version.
func (f *finder) metadataFix(id model.InstanceID, c metadataChange) []Fix {
	inst := f.st.Instances[id]
	if inst == nil || inst.State != model.InstanceRunning {
		return nil
	}
	name := cmp.Or(inst.Tags.Name(), string(inst.ID))
	if inst.AutoScalingGroup == "" {
		return []Fix{{
			score: 30, Kind: "instance",
			Title:    fmt.Sprintf("%s %s %s (%s)", c.what, c.prep, name, c.param),
			Detail:   c.detail,
			Commands: []string{fmt.Sprintf("aws ec2 modify-instance-metadata-options --instance-id %s %s", id, c.cli)},
			Scenario: fmt.Sprintf("instances:\n  %s:\n    metadata_options: %s", name, c.scenario),
			apply: func(e *engine.Engine) error {
				_, err := e.ModifyInstanceMetadataOptions(id, c.in)
				return err
			},
		}}
	}
	g := f.st.AutoScalingGroups[inst.AutoScalingGroup]
	lt, v, source, ok := f.followedTemplate(g)
	if !ok {
		return nil
	}
	// The new version keeps the template's other metadata options.
	md := model.LaunchTemplateMetadataOptions{}
	if v.Data.Metadata != nil {
		md = *v.Data.Metadata
	}
	md = c.onTemplate(md)
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
		cmds = append(cmds, fmt.Sprintf("aws ec2 modify-instance-metadata-options --instance-id %s %s", id, c.cli))
	}
	return []Fix{{
		score: 30, Kind: "instance",
		Title:    fmt.Sprintf("%s %s the instances of %s and in a new default version of launch template %s (%s)", c.what, c.prep, g.Name, lt.Name, c.param),
		Detail:   c.detail + " The group launches its instances from the launch template: its new version keeps the setting on the instances launched later.",
		Commands: cmds,
		Scenario: fmt.Sprintf("launch_templates:\n  %s:\n    metadata_options: %s", lt.Name, c.scenario),
		apply: func(e *engine.Engine) error {
			_, num, err := e.CreateLaunchTemplateVersion(ref, "", source, model.LaunchTemplateData{Metadata: &md})
			if err != nil {
				return err
			}
			if _, err := e.ModifyLaunchTemplate(ref, strconv.Itoa(num)); err != nil {
				return err
			}
			for _, id := range ids {
				if _, err := e.ModifyInstanceMetadataOptions(id, c.in); err != nil {
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
