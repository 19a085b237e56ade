namespace SharpBench.Sites;

/// <summary>
/// Moves a folder as <c>shutil.move</c> does for Frappe: a rename when both sides share a file
/// system, else a copy and delete. In a container the <c>sites</c> volume and the bench folder
/// (where <c>archived_sites</c> lives) are different file systems, where a rename fails with EXDEV.
/// </summary>
internal static class FolderMove
{
    public static void Move(string source, string target)
    {
        try
        {
            Directory.Move(source, target);
            return;
        }
        catch (IOException) when (Directory.Exists(source) && !Directory.Exists(target) && !File.Exists(target))
        {
            // Across file systems: copy beside the target first, so an interrupted move never leaves a
            // complete-looking archive, then swap it in and remove the source.
        }
        var partial = target + ".partial-" + Environment.ProcessId;
        CopyTree(source, partial);
        Directory.Move(partial, target);
        Directory.Delete(source, recursive: true);
    }

    private static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (var folder in Directory.EnumerateDirectories(source))
            CopyTree(folder, Path.Combine(target, Path.GetFileName(folder)));
    }
}
