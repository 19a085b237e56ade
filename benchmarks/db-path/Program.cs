// db-path mariadb|postgres CONNECTION_STRING SECONDS CONNECTIONS text|prepared SQL [ARG...]
//
// The limit our request path is measured against: CONNECTIONS connections each run SQL (values
// as @p0, @p1, … from ARG) in a loop for SECONDS after a 2 s warm-up, reading every value of
// every row as our path does. "text" sends it as MySqlConnector and Npgsql do by default (the
// values inlined by the client on MariaDB, an unnamed statement on PostgreSQL); "prepared"
// prepares it once per connection. Prints "queries qps".
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

var kind = args[0];
var connectionString = args[1];
var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
var connections = int.Parse(args[3], CultureInfo.InvariantCulture);
var prepared = args[4] == "prepared";
var sql = args[5];
var values = args[6..];

if (prepared && kind == "mariadb")
    connectionString += ";IgnorePrepare=false";
var commands = new DbCommand[connections];
for (var i = 0; i < connections; i++)
{
    DbConnection c = kind switch
    {
        "mariadb" => new MySqlConnector.MySqlConnection(connectionString),
        "postgres" => new Npgsql.NpgsqlConnection(connectionString),
        _ => throw new ArgumentException($"unknown database {kind}"),
    };
    await c.OpenAsync();
    var cmd = c.CreateCommand();
    cmd.CommandText = sql;
    for (var p = 0; p < values.Length; p++)
    {
        var parameter = cmd.CreateParameter();
        parameter.ParameterName = "@p" + p.ToString(CultureInfo.InvariantCulture);
        parameter.Value = values[p];
        cmd.Parameters.Add(parameter);
    }
    if (prepared)
        await cmd.PrepareAsync();
    commands[i] = cmd;
}

long counted = 0;
var measuring = false;
var stop = false;
var rows = 0L;
var loops = commands.Select(cmd => Task.Run(async () =>
{
    while (!Volatile.Read(ref stop))
    {
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    reader.GetValue(i);
                Interlocked.Increment(ref rows);
            }
        }
        if (Volatile.Read(ref measuring))
            Interlocked.Increment(ref counted);
    }
})).ToArray();

await Task.Delay(TimeSpan.FromSeconds(2));
if (Interlocked.Read(ref rows) == 0)
    throw new InvalidOperationException("the statement returned no rows");
var clock = Stopwatch.StartNew();
Volatile.Write(ref measuring, true);
await Task.Delay(TimeSpan.FromSeconds(seconds));
Volatile.Write(ref measuring, false);
var elapsed = clock.Elapsed.TotalSeconds;
var done = Interlocked.Read(ref counted);
Volatile.Write(ref stop, true);
await Task.WhenAll(loops);
Console.WriteLine($"{done} {(done / elapsed).ToString("F0", CultureInfo.InvariantCulture)}");
