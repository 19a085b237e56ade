using System.Text.Json;
using SharpBench.Data;
using SharpBench.Model;

namespace SharpBench.CoreApp;

/// <summary>
/// Creating or changing a DocType document defines a DocType: only custom ones may be made
/// at run time (Frappe's rule outside developer mode); saving syncs its table (new columns are
/// added, rows are kept) and makes the new meta visible at once; deleting drops its table.
/// </summary>
public sealed class DocTypeController : DocumentController
{
    public override Task ValidateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (!doc.Flags.InMigrate && doc.GetInt("custom") != 1)
            throw new ValidationError("Not in Developer Mode! Set in site_config.json or make 'Custom' DocType.");
        ToMeta(doc);
        return Task.CompletedTask;
    }

    public static DocTypeMeta ToMeta(Document doc)
    {
        var name = doc.Name ?? "";
        if (!DocTypeMeta.IsValidDocTypeName(name))
            throw new InvalidNameError($"{name} is not a valid DocType name: use letters, digits, spaces, '_' and '-' (at most 61), starting with a letter or digit");
        var json = doc.ToJson(includeNulls: false);
        json["name"] = name;
        try
        {
            var meta = json.Deserialize<DocTypeMeta>(DocTypeMeta.JsonOptions) ?? throw new InvalidDataException("empty definition");
            meta.Validate($"DocType {name}");
            if (meta.IsChild && meta.Single)
                throw new InvalidDataException("a DocType cannot be both a child table and Single");
            return meta;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or ArgumentException)
        {
            throw new ValidationError(e.Message.Replace($"DocType {name}: ", "", StringComparison.Ordinal));
        }
    }

    public override async Task OnUpdateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        var meta = ToMeta(doc);
        foreach (var f in meta.TableFields)
        {
            var child = await Meta.FindAsync(ctx, f.Options ?? "", ct);
            if (child is null || !child.IsChild)
                throw new ValidationError($"Options for {f.Label ?? f.FieldName} must be a child table DocType (got '{f.Options}')");
        }
        foreach (var f in meta.Fields.Where(f => f.FieldType == "Link"))
            if (string.IsNullOrEmpty(f.Options) || (f.Options != meta.Name && !await Meta.ExistsAsync(ctx, f.Options, ct)))
                throw new ValidationError($"Options for {f.Label ?? f.FieldName} must be an existing DocType (got '{f.Options}')");
        var db = await ctx.DbAsync(ct);
        try
        {
            // DDL commits on its own in MariaDB: once begun it runs to the end.
            await SchemaSync.SyncAsync(db, meta, CancellationToken.None);
        }
        catch (BenchException e)
        {
            throw new ValidationError(e.Message);
        }
        Meta.Changed(ctx, meta.Name, meta);
    }

    public override async Task AfterDeleteAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        var db = await ctx.DbAsync(CancellationToken.None);
        var d = db.Dialect;
        if (doc.GetInt("custom") == 1)
        {
            if (doc.GetInt("issingle") == 1)
                await Singles.DeleteAsync(db, doc.Name!, CancellationToken.None);
            else if (DocTypeMeta.IsValidDocTypeName(doc.Name))
                await db.ExecuteAsync($"DROP TABLE IF EXISTS {d.Quote("tab" + doc.Name)}", [], CancellationToken.None);
        }
        Meta.Changed(ctx, doc.Name!, null);
    }

    public override Task OnTrashAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (doc.GetInt("custom") != 1)
            throw new ValidationError($"DocType {doc.Name} is shipped by an app and cannot be deleted");
        return Task.CompletedTask;
    }
}
