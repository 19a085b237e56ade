using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model.Queries;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// Issue 20, findings 3 and 8: list and document inputs that used to cost seconds of CPU or
/// answer 500 with .NET's or the database's own text. Each must be a quick 417 in Frappe's
/// envelope, and leave every row as it was.
/// </summary>
public sealed class HostileListInputTests
{
    public static TheoryData<DbKind> AllDatabases => new() { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres };

    private static async Task<(int Status, JsonObject Body, string Text)> ReadAsync(HttpResponseMessage r)
    {
        var text = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, (JsonObject)JsonNode.Parse(text)!, text);
    }

    private static async Task Expect417Async(HttpResponseMessage response, string what, params string[] excTypes)
    {
        var (status, body, text) = await ReadAsync(response);
        Assert.True(status == 417, $"{what}: expected 417, got {status}: {text}");
        Assert.True(excTypes.Contains((string?)body["exc_type"]), $"{what}: exc_type {(string?)body["exc_type"]}, expected one of {string.Join(", ", excTypes)}");
        ProbeSite.AssertNoDatabaseText(text, what);
    }

    [Fact]
    public async Task SelectRepeatedInOrderByOrGroupByIsRefusedAtOnce()
    {
        await using var probe = await ProbeSite.StartAsync(DbKind.Sqlite);
        // 40,000 "select " took 9.5 s of CPU before: the check backtracked from every one.
        var attack = string.Concat(Enumerable.Repeat("select ", 40_000));
        foreach (var argument in new[] { "order_by", "group_by" })
        {
            var watch = Stopwatch.StartNew();
            var r = await probe.Admin.PostAsync("/api/method/frappe.client.get_list", Json(new JsonObject { ["doctype"] = "ToDo", [argument] = attack }));
            watch.Stop();
            await Expect417Async(r, argument, "DataError");
            Assert.True(watch.ElapsedMilliseconds < 1000, $"{argument} took {watch.ElapsedMilliseconds} ms");
        }

        // Just under the cap, the same words are still checked (quickly) and refused as a sub-query.
        var underCap = string.Concat(Enumerable.Repeat("select ", ListLimits.MaxClauseLength / 7 - 1)) + "from";
        var watch2 = Stopwatch.StartNew();
        var refused = await probe.Admin.PostAsync("/api/method/frappe.client.get_list", Json(new JsonObject { ["doctype"] = "ToDo", ["order_by"] = underCap }));
        Assert.True(watch2.ElapsedMilliseconds < 1000, $"took {watch2.ElapsedMilliseconds} ms");
        var (_, body, _) = await ReadAsync(refused);
        Assert.Contains("Cannot use sub-query in order by", body["_server_messages"]!.ToString());

        // A long but honest sort still works.
        var honest = string.Join(", ", Enumerable.Repeat("modified desc", 200));
        var ok = await probe.Admin.GetAsync("/api/resource/ToDo?order_by=" + Uri.EscapeDataString(honest));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(5, (await BodyAsync(ok))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task EveryListParameterHasALengthCap()
    {
        await using var probe = await ProbeSite.StartAsync(DbKind.Sqlite);
        var before = await probe.SnapshotAsync();
        var tooMany = new JsonArray(Enumerable.Range(0, ListLimits.MaxFields + 1).Select(_ => (JsonNode?)"name").ToArray());
        var conditions = new JsonArray(Enumerable.Range(0, ListLimits.MaxConditions + 1).Select(_ => (JsonNode?)new JsonArray("name", "!=", "x")).ToArray());
        var values = new JsonArray(new JsonArray("name", "in", new JsonArray(Enumerable.Range(0, ListLimits.MaxFilterValues + 1).Select(i => (JsonNode?)i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray())));
        var cases = new (string Argument, JsonNode Value)[]
        {
            ("order_by", "name" + new string(' ', ListLimits.MaxClauseLength)),
            ("group_by", "owner" + new string(' ', ListLimits.MaxClauseLength)),
            ("fields", new JsonArray("name" + new string(' ', ListLimits.MaxFieldLength))),
            ("fields", tooMany),
            ("filters", conditions),
            ("or_filters", conditions.DeepClone()),
            ("filters", values),
            ("filters", new JsonArray(new JsonArray("name" + new string(' ', ListLimits.MaxFieldLength), "=", "x"))),
        };
        foreach (var (argument, value) in cases)
        {
            var r = await probe.Admin.PostAsync("/api/method/frappe.client.get_list", Json(new JsonObject { ["doctype"] = "ToDo", [argument] = value.DeepClone() }));
            await Expect417Async(r, argument, "DataError");
            var count = await probe.Admin.PostAsync("/api/method/frappe.client.get_count", Json(new JsonObject { ["doctype"] = "ToDo", [argument] = value.DeepClone() }));
            if (argument is "filters")
                await Expect417Async(count, "get_count " + argument, "DataError");
        }
        Assert.Equal(before, await probe.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task OverflowSurrogatesAndAggregateSortsAre417WithoutDatabaseText(DbKind kind)
    {
        await using var probe = await ProbeSite.StartAsync(kind);
        var admin = probe.Admin;
        var before = await probe.SnapshotAsync();
        var item = $"/api/resource/{ProbeSite.DocType}";

        // Numbers no column can hold, in an insert: as JSON numbers, and as text.
        foreach (var (field, number) in new[]
        {
            ("qty", "1e308"), ("qty", "99999999999999999999"), ("qty", "1e400"), ("qty", "99999999999"),
            ("rate", "1e308"), ("rate", "1e400"), ("rate", "1e15"), ("qty", "\"1e400\""), ("rate", "\"99999999999999999999999999999999\""),
        })
        {
            var r = await admin.PostAsync(item, RawJson($$"""{"name":"overflow","title":"x","{{field}}":{{number}}}"""));
            await Expect417Async(r, $"insert {field}={number}", "ValidationError");
        }
        foreach (var number in new[] { "1e308", "99999999999999999999", "1e400", "99999999999" })
        {
            var r = await admin.PostAsync("/api/resource/ToDo", RawJson($$"""{"description":"x","docstatus":{{number}}}"""));
            await Expect417Async(r, $"insert docstatus={number}", "ValidationError");
            // The same numbers as filter values, on a number column and on docstatus.
            foreach (var field in new[] { "qty", "rate", "docstatus" })
            {
                var filters = Uri.EscapeDataString($$"""[["{{field}}","=",{{number}}]]""");
                await Expect417OrOkAsync(await admin.GetAsync($"{item}?filters={filters}"), $"filter {field}={number}");
                var count = await admin.PostAsync("/api/method/frappe.client.get_count", RawJson($$"""{"doctype":"{{ProbeSite.DocType}}","filters":[["{{field}}",">",{{number}}]]}"""));
                await Expect417OrOkAsync(count, $"get_count {field}>{number}");
            }
        }

        // A lone UTF-16 surrogate: in a name, in a text field, in a filter.
        await Expect417Async(await admin.PostAsync(item, RawJson("""{"name":"bad\ud800name","title":"x"}""")), "surrogate in a name", "ValidationError");
        await Expect417Async(await admin.PostAsync("/api/resource/ToDo", RawJson("""{"description":"\udc00"}""")), "surrogate in a text", "ValidationError");
        await Expect417Async(await admin.GetAsync("/api/resource/ToDo?filters=" + Uri.EscapeDataString("""[["name","=","\ud800"]]""")), "surrogate in a filter", "ValidationError", "DataError");
        await Expect417Async(await admin.PostAsync("/api/method/frappe.client.get_value", RawJson("""{"doctype":"ToDo","fieldname":"name","filters":"\ud800"}""")), "surrogate in get_value", "ValidationError", "DataError");

        // An aggregate sort without group_by (PostgreSQL's refusal used to come back word for word).
        foreach (var order in new[] { "count(*) desc", "max(modified)", "sum(qty) asc" })
        {
            var r = await admin.GetAsync($"{item}?order_by={Uri.EscapeDataString(order)}");
            await Expect417Async(r, "order_by " + order, "DataError");
        }
        // Plain columns next to an aggregate with a group_by that does not cover them: MariaDB and
        // SQLite answer, PostgreSQL refuses; either way no 500 and no database words.
        var mixed = await admin.GetAsync($"{item}?fields={Uri.EscapeDataString("""["title","count(name) as n"]""")}&group_by=kind");
        await Expect417OrOkAsync(mixed, "mixed group_by");
        // The honest forms still work.
        var grouped = await admin.GetAsync($"{item}?fields={Uri.EscapeDataString("""["kind","count(*) as n"]""")}&group_by=kind&order_by={Uri.EscapeDataString("count(*) desc")}");
        Assert.Equal(HttpStatusCode.OK, grouped.StatusCode);
        Assert.Equal(2, (await BodyAsync(grouped))["data"]!.AsArray().Count);
        var fits = await admin.PostAsync(item, RawJson("""{"name":"fits","title":"x","qty":2147483647,"rate":999999999999.5}"""));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        await admin.DeleteAsync($"{item}/fits");

        Assert.Equal(before, await probe.SnapshotAsync());
    }

    private static async Task Expect417OrOkAsync(HttpResponseMessage response, string what)
    {
        var (status, body, text) = await ReadAsync(response);
        Assert.True(status is 200 or 417, $"{what}: expected 200 or 417, got {status}: {text}");
        if (status == 417)
            Assert.True((string?)body["exc_type"] is "DataError" or "ValidationError", $"{what}: {text}");
        ProbeSite.AssertNoDatabaseText(text, what);
    }
}
