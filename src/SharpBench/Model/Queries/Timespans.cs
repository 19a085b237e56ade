namespace SharpBench.Model.Queries;

/// <summary>Frappe's <c>timespan</c>, <c>previous</c> and <c>next</c> filter values as date ranges (weeks start on Monday).</summary>
internal static class Timespans
{
    public static (DateOnly From, DateOnly To) Range(string op, string value, DateOnly today)
    {
        var v = value.Trim().ToLowerInvariant();
        if (op == "previous" || op == "next")
        {
            var span = v switch
            {
                "1 week" => (Func<DateOnly, DateOnly>)(d => d.AddDays(op == "previous" ? -7 : 7)),
                "1 month" => d => d.AddMonths(op == "previous" ? -1 : 1),
                "3 months" => d => d.AddMonths(op == "previous" ? -3 : 3),
                "6 months" => d => d.AddMonths(op == "previous" ? -6 : 6),
                "1 year" => d => d.AddYears(op == "previous" ? -1 : 1),
                _ => throw new DataError($"Invalid value for {op}: {value} (use 1 week, 1 month, 3 months, 6 months or 1 year)"),
            };
            return op == "previous" ? (span(today), today) : (today, span(today));
        }
        static DateOnly WeekStart(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));
        static DateOnly MonthStart(DateOnly d) => new(d.Year, d.Month, 1);
        static DateOnly QuarterStart(DateOnly d) => new(d.Year, (d.Month - 1) / 3 * 3 + 1, 1);
        return v switch
        {
            "today" => (today, today),
            "yesterday" => (today.AddDays(-1), today.AddDays(-1)),
            "tomorrow" => (today.AddDays(1), today.AddDays(1)),
            "last 7 days" => (today.AddDays(-7), today),
            "last 14 days" => (today.AddDays(-14), today),
            "last 30 days" => (today.AddDays(-30), today),
            "last week" => (WeekStart(today).AddDays(-7), WeekStart(today).AddDays(-1)),
            "last month" => (MonthStart(today).AddMonths(-1), MonthStart(today).AddDays(-1)),
            "last quarter" => (QuarterStart(today).AddMonths(-3), QuarterStart(today).AddDays(-1)),
            "last 6 months" => (MonthStart(today).AddMonths(-6), MonthStart(today).AddDays(-1)),
            "last year" => (new DateOnly(today.Year - 1, 1, 1), new DateOnly(today.Year - 1, 12, 31)),
            "this week" => (WeekStart(today), WeekStart(today).AddDays(6)),
            "this month" => (MonthStart(today), MonthStart(today).AddMonths(1).AddDays(-1)),
            "this quarter" => (QuarterStart(today), QuarterStart(today).AddMonths(3).AddDays(-1)),
            "this year" => (new DateOnly(today.Year, 1, 1), new DateOnly(today.Year, 12, 31)),
            "next 7 days" => (today, today.AddDays(7)),
            "next 14 days" => (today, today.AddDays(14)),
            "next 30 days" => (today, today.AddDays(30)),
            "next week" => (WeekStart(today).AddDays(7), WeekStart(today).AddDays(13)),
            "next month" => (MonthStart(today).AddMonths(1), MonthStart(today).AddMonths(2).AddDays(-1)),
            "next quarter" => (QuarterStart(today).AddMonths(3), QuarterStart(today).AddMonths(6).AddDays(-1)),
            "next 6 months" => (MonthStart(today).AddMonths(1), MonthStart(today).AddMonths(7).AddDays(-1)),
            "next year" => (new DateOnly(today.Year + 1, 1, 1), new DateOnly(today.Year + 1, 12, 31)),
            _ => throw new DataError($"Invalid timespan: {value}"),
        };
    }
}
