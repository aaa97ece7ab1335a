package cfn

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCidrSplit(t *testing.T) {
	cases := []struct {
		block, count, bits string
		want               []string
		err                string
	}{
		{"192.168.0.0/24", "6", "5", []string{"192.168.0.0/27", "192.168.0.32/27", "192.168.0.64/27", "192.168.0.96/27", "192.168.0.128/27", "192.168.0.160/27"}, ""},
		{"10.0.0.0/16", "2", "12", []string{"10.0.0.0/20", "10.0.16.0/20"}, ""},
		{"10.0.0.5/16", "1", "16", []string{"10.0.0.0/16"}, ""},
		{"2001:db8::/56", "2", "64", []string{"2001:db8::/64", "2001:db8:0:1::/64"}, ""},
		{"10.0.0.0/24", "3", "7", nil, "holds only 2 blocks of /25, not 3"},
		{"10.0.0.0/24", "1", "9", nil, "do not fit in 10.0.0.0/24"},
		{"10.0.0.0/24", "0", "4", nil, "the count must be a number from 1 to 256"},
		{"10.0.0.0/24", "1", "33", nil, "cidrBits must be a number from 1 to 32"},
		{"not-a-cidr", "1", "4", nil, "is not a CIDR block"},
	}
	for _, c := range cases {
		got, err := cidrSplit(c.block, c.count, c.bits)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("cidrSplit(%s, %s, %s) error = %v, want %q", c.block, c.count, c.bits, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("cidrSplit(%s, %s, %s) = %v, %v; want %v", c.block, c.count, c.bits, got, err, c.want)
		}
	}
}

// TestShortForms checks that YAML short forms and JSON long forms parse to
// the same tree.
func TestShortForms(t *testing.T) {
	yamlText := `
A: !Ref X
B: !GetAtt R.Attr
C: !Sub ["${a}", {a: !Ref Y}]
D: !Base64
  Fn::Sub: x
E: !GetAZs
F: !Condition C
`
	jsonText := `{"A": {"Ref": "X"}, "B": {"Fn::GetAtt": "R.Attr"}, "C": {"Fn::Sub": ["${a}", {"a": {"Ref": "Y"}}]},
"D": {"Fn::Base64": {"Fn::Sub": "x"}}, "E": {"Fn::GetAZs": ""}, "F": {"Condition": "C"}}`
	y, _, err := parseTemplate([]byte(yamlText))
	if err != nil {
		t.Fatal(err)
	}
	j, _, err := parseTemplate([]byte(jsonText))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(y.toAny(), j.toAny()) {
		t.Errorf("YAML %v\n!= JSON %v", y.toAny(), j.toAny())
	}
	if got := y.get("C").get("Fn::Sub").items[1].get("a").line; got != 4 {
		t.Errorf("line of the nested !Ref = %d, want 4", got)
	}
}

// TestSubParts checks Fn::Sub's variable syntax.
func TestSubParts(t *testing.T) {
	got := subParts("a${B}c${!D}${ E.F }${unclosed")
	want := []subPart{{text: "a"}, {text: "B", variable: true}, {text: "c"}, {text: "${D}"}, {text: "E.F", variable: true}, {text: "${unclosed"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("subParts = %+v, want %+v", got, want)
	}
}

func TestStackNameFor(t *testing.T) {
	for in, want := range map[string]string{
		"examples/cfn/article.yaml": "article",
		"my_stack.v2.json":          "my-stack-v2",
		"2024-app.yaml":             "stack-2024-app",
		"___.yaml":                  "stack",
	} {
		if got := stackNameFor(in); got != want {
			t.Errorf("stackNameFor(%q) = %q, want %q", in, got, want)
		}
	}
}

// watchdog fails a fuzz input that runs longer than limit (Go's fuzzer
// does not detect hangs by itself); call the returned func when done.
func watchdog(data []byte, limit time.Duration) func() {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(limit):
			panic(fmt.Sprintf("input ran longer than %v: %q", limit, data))
		}
	}()
	return func() { close(done) }
}

// seeds returns the example templates and the bad inputs.
func seeds(f *testing.F, dirs ...string) {
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzParse feeds arbitrary text to the template reader: parsing (YAML
// and JSON), the structure checks, parameters, conditions and the
// dependency order with its reference checks. Nothing may panic or hang;
// every failure must be a template error with a message.
func FuzzParse(f *testing.F) {
	seeds(f, filepath.Join("..", "..", "examples", "cfn"), filepath.Join("testdata", "bad"))
	f.Add([]byte("Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  X: {Type: AWS::SNS::Topic, Condition: A}\n"))
	f.Add([]byte(`{"Resources": {"A": {"Type": "T", "Properties": {"P": {"Fn::Sub": ["${x}", {"x": {"Ref": "A"}}]}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data, 10*time.Second)()
		l := newLoader(NewEngine(), nil)
		s := l.newStack("fuzz.yaml", "fuzz", nil)
		root, _, err := parseTemplate(data)
		if err == nil {
			s.tpl, err = readTemplate(root)
		}
		if err == nil {
			for _, d := range s.tpl.resources {
				s.res[d.name] = &resource{def: d}
			}
			s.params, err = s.resolveParams(nil, 0, func(string, string) (string, bool) { return "", true })
		}
		if err == nil {
			for _, c := range s.tpl.condOrder {
				if _, err = s.condition(c, 0); err != nil {
					break
				}
			}
		}
		if err == nil {
			for _, d := range s.tpl.resources {
				s.res[d.name].active = d.condition == "" || s.conds[d.condition]
			}
			_, err = s.plan()
		}
		if err != nil && err.Error() == "" {
			t.Fatal("an error without a message")
		}
	})
}

// FuzzDeploy feeds arbitrary text through the whole pipeline, deployment
// through a real engine included. Every failure must be an *Error. Its
// seeds are small templates: deploying is slower than parsing, and the
// fuzzer minimizes every new input by running it many times.
func FuzzDeploy(f *testing.F) {
	f.Add([]byte("Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Select [0, !Cidr [10.0.0.0/8, 2, 16]]\n  S:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref V, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [1, !GetAZs '']}\n"))
	f.Add([]byte(`{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}, "Outputs": {"X": {"Value": {"Fn::Join": [",", {"Fn::Cidr": ["10.0.0.0/8", 4, 1]}]}}}}`))
	f.Add([]byte("Parameters:\n  N: {Type: Number, Default: 2}\nResources:\n  C:\n    Type: AWS::ECS::Cluster\n  T:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      NetworkMode: awsvpc\n      RequiresCompatibilities: [FARGATE]\n      Cpu: 256\n      Memory: 512\n      ContainerDefinitions: [{Name: w, Image: x, PortMappings: [{ContainerPort: 80}]}]\n"))
	f.Add([]byte("Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Sub '${AWS::StackName}'\n      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}]\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		defer watchdog(data, 10*time.Second)()
		e := NewEngine()
		tpl, err := ParseTemplate(filepath.Join(dir, "fuzz.yaml"), data)
		if err == nil {
			_, err = Deploy(e, tpl, DeployOptions{StackName: "fuzz"})
		}
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
		}
	})
}

// TestParseISODurationFraction: the seconds' fraction counts to the
// nanosecond (PT1M30.25S is 90.25 s); a fraction elsewhere is no duration.
func TestParseISODurationFraction(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"PT1M30.25S": 90*time.Second + 250*time.Millisecond, "PT0.5S": 500 * time.Millisecond,
		"PT2,000000001S": 2*time.Second + 1, "P1DT0.1S": 24*time.Hour + 100*time.Millisecond, "PT15M": 15 * time.Minute,
	} {
		if got, ok := parseISODuration(in); !ok || got != want {
			t.Errorf("parseISODuration(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"PT1.5M", "PT.5S", "PT1.S", "P1.5D", "PT1.5H30M"} {
		if got, ok := parseISODuration(in); ok {
			t.Errorf("parseISODuration(%q) = %v, want none", in, got)
		}
	}
}
