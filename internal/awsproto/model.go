package awsproto

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/ecsnet/ecsnet/internal/awsproto/internal/modelfile"
)

//go:embed models/*.json.gz
var modelFiles embed.FS

// Protocol is a botocore wire protocol.
type Protocol string

// The protocols of the services ecsnet emulates.
const (
	ProtocolEC2   Protocol = "ec2"   // EC2's own query dialect
	ProtocolQuery Protocol = "query" // AWS Query: ELBv2, Auto Scaling, CloudFormation, STS, IAM
	ProtocolJSON  Protocol = "json"  // AWS JSON 1.1: ECS, SSM, Cloud Map, CloudWatch Logs, ACM, Application Auto Scaling
)

// ShapeType is the type of a botocore shape.
type ShapeType string

// Shape types.
const (
	TypeStructure ShapeType = "structure"
	TypeList      ShapeType = "list"
	TypeMap       ShapeType = "map"
	TypeString    ShapeType = "string"
	TypeInteger   ShapeType = "integer"
	TypeLong      ShapeType = "long"
	TypeBoolean   ShapeType = "boolean"
	TypeFloat     ShapeType = "float"
	TypeDouble    ShapeType = "double"
	TypeTimestamp ShapeType = "timestamp"
	TypeBlob      ShapeType = "blob"
)

// Models is the set of service models ecsnet serves. It is immutable once
// LoadModels returns and safe for concurrent use.
type Models struct {
	botocoreVersion string
	services        []*Service // sorted by name
	byName          map[string]*Service
	bySigningName   map[string]*Service
	byAPIVersion    map[string]*Service
	byTargetPrefix  map[string]*Service
}

// Service is one AWS service model. All its fields and everything reachable
// from it are read-only.
type Service struct {
	// Name is ecsnet's name for the service: ec2, ecs, elbv2, autoscaling,
	// cloudformation, ssm or sts.
	Name           string
	Protocol       Protocol
	APIVersion     string
	TargetPrefix   string // JSON services: the X-Amz-Target prefix
	JSONVersion    string
	XMLNamespace   string // query services: the response namespace
	SigningName    string // the service in a SigV4 credential scope
	EndpointPrefix string
	ServiceID      string
	// Source names the botocore release and file the model came from.
	Source string
	// QueryCompatible marks a JSON service that was a Query one (SQS,
	// CloudWatch): its errors carry their Query code, the exception
	// shape's error trait, in x-amzn-query-error.
	QueryCompatible bool

	// raw is the compressed model until load builds operations and shapes.
	raw        []byte
	once       sync.Once
	operations map[string]*Operation
	opNames    []string
	shapes     map[string]*Shape
	routes     []restRoute // REST services: the operations' request URIs

	// foreign marks a service ecsnet does not emulate, told from a request
	// alone (foreign.go): it has no model to load.
	foreign bool

	// variants are the same service in its other protocols (CloudWatch
	// answers Query, JSON 1.0 and RPC v2 CBOR), each built on its own;
	// nil for a service of one protocol.
	variants map[Protocol]*Service
}

// Variant returns the service as it answers in protocol p, or nil when it
// does not (s itself when p is its protocol).
func (s *Service) Variant(p Protocol) *Service {
	if s == nil {
		return nil
	}
	if s.Protocol == p {
		return s
	}
	return s.variants[p]
}

// Operation is one operation of a service.
type Operation struct {
	Name    string
	Service *Service
	// Input and Output are nil when the operation takes or returns nothing.
	Input, Output *Shape
	// ResultWrapper is the Query protocol's <{Op}Result> element name.
	ResultWrapper string
	Errors        []*Shape
	HTTPMethod    string
	RequestURI    string
	// ResponseCode is a REST operation's HTTP status on success (0: 200).
	ResponseCode int
	// Paginator is nil when the operation does not paginate.
	Paginator *Paginator
}

// Paginator names an operation's pagination members.
type Paginator struct {
	InputToken  []string
	OutputToken []string
	LimitKey    string
}

// Shape is a botocore shape.
type Shape struct {
	Name string
	Type ShapeType
	// Members are a structure's members in model order.
	Members  []*Member
	Required []string
	// Min and Max are nil when the model sets no bound.
	Min, Max        *float64
	Enum            []string
	TimestampFormat string
	// Member is a list's element; Key and Value are a map's.
	Member, Key, Value *Member
	Flattened          bool
	LocationName       string
	Exception, Fault   bool
	// ErrorCode and HTTPStatusCode come from an exception's "error" trait.
	ErrorCode      string
	HTTPStatusCode int
	SenderFault    bool
	Document       bool
	EventStream    bool
	Union          bool
	// Payload names the member that is a REST response's whole body
	// (Lambda Invoke's Payload), "" when the body is the JSON of the
	// members.
	Payload string

	byName  map[string]*Member
	byWire  map[string]*Member // form decoding: the protocol's serialized names
	byJSON  map[string]*Member // JSON decoding: serialized names
	reqSet  map[string]bool
	service *Service
}

// Member is a reference to a shape from a structure, list or map, with the
// serialization traits of the reference merged over the target shape's.
type Member struct {
	// Name is the member name (structure members only): the key of the
	// value tree.
	Name            string
	Shape           *Shape
	LocationName    string
	QueryName       string
	Flattened       bool
	XMLNamespace    string
	XMLAttribute    bool
	TimestampFormat string
	Required        bool
	IdempotencyTok  bool
	// Location is a REST request member's binding: "uri", "querystring",
	// "header" or "" (the body).
	Location string

	// wire is the member's serialized name in its service's protocol
	// (requests for ec2, both directions otherwise); xmlOpen and xmlClose
	// are its element's tags in XML responses.
	wire              string
	xmlOpen, xmlClose string
	index             int // position among its structure's members
}

// LoadModels decodes the embedded service models. Call it once at start-up
// and share the result; it takes tens of milliseconds.
func LoadModels() (*Models, error) {
	entries, err := modelFiles.ReadDir("models")
	if err != nil {
		return nil, err
	}
	m := &Models{
		byName:         map[string]*Service{},
		bySigningName:  map[string]*Service{},
		byAPIVersion:   map[string]*Service{},
		byTargetPrefix: map[string]*Service{},
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json.gz") {
			continue
		}
		raw, err := modelFiles.ReadFile("models/" + e.Name())
		if err != nil {
			return nil, err
		}
		h, err := decodeModelHeader(raw)
		if err != nil {
			return nil, fmt.Errorf("awsproto: model %s: %w", e.Name(), err)
		}
		svc, err := newService(h)
		if err != nil {
			return nil, fmt.Errorf("awsproto: model %s: %w", e.Name(), err)
		}
		svc.raw = raw
		for _, v := range svc.variants {
			v.raw = raw
			if v.Protocol == ProtocolJSON {
				m.byTargetPrefix[v.TargetPrefix] = v
			}
		}
		m.botocoreVersion = h.BotocoreVersion
		m.services = append(m.services, svc)
		m.byName[svc.Name] = svc
		if prev := m.bySigningName[svc.SigningName]; prev == nil || prev.APIVersion < svc.APIVersion {
			// A shared signing name defaults to the newer API (ELBv2).
			m.bySigningName[svc.SigningName] = svc
		}
		m.byAPIVersion[svc.APIVersion] = svc
		if svc.TargetPrefix != "" {
			m.byTargetPrefix[svc.TargetPrefix] = svc
		}
	}
	sort.Slice(m.services, func(i, j int) bool { return m.services[i].Name < m.services[j].Name })
	return m, nil
}

// decodeModelHeader reads a model file's leading fields (source, version,
// service, metadata) and stops before the operations and shapes, so every
// service is identified at start-up without decoding its shapes.
func decodeModelHeader(raw []byte) (*modelfile.File, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(zr)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("model file does not start with an object")
	}
	var f modelfile.File
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var dst any
		switch t {
		case "source":
			dst = &f.Source
		case "botocoreVersion":
			dst = &f.BotocoreVersion
		case "service":
			dst = &f.Service
		case "metadata":
			dst = &f.Metadata
		default:
			return &f, nil
		}
		if err := dec.Decode(dst); err != nil {
			return nil, err
		}
	}
	return &f, nil
}

func decodeModelFile(raw []byte) (*modelfile.File, error) {
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	var f modelfile.File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// newService returns a service from a model file's header; its operations
// and shapes are built on first use (load).
func newService(f *modelfile.File) (*Service, error) {
	md := f.Metadata
	svc := &Service{
		Name: f.Service, Protocol: Protocol(md.Protocol), APIVersion: md.APIVersion,
		TargetPrefix: md.TargetPrefix, JSONVersion: md.JSONVersion, XMLNamespace: md.XMLNamespace,
		SigningName: md.SigningName, EndpointPrefix: md.EndpointPrefix, ServiceID: md.ServiceID,
		Source: f.Source, QueryCompatible: md.QueryCompatible,
	}
	if svc.SigningName == "" {
		svc.SigningName = md.EndpointPrefix
	}
	if len(md.Protocols) > 1 {
		// A service of several protocols (CloudWatch) is known by its
		// Query form (a form's Version finds it, as Terraform's SDK
		// sends it); its JSON and CBOR variants are picked per request
		// (Identify).
		svc.Protocol = ProtocolQuery
		if !slices.Contains(md.Protocols, string(ProtocolQuery)) {
			return nil, fmt.Errorf("protocols %v without query", md.Protocols)
		}
		svc.TargetPrefix = ""
		svc.variants = map[Protocol]*Service{}
		for _, p := range md.Protocols {
			switch Protocol(p) {
			case ProtocolJSON, ProtocolRPCv2CBOR:
				svc.variants[Protocol(p)] = &Service{
					Name: svc.Name, Protocol: Protocol(p), APIVersion: svc.APIVersion, TargetPrefix: md.TargetPrefix,
					JSONVersion: cmp.Or(md.JSONVersion, "1.0"), SigningName: svc.SigningName,
					EndpointPrefix: svc.EndpointPrefix, ServiceID: svc.ServiceID, Source: svc.Source,
					QueryCompatible: svc.QueryCompatible,
				}
			}
		}
		for _, v := range svc.variants {
			v.variants = svc.variants
		}
		svc.variants[ProtocolQuery] = svc
		return svc, nil
	}
	switch svc.Protocol {
	case ProtocolEC2, ProtocolQuery, ProtocolJSON, ProtocolRESTJSON:
	case ProtocolRESTXML:
		if svc.XMLNamespace == "" {
			svc.XMLNamespace = restXMLNamespace(md.EndpointPrefix, md.APIVersion)
		}
	default:
		return nil, fmt.Errorf("unsupported protocol %q", svc.Protocol)
	}
	return svc, nil
}

// load decodes the service's operations and shapes, once. The embedded
// models are checked by the tests, so a failure here is a build defect:
// it panics rather than serve a half-built service.
func (svc *Service) load() {
	svc.once.Do(func() {
		f, err := decodeModelFile(svc.raw)
		if err == nil {
			err = svc.build(f)
		}
		if err != nil {
			panic(fmt.Sprintf("awsproto: model %s: %v", svc.Name, err))
		}
		svc.raw = nil
	})
}

// build links a decoded model file into the service.
func (svc *Service) build(f *modelfile.File) error {
	svc.operations = make(map[string]*Operation, len(f.Operations))
	svc.shapes = make(map[string]*Shape, len(f.Shapes))
	// Two passes: create every shape, then link references.
	for i := range f.Shapes {
		fs := &f.Shapes[i]
		svc.shapes[fs.Name] = &Shape{
			Name: fs.Name, Type: ShapeType(fs.Type), Required: fs.Required, Min: fs.Min, Max: fs.Max,
			Enum: fs.Enum, TimestampFormat: fs.TimestampFormat, Flattened: fs.Flattened,
			LocationName: fs.LocationName, Exception: fs.Exception, Fault: fs.Fault,
			Document: fs.Document, EventStream: fs.EventStream, Union: fs.Union, Payload: fs.Payload, service: svc,
		}
		if fs.Error != nil {
			s := svc.shapes[fs.Name]
			s.ErrorCode, s.HTTPStatusCode, s.SenderFault = fs.Error.Code, fs.Error.HTTPStatusCode, fs.Error.SenderFault
		}
	}
	for i := range f.Shapes {
		fs := &f.Shapes[i]
		s := svc.shapes[fs.Name]
		var err error
		if s.Member, err = svc.member(fs.Member); err != nil {
			return fmt.Errorf("shape %s: %w", fs.Name, err)
		}
		if s.Key, err = svc.member(fs.Key); err != nil {
			return fmt.Errorf("shape %s: %w", fs.Name, err)
		}
		if s.Value, err = svc.member(fs.Value); err != nil {
			return fmt.Errorf("shape %s: %w", fs.Name, err)
		}
		if s.Type == TypeList && s.Member == nil || s.Type == TypeMap && (s.Key == nil || s.Value == nil) {
			return fmt.Errorf("shape %s: %s without element shapes", fs.Name, s.Type)
		}
		if len(fs.Members) == 0 {
			continue
		}
		s.reqSet = make(map[string]bool, len(fs.Required))
		for _, r := range fs.Required {
			s.reqSet[r] = true
		}
		s.Members = make([]*Member, 0, len(fs.Members))
		s.byName = make(map[string]*Member, len(fs.Members))
		s.byWire = make(map[string]*Member, len(fs.Members))
		s.byJSON = make(map[string]*Member, len(fs.Members))
		for j := range fs.Members {
			mem, err := svc.member(&fs.Members[j])
			if err != nil {
				return fmt.Errorf("shape %s: %w", fs.Name, err)
			}
			mem.Required = s.reqSet[mem.Name]
			mem.index = j
			s.Members = append(s.Members, mem)
			s.byName[mem.Name] = mem
			s.byWire[mem.wire] = mem
			s.byJSON[mem.jsonName()] = mem
		}
	}
	// Element names for the members of lists and maps in XML responses.
	for _, s := range svc.shapes {
		switch s.Type {
		case TypeList:
			item := "member"
			if svc.Protocol == ProtocolEC2 {
				item = "item"
			}
			if s.Member.LocationName != "" {
				item = s.Member.LocationName
			}
			s.Member.setXMLName(item)
		case TypeMap:
			s.Key.setXMLName(cmp.Or(s.Key.LocationName, "key"))
			s.Value.setXMLName(cmp.Or(s.Value.LocationName, "value"))
		}
	}
	for i := range f.Operations {
		fo := &f.Operations[i]
		op := &Operation{
			Name: fo.Name, Service: svc, ResultWrapper: fo.ResultWrapper,
			HTTPMethod: fo.HTTPMethod, RequestURI: fo.RequestURI, ResponseCode: fo.ResponseCode,
		}
		if fo.Input != "" {
			if op.Input = svc.shapes[fo.Input]; op.Input == nil {
				return fmt.Errorf("operation %s: no input shape %s", fo.Name, fo.Input)
			}
		}
		if fo.Output != "" {
			if op.Output = svc.shapes[fo.Output]; op.Output == nil {
				return fmt.Errorf("operation %s: no output shape %s", fo.Name, fo.Output)
			}
		}
		for _, e := range fo.Errors {
			es := svc.shapes[e]
			if es == nil {
				return fmt.Errorf("operation %s: no error shape %s", fo.Name, e)
			}
			op.Errors = append(op.Errors, es)
		}
		if p := fo.Paginator; p != nil {
			op.Paginator = &Paginator{InputToken: p.InputToken, OutputToken: p.OutputToken, LimitKey: p.LimitKey}
		}
		svc.operations[op.Name] = op
		svc.opNames = append(svc.opNames, op.Name)
	}
	sort.Strings(svc.opNames)
	if svc.Protocol == ProtocolRESTJSON || svc.Protocol == ProtocolRESTXML {
		svc.buildRoutes()
	}
	return nil
}

// member resolves a reference, merging the reference's traits over the
// target shape's as botocore's ShapeResolver does.
func (svc *Service) member(fm *modelfile.Member) (*Member, error) {
	if fm == nil {
		return nil, nil
	}
	target := svc.shapes[fm.Shape]
	if target == nil {
		return nil, fmt.Errorf("member %q: no shape %s", fm.Name, fm.Shape)
	}
	m := &Member{
		Name: fm.Name, Shape: target, LocationName: fm.LocationName, QueryName: fm.QueryName,
		Flattened: fm.Flattened || target.Flattened, XMLNamespace: fm.XMLNamespace,
		XMLAttribute: fm.XMLAttribute, TimestampFormat: fm.TimestampFormat, IdempotencyTok: fm.IdempotencyTok,
		Location: fm.Location,
	}
	if m.LocationName == "" {
		m.LocationName = target.LocationName
	}
	if m.TimestampFormat == "" {
		m.TimestampFormat = target.TimestampFormat
	}
	m.wire = m.serializedName(svc.Protocol)
	m.setXMLName(cmp.Or(m.LocationName, m.Name))
	return m, nil
}

func (m *Member) setXMLName(name string) {
	m.xmlOpen, m.xmlClose = "<"+name+">", "</"+name+">"
}

// serializedName is the member's name in a request: for ec2 its queryName,
// else its locationName with the first letter upper-cased, else its name
// (botocore EC2Serializer._get_serialized_name); for query and json its
// locationName, else its name.
func (m *Member) serializedName(p Protocol) string {
	if p == ProtocolEC2 {
		switch {
		case m.QueryName != "":
			return m.QueryName
		case m.LocationName != "":
			return strings.ToUpper(m.LocationName[:1]) + m.LocationName[1:]
		}
		return m.Name
	}
	if m.LocationName != "" {
		return m.LocationName
	}
	return m.Name
}

func (m *Member) jsonName() string {
	if m.LocationName != "" {
		return m.LocationName
	}
	return m.Name
}

// BotocoreVersion is the botocore release the models were trimmed from.
func (m *Models) BotocoreVersion() string { return m.botocoreVersion }

// Services returns every service, sorted by name.
func (m *Models) Services() []*Service { return append([]*Service(nil), m.services...) }

// Warm decodes every service's operations and shapes now, which each
// service otherwise does at its first request (EC2's model takes tens of
// milliseconds). A long-running server calls it in the background after
// start-up so that no client's first request pays for it.
func (m *Models) Warm() {
	for _, svc := range m.services {
		svc.load()
		for _, v := range svc.variants {
			v.load()
		}
	}
}

// Service returns the service with ecsnet's name for it (ec2, ecs, elbv2,
// autoscaling), or nil.
func (m *Models) Service(name string) *Service { return m.byName[name] }

// Operation returns the named operation, or nil when the service has none.
func (s *Service) Operation(name string) *Operation { s.load(); return s.operations[name] }

// HasOperation reports whether the service has the named operation.
func (s *Service) HasOperation(name string) bool { s.load(); return s.operations[name] != nil }

// OperationNames returns the names of every operation, sorted.
func (s *Service) OperationNames() []string { s.load(); return append([]string(nil), s.opNames...) }

// Shape returns the named shape, or nil.
func (s *Service) Shape(name string) *Shape { s.load(); return s.shapes[name] }

// MemberByName returns the structure member with that name, or nil.
func (s *Shape) MemberByName(name string) *Member { return s.byName[name] }

func (s *Shape) String() string { return s.Name }
