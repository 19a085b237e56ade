using System.Text.Json.Nodes;
using SharpBench.Data;
using SharpBench.Model;
using SharpBench.Model.Queries;

namespace SharpBench.Tests.Model;

/// <summary>Insert, save, submit, cancel, delete, child tables, Singles and the modified lock, on every database.</summary>
[Collection(ModelSitesCollection.Name)]
public sealed class DocumentLifecycleTests(ModelSites sites)
{
    private static readonly Dictionary<DbKind, (string Parent, string Child, string Target)> Made = [];
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>A submittable DocType with a child table and a Link to another custom DocType.</summary>
    private async Task<(string Parent, string Child, string Target)> SetUpAsync(DbKind kind)
    {
        await Gate.WaitAsync();
        try
        {
            if (Made.TryGetValue(kind, out var made))
                return made;
            await using var ctx = sites.Context(kind);
            var target = TestDocTypes.Unique("LC Target");
            await TestDocTypes.CreateAsync(ctx, target, new JsonArray(TestDocTypes.Field("label", "Data")), new JsonObject { ["autoname"] = "field:label", ["allow_rename"] = 1 });
            var child = TestDocTypes.Unique("LC Line");
            await TestDocTypes.CreateAsync(ctx, child, new JsonArray(TestDocTypes.Field("item", "Data", reqd: 1), TestDocTypes.Field("qty", "Float"),
                TestDocTypes.Field("target", "Link", target)), new JsonObject { ["istable"] = 1 }, new JsonArray());
            var parent = TestDocTypes.Unique("LC Invoice");
            await TestDocTypes.CreateAsync(ctx, parent, new JsonArray(
                TestDocTypes.Field("customer", "Data", reqd: 1, label: "Customer"),
                TestDocTypes.Field("status", "Select", "Draft\nPaid\nUnpaid", dflt: "Draft"),
                TestDocTypes.Field("target", "Link", target),
                TestDocTypes.Field("code", "Data", unique: 1),
                TestDocTypes.Field("count", "Int"),
                TestDocTypes.Field("total", "Currency"),
                TestDocTypes.Field("paid", "Check"),
                TestDocTypes.Field("due", "Date"),
                TestDocTypes.Field("at", "Datetime"),
                TestDocTypes.Field("when", "Time"),
                TestDocTypes.Field("meta", "JSON"),
                TestDocTypes.Field("remark", "Small Text", allowOnSubmit: 1),
                TestDocTypes.Field("secret", "Password"),
                TestDocTypes.Field("lines", "Table", child)),
                new JsonObject { ["is_submittable"] = 1 },
                new JsonArray(TestDocTypes.Perm("System Manager", submit: true)));
            await (await Documents.NewAsync(ctx, target, new JsonObject { ["label"] = "T1" })).InsertAsync(ctx);
            await ctx.CommitAsync();
            Made[kind] = (parent, child, target);
            return Made[kind];
        }
        finally
        {
            Gate.Release();
        }
    }

    private static JsonObject Invoice(string? code = null) => new()
    {
        ["customer"] = "ACME",
        ["code"] = code ?? Guid.NewGuid().ToString("N")[..12],
        ["count"] = "3",
        ["total"] = "12.5",
        ["paid"] = true,
        ["due"] = "2024-03-04",
        ["at"] = "2024-03-04T05:06:07.123456",
        ["when"] = "9:05",
        ["meta"] = new JsonObject { ["a"] = 1 },
        ["lines"] = new JsonArray(new JsonObject { ["item"] = "pen", ["qty"] = 2 }, new JsonObject { ["item"] = "ink", ["qty"] = 1.5 }),
    };

    private async Task<long> CountAsync(DbKind kind, string doctype)
    {
        await using var ctx = sites.Context(kind);
        return await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = doctype });
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Insert_sets_server_fields_coerces_values_and_numbers_child_rows(DbKind kind)
    {
        var (parent, child, _) = await SetUpAsync(kind);
        string name;
        await using (var ctx = sites.Context(kind))
        {
            var doc = await Documents.NewAsync(ctx, parent, Invoice());
            await doc.InsertAsync(ctx);
            name = doc.Name!;
            await ctx.CommitAsync();
        }
        await using (var ctx = sites.Context(kind))
        {
            var doc = await Documents.GetAsync(ctx, parent, name);
            Assert.Equal("Administrator", doc.Owner);
            Assert.Equal("Administrator", doc.ModifiedBy);
            Assert.Equal(doc.Creation, doc.Modified);
            Assert.Equal(3L, doc.Get("count"));
            Assert.Equal(12.5m, doc.Get("total"));
            Assert.Equal(1L, doc.Get("paid"));
            Assert.Equal("Draft", doc.Get("status"));
            Assert.Equal(new DateTime(2024, 3, 4, 5, 6, 7).AddTicks(1234560), doc.Get("at"));
            Assert.Equal(new TimeSpan(9, 5, 0), doc.Get("when"));
            Assert.Equal(1, JsonNode.Parse(doc.GetString("meta")!)!["a"]!.GetValue<int>());
            var lines = doc.Table("lines");
            Assert.Equal([1, 2], lines.Select(l => l.Idx));
            Assert.All(lines, l => Assert.Equal(name, l.Parent));
            Assert.All(lines, l => Assert.Equal(parent, l.ParentType));
            Assert.All(lines, l => Assert.Equal("lines", l.ParentField));
            Assert.Equal(child, lines[0].DocType);

            var json = doc.ToJson();
            var keys = json.Select(kv => kv.Key).ToList();
            Assert.Equal(["name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "customer"], keys.Take(8));
            Assert.Equal("doctype", keys[^2]);
            Assert.Equal("lines", keys[^1]);
            Assert.DoesNotContain("target", keys);
            Assert.Contains("target", doc.ToJson(includeNulls: true).Select(kv => kv.Key));
            Assert.Equal("2024-03-04 05:06:07.123456", json["at"]!.GetValue<string>());
            Assert.Equal("9:05:00", json["when"]!.GetValue<string>());
            Assert.Equal("12.5", json["total"]!.ToJsonString());
            Assert.Equal("2.0", json["lines"]![0]!["qty"]!.ToJsonString());
            Assert.Equal(["parent", "parentfield", "parenttype", "doctype"], json["lines"]![0]!.AsObject().Select(kv => kv.Key).TakeLast(4));
        }
    }

    public static TheoryData<DbKind, string, string> BadValues()
    {
        var cases = new (string Json, string ExcType)[]
        {
            ("""{"customer": ""}""", "MandatoryError"),
            ("""{"status": "Maybe"}""", "ValidationError"),
            ("""{"target": "nope"}""", "LinkValidationError"),
            ("""{"customer": "CUSTOMER_141"}""", "CharacterLengthExceededError"),
            ("""{"count": "many"}""", "FrappeTypeError"),
            ("""{"due": "yesterday-ish"}""", "FrappeTypeError"),
            ("""{"customer": ["a", "b"]}""", "ValidationError"),
            ("""{"meta": "{not json"}""", "FrappeTypeError"),
            ("""{"lines": [{"qty": 1}]}""", "MandatoryError"),
            ("""{"lines": [{"item": "x", "target": "missing"}]}""", "LinkValidationError"),
            ("""{"docstatus": 2}""", "DocstatusTransitionError"),
        };
        var data = new TheoryData<DbKind, string, string>();
        foreach (var kind in new[] { DbKind.Sqlite, DbKind.MariaDb, DbKind.Postgres })
            foreach (var (j, e) in cases)
                data.Add(kind, j, e);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Invalid_values_are_rejected_and_nothing_is_written(DbKind kind, string json, string excType)
    {
        var (parent, child, _) = await SetUpAsync(kind);
        var before = (await CountAsync(kind, parent), await CountChildrenAsync(kind, child, parent));
        await using (var ctx = sites.Context(kind))
        {
            var values = Invoice();
            foreach (var (k, v) in JsonNode.Parse(json.Replace("CUSTOMER_141", new string('c', 141), StringComparison.Ordinal))!.AsObject())
                values[k] = v?.DeepClone();
            var e = await Assert.ThrowsAnyAsync<FrappeException>(async () =>
            {
                var doc = await Documents.NewAsync(ctx, parent, values);
                await doc.InsertAsync(ctx);
            });
            Assert.Equal(excType, e.ExcType);
            Assert.Equal(417, e.StatusCode);
            await ctx.RollbackAsync();
        }
        Assert.Equal(before, (await CountAsync(kind, parent), await CountChildrenAsync(kind, child, parent)));
    }

    private async Task<long> CountChildrenAsync(DbKind kind, string child, string parent)
    {
        await using var ctx = sites.Context(kind);
        return await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = child, Parent = parent });
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Mandatory_error_lists_every_missing_field(DbKind kind)
    {
        var (parent, _, _) = await SetUpAsync(kind);
        await using var ctx = sites.Context(kind);
        var doc = await Documents.NewAsync(ctx, parent, new JsonObject { ["lines"] = new JsonArray(new JsonObject()) });
        var e = await Assert.ThrowsAsync<MandatoryError>(() => doc.InsertAsync(ctx));
        Assert.Contains($"Error: Value missing for {parent}: Customer", e.Messages);
        Assert.Equal(2, e.Messages.Count);
        Assert.StartsWith($"[{parent}, ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Unique_values_are_enforced(DbKind kind)
    {
        var (parent, _, _) = await SetUpAsync(kind);
        var code = Guid.NewGuid().ToString("N")[..12];
        await using (var ctx = sites.Context(kind))
        {
            await (await Documents.NewAsync(ctx, parent, Invoice(code))).InsertAsync(ctx);
            await ctx.CommitAsync();
        }
        var before = await CountAsync(kind, parent);
        await using (var ctx = sites.Context(kind))
        {
            var e = await Assert.ThrowsAsync<UniqueValidationError>(async () => await (await Documents.NewAsync(ctx, parent, Invoice(code))).InsertAsync(ctx));
            Assert.Equal(417, e.StatusCode);
        }
        Assert.Equal(before, await CountAsync(kind, parent));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Docstatus_transitions_follow_frappe(DbKind kind)
    {
        var (parent, _, _) = await SetUpAsync(kind);
        await using var ctx = sites.Context(kind);
        var doc = await Documents.NewAsync(ctx, parent, Invoice());
        await doc.InsertAsync(ctx);
        await ctx.CommitAsync();

        await doc.SubmitAsync(ctx);
        await ctx.CommitAsync();
        var stored = await Documents.GetAsync(ctx, parent, doc.Name!);
        Assert.Equal(1, stored.DocStatus);
        Assert.All(stored.Table("lines"), l => Assert.Equal(1, l.DocStatus));

        stored.Set("customer", "Changed");
        var e = await Assert.ThrowsAsync<UpdateAfterSubmitError>(() => stored.SaveAsync(ctx));
        Assert.Equal(417, e.StatusCode);
        await ctx.RollbackAsync();

        stored = await Documents.GetAsync(ctx, parent, doc.Name!);
        stored.Set("remark", "allowed after submit");
        await stored.SaveAsync(ctx);
        await ctx.CommitAsync();

        stored = await Documents.GetAsync(ctx, parent, doc.Name!);
        stored.DocStatus = 0;
        await Assert.ThrowsAsync<DocstatusTransitionError>(() => stored.SaveAsync(ctx));
        await ctx.RollbackAsync();

        var del = await Assert.ThrowsAsync<ValidationError>(() => Documents.DeleteAsync(ctx, parent, doc.Name!));
        Assert.Contains("Cancel it first", del.Message, StringComparison.Ordinal);
        await ctx.RollbackAsync();

        stored = await Documents.GetAsync(ctx, parent, doc.Name!);
        await stored.CancelAsync(ctx);
        await ctx.CommitAsync();
        stored = await Documents.GetAsync(ctx, parent, doc.Name!);
        Assert.Equal(2, stored.DocStatus);
        Assert.Equal("allowed after submit", stored.GetString("remark"));
        stored.Set("remark", "edit cancelled");
        await Assert.ThrowsAsync<DocstatusTransitionError>(() => stored.SaveAsync(ctx));
        await ctx.RollbackAsync();

        await Documents.DeleteAsync(ctx, parent, doc.Name!);
        await ctx.CommitAsync();
        Assert.False(await Documents.ExistsAsync(ctx, parent, doc.Name!));

        var draft = await Documents.NewAsync(ctx, parent, Invoice());
        await draft.InsertAsync(ctx);
        draft.DocStatus = 2;
        await Assert.ThrowsAsync<DocstatusTransitionError>(() => draft.SaveAsync(ctx));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Saving_a_table_replaces_its_rows_matching_by_name(DbKind kind)
    {
        var (parent, child, _) = await SetUpAsync(kind);
        await using var ctx = sites.Context(kind);
        var doc = await Documents.NewAsync(ctx, parent, Invoice());
        await doc.InsertAsync(ctx);
        await ctx.CommitAsync();
        var keep = doc.Table("lines")[1];
        var keptCreation = keep.Creation;

        var updated = await Documents.UpdateAsync(ctx, parent, doc.Name!, new JsonObject
        {
            ["lines"] = new JsonArray(new JsonObject { ["name"] = keep.Name, ["qty"] = 9 }, new JsonObject { ["item"] = "new" }),
        });
        await ctx.CommitAsync();
        var reloaded = await Documents.GetAsync(ctx, parent, doc.Name!);
        var lines = reloaded.Table("lines");
        Assert.Equal(2, lines.Count);
        Assert.Equal(keep.Name, lines[0].Name);
        Assert.Equal("ink", lines[0].GetString("item"));
        Assert.Equal(9m, lines[0].Get("qty"));
        Assert.Equal(keptCreation, lines[0].Creation);
        Assert.Equal("new", lines[1].GetString("item"));
        Assert.Equal([1, 2], lines.Select(l => l.Idx));
        Assert.All(lines, l => Assert.Equal(reloaded.Modified, l.Modified));
        Assert.Equal(2L, await DbQuery.GetCountAsync(ctx, new ListQuery { DocType = child, Parent = parent, Filters = JsonNode.Parse($$"""{"parent": "{{doc.Name}}"}""") }));
        Assert.Equal(updated.Modified, reloaded.Modified);
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Updating_a_child_row_saves_its_parent(DbKind kind)
    {
        var (parent, child, _) = await SetUpAsync(kind);
        await using var ctx = sites.Context(kind);
        var doc = await Documents.NewAsync(ctx, parent, Invoice());
        await doc.InsertAsync(ctx);
        await ctx.CommitAsync();
        var row = doc.Table("lines")[0];
        var updated = await Documents.UpdateAsync(ctx, child, row.Name!, new JsonObject { ["qty"] = 42 });
        await ctx.CommitAsync();
        Assert.Equal(child, updated.DocType);
        var reloaded = await Documents.GetAsync(ctx, parent, doc.Name!);
        Assert.Equal(42m, reloaded.Table("lines")[0].Get("qty"));
        Assert.True(reloaded.Modified > doc.Creation);
        Assert.Equal(2, reloaded.Table("lines").Count);
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task A_stale_modified_fails_with_timestamp_mismatch(DbKind kind)
    {
        var (parent, _, _) = await SetUpAsync(kind);
        string name;
        string firstModified;
        await using (var ctx = sites.Context(kind))
        {
            var doc = await Documents.NewAsync(ctx, parent, Invoice());
            await doc.InsertAsync(ctx);
            await ctx.CommitAsync();
            name = doc.Name!;
            firstModified = DbTime.ToStorage(doc.Modified!.Value);
        }
        await using var one = sites.Context(kind);
        var mine = await Documents.GetAsync(one, parent, name);
        await one.RollbackAsync();
        await using (var two = sites.Context(kind))
        {
            await Documents.UpdateAsync(two, parent, name, new JsonObject { ["customer"] = "Other writer", ["modified"] = firstModified });
            await two.CommitAsync();
        }
        mine.Set("customer", "Mine");
        var e = await Assert.ThrowsAsync<TimestampMismatchError>(() => mine.SaveAsync(one));
        Assert.Equal(417, e.StatusCode);
        await one.RollbackAsync();
        await Assert.ThrowsAsync<TimestampMismatchError>(() => Documents.UpdateAsync(one, parent, name, new JsonObject { ["customer"] = "Stale", ["modified"] = firstModified }));
        await one.RollbackAsync();
        var now = await Documents.GetAsync(one, parent, name);
        Assert.Equal("Other writer", now.GetString("customer"));
        await Documents.UpdateAsync(one, parent, name, new JsonObject { ["customer"] = "Fresh", ["modified"] = ValueEncoding.FormatDateTime(now.Modified!.Value) });
        await one.CommitAsync();
        Assert.Equal("Fresh", (await Documents.GetAsync(one, parent, name)).GetString("customer"));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Single_doctypes_live_in_tabSingles(DbKind kind)
    {
        await using var ctx = sites.Context(kind);
        var settings = await Documents.GetSingleAsync(ctx, "System Settings");
        Assert.Equal("System Settings", settings.Name);
        Assert.Equal(1L, settings.Get("allow_error_traceback"));
        settings.Set("time_zone", "Europe/Berlin");
        settings.Set("float_precision", "4");
        await settings.SaveAsync(ctx);
        await ctx.CommitAsync();
        var again = await Documents.GetAsync(ctx, "System Settings", "System Settings");
        Assert.Equal("Europe/Berlin", again.GetString("time_zone"));
        Assert.Equal("4", again.GetString("float_precision"));
        Assert.Equal(10L, again.Get("allow_consecutive_login_attempts"));
        var db = await ctx.DbAsync();
        var d = db.Dialect;
        Assert.Equal("Europe/Berlin", await db.ScalarAsync(
            $"SELECT {d.Quote("value")} FROM {d.Quote("tabSingles")} WHERE {d.Quote("doctype")} = @p0 AND {d.Quote("field")} = @p1", ["System Settings", "time_zone"]));
        await Assert.ThrowsAsync<DataError>(() => DbQuery.GetListAsync(ctx, new ListQuery { DocType = "System Settings" }));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Rename_updates_links_and_refuses_clashes(DbKind kind)
    {
        var (parent, child, target) = await SetUpAsync(kind);
        var oldName = "R" + Guid.NewGuid().ToString("N")[..8];
        var newName = oldName + "-new";
        string invoice;
        await using var ctx = sites.Context(kind);
        await (await Documents.NewAsync(ctx, target, new JsonObject { ["label"] = oldName })).InsertAsync(ctx);
        await (await Documents.NewAsync(ctx, target, new JsonObject { ["label"] = oldName + "-other" })).InsertAsync(ctx);
        var values = Invoice();
        values["target"] = oldName;
        ((JsonArray)values["lines"]!)[0]!["target"] = oldName;
        var inv = await Documents.NewAsync(ctx, parent, values);
        await inv.InsertAsync(ctx);
        invoice = inv.Name!;
        await ctx.CommitAsync();

        var dup = await Assert.ThrowsAsync<DuplicateEntryError>(() => Rename.RenameAsync(ctx, target, oldName, oldName + "-other"));
        Assert.Equal(409, dup.StatusCode);
        await ctx.RollbackAsync();
        var linked = await Assert.ThrowsAsync<LinkExistsError>(() => Documents.DeleteAsync(ctx, target, oldName));
        Assert.Contains(invoice, linked.Message, StringComparison.Ordinal);
        await ctx.RollbackAsync();

        Assert.Equal(newName, await Rename.RenameAsync(ctx, target, oldName, newName));
        await ctx.CommitAsync();
        Assert.False(await Documents.ExistsAsync(ctx, target, oldName));
        var after = await Documents.GetAsync(ctx, parent, invoice);
        Assert.Equal(newName, after.GetString("target"));
        Assert.Equal(newName, after.Table("lines")[0].GetString("target"));
        await Assert.ThrowsAsync<ValidationError>(() => Rename.RenameAsync(ctx, parent, invoice, "x"));
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Password_fields_keep_only_a_mask_in_the_row(DbKind kind)
    {
        var (parent, _, _) = await SetUpAsync(kind);
        await using var ctx = sites.Context(kind);
        var values = Invoice();
        values["secret"] = "s3cret!";
        var doc = await Documents.NewAsync(ctx, parent, values);
        await doc.InsertAsync(ctx);
        await ctx.CommitAsync();
        var stored = await Documents.GetAsync(ctx, parent, doc.Name!);
        Assert.Equal("*******", stored.GetString("secret"));
        Assert.Equal("*******", stored.ToJson()["secret"]!.GetValue<string>());
        Assert.Equal("s3cret!", await Passwords.GetAsync(ctx, parent, doc.Name!, "secret"));
        // Sending the mask back (as a client echoing the document does) keeps the secret.
        await Documents.UpdateAsync(ctx, parent, doc.Name!, new JsonObject { ["secret"] = "*******", ["customer"] = "x" });
        await ctx.CommitAsync();
        Assert.Equal("s3cret!", await Passwords.GetAsync(ctx, parent, doc.Name!, "secret"));
        var db = await ctx.DbAsync();
        var d = db.Dialect;
        var raw = (string?)await db.ScalarAsync($"SELECT {d.Quote("password")} FROM {d.Quote("__Auth")} WHERE {d.Quote("name")} = @p0", [doc.Name]);
        Assert.NotNull(raw);
        Assert.DoesNotContain("s3cret", raw, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModelSites.Kinds), MemberType = typeof(ModelSites))]
    public async Task Custom_doctype_change_adds_a_column_and_keeps_rows(DbKind kind)
    {
        var name = TestDocTypes.Unique("Grow");
        await using var ctx = sites.Context(kind);
        await TestDocTypes.CreateAsync(ctx, name, new JsonArray(TestDocTypes.Field("title", "Data")));
        var first = await Documents.NewAsync(ctx, name, new JsonObject { ["title"] = "kept" });
        await first.InsertAsync(ctx);
        await ctx.CommitAsync();

        var dt = await Documents.GetAsync(ctx, "DocType", name);
        dt.Append("fields", TestDocTypes.Field("size", "Int", dflt: "7"));
        await dt.SaveAsync(ctx);
        await ctx.CommitAsync();

        var meta = await Meta.GetAsync(ctx, name);
        Assert.NotNull(meta.Field("size"));
        var kept = await Documents.GetAsync(ctx, name, first.Name!);
        Assert.Equal("kept", kept.GetString("title"));
        var second = await Documents.NewAsync(ctx, name, new JsonObject { ["title"] = "new" });
        Assert.Equal(7L, second.Get("size"));
        await second.InsertAsync(ctx);
        await ctx.CommitAsync();
        var rows = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = name, Fields = ["title", "size"], OrderBy = "title asc" });
        Assert.Equal("""[{"title":"kept","size":7},{"title":"new","size":7}]""", rows.ToJson().ToJsonString());

        var listed = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = "DocType", Filters = JsonNode.Parse($$"""{"name": "{{name}}"}"""), Fields = ["name", "custom"] });
        Assert.Single(listed.Rows);
        var shipped = await DbQuery.GetListAsync(ctx, new ListQuery { DocType = "DocType", Filters = JsonNode.Parse("""{"name": "ToDo"}"""), Fields = ["name", "module"] });
        Assert.Equal("Desk", shipped.Rows.Single()[1]);

        var notCustom = await Documents.NewAsync(ctx, "DocType", new JsonObject { ["name"] = TestDocTypes.Unique("Std"), ["module"] = "Custom" });
        var e = await Assert.ThrowsAsync<ValidationError>(() => notCustom.InsertAsync(ctx));
        Assert.Contains("Developer Mode", e.Message, StringComparison.Ordinal);
        await ctx.RollbackAsync();

        await Documents.DeleteAsync(ctx, "DocType", name, ct: TestContext.Current.CancellationToken);
        await ctx.CommitAsync();
        await Assert.ThrowsAsync<DoesNotExistError>(() => Meta.GetAsync(ctx, name));
        var gone = await Assert.ThrowsAsync<DoesNotExistError>(() => Meta.GetAsync(ctx, "No Such Type"));
        Assert.Equal("DocType No Such Type not found", gone.Message);
    }
}
