package engine

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// PrefixListEntry is one CIDR of a customer-managed prefix list.
type PrefixListEntry struct {
	CIDR        string
	Description string
}

func errPrefixListNotFound(id model.PrefixListID) error {
	return apierr.Newf("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", id)
}

// prefixList returns a prefix list; own requires one the account manages.
func (t *txn) prefixList(id model.PrefixListID, own bool) (*model.PrefixList, error) {
	if err := checkID(string(id), "pl", "InvalidPrefixListID.Malformed"); err != nil {
		return nil, err
	}
	p := t.st.PrefixLists[id]
	if p == nil {
		return nil, errPrefixListNotFound(id)
	}
	if own && p.AWSManaged() {
		return nil, apierr.Newf("InvalidPrefixListModification", "The prefix list %s is managed by AWS and cannot be modified.", id)
	}
	return p, nil
}

// maxPrefixListEntriesPerRequest is how many entries one
// CreateManagedPrefixList or ModifyManagedPrefixList call may add or remove
// (the EC2 API's limit of 100; a larger list is built over several calls).
const maxPrefixListEntriesPerRequest = 100

// setEntries parses entries into p's CIDRs (of its address family),
// checking duplicates and MaxEntries.
func setEntries(p *model.PrefixList, add []PrefixListEntry, remove []string) error {
	for _, r := range remove {
		c, err := netip.ParsePrefix(r)
		if err != nil {
			return errInvalidParameterValue("Value (%s) for parameter cidr is invalid. This is not a valid CIDR block.", r)
		}
		i := slices.Index(p.CIDRs, c)
		if i < 0 {
			// AWS's code, with a text that ends "does not exist.":
			// terraform-provider-aws's aws_ec2_managed_prefix_list_entry
			// takes exactly that as an entry already gone.
			return apierr.Newf("InvalidPrefixListModification", "The request cannot remove the entry %s from prefix list %s because it does not exist.", r, p.ID)
		}
		p.CIDRs = slices.Delete(p.CIDRs, i, i+1)
		p.Descriptions = slices.Delete(p.Descriptions, i, i+1)
	}
	for _, a := range add {
		c, err := netip.ParsePrefix(a.CIDR)
		if err != nil || c.Masked() != c || c.Addr().Is4() != (p.AddressFamily == "IPv4") {
			return errInvalidParameterValue("Value (%s) for parameter cidr is invalid. This is not a valid %s CIDR block.", a.CIDR, p.AddressFamily)
		}
		if slices.Contains(p.CIDRs, c) {
			// terraform-provider-aws#29204 quotes AWS's answer.
			return apierr.Newf("InvalidPrefixListModification", "An entry with the CIDR (%s) and description (%s) already exists.", a.CIDR, a.Description)
		}
		p.CIDRs = append(p.CIDRs, c)
		p.Descriptions = append(p.Descriptions, a.Description)
	}
	if len(p.CIDRs) > p.MaxEntries {
		return apierr.Newf("PrefixListMaxEntriesExceeded", "The prefix list %s would have %d entries; its maximum is %d.", p.ID, len(p.CIDRs), p.MaxEntries)
	}
	return nil
}

// CreateManagedPrefixListInput is CreateManagedPrefixList's input.
type CreateManagedPrefixListInput struct {
	Name          string
	AddressFamily string // IPv4 or IPv6
	MaxEntries    int
	Entries       []PrefixListEntry
	Tags          model.Tags
}

// CreateManagedPrefixList creates a customer-managed prefix list (version
// 1), which security group rules and routes can name.
func (e *Engine) CreateManagedPrefixList(in CreateManagedPrefixListInput) (*model.PrefixList, error) {
	switch {
	case in.Name == "":
		return nil, errMissingParameter("prefixListName")
	case in.MaxEntries < 1 || in.MaxEntries > 1000:
		return nil, errInvalidParameterValue("Value (%d) for parameter maxEntries is invalid. It must be between 1 and 1000.", in.MaxEntries)
	case in.AddressFamily != "IPv4" && in.AddressFamily != "IPv6":
		return nil, errInvalidParameterValue("Value (%s) for parameter addressFamily is invalid. Valid values are IPv4 and IPv6.", in.AddressFamily)
	case strings.HasPrefix(in.Name, "com.amazonaws"):
		return nil, errInvalidParameterValue("The prefix list name cannot start with com.amazonaws.")
	case len(in.Entries) > maxPrefixListEntriesPerRequest:
		// AWS's text, quoted in terraform-provider-aws#49955.
		return nil, errInvalidParameterValue("The number of entries per request cannot exceeds limit (%d).", maxPrefixListEntriesPerRequest)
	}
	var out *model.PrefixList
	err := e.write(func(t *txn) error {
		p := &model.PrefixList{ID: model.PrefixListID(t.newID("pl")), Name: in.Name, Owner: t.e.cfg.Account, AddressFamily: in.AddressFamily,
			MaxEntries: in.MaxEntries, Version: 1, Tags: in.Tags.Clone()}
		if err := setEntries(p, in.Entries, nil); err != nil {
			return err
		}
		put(t, model.KindPrefixList, t.st.PrefixLists, p.ID, p)
		out = p
		return nil
	})
	return out, err
}

// ModifyManagedPrefixListInput is ModifyManagedPrefixList's input.
type ModifyManagedPrefixListInput struct {
	ID             model.PrefixListID
	CurrentVersion int // 0: any
	Name           string
	MaxEntries     int
	Add            []PrefixListEntry
	Remove         []string
}

// ModifyManagedPrefixList renames a list, changes its maximum or its
// entries; changed entries make a new version. With CurrentVersion, the
// list must still be at that version.
func (e *Engine) ModifyManagedPrefixList(in ModifyManagedPrefixListInput) (*model.PrefixList, error) {
	var out *model.PrefixList
	err := e.write(func(t *txn) error {
		old, err := t.prefixList(in.ID, true)
		if err != nil {
			return err
		}
		if in.CurrentVersion != 0 && in.CurrentVersion != old.Version {
			return apierr.Newf("PrefixListVersionMismatch", "The prefix list has the incorrect version number.")
		}
		if len(in.Add)+len(in.Remove) > maxPrefixListEntriesPerRequest {
			return errInvalidParameterValue("The request cannot contain more than %d entry additions or removals.", maxPrefixListEntriesPerRequest)
		}
		if in.MaxEntries != 0 && (len(in.Add) > 0 || len(in.Remove) > 0) {
			return apierr.New("InvalidParameterCombination", "You cannot modify the entries and the maximum number of entries of a prefix list in one request.")
		}
		// One CIDR both added and removed (a description change) is
		// refused: terraform-provider-aws removes it in one call and adds
		// it back in a second for that reason.
		for _, a := range in.Add {
			for _, r := range in.Remove {
				if ca, err := netip.ParsePrefix(a.CIDR); err == nil {
					if cr, err := netip.ParsePrefix(r); err == nil && ca == cr {
						return errInvalidParameterValue("Request cannot contain Cidr %s in both AddPrefixListEntries and RemovePrefixListEntries", a.CIDR)
					}
				}
			}
		}
		p := *old
		p.CIDRs, p.Descriptions = slices.Clone(old.CIDRs), slices.Clone(old.Descriptions)
		if in.Name != "" {
			p.Name = in.Name
		}
		p.ModifyFailure, p.Modified = "", true
		if in.MaxEntries != 0 {
			if in.MaxEntries < len(p.CIDRs) || in.MaxEntries > 1000 {
				return errInvalidParameterValue("Value (%d) for parameter maxEntries is invalid.", in.MaxEntries)
			}
			if over := t.groupsOverQuota(p.ID, in.MaxEntries); len(over) > 0 {
				// AWS takes the call (modify-in-progress) and the
				// resize then fails: the list keeps its size, and its
				// state message names the first ten resources that
				// cannot take the new one (ModifyManagedPrefixList,
				// MaxEntries).
				p.ModifyFailure = "The following resources do not support the new maximum size: " + strings.Join(over[:min(len(over), 10)], ", ") + "."
			} else {
				p.MaxEntries = in.MaxEntries
			}
		}
		if len(in.Add) > 0 || len(in.Remove) > 0 {
			if err := setEntries(&p, in.Add, in.Remove); err != nil {
				return err
			}
			p.Version++
		}
		put(t, model.KindPrefixList, t.st.PrefixLists, p.ID, &p)
		out = &p
		return nil
	})
	return out, err
}

// DeleteManagedPrefixList deletes a customer-managed list. AWS accepts the
// call for a list that a security group rule or route still references
// (moto's test_authorize_security_group_rules_with_different_ipranges_or_prefixes,
// verified against AWS, deletes one that way) and the deletion then fails:
// the list stays, delete-failed, with the reason as its state message.
// A deleted list is answered delete-complete by DescribeManagedPrefixLists
// for prefixListDeletedFor, as AWS answers it (Terraform's finder takes
// delete-complete for gone); every other call finds it no more.
func (e *Engine) DeleteManagedPrefixList(id model.PrefixListID) (*model.PrefixList, error) {
	var out *model.PrefixList
	err := e.write(func(t *txn) error {
		p, err := t.prefixList(id, true)
		if err != nil {
			return err
		}
		out = p
		if why := t.prefixListUse(id); why != "" {
			c := *p
			c.DeleteFailure = why
			put(t, model.KindPrefixList, t.st.PrefixLists, c.ID, &c)
			return nil
		}
		gone := *p
		gone.DeletedAt, gone.DeleteFailure = t.now, ""
		del(t, model.KindPrefixList, t.st.PrefixLists, id)
		put(t, model.KindDeletedPrefixList, t.st.DeletedPrefixLists, id, &gone)
		return nil
	})
	return out, err
}

// prefixListUse says which security group or route table references a
// prefix list ("" for none).
func (t *txn) prefixListUse(id model.PrefixListID) string {
	for _, g := range sortedValues(t.st.SecurityGroups) {
		for _, r := range slices.Concat(g.Ingress, g.Egress) {
			if r.PrefixList == id {
				return fmt.Sprintf("The prefix list %s is referenced by security group %s.", id, g.ID)
			}
		}
	}
	for _, rt := range sortedValues(t.st.RouteTables) {
		for _, r := range rt.Routes {
			if r.DestinationPrefixList == id {
				return fmt.Sprintf("The prefix list %s is referenced by route table %s.", id, rt.ID)
			}
		}
	}
	return ""
}

// groupsOverQuota returns the security groups (sorted by id) whose rules
// of a direction would go over the rule quota were the prefix list id
// resized to maxEntries.
func (t *txn) groupsOverQuota(id model.PrefixListID, maxEntries int) []string {
	var over []string
	for _, g := range sortedValues(t.st.SecurityGroups) {
		if !slices.ContainsFunc(slices.Concat(g.Ingress, g.Egress), func(r model.SecurityGroupRule) bool { return r.PrefixList == id }) {
			continue
		}
		if t.ruleQuotaResized(g.Ingress, id, maxEntries) > maxRulesPerGroup || t.ruleQuotaResized(g.Egress, id, maxEntries) > maxRulesPerGroup {
			over = append(over, string(g.ID))
		}
	}
	return over
}

// prefixListDeletedFor is how long a deleted prefix list stays visible,
// delete-complete. AWS gives no number; an hour is ecsnet's choice, as for
// transit gateways (docs/aws-behavior.md).
const prefixListDeletedFor = time.Hour

// expireDeletedPrefixLists forgets the lists deleted more than
// prefixListDeletedFor ago.
func (t *txn) expireDeletedPrefixLists() {
	var ids []model.PrefixListID
	for id, p := range t.st.DeletedPrefixLists {
		if t.due(p.DeletedAt.Add(prefixListDeletedFor)) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		del(t, model.KindDeletedPrefixList, t.st.DeletedPrefixLists, id)
	}
}
