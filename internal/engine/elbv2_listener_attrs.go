package engine

import (
	"maps"
	"strconv"
	"strings"

	"github.com/ecsnet/ecsnet/internal/apierr"
	"github.com/ecsnet/ecsnet/internal/model"
)

// Listener attributes (DescribeListenerAttributes, ModifyListenerAttributes),
// load balancer capacity reservations and mutual TLS settings.

// listenerAttributeDefaults returns a listener's attributes with AWS's
// defaults, in a stable order: tcp.idle_timeout.seconds (350) on TCP
// listeners of Network Load Balancers; on Application Load Balancers the
// response-header attributes (server header on, the others empty) and, on
// HTTPS listeners, the names of the mTLS and TLS request headers.
// (elbv2 API ListenerAttribute; which keys apply to which protocol is
// ecsnet's reading of the documentation.)
func listenerAttributeDefaults(l *model.Listener) [][2]string {
	switch l.Protocol {
	case "TCP", "": // "": a Gateway Load Balancer's listener (350 s, its user guide's "Listener attributes")
		return [][2]string{{"tcp.idle_timeout.seconds", "350"}}
	case "HTTP", "HTTPS":
	default:
		return nil
	}
	var out [][2]string
	if l.Protocol == "HTTPS" {
		for _, h := range []string{"serial_number", "issuer", "subject", "validity", "leaf"} {
			out = append(out, [2]string{"routing.http.request.x_amzn_mtls_clientcert_" + h + ".header_name",
				"X-Amzn-Mtls-Clientcert-" + headerCase(h)})
		}
		out = append(out,
			[2]string{"routing.http.request.x_amzn_mtls_clientcert.header_name", "X-Amzn-Mtls-Clientcert"},
			[2]string{"routing.http.request.x_amzn_tls_version.header_name", "X-Amzn-Tls-Version"},
			[2]string{"routing.http.request.x_amzn_tls_cipher_suite.header_name", "X-Amzn-Tls-Cipher-Suite"})
	}
	out = append(out, [2]string{"routing.http.response.server.enabled", "true"})
	for _, h := range []string{"strict_transport_security", "access_control_allow_origin", "access_control_allow_methods",
		"access_control_allow_headers", "access_control_allow_credentials", "access_control_expose_headers",
		"access_control_max_age", "content_security_policy", "x_content_type_options", "x_frame_options"} {
		out = append(out, [2]string{"routing.http.response." + h + ".header_value", ""})
	}
	return out
}

// headerCase turns serial_number into Serial-Number.
func headerCase(s string) string {
	parts := strings.Split(s, "_")
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "-")
}

// ListenerAttributes returns a listener's attributes.
func (e *Engine) ListenerAttributes(arn string) ([][2]string, error) {
	var out [][2]string
	var err error
	e.Read(func(st *model.State) {
		if !validListenerARN(arn) {
			err = errBadARN(arn, "listener")
			return
		}
		l := st.Listeners[arn]
		if l == nil {
			err = errListenerNotFound()
			return
		}
		out = withOverrides(listenerAttributeDefaults(l), l.Attributes)
	})
	return out, err
}

// ModifyListenerAttributes sets listener attributes and returns the ones
// set. tcp.idle_timeout.seconds takes 60-6000; the server header takes true
// or false.
func (e *Engine) ModifyListenerAttributes(arn string, attrs [][2]string) ([][2]string, error) {
	err := e.write(func(t *txn) error {
		l, err := t.listener(arn)
		if err != nil {
			return err
		}
		if err := checkAttributes("Listener", listenerAttributeDefaults(l), attrs); err != nil {
			return err
		}
		c := *l
		c.Attributes = maps.Clone(l.Attributes)
		if c.Attributes == nil {
			c.Attributes = map[string]string{}
		}
		for _, kv := range attrs {
			switch kv[0] {
			case "tcp.idle_timeout.seconds":
				if n, err := strconv.Atoi(kv[1]); err != nil || n < 60 || n > 6000 {
					return errELBValidation("Listener attribute 'tcp.idle_timeout.seconds' must be between 60 and 6000") // probable
				}
			case "routing.http.response.server.enabled":
				if kv[1] != "true" && kv[1] != "false" {
					return errELBValidation("Listener attribute value '%s' for key 'routing.http.response.server.enabled' is not valid", kv[1]) // probable
				}
			}
			c.Attributes[kv[0]] = kv[1]
		}
		put(t, model.KindListener, t.st.Listeners, c.ARN, &c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return attrs, nil
}

// CapacityReservation is a load balancer's capacity reservation.
type CapacityReservation struct {
	MinCapacityUnits int
	ModifiedAt       string
	Zones            []string
	// DecreaseRequestsRemaining is how many decreases are left today.
	DecreaseRequestsRemaining int
}

// capacityDecreasesPerDay is how many times a day a reservation may be
// decreased (elasticloadbalancing/latest/application/capacity-unit-reservation.html).
const capacityDecreasesPerDay = 3

// DescribeCapacityReservation returns a load balancer's capacity
// reservation (none: zero units). ecsnet provisions reservations at once.
func (e *Engine) DescribeCapacityReservation(arn string) (*model.LoadBalancer, error) {
	var out *model.LoadBalancer
	var err error
	e.Read(func(st *model.State) {
		if !validLBARN(arn) {
			err = errBadARN(arn, "load balancer")
			return
		}
		if out = st.LoadBalancers[arn]; out == nil {
			err = errLBNotFound()
		}
	})
	return out, err
}

// ModifyCapacityReservation sets (units > 0) or resets a load balancer's
// minimum capacity. An Application Load Balancer's reservation is at least
// 100 LCUs (capacity-unit-reservation.html; the error text is probable).
func (e *Engine) ModifyCapacityReservation(arn string, units int, reset bool) (*model.LoadBalancer, error) {
	if reset == (units > 0) {
		return nil, errELBValidation("You must specify either MinimumLoadBalancerCapacity or ResetCapacityReservation") // probable
	}
	var out *model.LoadBalancer
	err := e.write(func(t *txn) error {
		lb, err := t.loadBalancer(arn)
		if err != nil {
			return err
		}
		if lb.Type == lbApplication && units > 0 && units < 100 {
			return apierr.New("InvalidCapacityUnitsLimit", "The minimum capacity units for an application load balancer is 100") // probable
		}
		c := cloneLB(lb)
		c.MinCapacityUnits = units
		c.CapacityModifiedAt = t.now
		put(t, model.KindLoadBalancer, t.st.LoadBalancers, c.ARN, c)
		out = c
		return nil
	})
	return out, err
}

// MutualAuthInput is a listener's MutualAuthentication request member.
type MutualAuthInput struct {
	Mode                          string
	TrustStoreARN                 string
	IgnoreClientCertificateExpiry bool
	AdvertiseTrustStoreCaNames    string
}

// checkMutualAuth validates an HTTPS listener's mutual TLS setting: mode
// off, passthrough, or verify with an existing trust store.
func (t *txn) checkMutualAuth(protocol string, in *MutualAuthInput) (*model.MutualAuthentication, error) {
	if in == nil {
		return nil, nil
	}
	mode := in.Mode
	if mode == "" {
		mode = "off"
	}
	switch mode {
	case "off", "passthrough":
		if in.TrustStoreARN != "" {
			return nil, errELBValidation("A trust store can only be specified when the mutual authentication mode is 'verify'") // probable
		}
	case "verify":
		if in.TrustStoreARN == "" {
			return nil, errELBValidation("A trust store must be specified when the mutual authentication mode is 'verify'") // probable
		}
		if t.st.TrustStores[in.TrustStoreARN] == nil {
			return nil, errTrustStoreNotFound()
		}
	default:
		return nil, errELBEnum(mode, "mutualAuthentication.mode", "off", "passthrough", "verify")
	}
	if mode != "off" && protocol != "HTTPS" {
		return nil, errELBValidation("Mutual authentication is only supported for HTTPS listeners") // probable
	}
	m := &model.MutualAuthentication{Mode: mode, TrustStoreARN: in.TrustStoreARN,
		IgnoreClientCertificateExpiry: in.IgnoreClientCertificateExpiry, AdvertiseTrustStoreCaNames: in.AdvertiseTrustStoreCaNames}
	if mode == "verify" && m.AdvertiseTrustStoreCaNames == "" {
		m.AdvertiseTrustStoreCaNames = "off"
	}
	return m, nil
}

// checkAlpn validates a TLS listener's ALPN policy.
func checkAlpn(protocol string, policies []string) (string, error) {
	if len(policies) == 0 {
		return "", nil
	}
	if len(policies) > 1 {
		return "", errELBValidation("1 validation error detected: Value at 'alpnPolicy' failed to satisfy constraint: Member must have length less than or equal to 1")
	}
	p := policies[0]
	switch p {
	case "HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None":
	default:
		return "", apierr.Newf("ALPNPolicyNotFound", "ALPN policy '%s' not found", p) // probable
	}
	if protocol != "TLS" {
		return "", errELBValidation("ALPN policies are only supported for TLS listeners") // probable
	}
	return p, nil
}
