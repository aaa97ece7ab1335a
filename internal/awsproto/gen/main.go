// Command gen trims the botocore service models that internal/awsproto
// needs and writes them, gzipped, to internal/awsproto/models.
//
// It keeps what the wire codecs read (protocol metadata, operations, shapes
// and their serialization traits, paginator tokens) and drops documentation,
// examples and everything else. The output is deterministic, so rerunning it
// against the same botocore release changes nothing.
//
// Usage, from the repository root:
//
//	go generate ./internal/awsproto
//	go run ./internal/awsproto/gen -botocore /path/to/site-packages/botocore -out internal/awsproto/models
//
// Without -botocore it asks python3 where botocore is installed. Only this
// generator needs Python; building and testing the project do not.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/ecsnet/ecsnet/internal/awsproto/internal/modelfile"
)

// services lists the models to trim: our service name and botocore's
// data directory for it.
var services = []struct{ name, dir string }{
	{"ec2", "ec2/2016-11-15"},
	{"ecs", "ecs/2014-11-13"},
	{"elbv2", "elbv2/2015-12-01"},
	{"autoscaling", "autoscaling/2011-01-01"},
	{"elb", "elb/2012-06-01"},
	{"cloudformation", "cloudformation/2010-05-15"},
	{"ssm", "ssm/2014-11-06"},
	{"sts", "sts/2011-06-15"},
	{"servicediscovery", "servicediscovery/2017-03-14"},
	{"logs", "logs/2014-03-28"},
	{"iam", "iam/2010-05-08"},
	{"acm", "acm/2015-12-08"},
	{"application-autoscaling", "application-autoscaling/2016-02-06"},
	{"ecr", "ecr/2015-09-21"},
	{"efs", "efs/2015-02-01"},
	{"route53", "route53/2013-04-01"},
	{"cloudwatch", "cloudwatch/2010-08-01"},
	{"secretsmanager", "secretsmanager/2017-10-17"},
	{"kms", "kms/2014-11-01"},
	{"resourcegroupstaggingapi", "resourcegroupstaggingapi/2017-01-26"},
	{"s3", "s3/2006-03-01"},
	{"events", "events/2015-10-07"},
	{"codedeploy", "codedeploy/2014-10-06"},
	{"lambda", "lambda/2015-03-31"},
	{"network-firewall", "network-firewall/2020-11-12"},
	{"sqs", "sqs/2012-11-05"},
}

func main() {
	botocoreDir := flag.String("botocore", "", "botocore package directory (default: ask python3)")
	outDir := flag.String("out", "models", "output directory")
	flag.Parse()
	if err := run(*botocoreDir, *outDir); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(botocoreDir, outDir string) error {
	if botocoreDir == "" {
		out, err := exec.Command("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))").Output()
		if err != nil {
			return fmt.Errorf("locating botocore with python3 (pass -botocore): %w", err)
		}
		botocoreDir = strings.TrimSpace(string(out))
	}
	version, err := botocoreVersion(botocoreDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	for _, svc := range services {
		f, err := trim(botocoreDir, version, svc.name, svc.dir)
		if err != nil {
			return fmt.Errorf("%s: %w", svc.name, err)
		}
		data, err := json.Marshal(f)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return err
		}
		// The zero header (no name, no modification time) keeps the
		// output byte-for-byte reproducible.
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		path := filepath.Join(outDir, svc.name+".json.gz")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s: %d operations, %d shapes, %d bytes\n", path, len(f.Operations), len(f.Shapes), buf.Len())
	}
	return nil
}

var versionRE = regexp.MustCompile(`(?m)^__version__\s*=\s*['"]([^'"]+)['"]`)

func botocoreVersion(dir string) (string, error) {
	src, err := os.ReadFile(filepath.Join(dir, "__init__.py"))
	if err != nil {
		return "", err
	}
	m := versionRE.FindSubmatch(src)
	if m == nil {
		return "", errors.New("no __version__ in botocore/__init__.py")
	}
	return string(m[1]), nil
}

// Raw botocore JSON, as much of it as we read.
type rawModel struct {
	Metadata struct {
		Protocol  string   `json:"protocol"`
		Protocols []string `json:"protocols"`
		// AWSQueryCompatible is present (an empty object) on a JSON
		// service that was a Query one (SQS).
		AWSQueryCompatible *struct{} `json:"awsQueryCompatible"`
		APIVersion         string    `json:"apiVersion"`
		TargetPrefix       string    `json:"targetPrefix"`
		JSONVersion        string    `json:"jsonVersion"`
		XMLNamespace       string    `json:"xmlNamespace"`
		SigningName        string    `json:"signingName"`
		EndpointPrefix     string    `json:"endpointPrefix"`
		ServiceID          string    `json:"serviceId"`
	} `json:"metadata"`
	Operations map[string]struct {
		Name string `json:"name"`
		HTTP struct {
			Method       string `json:"method"`
			RequestURI   string `json:"requestUri"`
			ResponseCode int    `json:"responseCode"`
		} `json:"http"`
		Input *struct {
			Shape string `json:"shape"`
		} `json:"input"`
		Output *struct {
			Shape         string `json:"shape"`
			ResultWrapper string `json:"resultWrapper"`
		} `json:"output"`
		Errors []struct {
			Shape string `json:"shape"`
		} `json:"errors"`
	} `json:"operations"`
	Shapes map[string]json.RawMessage `json:"shapes"`
}

type rawShape struct {
	Type            string           `json:"type"`
	Members         json.RawMessage  `json:"members"`
	Required        []string         `json:"required"`
	Min             *float64         `json:"min"`
	Max             *float64         `json:"max"`
	Enum            []string         `json:"enum"`
	TimestampFormat string           `json:"timestampFormat"`
	Member          *rawMember       `json:"member"`
	Key             *rawMember       `json:"key"`
	Value           *rawMember       `json:"value"`
	Flattened       bool             `json:"flattened"`
	LocationName    string           `json:"locationName"`
	Exception       bool             `json:"exception"`
	Fault           bool             `json:"fault"`
	Error           *modelfile.Error `json:"error"`
	Document        bool             `json:"document"`
	Event           bool             `json:"event"`
	EventStream     bool             `json:"eventstream"`
	Union           bool             `json:"union"`
	Payload         string           `json:"payload"`
}

type rawMember struct {
	Shape           string          `json:"shape"`
	LocationName    string          `json:"locationName"`
	QueryName       string          `json:"queryName"`
	Flattened       bool            `json:"flattened"`
	XMLNamespace    json.RawMessage `json:"xmlNamespace"`
	XMLAttribute    bool            `json:"xmlAttribute"`
	TimestampFormat string          `json:"timestampFormat"`
	Location        string          `json:"location"`
	JSONValue       bool            `json:"jsonvalue"`
	IdempotencyTok  bool            `json:"idempotencyToken"`
}

func (m *rawMember) trimmed(name string) (*modelfile.Member, error) {
	if m == nil {
		return nil, nil
	}
	out := &modelfile.Member{
		Name: name, Shape: m.Shape, LocationName: m.LocationName, QueryName: m.QueryName,
		Flattened: m.Flattened, XMLAttribute: m.XMLAttribute, TimestampFormat: m.TimestampFormat,
		Location: m.Location, JSONValue: m.JSONValue, IdempotencyTok: m.IdempotencyTok,
	}
	if len(m.XMLNamespace) > 0 {
		// botocore writes a member's namespace as {"uri": ..., "prefix": ...}
		// and occasionally as a plain string.
		var ns struct {
			URI string `json:"uri"`
		}
		if err := json.Unmarshal(m.XMLNamespace, &ns); err != nil {
			var s string
			if err2 := json.Unmarshal(m.XMLNamespace, &s); err2 != nil {
				return nil, fmt.Errorf("member %s: xmlNamespace: %w", name, err)
			}
			ns.URI = s
		}
		out.XMLNamespace = ns.URI
	}
	return out, nil
}

type rawPaginators struct {
	Pagination map[string]struct {
		InputToken  json.RawMessage `json:"input_token"`
		OutputToken json.RawMessage `json:"output_token"`
		LimitKey    string          `json:"limit_key"`
	} `json:"pagination"`
}

func trim(botocoreDir, version, name, dir string) (*modelfile.File, error) {
	rel := filepath.Join("data", dir, "service-2.json.gz")
	raw, err := readMaybeGzip(filepath.Join(botocoreDir, rel))
	if err != nil {
		return nil, err
	}
	var m rawModel
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	pag, err := readPaginators(filepath.Join(botocoreDir, "data", dir, "paginators-1.json"))
	if err != nil {
		return nil, err
	}
	f := &modelfile.File{
		Source:          "botocore " + version + " " + filepath.ToSlash(rel),
		BotocoreVersion: version,
		Service:         name,
		Metadata: modelfile.Metadata{
			Protocol: m.Metadata.Protocol, APIVersion: m.Metadata.APIVersion,
			TargetPrefix: m.Metadata.TargetPrefix, JSONVersion: m.Metadata.JSONVersion,
			XMLNamespace: m.Metadata.XMLNamespace, SigningName: m.Metadata.SigningName,
			EndpointPrefix: m.Metadata.EndpointPrefix, ServiceID: m.Metadata.ServiceID,
		},
	}
	f.Metadata.QueryCompatible = m.Metadata.AWSQueryCompatible != nil
	if len(m.Metadata.Protocols) > 1 {
		f.Metadata.Protocols = m.Metadata.Protocols
	}
	for opName, op := range m.Operations {
		o := modelfile.Operation{Name: opName, HTTPMethod: op.HTTP.Method, RequestURI: op.HTTP.RequestURI, ResponseCode: op.HTTP.ResponseCode}
		if op.Input != nil {
			o.Input = op.Input.Shape
		}
		if op.Output != nil {
			o.Output = op.Output.Shape
			o.ResultWrapper = op.Output.ResultWrapper
		}
		for _, e := range op.Errors {
			o.Errors = append(o.Errors, e.Shape)
		}
		if p, ok := pag[opName]; ok {
			o.Paginator = p
		}
		f.Operations = append(f.Operations, o)
	}
	sort.Slice(f.Operations, func(i, j int) bool { return f.Operations[i].Name < f.Operations[j].Name })

	for shapeName, rawJSON := range m.Shapes {
		var rs rawShape
		if err := json.Unmarshal(rawJSON, &rs); err != nil {
			return nil, fmt.Errorf("shape %s: %w", shapeName, err)
		}
		s := modelfile.Shape{
			Name: shapeName, Type: rs.Type, Required: rs.Required, Min: rs.Min, Max: rs.Max,
			Enum: rs.Enum, TimestampFormat: rs.TimestampFormat, Flattened: rs.Flattened,
			LocationName: rs.LocationName, Exception: rs.Exception, Fault: rs.Fault, Error: rs.Error,
			Document: rs.Document, Event: rs.Event, EventStream: rs.EventStream, Union: rs.Union, Payload: rs.Payload,
		}
		if len(rs.Members) > 0 {
			names, err := objectKeys(rs.Members)
			if err != nil {
				return nil, fmt.Errorf("shape %s: %w", shapeName, err)
			}
			var members map[string]*rawMember
			if err := json.Unmarshal(rs.Members, &members); err != nil {
				return nil, fmt.Errorf("shape %s: %w", shapeName, err)
			}
			for _, n := range names {
				mm, err := members[n].trimmed(n)
				if err != nil {
					return nil, fmt.Errorf("shape %s: %w", shapeName, err)
				}
				s.Members = append(s.Members, *mm)
			}
		}
		if s.Member, err = rs.Member.trimmed(""); err != nil {
			return nil, err
		}
		if s.Key, err = rs.Key.trimmed(""); err != nil {
			return nil, err
		}
		if s.Value, err = rs.Value.trimmed(""); err != nil {
			return nil, err
		}
		f.Shapes = append(f.Shapes, s)
	}
	sort.Slice(f.Shapes, func(i, j int) bool { return f.Shapes[i].Name < f.Shapes[j].Name })
	return f, nil
}

func readPaginators(path string) (map[string]*modelfile.Paginator, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rp rawPaginators
	if err := json.Unmarshal(data, &rp); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]*modelfile.Paginator, len(rp.Pagination))
	for op, p := range rp.Pagination {
		in, err := stringOrList(p.InputToken)
		if err != nil {
			return nil, fmt.Errorf("%s %s input_token: %w", path, op, err)
		}
		o, err := stringOrList(p.OutputToken)
		if err != nil {
			return nil, fmt.Errorf("%s %s output_token: %w", path, op, err)
		}
		out[op] = &modelfile.Paginator{InputToken: in, OutputToken: o, LimitKey: p.LimitKey}
	}
	return out, nil
}

func stringOrList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return []string{s}, nil
	}
	var l []string
	err := json.Unmarshal(raw, &l)
	return l, err
}

// objectKeys returns the keys of a JSON object in document order.
func objectKeys(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("members: not a JSON object")
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

func readMaybeGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !strings.HasSuffix(path, ".gz") {
		return io.ReadAll(f)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
