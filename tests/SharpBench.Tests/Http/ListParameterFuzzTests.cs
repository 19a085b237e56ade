using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SharpBench.Data;
using Xunit.Sdk;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>
/// Issue 20's fuzz pass: random, partly hostile list parameters (<c>fields</c>, <c>filters</c>,
/// <c>or_filters</c>, <c>order_by</c>, <c>group_by</c>, <c>limit_start</c>,
/// <c>limit_page_length</c>, <c>limit</c>) against <c>GET /api/resource/X</c>,
/// <c>frappe.client.get_list</c> and <c>frappe.client.get_count</c> on a live server, for a
/// fixed time per database (<c>SB_FUZZ_SECONDS</c>, 20 s). No answer may be a 500, take over a
/// second (twice: a one-off pause of a busy machine is not the code's), or carry a database's
/// words. A failure prints the seed (set <c>SB_FUZZ_SEED</c> to replay it) and the request.
/// </summary>
public sealed class ListParameterFuzzTests(ITestOutputHelper output)
{
    public static TheoryData<DbKind> AllDatabases => HostileListInputTests.AllDatabases;

    // Placeholders for what System.Text.Json will not write itself, put in after serialising.
    private const string Surrogate = "~SUR~";
    private const string Huge = "\"~HUGE~\"";

    private static readonly string[] Columns =
    [
        "name", "title", "qty", "rate", "done", "due", "user", "kind", "owner", "creation", "modified", "docstatus", "idx",
        "`tabProbe Item`.title", "tabProbe Item.qty", "`tabToDo`.name", "user.email", "user.full_name", "user.api_key", "owner.name",
        "no_such_field", "*", "`name`", "\"title\"", "name.", ".name", "Name", "QTY",
    ];

    private static readonly string[] Junk =
    [
        "select", "from", "where", "union", "(", ")", ",", "'", "\"", "`", ";", "--", "/*", "*/", "#", "@", "@@version",
        "sleep(1)", "version()", "concat(name,owner)", "if(1,2,3)", "1=1", "or", "and", "null", "1e400", "99999999999999999999",
        "\\", "%", "_", "\n", "\t", Surrogate, "asc", "desc", "distinct", "as", "x", "", " ", "count(", "sum(qty", "max()",
    ];

    private static readonly string[] Aggregates = ["count", "sum", "avg", "min", "max", "COUNT", "group_concat", "abs"];

    private static readonly string[] Operators =
    [
        "=", "!=", ">", "<", ">=", "<=", "like", "not like", "in", "not in", "is", "between", "timespan", "previous", "next",
        "descendants of", "ancestors of", "not descendants of", "LIKE", "Not In", "bogus", "= 1 or 1=1", "", "==", "<>",
    ];

    private static readonly string[] Aliases = ["n", "total", "`x`", "select", "a b"];
    private static readonly string[] Words = ["set", "not set", "last week", "this month", "1 week", "P-1", "Administrator", "A"];
    private static readonly string[] DocTypes = ["Probe Item", "ToDo", "User", "Nope"];
    private static readonly string[] Directions = ["asc", "desc", "ASC", "Desc", "nulls first", "asc desc"];
    private static readonly string[] FilterTexts = ["P-1", "not json", "[[", "{}", "[]", Surrogate];

    private sealed record Probe(string Describe, Func<HttpClient, Task<HttpResponseMessage>> Send);

    [Theory]
    [MemberData(nameof(AllDatabases))]
    public async Task NoListInputGivesA500ASlowAnswerOrDatabaseText(DbKind kind)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SB_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var budget = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("SB_FUZZ_SECONDS"), CultureInfo.InvariantCulture, out var b) ? b : 20);
        output.WriteLine($"fuzz {kind}: seed {seed} (SB_FUZZ_SEED={seed} replays it), budget {budget.TotalSeconds} s");
        await using var probe = await ProbeSite.StartAsync(kind);
        var rng = new Random(seed);

        // Warm up every path once, so start-up (JIT, first connections) is not timed.
        foreach (var warm in new[] { Build(new Random(1), 0), Build(new Random(2), 1), Build(new Random(3), 2) })
            await warm.Send(probe.Admin);

        var watch = Stopwatch.StartNew();
        var count = 0;
        var statuses = new Dictionary<int, int>();
        while (watch.Elapsed < budget)
        {
            var p = Build(rng, rng.Next(3));
            count++;
            var (status, ms, body) = await RunAsync(probe.Admin, p);
            if (ms > 1000)
                (status, ms, body) = await RunAsync(probe.Admin, p);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var where = $"seed {seed}, request {count}: {p.Describe}";
            if (status >= 500)
                throw new XunitException($"{where}\nanswered {status}: {body}");
            if (ms > 1000)
                throw new XunitException($"{where}\ntook {ms} ms twice");
            try
            {
                ProbeSite.AssertNoDatabaseText(body, where);
            }
            catch (Exception e) when (e is not XunitException)
            {
                throw new XunitException(e.Message);
            }
        }
        output.WriteLine($"{count} requests: " + string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}")));
        Assert.True(count > 20, $"only {count} requests ran in {budget.TotalSeconds} s");
    }

    private static async Task<(int Status, long Ms, string Body)> RunAsync(HttpClient client, Probe p)
    {
        var t = Stopwatch.StartNew();
        using var r = await p.Send(client);
        var body = await r.Content.ReadAsStringAsync();
        return ((int)r.StatusCode, t.ElapsedMilliseconds, body);
    }

    private static Probe Build(Random rng, int endpoint)
    {
        var doctype = rng.Next(4) == 0 ? "ToDo" : ProbeSite.DocType;
        var args = new JsonObject();
        if (rng.Next(2) == 0) args["fields"] = Fields(rng);
        if (rng.Next(2) == 0) args["filters"] = Filters(rng);
        if (rng.Next(3) == 0) args["or_filters"] = Filters(rng);
        if (rng.Next(2) == 0) args["order_by"] = Clause(rng);
        if (rng.Next(4) == 0) args["group_by"] = Clause(rng);
        if (rng.Next(3) == 0) args["limit_start"] = Limit(rng);
        if (rng.Next(3) == 0) args["limit_page_length"] = Limit(rng);
        if (rng.Next(4) == 0) args["limit"] = Limit(rng);
        switch (endpoint)
        {
            case 0:
                {
                    // GET: every argument as text, JSON ones as JSON text, as a browser sends them.
                    var query = string.Join("&", args.Select(a => a.Key + "=" + Uri.EscapeDataString(Raw(a.Value is JsonValue v && v.TryGetValue<string>(out var t) ? t : a.Value?.ToJsonString() ?? "null"))));
                    var url = $"/api/resource/{Uri.EscapeDataString(doctype)}?{query}";
                    return new Probe("GET " + url, c => c.GetAsync(url));
                }
            default:
                {
                    args["doctype"] = doctype;
                    var method = endpoint == 1 ? "frappe.client.get_list" : "frappe.client.get_count";
                    var json = Raw(args.ToJsonString());
                    return new Probe($"POST /api/method/{method} {json}", c => c.PostAsync($"/api/method/{method}", RawJson(json)));
                }
        }
    }

    private static string Raw(string text) => text
        .Replace(Huge, "1e400", StringComparison.Ordinal).Replace(Huge.Trim('"'), "1e400", StringComparison.Ordinal)
        .Replace(Surrogate, "\\ud800", StringComparison.Ordinal);

    private static string Pick(Random rng, string[] items) => items[rng.Next(items.Length)];

    private static string Token(Random rng) => rng.Next(10) switch
    {
        < 6 => Pick(rng, Columns),
        < 8 => $"{Pick(rng, Aggregates)}({(rng.Next(3) == 0 ? "*" : Pick(rng, Columns))})",
        _ => Pick(rng, Junk),
    };

    private static JsonNode Fields(Random rng)
    {
        if (rng.Next(6) == 0)
            return string.Join(",", Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Token(rng)));
        var list = new JsonArray();
        for (var i = rng.Next(0, 5); i >= 0; i--)
        {
            var field = Token(rng);
            if (rng.Next(4) == 0) field += " as " + Pick(rng, Aliases);
            if (rng.Next(8) == 0) field += " " + Pick(rng, Junk);
            list.Add(rng.Next(20) == 0 ? (JsonNode)new JsonArray(field) : field);
        }
        return list;
    }

    private static JsonNode? Value(Random rng) => rng.Next(16) switch
    {
        0 => null,
        1 => 1e308,
        2 => JsonNode.Parse(Huge),
        3 => JsonNode.Parse("99999999999999999999"),
        4 => rng.Next(-5, 10),
        5 => rng.NextDouble() * 100,
        6 => true,
        7 => "2024-01-0" + rng.Next(1, 9),
        8 => Pick(rng, Words),
        9 => new JsonArray(Value(rng), Value(rng)),
        10 => new JsonArray(Enumerable.Range(0, rng.Next(0, 30)).Select(i => (JsonNode?)("P-" + i)).ToArray()),
        11 => new JsonObject { ["x"] = 1 },
        12 => "%" + Pick(rng, Junk) + "%",
        13 => Surrogate,
        14 => "abc",
        _ => Pick(rng, Junk),
    };

    private static JsonNode Filters(Random rng)
    {
        switch (rng.Next(8))
        {
            case 0:
                {
                    var dict = new JsonObject();
                    for (var i = rng.Next(1, 4); i > 0; i--)
                        dict[Pick(rng, Columns)] = rng.Next(2) == 0 ? Value(rng) : new JsonArray(Pick(rng, Operators), Value(rng));
                    return dict;
                }
            case 1:
                return Pick(rng, FilterTexts);
            default:
                {
                    var list = new JsonArray();
                    for (var i = rng.Next(0, 4); i >= 0; i--)
                    {
                        var f = rng.Next(6) == 0 ? Token(rng) : Pick(rng, Columns);
                        list.Add(rng.Next(8) switch
                        {
                            0 => new JsonArray(f, Value(rng)),
                            1 => new JsonArray(Pick(rng, DocTypes), f, Pick(rng, Operators), Value(rng)),
                            2 => (JsonNode)Pick(rng, Junk),
                            _ => new JsonArray(f, Pick(rng, Operators), Value(rng)),
                        });
                    }
                    return list;
                }
        }
    }

    private static string Clause(Random rng)
    {
        var parts = new List<string>();
        for (var i = rng.Next(1, 4); i > 0; i--)
        {
            var part = Token(rng);
            if (rng.Next(2) == 0) part += " " + Pick(rng, Directions);
            if (rng.Next(10) == 0) part = Pick(rng, Junk) + " " + part;
            parts.Add(part);
        }
        return string.Join(rng.Next(5) == 0 ? " " : ", ", parts);
    }

    private static JsonNode Limit(Random rng) => rng.Next(9) switch
    {
        0 => -1,
        1 => 0,
        2 => rng.Next(1, 50),
        3 => JsonNode.Parse("99999999999")!,
        4 => "abc",
        5 => JsonNode.Parse(Huge)!,
        6 => "1.5",
        7 => " 3 ",
        _ => rng.Next(0, 5).ToString(CultureInfo.InvariantCulture),
    };
}
