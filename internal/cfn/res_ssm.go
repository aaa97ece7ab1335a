package cfn

import (
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeSSMParameter is a Systems Manager parameter, created in ecsnet's
// Parameter Store: another stack's SSM parameter types and
// {{resolve:ssm:...}} references read it, as on AWS.
const typeSSMParameter = "AWS::SSM::Parameter"

// createSSMParameter creates the parameter. Ref is its name; GetAtt Type and
// Value. Without a Name, CloudFormation names it CFN-<logical id>-<suffix>
// (AWS::SSM::Parameter, "Name"). CloudFormation takes String and
// StringList, not SecureString. Its Tags are a map, not a list.
func createSSMParameter(c *rctx) error {
	p := c.p
	typ, err := p.req("Type")
	if err != nil {
		return err
	}
	if typ != "String" && typ != "StringList" {
		return p.invalid("Type", "%s is not a valid enum value", typ)
	}
	value, err := p.req("Value")
	if err != nil {
		return err
	}
	in := engine.ParameterInput{Type: typ, Value: value}
	for key, dst := range map[string]*string{"Name": &in.Name, "Description": &in.Description,
		"AllowedPattern": &in.AllowedPattern, "Tier": &in.Tier, "DataType": &in.DataType} {
		if *dst, err = p.str(key); err != nil {
			return err
		}
	}
	if in.Name == "" {
		in.Name = "CFN-" + c.r.def.name + "-" + c.s.l.suffix(12)
	}
	tags, err := p.object("Tags")
	if err != nil {
		return err
	}
	if tags.n != nil {
		in.Tags = model.Tags{}
		for _, f := range tags.n.fields {
			if in.Tags[f.key], err = tags.str(f.key); err != nil {
				return err
			}
		}
	}
	if _, err := c.e().PutParameter(in); err != nil {
		return p.at("Name", err)
	}
	c.setRef(in.Name)
	c.set("Type", typ)
	c.set("Value", value)
	return nil
}
