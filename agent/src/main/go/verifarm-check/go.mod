module verifarm.dev/verifarm-check

go 1.19
