package logcapture

import (
	"strings"
	"sync"
	"testing"
)

func TestConcurrentLogging(t *testing.T) {
	var b Buffer
	log := b.Logger()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			log.Debug("line", "n", i)
		}()
	}
	wg.Wait()
	if got := strings.Count(b.String(), "msg=line"); got != 8 {
		t.Fatalf("%d debug records captured, want 8:\n%s", got, b.String())
	}
}
