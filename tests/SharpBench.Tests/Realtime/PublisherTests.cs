using System.Text.Json.Nodes;
using SharpBench.Realtime;
using SharpBench.Realtime.Publishing;
using SharpBench.Sites;

namespace SharpBench.Tests.Realtime;

/// <summary>
/// Frappe's publish_realtime rules (frappe/realtime.py), checked on what reaches a real in-process
/// bridge: rooms, forced rooms, task ids, after-commit delivery and rollback.
/// </summary>
[Collection(PublisherTests.Name)]
public sealed class PublisherTests : IAsyncLifetime
{
    public const string Name = "realtime publisher (the process-wide in-process bridge)";

    private readonly Site _site = new("rt-" + Guid.NewGuid().ToString("N")[..8] + ".local", Path.GetTempPath(), new SiteConfig(new JsonObject { ["db_name"] = "unused", ["db_type"] = "sqlite" }), new HostState());
    private PublishedEvents _events = null!;

    public async ValueTask InitializeAsync() => _events = await PublishedEvents.StartAsync();

    public ValueTask DisposeAsync() => _events.DisposeAsync();

    private List<(string Event, string? Room, string Message)> Got => _events.For(_site.Name);

    private FrappeContext Context(string user = "alice@example.com") => new(_site, user);

    private (string Event, string? Room, string Message) Last() => Got[^1];

    [Fact]
    public async Task Rooms_follow_Frappe_order_task_then_user_then_doc_then_all()
    {
        await using var ctx = Context();
        await RealtimePublisher.PublishAsync(ctx, "x", new JsonObject { ["a"] = 1 }, user: "bob@example.com", doctype: "ToDo", docname: "T1");
        Assert.Equal(("x", "user:bob@example.com", "{\"a\":1}"), Last());
        await RealtimePublisher.PublishAsync(ctx, "x", null, doctype: "ToDo", docname: "T1");
        Assert.Equal(("x", "doc:ToDo/T1", "{}"), Last());
        await RealtimePublisher.PublishAsync(ctx, "x");
        Assert.Equal(("x", "all", "{}"), Last());
        await RealtimePublisher.PublishAsync(ctx);
        Assert.Equal(("global", "all", "{}"), Last());
        await RealtimePublisher.PublishAsync(ctx, "x", new JsonObject(), room: "website", user: "bob@example.com");
        Assert.Equal(("x", "website", "{}"), Last());
    }

    [Fact]
    public async Task Msgprint_goes_to_the_session_user_and_list_and_docinfo_updates_force_their_rooms()
    {
        await using var ctx = Context();
        await RealtimePublisher.PublishAsync(ctx, "msgprint", new JsonObject { ["message"] = "hi" });
        Assert.Equal("user:alice@example.com", Last().Room);
        await RealtimePublisher.PublishAsync(ctx, "list_update", new JsonObject { ["doctype"] = "Note", ["name"] = "N1" }, room: "all");
        Assert.Equal("doctype:Note", Last().Room);
        await RealtimePublisher.PublishAsync(ctx, "docinfo_update", new JsonObject(), room: "all", doctype: "Note", docname: "N1");
        Assert.Equal("doc:Note/N1", Last().Room);
    }

    [Fact]
    public async Task A_task_id_picks_the_task_room_adds_task_id_and_ignores_after_commit()
    {
        await using var ctx = Context();
        ctx.Items[RealtimePublisher.TaskIdItem] = "job-7";
        await RealtimePublisher.PublishAsync(ctx, null, new JsonObject { ["n"] = 1 }, user: "bob@example.com", afterCommit: true);
        Assert.Equal(("task_progress", "task_progress:job-7", "{\"n\":1,\"task_id\":\"job-7\"}"), Last());
        await RealtimePublisher.PublishProgressAsync(ctx, 40, "Working");
        Assert.Equal(("progress", "task_progress:job-7", "{\"percent\":40,\"title\":\"Working\",\"description\":null,\"task_id\":\"job-7\"}"), Last());
    }

    [Fact]
    public async Task Progress_without_a_task_goes_to_the_document_else_the_user()
    {
        await using var ctx = Context();
        await RealtimePublisher.PublishProgressAsync(ctx, 10, "T", doctype: "Note", docname: "N1");
        Assert.Equal("doc:Note/N1", Last().Room);
        await RealtimePublisher.PublishProgressAsync(ctx, 20, "T");
        Assert.Equal("user:alice@example.com", Last().Room);
    }

    [Fact]
    public async Task After_commit_events_wait_for_the_commit_are_deduplicated_and_dropped_on_rollback()
    {
        await using (var ctx = Context())
        {
            var modified = new DateTime(2024, 10, 1, 10, 0, 0);
            await RealtimePublisher.NotifyUpdateAsync(ctx, "Note", "N1", modified);
            await RealtimePublisher.NotifyUpdateAsync(ctx, "Note", "N1", modified);
            Assert.Empty(Got);
            await ctx.CommitAsync();
            Assert.Equal([
                ("doc_update", "doc:Note/N1", "{\"modified\":\"2024-10-01 10:00:00\",\"doctype\":\"Note\",\"name\":\"N1\"}"),
                ("list_update", "doctype:Note", "{\"doctype\":\"Note\",\"name\":\"N1\",\"user\":\"alice@example.com\"}"),
            ], Got);
        }
        await using (var ctx = Context())
        {
            await RealtimePublisher.PublishAsync(ctx, "x", afterCommit: true);
            await ctx.RollbackAsync();
            await ctx.CommitAsync();
            Assert.Equal(2, Got.Count);
        }
    }

    [Fact]
    public void Modified_keeps_microseconds_only_when_there_are_some()
    {
        Assert.Equal("2024-10-01 10:00:00", RealtimePublisher.FormatModified(new DateTime(2024, 10, 1, 10, 0, 0)));
        Assert.Equal("2024-10-01 10:00:00.000120", RealtimePublisher.FormatModified(new DateTime(2024, 10, 1, 10, 0, 0).AddTicks(1200)));
    }

    [Fact]
    public void Channel_messages_round_trip_and_garbage_is_ignored()
    {
        var m = new RealtimeMessage { Event = "e", Message = new JsonObject { ["k"] = "v" }, Room = "all", Namespace = "s.local" };
        var back = RealtimeMessage.Parse(m.ToJson())!;
        Assert.Equal(("e", "all", "s.local", "{\"k\":\"v\"}"), (back.Event, back.Room, back.Namespace, back.MessageJson));
        Assert.Null(RealtimeMessage.Parse("not json"));
        Assert.Null(RealtimeMessage.Parse("[1,2]"));
        Assert.Null(RealtimeMessage.Parse("{\"event\":5}"));
    }
}
