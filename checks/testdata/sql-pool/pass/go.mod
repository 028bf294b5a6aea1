module example.com/sqlpoolpass

go 1.22
