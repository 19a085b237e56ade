using System.Globalization;
using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>
/// <c>bench new-app NAME</c>: writes the files of a new app into <c>apps/NAME</c> (the project
/// referencing the <c>SharpBench</c> package, the app class with every hook, a module folder
/// for DocTypes, <c>public/</c>, <c>patches.txt</c> and a test project), builds it and adds it to
/// <c>sites/apps.txt</c>. The app builds outside any SharpBench checkout.
/// </summary>
internal static class AppScaffold
{
    public static void Write(string folder, string app)
    {
        var pascal = Pascal(app);
        var title = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(app.Replace('_', ' '));
        Directory.CreateDirectory(folder);
        var files = new Dictionary<string, string>
        {
            [app + ".csproj"] = Csproj(app, pascal),
            ["Directory.Build.props"] = """
                <Project>
                  <!-- Stops MSBuild from importing a Directory.Build.props above the app (a checkout it sits in). -->
                </Project>

                """,
            ["Directory.Packages.props"] = """
                <Project>
                  <!-- The app pins its own package versions (SharpBench's comes from bench build). -->
                  <PropertyGroup>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                </Project>

                """,
            [pascal + "App.cs"] = AppClass(app, pascal, title),
            ["Api.cs"] = Api(app, pascal),
            ["patches.txt"] = """
                # One-time patches: a registered method's dotted name a line. New lines run once per
                # site on bench migrate and are recorded in Patch Log.
                [pre_model_sync]

                [post_model_sync]

                """,
            [Path.Combine(app, "doctype", ".gitkeep")] = "",
            [Path.Combine("public", "js", app + ".js")] = $"// {title}: served as /assets/{app}/js/{app}.js once bench build --app {app} ran.\n",
            [Path.Combine("tests", app + ".tests.csproj")] = TestCsproj(app),
            [Path.Combine("tests", "AppTests.cs")] = Tests(app, pascal),
            [".gitignore"] = "bin/\nobj/\n",
            ["README.md"] = $"# {title}\n\nA SharpBench app. Build it into a bench with `bench build --app {app}`; install it on a site with\n`bench --site SITE install-app {app}`. Its tests: `dotnet test tests` with `SharpBenchFeed` and\n`SharpBenchVersion` set (docs/apps.md).\n",
        };
        foreach (var (rel, text) in files)
        {
            var path = Path.Combine(folder, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
    }

    public static string Pascal(string app) =>
        string.Concat(app.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static string Csproj(string app, string pascal) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <!-- A SharpBench app. bench build compiles it into apps/{app}/bin/ with SharpBenchVersion
               and SharpBenchFeed set (the framework package and its local feed). -->
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <AssemblyName>{app}</AssemblyName>
            <RootNamespace>{pascal}</RootNamespace>
            <SharpBenchVersion Condition="'$(SharpBenchVersion)' == ''">0.1.0-*</SharpBenchVersion>
            <RestoreAdditionalProjectSources Condition="'$(SharpBenchFeed)' != ''">$(SharpBenchFeed)</RestoreAdditionalProjectSources>
          </PropertyGroup>
          <ItemGroup>
            <!-- Every role already runs the framework: compile against it, never ship a copy. -->
            <PackageReference Include="SharpBench" Version="$(SharpBenchVersion)" ExcludeAssets="runtime" />
          </ItemGroup>
          <ItemGroup>
            <Compile Remove="tests/**" />
            <None Remove="tests/**" />
            <!-- DocTypes in Frappe's layout, <module>/doctype/<name>/<name>.json, and the patches travel inside the assembly. -->
            <EmbeddedResource Include="*/doctype/*/*.json" LogicalName="doctype/%(RelativeDir)%(Filename)%(Extension)" />
            <EmbeddedResource Include="patches.txt" LogicalName="patches.txt" />
          </ItemGroup>
        </Project>

        """;

    private static string AppClass(string app, string pascal, string title) => $$"""
        using SharpBench;
        using SharpBench.Apps;
        using SharpBench.Model;
        using SharpBench.Scheduling;

        namespace {{pascal}};

        /// <summary>The app and its hooks (Frappe's hooks.py): every role finds it in apps/{{app}}/bin/{{app}}.dll.</summary>
        public sealed class {{pascal}}App : App
        {
            public override string Name => "{{app}}";

            public override string Title => "{{title}}";

            /// <summary>doc_events: (DocType or "*", event, handler).</summary>
            public override IReadOnlyList<DocEventHook> DocEvents => [];

            /// <summary>scheduler_events: frequency keys (all, hourly, daily, weekly, monthly, ...) and cron expressions to method names.</summary>
            public override SchedulerEvents SchedulerEvents { get; } = new();

            public override Task AfterInstallAsync(FrappeContext context, CancellationToken ct) => Task.CompletedTask;

            public override Task AfterMigrateAsync(FrappeContext context, CancellationToken ct) => Task.CompletedTask;

            public override Task BeforeUninstallAsync(FrappeContext context, CancellationToken ct) => Task.CompletedTask;
        }

        """;

    private static string Api(string app, string pascal) => $$"""
        using SharpBench.Apps;

        namespace {{pascal}};

        /// <summary>Whitelisted methods: /api/method/{{app}}.api.ping.</summary>
        public static class Api
        {
            [Whitelist("{{app}}.api.ping", AllowGuest = true)]
            public static string Ping() => "pong from {{app}}";
        }

        """;

    private static string TestCsproj(string app) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <OutputType>Exe</OutputType>
            <IsPackable>false</IsPackable>
            <SharpBenchVersion Condition="'$(SharpBenchVersion)' == ''">0.1.0-*</SharpBenchVersion>
            <RestoreAdditionalProjectSources Condition="'$(SharpBenchFeed)' != ''">$(SharpBenchFeed)</RestoreAdditionalProjectSources>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="../{app}.csproj" />
            <!-- The tests run the framework in-process, so here it is a full reference. -->
            <PackageReference Include="SharpBench" Version="$(SharpBenchVersion)" />
            <PackageReference Include="xunit.v3" Version="3.2.2" />
            <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
          </ItemGroup>
        </Project>

        """;

    private static string Tests(string app, string pascal) => $$"""
        using {{pascal}};
        using Xunit;

        public class AppTests
        {
            [Fact]
            public void The_app_is_named_after_its_folder() => Assert.Equal("{{app}}", new {{pascal}}App().Name);

            [Fact]
            public void Its_doctypes_load() => Assert.NotNull(new {{pascal}}App().DocTypes().ToList());

            [Fact]
            public void Ping_answers() => Assert.Equal("pong from {{app}}", Api.Ping());
        }

        """;
}
