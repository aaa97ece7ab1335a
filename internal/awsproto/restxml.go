package awsproto

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// REST-XML (Amazon Route 53): the operation is told by the method and the
// path as for REST-JSON (restjson.go); members bound to the path, the
// query string and headers come from there, the others from the XML body,
// whose root element (<CreateHostedZoneRequest xmlns="...">) holds the
// input shape's members as child elements, a list's elements as children
// of the list's element named by the list member's locationName. A
// successful response is <{Output shape} xmlns="{namespace}"> with the
// output's body members; an error is
// <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>…</Code>
// <Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>
// (Route 53 API Reference, "Errors").

// maxXMLDepth bounds the nesting of a REST-XML request body.
const maxXMLDepth = 32

// restXMLNamespace is a REST-XML service's document namespace, which
// botocore keeps on each operation's input rather than in the metadata:
// https://route53.amazonaws.com/doc/2013-04-01/.
func restXMLNamespace(endpointPrefix, apiVersion string) string {
	return "https://" + endpointPrefix + ".amazonaws.com/doc/" + apiVersion + "/"
}

// DecodeRESTXML decodes a REST-XML request: the XML body's members, then
// the members bound to the path, the query string and headers. A body
// that is not XML, or whose values do not convert to their shapes, is
// InvalidInput, Route 53's code for every malformed request.
func (op *Operation) DecodeRESTXML(body []byte, pathParams map[string]string, query url.Values, header http.Header) (Params, error) {
	out := Params{}
	if op.Input == nil {
		return out, nil
	}
	if len(bytes.TrimSpace(body)) > 0 && op.hasBodyMembers() {
		v, err := decodeXMLDocument(op.Input, body)
		if err != nil {
			return nil, err
		}
		out = v
	}
	if err := bindREST(op, out, pathParams, query, header); err != nil {
		return nil, apierr.New("InvalidInput", apierr.As(err).Message)
	}
	if err := checkRequired(op, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (op *Operation) hasBodyMembers() bool {
	for _, m := range op.Input.Members {
		if m.Location == "" {
			return true
		}
	}
	return false
}

func invalidXML(msg string) error { return apierr.New("InvalidInput", msg) }

// decodeXMLDocument decodes a body whose root element is the input shape.
func decodeXMLDocument(s *Shape, body []byte) (Params, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, invalidXML("Could not parse the request body: it is not an XML document.")
		}
		if se, ok := tok.(xml.StartElement); ok {
			v, err := reqXMLStructure(d, s, se, 1)
			if err != nil {
				return nil, err
			}
			// Nothing but white space, comments and processing
			// instructions may follow the root element.
			for {
				tok, err := d.Token()
				if errors.Is(err, io.EOF) {
					return v, nil
				}
				if err != nil {
					return nil, invalidXML("Could not parse the request body: it is not an XML document.")
				}
				switch t := tok.(type) {
				case xml.CharData:
					if len(bytes.TrimSpace(t)) > 0 {
						return nil, invalidXML("Could not parse the request body: text after the root element.")
					}
				case xml.StartElement:
					return nil, invalidXML("Could not parse the request body: more than one root element.")
				}
			}
		}
	}
}

// xmlStructure decodes the children of start (already read) as the
// members of s. Elements s lacks are skipped, as AWS ignores them.
func reqXMLStructure(d *xml.Decoder, s *Shape, start xml.StartElement, depth int) (map[string]any, error) {
	if depth > maxXMLDepth {
		return nil, invalidXML("Could not parse the request body: it is nested too deeply.")
	}
	out := map[string]any{}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, invalidXML("Could not parse the request body: it is not an XML document.")
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			m := s.xmlMember(t.Name.Local)
			if m == nil {
				if err := d.Skip(); err != nil {
					return nil, invalidXML("Could not parse the request body: it is not an XML document.")
				}
				continue
			}
			if m.Shape.Type == TypeList && m.Flattened {
				v, err := reqXMLValue(d, m.Shape.Member.Shape, m.Shape.Member, t, depth+1)
				if err != nil {
					return nil, err
				}
				l, _ := out[m.Name].([]any)
				out[m.Name] = append(l, v)
				continue
			}
			v, err := reqXMLValue(d, m.Shape, m, t, depth+1)
			if err != nil {
				return nil, err
			}
			out[m.Name] = v
		}
	}
}

// xmlMember finds a structure member by its element name.
func (s *Shape) xmlMember(local string) *Member {
	for _, m := range s.Members {
		if m.Location == "" && cmpOr(m.LocationName, m.Name) == local {
			return m
		}
	}
	return nil
}

// xmlValue decodes the element start (already read) as shape s.
func reqXMLValue(d *xml.Decoder, s *Shape, ref *Member, start xml.StartElement, depth int) (any, error) {
	if depth > maxXMLDepth {
		return nil, invalidXML("Could not parse the request body: it is nested too deeply.")
	}
	switch s.Type {
	case TypeStructure:
		return reqXMLStructure(d, s, start, depth)
	case TypeList:
		out := []any{}
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, invalidXML("Could not parse the request body: it is not an XML document.")
			}
			switch t := tok.(type) {
			case xml.EndElement:
				return out, nil
			case xml.StartElement:
				v, err := reqXMLValue(d, s.Member.Shape, s.Member, t, depth+1)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
		}
	case TypeMap:
		out := map[string]any{}
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, invalidXML("Could not parse the request body: it is not an XML document.")
			}
			switch tok.(type) {
			case xml.EndElement:
				return out, nil
			case xml.StartElement:
				if depth+1 > maxXMLDepth {
					return nil, invalidXML("Could not parse the request body: it is nested too deeply.")
				}
				var key string
				var val any
				keyName, valName := cmpOr(s.Key.LocationName, "key"), cmpOr(s.Value.LocationName, "value")
				for done := false; !done; {
					tok, err := d.Token()
					if err != nil {
						return nil, invalidXML("Could not parse the request body: it is not an XML document.")
					}
					switch e := tok.(type) {
					case xml.EndElement:
						done = true
					case xml.StartElement:
						switch e.Name.Local {
						case keyName:
							k, err := xmlText(d)
							if err != nil {
								return nil, err
							}
							key = k
						case valName:
							if val, err = reqXMLValue(d, s.Value.Shape, s.Value, e, depth+2); err != nil {
								return nil, err
							}
						default:
							if err := d.Skip(); err != nil {
								return nil, invalidXML("Could not parse the request body: it is not an XML document.")
							}
						}
					}
				}
				out[key] = val
			}
		}
	}
	text, err := xmlText(d)
	if err != nil {
		return nil, err
	}
	return xmlScalar(s, cmp.Or(ref.LocationName, ref.Name, s.Name), text)
}

// xmlText reads a simple element's text up to its end element.
func xmlText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", invalidXML("Could not parse the request body: it is not an XML document.")
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			return "", invalidXML("Could not parse the request body: element " + t.Name.Local + " is not expected here.")
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// xmlScalar converts an element's text to shape s's type.
func xmlScalar(s *Shape, name, text string) (any, error) {
	bad := func() error {
		return invalidXML("Value '" + text + "' at '" + name + "' can not be converted to " + typeName(s.Type))
	}
	switch s.Type {
	case TypeString:
		return text, nil
	case TypeInteger, TypeLong:
		n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil || s.Type == TypeInteger && (n > 1<<31-1 || n < -(1<<31)) {
			return nil, bad()
		}
		return n, nil
	case TypeBoolean:
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, bad()
		}
		return b, nil
	case TypeFloat, TypeDouble:
		f, ok := parseFloatValue(strings.TrimSpace(text), 64)
		if !ok {
			return nil, bad()
		}
		return f, nil
	case TypeTimestamp:
		t, ok := parseTimestamp(strings.TrimSpace(text))
		if !ok {
			return nil, bad()
		}
		return t, nil
	case TypeBlob:
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
		if err != nil {
			return nil, bad()
		}
		return b, nil
	}
	return nil, bad()
}

// marshalRESTXML writes a REST-XML response: the output shape's body
// members inside <{Output} xmlns="...">. Members bound to headers or the
// status code are not written (ecsnet sets none of them).
func (op *Operation) marshalRESTXML(e xmlEncoder, out map[string]any) error {
	b := e.b
	b.WriteString(xmlHeader)
	b.WriteByte('<')
	b.WriteString(op.Output.Name)
	b.WriteString(` xmlns="`)
	escapeXML(b, op.Service.XMLNamespace)
	b.WriteString(`">`)
	if err := e.members(op.Output, out); err != nil {
		return err
	}
	b.WriteString("</")
	b.WriteString(op.Output.Name)
	b.WriteByte('>')
	return nil
}

// SplitHeaders takes the output members a REST operation sends as HTTP
// headers (CreateHostedZone's Location) out of out: it returns them by
// header name, and out without them (out itself when there are none).
func (op *Operation) SplitHeaders(out map[string]any) (map[string]string, map[string]any) {
	if op.Output == nil || op.Service.Protocol != ProtocolRESTXML && op.Service.Protocol != ProtocolRESTJSON {
		return nil, out
	}
	var hdrs map[string]string
	var rest map[string]any
	for _, m := range op.Output.Members {
		if m.Location != "header" {
			continue
		}
		v, ok := out[m.Name]
		if !ok {
			continue
		}
		if rest == nil {
			rest = make(map[string]any, len(out))
			for k, x := range out {
				rest[k] = x
			}
			hdrs = map[string]string{}
		}
		delete(rest, m.Name)
		if s, err := scalarText(m.Shape, v); err == nil && s != "" {
			hdrs[cmpOr(m.LocationName, m.Name)] = s
		}
	}
	if rest == nil {
		return nil, out
	}
	return hdrs, rest
}

// SplitStatus takes a REST operation's output member bound to the HTTP
// status (location "statusCode": Lambda's Invoke answers 202 for an
// Event invocation and 204 for a DryRun, DeleteFunction 204) out of out:
// it returns that status (0 when out sets none) and out without it.
func (op *Operation) SplitStatus(out map[string]any) (int, map[string]any) {
	if op.Output == nil || op.Service.Protocol != ProtocolRESTXML && op.Service.Protocol != ProtocolRESTJSON {
		return 0, out
	}
	for _, m := range op.Output.Members {
		if m.Location != "statusCode" {
			continue
		}
		v, ok := out[m.Name]
		if !ok {
			return 0, out
		}
		rest := maps.Clone(out)
		delete(rest, m.Name)
		switch n := v.(type) {
		case int:
			return n, rest
		case int64:
			return int(n), rest
		}
		return 0, rest
	}
	return 0, out
}
