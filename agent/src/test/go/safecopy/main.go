// Command safecopy is a Verifarm test fixture built like gVisor's
// pkg/safecopy: it records the address ranges of its assembly functions,
// where a signal handler would recover faults.
//
// Built plainly it is safecopy before gVisor's fix (taken.go): the ranges
// start at the functions' Go func values, which are the ABIInternal→ABI0
// wrappers, not the bodies, so they guard the wrong code. Built with the tag
// fixed it is safecopy after the fix (fixed.go): each range starts at the
// address a resolver stub (addrOfMemcpy and kin) yields, the body, and no Go
// code takes the func value of an assembly function.
//
// Run, it prints each recorded range and the function runtime.FuncForPC
// names at its start: the wrapper and the body carry the same name there.
package main

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Implemented in safecopy_$GOARCH.s.
func memcpy(dst, src, n uintptr)
func memclr(ptr, n uintptr)
func swapUint32(ptr unsafe.Pointer, new uint32) (old uint32)
func swapUint64(ptr unsafe.Pointer, new uint64) (old uint64)
func loadUint32(ptr unsafe.Pointer) (val uint32)

// The resolver stubs, also in safecopy_$GOARCH.s; only the fixed build
// calls them.
func addrOfMemcpy() uintptr
func addrOfMemclr() uintptr
func addrOfSwapUint32() uintptr
func addrOfSwapUint64() uintptr
func addrOfLoadUint32() uintptr

// faultRange is where a fault inside an assembly function would be recovered.
type faultRange struct {
	name       string
	begin, end uintptr
}

var faultRanges []faultRange

// addFaultRange records the range that starts at begin.
func addFaultRange(name string, begin uintptr) {
	faultRanges = append(faultRanges, faultRange{name, begin, findEndAddress(begin)})
}

// findEndAddress is gVisor's safecopy.FindEndAddress: the first address at or
// after begin that runtime.FuncForPC attributes to another function.
func findEndAddress(begin uintptr) uintptr {
	f := runtime.FuncForPC(begin)
	if f != nil {
		for p := begin; ; p++ {
			if runtime.FuncForPC(p) != f {
				return p
			}
		}
	}
	return begin
}

func main() {
	var word uint64 = 7
	var small uint32 = 5
	buf := []byte("safecopy")
	out := make([]byte, len(buf))
	memcpy(uintptr(unsafe.Pointer(&out[0])), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	memclr(uintptr(unsafe.Pointer(&buf[0])), 4)
	prev := swapUint32(unsafe.Pointer(&small), 6)
	fmt.Printf("copied %q, cleared %q, swapped %d for %d, loaded %d, %s\n", out, buf, prev, small,
		loadUint32(unsafe.Pointer(&small)), swap(&word))
	runtime.KeepAlive(buf)
	for _, r := range faultRanges {
		fmt.Printf("fault range %s [%#x, %#x) %s\n", r.name, r.begin, r.end, runtime.FuncForPC(r.begin).Name())
	}
}
