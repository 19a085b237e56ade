using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SharpBench.Http;

/// <summary>
/// gunicorn's <c>--timeout</c> for Kestrel: a request still running after the limit has its
/// <see cref="HttpContext.RequestAborted"/> cancelled (the handler rolls back as it does for a
/// client that went away) and, when nothing was sent yet, is answered 504 with an empty body.
/// ASP.NET Core's own request-timeout middleware answers only when the cancellation escapes the
/// handler, which the API pipeline never lets happen.
/// </summary>
internal static class RequestTimeout
{
    public static void Use(IApplicationBuilder app, TimeSpan limit) => app.Use(async (context, next) =>
    {
        var client = context.RequestAborted;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(client);
        timer.CancelAfter(limit);
        context.RequestAborted = timer.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !client.IsCancellationRequested && !context.Response.HasStarted)
        {
        }
        finally
        {
            context.RequestAborted = client;
        }
        if (timer.IsCancellationRequested && !client.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    });
}
