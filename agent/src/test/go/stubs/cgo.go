//go:build verifarm_cgo

package main

// Linking a package that uses cgo makes this an ordinary cgo executable; the
// EXTERNAL build variant sets this tag. (The cgo code cannot live in package
// main itself: the go command refuses cgo beside Go assembly files.)
import "stubs/internal/cgomarker"

var cgoMarker = cgomarker.Marker()
