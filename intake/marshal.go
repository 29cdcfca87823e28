package intake

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tendo-health/tendo"
)

// Marshal encodes a as JSON with the contract's field names, leaving out
// every absent field, so that Parse(Marshal(a)) gives back an equal
// assessment. An empty Schema is written as tendo.SchemaV1, the only
// version this package writes; any other version is an error. Marshal does
// not check the values; Parse does.
func Marshal(a *tendo.Assessment) ([]byte, error) {
	if a == nil {
		return nil, errors.New("intake: marshal a nil assessment")
	}
	c := *a
	switch c.Schema {
	case "":
		c.Schema = tendo.SchemaV1
	case tendo.SchemaV1:
	default:
		return nil, fmt.Errorf("intake: cannot write schema %q; want %q", c.Schema, tendo.SchemaV1)
	}
	return json.Marshal(&c)
}
