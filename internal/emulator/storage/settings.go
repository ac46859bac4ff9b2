package storage

import (
	"encoding/json"
	"maps"
)

// keptSettings are the writable account properties of the 2024-01-01 spec
// (AccountPropertiesCreateParameters / AccountPropertiesUpdateParameters)
// the emulator does not act on but, as Azure does, keeps and answers: a
// body that sets one replaces the stored value whole.
var keptSettings = []string{
	"sasPolicy", "keyPolicy", "routingPreference", "isSftpEnabled", "allowedCopyScope",
	"dnsEndpointType", "immutableStorageWithVersioning", "isNfsV3Enabled",
	"azureFilesIdentityBasedAuthentication", "enableExtendedGroups", "isLocalUserEnabled",
	"customDomain", "largeFileSharesState", "defaultToOAuthAuthentication",
	"allowCrossTenantReplication",
}

// settings are the kept properties of an account, by JSON name.
type settings map[string]json.RawMessage

// keep copies the kept properties a body's properties object sets.
func (s *settings) keep(raw map[string]json.RawMessage) {
	for _, k := range keptSettings {
		if v, ok := raw[k]; ok {
			if *s == nil {
				*s = settings{}
			}
			(*s)[k] = v
		}
	}
}

// routing is the stored routingPreference, for the endpoints it publishes.
func (s settings) routing() routingPreference {
	var r routingPreference
	if v, ok := s["routingPreference"]; ok {
		_ = json.Unmarshal(v, &r)
	}
	return r
}

type routingPreference struct {
	PublishMicrosoftEndpoints bool `json:"publishMicrosoftEndpoints"`
	PublishInternetEndpoints  bool `json:"publishInternetEndpoints"`
}

// accountPropertiesFields is AccountProperties without its methods, for
// the default encoding.
type accountPropertiesFields AccountProperties

// MarshalJSON answers the kept settings beside the computed properties.
func (p AccountProperties) MarshalJSON() ([]byte, error) {
	known, err := json.Marshal(accountPropertiesFields(p))
	if err != nil || len(p.Settings) == 0 {
		return known, err
	}
	all := map[string]json.RawMessage{}
	maps.Copy(all, p.Settings)
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(known, &fields); err != nil {
		return nil, err
	}
	maps.Copy(all, fields)
	return json.Marshal(all)
}

// UnmarshalJSON reads a stored account back, kept settings included.
func (p *AccountProperties) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, (*accountPropertiesFields)(p)); err != nil {
		return err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	p.Settings = nil
	p.Settings.keep(raw)
	return nil
}

// propertiesInputFields is propertiesInput without its methods.
type propertiesInputFields propertiesInput

// UnmarshalJSON reads a body's properties, keeping the raw object for the
// kept settings.
func (p *propertiesInput) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, (*propertiesInputFields)(p)); err != nil {
		return err
	}
	return json.Unmarshal(b, &p.raw)
}
