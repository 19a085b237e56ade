using System.CommandLine;
using SharpBench.Jobs;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary><c>bench create-rq-users</c>: Frappe's Redis ACL setup for <c>redis_queue</c> (see <see cref="RedisQueueAcl"/>).</summary>
public static class CreateRqUsersCommand
{
    public static Command Create()
    {
        var setAdmin = new Option<bool>("--set-admin-password") { Description = "Give Redis's default (admin) user a new random password, shown once" };
        var useRqAuth = new Option<bool>("--use-rq-auth") { Description = "Also set use_rq_auth, so every process logs in as the bench user" };
        var command = new Command("create-rq-users", "Write config/redis_queue.acl (default user and a bench user limited to this bench's keys) and store the bench user's login in common config")
        {
            setAdmin,
            useRqAuth,
        };
        command.SetAction((parse, ct) => CliContext.RunAsync(() =>
        {
            var bench = CliContext.Bench();
            bench.EnsureLayout();
            var r = RedisQueueAcl.Create(bench, parse.GetValue(setAdmin), parse.GetValue(useRqAuth));

            Console.WriteLine($"Wrote {r.Path} (mode 0600, passwords stored as SHA-256 hashes):");
            Console.WriteLine("  default: " + r.Admin switch
            {
                RedisQueueAcl.AdminPassword.FromEnvironment => $"password from {RedisQueueLogin.AdminPasswordVariable}",
                RedisQueueAcl.AdminPassword.Generated => "a new password (below)",
                RedisQueueAcl.AdminPassword.KeptFromPreviousFile => "password kept from the previous file",
                _ => "no password (nopass); --set-admin-password gives it one",
            });
            Console.WriteLine($"  {r.BenchUser}: a new password; keys {r.KeyPattern}; channels {string.Join(", ", r.Channels)}; commands {RedisQueueAcl.Commands}");
            if (r.Replaced)
                Console.WriteLine($"Replaced the previous file: the old password of {r.BenchUser} stops working once Redis loads this one.");
            Console.WriteLine($"Saved rq_username and rq_password in {bench.CommonConfigPath}" + (parse.GetValue(useRqAuth) ? ", and use_rq_auth: true." : "."));
            if (!r.UseRqAuth)
                Console.WriteLine("use_rq_auth is not set, so processes keep logging in as before: run with --use-rq-auth (or bench set-config -g use_rq_auth 1) to use the bench user.");
            Console.WriteLine($"Load it: start redis_queue with `redis-server --aclfile {r.Path}` (or the line `aclfile {r.Path}` in its redis.conf),");
            Console.WriteLine("then restart it, or run ACL LOAD as an admin on a server already started with that aclfile.");
            if (r.GeneratedAdminPassword is { } admin)
            {
                Console.WriteLine($"Redis admin (default user) password, shown only this once: {admin}");
                Console.WriteLine($"Keep it; processes that log in as default need it in their environment: export {RedisQueueLogin.AdminPasswordVariable}={admin}");
            }
            return Task.FromResult(0);
        }));
        return command;
    }
}
