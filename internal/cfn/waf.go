package cfn

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

const typeWebACLAssociation = "AWS::WAFv2::WebACLAssociation"

// checkWebACLAssociation fails an AWS::WAFv2::WebACLAssociation whose
// ResourceArn names an Application Load Balancer of this account and
// region that does not exist, as AssociateWebACL refuses it
// (WAFNonexistentItemException), when the deploy holds the whole account
// (DeployOptions.WebACLResources). ecsnet models no web ACL: the
// association itself stays a placeholder.
func (s *stack) checkWebACLAssociation(r *resource, props *node) error {
	if !s.l.webACLResources {
		return nil
	}
	cfg := s.l.e.Config()
	arn := props.get("ResourceArn").scalar()
	prefix := "arn:" + model.Partition(cfg.Region) + ":elasticloadbalancing:" + cfg.Region + ":" + cfg.Account + ":loadbalancer/app/"
	if !strings.HasPrefix(arn, prefix) {
		return nil
	}
	found := false
	s.l.e.Read(func(st *model.State) { found = st.LoadBalancers[arn] != nil })
	if found {
		return nil
	}
	return s.resourceErr(r, apierr.Newf("WAFNonexistentItemException", "AWS WAF couldn’t perform the operation because your resource doesn’t exist."))
}
