using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Tests.Model;

[Collection(ModelSitesCollection.Name)]
public sealed class MetaCacheTests(ModelSites sites)
{
    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task A_doctype_changed_by_another_process_is_seen_after_the_recheck_interval(DbKind kind)
    {
        var name = TestDocTypes.Unique("Shared");
        await using (var ctx = sites.Context(kind))
        {
            await TestDocTypes.CreateAsync(ctx, name, new JsonArray(TestDocTypes.Field("title", "Data")));
            Assert.Null((await Meta.GetAsync(ctx, name)).Field("extra"));
        }
        // Another process writes the changed definition straight to the rows (as its migrate would).
        await using (var db = await sites.Site(kind).OpenDatabaseAsync())
        {
            var meta = DocTypeMeta.Parse(
                $$"""{"name": "{{name}}", "module": "Custom", "custom": 1, "fields": [{"fieldname": "title", "fieldtype": "Data"}, {"fieldname": "extra", "fieldtype": "Int"}]}""", "test");
            await SchemaSync.SyncAsync(db, meta);
            await db.BeginAsync();
            await DocTypeRows.WriteAsync(db, meta, DbTime.Now().AddSeconds(1));
            await db.CommitAsync();
        }
        await Task.Delay(sites.Site(kind).Host.Meta.RecheckInterval + TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
        await using (var ctx = sites.Context(kind))
        {
            Assert.NotNull((await Meta.GetAsync(ctx, name)).Field("extra"));
            var doc = await Documents.NewAsync(ctx, name, new JsonObject { ["title"] = "t", ["extra"] = 5 });
            await doc.InsertAsync(ctx);
            await ctx.CommitAsync();
            var rows = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = name, Fields = ["extra"] });
            Assert.Equal(5L, rows.Rows.Single()[0]);
        }
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Link_fields_can_be_read_through_the_link(DbKind kind)
    {
        await using var ctx = sites.Context(kind);
        var todo = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = "linked", ["allocated_to"] = "Administrator", ["priority"] = "High" });
        await todo.InsertAsync(ctx);
        await ctx.CommitAsync();
        var rows = await DbQuery.GetListAsync(ctx, new ListQuery
        {
            DocType = "ToDo",
            Fields = ["name", "allocated_to.full_name", "allocated_to.email as mail"],
            Filters = JsonNode.Parse($$"""{"name": "{{todo.Name}}"}"""),
        });
        Assert.Equal(["name", "allocated_to.full_name", "mail"], rows.Columns);
        Assert.Equal("Administrator", rows.Rows.Single()[1]);
        Assert.Equal("admin@example.com", rows.Rows.Single()[2]);
        await Assert.ThrowsAsync<DataError>(() => DbQuery.GetListAsync(ctx, new ListQuery { DocType = "ToDo", Fields = ["priority.name"] }));
        await Assert.ThrowsAsync<DataError>(() => DbQuery.GetListAsync(ctx, new ListQuery { DocType = "ToDo", Fields = ["allocated_to.nosuch"] }));
    }
}
