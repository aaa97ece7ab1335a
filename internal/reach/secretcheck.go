package reach

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// CodeSecretNotFound: a container's secrets (or repositoryCredentials)
// name a Secrets Manager secret or an SSM parameter of the task's own
// account and region that does not exist (or a secret scheduled for
// deletion, or a JSON key the secret's value lacks): the agent's fetch is
// refused and the task stops, TaskFailedToStart.
const CodeSecretNotFound = "ECS_SECRET_NOT_FOUND"

// SecretCheck returns why a task cannot start for want of a secret its
// containers name, "" when every secret of the state's account and region
// exists (secrets of another account or region are not known here). The
// emulator runs it on every task (engine.WithSecretCheck); the analyzer's
// TaskStartFailure only where the state holds secrets or parameters of
// that kind (an imported snapshot may list none).
func SecretCheck(st *model.State, tk *model.Task) string {
	if f := missingSecret(st, tk, true); f != nil {
		return f.Reason
	}
	return ""
}

// missingSecret is SecretCheck's failure; strict checks a kind of secret
// even when the state holds none of it.
func missingSecret(st *model.State, tk *model.Task, strict bool) *StartFailure {
	td := st.TaskDefinitions[tk.TaskDefinitionARN]
	if td == nil {
		return nil
	}
	fargate := tk.LaunchType == model.LaunchFargate || strings.HasPrefix(tk.CapacityProvider, "FARGATE")
	for _, d := range td.Containers {
		for _, s := range containerSecrets(d) {
			if s.region != "" && s.region != st.Region || !ownAccount(st, s.valueFrom) {
				continue
			}
			var reason string
			switch s.service {
			case "secretsmanager":
				if !strict && len(st.Secrets) == 0 {
					continue
				}
				reason = asmFailure(st, tk, s, fargate)
			case "ssm":
				if !strict && len(st.Parameters) == 0 {
					continue
				}
				reason = ssmFailure(st, s, fargate)
			}
			if reason != "" {
				return &StartFailure{Code: CodeSecretNotFound, Reason: reason, StopCode: "TaskFailedToStart", Service: s.service,
					Verdict: HTTPVerdict(400)}
			}
		}
	}
	return nil
}

// ownAccount reports whether an ARN is of the state's account (a name is).
func ownAccount(st *model.State, valueFrom string) bool {
	parts := strings.SplitN(valueFrom, ":", 6)
	return len(parts) < 6 || parts[0] != "arn" || parts[4] == st.Account
}

// asmFailure is the agent's text for a Secrets Manager secret it cannot
// read: the secret id is the ARN's first seven fields, a JSON key the
// eighth (valueFrom arn:...:secret:NAME-AbCdEf:json-key:version-stage:version-id).
func asmFailure(st *model.State, tk *model.Task, s secretRef, fargate bool) string {
	parts := strings.Split(s.valueFrom, ":")
	id, key := s.valueFrom, ""
	if len(parts) >= 7 && parts[0] == "arn" {
		id = strings.Join(parts[:7], ":")
		if len(parts) > 7 {
			key = parts[7]
		}
	}
	sec := st.SecretByID(id)
	var why string
	switch {
	case sec == nil:
		why = "ResourceNotFoundException: Secrets Manager can't find the specified secret."
	case !sec.Deleted.IsZero():
		why = "InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion."
	case sec.CurrentVersion() == nil:
		why = "ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT"
	case key != "" && !hasJSONKey(sec.CurrentVersion(), key):
		// amazon-ecs-agent asm.extractASMValue's error, not the service's.
		if fargate {
			return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
				"service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key " + key
		}
		return "Fetching secret data from AWS Secrets Manager in region " + st.Region + ": secret " + s.valueFrom + ": retrieved secret from Secrets Manager did not contain json key " + key
	default:
		return ""
	}
	if fargate {
		return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: " +
			"service call has been retried 1 time(s): failed to fetch secret " + s.valueFrom + " from secrets manager: " + why +
			" status code: 400, request id: " + requestID(tk.ARN+s.valueFrom)
	}
	return "Fetching secret data from AWS Secrets Manager in region " + st.Region + ": secret " + s.valueFrom + ": " + why
}

func hasJSONKey(v *model.SecretVersion, key string) bool {
	var m map[string]any
	if !v.HasString || json.Unmarshal([]byte(v.String), &m) != nil {
		return false
	}
	_, ok := m[key]
	return ok
}

// ssmFailure is the agent's text for an SSM parameter that does not
// exist: GetParameters answers it among InvalidParameters.
func ssmFailure(st *model.State, s secretRef, fargate bool) string {
	name := s.valueFrom
	if strings.HasPrefix(name, "arn:") {
		// The ARN drops a hierarchical name's leading slash
		// (parameter/a/b is /a/b).
		_, rest, _ := strings.Cut(name, ":parameter/")
		if st.Parameters[rest] != nil || st.Parameters["/"+rest] != nil {
			return ""
		}
		name = rest
		if strings.Contains(rest, "/") {
			name = "/" + rest
		}
	}
	if strings.HasPrefix(name, "/aws/reference/secretsmanager/") || st.Parameters[name] != nil {
		return ""
	}
	if fargate {
		return "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: " +
			"service call has been retried 1 time(s): invalid ssm parameters: " + name
	}
	return "Fetching secret data from SSM Parameter Store in " + st.Region + ": invalid parameters: " + name
}

// requestID is a request id in AWS's form, the same for the same input
// (the analyzer's answers are reproducible).
func requestID(seed string) string {
	h := fnv.New128a()
	h.Write([]byte(seed))
	b := h.Sum(nil)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
