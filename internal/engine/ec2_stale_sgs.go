package engine

import (
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// StaleReference is a security group rule that references a group it can
// no longer reach: a group that was deleted, or a group of a peer VPC
// whose peering connection is no longer active (DescribeStaleSecurityGroups).
type StaleReference struct {
	Rule model.SecurityGroupRule
	// RefVpc is the referenced group's VPC ("" when the group is gone).
	RefVpc model.VpcID
	// Peering is the last peering connection between the two VPCs, and
	// PeeringStatus its status ("" without one).
	Peering       model.VpcPeeringConnectionID
	PeeringStatus string
}

// StaleGroup is a security group of the VPC with stale rules.
type StaleGroup struct {
	Group           *model.SecurityGroup
	Ingress, Egress []StaleReference
}

// StaleSecurityGroups returns the VPC's security groups whose rules
// reference a deleted group or a group of a peer VPC whose peering
// connection was deleted (or is otherwise not active), sorted by group id.
func (e *Engine) StaleSecurityGroups(vpc model.VpcID) ([]StaleGroup, error) {
	var out []StaleGroup
	var err error
	e.Read(func(st *model.State) {
		t := &txn{e: e, st: st}
		if _, err = t.vpc(vpc); err != nil {
			return
		}
		for _, g := range st.SecurityGroups {
			if g.VpcID != vpc {
				continue
			}
			sg := StaleGroup{Group: g, Ingress: staleRules(st, g, g.Ingress), Egress: staleRules(st, g, g.Egress)}
			if len(sg.Ingress) > 0 || len(sg.Egress) > 0 {
				out = append(out, sg)
			}
		}
	})
	slices.SortFunc(out, func(a, b StaleGroup) int { return strings.Compare(string(a.Group.ID), string(b.Group.ID)) })
	return out, err
}

func staleRules(st *model.State, g *model.SecurityGroup, rules []model.SecurityGroupRule) []StaleReference {
	var out []StaleReference
	for _, r := range rules {
		if r.Group == "" || r.Group == g.ID {
			continue
		}
		ref := st.SecurityGroups[r.Group]
		if ref != nil && ref.VpcID == g.VpcID {
			continue
		}
		s := StaleReference{Rule: r}
		if ref != nil {
			s.RefVpc = ref.VpcID
		}
		active := false
		for _, p := range st.VpcPeerings {
			if !((p.RequesterVpc == g.VpcID && (ref == nil || p.AccepterVpc == ref.VpcID)) ||
				(p.AccepterVpc == g.VpcID && (ref == nil || p.RequesterVpc == ref.VpcID))) {
				continue
			}
			if ref == nil {
				continue // the peer of a deleted group is not known
			}
			if p.Status == "active" {
				active = true
			}
			if s.Peering == "" || p.ID > s.Peering {
				s.Peering, s.PeeringStatus = p.ID, p.Status
			}
		}
		if ref != nil && active {
			continue
		}
		out = append(out, s)
	}
	return out
}
