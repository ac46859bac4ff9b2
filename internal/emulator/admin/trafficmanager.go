package admin

import (
	"context"
	"net/http"
	"time"
)

// TrafficManagerProfile is one profile as GET /_emulator/trafficmanager
// shows it: what its DNS answers depend on, from real probes.
type TrafficManagerProfile struct {
	ID                   string                   `json:"id"`
	Name                 string                   `json:"name"`
	RelativeName         string                   `json:"relativeName"`
	FQDN                 string                   `json:"fqdn"`
	ProfileStatus        string                   `json:"profileStatus"`
	RoutingMethod        string                   `json:"trafficRoutingMethod"`
	TTL                  uint32                   `json:"ttl"`
	ProfileMonitorStatus string                   `json:"profileMonitorStatus"`
	Monitor              TrafficManagerMonitor    `json:"monitor"`
	Endpoints            []TrafficManagerEndpoint `json:"endpoints"`
}

// TrafficManagerMonitor is a profile's probe settings, in simulated
// seconds, and the real intervals the probes run at.
type TrafficManagerMonitor struct {
	Protocol                  string  `json:"protocol"`
	Port                      int     `json:"port"`
	Path                      string  `json:"path,omitempty"`
	IntervalInSeconds         int     `json:"intervalInSeconds"`
	TimeoutInSeconds          int     `json:"timeoutInSeconds"`
	ToleratedNumberOfFailures int     `json:"toleratedNumberOfFailures"`
	Probing                   bool    `json:"probing"`
	RealIntervalMs            float64 `json:"realIntervalMs"`
	RealTimeoutMs             float64 `json:"realTimeoutMs"`
}

// TrafficManagerEndpoint is one endpoint with its health.
type TrafficManagerEndpoint struct {
	Name                string   `json:"name"`
	Type                string   `json:"type"`
	Target              string   `json:"target"`
	Location            string   `json:"location,omitempty"`
	EndpointStatus      string   `json:"endpointStatus"`
	Priority            int64    `json:"priority"`
	Weight              int64    `json:"weight"`
	GeoMapping          []string `json:"geoMapping,omitempty"`
	MonitorStatus       string   `json:"monitorStatus"`
	ConsecutiveFailures int      `json:"consecutiveFailures"`
	Probes              int      `json:"probes"`
	LastProbe           *Probe   `json:"lastProbe,omitempty"`
}

// Probe is one health probe's result.
type Probe struct {
	// Time is the simulated time it finished.
	Time time.Time `json:"time"`
	OK   bool      `json:"ok"`
	// Detail says what happened, e.g. "HTTP 503".
	Detail string `json:"detail"`
}

// TrafficManager lists every Traffic Manager profile with its endpoints'
// health and last probe.
func (c *Client) TrafficManager(ctx context.Context) ([]TrafficManagerProfile, error) {
	var out list[TrafficManagerProfile]
	err := c.do(ctx, http.MethodGet, "trafficmanager", nil, nil, &out)
	return out.Value, err
}
