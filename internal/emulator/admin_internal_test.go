package emulator

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/arm"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/lro"
	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

// GET /_emulator/operations listed the stored lro.Operation records as
// they are; now it lists admin.Operation views built from them. A record
// with every field set, and one with none of the optional ones, must
// marshal to the same bytes as its view. Likewise a VM's data version.

func TestOperationViewMarshalsAsTheRecord(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)
	end := at.Add(time.Minute)
	for name, op := range map[string]lro.Operation{
		"every field": {ID: "op-1", Kind: "Microsoft.Resources/resourceGroups/delete", ResourceID: "/subscriptions/s/resourceGroups/rg",
			Location: "eastus", Method: "DELETE", APIVersion: "2021-04-01", Status: lro.Failed, StartTime: at, DueTime: end, EndTime: &end,
			PercentComplete: 12.5, Error: &arm.Error{Status: 503, Code: "ServiceUnavailable", Message: "m", Target: "t", RetryAfter: 5},
			Input: json.RawMessage(`{"planned":true}`)},
		"none optional": {ID: "op-2", Kind: "k", ResourceID: "/x", Method: "PUT", APIVersion: "v", Status: lro.InProgress, StartTime: at, DueTime: end},
	} {
		want, err := json.Marshal(&op)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(operationView(&op))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s: the view's JSON is not the record's\nrecord %s\n  view %s", name, want, got)
		}
	}
	for _, v := range []web.DataVersion{{Version: 2, WrittenAt: at, Label: "l"}, {Version: 1, WrittenAt: at}} {
		want, _ := json.Marshal(v)
		got, _ := json.Marshal(v.View())
		if string(got) != string(want) {
			t.Errorf("data version: view %s, record %s", got, want)
		}
	}
}
