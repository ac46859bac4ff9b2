package replication

import "github.com/azuredr/terraform-provider-azuredr/internal/azure"

// itemID is a replicated VM's protected item id (the one parser lives in
// the client layer, shared with the drill engine).
type itemID = azure.ProtectedItemID

func parseItemID(s string) (itemID, error) { return azure.ParseProtectedItemID(s) }
