
namespace SharpBench.Data;

/// <summary>
/// Framework tables that are not DocTypes (frappe/database/mariadb/framework_mariadb.sql): Single values, naming series
/// counters, password hashes, sessions and defaults. Created with the same dialect DDL.
/// </summary>
public static class SystemTables
{
    private sealed record Table(string Name, IReadOnlyList<ColumnSpec> Columns, string[] PrimaryKey, IReadOnlyList<string[]> Indexes);

    private static readonly Table[] All =
    [
        new("tabSingles",
            [new("doctype", ColumnKind.Varchar, 140, NotNull: true), new("field", ColumnKind.Varchar, 140, NotNull: true), new("value", ColumnKind.LongText)],
            ["doctype", "field"], []),
        new("tabSeries",
            [new("name", ColumnKind.Varchar, 100, NotNull: true), new("current", ColumnKind.BigInt, NotNull: true, Default: "0")],
            ["name"], []),
        new("__Auth",
            [new("doctype", ColumnKind.Varchar, 140, NotNull: true), new("name", ColumnKind.Varchar, 255, NotNull: true),
             new("fieldname", ColumnKind.Varchar, 140, NotNull: true), new("password", ColumnKind.Text), new("encrypted", ColumnKind.Check, NotNull: true, Default: "0")],
            ["doctype", "name", "fieldname"], []),
        new("tabSessions",
            [new("sid", ColumnKind.Varchar, 255, NotNull: true), new("user", ColumnKind.Varchar, 255), new("sessiondata", ColumnKind.LongText),
             new("ipaddress", ColumnKind.Varchar, 16), new("lastupdate", ColumnKind.Datetime), new("status", ColumnKind.Varchar, 20)],
            ["sid"], [["user"]]),
        new("tabDefaultValue",
            [new("name", ColumnKind.Varchar, 140, NotNull: true), new("parent", ColumnKind.Varchar, 140), new("defkey", ColumnKind.Varchar, 140),
             new("defvalue", ColumnKind.Text), new("creation", ColumnKind.Datetime), new("modified", ColumnKind.Datetime)],
            ["name"], [["parent", "defkey"]]),
    ];

    public static async Task EnsureAsync(Database db, CancellationToken ct = default) => await EnsureTablesAsync(db, ct);

    /// <summary>
    /// Creates what is missing and returns every table the database holds afterwards, so migrate
    /// reads the catalogue once for its schema passes instead of once per pass.
    /// </summary>
    internal static async Task<HashSet<string>> EnsureTablesAsync(Database db, CancellationToken ct = default)
    {
        var d = db.Dialect;
        // One catalogue read instead of a CREATE TABLE IF NOT EXISTS per table: migrate calls this
        // on every run, and on a site that has them all it then costs a single query.
        var present = (await TableCatalogue.TablesAsync(db, ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var t in All)
        {
            var created = present.Add(t.Name);
            if (created)
                await db.ExecuteAsync(d.CreateTable(t.Name, t.Columns, t.PrimaryKey), [], ct);
            if (t.Indexes.Count == 0)
                continue;
            HashSet<string> existing = created ? [] : await d.IndexesAsync(db, t.Name, ct);
            foreach (var cols in t.Indexes)
            {
                var name = d.IndexName(t.Name, string.Join("_", cols), unique: false);
                if (!existing.Contains(name))
                    await db.ExecuteAsync(d.CreateIndex(t.Name, name, cols, unique: false), [], ct);
            }
        }
        return present;
    }
}
