module safecopyfixed

go 1.19
