using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Data;

public class SchemaSyncTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    private static DocTypeMeta Meta(params DocField[] fields) => new()
    {
        Name = "Sync Probe",
        Module = "Custom",
        Fields = [.. fields],
    };

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task AddingAFieldKeepsTheRows(DbKind kind)
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(kind);
        await using var db = await site.OpenDatabaseAsync();
        var q = db.Dialect.Quote;

        var v1 = Meta(new DocField { FieldName = "title", FieldType = "Data" }, new DocField { FieldName = "qty", FieldType = "Int" });
        await SchemaSync.SyncAsync(db, v1);
        for (var i = 1; i <= 3; i++)
            await Rows.InsertAsync(db, v1.TableName, new Dictionary<string, object?> { ["name"] = $"P-{i}", ["title"] = $"row {i}", ["qty"] = i, ["creation"] = DbTime.Now(), ["modified"] = DbTime.Now() });

        var v2 = Meta(
            new DocField { FieldName = "title", FieldType = "Data" },
            new DocField { FieldName = "qty", FieldType = "Int" },
            new DocField { FieldName = "notes", FieldType = "Long Text" },
            new DocField { FieldName = "rate", FieldType = "Currency" },
            new DocField { FieldName = "code", FieldType = "Data", SearchIndex = 1 },
            new DocField { FieldName = "section", FieldType = "Section Break" });
        await SchemaSync.SyncAsync(db, v2);
        // A second sync with nothing new is a no-op, not an error.
        await SchemaSync.SyncAsync(db, v2);

        var columns = await db.Dialect.ColumnsAsync(db, v2.TableName);
        Assert.Contains("notes", columns);
        Assert.Contains("rate", columns);
        Assert.Contains("code", columns);
        Assert.DoesNotContain("section", columns);
        foreach (var standard in new[] { "name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "_user_tags", "_comments", "_assign", "_liked_by" })
            Assert.Contains(standard, columns);

        var rows = await db.QueryAsync($"SELECT {q("name")}, {q("title")}, {q("qty")}, {q("rate")} FROM {q(v2.TableName)} ORDER BY {q("name")}", []);
        Assert.Equal(["P-1", "P-2", "P-3"], rows.Select(r => (string)r["name"]!));
        Assert.Equal("row 2", rows[1]["title"]);
        Assert.Equal(2L, Convert.ToInt64(rows[1]["qty"], System.Globalization.CultureInfo.InvariantCulture));
        // New numeric columns read as 0 for old rows, as Frappe's defaults make them.
        Assert.Equal(0m, Convert.ToDecimal(rows[0]["rate"], System.Globalization.CultureInfo.InvariantCulture));

        var indexes = await db.Dialect.IndexesAsync(db, v2.TableName);
        Assert.Contains(db.Dialect.IndexName(v2.TableName, "code", unique: false), indexes);
        // The default sort column is indexed on every parent table, as Frappe v16 does.
        Assert.Contains(db.Dialect.IndexName(v2.TableName, "creation", unique: false), indexes);
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task ChildTablesGetParentColumnsAndIndex(DbKind kind)
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(kind);
        await using var db = await site.OpenDatabaseAsync();
        var child = new DocTypeMeta { Name = "Sync Probe Item", IsTable = 1, Fields = [new DocField { FieldName = "item", FieldType = "Link", Options = "Item" }] };

        await SchemaSync.SyncAsync(db, child);

        var columns = await db.Dialect.ColumnsAsync(db, child.TableName);
        Assert.Superset(new HashSet<string> { "parent", "parentfield", "parenttype", "item" }, columns);
        Assert.DoesNotContain("_user_tags", columns);
        Assert.Contains(db.Dialect.IndexName(child.TableName, "parent", unique: false), await db.Dialect.IndexesAsync(db, child.TableName));
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task UniqueOverDuplicatesIsAClearErrorAndKeepsData(DbKind kind)
    {
        await using var bench = new TempBench();
        var site = await bench.CreateSiteAsync(kind);
        await using var db = await site.OpenDatabaseAsync();
        var v1 = Meta(new DocField { FieldName = "code", FieldType = "Data" });
        await SchemaSync.SyncAsync(db, v1);
        await Rows.InsertAsync(db, v1.TableName, new Dictionary<string, object?> { ["name"] = "A", ["code"] = "same" });
        await Rows.InsertAsync(db, v1.TableName, new Dictionary<string, object?> { ["name"] = "B", ["code"] = "same" });

        var ex = await Assert.ThrowsAsync<BenchException>(() => SchemaSync.SyncAsync(db, Meta(new DocField { FieldName = "code", FieldType = "Data", Unique = 1 })));

        Assert.Contains("Sync Probe.code", ex.Message);
        Assert.Equal(2L, Convert.ToInt64(await db.ScalarAsync($"SELECT COUNT(*) FROM {db.Dialect.Quote(v1.TableName)}", []), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("tabUser`; DROP TABLE x; --")]
    [InlineData("Bad\"Name")]
    [InlineData("")]
    public void HostileDocTypeNamesAreRejectedBeforeAnySql(string name)
    {
        var json = $$"""{"name": {{System.Text.Json.JsonSerializer.Serialize(name)}}, "fields": []}""";
        Assert.Throws<InvalidDataException>(() => DocTypeMeta.Parse(json, "test"));
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("x; drop")]
    [InlineData("a`b")]
    [InlineData("modified")]
    public void HostileOrClashingFieldNamesAreRejected(string field)
    {
        var json = $$"""{"name": "Probe", "fields": [{"fieldname": {{System.Text.Json.JsonSerializer.Serialize(field)}}, "fieldtype": "Data"}]}""";
        Assert.Throws<InvalidDataException>(() => DocTypeMeta.Parse(json, "test"));
    }
}
