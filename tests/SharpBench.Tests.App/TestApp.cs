using SharpBench.Apps;

namespace SharpBench.Tests.App;

/// <summary>The test app: no DocTypes, only the job methods in <see cref="JobMethods"/>.</summary>
public sealed class TestApp : SharpBench.Apps.App
{
    public const string AppName = "sb_test_app";

    public override string Name => AppName;
}
