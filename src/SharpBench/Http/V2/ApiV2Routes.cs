using Microsoft.AspNetCore.Http;

namespace SharpBench.Http.V2;

/// <summary>
/// The route table under <c>/api/v2</c> (frappe/api/v2.py): RPC under
/// <c>method/</c>, documents under <c>document/</c>, collections under <c>doctype/</c>. Every
/// answer uses v2's envelope (<see cref="V2Envelope"/>); a path that matches nothing is a 404
/// DoesNotExistError, a known path with a verb it does not take is Werkzeug's 405 page.
/// </summary>
internal static class ApiV2Routes
{
    /// <param name="rest">The decoded path segments after <c>/api/v2</c>.</param>
    public static async Task HandleAsync(HttpContext http, List<string> rest)
    {
        FrappeRequest.MarkV2(http);
        var verb = HttpMethods.IsHead(http.Request.Method) ? "GET" : http.Request.Method.ToUpperInvariant();
        // Frappe's rules take an optional trailing slash.
        if (rest.Count > 1 && rest[^1].Length == 0)
            rest = rest[..^1];
        if (rest.Count < 2 || rest[1].Length == 0)
        {
            await NotFoundAsync(http);
            return;
        }
        switch (rest[0])
        {
            case "method":
                await MethodAsync(http, verb, rest);
                return;
            case "document":
                await DocumentAsync(http, verb, rest);
                return;
            case "doctype" when rest.Count == 3 && rest[2] is "meta" or "count":
                if (verb != "GET")
                {
                    await WerkzeugPages.MethodNotAllowedAsync(http.Response, "GET, HEAD, OPTIONS");
                    return;
                }
                var doctype = rest[1];
                Func<FrappeRequest, CancellationToken, Task> collection = rest[2] == "meta"
                    ? (request, ct) => V2DocTypes.MetaAsync(request, doctype, ct)
                    : (request, ct) => V2DocTypes.CountAsync(request, doctype, ct);
                await ApiPipeline.RunAsync(http, collection);
                return;
        }
        await NotFoundAsync(http);
    }

    private static async Task MethodAsync(HttpContext http, string verb, List<string> rest)
    {
        if (rest.Count == 2 && rest[1] == "run_doc_method" && verb is "GET" or "POST")
        {
            await ApiPipeline.RunAsync(http, async (request, ct) => V2Methods.Data(request, await RunDocMethod.RunV2Async(request, ct)));
            return;
        }
        if (rest.Count == 2)
        {
            var name = rest[1];
            await ApiPipeline.RunAsync(http, (request, ct) => V2Methods.CallAsync(request, name, ct));
            return;
        }
        if (rest.Count == 3 && rest[2].Length > 0)
        {
            var (doctype, name) = (rest[1], rest[2]);
            await ApiPipeline.RunAsync(http, (request, ct) => V2Methods.CallControllerAsync(request, doctype, name, ct));
            return;
        }
        await NotFoundAsync(http);
    }

    private static async Task DocumentAsync(HttpContext http, string verb, List<string> rest)
    {
        var doctype = rest[1];
        if (rest.Count == 2)
        {
            Func<FrappeRequest, CancellationToken, Task>? list = verb switch
            {
                "GET" => (request, ct) => V2Documents.ListAsync(request, doctype, ct),
                "POST" => (request, ct) => V2Documents.CreateAsync(request, doctype, ct),
                _ => null,
            };
            if (list is null)
                await WerkzeugPages.MethodNotAllowedAsync(http.Response, "GET, HEAD, OPTIONS, POST");
            else
                await ApiPipeline.RunAsync(http, list);
            return;
        }
        // document/<doctype>/<path:name>/method/<method> and …/copy come before the plain name,
        // and only for the verbs they take: "PUT …/x/copy" updates the document named "x/copy".
        if (rest.Count >= 5 && rest[^2] == "method" && verb is "GET" or "POST")
        {
            var name = string.Join('/', rest[2..^2]);
            var method = rest[^1];
            await ApiPipeline.RunAsync(http, (request, ct) => V2Documents.MethodAsync(request, doctype, name, method, ct));
            return;
        }
        if (rest.Count >= 4 && rest[^1] == "copy" && verb == "GET")
        {
            var name = string.Join('/', rest[2..^1]);
            await ApiPipeline.RunAsync(http, (request, ct) => V2Documents.CopyAsync(request, doctype, name, ct));
            return;
        }
        var docname = string.Join('/', rest[2..]);
        Func<FrappeRequest, CancellationToken, Task>? handler = verb switch
        {
            "GET" => (request, ct) => V2Documents.ReadAsync(request, doctype, docname, ct),
            "PATCH" or "PUT" => (request, ct) => V2Documents.UpdateAsync(request, doctype, docname, ct),
            "DELETE" => (request, ct) => V2Documents.DeleteAsync(request, doctype, docname, ct),
            _ => null,
        };
        if (handler is null)
            await WerkzeugPages.MethodNotAllowedAsync(http.Response, "DELETE, GET, HEAD, OPTIONS, PATCH, PUT");
        else
            await ApiPipeline.RunAsync(http, handler);
    }

    private static Task NotFoundAsync(HttpContext http) => ApiPipeline.RunAsync(http, (_, _) => throw new DoesNotExistError(""));
}
