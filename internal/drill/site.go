package drill

import (
	"context"
	"net/http"
	"time"
)

// SiteRunner runs checks from inside the DR site (Check.From FromDRSite):
// one attempt of each of checks, against t, batched in ONE Run Command on
// the VM vmID, so a round of a VM's checks costs one ARM operation however
// many checks it has. It returns one outcome per check, in order; an error
// of the Run Command itself fails every check of the batch (the round is
// retried as any failing check is).
type SiteRunner interface {
	RunChecks(ctx context.Context, vmID string, checks []Check, t Target, timeout time.Duration) []CheckOutcome
}

// CheckOutcome is one attempt of one check: Err nil when it passed, with
// what an http check saw of the data.
type CheckOutcome struct {
	Observation *Observation
	Err         error
}

// FromSite reports whether the check runs inside the DR site, through Run
// Command (From FromDRSite or unset, the default).
func (c Check) FromSite() bool { return c.From != FromRunner }

// ObserveResponse reads the data version a response serves: the
// X-Azuredr-Data-Version header and the page's data-written time (nil when
// it serves none). The in-site runner reads responses from a tool's output.
func ObserveResponse(h http.Header, body []byte) *Observation { return observe(h, body) }

// HeaderDataVersion is the header a site's data version is read from.
const HeaderDataVersion = headerDataVersion

// ExpandRegex fills a regex template's placeholders with their values,
// quoted.
func (t Target) ExpandRegex(tmpl string) string { return t.expandRegex(tmpl) }
