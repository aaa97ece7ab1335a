package engine

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// EC2's side of IAM instance profiles: RunInstances and
// AssociateIamInstanceProfile name a profile by ARN or by name, and EC2
// refuses one IAM does not hold. IAM is global: its profiles live in the
// engine of the region IAM requests are signed for (us-east-1), which the
// caller passes as iam; nil skips the check (scenario files, templates and
// imports name profiles ecsnet never created).

// ProfileRef is an IamInstanceProfileSpecification: Arn, Name or both.
type ProfileRef struct{ ARN, Name string }

// profileRef reads the single string a launch carries (an ARN or a name).
func profileRef(s string) ProfileRef {
	if strings.HasPrefix(s, "arn:") {
		return ProfileRef{ARN: s}
	}
	return ProfileRef{Name: s}
}

// resolvedProfile is a profile IAM holds, as EC2 records it.
type resolvedProfile struct{ ARN, ID string }

// resolveProfile finds the profile ref names in iam's state. A profile
// named by ARN must match the ARN IAM gives it (path included); with both an
// ARN and a name, the name must be the ARN's profile's.
func (t *txn) resolveProfile(iam *Engine, ref ProfileRef) (resolvedProfile, error) {
	if ref.ARN == "" && ref.Name == "" {
		return resolvedProfile{}, errMissingParameter("IamInstanceProfile")
	}
	look := func(st *model.State) (out resolvedProfile, err error) {
		if ref.ARN != "" {
			name := ref.ARN[strings.LastIndexByte(ref.ARN, '/')+1:]
			p := st.InstanceProfiles[name]
			if p == nil || iam.InstanceProfileARN(p) != ref.ARN {
				return out, errInvalidParameterValue("Value (%s) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN", ref.ARN)
			}
			if ref.Name != "" && ref.Name != p.Name {
				return out, errInvalidParameterValue("Value (%s) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name", ref.Name)
			}
			return resolvedProfile{ARN: ref.ARN, ID: p.ID}, nil
		}
		p := st.InstanceProfiles[ref.Name]
		if p == nil {
			return out, errInvalidParameterValue("Value (%s) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name", ref.Name)
		}
		return resolvedProfile{ARN: iam.InstanceProfileARN(p), ID: p.ID}, nil
	}
	// The same engine, maybe through another Engine value (WithTicket,
	// a dry run's): its state is the transaction's, whose lock is held.
	if iam.core == t.e.core {
		return look(t.st)
	}
	var out resolvedProfile
	var err error
	// Another region's engine: its read lock only (IAM writes never take
	// a second region's lock, so the two cannot wait on each other).
	iam.Read(func(st *model.State) { out, err = look(st) })
	return out, err
}

// IAMAssociationView is an IamInstanceProfileAssociation.
type IAMAssociationView struct {
	Instance    *model.Instance
	Association model.IAMProfileAssociation
	ProfileARN  string
	State       string
}

// checkAssociationID refuses an association id that is not one (AWS:
// "Invalid value for associationId." for an instance id given instead).
func checkAssociationID(id string) error {
	if !strings.HasPrefix(id, "iip-assoc-") {
		return apierr.New("InvalidParameterValue", "Invalid value for associationId.")
	}
	return nil
}

// associated reports whether an instance's association is current: a
// terminated instance has none.
func associated(i *model.Instance) bool {
	return i.IAMAssociation != nil && i.State != model.InstanceTerminated && i.State != model.InstanceShuttingDown
}

// instanceByAssociation finds the instance holding an association.
func (t *txn) instanceByAssociation(id string) (*model.Instance, error) {
	if err := checkAssociationID(id); err != nil {
		return nil, err
	}
	for _, i := range t.st.Instances {
		if associated(i) && i.IAMAssociation.ID == id {
			return i, nil
		}
	}
	return nil, ErrIAMAssociationNotFound(id)
}

// ErrIAMAssociationNotFound is the answer for an association id that names
// no current association.
func ErrIAMAssociationNotFound(id string) error {
	if err := checkAssociationID(id); err != nil {
		return err
	}
	return apierr.Newf("InvalidAssociationID.NotFound", "The association ID '%s' does not exist", id)
}

// AssociateIamInstanceProfile gives an instance without one an instance
// profile. The association answers "associating"; it is "associated" at
// once afterwards.
func (e *Engine) AssociateIamInstanceProfile(iam *Engine, id model.InstanceID, ref ProfileRef) (IAMAssociationView, error) {
	var out IAMAssociationView
	err := e.write(func(t *txn) error {
		i, err := t.instance(id)
		if err != nil {
			return err
		}
		if i.State == model.InstanceTerminated || i.State == model.InstanceShuttingDown {
			return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in a valid state for this operation.", id)
		}
		// The profile is a parameter: checked before the instance's state.
		p, err := t.resolveProfile(iam, ref)
		if err != nil {
			return err
		}
		if i.IAMAssociation != nil {
			return apierr.Newf("IncorrectState", "There is an existing association for instance %s", id)
		}
		c := *i
		c.IAMProfile = p.ARN
		c.IAMAssociation = &model.IAMProfileAssociation{ID: t.newID("iip-assoc"), ProfileID: p.ID, Created: t.now}
		put(t, model.KindInstance, t.st.Instances, id, &c)
		out = IAMAssociationView{Instance: &c, Association: *c.IAMAssociation, ProfileARN: p.ARN, State: "associating"}
		return nil
	})
	return out, err
}

// ReplaceIamInstanceProfileAssociation puts another profile in an
// association's place: the new association has a new id and answers
// "associating". AWS replaces the profile of a running instance only; a
// stopped instance's association is "not the active association".
func (e *Engine) ReplaceIamInstanceProfileAssociation(iam *Engine, assocID string, ref ProfileRef) (IAMAssociationView, error) {
	var out IAMAssociationView
	err := e.write(func(t *txn) error {
		i, err := t.instanceByAssociation(assocID)
		if err != nil {
			return err
		}
		if i.State != model.InstanceRunning && i.State != model.InstancePending {
			return apierr.Newf("IncorrectState", "The association %s is not the active association", assocID)
		}
		p, err := t.resolveProfile(iam, ref)
		if err != nil {
			return err
		}
		c := *i
		c.IAMProfile = p.ARN
		c.IAMAssociation = &model.IAMProfileAssociation{ID: t.newID("iip-assoc"), ProfileID: p.ID, Created: t.now}
		put(t, model.KindInstance, t.st.Instances, i.ID, &c)
		out = IAMAssociationView{Instance: &c, Association: *c.IAMAssociation, ProfileARN: p.ARN, State: "associating"}
		return nil
	})
	return out, err
}

// DisassociateIamInstanceProfile removes an instance's profile; the answer
// is "disassociating" and the association is gone afterwards.
func (e *Engine) DisassociateIamInstanceProfile(assocID string) (IAMAssociationView, error) {
	var out IAMAssociationView
	err := e.write(func(t *txn) error {
		i, err := t.instanceByAssociation(assocID)
		if err != nil {
			return err
		}
		out = IAMAssociationView{Instance: i, Association: *i.IAMAssociation, ProfileARN: i.IAMProfile, State: "disassociating"}
		c := *i
		c.IAMProfile, c.IAMAssociation = "", nil
		put(t, model.KindInstance, t.st.Instances, i.ID, &c)
		return nil
	})
	return out, err
}

// IAMAssociations lists the current associations, by association id.
func IAMAssociations(st *model.State) []IAMAssociationView {
	var out []IAMAssociationView
	for _, i := range sortedValues(st.Instances) {
		if associated(i) {
			out = append(out, IAMAssociationView{Instance: i, Association: *i.IAMAssociation, ProfileARN: i.IAMProfile, State: "associated"})
		}
	}
	return out
}
