package failover

import (
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/duration"
)

// resultDuration renders a measured duration for state, the timeline and
// messages: rounded to the second, in the syntax the inputs use ("6m30s",
// "45m"), and "0s" for none rather than a bare "0", so that every duration
// a drill returns reads, and parses, the same way.
func resultDuration(d time.Duration) string {
	d = d.Round(time.Second)
	if d == 0 {
		return "0s"
	}
	return duration.Format(d)
}
