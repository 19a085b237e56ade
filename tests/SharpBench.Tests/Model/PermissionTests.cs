using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;
using SharpBench.Sites;

namespace SharpBench.Tests.Model;

/// <summary>Role rights, if_owner row filtering, child tables through the parent and the Administrator bypass.</summary>
[Collection(ModelSitesCollection.Name)]
public sealed class PermissionTests(ModelSites sites)
{
    private sealed record Setup(string DocType, string Child, string Role, string Reader, string Owner1, string Owner2, string Nobody);

    private static readonly Dictionary<DbKind, Setup> Made = [];
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private async Task<Setup> SetUpAsync(DbKind kind)
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(kind, out var made))
                return made;
            await using var ctx = sites.Context(kind);
            var tag = Guid.NewGuid().ToString("N")[..6];
            var role = "Reader " + tag;
            var ownRole = "Owner " + tag;
            await (await Documents.NewAsync(ctx, "Role", new JsonObject { ["role_name"] = role })).InsertAsync(ctx);
            await (await Documents.NewAsync(ctx, "Role", new JsonObject { ["role_name"] = ownRole })).InsertAsync(ctx);
            var child = TestDocTypes.Unique("Perm Line");
            await TestDocTypes.CreateAsync(ctx, child, new JsonArray(TestDocTypes.Field("item", "Data")), new JsonObject { ["istable"] = 1 }, new JsonArray());
            var dt = TestDocTypes.Unique("Perm Note");
            var readOnly = new JsonObject { ["role"] = role, ["read"] = 1 };
            await TestDocTypes.CreateAsync(ctx, dt, new JsonArray(TestDocTypes.Field("title", "Data"), TestDocTypes.Field("lines", "Table", child)), null,
                new JsonArray(TestDocTypes.Perm("System Manager"), readOnly, TestDocTypes.Perm(ownRole, ifOwner: true)));
            var reader = await UserAsync(ctx, $"reader-{tag}@example.com", role);
            var owner1 = await UserAsync(ctx, $"owner1-{tag}@example.com", ownRole);
            var owner2 = await UserAsync(ctx, $"owner2-{tag}@example.com", ownRole);
            var nobody = await UserAsync(ctx, $"nobody-{tag}@example.com", null);
            await ctx.CommitAsync();
            foreach (var (user, title) in new[] { (owner1, "one-a"), (owner1, "one-b"), (owner2, "two-a") })
            {
                await using var uc = sites.Context(kind, user);
                await (await Documents.NewAsync(uc, dt, new JsonObject { ["title"] = title, ["lines"] = new JsonArray(new JsonObject { ["item"] = title }) })).InsertAsync(uc);
                await uc.CommitAsync();
            }
            Made[kind] = new Setup(dt, child, role, reader, owner1, owner2, nobody);
            return Made[kind];
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> UserAsync(FrappeContext ctx, string email, string? role)
    {
        var values = new JsonObject { ["email"] = email, ["first_name"] = "Test", ["new_password"] = "pw-" + email };
        if (role is not null)
            values["roles"] = new JsonArray(new JsonObject { ["role"] = role });
        var user = await Documents.NewAsync(ctx, "User", values);
        await user.InsertAsync(ctx);
        return user.Name!;
    }

    private async Task<string[]> TitlesAsync(DbKind kind, string user, string doctype)
    {
        await using var ctx = sites.Context(kind, user);
        var rows = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = doctype, Fields = ["title"], OrderBy = "title asc" });
        return rows.Rows.Select(r => (string)r[0]!).ToArray();
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task If_owner_rows_see_and_change_only_their_own_documents(DbKind kind)
    {
        var s = await SetUpAsync(kind);
        Assert.Equal(["one-a", "one-b"], await TitlesAsync(kind, s.Owner1, s.DocType));
        Assert.Equal(["two-a"], await TitlesAsync(kind, s.Owner2, s.DocType));
        Assert.Equal(["one-a", "one-b", "two-a"], await TitlesAsync(kind, s.Reader, s.DocType));
        Assert.Equal(["one-a", "one-b", "two-a"], await TitlesAsync(kind, "Administrator", s.DocType));

        await using var ctx = sites.Context(kind, s.Owner2);
        Assert.Equal(1L, await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = s.DocType }));
        var others = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = s.DocType, Fields = ["name"], IgnorePermissions = true, Filters = JsonNode.Parse("""{"title": "one-a"}""") });
        var foreign = (string)others.Rows.Single()[0]!;
        var denied = await Assert.ThrowsAsync<PermissionError>(() => Documents.GetAsync(ctx, s.DocType, foreign));
        Assert.Equal(403, denied.StatusCode);
        await Assert.ThrowsAsync<PermissionError>(() => Documents.UpdateAsync(ctx, s.DocType, foreign, new JsonObject { ["title"] = "stolen" }));
        await Assert.ThrowsAsync<PermissionError>(() => Documents.DeleteAsync(ctx, s.DocType, foreign));
        await ctx.RollbackAsync();
        await ctx.DisposeAsync();
        // SQLite transactions take the write lock when they begin, so each context is closed before the next opens.
        await using (var admin = sites.Context(kind))
            Assert.Equal("one-a", (await Documents.GetAsync(admin, s.DocType, foreign)).GetString("title"));

        var childRows = await ChildItemsAsync(kind, s.Owner2, s);
        Assert.Equal(["two-a"], childRows);
        Assert.Equal(["one-a", "one-b", "two-a"], await ChildItemsAsync(kind, s.Reader, s));
    }

    private async Task<string[]> ChildItemsAsync(DbKind kind, string user, Setup s)
    {
        await using var ctx = sites.Context(kind, user);
        var rows = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = s.Child, Parent = s.DocType, Fields = ["item"], OrderBy = "item asc" });
        return rows.Rows.Select(r => (string)r[0]!).ToArray();
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Read_only_roles_cannot_write_and_roleless_users_cannot_read(DbKind kind)
    {
        var s = await SetUpAsync(kind);
        await using (var ctx = sites.Context(kind, s.Reader))
        {
            var meta = await Meta.GetAsync(ctx, s.DocType);
            Assert.True(await Permissions.HasAsync(ctx, meta, "read"));
            Assert.False(await Permissions.HasAsync(ctx, meta, "write"));
            var all = await Permissions.AllAsync(ctx, meta);
            Assert.Equal(1, all["read"]);
            Assert.Equal(1, all["select"]);
            Assert.Equal(0, all["delete"]);
            var doc = await Documents.NewAsync(ctx, s.DocType, new JsonObject { ["title"] = "nope" });
            var e = await Assert.ThrowsAsync<PermissionError>(() => doc.InsertAsync(ctx));
            Assert.Equal("PermissionError", e.ExcType);
        }
        await using (var ctx = sites.Context(kind, s.Nobody))
        {
            await Assert.ThrowsAsync<PermissionError>(() => DbQuery.GetListAsync(ctx, new ListQuery { DocType = s.DocType }));
            await Assert.ThrowsAsync<PermissionError>(() => DbQuery.GetCountAsync(ctx, new ListQuery { DocType = s.DocType }));
            await Assert.ThrowsAsync<PermissionError>(() => DbQuery.GetListAsync(ctx, new ListQuery { DocType = s.Child, Parent = s.DocType }));
            // A child table needs its parent named, and the parent must really hold it.
            await Assert.ThrowsAsync<PermissionError>(() => DbQuery.GetListAsync(ctx, new ListQuery { DocType = s.Child }));
        }
        await using (var ctx = sites.Context(kind, s.Reader))
            await Assert.ThrowsAsync<PermissionError>(() => DbQuery.GetListAsync(ctx, new ListQuery { DocType = s.Child, Parent = "ToDo" }));
        await using (var guest = sites.Context(kind, "Guest"))
        {
            await Assert.ThrowsAsync<PermissionError>(() => DbQuery.GetListAsync(guest, new ListQuery { DocType = "ToDo" }));
            await Assert.ThrowsAsync<PermissionError>(() => Documents.GetAsync(guest, "User", "Administrator"));
        }
        Assert.Equal(3, (await TitlesAsync(kind, "Administrator", s.DocType)).Length);
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Desk_user_is_the_automatic_role_of_system_users_in_every_permission_check(DbKind kind)
    {
        string dt, system, website;
        await using (var ctx = sites.Context(kind))
        {
            var tag = Guid.NewGuid().ToString("N")[..6];
            dt = TestDocTypes.Unique("Desk Note");
            await TestDocTypes.CreateAsync(ctx, dt, new JsonArray(TestDocTypes.Field("title", "Data")), null,
                new JsonArray(TestDocTypes.Perm("System Manager"), new JsonObject { ["role"] = "Desk User", ["read"] = 1 }));
            await (await Documents.NewAsync(ctx, dt, new JsonObject { ["title"] = "visible to desk users" })).InsertAsync(ctx);
            system = await UserAsync(ctx, $"desk-{tag}@example.com", null);
            var web = await Documents.NewAsync(ctx, "User", new JsonObject { ["email"] = $"web-{tag}@example.com", ["first_name"] = "Web", ["user_type"] = "Website User" });
            await web.InsertAsync(ctx);
            website = web.Name!;
            await ctx.CommitAsync();
            Assert.Contains("Desk User", await Permissions.RolesAsync(ctx, system));
            Assert.DoesNotContain("Desk User", await Permissions.RolesAsync(ctx, website));
            Assert.DoesNotContain("Desk User", await Permissions.RolesAsync(ctx, "Guest"));
        }

        Assert.Equal(["visible to desk users"], await TitlesAsync(kind, system, dt));
        await using var webCtx = sites.Context(kind, website);
        await Assert.ThrowsAsync<PermissionError>(() => DbQuery.GetListAsync(webCtx, new ListQuery { DocType = dt }));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Users_are_named_by_email_with_roles_and_a_login_password(DbKind kind)
    {
        var s = await SetUpAsync(kind);
        await using var ctx = sites.Context(kind);
        var roles = await Permissions.RolesAsync(ctx, s.Reader);
        Assert.Contains(s.Role, roles);
        Assert.Contains("All", roles);
        Assert.Equal(s.Reader, s.Reader.ToLowerInvariant());
        var user = await Documents.GetAsync(ctx, "User", s.Reader);
        Assert.Equal("Test", user.GetString("full_name"));
        Assert.Null(user.Get("new_password"));
        Assert.True(await UserPasswords.CheckPasswordAsync(await ctx.DbAsync(), s.Reader, "pw-" + s.Reader));
        var bad = await Documents.NewAsync(ctx, "User", new JsonObject { ["email"] = "not an email", ["first_name"] = "X" });
        await Assert.ThrowsAsync<ValidationError>(() => bad.InsertAsync(ctx));
        await ctx.RollbackAsync();
        await Assert.ThrowsAsync<ValidationError>(() => Documents.DeleteAsync(ctx, "User", "Administrator"));
    }
}
