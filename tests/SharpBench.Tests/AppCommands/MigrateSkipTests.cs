using SharpBench.CoreApp;
using SharpBench.Data;
using SharpBench.Install;
using SharpBench.Model;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.AppCommands;

/// <summary>
/// Migrate skips a DocType whose definition has not changed since its last sync (Frappe's
/// migration_hash), and still syncs one that changed, is new, or lost its table.
/// </summary>
public class MigrateSkipTests
{
    private const string NoteV1 = """
        {"name": "Skip Note", "module": "Skip Test", "fields": [
          {"fieldname": "title", "fieldtype": "Data", "label": "Title"}
        ], "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]}
        """;

    // What an app update brings: one more field, indexed.
    private const string NoteV2 = """
        {"name": "Skip Note", "module": "Skip Test", "fields": [
          {"fieldname": "title", "fieldtype": "Data", "label": "Title"},
          {"fieldname": "due_note", "fieldtype": "Data", "label": "Due Note", "search_index": 1}
        ], "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}]}
        """;

    private const string Task = """
        {"name": "Skip Task", "module": "Skip Test", "fields": [
          {"fieldname": "subject", "fieldtype": "Data", "label": "Subject"}
        ], "permissions": []}
        """;

    /// <summary>An app whose DocType JSON the test edits between migrations, as an upgrade would.</summary>
    private sealed class JsonApp(params string[] doctypes) : SharpBench.Apps.App
    {
        public override string Name => "skip_test_app";

        public override IEnumerable<DocTypeMeta> DocTypes() => doctypes.Select(j => DocTypeMeta.Parse(j, "skip_test_app")).ToList();
    }

    private static async Task<List<string>> MigrateAsync(Site site, SharpBench.Apps.App app)
    {
        var steps = new List<string>();
        await using var db = await site.OpenDatabaseAsync();
        await SiteInstaller.MigrateSchemaAsync(db, [FrappeApp.Instance, app], steps.Add);
        return steps;
    }

    /// <summary>This connection's count of DDL statements (MariaDB's per-session Com_* counters).</summary>
    private static async Task<long> DdlCountAsync(Database db)
    {
        var rows = await db.QueryAsync(
            "SELECT SUM(variable_value) AS n FROM information_schema.session_status WHERE variable_name IN ('COM_CREATE_TABLE', 'COM_ALTER_TABLE', 'COM_CREATE_INDEX', 'COM_DROP_TABLE', 'COM_DROP_INDEX')", []);
        return Convert.ToInt64(rows[0]["n"], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task AnUnchangedSiteMigratesWithoutAnyDdl()
    {
        await using var tb = new TempBench();
        var site = await tb.CreateSiteAsync(DbKind.MariaDb);
        var app = new JsonApp(NoteV1);
        await MigrateAsync(site, app);

        var steps = new List<string>();
        await using var db = await site.OpenDatabaseAsync();
        var before = await DdlCountAsync(db);
        await SiteInstaller.MigrateSchemaAsync(db, [FrappeApp.Instance, app], steps.Add);
        Assert.Equal(before, await DdlCountAsync(db));
        Assert.DoesNotContain(steps, s => s.StartsWith("Syncing", StringComparison.Ordinal) || s.StartsWith("Writing DocType", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.MariaDb)]
    public async Task AChangedDocTypeJsonIsSyncedItsNewColumnAndIndexAppear(DbKind kind)
    {
        await using var tb = new TempBench();
        var site = await tb.CreateSiteAsync(kind);
        await MigrateAsync(site, new JsonApp(NoteV1));
        await using (var db = await site.OpenDatabaseAsync())
            Assert.DoesNotContain("due_note", await db.Dialect.ColumnsAsync(db, "tabSkip Note"));

        var steps = await MigrateAsync(site, new JsonApp(NoteV2));

        Assert.Contains("Syncing skip_test_app: Skip Note", steps);
        Assert.DoesNotContain(steps, s => s.StartsWith("Syncing frappe", StringComparison.Ordinal));
        await using (var db = await site.OpenDatabaseAsync())
        {
            Assert.Contains("due_note", await db.Dialect.ColumnsAsync(db, "tabSkip Note"));
            Assert.Contains(db.Dialect.IndexName("tabSkip Note", "due_note", unique: false), await db.Dialect.IndexesAsync(db, "tabSkip Note"));
            var d = db.Dialect;
            Assert.Equal(1L, Convert.ToInt64(await db.ScalarAsync(
                $"SELECT COUNT(*) FROM {d.Quote("tabDocField")} WHERE {d.Quote("parent")} = @p0 AND {d.Quote("fieldname")} = @p1", ["Skip Note", "due_note"]),
                System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData(DbKind.Sqlite)]
    [InlineData(DbKind.MariaDb)]
    public async Task ADocTypeMissingFromTheDatabaseIsCreated(DbKind kind)
    {
        await using var tb = new TempBench();
        var site = await tb.CreateSiteAsync(kind);
        await MigrateAsync(site, new JsonApp(NoteV1));

        // A DocType the app adds in an update: its table and its tabDocType row are made.
        var steps = await MigrateAsync(site, new JsonApp(NoteV1, Task));
        Assert.Equal(["Syncing skip_test_app: Skip Task"], steps.Where(s => s.StartsWith("Syncing", StringComparison.Ordinal)));
        await using (var db = await site.OpenDatabaseAsync())
        {
            Assert.Contains("subject", await db.Dialect.ColumnsAsync(db, "tabSkip Task"));
            Assert.True(await Rows.ExistsAsync(db, "tabDocType", "Skip Task"));
            // A table dropped behind migrate's back, its definition unchanged, is made again.
            await db.ExecuteAsync($"DROP TABLE {db.Dialect.Quote("tabSkip Note")}", []);
        }
        steps = await MigrateAsync(site, new JsonApp(NoteV1, Task));
        Assert.Equal(["Syncing skip_test_app: Skip Note"], steps.Where(s => s.StartsWith("Syncing", StringComparison.Ordinal)));
        await using (var db = await site.OpenDatabaseAsync())
            Assert.Contains("title", await db.Dialect.ColumnsAsync(db, "tabSkip Note"));
    }
}
