using System.Security.Cryptography;
using System.Text;
using SharpBench.Realtime.Publishing;
using SharpBench.Sites;

namespace SharpBench.Jobs;

/// <summary>
/// The Redis ACL file of <c>bench create-rq-users</c> (<c>config/redis_queue.acl</c>): the
/// <c>default</c> user, and a user named the bench id limited to this bench's keys and channels.
/// The logins that <see cref="RedisQueueLogin"/> uses are stored in common config beside it.
/// </summary>
public static class RedisQueueAcl
{
    public const string FileName = "redis_queue.acl";

    /// <summary>The kind of password <c>default</c> ends up with.</summary>
    public enum AdminPassword
    {
        None,
        FromEnvironment,
        Generated,
        KeptFromPreviousFile,
    }

    public sealed record Result(
        string Path,
        string BenchUser,
        string KeyPattern,
        IReadOnlyList<string> Channels,
        AdminPassword Admin,
        string? GeneratedAdminPassword,
        bool Replaced,
        bool UseRqAuth);

    public static string PathFor(Bench bench) => System.IO.Path.Combine(bench.Root, "config", FileName);

    /// <summary>
    /// Writes the ACL file (mode 0600) with a new password for the bench user and stores
    /// <c>rq_username</c>/<c>rq_password</c> (and <c>use_rq_auth</c> when asked) in common config.
    /// <c>default</c> gets <c>RQ_ADMIN_PASWORD</c> when set, else a new password when
    /// <paramref name="setAdminPassword"/>, else keeps what the previous file gave it (nopass on a
    /// first run), so re-running to rotate the bench password never opens a protected server.
    /// </summary>
    public static Result Create(Bench bench, bool setAdminPassword, bool useRqAuth)
    {
        var benchId = QueueSettings.For(bench).BenchId;
        CheckUserName(benchId);
        var path = PathFor(bench);
        var previous = File.Exists(path) ? File.ReadAllLines(path) : null;

        var admin = AdminPassword.None;
        string? generatedAdmin = null;
        string defaultLine;
        if (Environment.GetEnvironmentVariable(RedisQueueLogin.AdminPasswordVariable) is { Length: > 0 } fromEnv)
        {
            admin = AdminPassword.FromEnvironment;
            defaultLine = DefaultUser(fromEnv);
        }
        else if (setAdminPassword)
        {
            admin = AdminPassword.Generated;
            generatedAdmin = NewPassword();
            defaultLine = DefaultUser(generatedAdmin);
        }
        else if (previous?.FirstOrDefault(l => l.StartsWith("user default ", StringComparison.Ordinal)) is { } kept
                 && !kept.Contains(" nopass", StringComparison.Ordinal))
        {
            admin = AdminPassword.KeptFromPreviousFile;
            defaultLine = kept;
        }
        else
        {
            defaultLine = DefaultUser(null);
        }

        var keyPattern = Prefix(benchId) + "*";
        // The realtime bridge publishes on a channel shared by every bench (Frappe's contract with
        // the node server), so it cannot sit under the bench prefix.
        string[] channels = [keyPattern, GlobEscape(RedisBridge.Channel)];
        var password = NewPassword();
        // resetchannels: a server whose acl-pubsub-default is allchannels (Redis 6.2's default)
        // would otherwise let the user into every channel despite the & rules.
        var benchLine = $"user {benchId} on #{Sha256(password)} resetchannels ~{keyPattern} {string.Join(' ', channels.Select(c => "&" + c))} {Commands}";

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Environment.ProcessId;
        // Created 0600 rather than chmod-ed after, so the hashes are never readable by others.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temp, Encoding.ASCII, options))
        {
            writer.Write(defaultLine + "\n" + benchLine + "\n");
        }

        try
        {
            bench.UpdateCommonConfig(c =>
            {
                c["rq_username"] = benchId;
                c["rq_password"] = password;
                if (useRqAuth)
                    c["use_rq_auth"] = true;
            });
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        var useRqAuthNow = new SiteConfig(bench.ReadCommonConfig()).GetBool("use_rq_auth");
        return new Result(path, benchId, keyPattern, channels, admin, generatedAdmin, previous is not null, useRqAuthNow);
    }

    /// <summary>
    /// Frappe's <c>+@all -@admin</c>, less the commands that take no key and so pass any key
    /// pattern: FLUSHALL/FLUSHDB/SWAPDB would wipe every bench's jobs, KEYS/SCAN/RANDOMKEY would list
    /// other benches' keys (site names, job ids). No SharpBench process uses any of them.
    /// </summary>
    public const string Commands = "+@all -@admin -flushall -flushdb -swapdb -keys -scan -randomkey";

    /// <summary>The prefix of every key and channel of the bench (see <see cref="RedisJobBackend"/>), glob-escaped.</summary>
    private static string Prefix(string benchId) => "sb:" + GlobEscape(benchId) + ":";

    private static string DefaultUser(string? password) =>
        $"user default on {(password is null ? "nopass" : "#" + Sha256(password))} ~* &* +@all";

    /// <summary>
    /// Redis splits ACL file lines at spaces and reads quotes and parentheses as syntax, so a bench
    /// id holding them would become another rule; refusing it beats writing a file Redis rejects.
    /// </summary>
    private static void CheckUserName(string benchId)
    {
        if (benchId.Length == 0 || benchId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '(' or ')'))
        {
            throw new BenchException(
                $"The bench id '{benchId}' cannot be a Redis user name (no spaces, quotes or parentheses): " +
                "set bench_id in common_site_config.json (bench set-config -g bench_id NAME) and run create-rq-users again.");
        }
    }

    /// <summary>Escapes Redis glob characters, so a bench id is matched literally.</summary>
    private static string GlobEscape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
                sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>32 letters and digits (about 190 bits), safe in a URL and in JSON as they are.</summary>
    private static string NewPassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    private static string Sha256(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
}
