package dns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/trafficmanager/armtrafficmanager"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
)

// SwitchRole points a profile's DNS answers at one side, for a failover:
// toRecovery disables the endpoints whose role (tag azuredr-endpoint-roles)
// is primary, so only the others can be answered whatever the routing
// method; !toRecovery enables them again. It then resolves the profile's
// name through server ("host:port", "" for the system resolver) until the
// answer is an endpoint of the side switched to, and returns that target.
func SwitchRole(ctx context.Context, c *azure.Client, profileID, server string, toRecovery bool) (string, error) {
	rid, err := arm.ParseResourceID(profileID)
	if err != nil {
		return "", fmt.Errorf("%q is not a Traffic Manager profile id", profileID)
	}
	p, err := findProfile(ctx, c, profileID)
	if err != nil {
		return "", err
	}
	if p == nil || p.Properties == nil {
		return "", fmt.Errorf("Traffic Manager profile %s does not exist", profileID)
	}
	roles := map[string]string{}
	for _, kv := range strings.Split(deref(p.Tags[tagRoles]), ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			roles[k] = v
		}
	}
	var want []string
	primaries := 0
	for _, ep := range p.Properties.Endpoints {
		if ep == nil || ep.Properties == nil {
			continue
		}
		primary := roles[deref(ep.Name)] == "primary"
		if primary {
			primaries++
			st := armtrafficmanager.EndpointStatusEnabled
			if toRecovery {
				st = armtrafficmanager.EndpointStatusDisabled
			}
			ep.Properties.EndpointStatus = &st
		}
		if primary != toRecovery {
			if t := deref(ep.Properties.Target); t != "" {
				want = append(want, t)
			}
		}
	}
	side := "recovery"
	if !toRecovery {
		side = "primary"
	}
	if primaries == 0 {
		return "", fmt.Errorf("profile %s has no endpoint with role primary (tag %s)", profileID, tagRoles)
	}
	if len(want) == 0 {
		return "", fmt.Errorf("profile %s has no %s endpoint with a target to switch to", profileID, side)
	}
	if _, err := c.TrafficManagerProfiles().CreateOrUpdate(ctx, rid.ResourceGroupName, rid.Name, *p, nil); err != nil {
		return "", fmt.Errorf("updating the endpoints of %s: %w", profileID, err)
	}
	name := ""
	if p.Properties.DNSConfig != nil {
		name = deref(p.Properties.DNSConfig.Fqdn)
	}
	if name == "" {
		return "", fmt.Errorf("profile %s has no DNS name", profileID)
	}
	var got string
	var last string
	err = azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		a, err := resolve(ctx, server, name)
		if err != nil {
			last = err.Error()
			return false, time.Second, nil
		}
		for _, t := range want {
			if a.points(t) {
				got = t
				return true, 0, nil
			}
		}
		last = fmt.Sprintf("answered %s %v", a.cname, a.addresses)
		return false, time.Second, nil
	})
	if err != nil {
		if last != "" {
			err = errors.Join(err, errors.New("last answer: "+last))
		}
		return "", fmt.Errorf("%s never answered a %s endpoint (%s): %w", name, side, strings.Join(want, ", "), err)
	}
	return got, nil
}
