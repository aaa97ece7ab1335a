// Package tagging serves the Resource Groups Tagging API (AWS JSON 1.1,
// ResourceGroupsTaggingAPI_20170126) over the resources whose tags ecsnet
// keeps: TagResources and UntagResources tag Auto Scaling groups, ECS
// resources, Elastic Load Balancing v2 resources, Lambda functions and EC2 resources named
// by ARN, through the same engine operations as each service's own tagging
// calls; GetResources, GetTagKeys and GetTagValues list them.
//
// A resource that cannot be tagged does not fail the call: it is reported
// in FailedResourcesMap (see apply), and the others are tagged, as the API
// documents.
package tagging

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/engine"
)

// Register adds the Resource Groups Tagging API handlers to r.
func Register(r *api.Registry) {
	add := func(op string, h api.Handler) { r.Add("resourcegroupstaggingapi", op, h) }
	add("TagResources", tagResources)
	add("UntagResources", untagResources)
	add("GetResources", getResources)
	add("GetTagKeys", getTagKeys)
	add("GetTagValues", getTagValues)
}

func invalid(format string, args ...any) error {
	return apierr.Newf("InvalidParameterException", format, args...)
}

// maxARNs is the most ARNs TagResources and UntagResources take
// (ResourceARNListForTagUntag: 1 to 20).
const maxARNs = 20

func arnList(c *api.Call) ([]string, error) {
	arns := c.In.Strings("ResourceARNList")
	if len(arns) == 0 || len(arns) > maxARNs {
		return nil, invalid("1 validation error detected: Value at 'resourceARNList' failed to satisfy constraint: Member must have length less than or equal to %d and greater than or equal to 1", maxARNs)
	}
	return arns, nil
}

func tagResources(c *api.Call) (map[string]any, error) {
	arns, err := arnList(c)
	if err != nil {
		return nil, err
	}
	tags := c.In.StringMap("Tags")
	if len(tags) == 0 {
		return nil, invalid("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	ch := engine.TagChange{Add: tags}
	return apply(c, arns, ch), nil
}

func untagResources(c *api.Call) (map[string]any, error) {
	arns, err := arnList(c)
	if err != nil {
		return nil, err
	}
	keys := c.In.Strings("TagKeys")
	if len(keys) == 0 {
		return nil, invalid("1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	ch := engine.TagChange{Remove: map[string]*string{}}
	for _, k := range keys {
		ch.Remove[k] = nil
	}
	return apply(c, arns, ch), nil
}

// apply tags every resource it can and reports the others: with the error
// code and text of the service that hosts the resource (FailureInfo: "any
// valid error code returned by the AWS service that hosts the resource"),
// InternalServiceException for a resource type ecsnet cannot tag (the code
// the API gives a type it does not support), InvalidParameterException for
// an ARN that names nothing of this account and Region.
func apply(c *api.Call, arns []string, ch engine.TagChange) map[string]any {
	failed := map[string]any{}
	for _, arn := range arns {
		err := tagOne(c, arn, ch)
		if err == nil {
			continue
		}
		info := map[string]any{"StatusCode": int64(400), "ErrorCode": "InvalidParameterException", "ErrorMessage": err.Error()}
		if e, ok := err.(*apierr.Error); ok {
			info["StatusCode"], info["ErrorCode"], info["ErrorMessage"] = int64(e.Status()), e.Code, e.Message
		}
		failed[arn] = info
	}
	return map[string]any{"FailedResourcesMap": failed}
}

// arnParts splits an ARN into service, region, account and resource.
func arnParts(arn string) (service, region, account, resource string, ok bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[2] == "" || p[5] == "" {
		return "", "", "", "", false
	}
	return p[2], p[3], p[4], p[5], true
}

func tagOne(c *api.Call, arn string, ch engine.TagChange) error {
	service, region, account, resource, ok := arnParts(arn)
	if !ok {
		return invalid("%s is not a valid ARN", arn)
	}
	var tag func() error
	switch service {
	case "autoscaling":
		if strings.HasPrefix(resource, "autoScalingGroup:") {
			tag = func() error { return c.Engine.TagAutoScalingGroupARN(arn, ch) }
		}
	case "ecs":
		tag = func() error { return c.Engine.TagECSResource(arn, ch) }
	case "elasticloadbalancing":
		tag = func() error { return c.Engine.TagLoadBalancingResources([]string{arn}, ch) }
	case "lambda":
		if strings.HasPrefix(resource, "function:") {
			tag = func() error {
				var remove []string
				for k := range ch.Remove {
					remove = append(remove, k)
				}
				return c.Engine.TagLambdaFunction(arn, ch.Add, remove)
			}
		}
	case "ec2":
		if _, id, ok := strings.Cut(resource, "/"); ok {
			tag = func() error { return c.Engine.TagEC2Resources([]string{id}, ch) }
		}
	}
	if tag == nil {
		return &apierr.Error{Code: "InternalServiceException", HTTPStatus: 500,
			Message: "ecsnet does not tag resources of this type through the Resource Groups Tagging API: " + arn}
	}
	if region != c.Region || account != c.Account {
		return invalid("The resource %s is not in this account and Region (%s, %s)", arn, c.Account, c.Region)
	}
	return tag()
}
