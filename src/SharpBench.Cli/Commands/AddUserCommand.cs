using System.CommandLine;
using System.Text.Json.Nodes;
using SharpBench.CoreApp;
using SharpBench.Model;
using SharpBench.Sites;

namespace SharpBench.Cli.Commands;

/// <summary>
/// <c>bench --site S add-user EMAIL [--first-name F] [--last-name L] [--password P] [--add-role R]...</c>:
/// creates a User through the document lifecycle (so its name, roles and password follow the
/// same rules as one made over the API).
/// </summary>
public static class AddUserCommand
{
    public static Command Create()
    {
        var email = new Argument<string>("email") { Description = "The user's email; the user is named by it in lower case" };
        var firstName = new Option<string?>("--first-name") { Description = "First name (default: the part of the email before @)" };
        var lastName = new Option<string?>("--last-name") { Description = "Last name" };
        var password = new Option<string?>("--password") { Description = "Login password (without one the user cannot log in with a password)" };
        var userType = new Option<string?>("--user-type") { Description = "System User (default) or Website User" };
        var roles = new Option<string[]>("--add-role") { Description = "A role to give the user; repeat for several", AllowMultipleArgumentsPerToken = false };
        var command = new Command("add-user", "Add a user to a site") { email, firstName, lastName, password, userType, roles };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var bench = CliContext.Bench();
            var siteName = CliContext.SingleSite(parse, bench);
            var site = BenchHost.Sites(bench).Find(siteName) ?? throw new BenchException($"Site {siteName} does not exist");
            var address = parse.GetValue(email)!.Trim();
            var values = new JsonObject
            {
                ["email"] = address,
                ["first_name"] = parse.GetValue(firstName) ?? address.Split('@')[0],
                ["last_name"] = parse.GetValue(lastName),
                ["user_type"] = parse.GetValue(userType) ?? "System User",
                ["send_welcome_email"] = 0,
                ["roles"] = new JsonArray((parse.GetValue(roles) ?? []).Select(r => (JsonNode?)new JsonObject { ["role"] = r }).ToArray()),
            };
            if (parse.GetValue(password) is { Length: > 0 } pw)
                values["new_password"] = pw;
            await using var context = new FrappeContext(site, "Administrator");
            try
            {
                var user = await Documents.NewAsync(context, "User", values, ct);
                await user.InsertAsync(context, ct);
                await context.CommitAsync(ct);
                Console.WriteLine($"User {user.Name} added to {siteName}");
            }
            catch (FrappeException e)
            {
                await context.RollbackAsync(CancellationToken.None);
                throw new BenchException(e is MandatoryError m ? string.Join("; ", m.Messages) : e.Message.Replace("<strong>", "", StringComparison.Ordinal).Replace("</strong>", "", StringComparison.Ordinal));
            }
            return 0;
        }));
        return command;
    }
}
