package reach

import (
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/model"
)

// A target group of protocol version GRPC health checks its targets with
// a gRPC call (HTTP/2 POST to the health check path, /AWS.ALB/healthcheck
// by default) and matches the call's gRPC status, not an HTTP status,
// against its matcher's GrpcCode (0-99, default 12): ELB API reference,
// Matcher ("For target groups with a protocol version of gRPC, values can
// be between 0 and 99 … The default value is 12") and CreateTargetGroup
// HealthCheckPath ("when the protocol version is gRPC, the default is
// /AWS.ALB/healthcheck").

// grpcHealth reports whether a target group's health checks are gRPC calls.
func grpcHealth(tg *model.TargetGroup) bool { return tg.ProtocolVersion == "GRPC" }

// gRPC status codes (grpc/grpc doc/statuscodes.md) a health check meets.
const (
	grpcOK               = 0
	grpcUnknown          = 2
	grpcPermissionDenied = 7
	grpcUnimplemented    = 12
	grpcInternal         = 13
	grpcUnavailable      = 14
	grpcUnauthenticated  = 16
)

// grpcDefaultMatcher is a gRPC target group's default success code:
// UNIMPLEMENTED, what a gRPC server answers for AWS's default path.
const grpcDefaultMatcher = "12"

// GRPCHealthStatus is the gRPC status a gRPC application answers an ALB's
// gRPC health check on path with, where status is the HTTP status the
// analyzer takes the application to answer the path with (its serves):
// a method it serves (200) answers OK, one it does not (404)
// UNIMPLEMENTED, and the others as grpc/grpc's "HTTP to gRPC Status Code
// Mapping" (doc/http-grpc-status-mapping.md) maps them. No application
// implements AWS's own service, AWS.ALB: its default path answers
// UNIMPLEMENTED, which is why the default matcher is 12 [choice: an
// application's serves cannot name a method of AWS.ALB].
func GRPCHealthStatus(path string, status int) int {
	if strings.HasPrefix(path, "/AWS.ALB/") {
		return grpcUnimplemented
	}
	switch {
	case status >= 200 && status <= 299:
		return grpcOK
	case status == 404:
		return grpcUnimplemented
	case status == 400:
		return grpcInternal
	case status == 401:
		return grpcUnauthenticated
	case status == 403:
		return grpcPermissionDenied
	case status == 429, status == 502, status == 503, status == 504:
		return grpcUnavailable
	}
	return grpcUnknown
}

// grpcStatusName is a gRPC status code's name, as grpc's status codes
// document them, for the codes GRPCHealthStatus answers.
func grpcStatusName(code int) string {
	switch code {
	case grpcOK:
		return "OK"
	case grpcUnknown:
		return "UNKNOWN"
	case grpcPermissionDenied:
		return "PERMISSION_DENIED"
	case grpcUnimplemented:
		return "UNIMPLEMENTED"
	case grpcInternal:
		return "INTERNAL"
	case grpcUnavailable:
		return "UNAVAILABLE"
	case grpcUnauthenticated:
		return "UNAUTHENTICATED"
	}
	return strconv.Itoa(code)
}

// healthMatcher is a target group's matcher, its default when unset: 12
// for gRPC health checks, else 200.
func healthMatcher(tg *model.TargetGroup) string {
	if m := tg.HealthCheck.Matcher; m != "" {
		return m
	}
	if grpcHealth(tg) {
		return grpcDefaultMatcher
	}
	return "200"
}

// grpcMismatch is the words of a gRPC health check whose status the
// matcher does not list.
func grpcMismatch(tg *model.TargetGroup, path string, code int) string {
	return " is a gRPC call to " + path + " (the target group's protocol version is GRPC) and gets the gRPC status " + strconv.Itoa(code) +
		" (" + grpcStatusName(code) + "), which the matcher's gRPC codes " + healthMatcher(tg) + " do not list (the gRPC default, 12, is UNIMPLEMENTED: the answer to AWS's default path /AWS.ALB/healthcheck, which no application implements)"
}
