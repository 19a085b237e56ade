using Spectre.Console;

namespace SharpBench.Cli;

/// <summary>
/// Shows a long operation's steps: a live spinner with the current step on a terminal, plain
/// lines (one per step) when the output is a pipe or a log.
/// </summary>
public static class Progress
{
    private static bool Interactive() => AnsiConsole.Profile.Capabilities.Interactive;

    public static async Task RunAsync(string title, Func<Action<string>, Task> work)
    {
        if (Console.IsOutputRedirected || !Interactive())
        {
            Console.WriteLine(title);
            await work(step => Console.WriteLine("  " + step));
            return;
        }
        await LiveAsync(title, work);
    }

    // Apart, so a command whose output is a pipe or a log never loads Spectre.Console at all.
    private static async Task LiveAsync(string title, Func<Action<string>, Task> work)
    {
        await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), async ctx =>
        {
            string? last = null;
            await work(step =>
            {
                if (last is not null)
                    AnsiConsole.MarkupLine("[green]✓[/] " + Markup.Escape(last));
                last = step;
                ctx.Status(Markup.Escape(step));
            });
            if (last is not null)
                AnsiConsole.MarkupLine("[green]✓[/] " + Markup.Escape(last));
        });
    }
}
