using SharpBench.Auth;
using SharpBench.Model;

namespace SharpBench.CoreApp;

/// <summary>
/// Frappe's User controller: a user is named by its lower-cased email, has a full name made of
/// its name parts, and the standard users Administrator and Guest can be neither deleted nor
/// renamed nor disabled.
/// </summary>
public sealed class UserController : DocumentController
{
    public static readonly string[] StandardUsers = ["Administrator", "Guest"];

    private static readonly string[] NameParts = ["first_name", "middle_name", "last_name"];

    public override Task<string?> AutonameAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        var email = doc.GetString("email")?.Trim();
        return Task.FromResult(string.IsNullOrEmpty(email) ? null : email.ToLowerInvariant());
    }

    public override Task ValidateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        var email = doc.GetString("email")?.Trim();
        if (!StandardUsers.Contains(doc.Name) && !string.IsNullOrEmpty(email))
        {
            var at = email.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at == email.Length - 1 || email.Any(char.IsWhiteSpace) || email.Count(c => c == '@') != 1)
                throw new ValidationError($"{email} is not a valid Email Address");
            doc.Set("email", email.ToLowerInvariant());
        }
        var full = string.Join(" ", NameParts.Select(doc.GetString).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
        doc.Set("full_name", full.Length > 0 ? full : null);
        if (StandardUsers.Contains(doc.Name) && doc.GetInt("enabled") == 0)
            throw new ValidationError($"User {doc.Name} cannot be disabled");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var roles = doc.Table("roles").Where(r => r.GetString("role") is { Length: > 0 } role && seen.Add(role)).ToList();
        if (roles.Count != doc.Table("roles").Count)
            doc.Set("roles", roles);
        return Task.CompletedTask;
    }

    public override Task OnUpdateAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        Permissions.ForgetRoles(ctx, doc.Name!);
        return Task.CompletedTask;
    }

    public override Task OnTrashAsync(FrappeContext ctx, Document doc, CancellationToken ct)
    {
        if (StandardUsers.Contains(doc.Name))
            throw new ValidationError($"User {doc.Name} cannot be deleted");
        return Task.CompletedTask;
    }

    public override Task BeforeRenameAsync(FrappeContext ctx, Document doc, string oldName, string newName, CancellationToken ct)
    {
        if (StandardUsers.Contains(oldName))
            throw new ValidationError($"User {oldName} cannot be renamed");
        return Task.CompletedTask;
    }
}
