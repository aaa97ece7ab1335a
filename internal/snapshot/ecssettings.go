package snapshot

import (
	"strings"

	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// ECS account settings in a snapshot (round thirty-five; both collectors):
//
//	ecs-list-account-settings.json   aws ecs list-account-settings --effective-settings (every page)
//
// The effective settings of the collector's principal: its own setting,
// else the account default, else ECS's default (API_ListAccountSettings,
// effectiveSettings). awsvpcTrunking decides how many awsvpc tasks an
// instance takes (and the analyzer's trunking check), containerInsights,
// dualStackIPv6 and the others what ECS does by default. A setting of the
// account's root (principalArn …:root) is the account default; another
// principal's is that principal's, and, when the file names no root
// setting of that name, stands for the account default too [probable]:
// the resources the analyzer judges were made by principals it does not
// know, and the collector's is the one a snapshot can say. A value equal
// to ECS's default is not kept (the engine answers it all the same).

// ECSSettingsFileName is the file of list-account-settings' output.
const ECSSettingsFileName = "ecs-list-account-settings.json"

// The instance roles' own settings (format thirty-six; both collectors):
//
//	ecs-list-account-settings-principals.json   aws ecs list-account-settings
//	        --principal-arn ROLE (every page, without --effective-settings: the
//	        role's own settings only) for each role of the instance profiles
//	        the region's EC2 instances name (describe-instances'
//	        IamInstanceProfile, then iam get-instance-profile), merged under
//	        "principalSettings"
//
// A container instance registers with the settings of the IAM principal
// that registers it, its instance role (Amazon ECS Developer Guide,
// "Amazon ECS account settings": "the setting is applied at the time the
// container instance is registered … for the IAM user or role"); the role's
// own setting overrides the account default for it. A principal setting
// here is that principal's only: it never stands for the account default.
const ECSPrincipalSettingsFileName = "ecs-list-account-settings-principals.json"

// ecsAccountSetting is an item of list-account-settings.
type ecsAccountSetting struct {
	Name         string `json:"name"`
	Value        string `json:"value"`
	PrincipalArn string `json:"principalArn,omitempty"`
	Type         string `json:"type,omitempty"`
}

// dispatchECSSettings reads list-account-settings' settings.
func (rd *regionData) dispatchECSSettings(f *fileInfo, data []byte, m member) (ok, handled bool) {
	if m.key != "settings" {
		return true, false
	}
	return decodeList(rd, f, data, m, &rd.ecsSettings), true
}

// dispatchECSPrincipalSettings reads the instance roles' own settings.
func (rd *regionData) dispatchECSPrincipalSettings(f *fileInfo, data []byte, m member) (ok, handled bool) {
	if m.key != "principalSettings" {
		return true, false
	}
	return decodeList(rd, f, data, m, &rd.ecsPrincipalSettings), true
}

// isRootARN reports whether a principal ARN is an account's root user.
func isRootARN(arn string) bool {
	return arn == "" || strings.HasPrefix(arn, "arn:") && strings.HasSuffix(arn, ":root")
}

// ecsSettings puts the account settings into the state.
func (b *builder) ecsSettings() {
	defaults := &model.State{}
	rootNamed := map[string]bool{}
	for _, it := range b.rd.ecsSettings {
		if isRootARN(it.v.PrincipalArn) {
			rootNamed[it.v.Name] = true
		}
	}
	put := func(name, value, principal string) {
		if principal == "" && value == engine.AccountSetting(defaults, name, "") {
			return
		}
		s := &model.AccountSetting{Name: name, Value: value, PrincipalARN: principal}
		b.st.AccountSettings[s.Key()] = s
	}
	for _, it := range b.rd.ecsSettings {
		v := it.v
		if v.Name == "" || v.Value == "" {
			b.rd.warn(it.at.warning(CodeBadValue, v.Name, "an account setting without a name or a value skipped"))
			continue
		}
		if isRootARN(v.PrincipalArn) {
			put(v.Name, v.Value, "")
			continue
		}
		put(v.Name, v.Value, v.PrincipalArn)
		if !rootNamed[v.Name] {
			put(v.Name, v.Value, "")
		}
	}
	for _, it := range b.rd.ecsPrincipalSettings {
		v := it.v
		if v.Name == "" || v.Value == "" || isRootARN(v.PrincipalArn) {
			b.rd.warn(it.at.warning(CodeBadValue, v.Name, "a principal's account setting without a name, a value or a principal other than the root user skipped"))
			continue
		}
		// A principal's own setting is kept even when it equals ECS's
		// default: it overrides the account default for the principal.
		s := &model.AccountSetting{Name: v.Name, Value: v.Value, PrincipalARN: v.PrincipalArn}
		b.st.AccountSettings[s.Key()] = s
	}
}

// ecsSettingFiles writes the account's effective settings (every setting
// ECS knows, as list-account-settings --effective-settings answers them
// for the root user) and each principal's own, when the state sets any
// (older snapshots lack the file, which is optional).
func (w *writer) ecsSettingFiles(files map[string]any) {
	if len(w.st.AccountSettings) == 0 {
		return
	}
	root := "arn:aws:iam::" + w.st.Account + ":root"
	var out []ecsAccountSetting
	for _, n := range engine.SettingNames() {
		out = append(out, ecsAccountSetting{Name: n, Value: engine.AccountSetting(w.st, n, ""), PrincipalArn: root, Type: "user"})
	}
	for _, s := range sortedValues(w.st.AccountSettings) {
		if s.PrincipalARN != "" {
			out = append(out, ecsAccountSetting{Name: s.Name, Value: s.Value, PrincipalArn: s.PrincipalARN, Type: "user"})
		}
	}
	files[ECSSettingsFileName] = map[string]any{"settings": out}
}

// ecsPrincipalSettingFiles writes the principals' own settings as the
// collectors merge them (an empty list for a state without any, as a
// collector's for an account whose instance roles set none).
func (w *writer) ecsPrincipalSettingFiles(files map[string]any) {
	out := []ecsAccountSetting{}
	for _, s := range sortedValues(w.st.AccountSettings) {
		if s.PrincipalARN != "" {
			out = append(out, ecsAccountSetting{Name: s.Name, Value: s.Value, PrincipalArn: s.PrincipalARN, Type: "user"})
		}
	}
	files[ECSPrincipalSettingsFileName] = map[string]any{"principalSettings": out}
}
