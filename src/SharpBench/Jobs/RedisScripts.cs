namespace SharpBench.Jobs;

/// <summary>
/// The Lua scripts that make each queue operation one atomic round trip. Job records are
/// hashes, queues are streams read by the consumer group <c>workers</c>; a stream entry carries
/// only the job id.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: job hash, stream, site index. ARGV: deduplicate (1/0), score, wake channel, queue, id, field, value, ….
    /// Returns 0 when a queued or running job with that id exists and deduplicate is set.
    /// </summary>
    public const string Enqueue = """
        if ARGV[1] == '1' then
          local st = redis.call('HGET', KEYS[1], 'status')
          if st == 'queued' or st == 'started' then return 0 end
        end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], unpack(ARGV, 6))
        local eid = redis.call('XADD', KEYS[2], '*', 'id', ARGV[5])
        redis.call('HSET', KEYS[1], 'stream', KEYS[2], 'entry', eid)
        redis.call('ZADD', KEYS[3], ARGV[2], ARGV[5])
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        return 1
        """;

    /// <summary>
    /// KEYS: streams in priority order. ARGV: group, consumer (worker name), now, job key prefix.
    /// Takes the first entry whose job is still queued; entries of canceled or deleted jobs are dropped.
    /// Returns {stream, entry id, job fields…} or nil.
    /// </summary>
    public const string Dequeue = """
        for _, key in ipairs(KEYS) do
          while true do
            local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1, 'STREAMS', key, '>')
            if not r then break end
            local entry = r[1][2][1]
            local eid = entry[1]
            local jkey = ARGV[4] .. entry[2][2]
            if redis.call('HGET', jkey, 'status') == 'queued' then
              redis.call('HSET', jkey, 'status', 'started', 'started_at', ARGV[3], 'worker_name', ARGV[2], 'stream', key, 'entry', eid)
              redis.call('HINCRBY', jkey, 'attempts', 1)
              return {key, eid, redis.call('HGETALL', jkey)}
            end
            redis.call('XACK', key, ARGV[1], eid)
            redis.call('XDEL', key, eid)
          end
        end
        return nil
        """;

    /// <summary>
    /// KEYS: job hash, stream. ARGV: group, entry id, ttl seconds, field, value, ….
    /// The record is written before the entry is acknowledged, so a crash in between re-runs
    /// the job rather than losing its outcome.
    /// </summary>
    public const string Complete = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('HSET', KEYS[1], unpack(ARGV, 4))
          redis.call('EXPIRE', KEYS[1], ARGV[3])
        end
        redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[2], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: streams. ARGV: group, consumer, now, job key prefix, worker key prefix, grace ms, max deliveries, failure ttl.
    /// Claims pending entries whose worker is gone (no heartbeat key) and that idled past the grace,
    /// or that idled past the job's own timeout plus the grace (the worker is alive but stuck).
    /// An entry delivered too often (it keeps killing workers) is marked failed instead.
    /// Returns a flat list {stream, entry id, job id, …} of claimed entries.
    /// </summary>
    public const string Reclaim = """
        local out = {}
        local grace = tonumber(ARGV[6])
        for _, key in ipairs(KEYS) do
          local pending = redis.call('XPENDING', key, ARGV[1], 'IDLE', grace, '-', '+', 50)
          for _, p in ipairs(pending) do
            local eid, owner, idle, deliveries = p[1], p[2], tonumber(p[3]), tonumber(p[4])
            local e = redis.call('XRANGE', key, eid, eid)
            local jid = e[1] and e[1][2][2]
            local jkey = jid and (ARGV[4] .. jid)
            local timeout = jkey and tonumber(redis.call('HGET', jkey, 'timeout')) or 0
            local dead = owner ~= ARGV[2] and redis.call('EXISTS', ARGV[5] .. owner) == 0
            if dead or idle > timeout * 1000 + grace then
              if not jkey or redis.call('EXISTS', jkey) == 0 then
                redis.call('XACK', key, ARGV[1], eid)
                redis.call('XDEL', key, eid)
              elseif deliveries >= tonumber(ARGV[7]) then
                redis.call('HSET', jkey, 'status', 'failed', 'ended_at', ARGV[3],
                  'exc_info', 'The job was taken ' .. deliveries .. ' times and its worker stopped each time (killed or crashed); not retried again.')
                redis.call('EXPIRE', jkey, ARGV[8])
                redis.call('XACK', key, ARGV[1], eid)
                redis.call('XDEL', key, eid)
              else
                redis.call('XCLAIM', key, ARGV[1], ARGV[2], 0, eid)
                redis.call('HSET', jkey, 'status', 'started', 'started_at', ARGV[3], 'worker_name', ARGV[2], 'stream', key, 'entry', eid)
                redis.call('HINCRBY', jkey, 'attempts', 1)
                table.insert(out, key)
                table.insert(out, eid)
                table.insert(out, jid)
              end
            end
          end
        end
        return out
        """;
}
