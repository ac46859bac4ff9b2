package azure

import (
	"net"
	"net/url"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
)

var clouds = map[string]cloud.Configuration{
	"public":       cloud.AzurePublic,
	"usgovernment": cloud.AzureGovernment,
	"china":        cloud.AzureChina,
}

// cloudConfiguration is the chosen environment with the Resource Manager
// endpoint replaced when resource_manager_endpoint is set. The audience stays
// the environment's, which is what the emulator and Azure Stack expect.
func (c Config) cloudConfiguration() cloud.Configuration {
	base := clouds[c.environment()]
	cfg := cloud.Configuration{ActiveDirectoryAuthorityHost: base.ActiveDirectoryAuthorityHost, Services: map[cloud.ServiceName]cloud.ServiceConfiguration{}}
	for k, v := range base.Services {
		cfg.Services[k] = v
	}
	if c.ResourceManagerEndpoint != "" {
		rm := cfg.Services[cloud.ResourceManager]
		rm.Endpoint = strings.TrimSuffix(c.ResourceManagerEndpoint, "/")
		cfg.Services[cloud.ResourceManager] = rm
	}
	return cfg
}

// IsEmulator reports whether the endpoint is a loopback address: the local
// emulator. Only then is a bearer token allowed over plain HTTP, and only then
// is the credential the emulator's placeholder token.
func (c Config) IsEmulator() bool {
	if c.ResourceManagerEndpoint == "" {
		return false
	}
	u, err := url.Parse(c.ResourceManagerEndpoint)
	return err == nil && isLoopbackHost(u.Hostname())
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
