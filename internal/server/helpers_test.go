package server_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/ecsnet/ecsnet/internal/api/services"
	"github.com/ecsnet/ecsnet/internal/awsproto"
	"github.com/ecsnet/ecsnet/internal/engine"
	"github.com/ecsnet/ecsnet/internal/model"
	"github.com/ecsnet/ecsnet/internal/sdkhttp"
	"github.com/ecsnet/ecsnet/internal/server"
	"github.com/ecsnet/ecsnet/internal/store"
)

// testModels are the service models, loaded once for the package's tests
// (they are immutable).
var testModels = func() *awsproto.Models {
	m, err := awsproto.LoadModels()
	if err != nil {
		panic(err)
	}
	return m
}()

type emulator struct {
	srv *server.Server
	URL string
}

// newEmulator starts ecsnet's server in-process on an httptest listener,
// stepping every 10 ms, over st (nil: memory only), its engines built with
// opts besides the services' own.
func newEmulator(tb testing.TB, st store.Store, opts ...engine.Option) *emulator {
	tb.Helper()
	return newEmulatorWith(tb, server.Options{Store: st}, opts...)
}

// newEmulatorWith is newEmulator with options of its own (the registry,
// analyzer, step interval and models are the tests'; opts are added to the
// services' engine options).
func newEmulatorWith(tb testing.TB, o server.Options, opts ...engine.Option) *emulator {
	tb.Helper()
	o.Registry, o.Analyzer, o.EngineOptions = services.Registry(), services.Analyzer(), append(append(services.EngineOptions(), seededIDs(tb)), opts...)
	o.StepInterval, o.Models = 10*time.Millisecond, testModels
	srv, err := server.New(o)
	if err != nil {
		tb.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	go srv.StepLoop()
	tb.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return &emulator{srv: srv, URL: hs.URL}
}

// idsSeed seeds the ids of the tests' emulators (and the addresses and
// blocks they draw from the same source): ECSNET_TEST_SEED when set,
// else random for each run of the tests. Each emulator of a failed test
// logs it, and ECSNET_TEST_SEED=N go test -run NAME replays the ids the
// test's requests drew (those drawn by the step loop, between requests,
// may fall otherwise).
var idsSeed = func() uint64 {
	if s := os.Getenv("ECSNET_TEST_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			panic("ECSNET_TEST_SEED: " + err.Error())
		}
		return n
	}
	return rand.Uint64()
}()

// emulatorsOfTest counts the emulators each test has started (by test
// name): a test that restarts an emulator over its store gets other ids
// the second time.
var emulatorsOfTest sync.Map // string -> *atomic.Uint64

// seededIDs is the engine option that gives each region's engine of an
// emulator of tb its own source of ids, from idsSeed, the test's name,
// the emulator's number in the test and the region; it logs idsSeed if
// tb fails.
func seededIDs(tb testing.TB) engine.Option {
	n, _ := emulatorsOfTest.LoadOrStore(tb.Name(), new(atomic.Uint64))
	ordinal := n.(*atomic.Uint64).Add(1)
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("the emulator's ids: ECSNET_TEST_SEED=%d replays them", idsSeed)
		}
	})
	return func(e *engine.Engine) {
		h := fnv.New64a()
		fmt.Fprintf(h, "%s\x00%d\x00%s", tb.Name(), ordinal, e.Config().Region)
		engine.WithIDs(engine.SeededIDs(idsSeed ^ h.Sum64()))(e)
	}
}

func sdkConfig() aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
		// A transport of its own (httptest.Server.Close closes the idle
		// connections of the shared default transport, under the feet of
		// parallel tests), wrapped against smithy-go's closed-body race
		// (internal/sdkhttp).
		HTTPClient: sdkhttp.Wrap(nil),
	}
}

type clients struct {
	ec2 *ec2.Client
	ecs *ecs.Client
	elb *elbv2.Client
	asg *autoscaling.Client
}

func sdkClients(url string) clients {
	cfg := sdkConfig()
	return clients{
		ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(url) }),
		ecs: ecs.NewFromConfig(cfg, func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) }),
		elb: elbv2.NewFromConfig(cfg, func(o *elbv2.Options) { o.BaseEndpoint = aws.String(url) }),
		asg: autoscaling.NewFromConfig(cfg, func(o *autoscaling.Options) { o.BaseEndpoint = aws.String(url) }),
	}
}

// patience bounds a test's wait for the emulator to reach a state:
// generous, for the CI runs the package beside the kernel tests on a
// loaded machine, where steps come late (a wait returns as soon as its
// condition holds, so the bound costs nothing when all is well).
const patience = 2 * time.Minute

// eventually polls cond until it holds (at most patience).
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: timed out", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var ctx = context.Background()

// buildDir holds binaries built for the tests; TestMain removes it.
var buildDir string

func tempDirForBuild() (string, error) {
	if buildDir != "" {
		return buildDir, nil
	}
	d, err := os.MkdirTemp("", "ecsnet-server-test-")
	if err != nil {
		return "", err
	}
	buildDir = d
	return d, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// ecsInstanceProfile makes, once per emulator, the instance profile an ECS
// container instance needs to register, as the ECS console makes it: the
// role ecsInstanceRole, trusted by EC2, with the AWS managed policy
// AmazonEC2ContainerServiceforEC2Role, in the profile ecsInstanceRole. It
// returns the profile for RunInstances or a launch template.
func ecsInstanceProfile(tb testing.TB, url string) *ec2types.IamInstanceProfileSpecification {
	tb.Helper()
	c := iamClient(url)
	spec := &ec2types.IamInstanceProfileSpecification{Name: aws.String("ecsInstanceRole")}
	if _, err := c.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: spec.Name}); err == nil {
		return spec
	}
	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ecsInstanceRole"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	if err == nil {
		_, err = c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("ecsInstanceRole"),
			PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")})
	}
	if err == nil {
		_, err = c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: spec.Name})
	}
	if err == nil {
		_, err = c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: spec.Name, RoleName: aws.String("ecsInstanceRole")})
	}
	if err != nil {
		tb.Fatalf("ecsInstanceRole: %v", err)
	}
	return spec
}

// ecsTemplateProfile is ecsInstanceProfile for a launch template.
func ecsTemplateProfile(tb testing.TB, url string) *ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest {
	tb.Helper()
	return &ec2types.LaunchTemplateIamInstanceProfileSpecificationRequest{Name: ecsInstanceProfile(tb, url).Name}
}

// testAMI is an image every account of ecsnet serve can launch in
// us-east-1 (the ECS-optimized Amazon Linux 2 x86_64 AMI that
// /aws/service/ecs/optimized-ami/amazon-linux-2/recommended names): EC2
// refuses an id that names no image (InvalidAMIID.NotFound), so tests
// launch a real one. testAMIIn gives it in another Region.
var testAMI = testAMIIn("us-east-1")

func testAMIIn(region string) string { return testAMIOf(region, "x86_64") }

// testAMIOf is the ECS-optimized Amazon Linux 2 AMI of the architecture
// (x86_64 or arm64) in the Region: EC2 refuses to launch an image on an
// instance type of the other architecture.
func testAMIOf(region, arch string) string {
	for _, im := range engine.PublicImages(region) {
		if strings.HasPrefix(im.Name, "amzn2-ami-ecs-hvm-") && im.Architecture == arch {
			return im.ID
		}
	}
	panic("no ECS-optimized Amazon Linux 2 " + arch + " image in " + region)
}

// testAMIFor is testAMIOf for the architecture of an instance type.
func testAMIFor(region, instanceType string) string {
	return testAMIOf(region, model.InstanceArchitecture(instanceType))
}
