using SharpBench.Sites;

namespace SharpBench.Realtime.Frappe;

/// <summary>
/// Checks a connection's credentials directly against the site (no HTTP call back to the
/// backend, so the websocket container needs no route to the public URL).
/// </summary>
internal interface IRealtimeAuth
{
    /// <summary>
    /// The user for a <c>sid</c> cookie or an <c>Authorization</c> header (sid wins, as in v15).
    /// An unknown or expired sid is Guest; a wrong token throws <see cref="RealtimeAuthException"/>.
    /// </summary>
    Task<RealtimeUser> AuthenticateAsync(Site site, string? sid, string? authorization, CancellationToken ct = default);
}

/// <summary>Read permission as Frappe's <c>can_subscribe_doctype</c> / <c>can_subscribe_doc</c> decide it.</summary>
internal interface IRealtimePermissions
{
    /// <summary>How much of a DocType the user may read: all of it, only their own rows (<c>if_owner</c>), or none.</summary>
    Task<Model.Access> DocTypeReadAccessAsync(Site site, string user, string doctype, CancellationToken ct = default);

    Task<bool> CanReadDocAsync(Site site, string user, string doctype, string name, CancellationToken ct = default);
}
