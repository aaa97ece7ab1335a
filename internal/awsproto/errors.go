package awsproto

import (
	"bytes"
	"cmp"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// DryRunOperation is the error EC2 returns when a request with DryRun=true
// would have succeeded (HTTP 412). Handlers return it after all their
// checks pass and before changing anything.
func DryRunOperation() *apierr.Error {
	return apierr.New(apierr.CodeDryRunOperation, "Request would have succeeded, but DryRun flag is set.")
}

// Protocol-level error codes.
const (
	CodeMissingParameter          = "MissingParameter"
	CodeUnknownParameter          = "UnknownParameter"
	CodeInvalidParameterValue     = "InvalidParameterValue"
	CodeInvalidAction             = "InvalidAction"
	CodeMissingAction             = "MissingAction"
	CodeValidationError           = "ValidationError"
	CodeMalformedInput            = "MalformedInput"
	CodeMalformedQueryString      = "MalformedQueryString"
	CodeSerialization             = "SerializationException"
	CodeInvalidParameterException = "InvalidParameterException"
	CodeUnknownOperation          = "UnknownOperationException"
)

// unknownOperation is the error for an operation the service lacks, in the
// service's protocol.
func unknownOperation(svc *Service, name string) *apierr.Error {
	switch svc.Protocol {
	case ProtocolEC2:
		return apierr.Newf(CodeInvalidAction, "The action %s is not valid for this web service.", name)
	case ProtocolQuery:
		return apierr.Newf(CodeInvalidAction, "Could not find operation %s for version %s", name, svc.APIVersion)
	default:
		// AWS JSON services answer {"__type":"UnknownOperationException"}
		// with no message, HTTP 400.
		return &apierr.Error{Code: CodeUnknownOperation}
	}
}

// EC2ErrorBody returns EC2's error document for e.
func EC2ErrorBody(requestID string, e *apierr.Error) []byte {
	var b bytes.Buffer
	b.Grow(256 + len(e.Message))
	b.WriteString(xmlHeader)
	b.WriteString("<Response><Errors><Error>")
	codeAndMessage(&b, e)
	b.WriteString("</Error></Errors><RequestID>")
	escapeXML(&b, requestID)
	b.WriteString("</RequestID></Response>")
	return b.Bytes()
}

// QueryErrorBody returns the AWS Query error document for e, in namespace xmlns.
func QueryErrorBody(xmlns, requestID string, e *apierr.Error) []byte {
	var b bytes.Buffer
	b.Grow(256 + len(e.Message))
	b.WriteString(xmlHeader)
	b.WriteString("<ErrorResponse")
	if xmlns != "" {
		b.WriteString(` xmlns="`)
		escapeXML(&b, xmlns)
		b.WriteByte('"')
	}
	b.WriteString("><Error><Type>")
	if e.Status() >= 500 {
		b.WriteString("Receiver")
	} else {
		b.WriteString("Sender")
	}
	b.WriteString("</Type>")
	codeAndMessage(&b, e)
	b.WriteString("</Error><RequestId>")
	escapeXML(&b, requestID)
	b.WriteString("</RequestId></ErrorResponse>")
	return b.Bytes()
}

// codeAndMessage writes an XML error's <Code> and <Message> elements.
func codeAndMessage(b *bytes.Buffer, e *apierr.Error) {
	b.WriteString("<Code>")
	escapeXML(b, e.Code)
	b.WriteString("</Code><Message>")
	escapeXML(b, e.Message)
	b.WriteString("</Message>")
}

// JSONErrorBody returns the AWS JSON error document for e:
// {"__type":"Code","message":"..."}, without "message" when it is empty.
func JSONErrorBody(e *apierr.Error) []byte {
	return jsonErrorBody(e, "message")
}

// jsonErrorBody is s's JSON error document for e: the message under the
// member name the service's model gives the error's exception shape.
// Secrets Manager, Cloud Map, Application Auto Scaling, EFS and most of SSM
// model it "Message", and AWS answers so; SDKs read either, but botocore
// copies only the modeled member to the response's top level ("Message"
// beside "Error"), as LocalStack's AWS recordings show.
func (s *Service) jsonErrorBody(e *apierr.Error) []byte {
	if !s.foreign {
		if sh := s.Shape(e.Code); sh != nil && sh.Exception && sh.MemberByName("Message") != nil {
			return jsonErrorBody(e, "Message")
		}
	}
	return jsonErrorBody(e, "message")
}

func jsonErrorBody(e *apierr.Error, key string) []byte {
	var b bytes.Buffer
	b.Grow(64 + len(e.Message))
	b.WriteString(`{"__type":`)
	writeJSONString(&b, e.Code)
	if e.Message != "" {
		b.WriteByte(',')
		writeJSONString(&b, key)
		b.WriteByte(':')
		writeJSONString(&b, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteByte(',')
		writeJSONString(&b, k)
		b.WriteByte(':')
		writeJSONString(&b, e.Fields[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// WriteError writes err as the service's protocol reports errors, with the
// status from (*apierr.Error).Status. An error that is not an *apierr.Error
// becomes apierr.Internal(), so no internal detail reaches the client.
// WriteError on a nil *Service (a request whose service could not be
// identified) writes the AWS Query envelope without a namespace.
func (s *Service) WriteError(w http.ResponseWriter, requestID string, err error) {
	e := apierr.As(err)
	h := w.Header()
	h.Set("X-Amzn-Requestid", requestID)
	var body []byte
	switch {
	case s == nil:
		h.Set("Content-Type", "text/xml")
		body = QueryErrorBody("", requestID, e)
	case s.Protocol == ProtocolEC2:
		h.Set("Content-Type", "text/xml;charset=UTF-8")
		body = EC2ErrorBody(requestID, e)
	case s.Protocol == ProtocolQuery:
		h.Set("Content-Type", "text/xml")
		body = QueryErrorBody(s.XMLNamespace, requestID, e)
	case s.Protocol == ProtocolRESTXML:
		h.Set("Content-Type", "application/xml")
		body = restXMLErrorBody(s, requestID, e)
	case s.Protocol == ProtocolRESTJSON:
		h.Set("Content-Type", "application/json")
		h.Set("X-Amzn-Errortype", e.Code)
		body = s.jsonErrorBody(e)
	case s.Protocol == ProtocolRPCv2CBOR:
		s.queryError(h, e)
		h.Set("Content-Type", "application/cbor")
		h.Set("Smithy-Protocol", "rpc-v2-cbor")
		body = cborErrorBody(e)
	default:
		s.queryError(h, e)
		h.Set("Content-Type", "application/x-amz-json-"+s.jsonVersion())
		h.Set("X-Amzn-Errortype", e.Code)
		body = s.jsonErrorBody(e)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.Status())
	_, _ = w.Write(body)
}

// queryError sets x-amzn-query-error on an error of a query-compatible
// service answering JSON or CBOR (CloudWatch): "Code;Sender", from which
// the SDKs take the Query error code (awsQueryCompatible).
//
// An error whose code names an exception shape with a Query code of its
// own (SQS's QueueDoesNotExist: AWS.SimpleQueueService.NonExistentQueue)
// carries that code.
func (s *Service) queryError(h http.Header, e *apierr.Error) {
	if s.variants == nil && !s.QueryCompatible {
		return
	}
	fault := "Sender"
	if e.Status() >= 500 {
		fault = "Receiver"
	}
	h.Set("X-Amzn-Query-Error", cmp.Or(e.QueryCode, s.QueryCode(e.Code))+";"+fault)
}

// QueryCode is the Query protocol's code of the error code: the exception
// shape's error trait (SQS's QueueDoesNotExist is
// AWS.SimpleQueueService.NonExistentQueue), else code itself.
func (s *Service) QueryCode(code string) string {
	if s.foreign {
		return code
	}
	if sh := s.Shape(code); sh != nil && sh.Exception && sh.ErrorCode != "" {
		return sh.ErrorCode
	}
	return code
}

func (s *Service) jsonVersion() string {
	if s.JSONVersion == "" {
		return "1.1"
	}
	return s.JSONVersion
}

// validationErrors joins Coral-style constraint messages:
// "1 validation error detected: ..." / "2 validation errors detected: a; b".
func validationMessage(msgs []string) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(msgs)))
	if len(msgs) == 1 {
		b.WriteString(" validation error detected: ")
	} else {
		b.WriteString(" validation errors detected: ")
	}
	b.WriteString(strings.Join(msgs, "; "))
	return b.String()
}
