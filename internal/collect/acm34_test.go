package collect_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ecsnet/ecsnet/internal/cli"
	"github.com/ecsnet/ecsnet/internal/collect"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/snapshot"
)

// httpsListener adds an internal ALB with an HTTPS listener on a
// certificate of the base to the base's VPC.
const httpsListener = `Parameters:
  VpcId: {Type: AWS::EC2::VPC::Id}
  Subnets: {Type: "List<AWS::EC2::Subnet::Id>"}
  Cert: {Type: String}
Resources:
  Lb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Subnets: !Ref Subnets}
  Tg:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties: {VpcId: !Ref VpcId, Port: 80, Protocol: HTTP, TargetType: ip}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Lb
      Port: 443
      Protocol: HTTPS
      Certificates: [{CertificateArn: !Ref Cert}]
      DefaultActions: [{Type: forward, TargetGroupArn: !Ref Tg}]
`

// ecCertificate is a self-signed P-256 certificate for name, and its key.
func ecCertificate(t *testing.T, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

// ACM certificates are collected by both collectors (list-certificates of
// every key type, describe-certificate of each) and read back: an
// imported EC_prime256v1 certificate (which ListCertificates without
// Includes.keyTypes does not list) and a requested one still pending
// validation. So `ecsnet check TEMPLATE --base SNAPSHOT` knows an HTTPS
// listener's certificate of the account (no warning that the account may
// lack it). Before round thirty-four snapshots held no certificate and
// check warned of both as unknown.
func TestCollectACMFromServe(t *testing.T) {
	srv, url := serveScenario(t, "../../examples/seed/alb.yaml")
	ctx := context.Background()
	e, err := srv.Engine("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	// The AWS SDK for Go's ACM client is not among the module's
	// dependencies: the certificates are made through the engine, the
	// collectors read them through ecsnet serve's ACM API.
	certPEM, keyPEM := ecCertificate(t, "app.example.com")
	imp, err := e.ImportCertificate(engine.ImportCertificateInput{Certificate: string(certPEM), PrivateKey: string(keyPEM), Tags: model.Tags{"team": "web", "env": "prod"}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := e.RequestCertificate(engine.RequestCertificateInput{DomainName: "pending.example.com", ValidationMethod: "DNS"})
	if err != nil {
		t.Fatal(err)
	}
	issued, pending := imp.ARN, req.ARN
	var vpc string
	var subnets []string
	e.Read(func(st *model.State) {
		for id := range st.VPCs {
			vpc = string(id)
		}
		for id := range st.Subnets {
			subnets = append(subnets, string(id))
		}
	})
	tmpl := filepath.Join(t.TempDir(), "https.yaml")
	if err := os.WriteFile(tmpl, []byte(httpsListener), 0o644); err != nil {
		t.Fatal(err)
	}
	certsOnly := cmp.Options{cmpopts.EquateEmpty(), cmpopts.IgnoreFields(model.Certificate{}, "IdempotencyToken", "ValidationTokens", "Body", "Chain"),
		cmp.Comparer(func(a, b time.Time) bool { d := a.Sub(b); return d < time.Second && d > -time.Second })}
	check := func(t *testing.T, live *model.State, dir string) {
		t.Helper()
		res, err := snapshot.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Warnings {
			t.Errorf("warning: %s", w)
		}
		snap, _ := res.Engine.Snapshot()
		if len(live.Certificates) != 2 {
			t.Fatalf("live: %d certificates", len(live.Certificates))
		}
		if diff := cmp.Diff(live.Certificates, snap.Certificates, certsOnly); diff != "" {
			t.Errorf("certificates (-live +snapshot):\n%s", diff)
		}
		for _, x := range []struct {
			cert, want, not string
		}{
			{issued, "", "is not one the template creates"},
			{pending, "", "is not one the template creates"},
		} {
			var stdout, stderr bytes.Buffer
			code := cli.Run(cli.IO{Out: &stdout, Err: &stderr}, []string{"check", "--base", dir, "--param", "VpcId=" + vpc,
				"--param", "Subnets=" + strings.Join(subnets, ","), "--param", "Cert=" + x.cert, tmpl})
			out := stdout.String() + stderr.String()
			if (x.want != "" && !strings.Contains(out, x.want)) || strings.Contains(out, x.not) || (x.want == "") != (code == 0) {
				t.Errorf("check --base with %s: exit %d\n%s", x.cert, code, out)
			}
		}
	}
	out := t.TempDir()
	if _, err := collect.Run(ctx, collect.Options{Regions: []string{"us-east-1"}, EndpointURL: url, Out: out}); err != nil {
		t.Fatal(err)
	}
	live, _ := e.Snapshot()
	check(t, live, out)
	t.Run("Write", func(t *testing.T) {
		dir := t.TempDir()
		if err := snapshot.Write(dir, live); err != nil {
			t.Fatal(err)
		}
		check(t, live, dir)
	})
	t.Run("scripts/collect.sh", func(t *testing.T) {
		dir, b, err := runCollectScript(t, url)
		if err != nil {
			t.Fatalf("collect.sh: %v\n%s", err, b)
		}
		check(t, live, dir)
	})
}
