package engine

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// CloudWatch Logs: log groups and their streams, as the awslogs log driver
// of a task needs them. Events are not kept.

// retentionDays are the values PutRetentionPolicy accepts.
var retentionDays = []int64{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func logsInvalid(format string, args ...any) error {
	return apierr.Newf("InvalidParameterException", format, args...)
}

func logGroupNotFound() error {
	return apierr.New("ResourceNotFoundException", "The specified log group does not exist.")
}

// LogGroupARN is a log group's ARN without the trailing ":*" (logGroupArn,
// and what the tagging operations take).
func LogGroupARN(region, account, name string) string {
	return "arn:" + model.Partition(region) + ":logs:" + region + ":" + account + ":log-group:" + name
}

// LogGroupInput is CreateLogGroup's input.
type LogGroupInput struct {
	Name, KmsKeyID, Class string
	DeletionProtection    bool
	Tags                  model.Tags
}

// maxLogNameLength is the longest log group or stream name, which
// CloudWatch Logs refuses in its own words ("Invalid LogGroup or
// LogStream, both must have length less than or equal to 512.").
const maxLogNameLength = 512

func logNameTooLong() error {
	return logsInvalid("Invalid LogGroup or LogStream, both must have length less than or equal to %d.", maxLogNameLength)
}

func checkLogGroupName(name string) error {
	if len(name) > maxLogNameLength {
		return logNameTooLong()
	}
	if !model.ValidLogGroupName(name) {
		return logsInvalid("1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", name)
	}
	return nil
}

// CreateLogGroup creates a log group.
func (e *Engine) CreateLogGroup(in LogGroupInput) error {
	if err := checkLogGroupName(in.Name); err != nil {
		return err
	}
	switch in.Class {
	case "":
		in.Class = "STANDARD"
	case "STANDARD", "INFREQUENT_ACCESS", "DELIVERY":
	default:
		return logsInvalid("1 validation error detected: Value '%s' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]", in.Class)
	}
	if len(in.Tags) > 50 {
		return logsInvalid("1 validation error detected: Value '%v' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50", in.Tags)
	}
	return e.write(func(t *txn) error {
		if t.st.LogGroups[in.Name] != nil {
			return apierr.New("ResourceAlreadyExistsException", "The specified log group already exists")
		}
		t.createLogGroup(in)
		return nil
	})
}

func (t *txn) createLogGroup(in LogGroupInput) *model.LogGroup {
	if in.Class == "" {
		in.Class = "STANDARD"
	}
	g := &model.LogGroup{Name: in.Name, Created: t.now, KmsKeyID: in.KmsKeyID, Class: in.Class,
		DeletionProtection: in.DeletionProtection, Tags: in.Tags.Clone()}
	put(t, model.KindLogGroup, t.st.LogGroups, g.Name, g)
	return g
}

// DeleteLogGroup deletes a log group and its streams.
func (e *Engine) DeleteLogGroup(name string) error {
	return e.write(func(t *txn) error {
		g := t.st.LogGroups[name]
		if g == nil {
			return logGroupNotFound()
		}
		if g.DeletionProtection {
			return apierr.New("OperationAbortedException", "Log group "+name+" has deletion protection enabled.")
		}
		del(t, model.KindLogGroup, t.st.LogGroups, name)
		return nil
	})
}

// changeLogGroup applies fn to a copy of the named group and stores it.
func (e *Engine) changeLogGroup(name string, fn func(g *model.LogGroup, now time.Time) error) error {
	return e.write(func(t *txn) error {
		old := t.st.LogGroups[name]
		if old == nil {
			return logGroupNotFound()
		}
		g := *old
		g.Tags = old.Tags.Clone()
		g.Streams = maps.Clone(old.Streams)
		if err := fn(&g, t.now); err != nil {
			return err
		}
		put(t, model.KindLogGroup, t.st.LogGroups, name, &g)
		return nil
	})
}

// PutRetentionPolicy sets a log group's retention; 0 removes it
// (DeleteRetentionPolicy).
func (e *Engine) PutRetentionPolicy(name string, days int64) error {
	if days != 0 && !slices.Contains(retentionDays, days) {
		s := make([]string, len(retentionDays))
		for i, d := range retentionDays {
			s[i] = strconv.FormatInt(d, 10)
		}
		return logsInvalid("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]", days, strings.Join(s, ", "))
	}
	return e.changeLogGroup(name, func(g *model.LogGroup, now time.Time) error {
		g.RetentionInDays = days
		return nil
	})
}

// TagLogGroup adds and removes a log group's tags.
func (e *Engine) TagLogGroup(name string, add model.Tags, remove []string) error {
	return e.changeLogGroup(name, func(g *model.LogGroup, now time.Time) error {
		if g.Tags == nil {
			g.Tags = model.Tags{}
		}
		maps.Copy(g.Tags, add)
		for _, k := range remove {
			delete(g.Tags, k)
		}
		if len(g.Tags) > 50 {
			return logsInvalid("A log group can have at most 50 tags.")
		}
		return nil
	})
}

// LogGroupOfARN returns the log group name an ARN names (with or without
// the trailing ":*").
func LogGroupOfARN(arn string) (string, bool) {
	i := strings.Index(arn, ":log-group:")
	if !strings.HasPrefix(arn, "arn:") || i < 0 {
		return "", false
	}
	name := strings.TrimSuffix(arn[i+len(":log-group:"):], ":*")
	return name, name != "" && !strings.Contains(name, ":")
}

// CreateLogStream creates a stream in a log group.
func (e *Engine) CreateLogStream(group, stream string) error {
	if len(stream) > maxLogNameLength {
		return logNameTooLong()
	}
	if stream == "" || strings.ContainsAny(stream, ":*") {
		return logsInvalid("1 validation error detected: Value '%s' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*", stream)
	}
	return e.changeLogGroup(group, func(g *model.LogGroup, now time.Time) error {
		if _, ok := g.Streams[stream]; ok {
			return apierr.New("ResourceAlreadyExistsException", "The specified log stream already exists")
		}
		if g.Streams == nil {
			g.Streams = map[string]time.Time{}
		}
		g.Streams[stream] = now
		return nil
	})
}

// DeleteLogStream deletes a stream of a log group.
func (e *Engine) DeleteLogStream(group, stream string) error {
	return e.changeLogGroup(group, func(g *model.LogGroup, now time.Time) error {
		if _, ok := g.Streams[stream]; !ok {
			return apierr.New("ResourceNotFoundException", "The specified log stream does not exist.")
		}
		delete(g.Streams, stream)
		return nil
	})
}

// ecrImageRE matches an image in a private ECR registry.
var ecrImageRE = regexp.MustCompile(`^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/`)

// WithLogGroupCheck makes tasks whose awslogs log group does not exist
// fail to start, as on AWS (the emulator turns it on; analyzed sources,
// which do not list log groups, leave it off).
func WithLogGroupCheck() Option { return func(e *Engine) { e.logGroupCheck = true } }

// logGroupFailure returns why a task cannot start for want of its awslogs
// log group, "" when it can. A group in another region is not checked; a
// container with awslogs-create-group "true" creates its group.
func (t *txn) logGroupFailure(tk *model.Task, td *model.TaskDefinition) string {
	for _, c := range td.Containers {
		group := AWSLogsGroup(c, t.e.cfg.Region)
		if group != "" && t.st.LogGroups[group] == nil && model.CreatesLogGroup(c) {
			t.createLogGroup(LogGroupInput{Name: group})
		}
	}
	if model.MissingLogGroup(t.st, td) == "" {
		return ""
	}
	return model.LogGroupStopReason(tk.LaunchType == model.LaunchFargate)
}

// AWSLogsGroup returns the log group a container's awslogs driver writes
// to in region, "" when it uses another driver or region
// (model.AWSLogsGroup).
func AWSLogsGroup(c model.ContainerDefinition, region string) string {
	return model.AWSLogsGroup(c, region)
}

// NeedsExecutionRole reports whether a Fargate task definition with these
// containers needs an execution role (awslogs, private ECR images).
func NeedsExecutionRole(containers []model.ContainerDefinition) bool {
	return executionRoleNeed(containers) != ""
}

// executionRoleNeed names what makes a Fargate task definition need an
// execution role, in ECS's words ("log driver awslogs", "ECR images"; the
// log driver first), "" when nothing does.
func executionRoleNeed(containers []model.ContainerDefinition) string {
	if slices.ContainsFunc(containers, func(c model.ContainerDefinition) bool { return c.LogDriver() == "awslogs" }) {
		return "log driver awslogs"
	}
	if slices.ContainsFunc(containers, func(c model.ContainerDefinition) bool { return ecrImageRE.MatchString(c.Image) }) {
		return "ECR images"
	}
	return ""
}

// DefaultExecutionRoleARN is the role the ECS console creates for task
// execution, ecsTaskExecutionRole.
func (e *Engine) DefaultExecutionRoleARN() string {
	return "arn:" + model.Partition(e.cfg.Region) + ":iam::" + e.cfg.Account + ":role/ecsTaskExecutionRole"
}

// logGroupCreateDenied returns why a Fargate task stops because its
// execution role may not create the log group its awslogs driver creates
// (awslogs-create-group "true"), "" when it may or when the role is not
// known (model.LogGroupCreateDenied). The driver calls CreateLogGroup even
// when the group exists.
func (t *txn) logGroupCreateDenied(tk *model.Task, td *model.TaskDefinition) string {
	if tk.LaunchType != model.LaunchFargate && !strings.HasPrefix(tk.CapacityProvider, "FARGATE") || td.ExecutionRoleARN == "" {
		return ""
	}
	for _, c := range td.Containers {
		group := AWSLogsGroup(c, t.e.cfg.Region)
		if group == "" || !model.CreatesLogGroup(c) {
			continue
		}
		var reason string
		t.e.readIAM(t.st, func(st *model.State, complete bool) {
			reason = model.LogGroupCreateDenied(st, td.ExecutionRoleARN, group, model.LastSegment(tk.ARN), t.e.cfg.Region, t.e.cfg.Account, complete)
		})
		if reason != "" {
			return reason
		}
	}
	return ""
}
