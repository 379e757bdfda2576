module gorun

go 1.26.8
