// Package sqlpool finds database/sql connection pools that are opened
// without limits. It is the engine of the policy's sql-pool check
// ("database pooling configured").
//
// # Rule
//
// Every *sql.DB that comes from [database/sql.Open] or
// [database/sql.OpenDB] must be given all three of
//
//   - SetMaxOpenConns (the default is unlimited open connections),
//   - SetMaxIdleConns (the default keeps 2 idle connections), and
//   - SetConnMaxLifetime (the default keeps connections forever).
//
// SetConnMaxIdleTime (Go 1.15) does not stand in for SetConnMaxLifetime:
// a busy pool never idles, so only a lifetime recycles its connections
// (after a failover, a DNS change or a server-side timeout).
//
// A violation is reported at the sql.Open or sql.OpenDB call and names the
// setters that are missing.
//
// # How the pool is followed
//
// [Analyzer] works on one package at a time, with its syntax and type
// information. From each Open call it follows the *sql.DB value to the
// objects that hold it: the variable it is assigned to (local or package
// level), the struct field it is stored in (by assignment or in a struct
// literal), the parameter of a function of the same package it is passed
// to, and, when it is returned, the variables that the package's call
// sites of that function assign the result to (a named result and a
// function literal that is called, or assigned to a variable that is
// called, are followed too). A generic function that returns the argument
// it is given, like Must[T any](v T, err error) T, passes the pool through
// to its result, whatever its package. A setter counts when it is called
// on any of those objects anywhere in the package: on a local variable in
// its function and the closures in it, on a field through any selector
// that resolves to the same field (also a promoted method of an embedded
// *sql.DB field), on a package variable anywhere. The analysis does not
// follow the order of statements: a variable that holds two pools counts
// the setters of both for each.
//
// # A pool that leaves the package
//
// The pool must be configured in the package that opens it. When the
// *sql.DB leaves the package — returned by an exported function or method,
// passed to a function of another package, stored in an exported variable
// or field, a map, a slice or a channel — setters called by other packages
// are not seen, and a pool that lacks some is reported at its Open call
// with where it went, e.g. "(it is returned by exported Open)". Following
// the pool into the importing packages would take analysis facts, and an
// analyzer with facts runs on every dependency from source: about seven
// times the load time of type information from export data. Configuring
// the pool next to sql.Open is also where a reader looks for it. A DB converted to an interface (a Querier, say) is not
// followed: no setter can be called through it.
//
// # Not for
//
// Only database/sql is understood. Wrappers such as sqlx.Open,
// sqlx.Connect or gorm.Open are not followed, so the pools they open are
// not checked; and a *sql.DB from sql.Open handed to a wrapper (sqlx.NewDb)
// counts only the setters called on the *sql.DB itself. A *sql.DB that
// does not come from an Open call in the package — a function parameter,
// a field filled by another package — is not checked there. Test files
// are not analyzed by [Run].
package sqlpool
