using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SharpBench.Apps;
using SharpBench.Jobs;
using SharpBench.Realtime;
using SharpBench.Realtime.Publishing;
using SharpBench.Tests.Jobs;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Realtime;

/// <summary>
/// A job enqueued with a task id runs with it as <c>frappe.local.task_id</c>: its progress and
/// room-less events go to <c>task_progress:{id}</c>. Real Redis queue, real worker loop, and the
/// in-process realtime bridge to see what was published.
/// </summary>
[Collection(PublisherTests.Name)]
public sealed class JobTaskTests : IAsyncLifetime
{
    private const string Method = "sb_test_realtime.progress";
    private PublishedEvents _events = null!;

    /// <summary>A bench whose host runs <see cref="Method"/> and publishes through the test's bridges.</summary>
    private JobBench NewBench()
    {
        var bench = new JobBench(services: s => s.AddSingleton(_events.Bridges));
        bench.Host.Methods.Register(Method, async (context, kwargs, ct) =>
        {
            await RealtimePublisher.PublishProgressAsync(context, 50, "Half");
            await RealtimePublisher.PublishAsync(context, "custom", new JsonObject { ["k"] = 1 });
            return null;
        });
        return bench;
    }

    public async ValueTask InitializeAsync() => _events = await PublishedEvents.StartAsync();

    public ValueTask DisposeAsync() => _events.DisposeAsync();

    [Fact]
    public async Task A_job_with_a_task_id_publishes_to_the_task_room_and_keeps_the_id_in_its_record()
    {
        await using var bench = NewBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "alice@example.com");
        var queued = await BackgroundJobs.EnqueueAsync(ctx, Method, null, new EnqueueOptions { TaskId = "task-42" });
        Assert.Equal("task-42", (await bench.Backend.GetAsync(queued.JobId!))!.TaskId);

        await Drain.JobsAsync(bench);

        Assert.Equal(JobStatus.Finished, (await bench.Backend.GetAsync(queued.JobId!))!.Status);
        Assert.Equal(
        [
            ("progress", "task_progress:task-42", """{"percent":50,"title":"Half","description":null,"task_id":"task-42"}"""),
            ("custom", "task_progress:task-42", """{"k":1,"task_id":"task-42"}"""),
        ], _events.For(site.Name));
    }

    [Fact]
    public async Task A_job_without_a_task_id_reports_progress_to_its_user()
    {
        await using var bench = NewBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site, "alice@example.com");
        var queued = await BackgroundJobs.EnqueueAsync(ctx, Method);
        Assert.Null((await bench.Backend.GetAsync(queued.JobId!))!.TaskId);

        await Drain.JobsAsync(bench);

        Assert.Equal(
        [
            ("progress", "user:alice@example.com", """{"percent":50,"title":"Half","description":null}"""),
            ("custom", "all", """{"k":1}"""),
        ], _events.For(site.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nid")]
    public async Task A_malformed_task_id_is_refused_and_nothing_is_queued(string taskId)
    {
        await using var bench = NewBench();
        var site = await bench.CreateSiteAsync();
        await using var ctx = bench.Context(site);

        var e = await Assert.ThrowsAsync<ValidationError>(() => BackgroundJobs.EnqueueAsync(ctx, Method, null, new EnqueueOptions { TaskId = taskId }));

        Assert.Equal("`task_id` must be 1 to 200 printable characters.", e.Message);
        Assert.All(await bench.Backend.CountsAsync(bench.Settings.QueueNames.ToList()), c => Assert.Equal(0L, c.Queued));
        Assert.Empty(await bench.Backend.ListAsync(site.Name));
    }
}
