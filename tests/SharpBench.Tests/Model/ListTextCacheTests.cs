using System.Net;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model.Queries;
using SharpBench.Tests.Http;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Model;

/// <summary>
/// The list remembers what its grammar made of <c>fields</c> and <c>order_by</c>/<c>group_by</c>
/// texts (docs/benchmarks.md, "Database path": reading them was the list's largest own cost).
/// A remembered text must answer exactly as a fresh one: the same rows and keys, the same refusals,
/// and the per-user rules applied after the text is read.
/// </summary>
public sealed class ListTextCacheTests
{
    [Fact]
    public void AFieldOrClauseTextIsReadOnceAndRefusedTextIsNeverRemembered()
    {
        var field = "description as " + "d" + Guid.NewGuid().ToString("N")[..8];
        var first = SqlText.ReadField(field);
        Assert.Same(first, SqlText.ReadField(field));
        Assert.Equal("description", first.Plain);

        var order = "creation desc, modified " + (DateTime.UtcNow.Ticks % 2 == 0 ? "asc" : "desc");
        Assert.Same(SqlText.ReadClause(order, "order by"), SqlText.ReadClause(order, "order by"));

        // Refused texts raise their own error on every read, not a remembered parse.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("Use of sub-query or function is restricted", Assert.Throws<DataError>(() => SqlText.ReadField("name; drop table x")).Message);
            Assert.Equal("Use of function version in field is restricted", Assert.Throws<DataError>(() => SqlText.ReadField("version()")).Message);
            Assert.Equal("Cannot use sub-query in order by", Assert.Throws<DataError>(() => SqlText.ReadClause("(select name from tabUser)", "order by")).Message);
        }

        // The same text is checked under each clause's own rules.
        Assert.Equal("Cannot use sleep(…) in group by", Assert.Throws<DataError>(() => SqlText.ReadClause("sleep(1)", "group by")).Message);
        Assert.Equal("Cannot use sleep(…) in order by", Assert.Throws<DataError>(() => SqlText.ReadClause("sleep(1)", "order by")).Message);
    }

    [Fact]
    public async Task RepeatedListsAnswerAsTheFirstOneAndRefusalsRepeat()
    {
        await using var probe = await ProbeSite.StartAsync(DbKind.Sqlite);
        var fields = Uri.EscapeDataString("[\"name\",\"description as d\",\"count(name) as n\"]");
        var first = await probe.Admin.GetAsync($"/api/resource/ToDo?fields={fields}&group_by=name&order_by=name%20asc");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstText = await first.Content.ReadAsStringAsync();
        Assert.Contains("\"d\":\"todo 0\"", firstText, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var again = await probe.Admin.GetAsync($"/api/resource/ToDo?fields={fields}&group_by=name&order_by=name%20asc");
            Assert.Equal(firstText, await again.Content.ReadAsStringAsync());
        }

        // A direction is allowed in order_by and refused in group_by, whichever was read first.
        var ordered = await probe.Admin.GetAsync("/api/resource/ToDo?order_by=" + Uri.EscapeDataString("modified desc"));
        Assert.Equal(HttpStatusCode.OK, ordered.StatusCode);
        for (var i = 0; i < 2; i++)
        {
            var grouped = await probe.Admin.GetAsync("/api/resource/ToDo?group_by=" + Uri.EscapeDataString("modified desc"));
            Assert.Equal(HttpStatusCode.ExpectationFailed, grouped.StatusCode);
            Assert.Equal("DataError", (string?)(await BodyAsync(grouped))["exc_type"]);
        }

        // A good first part does not let a bad second part through on a repeat.
        for (var i = 0; i < 2; i++)
        {
            var bad = await probe.Admin.GetAsync("/api/resource/ToDo?order_by=" + Uri.EscapeDataString("name asc, name sideways"));
            Assert.Equal(HttpStatusCode.ExpectationFailed, bad.StatusCode);
            Assert.Contains("Illegal SQL Query", (await BodyAsync(bad))["_server_messages"]!.ToString(), StringComparison.Ordinal);
        }
    }
}
