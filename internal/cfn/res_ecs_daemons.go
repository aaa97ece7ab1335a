package cfn

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

const (
	typeDaemonTaskDefinition = "AWS::ECS::DaemonTaskDefinition"
	typeDaemon               = "AWS::ECS::Daemon"
)

// AWS::ECS::DaemonTaskDefinition: RegisterDaemonTaskDefinition. Ref and
// Fn::GetAtt DaemonTaskDefinitionArn are its ARN (the schema's
// primaryIdentifier). Its container definitions are passed as the API's
// JSON (property names lower-cased as the API spells them).
func createDaemonTaskDefinition(c *rctx) error {
	p := c.p
	family, err := c.name("Family", 255)
	if err != nil {
		return err
	}
	in := engine.RegisterDaemonTaskDefinitionInput{Family: family}
	for key, dst := range map[string]*string{"TaskRoleArn": &in.TaskRoleARN, "ExecutionRoleArn": &in.ExecutionRoleARN, "Cpu": &in.CPU, "Memory": &in.Memory} {
		if *dst, err = p.str(key); err != nil {
			return err
		}
	}
	cds, err := p.objects("ContainerDefinitions")
	if err != nil {
		return err
	}
	for _, cd := range cds {
		name, err := cd.str("Name")
		if err != nil {
			return err
		}
		image, err := cd.str("Image")
		if err != nil {
			return err
		}
		def, err := json.Marshal(rawOf(cd.n, false))
		if err != nil {
			return p.invalid("ContainerDefinitions", "%v", err)
		}
		in.Containers = append(in.Containers, model.DaemonContainer{Name: name, Image: image, Definition: string(def)})
	}
	vols, err := p.objects("Volumes")
	if err != nil {
		return err
	}
	for _, v := range vols {
		dv := model.DaemonVolume{}
		if dv.Name, err = v.str("Name"); err != nil {
			return err
		}
		host, err := v.object("Host")
		if err != nil {
			return err
		}
		if host.n != nil {
			dv.Host = true
			if dv.SourcePath, err = host.str("SourcePath"); err != nil {
				return err
			}
		}
		in.Volumes = append(in.Volumes, dv)
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	td, err := c.e().RegisterDaemonTaskDefinition(in)
	if err != nil {
		return p.at("ContainerDefinitions", err)
	}
	c.setRef(td.ARN)
	c.set("DaemonTaskDefinitionArn", td.ARN)
	return nil
}

// AWS::ECS::Daemon: CreateDaemon. Ref is the daemon's ARN (the schema's
// primaryIdentifier); Fn::GetAtt DaemonArn, DeploymentArn, DaemonStatus,
// CreatedAt and UpdatedAt. CloudFormation waits for the first deployment
// ([choice]: as it waits for a service to stabilize).
func createDaemon(c *rctx) error {
	p := c.p
	name, err := c.name("DaemonName", 255)
	if err != nil {
		return err
	}
	in, err := daemonInput(p)
	if err != nil {
		return err
	}
	in.Name = name
	if in.Cluster, err = p.str("ClusterArn"); err != nil {
		return err
	}
	if in.Tags, err = p.tags(); err != nil {
		return err
	}
	d, err := c.e().CreateDaemon(in)
	if err != nil {
		return p.at("CapacityProviderArns", err)
	}
	return c.daemonSettled(d)
}

// daemonSettled waits for the daemon's deployment, as the handler does,
// and sets its Ref and attributes.
func (c *rctx) daemonSettled(d *model.Daemon) error {
	if err := c.converge(); err != nil {
		return err
	}
	if now, err := c.e().Daemon(d.ARN); err == nil {
		d = now
	}
	c.setRef(d.ARN)
	c.set("DaemonArn", d.ARN)
	c.set("DeploymentArn", d.DeploymentARN)
	c.set("DaemonStatus", d.Status)
	c.set("CreatedAt", d.CreatedAt.UTC().Format(time.RFC3339))
	c.set("UpdatedAt", d.UpdatedAt.UTC().Format(time.RFC3339))
	return nil
}

// updateDaemon updates an AWS::ECS::Daemon in place (UpdateDaemon: a new
// revision and a deployment to it), for every property but DaemonName and
// ClusterArn ("Update requires: Replacement"); its tags with TagResource
// and UntagResource.
func updateDaemon(c *rctx, old obj, changed []string) error {
	if slices.Contains(changed, "Tags") {
		if err := retag(c, old, func(ch engine.TagChange) error { return c.e().TagECSResource(c.r.physical, ch) }); err != nil {
			return err
		}
	}
	if slices.Equal(changed, []string{"Tags"}) {
		return nil
	}
	in, err := daemonInput(c.p)
	if err != nil {
		return err
	}
	in.ARN = c.r.physical
	d, _, err := c.e().UpdateDaemon(in)
	if err != nil {
		return c.p.at("CapacityProviderArns", err)
	}
	return c.daemonSettled(d)
}

// daemonInput reads the properties CreateDaemon and UpdateDaemon share.
func daemonInput(p obj) (engine.DaemonInput, error) {
	var in engine.DaemonInput
	var err error
	if in.TaskDefinition, err = p.req("DaemonTaskDefinitionArn"); err != nil {
		return in, err
	}
	if in.CapacityProviders, err = p.strs("CapacityProviderArns"); err != nil {
		return in, err
	}
	if in.PropagateTags, err = p.str("PropagateTags"); err != nil {
		return in, err
	}
	for key, dst := range map[string]*bool{"EnableECSManagedTags": &in.ECSManagedTags, "EnableExecuteCommand": &in.ExecuteCommand} {
		b, err := p.boolean(key)
		if err != nil {
			return in, err
		}
		*dst = b != nil && *b
	}
	dc, err := p.object("DeploymentConfiguration")
	if err != nil {
		return in, err
	}
	in.DrainPercentUnset = !dc.has("DrainPercent")
	if !in.DrainPercentUnset {
		if in.Deployment.DrainPercent, err = dc.number("DrainPercent"); err != nil {
			return in, err
		}
	}
	if in.Deployment.BakeTimeInMinutes, err = dc.integer("BakeTimeInMinutes", 0); err != nil {
		return in, err
	}
	alarms, err := dc.object("Alarms")
	if err != nil {
		return in, err
	}
	if in.Deployment.AlarmNames, err = alarms.strs("AlarmNames"); err != nil {
		return in, err
	}
	if b, err := alarms.boolean("Enable"); err != nil {
		return in, err
	} else if b != nil {
		in.Deployment.AlarmsEnabled = *b
	}
	return in, nil
}

// deleteDaemon deletes a daemon createDaemon made (gone already, or being
// deleted, is done).
func deleteDaemon(e *engine.Engine, arn string) error {
	_, err := e.DeleteDaemon(arn)
	if err != nil && (strings.Contains(err.Error(), "DaemonNotFound") || strings.Contains(err.Error(), "DaemonNotActive")) {
		return nil
	}
	return err
}

// deleteDaemonTaskDefinition deletes a daemon task definition revision
// (one DELETE_IN_PROGRESS already is done).
func deleteDaemonTaskDefinition(e *engine.Engine, arn string) error {
	_, err := e.DeleteDaemonTaskDefinition(arn)
	if err != nil && strings.Contains(err.Error(), "is not ACTIVE") {
		return nil
	}
	return err
}
