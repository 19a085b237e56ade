using System.Globalization;

namespace SharpBench.Data;

/// <summary>
/// Frappe stores naive datetimes with microseconds and writes them as
/// <c>2024-05-01 10:20:30.123456</c>; SQLite keeps them as that text, which also sorts in order.
/// </summary>
public static class DbTime
{
    public const string StorageFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    /// <summary>The current time with microsecond precision (databases keep no more).</summary>
    public static DateTime Now()
    {
        var now = TimeProvider.System.GetLocalNow().DateTime;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Unspecified);
    }

    public static string ToStorage(DateTime value) => value.ToString(StorageFormat, CultureInfo.InvariantCulture);
}
