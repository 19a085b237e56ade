namespace SharpBench.Data;

/// <summary>
/// A database server and the login to it, as a site's config gives them: what
/// <see cref="DbConnectionInfo"/> turns into a client library's connection string, and what the
/// database's command-line clients take as they are, without that library.
/// </summary>
internal sealed record DbLogin(DbEndpoint Endpoint, string User, string Password, string Database);
