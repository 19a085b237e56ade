namespace SharpBench.Sites;

/// <summary>
/// Site names become folder names and database names, so every name is checked here before
/// any path is built from it. A request header or a CLI argument never reaches the file system
/// without passing through <see cref="IsValid"/>.
/// </summary>
public static class SiteName
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name) => Explain(name) is null;

    /// <summary>Returns why <paramref name="name"/> is not a usable site name, or null when it is.</summary>
    public static string? Explain(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "a site name is required";
        if (name.Length > MaxLength)
            return $"a site name is at most {MaxLength} characters (got {name.Length})";
        if (name.StartsWith('.'))
            return "a site name may not start with a dot";
        if (name.Contains("..", StringComparison.Ordinal))
            return "a site name may not contain '..'";
        if (!HasShape(name))
            return "a site name may contain only letters, digits, '.', '-' and '_' (no spaces or slashes)";
        if (name is "assets" or "apps.txt" or "apps.json" or "common_site_config.json" or "currentsite.txt")
            return $"'{name}' is reserved in the sites folder";
        return null;
    }

    /// <summary>
    /// <c>^[A-Za-z0-9][A-Za-z0-9._-]*$</c>, spelled out: every command checks a name at start, and
    /// a regular expression there would load and compile the regex engine for it (about 15 ms of
    /// a backup's start).
    /// </summary>
    private static bool HasShape(string name)
    {
        if (!char.IsAsciiLetterOrDigit(name[0]))
            return false;
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
                return false;
        }
        return true;
    }

    public static void Validate(string? name)
    {
        var why = Explain(name);
        if (why is not null)
            throw new BenchException($"Invalid site name '{name}': {why}.");
    }
}
