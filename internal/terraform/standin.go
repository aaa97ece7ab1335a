package terraform

import (
	"embed"
	"path"
	"strings"
)

// standins holds ecsnet's stand-ins for registry modules that public
// configurations call most (terraform-aws-modules/vpc/aws with its
// vpc-endpoints submodule, security-group/aws, alb/aws, autoscaling/aws,
// ecs/aws with its cluster, service, container-definition and
// ecs-instance-profile submodules,
// kms/aws, acm/aws, s3-bucket/aws, ecr/aws and iam/aws's iam-assumable-role;
// aws-ia/vpc/aws; cloudposse's label/null, vpc/aws, dynamic-subnets/aws,
// ec2-autoscale-group/aws, alb/aws, iam-policy/aws,
// ecs-container-definition/aws and ecs-alb-service-task/aws), used when
// `terraform init` has not installed the module: without it nothing of
// the configuration could be read. Each is a module written for ecsnet
// that builds what the registry module builds for the arguments that
// shape the network; arguments it does not declare are ignored, with a
// warning.
//
//go:embed standin
var standins embed.FS

// standinPrefix marks a stand-in module's directory.
const standinPrefix = "ecsnet-standin:"

// standinFor returns the stand-in directory of a module source address,
// "" when ecsnet has none: the registry address (with or without its
// host and a //subdirectory) or the module's GitHub repository.
func standinFor(source string) string {
	s := strings.TrimPrefix(strings.TrimPrefix(source, "git::"), "https://")
	s = strings.TrimPrefix(s, "registry.terraform.io/")
	if i := strings.IndexAny(s, "?"); i >= 0 {
		s = s[:i]
	}
	// A git source names its subdirectory after the repository's .git.
	s = strings.Replace(s, ".git//", "//", 1)
	s = strings.TrimSuffix(s, ".git")
	switch s {
	case "terraform-aws-modules/vpc/aws", "github.com/terraform-aws-modules/terraform-aws-vpc":
		return standinPrefix + "vpc"
	case "terraform-aws-modules/vpc/aws//modules/vpc-endpoints", "github.com/terraform-aws-modules/terraform-aws-vpc//modules/vpc-endpoints":
		return standinPrefix + "vpc-endpoints"
	case "cloudposse/label/null", "github.com/cloudposse/terraform-null-label":
		return standinPrefix + "cloudposse-label"
	case "cloudposse/vpc/aws", "github.com/cloudposse/terraform-aws-vpc":
		return standinPrefix + "cloudposse-vpc"
	case "cloudposse/dynamic-subnets/aws", "github.com/cloudposse/terraform-aws-dynamic-subnets":
		return standinPrefix + "cloudposse-dynamic-subnets"
	case "cloudposse/ec2-autoscale-group/aws", "github.com/cloudposse/terraform-aws-ec2-autoscale-group":
		return standinPrefix + "cloudposse-ec2-autoscale-group"
	case "cloudposse/alb/aws", "github.com/cloudposse/terraform-aws-alb":
		return standinPrefix + "cloudposse-alb"
	case "cloudposse/iam-policy/aws", "github.com/cloudposse/terraform-aws-iam-policy":
		return standinPrefix + "cloudposse-iam-policy"
	case "aws-ia/vpc/aws", "github.com/aws-ia/terraform-aws-vpc":
		return standinPrefix + "aws-ia-vpc"
	case "terraform-aws-modules/acm/aws", "github.com/terraform-aws-modules/terraform-aws-acm":
		return standinPrefix + "acm"
	case "terraform-aws-modules/kms/aws", "github.com/terraform-aws-modules/terraform-aws-kms":
		return standinPrefix + "kms"
	case "terraform-aws-modules/s3-bucket/aws", "github.com/terraform-aws-modules/terraform-aws-s3-bucket":
		return standinPrefix + "s3-bucket"
	case "terraform-aws-modules/ecr/aws", "github.com/terraform-aws-modules/terraform-aws-ecr":
		return standinPrefix + "ecr"
	case "terraform-aws-modules/security-group/aws", "github.com/terraform-aws-modules/terraform-aws-security-group":
		return standinPrefix + "security-group"
	case "terraform-aws-modules/alb/aws", "github.com/terraform-aws-modules/terraform-aws-alb":
		return standinPrefix + "alb"
	case "terraform-aws-modules/autoscaling/aws", "github.com/terraform-aws-modules/terraform-aws-autoscaling":
		return standinPrefix + "autoscaling"
	case "terraform-aws-modules/ecs/aws", "github.com/terraform-aws-modules/terraform-aws-ecs":
		return standinPrefix + "ecs"
	case "terraform-aws-modules/ecs/aws//modules/cluster", "github.com/terraform-aws-modules/terraform-aws-ecs//modules/cluster":
		return standinPrefix + "ecs-cluster"
	case "terraform-aws-modules/ecs/aws//modules/ecs-instance-profile", "github.com/terraform-aws-modules/terraform-aws-ecs//modules/ecs-instance-profile":
		return standinPrefix + "ecs-instance-profile"
	case "terraform-aws-modules/ecs/aws//modules/service", "github.com/terraform-aws-modules/terraform-aws-ecs//modules/service":
		return standinPrefix + "ecs-service"
	case "terraform-aws-modules/ecs/aws//modules/container-definition", "github.com/terraform-aws-modules/terraform-aws-ecs//modules/container-definition":
		return standinPrefix + "ecs-container-definition"
	case "terraform-aws-modules/iam/aws//modules/iam-assumable-role", "github.com/terraform-aws-modules/terraform-aws-iam//modules/iam-assumable-role":
		return standinPrefix + "iam-assumable-role"
	case "cloudposse/ecs-container-definition/aws", "github.com/cloudposse/terraform-aws-ecs-container-definition":
		return standinPrefix + "cloudposse-container-definition"
	case "cloudposse/ecs-alb-service-task/aws", "github.com/cloudposse/terraform-aws-ecs-alb-service-task":
		return standinPrefix + "cloudposse-ecs-alb-service-task"
	}
	for _, base := range []string{"terraform-aws-modules/security-group/aws//modules/", "github.com/terraform-aws-modules/terraform-aws-security-group//modules/"} {
		if preset, ok := strings.CutPrefix(s, base); ok {
			if _, known := securityGroupPresets[preset]; known {
				return standinPrefix + securityGroupPresetDir + preset
			}
		}
	}
	return ""
}

// securityGroupPresetDir is the stand-in directory of the security-group
// module's preset submodules (//modules/http-80, //modules/ssh, …): the
// module's own stand-in with the preset's automatic rules.
const securityGroupPresetDir = "security-group-preset/"

// securityGroupPresets are the security-group module's preset submodules
// ecsnet stands in for, with their automatic ingress rules (the module's
// rules.tf auto_groups; every preset also lets the group in from itself,
// all-all, and out to anywhere, all-all, unless the call changes the
// auto_ variables). Presets whose rules the stand-in's table lacks are
// not among them.
var securityGroupPresets = map[string][]string{
	"http-80": {"http-80-tcp"}, "http-8080": {"http-8080-tcp"}, "https-443": {"https-443-tcp"},
	"https-8443": {"https-8443-tcp"}, "ssh": {"ssh-tcp"}, "rdp": {"rdp-tcp", "rdp-udp"},
	"web":   {"http-80-tcp", "http-8080-tcp", "https-443-tcp", "web-jmx-tcp"},
	"mysql": {"mysql-tcp"}, "postgresql": {"postgresql-tcp"}, "oracle-db": {"oracle-db-tcp"},
	"redis": {"redis-tcp"}, "memcached": {"memcached-tcp"}, "nfs": {"nfs-tcp"}, "ntp": {"ntp-udp"},
	"mongodb": {"mongodb-27017-tcp", "mongodb-27018-tcp", "mongodb-27019-tcp"}, "smtp": {"smtp-tcp"},
	"grafana": {"grafana-tcp"},
}

// securityGroupPresetAuto is the auto.tf of a preset's stand-in: the
// automatic rules as variables' defaults, as the registry submodule's
// auto_values.tf declares them.
func securityGroupPresetAuto(preset string) []byte {
	var b strings.Builder
	b.WriteString("# ecsnet's stand-in: the automatic rules of the security-group module's preset " + preset + ".\n")
	b.WriteString("variable \"auto_ingress_rules\" { default = [")
	for i, r := range securityGroupPresets[preset] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("\"" + r + "\"")
	}
	b.WriteString("] }\n")
	b.WriteString("variable \"auto_ingress_with_self\" { default = [{ rule = \"all-all\" }] }\n")
	b.WriteString("variable \"auto_egress_rules\" { default = [\"all-all\"] }\n")
	b.WriteString("variable \"auto_egress_with_self\" { default = [] }\n")
	return []byte(b.String())
}

// standinFiles returns the configuration files of a stand-in directory
// and reads one.
func standinFiles(dir string) (files []string, read func(string) ([]byte, error), ok bool) {
	name, ok := strings.CutPrefix(dir, standinPrefix)
	if !ok {
		return nil, nil, false
	}
	if preset, ok := strings.CutPrefix(name, securityGroupPresetDir); ok {
		if _, known := securityGroupPresets[preset]; !known {
			return nil, nil, false
		}
		// The module's stand-in, its auto.tf replaced by the preset's.
		return []string{dir + "/main.tf", dir + "/auto.tf"}, func(f string) ([]byte, error) {
			if path.Base(f) == "auto.tf" {
				return securityGroupPresetAuto(preset), nil
			}
			return standins.ReadFile(path.Join("standin", "security-group", path.Base(f)))
		}, true
	}
	ents, err := standins.ReadDir(path.Join("standin", name))
	if err != nil {
		return nil, nil, false
	}
	for _, e := range ents {
		files = append(files, dir+"/"+e.Name())
	}
	return files, func(f string) ([]byte, error) {
		return standins.ReadFile(path.Join("standin", strings.TrimPrefix(f, standinPrefix)))
	}, true
}

// IsStandIn reports whether a file name is one of a stand-in module's
// (a resource made by it has no file of the configuration to change).
func IsStandIn(file string) bool { return strings.HasPrefix(file, standinPrefix) }
