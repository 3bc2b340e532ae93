module stubs

go 1.19

require verifarm.dev/probe v0.0.0

// The probe library of this repository (probe/go), as a user of a checkout would take it.
replace verifarm.dev/probe => ../../../../../probe/go
