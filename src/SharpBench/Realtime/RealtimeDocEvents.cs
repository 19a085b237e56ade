using SharpBench.Model;

namespace SharpBench.Realtime;

/// <summary>
/// Frappe's <c>Document.notify_update</c>: every saved or deleted document announces itself
/// (doc_update, list_update) after commit. The core app registers it in every host it loads into
/// (<c>FrappeApp.OnLoad</c>), because in Frappe this is built into Document, not an
/// app hook a bench could forget to install.
/// </summary>
internal static class RealtimeDocEvents
{
    internal static void Register(DocEventRegistry hooks)
    {
        hooks.On("*", DocEvents.OnChange, NotifyAsync);
        hooks.On("*", DocEvents.AfterDelete, NotifyAsync);
    }

    private static Task NotifyAsync(FrappeContext ctx, Document doc, string eventName, CancellationToken ct)
    {
        if (doc.Name is null || doc.Meta.IsChild || doc.Flags.InMigrate)
            return Task.CompletedTask;
        var modified = doc.Modified ?? Data.DbTime.Now();
        // Users who read this DocType only if_owner hear about their own rows in a room of their own.
        var ownerOnlyReaders = doc.Meta.Permissions.Any(p => p.IfOwner == 1 && p.Read == 1 && p.PermLevel == 0);
        return RealtimePublisher.NotifyUpdateAsync(ctx, doc.DocType, doc.Name, modified, listUpdate: !doc.Meta.Single,
            ownerRoomFor: ownerOnlyReaders ? doc.Owner : null);
    }
}
