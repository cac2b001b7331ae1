package rewrite

// SetTreeBudget sets the bytes of source whose trees may stay open (see
// treeBudget) and returns the function that restores the default.
func SetTreeBudget(n int64) (restore func()) {
	treeBudget.Store(n)
	return func() { treeBudget.Store(treeBudgetBytes) }
}
