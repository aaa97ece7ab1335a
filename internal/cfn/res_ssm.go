package cfn

import (
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// typeSSMParameter is a Systems Manager parameter, created in ecsnet's
// Parameter Store: another stack's SSM parameter types and
// {{resolve:ssm:...}} references read it, as on AWS.
const typeSSMParameter = "AWS::SSM::Parameter"

// ssmParameterInput reads an AWS::SSM::Parameter's properties.
// CloudFormation takes the types String and StringList, not SecureString;
// its Tags are a map, not a list.
func ssmParameterInput(p obj) (engine.ParameterInput, error) {
	typ, err := p.req("Type")
	if err != nil {
		return engine.ParameterInput{}, err
	}
	if typ != "String" && typ != "StringList" {
		return engine.ParameterInput{}, p.invalid("Type", "%s is not a valid enum value", typ)
	}
	value, err := p.req("Value")
	if err != nil {
		return engine.ParameterInput{}, err
	}
	in := engine.ParameterInput{Type: typ, Value: value}
	for key, dst := range map[string]*string{"Name": &in.Name, "Description": &in.Description,
		"AllowedPattern": &in.AllowedPattern, "Tier": &in.Tier, "DataType": &in.DataType} {
		if *dst, err = p.str(key); err != nil {
			return engine.ParameterInput{}, err
		}
	}
	tags, err := p.object("Tags")
	if err != nil {
		return engine.ParameterInput{}, err
	}
	in.Tags = model.Tags{}
	if tags.n != nil {
		for _, f := range tags.n.fields {
			if in.Tags[f.key], err = tags.str(f.key); err != nil {
				return engine.ParameterInput{}, err
			}
		}
	}
	return in, nil
}

// createSSMParameter creates the parameter. Ref is its name; GetAtt Type and
// Value. Without a Name, CloudFormation names it CFN-<logical id>-<suffix>
// (AWS::SSM::Parameter, "Name").
func createSSMParameter(c *rctx) error {
	in, err := ssmParameterInput(c.p)
	if err != nil {
		return err
	}
	if in.Name == "" {
		in.Name = "CFN-" + c.r.def.name + "-" + c.s.l.suffix(12)
	}
	if _, err := c.e().PutParameter(in); err != nil {
		return c.p.at("Name", err)
	}
	c.setRef(in.Name)
	c.set("Type", in.Type)
	c.set("Value", in.Value)
	return nil
}

// updateSSMParameter changes the parameter (c.r.physical) in place: a new
// version with the new value and attributes (PutParameter Overwrite), and
// its tags made those of c.p. Every property but Name updates without
// replacement (AWS::SSM::Parameter, "Update requires").
func updateSSMParameter(c *rctx, old obj, _ []string) error {
	in, err := ssmParameterInput(c.p)
	if err != nil {
		return err
	}
	was, err := ssmParameterInput(old)
	if err != nil {
		return err
	}
	in.Name, in.Overwrite = c.r.physical, true
	tags := in.Tags
	in.Tags = nil // PutParameter with Overwrite takes no tags
	e := c.e()
	if _, err := e.PutParameter(in); err != nil {
		return c.p.at("Value", err)
	}
	var remove []string
	for k := range was.Tags {
		if _, ok := tags[k]; !ok {
			remove = append(remove, k)
		}
	}
	if err := e.TagParameter(in.Name, tags, remove); err != nil {
		return c.p.at("Tags", err)
	}
	c.set("Type", in.Type)
	c.set("Value", in.Value)
	return nil
}
