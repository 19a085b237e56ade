using System.Text.RegularExpressions;

namespace SharpBench.Cli.Apps;

/// <summary>
/// Keeps credentials in git URLs (<c>https://user:token@host/...</c>) out of every line bench
/// prints or stores: messages, git's own errors, and the clone's remote.
/// </summary>
internal static partial class GitUrl
{
    [GeneratedRegex(@"(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")]
    private static partial Regex UserInfo();

    /// <summary>The text with the user-info part of every URL in it replaced by <c>***</c>.</summary>
    public static string Redact(string text) => UserInfo().Replace(text, "${scheme}***@");

    /// <summary>The URL without its user-info (what the clone keeps as its remote).</summary>
    public static string WithoutCredentials(string url) => UserInfo().Replace(url, "${scheme}");

    /// <summary>Each secret part of the URL (user, token), to scrub from output that reprints it in another form.</summary>
    public static IEnumerable<string> Secrets(string url)
    {
        var m = UserInfo().Match(url);
        if (!m.Success)
            yield break;
        var info = m.Value[m.Groups["scheme"].Length..^1];
        foreach (var part in info.Split(':'))
        {
            if (part.Length >= 4)
                yield return part;
        }
    }

    public static string Scrub(string text, string url)
    {
        var result = Redact(text);
        foreach (var secret in Secrets(url))
            result = result.Replace(secret, "***", StringComparison.Ordinal);
        return result;
    }
}
