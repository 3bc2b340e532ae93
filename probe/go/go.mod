module verifarm.dev/probe

go 1.19
