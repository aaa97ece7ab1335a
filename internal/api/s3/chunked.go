package s3

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
)

// The SDKs' streaming uploads (aws-chunked, "Signature Calculations for
// the Authorization Header: Transferring Payload in Multiple Chunks",
// Amazon S3 API Reference): the body is a series of chunks,
//
//	hex-size[;chunk-signature=sig]\r\n data \r\n
//
// ending with a chunk of size 0, then, for STREAMING-UNSIGNED-PAYLOAD-TRAILER
// and the signed trailer variants, trailing headers (x-amz-checksum-crc32:…)
// each ending in \r\n, and a last \r\n. x-amz-decoded-content-length is
// the length of the data.

// maxChunks bounds the chunks of one body (a 10 MiB body of 64 KiB
// chunks has 160).
const maxChunks = 1 << 16

// decodeChunked returns the data of an aws-chunked body and its trailing
// headers (lower-case names). decoded is x-amz-decoded-content-length, or
// -1 when the request has none.
func decodeChunked(body []byte, decoded int64) ([]byte, map[string]string, error) {
	bad := func() error {
		return apierr.New("IncompleteBody", "The request body terminated unexpectedly")
	}
	var out []byte
	if decoded >= 0 && decoded <= int64(len(body)) {
		out = make([]byte, 0, decoded)
	}
	rest := body
	for n := 0; ; n++ {
		if n > maxChunks {
			return nil, nil, bad()
		}
		i := bytes.Index(rest, []byte("\r\n"))
		if i < 0 {
			return nil, nil, bad()
		}
		head := string(rest[:i])
		rest = rest[i+2:]
		sizeText, _, _ := strings.Cut(head, ";")
		size, err := strconv.ParseUint(strings.TrimSpace(sizeText), 16, 63)
		if err != nil || size > uint64(len(rest)) {
			return nil, nil, bad()
		}
		if size == 0 {
			break
		}
		out = append(out, rest[:size]...)
		rest = rest[size:]
		if !bytes.HasPrefix(rest, []byte("\r\n")) {
			return nil, nil, bad()
		}
		rest = rest[2:]
	}
	var trailers map[string]string
	for len(rest) > 0 {
		i := bytes.Index(rest, []byte("\r\n"))
		if i < 0 {
			// A last line without its \r\n: some clients end so.
			i = len(rest)
		}
		line := string(rest[:i])
		rest = rest[min(i+2, len(rest)):]
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, nil, bad()
		}
		if trailers == nil {
			trailers = map[string]string{}
		}
		trailers[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	if decoded >= 0 && int64(len(out)) != decoded {
		return nil, nil, bad()
	}
	if out == nil {
		out = []byte{}
	}
	return out, trailers, nil
}
