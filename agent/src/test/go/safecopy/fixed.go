//go:build fixed

package main

import (
	"fmt"
	"unsafe"
)

// The stubs are called, never taken as values: their func values would be
// wrappers too, harmless only because nothing would use them as addresses.
func init() {
	addFaultRange("memcpy", addrOfMemcpy())
	addFaultRange("memclr", addrOfMemclr())
	addFaultRange("swapUint32", addrOfSwapUint32())
	addFaultRange("swapUint64", addrOfSwapUint64())
	addFaultRange("loadUint32", addrOfLoadUint32())
}

// swap calls swapUint64 directly.
func swap(word *uint64) string {
	old := swapUint64(unsafe.Pointer(word), 9)
	return fmt.Sprintf("swapped %d for %d", old, *word)
}
