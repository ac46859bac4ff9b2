package testfailover

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/azuredr/terraform-provider-azuredr/internal/azure"
	"github.com/azuredr/terraform-provider-azuredr/internal/drill/siterecovery"
)

// alreadyInProgressCode is Site Recovery's refusal of a test failover
// while one of the item is running or pending cleanup.
const alreadyInProgressCode = "TestFailoverAlreadyInProgress"

// startedByOurRetry reports a refusal of the drill's own test failover
// POST that most likely means it did start: validation found the item with
// no test failover moments before, and the transport retries a POST whose
// answer was lost (a dropped connection, a gateway timeout), so the retry
// meets the test failover the first attempt started. Taking it as "started
// nothing" would skip the item's cleanup and leave its test VM behind.
func startedByOurRetry(err error) bool {
	e, ok := azure.ParseError(err)
	return ok && e.StatusCode == http.StatusConflict && strings.EqualFold(e.Code, alreadyInProgressCode)
}

// followTestFailover waits, reading the item, for the test failover the
// drill's lost-answer POST started to end: MarkedForDeletion (done, its
// test VM awaits cleanup) or Failed. The item stays marked as maybe failed
// over, so cleanup runs whatever this returns.
func (r *runner) followTestFailover(ctx context.Context, st *itemState) error {
	return azure.Await(ctx, func(ctx context.Context) (bool, time.Duration, error) {
		info, err := siterecovery.FindItem(ctx, r.c, st.info.RawID)
		if err != nil {
			return false, 0, err
		}
		switch {
		case strings.EqualFold(info.TestFailoverState, testFailoverStateInProgress):
			return false, 0, nil
		case strings.EqualFold(info.TestFailoverState, testFailoverStateMarkedForDeletion):
			return true, 0, nil
		default:
			return false, 0, fmt.Errorf("the test failover of %s ended with testFailoverState %q", st.info.ID.Name, info.TestFailoverState)
		}
	})
}
