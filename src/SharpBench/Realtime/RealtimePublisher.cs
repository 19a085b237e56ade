using System.Text.Json;
using System.Text.Json.Nodes;
using SharpBench.Realtime.Publishing;
using SharpBench.Sites;

namespace SharpBench.Realtime;

/// <summary>
/// <c>frappe.publish_realtime</c> and <c>frappe.publish_progress</c>: Frappe's room rules
/// (frappe/realtime.py, publish_realtime), after-commit delivery (dropped on rollback), and the bridge to the realtime
/// servers (Redis <c>events</c> on the site's <c>redis_queue</c>, else in-process; see <see cref="RealtimeBridges"/>).
/// </summary>
public static class RealtimePublisher
{
    /// <summary>Key of <see cref="FrappeContext.Items"/> holding the current job's task id (<c>frappe.local.task_id</c>).</summary>
    public const string TaskIdItem = "task_id";

    private const string PendingItem = "realtime.pending";

    public static Task PublishAsync(FrappeContext context, string? @event = null, object? message = null, string? room = null,
        string? user = null, string? doctype = null, string? docname = null, string? taskId = null, bool afterCommit = false)
    {
        var node = message switch
        {
            null => new JsonObject(),
            JsonNode n => n.DeepClone(),
            _ => JsonSerializer.SerializeToNode(message) ?? new JsonObject(),
        };
        taskId ??= context.Items.TryGetValue(TaskIdItem, out var t) ? t as string : null;
        @event ??= taskId is not null ? "task_progress" : "global";
        if (@event == "msgprint" && user is null)
            user = context.User;
        if (@event == "list_update")
        {
            var dt = doctype ?? (node is JsonObject o && o["doctype"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null);
            room = "doctype:" + dt;
        }
        else if (@event == "docinfo_update")
        {
            room = $"doc:{doctype}/{docname}";
        }
        if (string.IsNullOrEmpty(room))
        {
            if (!string.IsNullOrEmpty(taskId))
            {
                room = "task_progress:" + taskId;
                afterCommit = false;
                if (node is JsonObject mo && !mo.ContainsKey("task_id"))
                    mo["task_id"] = taskId;
            }
            else if (!string.IsNullOrEmpty(user))
                room = "user:" + user;
            else if (!string.IsNullOrEmpty(doctype) && !string.IsNullOrEmpty(docname))
                room = $"doc:{doctype}/{docname}";
            else
                room = "all";
        }
        var published = new RealtimeMessage { Event = @event, Message = node, Room = room, Namespace = context.Site.Name };
        if (!afterCommit)
            return SendAsync(context, published);
        QueueAfterCommit(context, published);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The <c>progress</c> event: to the task's room when there is a task id, else the document's
    /// room, else the session user's room.
    /// </summary>
    public static Task PublishProgressAsync(FrappeContext context, double percent, string? title = null, string? doctype = null,
        string? docname = null, string? description = null, string? taskId = null)
    {
        var message = new JsonObject { ["percent"] = percent, ["title"] = title, ["description"] = description };
        taskId ??= context.Items.TryGetValue(TaskIdItem, out var t) ? t as string : null;
        var hasDoc = !string.IsNullOrEmpty(doctype) && !string.IsNullOrEmpty(docname);
        return PublishAsync(context, "progress", message, user: taskId is null && !hasDoc ? context.User : null,
            doctype: doctype, docname: docname, taskId: taskId);
    }

    /// <summary>
    /// <c>Document.notify_update</c>: <c>doc_update</c> to the document's room and (unless the
    /// DocType is read-only, single or a child table) <c>list_update</c>, both after commit.
    /// </summary>
    public static async Task NotifyUpdateAsync(FrappeContext context, string doctype, string name, DateTime modified, bool listUpdate = true, string? ownerRoomFor = null)
    {
        await PublishAsync(context, "doc_update", new JsonObject { ["modified"] = FormatModified(modified), ["doctype"] = doctype, ["name"] = name },
            doctype: doctype, docname: name, afterCommit: true);
        if (listUpdate)
        {
            var message = new JsonObject { ["doctype"] = doctype, ["name"] = name, ["user"] = context.User };
            await PublishAsync(context, "list_update", message, afterCommit: true);
            if (!string.IsNullOrEmpty(ownerRoomFor))
            {
                QueueAfterCommit(context, new RealtimeMessage
                {
                    Event = "list_update",
                    Message = message.DeepClone(),
                    Room = OwnedDocTypeRoom(doctype, ownerRoomFor),
                    Namespace = context.Site.Name,
                });
            }
        }
    }

    /// <summary>
    /// The room of a DocType's list for a user who may read only their own documents of it
    /// (<c>if_owner</c>): it hears <c>list_update</c> for the rows that user owns, and no others.
    /// </summary>
    public static string OwnedDocTypeRoom(string doctype, string owner) => $"doctype:{doctype}/owner:{owner}";

    /// <summary>Exactly as the REST API writes <c>modified</c> (the desk compares the strings).</summary>
    public static string FormatModified(DateTime value) => Model.ValueEncoding.FormatDateTime(value);

    private static void QueueAfterCommit(FrappeContext context, RealtimeMessage message)
    {
        if (!context.Items.TryGetValue(PendingItem, out var existing) || existing is not List<RealtimeMessage> pending)
        {
            pending = [];
            context.Items[PendingItem] = pending;
            context.AfterCommit(async () =>
            {
                context.Items.Remove(PendingItem);
                foreach (var m in pending)
                    await SendAsync(context, m);
            });
            context.AfterRollback(() =>
            {
                context.Items.Remove(PendingItem);
                return Task.CompletedTask;
            });
        }
        // Frappe drops an exact duplicate of a queued [event, message, room].
        var key = message.ToJson();
        if (!pending.Any(p => p.ToJson() == key))
            pending.Add(message);
    }

    private static async Task SendAsync(FrappeContext context, RealtimeMessage message)
    {
        try
        {
            var bridge = await RealtimeBridges.Of(context).ForAsync(context.Site);
            await bridge.PublishAsync(message);
        }
        catch (StackExchange.Redis.RedisException)
        {
            // As in Frappe: a realtime event is not worth failing the request or job that raised it.
        }
    }
}
