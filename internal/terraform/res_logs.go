package terraform

import (
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// aws_cloudwatch_log_group: a CloudWatch Logs log group (CreateLogGroup,
// PutRetentionPolicy). Created, because a task whose awslogs log group
// does not exist stops on AWS (engine.WithLogGroupCheck); the id is the
// name.
func createLogGroup(c *rctx) error {
	name := c.name(512)
	e := c.e()
	if err := e.CreateLogGroup(engine.LogGroupInput{Name: name, KmsKeyID: c.o.str("kms_key_id"), Class: c.o.str("log_group_class"), Tags: c.plainTags()}); err != nil {
		return c.fail("name", err)
	}
	days, err := c.o.integer("retention_in_days", 0)
	if err != nil {
		return err
	}
	if days != 0 {
		if err := e.PutRetentionPolicy(name, int64(days)); err != nil {
			_ = e.DeleteLogGroup(name)
			return c.fail("retention_in_days", err)
		}
	}
	c.created(name, "")
	c.set("name", name)
	c.set("arn", engine.LogGroupARN(c.l.region, c.l.account, name))
	return nil
}

// data "aws_cloudwatch_log_group": a log group that exists already (the
// data source fails when it does not), made by another configuration: the
// system gets it, so tasks that write to it start.
func dataLogGroup(c *rctx) error {
	name, err := c.req("name")
	if err != nil {
		return err
	}
	exists := false
	c.read(func(st *model.State) { exists = st.LogGroups[name] != nil })
	if !exists {
		if err := c.e().CreateLogGroup(engine.LogGroupInput{Name: name}); err != nil {
			return c.fail("name", err)
		}
	}
	c.set("id", name)
	c.set("name", name)
	c.set("arn", engine.LogGroupARN(c.l.region, c.l.account, name))
	return nil
}
