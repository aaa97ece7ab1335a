package engine

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Network Insights (VPC Reachability Analyzer) paths and analyses. The
// engine keeps them and checks their references; the analysis itself is the
// analyzer's (internal/reach), which the API layer runs in the background
// and records with CompleteNetworkInsightsAnalysis.

func errInsightsPathNotFound(id model.NetworkInsightsPathID) error {
	return apierr.Newf("InvalidNetworkInsightsPathId.NotFound", "The network insights path ID '%s' does not exist", id)
}

func errInsightsAnalysisNotFound(id model.NetworkInsightsAnalysisID) error {
	return apierr.Newf("InvalidNetworkInsightsAnalysisId.NotFound", "The network insights analysis ID '%s' does not exist", id)
}

// CreateNetworkInsightsPathInput is CreateNetworkInsightsPath's input.
type CreateNetworkInsightsPathInput struct {
	Source              string
	Destination         string
	SourceIP            string
	DestinationIP       string
	Protocol            string // "tcp" or "udp"
	DestinationPort     int    // 0: any
	FilterAtSource      *model.PathFilter
	FilterAtDestination *model.PathFilter
	Tags                model.Tags
}

// insightsResourceARN returns the ARN of a path's source or destination,
// checking that it exists. Reachability Analyzer accepts instances,
// internet gateways, network interfaces and VPC endpoints (and transit or
// virtual private gateways and peering connections, which ecsnet does not
// model).
func (t *txn) insightsResourceARN(ref string) (string, error) {
	id := ref
	if strings.HasPrefix(ref, "arn:") {
		if i := strings.LastIndexByte(ref, '/'); i >= 0 {
			id = ref[i+1:]
		}
	}
	prefix, _, _ := strings.Cut(id, "-")
	arn := func(kind string) string {
		return model.EC2ARN(t.e.cfg.Region, t.e.cfg.Account, kind+"/"+id)
	}
	switch prefix {
	case "i":
		if t.st.Instances[model.InstanceID(id)] == nil {
			return "", errInstanceNotFound(model.InstanceID(id))
		}
		return arn("instance"), nil
	case "igw":
		if t.st.InternetGateways[model.InternetGatewayID(id)] == nil {
			return "", errIGWNotFound(model.InternetGatewayID(id))
		}
		return arn("internet-gateway"), nil
	case "eni":
		if t.st.NetworkInterfaces[model.NetworkInterfaceID(id)] == nil {
			return "", errENINotFound(model.NetworkInterfaceID(id))
		}
		return arn("network-interface"), nil
	case "vpce":
		if t.st.VpcEndpoints[model.VpcEndpointID(id)] == nil {
			return "", errEndpointNotFound(model.VpcEndpointID(id))
		}
		return arn("vpc-endpoint"), nil
	}
	return "", errInvalidParameterValue("The resource %s is not a supported source or destination. Supported: instances, internet gateways, network interfaces and VPC endpoints.", ref)
}

func parseIPv4(param, s string) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Addr{}, errInvalidParameterValue("Value (%s) for parameter %s is invalid. It is not a valid IPv4 address.", s, param)
	}
	return a, nil
}

// CreateNetworkInsightsPath creates a path: a source (an instance, internet
// gateway, network interface or VPC endpoint), a destination (one of those,
// or just an IP address), a protocol (tcp or udp) and optionally a
// destination port and packet filters.
func (e *Engine) CreateNetworkInsightsPath(in CreateNetworkInsightsPathInput) (*model.NetworkInsightsPath, error) {
	var proto model.Protocol
	switch strings.ToLower(in.Protocol) {
	case "tcp":
		proto = model.TCP
	case "udp":
		proto = model.UDP
	case "":
		return nil, errMissingParameter("Protocol")
	default:
		return nil, errInvalidParameterValue("Value (%s) for parameter Protocol is invalid. Valid values: tcp, udp.", in.Protocol)
	}
	if in.Source == "" {
		return nil, errMissingParameter("Source")
	}
	if in.DestinationPort < 0 || in.DestinationPort > 65535 {
		return nil, errInvalidParameterValue("Value (%d) for parameter DestinationPort is invalid. Valid values: 0-65535.", in.DestinationPort)
	}
	srcIP, err := parseIPv4("SourceIp", in.SourceIP)
	if err != nil {
		return nil, err
	}
	dstIP, err := parseIPv4("DestinationIp", in.DestinationIP)
	if err != nil {
		return nil, err
	}
	if in.Destination == "" && !dstIP.IsValid() {
		return nil, errMissingParameter("Destination")
	}
	if in.FilterAtSource != nil && (srcIP.IsValid() || in.DestinationPort != 0) {
		return nil, apierr.New("InvalidParameterCombination", "FilterAtSource cannot be specified together with SourceIp or DestinationPort.")
	}
	if in.FilterAtDestination != nil && dstIP.IsValid() {
		return nil, apierr.New("InvalidParameterCombination", "FilterAtDestination cannot be specified together with DestinationIp.")
	}
	var out *model.NetworkInsightsPath
	err = e.write(func(t *txn) error {
		p := &model.NetworkInsightsPath{
			ID:                  model.NetworkInsightsPathID(t.newID("nip")),
			CreatedAt:           t.now,
			Source:              in.Source,
			Destination:         in.Destination,
			SourceIP:            srcIP,
			DestinationIP:       dstIP,
			Protocol:            proto,
			DestinationPort:     uint16(in.DestinationPort),
			FilterAtSource:      in.FilterAtSource,
			FilterAtDestination: in.FilterAtDestination,
			Tags:                in.Tags.Clone(),
		}
		p.ARN = model.EC2ARN(t.e.cfg.Region, t.e.cfg.Account, "network-insights-path/"+string(p.ID))
		var err error
		if p.SourceARN, err = t.insightsResourceARN(in.Source); err != nil {
			return err
		}
		if in.Destination != "" {
			if p.DestinationARN, err = t.insightsResourceARN(in.Destination); err != nil {
				return err
			}
		}
		put(t, model.KindInsightsPath, t.st.InsightsPaths, p.ID, p)
		out = p
		return nil
	})
	return out, err
}

// DeleteNetworkInsightsPath deletes a path. Its analyses must be deleted
// first (DependencyViolation otherwise).
func (e *Engine) DeleteNetworkInsightsPath(id model.NetworkInsightsPathID) error {
	return e.write(func(t *txn) error {
		if t.st.InsightsPaths[id] == nil {
			return errInsightsPathNotFound(id)
		}
		for _, a := range t.st.InsightsAnalyses {
			if a.PathID == id {
				return apierr.Newf("DependencyViolation", "The network insights path '%s' has dependencies and cannot be deleted.", id)
			}
		}
		del(t, model.KindInsightsPath, t.st.InsightsPaths, id)
		return nil
	})
}

// StartNetworkInsightsAnalysisInput is StartNetworkInsightsAnalysis' input.
type StartNetworkInsightsAnalysisInput struct {
	PathID        model.NetworkInsightsPathID
	FilterInARNs  []string
	FilterOutARNs []string
	Tags          model.Tags
}

// StartNetworkInsightsAnalysis starts an analysis of a path. It is created
// "running", as on AWS; the result is recorded later by
// CompleteNetworkInsightsAnalysis.
func (e *Engine) StartNetworkInsightsAnalysis(in StartNetworkInsightsAnalysisInput) (*model.NetworkInsightsAnalysis, error) {
	if len(in.FilterInARNs) > 0 && len(in.FilterOutARNs) > 0 {
		return nil, apierr.New("InvalidParameterCombination", "FilterInArns and FilterOutArns cannot be specified together.")
	}
	var out *model.NetworkInsightsAnalysis
	err := e.write(func(t *txn) error {
		if t.st.InsightsPaths[in.PathID] == nil {
			return errInsightsPathNotFound(in.PathID)
		}
		a := &model.NetworkInsightsAnalysis{
			ID:            model.NetworkInsightsAnalysisID(t.newID("nia")),
			PathID:        in.PathID,
			StartDate:     t.now,
			Status:        "running",
			FilterInARNs:  slices.Clone(in.FilterInARNs),
			FilterOutARNs: slices.Clone(in.FilterOutARNs),
			Tags:          in.Tags.Clone(),
		}
		a.ARN = model.EC2ARN(t.e.cfg.Region, t.e.cfg.Account, "network-insights-analysis/"+string(a.ID))
		put(t, model.KindInsightsAnalysis, t.st.InsightsAnalyses, a.ID, a)
		out = a
		return nil
	})
	return out, err
}

// AnalysisResult is what an analysis found.
type AnalysisResult struct {
	Status           string // "succeeded" or "failed"
	StatusMessage    string
	WarningMessage   string
	NetworkPathFound bool
	Forward          []model.PathComponent
	Return           []model.PathComponent
	Explanations     []model.Explanation
}

// CompleteNetworkInsightsAnalysis records the result of a running
// analysis. It reports false (and changes nothing) when the analysis is
// gone or no longer running.
func (e *Engine) CompleteNetworkInsightsAnalysis(id model.NetworkInsightsAnalysisID, r AnalysisResult) (bool, error) {
	done := false
	err := e.write(func(t *txn) error {
		a := t.st.InsightsAnalyses[id]
		if a == nil || a.Status != "running" {
			return nil
		}
		c := *a
		c.Status, c.StatusMessage, c.WarningMessage = r.Status, r.StatusMessage, r.WarningMessage
		if c.Status == "" {
			c.Status = "succeeded"
		}
		c.NetworkPathFound = r.NetworkPathFound
		c.Forward, c.Return, c.Explanations = r.Forward, r.Return, r.Explanations
		put(t, model.KindInsightsAnalysis, t.st.InsightsAnalyses, id, &c)
		done = true
		return nil
	})
	return done, err
}

// DeleteNetworkInsightsAnalysis deletes an analysis.
func (e *Engine) DeleteNetworkInsightsAnalysis(id model.NetworkInsightsAnalysisID) error {
	return e.write(func(t *txn) error {
		if t.st.InsightsAnalyses[id] == nil {
			return errInsightsAnalysisNotFound(id)
		}
		del(t, model.KindInsightsAnalysis, t.st.InsightsAnalyses, id)
		return nil
	})
}
