module stubs

go 1.19
