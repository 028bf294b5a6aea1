module example.com/sqlpoolfail

go 1.22
