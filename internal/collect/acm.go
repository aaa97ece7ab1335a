package collect

import (
	"context"
	"errors"
	"fmt"

	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// collectACM lists every ACM certificate (of every key type: without
// Includes.keyTypes ListCertificates answers RSA_1024 and RSA_2048 ones
// only) and describes each one, a file per certificate
// (snapshot.ACMCertificateFileName): listeners name them.
func (r *regionRun) collectACM(ctx context.Context) {
	var arns []string
	ok := r.all(ctx, callOf("acm", "list-certificates"), map[string]any{"Includes": map[string]any{"keyTypes": snapshot.ACMKeyTypes()}}, "CertificateArn", &arns)
	dc := callOf("acm", "describe-certificate")
	r.run(ctx, dc, func(ctx context.Context, c *counter) (files, error) {
		if !ok {
			return nil, errors.New("skipped: list-certificates failed")
		}
		out := files{}
		for _, arn := range arns {
			o, err := r.client.call(ctx, r.region, "acm", "DescribeCertificate", map[string]any{"CertificateArn": arn})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arn, err)
			}
			c.page(1)
			out[snapshot.ACMCertificateFileName(arn)] = map[string]any{"Certificate": o["Certificate"]}
		}
		return out, nil
	})
	r.collectTags(ctx, acmTags, ok, arns)
}
