using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SharpBench.Http.V2;

/// <summary>
/// API v2's envelope (frappe/api/v2.py): results under <c>data</c>; a failure is
/// <c>{"errors": [{"type", "exception", "message", "title", "indicator"}]}</c> with v1's status
/// codes, the message that came with the exception merged into the error; every other message
/// goes to <c>messages</c> as plain objects (not double-encoded) and debug output to <c>debug</c>.
/// </summary>
internal static class V2Envelope
{
    public static void Fill(FrappeRequest request, Exception error, bool developerMode)
    {
        var body = request.Body;
        // What a failed handler may have set is not part of the error answer.
        foreach (var key in new[] { "message", "data", "docs", "has_next_page" })
            body.Remove(key);
        var entry = new JsonObject();
        if (error is FrappeException fe)
        {
            request.Status = fe.StatusCode;
            entry["type"] = fe.ExcType;
            if (fe.StatusCode != StatusCodes.Status404NotFound && fe is not CsrfTokenError)
                entry["exception"] = Trace(fe.Message.Length == 0 ? $"frappe.exceptions.{fe.ExcType}" : $"frappe.exceptions.{fe.ExcType}: {fe.Message}", error, developerMode);
            if (fe is MandatoryError mandatory)
            {
                // One message per missing field, as v1; the exception's own text is no message.
                foreach (var m in mandatory.Messages)
                    request.Context.Messages.Add(new ServerMessage(m, null, "red"));
            }
            else if (fe.Message.Length > 0)
            {
                request.Context.Messages.RemoveAll(m => m.Message == fe.Message);
                entry["message"] = fe.Message;
                entry["title"] = fe.Title ?? "Message";
                entry["indicator"] = "red";
            }
            if (fe.StatusCode == StatusCodes.Status401Unauthorized)
                request.ClearCookies = true;
        }
        else
        {
            request.Status = StatusCodes.Status500InternalServerError;
            var type = error is System.Data.Common.DbException ? "DatabaseError" : error.GetType().Name;
            entry["type"] = type;
            // Outside developer mode an unexpected error's text stays in the server log (as v1).
            entry["exception"] = Trace(developerMode || error is BenchException ? $"{type}: {error.Message}" : type, error, developerMode);
        }
        body["errors"] = new JsonArray(entry);
    }

    /// <summary>The message log and debug output of a v2 answer, success or failure.</summary>
    public static void AddLogs(FrappeRequest request)
    {
        var context = request.Context;
        if (context.Messages.Count > 0)
        {
            request.Body["messages"] = new JsonArray(context.Messages.Select(m =>
            {
                var o = new JsonObject { ["message"] = m.Message, ["title"] = m.Title ?? "Message" };
                if (m.Indicator is not null)
                    o["indicator"] = m.Indicator;
                return (JsonNode)o;
            }).ToArray());
        }
        if (Model.Queries.DebugLog.Of(context) is { Count: > 0 } debug)
            request.Body["debug"] = new JsonArray(debug.Select(d => (JsonNode)new JsonObject { ["message"] = d }).ToArray());
    }

    private static string Trace(string line, Exception error, bool developerMode) =>
        developerMode ? error + "\n" + line : line;
}
