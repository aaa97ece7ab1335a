// Package services assembles ecsnet's API: the handlers of every service
// and the analyzer behind Network Insights and target health.
package services

import (
	"github.com/ecsnet/ecsnet/internal/api"
	"github.com/ecsnet/ecsnet/internal/api/acm"
	"github.com/ecsnet/ecsnet/internal/api/analysis"
	"github.com/ecsnet/ecsnet/internal/api/appautoscaling"
	"github.com/ecsnet/ecsnet/internal/api/autoscaling"
	"github.com/ecsnet/ecsnet/internal/api/cloudformation"
	"github.com/ecsnet/ecsnet/internal/api/cloudwatch"
	"github.com/ecsnet/ecsnet/internal/api/codedeploy"
	"github.com/ecsnet/ecsnet/internal/api/ec2"
	"github.com/ecsnet/ecsnet/internal/api/ecr"
	"github.com/ecsnet/ecsnet/internal/api/ecs"
	"github.com/ecsnet/ecsnet/internal/api/efs"
	"github.com/ecsnet/ecsnet/internal/api/elb"
	"github.com/ecsnet/ecsnet/internal/api/elbv2"
	"github.com/ecsnet/ecsnet/internal/api/events"
	"github.com/ecsnet/ecsnet/internal/api/iam"
	"github.com/ecsnet/ecsnet/internal/api/kms"
	"github.com/ecsnet/ecsnet/internal/api/lambda"
	"github.com/ecsnet/ecsnet/internal/api/logs"
	"github.com/ecsnet/ecsnet/internal/api/networkfirewall"
	"github.com/ecsnet/ecsnet/internal/api/route53"
	"github.com/ecsnet/ecsnet/internal/api/s3"
	"github.com/ecsnet/ecsnet/internal/api/secretsmanager"
	"github.com/ecsnet/ecsnet/internal/api/servicediscovery"
	"github.com/ecsnet/ecsnet/internal/api/sqs"
	"github.com/ecsnet/ecsnet/internal/api/ssm"
	"github.com/ecsnet/ecsnet/internal/api/sts"
	"github.com/ecsnet/ecsnet/internal/api/tagging"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/reach"
)

// Registry returns the handlers of every implemented operation.
func Registry() *api.Registry {
	r := api.NewRegistry()
	ec2.Register(r)
	ecs.Register(r)
	elbv2.Register(r)
	autoscaling.Register(r)
	elb.Register(r)
	sts.Register(r)
	ssm.Register(r)
	cloudformation.Register(r)
	servicediscovery.Register(r)
	logs.Register(r)
	iam.Register(r)
	acm.Register(r)
	appautoscaling.Register(r)
	ecr.Register(r)
	efs.Register(r)
	route53.Register(r)
	cloudwatch.Register(r)
	secretsmanager.Register(r)
	kms.Register(r)
	tagging.Register(r)
	r.AddServed("s3", s3.Operations...)
	events.Register(r)
	codedeploy.Register(r)
	lambda.Register(r)
	networkfirewall.Register(r)
	sqs.Register(r)
	return r
}

// Analyzer returns the analyzer the API answers Network Insights and target
// health with.
func Analyzer() api.Analyzer { return analysis.New() }

// EngineOptions are the options every emulated region's engine gets: the
// analyzer's start check, so a task that cannot reach its image registry
// stops as it would on AWS, and the log group check, so a task whose awslogs
// log group does not exist stops as it would on AWS, the secret check (a
// task whose container secrets do not exist stops), and the ECS services'
// target health (the server's step loop reports it: server/ecshealth.go).
func EngineOptions() []engine.Option {
	return []engine.Option{engine.WithStartCheck(reach.StartCheck), engine.WithRegisterCheck(reach.RegisterCheck), engine.WithSignalCheck(reach.SignalCheck), engine.WithLogGroupCheck(),
		engine.WithSecretCheck(reach.SecretCheck), engine.WithEnvFileCheck(reach.EnvFileCheck),
		engine.WithServiceTargetHealth()}
}
