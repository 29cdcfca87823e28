package fhir

// Bundle is a collection of resources (R4 Bundle): a transaction, a search
// result, a document, a collection. Its entries hold resources of any type,
// modelled or not (*RawResource).
type Bundle struct {
	ID            string        `json:"id"`
	Meta          *Meta         `json:"meta"`
	ImplicitRules string        `json:"implicitRules"`
	Language      string        `json:"language"`
	Identifier    *Identifier   `json:"identifier"`
	Type          string        `json:"type"`      // document | message | transaction | batch | searchset | collection | …
	Timestamp     string        `json:"timestamp"` // FHIR instant
	Total         *int64        `json:"total"`
	Link          []BundleLink  `json:"link"`
	Entry         []BundleEntry `json:"entry"`
	Extra         Extra
}

// BundleLink is a link that relates to the bundle or an entry (R4
// Bundle.link).
type BundleLink struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	Relation          string      `json:"relation"`
	URL               string      `json:"url"`
	Extra             Extra
}

// BundleEntry is one entry of a bundle (R4 Bundle.entry).
type BundleEntry struct {
	ID                string               `json:"id"`
	Extension         []Extension          `json:"extension"`
	ModifierExtension []Extension          `json:"modifierExtension"`
	Link              []BundleLink         `json:"link"`
	FullURL           string               `json:"fullUrl"`
	Resource          Resource             `json:"resource"`
	Search            *BundleEntrySearch   `json:"search"`
	Request           *BundleEntryRequest  `json:"request"`
	Response          *BundleEntryResponse `json:"response"`
	Extra             Extra
}

// BundleEntrySearch says why an entry is in a search result (R4
// Bundle.entry.search).
type BundleEntrySearch struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	Mode              string      `json:"mode"` // match | include | outcome
	Score             Decimal     `json:"score"`
	Extra             Extra
}

// BundleEntryRequest is the request of a transaction or batch entry (R4
// Bundle.entry.request).
type BundleEntryRequest struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	Method            string      `json:"method"` // GET | HEAD | POST | PUT | DELETE | PATCH
	URL               string      `json:"url"`
	IfNoneMatch       string      `json:"ifNoneMatch"`
	IfModifiedSince   string      `json:"ifModifiedSince"`
	IfMatch           string      `json:"ifMatch"`
	IfNoneExist       string      `json:"ifNoneExist"`
	Extra             Extra
}

// BundleEntryResponse is the result of a transaction or batch entry (R4
// Bundle.entry.response).
type BundleEntryResponse struct {
	ID                string      `json:"id"`
	Extension         []Extension `json:"extension"`
	ModifierExtension []Extension `json:"modifierExtension"`
	Status            string      `json:"status"`
	Location          string      `json:"location"`
	Etag              string      `json:"etag"`
	LastModified      string      `json:"lastModified"`
	Outcome           Resource    `json:"outcome"`
	Extra             Extra
}
