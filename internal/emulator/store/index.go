package store

import (
	"sort"
	"strings"
)

// Entry is one key and its value, as returned by listings.
type Entry struct {
	Key   string
	Value []byte
}

// index is the in-memory state: a map for point reads and a sorted key slice
// so a prefix listing is a binary search plus a contiguous scan (ARM lists
// "everything under this id" constantly: a group's resources, a vault's items).
type index struct {
	values map[string][]byte
	keys   []string // sorted, same set as values
}

func newIndex() *index {
	return &index{values: make(map[string][]byte)}
}

func (ix *index) get(key string) ([]byte, bool) {
	v, ok := ix.values[key]
	return v, ok
}

func (ix *index) put(key string, value []byte) {
	if _, exists := ix.values[key]; !exists {
		i := sort.SearchStrings(ix.keys, key)
		ix.keys = append(ix.keys, "")
		copy(ix.keys[i+1:], ix.keys[i:])
		ix.keys[i] = key
	}
	ix.values[key] = value
}

func (ix *index) delete(key string) {
	if _, exists := ix.values[key]; !exists {
		return
	}
	delete(ix.values, key)
	i := sort.SearchStrings(ix.keys, key)
	ix.keys = append(ix.keys[:i], ix.keys[i+1:]...)
}

// list returns the entries whose key starts with prefix, in key order.
func (ix *index) list(prefix string) []Entry {
	var out []Entry
	for i := sort.SearchStrings(ix.keys, prefix); i < len(ix.keys) && strings.HasPrefix(ix.keys[i], prefix); i++ {
		k := ix.keys[i]
		out = append(out, Entry{Key: k, Value: ix.values[k]})
	}
	return out
}

// apply replays one committed transaction's writes.
func (ix *index) apply(writes []write) {
	for _, w := range writes {
		if w.delete {
			ix.delete(w.key)
		} else {
			ix.put(w.key, w.value)
		}
	}
}
