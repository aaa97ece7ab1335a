// Package awsproto is ecsnet's AWS wire-protocol layer: it identifies which
// service and operation an HTTP request calls, decodes its parameters into a
// protocol-independent value tree, and encodes results and errors the way
// the real service does, for EC2 (the "ec2" protocol), ECS, SSM, Cloud Map
// CloudWatch Logs, ACM and Application Auto Scaling ("json", AWS JSON 1.1), Elastic Load Balancing v2,
// Classic Elastic Load Balancing, Auto Scaling, CloudFormation, STS and IAM
// ("query"), and Amazon EFS ("rest-json": the operation is the method and
// path, restjson.go).
//
// Everything is driven by botocore's service models, trimmed by ./gen and
// embedded from ./models. LoadModels decodes them once into an immutable
// *Models that a server builds at start-up and shares.
//
// A request flows through the package like this:
//
//	target, err := models.Identify(r, body)   // service, operation, region
//	in, err := target.Decode()                // Params keyed by member name
//	out := map[string]any{"Vpcs": []any{...}} // built by the handler
//	err = target.Operation.WriteResponse(w, requestID, out)
//	// or, on any error (target.Service may be nil):
//	target.Service.WriteError(w, requestID, err)
//
// Decoded parameters are keyed by the shape's member names ("VpcIds",
// "Filters", "networkConfiguration"), whatever their name on the wire
// ("VpcId.1", "Filter.1.Value.2"), so one handler serves every protocol.
// Values are map[string]any (structures and maps), []any, string, int64,
// float64, bool, time.Time and []byte.
package awsproto

//go:generate go run ./gen -out models
