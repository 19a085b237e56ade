using System.Runtime.CompilerServices;
using SharpBench.Model;

namespace SharpBench.Realtime;

/// <summary>
/// Frappe's <c>Document.notify_update</c>: every saved or deleted document announces itself
/// (doc_update, list_update) after commit. Registered when the library loads, because in Frappe
/// this is built into Document, not an app hook a process could forget to install.
/// </summary>
internal static class RealtimeDocEvents
{
#pragma warning disable CA2255 // deliberate: the notification is part of the document model in every process
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        DocEvents.On("*", DocEvents.OnChange, NotifyAsync);
        DocEvents.On("*", DocEvents.AfterDelete, NotifyAsync);
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
