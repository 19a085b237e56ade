using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;

namespace SharpBench.Tests.Model;

[Collection(ModelSitesCollection.Name)]
public sealed class DocumentSmokeTests(ModelSites sites)
{
    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task ToDo_round_trip(DbKind kind)
    {
        string name;
        await using (var ctx = sites.Context(kind))
        {
            var doc = await Documents.NewAsync(ctx, "ToDo", new JsonObject { ["description"] = "Buy milk", ["date"] = "2024-05-01" });
            await doc.InsertAsync(ctx);
            name = doc.Name!;
            await ctx.CommitAsync();
        }
        await using (var ctx = sites.Context(kind))
        {
            var doc = await Documents.GetAsync(ctx, "ToDo", name);
            Assert.Equal("Buy milk", doc.GetString("description"));
            Assert.Equal("Open", doc.GetString("status"));
            Assert.Equal(new DateOnly(2024, 5, 1), doc.Get("date"));
            var json = doc.ToJson();
            Assert.Equal("2024-05-01", json["date"]!.GetValue<string>());
            Assert.Equal("ToDo", json["doctype"]!.GetValue<string>());
        }
    }
}
