module example.com/fixedsig

go 1.26
