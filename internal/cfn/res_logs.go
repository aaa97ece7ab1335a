package cfn

import "github.com/ecsnet/ecsnet/internal/engine"

// typeLogGroup is a CloudWatch Logs log group: created, because a task whose
// awslogs group does not exist fails to start on the emulator as on AWS.
const typeLogGroup = "AWS::Logs::LogGroup"

func createLogGroup(c *rctx) error {
	p := c.p
	name, err := p.str("LogGroupName")
	if err != nil {
		return err
	}
	if name == "" {
		name = c.s.physicalName(c.r.def.name, 512)
	}
	kms, err := p.str("KmsKeyId")
	if err != nil {
		return err
	}
	class, err := p.str("LogGroupClass")
	if err != nil {
		return err
	}
	tags, err := p.tags()
	if err != nil {
		return err
	}
	days, err := p.integer("RetentionInDays", 0)
	if err != nil {
		return err
	}
	e := c.e()
	if err := e.CreateLogGroup(engine.LogGroupInput{Name: name, KmsKeyID: kms, Class: class, Tags: tags}); err != nil {
		return p.at("LogGroupName", err)
	}
	if days != 0 {
		if err := e.PutRetentionPolicy(name, int64(days)); err != nil {
			_ = e.DeleteLogGroup(name)
			return p.at("RetentionInDays", err)
		}
	}
	cfg := e.Config()
	c.setRef(name)
	c.set("Arn", engine.LogGroupARN(cfg.Region, cfg.Account, name)+":*")
	return nil
}

// updateLogGroup changes a log group's retention (PutRetentionPolicy, or
// DeleteRetentionPolicy when the property is gone) and tags in place, as
// CloudFormation does ("Update requires: No interruption").
func updateLogGroup(c *rctx, old obj, _ []string) error {
	days, err := c.p.integer("RetentionInDays", 0)
	if err != nil {
		return err
	}
	tags, err := c.p.tags()
	if err != nil {
		return err
	}
	was, err := old.tags()
	if err != nil {
		return err
	}
	e := c.e()
	if err := e.PutRetentionPolicy(c.r.physical, int64(days)); err != nil {
		return c.p.at("RetentionInDays", err)
	}
	var remove []string
	for k := range was {
		if _, ok := tags[k]; !ok {
			remove = append(remove, k)
		}
	}
	if err := e.TagLogGroup(c.r.physical, tags, remove); err != nil {
		return c.p.at("Tags", err)
	}
	return nil
}

// typeLogStream is a stream of a log group (the awslogs driver's streams
// are made by tasks; a template can make one too). Ref is the stream's name.
const typeLogStream = "AWS::Logs::LogStream"

func createLogStream(c *rctx) error {
	p := c.p
	group, err := p.req("LogGroupName")
	if err != nil {
		return err
	}
	name, err := p.str("LogStreamName")
	if err != nil {
		return err
	}
	if name == "" {
		name = c.s.physicalName(c.r.def.name, 512)
	}
	if err := c.e().CreateLogStream(group, name); err != nil {
		return p.at("LogStreamName", err)
	}
	c.setRef(name)
	c.keep("LogGroupName", group)
	return nil
}
