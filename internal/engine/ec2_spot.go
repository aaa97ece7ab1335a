package engine

import (
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Spot Instance requests. ecsnet has no Spot market: a request is
// fulfilled as it is made (its instance launched in the same transaction),
// so RequestSpotInstances answers it open (pending-evaluation), as AWS
// does, and DescribeSpotInstanceRequests shows it active (fulfilled), as
// AWS does once capacity is found. Instances are never interrupted.

func errSpotRequestNotFound(id model.SpotInstanceRequestID) error {
	return apierr.Newf("InvalidSpotInstanceRequestID.NotFound", "The spot instance request ID '%s' does not exist", id)
}

// RequestSpotInstancesInput is RequestSpotInstances' input: how many
// instances, the request's options, and the launch specification as a
// RunInstances input (MinCount and MaxCount are set here).
type RequestSpotInstancesInput struct {
	Count                 int
	Options               model.SpotMarketOptions
	ValidFrom, ValidUntil time.Time
	LaunchGroup, AZGroup  string
	Launch                RunInstancesInput
	KernelID, RamdiskID   string
	Monitoring            bool
	Tags                  model.Tags
}

// RequestSpotInstances makes one request per instance and launches each
// request's instance.
func (e *Engine) RequestSpotInstances(in RequestSpotInstancesInput) ([]*model.SpotInstanceRequest, error) {
	if in.Count == 0 {
		in.Count = 1
	}
	if in.Count < 0 {
		return nil, errInvalidParameterValue("Value (%d) for parameter instanceCount is invalid. Expected a positive number.", in.Count)
	}
	if !in.Options.Persistent && in.Options.Interruption != "terminate" {
		return nil, apierr.Newf("InvalidParameterCombination", "The request with type 'one-time' is not supported when instanceInterruptionBehavior is set to '%s'.", in.Options.Interruption)
	}
	var out []*model.SpotInstanceRequest
	err := e.write(func(t *txn) error {
		launch := in.Launch
		launch.MinCount, launch.MaxCount = in.Count, in.Count
		opts := in.Options
		launch.Spot = &opts
		res, err := t.runInstances(launch)
		if err != nil {
			return err
		}
		for _, inst := range res.Instances {
			r := &model.SpotInstanceRequest{ID: model.SpotInstanceRequestID("sir-" + t.e.ids.Hex(8)), Options: in.Options,
				State: "active", StatusCode: "fulfilled", ValidFrom: in.ValidFrom, ValidUntil: in.ValidUntil,
				LaunchGroup: in.LaunchGroup, AZGroup: in.AZGroup, ImageID: inst.ImageID, InstanceType: inst.Type,
				KeyName: inst.KeyName, AvailabilityZone: inst.AvailabilityZone, SubnetID: launch.SubnetID,
				KernelID: in.KernelID, RamdiskID: in.RamdiskID, Monitoring: in.Monitoring, InstanceID: inst.ID,
				Created: t.now, Tags: in.Tags.Clone()}
			if n := t.st.NetworkInterfaces[inst.PrimaryENI]; n != nil {
				r.GroupIDs = slices.Clone(n.SecurityGroups)
			}
			put(t, model.KindSpotRequest, t.st.SpotRequests, r.ID, r)
			out = append(out, r)
			c := *t.st.Instances[inst.ID]
			c.SpotRequest = r.ID
			put(t, model.KindInstance, t.st.Instances, c.ID, &c)
		}
		return nil
	})
	return out, err
}

// CancelSpotInstanceRequests cancels requests; their instances keep
// running (AWS does not terminate them: "request-canceled-and-instance-
// running"). A request already cancelled, closed or failed stays as it is.
func (e *Engine) CancelSpotInstanceRequests(ids []model.SpotInstanceRequestID) ([]*model.SpotInstanceRequest, error) {
	var out []*model.SpotInstanceRequest
	err := e.write(func(t *txn) error {
		for _, id := range ids {
			r := t.st.SpotRequests[id]
			if r == nil {
				return errSpotRequestNotFound(id)
			}
			if r.State == "open" || r.State == "active" {
				c := *r
				c.State = "cancelled"
				if i := t.st.Instances[r.InstanceID]; i != nil && i.Live() {
					c.StatusCode = "request-canceled-and-instance-running"
				}
				put(t, model.KindSpotRequest, t.st.SpotRequests, c.ID, &c)
				r = &c
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// spotInstanceTerminated closes the request of a Spot Instance being
// terminated: a one-time request is closed (instance-terminated-by-user);
// a persistent one opens again (AWS would launch a new instance for it;
// ecsnet leaves it open). A cancelled request keeps its state.
func (t *txn) spotInstanceTerminated(id model.SpotInstanceRequestID) {
	r := t.st.SpotRequests[id]
	if r == nil || r.State != "active" {
		return
	}
	c := *r
	c.State, c.StatusCode = "closed", "instance-terminated-by-user"
	if r.Options.Persistent {
		c.State = "open"
	}
	put(t, model.KindSpotRequest, t.st.SpotRequests, c.ID, &c)
}
