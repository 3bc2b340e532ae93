// Package cgomarker holds a little C so that the program, built with the
// verifarm_cgo tag, is a cgo program linked by the external linker.
package cgomarker

// static int verifarm_cgo_marker(void) { return 1; }
import "C"

// Marker calls into C.
func Marker() int { return int(C.verifarm_cgo_marker()) }
