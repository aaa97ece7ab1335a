package model

import "time"

// LambdaFunction is an AWS Lambda function's control plane (no code runs):
// its configuration ($LATEST), the versions PublishVersion froze, its
// resource-based policy, reserved concurrency and tags. A function in a VPC
// has one Hyperplane ENI per subnet (InterfaceType "lambda").
type LambdaFunction struct {
	Name    string
	Config  LambdaConfig
	Created time.Time
	// Versions are the published versions, oldest first ("1", "2", …);
	// LastVersion is the highest number ever published (numbers are not
	// reused after a version is deleted).
	Versions    []LambdaVersion
	LastVersion int64
	// Aliases are the function's aliases, by creation.
	Aliases []LambdaAlias
	// Policy is the resource-based policy's statements, in the order
	// AddPermission added them.
	Policy []LambdaPermission
	// PolicyRevision is the policy's RevisionId.
	PolicyRevision string
	// ReservedConcurrency is PutFunctionConcurrency's value (nil: none).
	ReservedConcurrency *int64
	// ENIs are the function's Hyperplane ENIs, one per subnet of its VPC
	// configuration.
	ENIs []NetworkInterfaceID
	Tags Tags
	// EventInvokeConfigs are the asynchronous invocation settings
	// (PutFunctionEventInvokeConfig) by qualifier: "$LATEST", a version
	// or an alias.
	EventInvokeConfigs map[string]LambdaEventInvokeConfig
	// URLs are the function URL configurations by qualifier ("" for the
	// function, or an alias).
	URLs map[string]LambdaFunctionURL
}

// LambdaFunctionURL is a function URL configuration: its HTTPS endpoint
// (https://ID.lambda-url.REGION.on.aws/), who may call it and its CORS
// settings. Nothing answers the URL.
type LambdaFunctionURL struct {
	ID         string
	AuthType   string // NONE or AWS_IAM
	InvokeMode string // BUFFERED or RESPONSE_STREAM
	Cors       *LambdaURLCors
	Created    time.Time
	Modified   time.Time
}

// LambdaURLCors is a function URL's CORS configuration.
type LambdaURLCors struct {
	AllowCredentials bool
	AllowHeaders     []string
	AllowMethods     []string
	AllowOrigins     []string
	ExposeHeaders    []string
	MaxAge           int64
}

// LambdaEventInvokeConfig is how Lambda handles a function's
// asynchronous invocations: retries, the age past which an event is
// dropped, and where a success's or a failure's record goes.
type LambdaEventInvokeConfig struct {
	MaximumRetryAttempts     *int64
	MaximumEventAgeInSeconds *int64
	OnSuccess, OnFailure     string
	LastModified             time.Time
}

// LambdaConfig is a function's configuration, of $LATEST or of a
// published version.
type LambdaConfig struct {
	PackageType      string // Zip or Image
	Runtime          string
	Handler          string
	Role             string
	Description      string
	Timeout          int64
	MemorySize       int64
	EphemeralStorage int64
	Architectures    []string
	Environment      map[string]string
	Layers           []string
	ImageURI         string
	CodeSHA256       string
	CodeSize         int64
	KMSKeyARN        string
	TracingMode      string
	DeadLetterTarget string
	SubnetIDs        []SubnetID
	SecurityGroupIDs []SecurityGroupID
	VpcID            VpcID
	// State is Pending, Active, Inactive or Failed; LastUpdateStatus
	// InProgress, Successful or Failed.
	State            string
	LastUpdateStatus string
	LastModified     time.Time
	RevisionID       string
}

// LambdaVersion is a published version of a function.
type LambdaVersion struct {
	Version string
	Config  LambdaConfig
}

// LambdaAlias is an alias of a function: a name for one of its versions
// (or $LATEST), perhaps shifting a share of invocations to a second one.
type LambdaAlias struct {
	Name            string
	FunctionVersion string
	Description     string
	RevisionID      string
	// AdditionalVersionWeights is the routing configuration: a version
	// and the share of invocations it gets (0 to 1).
	AdditionalVersionWeights map[string]float64
}

// LambdaPermission is one statement of a function's resource-based policy
// (AddPermission).
type LambdaPermission struct {
	Sid           string
	Action        string
	Principal     string
	SourceARN     string
	SourceAccount string
	PrincipalOrg  string
	// Qualifier is the version the statement is on ("" for the function).
	Qualifier           string
	FunctionURLAuthType string
}
