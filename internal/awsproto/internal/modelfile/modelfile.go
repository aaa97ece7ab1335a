// Package modelfile is the on-disk schema of the trimmed botocore service
// models that internal/awsproto embeds. The generator in
// internal/awsproto/gen writes it and awsproto.LoadModels reads it; nothing
// else should depend on it.
//
// The schema follows botocore's service-2.json closely, with documentation
// and other fields the codecs never read removed, and with the members of a
// structure kept in model order (an array rather than a JSON object) so the
// XML and JSON encoders write elements in the order AWS does.
package modelfile

// File is one service model.
type File struct {
	// Source names the botocore release and file the model was trimmed from.
	Source          string      `json:"source"`
	BotocoreVersion string      `json:"botocoreVersion"`
	Service         string      `json:"service"` // ec2, ecs, elbv2, autoscaling
	Metadata        Metadata    `json:"metadata"`
	Operations      []Operation `json:"operations"` // sorted by name
	Shapes          []Shape     `json:"shapes"`     // sorted by name
}

// Metadata is botocore's "metadata" object, trimmed.
type Metadata struct {
	Protocol string `json:"protocol"`
	// Protocols lists every protocol the service answers, in botocore's
	// order (CloudWatch: smithy-rpc-v2-cbor, json, query); empty when it
	// answers only Protocol.
	Protocols []string `json:"protocols,omitempty"`
	// QueryCompatible is botocore's awsQueryCompatible: a JSON service
	// that was a Query one (SQS, CloudWatch), whose errors carry their
	// Query code in x-amzn-query-error.
	QueryCompatible bool   `json:"awsQueryCompatible,omitempty"`
	APIVersion      string `json:"apiVersion"`
	TargetPrefix    string `json:"targetPrefix,omitempty"`
	JSONVersion     string `json:"jsonVersion,omitempty"`
	XMLNamespace    string `json:"xmlNamespace,omitempty"`
	SigningName     string `json:"signingName,omitempty"`
	EndpointPrefix  string `json:"endpointPrefix"`
	ServiceID       string `json:"serviceId"`
}

// Operation is one entry of botocore's "operations" object.
type Operation struct {
	Name       string `json:"name"`
	HTTPMethod string `json:"httpMethod,omitempty"`
	RequestURI string `json:"requestUri,omitempty"`
	// ResponseCode is a REST operation's HTTP status on success (0: 200).
	ResponseCode  int        `json:"responseCode,omitempty"`
	Input         string     `json:"input,omitempty"`
	Output        string     `json:"output,omitempty"`
	ResultWrapper string     `json:"resultWrapper,omitempty"`
	Errors        []string   `json:"errors,omitempty"`
	Paginator     *Paginator `json:"paginator,omitempty"`
}

// Paginator is the part of paginators-1.json the server needs.
type Paginator struct {
	InputToken  []string `json:"inputToken"`
	OutputToken []string `json:"outputToken"`
	LimitKey    string   `json:"limitKey,omitempty"`
}

// Shape is one entry of botocore's "shapes" object.
type Shape struct {
	Name            string   `json:"name"`
	Type            string   `json:"type"`
	Members         []Member `json:"members,omitempty"` // structure, in model order
	Required        []string `json:"required,omitempty"`
	Min             *float64 `json:"min,omitempty"`
	Max             *float64 `json:"max,omitempty"`
	Enum            []string `json:"enum,omitempty"`
	TimestampFormat string   `json:"timestampFormat,omitempty"`
	Member          *Member  `json:"member,omitempty"` // list
	Key             *Member  `json:"key,omitempty"`    // map
	Value           *Member  `json:"value,omitempty"`  // map
	Flattened       bool     `json:"flattened,omitempty"`
	LocationName    string   `json:"locationName,omitempty"`
	Exception       bool     `json:"exception,omitempty"`
	Fault           bool     `json:"fault,omitempty"`
	Error           *Error   `json:"error,omitempty"`
	Document        bool     `json:"document,omitempty"`
	Event           bool     `json:"event,omitempty"`
	EventStream     bool     `json:"eventstream,omitempty"`
	Union           bool     `json:"union,omitempty"`
	// Payload names a REST output's member that is the whole body.
	Payload string `json:"payload,omitempty"`
}

// Member is a reference from a structure, list or map to another shape,
// with the serialization traits botocore attaches to the reference.
type Member struct {
	Name            string `json:"name,omitempty"` // structure members only
	Shape           string `json:"shape"`
	LocationName    string `json:"locationName,omitempty"`
	QueryName       string `json:"queryName,omitempty"`
	Flattened       bool   `json:"flattened,omitempty"`
	XMLNamespace    string `json:"xmlNamespace,omitempty"`
	XMLAttribute    bool   `json:"xmlAttribute,omitempty"`
	TimestampFormat string `json:"timestampFormat,omitempty"`
	Location        string `json:"location,omitempty"`
	JSONValue       bool   `json:"jsonvalue,omitempty"`
	IdempotencyTok  bool   `json:"idempotencyToken,omitempty"`
}

// Error is a shape's "error" trait.
type Error struct {
	Code           string `json:"code,omitempty"`
	HTTPStatusCode int    `json:"httpStatusCode,omitempty"`
	SenderFault    bool   `json:"senderFault,omitempty"`
}
