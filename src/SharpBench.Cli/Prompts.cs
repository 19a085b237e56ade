using SharpBench.Sites;
using Spectre.Console;

namespace SharpBench.Cli;

public static class Prompts
{
    /// <summary>Asks for a secret on a terminal; without one there is nobody to ask, so it is an error.</summary>
    public static string Secret(string question)
    {
        if (Console.IsInputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            throw new BenchException($"{question}: not given, and there is no terminal to ask on (pass it as an option).");
        return AnsiConsole.Prompt(new TextPrompt<string>(question + ":").Secret());
    }

    /// <summary>Asks yes/no on a terminal; without one there is nobody to ask, so it is an error naming the option that skips it.</summary>
    public static bool Confirm(string question)
    {
        if (Console.IsInputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            throw new BenchException($"{question} There is no terminal to ask on: pass --yes to confirm. Nothing was changed.");
        return AnsiConsole.Confirm(question, defaultValue: false);
    }
}
