module example.com/brokenbench

go 1.26
