using SharpBench.Apps;
using SharpBench.Scheduling;

namespace SharpBench.Tests.Scheduling;

/// <summary>An app whose scheduler events a test sets, registered under a unique name.</summary>
public sealed class TestApp(SchedulerEvents events) : SharpBench.Apps.App
{
    public override string Name { get; } = "sched_app_" + Guid.NewGuid().ToString("N")[..8];

    public SchedulerEvents Events { get; set; } = events;

    public override SchedulerEvents SchedulerEvents => Events;
}
