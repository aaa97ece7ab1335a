package fix

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"

	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// pinnedAgentRE is the agent release a user data pins: the agent
// container's tag or the ecs-init package's version (model.PinnedAgentVersion).
var pinnedAgentRE = regexp.MustCompile(`(amazon-ecs-agent):v?\d+\.\d+\.\d+\b|\b(ecs-init)-\d+\.\d+\.\d+(?:-\d+)?(?:\.amzn\w*)?\b`)

// newerAgent: ECS places no task because the cluster's instances run an
// agent release older than the one that registers a capability the task
// definition requires (ECS_PLACEMENT_MISSING_ATTRIBUTE). The instances of
// an Auto Scaling group whose launch template's user data pins that
// release get a new template version that runs the newest agent (the
// agent container's latest tag, the ecs-init package unversioned),
// made the default, and an instance refresh replaces them.
func (f *finder) newerAgent(x reach.Explanation) []Fix {
	if x.Component == nil {
		return nil
	}
	s := f.st.Services[x.Component.ARN]
	if s == nil {
		return nil
	}
	td := f.st.TaskDefinitions[s.TaskDefinitionARN]
	if td == nil {
		return nil
	}
	required := model.RequiredInstanceAttributes(td)
	var group string
	var ids []model.InstanceID
	for _, ci := range f.st.ContainerInstances {
		if ci.ClusterARN != s.ClusterARN || ci.Status != "ACTIVE" {
			continue
		}
		old := slices.ContainsFunc(required, func(a string) bool {
			return model.CompareAgentVersions(ci.AgentVersion, model.AgentCapabilitySince(a)) < 0
		})
		if !old {
			continue
		}
		inst := f.st.Instances[ci.EC2InstanceID]
		if inst == nil || inst.AutoScalingGroup == "" || (group != "" && inst.AutoScalingGroup != group) {
			return nil // an instance no group replaces, or several groups
		}
		group = inst.AutoScalingGroup
		ids = append(ids, inst.ID)
	}
	g := f.st.AutoScalingGroups[group]
	lt, v, source, ok := f.followedTemplate(g)
	if !ok || len(ids) == 0 {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(v.Data.UserData)
	if err != nil || model.PinnedAgentVersion(string(raw)) == "" {
		return nil
	}
	pinned := model.PinnedAgentVersion(string(raw))
	userData := pinnedAgentRE.ReplaceAllStringFunc(string(raw), func(m string) string {
		if sub := pinnedAgentRE.FindStringSubmatch(m); sub[1] != "" {
			return sub[1] + ":latest"
		}
		return "ecs-init"
	})
	launched := 0
	for _, inst := range f.st.Instances {
		if inst.AutoScalingGroup == g.Name {
			launched++
		}
	}
	slices.Sort(ids)
	title := fmt.Sprintf("Run the newest ECS agent on the instances of %s (launch template %s pins agent %s), and replace them", g.Name, lt.Name, pinned)
	detail := "The agent registers a capability attribute only from the release that brought it, and ECS places a task only on an instance with every attribute " +
		"the task definition requires. The group launches its instances from the launch template, whose user data pins the old release: a new version runs the newest one, " +
		"and an instance refresh replaces the running instances."
	return []Fix{f.userDataReplacement(g.Name, lt, source, userData, ids, launched, title, detail)}
}
