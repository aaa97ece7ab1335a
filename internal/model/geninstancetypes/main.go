// Command geninstancetypes writes internal/model/instancetypes_data.go, the
// EC2 instance type catalogue, from local copies of public data:
//
//   - -cni: amazon-vpc-cni-k8s's pkg/vpc/vpc_ip_resource_limit.go (generated
//     from EC2 DescribeInstanceTypes): every type's maximum network
//     interfaces (of the default network card), IPv4 addresses per
//     interface, hypervisor, bare metal and, for a type of several network
//     cards, each card's maximum network interfaces;
//   - -vcpu: text files of "type vCPUs memory-MiB" lines (a later file
//     overriding an earlier one), the VCPU and MemoryMb columns of
//     cluster-autoscaler's cloudprovider/aws/ec2_instance_types.go
//     (generated from the AWS price list); lines starting with # are
//     comments;
//   - trunking.txt (next to this file): "type tasks", the awsvpc task limit
//     with ENI trunking from the ECS Developer Guide
//     (container-instance-eni.md); a type it does not list has none.
//
// A type the -vcpu file does not cover gets its vCPUs and memory from its
// name only where EC2's naming makes them certain (see derive); any other
// type is left out. With -existing (the old hand-written table as "type
// vCPUs memory ENIs IPv4 trunk" lines) the command reports on stderr where
// the sources disagree with it. The naming rule is checked against every
// type the -vcpu files give: a type it gets wrong stops the command.
//
// Run it with go generate in internal/model after fetching the sources to
// /tmp (see the go:generate line in instancetypes.go).
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// row is one instance type of the catalogue.
type row struct {
	name                   string
	vcpus, memMiB          int
	enis, ipv4, trunkTasks int
	hypervisor             string
	bareMetal              bool
	networkCards           []int
	derived                bool
}

// networkLimits are one type's facts from vpc_ip_resource_limit.go.
type networkLimits struct {
	enis, ipv4 int
	hypervisor string
	bareMetal  bool
	// networkCards are each card's maximum network interfaces, by card
	// index, when the type has more than one card (ENILimit is the
	// default card's).
	networkCards []int
}

func main() {
	cni := flag.String("cni", "", "local copy of amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go")
	cniRef := flag.String("cni-ref", "", "what -cni is (repository, version, commit) for the header")
	vcpu := flag.String("vcpu", "", `files (comma-separated, a later one overriding) of "type vCPUs memory-MiB" lines`)
	vcpuRef := flag.String("vcpu-ref", "", "what -vcpu is for the header")
	trunking := flag.String("trunking", "geninstancetypes/trunking.txt", `file of "type tasks" lines (ECS trunking)`)
	existing := flag.String("existing", "", "optional: the previous table, to report disagreements")
	out := flag.String("out", "instancetypes_data.go", "file to write")
	flag.Parse()
	if err := run(*cni, *cniRef, *vcpu, *vcpuRef, *trunking, *existing, *out); err != nil {
		fmt.Fprintln(os.Stderr, "geninstancetypes:", err)
		os.Exit(1)
	}
}

func run(cniPath, cniRef, vcpuPath, vcpuRef, trunkPath, existingPath, outPath string) error {
	if cniPath == "" || vcpuPath == "" {
		return fmt.Errorf("-cni and -vcpu are required")
	}
	limits, err := readCNI(cniPath)
	if err != nil {
		return err
	}
	sizes := map[string][]int{}
	for _, path := range strings.Split(vcpuPath, ",") {
		more, err := readColumns(path, 3)
		if err != nil {
			return err
		}
		for name, v := range more {
			if old, ok := sizes[name]; ok && fmt.Sprint(old) != fmt.Sprint(v) {
				fmt.Fprintf(os.Stderr, "override: %s: vCPUs/memory %v, %s has %v\n", name, old, path, v)
			}
			sizes[name] = v
		}
	}
	for name, s := range sizes {
		if v, m, ok := derive(name); ok && (v != s[0] || m != s[1]) {
			return fmt.Errorf("%s: the naming rule gives %d vCPUs and %d MiB, the -vcpu source %v: the rule is wrong", name, v, m, s)
		}
	}
	trunk, err := readColumns(trunkPath, 2)
	if err != nil {
		return err
	}
	var rows []row
	var left []string
	for name, l := range limits {
		r := row{name: name, enis: l.enis, ipv4: l.ipv4, hypervisor: l.hypervisor, bareMetal: l.bareMetal, networkCards: l.networkCards}
		if s, ok := sizes[name]; ok {
			r.vcpus, r.memMiB = s[0], s[1]
		} else if v, m, ok := derive(name); ok {
			r.vcpus, r.memMiB, r.derived = v, m, true
		} else {
			left = append(left, name)
			continue
		}
		if t, ok := trunk[name]; ok {
			r.trunkTasks = t[0]
		}
		rows = append(rows, r)
	}
	for name := range trunk {
		if _, ok := limits[name]; !ok {
			fmt.Fprintf(os.Stderr, "note: %s lists %s, which the -cni source does not (EC2 no longer offers it)\n", trunkPath, name)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	sort.Strings(left)
	if existingPath != "" {
		if err := compare(existingPath, rows); err != nil {
			return err
		}
	}
	derived := 0
	for _, r := range rows {
		if r.derived {
			derived++
		}
	}
	fmt.Fprintf(os.Stderr, "geninstancetypes: %d types (%d with vCPUs and memory from the name), %d left out\n", len(rows), derived, len(left))
	return os.WriteFile(outPath, render(rows, cniRef, vcpuRef), 0o644)
}

// readCNI reads the instanceNetworkingLimits map of vpc_ip_resource_limit.go
// with go/parser: each key's ENILimit, IPv4Limit, HypervisorType and
// IsBareMetal.
func readCNI(path string) (map[string]networkLimits, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	out := map[string]networkLimits{}
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		key, ok := kv.Key.(*ast.BasicLit)
		val, ok2 := kv.Value.(*ast.CompositeLit)
		if !ok || !ok2 || key.Kind != token.STRING {
			return true
		}
		name, _ := strconv.Unquote(key.Value)
		var l networkLimits
		for _, e := range val.Elts {
			field, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			id, _ := field.Key.(*ast.Ident)
			if id == nil {
				continue
			}
			switch id.Name {
			case "ENILimit":
				l.enis = intLit(field.Value)
			case "IPv4Limit":
				l.ipv4 = intLit(field.Value)
			case "HypervisorType":
				if b, ok := field.Value.(*ast.BasicLit); ok {
					l.hypervisor, _ = strconv.Unquote(b.Value)
				}
			case "IsBareMetal":
				if b, ok := field.Value.(*ast.Ident); ok {
					l.bareMetal = b.Name == "true"
				}
			case "NetworkCards":
				l.networkCards = readNetworkCards(field.Value)
			}
		}
		if len(l.networkCards) < 2 {
			l.networkCards = nil
		}
		if l.enis > 0 {
			if l.bareMetal || l.hypervisor == "unknown" {
				// DescribeInstanceTypes names no hypervisor for bare metal.
				l.hypervisor = ""
			}
			out[name] = l
		}
		return false
	})
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no instance types found", path)
	}
	return out, nil
}

// readNetworkCards reads a NetworkCards list ({MaximumNetworkInterfaces: n,
// NetworkCardIndex: i} elements) as each card's maximum network interfaces
// by index; nil if the indexes are not 0, 1, 2, ….
func readNetworkCards(e ast.Expr) []int {
	list, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	cards := make([]int, len(list.Elts))
	seen := make([]bool, len(list.Elts))
	for _, el := range list.Elts {
		card, ok := el.(*ast.CompositeLit)
		if !ok {
			return nil
		}
		index, max := -1, 0
		for _, f := range card.Elts {
			kv, ok := f.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			switch id, _ := kv.Key.(*ast.Ident); {
			case id == nil:
			case id.Name == "NetworkCardIndex":
				index = intLit(kv.Value)
			case id.Name == "MaximumNetworkInterfaces":
				max = intLit(kv.Value)
			}
		}
		if index < 0 || index >= len(cards) || seen[index] {
			return nil
		}
		cards[index], seen[index] = max, true
	}
	return cards
}

func intLit(e ast.Expr) int {
	b, ok := e.(*ast.BasicLit)
	if !ok {
		return 0
	}
	n, _ := strconv.Atoi(b.Value)
	return n
}

// readColumns reads "name n1 n2 …" lines (n columns in all).
func readColumns(path string, n int) (map[string][]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string][]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) != n {
			return nil, fmt.Errorf("%s:%d: want %d fields, got %d", path, line, n, len(f))
		}
		var nums []int
		for _, s := range f[1:] {
			v, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, line, err)
			}
			nums = append(nums, v)
		}
		if _, dup := out[f[0]]; dup {
			return nil, fmt.Errorf("%s:%d: %s listed twice", path, line, f[0])
		}
		out[f[0]] = nums
	}
	return out, sc.Err()
}

// familyPattern splits a type's family: its class letters, generation and
// the attribute letters after it (with EC2's "-flex").
var familyPattern = regexp.MustCompile(`^([a-z]+)([0-9]+)([a-z]*)(-flex)?$`)

// derive gives the vCPUs and memory of a general purpose (m), compute
// optimized (c) or memory optimized (r) type of the sixth generation or later
// from its name [choice]: in those generations a medium has 1 vCPU, a large 2,
// an xlarge 4, an Nxlarge 4N, a metal-Nxl 4N, and every size has 2 GiB (c),
// 4 GiB (m) or 8 GiB (r) per vCPU whatever its processor (a, g, i) and
// options (d local disks, n networking, z frequency, flex), as the EC2
// instance type pages list them. Any other type (bare .metal, other
// classes, older generations) is not derived.
func derive(name string) (vcpus, memMiB int, ok bool) {
	family, size, _ := strings.Cut(name, ".")
	m := familyPattern.FindStringSubmatch(family)
	if m == nil {
		return 0, 0, false
	}
	perVCPU := map[string]int{"c": 2048, "m": 4096, "r": 8192}[m[1]]
	gen, _ := strconv.Atoi(m[2])
	if perVCPU == 0 || gen < 6 || strings.Trim(m[3], "agidnz") != "" {
		return 0, 0, false
	}
	switch {
	case size == "medium":
		vcpus = 1
	case size == "large":
		vcpus = 2
	case size == "xlarge":
		vcpus = 4
	case strings.HasSuffix(size, "xlarge"):
		n, err := strconv.Atoi(strings.TrimSuffix(size, "xlarge"))
		if err != nil {
			return 0, 0, false
		}
		vcpus = 4 * n
	case strings.HasPrefix(size, "metal-") && strings.HasSuffix(size, "xl"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(size, "metal-"), "xl"))
		if err != nil {
			return 0, 0, false
		}
		vcpus = 4 * n
	default:
		return 0, 0, false
	}
	return vcpus, vcpus * perVCPU, true
}

// compare reports each type of the previous table that the sources drop or
// give other values.
func compare(path string, rows []row) error {
	old, err := readColumns(path, 6)
	if err != nil {
		return err
	}
	byName := map[string]row{}
	for _, r := range rows {
		byName[r.name] = r
	}
	var names []string
	for n := range old {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		o := old[n]
		r, ok := byName[n]
		if !ok {
			fmt.Fprintf(os.Stderr, "disagree: %s: in the previous table, not in the sources\n", n)
			continue
		}
		if got := []int{r.vcpus, r.memMiB, r.enis, r.ipv4, r.trunkTasks}; fmt.Sprint(got) != fmt.Sprint(o) {
			fmt.Fprintf(os.Stderr, "disagree: %s: previous vCPUs/memory/ENIs/IPv4/trunk %v, sources %v (derived %v)\n", n, o, got, r.derived)
		}
	}
	return nil
}

func render(rows []row, cniRef, vcpuRef string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by geninstancetypes; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "// Sources:\n//   - network interfaces, IPv4 addresses per interface, hypervisor, bare metal, network cards:\n//     %s\n", cniRef)
	fmt.Fprintf(&b, "//   - vCPUs and memory: %s\n", vcpuRef)
	fmt.Fprintf(&b, "//     (a type it lacks: from its name where the name makes them certain, see geninstancetypes' derive)\n")
	fmt.Fprintf(&b, "//   - awsvpc tasks with ENI trunking: ECS Developer Guide, container-instance-eni.md (geninstancetypes/trunking.txt)\n\n")
	fmt.Fprintf(&b, "package model\n\n")
	fmt.Fprintf(&b, "// instanceTypes is read-only data: the EC2 instance types ecsnet knows, sorted by name.\n")
	fmt.Fprintf(&b, "var instanceTypes = []InstanceType{\n")
	for _, r := range rows {
		cards := "nil"
		if r.networkCards != nil {
			cards = fmt.Sprintf("%#v", r.networkCards)
		}
		fmt.Fprintf(&b, "\t{%q, %d, %d, %d, %d, %d, %q, %v, %s},\n", r.name, r.vcpus, r.memMiB, r.enis, r.ipv4, r.trunkTasks, r.hypervisor, r.bareMetal, cards)
	}
	fmt.Fprintf(&b, "}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		panic(err)
	}
	return src
}
