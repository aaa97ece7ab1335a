package cfn_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsnet/ecsnet/internal/cfn"
)

// TestServiceConnectConfiguration: AWS::ECS::Service's
// ServiceConnectConfiguration reaches the service (namespace from an
// HttpNamespace's Arn; the cluster's ServiceConnectDefaults for the
// client), with a Cloud Map service for the server's endpoint; one whose
// namespace the template does not make is warned about and kept as
// recognised only.
func TestServiceConnectConfiguration(t *testing.T) {
	res := loadText(t, "sc.yaml", `
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  NS:
    Type: AWS::ServiceDiscovery::HttpNamespace
    Properties: {Name: shop}
  Cluster:
    Type: AWS::ECS::Cluster
    Properties:
      ServiceConnectDefaults: {Namespace: !GetAtt NS.Arn}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: t
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: web, Image: nginx, PortMappings: [{Name: http, ContainerPort: 8080}]}]
  Ledger:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: ledger
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      LaunchType: FARGATE
      DesiredCount: 1
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Subnet]}}
      ServiceConnectConfiguration:
        Enabled: true
        Namespace: !GetAtt NS.Arn
        Services:
          - PortName: http
            DiscoveryName: ledger
            IngressPortOverride: 15000
            ClientAliases: [{Port: 80, DnsName: ledger.shop}]
  Client:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: client
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      LaunchType: FARGATE
      DesiredCount: 1
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Subnet]}}
      ServiceConnectConfiguration: {Enabled: true}
  Elsewhere:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: elsewhere
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      LaunchType: FARGATE
      DesiredCount: 1
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Subnet]}}
      ServiceConnectConfiguration: {Enabled: true, Namespace: other-ns}
`, nil)
	st, _ := res.Engine.Snapshot()
	got := map[string]string{}
	for _, s := range st.Services {
		switch cfg := s.ServiceConnectConfig; {
		case cfg == nil:
			got[s.Name] = "recognised"
		case len(cfg.Services) == 1 && cfg.Services[0].DiscoveryARN != "" && cfg.Services[0].IngressPortOverride == 15000:
			got[s.Name] = "server"
		case len(cfg.Services) == 0 && cfg.NamespaceID != "":
			got[s.Name] = "client"
		}
		if !s.ServiceConnect {
			t.Errorf("%s: ServiceConnect not set", s.Name)
		}
	}
	if got["ledger"] != "server" || got["client"] != "client" || got["elsewhere"] != "recognised" {
		t.Fatalf("services: %v", got)
	}
	warned := false
	for _, w := range res.Warnings {
		warned = warned || strings.Contains(w.String(), `Service Connect namespace "other-ns"`)
	}
	if !warned {
		t.Errorf("no warning for the unknown namespace: %v", res.Warnings)
	}
}

// TestServiceConnectPerRequestTimeoutTCP: a Services entry's
// Timeout.PerRequestTimeoutSeconds reaches CreateService, which refuses it
// on a port without an appProtocol (TCP) in ECS's words, as it does for
// Terraform's timeout block; on an http port it is taken.
func TestServiceConnectPerRequestTimeoutTCP(t *testing.T) {
	tmpl := func(appProtocol string) string {
		return `
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VPC, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  NS:
    Type: AWS::ServiceDiscovery::HttpNamespace
    Properties: {Name: shop}
  Cluster:
    Type: AWS::ECS::Cluster
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: t
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      Cpu: "256"
      Memory: "512"
      ContainerDefinitions: [{Name: web, Image: nginx, PortMappings: [{Name: api, ContainerPort: 8080` + appProtocol + `}]}]
  Ledger:
    Type: AWS::ECS::Service
    Properties:
      Cluster: !Ref Cluster
      TaskDefinition: !Ref Task
      LaunchType: FARGATE
      DesiredCount: 1
      NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Subnet]}}
      ServiceConnectConfiguration:
        Enabled: true
        Namespace: !GetAtt NS.Arn
        Services:
          - PortName: api
            Timeout: {IdleTimeoutSeconds: 60, PerRequestTimeoutSeconds: 0}
`
	}
	path := filepath.Join(t.TempDir(), "tcp.yaml")
	if err := os.WriteFile(path, []byte(tmpl("")), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := cfn.Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), "Per request timeout 0 can't be set for tcp application.") {
		t.Fatalf("a TCP port with a per-request timeout: err = %v, want ECS's refusal", err)
	}
	res := loadText(t, "http.yaml", tmpl(", AppProtocol: http"), nil)
	st, _ := res.Engine.Snapshot()
	for _, s := range st.Services {
		sc := s.ServiceConnectConfig
		if sc == nil || len(sc.Services) != 1 || sc.Services[0].PerRequestTimeoutSeconds == nil || *sc.Services[0].PerRequestTimeoutSeconds != 0 {
			t.Fatalf("the http port's timeout did not reach the service: %+v", sc)
		}
	}
}
