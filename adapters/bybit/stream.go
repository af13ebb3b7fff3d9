package bybit

import "github.com/unifex-go/unifex/internal/engine"

// streamSpec describes the public streams to the engine.
func (x *Exchange) streamSpec() *engine.Spec { return nil }
