package clinic

import (
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/tendo-health/tendo"
)

// resultCache keeps the results of recent assessments, keyed by the
// SHA-256 of the assessment's contract JSON. The engine is deterministic
// (the same input and model give the same result, credible intervals
// included: assess.TestRangesDeterministic), so a repeated input — an EHR
// that calls the CDS Hooks patient-view service each time a chart opens —
// is answered from the cache with the result the engine would compute.
// Results are kept encoded and decoded on each hit, so no caller shares
// another's Result. Safe for concurrent use; least recently used entries
// go first.
type resultCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cacheEntry, most recent first
	byKey map[[sha256.Size]byte]*list.Element
}

type cacheEntry struct {
	key    [sha256.Size]byte
	result []byte
}

func newResultCache(max int) *resultCache {
	return &resultCache{max: max, order: list.New(), byKey: make(map[[sha256.Size]byte]*list.Element)}
}

// key returns the cache key of a; false when a cannot be encoded (it is
// then assessed and not cached).
func cacheKey(a *tendo.Assessment) ([sha256.Size]byte, bool) {
	b, err := json.Marshal(a)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256(b), true
}

// get returns a fresh copy of the cached result for key.
func (c *resultCache) get(key [sha256.Size]byte) (*tendo.Result, bool) {
	c.mu.Lock()
	el, ok := c.byKey[key]
	var b []byte
	if ok {
		c.order.MoveToFront(el)
		b = el.Value.(*cacheEntry).result
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	var r tendo.Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, false
	}
	return &r, true
}

// put keeps r under key, evicting the least recently used entry when
// full.
func (c *resultCache) put(key [sha256.Size]byte, r *tendo.Result) {
	b, err := json.Marshal(r)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key: key, result: b})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}
