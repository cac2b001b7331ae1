package cs

/*
#include <stddef.h>
extern void ts_set_allocator(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t), void (*)(void *));
static void use_libc_allocator(void) { ts_set_allocator(NULL, NULL, NULL, NULL); }
*/
import "C"

// go-tree-sitter v0.25.0 routes every tree-sitter allocation through Go
// trampolines; switching back to libc malloc makes parsing 1.5-1.6x faster
// (LIBRARIES.md §1 "Throughput"). Safe because nothing here installs a custom
// allocator. Package init order guarantees the binding's own init ran first.
func init() { C.use_libc_allocator() }
