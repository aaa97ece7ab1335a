package engine

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Spot Fleet and EC2 Fleet. ecsnet has no capacity shortage: a fleet is
// fulfilled in the transaction that creates it (its instances launched
// through RunInstances' path, so they get interfaces in the pools'
// subnets), and is active (fulfilled) from its first Describe. Instances
// are never interrupted; a maintain fleet replaces the instances it loses
// (terminated by hand, or gone) on the next Step (maintainFleets), as AWS
// keeps a maintain fleet at its target capacity.

// Spot Fleet instances carry this tag, as AWS's do.
const (
	spotFleetTag = "aws:ec2spot:fleet-request-id"
	ec2FleetTag  = "aws:ec2:fleet-id"
)

func errSpotFleetNotFound(id string) error {
	return apierr.Newf("InvalidSpotFleetRequestId.NotFound", "The spot fleet request ID '%s' does not exist", id)
}

func errFleetNotFound(id string) error {
	return apierr.Newf("InvalidFleetId.NotFound", "The fleet ID '%s' does not exist", id)
}

// FleetLaunch holds what a fleet launches with, beyond its pools.
type FleetLaunch struct {
	// IAM is the engine holding IAM's instance profiles (see
	// RunInstancesInput.IAM).
	IAM *Engine
	// Interruption is the Spot Instances' interruption behavior.
	Interruption string
	// SpotPrice is the fleet's maximum price ("": the On-Demand price).
	SpotPrice string
}

// splitSubnets expands a pool whose SubnetId lists several subnets
// (comma-separated, as Spot Fleet takes them) into one pool per subnet.
func splitSubnets(p model.FleetPool) []model.FleetPool {
	if !strings.Contains(string(p.SubnetID), ",") {
		return []model.FleetPool{p}
	}
	var out []model.FleetPool
	for _, s := range strings.Split(string(p.SubnetID), ",") {
		if s = strings.TrimSpace(s); s != "" {
			q := p
			q.SubnetID = model.SubnetID(s)
			out = append(out, q)
		}
	}
	return out
}

// FleetPools are the launch pools of LaunchSpecifications (one per
// subnet) and LaunchTemplateConfigs: one per
// override (and subnet), or the template alone without overrides.
func FleetPools(specs []model.FleetPool, cfgs []model.FleetTemplateConfig) []model.FleetPool {
	var out []model.FleetPool
	for _, p := range specs {
		out = append(out, splitSubnets(p)...)
	}
	for _, c := range cfgs {
		ref := c.Template
		if len(c.Overrides) == 0 {
			out = append(out, model.FleetPool{Template: &ref})
		}
		for _, o := range c.Overrides {
			o.Template = &ref
			out = append(out, splitSubnets(o)...)
		}
	}
	return out
}

// poolPrice is a pool's Spot price per capacity unit now, for the
// lowest-price strategies (an unknown type sorts last).
func (t *txn) poolPrice(p model.FleetPool) float64 {
	typ := p.InstanceType
	zone := p.AvailabilityZone
	if p.Template != nil && (typ == "" || (zone == "" && p.SubnetID == "")) {
		if lt, err := t.launchTemplate(*p.Template); err == nil {
			if v, ok := lt.Version(p.Template.Version); ok {
				if typ == "" {
					typ = v.Data.InstanceType
				}
			}
		}
	}
	if s := t.st.Subnets[p.SubnetID]; s != nil {
		zone = s.AvailabilityZone
	}
	it, ok := model.LookupInstanceType(typ)
	if !ok {
		return math.Inf(1)
	}
	zi := 0
	for i, z := range t.e.AvailabilityZones() {
		if z.Name == zone {
			zi = i
		}
	}
	return SpotPrice(it, zi, "Linux/UNIX", SpotSlot(t.now)) / p.Weight()
}

// fleetCounts says how many instances each pool launches for capacity
// units under a strategy: the lowest-price ones put them all in the
// cheapest pool per unit (spread over the poolsToUse cheapest when more
// than one), diversified spreads them one at a time over every pool, the
// prioritized ones use the pool of lowest priority number, and the
// capacity-optimized ones (every pool has capacity here) the first pool.
// Capacity is rounded up to whole instances, as AWS does with weights.
func (t *txn) fleetCounts(pools []model.FleetPool, strategy string, capacity float64, poolsToUse int) []int {
	counts := make([]int, len(pools))
	if capacity <= 0 || len(pools) == 0 {
		return counts
	}
	order := make([]int, len(pools))
	for i := range order {
		order[i] = i
	}
	spread := 1
	switch strings.ToLower(strings.ReplaceAll(strategy, "-", "")) {
	case "diversified":
		spread = len(pools)
	case "prioritized", "capacityoptimizedprioritized":
		slices.SortStableFunc(order, func(a, b int) int {
			pa, pb := pools[a].Priority, pools[b].Priority
			switch {
			case pa == nil && pb == nil:
				return 0
			case pa == nil:
				return 1
			case pb == nil:
				return -1
			}
			return cmp.Compare(*pa, *pb)
		})
	case "capacityoptimized":
	default: // lowestPrice, lowest-price, priceCapacityOptimized
		prices := make([]float64, len(pools))
		for i, p := range pools {
			prices[i] = t.poolPrice(p)
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(prices[a], prices[b]) })
		if poolsToUse > 1 {
			spread = min(poolsToUse, len(pools))
		}
	}
	for i := 0; capacity > 0; i++ {
		k := order[i%spread]
		counts[k]++
		capacity -= pools[k].Weight()
	}
	return counts
}

// fleetLaunch launches counts[i] instances of each pool, Spot or
// On-Demand, tagged with the fleet's tag. A pool whose launch fails (an
// unknown image, group or subnet...) launches nothing: its error is
// returned as an event, as AWS reports it in the fleet's history, and the
// fleet itself is made.
func (t *txn) fleetLaunch(pools []model.FleetPool, counts []int, spot bool, fl FleetLaunch, tagKey, tagValue string) ([]model.FleetInstance, []model.FleetEvent) {
	var out []model.FleetInstance
	var errs []model.FleetEvent
	for i, p := range pools {
		if counts[i] == 0 {
			continue
		}
		tags := p.InstanceTags.Clone()
		if tags == nil {
			tags = model.Tags{}
		}
		tags[tagKey] = tagValue
		in := RunInstancesInput{ImageID: p.ImageID, InstanceType: p.InstanceType, MinCount: counts[i], MaxCount: counts[i],
			SubnetID: p.SubnetID, AvailabilityZone: p.AvailabilityZone, SecurityGroupIDs: slices.Clone(p.GroupIDs),
			UserData: p.UserData, KeyName: p.KeyName, IAMProfile: p.IAMProfile, IAM: fl.IAM, Tags: tags,
			Monitoring: p.Monitoring, EBSOptimized: p.EbsOptimized != nil && *p.EbsOptimized, BlockDevices: launchBlockDevices(p.BlockDevices)}
		if p.Template != nil {
			ref := *p.Template
			in.LaunchTemplate = &ref
		} else if in.InstanceType == "" {
			in.InstanceType = "m1.small"
		}
		var opts model.SpotMarketOptions
		if spot {
			opts = model.SpotMarketOptions{Interruption: cmp.Or(fl.Interruption, "terminate"), MaxPrice: cmp.Or(p.MaxPrice, fl.SpotPrice)}
			o := opts
			in.Spot = &o
		}
		mark := len(t.undo)
		res, err := t.runInstances(in)
		if err != nil {
			for k := len(t.undo) - 1; k >= mark; k-- {
				t.undo[k]()
			}
			t.undo = t.undo[:mark]
			code, msg := "spotFleetRequestConfigurationInvalid", err.Error()
			var ae *apierr.Error
			if errors.As(err, &ae) {
				code, msg = ae.Code, ae.Message
			}
			errs = append(errs, model.FleetEvent{Time: t.now, Type: "error", SubType: code, Info: msg, Spot: spot, Pool: i})
			continue
		}
		for _, inst := range res.Instances {
			fi := model.FleetInstance{ID: inst.ID, InstanceType: inst.Type, SubnetID: p.SubnetID, Spot: spot, Weight: p.Weight(), Pool: i}
			if n := t.st.NetworkInterfaces[inst.PrimaryENI]; n != nil {
				fi.SubnetID = n.SubnetID
			}
			if spot && tagKey == spotFleetTag {
				// Spot Fleet makes a Spot Instance request per instance.
				r := &model.SpotInstanceRequest{ID: model.SpotInstanceRequestID("sir-" + t.e.ids.Hex(8)), Options: opts,
					State: "active", StatusCode: "fulfilled", ImageID: inst.ImageID, InstanceType: inst.Type,
					KeyName: inst.KeyName, AvailabilityZone: inst.AvailabilityZone, SubnetID: fi.SubnetID,
					InstanceID: inst.ID, Created: t.now, Tags: model.Tags{}}
				if n := t.st.NetworkInterfaces[inst.PrimaryENI]; n != nil {
					r.GroupIDs = slices.Clone(n.SecurityGroups)
				}
				put(t, model.KindSpotRequest, t.st.SpotRequests, r.ID, r)
				c := *t.st.Instances[inst.ID]
				c.SpotRequest = r.ID
				put(t, model.KindInstance, t.st.Instances, c.ID, &c)
				fi.SpotRequest = r.ID
			}
			out = append(out, fi)
		}
	}
	return out, errs
}

// FleetCapacity is the capacity a fleet's live instances hold: all, and
// the On-Demand part.
func FleetCapacity(st *model.State, insts []model.FleetInstance) (total, onDemand float64) {
	for _, fi := range insts {
		if i := st.Instances[fi.ID]; i != nil && i.Live() {
			total += fi.Weight
			if !fi.Spot {
				onDemand += fi.Weight
			}
		}
	}
	return total, onDemand
}

// fleetInstancesGone reports whether none of a fleet's instances is left
// (all terminated, or gone).
func fleetInstancesGone(st *model.State, insts []model.FleetInstance) bool {
	for _, fi := range insts {
		if i := st.Instances[fi.ID]; i != nil && i.State != model.InstanceTerminated {
			return false
		}
	}
	return true
}

// SpotFleetState is a Spot Fleet request's state as Describe answers it:
// cancelled_terminating becomes cancelled once its instances have
// terminated.
func SpotFleetState(st *model.State, r *model.SpotFleetRequest) string {
	if r.State == "cancelled_terminating" && fleetInstancesGone(st, r.Instances) {
		return "cancelled"
	}
	return r.State
}

// fleetTerminatingFor is how long at least an EC2 Fleet deleted with its
// instances answers deleted_terminating: AWS's instances take that long to
// terminate, and moto's test_delete_fleet, verified against AWS, reads
// deleted_terminating right after DeleteFleets ([choice] the minute).
const fleetTerminatingFor = time.Minute

// FleetState is an EC2 Fleet's state at now as Describe answers it:
// deleted_terminating becomes deleted once its instances have terminated,
// and not before fleetTerminatingFor has passed.
func FleetState(st *model.State, f *model.Fleet, now time.Time) string {
	if f.State == "deleted_terminating" && fleetInstancesGone(st, f.Instances) && !now.Before(f.DeletedAt.Add(fleetTerminatingFor)) {
		return "deleted"
	}
	return f.State
}

// RequestSpotFleet validates a Spot Fleet request and fulfils it.
func (e *Engine) RequestSpotFleet(r model.SpotFleetRequest, fl FleetLaunch) (*model.SpotFleetRequest, error) {
	r.Type = cmp.Or(r.Type, "maintain")
	r.AllocationStrategy = cmp.Or(r.AllocationStrategy, "lowestPrice")
	r.InstanceInterruptionBehavior = cmp.Or(r.InstanceInterruptionBehavior, "terminate")
	r.ExcessCapacityTerminationPolicy = cmp.Or(r.ExcessCapacityTerminationPolicy, "Default")
	r.Pools = FleetPools(r.Specs, r.Templates)
	if len(r.Pools) == 0 {
		return nil, apierr.New("InvalidSpotFleetRequestConfig", "Either LaunchSpecifications or LaunchTemplateConfigs must be specified.")
	}
	if r.TargetCapacity < 0 {
		return nil, apierr.Newf("InvalidSpotFleetRequestConfig", "Parameter: SpotFleetRequestConfig.TargetCapacity is invalid.")
	}
	if r.OnDemandTargetCapacity > r.TargetCapacity {
		return nil, apierr.New("InvalidSpotFleetRequestConfig", "Parameter: SpotFleetRequestConfig.OnDemandTargetCapacity cannot be greater than SpotFleetRequestConfig.TargetCapacity.")
	}
	if r.OnDemandTargetCapacity > 0 && !r.FromTemplates {
		return nil, apierr.New("InvalidSpotFleetRequestConfig", "On-Demand capacity requires LaunchTemplateConfigs.")
	}
	var out *model.SpotFleetRequest
	err := e.write(func(t *txn) error {
		if r.ClientToken != "" {
			for _, prior := range t.st.SpotFleets {
				if prior.ClientToken == r.ClientToken {
					out = prior
					return nil
				}
			}
		}
		r.ID = model.SpotFleetRequestID("sfr-" + t.uuid())
		r.Created = t.now
		r.State = "active"
		r.History = []model.FleetEvent{{Time: t.now, Type: "fleetRequestChange", SubType: "submitted"},
			{Time: t.now, Type: "fleetRequestChange", SubType: "active"}}
		fl.Interruption = r.InstanceInterruptionBehavior
		fl.SpotPrice = r.SpotPrice
		if err := t.spotFleetLaunch(&r, fl, float64(r.OnDemandTargetCapacity), float64(r.TargetCapacity-r.OnDemandTargetCapacity)); err != nil {
			return err
		}
		out = &r
		put(t, model.KindSpotFleetRequest, t.st.SpotFleets, r.ID, out)
		return nil
	})
	return out, err
}

// spotFleetLaunch launches onDemand and spot capacity units for r,
// recording the launches in its history.
func (t *txn) spotFleetLaunch(r *model.SpotFleetRequest, fl FleetLaunch, onDemand, spot float64) error {
	for _, part := range []struct {
		spot     bool
		capacity float64
		strategy string
	}{{false, onDemand, cmp.Or(r.OnDemandAllocationStrategy, "lowestPrice")}, {true, spot, r.AllocationStrategy}} {
		counts := t.fleetCounts(r.Pools, part.strategy, part.capacity, r.InstancePoolsToUseCount)
		insts, errs := t.fleetLaunch(r.Pools, counts, part.spot, fl, spotFleetTag, string(r.ID))
		for _, ev := range errs {
			// Spot Fleet words a refused launch specification so.
			ev.Info = ev.SubType + ": " + ev.Info
			ev.SubType = "spotFleetRequestConfigurationInvalid"
			r.History = append(r.History, ev)
		}
		for _, fi := range insts {
			r.History = append(r.History, model.FleetEvent{Time: t.now, Type: "instanceChange", SubType: "launched", InstanceID: fi.ID,
				Info: `{"instanceType":"` + fi.InstanceType + `","image":"` + t.st.Instances[fi.ID].ImageID + `","productDescription":"Linux/UNIX"}`})
		}
		r.Instances = append(r.Instances, insts...)
	}
	return nil
}

// shrinkFleet terminates a fleet's newest live instances (Spot ones first)
// while its capacity less their weight still meets target.
func (t *txn) shrinkFleet(insts []model.FleetInstance, target float64) []model.FleetInstance {
	have, _ := FleetCapacity(t.st, insts)
	var gone []model.FleetInstance
	for _, spot := range []bool{true, false} {
		for k := len(insts) - 1; k >= 0; k-- {
			fi := insts[k]
			i := t.st.Instances[fi.ID]
			if fi.Spot != spot || i == nil || !i.Live() || have-fi.Weight < target {
				continue
			}
			have -= fi.Weight
			t.terminate(fi.ID, "Client.UserInitiatedShutdown: User initiated shutdown")
			gone = append(gone, fi)
		}
	}
	return gone
}

// ModifySpotFleetRequest changes a maintain request's target capacity:
// more launches instances; less terminates the newest (unless the excess
// capacity policy is noTermination).
func (e *Engine) ModifySpotFleetRequest(id string, target, onDemand *int, policy string, fl FleetLaunch) error {
	return e.write(func(t *txn) error {
		old := t.st.SpotFleets[model.SpotFleetRequestID(id)]
		if old == nil {
			return errSpotFleetNotFound(id)
		}
		if old.Type != "maintain" {
			return apierr.Newf("InvalidSpotFleetRequestType", "Spot fleet request type '%s' is not modifiable. Only requests of type 'maintain' can be modified.", old.Type)
		}
		if old.State != "active" {
			return apierr.Newf("InvalidSpotFleetRequestState", "Spot fleet request %s is in state %s and cannot be modified.", id, SpotFleetState(t.st, old))
		}
		r := *old
		r.Instances = slices.Clone(old.Instances)
		r.History = slices.Clone(old.History)
		if target != nil {
			r.TargetCapacity = *target
		}
		if onDemand != nil {
			r.OnDemandTargetCapacity = *onDemand
		}
		if r.TargetCapacity < 0 || r.OnDemandTargetCapacity > r.TargetCapacity {
			return apierr.New("InvalidSpotFleetRequestConfig", "Parameter: SpotFleetRequestConfig.OnDemandTargetCapacity cannot be greater than SpotFleetRequestConfig.TargetCapacity.")
		}
		if policy != "" {
			r.ExcessCapacityTerminationPolicy = policy
		}
		r.History = append(r.History, model.FleetEvent{Time: t.now, Type: "fleetRequestChange", SubType: "modify_in_progress"})
		have, haveOD := FleetCapacity(t.st, r.Instances)
		if want := float64(r.TargetCapacity); have < want {
			fl.Interruption, fl.SpotPrice = r.InstanceInterruptionBehavior, r.SpotPrice
			od := max(0, float64(r.OnDemandTargetCapacity)-haveOD)
			if err := t.spotFleetLaunch(&r, fl, od, max(0, want-have-od)); err != nil {
				return err
			}
		} else if have > want && !strings.EqualFold(policy, "noTermination") {
			for _, fi := range t.shrinkFleet(r.Instances, want) {
				r.History = append(r.History, model.FleetEvent{Time: t.now, Type: "instanceChange", SubType: "terminated", InstanceID: fi.ID})
			}
		}
		r.History = append(r.History, model.FleetEvent{Time: t.now, Type: "fleetRequestChange", SubType: "modify_successful"})
		put(t, model.KindSpotFleetRequest, t.st.SpotFleets, r.ID, &r)
		return nil
	})
}

// FleetCancel is the outcome of cancelling or deleting one fleet: its
// states before and after, or an error code and message.
type FleetCancel struct {
	ID                string
	Previous, Current string
	Code, Message     string
}

// CancelSpotFleetRequests cancels requests, terminating their instances
// or not. Unknown or already cancelled requests are reported one by one.
func (e *Engine) CancelSpotFleetRequests(ids []string, terminate bool) ([]FleetCancel, error) {
	var out []FleetCancel
	err := e.write(func(t *txn) error {
		for _, id := range ids {
			old := t.st.SpotFleets[model.SpotFleetRequestID(id)]
			switch {
			case !strings.HasPrefix(id, "sfr-"):
				out = append(out, FleetCancel{ID: id, Code: "fleetRequestIdMalformed", Message: "The Spot Fleet request ID '" + id + "' is malformed."})
				continue
			case old == nil:
				out = append(out, FleetCancel{ID: id, Code: "fleetRequestIdDoesNotExist", Message: "The Spot Fleet request ID '" + id + "' does not exist."})
				continue
			case strings.HasPrefix(old.State, "cancelled") && !(old.State == "cancelled_running" && terminate):
				out = append(out, FleetCancel{ID: id, Code: "fleetRequestNotInCancellableState", Message: "The Spot Fleet request '" + id + "' is in state " + SpotFleetState(t.st, old) + " and cannot be cancelled."})
				continue
			}
			r := *old
			r.History = slices.Clone(old.History)
			r.State = "cancelled_running"
			if terminate {
				r.State = "cancelled_terminating"
				for _, fi := range r.Instances {
					if i := t.st.Instances[fi.ID]; i != nil && i.Live() {
						t.terminate(fi.ID, "Client.UserInitiatedShutdown: User initiated shutdown")
					}
				}
			}
			r.History = append(r.History, model.FleetEvent{Time: t.now, Type: "fleetRequestChange", SubType: r.State})
			put(t, model.KindSpotFleetRequest, t.st.SpotFleets, r.ID, &r)
			out = append(out, FleetCancel{ID: id, Previous: old.State, Current: r.State})
		}
		return nil
	})
	return out, err
}

// CreateFleet validates an EC2 Fleet and fulfils it: the On-Demand and
// Spot target capacities, and the rest of the total in the default type.
func (e *Engine) CreateFleet(f model.Fleet, fl FleetLaunch) (*model.Fleet, error) {
	f.Type = cmp.Or(f.Type, "maintain")
	f.SpotAllocationStrategy = cmp.Or(f.SpotAllocationStrategy, "lowest-price")
	f.OnDemandAllocationStrategy = cmp.Or(f.OnDemandAllocationStrategy, "lowest-price")
	f.SpotInterruptionBehavior = cmp.Or(f.SpotInterruptionBehavior, "terminate")
	if f.ExcessCapacityTerminationPolicy == "" && f.Type != "instant" {
		f.ExcessCapacityTerminationPolicy = "termination"
	}
	f.Target.DefaultType = cmp.Or(f.Target.DefaultType, "on-demand")
	f.Pools = FleetPools(nil, f.Templates)
	if len(f.Pools) == 0 {
		return nil, apierr.New("MissingParameter", "The request must contain the parameter LaunchTemplateConfigs")
	}
	tc := f.Target
	if tc.Total < 0 || tc.OnDemand < 0 || tc.Spot < 0 {
		return nil, errInvalidParameterValue("TargetCapacitySpecification capacities must not be negative.")
	}
	if tc.OnDemand+tc.Spot > tc.Total {
		return nil, errInvalidParameterValue("The sum of the On-Demand and Spot target capacities (%d) cannot be greater than the total target capacity (%d).", tc.OnDemand+tc.Spot, tc.Total)
	}
	var out *model.Fleet
	err := e.write(func(t *txn) error {
		if f.ClientToken != "" {
			for _, prior := range t.st.Fleets {
				if prior.ClientToken == f.ClientToken {
					out = prior
					return nil
				}
			}
		}
		f.ID = model.FleetID("fleet-" + t.uuid())
		f.Created = t.now
		f.State = "active"
		f.History = []model.FleetEvent{{Time: t.now, Type: ec2FleetChange, SubType: "submitted"},
			{Time: t.now, Type: ec2FleetChange, SubType: "active"}}
		fl.Interruption = f.SpotInterruptionBehavior
		od, spot := float64(tc.OnDemand), float64(tc.Spot)
		if rest := float64(tc.Total - tc.OnDemand - tc.Spot); tc.DefaultType == "on-demand" {
			od += rest
		} else {
			spot += rest
		}
		if err := t.ec2FleetLaunch(&f, fl, od, spot); err != nil {
			return err
		}
		out = &f
		put(t, model.KindFleet, t.st.Fleets, f.ID, out)
		return nil
	})
	return out, err
}

func (t *txn) ec2FleetLaunch(f *model.Fleet, fl FleetLaunch, od, spot float64) error {
	for _, part := range []struct {
		spot     bool
		capacity float64
		strategy string
	}{{false, od, cmp.Or(f.OnDemandAllocationStrategy, "lowest-price")}, {true, spot, cmp.Or(f.SpotAllocationStrategy, "lowest-price")}} {
		counts := t.fleetCounts(f.Pools, part.strategy, part.capacity, 0)
		insts, errs := t.fleetLaunch(f.Pools, counts, part.spot, fl, ec2FleetTag, string(f.ID))
		f.Errors = append(f.Errors, errs...)
		for _, ev := range errs {
			f.History = append(f.History, model.FleetEvent{Time: ev.Time, Type: ec2FleetError, SubType: ev.SubType, Info: ev.Info})
		}
		for _, fi := range insts {
			f.History = append(f.History, model.FleetEvent{Time: t.now, Type: ec2FleetInstanceChange, SubType: "launched", InstanceID: fi.ID,
				Info: `{"instanceType":"` + fi.InstanceType + `","image":"` + t.st.Instances[fi.ID].ImageID + `","productDescription":"Linux/UNIX"}`})
		}
		f.Instances = append(f.Instances, insts...)
	}
	return nil
}

// EC2 Fleet's history event types (DescribeFleetHistory's FleetEventType).
const (
	ec2FleetChange         = "fleet-change"
	ec2FleetInstanceChange = "instance-change"
	ec2FleetError          = "service-error"
)

// topUpEC2Fleet launches what f lacks of its target capacity: the
// On-Demand part first, the rest in Spot.
func (t *txn) topUpEC2Fleet(f *model.Fleet, fl FleetLaunch) error {
	have, haveOD := FleetCapacity(t.st, f.Instances)
	want := float64(f.Target.Total)
	if have >= want {
		return nil
	}
	fl.Interruption = f.SpotInterruptionBehavior
	odWant := float64(f.Target.OnDemand)
	if f.Target.DefaultType == "on-demand" {
		odWant = want - float64(f.Target.Spot)
	}
	od := max(0, odWant-haveOD)
	return t.ec2FleetLaunch(f, fl, od, max(0, want-have-od))
}

// lostInstances splits a fleet's instances into those it still has and
// those it lost: terminated (or terminating), or gone.
func (t *txn) lostInstances(insts []model.FleetInstance) (kept, lost []model.FleetInstance) {
	for _, fi := range insts {
		i := t.st.Instances[fi.ID]
		if i == nil || i.State == model.InstanceTerminated || i.State == model.InstanceShuttingDown {
			lost = append(lost, fi)
		} else {
			kept = append(kept, fi)
		}
	}
	return kept, lost
}

// maintainFleets keeps the active maintain fleets at their target
// capacity: an instance a fleet lost is dropped from it (an
// instance-change event terminated) and replaced. A replacement that
// fails is an error event; the fleet tries again when it loses another.
func (t *txn) maintainFleets() {
	for _, id := range sortedKeys(t.st.SpotFleets) {
		r := t.st.SpotFleets[id]
		if r.Type != "maintain" || r.State != "active" {
			continue
		}
		kept, lost := t.lostInstances(r.Instances)
		if len(lost) == 0 {
			continue
		}
		n := *r
		n.Instances, n.History = kept, slices.Clone(r.History)
		for _, fi := range lost {
			n.History = append(n.History, model.FleetEvent{Time: t.now, Type: "instanceChange", SubType: "terminated", InstanceID: fi.ID})
		}
		have, haveOD := FleetCapacity(t.st, n.Instances)
		if want := float64(n.TargetCapacity); have < want {
			fl := FleetLaunch{Interruption: n.InstanceInterruptionBehavior, SpotPrice: n.SpotPrice}
			od := max(0, float64(n.OnDemandTargetCapacity)-haveOD)
			_ = t.spotFleetLaunch(&n, fl, od, max(0, want-have-od))
		}
		put(t, model.KindSpotFleetRequest, t.st.SpotFleets, n.ID, &n)
	}
	for _, id := range sortedKeys(t.st.Fleets) {
		f := t.st.Fleets[id]
		if f.Type != "maintain" || f.State != "active" {
			continue
		}
		kept, lost := t.lostInstances(f.Instances)
		if len(lost) == 0 {
			continue
		}
		n := *f
		n.Instances, n.History, n.Errors = kept, slices.Clone(f.History), slices.Clone(f.Errors)
		for _, fi := range lost {
			n.History = append(n.History, model.FleetEvent{Time: t.now, Type: ec2FleetInstanceChange, SubType: "terminated", InstanceID: fi.ID})
		}
		_ = t.topUpEC2Fleet(&n, FleetLaunch{})
		put(t, model.KindFleet, t.st.Fleets, n.ID, &n)
	}
}

// ModifyFleet changes a maintain (or request) fleet's target capacity, as
// ModifySpotFleetRequest does.
func (e *Engine) ModifyFleet(id string, tc *model.FleetTargetCapacity, policy string, fl FleetLaunch) error {
	return e.write(func(t *txn) error {
		old := t.st.Fleets[model.FleetID(id)]
		if old == nil {
			return errFleetNotFound(id)
		}
		if old.Type == "instant" {
			return apierr.New("UnsupportedOperation", "Fleets of type 'instant' cannot be modified.")
		}
		if old.State != "active" {
			return apierr.Newf("IncorrectState", "The fleet %s is in state %s and cannot be modified.", id, FleetState(t.st, old, t.now))
		}
		f := *old
		f.Instances, f.History, f.Errors = slices.Clone(old.Instances), slices.Clone(old.History), slices.Clone(old.Errors)
		if tc != nil {
			f.Target.Total = tc.Total
			if tc.OnDemand >= 0 {
				f.Target.OnDemand = tc.OnDemand
			}
			if tc.Spot >= 0 {
				f.Target.Spot = tc.Spot
			}
			if tc.DefaultType != "" {
				f.Target.DefaultType = tc.DefaultType
			}
		}
		if f.Target.OnDemand+f.Target.Spot > f.Target.Total {
			return errInvalidParameterValue("The sum of the On-Demand and Spot target capacities (%d) cannot be greater than the total target capacity (%d).", f.Target.OnDemand+f.Target.Spot, f.Target.Total)
		}
		if policy != "" {
			f.ExcessCapacityTerminationPolicy = policy
		}
		f.History = append(f.History, model.FleetEvent{Time: t.now, Type: ec2FleetChange, SubType: "modify_in_progress"})
		have, _ := FleetCapacity(t.st, f.Instances)
		if want := float64(f.Target.Total); have < want {
			if err := t.topUpEC2Fleet(&f, fl); err != nil {
				return err
			}
		} else if have > want && !strings.EqualFold(f.ExcessCapacityTerminationPolicy, "no-termination") {
			for _, fi := range t.shrinkFleet(f.Instances, want) {
				f.History = append(f.History, model.FleetEvent{Time: t.now, Type: ec2FleetInstanceChange, SubType: "terminated", InstanceID: fi.ID})
			}
		}
		f.History = append(f.History, model.FleetEvent{Time: t.now, Type: ec2FleetChange, SubType: "modify_succeeded"})
		put(t, model.KindFleet, t.st.Fleets, f.ID, &f)
		return nil
	})
}

// DeleteFleets deletes fleets, terminating their instances or not; an
// instant fleet's instances must be terminated with it.
func (e *Engine) DeleteFleets(ids []string, terminate bool) ([]FleetCancel, error) {
	var out []FleetCancel
	err := e.write(func(t *txn) error {
		for _, id := range ids {
			old := t.st.Fleets[model.FleetID(id)]
			switch {
			case !strings.HasPrefix(id, "fleet-"):
				out = append(out, FleetCancel{ID: id, Code: "fleetIdMalformed", Message: "The fleet ID '" + id + "' is malformed."})
				continue
			case old == nil:
				out = append(out, FleetCancel{ID: id, Code: "fleetIdDoesNotExist", Message: "The fleet ID '" + id + "' does not exist."})
				continue
			case strings.HasPrefix(old.State, "deleted") && !(old.State == "deleted_running" && terminate):
				out = append(out, FleetCancel{ID: id, Code: "fleetNotInDeletableState", Message: "The fleet '" + id + "' is in state " + FleetState(t.st, old, t.now) + " and cannot be deleted."})
				continue
			case old.Type == "instant" && !terminate:
				out = append(out, FleetCancel{ID: id, Code: "fleetNotInDeletableState", Message: "The instances of an instant fleet must be terminated when it is deleted: set TerminateInstances to true."})
				continue
			}
			f := *old
			f.History = slices.Clone(old.History)
			f.State = "deleted_running"
			if terminate {
				f.State, f.DeletedAt = "deleted_terminating", t.now
				for _, fi := range f.Instances {
					if i := t.st.Instances[fi.ID]; i != nil && i.Live() {
						t.terminate(fi.ID, "Client.UserInitiatedShutdown: User initiated shutdown")
						f.History = append(f.History, model.FleetEvent{Time: t.now, Type: ec2FleetInstanceChange, SubType: "terminated", InstanceID: fi.ID})
					}
				}
			}
			f.History = append(f.History, model.FleetEvent{Time: t.now, Type: ec2FleetChange, SubType: f.State})
			put(t, model.KindFleet, t.st.Fleets, f.ID, &f)
			out = append(out, FleetCancel{ID: id, Previous: old.State, Current: f.State})
		}
		return nil
	})
	return out, err
}
