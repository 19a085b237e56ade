using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SharpBench.Http;

/// <summary>
/// Error bodies of API v1 (frappe/app.py handle_exception, frappe/utils/response.py report_error): <c>exc_type</c> always; <c>exception</c> and
/// <c>exc</c> (a JSON string of a list of trace texts) except for 404s and CSRF failures;
/// the message log and the exception's own message in <c>_server_messages</c>.
/// </summary>
public static class ErrorEnvelope
{
    public static void Fill(FrappeRequest request, Exception error, bool developerMode)
    {
        var body = request.Body;
        // Keys a failed handler may have set are not part of the error answer.
        body.Remove("message");
        body.Remove("data");
        body.Remove("docs");
        if (error is FrappeException fe)
        {
            request.Status = fe.StatusCode;
            body["exc_type"] = fe.ExcType;
            var line = string.IsNullOrEmpty(fe.Message) || fe is LoginError
                ? $"frappe.exceptions.{fe.ExcType}"
                : $"frappe.exceptions.{fe.ExcType}: {fe.Message}";
            if (fe.StatusCode != StatusCodes.Status404NotFound && fe is not CsrfTokenError)
            {
                body["exception"] = line;
                body["exc"] = Trace(line, error, developerMode);
            }
            if (fe is LoginError)
            {
                body["message"] = fe.Message;
            }
            else if (fe is MandatoryError mandatory)
            {
                // One message per missing field; the exception text itself is not a message.
                foreach (var m in mandatory.Messages)
                    request.Context.Messages.Add(new ServerMessage(m, null, "red"));
            }
            else if (!string.IsNullOrEmpty(fe.Message) && !request.Context.Messages.Any(m => m.Message == fe.Message))
            {
                request.Context.Messages.Add(new ServerMessage(fe.Message, fe.Title, "red") { RaiseException = true });
            }
            if (fe.StatusCode == StatusCodes.Status401Unauthorized)
                request.ClearCookies = true;
        }
        else
        {
            request.Status = StatusCodes.Status500InternalServerError;
            var type = error is System.Data.Common.DbException ? "DatabaseError" : error.GetType().Name;
            body["exc_type"] = type;
            // Outside developer mode an unexpected error's text stays in the server log: a
            // database's message names tables and the server, .NET's names our internals.
            var line = developerMode || error is BenchException ? $"{type}: {error.Message}" : type;
            body["exception"] = line;
            body["exc"] = Trace(line, error, developerMode);
        }
    }

    private static string Trace(string line, Exception error, bool developerMode)
    {
        // The .NET stack only in developer mode: it names our internals, which is noise to API clients.
        var text = developerMode ? error.ToString() + "\n" + line : line;
        return JsonSerializer.Serialize(new[] { text }, FrappeJson.Options);
    }
}
