using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using SharpBench.Jobs;
using SharpBench.Tests.Support;
using static SharpBench.Tests.Support.LiveServer;

namespace SharpBench.Tests.Http;

/// <summary>A client that hangs up during a save: the request's unit of work commits whole or not at all.</summary>
public sealed class ClientAbortTests
{
    [Fact]
    public async Task A_client_that_disconnects_after_the_handler_still_gets_its_row_job_and_after_commit_work()
    {
        var benchId = "abort-" + Guid.NewGuid().ToString("N")[..10];
        await using var server = await LiveServer.StartAsync(commonConfig: c =>
        {
            c["redis_queue"] = TestServices.RedisQueue;
            c["bench_id"] = benchId;
        });
        var key = "abort-" + Guid.NewGuid().ToString("N")[..8];
        var reached = TestMethods.Reached.GetOrAdd(key, _ => new());
        var afterCommit = TestMethods.AfterCommitRan.GetOrAdd(key, _ => new());

        using var client = server.Client();
        using var hangUp = new CancellationTokenSource();
        var call = client.PostAsync("/api/method/sharpbench_tests.save_then_outlive_client", Json(new JsonObject { ["key"] = key }), hangUp.Token);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // The handler returns once the server saw the abort; its commit must not be cut short by it.
        await Task.WhenAny(afterCommit.Task, Task.Delay(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken));
        var rows = await server.CountAsync("tabDefaultValue", "defkey = @p0", key);
        var job = await (server.Services.GetService<JobBackends>() ?? JobBackends.Outside).For(QueueSettings.For(server.Site)).GetAsync(JobRecord.FullId(server.Site.Name, key), TestContext.Current.CancellationToken);
        Assert.True(TestMethods.SawAbort.GetValueOrDefault(key), "the server never saw the client go");
        Assert.Equal(1, rows);
        Assert.NotNull(job);
        Assert.True(afterCommit.Task.IsCompleted, "after-commit work was dropped");
    }
}
