using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Tests.Model;

/// <summary>Controllers and doc_events hooks run in Frappe's order, and a failing hook writes nothing.</summary>
[Collection(ModelSitesCollection.Name)]
public sealed class DocEventTests(ModelSites sites)
{
    private sealed class Recorder(List<string> log) : DocumentController
    {
        public override Task BeforeInsertAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("before_insert"); return Task.CompletedTask; }
        public override Task ValidateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
        {
            log.Add("validate");
            if (doc.GetString("title") == "refuse")
                throw new ValidationError("refused by controller");
            doc.Set("title", doc.GetString("title") + "!");
            return Task.CompletedTask;
        }
        public override Task BeforeSaveAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("before_save"); return Task.CompletedTask; }
        public override Task AfterInsertAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("after_insert"); return Task.CompletedTask; }
        public override Task OnUpdateAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("on_update"); return Task.CompletedTask; }
        public override Task BeforeSubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("before_submit"); return Task.CompletedTask; }
        public override Task OnSubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("on_submit"); return Task.CompletedTask; }
        public override Task OnCancelAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("on_cancel"); return Task.CompletedTask; }
        public override Task OnTrashAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("on_trash"); return Task.CompletedTask; }
        public override Task AfterDeleteAsync(FrappeContext ctx, Document doc, CancellationToken ct) { log.Add("after_delete"); return Task.CompletedTask; }
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Controller_then_doctype_hooks_then_star_hooks(DbKind kind)
    {
        await using var ctx = sites.Context(kind);
        var dt = TestDocTypes.Unique("Evented");
        await TestDocTypes.CreateAsync(ctx, dt, new JsonArray(TestDocTypes.Field("title", "Data")), new JsonObject { ["is_submittable"] = 1 },
            new JsonArray(TestDocTypes.Perm("System Manager", submit: true)));
        var log = new List<string>();
        ctx.Site.Host.DocEvents.Controller(dt, new Recorder(log));
        DocEventCallback specific = (c, d, e, _) => { if (d.DocType == dt) log.Add("hook:" + e); return Task.CompletedTask; };
        DocEventCallback star = (c, d, e, _) => { if (d.DocType == dt) log.Add("*:" + e); return Task.CompletedTask; };
        ctx.Site.Host.DocEvents.On(dt, DocEvents.OnUpdate, specific);
        ctx.Site.Host.DocEvents.On("*", DocEvents.OnUpdate, star);
        ctx.Site.Host.DocEvents.On("*", DocEvents.AfterDelete, star);
        try
        {
            var doc = await Documents.NewAsync(ctx, dt, new JsonObject { ["title"] = "t" });
            await doc.InsertAsync(ctx);
            Assert.Equal(["before_insert", "validate", "before_save", "after_insert", "on_update", "hook:on_update", "*:on_update"], log);
            Assert.Equal("t!", doc.GetString("title"));
            log.Clear();
            await doc.SubmitAsync(ctx);
            Assert.Equal(["validate", "before_submit", "on_update", "hook:on_update", "*:on_update", "on_submit"], log);
            log.Clear();
            await doc.CancelAsync(ctx);
            Assert.Equal(["on_cancel"], log);
            log.Clear();
            await Documents.DeleteAsync(ctx, dt, doc.Name!);
            Assert.Equal(["on_trash", "after_delete", "*:after_delete"], log);
            await ctx.CommitAsync();

            var refused = await Documents.NewAsync(ctx, dt, new JsonObject { ["title"] = "refuse" });
            var e = await Assert.ThrowsAsync<ValidationError>(() => refused.InsertAsync(ctx));
            Assert.Equal("refused by controller", e.Message);
            await ctx.RollbackAsync();
            Assert.Equal(0L, await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = dt }));
        }
        finally
        {
            ctx.Site.Host.DocEvents.Off(specific);
            ctx.Site.Host.DocEvents.Off(star);
        }
    }
}
