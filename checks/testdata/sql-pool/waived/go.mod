module example.com/sqlpoolwaived

go 1.22
