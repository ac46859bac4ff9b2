package azure

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Undo is what a create has made so far, to remove again when a later step
// fails: a failed create leaves nothing in state, so anything it leaves in
// Azure would be untracked (a stray NSG in a production resource group, a
// vault nobody manages). Each step records how to undo it, in words a
// person can follow too; Run undoes the steps last first.
//
//	undo := &azure.Undo{} // nil for an update
//	... make something, then undo.Add(what, manual, remove) ...
//	if err := nextStep(); err != nil {
//		framework.AddErrorAndUndo(ctx, diags, undo, "Cannot ...", err)
//		return
//	}
type Undo struct {
	steps []undoStep
}

type undoStep struct {
	what   string // "NSG /subscriptions/…/networkSecurityGroups/web"
	manual string // how a person removes it
	do     func(context.Context) error
}

// UndoTimeout bounds the removal of what a failed create made: the create's
// own context may be what ran out.
const UndoTimeout = 10 * time.Minute

// Add records a step made: what it is, how a person removes it (an Azure
// CLI command, say) and how the provider does. On a nil *Undo it does
// nothing: an update passes nil, since state still tracks what it wrote.
func (u *Undo) Add(what, manual string, do func(context.Context) error) {
	if u == nil {
		return
	}
	u.steps = append(u.steps, undoStep{what: what, manual: manual, do: do})
}

// Empty reports whether nothing was recorded.
func (u *Undo) Empty() bool { return u == nil || len(u.steps) == 0 }

// Run undoes every recorded step, last first, on a context of its own
// (ctx's values, not its cancellation, bounded by UndoTimeout), and
// forgets them. It returns nil when everything is gone; otherwise an
// *UndoError naming exactly what is left and how to remove it.
func (u *Undo) Run(ctx context.Context) error {
	if u.Empty() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), UndoTimeout)
	defer cancel()
	var left []Leftover
	for i := len(u.steps) - 1; i >= 0; i-- {
		s := u.steps[i]
		if err := s.do(ctx); err != nil {
			left = append(left, Leftover{What: s.what, Manual: s.manual, Err: err})
		}
	}
	u.steps = nil
	if len(left) == 0 {
		return nil
	}
	return &UndoError{Left: left}
}

// Leftover is one thing a failed create could not remove.
type Leftover struct {
	What, Manual string
	Err          error
}

// UndoError lists what a failed create left in Azure.
type UndoError struct{ Left []Leftover }

func (e *UndoError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the failed create could not remove %d thing(s) it made; Terraform does not track them, so remove them by hand:", len(e.Left))
	for _, l := range e.Left {
		fmt.Fprintf(&b, "\n- %s\n  remove with: %s\n  removal failed: %s", l.What, l.Manual, strings.ReplaceAll(Describe(l.Err), "\n", "\n    "))
	}
	return b.String()
}

// UndoError has no Unwrap on purpose: azure.Describe would render the first
// ARM error among the leftovers instead of the list.

// IsUndoError reports whether err lists leftovers of a failed create.
func IsUndoError(err error) bool {
	var u *UndoError
	return errors.As(err, &u)
}
