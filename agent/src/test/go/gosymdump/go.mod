module gosymdump

go 1.19
