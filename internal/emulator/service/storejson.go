package service

import (
	"encoding/json"
	"fmt"

	"github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"
)

// GetJSON reads the JSON value stored under key into a new T.
func GetJSON[T any](r store.Reader, key string) (*T, bool, error) {
	raw, ok := r.Get(key)
	if !ok {
		return nil, false, nil
	}
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, false, fmt.Errorf("stored value %s: %w", key, err)
	}
	return v, true, nil
}

// PutJSON stores v as JSON under key.
func PutJSON(tx *store.Tx, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tx.Put(key, raw)
	return nil
}
