package engine

import (
	"slices"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// MetadataOptionsInput is ModifyInstanceMetadataOptions' input (and
// RunInstances' MetadataOptions); "" and 0 keep the current value.
type MetadataOptionsInput struct {
	HTTPTokens, HTTPEndpoint, HTTPProtocolIPv6, InstanceMetadataTags string
	HopLimit                                                         int
}

// applyMetadataOptions returns cur with in applied, or AWS's error for a
// bad value (API_ModifyInstanceMetadataOptions: hop limit 1 to 64).
func applyMetadataOptions(cur model.InstanceMetadataOptions, in MetadataOptionsInput) (model.InstanceMetadataOptions, error) {
	check := func(param, v string, allowed ...string) error {
		if v != "" && !slices.Contains(allowed, v) {
			return errInvalidParameterValue("Value (%s) for parameter %s is invalid. Valid values are %v.", v, param, allowed)
		}
		return nil
	}
	for _, err := range []error{
		check("HttpTokens", in.HTTPTokens, "optional", "required"),
		check("HttpEndpoint", in.HTTPEndpoint, "enabled", "disabled"),
		check("HttpProtocolIpv6", in.HTTPProtocolIPv6, "enabled", "disabled"),
		check("InstanceMetadataTags", in.InstanceMetadataTags, "enabled", "disabled"),
	} {
		if err != nil {
			return cur, err
		}
	}
	if in.HopLimit != 0 && (in.HopLimit < 1 || in.HopLimit > 64) {
		return cur, errInvalidParameterValue("Value (%d) for parameter HttpPutResponseHopLimit is invalid. Valid values are 1 to 64.", in.HopLimit)
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&cur.HTTPTokens, in.HTTPTokens)
	set(&cur.HTTPEndpoint, in.HTTPEndpoint)
	set(&cur.HTTPProtocolIPv6, in.HTTPProtocolIPv6)
	set(&cur.InstanceMetadataTags, in.InstanceMetadataTags)
	if in.HopLimit != 0 {
		cur.HopLimit = in.HopLimit
	}
	return cur, nil
}

// ModifyInstanceMetadataOptions changes an instance's IMDS options.
func (e *Engine) ModifyInstanceMetadataOptions(id model.InstanceID, in MetadataOptionsInput) (model.InstanceMetadataOptions, error) {
	var out model.InstanceMetadataOptions
	err := e.write(func(t *txn) error {
		i, err := t.instance(id)
		if err != nil {
			return err
		}
		if i.State == model.InstanceTerminated || i.State == model.InstanceShuttingDown {
			return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be modified.", id)
		}
		cur := model.DefaultMetadataOptions()
		if i.Metadata != nil {
			cur = *i.Metadata
		}
		next, err := applyMetadataOptions(cur, in)
		if err != nil {
			return err
		}
		c := *i
		c.Metadata = &next
		put(t, model.KindInstance, t.st.Instances, id, &c)
		out = next
		return nil
	})
	return out, err
}

// CreditSpecificationResult is ModifyInstanceCreditSpecification's answer
// for one instance: Code is "" when it succeeded.
type CreditSpecificationResult struct {
	ID            model.InstanceID
	Code, Message string
}

// BurstableCredits reports whether a type is burstable and its default
// credit option: unlimited for T3, T3a and T4g, standard for T2
// (burstable-performance-instances.md).
func BurstableCredits(typ string) (string, bool) {
	switch family, _, _ := cutFamily(typ); family {
	case "t2":
		return "standard", true
	case "t3", "t3a", "t4g":
		return "unlimited", true
	}
	return "", false
}

func cutFamily(typ string) (string, string, bool) {
	for i := range typ {
		if typ[i] == '.' {
			return typ[:i], typ[i+1:], true
		}
	}
	return typ, "", false
}

// ModifyInstanceCreditSpecification sets the credit option of burstable
// instances; each instance succeeds or fails on its own, as EC2 answers.
func (e *Engine) ModifyInstanceCreditSpecification(specs map[model.InstanceID]string) ([]CreditSpecificationResult, error) {
	var out []CreditSpecificationResult
	err := e.write(func(t *txn) error {
		ids := make([]model.InstanceID, 0, len(specs))
		for id := range specs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			credits := specs[id]
			i := t.st.Instances[id]
			switch {
			case i == nil || i.State == model.InstanceTerminated:
				out = append(out, CreditSpecificationResult{ID: id, Code: "InvalidInstanceID.NotFound", Message: "The instance ID '" + string(id) + "' does not exist"})
				continue
			case credits != "standard" && credits != "unlimited":
				out = append(out, CreditSpecificationResult{ID: id, Code: "InvalidParameterValue", Message: "Value (" + credits + ") for parameter cpuCredits is invalid. Valid values are standard, unlimited."})
				continue
			}
			if _, ok := BurstableCredits(i.Type); !ok {
				out = append(out, CreditSpecificationResult{ID: id, Code: "InvalidInstanceType",
					Message: "The instance type " + i.Type + " does not support CPU credits."})
				continue
			}
			c := *i
			c.CPUCredits = credits
			put(t, model.KindInstance, t.st.Instances, id, &c)
			out = append(out, CreditSpecificationResult{ID: id})
		}
		return nil
	})
	return out, err
}

// MonitorInstances turns detailed monitoring on (on false, off) for the
// instances; all of them must exist. The change is made at once (AWS
// answers "pending" or "disabling" and completes it shortly after).
func (e *Engine) MonitorInstances(ids []model.InstanceID, on bool) error {
	return e.write(func(t *txn) error {
		if err := t.instancesFor(ids); err != nil {
			return err
		}
		for _, id := range ids {
			i := t.st.Instances[id]
			if i.State == model.InstanceTerminated || i.State == model.InstanceShuttingDown {
				return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in a state from which it can be modified.", id)
			}
			if i.Monitoring != on {
				c := *i
				c.Monitoring = on
				put(t, model.KindInstance, t.st.Instances, id, &c)
			}
		}
		return nil
	})
}

// burstableFamilies are the families of ModifyDefaultCreditSpecification
// (botocore's UnlimitedSupportedInstanceFamily).
var burstableFamilies = []string{"t2", "t3", "t3a", "t4g"}

// DefaultCreditSpecification returns the account's default credit option
// of a burstable instance family in the region: the one
// ModifyDefaultCreditSpecification set, else the family's own.
func (e *Engine) DefaultCreditSpecification(family string) (string, error) {
	if !slices.Contains(burstableFamilies, family) {
		return "", errInvalidParameterValue("Value (%s) for parameter instanceFamily is invalid. Valid values are t2, t3, t3a, t4g.", family)
	}
	var out string
	e.Read(func(st *model.State) { out = defaultCredits(st, family) })
	return out, nil
}

func defaultCredits(st *model.State, family string) string {
	if d := st.DefaultCredits[family]; d != nil {
		return d.CPUCredits
	}
	credits, _ := BurstableCredits(family + ".micro")
	return credits
}

// ModifyDefaultCreditSpecification sets the account's default credit
// option of a burstable instance family in the region. EC2 applies it
// within five minutes; ecsnet at once, to instances launched afterwards.
func (e *Engine) ModifyDefaultCreditSpecification(family, credits string) (string, error) {
	if !slices.Contains(burstableFamilies, family) {
		return "", errInvalidParameterValue("Value (%s) for parameter instanceFamily is invalid. Valid values are t2, t3, t3a, t4g.", family)
	}
	if credits != "standard" && credits != "unlimited" {
		return "", errInvalidParameterValue("Value (%s) for parameter cpuCredits is invalid. Valid values are standard, unlimited.", credits)
	}
	err := e.write(func(t *txn) error {
		put(t, model.KindDefaultCredits, t.st.DefaultCredits, family, &model.DefaultCreditSpecification{Family: family, CPUCredits: credits})
		return nil
	})
	return credits, err
}

// launchCredits is the credit option a launched instance records: the
// request's, else, for a burstable type whose family's account default was
// modified, that default ("": the type's own, BurstableCredits).
func (t *txn) launchCredits(requested, typ string) string {
	if requested != "" {
		return requested
	}
	family, _, _ := cutFamily(typ)
	if d := t.st.DefaultCredits[family]; d != nil {
		return d.CPUCredits
	}
	return ""
}

// ResetInstanceAttribute resets one of the three attributes EC2 resets:
// sourceDestCheck (back to true, on the primary interface), kernel and
// ramdisk (the AMI's; the instance must be stopped, and ecsnet records
// neither, so nothing else changes). Any other attribute is refused.
func (e *Engine) ResetInstanceAttribute(id model.InstanceID, attribute string) error {
	switch attribute {
	case "sourceDestCheck":
		on := true
		return e.ModifyInstanceAttribute(ModifyInstanceAttributeInput{ID: id, SourceDestCheck: &on})
	case "kernel", "ramdisk":
		return e.write(func(t *txn) error {
			i, err := t.instance(id)
			if err != nil {
				return err
			}
			if i.State != model.InstanceStopped {
				return apierr.Newf("IncorrectInstanceState", "The instance '%s' is not in the 'stopped' state.", i.ID)
			}
			return nil
		})
	case "":
		return errMissingParameter("attribute")
	}
	return errInvalidParameterValue("Value (%s) for parameter attribute is invalid. Only kernel, ramdisk and sourceDestCheck can be reset.", attribute)
}
