using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Data;

namespace SharpBench.Model;

/// <summary>Per-call switches, as Frappe's <c>doc.flags</c>.</summary>
public sealed class DocumentFlags
{
    public bool IgnorePermissions { get; set; }
    public bool IgnoreMandatory { get; set; }
    public bool IgnoreLinks { get; set; }

    /// <summary>Set by the installer and migrate: allows writing non-custom DocTypes.</summary>
    public bool InMigrate { get; set; }

    /// <summary>The client chose the name (<c>/api/v2/document</c> create): it is kept whatever the autoname rule (Frappe's <c>flags.name_set</c>).</summary>
    internal bool NameSet { get; set; }
}

/// <summary>
/// One document (a row of a DocType plus its child rows), as Frappe's <c>Document</c>. Values are
/// coerced to their field's storage type when set, so what a document holds is always valid
/// for its column. Lifecycle methods (insert, save, submit, cancel, delete) are in <see cref="Documents"/>.
/// </summary>
public sealed class Document
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Document>> _tables = new(StringComparer.Ordinal);

    internal Document(DocTypeMeta meta)
    {
        Meta = meta;
        _values["docstatus"] = 0L;
        _values["idx"] = 0L;
    }

    public DocTypeMeta Meta { get; }

    public string DocType => Meta.Name;

    public DocumentFlags Flags { get; } = new();

    /// <summary>True until the document was inserted (or when it was built from scratch).</summary>
    public bool IsNew { get; internal set; } = true;

    /// <summary>The parent document of a child row, when it was loaded or appended through one.</summary>
    public Document? ParentDocument { get; internal set; }

    /// <summary>The site's clock, read when the document was made; child rows use their parent's.</summary>
    internal SiteTime? OwnTime { get; init; }

    internal SiteTime Time => OwnTime ?? ParentDocument?.Time ?? SiteTime.Server;

    /// <summary>Name requested by a client (<c>__newname</c> / <c>name</c>) for Prompt naming.</summary>
    public string? NewName { get; set; }

    /// <summary>
    /// The <c>modified</c> value a client sent with its changes: the optimistic lock token (a
    /// stale one fails the save with TimestampMismatchError).
    /// </summary>
    public string? ClientModified { get; set; }

    /// <summary>Values as last read from or written to the database (for after-submit checks).</summary>
    internal Dictionary<string, object?> Original { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Plain-text values of Password fields set in this unit of work, stored encrypted on save.</summary>
    internal Dictionary<string, string> PendingPasswords { get; } = new(StringComparer.Ordinal);

    public string? Name
    {
        get => _values.GetValueOrDefault("name") as string;
        set => _values["name"] = value;
    }

    public string? Owner { get => _values.GetValueOrDefault("owner") as string; set => _values["owner"] = value; }
    public DateTime? Creation { get => _values.GetValueOrDefault("creation") as DateTime?; set => _values["creation"] = value; }
    public DateTime? Modified { get => _values.GetValueOrDefault("modified") as DateTime?; set => _values["modified"] = value; }
    public string? ModifiedBy { get => _values.GetValueOrDefault("modified_by") as string; set => _values["modified_by"] = value; }

    public int DocStatus
    {
        get => (int)(_values.GetValueOrDefault("docstatus") as long? ?? 0);
        set => _values["docstatus"] = (long)value;
    }

    public int Idx
    {
        get => (int)(_values.GetValueOrDefault("idx") as long? ?? 0);
        set => _values["idx"] = (long)value;
    }

    public string? Parent { get => _values.GetValueOrDefault("parent") as string; set => _values["parent"] = value; }
    public string? ParentField { get => _values.GetValueOrDefault("parentfield") as string; set => _values["parentfield"] = value; }
    public string? ParentType { get => _values.GetValueOrDefault("parenttype") as string; set => _values["parenttype"] = value; }

    /// <summary>A field's value (standard columns included); child rows for Table fields.</summary>
    public object? Get(string field)
    {
        if (_tables.TryGetValue(field, out var rows))
            return rows;
        return _values.GetValueOrDefault(field);
    }

    public object? this[string field]
    {
        get => Get(field);
        set => Set(field, value);
    }

    public string? GetString(string field) => FieldValue.Text(Get(field));

    public long GetInt(string field) => Get(field) switch
    {
        long l => l,
        decimal m => (long)m,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => 0,
    };

    /// <summary>Whether the document has a value slot for the field (set or loaded).</summary>
    public bool Has(string field) => _values.ContainsKey(field) || _tables.ContainsKey(field);

    /// <summary>Sets a field, coercing the value to its storage type (frappe/model/base_document.py).</summary>
    public void Set(string field, object? value)
    {
        var f = Meta.Field(field);
        if (f is not null && f.IsTable)
        {
            SetTable(field, value);
            return;
        }
        if (f is not null && f.Storage is null)
            return;
        var kind = FieldValue.KindOf(Meta, field);
        if (kind is null)
            throw new DataError($"Field {field} does not exist on {Meta.Name}");
        if (field == "name")
        {
            Name = FieldValue.Text(FieldValue.Unwrap(value));
            return;
        }
        if (f is not null && f.FieldType == "Password")
        {
            var text = FieldValue.Text(FieldValue.Coerce(f, value));
            if (text is null || text.Length == 0)
            {
                PendingPasswords.Remove(field);
                _values[field] = text;
            }
            else if (!Passwords.IsMask(text))
            {
                // Only the mask is ever kept in the column; the secret goes to __Auth on save.
                PendingPasswords[field] = text;
                _values[field] = Passwords.Mask(text);
            }
            return;
        }
        _values[field] = FieldValue.Coerce(kind.Value, value, f?.Label ?? field, f?.FieldType ?? "");
    }

    internal void SetRaw(string field, object? value) => _values[field] = value;

    internal IEnumerable<KeyValuePair<string, object?>> RawValues => _values;

    /// <summary>The rows of a Table field (empty when none).</summary>
    public IReadOnlyList<Document> Table(string field) =>
        _tables.TryGetValue(field, out var rows) ? rows : [];

    internal List<Document> TableList(string field)
    {
        if (!_tables.TryGetValue(field, out var rows))
            _tables[field] = rows = [];
        return rows;
    }

    internal IEnumerable<string> TableFields => Meta.TableFields.Select(f => f.FieldName);

    /// <summary>Replaces a Table field's rows; rows with a known <c>name</c> keep their other values.</summary>
    private void SetTable(string field, object? value)
    {
        var v = FieldValue.Unwrap(value);
        var childMeta = ChildMetaOf(field);
        var old = TableList(field).Where(r => r.Name is not null).ToDictionary(r => r.Name!, StringComparer.Ordinal);
        var rows = new List<Document>();
        IEnumerable<object?> items = v switch
        {
            null => [],
            JsonArray a => a,
            IEnumerable<Document> docs => docs,
            IEnumerable<JsonObject> objs => objs,
            IEnumerable<IDictionary<string, object?>> dicts => dicts,
            string s when string.IsNullOrWhiteSpace(s) => [],
            _ => throw new ValidationError($"{Meta.Field(field)?.Label ?? field} must be a list of rows"),
        };
        foreach (var item in items)
        {
            Document row;
            switch (item)
            {
                case Document d:
                    row = d;
                    break;
                case JsonObject o:
                    var rowName = o["name"] is JsonValue nv && nv.TryGetValue<string>(out var s) ? s : null;
                    row = rowName is not null && old.TryGetValue(rowName, out var existing) ? existing : NewChild(childMeta);
                    row.Update(o);
                    break;
                case IDictionary<string, object?> dict:
                    row = dict.TryGetValue("name", out var n) && n is string ds && old.TryGetValue(ds, out var ex) ? ex : NewChild(childMeta);
                    foreach (var (k, val) in dict)
                        if (k is not "doctype" and not "name")
                            row.Set(k, val);
                    break;
                default:
                    throw new ValidationError($"Each row of {Meta.Field(field)?.Label ?? field} must be an object");
            }
            rows.Add(row);
        }
        foreach (var row in rows)
        {
            row.ParentDocument = this;
            row.ParentField = field;
        }
        _tables[field] = rows;
    }

    internal DocTypeMeta ChildMetaOf(string field)
    {
        var f = Meta.Field(field) ?? throw new DataError($"Field {field} does not exist on {Meta.Name}");
        return ChildMetas.TryGetValue(f.Options ?? "", out var m) ? m : throw new ValidationError($"Child DocType {f.Options} of {Meta.Name}.{field} is not loaded");
    }

    /// <summary>The metas of this DocType's child tables, resolved when the document was made.</summary>
    internal Dictionary<string, DocTypeMeta> ChildMetas { get; init; } = new(StringComparer.Ordinal);

    private Document NewChild(DocTypeMeta childMeta)
    {
        var row = new Document(childMeta) { ParentDocument = this };
        Documents.ApplyDefaults(row, null);
        return row;
    }

    /// <summary>Adds a child row to a Table field and returns it.</summary>
    public Document Append(string tableField, JsonObject? values = null)
    {
        var row = NewChild(ChildMetaOf(tableField));
        if (values is not null)
            row.Update(values);
        row.ParentField = tableField;
        TableList(tableField).Add(row);
        return row;
    }

    /// <summary>
    /// Merges client values, as <c>doc.update(dict)</c>: Table fields are replaced; <c>modified</c>
    /// becomes the lock token; server-set fields (owner, creation, modified_by) and unknown keys
    /// are ignored, and a list for a non-table field is an error.
    /// </summary>
    public void Update(JsonObject values)
    {
        foreach (var (key, node) in values)
        {
            switch (key)
            {
                case "doctype" or "flags" or "owner" or "creation" or "modified_by" or "parent" or "parenttype" or "parentfield" or "idx"
                    or "_user_tags" or "_comments" or "_assign" or "_liked_by" or "_seen":
                    continue;
                case "name":
                    if (IsNew)
                        NewName = FieldValue.Text(FieldValue.Unwrap(node));
                    continue;
                case "__newname":
                    NewName = FieldValue.Text(FieldValue.Unwrap(node));
                    continue;
                case "modified":
                    ClientModified = FieldValue.Text(FieldValue.Unwrap(node));
                    continue;
                case "docstatus":
                    var docstatus = (long)FieldValue.Coerce(ColumnKind.Int, node, "docstatus")!;
                    DocStatus = docstatus is >= 0 and <= 2 ? (int)docstatus : throw new ValidationError($"docstatus must be 0, 1 or 2, not {docstatus}");
                    continue;
            }
            var f = Meta.Field(key);
            if (f is null || (f.Storage is null && !f.IsTable))
                continue;
            Set(key, node);
        }
    }

    /// <summary>
    /// The document as Frappe serialises it (frappe/model/base_document.py, as_dict): standard fields, data fields in
    /// DocField order, child-row fields, <c>doctype</c>, then child tables. <c>/api/resource</c>
    /// leaves nulls out (<paramref name="includeNulls"/> false); <c>frappe.client.*</c> keeps them.
    /// Fields in <paramref name="mask"/> (those the reader may not read) are left out entirely.
    /// </summary>
    public JsonObject ToJson(bool includeNulls = false, FieldMask? mask = null)
    {
        var o = new JsonObject();
        foreach (var (key, value) in JsonFields(includeNulls, mask))
            o[key] = ValueEncoding.ToJson(value);
        foreach (var f in Meta.TableFields)
        {
            if (mask is not null && mask.Hidden.Contains(f.FieldName))
                continue;
            var rowMask = mask?.ForRowsOf(f.FieldName);
            o[f.FieldName] = new JsonArray(Table(f.FieldName).Select(r => (JsonNode?)r.ToJson(includeNulls, rowMask)).ToArray());
        }
        return o;
    }

    /// <summary>As <see cref="ToJson"/>, written straight to a writer (a response) without building nodes.</summary>
    public void WriteTo(Utf8JsonWriter writer, bool includeNulls = false, FieldMask? mask = null)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in JsonFields(includeNulls, mask))
        {
            writer.WritePropertyName(key);
            ValueEncoding.Write(writer, value);
        }
        foreach (var f in Meta.TableFields)
        {
            if (mask is not null && mask.Hidden.Contains(f.FieldName))
                continue;
            var rowMask = mask?.ForRowsOf(f.FieldName);
            writer.WriteStartArray(f.FieldName);
            foreach (var row in Table(f.FieldName))
                row.WriteTo(writer, includeNulls, rowMask);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>The scalar members of the document's JSON form, in Frappe's order (tables follow them).</summary>
    private IEnumerable<(string Key, object? Value)> JsonFields(bool includeNulls, FieldMask? mask)
    {
        var autoincrement = Meta.Autoname == "autoincrement";
        foreach (var std in DocTypeMeta.StandardFields)
        {
            var value = _values.GetValueOrDefault(std);
            if (std == "name" && autoincrement && value is string s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                value = l;
            if (value is not null || includeNulls)
                yield return (std, value);
        }
        foreach (var f in Meta.DataFields)
        {
            if (mask is not null && mask.Hidden.Contains(f.FieldName))
                continue;
            var value = _values.GetValueOrDefault(f.FieldName);
            if (value is not null || includeNulls)
                yield return (f.FieldName, value);
        }
        if (Meta.IsChild)
        {
            foreach (var c in DocTypeMeta.ChildFields)
            {
                var value = _values.GetValueOrDefault(c);
                if (value is not null || includeNulls)
                    yield return (c, value);
            }
        }
        foreach (var meta in MetaJsonFields)
            if (_values.GetValueOrDefault(meta) is string s && s.Length > 0)
                yield return (meta, s);
        yield return ("doctype", Meta.Name);
    }

    private static readonly string[] MetaJsonFields = ["_user_tags", "_liked_by"];

    public Task<Document> InsertAsync(FrappeContext ctx, CancellationToken ct = default) => Documents.InsertAsync(ctx, this, ct);

    public Task<Document> SaveAsync(FrappeContext ctx, CancellationToken ct = default) => Documents.SaveAsync(ctx, this, ct);

    public Task<Document> SubmitAsync(FrappeContext ctx, CancellationToken ct = default) => Documents.SubmitAsync(ctx, this, ct);

    public Task<Document> CancelAsync(FrappeContext ctx, CancellationToken ct = default) => Documents.CancelAsync(ctx, this, ct);

    public override string ToString() => $"{DocType} {Name}";
}
