//go:build verifarm_cgo

package main

// Linking a package that uses cgo makes this an ordinary cgo executable; the
// EXTERNAL build variant sets this tag. (cgo cannot sit in package main beside
// Go assembly files.)
import "safecopy/internal/cgomarker"

var cgoMarker = cgomarker.Marker()
