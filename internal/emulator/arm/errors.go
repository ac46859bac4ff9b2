package arm

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// HeaderErrorCode is where azcore looks for the error code first.
const HeaderErrorCode = "x-ms-error-code"

// Error is an ARM error: the HTTP status plus the code, message and target of
// the body. It is also the failure recorded on a long-running operation, hence
// the JSON tags.
type Error struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target,omitempty"`
	// RetryAfter, in seconds, is sent as the Retry-After header when set.
	RetryAfter int `json:"retryAfter,omitempty"`
	// PossibleCauses and RecommendedAction, optional, are what Site Recovery
	// adds to an error in its jobs (ServiceError): why it may have happened
	// and what to do. They are not part of ARM's envelope; a failed Site
	// Recovery operation's job carries them (see WithRemedy).
	PossibleCauses    string `json:"possibleCauses,omitempty"`
	RecommendedAction string `json:"recommendedAction,omitempty"`
}

// WithRemedy returns a copy of e with Site Recovery's possible causes and
// recommended action, for the job of the operation it fails.
func (e *Error) WithRemedy(possibleCauses, recommendedAction string) *Error {
	c := *e
	c.PossibleCauses, c.RecommendedAction = possibleCauses, recommendedAction
	return &c
}

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// ErrorBody is the "error" object of ARM's envelope and of an operation
// status. details and additionalInfo are always present, as ARM sends them.
type ErrorBody struct {
	Code           string      `json:"code"`
	Message        string      `json:"message"`
	Target         string      `json:"target,omitempty"`
	Details        []ErrorBody `json:"details"`
	AdditionalInfo []any       `json:"additionalInfo"`
}

// Body returns the wire form of e.
func (e *Error) Body() ErrorBody {
	return ErrorBody{Code: e.Code, Message: e.Message, Target: e.Target, Details: []ErrorBody{}, AdditionalInfo: []any{}}
}

// Response renders e as ARM does: the envelope {"error":{...}} and the
// x-ms-error-code header.
func (e *Error) Response() Response {
	r := JSON(e.Status, struct {
		Error ErrorBody `json:"error"`
	}{e.Body()}).WithHeader(HeaderErrorCode, e.Code)
	if e.RetryAfter > 0 {
		r = r.WithHeader("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	return r
}

// AsError returns err as an *Error, turning anything that is not one (a bug,
// a disk failure) into a 500 so the client sees ARM's shape either way.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Internal(err)
}

func newError(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// The factory. Codes and messages follow what ARM sends for the same
// condition, so clients (and people reading logs) recognise them.

// MissingAPIVersion: the api-version query parameter is absent.
func MissingAPIVersion() *Error {
	return newError(http.StatusBadRequest, "MissingApiVersionParameter",
		"The api-version query parameter (?api-version=) is required for all requests.")
}

// InvalidAPIVersion: the api-version query parameter is malformed.
func InvalidAPIVersion(v string) *Error {
	return newError(http.StatusBadRequest, "InvalidApiVersionParameter",
		"The api-version '%s' is invalid. The supported format is 'yyyy-MM-dd' with an optional suffix such as '-preview'.", v)
}

// InvalidRequestContent: the body is not valid JSON for the operation.
func InvalidRequestContent(detail string) *Error {
	return newError(http.StatusBadRequest, "InvalidRequestContent",
		"The request content was invalid and could not be deserialized: '%s'.", detail)
}

// InvalidSubscriptionID: the subscription segment is not a GUID.
func InvalidSubscriptionID(id string) *Error {
	return newError(http.StatusBadRequest, "InvalidSubscriptionId",
		"The provided subscription identifier '%s' is malformed or invalid.", id)
}

// AuthenticationFailed: the Authorization header is missing or not a bearer
// token. The emulator accepts any bearer token.
func AuthenticationFailed(reason string) *Error {
	return newError(http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. %s", reason)
}

// InvalidResourceType: no route serves the path.
func InvalidResourceType(path, apiVersion string) *Error {
	return newError(http.StatusNotFound, "InvalidResourceType",
		"The resource type for path '%s' could not be found for api version '%s'.", path, apiVersion)
}

// MethodNotAllowed: a route serves the path but not with this method.
func MethodNotAllowed(method string) *Error {
	return newError(http.StatusMethodNotAllowed, "MethodNotAllowed",
		"The requested resource does not support http method '%s'.", method)
}

// ResourceGroupNotFound: the resource group does not exist.
func ResourceGroupNotFound(name string) *Error {
	return newError(http.StatusNotFound, "ResourceGroupNotFound", "Resource group '%s' could not be found.", name)
}

// ResourceNotFound: a resource inside a group does not exist. resourceType
// and name are as in the id, e.g. "Microsoft.Network/virtualNetworks", "vnet1".
func ResourceNotFound(resourceType, name, resourceGroup string) *Error {
	return newError(http.StatusNotFound, "ResourceNotFound",
		"The Resource '%s/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
		resourceType, name, resourceGroup)
}

// LocationRequired: a body without a location where one is required.
func LocationRequired() *Error {
	e := newError(http.StatusBadRequest, "LocationRequired", "The location property is required for this definition.")
	e.Target = "location"
	return e
}

// LocationNotAvailableForResourceGroup: an unknown region.
func LocationNotAvailableForResourceGroup(location string, available []string) *Error {
	e := newError(http.StatusBadRequest, "LocationNotAvailableForResourceGroup",
		"The provided location '%s' is not available for resource group. List of available regions is '%s'.",
		location, strings.Join(available, ","))
	e.Target = "location"
	return e
}

// InvalidResourceGroupLocation: an existing group cannot move.
func InvalidResourceGroupLocation(requested, existing string) *Error {
	return newError(http.StatusConflict, "InvalidResourceGroupLocation",
		"Invalid resource group location '%s'. The Resource group already exists in location '%s'.", requested, existing)
}

// InvalidResourceGroupName: the name breaks rule (a short phrase naming it).
func InvalidResourceGroupName(name, rule string) *Error {
	e := newError(http.StatusBadRequest, "InvalidResourceGroupName",
		"The resource group name '%s' is invalid: %s. Resource group names only allow up to 90 characters and can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters.",
		name, rule)
	e.Target = "resourceGroupName"
	return e
}

// AnotherOperationInProgress: a write on a resource with an unfinished
// long-running operation.
func AnotherOperationInProgress(resourceID, operationID string) *Error {
	return newError(http.StatusConflict, "AnotherOperationInProgress",
		"Operation on resource '%s' could not be performed because another operation '%s' is in progress. Retry after it completes.",
		resourceID, operationID)
}

// ResourceGroupBeingDeleted: a write on or into a group whose deletion is
// under way.
func ResourceGroupBeingDeleted(name string) *Error {
	return newError(http.StatusConflict, "ResourceGroupBeingDeleted",
		"The resource group '%s' is in deprovisioning state and cannot perform this operation.", name)
}

// Conflict: a generic 409 for conditions without a more specific code.
func Conflict(format string, args ...any) *Error {
	return newError(http.StatusConflict, "Conflict", format, args...)
}

// TooManyRequests: throttling, with the delay the client must wait.
func TooManyRequests(retryAfterSeconds int) *Error {
	e := newError(http.StatusTooManyRequests, "TooManyRequests",
		"The request is being throttled. Please retry after %d seconds.", retryAfterSeconds)
	e.RetryAfter = retryAfterSeconds
	return e
}

// ServerError: a 5xx with the code ARM's front door uses for that status.
func ServerError(status int) *Error {
	switch status {
	case http.StatusServiceUnavailable:
		return newError(status, "ServiceUnavailable", "The service is temporarily unavailable. Please retry the request.")
	case http.StatusBadGateway:
		return newError(status, "BadGateway", "The gateway did not receive a response from the service. Please retry the request.")
	case http.StatusGatewayTimeout:
		return newError(status, "GatewayTimeout", "The gateway did not receive a response in time. Please retry the request.")
	default:
		return newError(status, "InternalServerError", "Encountered internal server error. Please retry the request.")
	}
}

// OperationCanceled: the failure recorded on a long-running operation that
// was cut short, for example because its resource group was deleted.
func OperationCanceled(reason string) *Error {
	return newError(http.StatusConflict, "OperationCanceled", "The operation was canceled: %s", reason)
}

// RegionUnavailable: a simulated outage of a whole region.
func RegionUnavailable(region string) *Error {
	return newError(http.StatusServiceUnavailable, "ServiceUnavailable",
		"The region '%s' is currently unavailable. Please retry the request later.", region)
}

// OperationNotFound: an unknown long-running operation id.
func OperationNotFound(id string) *Error {
	return newError(http.StatusNotFound, "OperationNotFound", "The operation '%s' could not be found.", id)
}

// InvalidQueryParameter: a query parameter with a value the operation cannot
// use ($top, $filter, ...).
func InvalidQueryParameter(name, detail string) *Error {
	e := newError(http.StatusBadRequest, "InvalidQueryParameterValue",
		"The value of query parameter '%s' is invalid: %s.", name, detail)
	e.Target = name
	return e
}

// BadRequest: a 400 with a caller-chosen code, for requests outside ARM's own
// vocabulary (the admin API).
func BadRequest(code, format string, args ...any) *Error {
	return newError(http.StatusBadRequest, code, format, args...)
}

// NotFound: a 404 with a caller-chosen code.
func NotFound(code, format string, args ...any) *Error {
	return newError(http.StatusNotFound, code, format, args...)
}

// InvalidProperty: a 400 BadRequest naming the property at fault (as
// target and in the message), the way Traffic Manager and most resource
// providers refuse a body that breaks their validation rules.
func InvalidProperty(property, format string, args ...any) *Error {
	e := newError(http.StatusBadRequest, "BadRequest", "%s: %s", property, fmt.Sprintf(format, args...))
	e.Target = property
	return e
}

// LocationNotAvailableForResourceType: a location the resource type does not
// offer (Traffic Manager profiles live in "global" only).
func LocationNotAvailableForResourceType(location, resourceType string, available []string) *Error {
	e := newError(http.StatusBadRequest, "LocationNotAvailableForResourceType",
		"The provided location '%s' is not available for resource type '%s'. List of available regions for the resource type is '%s'.",
		location, resourceType, strings.Join(available, ","))
	e.Target = "location"
	return e
}

// InvalidResourceName: a resource name the type's naming rules refuse (rule
// is a short phrase saying which).
func InvalidResourceName(name, resourceType, rule string) *Error {
	return newError(http.StatusBadRequest, "InvalidResourceName",
		"The resource name '%s' is invalid for type '%s': %s.", name, resourceType, rule)
}

// DNSNameNotAvailable: a Traffic Manager relative DNS name another profile
// holds (names are unique across all of Traffic Manager).
func DNSNameNotAvailable(fqdn string) *Error {
	e := newError(http.StatusConflict, "Conflict",
		"Domain name %s is not available. Please choose a different DNS prefix.", fqdn)
	e.Target = "properties.dnsConfig.relativeName"
	return e
}

// Microsoft.Network. Codes and messages are the network resource provider's;
// ids in messages are full resource ids, as it writes them.

// InvalidNetworkResourceName: a name the network resource provider refuses.
func InvalidNetworkResourceName(name string) *Error {
	return newError(http.StatusBadRequest, "InvalidResourceName",
		"Resource name %s is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.", name)
}

// InvalidRequestFormat: a body the network resource provider cannot use (a
// value outside an enumeration, a reference of the wrong type).
func InvalidRequestFormat(detail string) *Error {
	return newError(http.StatusBadRequest, "InvalidRequestFormat", "Cannot parse the request. %s", detail)
}

// LinkedInvalidPropertyID: a reference that is not a resource id at all.
func LinkedInvalidPropertyID(id, path string) *Error {
	return newError(http.StatusBadRequest, "LinkedInvalidPropertyId",
		"Property id '%s' at path '%s' is invalid. Expect fully qualified resource Id that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.", id, path)
}

// InvalidResourceLocation: an existing resource cannot move to another region.
func InvalidResourceLocation(name, group, existing, requested string) *Error {
	return newError(http.StatusBadRequest, "InvalidResourceLocation",
		"The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be created in location '%s'. Please select a new resource name.",
		name, existing, group, requested)
}

// NoAddressPrefixOrPoolProvided: a virtual network or subnet without an
// address prefix (what names it, e.g. "Subnet 'web'").
func NoAddressPrefixOrPoolProvided(what string) *Error {
	return newError(http.StatusBadRequest, "NoAddressPrefixOrPoolProvided", "%s does not have address prefix or pool provided.", what)
}

// InvalidAddressPrefixFormat: an address prefix that is not CIDR at all.
func InvalidAddressPrefixFormat(prefix, resourceID string) *Error {
	return newError(http.StatusBadRequest, "InvalidAddressPrefixFormat",
		"Address prefix %s of resource %s is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.", prefix, resourceID)
}

// InvalidCIDRNotation: an address prefix with host bits set.
func InvalidCIDRNotation(prefix, resourceID, want string) *Error {
	return newError(http.StatusBadRequest, "InvalidCIDRNotation",
		"The address prefix %s in resource %s has an invalid CIDR notation. For the given prefix length, the address prefix should be %s.", prefix, resourceID, want)
}

// VnetAddressSpacesOverlap: two blocks of one virtual network's address
// space overlap.
func VnetAddressSpacesOverlap(vnetID, a, b string) *Error {
	return newError(http.StatusBadRequest, "VnetAddressSpacesOverlap",
		"Cannot create or update virtual network %s. Its address prefixes %s and %s overlap.", vnetID, a, b)
}

// PeeredAddressSpacesOverlap: the two networks of a peering overlap.
func PeeredAddressSpacesOverlap(peeringID, localID, remoteID string, overlapping []string) *Error {
	return newError(http.StatusBadRequest, "VnetAddressSpacesOverlap",
		"Cannot create or update peering %s. Virtual networks %s and %s cannot be peered because their address spaces overlap. Overlapping address prefixes: %s",
		peeringID, localID, remoteID, strings.Join(overlapping, ", "))
}

// VnetAddressSpaceOverlapsWithAlreadyPeeredVnet: a network's space overlaps
// that of a network peered with peeredWith.
func VnetAddressSpaceOverlapsWithAlreadyPeeredVnet(vnetID, prefix, otherID, otherPrefix, peeredWith string) *Error {
	return newError(http.StatusBadRequest, "VnetAddressSpaceOverlapsWithAlreadyPeeredVnet",
		"Address space %s of virtual network %s overlaps with address space %s of virtual network %s already peered with virtual network %s.",
		prefix, vnetID, otherPrefix, otherID, peeredWith)
}

// NetcfgSubnetRangeOutsideVnet: a subnet outside its network's address space.
func NetcfgSubnetRangeOutsideVnet(subnet, vnet string) *Error {
	return newError(http.StatusBadRequest, "NetcfgSubnetRangeOutsideVnet",
		"Subnet '%s' is not valid because its IP address range is outside the IP address range of virtual network '%s'.", subnet, vnet)
}

// NetcfgSubnetRangesOverlap: two subnets of one network overlap.
func NetcfgSubnetRangesOverlap(subnet, vnet string) *Error {
	return newError(http.StatusBadRequest, "NetcfgSubnetRangesOverlap",
		"Subnet '%s' is not valid because its IP address range overlaps with that of an existing subnet in virtual network '%s'.", subnet, vnet)
}

// NetcfgInvalidSubnet: a subnet Azure cannot use (reason says why).
func NetcfgInvalidSubnet(subnet, vnet, reason string) *Error {
	return newError(http.StatusBadRequest, "NetcfgInvalidSubnet", "Subnet '%s' is not valid in virtual network '%s'. %s", subnet, vnet, reason)
}

// DuplicateResourceName: two children of one parent with the same name.
func DuplicateResourceName(parentID, name string) *Error {
	return newError(http.StatusBadRequest, "DuplicateResourceName",
		"Resource %s has two child resources with the same name (%s).", parentID, name)
}

// InvalidResourceReference: a reference to a resource that does not exist
// (or not in the referring resource's region and subscription).
func InvalidResourceReference(refID, byID string) *Error {
	return newError(http.StatusBadRequest, "InvalidResourceReference",
		"Resource %s referenced by resource %s was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.", refID, byID)
}

// InvalidGlobalResourceReference: a reference that may cross regions (a
// peering's remote network) to a resource that does not exist.
func InvalidGlobalResourceReference(refID, byID string) *Error {
	return newError(http.StatusBadRequest, "InvalidGlobalResourceReference",
		"Resource %s referenced by resource %s was not found. Please make sure that the referenced resource exists.", refID, byID)
}

// ReferencedResourceNotProvisioned: a reference to a resource in the middle
// of an operation.
func ReferencedResourceNotProvisioned(refID, byID, state string) *Error {
	return newError(http.StatusBadRequest, "ReferencedResourceNotProvisioned",
		"Cannot proceed with operation because resource %s used by resource %s is not in Succeeded state. Resource is in %s state.", refID, byID, state)
}

// NetworkSecurityGroupCannotBeAttachedToGatewaySubnet: GatewaySubnet takes no NSG.
func NetworkSecurityGroupCannotBeAttachedToGatewaySubnet(nsgName string) *Error {
	return newError(http.StatusBadRequest, "NetworkSecurityGroupCannotBeAttachedToGatewaySubnet",
		"The operation failed because the network security group %s can not be associated to the GatewaySubnet. Please remove the network security group associated to the GatewaySubnet. See here for additional details: https://aka.ms/GatewaySubnet.", nsgName)
}

// InUseNetworkSecurityGroupCannotBeDeleted: an NSG still associated.
func InUseNetworkSecurityGroupCannotBeDeleted(nsgID string, users []string) *Error {
	return newError(http.StatusBadRequest, "InUseNetworkSecurityGroupCannotBeDeleted",
		"Network security group %s cannot be deleted because it is in use by the following resources: %s. In order to delete the Network security group, remove the association with the resource(s).",
		nsgID, strings.Join(users, ", "))
}

// RemotePeeringIsDisconnected: peering back to a network whose peering is
// Disconnected.
func RemotePeeringIsDisconnected(peeringID, remotePeeringID, vnetID string) *Error {
	return newError(http.StatusBadRequest, "RemotePeeringIsDisconnected",
		"Cannot create or update peering %s because remote peering %s referencing parent virtual network %s is in Disconnected state. Update or re-create the remote peering to get it back to Initiated state. Peering gets Disconnected when remote vnet or remote peering is deleted and re-created.",
		peeringID, remotePeeringID, vnetID)
}

// RemoteVnetHasNoGateways: useRemoteGateways towards a network without one.
func RemoteVnetHasNoGateways(peeringID, remoteID string) *Error {
	return newError(http.StatusBadRequest, "RemoteVnetHasNoGateways",
		"Peering %s cannot have UseRemoteGateway flag set to true because remote virtual network %s referenced by the peering does not have any gateways.", peeringID, remoteID)
}

// SecurityRuleInvalidPriority: a priority outside 100-4096.
func SecurityRuleInvalidPriority(ruleID string, value int) *Error {
	return newError(http.StatusBadRequest, "SecurityRuleInvalidPriority",
		"Security rule %s has invalid Priority. Value provided: %d Allowed range 100-4096.", ruleID, value)
}

// SecurityRuleConflict: two rules with the same priority and direction.
func SecurityRuleConflict(rule, other string) *Error {
	return newError(http.StatusBadRequest, "SecurityRuleConflict",
		"Security rule %s conflicts with rule %s. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.", rule, other)
}

// SecurityRuleInvalidPortRange: a port range outside 0-65535 or malformed.
func SecurityRuleInvalidPortRange(ruleID, value string) *Error {
	return newError(http.StatusBadRequest, "SecurityRuleInvalidPortRange",
		"Security rule %s has invalid Port range. Value provided: %s. Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535.", ruleID, value)
}

// SecurityRuleInvalidAddressPrefix: an address prefix that is neither an IP
// address, a CIDR block, a service tag nor '*'.
func SecurityRuleInvalidAddressPrefix(ruleID, value string) *Error {
	return newError(http.StatusBadRequest, "SecurityRuleInvalidAddressPrefix",
		"Security rule %s has invalid Address prefix. Value provided: %s.", ruleID, value)
}

// SecurityRuleParametersMissing: neither form of a rule's address prefix
// (which lists the accepted properties).
func SecurityRuleParametersMissing(ruleID, which string) *Error {
	return newError(http.StatusBadRequest, "SecurityRuleParametersMissing",
		"Required security rule parameters are missing for security rule with Id: %s. Security rule must specify %s.", ruleID, which)
}

// SecurityRuleParameterMissing: a required rule property is absent.
func SecurityRuleParameterMissing(ruleID, parameter string) *Error {
	return newError(http.StatusBadRequest, "SecurityRuleParameterMissing",
		"Required security rule parameter %s is missing for security rule with Id: %s.", parameter, ruleID)
}

// Internal: an unexpected failure inside the emulator.
func Internal(err error) *Error {
	return newError(http.StatusInternalServerError, "InternalServerError", "Encountered internal server error: %v", err)
}

// Microsoft.RecoveryServices (vaults and Site Recovery). Site Recovery
// answers with its own codes; where the emulator does not know the real one
// it uses a descriptive name in the same style.

// VaultNotEmpty: deleting a vault (or the group holding it) that still
// protects items.
func VaultNotEmpty(vault string, protectedItems int) *Error {
	return newError(http.StatusConflict, "ServiceResourceNotEmpty",
		"Vault '%s' cannot be deleted as there are %d existing resources within the vault. Disable replication of the protected items (replicationProtectedItems) first, then delete the vault.",
		vault, protectedItems)
}

// ReplicationPolicyInUse: deleting a policy that container mappings use.
func ReplicationPolicyInUse(policy string, mappings []string) *Error {
	return newError(http.StatusConflict, "PolicyInUse",
		"The replication policy '%s' cannot be deleted because it is associated with the protection container mapping(s) %s. Remove the mapping(s) first.",
		policy, strings.Join(mappings, ", "))
}

// ContainerMappingInUse: removing a container mapping that protected items
// replicate through.
func ContainerMappingInUse(mapping string, items []string) *Error {
	return newError(http.StatusConflict, "ProtectionContainerMappingInUse",
		"The protection container mapping '%s' cannot be removed because protected items replicate through it: %s. Disable replication of these items first.",
		mapping, strings.Join(items, ", "))
}

// SiteRecoveryObjectInUse: removing a fabric or protection container that
// other objects still depend on (what lists them, remedy says what to do).
func SiteRecoveryObjectInUse(code, what, name string, users []string, remedy string) *Error {
	return newError(http.StatusConflict, code,
		"The %s '%s' cannot be removed because it is in use by: %s. %s", what, name, strings.Join(users, ", "), remedy)
}

// SiteRecoveryInvalidReference: a Site Recovery input naming an object that
// does not exist or cannot be used (code names the kind of object).
func SiteRecoveryInvalidReference(code, property, format string, args ...any) *Error {
	e := newError(http.StatusBadRequest, code, "%s: %s", property, fmt.Sprintf(format, args...))
	e.Target = property
	return e
}

// SiteRecoveryConflict: a Site Recovery object that would duplicate
// another (a second mapping between the same containers, say).
func SiteRecoveryConflict(code, format string, args ...any) *Error {
	return newError(http.StatusConflict, code, format, args...)
}

// InvalidJobFilter: a Site Recovery jobs $filter that is not the spec's
// JobQueryParameter (field eq 'value' joined by and).
func InvalidJobFilter(detail string) *Error {
	e := newError(http.StatusBadRequest, "InvalidFilter",
		"The $filter of the replication jobs query is invalid: %s. Use startTime, endTime, fabricId, affectedObjectTypes, jobStatus, jobName, jobOutputType and timezoneOffset, as field eq 'value' joined by and.", detail)
	e.Target = "$filter"
	return e
}

// SiteRecoveryJobNotFound: a replicationJobs GET for a job the vault has not
// run.
func SiteRecoveryJobNotFound(job, vault string) *Error {
	return newError(http.StatusNotFound, "ResourceNotFound",
		"The job '%s' was not found in the Recovery Services vault '%s'.", job, vault)
}
