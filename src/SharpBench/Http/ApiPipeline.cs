using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SharpBench.Auth;
using SharpBench.Http.V2;

namespace SharpBench.Http;

/// <summary>
/// The fixed sequence every Frappe request goes through (frappe/app.py, application): form_dict, session,
/// CSRF, header auth, the handler, then commit for POST/PUT/DELETE/PATCH and roll back
/// otherwise (and on any error), the session's last-seen update, cookies, and the envelope.
/// One per host (see <c>AddSharpBenchModel</c>); route handlers reach it through <see cref="RunAsync(HttpContext, Func{FrappeRequest, CancellationToken, Task})"/>.
/// </summary>
internal sealed class ApiPipeline(ILoggerFactory loggers)
{
    private readonly ILogger log = loggers.CreateLogger("SharpBench.Http");

    /// <summary>Runs <paramref name="handler"/> inside the host's pipeline.</summary>
    public static Task RunAsync(HttpContext http, Func<FrappeRequest, CancellationToken, Task> handler) =>
        http.RequestServices.GetRequiredService<ApiPipeline>().InvokeAsync(http, handler);

    public async Task InvokeAsync(HttpContext http, Func<FrappeRequest, CancellationToken, Task> handler)
    {
        var site = SiteMiddleware.RequireSite(http);
        var ct = http.RequestAborted;
        await using var context = new FrappeContext(site, "Guest", http.RequestServices);
        var request = new FrappeRequest(http, site, context);
        context.ReadOnly = !request.IsWrite;
        request.Attach();
        var expiry = TimeSpan.FromHours(170);
        var failed = false;
        // Frappe sets cookies only once the request reached authentication: a body it cannot
        // even read must not answer with Guest's cookies and so log the browser out.
        var authenticating = false;
        try
        {
            // Frappe's maintenance mode: everything stops, or (allow_reads_during_maintenance)
            // reads are served and any write fails at the database with InReadOnlyMode.
            var readOnlyMode = Sites.MaintenanceMode.ReadsAllowed(site.Config);
            if (Sites.MaintenanceMode.IsOn(site.Config) && !readOnlyMode)
                throw new SessionStopped("Session Stopped");
            context.RefuseWrites = readOnlyMode;
            var limits = await FormLimits.ForAsync(request, site.Config.GetInt("max_request_size") ?? FormDict.DefaultMaxBodyBytes, ct);
            request.Form = Model.ClientText.Check(await FormDict.ReadAsync(http.Request, limits, request.Files, ct));
            authenticating = true;
            await RequestAuth.AuthenticateAsync(request, ct);
            await handler(request, ct);
            // Past the handler the unit of work is whole: a client hanging up now must not cut
            // the commit, or its after-commit enqueues and realtime events, short.
            if (request.IsWrite || request.ForceCommit)
                await context.CommitAsync(CancellationToken.None);
            else
                await context.FinishReadAsync(ct);
            if (request.Session is not null && !readOnlyMode && SessionStore.NeedsTouch(request.Session))
            {
                // The last-seen update writes, even on a GET.
                context.ReadOnly = false;
                var db = await context.DbAsync(ct);
                if (await SessionStore.TouchAsync(db, site, request.Session, ct))
                    await context.CommitAsync(CancellationToken.None);
                else
                    await context.RollbackAsync(ct);
            }
            if (request.Session is not null || request.SessionExpired)
                expiry = await SessionStore.ExpiryAsync(site, () => context.DbAsync(ct), ct);
        }
        catch (RequestTooLargeException)
        {
            await SafeRollbackAsync(context, log);
            DeleteStaged(request);
            await WerkzeugPages.TooLargeAsync(http.Response);
            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await SafeRollbackAsync(context, log);
            DeleteStaged(request);
            return;
        }
        catch (Exception e)
        {
            failed = true;
            await SafeRollbackAsync(context, log);
            if (e is not FrappeException)
                log.LogError(e, "{Method} {Path} failed", http.Request.Method, http.Request.Path);
            // A pattern that ran out of time judged input too complex to check: the input is at fault.
            var error = e is System.Text.RegularExpressions.RegexMatchTimeoutException ? new DataError("The request is too complex to check") : e;
            if (request.V2)
                V2Envelope.Fill(request, error, site.Config.GetBool("developer_mode"));
            else
                ErrorEnvelope.Fill(request, error, site.Config.GetBool("developer_mode"));
        }
        DeleteStaged(request);
        if (authenticating)
            SessionCookies.Write(request, expiry);
        if (request.Writer is not null && !failed)
        {
            await request.Writer(http.Response);
            return;
        }
        if (request.V2)
        {
            V2Envelope.AddLogs(request);
        }
        else
        {
            if (context.Messages.Count > 0)
                request.Body["_server_messages"] = ServerMessages.Encode(context.Messages);
            if (Model.Queries.DebugLog.Of(context) is { Count: > 0 } debug)
                request.Body["_debug_messages"] = System.Text.Json.JsonSerializer.Serialize(debug, FrappeJson.Options);
        }
        await ResponseWriter.WriteJsonAsync(http.Response, request.Status, request.Body);
    }

    private static void DeleteStaged(FrappeRequest request)
    {
        foreach (var file in request.Files)
            file.Dispose();
        request.Files.Clear();
    }

    private static async Task SafeRollbackAsync(FrappeContext context, ILogger log)
    {
        try
        {
            await context.RollbackAsync();
        }
        catch (Exception e)
        {
            log.LogWarning("Rollback failed: {Error}", e.Message);
        }
    }
}
