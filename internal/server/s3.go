package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/api/s3"
	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
)

// isS3 reports whether a request is for Amazon S3: signed for the s3
// service (header or presigned query), or addressed virtual-hosted style
// (bucket.localhost).
func isS3(r *http.Request) bool {
	if svc, _ := awsproto.CredentialScope(r); svc == "s3" {
		return true
	}
	return !strings.HasPrefix(r.URL.Path, "/_ecsnet/") && hostIsVirtual(r)
}

func hostIsVirtual(r *http.Request) bool {
	return s3.VirtualBucket(r.Host) != ""
}

// chunkOverhead is what aws-chunked framing may add to a body of the
// server's limit (chunk headers with signatures and trailers).
const chunkOverhead = 1 << 20

// serveS3 serves an S3 request (internal/api/s3): the buckets live in
// the partition's global region, and a write is durable before the
// answer, as for the other services.
func (s *Server) serveS3(w http.ResponseWriter, r *http.Request, reqID string, refusal error) string {
	fail := func(op string, err error) string { s3.WriteError(w, r, reqID, err); return op }
	if refusal != nil {
		return fail("", &apierr.Error{Code: "AccessDenied", Message: refusal.Error(), HTTPStatus: 403})
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !signedV4(r) {
		return fail("", &apierr.Error{Code: "AccessDenied", HTTPStatus: 403,
			Message: "ecsnet serves S3's writes only when the request is signed with AWS Signature Version 4 (docs/security.md)"})
	}
	buf := s.getBuf()
	defer s.putBuf(buf)
	limit := s.opts.MaxBodyBytes + chunkOverhead
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return fail("", apierr.New("IncompleteBody", "The request body terminated unexpectedly"))
	}
	if n > limit {
		return fail("", &apierr.Error{Code: "EntityTooLarge", Message: "Your proposed upload exceeds the maximum allowed size", HTTPStatus: 400})
	}
	_, region := awsproto.CredentialScope(r)
	if region == "" {
		region = s.opts.Region
	}
	if _, err := s.region(region); err != nil {
		return fail("", &apierr.Error{Code: "AuthorizationHeaderMalformed", HTTPStatus: 400,
			Message: "The authorization header is malformed; the region '" + region + "' is wrong."})
	}
	global, err := s.region(iamRegion(region))
	if err != nil {
		return fail("", &apierr.Error{Code: "ServiceUnavailable", Message: "The region's state could not be loaded.", HTTPStatus: 503})
	}
	var ticket engine.Ticket
	q := &s3.Request{R: r, Body: bytes.Clone(buf.Bytes()), Engine: global.engine.WithTicket(&ticket), Region: region,
		Account: s.opts.Account, RequestID: reqID, MaxObject: s.opts.MaxBodyBytes, MaxStored: s.opts.MaxS3Bytes,
		KnownRegion: func(name string) bool {
			return name == s.opts.Region || slices.Contains(model.Regions(model.Partition(s.opts.Region)), name)
		}}
	resp, err := s3.Serve(q)
	if err != nil {
		// A redirect's region, a delete marker's headers.
		for _, k := range []string{"X-Amz-Bucket-Region", "X-Amz-Delete-Marker", "X-Amz-Version-Id", "Allow"} {
			if v := resp.Header.Get(k); v != "" {
				w.Header().Set(k, v)
			}
		}
		return fail(resp.Op, err)
	}
	if s.commit != nil && ticket.Seq() != 0 {
		err := s.commit.syncSeq(ticket.Seq())
		if err == nil && ticket.Reverted() {
			err = errors.New("persist: the write was undone after a failed flush")
		}
		if err != nil {
			s.log.Error("a write could not be made durable", "op", resp.Op, "err", err)
			return fail(resp.Op, &apierr.Error{Code: "ServiceUnavailable", Message: "The state could not be saved.", HTTPStatus: 503})
		}
	}
	if err := resp.Write(w, r, reqID); err != nil {
		s.log.Debug("client went away during the response", "op", resp.Op, "request_id", reqID, "err", err)
	}
	return resp.Op
}
