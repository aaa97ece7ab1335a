package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// UpdateContainerAgent: ECS asks a container instance's agent to update
// itself to the newest agent release (latestAgentVersion, the
// ecs_agent_version of the ECS-optimized AMIs' public parameters). The
// update walks agentUpdateStatus PENDING → STAGING → STAGED → UPDATING →
// UPDATED, one status per agentUpdatePhase (Step moves it), and the
// instance then reports the new version. The API refuses instances whose
// agent it cannot update (Arm, Windows), an agent already on the newest
// release, and an update under way; an agent without ecs-init (an AMI
// neither ECS-optimized nor Amazon Linux, such as Bottlerocket) accepts the
// request and fails it.

// latestAgentVersion is the newest ECS agent release ecsnet knows: the
// one the ECS-optimized AMIs' parameters name. Instances register with
// agentVersion (one release older), so an update is available.
const latestAgentVersion = "1.89.2"

// agentUpdatePhase is how long an agent update stays in each status
// ([choice]: AWS gives no timing).
const agentUpdatePhase = 10 * time.Second

// agentUpdateStatuses are the statuses of an agent update under way, in
// order, then UPDATED.
var agentUpdateStatuses = []string{"PENDING", "STAGING", "STAGED", "UPDATING", "UPDATED"}

// agentUpdating reports whether an agent update in status s is under way.
func agentUpdating(s string) bool {
	return s == "PENDING" || s == "STAGING" || s == "STAGED" || s == "UPDATING"
}

// UpdateContainerAgent starts the update of a container instance's agent
// and returns the instance, its agentUpdateStatus PENDING.
func (e *Engine) UpdateContainerAgent(cluster, ref string) (*model.ContainerInstance, error) {
	var out *model.ContainerInstance
	err := e.write(func(t *txn) error {
		c, err := t.cluster(cluster)
		if err != nil {
			return err
		}
		ci, err := t.containerInstance(c, ref)
		if err != nil {
			return err
		}
		if err := t.agentUpdatable(ci); err != nil {
			return err
		}
		n := *ci
		n.AgentUpdateStatus, n.AgentUpdateAt = "PENDING", t.now
		n.Version++
		put(t, model.KindContainerInstance, t.st.ContainerInstances, n.ARN, &n)
		out = &n
		return nil
	})
	return out, err
}

// agentUpdatable refuses an UpdateContainerAgent AWS refuses.
func (t *txn) agentUpdatable(ci *model.ContainerInstance) error {
	if ci.Status == "INACTIVE" {
		return errECSInvalid("The referenced container instance %s is not active.", model.LastSegment(ci.ARN)) // probable
	}
	for _, a := range ci.Attributes {
		if a.Name == "ecs.cpu-architecture" && a.Value == "arm64" {
			// The console's text for the API's refusal (amazon-ecs-agent#4099).
			return errECSInvalid("Update not supported on Arm architecture.")
		}
		if a.Name == "ecs.os-type" && a.Value == "windows" {
			return errECSInvalid("Agent updates are not supported on Windows container instances.") // [choice]
		}
	}
	if inst := t.st.Instances[ci.EC2InstanceID]; inst != nil {
		if im, _ := t.launchableImage(string(inst.ImageID)); im != nil && im.Platform == "windows" {
			return errECSInvalid("Agent updates are not supported on Windows container instances.") // [choice]
		}
	}
	switch {
	case agentUpdating(ci.AgentUpdateStatus):
		return apierr.New("UpdateInProgressException", "There is already a current Amazon ECS container agent update in progress on the container instance.") // probable
	case ci.AgentVersion == "":
		return apierr.New("MissingVersionException", "Amazon ECS cannot determine the current version of the Amazon ECS container agent on the container instance.") // probable
	case ci.AgentVersion == latestAgentVersion:
		// The text of amazon-ecs-agent#2287.
		return apierr.New("NoUpdateAvailableException", "There is no update available for your container agent.")
	}
	return nil
}

// withEcsInit reports whether an instance's agent runs under ecs-init,
// which performs the update: an ECS-optimized or Amazon Linux AMI. An
// image ecsnet does not know (a scenario's made-up id, the account's own
// image) counts as one ([choice]); an agent the user data runs as a
// container (amazon/amazon-ecs-agent, the installation on other AMIs) does not.
func (t *txn) withEcsInit(ci *model.ContainerInstance) bool {
	inst := t.st.Instances[ci.EC2InstanceID]
	if inst != nil && strings.Contains(model.CloudInitText(inst.UserData), "amazon-ecs-agent:") {
		return false // the agent container run by the user data, without ecs-init
	}
	if inst == nil || t.st.Images[model.ImageID(inst.ImageID)] != nil {
		return true
	}
	pub, ok := PublicImage(t.e.cfg.Region, string(inst.ImageID))
	if !ok {
		return true
	}
	return strings.HasPrefix(pub.Name, "amzn") || strings.HasPrefix(pub.Name, "al2023")
}

// advanceAgentUpdate moves an agent update on by one status once its
// phase has passed: an agent without ecs-init fails it then.
func (t *txn) advanceAgentUpdate(ci *model.ContainerInstance) {
	if ci == nil || !agentUpdating(ci.AgentUpdateStatus) || !t.due(ci.AgentUpdateAt.Add(agentUpdatePhase)) {
		return
	}
	n := *ci
	n.AgentUpdateAt = t.now
	n.Version++
	switch {
	case !t.withEcsInit(ci):
		n.AgentUpdateStatus = "FAILED"
	default:
		for i, s := range agentUpdateStatuses {
			if s == ci.AgentUpdateStatus {
				n.AgentUpdateStatus = agentUpdateStatuses[i+1]
				break
			}
		}
		if n.AgentUpdateStatus == "UPDATED" {
			n.AgentVersion = latestAgentVersion
			// The new agent registers its release's capabilities.
			var userData string
			if inst := t.st.Instances[ci.EC2InstanceID]; inst != nil {
				userData = inst.UserData
			}
			n.Attributes = slices.DeleteFunc(slices.Clone(ci.Attributes), func(a model.Attribute) bool { return model.AgentCapabilitySince(a.Name) != "" })
			n.Attributes = append(n.Attributes, agentCapabilityAttributes(n.AgentVersion, userData)...)
		}
	}
	put(t, model.KindContainerInstance, t.st.ContainerInstances, n.ARN, &n)
}
