using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpBench.Model.Queries;

/// <summary>Rows of a list query in the requested column order, values already in Frappe's CLR types.</summary>
public sealed class ListResult(IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows)
{
    public IReadOnlyList<string> Columns { get; } = columns;
    public IReadOnlyList<object?[]> Rows { get; } = rows;

    /// <summary>Rows as objects (<c>as_dict</c>) or as arrays in column order; nulls included.</summary>
    public JsonArray ToJson(bool asDict = true)
    {
        var array = new JsonArray();
        foreach (var row in Rows)
        {
            if (asDict)
            {
                var o = new JsonObject();
                for (var i = 0; i < Columns.Count; i++)
                    o[Columns[i]] = ValueEncoding.ToJson(row[i]);
                array.Add(o);
            }
            else
            {
                array.Add(new JsonArray(row.Select(ValueEncoding.ToJson).ToArray()));
            }
        }
        return array;
    }

    /// <summary>Writes the rows straight to a JSON writer (no intermediate nodes).</summary>
    public void WriteTo(Utf8JsonWriter writer, bool asDict = true)
    {
        writer.WriteStartArray();
        foreach (var row in Rows)
        {
            if (asDict)
            {
                writer.WriteStartObject();
                for (var i = 0; i < Columns.Count; i++)
                {
                    writer.WritePropertyName(Columns[i]);
                    ValueEncoding.Write(writer, row[i]);
                }
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray();
                foreach (var v in row)
                    ValueEncoding.Write(writer, v);
                writer.WriteEndArray();
            }
        }
        writer.WriteEndArray();
    }

    public List<Dictionary<string, object?>> AsDicts() =>
        Rows.Select(r =>
        {
            var d = new Dictionary<string, object?>(Columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < Columns.Count; i++)
                d[Columns[i]] = r[i];
            return d;
        }).ToList();
}
