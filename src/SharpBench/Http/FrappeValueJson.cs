using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharpBench.Http;

/// <summary>
/// How values leave the server (frappe/utils/response.py, json_handler): datetimes as <c>2024-05-01 10:20:30[.ffffff]</c>,
/// dates as <c>2024-05-01</c>, times without hour padding, decimals as JSON numbers.
/// </summary>
public static class FrappeValueJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(FrappeJson.Options);
        o.Converters.Add(new DateTimeConverter());
        o.Converters.Add(new DateOnlyConverter());
        o.Converters.Add(new TimeSpanConverter());
        o.Converters.Add(new TimeOnlyConverter());
        o.Converters.Add(new DecimalConverter());
        o.Converters.Add(new ListRowsConverter());
        o.Converters.Add(new DocumentJsonConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    public static string FormatDateTime(DateTime value) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0
            ? value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static string FormatTime(TimeSpan value)
    {
        var text = $"{(int)value.TotalHours}:{value.Minutes:00}:{value.Seconds:00}";
        var micro = value.Ticks % TimeSpan.TicksPerSecond / 10;
        return micro == 0 ? text : text + "." + micro.ToString("000000", CultureInfo.InvariantCulture);
    }

    private sealed class DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatDateTime(value));
    }

    private sealed class DateOnlyConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateOnly.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private sealed class TimeSpanConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeSpan.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatTime(value));
    }

    private sealed class TimeOnlyConverter : JsonConverter<TimeOnly>
    {
        public override TimeOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            TimeOnly.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, TimeOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatTime(value.ToTimeSpan()));
    }

    /// <summary>List results go straight to the writer, without building JSON nodes first.</summary>
    private sealed class ListRowsConverter : JsonConverter<ListRows>
    {
        public override ListRows Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, ListRows value, JsonSerializerOptions options) =>
            value.Result.WriteTo(writer, value.AsDict);
    }

    /// <summary>A document goes straight to the writer too (a GET's answer), in <see cref="Model.Document.ToJson"/>'s shape.</summary>
    private sealed class DocumentJsonConverter : JsonConverter<DocumentJson>
    {
        public override DocumentJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, DocumentJson value, JsonSerializerOptions options) =>
            value.Document.WriteTo(writer, value.IncludeNulls, value.Mask);
    }

    private sealed class DecimalConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteNumberValue((double)value);
    }
}
