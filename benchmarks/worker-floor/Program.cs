// worker-floor REDIS_PORT ROUNDS [mariadb|postgres|sqlite CONNECTION_STRING]
//
// Does only the I/O a queue worker cannot avoid: Redis round trips with job-sized JSON, and one
// query on one database. Prints its own peak RSS (VmHWM), so benchmarks/worker-floor.sh can set
// the memory floor of any .NET worker beside RQ's whole worker.
using System.Data.Common;
using StackExchange.Redis;

var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var rounds = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
await using var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port}");
var db = redis.GetDatabase();

if (args.Length >= 4)
{
    await using DbConnection connection = args[2] switch
    {
        "mariadb" => new MySqlConnector.MySqlConnection(args[3]),
        "postgres" => new Npgsql.NpgsqlConnection(args[3]),
        "sqlite" => new Microsoft.Data.Sqlite.SqliteConnection(args[3]),
        _ => throw new ArgumentException($"unknown database {args[2]}"),
    };
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT 1";
    await command.ExecuteScalarAsync();
}

for (var i = 0; i < rounds; i++)
{
    var key = "worker-floor:" + (i % 64);
    await db.StringSetAsync(key, "{\"method\":\"noop\",\"kwargs\":{\"i\":" + i + "},\"status\":\"started\"}");
    await db.StringGetAsync(key);
}
await db.KeyDeleteAsync(Enumerable.Range(0, 64).Select(i => (RedisKey)("worker-floor:" + i)).ToArray());

var hwm = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
Console.WriteLine(hwm.Split(':', 2)[1].Trim());
