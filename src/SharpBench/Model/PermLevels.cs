namespace SharpBench.Model;

/// <summary>The permlevels (field groups, 0–9) at which a user holds one right on a DocType.</summary>
public sealed class PermLevels
{
    private readonly IReadOnlySet<int>? _levels;

    internal PermLevels(IReadOnlySet<int>? levels) => _levels = levels;

    /// <summary>Every level (Administrator).</summary>
    public static readonly PermLevels Every = new(null);

    /// <summary>Level 0 only: the rights the document-level check already decided.</summary>
    public static readonly PermLevels LevelZero = new(new HashSet<int>());

    public bool Allows(int level) => level <= 0 || _levels is null || _levels.Contains(level);
}
