package drill

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Recovery point selector kinds.
const (
	PointLatest              = "latest"
	PointLatestProcessed     = "latest_processed"
	PointLatestAppConsistent = "latest_app_consistent"
	PointBefore              = "before"
)

// Selector chooses a recovery point.
type Selector struct {
	// Kind is one of PointLatest (default), PointLatestProcessed,
	// PointLatestAppConsistent and PointBefore.
	Kind string
	// Before: the newest point strictly before this time (PointBefore).
	Before time.Time
}

// Point is a listed recovery point.
type Point struct {
	ID   string
	Time time.Time
	Type string
}

// ChoosePoint applies the selector to points (newest first). For
// PointLatest it returns the newest point with use false: Site Recovery
// is asked for its latest data (no point id), and the newest point is the
// conservative bound of what that holds.
func ChoosePoint(points []Point, sel Selector) (p Point, use bool, err error) {
	switch sel.Kind {
	case "", PointLatest:
		if len(points) == 0 {
			return Point{}, false, nil
		}
		return points[0], false, nil
	case PointLatestProcessed:
		if len(points) == 0 {
			return Point{}, false, errors.New("no recovery point yet")
		}
		return points[0], true, nil
	case PointLatestAppConsistent:
		for _, p := range points {
			if isAppConsistent(p.Type) {
				return p, true, nil
			}
		}
		return Point{}, false, fmt.Errorf("no application-consistent recovery point among %d", len(points))
	case PointBefore:
		// Strictly before: a point taken at the moment of an infection may
		// already hold it.
		for _, p := range points {
			if p.Time.Before(sel.Before) {
				return p, true, nil
			}
		}
		oldest := "none exists"
		if len(points) > 0 {
			oldest = "the oldest is " + points[len(points)-1].Time.UTC().Format(time.RFC3339)
		}
		return Point{}, false, fmt.Errorf("no recovery point before %s (%s): retention may not reach back that far", sel.Before.UTC().Format(time.RFC3339), oldest)
	}
	return Point{}, false, fmt.Errorf("unknown recovery point kind %q", sel.Kind)
}

func isAppConsistent(t string) bool {
	t = strings.ToLower(t)
	return strings.HasPrefix(t, "app") || strings.Contains(t, "applicationconsistent")
}
