package engine

import "github.com/ecsnet/ecsnet/internal/model"

// checkEFSVolumes applies RegisterTaskDefinition's rules to the EFS
// volumes (efsVolumeConfiguration) of a task definition's raw volumes: a
// file system id; with an access point, transit encryption on and the
// root directory omitted or "/"; with IAM authorization, transit
// encryption on (ECS API reference, EFSVolumeConfiguration and
// EFSAuthorizationConfig).
func checkEFSVolumes(raw map[string]any) error {
	for _, v := range rawMaps(model.RawField(raw, "volumes")) {
		cfg, _ := model.RawField(v, "efsVolumeConfiguration").(map[string]any)
		if cfg == nil {
			continue
		}
		if model.RawString(cfg, "fileSystemId") == "" {
			return errECSClient("The fileSystemId of an EFS volume configuration must be set.")
		}
		transit := model.RawString(cfg, "transitEncryption")
		switch transit {
		case "", "ENABLED", "DISABLED":
		default:
			return errECSClient("transitEncryption should be one of [ENABLED,DISABLED].")
		}
		auth, _ := model.RawField(cfg, "authorizationConfig").(map[string]any)
		iam := model.RawString(auth, "iam")
		switch iam {
		case "", "ENABLED", "DISABLED":
		default:
			return errECSClient("iam should be one of [ENABLED,DISABLED].")
		}
		if ap := model.RawString(auth, "accessPointId"); ap != "" {
			if transit != "ENABLED" {
				return errECSClient("When using an EFS access point, transit encryption must be enabled.")
			}
			if root := model.RawString(cfg, "rootDirectory"); root != "" && root != "/" {
				return errECSClient("When using an EFS access point, the root directory must either be set to \"/\" or be omitted.")
			}
		}
		if iam == "ENABLED" && transit != "ENABLED" {
			return errECSClient("When using EFS IAM authorization, transit encryption must be enabled.")
		}
	}
	return nil
}
