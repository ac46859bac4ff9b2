package harness

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "azuredr-harness-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("AZUREDR_REPORT_DIR", dir)
	code := m.Run()
	stopEmulator()
	removeProvider()
	os.RemoveAll(dir)
	os.Exit(code)
}
