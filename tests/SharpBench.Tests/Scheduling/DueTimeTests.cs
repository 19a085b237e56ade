using SharpBench.Scheduling;

namespace SharpBench.Tests.Scheduling;

public class DueTimeTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    private static DateTime L(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, DateTimeKind.Unspecified);

    private static DateTimeOffset Z(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => FakeClock.Utc(y, mo, d, h, mi, s);

    [Theory]
    [InlineData("Hourly", "2026-05-06 10:15:00", "2026-05-06 11:00:00")]
    [InlineData("Daily", "2026-05-06 10:00:00", "2026-05-07 00:00:00")]
    [InlineData("Weekly", "2026-05-06 10:00:00", "2026-05-10 00:00:00")] // 6 May 2026 is a Wednesday; the week turns on Sunday
    [InlineData("Monthly", "2026-05-06 10:00:00", "2026-06-01 00:00:00")]
    [InlineData("Yearly", "2026-05-06 10:00:00", "2027-01-01 00:00:00")]
    [InlineData("Annual", "2026-12-31 23:59:59", "2027-01-01 00:00:00")]
    [InlineData("All", "2026-05-06 10:01:00", "2026-05-06 10:04:00")]
    [InlineData("Hourly", "2026-05-06 11:00:00", "2026-05-06 12:00:00")]
    public void NextRunFollowsTheFrequencyCron(string frequency, string last, string expected)
    {
        var next = DueTime.Next(frequency, null, DateTime.Parse(last, System.Globalization.CultureInfo.InvariantCulture), Utc);
        Assert.Equal(DateTimeOffset.Parse(expected + "Z", System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void DueExactlyAtTheCronTimeAndNotAMillisecondBefore()
    {
        var last = L(2026, 5, 6, 10, 15);
        Assert.False(DueTime.IsDue("Hourly", null, last, Utc, Z(2026, 5, 6, 10, 59, 59).AddMilliseconds(999)));
        Assert.True(DueTime.IsDue("Hourly", null, last, Utc, Z(2026, 5, 6, 11)));
        Assert.False(DueTime.IsDue("Daily", null, last, Utc, Z(2026, 5, 6, 23, 59, 59)));
        Assert.True(DueTime.IsDue("Daily", null, last, Utc, Z(2026, 5, 7)));
    }

    [Fact]
    public void CronUsesItsOwnExpression()
    {
        Assert.Equal(Z(2026, 5, 6, 10, 30), DueTime.Next("Cron", "*/15 * * * *", L(2026, 5, 6, 10, 17), Utc));
        // 09:00 on weekdays: from Friday evening the next run is Monday.
        Assert.Equal(Z(2026, 5, 11, 9), DueTime.Next("Cron", "0 9 * * 1-5", L(2026, 5, 8, 18), Utc));
    }

    [Fact]
    public void AllRunsEverySchedulerIntervalNotEveryTick()
    {
        Assert.Equal(Z(2026, 5, 6, 10, 4), DueTime.Next("All", null, L(2026, 5, 6, 10, 0, 30), Utc));
        Assert.Equal(Z(2026, 5, 6, 10, 10), DueTime.Next("All", null, L(2026, 5, 6, 10, 0, 30), Utc, schedulerInterval: 600));
    }

    [Fact]
    public void LongJobsWaitAStableDelayOfAtMostTenMinutesAndGoToTheLongQueue()
    {
        var last = L(2026, 5, 6, 10, 15);
        var first = DueTime.Next("Hourly Long", null, last, Utc, jitterKey: "site|job");
        var again = DueTime.Next("Hourly Long", null, last, Utc, jitterKey: "site|job");
        Assert.Equal(first, again);
        Assert.InRange((first - Z(2026, 5, 6, 11)).TotalSeconds, 1, 600);
        var delays = Enumerable.Range(0, 50).Select(i => (DueTime.Next("Daily Long", null, last, Utc, jitterKey: "s|job" + i) - Z(2026, 5, 7)).TotalSeconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 1, 600));
        Assert.True(delays.Distinct().Count() > 10, "delays spread the jobs out");
        Assert.Equal("long", ScheduledFrequency.Queue("Daily Long"));
        Assert.Equal("default", ScheduledFrequency.Queue("Daily"));
        Assert.Equal("default", ScheduledFrequency.Queue("All"));
        Assert.Equal("default", ScheduledFrequency.Queue("Cron"));
    }

    [Fact]
    public void TimesAreTheSitesWallClock()
    {
        // Midnight in Kolkata is 18:30 UTC the day before.
        Assert.Equal(Z(2026, 5, 6, 18, 30), DueTime.Next("Daily", null, L(2026, 5, 6, 10), Kolkata));
        Assert.Equal(Z(2026, 5, 6, 4), DueTime.Next("Daily", null, L(2026, 5, 5, 10), NewYork));
    }

    [Fact]
    public void SpringForwardRunsTheSkippedHoursJobOnceAtTheJump()
    {
        // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        Assert.Equal(Z(2026, 3, 8, 7), DueTime.Next("Cron", "30 2 * * *", L(2026, 3, 7, 2, 30, 1), NewYork));
        Assert.Equal(Z(2026, 3, 8, 7), DueTime.Next("Hourly", null, L(2026, 3, 8, 1, 0, 5), NewYork));
        Assert.Equal(Z(2026, 3, 8, 8), DueTime.Next("Hourly", null, L(2026, 3, 8, 3, 0, 5), NewYork));
        Assert.Equal(Z(2026, 3, 9, 4), DueTime.Next("Daily", null, L(2026, 3, 8, 0, 0, 1), NewYork));
    }

    [Fact]
    public void FallBackNeverRunsTheSameWallClockTimeTwice()
    {
        // New York, 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:xx happens twice.
        Assert.Equal(Z(2026, 11, 1, 5), DueTime.Next("Hourly", null, L(2026, 11, 1, 0, 0, 5), NewYork));
        // Ran at the first 01:00 (stored as the naive 01:00:05): the next run is 02:00 EST, not the second 01:00.
        Assert.Equal(Z(2026, 11, 1, 7), DueTime.Next("Hourly", null, L(2026, 11, 1, 1, 0, 5), NewYork));
        // A daily job at 01:30 runs once that day.
        Assert.Equal(Z(2026, 11, 1, 5, 30), DueTime.Next("Cron", "30 1 * * *", L(2026, 10, 31, 1, 30, 2), NewYork));
        Assert.Equal(Z(2026, 11, 2, 6, 30), DueTime.Next("Cron", "30 1 * * *", L(2026, 11, 1, 1, 30, 2), NewYork));
        // Daily at midnight is untouched by the change.
        Assert.Equal(Z(2026, 11, 2, 5), DueTime.Next("Daily", null, L(2026, 11, 1, 0, 0, 1), NewYork));
    }

    [Fact]
    public void SimulatedDaysRunEachJobOncePerPeriodAcrossBothDstChanges()
    {
        // Real hours in the window after the start: 95. In spring each is a wall-clock hour (01:00 EST is
        // followed by 03:00 EDT); in autumn the second 01:00 is not run again.
        foreach (var (from, days, hourly) in new[] { (Z(2026, 3, 6), 4, 95), (Z(2026, 10, 30), 4, 94) })
        {
            var runs = new Dictionary<string, List<DateTime>>();
            foreach (var (freq, cron) in new[] { ("Hourly", (string?)null), ("Daily", null), ("Cron", "30 1 * * *") })
            {
                var last = DueTime.ToLocal(from, NewYork);
                var list = new List<DateTime>();
                for (var now = from; now < from.AddDays(days); now = now.AddMinutes(1))
                {
                    if (DueTime.IsDue(freq, cron, last, NewYork, now))
                    {
                        last = DueTime.ToLocal(now, NewYork);
                        list.Add(last);
                    }
                }
                runs[freq + cron] = list;
            }
            Assert.Equal(days, runs["Daily"].Count);
            Assert.Equal(days, runs["Cron30 1 * * *"].Count);
            Assert.Equal(runs["Hourly"].Count, runs["Hourly"].Distinct().Count());
            Assert.Equal(hourly, runs["Hourly"].Count);
        }
    }

    [Theory]
    [InlineData("* * *")]
    [InlineData("61 * * * *")]
    [InlineData("not a cron")]
    [InlineData("0 0 * * * *")]
    public void BadCronExpressionsAreRefusedWithTheExpressionInTheMessage(string cron)
    {
        var e = Assert.Throws<FormatException>(() => DueTime.Next("Cron", cron, L(2026, 5, 6), Utc));
        Assert.Contains(cron, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("all", "All")]
    [InlineData("hourly_long", "Hourly Long")]
    [InlineData("daily", "Daily")]
    [InlineData("weekly_long", "Weekly Long")]
    [InlineData("monthly_long", "Monthly Long")]
    [InlineData("yearly", "Yearly")]
    [InlineData("annual", "Annual")]
    [InlineData("cron", null)]
    [InlineData("every_second", null)]
    public void HookKeysMapToFrappesFrequencies(string key, string? frequency) =>
        Assert.Equal(frequency, ScheduledFrequency.FromHookKey(key));
}
