package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"

	"github.com/ecsnet/ecsnet/internal/model"
)

// TestContainerPortRange drives containerPortRange (PortMapping, 2023)
// through the Go SDK: RegisterTaskDefinition keeps the range and applies
// its rules; a bridge task takes a contiguous block of dynamic host ports
// per range, reported as one network binding with containerPortRange and
// hostPortRange (RunTask and DescribeTasks); a second task gets another
// block; a range no contiguous block of free host ports can hold fails with
// RESOURCE:PORTS.
func TestContainerPortRange(t *testing.T) {
	em := newEmulator(t, nil)
	es := newEstateOn(t, em, types.InstanceTypeM5Large, 1)
	register := func(family string, mode ecstypes.NetworkMode, pms ...ecstypes.PortMapping) error {
		_, err := es.c.ecs.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: &family, NetworkMode: mode,
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("media"), Image: aws.String("nginx"), Memory: aws.Int32(128),
				PortMappings: pms}}})
		return err
	}
	rng := func(s string) ecstypes.PortMapping { return ecstypes.PortMapping{ContainerPortRange: aws.String(s)} }

	t.Run("rules", func(t *testing.T) {
		for _, c := range []struct {
			name string
			mode ecstypes.NetworkMode
			pms  []ecstypes.PortMapping
			want string
		}{
			{"first above last", ecstypes.NetworkModeBridge, []ecstypes.PortMapping{rng("8081-8080")}, "Invalid 'containerPortRange' setting for container 'media'."},
			{"one port", ecstypes.NetworkModeBridge, []ecstypes.PortMapping{rng("8080")}, "Invalid 'containerPortRange' setting for container 'media'."},
			{"port 0", ecstypes.NetworkModeAwsvpc, []ecstypes.PortMapping{rng("0-10")}, "Invalid 'containerPortRange' setting for container 'media'."},
			{"host mode", ecstypes.NetworkModeHost, []ecstypes.PortMapping{rng("8080-8081")}, "Invalid 'containerPortRange' setting for container 'media'."},
			{"with containerPort", ecstypes.NetworkModeBridge,
				[]ecstypes.PortMapping{{ContainerPort: aws.Int32(80), ContainerPortRange: aws.String("8080-8081")}}, "Invalid port mapping for container 'media'."},
			{"with hostPort", ecstypes.NetworkModeBridge,
				[]ecstypes.PortMapping{{HostPort: aws.Int32(8080), ContainerPortRange: aws.String("8080-8081")}}, "Invalid port mapping for container 'media'."},
			{"overlapping ranges", ecstypes.NetworkModeAwsvpc, []ecstypes.PortMapping{rng("8080-8090"), rng("8090-8100")}, "Invalid port mappings for container 'media'."},
			{"a port inside a range", ecstypes.NetworkModeAwsvpc,
				[]ecstypes.PortMapping{{ContainerPort: aws.Int32(8085)}, rng("8080-8090")}, "Invalid port mappings for container 'media'."},
		} {
			err := register("bad", c.mode, c.pms...)
			wantCode(t, err, "ClientException")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want %q", c.name, err, c.want)
			}
		}
		var many []ecstypes.PortMapping
		for i := range 101 {
			many = append(many, rng(model.PortRange{First: uint16(10000 + 2*i), Last: uint16(10001 + 2*i)}.String()))
		}
		if err := register("many", ecstypes.NetworkModeAwsvpc, many...); err == nil || !strings.Contains(err.Error(), "at most 100 port ranges") {
			t.Errorf("101 ranges: %v, want the limit of 100", err)
		}
		must(t, register("hundred", ecstypes.NetworkModeAwsvpc, many[:100]...))
	})

	t.Run("bridge", func(t *testing.T) {
		must(t, register("media", ecstypes.NetworkModeBridge, rng("8000-8009"), ecstypes.PortMapping{ContainerPort: aws.Int32(9000)},
			ecstypes.PortMapping{ContainerPortRange: aws.String("5000-5001"), Protocol: ecstypes.TransportProtocolUdp}))
		d, err := es.c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("media")})
		must(t, err)
		pms := d.TaskDefinition.ContainerDefinitions[0].PortMappings
		if len(pms) != 3 || aws.ToString(pms[0].ContainerPortRange) != "8000-8009" || pms[0].ContainerPort != nil || pms[0].HostPort != nil ||
			aws.ToString(pms[2].ContainerPortRange) != "5000-5001" || pms[2].Protocol != ecstypes.TransportProtocolUdp {
			t.Fatalf("DescribeTaskDefinition port mappings %s", fmt.Sprintf("%+v", pms))
		}
		taken := map[model.Protocol]map[uint16]bool{model.TCP: {}, model.UDP: {}}
		for range 2 {
			out := es.run(t, "media", 1, nil, "")
			if len(out.Tasks) != 1 {
				t.Fatalf("failures %+v", out.Failures)
			}
			tk := describeTask(t, es.c, aws.ToString(out.Tasks[0].TaskArn))
			bs := tk.Containers[0].NetworkBindings
			if len(bs) != 3 {
				t.Fatalf("DescribeTasks networkBindings %s, want 3", fmt.Sprintf("%+v", bs))
			}
			for _, b := range bs {
				proto := model.TCP
				if b.Protocol == ecstypes.TransportProtocolUdp {
					proto = model.UDP
				}
				if b.ContainerPortRange == nil {
					if aws.ToInt32(b.ContainerPort) != 9000 || aws.ToInt32(b.HostPort) < 32768 {
						t.Errorf("single binding %s", fmt.Sprintf("%+v", b))
					}
					taken[proto][uint16(aws.ToInt32(b.HostPort))] = true
					continue
				}
				cr, err1 := model.ParsePortRange(aws.ToString(b.ContainerPortRange))
				hr, err2 := model.ParsePortRange(aws.ToString(b.HostPortRange))
				if err1 != nil || err2 != nil || b.ContainerPort != nil || b.HostPort != nil || aws.ToString(b.BindIP) != "0.0.0.0" {
					t.Errorf("range binding %s", fmt.Sprintf("%+v", b))
					continue
				}
				if cr.Len() != hr.Len() || hr.First < 32768 || hr.Last > 60999 {
					t.Errorf("range binding %s: host ports %s for container ports %s, want as many in 32768-60999", fmt.Sprintf("%+v", b), hr, cr)
				}
				for p := int(hr.First); p <= int(hr.Last); p++ {
					if taken[proto][uint16(p)] {
						t.Errorf("host port %s/%d bound twice", proto, p)
					}
					taken[proto][uint16(p)] = true
				}
			}
		}
		if n := len(taken[model.TCP]); n != 22 {
			t.Errorf("%d TCP host ports bound, want 2×(10+1)", n)
		}
	})

	t.Run("a range the free host ports cannot hold", func(t *testing.T) {
		// 32768-60999 holds the agent's reserved 51678-51680: the longest
		// free blocks are 32768-51677 (18910 ports) and 51681-60999.
		must(t, register("wide", ecstypes.NetworkModeBridge, rng("10000-24999")))
		if out := es.run(t, "wide", 1, nil, ""); len(out.Tasks) != 1 {
			t.Fatalf("the first 15000-port range: failures %s", aws.ToString(out.Failures[0].Reason))
		}
		out := es.run(t, "wide", 1, nil, "")
		if len(out.Tasks) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "RESOURCE:PORTS" {
			t.Errorf("a second 15000-port range: tasks %d, failures %+v, want RESOURCE:PORTS", len(out.Tasks), out.Failures)
		}
	})

	t.Run("awsvpc", func(t *testing.T) {
		must(t, register("vpcmedia", ecstypes.NetworkModeAwsvpc, rng("8000-8009")))
		out := es.run(t, "vpcmedia", 1, es.awsvpc(es.open), "")
		if len(out.Tasks) != 1 {
			t.Fatalf("failures %+v", out.Failures)
		}
		d, err := es.c.ecs.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("vpcmedia")})
		must(t, err)
		if pm := d.TaskDefinition.ContainerDefinitions[0].PortMappings[0]; aws.ToString(pm.ContainerPortRange) != "8000-8009" || pm.HostPort != nil {
			t.Errorf("awsvpc port mapping %s", fmt.Sprintf("%+v", pm))
		}
	})

	t.Run("services cannot name a range", func(t *testing.T) {
		must(t, register("named", ecstypes.NetworkModeAwsvpc, ecstypes.PortMapping{ContainerPortRange: aws.String("8000-8009"), Name: aws.String("rtp")}))
		sdc := sdClient(em.URL)
		ns, err := sdc.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("media")})
		must(t, err)
		waitOperation(t, sdc, ns.OperationId)
		_, err = es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("sc"), TaskDefinition: aws.String("named"),
			DesiredCount: aws.Int32(0), NetworkConfiguration: es.awsvpc(es.open), ServiceConnectConfiguration: &ecstypes.ServiceConnectConfiguration{
				Enabled: true, Namespace: aws.String("media"), Services: []ecstypes.ServiceConnectService{{PortName: aws.String("rtp")}}}})
		wantCode(t, err, "InvalidParameterException")
		if err == nil || !strings.Contains(err.Error(), "containerPortRange") {
			t.Errorf("Service Connect on a range: %v", err)
		}
		tg, err := es.c.elb.CreateTargetGroup(ctx, &elasticloadbalancingv2.CreateTargetGroupInput{Name: aws.String("media"), Port: aws.Int32(8000),
			Protocol: elbtypes.ProtocolEnumTcp, VpcId: &es.vpc, TargetType: elbtypes.TargetTypeEnumIp})
		must(t, err)
		lb, err := es.c.elb.CreateLoadBalancer(ctx, &elasticloadbalancingv2.CreateLoadBalancerInput{Name: aws.String("media"), Subnets: es.subnets,
			Type: elbtypes.LoadBalancerTypeEnumNetwork})
		must(t, err)
		_, err = es.c.elb.CreateListener(ctx, &elasticloadbalancingv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn,
			Port: aws.Int32(8000), Protocol: elbtypes.ProtocolEnumTcp, DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward,
				TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}}})
		must(t, err)
		_, err = es.c.ecs.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("c"), ServiceName: aws.String("lb"), TaskDefinition: aws.String("named"),
			DesiredCount: aws.Int32(0), NetworkConfiguration: es.awsvpc(es.open), LoadBalancers: []ecstypes.LoadBalancer{{
				TargetGroupArn: tg.TargetGroups[0].TargetGroupArn, ContainerName: aws.String("media"), ContainerPort: aws.Int32(8005)}}})
		wantCode(t, err, "InvalidParameterException")
		if err == nil || !strings.Contains(err.Error(), "did not have a container port 8005 defined") {
			t.Errorf("a load balancer on a port inside a range: %v", err)
		}
	})
}
