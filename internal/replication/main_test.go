package replication_test

import (
	"testing"

	"github.com/azuredr/terraform-provider-azuredr/internal/acctest"
)

func TestMain(m *testing.M) { acctest.Main(m) }
