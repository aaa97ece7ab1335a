package terraform

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// A stand-in declares the registry module's top-level variables, so an
// argument it lacks is named by the module call's check. Keys nested in
// a map or object argument (a target group's ip_address_type, a service's
// load_balancer advanced_configuration) would vanish unsaid: warnNestedKeys
// names those the stand-in never reads.

// standinReads returns the names a stand-in's files (and the stand-ins
// they call) read from a value: attribute traversals (each.value.port),
// lookup(x, "port", …), contains(keys(x), "port") and x["port"].
func standinReads(dir string) map[string]bool {
	name := strings.TrimPrefix(dir, standinPrefix)
	dirs := []string{name}
	if name == "ecs" { // the root module passes services on to its submodules
		dirs = append(dirs, "ecs-cluster", "ecs-service")
	}
	read := map[string]bool{}
	for _, d := range dirs {
		ents, err := standins.ReadDir(path.Join("standin", d))
		if err != nil {
			continue
		}
		for _, e := range ents {
			src, err := standins.ReadFile(path.Join("standin", d, e.Name()))
			if err != nil {
				continue
			}
			for _, re := range readREs {
				for _, m := range re.FindAllStringSubmatch(string(src), -1) {
					read[m[1]] = true
				}
			}
		}
	}
	return read
}

var readREs = []*regexp.Regexp{
	regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)`),
	regexp.MustCompile(`lookup\(\s*[^,()]+,\s*"([^"]+)"`),
	regexp.MustCompile(`keys\([^()]*\)\s*,\s*"([^"]+)"`),
	// x["port"]: an index, not a list literal (default = ["FARGATE"]).
	regexp.MustCompile(`[A-Za-z0-9_\])]\[\s*"([^"]+)"\s*\]`),
	// lookup(concat(a, b)[i], "key", …): a key after a closing bracket.
	regexp.MustCompile(`[\])]\s*,\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*[,)]`),
}

// warnNestedKeys warns, at the argument, of the keys nested in a stand-in
// module's argument that the stand-in does not read. A level of a map or
// object none of whose keys the stand-in reads is taken for names the
// configuration chose (target groups, services, listeners by key), and
// looked into; at a level where it reads some keys, or just under such
// names, the others are ignored. Tags are names by nature and are not looked into, nor the
// values of a container definition's keys, which ECS takes whole.
func (mi *modInst) warnNestedKeys(c *call, name string, a *hcl.Attribute, val cty.Value, read map[string]bool) {
	// A stand-in calling another passes on what its caller gave, said there.
	if strings.HasSuffix(name, "tags") || !val.IsWhollyKnown() || IsStandIn(a.NameRange.Filename) {
		return
	}
	var ignored []string
	nestedKeys(val, name, read, 0, false, &ignored)
	if len(ignored) > 0 {
		sort.Strings(ignored)
		mi.l.warnf(a.NameRange, "module %q: ecsnet's stand-in ignores %s", c.name, strings.Join(ignored, ", "))
	}
}

// named says the level above was one of names the configuration chose:
// the values under such names are objects of arguments.
func nestedKeys(v cty.Value, at string, read map[string]bool, depth int, named bool, out *[]string) {
	if depth > 5 || v.IsNull() || !v.IsKnown() {
		return
	}
	t := v.Type()
	switch {
	case t.IsListType() || t.IsTupleType():
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			i, _ := k.AsBigFloat().Int64()
			nestedKeys(e, fmt.Sprintf("%s[%d]", at, i), read, depth+1, false, out)
		}
	case t.IsObjectType() || t.IsMapType():
		args := named // under chosen names, a level of arguments
		for it := v.ElementIterator(); it.Next() && !args; {
			k, _ := it.Element()
			args = read[k.AsString()]
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			key := k.AsString()
			switch {
			case !args:
				nestedKeys(e, fmt.Sprintf("%s[%q]", at, key), read, depth+1, true, out)
			case !read[key]:
				*out = append(*out, at+"."+key)
			case !strings.HasSuffix(key, "tags") && !strings.Contains(at, "container_definitions["):
				// A container's values (portMappings, environment, …)
				// go to ECS whole, as ECS reads them.
				nestedKeys(e, at+"."+key, read, depth+1, false, out)
			}
		}
	}
}

// moduleMajorVar is the variable through which a stand-in learns the
// major version of the registry module the call pins (its version
// argument), where the module's defaults changed between majors: the
// VPC module manages the default security group from v5 on. It is not
// an argument of the registry module: a call that sets it is told so.
const moduleMajorVar = "ecsnet_module_major"

// versionMajor is the major version a module call's version constraint
// pins: "3.14.4", "= 3.14.4", "~> 3.14", "~> 3.0.1" give 3; a constraint
// with no upper bound of the major (">= 3.0", "> 4") or none at all gives
// 0, for the newest release, which the stand-ins follow.
func versionMajor(constraint string) int {
	c := strings.TrimSpace(constraint)
	if c == "" {
		return 0
	}
	for _, part := range strings.Split(c, ",") {
		p := strings.TrimSpace(part)
		if rest, ok := strings.CutPrefix(p, "<"); ok {
			// An upper bound: "< 5.0" allows 4.x at most, "<= 4.2" 4.
			le := strings.HasPrefix(rest, "=")
			nums := strings.Split(strings.TrimSpace(strings.TrimPrefix(rest, "=")), ".")
			n, err := strconv.Atoi(nums[0])
			if err != nil {
				continue
			}
			zero := true
			for _, x := range nums[1:] {
				zero = zero && strings.Trim(x, "0") == ""
			}
			if !le && zero && n > 0 {
				n--
			}
			return n
		}
		switch {
		case strings.HasPrefix(p, "~>"), strings.HasPrefix(p, "="), p != "" && p[0] >= '0' && p[0] <= '9':
			p = strings.TrimLeft(p, "~>= ")
			n := 0
			for _, r := range p {
				if r < '0' || r > '9' {
					break
				}
				n = n*10 + int(r-'0')
			}
			return n
		}
	}
	return 0
}

// atCall places an error raised inside a stand-in module (a file the
// user does not have) at the module call that led to it, in the
// configuration's own files: the innermost such call on the error's
// address (module.ecs.module.service["web"].aws_ecs_service.this[0] is
// at module "ecs"'s line). The address still names the resource.
func (mi *modInst) atCall(err error) error {
	e, ok := err.(*Error)
	if !ok || !IsStandIn(e.File) {
		return err
	}
	cur, found := mi, false
	var at hcl.Range
	for {
		rest := strings.TrimPrefix(e.Address, cur.path)
		m := callSegRE.FindStringSubmatch(rest)
		if m == nil {
			break
		}
		ci := cur.calls[m[1]]
		if ci == nil {
			break
		}
		if !IsStandIn(ci.c.rng.Filename) {
			at, found = ci.c.rng, true
		}
		var next *modInst
		for _, inst := range ci.insts {
			if strings.HasPrefix(e.Address, inst.path) && (next == nil || len(inst.path) > len(next.path)) {
				next = inst
			}
		}
		if next == nil {
			break
		}
		cur = next
	}
	if !found {
		return err
	}
	out := *e
	out.File, out.Line = at.Filename, at.Start.Line
	return &out
}

var callSegRE = regexp.MustCompile(`^module\.([A-Za-z0-9_-]+)`)

// containerSpellings are the container definition keys the ECS module's
// service submodule spells in snake_case in v5 (its container-definition
// submodule's variables) and in ECS's camelCase in v6 (the object type of
// container_definitions).
var containerSpellings = [][2]string{{"port_mappings", "portMappings"}, {"memory_reservation", "memoryReservation"},
	{"docker_labels", "dockerLabels"}, {"entrypoint", "entryPoint"}, {"health_check", "healthCheck"},
	{"mount_points", "mountPoints"}, {"volumes_from", "volumesFrom"}, {"log_configuration", "logConfiguration"},
	{"readonly_root_filesystem", "readonlyRootFilesystem"}, {"dependencies", "dependsOn"}, {"working_directory", "workingDirectory"}}

// warnContainerSpelling warns of a container definition key, given to the
// ECS module's service submodule (container_definitions) or to its root
// module (services' container_definitions), in the spelling of the other
// major than the call installs: v6 converts container_definitions to an
// object type and Terraform drops an attribute the type does not have
// without a word; v5 reads only its own snake_case variables. Either way
// the key is lost, as ecsnet's stand-in now loses it.
func (mi *modInst) warnContainerSpelling(c *call, dir, name string, a *hcl.Attribute, val cty.Value, major *cty.Value) {
	if major == nil || !major.IsKnown() || major.IsNull() || major.Type() != cty.Number || !val.IsWhollyKnown() || val.IsNull() {
		return
	}
	m, _ := major.AsBigFloat().Int64()
	if m == 0 {
		return
	}
	var defs []struct {
		at string
		v  cty.Value
	}
	add := func(at string, v cty.Value) {
		if v.IsNull() || !v.CanIterateElements() {
			return
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if k.Type() == cty.String {
				defs = append(defs, struct {
					at string
					v  cty.Value
				}{fmt.Sprintf("%s[%q]", at, k.AsString()), e})
			}
		}
	}
	switch {
	case dir == standinPrefix+"ecs-service" && name == "container_definitions":
		add(name, val)
	case dir == standinPrefix+"ecs" && name == "services" && val.CanIterateElements():
		for it := val.ElementIterator(); it.Next(); {
			k, s := it.Element()
			if k.Type() == cty.String && (s.Type().IsObjectType() && s.Type().HasAttribute("container_definitions") || s.Type().IsMapType()) {
				if cd, err := hcl.Index(s, cty.StringVal("container_definitions"), nil); err == nil {
					add(fmt.Sprintf("%s[%q].container_definitions", name, k.AsString()), cd)
				}
			}
		}
	default:
		return
	}
	var lost []string
	for _, d := range defs {
		if !d.v.Type().IsObjectType() && !d.v.Type().IsMapType() {
			continue
		}
		for _, sp := range containerSpellings {
			wrong, right := sp[0], sp[1]
			if m < 6 {
				wrong, right = right, wrong
			}
			if has(d.v, wrong) && !has(d.v, right) {
				lost = append(lost, fmt.Sprintf("%s.%s (v%d spells it %s)", d.at, wrong, m, right))
			}
		}
	}
	if len(lost) > 0 {
		sort.Strings(lost)
		mi.l.warnf(a.NameRange, "module %q: the call installs v%d of %s, which drops %s: Terraform converts the value to the module's type and loses the key without a word, and so does ecsnet",
			c.name, m, strings.SplitN(c.source, "//", 2)[0], strings.Join(lost, ", "))
	}
}

// has reports whether an object or map value has the key k.
func has(v cty.Value, k string) bool {
	if v.Type().IsObjectType() {
		return v.Type().HasAttribute(k)
	}
	return v.Type().IsMapType() && v.HasIndex(cty.StringVal(k)).True()
}
