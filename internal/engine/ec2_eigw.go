package engine

import (
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// errEIGWNotFound is AWS's answer for an unknown egress-only internet
// gateway (moto's text; docs/aws-behavior.md).
func errEIGWNotFound(id model.EgressOnlyIGWID) error {
	return apierr.Newf("InvalidGatewayID.NotFound", "The eigw ID '%s' does not exist", id)
}

func (t *txn) eigw(id model.EgressOnlyIGWID) (*model.EgressOnlyInternetGateway, error) {
	if err := checkID(string(id), "eigw", "InvalidEgressOnlyInternetGatewayId.Malformed"); err != nil {
		return nil, err
	}
	g := t.st.EgressOnlyIGWs[id]
	if g == nil {
		return nil, errEIGWNotFound(id)
	}
	return g, nil
}

// CreateEgressOnlyInternetGateway creates an egress-only internet gateway,
// attached to vpc for its whole life (egress-only-internet-gateway.md:
// it cannot be detached or moved; a VPC may have several).
func (e *Engine) CreateEgressOnlyInternetGateway(vpc model.VpcID, tags model.Tags) (*model.EgressOnlyInternetGateway, error) {
	if !resourceIDForm(string(vpc), "vpc") {
		// AWS answered a nine-digit id so (ansible-collections/community.aws#1475).
		return nil, apierr.Newf("InvalidVpcId.Malformed", "The vpc ID %s is malformed", vpc)
	}
	var out *model.EgressOnlyInternetGateway
	err := e.write(func(t *txn) error {
		if _, err := t.vpc(vpc); err != nil {
			return err
		}
		out = &model.EgressOnlyInternetGateway{ID: model.EgressOnlyIGWID(t.newID("eigw")), VpcID: vpc, Tags: tags.Clone()}
		put(t, model.KindEgressOnlyIGW, t.st.EgressOnlyIGWs, out.ID, out)
		return nil
	})
	return out, err
}

// DeleteEgressOnlyInternetGateway deletes an egress-only internet
// gateway. Routes that name it stay, as blackholes (as for an internet
// gateway that is deleted).
func (e *Engine) DeleteEgressOnlyInternetGateway(id model.EgressOnlyIGWID) error {
	return e.write(func(t *txn) error {
		if _, err := t.eigw(id); err != nil {
			return err
		}
		del(t, model.KindEgressOnlyIGW, t.st.EgressOnlyIGWs, id)
		return nil
	})
}
