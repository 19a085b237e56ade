using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Tests.Model;
using SharpBench.Tests.Realtime;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Auth;

/// <summary>
/// One live server per database, each with a claims DocType whose <c>approved</c> and
/// <c>approver_note</c> sit at permlevel 1, and the four kinds of user the permission matrix
/// asks as: Guest, a Website User (owner-only rights, level 0), a System User with one role
/// (every row, level 1 read only) and a System Manager. Realtime publishes are captured from the
/// start, so the saves made here are the events the matrix checks.
/// </summary>
public sealed class PermissionSites : IAsyncLifetime
{
    public const string Password = "pw-Matrix-7311";

    private readonly Dictionary<DbKind, Setup> _sites = [];

    internal PublishedEvents Events { get; private set; } = null!;

    public sealed record Setup(LiveServer Server, string Claim, string Role, string Website, string SystemUser, string Manager, string AdminClaim, string WebClaim)
    {
        public string UserFor(string role) => role switch
        {
            "Website User" => Website,
            "System User" => SystemUser,
            "System Manager" => Manager,
            _ => "Guest",
        };
    }

    public Setup this[DbKind kind] => _sites[kind];

    public async ValueTask InitializeAsync()
    {
        Events = await PublishedEvents.StartAsync();
        var made = await Task.WhenAll(new[] { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres }.Select(async k => (k, await SetUpAsync(k))));
        foreach (var (k, s) in made)
            _sites[k] = s;
    }

    private static async Task<Setup> SetUpAsync(DbKind kind)
    {
        var server = await LiveServer.StartAsync(kind);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var role = "Claims User " + tag;
        var claim = "Claim " + tag;
        string website, systemUser, manager, adminClaim;
        await using (var ctx = new FrappeContext(server.Site, "Administrator"))
        {
            await (await Documents.NewAsync(ctx, "Role", new JsonObject { ["role_name"] = role })).InsertAsync(ctx);
            await ctx.CommitAsync();
            var level1 = (JsonObject f) => { f["permlevel"] = 1; return f; };
            await TestDocTypes.CreateAsync(ctx, claim,
                new JsonArray(
                    TestDocTypes.Field("title", "Data"),
                    TestDocTypes.Field("parent_claim", "Link", claim),
                    level1(TestDocTypes.Field("approved", "Check")),
                    level1(TestDocTypes.Field("approver_note", "Small Text"))),
                null,
                new JsonArray(
                    TestDocTypes.Perm("System Manager"),
                    new JsonObject { ["role"] = "System Manager", ["permlevel"] = 1, ["read"] = 1, ["write"] = 1 },
                    new JsonObject { ["role"] = role, ["read"] = 1, ["write"] = 1, ["create"] = 1 },
                    new JsonObject { ["role"] = role, ["permlevel"] = 1, ["read"] = 1 },
                    new JsonObject { ["role"] = "All", ["if_owner"] = 1, ["read"] = 1, ["write"] = 1, ["create"] = 1 }));
            website = await UserAsync(ctx, $"web-{tag}@example.com", "Website User", null);
            systemUser = await UserAsync(ctx, $"clerk-{tag}@example.com", "System User", role);
            manager = await UserAsync(ctx, $"boss-{tag}@example.com", "System User", "System Manager");
            var a = await Documents.NewAsync(ctx, claim, new JsonObject { ["title"] = "admin claim", ["approved"] = 1, ["approver_note"] = "admin-only note" });
            await a.InsertAsync(ctx);
            adminClaim = a.Name!;
            await ctx.CommitAsync();
        }
        string webClaim;
        await using (var ctx = new FrappeContext(server.Site, website))
        {
            var w = await Documents.NewAsync(ctx, claim, new JsonObject { ["title"] = "web claim", ["parent_claim"] = adminClaim });
            await w.InsertAsync(ctx);
            webClaim = w.Name!;
            await ctx.CommitAsync();
        }
        await using (var ctx = new FrappeContext(server.Site, "Administrator"))
        {
            await Documents.UpdateAsync(ctx, claim, webClaim, new JsonObject { ["approver_note"] = "note on web claim" });
            await ctx.CommitAsync();
        }
        return new Setup(server, claim, role, website, systemUser, manager, adminClaim, webClaim);
    }

    private static async Task<string> UserAsync(FrappeContext ctx, string email, string type, string? role)
    {
        var values = new JsonObject { ["email"] = email, ["first_name"] = "Matrix", ["user_type"] = type, ["new_password"] = Password };
        if (role is not null)
            values["roles"] = new JsonArray(new JsonObject { ["role"] = role });
        var user = await Documents.NewAsync(ctx, "User", values);
        await user.InsertAsync(ctx);
        return user.Name!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _sites.Values)
            await s.Server.DisposeAsync();
        await Events.DisposeAsync();
    }
}
