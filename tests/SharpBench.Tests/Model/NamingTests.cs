using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SharpBench.Data;
using SharpBench.Model;

namespace SharpBench.Tests.Model;

[Collection(ModelSitesCollection.Name)]
public sealed partial class NamingTests(ModelSites sites)
{
    [GeneratedRegex("^[0-9a-v]{10}$")]
    private static partial Regex HashName();

    private static JsonArray TitleFields() => new(TestDocTypes.Field("title", "Data"), TestDocTypes.Field("naming_series", "Select", "NS-.#####\nALT-.###"));

    private async Task<string> InsertAsync(DbKind kind, string doctype, JsonObject values)
    {
        await using var ctx = sites.Context(kind);
        var doc = await Documents.NewAsync(ctx, doctype, values);
        await doc.InsertAsync(ctx);
        await ctx.CommitAsync();
        return doc.Name!;
    }

    private async Task<string> MakeAsync(DbKind kind, string autoname)
    {
        await using var ctx = sites.Context(kind);
        var name = TestDocTypes.Unique("Nm");
        await TestDocTypes.CreateAsync(ctx, name, TitleFields(), new JsonObject { ["autoname"] = autoname });
        return name;
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Hash_names_are_ten_base32hex_characters_and_ignore_a_client_name(DbKind kind)
    {
        var dt = await MakeAsync(kind, "hash");
        var name = await InsertAsync(kind, dt, new JsonObject { ["title"] = "x", ["name"] = "chosen" });
        Assert.Matches(HashName(), name);
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Field_names_take_the_trimmed_value_and_require_it(DbKind kind)
    {
        var dt = await MakeAsync(kind, "field:title");
        Assert.Equal("Hello World", await InsertAsync(kind, dt, new JsonObject { ["title"] = "  Hello World " }));
        var e = await Assert.ThrowsAsync<MandatoryError>(() => InsertAsync(kind, dt, new JsonObject { ["title"] = " " }));
        Assert.Equal(417, e.StatusCode);
        var dup = await Assert.ThrowsAsync<DuplicateEntryError>(() => InsertAsync(kind, dt, new JsonObject { ["title"] = "Hello World" }));
        Assert.Equal(409, dup.StatusCode);
        Assert.Contains("already exists", dup.Message, StringComparison.Ordinal);
        await using var ctx = sites.Context(kind);
        Assert.Equal(1L, await SharpBench.Model.Queries.DbQuery.GetCountAsync(ctx, new() { DocType = dt }));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Naming_series_counts_per_prefix_in_tabSeries(DbKind kind)
    {
        var dt = await MakeAsync(kind, "naming_series:");
        var prefix = "NS-";
        await using (var ctx = sites.Context(kind))
        {
            var db = await ctx.DbAsync();
            await db.ExecuteAsync($"DELETE FROM {db.Dialect.Quote("tabSeries")} WHERE {db.Dialect.Quote("name")} IN (@p0, @p1)", ["NS-", "ALT-"]);
            await ctx.CommitAsync();
        }
        Assert.Equal(prefix + "00001", await InsertAsync(kind, dt, new JsonObject { ["naming_series"] = "NS-.#####" }));
        Assert.Equal(prefix + "00002", await InsertAsync(kind, dt, new JsonObject { ["naming_series"] = "NS-.#####" }));
        Assert.Equal("ALT-001", await InsertAsync(kind, dt, new JsonObject { ["naming_series"] = "ALT-.###" }));
        Assert.Equal(prefix + "00003", await InsertAsync(kind, dt, new JsonObject()));
        await Assert.ThrowsAsync<ValidationError>(() => InsertAsync(kind, dt, new JsonObject { ["naming_series"] = "EVIL-.#####" }));
        await using var check = sites.Context(kind);
        Assert.Equal(3, await Naming.CurrentAsync(await check.DbAsync(), "NS-"));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Old_style_series_and_format_names(DbKind kind)
    {
        var year = DateTime.Now.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var tag = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var series = await MakeAsync(kind, $"S{tag}-.YYYY.-.####");
        Assert.Equal($"S{tag}-{year}-0001", await InsertAsync(kind, series, new JsonObject()));
        Assert.Equal($"S{tag}-{year}-0002", await InsertAsync(kind, series, new JsonObject()));
        var format = await MakeAsync(kind, $"format:F{tag}-{{title}}-{{YYYY}}-{{###}}");
        Assert.Equal($"F{tag}-abc-{year}-001", await InsertAsync(kind, format, new JsonObject { ["title"] = "abc" }));
        Assert.Equal($"F{tag}-abc-{year}-002", await InsertAsync(kind, format, new JsonObject { ["title"] = "abc" }));
        Assert.Equal($"F{tag}-xyz-{year}-001", await InsertAsync(kind, format, new JsonObject { ["title"] = "xyz" }));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Prompt_takes_name_or_newname_and_validates_it(DbKind kind)
    {
        var dt = await MakeAsync(kind, "Prompt");
        Assert.Equal("first one", await InsertAsync(kind, dt, new JsonObject { ["name"] = " first one " }));
        Assert.Equal("second", await InsertAsync(kind, dt, new JsonObject { ["__newname"] = "second" }));
        var missing = await Assert.ThrowsAsync<ValidationError>(() => InsertAsync(kind, dt, new JsonObject { ["title"] = "t" }));
        Assert.Equal("Please set the document name", missing.Message);
        var angle = await Assert.ThrowsAsync<NameError>(() => InsertAsync(kind, dt, new JsonObject { ["name"] = "<script>" }));
        Assert.Equal(409, angle.StatusCode);
        await Assert.ThrowsAsync<NameError>(() => InsertAsync(kind, dt, new JsonObject { ["name"] = dt }));
        await Assert.ThrowsAsync<InvalidNameError>(() => InsertAsync(kind, dt, new JsonObject { ["name"] = new string('x', 141) }));
        await Assert.ThrowsAsync<InvalidNameError>(() => InsertAsync(kind, dt, new JsonObject { ["name"] = "two\nlines" }));
        await using var ctx = sites.Context(kind);
        Assert.Equal(2L, await SharpBench.Model.Queries.DbQuery.GetCountAsync(ctx, new() { DocType = dt }));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Autoincrement_names_are_integers(DbKind kind)
    {
        var dt = await MakeAsync(kind, "autoincrement");
        Assert.Equal("1", await InsertAsync(kind, dt, new JsonObject { ["title"] = "a" }));
        Assert.Equal("2", await InsertAsync(kind, dt, new JsonObject { ["title"] = "b" }));
        await using var ctx = sites.Context(kind);
        var doc = await Documents.GetAsync(ctx, dt, "2");
        Assert.Equal(2, doc.ToJson()["name"]!.GetValue<long>());
        var list = await SharpBench.Model.Queries.DbQuery.GetListAsync(ctx, new() { DocType = dt, OrderBy = "name asc" });
        Assert.Equal("[{\"name\":1},{\"name\":2}]", list.ToJson().ToJsonString());
        await Assert.ThrowsAsync<DoesNotExistError>(() => Documents.GetAsync(ctx, dt, "abc"));
    }
}
