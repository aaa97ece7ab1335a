package cfn_test

import (
	"strings"
	"testing"
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
