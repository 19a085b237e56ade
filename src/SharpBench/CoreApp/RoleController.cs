using SharpBench.Install;
using SharpBench.Model;

namespace SharpBench.CoreApp;

/// <summary>
/// Role: renamable (Frappe's <c>allow_rename</c>), except the roles every site relies on by
/// name, as Frappe's <c>Role.before_rename</c> refuses.
/// </summary>
internal sealed class RoleController : DocumentController
{
    public override Task BeforeRenameAsync(FrappeContext ctx, Document doc, string oldName, string newName, CancellationToken ct)
    {
        if (SiteInstaller.StandardRoles.Contains(oldName, StringComparer.Ordinal))
            throw new ValidationError("Standard roles cannot be renamed");
        return Task.CompletedTask;
    }
}
