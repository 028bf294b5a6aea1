module example.com/sqlpoolbroken

go 1.22
