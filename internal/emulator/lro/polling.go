package lro

import (
	"strconv"
	"strings"
)

// Where clients poll an operation. Azure has no single shape: each resource
// provider serves its own status (Azure-AsyncOperation) and result
// (Location) URLs, and some send only one of the two. The shapes below are
// the ones the providers the emulator serves send, chosen by the kind's
// Namespace (and, for Microsoft.RecoveryServices, by whether the operation
// acts on the vault or on a Site Recovery object under it), so a namespace
// gets Azure's URLs by registering its kinds and nothing else:
//
//	Microsoft.Network, Microsoft.Compute (regional):
//	  Azure-AsyncOperation /subscriptions/{sub}/providers/{ns}/locations/{region}/operations/{id}
//	  Location             /subscriptions/{sub}/providers/{ns}/locations/{region}/operationResults/{id}
//	Microsoft.Storage (storage accounts): Location only
//	  Location             /subscriptions/{sub}/providers/Microsoft.Storage/locations/{region}/asyncoperations/{id}
//	Microsoft.Resources (resource group deletion): Location only
//	  Location             /subscriptions/{sub}/operationresults/{id}
//	Microsoft.RecoveryServices, the vault itself (armrecoveryservices' vaults.json):
//	  Azure-AsyncOperation {vault}/operationStatus/{id}
//	  Location             {vault}/operationResults/{id}
//	Microsoft.RecoveryServices, Site Recovery objects under a vault:
//	  Azure-AsyncOperation {vault}/replicationOperationStatus/{id}
//	  Location             {object}/operationresults/{id}
//	  (the id after operationresults is the Site Recovery job's name: Azure
//	  PowerShell reads the job name from there, GetJobIdFromReponseLocation)
//	anything else (the emulator's own test types):
//	  Azure-AsyncOperation /subscriptions/{sub}/providers/{ns}/operationStatuses/{id}
//	  Location             /subscriptions/{sub}/providers/{ns}/operationResults/{id}
//
// Traffic Manager answers synchronously and has no kinds.

// Namespaces whose polling URLs differ from the generic shape.
const (
	namespaceNetwork          = "Microsoft.Network"
	namespaceCompute          = "Microsoft.Compute"
	namespaceStorage          = "Microsoft.Storage"
	namespaceResources        = "Microsoft.Resources"
	namespaceRecoveryServices = "Microsoft.RecoveryServices"
)

// Route patterns of every polling endpoint, for the server's route table.
// The handlers behind them find the operation by {operationId} and must
// check the request's path is the one StatusPath or ResultPath gives for it
// (IsStatusPath, IsResultPath), since several shapes share a pattern.
const (
	StatusRoute = "/subscriptions/{subscriptionId}/providers/{providerNamespace}/operationStatuses/{operationId}"
	ResultRoute = "/subscriptions/{subscriptionId}/providers/{providerNamespace}/operationResults/{operationId}"

	RegionalStatusRoute      = "/subscriptions/{subscriptionId}/providers/{providerNamespace}/locations/{location}/operations/{operationId}"
	RegionalResultRoute      = "/subscriptions/{subscriptionId}/providers/{providerNamespace}/locations/{location}/operationResults/{operationId}"
	RegionalAsyncResultRoute = "/subscriptions/{subscriptionId}/providers/{providerNamespace}/locations/{location}/asyncoperations/{operationId}"
	SubscriptionResultRoute  = "/subscriptions/{subscriptionId}/operationresults/{operationId}"

	vaultRoute                   = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{resourceName}"
	VaultStatusRoute             = vaultRoute + "/operationStatus/{operationId}"
	VaultResultRoute             = vaultRoute + "/operationResults/{operationId}"
	SiteRecoveryStatusRoute      = vaultRoute + "/replicationOperationStatus/{operationId}"
	siteRecoveryMaxObjectNesting = 4 // {v}/replicationFabrics/{f}/replicationProtectionContainers/{pc}/replicationProtectedItems/{i} is 3
)

// SiteRecoveryResultRoutes are the patterns of {object}/operationresults/{id}
// for Site Recovery objects one to four collections below a vault.
func SiteRecoveryResultRoutes() []string {
	var out []string
	p := vaultRoute
	for i := 1; i <= siteRecoveryMaxObjectNesting; i++ {
		p += "/{c" + strconv.Itoa(i) + "}/{n" + strconv.Itoa(i) + "}"
		out = append(out, p+"/operationresults/{operationId}")
	}
	return out
}

// StatusPath is the path of op's Azure-AsyncOperation URL, "" when its
// provider sends none.
func (m *Manager) StatusPath(op *Operation) string {
	sub := "/subscriptions/" + op.SubscriptionID()
	switch ns := m.namespace(op); ns {
	case namespaceNetwork, namespaceCompute:
		if op.Location != "" {
			return sub + "/providers/" + ns + "/locations/" + op.Location + "/operations/" + op.ID
		}
	case namespaceStorage, namespaceResources:
		return ""
	case namespaceRecoveryServices:
		if vault := vaultPrefix(op.ResourceID); vault != "" {
			if strings.EqualFold(vault, op.ResourceID) {
				return vault + "/operationStatus/" + op.ID
			}
			return vault + "/replicationOperationStatus/" + op.ID
		}
	}
	return sub + "/providers/" + m.namespace(op) + "/operationStatuses/" + op.ID
}

// ResultPath is the path of op's Location URL.
func (m *Manager) ResultPath(op *Operation) string {
	sub := "/subscriptions/" + op.SubscriptionID()
	switch ns := m.namespace(op); ns {
	case namespaceNetwork, namespaceCompute:
		if op.Location != "" {
			return sub + "/providers/" + ns + "/locations/" + op.Location + "/operationResults/" + op.ID
		}
	case namespaceStorage:
		if op.Location != "" {
			return sub + "/providers/" + ns + "/locations/" + op.Location + "/asyncoperations/" + op.ID
		}
	case namespaceResources:
		return sub + "/operationresults/" + op.ID
	case namespaceRecoveryServices:
		if vault := vaultPrefix(op.ResourceID); vault != "" {
			if strings.EqualFold(vault, op.ResourceID) {
				return vault + "/operationResults/" + op.ID
			}
			return op.ResourceID + "/operationresults/" + op.ID
		}
	}
	return sub + "/providers/" + m.namespace(op) + "/operationResults/" + op.ID
}

// IsStatusPath reports whether path (unescaped, no query) is op's
// Azure-AsyncOperation path. Literal segments and names compare without
// case, as ARM's do.
func (m *Manager) IsStatusPath(op *Operation, path string) bool {
	p := m.StatusPath(op)
	return p != "" && samePath(p, path)
}

// IsResultPath reports whether path is op's Location path.
func (m *Manager) IsResultPath(op *Operation, path string) bool {
	return samePath(m.ResultPath(op), path)
}

func samePath(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/"))
}

// vaultPrefix is the Recovery Services vault id an id starts with, "" if
// none.
func vaultPrefix(id string) string {
	const marker = "/providers/microsoft.recoveryservices/vaults/"
	i := strings.Index(strings.ToLower(id), marker)
	if i < 0 {
		return ""
	}
	rest := id[i+len(marker):]
	if j := strings.Index(rest, "/"); j >= 0 {
		rest = rest[:j]
	}
	if rest == "" {
		return ""
	}
	return id[:i+len(marker)] + rest
}
