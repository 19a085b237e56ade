using System.Text.Json.Nodes;
using SharpBench.Auth;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>
/// Frappe's document lifecycle (<c>frappe.get_doc</c>, <c>insert</c>, <c>save</c>, <c>submit</c>,
/// <c>cancel</c>, <c>delete_doc</c>, <c>rename_doc</c>) on the context's transaction. Every path
/// checks role permissions through <see cref="Permissions"/> unless the document's
/// <see cref="DocumentFlags.IgnorePermissions"/> (or the call's ignorePermissions) is set. Nothing
/// is committed here: the caller (request, job, command) commits or rolls back the context.
/// </summary>
public static partial class Documents
{
    // ---------------------------------------------------------------- building

    /// <summary>A new, unsaved document with defaults applied, then <paramref name="values"/> merged.</summary>
    public static async Task<Document> NewAsync(FrappeContext ctx, string doctype, JsonObject? values = null, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        var doc = await CreateAsync(ctx, meta, ct);
        ApplyDefaults(doc, ctx);
        if (values is not null)
            doc.Update(values);
        return doc;
    }

    /// <summary>A new document of the DocType holding only its defaults (what a field is reset to).</summary>
    internal static async Task<Document> BlankAsync(FrappeContext ctx, DocTypeMeta meta, CancellationToken ct)
    {
        var doc = await CreateAsync(ctx, meta, ct);
        ApplyDefaults(doc, ctx);
        return doc;
    }

    /// <summary>A new child row holding only its defaults.</summary>
    internal static Document BlankRow(DocTypeMeta childMeta)
    {
        var row = new Document(childMeta);
        ApplyDefaults(row, null);
        return row;
    }

    internal static async Task<Document> CreateAsync(FrappeContext ctx, DocTypeMeta meta, CancellationToken ct)
    {
        var children = new Dictionary<string, DocTypeMeta>(StringComparer.Ordinal);
        foreach (var f in meta.TableFields)
        {
            if (string.IsNullOrEmpty(f.Options) || children.ContainsKey(f.Options))
                continue;
            children[f.Options] = await Meta.FindAsync(ctx, f.Options, ct)
                ?? throw new ValidationError($"Child DocType {f.Options} of {meta.Name}.{f.FieldName} not found");
        }
        return new Document(meta) { ChildMetas = children, OwnTime = await SiteTime.OfAsync(ctx, ct) };
    }

    /// <summary>DocField defaults (<c>Today</c>, <c>now</c>, <c>__user</c> understood); numbers and checks start at 0.</summary>
    internal static void ApplyDefaults(Document doc, FrappeContext? ctx)
    {
        foreach (var f in doc.Meta.DataFields)
        {
            if (doc.Get(f.FieldName) is not null)
                continue;
            var dflt = f.Default;
            if (!string.IsNullOrEmpty(dflt))
            {
                object? value = dflt switch
                {
                    "Today" or "today" => doc.Time.Today(),
                    "now" or "Now" => f.Storage == ColumnKind.Time ? doc.Time.Now().TimeOfDay : doc.Time.Now(),
                    "__user" => ctx?.User,
                    _ => dflt,
                };
                try
                {
                    doc.Set(f.FieldName, value);
                    continue;
                }
                catch (FrappeException)
                {
                    // A default that does not fit its field is ignored, as Frappe does.
                }
            }
            if (f.Storage is { } kind && FieldValue.IsNumeric(kind))
                doc.SetRaw(f.FieldName, ZeroOf(kind));
        }
    }

    // ---------------------------------------------------------------- reading

    /// <summary>
    /// A document by name with its child rows (the Single document when the DocType is Single).
    /// 404 <see cref="DoesNotExistError"/> when missing; 403 without read permission.
    /// </summary>
    public static async Task<Document> GetAsync(FrappeContext ctx, string doctype, string name, bool ignorePermissions = false, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        var doc = meta.Single ? await LoadSingleAsync(ctx, meta, ct) : await LoadAsync(ctx, meta, name, false, ct);
        if (doc is null)
            throw new DoesNotExistError($"{doctype} {name} not found");
        if (!ignorePermissions)
            await Permissions.CheckAsync(ctx, meta, "read", doc, ct: ct);
        return doc;
    }

    /// <summary>The Single document of a Single DocType (defaults when it was never saved).</summary>
    public static async Task<Document> GetSingleAsync(FrappeContext ctx, string doctype, bool ignorePermissions = false, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (!meta.Single)
            throw new ValidationError($"{doctype} is not a Single DocType");
        return await GetAsync(ctx, doctype, doctype, ignorePermissions, ct);
    }

    /// <summary>A document without any permission check, or null when it does not exist.</summary>
    public static async Task<Document?> FindAsync(FrappeContext ctx, string doctype, string name, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        return meta.Single ? await LoadSingleAsync(ctx, meta, ct) : await LoadAsync(ctx, meta, name, false, ct);
    }

    public static async Task<bool> ExistsAsync(FrappeContext ctx, string doctype, string name, CancellationToken ct = default)
    {
        var meta = await Meta.FindAsync(ctx, doctype, ct);
        if (meta is null)
            return false;
        if (meta.Single)
            return name == meta.Name;
        return await RowStore.ExistsAsync(await ctx.DbAsync(ct), meta, name, ct);
    }

    internal static async Task<Document?> LoadAsync(FrappeContext ctx, DocTypeMeta meta, string name, bool forUpdate, CancellationToken ct)
    {
        var db = await ctx.DbAsync(ct);
        var row = await RowStore.GetAsync(db, meta, name, forUpdate, ct);
        if (row is null)
            return null;
        var doc = await CreateAsync(ctx, meta, ct);
        Fill(doc, row);
        foreach (var f in meta.TableFields)
        {
            var childMeta = doc.ChildMetaOf(f.FieldName);
            var rows = doc.TableList(f.FieldName);
            foreach (var r in await RowStore.ChildrenAsync(db, childMeta, doc.Name!, meta.Name, f.FieldName, ct))
            {
                var child = new Document(childMeta) { ParentDocument = doc };
                Fill(child, r);
                rows.Add(child);
            }
        }
        return doc;
    }

    private static void Fill(Document doc, Dictionary<string, object?> row)
    {
        foreach (var (k, v) in row)
            doc.SetRaw(k, v);
        foreach (var f in doc.Meta.DataFields)
            if (f.Storage is { } kind && FieldValue.IsNumeric(kind) && doc.Get(f.FieldName) is null)
                doc.SetRaw(f.FieldName, ZeroOf(kind));
        doc.IsNew = false;
        doc.Original = new Dictionary<string, object?>(doc.RawValues, StringComparer.Ordinal);
    }

    // ---------------------------------------------------------------- writing

    /// <summary>Inserts a new document (a Single is saved). Returns the same document, now named and stored.</summary>
    public static async Task<Document> InsertAsync(FrappeContext ctx, Document doc, CancellationToken ct = default)
    {
        var meta = doc.Meta;
        if (!doc.IsNew)
            throw new ValidationError($"{doc.DocType} {doc.Name} is already saved; use save");
        if (meta.IsChild)
            throw new ValidationError($"{meta.Name} is a child table: add its rows through the parent document");
        if (meta.IsVirtual == 1)
            throw new ValidationError($"{meta.Name} is a virtual DocType and cannot be inserted");
        if (meta.Single)
            return await SaveSingleAsync(ctx, doc, ct);
        if (doc.DocStatus == 2 || (doc.DocStatus == 1 && meta.IsSubmittable != 1))
            throw new DocstatusTransitionError($"Cannot insert {meta.Name} with docstatus {doc.DocStatus}");
        var submitting = doc.DocStatus == 1;

        var now = (await SiteTime.OfAsync(ctx, ct)).Now();
        doc.Owner = ctx.User;
        doc.Creation = now;
        doc.Modified = now;
        doc.ModifiedBy = ctx.User;
        if (!doc.Flags.IgnorePermissions)
        {
            await Permissions.CheckAsync(ctx, meta, "create", doc, ct: ct);
            if (submitting)
                await Permissions.CheckAsync(ctx, meta, "submit", doc, ct: ct);
        }
        await DocEvents.RunAsync(ctx, doc, DocEvents.BeforeInsert, ct);

        var controller = DocEvents.ControllerOf(ctx, meta.Name);
        var fromController = controller is null ? null : await controller.AutonameAsync(ctx, doc, ct);
        doc.Name = await Naming.NewNameAsync(ctx, doc, fromController, ct);
        if (!doc.Flags.IgnorePermissions)
            await FieldPermissions.ResetUnwritableAsync(ctx, doc, ct);
        PrepareChildren(ctx, doc, now, true);

        await DocEvents.RunAsync(ctx, doc, DocEvents.Validate, ct);
        await DocEvents.RunAsync(ctx, doc, submitting ? DocEvents.BeforeSubmit : DocEvents.BeforeSave, ct);
        PrepareChildren(ctx, doc, now, true);
        ContentSanitizer.Apply(doc, allowOnSubmitOnly: false);
        await Validation.RunAsync(ctx, doc, true, ct);

        var db = await ctx.DbAsync(ct);
        if (await RowStore.ExistsAsync(db, meta, doc.Name, ct))
            throw new DuplicateEntryError($"{meta.Name} <strong>{doc.Name}</strong> already exists");
        try
        {
            await RowStore.InsertAsync(db, meta, ColumnValues(doc), ct);
            await WriteChildrenAsync(db, doc, false, ct);
        }
        catch (Exception e) when (RowStore.IsUniqueViolation(e))
        {
            throw new DuplicateEntryError($"{meta.Name} <strong>{doc.Name}</strong> already exists");
        }
        await Passwords.FlushAsync(ctx, doc, ct);
        doc.IsNew = false;
        Snapshot(doc);

        await DocEvents.RunAsync(ctx, doc, DocEvents.AfterInsert, ct);
        await DocEvents.RunAsync(ctx, doc, DocEvents.OnUpdate, ct);
        if (submitting)
            await DocEvents.RunAsync(ctx, doc, DocEvents.OnSubmit, ct);
        await DocEvents.RunAsync(ctx, doc, DocEvents.OnChange, ct);
        return doc;
    }

    /// <summary>
    /// Saves a loaded document, honouring docstatus transitions (0→0 save, 0→1 submit, 1→1
    /// update after submit, 1→2 cancel) and the <c>modified</c> lock. A new document is inserted.
    /// </summary>
    public static async Task<Document> SaveAsync(FrappeContext ctx, Document doc, CancellationToken ct = default)
    {
        if (doc.IsNew)
            return await InsertAsync(ctx, doc, ct);
        var meta = doc.Meta;
        if (meta.IsChild)
        {
            var parent = doc.ParentDocument ?? throw new ValidationError($"{meta.Name} is a child table: save its parent document");
            return await SaveAsync(ctx, parent, ct);
        }
        if (meta.Single)
            return await SaveSingleAsync(ctx, doc, ct);

        var db = await ctx.DbAsync(ct);
        var current = await RowStore.GetAsync(db, meta, doc.Name!, forUpdate: true, ct)
            ?? throw new DoesNotExistError($"{meta.Name} {doc.Name} not found");
        var before = (int)(current["docstatus"] as long? ?? 0);
        var after = doc.DocStatus;
        var action = (before, after) switch
        {
            (0, 0) => "save",
            (0, 1) => "submit",
            (1, 1) => "update_after_submit",
            (1, 2) => "cancel",
            (2, _) => throw new DocstatusTransitionError("Cannot edit cancelled document"),
            _ => throw new DocstatusTransitionError($"Cannot change docstatus from {before} to {after}"),
        };
        if (after != 0 && meta.IsSubmittable != 1)
            throw new DocstatusTransitionError($"Cannot change docstatus from {before} to {after}: {meta.Name} is not submittable");

        // Permissions are judged on the stored owner, not on what the client sent.
        doc.Owner = current["owner"] as string;
        doc.Creation = current["creation"] as DateTime?;
        if (!doc.Flags.IgnorePermissions)
        {
            await Permissions.CheckAsync(ctx, meta, action switch { "submit" => "submit", "cancel" => "cancel", _ => "write" }, doc, ct: ct);
        }
        CheckTimestamp(doc, current["modified"] as DateTime?);
        if (!doc.Flags.IgnorePermissions)
            await FieldPermissions.ResetUnwritableAsync(ctx, doc, ct);
        if (action == "update_after_submit")
            CheckUpdateAfterSubmit(doc, current);

        var now = (await SiteTime.OfAsync(ctx, ct)).Now();
        doc.Modified = now;
        doc.ModifiedBy = ctx.User;
        PrepareChildren(ctx, doc, now, false);
        switch (action)
        {
            case "save":
                await DocEvents.RunAsync(ctx, doc, DocEvents.Validate, ct);
                await DocEvents.RunAsync(ctx, doc, DocEvents.BeforeSave, ct);
                break;
            case "submit":
                await DocEvents.RunAsync(ctx, doc, DocEvents.Validate, ct);
                await DocEvents.RunAsync(ctx, doc, DocEvents.BeforeSubmit, ct);
                break;
            case "cancel":
                await DocEvents.RunAsync(ctx, doc, DocEvents.BeforeCancel, ct);
                break;
            default:
                await DocEvents.RunAsync(ctx, doc, DocEvents.BeforeUpdateAfterSubmit, ct);
                break;
        }
        PrepareChildren(ctx, doc, now, false);
        if (action == "cancel")
            await CheckNoLinksAsync(ctx, doc, submittedOnly: true, ct);
        else
            ContentSanitizer.Apply(doc, allowOnSubmitOnly: action == "update_after_submit");
        await Validation.RunAsync(ctx, doc, action != "cancel", ct);

        var values = ColumnValues(doc);
        values.Remove("name");
        values.Remove("owner");
        values.Remove("creation");
        await RowStore.UpdateAsync(db, meta, doc.Name!, values, ct);
        await WriteChildrenAsync(db, doc, true, ct);
        await Passwords.FlushAsync(ctx, doc, ct);
        Snapshot(doc);

        switch (action)
        {
            case "save":
                await DocEvents.RunAsync(ctx, doc, DocEvents.OnUpdate, ct);
                break;
            case "submit":
                await DocEvents.RunAsync(ctx, doc, DocEvents.OnUpdate, ct);
                await DocEvents.RunAsync(ctx, doc, DocEvents.OnSubmit, ct);
                break;
            case "cancel":
                await DocEvents.RunAsync(ctx, doc, DocEvents.OnCancel, ct);
                break;
            default:
                await DocEvents.RunAsync(ctx, doc, DocEvents.OnUpdateAfterSubmit, ct);
                break;
        }
        await DocEvents.RunAsync(ctx, doc, DocEvents.OnChange, ct);
        return doc;
    }

    /// <summary>Submits a draft (docstatus 0 → 1).</summary>
    public static Task<Document> SubmitAsync(FrappeContext ctx, Document doc, CancellationToken ct = default)
    {
        if (doc.Meta.IsSubmittable != 1)
            throw new ValidationError($"{doc.DocType} is not submittable");
        if (!doc.IsNew && doc.Original.GetValueOrDefault("docstatus") is long s && s != 0)
            throw new DocstatusTransitionError($"Cannot change docstatus from {s} to 1");
        doc.DocStatus = 1;
        return SaveAsync(ctx, doc, ct);
    }

    /// <summary>Cancels a submitted document (docstatus 1 → 2).</summary>
    public static Task<Document> CancelAsync(FrappeContext ctx, Document doc, CancellationToken ct = default)
    {
        if (doc.Original.GetValueOrDefault("docstatus") is long s && s != 1)
            throw new DocstatusTransitionError($"Cannot change docstatus from {s} to 2");
        doc.DocStatus = 2;
        return SaveAsync(ctx, doc, ct);
    }

    /// <summary>
    /// PUT semantics: loads the document, merges the client's values (Table fields replaced,
    /// <c>modified</c> as lock token, <c>docstatus</c> as a transition) and saves it.
    /// </summary>
    public static async Task<Document> UpdateAsync(FrappeContext ctx, string doctype, string name, JsonObject values, CancellationToken ct = default)
    {
        var doc = await GetAsync(ctx, doctype, name, ignorePermissions: false, ct);
        if (doc.Meta.IsChild)
        {
            // A child row is changed through its parent, which is what gets saved (and checked).
            if (doc.ParentType is null || doc.Parent is null)
                throw new ValidationError($"{doctype} {name} has no parent document");
            var parent = await GetAsync(ctx, doc.ParentType, doc.Parent, ignorePermissions: false, ct);
            var row = parent.Table(doc.ParentField ?? "").FirstOrDefault(r => r.Name == doc.Name)
                ?? throw new DoesNotExistError($"{doctype} {name} not found");
            row.Update(values);
            if (values["modified"] is not null)
                parent.ClientModified = row.ClientModified;
            row.ClientModified = null;
            await SaveAsync(ctx, parent, ct);
            return row;
        }
        doc.Update(values);
        return await SaveAsync(ctx, doc, ct);
    }

    /// <summary>Deletes a draft or cancelled document with its child rows and secrets.</summary>
    public static async Task DeleteAsync(FrappeContext ctx, string doctype, string name, bool ignorePermissions = false, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (meta.IsChild)
            throw new ValidationError($"{meta.Name} is a child table: remove the row from its parent document");
        if (meta.Single)
            throw new ValidationError($"{meta.Name} is a Single DocType and cannot be deleted");
        var doc = await LoadAsync(ctx, meta, name, forUpdate: true, ct) ?? throw new DoesNotExistError($"{doctype} {name} not found");
        if (!ignorePermissions)
            await Permissions.CheckAsync(ctx, meta, "delete", doc, ct: ct);
        if (doc.DocStatus == 1)
            throw new ValidationError($"{doctype} {name}: Submitted Record cannot be deleted. You must Cancel it first.");
        // on_trash first, as in Frappe: a controller that refuses the delete (a protected
        // record) says so, whatever links the record has.
        await DocEvents.RunAsync(ctx, doc, DocEvents.OnTrash, ct);
        await CheckNoLinksAsync(ctx, doc, submittedOnly: false, ct);
        var db = await ctx.DbAsync(ct);
        foreach (var f in meta.TableFields)
            await RowStore.DeleteChildrenAsync(db, doc.ChildMetaOf(f.FieldName), doc.Name!, meta.Name, f.FieldName, ct);
        await RowStore.DeleteAsync(db, meta, doc.Name!, ct);
        await Passwords.DeleteAsync(db, meta.Name, doc.Name!, null, ct);
        await DocEvents.RunAsync(ctx, doc, DocEvents.AfterDelete, ct);
    }

    /// <summary>
    /// <c>frappe.client.delete_doc</c>: a child row is removed from its parent, which is saved
    /// (the write right on the parent is what counts); any other document is deleted.
    /// </summary>
    public static async Task DeleteDocAsync(FrappeContext ctx, string doctype, string name, CancellationToken ct = default)
    {
        var meta = await Meta.GetAsync(ctx, doctype, ct);
        if (!meta.IsChild)
        {
            await DeleteAsync(ctx, doctype, name, ct: ct);
            return;
        }
        var row = await LoadAsync(ctx, meta, name, forUpdate: false, ct) ?? throw new DoesNotExistError($"{doctype} {name} not found");
        if (row.ParentType is null || row.Parent is null || row.ParentField is null)
            throw new DoesNotExistError($"{doctype} {name} not found");
        var parent = await LoadAsync(ctx, await Meta.GetAsync(ctx, row.ParentType, ct), row.Parent, forUpdate: true, ct)
            ?? throw new DoesNotExistError($"{doctype} {name} not found");
        var rows = parent.TableList(row.ParentField);
        if (rows.RemoveAll(r => r.Name == name) == 0)
            throw new DoesNotExistError($"{doctype} {name} not found");
        await SaveAsync(ctx, parent, ct);
    }

    /// <summary>
    /// The value an unset number field reads as. Boxed branch by branch: a plain <c>? 0m : 0L</c>
    /// is a decimal whichever branch is taken, and Check and Int fields came back as 0.0.
    /// </summary>
    private static object ZeroOf(ColumnKind kind) => kind is ColumnKind.Decimal or ColumnKind.Rating ? (object)0m : (object)0L;

    /// <summary>Fails with TimestampMismatchError when the client's <c>modified</c> is not the stored one (Frappe's <c>check_if_latest</c>).</summary>
    internal static void CheckIfLatest(Document doc) => CheckTimestamp(doc, doc.Original.GetValueOrDefault("modified") as DateTime?);

    // ---------------------------------------------------------------- helpers

    private static void CheckTimestamp(Document doc, DateTime? stored)
    {
        DateTime? expected;
        if (doc.ClientModified is { } client)
            expected = FieldValue.ParseDateTime(client) ?? DateTime.MinValue;
        else
            expected = doc.Original.GetValueOrDefault("modified") as DateTime?;
        if (stored is null || expected is null)
            return;
        if (expected.Value != stored.Value)
            throw new TimestampMismatchError(
                $"Error: Document has been modified after you have opened it ({FieldValue.Text(expected) ?? "?"}, {FieldValue.Text(stored)}). Please refresh to get the latest document.");
    }

    private static void CheckUpdateAfterSubmit(Document doc, Dictionary<string, object?> current)
    {
        foreach (var f in doc.Meta.DataFields)
        {
            if (f.AllowOnSubmit == 1 || f.FieldType == "Password")
                continue;
            if (!SameValue(current.GetValueOrDefault(f.FieldName), doc.Get(f.FieldName)))
                throw new UpdateAfterSubmitError($"Not allowed to change {f.Label ?? f.FieldName} after submission");
        }
        foreach (var f in doc.Meta.Fields.Where(f => f.IsTable && f.AllowOnSubmit != 1))
        {
            var rows = doc.Table(f.FieldName);
            if (rows.Any(r => r.IsNew || r.Original.Count == 0))
                throw new UpdateAfterSubmitError($"Not allowed to change {f.Label ?? f.FieldName} after submission");
            foreach (var r in rows)
                foreach (var cf in r.Meta.DataFields.Where(cf => cf.AllowOnSubmit != 1))
                    if (!SameValue(r.Original.GetValueOrDefault(cf.FieldName), r.Get(cf.FieldName)))
                        throw new UpdateAfterSubmitError($"Not allowed to change {cf.Label ?? cf.FieldName} in row {r.Idx} of {f.Label ?? f.FieldName} after submission");
        }
    }

    private static bool SameValue(object? a, object? b)
    {
        static object? Norm(object? v) => v is string s && s.Length == 0 ? null : v;
        a = Norm(a);
        b = Norm(b);
        if (a is decimal ma && b is decimal mb)
            return ma == mb;
        return string.Equals(FieldValue.Text(a), FieldValue.Text(b), StringComparison.Ordinal);
    }

    private static void PrepareChildren(FrappeContext ctx, Document doc, DateTime now, bool inserting)
    {
        foreach (var field in doc.TableFields)
        {
            var idx = 1;
            foreach (var row in doc.Table(field))
            {
                row.ParentDocument = doc;
                row.Parent = doc.Name;
                row.ParentType = doc.DocType;
                row.ParentField = field;
                row.Idx = idx++;
                row.DocStatus = doc.DocStatus;
                row.Modified = now;
                row.ModifiedBy = ctx.User;
                if (row.IsNew || inserting)
                {
                    row.Owner ??= ctx.User;
                    row.Creation ??= now;
                }
                if (row.Name is null)
                    row.Name = Naming.Hash();
            }
        }
    }

    /// <summary>The values written to a document's row: standard columns and every data field.</summary>
    private static Dictionary<string, object?> ColumnValues(Document doc)
    {
        var meta = doc.Meta;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var std in DocTypeMeta.StandardFields)
            values[std] = doc.Get(std);
        if (meta.IsChild)
            foreach (var c in DocTypeMeta.ChildFields)
                values[c] = doc.Get(c);
        foreach (var f in meta.DataFields)
            values[f.FieldName] = doc.Get(f.FieldName);
        // The login password is never kept in the row, not even masked.
        if (meta.Name == "User" && values.ContainsKey("new_password"))
            values["new_password"] = null;
        return values;
    }

    private static async Task WriteChildrenAsync(Database db, Document doc, bool replace, CancellationToken ct)
    {
        foreach (var f in doc.Meta.TableFields)
        {
            var childMeta = doc.ChildMetaOf(f.FieldName);
            if (replace)
                await RowStore.DeleteChildrenAsync(db, childMeta, doc.Name!, doc.DocType, f.FieldName, ct);
            foreach (var row in doc.Table(f.FieldName))
            {
                await RowStore.InsertAsync(db, childMeta, ColumnValues(row), ct);
                row.IsNew = false;
            }
        }
    }

    private static void Snapshot(Document doc)
    {
        doc.ClientModified = null;
        doc.Original = new Dictionary<string, object?>(doc.RawValues, StringComparer.Ordinal);
        foreach (var field in doc.TableFields)
            foreach (var row in doc.Table(field))
            {
                row.IsNew = false;
                row.Original = new Dictionary<string, object?>(row.RawValues, StringComparer.Ordinal);
            }
    }
}
