module safecopy

go 1.19
