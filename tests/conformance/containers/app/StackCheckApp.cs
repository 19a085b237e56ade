using SharpBench.Apps;
using SharpBench.Scheduling;

namespace SbStackCheck;

/// <summary>The app object the bench finds in apps/sb_stack_check/sb_stack_check.dll.</summary>
public sealed class StackCheckApp : SharpBench.Apps.App
{
    public override string Name => "sb_stack_check";

    public override string Title => "Stack check";

    public override SchedulerEvents SchedulerEvents { get; } = new()
    {
        Cron = { ["* * * * *"] = [StackJobs.Tick] },
    };
}
