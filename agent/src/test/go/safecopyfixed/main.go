// Command safecopyfixed is the safecopy fixture after gVisor's fix: each
// assembly function's range starts at the address its resolver stub yields
// (addrOfMemcpy and kin), which is the body, and no Go code takes the func
// value of an assembly function. A hazard scan finds no user hazard here.
//
// Run, it prints each recorded range and the function runtime.FuncForPC names
// at its start.
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

// The resolver stubs, also in safecopy_$GOARCH.s.
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

func init() {
	// The stubs are called, never taken as values: their func values would be
	// wrappers too, harmless only because nothing would use them as addresses.
	begins := [...]struct {
		name  string
		begin uintptr
	}{
		{"memcpy", addrOfMemcpy()},
		{"memclr", addrOfMemclr()},
		{"swapUint32", addrOfSwapUint32()},
		{"swapUint64", addrOfSwapUint64()},
		{"loadUint32", addrOfLoadUint32()},
	}
	for _, b := range begins {
		faultRanges = append(faultRanges, faultRange{b.name, b.begin, findEndAddress(b.begin)})
	}
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
	old := swapUint64(unsafe.Pointer(&word), 9)
	prev := swapUint32(unsafe.Pointer(&small), 6)
	fmt.Printf("copied %q, cleared %q, swapped %d for %d and %d for %d, loaded %d\n", out, buf, old, word, prev,
		small, loadUint32(unsafe.Pointer(&small)))
	for _, r := range faultRanges {
		fmt.Printf("fault range %s [%#x, %#x) %s\n", r.name, r.begin, r.end, runtime.FuncForPC(r.begin).Name())
	}
}
