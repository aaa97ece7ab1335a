package engine

import (
	"slices"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// bpaDeletedFor is how long a deleted VPC Block Public Access exclusion
// stays described, delete-complete. AWS gives no number; an hour is
// ecsnet's choice, as for prefix lists (docs/aws-behavior.md).
const bpaDeletedFor = time.Hour

// errBPAExclusionNotFound is the answer for an unknown exclusion id (the
// code terraform-provider-aws catches; the message is ecsnet's).
func errBPAExclusionNotFound(id model.BPAExclusionID) error {
	return apierr.Newf("InvalidVpcBlockPublicAccessExclusionId.NotFound", "The exclusion ID '%s' does not exist", id)
}

func checkBPAMode(mode string) error {
	switch mode {
	case model.BPAOff, model.BPABidirectional, model.BPAIngress:
		return nil
	}
	return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter InternetGatewayBlockMode is invalid. Valid values: off, block-bidirectional, block-ingress", mode)
}

func checkBPAExclusionMode(mode string) error {
	switch mode {
	case model.BPAAllowBidirectional, model.BPAAllowEgress:
		return nil
	}
	return apierr.Newf("InvalidParameterValue", "Value (%s) for parameter InternetGatewayExclusionMode is invalid. Valid values: allow-bidirectional, allow-egress", mode)
}

// BPAOptions returns the account's VPC Block Public Access options in the
// region: off and default-state until first modified.
func (e *Engine) BPAOptions() model.VpcBlockPublicAccessOptions {
	var out model.VpcBlockPublicAccessOptions
	e.Read(func(st *model.State) {
		if o := st.BPAOptions[model.BPAOptionsKey]; o != nil {
			out = *o
		}
	})
	if out.State == "" {
		out = model.VpcBlockPublicAccessOptions{Mode: model.BPAOff, State: "default-state"}
	}
	return out
}

// ModifyVpcBlockPublicAccessOptions sets the account's mode in the
// region: update-in-progress (the previous mode still in force) until
// Step completes it.
func (e *Engine) ModifyVpcBlockPublicAccessOptions(mode string) (model.VpcBlockPublicAccessOptions, error) {
	var out model.VpcBlockPublicAccessOptions
	err := e.write(func(t *txn) error {
		if err := checkBPAMode(mode); err != nil {
			return err
		}
		prev := t.st.BPAOptions[model.BPAOptionsKey].Effective()
		out = model.VpcBlockPublicAccessOptions{Mode: mode, PreviousMode: prev, State: "update-in-progress",
			LastUpdate: t.now, NextTransition: t.now.Add(t.e.cfg.TaskStartDelay)}
		put(t, model.KindBPAOptions, t.st.BPAOptions, model.BPAOptionsKey, &out)
		return nil
	})
	return out, err
}

func (t *txn) bpaExclusion(id model.BPAExclusionID) (*model.VpcBlockPublicAccessExclusion, error) {
	x := t.st.BPAExclusions[id]
	if x == nil {
		return nil, errBPAExclusionNotFound(id)
	}
	return x, nil
}

// CreateVpcBlockPublicAccessExclusion exempts one VPC or one subnet
// (exactly one of vpc and subnet) from the account's mode; it is in force
// once create-complete.
func (e *Engine) CreateVpcBlockPublicAccessExclusion(vpc model.VpcID, subnet model.SubnetID, mode string, tags model.Tags) (*model.VpcBlockPublicAccessExclusion, error) {
	var out *model.VpcBlockPublicAccessExclusion
	err := e.write(func(t *txn) error {
		if (vpc == "") == (subnet == "") {
			return apierr.New("InvalidParameterCombination", "Exactly one of VpcId or SubnetId must be specified.")
		}
		if err := checkBPAExclusionMode(mode); err != nil {
			return err
		}
		resource, rid := "vpc/"+string(vpc), string(vpc)
		if vpc != "" {
			if _, err := t.vpc(vpc); err != nil {
				return err
			}
		} else {
			if _, err := t.subnet(subnet); err != nil {
				return err
			}
			resource, rid = "subnet/"+string(subnet), string(subnet)
		}
		for _, x := range t.st.BPAExclusions {
			if x.VpcID == vpc && x.SubnetID == subnet && x.State != "delete-in-progress" && x.State != "delete-complete" {
				return apierr.Newf("InvalidParameterValue", "An exclusion already exists for the resource %s: %s", rid, x.ID)
			}
		}
		out = &model.VpcBlockPublicAccessExclusion{
			ID: model.BPAExclusionID(t.newID("vpcbpa-exclude")), Mode: mode, VpcID: vpc, SubnetID: subnet,
			ResourceARN: model.EC2ARN(t.e.cfg.Region, t.e.cfg.Account, resource),
			State:       "create-in-progress", Created: t.now, LastUpdate: t.now,
			NextTransition: t.now.Add(t.e.cfg.TaskStartDelay), Tags: tags.Clone(),
		}
		put(t, model.KindBPAExclusion, t.st.BPAExclusions, out.ID, out)
		return nil
	})
	return out, err
}

// ModifyVpcBlockPublicAccessExclusion changes an exclusion's mode:
// update-in-progress (the previous mode in force) until Step completes it.
func (e *Engine) ModifyVpcBlockPublicAccessExclusion(id model.BPAExclusionID, mode string) (*model.VpcBlockPublicAccessExclusion, error) {
	var out *model.VpcBlockPublicAccessExclusion
	err := e.write(func(t *txn) error {
		x, err := t.bpaExclusion(id)
		if err != nil {
			return err
		}
		if err := checkBPAExclusionMode(mode); err != nil {
			return err
		}
		switch x.State {
		case "delete-in-progress", "delete-complete", "create-in-progress", "update-in-progress":
			return apierr.Newf("InvalidParameterValue", "Exclusion %s is in %s state and cannot be modified", id, x.State)
		}
		c := *x
		c.PreviousMode, c.Mode, c.State = x.Mode, mode, "update-in-progress"
		c.LastUpdate, c.NextTransition = t.now, t.now.Add(t.e.cfg.TaskStartDelay)
		put(t, model.KindBPAExclusion, t.st.BPAExclusions, c.ID, &c)
		out = &c
		return nil
	})
	return out, err
}

// DeleteVpcBlockPublicAccessExclusion deletes an exclusion:
// delete-in-progress (still in force), then delete-complete, described
// for bpaDeletedFor.
func (e *Engine) DeleteVpcBlockPublicAccessExclusion(id model.BPAExclusionID) (*model.VpcBlockPublicAccessExclusion, error) {
	var out *model.VpcBlockPublicAccessExclusion
	err := e.write(func(t *txn) error {
		x, err := t.bpaExclusion(id)
		if err != nil {
			return err
		}
		switch x.State {
		case "delete-in-progress", "delete-complete":
			// terraform-provider-aws matches "is in delete-complete state
			// and cannot be deleted".
			return apierr.Newf("InvalidParameterValue", "Exclusion %s is in %s state and cannot be deleted", id, x.State)
		}
		c := *x
		if c.State == "update-in-progress" {
			c.PreviousMode = ""
		}
		c.State, c.LastUpdate, c.NextTransition = "delete-in-progress", t.now, t.now.Add(t.e.cfg.TaskStartDelay)
		put(t, model.KindBPAExclusion, t.st.BPAExclusions, c.ID, &c)
		out = &c
		return nil
	})
	return out, err
}

// stepBPA completes the Block Public Access changes that are due and
// forgets exclusions deleted bpaDeletedFor ago. Exclusions are few (AWS
// caps them per region), so the pass reads them all.
func (t *txn) stepBPA() {
	if o := t.st.BPAOptions[model.BPAOptionsKey]; o != nil && o.State == "update-in-progress" && t.due(o.NextTransition) {
		c := *o
		c.State, c.PreviousMode, c.LastUpdate = "update-complete", "", t.now
		put(t, model.KindBPAOptions, t.st.BPAOptions, model.BPAOptionsKey, &c)
	}
	ids := make([]model.BPAExclusionID, 0, len(t.st.BPAExclusions))
	for id := range t.st.BPAExclusions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		x := t.st.BPAExclusions[id]
		if x.State == "delete-complete" {
			if t.due(x.DeletedAt.Add(bpaDeletedFor)) {
				del(t, model.KindBPAExclusion, t.st.BPAExclusions, id)
			}
			continue
		}
		if !t.due(x.NextTransition) {
			continue
		}
		c := *x
		switch x.State {
		case "create-in-progress":
			c.State = "create-complete"
		case "update-in-progress":
			c.State, c.PreviousMode = "update-complete", ""
		case "delete-in-progress":
			c.State, c.DeletedAt = "delete-complete", t.now
		default:
			continue
		}
		c.LastUpdate = t.now
		put(t, model.KindBPAExclusion, t.st.BPAExclusions, c.ID, &c)
	}
}
