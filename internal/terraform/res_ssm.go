package terraform

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/zclconf/go-cty/cty"
)

// aws_ssm_parameter: a Parameter Store parameter (PutParameter), which a
// data "aws_ssm_parameter" of this configuration, or of one applied on
// it with --base, reads back: configurations that hand ids (a VPC's, its
// subnets') to others through Parameter Store. value or insecure_value;
// type is required (String, StringList, SecureString); id is the name.
func createSSMParameter(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	typ, err := c.req("type")
	if err != nil {
		return err
	}
	val := c.o.str("value")
	if c.o.has("insecure_value") {
		val = c.o.str("insecure_value")
	}
	p, err := c.e().PutParameter(engine.ParameterInput{Name: name, Type: typ, Value: val, KeyID: c.o.str("key_id"),
		Description: c.o.str("description"), AllowedPattern: c.o.str("allowed_pattern"), Tier: c.o.str("tier"),
		DataType: c.o.str("data_type"), Overwrite: c.o.flag("overwrite"), Tags: c.plainTags()})
	if err != nil {
		return c.fail("name", err)
	}
	c.created(p.Name, "")
	c.set("name", p.Name)
	c.set("value", p.Value)
	c.set("insecure_value", p.Value)
	c.set("type", p.Type)
	c.set("tier", p.Tier)
	c.set("arn", model.ARN(c.l.region, "ssm", c.l.account, "parameter/"+strings.TrimPrefix(p.Name, "/")))
	c.out["version"] = cty.NumberIntVal(p.Version)
	return nil
}
