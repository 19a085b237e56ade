namespace SharpBench.Data;

public enum DbKind
{
    MariaDb,
    Postgres,
    Sqlite,
}

public static class DbKinds
{
    /// <summary>Parses the <c>db_type</c> config value as Frappe spells it.</summary>
    public static DbKind Parse(string? dbType) => (dbType ?? "mariadb").Trim().ToLowerInvariant() switch
    {
        "mariadb" or "mysql" => DbKind.MariaDb,
        "postgres" or "postgresql" => DbKind.Postgres,
        "sqlite" => DbKind.Sqlite,
        var other => throw new BenchException($"Unknown db_type '{other}': use mariadb, postgres or sqlite."),
    };

    public static string ConfigName(this DbKind kind) => kind switch
    {
        DbKind.MariaDb => "mariadb",
        DbKind.Postgres => "postgres",
        _ => "sqlite",
    };

    public static int DefaultPort(this DbKind kind) => kind == DbKind.Postgres ? 5432 : 3306;
}
