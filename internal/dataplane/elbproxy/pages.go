package elbproxy

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Server is the Server header ELB puts on the responses it makes itself
// (error pages, fixed responses, redirects).
const Server = "awselb/2.0"

// reasons are the reason phrases ELB's own responses carry; they are
// nginx's, not Go's ("503 Service Temporarily Unavailable", "504 Gateway
// Time-out").
var reasons = map[int]string{
	301: "Moved Permanently",
	302: "Found",
	400: "Bad Request",
	408: "Request Time-out",
	413: "Request Entity Too Large",
	414: "Request-URI Too Large",
	500: "Internal Server Error",
	501: "Not Implemented",
	502: "Bad Gateway",
	503: "Service Temporarily Unavailable",
	504: "Gateway Time-out",
	505: "HTTP Version Not Supported",
}

func reason(code int) string {
	if r, ok := reasons[code]; ok {
		return r
	}
	return http.StatusText(code)
}

// ErrorPage returns the HTML body ELB answers with when it makes an error
// response itself: for 502, 122 bytes, CRLF line ends, as ALBs send it.
func ErrorPage(code int) string {
	line := strconv.Itoa(code) + " " + reason(code)
	return "<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n<center><h1>" + line + "</h1></center>\r\n</body>\r\n</html>\r\n"
}

// elbResponse builds a response the load balancer makes itself.
func elbResponse(req *http.Request, code int, contentType, body string, extra http.Header) *http.Response {
	h := http.Header{}
	h.Set("Server", Server)
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	for k, v := range extra {
		h[k] = v
	}
	return &http.Response{
		Status:        strconv.Itoa(code) + " " + reason(code),
		StatusCode:    code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// errorResponse is ELB's own error page for a status.
func errorResponse(req *http.Request, code int) *http.Response {
	return elbResponse(req, code, "text/html", ErrorPage(code), nil)
}
