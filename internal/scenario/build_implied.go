package scenario

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// A scenario file describes networks, not an account's every resource:
// the analyzer takes what its task definitions name and it does not
// declare to exist (Secrets Manager secrets, SSM parameters, awslogs log
// groups). An account that serves the scenario (ecsnet serve --scenario:
// BuildAccount) holds them, so that its tasks start or fail as the
// analyzer says they do.

// impliedSecret is a Secrets Manager secret the task definitions name.
type impliedSecret struct {
	name, arn string          // arn: "" when named without its suffix
	keys      map[string]bool // JSON keys named (valueFrom ...:json-key:...)
}

// impliedResources creates the secrets, parameters and log groups of the
// scenario's own account and region that its task definitions name and
// the account does not hold.
func (b *builder) impliedResources() error {
	secrets := map[string]*impliedSecret{}
	parameters := map[string]bool{}
	groups := map[string]bool{}
	var region, account string
	b.e.Read(func(st *model.State) {
		region, account = st.Region, st.Account
		for _, td := range st.TaskDefinitions {
			for _, c := range td.Containers {
				for _, ref := range containerSecretRefs(c) {
					impliedSecretRef(st, ref.valueFrom, ref.keys, secrets, parameters)
				}
				// A driver that creates its group (awslogs-create-group)
				// needs the permission to: a story may be its refusal.
				if g := model.AWSLogsGroup(c, st.Region); g != "" && !model.CreatesLogGroup(c) && model.ValidLogGroupName(g) && st.LogGroups[g] == nil {
					groups[g] = true
				}
			}
		}
	})
	prefix := "arn:" + model.Partition(region) + ":secretsmanager:" + region + ":" + account + ":secret:"
	for _, name := range slices.Sorted(maps.Keys(secrets)) {
		s := secrets[name]
		value := "ecsnet-preloaded"
		if len(s.keys) > 0 {
			m := map[string]string{}
			for k := range s.keys {
				m[k] = "ecsnet-preloaded"
			}
			data, _ := json.Marshal(m)
			value = string(data)
		}
		sec := model.Secret{Name: s.name, ARN: s.arn, Description: "named by the scenario, created by ecsnet serve --scenario",
			Versions: map[string]*model.SecretVersion{"": {String: value, HasString: true, Stages: []string{"AWSCURRENT"}}}}
		if _, err := b.e.CreateSecret(sec, prefix); err != nil {
			return b.fail(0, "secret "+s.name, err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(parameters)) {
		if _, err := b.e.PutParameter(engine.ParameterInput{Name: name, Type: "String", Value: "ecsnet-preloaded"}); err != nil {
			return b.fail(0, "parameter "+name, err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(groups)) {
		if err := b.e.CreateLogGroup(engine.LogGroupInput{Name: name}); err != nil {
			return b.fail(0, "log group "+name, err)
		}
	}
	return nil
}

// secretRefOf is a container's secret (or registry credentials) and the
// JSON keys its use needs.
type secretRefOf struct {
	valueFrom string
	keys      []string
}

// containerSecretRefs lists a container definition's secrets and its
// private registry credentials (a secret of username and password keys).
func containerSecretRefs(c model.ContainerDefinition) []secretRefOf {
	var out []secretRefOf
	list, _ := model.RawField(c.Raw, "secrets").([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		if v := model.RawString(m, "valueFrom"); v != "" {
			out = append(out, secretRefOf{valueFrom: v})
		}
	}
	if m, ok := model.RawField(c.Raw, "repositoryCredentials").(map[string]any); ok {
		if arn := model.RawString(m, "credentialsParameter"); arn != "" {
			out = append(out, secretRefOf{valueFrom: arn, keys: []string{"username", "password"}})
		}
	}
	return out
}

// impliedSecretRef adds what valueFrom names in the state's own account and
// region and the state does not hold: a Secrets Manager secret (an ARN of
// secretsmanager; its eighth field a JSON key) or an SSM parameter (an ARN
// of ssm, or a name). Secrets of another account or region are not the
// account's to create, nor are the /aws/reference/secretsmanager/
// parameters, which stand for secrets.
func impliedSecretRef(st *model.State, valueFrom string, keys []string, secrets map[string]*impliedSecret, parameters map[string]bool) {
	if !strings.HasPrefix(valueFrom, "arn:") {
		if !strings.HasPrefix(valueFrom, "/aws/reference/") && st.Parameters[valueFrom] == nil {
			parameters[valueFrom] = true
		}
		return
	}
	parts := strings.Split(valueFrom, ":")
	if len(parts) < 6 || parts[3] != st.Region || parts[4] != st.Account {
		return
	}
	switch parts[2] {
	case "ssm":
		rest, ok := strings.CutPrefix(strings.Join(parts[5:], ":"), "parameter/")
		if !ok || rest == "" || st.Parameters[rest] != nil || st.Parameters["/"+rest] != nil {
			return
		}
		if strings.Contains(rest, "/") {
			rest = "/" + rest // parameter/a/b is /a/b
		}
		if !strings.HasPrefix(rest, "/aws/reference/") {
			parameters[rest] = true
		}
	case "secretsmanager":
		if len(parts) < 7 || parts[5] != "secret" || parts[6] == "" {
			return
		}
		id := strings.Join(parts[:7], ":")
		if st.SecretByID(id) != nil {
			return
		}
		name, arn := parts[6], ""
		if n := len(name); n > 7 && name[n-7] == '-' && suffixLike(name[n-6:]) {
			name, arn = name[:n-7], id
		}
		s := secrets[name]
		if s == nil {
			s = &impliedSecret{name: name, arn: arn, keys: map[string]bool{}}
			secrets[name] = s
		}
		if s.arn == "" {
			s.arn = arn
		}
		for _, k := range keys {
			s.keys[k] = true
		}
		if len(parts) > 7 && parts[7] != "" {
			s.keys[parts[7]] = true
		}
	}
}

// suffixLike reports whether s could be the 6 random characters Secrets
// Manager ends a secret's ARN with.
func suffixLike(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
