package store

import (
	"sort"
	"strings"
)

// Tx is one transaction: reads see the store plus the transaction's own
// writes; writes become durable and visible together when Update commits.
// A Tx must not be used after its Update returns.
type Tx struct {
	s        *Store
	writes   []write
	pos      map[string]int // key -> index in writes, so a key is written once
	onCommit []func()
}

var _ Reader = (*Tx)(nil)

// Get implements Reader.
func (tx *Tx) Get(key string) ([]byte, bool) {
	k := Key(key)
	if i, ok := tx.pos[k]; ok {
		w := tx.writes[i]
		return w.value, !w.delete
	}
	return tx.s.Get(k)
}

// List implements Reader.
func (tx *Tx) List(prefix string) []Entry {
	base := tx.s.List(prefix)
	p := Key(prefix)
	changed := false
	for k := range tx.pos {
		if strings.HasPrefix(k, p) {
			changed = true
			break
		}
	}
	if !changed {
		return base
	}
	merged := make(map[string][]byte, len(base))
	for _, e := range base {
		merged[e.Key] = e.Value
	}
	for k, i := range tx.pos {
		if !strings.HasPrefix(k, p) {
			continue
		}
		if w := tx.writes[i]; w.delete {
			delete(merged, k)
		} else {
			merged[k] = w.value
		}
	}
	out := make([]Entry, 0, len(merged))
	for k, v := range merged {
		out = append(out, Entry{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Put stores a copy of value under key.
func (tx *Tx) Put(key string, value []byte) {
	tx.set(write{key: Key(key), value: append([]byte(nil), value...)})
}

// Delete removes key; deleting a missing key is not an error.
func (tx *Tx) Delete(key string) {
	tx.set(write{key: Key(key), delete: true})
}

func (tx *Tx) set(w write) {
	if i, ok := tx.pos[w.key]; ok {
		tx.writes[i] = w
		return
	}
	tx.pos[w.key] = len(tx.writes)
	tx.writes = append(tx.writes, w)
}

// OnCommit registers fn to run after the transaction is durable and visible
// (never if it is aborted). fn runs while the store still serialises writers,
// so it must not start another transaction.
func (tx *Tx) OnCommit(fn func()) {
	tx.onCommit = append(tx.onCommit, fn)
}
