package exchange

import (
	"sort"
	"sync"

	"github.com/unifex-go/unifex/errors"
)

// Constructor builds an exchange from a configuration.
type Constructor func(cfg Config) (Exchange, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]Constructor{}
)

// Register makes an adapter available to New under id. Adapters call it from
// init. As with database/sql.Register, an empty id, a nil constructor or an
// id registered twice is a programming error caught at program start, and
// panics.
func Register(id string, c Constructor) {
	if id == "" || c == nil {
		panic("exchange.Register: an id and a constructor are required")
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[id]; dup {
		panic("exchange.Register: " + id + " is registered twice")
	}
	registry[id] = c
}

// New builds the exchange registered as id (import the adapter, or
// github.com/unifex-go/unifex/adapters/all, for it to be registered).
// An unknown id gives an error that matches errors.NotSupported.
func New(id string, cfg Config) (Exchange, error) {
	registryMu.RLock()
	c, ok := registry[id]
	registryMu.RUnlock()
	if !ok {
		return nil, errors.Newf(errors.NotSupported, "no exchange "+id+" is registered (import its adapter package)")
	}
	return c(cfg)
}

// IDs lists the registered exchange ids, sorted.
func IDs() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]string, 0, len(registry))
	for id := range registry {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
