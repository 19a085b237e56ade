using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Tests.Model;

/// <summary>
/// The list engine on all three databases: a custom DocType with a child table is created once
/// per database, filled with known rows, then queried every way frappe/model/db_query.py allows.
/// </summary>
[Collection(ModelSitesCollection.Name)]
public sealed class ListQueryTests(ModelSites sites)
{
    private static readonly Dictionary<DbKind, (string Parent, string Child)> Made = [];
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private async Task<(string Parent, string Child)> SetUpAsync(DbKind kind)
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(kind, out var made))
                return made;
            var child = TestDocTypes.Unique("LQ Item");
            var parent = TestDocTypes.Unique("LQ Order");
            await using var ctx = sites.Context(kind);
            await TestDocTypes.CreateAsync(ctx, child, new JsonArray(
                TestDocTypes.Field("item", "Data"), TestDocTypes.Field("qty", "Int")), new JsonObject { ["istable"] = 1 }, new JsonArray());
            await TestDocTypes.CreateAsync(ctx, parent, new JsonArray(
                TestDocTypes.Field("title", "Data"),
                TestDocTypes.Field("qty", "Int"),
                TestDocTypes.Field("amount", "Currency"),
                TestDocTypes.Field("due", "Date"),
                TestDocTypes.Field("at", "Datetime"),
                TestDocTypes.Field("flag", "Check"),
                TestDocTypes.Field("status", "Select", "Open\nClosed"),
                TestDocTypes.Field("items", "Table", child)), new JsonObject { ["sort_field"] = "qty", ["sort_order"] = "ASC" });
            var rows = new (string Title, int Qty, decimal Amount, string? Due, string? At, int Flag, string Status, string[] Items)[]
            {
                ("Alpha", 1, 10.5m, "2024-01-01", "2024-01-01 08:00:00", 1, "Open", ["pen", "ink"]),
                ("Beta", 2, 20m, "2024-02-01", "2024-02-01 23:30:00", 0, "Closed", ["paper"]),
                ("Gamma", 3, 30m, null, null, 0, "Open", []),
                ("delta", 4, 40m, "2024-04-01", "2024-04-01 00:00:00", 1, "Closed", ["pen"]),
                ("", 5, 0m, "2024-05-01", null, 0, "Open", []),
            };
            foreach (var r in rows)
            {
                var v = new JsonObject { ["title"] = r.Title, ["qty"] = r.Qty, ["amount"] = r.Amount, ["due"] = r.Due, ["at"] = r.At, ["flag"] = r.Flag, ["status"] = r.Status };
                v["items"] = new JsonArray(r.Items.Select(i => (JsonNode?)new JsonObject { ["item"] = i, ["qty"] = r.Qty }).ToArray());
                await (await Documents.NewAsync(ctx, parent, v)).InsertAsync(ctx);
            }
            await ctx.CommitAsync();
            Made[kind] = (parent, child);
            return (parent, child);
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<List<Dictionary<string, object?>>> ListAsync(DbKind kind, string doctype, object? filters = null, string[]? fields = null,
        string? orderBy = null, object? orFilters = null, string? groupBy = null, int start = 0, int length = 20, string? parent = null, string user = "Administrator")
    {
        await using var ctx = sites.Context(kind, user);
        var result = await DbQuery.GetListAsync(ctx, new ListQuery
        {
            DocType = doctype,
            Fields = fields ?? ["title", "qty"],
            Filters = filters is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(filters)),
            OrFilters = orFilters is null ? null : JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(orFilters)),
            OrderBy = orderBy,
            GroupBy = groupBy,
            LimitStart = start,
            LimitPageLength = length,
            Parent = parent,
        });
        return result.AsDicts();
    }

    private static long[] Qtys(List<Dictionary<string, object?>> rows) => rows.Select(r => (long)r["qty"]!).ToArray();

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Default_order_is_the_doctype_sort_field(DbKind kind)
    {
        var (parent, _) = await SetUpAsync(kind);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, Qtys(await ListAsync(kind, parent)));
        Assert.Equal(new long[] { 5, 4, 3, 2, 1 }, Qtys(await ListAsync(kind, parent, orderBy: "qty desc")));
        Assert.Equal(new long[] { 2, 3 }, Qtys(await ListAsync(kind, parent, start: 1, length: 2)));
        Assert.Equal(new long[] { 3, 4, 5 }, Qtys(await ListAsync(kind, parent, start: 2, length: 0)));
    }

    public static TheoryData<DbKind, string, long[]> OperatorCases()
    {
        var cases = new (string Filters, long[] Expected)[]
        {
            ("""{"status": "Open"}""", [1, 3, 5]),
            ("""{"qty": [">", 3]}""", [4, 5]),
            ("""[["qty", "<", 2]]""", [1]),
            ("""[["qty", ">=", "4"]]""", [4, 5]),
            ("""[["qty", "<=", 2]]""", [1, 2]),
            ("""[["qty", "!=", 2]]""", [1, 3, 4, 5]),
            ("""[["qty", "=", 3]]""", [3]),
            ("""[["title", "like", "%ta"]]""", [2, 4]),
            ("""[["title", "like", "DELTA"]]""", [4]),
            ("""[["title", "not like", "%a%"]]""", [5]),
            ("""[["title", "in", ["Alpha", "Gamma"]]]""", [1, 3]),
            ("""[["title", "in", "Alpha, Beta"]]""", [1, 2]),
            ("""[["title", "not in", ["Alpha", "Gamma"]]]""", [2, 4, 5]),
            ("""[["title", "is", "set"]]""", [1, 2, 3, 4]),
            ("""[["title", "is", "not set"]]""", [5]),
            ("""[["due", "is", "not set"]]""", [3]),
            ("""[["due", "between", ["2024-01-15", "2024-04-01"]]]""", [2, 4]),
            ("""[["at", "between", ["2024-02-01", "2024-02-01"]]]""", [2]),
            ("""[["at", ">", "2024-02-01"]]""", [4]),
            ("""[["amount", ">", 15.5]]""", [2, 3, 4]),
            ("""[["flag", "=", 1]]""", [1, 4]),
            ("""[["flag", "=", 0]]""", [2, 3, 5]),
            ("""[["title", "=", ""]]""", [5]),
            ("""[["title", "!=", ""]]""", [1, 2, 3, 4]),
            ("""[["DOCTYPE", "qty", "=", 2]]""", [2]),
            ("""[["item", "=", "pen"]]""", [1, 4]),
            ("""[["CHILD", "item", "=", "paper"]]""", [2]),
            ("""{"qty": ["in", [1, 5]]}""", [1, 5]),
            ("""[["status", "", "Closed"]]""", [2, 4]),
            ("""[["Status", "IN", ["Closed"]]]""", []),
        };
        var data = new TheoryData<DbKind, string, long[]>();
        foreach (var kind in new[] { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres })
            foreach (var (f, e) in cases)
                if (!f.Contains("\"Status\"", StringComparison.Ordinal))
                    data.Add(kind, f, e);
        return data;
    }

    [Theory]
    [MemberData(nameof(OperatorCases))]
    public async Task Every_operator_filters_as_frappe_does(DbKind kind, string filters, long[] expected)
    {
        var (parent, child) = await SetUpAsync(kind);
        var json = filters.Replace("DOCTYPE", parent, StringComparison.Ordinal).Replace("CHILD", child, StringComparison.Ordinal);
        var rows = await ListAsync(kind, parent, JsonNode.Parse(json), orderBy: "qty asc");
        Assert.Equal(expected, Qtys(rows).Distinct().ToArray());
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Or_filters_are_anded_with_filters(DbKind kind)
    {
        var (parent, _) = await SetUpAsync(kind);
        var rows = await ListAsync(kind, parent, JsonNode.Parse("""{"status": "Open"}"""), orFilters: JsonNode.Parse("""[["qty", "=", 1], ["qty", "=", 5], ["qty", "=", 2]]"""));
        Assert.Equal(new long[] { 1, 5 }, Qtys(rows));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Aggregates_group_by_and_count(DbKind kind)
    {
        var (parent, _) = await SetUpAsync(kind);
        var rows = await ListAsync(kind, parent, fields: ["status", "count(name) as n", "sum(qty) as total"], groupBy: "status", orderBy: "status asc");
        Assert.Equal(2, rows.Count);
        Assert.Equal("Closed", rows[0]["status"]);
        Assert.Equal(2L, rows[0]["n"]);
        Assert.Equal(6m, rows[0]["total"]);
        Assert.Equal(9m, rows[1]["total"]);
        var byCount = await ListAsync(kind, parent, fields: ["status", "count(name) as n"], groupBy: "status", orderBy: "n desc");
        Assert.Equal("Open", byCount[0]["status"]);
        await using var ctx = sites.Context(kind);
        Assert.Equal(3L, await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = parent, Filters = JsonNode.Parse("""{"status": "Open"}""") }));
        Assert.Equal(2L, await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = parent, Filters = JsonNode.Parse("""[["item", "=", "pen"]]""") }));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Child_fields_values_and_as_list(DbKind kind)
    {
        var (parent, child) = await SetUpAsync(kind);
        var rows = await ListAsync(kind, parent, fields: ["title", "items.item as item"], filters: JsonNode.Parse("""{"qty": 1}"""), orderBy: $"`tab{child}`.item asc");
        Assert.Equal(new[] { "ink", "pen" }, rows.Select(r => (string)r["item"]!).ToArray());
        var childRows = await ListAsync(kind, child, fields: ["item", "parent"], parent: parent, orderBy: "item asc");
        Assert.Equal(4, childRows.Count);
        await using var ctx = sites.Context(kind);
        var result = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = parent, Fields = ["qty", "amount", "due", "at"], Filters = JsonNode.Parse("""{"qty": 2}""") });
        var json = result.ToJson(asDict: false).ToJsonString();
        Assert.Equal("""[[2,20.0,"2024-02-01","2024-02-01 23:30:00"]]""", json);
        var star = (await DbQuery.GetListAsync(ctx, new ListQuery { DocType = parent, Fields = ["*"], LimitPageLength = 1 })).Columns;
        Assert.Equal(new[] { "name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "title" }, star.Take(8));
    }

    public static TheoryData<DbKind, string, string, string> Hostile()
    {
        var cases = new (string Where, string Text, string Message)[]
        {
            ("fields", "name; drop table x", "sub-query"),
            ("fields", "(select name from tabUser)", "sub-query"),
            ("fields", "version()", "function version"),
            ("fields", "concat(name, owner)", "function concat"),
            ("fields", "name /* x */", "Illegal"),
            ("fields", "name union select 1", "Illegal"),
            ("fields", "nosuchfield", "not permitted"),
            ("fields", "@@version", "sub-query"),
            ("fields", "sleep(5)", "function sleep"),
            ("fields", "`tabUser`.`name`", "not part of this query"),
            ("order_by", "name; delete from tabUser", "Illegal"),
            ("order_by", "(select 1 from tabUser)", "sub-query"),
            ("order_by", "sleep(1)", "sleep"),
            ("order_by", "if(1=1,name,owner)", "Illegal"),
            ("order_by", "`tabUser`.name desc", "Please select atleast 1 column from User"),
            ("order_by", "nosuchfield desc", "not permitted"),
            ("order_by", "name desc, owner sideways", "Illegal"),
            ("group_by", "name; drop", "Illegal"),
            ("group_by", "owner desc", "Illegal"),
            ("filters", """[["name; drop table x", "=", "1"]]""", "Invalid field name"),
            ("filters", """[["name", "=", "1"], ["nosuch", "=", 1]]""", "not permitted"),
            ("filters", """[["name", "<>", "1"]]""", "Operator must be one of"),
            ("filters", """[["name) or (1=1", "=", "1"]]""", "Invalid field name"),
            ("filters", """{"qty": "abc"}""", "Invalid filter value"),
            ("filters", """[["title", "is", "maybe"]]""", "set"),
            ("filters", """[["qty", "descendants of", "x"]]""", "tree"),
            ("filters", """[1, 2]""", "must be a list"),
        };
        var data = new TheoryData<DbKind, string, string, string>();
        foreach (var kind in new[] { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres })
            foreach (var (w, t, m) in cases)
                data.Add(kind, w, t, m);
        return data;
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Hostile_arguments_are_data_errors_and_nothing_runs(DbKind kind, string where, string text, string message)
    {
        var (parent, _) = await SetUpAsync(kind);
        await using var ctx = sites.Context(kind);
        var q = where switch
        {
            "fields" => new ListQuery { DocType = parent, Fields = [text] },
            "order_by" => new ListQuery { DocType = parent, OrderBy = text },
            "group_by" => new ListQuery { DocType = parent, GroupBy = text, Fields = ["owner"] },
            _ => new ListQuery { DocType = parent, Filters = JsonNode.Parse(text) },
        };
        var e = await Assert.ThrowsAsync<DataError>(() => DbQuery.GetListAsync(ctx, q));
        Assert.Equal("DataError", e.ExcType);
        Assert.Equal(417, e.StatusCode);
        Assert.Contains(message, e.Message, StringComparison.OrdinalIgnoreCase);
        // The tables the attacks named are intact and the list still answers.
        Assert.Equal(5L, await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = parent }));
        Assert.True(await Documents.ExistsAsync(ctx, "User", "Administrator"));
    }
}
