package rewrite

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// forEach calls f(0), …, f(n-1) on up to GOMAXPROCS goroutines and waits.
// Parsing and the rules are the pipeline's work and files are independent,
// so this is where the cores are used. A panic in f is raised again in the
// caller, carrying the stack where it happened, so guarded still names the
// rule's line.
func forEach(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var failure *workerPanic
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					once.Do(func() { failure = &workerPanic{value: v, stack: debug.Stack()} })
					next.Store(int64(n)) // the others stop after their current item
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
}

// A workerPanic is a panic raised on one of forEach's goroutines.
type workerPanic struct {
	value any
	stack []byte
}
