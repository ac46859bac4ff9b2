package compute

import (
	"testing"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/web"
)

func TestVMHistoryIsBounded(t *testing.T) {
	st := &VMState{}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for v := 1; v <= maxVMHistory+5; v++ {
		st.Record(web.DataVersion{Version: v, WrittenAt: at.Add(time.Duration(v) * time.Second)})
	}
	if len(st.History) != maxVMHistory || st.History[0].Version != 6 || st.Data.Version != maxVMHistory+5 ||
		st.History[len(st.History)-1] != st.Data {
		t.Fatalf("history of %d versions, %d..%d, data %d", len(st.History), st.History[0].Version, st.History[len(st.History)-1].Version, st.Data.Version)
	}
}
