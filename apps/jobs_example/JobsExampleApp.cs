namespace JobsExample;

/// <summary>The app object the bench finds in apps/jobs_example/jobs_example.dll.</summary>
public sealed class JobsExampleApp : SharpBench.Apps.App
{
    public override string Name => "jobs_example";

    public override string Title => "Jobs example";
}
