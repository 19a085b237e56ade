using System.CommandLine;
using SharpBench.Cli.Commands;

namespace SharpBench.Cli;

/// <summary>
/// Every subcommand of <c>bench</c> by name, built only when wanted. A command line that names a
/// known command gets that command alone: building all of them (options, descriptions, actions)
/// is a cost every start would pay, the health check run every few seconds in each container and
/// a backup among them. Help, the version and the parser's "did you mean" need the whole list.
/// </summary>
public static class CommandCatalog
{
    public static readonly IReadOnlyList<(string Name, Func<Command> Create)> All =
    [
        ("new-site", NewSiteCommand.Create),
        ("drop-site", DropSiteCommand.Create),
        ("use", UseCommand.Create),
        ("set-config", SetConfigCommand.Create),
        ("show-config", ShowConfigCommand.Create),
        ("migrate", MigrateCommand.Create),
        ("backup", BackupCommand.Create),
        ("restore", RestoreCommand.Create),
        ("partial-restore", PartialRestoreCommand.Create),
        ("set-maintenance-mode", SetMaintenanceModeCommand.Create),
        ("add-user", AddUserCommand.Create),
        ("set-admin-password", SetAdminPasswordCommand.Create),
        ("serve", ServeCommand.Create),
        ("start", StartCommand.Create),
        ("worker", WorkerCommand.Create),
        ("worker-pool", WorkerPoolCommand.Create),
        ("doctor", DoctorCommand.Create),
        ("execute", ExecuteCommand.Create),
        ("socketio", SocketioCommand.Create),
        ("enable-scheduler", () => EnableSchedulerCommand.Create(enable: true)),
        ("disable-scheduler", () => EnableSchedulerCommand.Create(enable: false)),
        ("scheduler", SchedulerCommand.Create),
        ("trigger-scheduler-event", TriggerSchedulerEventCommand.Create),
        ("schedule", ScheduleCommand.Create),
        ("create-rq-users", CreateRqUsersCommand.Create),
        ("health", HealthCommand.Create),
        ("build", BuildCommand.Create),
        ("init", InitCommand.Create),
        ("new-app", NewAppCommand.Create),
        ("get-app", GetAppCommand.Create),
        ("install-app", InstallAppCommand.Create),
        ("uninstall-app", UninstallAppCommand.Create),
        ("list-apps", ListAppsCommand.Create),
    ];

    /// <summary>The subcommands a root command needs to run this command line.</summary>
    public static IEnumerable<Command> For(IReadOnlyList<string> args)
    {
        var name = CliContext.CommandName(args);
        var known = name is null ? -1 : IndexOf(name);
        if (known < 0 || AskedAtRoot(args, name!))
            return Everything();
        return [All[known].Create()];
    }

    private static List<Command> Everything()
    {
        var commands = new List<Command>(All.Count);
        foreach (var (_, create) in All)
            commands.Add(create());
        return commands;
    }

    private static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i].Name == name)
                return i;
        }
        return -1;
    }

    /// <summary>Help or the version asked for before the command's name (<c>bench --help backup</c>): the root answers.</summary>
    private static bool AskedAtRoot(IReadOnlyList<string> args, string name)
    {
        foreach (var a in args)
        {
            if (a == name)
                return false;
            if (a is "--help" or "-h" or "-?" or "/h" or "/?" or "--version")
                return true;
        }
        return false;
    }
}
