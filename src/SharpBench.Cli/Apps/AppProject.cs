using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Cli.Apps;

/// <summary>
/// An app's source folder: <c>&lt;app&gt;.csproj</c> at its root (the app's name is the project's),
/// DocTypes in <c>&lt;module&gt;/doctype/&lt;name&gt;/&lt;name&gt;.json</c>, <c>public/</c> and <c>patches.txt</c>.
/// </summary>
internal static class AppProject
{
    /// <summary>Frappe's app names: a Python identifier in lower case, which also names the assembly and the folder.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 100 && char.IsAsciiLetterLower(name[0]) && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    /// <summary>The app's name, from the one <c>*.csproj</c> at the folder's root.</summary>
    public static string NameOf(string folder, string shownAs)
    {
        var projects = Directory.GetFiles(folder, "*.csproj", SearchOption.TopDirectoryOnly);
        if (projects.Length != 1)
            throw new BenchException($"{shownAs} is not a SharpBench app: its root must hold exactly one <app>.csproj (found {projects.Length}).");
        var name = Path.GetFileNameWithoutExtension(projects[0]);
        if (!IsValidName(name))
            throw new BenchException($"{shownAs}: '{name}' is not a valid app name (lower-case letters, digits and '_', starting with a letter), and the project is named after its app.");
        if (name == Bench.CoreApp)
            throw new BenchException($"{shownAs}: an app cannot be named {Bench.CoreApp}, the core app's name.");
        return name;
    }

    /// <summary>Every DocType JSON of the app, parsed; an invalid one is an error naming the file and the field.</summary>
    public static IReadOnlyList<DocTypeMeta> ValidateDocTypes(string folder, string app)
    {
        var metas = new List<DocTypeMeta>();
        foreach (var moduleDir in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        {
            var doctypes = Path.Combine(moduleDir, "doctype");
            if (!Directory.Exists(doctypes))
                continue;
            foreach (var dir in Directory.EnumerateDirectories(doctypes).Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(dir, Path.GetFileName(dir) + ".json");
                if (!File.Exists(file))
                    continue;
                var shown = Path.Combine("apps", app, Path.GetRelativePath(folder, file));
                try
                {
                    metas.Add(DocTypeMeta.Parse(File.ReadAllText(file), shown));
                }
                catch (InvalidDataException e)
                {
                    throw new BenchException($"Invalid DocType in app {app}: {e.Message}");
                }
            }
        }
        var twice = metas.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new BenchException($"Invalid DocType in app {app}: {twice.Key} is defined more than once.");
        return metas;
    }
}
