package emulator

import "github.com/azuredr/terraform-provider-azuredr/internal/emulator/store"

// PutRecordForTest stores body under id as is: the Site Recovery tests use
// it to stand in for a protected item, which another type writes.
func (s *Server) PutRecordForTest(id, body string) error {
	return s.store.Update(func(tx *store.Tx) error {
		tx.Put(id, []byte(body))
		return nil
	})
}
