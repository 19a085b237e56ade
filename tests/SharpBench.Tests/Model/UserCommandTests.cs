using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;
using SharpBench.Sites;
using SharpBench.Tests.Support;

namespace SharpBench.Tests.Model;

/// <summary>add-user, set-admin-password and migrate through the real bench executable.</summary>
[Collection(ModelSitesCollection.Name)]
public sealed class UserCommandTests(ModelSites sites)
{
    private string SiteName => sites.Site(DbKind.Sqlite).Name;

    [Fact]
    public async Task Add_user_creates_a_user_with_roles_and_password()
    {
        var email = $"New.User-{Guid.NewGuid().ToString("N")[..6]}@Example.com";
        var r = await BenchCli.RunAsync(sites.Bench.Root, "--site", SiteName, "add-user", email, "--first-name", "New", "--last-name", "User",
            "--password", "pa55word", "--add-role", "System Manager");
        Assert.True(r.ExitCode == 0, r.Output);
        var name = email.ToLowerInvariant();
        await using (var ctx = sites.Context(DbKind.Sqlite))
        {
            var user = await Documents.GetAsync(ctx, "User", name);
            Assert.Equal("New User", user.GetString("full_name"));
            Assert.Contains("System Manager", await Permissions.RolesAsync(ctx, name));
            Assert.True(await UserPasswords.CheckPasswordAsync(await ctx.DbAsync(), name, "pa55word"));
            Assert.False(await UserPasswords.CheckPasswordAsync(await ctx.DbAsync(), name, "wrong"));
        }

        var again = await BenchCli.RunAsync(sites.Bench.Root, "--site", SiteName, "add-user", email);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);

        var badRole = await BenchCli.RunAsync(sites.Bench.Root, "--site", SiteName, "add-user", "other-" + email, "--add-role", "No Such Role");
        Assert.Equal(1, badRole.ExitCode);
        Assert.Contains("Could not find Role", badRole.Stderr, StringComparison.Ordinal);
        await using (var ctx = sites.Context(DbKind.Sqlite))
            Assert.False(await Documents.ExistsAsync(ctx, "User", "other-" + name));
    }

    [Fact]
    public async Task Set_admin_password_replaces_the_login_password()
    {
        var r = await BenchCli.RunAsync(sites.Bench.Root, "--site", SiteName, "set-admin-password", "n3w-admin");
        Assert.True(r.ExitCode == 0, r.Output);
        await using var ctx = sites.Context(DbKind.Sqlite);
        var db = await ctx.DbAsync();
        Assert.True(await UserPasswords.CheckPasswordAsync(db, "Administrator", "n3w-admin"));
        Assert.False(await UserPasswords.CheckPasswordAsync(db, "Administrator", "admin-pass"));
        await db.RollbackAsync();
        await ctx.DisposeAsync();
        var restore = await BenchCli.RunAsync(sites.Bench.Root, "--site", SiteName, "set-admin-password", "admin-pass");
        Assert.Equal(0, restore.ExitCode);
    }

    [Fact]
    public async Task Migrate_rewrites_shipped_doctype_rows_and_keeps_custom_ones()
    {
        var custom = TestDocTypes.Unique("Mig Keep");
        await using (var ctx = sites.Context(DbKind.Sqlite))
        {
            await TestDocTypes.CreateAsync(ctx, custom, new JsonArray(TestDocTypes.Field("title", "Data")));
            var db = await ctx.DbAsync();
            var d = db.Dialect;
            await db.ExecuteAsync($"DELETE FROM {d.Quote("tabDocField")} WHERE {d.Quote("parent")} = @p0", ["ToDo"]);
            await db.ExecuteAsync($"DELETE FROM {d.Quote("tabDocType")} WHERE {d.Quote("name")} = @p0", ["ToDo"]);
            await ctx.CommitAsync();
        }
        var r = await BenchCli.RunAsync(sites.Bench.Root, "--site", SiteName, "migrate");
        Assert.True(r.ExitCode == 0, r.Output);
        Meta.Invalidate(sites.Site(DbKind.Sqlite));
        await using (var ctx = sites.Context(DbKind.Sqlite))
        {
            var fields = await DbQuery.GetListAsync(ctx, new ListQuery
            {
                DocType = "DocField",
                Parent = "DocType",
                Fields = ["fieldname"],
                Filters = JsonNode.Parse("""{"parent": "ToDo"}"""),
                OrderBy = "idx asc",
                LimitPageLength = 0,
            });
            Assert.Equal("status", fields.Rows[0][0]);
            Assert.Contains(fields.Rows, row => (string?)row[0] == "description");
            Assert.True(await Documents.ExistsAsync(ctx, "DocType", custom));
            Assert.NotNull((await Meta.GetAsync(ctx, custom)).Field("title"));
            var modules = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = "Module Def", OrderBy = "name asc" });
            Assert.Equal(["Automation", "Core", "Custom", "Desk"], modules.Rows.Select(row => (string)row[0]!));
        }
    }
}
