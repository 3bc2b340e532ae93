//go:build verifarm_cgo

package main

// Importing C makes this a cgo program linked by the external linker; the
// EXTERNAL build variant sets this tag.

// static int verifarm_cgo_marker(void) { return 1; }
import "C"

var cgoMarker = int(C.verifarm_cgo_marker())
