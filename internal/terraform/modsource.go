package terraform

import (
	"fmt"
	"regexp"
	"strings"
)

// registryPartRE is a registry module address's namespace, name or
// target system: letters, digits, dashes and underscores, starting with
// a letter or digit.
var registryPartRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z_-]*$`)

// invalidModuleSource is Terraform's refusal of a module source it cannot
// place ("" when it can): a local path must start with ./ or ../; an
// address of two or five parts is no registry address, and none of
// go-getter's detectors (GitHub, Git, Bitbucket, S3, GCS) claims it, so
// Terraform takes it for a relative path written without its prefix
// (addrs.ParseModuleSource, then getmodules.NormalizePackageAddress,
// whose file detector gives this text). Terraform 0.11 read
// source = "modules/ecs" as that relative path; 0.12 and later do not.
func invalidModuleSource(raw string) string {
	s := strings.TrimSpace(raw)
	switch {
	case s == "", strings.HasPrefix(s, "./"), strings.HasPrefix(s, "../"), strings.HasPrefix(s, `.\`), strings.HasPrefix(s, `..\`),
		strings.HasPrefix(s, "/"), strings.Contains(s, "::"), strings.Contains(s, "://"),
		strings.HasPrefix(s, "github.com/"), strings.HasPrefix(s, "bitbucket.org/"), strings.HasPrefix(s, "git@"),
		strings.Contains(s, ".amazonaws.com/"), strings.Contains(s, "googleapis.com/"):
		return ""
	}
	addr := s
	if i := strings.Index(addr, "?"); i >= 0 {
		addr = addr[:i]
	}
	if i := strings.Index(addr, "//"); i >= 0 {
		addr = addr[:i]
	}
	parts := strings.Split(addr, "/")
	if len(parts) == 4 && strings.ContainsAny(parts[0], ".:") {
		parts = parts[1:]
	}
	if len(parts) == 3 && registryPartRE.MatchString(parts[0]) && registryPartRE.MatchString(parts[1]) && registryPartRE.MatchString(parts[2]) {
		return ""
	}
	return fmt.Sprintf("Terraform failed to determine your intended installation method for remote module package %q. If you intended this as a path relative to the current module, use \"./%s\" instead. The \"./\" prefix indicates that the address is a relative filesystem path.", s, s)
}
