using System.Globalization;
using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Tests.Model;

/// <summary>The relative-date operators (timespan, previous, next) and the nested-set tree operators.</summary>
[Collection(ModelSitesCollection.Name)]
public sealed class DateAndTreeFilterTests(ModelSites sites)
{
    private static string Day(int offset) => DateOnly.FromDateTime(DateTime.Now).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string[]> TitlesAsync(FrappeContext ctx, string doctype, string filters) =>
        (await DbQuery.GetListAsync(ctx, new ListQuery { DocType = doctype, Fields = ["title"], Filters = JsonNode.Parse(filters), OrderBy = "title asc", LimitPageLength = 0 }))
            .Rows.Select(r => (string)r[0]!).ToArray();

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Timespan_previous_and_next_are_date_ranges(DbKind kind)
    {
        await using var ctx = sites.Context(kind);
        var dt = TestDocTypes.Unique("Dated");
        await TestDocTypes.CreateAsync(ctx, dt, new JsonArray(TestDocTypes.Field("title", "Data"), TestDocTypes.Field("on", "Date"), TestDocTypes.Field("at", "Datetime")));
        var lastYear = new DateOnly(DateTime.Now.Year - 1, 6, 15).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var (title, day) in new[] { ("a-today", Day(0)), ("b-yesterday", Day(-1)), ("c-ten-ago", Day(-10)), ("d-in-three", Day(3)), ("e-last-year", lastYear) })
            await (await Documents.NewAsync(ctx, dt, new JsonObject { ["title"] = title, ["on"] = day, ["at"] = day + " 12:34:56" })).InsertAsync(ctx);
        await ctx.CommitAsync();

        Assert.Equal(["a-today"], await TitlesAsync(ctx, dt, """[["on", "timespan", "today"]]"""));
        Assert.Equal(["a-today"], await TitlesAsync(ctx, dt, """[["at", "Timespan", "today"]]"""));
        Assert.Equal(["b-yesterday"], await TitlesAsync(ctx, dt, """[["on", "timespan", "yesterday"]]"""));
        Assert.Equal(["a-today", "b-yesterday"], await TitlesAsync(ctx, dt, """[["on", "timespan", "last 7 days"]]"""));
        Assert.Equal(["a-today", "b-yesterday", "c-ten-ago"], await TitlesAsync(ctx, dt, """[["at", "timespan", "last 14 days"]]"""));
        Assert.Equal(["a-today", "d-in-three"], await TitlesAsync(ctx, dt, """[["on", "timespan", "next 7 days"]]"""));
        Assert.Equal(["e-last-year"], await TitlesAsync(ctx, dt, """[["on", "timespan", "last year"]]"""));
        Assert.Equal(["a-today", "b-yesterday"], await TitlesAsync(ctx, dt, """[["on", "previous", "1 week"]]"""));
        Assert.Equal(["a-today", "d-in-three"], await TitlesAsync(ctx, dt, """[["at", "next", "1 week"]]"""));
        await Assert.ThrowsAsync<DataError>(() => TitlesAsync(ctx, dt, """[["on", "timespan", "some day"]]"""));
        await Assert.ThrowsAsync<DataError>(() => TitlesAsync(ctx, dt, """[["on", "previous", "2 weeks"]]"""));
        // between with one bound missing uses today for it
        Assert.Equal(["a-today", "b-yesterday"], await TitlesAsync(ctx, dt, $$"""[["on", "between", ["{{Day(-1)}}"]]]"""));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Tree_operators_use_lft_and_rgt(DbKind kind)
    {
        await using var ctx = sites.Context(kind);
        var tree = TestDocTypes.Unique("Node");
        await TestDocTypes.CreateAsync(ctx, tree, new JsonArray(TestDocTypes.Field("title", "Data"), TestDocTypes.Field("lft", "Int"), TestDocTypes.Field("rgt", "Int")),
            new JsonObject { ["autoname"] = "field:title", ["is_tree"] = 1 });
        var leaf = TestDocTypes.Unique("Leaf");
        await TestDocTypes.CreateAsync(ctx, leaf, new JsonArray(TestDocTypes.Field("title", "Data"), TestDocTypes.Field("node", "Link", tree)));
        // root(1,10) > a(2,7) > a1(3,4), a2(5,6); b(8,9)
        foreach (var (t, l, r) in new[] { ("root", 1, 10), ("a", 2, 7), ("a1", 3, 4), ("a2", 5, 6), ("b", 8, 9) })
        {
            await (await Documents.NewAsync(ctx, tree, new JsonObject { ["title"] = t, ["lft"] = l, ["rgt"] = r })).InsertAsync(ctx);
            await (await Documents.NewAsync(ctx, leaf, new JsonObject { ["title"] = "on-" + t, ["node"] = t })).InsertAsync(ctx);
        }
        await ctx.CommitAsync();
        Assert.Equal(["a1", "a2"], await TitlesAsync(ctx, tree, """[["name", "descendants of", "a"]]"""));
        Assert.Equal(["a", "a1", "a2"], await TitlesAsync(ctx, tree, """[["name", "descendants of (inclusive)", "a"]]"""));
        Assert.Equal(["a", "b", "root"], await TitlesAsync(ctx, tree, """[["name", "not descendants of", "a"]]"""));
        Assert.Equal(["a", "root"], await TitlesAsync(ctx, tree, """[["name", "ancestors of", "a1"]]"""));
        Assert.Equal(["a1", "a2", "b"], await TitlesAsync(ctx, tree, """[["name", "not ancestors of", "a1"]]"""));
        Assert.Equal(["on-a1", "on-a2"], await TitlesAsync(ctx, leaf, """[["node", "descendants of", "a"]]"""));
        Assert.Empty(await TitlesAsync(ctx, tree, """[["name", "descendants of", "no such node"]]"""));
    }
}
